"""The venue check itself, as plain functions: refuse near live data, make a throwaway workshop,
let N simulated phones join it by HTTP, hold their streams and save as people type, then measure
how long a save takes to reach teammates' phones, and delete the throwaway whatever happens.

The phones speak to the real server as it runs (SQLite or PostgreSQL, one worker or several);
this process reaches the same database only to make and delete the throwaway and count what was
stored. Each phone speaks from its own loopback address (127.1.x.y), as each phone at a venue has
its own, so the server's per-address join limit counts them apart.
"""

import contextlib
import json
import math
import random
import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlencode, urlsplit

import gevent
import gevent.pool
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..accounts.models import Facilitator
from ..accounts.services import normalise_email
from ..answers.models import Answer
from ..core.domain import message_for, messages
from ..extensions import db
from ..groups.services import active_groups, add_group
from ..participants import services as participant_services
from ..planning import services as planning
from ..stages import state as stage_state
from ..stages.models import FieldKind, Process, StageState
from ..workshops.models import Workshop, WorkshopFacilitator, WorkshopStatus
from .client import Connection, stream_events

#: The throwaway workshops belong to this account alone, so no facilitator ever sees one and a
#: leftover (from a killed run) is found by its owner. `.invalid` is a domain that cannot exist.
CHECK_EMAIL = "venue-check@facilitator.invalid"
MIN_PHONES, MAX_PHONES = 10, 300
SECONDS = 60  # how long the phones type
INTERVAL = 2.0  # seconds between one typing phone's saves, as the autosave sends them
PHONES_PER_GROUP = 5  # without groups to copy
JOIN_AT_ONCE = 20  # phones joining at the same moment: a room scanning the QR code
STREAMS_WAIT = 30  # seconds the streams get to open
TEXT_KINDS = (FieldKind.SHORT_TEXT.value, FieldKind.LONG_TEXT.value)
CSRF_INPUT = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')
CSRF_META = re.compile(rb'name="csrf-token" content="([^"]+)"')


class CheckRefused(Exception):
    """The check will not run: `code` says why, `titles` which workshops are live."""

    def __init__(self, code, titles=(), others=0):
        super().__init__(code)
        self.code = code
        self.titles = list(titles)
        self.others = others  # live workshops not named (not the reader's)


#: What each refusal says; `title`/`url` is the first of the refusal's titles, `titles` all of them.
messages.register(
    {
        "venue-workshop-live": _l(
            "“%(title)s” is live: people are using it now. The check would load the laptop under them. "
            "Run it before the workshop goes live, or after it."
        ),
        "venue-server-live": _l(
            "A workshop on this server is live right now (%(titles)s): its people would feel the load. "
            "Run the check when no workshop is live."
        ),
        "venue-running": _l("A check is already running on this server. Wait for its verdict."),
        "venue-no-address": _l(
            "The check needs the server's own address: start it with make run and open this page from there."
        ),
        "venue-other-database": _l(
            "The server at %(url)s does not know the check's workshop: it uses another database than this "
            "command. Run the check with the same settings as the server."
        ),
        "venue-no-server": _l("Nothing answers at %(url)s."),
        "venue-phones": _l("The number of phones must be between %(low)d and %(high)d."),
    }
)


def refusal_message(refused):
    """What a refusal says, in the current language (an unknown code: the number of phones)."""
    titles = [f"“{title}”" for title in refused.titles]
    if refused.others:
        titles.append(ngettext("%(num)d other workshop", "%(num)d other workshops", refused.others))
    code = "venue-" + refused.code
    first = refused.titles[0] if refused.titles else ""
    return message_for(
        code if code in messages else "venue-phones",
        title=first,
        url=first,
        titles=", ".join(titles),
        low=MIN_PHONES,
        high=MAX_PHONES,
    )


def check_phones(phones):
    if not MIN_PHONES <= phones <= MAX_PHONES:
        raise CheckRefused("phones")


def live_workshops():
    """Every workshop people may be using right now."""
    return list(db.session.scalars(db.select(Workshop).filter_by(status=WorkshopStatus.LIVE.value)))


def refuse_if_live(source=None):
    """Refuse when the workshop to copy is live, or any workshop on the server is: people would feel it."""
    if source is not None and source.status == WorkshopStatus.LIVE.value:
        raise CheckRefused("workshop-live", [source.title])
    live = live_workshops()
    if live:
        raise CheckRefused("server-live", [w.title for w in live])


# --- the throwaway workshop -------------------------------------------------------------------


