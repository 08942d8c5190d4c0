"""The role table: for every endpoint, who may use it, and how to call it well.

Every route of the app must have an entry here (test_authorization_matrix.py fails on one that
has none). An entry says which roles are allowed (`who`), the URL arguments that differ from
the scene's defaults (`args`, called afresh for each request so an action that uses up what it
acts on gets a new one), the form a browser would send (`form`), and which answers count as
success for an allowed role (`ok`). Everyone else must be refused (see REFUSALS in the matrix).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from facilitator.agenda import services as agenda
from facilitator.answers import services as answers

from .scene import CO_FACILITATOR, FACILITATORS, MEMBER, OWNER, ROLES

#: Who may use an endpoint.
PUBLIC = frozenset(ROLES)  # anyone: the home page, signing in, joining with a code
ACCOUNT = frozenset(FACILITATORS)  # any signed-in facilitator, for their own account and templates
WORKSHOP = frozenset({OWNER, CO_FACILITATOR})  # the facilitators of the workshop W
TEMPLATE = frozenset({OWNER})  # the facilitator whose template it is
SEAT = frozenset({MEMBER})  # the device that holds a seat in group A
SERIES = frozenset({OWNER, CO_FACILITATOR})  # who plans the owner's series (W is its first meeting)


@dataclass(frozen=True)
class Entry:
    who: frozenset
    args: Callable = None  # scene -> {url argument: value}, over the scene's defaults
    form: object = None  # {field: value} or (scene, role) -> {field: value}
    ok: tuple = (200, 204, 302)
    stream: bool = False  # an SSE stream: read nothing but its status and headers when allowed
    prepare: Callable = None  # (scene, visitors) -> None, run once before any role's request
    knows_code: bool = False  # the request itself carries W's join code, so an answer may repeat it
    public_content: bool = False  # a published report: the group's results are meant for anyone with its link
    htmx: bool = False  # an allowed role asks as htmx does (the route answers others with a redirect)
    signs_out: bool = False  # success is a redirect to the sign-in page (without ?next=)
    query: dict = field(default_factory=dict)

    def form_for(self, scene, role):
        if callable(self.form):
            return self.form(scene, role)
        return dict(self.form or {})


def _draft(scene, visitors=None):
    """The workshop's own process can change only while it is a draft."""
    from facilitator.extensions import db

    scene.workshop.status = "draft"
    db.session.commit()


def _release(scene, visitors=None):
    from facilitator.summaries import services

    services.set_pdfs_released(scene.workshop, True)


def _mail_configured(scene, visitors):
    scene.app.config["MAIL_SERVER"] = "localhost"  # nothing is sent: the form names no account
    scene.app.config["PASSWORD_RESET_RATE_LIMIT"] = "100 per minute"  # seven roles from one address


def _waiting_for_takeover(scene, visitors):
    """The member's device asks for the seat of a member who is active: it waits for approval."""
    from facilitator.participants import services

    takeover = scene.fresh_takeover()
    visitors[MEMBER].client.set_cookie(
        services.takeover_cookie_name(scene.workshop),
        services.takeover_cookie_value(scene.app.config["SECRET_KEY"], takeover),
    )


def _venue_check_ready(scene, visitors):
    """No workshop live, and the check's process replaced by nothing: only who may start it is tested."""
    import tempfile

    from facilitator.extensions import db

    scene.workshop.status = scene.other_workshop.status = "draft"
    db.session.commit()
    scene.app.config["VENUE_CHECK_STATUS_FILE"] = tempfile.mktemp(suffix=".json")
    scene.app.config["VENUE_CHECK_LAUNCHER"] = lambda *args: None


def _toggle_status(scene, role):
    return {"status": "draft" if scene.workshop.status == "live" else "live"}


def _item_form(scene, prefix):
    return {
        f"{prefix}-title": "Кафе пауза",
        f"{prefix}-starts_at": "11:00",
        f"{prefix}-duration_minutes": "20",
        f"{prefix}-kind": "break",
        f"{prefix}-day_index": "0",
        f"{prefix}-description": "Кафе и чай",
    }


def _entry_form(prefix, number):
    return {
        f"{prefix}-library_number": str(number),
        f"{prefix}-library_name": "Читалище Просвета",
        f"{prefix}-municipality": "Кюстендил",
        f"{prefix}-settlement": "Кюстендил",
        f"{prefix}-service_category": "e-culture",
        f"{prefix}-service_description": "Клуб",
        f"{prefix}-target_group": "Деца",
    }


