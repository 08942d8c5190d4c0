"""Junk in every form field and URL argument of every state-changing route: never a 5xx.

For each POST route, Hypothesis sends requests as the owner, as anonymous (and, on the routes a
participant uses, as the member of group A), each with a CSRF token valid in that browser's
session, so the junk reaches the view rather than the CSRF check. A request starts from the form
the role table says a browser sends, and then replaces, drops or repeats its fields with
generated values (control characters, huge and negative numbers, empty strings, unicode, very
long strings, lists of values) and adds fields of its own; the field names come from the role
table and from the forms on the app's pages. URL arguments are the scene's real ids or generated
ones. Every answer must be below 500 and nothing may be logged at ERROR level (a traceback).

Each route's examples share one scene (an app built per route by the `app` fixture); the junk
does change it (a workshop may end up finished), which is fine: whatever state junk leaves
behind must not give a 5xx either. Failures are collected and reported together, each with the
request that caused it, rather than shrunk: a request is already its own reproducer.
"""

import io
import logging
import re
from contextlib import contextmanager
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from facilitator.extensions import limiter

from .forms import forms_in
from .role_table import PUBLIC, ROLE_TABLE, SEAT
from .routes import ROUTES, arguments, url_with
from .scene import ANONYMOUS, MEMBER, OWNER, ROOT

POSTS = [(endpoint, method, rule) for endpoint, method, rule in ROUTES if method != "GET"]
#: Examples per route: about 90 routes x 12 requests keeps the file well under two minutes.
EXAMPLES = 12
HUGE = (2**63, 2**64, 10**30)
#: Every field at once set to each of these, as the role that uses the route, before the generated examples.
ALWAYS = ("a\x00b", str(2**63), "-" + str(2**63), "я" * 20_000, "")

# --- what gets sent --------------------------------------------------------------------------

_any_char = st.characters(exclude_categories=("Cs",))  # every code point a form can carry
_controls = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.sampled_from("\x7f\u2028\u2029\u202e\ufeff")
text_values = st.one_of(
    st.just(""),
    st.text(_any_char, max_size=40),
    st.text(_controls | _any_char, min_size=1, max_size=40),
    st.sampled_from(
        [
            " ",
            "0",
            "-0",
            "00",
            "1.5",
            "1e309",
            "NaN",
            "inf",
            "null",
            "true",
            "[]",
            "{}",
            "%00",
            "../../etc/passwd",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "\r\nSet-Cookie: x=1",
            "/\r\nLocation: http://evil.example",
            "//evil.example",
            "\\\\evil.example",
            "новый текст",
            "default:xx",
            "template:99999999999999999999",
            "new",
            "up",
            "down",
            "open",
            "finished",
            "yes",
            "1",
            "2",
            "\x00",
        ]
    ),
)
int_values = st.one_of(
    st.integers(min_value=-(2**70), max_value=-1),
    st.integers(min_value=0, max_value=100),
    st.integers(min_value=2**31 - 2, max_value=2**31 + 2),
    st.integers(min_value=2**63 - 2, max_value=2**130),
).map(str)
long_values = st.builds(
    lambda piece, times: piece * times,
    st.sampled_from(["a", "я", "9", "\x00", "\u202e", "😀", "ab\r\n"]),
    st.integers(min_value=1_000, max_value=120_000),
)
#: The classic troublemakers, each as likely as a whole class above.
nasty_values = st.sampled_from(
    [
        "\x00",
        "a\x00b",
        "\x00" * 3,
        "\r\n",
        "a\rb",
        "\u202e",
        "\ufeff",
        "\x1b[31m",
        "%",
        "%zz",
        "\\",
        '"',
        "'",
        "&amp;",
        "{{ 7*7 }}",
        "${7*7}",
        "😀",
        "\U0010ffff",
    ]
)
values = st.one_of(text_values, int_values, long_values, nasty_values)
field_values = st.one_of(values, values, st.lists(values, min_size=2, max_size=3))
file_values = st.builds(
    lambda data, name: (io.BytesIO(data), name),
    st.binary(max_size=3000),
    st.sampled_from(["r.csv", "r.xlsx", "r.txt", "", "../r.csv", "r\x00.csv"]),
)
path_texts = st.text(_any_char, max_size=30).map(lambda text: quote(text, safe=""))