def check_account():
    """The account that owns the throwaway workshops; nobody knows its password."""
    found = db.session.scalar(db.select(Facilitator).filter_by(email=normalise_email(CHECK_EMAIL)))
    if found is None:
        from werkzeug.security import generate_password_hash

        found = Facilitator(
            email=normalise_email(CHECK_EMAIL),
            display_name="Venue check",
            password_hash=generate_password_hash(secrets.token_urlsafe(32)),
        )
        db.session.add(found)
        db.session.commit()
    return found


def throwaways():
    """The workshops the check made and has not deleted yet."""
    query = (
        db.select(Workshop)
        .join(WorkshopFacilitator, WorkshopFacilitator.workshop_id == Workshop.id)
        .join(Facilitator, Facilitator.id == WorkshopFacilitator.facilitator_id)
        .where(Facilitator.email == normalise_email(CHECK_EMAIL))
    )
    return list(db.session.scalars(query))


def remove_throwaways():
    """Delete every throwaway with its groups, participants, answers, revisions and process."""
    db.session.rollback()
    found = throwaways()
    for workshop in found:
        process_id = workshop.process_id
        db.session.execute(db.delete(Workshop).where(Workshop.id == workshop.id))
        if process_id is not None:
            db.session.execute(db.delete(Process).where(Process.id == process_id))
    db.session.commit()
    db.session.expire_all()
    return len(found)


def throwaway_title(now):
    return _("Venue check %(when)s", when=now.strftime("%Y-%m-%d %H:%M"))


def make_throwaway(phones, source=None, now=None):
    """A draft copy of `source` (its process and groups), or the default process with a group per
    five phones; every stage open, so the phones can type. Never live: nobody is told its code."""
    account = check_account()
    title = throwaway_title(now or datetime.now())
    if source is not None:
        workshop = planning.copy_workshop(source, account, title)
    else:
        workshop = planning.create_workshop(account, title, date.today())
    if not active_groups(workshop):
        for n in range(math.ceil(phones / PHONES_PER_GROUP)):
            add_group(workshop, _("Group %(number)d", number=n + 1))
    for stage in workshop.process.stages:
        if stage.state != StageState.OPEN.value:
            stage_state.move(workshop, stage, StageState.OPEN.value)
    db.session.commit()
    return workshop


@dataclass
class Phone:
    """One simulated phone: its group, the field it types in (None: it only reads), where it speaks from."""

    index: int
    group_id: int
    field_id: int | None
    source: str | None
    name: str = ""
    base: str = ""
    cookies: dict = field(default_factory=dict)
    csrf: str = ""
    conn: Connection | None = None
    streaming: bool = False

    def cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


def loopback_source(index):
    return f"127.1.{index // 250}.{index % 250 + 1}"


def own_addresses_work(host):
    """Whether phones can speak from addresses of their own: on Linux every 127.x.y.z is this machine."""
    if not host.startswith("127."):
        return False
    import socket as plain

    try:
        with plain.socket() as probe:
            probe.bind((loopback_source(0), 0))
        return True
    except OSError:
        return False


def phone_plan(workshop, phones, own_sources=True):
    """Phones spread over the groups; in each group each phone types in a text field of its own
    (two people typing in one field would be a conflict, not load), the rest only read."""
    groups = active_groups(workshop)
    fields = [f.id for s in workshop.process.stages for f in s.fields if f.kind in TEXT_KINDS]
    plan = []
    for i in range(phones):
        k = i // len(groups)
        plan.append(
            Phone(
                index=i,
                group_id=groups[i % len(groups)].id,
                field_id=fields[k] if k < len(fields) else None,
                source=loopback_source(i) if own_sources else None,
                name=f"Phone {i + 1}",
            )
        )
    return plan


def seat_by_service(app, workshop, phone):
    """Without addresses of their own the server's join limit would stop the phones at 30 a minute:
    such a phone is seated here, as the join form would, and opens its workspace by HTTP."""
    from ..groups.models import Group

    group = db.session.get(Group, phone.group_id)
    person = participant_services.join(workshop, group, phone.name)
    phone.cookies[participant_services.cookie_name(workshop)] = participant_services.cookie_value(
        app.config["SECRET_KEY"], person
    )
    phone.base = f"/w/{workshop.id}/g/{group.id}"


# --- the load ---------------------------------------------------------------------------------


class JoinFailed(Exception):
    pass


def _take_cookies(phone, headers):
    for raw in headers.get("set-cookie", []):
        name, _, rest = raw.partition("=")
        value = rest.split(";", 1)[0]
        if value and "max-age=0" not in raw.lower():
            phone.cookies[name.strip()] = value
        else:
            phone.cookies.pop(name.strip(), None)