def _workshop_form(scene, role):
    return {
        "title": "Нова работилница",
        "description": "",
        "starts_on": "2012-06-06",
        "ends_on": "",
        "day_starts_at": "09:00",
        "day_ends_at": "17:00",
        "venue_place": "Кюстендил",
        "venue_address": "",
        "locale": "bg",
        "wifi_name": "",
        "template": "",
    }


def _password_form(scene, role):
    current = scene.passwords.get(role, "whatever it was")
    return {"current_password": current, "new_password": "a new long password", "confirm": "a new long password"}


def _field_form(stage_id):
    return lambda s, r: {
        f"new-field-{stage_id(s)}-label": "Бележки",
        f"new-field-{stage_id(s)}-kind": "long-text",
        f"new-field-{stage_id(s)}-choices": "",
    }


def _editor(prefix, process, stage, field_, fresh_stage, fresh_field):
    """The process editor's routes, the same for a template (prefix "template") and a workshop's process."""
    who = TEMPLATE if prefix == "template" else WORKSHOP
    prepare = None if prefix == "template" else _draft
    ids = lambda s: {"stage_id": stage(s).id, "field_id": field_(s).id}  # noqa: E731
    return {
        f"stages.{prefix}_rename": Entry(who, prepare=prepare, form={"rename-name": "Моят процес"}),
        f"stages.{prefix}_add_stage": Entry(who, prepare=prepare, form={"new-stage-title": "Нов етап"}),
        f"stages.{prefix}_stage": Entry(who, args=ids),
        f"stages.{prefix}_update_stage": Entry(
            who,
            prepare=prepare,
            args=ids,
            form=lambda s, r: {
                f"stage-{stage(s).id}-title": "Цел",
                f"stage-{stage(s).id}-prompt": "Каква е целта?",
                f"stage-{stage(s).id}-time_box": "20",
            },
        ),
        f"stages.{prefix}_move_stage": Entry(who, prepare=prepare, args=ids, form={"direction": "up"}),
        f"stages.{prefix}_confirm_remove_stage": Entry(who, prepare=prepare, args=ids),
        f"stages.{prefix}_remove_stage": Entry(who, prepare=prepare, args=lambda s: {"stage_id": fresh_stage(s).id}),
        f"stages.{prefix}_add_field": Entry(who, prepare=prepare, args=ids, form=_field_form(lambda s: stage(s).id)),
        f"stages.{prefix}_update_field": Entry(
            who,
            prepare=prepare,
            args=ids,
            form=lambda s, r: {
                f"field-{field_(s).id}-label": "Бележки",
                f"field-{field_(s).id}-kind": "long-text",
                f"field-{field_(s).id}-help": "",
                f"field-{field_(s).id}-choices": "",
            },
        ),
        f"stages.{prefix}_move_field": Entry(who, prepare=prepare, args=ids, form={"direction": "down"}),
        f"stages.{prefix}_remove_field": Entry(
            who, prepare=prepare, args=lambda s: (lambda f: {"stage_id": f.stage_id, "field_id": f.id})(fresh_field(s))
        ),
    }


