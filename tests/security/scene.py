"""One workshop as an attacker finds it, and a browser for each role that visits it.

The scene: the owner's live workshop W with groups A and B (stage 2 open, answers, comments,
messages, a help flag, an agenda item with a speaker, a register row, a published report), a
co-facilitator, the owner's own template, and another facilitator's live workshop W2 with group Z.
Unique marker strings are written into everything a stranger must never read, so a leak is a
substring search. The roles:

- anonymous: no cookie at all;
- member: joined group A of W (the seat holder of the group-scoped routes);
- other-group: joined group B of W (holds a seat in W, but not in A);
- other-workshop: joined group Z of W2 (holds no seat in W);
- other-facilitator: signed in, owns W2, not W;
- co-facilitator: signed in, invited to drive W;
- owner: signed in, created W.
"""

import hashlib
import io
import re
from datetime import date, time
from pathlib import Path

from facilitator.accounts import services as accounts
from facilitator.agenda import services as agenda
from facilitator.answers import services as answers
from facilitator.control import services as control
from facilitator.extensions import db
from facilitator.groups import services as groups
from facilitator.participants import services as participants
from facilitator.planning import services as planning
from facilitator.register import services as register
from facilitator.report import services as report
from facilitator.room import services as room
from facilitator.series import services as series
from facilitator.stages import services as stages
from facilitator.stages import state as stage_state
from facilitator.workshops import services as workshops

from .forms import form_posting_to

ROOT = Path(__file__).resolve().parents[2]

ANONYMOUS, MEMBER, OTHER_GROUP, OTHER_WORKSHOP = "anonymous", "member", "other-group", "other-workshop"
OTHER_FACILITATOR, CO_FACILITATOR, OWNER = "other-facilitator", "co-facilitator", "owner"
ROLES = (ANONYMOUS, MEMBER, OTHER_GROUP, OTHER_WORKSHOP, OTHER_FACILITATOR, CO_FACILITATOR, OWNER)
PARTICIPANTS = (MEMBER, OTHER_GROUP, OTHER_WORKSHOP)
FACILITATORS = (OTHER_FACILITATOR, CO_FACILITATOR, OWNER)

#: email, display name, password of each facilitator role (the owner is tests/conftest.py's `facilitator`).
ACCOUNTS = {
    OWNER: ("ana@example.org", "Ana Nowak", "correct horse"),
    CO_FACILITATOR: ("co@example.org", "Cveta", "co password"),
    OTHER_FACILITATOR: ("boris@example.bg", "Борис", "another password"),
}
#: display name and group of each participant role.
SEATS = {MEMBER: ("Ана", "A"), OTHER_GROUP: ("Вера", "B"), OTHER_WORKSHOP: ("Zoe", "Z")}
#: Distinct PINs for short (four-digit) PIN schemes, so a PIN search cannot hit an unrelated number.
SHORT_PINS = {"A": "7391", "B": "8264", "Z": "6947"}

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def marker(label):
    """A string no page contains unless it shows what it was written into."""
    return "Qz" + label + hashlib.sha1(label.encode()).hexdigest()[:6]


class Visitor:
    """A browser of one role: its own cookies and a CSRF token valid in its session."""

    def __init__(self, role, client, token):
        self.role, self.client, self.token = role, client, token


