"""Every route and method of the app, for every role: refused where it must be, and no leaks.

The routes come from `app.url_map`, so a route added later is tested without anyone having to
remember it; a route the role table (role_table.py) does not know fails until it is taught.

For each route, the roles the table does not allow go first, twice (as a page load and as htmx),
with a CSRF token valid in their own session so that what refuses them is the access check:

- a signed-out visitor (anonymous or a participant) on a facilitator route: 401, or a redirect to
  /signin;
- a facilitator on a workshop or template that is not theirs: 403 or 404;
- anyone without the seat on a group's route: 401, 403 or 404, or a redirect to the home page;
  a participant of another group may also be sent to their own group's workspace.

A refused request changes nothing in the database. Then each allowed role makes the request once
and must get one of the entry's `ok` answers (never a redirect to sign in or to the home page).
Every answer, to every role, is searched (body and every header, Location included) for what that
role must never see: a join code, a group PIN or marked text of a workshop or group it holds no
seat in (Scene.secrets). A stream is never read when it streams: only its status and headers.
"""

from urllib.parse import unquote, urlsplit

import pytest

from facilitator.extensions import db

from .role_table import PUBLIC, ROLE_TABLE, SEAT
from .routes import ROUTES, url_with
from .scene import FACILITATORS, OTHER_GROUP, ROLES

HTMX = {"HX-Request": "true"}


def url_for_rule(rule, scene, entry):
    return url_with(rule, {**scene.ids, **(entry.args(scene) if entry.args else {})})


def send(visitor, method, url, entry, data, htmx):
    headers = dict(HTMX) if htmx else {}
    if entry.stream:
        headers["Accept"] = "text/event-stream"
    if method == "GET":
        return visitor.client.get(url, query_string=entry.query, headers=headers, buffered=not entry.stream)
    return visitor.client.open(url, method=method, data=data, headers=headers, buffered=not entry.stream)


def redirect_path(response):
    return urlsplit(response.headers.get("Location", "")).path if response.status_code in (301, 302, 303) else None


def refusal_is_right(role, entry, response, scene):
    """Whether this answer refuses this role, as the module docstring defines it."""
    status, path = response.status_code, redirect_path(response)
    if entry.who is SEAT:
        if role == OTHER_GROUP and path == scene.seat_of(role):
            return True
        return status in (401, 403, 404) or path == "/"
    if role in FACILITATORS:  # signed in, but not theirs
        return status in (403, 404)
    return status == 401 or path == "/signin"


def success_is_right(entry, response):
    if response.status_code not in entry.ok:
        return False
    path = redirect_path(response)
    if entry.signs_out:
        return path == "/signin" and "next=" not in response.headers["Location"]
    if path is not None and entry.who is not PUBLIC:
        refused = path == "/signin" or (entry.who is SEAT and (path == "/" or path.startswith("/j/")))
        return not refused
    return True


def is_streaming(response):
    return response.status_code == 200 and response.mimetype == "text/event-stream"


def leaks(response, secrets):
    """The labels of the secrets this answer shows, in its body or in any header."""
    body = "" if is_streaming(response) else response.get_data().decode("utf-8", "replace")
    headers = "\n".join(f"{name}: {value}" for name, value in response.headers.items())
    text = body + "\n" + headers
    text += "\n" + unquote(text)  # a code inside ?next=%2Fj%2F... is still a code
    return [label for label, pattern in secrets.items() if pattern.search(text)]


def secrets_for(scene, role, entry):
    secrets = scene.secrets(role)
    if entry.knows_code:  # the request itself carries W's code
        secrets = {k: v for k, v in secrets.items() if k != f"join code {scene.workshop.join_code}"}
    if entry.public_content:  # a published report shows the groups' results to anyone with its link
        secrets = {k: v for k, v in secrets.items() if "PIN" in k or "join code" in k}
    return secrets