def _path(location):
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def join_phone(target, code, phone):
    """As a person does: open the join link, send name and group, land in the group's workspace."""
    phone.conn = Connection(target.port, target.host, phone.source)
    if not phone.base:
        status, headers, body = phone.conn.request("GET", f"/j/{code}", read_body=True)
        if status == 404:
            raise JoinFailed("other-database")
        match = CSRF_INPUT.search(body)
        if status != 200 or match is None:
            raise JoinFailed(status)
        _take_cookies(phone, headers)
        form = {"csrf_token": match.group(1).decode(), "display_name": phone.name, "group": phone.group_id}
        form.update(website="", homepage="http://")
        status, headers = phone.conn.request(
            "POST",
            f"/j/{code}",
            urlencode(form).encode(),
            {"Cookie": phone.cookie_header(), "Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 302:
            raise JoinFailed(status)
        _take_cookies(phone, headers)
        phone.base = _path(headers["location"])
    status, headers, body = phone.conn.request(
        "GET", phone.base, headers={"Cookie": phone.cookie_header()}, read_body=True
    )
    match = CSRF_META.search(body)
    if status != 200 or match is None:
        raise JoinFailed(status)
    _take_cookies(phone, headers)
    phone.csrf = match.group(1).decode()


@dataclass
class Target:
    host: str
    port: int

    @classmethod
    def from_url(cls, url):
        parts = urlsplit(url)
        return cls(parts.hostname or "127.0.0.1", parts.port or 80)


def percentile(values, q):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def rss_kb(pid):
    """Resident memory of a process and all its children, in kB (0 if unknown)."""
    total = 0
    try:
        with open(f"/proc/{pid}/status") as f:
            total += next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            children = f.read().split()
    except (OSError, StopIteration, ValueError):
        return total
    return total + sum(rss_kb(int(child)) for child in children)


def run_load(target, code, plan, *, seconds=SECONDS, interval=INTERVAL, progress=None, server_pid=None):
    """Join every phone, open its stream, let the typing phones save every `interval` s for `seconds`;
    return the figures: joins, streams, saves asked and done, deliveries lost, latency percentiles."""
    progress = progress or (lambda step, **values: None)
    figures = {"phones": len(plan), "joined": 0, "join_errors": 0, "join_statuses": {}}
    pool = gevent.pool.Pool(JOIN_AT_ONCE)
    joined = []

    def join(phone):
        try:
            join_phone(target, code, phone)
        except JoinFailed as failed:
            reason = str(failed)
            figures["join_statuses"][reason] = figures["join_statuses"].get(reason, 0) + 1
            figures["join_errors"] += 1
        except OSError:
            figures["join_statuses"]["0"] = figures["join_statuses"].get("0", 0) + 1
            figures["join_errors"] += 1
        else:
            joined.append(phone)

    # Progress is told from this greenlet only: the others do not share its language (context).
    for n, _phone in enumerate(pool.imap_unordered(join, plan), start=1):
        if n % 10 == 0 or n == len(plan):
            progress("joining", done=len(joined), phones=len(plan))
    figures["joined"] = len(joined)
    if figures["join_statuses"].get("other-database"):
        raise CheckRefused("other-database", [f"http://{target.host}:{target.port}"])

    sent_at = {}  # (group, field, version) -> when the save left
    received = {}  # (group, field, version) -> teammates whose stream brought it
    latencies = []
    saved = {}  # (group, field) -> the last version a save reached
    opened = []
    dropped = [0]
    peak_rss = [rss_kb(server_pid) if server_pid else 0]

    def listen(phone):
        def on_event(event, data, now):
            if not event.startswith("field-"):
                return
            field_id = int(event[6:])
            if field_id == phone.field_id:
                return  # my own save
            key = (phone.group_id, field_id, json.loads(data)["v"])
            if key in sent_at:
                received[key] = received.get(key, 0) + 1
                latencies.append(now - sent_at[key])

        def on_open():
            phone.streaming = True
            opened.append(phone)

        with contextlib.suppress(Exception):  # refused or cut: the phone has no live updates
            stream_events(
                target.port,
                f"{phone.base}/stream",
                {"Cookie": phone.cookie_header()},
                on_event,
                on_open,
                host=target.host,
                source=phone.source,
            )
        if phone.streaming:
            dropped[0] += 1
        phone.streaming = False

    listeners = []
    for i, phone in enumerate(joined):
        listeners.append(gevent.spawn(listen, phone))
        if i % 50 == 49:
            gevent.sleep(0.05)
    deadline = time.monotonic() + STREAMS_WAIT
    while len(opened) < len(joined) and time.monotonic() < deadline:
        gevent.sleep(0.1)
    figures["streams"] = len(opened)
    stop_at = time.monotonic() + seconds
    progress("typing", left=seconds)
    errors = {"save": 0, "statuses": {}}

    def type_in(phone):
        gevent.sleep(random.uniform(0, interval))
        version = 0
        while time.monotonic() < stop_at:
            body = urlencode({"value": f"text {version + 1} " + "x" * 40, "base_version": version}).encode()
            key = (phone.group_id, phone.field_id, version + 1)
            sent_at[key] = time.monotonic()
            headers = {
                "Cookie": phone.cookie_header(),
                "X-CSRFToken": phone.csrf,
                "X-Autosave": "1",
                "Content-Type": "application/x-www-form-urlencoded",
            }
            try:
                status, answer = phone.conn.request("POST", f"{phone.base}/fields/{phone.field_id}", body, headers)
            except Exception:
                status, answer = 0, {}
                phone.conn.close()
            if status in (200, 204):
                version = int(answer.get("x-answer-version", version + 1))
                saved[(phone.group_id, phone.field_id)] = version
            else:
                errors["save"] += 1
                errors["statuses"][status] = errors["statuses"].get(status, 0) + 1
                sent_at.pop(key, None)
            gevent.sleep(interval)

    def sample():
        while time.monotonic() < stop_at + 3:
            if server_pid:
                peak_rss[0] = max(peak_rss[0], rss_kb(server_pid))
            gevent.sleep(0.5)

    sampler = gevent.spawn(sample)
    typists = [gevent.spawn(type_in, phone) for phone in joined if phone.field_id is not None]
    try:
        while len(gevent.joinall(typists, timeout=10, raise_error=True)) < len(typists):
            progress("typing", left=max(0, round(stop_at - time.monotonic())))
        gevent.sleep(3)  # the last deliveries
    finally:
        gevent.killall(typists + listeners + [sampler])
        for phone in joined:
            if phone.conn is not None:
                phone.conn.close()
    members = {}  # group -> phones whose stream opened
    for phone in opened:
        members[phone.group_id] = members.get(phone.group_id, 0) + 1
    expected = delivered = 0
    for key in sent_at:
        teammates = members.get(key[0], 1) - 1
        expected += teammates
        delivered += min(received.get(key, 0), teammates)
    figures.update(
        typing=len(typists),
        saves_asked=len(sent_at) + errors["save"],
        saves_done=len(sent_at),
        save_errors=errors["save"],
        save_statuses=errors["statuses"],
        streams_dropped=dropped[0],
        deliveries=expected,
        lost=expected - delivered,
        p50=_ms(percentile(latencies, 0.50)),
        p95=_ms(percentile(latencies, 0.95)),
        p99=_ms(percentile(latencies, 0.99)),
        rss_mb=round(peak_rss[0] / 1024) if peak_rss[0] else None,
        seconds=seconds,
        saved=saved,
    )
    return figures


def _ms(seconds):
    return None if seconds is None else round(seconds * 1000, 1)


def saves_lost(saved):
    """Answers whose stored version is not the last version a save was told it reached."""
    lost = 0
    for (group_id, field_id), version in saved.items():
        answer = db.session.scalar(db.select(Answer).filter_by(group_id=group_id, field_id=field_id))
        if (answer.version if answer else 0) != version:
            lost += 1
    return lost


def run_check(app, url, phones, *, source=None, seconds=SECONDS, interval=INTERVAL, progress=None, server_pid=None):
    """The whole check against the server at `url`; the throwaway is gone afterwards, also on failure."""
    check_phones(phones)
    refuse_if_live(source)
    remove_throwaways()  # a leftover from a killed run
    target = Target.from_url(url)
    try:
        workshop = make_throwaway(phones, source)
        own = own_addresses_work(target.host)
        plan = phone_plan(workshop, phones, own_sources=own)
        if not own:
            for phone in plan[JOIN_AT_ONCE:]:
                seat_by_service(app, workshop, phone)
        code = workshop.join_code
        db.session.commit()
        db.session.remove()  # no connection held open while the phones load the database
        figures = run_load(
            target, code, plan, seconds=seconds, interval=interval, progress=progress, server_pid=server_pid
        )
        progress and progress("finishing")
        figures["saves_lost"] = saves_lost(figures.pop("saved"))
        return figures
    finally:
        remove_throwaways()