class Scene:
    def __init__(self, app):
        self.app = app
        self.owner = accounts.sign_up(*_account(OWNER))
        self.co = accounts.sign_up(*_account(CO_FACILITATOR))
        self.stranger = accounts.sign_up(*_account(OTHER_FACILITATOR))
        self.accounts = {OWNER: self.owner, CO_FACILITATOR: self.co, OTHER_FACILITATOR: self.stranger}
        self.passwords = {role: password for role, (_e, _n, password) in ACCOUNTS.items()}
        self._fresh = 0

        self.workshop = planning.create_workshop(
            self.owner,
            "Библиотеката и нейните партньори",
            date(2012, 6, 6),
            ends_on=date(2012, 6, 7),
            locale="bg",
            venue_place="Кюстендил",
        )
        control.invite_co_facilitator(self.workshop, self.co.email)
        self.group = groups.add_group(self.workshop, "Група 1", "blue", "e-culture")
        self.other_group = groups.add_group(self.workshop, "Група 2", "green")
        workshops.set_status(self.workshop, "live")
        self.stage = stage_state.stages_of(self.workshop)[1]
        control.set_stage_state(self.workshop, self.stage, "open")
        self.field = self.stage.fields[0]
        #: A stage nobody has answered, which the process editor may change.
        self.spare_stage = stage_state.stages_of(self.workshop)[-1]
        self.spare_field = self.spare_stage.fields[0]

        self.other_workshop = planning.create_workshop(self.stranger, "Чужда работилница", date(2012, 6, 6))
        self.foreign_group = groups.add_group(self.other_workshop, "Група Z", "red")
        workshops.set_status(self.other_workshop, "live")
        foreign_stage = stage_state.stages_of(self.other_workshop)[1]
        control.set_stage_state(self.other_workshop, foreign_stage, "open")

        # The people the facilitator acts on; the roles' own seats are taken by their browsers later.
        self.teammate = participants.join(self.workshop, self.group, "Бо " + marker("Aname"))
        self.foreign_member = participants.join(self.other_workshop, self.foreign_group, "Зоя")
        for key, group in (("A", self.group), ("B", self.other_group), ("Z", self.foreign_group)):
            participants.ensure_group_pin(group)
            if len(group.join_pin or "") < 6:
                group.join_pin = SHORT_PINS[key]
        db.session.commit()

        # What each group wrote and was told: only that group and W's facilitators may read it.
        for key, workshop, group, stage in (
            ("A", self.workshop, self.group, self.stage),
            ("B", self.workshop, self.other_group, self.stage),
            ("Z", self.other_workshop, self.foreign_group, foreign_stage),
        ):
            answers.save_answer(workshop, group, stage.fields[0], "Отговор " + marker(key + "answer"), 0, "Ана")
            room.comment_on_stage(workshop, group, stage, "Бележка " + marker(key + "comment"), "Ana")
            room.broadcast(workshop, "Съобщение " + marker(key + "message"), "Ana", group)
        room.ask_for_help(self.teammate)

        # The facilitators' own material.
        self.item = agenda.add_item(self.workshop, "Групова работа", time(10), 60, "group-work")
        self.speaker = agenda.add_speaker(self.item, "Мария", "модератор", "НБУ")
        self.entry = register.add_entry(self.workshop, 732, "Читалище " + marker("Wregister"), "Кюстендил")
        report.save_intro(self.workshop, "Увод " + marker("Wintro"))
        self.report_token = report.publish_report(self.workshop)
        self.template = stages.copy_default_template(self.owner, "en")
        self.template_stage = self.template.stages[0]
        self.template_field = self.template_stage.fields[0]
        # W is the first meeting of the owner's series, which the co-facilitator plans too.
        self.series = series.create_series(self.owner, "Поредица " + marker("Sseries"))
        self.partner = series.add_partner(self.series, "Регионална библиотека", "Кюстендил")
        series.add_meeting(self.series, self.workshop, self.partner)
        series.invite_co_facilitator(self.series, self.co.email)
        self.codes = {
            self.workshop.id: {self.workshop.join_code},
            self.other_workshop.id: {self.other_workshop.join_code},
        }
        self._ids = {
            "workshop_id": self.workshop.id,
            "group_id": self.group.id,
            "stage_id": self.stage.id,
            "field_id": self.field.id,
            "participant_id": self.teammate.id,
            "item_id": self.item.id,
            "speaker_id": self.speaker.id,
            "facilitator_id": self.co.id,
            "entry_id": self.entry.id,
            "process_id": self.template.id,
            "series_id": self.series.id,
            "day_index": 0,
            "version": 1,
            "takeover_id": 1,  # no takeover is waiting unless a route's entry makes one (fresh_takeover)
        }

    # --- what the URL of a route names -----------------------------------------------------------

    @property
    def ids(self):
        """The value of each URL argument, by name: everything in the owner's workshop W."""
        return {**self._ids, "code": self.workshop.join_code, "token": self.report_token}

    def unique(self, stem):
        self._fresh += 1
        return f"{stem} {self._fresh}"

    def number(self):
        self._fresh += 1
        return 900 + self._fresh

    # Fresh things for actions that use up what they act on (delete, remove): one per request.

    def fresh_item(self):
        return agenda.add_item(self.workshop, self.unique("Почивка"), None, 15, "break")

    def fresh_speaker(self):
        return agenda.add_speaker(self.item, self.unique("Говорител"))

    def fresh_group(self):
        return groups.add_group(self.workshop, self.unique("Нова група"))

    def fresh_archived_group(self):
        group = groups.add_group(self.workshop, self.unique("Архив"))
        participants.join(self.workshop, group, "Някой")  # with a member, removing archives it
        groups.remove_group(group, confirmed=True)
        return group

    def fresh_workshop(self):
        """A workshop of the owner's, which the co-facilitator drives too, in no series yet."""
        workshop = planning.create_workshop(self.owner, self.unique("Среща"), date(2012, 9, 1))
        control.invite_co_facilitator(workshop, self.co.email)
        return workshop

    def fresh_participant(self):
        return participants.join(self.workshop, self.group, self.unique("Гост"))

    def fresh_takeover(self):
        """A new device asking for the seat of a member who is active: it waits for a facilitator."""
        member = self.fresh_participant()
        participants.touch(member)
        takeover = participants.rejoin(self.workshop, self.group, member.display_name, self.group.join_pin)
        assert not isinstance(takeover, type(member)), "the active member's seat was taken at once"
        return takeover

    def fresh_co_facilitator(self):
        email = f"co{self.number()}@example.org"
        accounts.sign_up(email, "Co", "co password")
        return control.invite_co_facilitator(self.workshop, email)

    def fresh_account(self):
        email = f"new{self.number()}@example.org"
        accounts.sign_up(email, "New", "new password")
        return email

    def fresh_entry(self):
        return register.add_entry(self.workshop, self.number(), self.unique("Библиотека"))

    def fresh_template(self):
        return stages.copy_default_template(self.owner, "pl")

    def fresh_stage(self, process):
        return stages.add_stage(process, self.unique("Етап"))

    def fresh_field(self, stage):
        return stages.add_field(stage, self.unique("Поле"), "short-text")

    def reset_token(self):
        """A password-reset link's token for the owner, as the mail would carry it."""
        return accounts.password_reset_token(self.owner)

    def pending_import(self, role):
        """A checked file's rows, kept for the role's account (anyone else's token is refused)."""
        who = self.accounts.get(role, self.owner)
        rows = [register.ImportRow(row_number=2, library_number=self.number(), library_name="Читалище Светлина")]
        return register.keep_pending_import(self.workshop, who, rows, "rows.csv")

    def upload(self):
        """The register as its own CSV export: a clean file to import, as a user would upload it."""
        from facilitator.register import spreadsheets

        data = spreadsheets.to_csv(register.entries_of(self.workshop), self.workshop.locale)
        return io.BytesIO(data), "register.csv"

    # --- who may read what -----------------------------------------------------------------------

    def secrets(self, role):
        """label -> pattern of what this role must never be shown.

        Join codes go to the workshop's people and facilitators; a group's text to that group and
        the facilitators; PINs, the register and the report's draft to the facilitators alone.
        """
        db.session.expire_all()
        for workshop in (self.workshop, self.other_workshop):
            if workshop.join_code:
                self.codes[workshop.id].add(workshop.join_code)
        own = {
            "W": {f"join code {c}": c for c in self.codes[self.workshop.id]},
            "A": _markers("A"),
            "B": _markers("B"),
            "Wfac": {
                "PIN of A": self.group.join_pin,
                "PIN of B": self.other_group.join_pin,
                "register row": marker("Wregister"),
                "report intro": marker("Wintro"),
            },
            "W2": {**{f"W2 join code {c}": c for c in self.codes[self.other_workshop.id]}, **_markers("Z")},
            "W2fac": {"PIN of Z": self.foreign_group.join_pin},
        }
        seen = {
            ANONYMOUS: (),
            OTHER_WORKSHOP: ("W2",),
            OTHER_FACILITATOR: ("W2", "W2fac"),
            MEMBER: ("W", "A"),
            OTHER_GROUP: ("W", "B"),
            CO_FACILITATOR: ("W", "A", "B", "Wfac"),
            OWNER: ("W", "A", "B", "Wfac"),
        }[role]
        return {
            label: shown_as(text)
            for part, found in own.items()
            if part not in seen
            for label, text in found.items()
            if text
        }

    # --- the visitors ----------------------------------------------------------------------------

    def visitor(self, role, again=False):
        """A fresh browser that has become `role` through the app's own forms.

        `again`: the role's earlier browser may have changed its password or taken its name, so
        the account gets its password back and the participant joins under a new name.
        """
        client = self.app.test_client()
        if again and role in ACCOUNTS:
            accounts.set_password(self.accounts[role], ACCOUNTS[role][2])
        if role in SEATS:
            name, key = SEATS[role]
            name = self.unique(name) if again else name
            workshop = self.other_workshop if key == "Z" else self.workshop
            group = {"A": self.group, "B": self.other_group, "Z": self.foreign_group}[key]
            join = f"/j/{workshop.join_code}"
            form = form_posting_to(client.get(join).get_data(as_text=True), join, join)
            joined = client.post(join, data=form.values(display_name=name, group=str(group.id)))
            assert joined.status_code == 302 and "/w/" in joined.headers["Location"], (
                f"{role} could not join: {joined.status_code}"
            )
            return Visitor(role, client, form.values()["csrf_token"])  # joining keeps the session's token
        elif role in ACCOUNTS:
            email, _name, password = ACCOUNTS[role]
            form = form_posting_to(client.get("/signin").get_data(as_text=True), "/signin", "/signin")
            signed_in = client.post("/signin", data=form.values(email=email, password=password))
            assert signed_in.status_code == 302, f"{role} could not sign in: {signed_in.status_code}"
        return Visitor(role, client, csrf_token(client))

    def seat_of(self, role):
        """The workspace path of a participant role's own group."""
        key = SEATS[role][1]
        workshop = self.other_workshop if key == "Z" else self.workshop
        group = {"A": self.group, "B": self.other_group, "Z": self.foreign_group}[key]
        return f"/w/{workshop.id}/g/{group.id}"


def csrf_token(client):
    """The token a page's forms carry for this browser's session (the home page has one for anyone)."""
    match = CSRF.search(client.get("/").get_data(as_text=True))
    assert match, "the home page has no CSRF token"
    return match.group(1)


def shown_as(secret):
    """A secret as a page may print it: whole (not inside a longer word or number), with or
    without a space or dash between its characters ("4821 7730")."""
    gap = r"[\s\u00a0\u202f-]?"
    return re.compile(r"(?<![0-9A-Za-z])" + gap.join(re.escape(ch) for ch in secret) + r"(?![0-9A-Za-z])")


def _account(role):
    return ACCOUNTS[role]


def _markers(key):
    return {
        f"{kind} of {key}": marker(key + kind)
        for kind in ("answer", "comment", "message", "name")
        if key == "A" or kind != "name"
    }