@st.composite
def junk_request(draw, roles, names, base, rule, real_args):
    """(role, htmx, url, form): the role table's form with some fields replaced, dropped or added."""
    role = draw(st.sampled_from(roles))
    form = {}
    for name in names:
        if isinstance(base.get(name), tuple):  # a file: keep it, or send junk bytes (or no file)
            choice = draw(st.sampled_from(["keep", "junk", "drop", "text"]))
            data, filename = base[name]
            kept = (io.BytesIO(data), filename)
            form[name] = {"keep": kept, "junk": draw(file_values), "text": draw(values)}.get(choice)
        else:
            choice = draw(st.sampled_from(["keep", "junk", "junk", "drop"]))
            form[name] = {"keep": base.get(name), "junk": draw(field_values)}.get(choice)
    form = {name: value for name, value in form.items() if value is not None}
    form.update(draw(st.dictionaries(st.text(_any_char, min_size=1, max_size=20), field_values, max_size=2)))
    args = {}
    for name, converter in arguments(rule).items():
        real = real_args[name]
        if converter == "int":
            args[name] = draw(st.one_of(st.just(real), int_values.map(lambda v: v.lstrip("-")), st.sampled_from(HUGE)))
        else:
            args[name] = draw(st.one_of(st.just(quote(str(real), safe="")), path_texts))
    return role, draw(st.booleans()), url_with(rule, args), form


# --- what must not happen --------------------------------------------------------------------