ROLE_TABLE = {
    # --- core and accounts --------------------------------------------------------------------
    "home.index": Entry(PUBLIC),
    "home.set_language": Entry(PUBLIC, form={"lang": "en", "next": "/"}),
    "accounts.sign_in": Entry(PUBLIC, form={"email": "ana@example.org", "password": "correct horse"}),
    "accounts.sign_up": Entry(
        PUBLIC,
        form=lambda s, r: {
            "display_name": "Нов",
            "email": f"{r}@new.example.org",
            "password": "long enough pw",
            "confirm": "long enough pw",
        },
    ),
    "accounts.sign_out": Entry(PUBLIC),
    "accounts.account": Entry(ACCOUNT),
    "accounts.change_password": Entry(ACCOUNT, form=_password_form),
    "accounts.sign_out_everywhere": Entry(ACCOUNT, signs_out=True),
    "accounts.forgot_password": Entry(PUBLIC, prepare=_mail_configured, form={"email": "nobody@example.org"}),
    "accounts.reset_password": Entry(
        PUBLIC,
        args=lambda s: {"token": s.reset_token()},
        form={"new_password": "a new long password", "confirm": "a new long password"},
    ),
    # --- workshops ------------------------------------------------------------------------------
    "planning.dashboard": Entry(ACCOUNT),
    "planning.new": Entry(ACCOUNT, form=_workshop_form),
    "planning.detail": Entry(WORKSHOP),
    "workshops.edit": Entry(WORKSHOP, form=_workshop_form),
    "planning.copy": Entry(WORKSHOP),
    "venue.page": Entry(WORKSHOP),
    "venue.progress": Entry(WORKSHOP),
    "venue.start": Entry(WORKSHOP, form={"phones": "60"}, prepare=_venue_check_ready),
    "workshops.set_status": Entry(WORKSHOP, form=_toggle_status),
    "workshops.join_info": Entry(WORKSHOP),
    "workshops.join_sheet": Entry(WORKSHOP),
    "workshops.regenerate_code": Entry(WORKSHOP),
    # --- agenda --------------------------------------------------------------------------------
    "agenda.index": Entry(WORKSHOP),
    "agenda.add_item": Entry(WORKSHOP, form=lambda s, r: _item_form(s, "new")),
    "agenda.item": Entry(WORKSHOP),
    "agenda.edit_item": Entry(WORKSHOP),
    "agenda.update_item": Entry(WORKSHOP, form=lambda s, r: _item_form(s, f"item-{s.item.id}")),
    "agenda.move_item": Entry(WORKSHOP, form={"direction": "down"}),
    "agenda.reorder": Entry(
        WORKSHOP, form=lambda s, r: {"item": [str(i.id) for i in reversed(agenda.day_items(s.workshop, 0))]}
    ),
    "agenda.retime_day": Entry(WORKSHOP),
    "agenda.delete_item": Entry(WORKSHOP, args=lambda s: {"item_id": s.fresh_item().id}),
    "agenda.add_speaker": Entry(
        WORKSHOP,
        form=lambda s, r: {
            f"new-speaker-{s.item.id}-name": "Петър",
            f"new-speaker-{s.item.id}-role": "",
            f"new-speaker-{s.item.id}-organisation": "",
        },
    ),
    "agenda.update_speaker": Entry(
        WORKSHOP,
        form=lambda s, r: {
            f"speaker-{s.speaker.id}-name": "Мария Иванова",
            f"speaker-{s.speaker.id}-role": "модератор",
            f"speaker-{s.speaker.id}-organisation": "НБУ",
        },
    ),
    "agenda.remove_speaker": Entry(WORKSHOP, args=lambda s: {"speaker_id": s.fresh_speaker().id}),
    # --- groups --------------------------------------------------------------------------------
    "groups.index": Entry(WORKSHOP),
    "groups.add": Entry(
        WORKSHOP, form=lambda s, r: {"name": s.unique("Нова група"), "colour": "purple", "service_category": ""}
    ),
    "groups.row": Entry(WORKSHOP),
    "groups.edit": Entry(WORKSHOP),
    "groups.update": Entry(
        WORKSHOP,
        form=lambda s, r: {
            f"group-{s.group.id}-name": "Група 1",
            f"group-{s.group.id}-colour": "blue",
            f"group-{s.group.id}-service_category": "e-culture",
        },
    ),
    "groups.move": Entry(WORKSHOP, form={"direction": "down"}),
    "groups.remove": Entry(WORKSHOP, args=lambda s: {"group_id": s.fresh_group().id}, form={"confirm": "yes"}),
    "groups.restore": Entry(WORKSHOP, args=lambda s: {"group_id": s.fresh_archived_group().id}),
    "groups.new_pin": Entry(WORKSHOP),
    "groups.pin_sheet": Entry(WORKSHOP),
    # --- process templates and the workshop's process -------------------------------------------
    "stages.library": Entry(ACCOUNT),
    "stages.copy_default": Entry(ACCOUNT, form={"builtin-locale": "bg"}),
    "stages.edit_template": Entry(TEMPLATE),
    "stages.copy_template": Entry(TEMPLATE),
    "stages.confirm_delete_template": Entry(TEMPLATE),
    "stages.delete_template": Entry(TEMPLATE, args=lambda s: {"process_id": s.fresh_template().id}),
    **_editor(
        "template",
        lambda s: s.template,
        lambda s: s.template_stage,
        lambda s: s.template_field,
        lambda s: s.fresh_stage(s.template),
        lambda s: s.fresh_field(s.template_stage),
    ),
    "stages.workshop_process": Entry(WORKSHOP),
    # Groups have answered, so the process cannot be replaced: 422 says so after the access check.
    "stages.workshop_replace": Entry(
        WORKSHOP, prepare=_draft, ok=(302, 422), form={"replace-source": "default:en", "replace-confirm": "y"}
    ),
    **_editor(
        "workshop",
        lambda s: s.workshop.process,
        lambda s: s.spare_stage,
        lambda s: s.spare_field,
        lambda s: s.fresh_stage(s.workshop.process),
        lambda s: s.fresh_field(s.spare_stage),
    ),
    # --- participants: joining, and group A's workspace -------------------------------------------
    "joining.enter_code": Entry(PUBLIC, knows_code=True, form=lambda s, r: {"code": s.workshop.join_code}),
    "joining.join": Entry(
        PUBLIC,
        knows_code=True,
        form=lambda s, r: {
            "display_name": s.unique("Гост"),
            "group": str(s.group.id),
            "website": "",
            "homepage": "http://",
        },
    ),
    # A wrong PIN: the form is judged (422) for anyone; nobody gets a seat.
    "joining.rejoin": Entry(
        PUBLIC,
        knows_code=True,
        ok=(422,),
        form=lambda s, r: {
            "display_name": "Ана",
            "group": str(s.group.id),
            "pin": "00000000"[: len(s.group.join_pin or "0000")],
        },
    ),
    # --- series --------------------------------------------------------------------------------
    "series.index": Entry(ACCOUNT),
    "series.create": Entry(ACCOUNT, form=lambda s, r: {"title": s.unique("Поредица")}),
    "series.detail": Entry(SERIES),
    "series.add_partner": Entry(SERIES, form=lambda s, r: {"name": s.unique("Читалище"), "place": "Дупница"}),
    "series.plan_next": Entry(SERIES),
    "series.add_meeting": Entry(SERIES, form=lambda s, r: {"workshop": str(s.fresh_workshop().id), "host": "0"}),
    "series.invite": Entry(SERIES, form=lambda s, r: {"email": s.fresh_account()}),
    "participants.workspace": Entry(SEAT),
    "participants.choose_view": Entry(SEAT, form=lambda s, r: {"view": "simple"}),
    # The service worker's script: the same for anyone (it keeps a seat's page only for its own device).
    "offline.worker": Entry(PUBLIC),
    # The device that asked for an active member's seat waits here (it holds the waiting cookie).
    "joining.takeover_wait": Entry(SEAT, prepare=_waiting_for_takeover),
    "participants.field": Entry(SEAT),
    "participants.save": Entry(
        SEAT,
        form=lambda s, r: {"value": "Нов текст", "base_version": str(answers.answer_for(s.group, s.field).version)},
    ),
    "participants.history": Entry(SEAT),
    "participants.restore": Entry(SEAT),
    "participants.stage_card": Entry(SEAT),
    "participants.stage_news": Entry(SEAT),
    "participants.stage_comments": Entry(SEAT),
    "participants.timer": Entry(SEAT),
    "participants.messages": Entry(SEAT),
    "participants.downloads": Entry(SEAT),
    "participants.help_box": Entry(SEAT),
    "participants.ask_help": Entry(SEAT),
    "participants.members": Entry(SEAT),
    "participants.presence": Entry(SEAT, form=lambda s, r: {"field": str(s.field.id)}),
    "participants.stream": Entry(SEAT, stream=True),
    "participant_pdfs.group_pdf": Entry(SEAT, prepare=_release),
    "participant_pdfs.workshop_pdf": Entry(SEAT, prepare=_release),
    # --- the control room ------------------------------------------------------------------------
    "control.room": Entry(WORKSHOP),
    "control.stream": Entry(WORKSHOP, stream=True),
    "control.stage_bar": Entry(WORKSHOP),
    "control.next_stage": Entry(WORKSHOP, form=lambda s, r: {"seen_stage": str(s.stage.id)}),
    "control.stage_state": Entry(WORKSHOP, form={"state": "open"}),
    "control.group_stage_state": Entry(WORKSHOP, form={"state": "closed"}),
    "control.timer": Entry(WORKSHOP),
    "control.timer_controls": Entry(WORKSHOP),
    "control.timer_start": Entry(WORKSHOP, form={"start-minutes": "5"}),
    "control.timer_add": Entry(WORKSHOP, form={"add-minutes": "1"}),
    "control.timer_pause": Entry(WORKSHOP),
    "control.timer_resume": Entry(WORKSHOP),
    "control.timer_reset": Entry(WORKSHOP),
    "control.grid": Entry(WORKSHOP),
    "control.help_alerts": Entry(WORKSHOP),
    "control.closing": Entry(WORKSHOP),
    "control.clear_help": Entry(WORKSHOP),
    "control.group_detail": Entry(WORKSHOP),
    "control.comment": Entry(WORKSHOP, form=lambda s, r: {f"comment-{s.stage.id}-text": "Браво!"}),
    "control.messages": Entry(WORKSHOP),
    "control.send_message": Entry(WORKSHOP, form={"message-text": "Пет минути", "message-group": ""}),
    "control.people": Entry(WORKSHOP),
    "control.move_form": Entry(WORKSHOP),
    "control.move": Entry(
        WORKSHOP,
        form=lambda s, r: {"group": str(s.other_group.id if s.teammate.group_id == s.group.id else s.group.id)},
    ),
    "control.rename": Entry(WORKSHOP, form=lambda s, r: {f"rename-{s.teammate.id}-name": s.unique("Боби")}),
    "control.remove": Entry(WORKSHOP, args=lambda s: {"participant_id": s.fresh_participant().id}),
    "control.spokesperson": Entry(WORKSHOP, form=lambda s, r: {"participant": str(s.teammate.id)}),
    "control.run_of_show": Entry(WORKSHOP),
    "control.mark_now": Entry(WORKSHOP),
    "control.clear_now": Entry(WORKSHOP),
    "control.set_status": Entry(WORKSHOP, form=_toggle_status),
    "control.takeovers": Entry(WORKSHOP),
    "control.approve_takeover": Entry(WORKSHOP, args=lambda s: {"takeover_id": s.fresh_takeover().id}),
    "control.refuse_takeover": Entry(WORKSHOP, args=lambda s: {"takeover_id": s.fresh_takeover().id}),
    "control.facilitators": Entry(WORKSHOP),
    "control.invite": Entry(WORKSHOP, form=lambda s, r: {"invite-email": s.fresh_account()}),
    "control.remove_facilitator": Entry(WORKSHOP, args=lambda s: {"facilitator_id": s.fresh_co_facilitator().id}),
    # --- presenter, summaries, register, report ----------------------------------------------------
    "presenter.show": Entry(WORKSHOP),
    "presenter.slide": Entry(WORKSHOP, htmx=True),
    "presenter.timer": Entry(WORKSHOP),
    "presenter.stream": Entry(WORKSHOP, stream=True),
    "summaries.index": Entry(WORKSHOP),
    "summaries.release": Entry(WORKSHOP, form={"released": "1"}),
    "summaries.workshop_pdf": Entry(WORKSHOP),
    "summaries.group_pdf": Entry(WORKSHOP),
    "register.index": Entry(WORKSHOP),
    "register.add_row": Entry(WORKSHOP, form=lambda s, r: _entry_form("new", s.number())),
    "register.row": Entry(WORKSHOP, htmx=True),
    "register.edit_row": Entry(WORKSHOP),
    "register.update_row": Entry(WORKSHOP, form=lambda s, r: _entry_form(f"row-{s.entry.id}", s.entry.library_number)),
    "register.delete_row": Entry(WORKSHOP, args=lambda s: {"entry_id": s.fresh_entry().id}),
    "register.fill_form": Entry(WORKSHOP),
    "register.fill": Entry(
        WORKSHOP,
        form=lambda s, r: {
            "fill-group": str(s.group.id),
            "fill-entry": "new",
            "fill-library_number": str(s.number()),
            "fill-library_name": "Читалище Надежда",
            "fill-municipality": "",
            "fill-settlement": "",
        },
    ),
    "register.export_csv": Entry(WORKSHOP),
    "register.export_xlsx": Entry(WORKSHOP),
    "register.import_file": Entry(WORKSHOP, form=lambda s, r: {"file": s.upload()}),
    "register.confirm_import": Entry(WORKSHOP, form=lambda s, r: {"token": s.pending_import(r)}),
    "report.edit": Entry(WORKSHOP, form={"intro": "Увод към доклада"}),
    "report.preview": Entry(WORKSHOP, htmx=True),
    "report.publish": Entry(WORKSHOP),
    "report.unpublish": Entry(WORKSHOP),
    "report.public": Entry(PUBLIC, public_content=True),
    "report.public_pdf": Entry(PUBLIC, public_content=True),
}