def snapshot():
    """Every row of every table: what a refused request must leave as it was.

    When a device or a session was last seen is bookkeeping, not a change anyone made.
    """
    db.session.expire_all()
    state = {}
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if c.name != "last_seen_at"]
        state[table.name] = sorted(repr(tuple(row)) for row in db.session.execute(db.select(*columns)))
    return state


def describe(response):
    where = f" -> {response.headers['Location']}" if "Location" in response.headers else ""
    return f"{response.status_code}{where}"


def check_role(scene, visitor, method, rule, entry, allowed, problems):
    """One role's requests to one route (a refused role asks twice: as a page and as htmx)."""
    role = visitor.role
    variants = [entry.htmx] if allowed else [False, True]
    requests = []
    for htmx in variants:
        url = url_for_rule(rule, scene, entry)
        data = {"csrf_token": visitor.token, **entry.form_for(scene, role)} if method != "GET" else None
        requests.append((f"{role}{' (htmx)' if htmx else ''}: {method} {url}", url, data, htmx))
    before = None if allowed else snapshot()
    for label, url, data, htmx in requests:
        try:
            response = send(visitor, method, url, entry, data, htmx)
        except Exception as error:  # the app raised: with TESTING on, a 500 reaches the test as this
            problems.append(f"{label} raised {type(error).__name__}: {error}")
            db.session.rollback()
            continue
        try:
            judge(scene, role, entry, allowed, label, response, problems)
        finally:
            response.close()
    if before is not None:
        after = snapshot()
        changed = [name for name in before if before[name] != after.get(name)]
        if changed:
            problems.append(f"{role}: {method} {rule}: refused, yet changed {', '.join(changed)}")
    return len(requests)


def judge(scene, role, entry, allowed, label, response, problems):
    if allowed:
        if entry.stream and not is_streaming(response):
            problems.append(f"{label}: allowed, but no event stream ({describe(response)})")
        elif not success_is_right(entry, response):
            problems.append(f"{label}: allowed, but answered {describe(response)}")
    elif is_streaming(response):
        problems.append(f"{label}: refused role got the event stream")
    elif not refusal_is_right(role, entry, response, scene):
        problems.append(f"{label}: should be refused, answered {describe(response)}")
    shown = leaks(response, secrets_for(scene, role, entry))
    if shown:
        problems.append(f"{label}: answer ({describe(response)}) shows {', '.join(shown)}")


def test_the_route_list_is_the_whole_app():
    endpoints = {endpoint for endpoint, _, _ in ROUTES}
    assert {
        "home.index",
        "participants.workspace",
        "participants.stream",
        "control.room",
        "control.stream",
        "presenter.stream",
        "register.import_file",
        "report.public",
        "stages.template_add_field",
    } <= endpoints
    assert len(ROUTES) >= 150


def test_the_role_table_names_only_routes_that_exist():
    endpoints = {endpoint for endpoint, _, _ in ROUTES}
    assert sorted(set(ROLE_TABLE) - endpoints) == [], "the role table names endpoints the app no longer has"


@pytest.mark.parametrize("endpoint, method, rule", ROUTES, ids=[f"{m} {e}" for e, m, _ in ROUTES])
def test_each_role_is_answered_as_the_role_table_says(app, scene, endpoint, method, rule):
    entry = ROLE_TABLE.get(endpoint)
    if entry is None:
        pytest.fail(
            f"teach the role table about {endpoint} ({method} {rule}): add an entry to "
            "tests/security/role_table.py saying who may use it and how to call it"
        )
    visitors = {role: scene.visitor(role) for role in ROLES}
    if entry.prepare:
        entry.prepare(scene, visitors)
    problems = []
    # The refused roles first, so the allowed ones act on the scene as it was built.
    for allowed in (False, True):
        for role in ROLES:
            if (role in entry.who) == allowed:
                check_role(scene, visitors[role], method, rule, entry, allowed, problems)
    assert not problems, f"{method} {endpoint}:\n" + "\n".join(problems)