class _Errors(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@contextmanager
def logged_errors():
    """Everything logged at ERROR or above meanwhile: Flask logs each unhandled exception so."""
    handler = _Errors()
    logging.getLogger().addHandler(handler)
    try:
        yield handler.records
    finally:
        logging.getLogger().removeHandler(handler)


def summary(form):
    def short(value):
        if isinstance(value, tuple):
            return f"<file {value[1]!r}>"
        text = repr(value)
        return text if len(text) <= 60 else f"{text[:40]}…({len(str(value))} chars)"

    return "{" + ", ".join(f"{name!r}: {short(value)}" for name, value in form.items()) + "}"


# --- field names from the app's own pages ------------------------------------------------------

_discovered = {}


def discovered_fields(app, scene, visitors):
    """endpoint -> the field names the app's pages put in forms posting to it (read once per run).

    The pages are every GET route the scene can fill, as the owner and as the member; names that
    carry an id (comment-<stage>-text) match because every scene is built the same way.
    """
    if _discovered:
        return _discovered
    adapter = app.url_map.bind("localhost")
    for endpoint, method, rule in ROUTES:
        entry = ROLE_TABLE.get(endpoint)
        if method != "GET" or entry is None or entry.stream or endpoint.endswith("pdf"):
            continue
        url = url_with(rule, {**scene.ids, **(entry.args(scene) if entry.args else {})})
        for role in (OWNER, MEMBER):
            response = visitors[role].client.get(url)
            if response.mimetype != "text/html":
                continue
            for form in forms_in(response.get_data(as_text=True), url):
                if form.method != "post":
                    continue
                try:
                    target, _args = adapter.match(form.action, method="POST")
                except Exception:  # a form posting somewhere this app has no route: nothing to learn
                    continue
                _discovered.setdefault(target, set()).update(form.names)
    return _discovered


# --- the tests -------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint, method, rule", POSTS, ids=[f"{m} {e}" for e, m, _ in POSTS])
def test_junk_posted_to_a_route_never_gets_a_5xx(app, scene, endpoint, method, rule):
    entry = ROLE_TABLE.get(endpoint)
    if entry is None:
        pytest.fail(f"teach the role table about {endpoint} ({method} {rule}) in tests/security/role_table.py")
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a crash is answered as in production: a logged 500
    roles = [OWNER, ANONYMOUS] + ([MEMBER] if entry.who in (SEAT, PUBLIC) else [])
    visitors = {role: scene.visitor(role) for role in (OWNER, ANONYMOUS, MEMBER)}
    if entry.prepare:
        entry.prepare(scene, visitors)
    base = {
        name: (value[0].read(), value[1]) if isinstance(value, tuple) else value  # files as bytes
        for name, value in entry.form_for(scene, OWNER).items()
    }
    names = sorted((set(base) | discovered_fields(app, scene, visitors).get(endpoint, set())) - {"csrf_token"})
    real_args = {**scene.ids, **(entry.args(scene) if entry.args else {})}
    problems = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(junk_request(roles, names, base, rule, real_args))
    def post_junk(request):
        role, htmx, url, form = request
        visitor = visitors[role]
        headers = {"HX-Request": "true"} if htmx else {}
        with logged_errors() as errors:
            try:
                response = visitor.client.open(
                    url, method=method, data={"csrf_token": visitor.token, **form}, headers=headers
                )
                status = response.status_code
                response.close()
            except Exception as error:
                status = f"raised {type(error).__name__}: {error}"
        if isinstance(status, str) or status >= 500 or errors:
            logged = "; ".join(
                f"{r.levelname} {r.getMessage()[:80]}"
                + (f" ({r.exc_info[0].__name__}: {r.exc_info[1]})" if r.exc_info else "")
                for r in errors
            )
            problems.append(
                f"{role}{' (htmx)' if htmx else ''} {method} {url} {summary(form)} -> {status}"
                + (f"; logged {logged}" if logged else "")
            )
        if endpoint.startswith("accounts."):  # it may have signed the visitor out: start each afresh
            limiter.reset()  # junk sign-ins spend the allowance the fresh sign-in needs
            visitors[role] = scene.visitor(role, again=True)

    # The classic cases always run, whatever Hypothesis draws: every field set to each of ALWAYS.
    fields = [name for name in names if not isinstance(base.get(name), tuple)]
    for value in ALWAYS:
        for role in roles[:1] + roles[2:]:  # the owner, and the member where a member may post
            post_junk = example((role, False, url_with(rule, real_args), dict.fromkeys(fields, value)))(post_junk)
    post_junk()
    assert not problems, f"{len(problems)} junk requests to {endpoint} failed:\n" + "\n".join(problems[:10])


def test_huge_ids_are_not_found_and_odd_codes_no_5xx(app, scene):
    """Any integer URL argument >= 2**63, on any route, for anyone: 404, never a 500.

    And a NUL or a control character in a text argument (a code, a token) is never a 500 either.
    """
    app.config["PROPAGATE_EXCEPTIONS"] = False
    visitors = {role: scene.visitor(role) for role in (OWNER, ANONYMOUS, MEMBER)}
    problems, sent = [], 0
    with logged_errors() as errors:
        for _endpoint, method, rule in ROUTES:
            ints = [name for name, converter in arguments(rule).items() if converter == "int"]
            real = {**scene.ids, "code": scene.workshop.join_code, "token": scene.report_token}
            texts = [name for name, converter in arguments(rule).items() if converter != "int"]
            variants = [({**real, name: 2**63}, True) for name in ints]
            variants += [({**real, **dict.fromkeys(ints, 10**30)}, True)] if ints else []
            variants += [({**real, name: quote(junk, safe="")}, False) for name in texts for junk in ("a\x00b", "\r\n")]
            for values, must_be_404 in variants:
                url = url_with(rule, values)
                for role, visitor in visitors.items():
                    data = {"csrf_token": visitor.token} if method != "GET" else None
                    response = visitor.client.open(url, method=method, data=data, buffered=method == "GET")
                    sent += 1
                    if response.status_code != 404 if must_be_404 else response.status_code >= 500:
                        problems.append(f"{role} {method} {url} -> {response.status_code}")
                    response.close()
        problems += [f"logged {r.levelname}: {r.getMessage()[:100]}" for r in errors]
    assert sent > 300
    assert not problems, f"{len(problems)} of {sent} requests:\n" + "\n".join(problems)


#: Every query argument any view reads (request.args.get("...")), found in the app's source.
QUERY_NAMES = sorted(
    {
        name
        for path in (ROOT / "facilitator").rglob("*.py")
        for name in re.findall(r'request\.args\.get(?:list)?\(\s*"([^"]+)"', path.read_text())
    }
)


def test_odd_query_arguments_never_get_a_5xx(app, scene):
    """Every GET route, with every query argument the app reads set to a huge id, a NUL or CR/LF."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    visitors = {role: scene.visitor(role) for role in (OWNER, MEMBER)}
    problems, sent = [], 0
    assert {"group", "selected", "slide", "next"} <= set(QUERY_NAMES)
    with logged_errors() as errors:
        for endpoint, method, rule in ROUTES:
            entry = ROLE_TABLE.get(endpoint)
            if method != "GET" or entry is None:
                continue
            url = url_with(rule, {**scene.ids, **(entry.args(scene) if entry.args else {})})
            for junk in (str(2**63), "-" + str(2**63), "a\x00b", "\r\nX-Evil: 1", "1e309"):
                for role, visitor in visitors.items():
                    response = visitor.client.get(
                        url, query_string=dict.fromkeys(QUERY_NAMES, junk), buffered=not entry.stream
                    )
                    sent += 1
                    if response.status_code >= 500 or "X-Evil" in response.headers:
                        problems.append(f"{role} GET {url} ?*={junk!r} -> {response.status_code}")
                    response.close()
        problems += [f"logged {r.levelname}: {r.getMessage()[:100]}" for r in errors]
    assert not problems, f"{len(problems)} of {sent} requests:\n" + "\n".join(problems)
