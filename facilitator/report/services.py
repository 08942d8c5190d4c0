"""The meeting report, as the seeds publish theirs: when and where, who spoke, what the groups made.

The report is the workshop's content, so every sentence is written in the workshop's language
(force_locale), whatever language the organiser's screen uses. Sentences come whole from the
catalog with named placeholders; only names, titles and dates are filled in.
"""

import re
import secrets
from dataclasses import dataclass, field

from babel.lists import format_list
from flask_babel import force_locale, format_decimal, ngettext
from flask_babel import gettext as _

from ..accounts.models import utcnow
from ..agenda.forms import date_label, kind_label, time_label
from ..agenda.models import AgendaItem, AgendaItemKind
from ..agenda.services import agenda_for
from ..core.domain import DomainError
from ..extensions import db
from ..participants.models import Participant
from ..register.models import RegisterEntry
from ..stages.categories import category_label
from ..stages.models import Stage
from ..summaries.charts import services_by_category_svg, services_by_target_group_svg
from ..summaries.results import count_by, group_results
from ..workshops.formatting import workshop_dates
from ..workshops.models import Workshop

MAX_INTRO = 10_000
#: The share link's secret: 32 random bytes, 43 URL-safe characters (the column holds 64).
TOKEN_BYTES = 32


@dataclass
class Chart:
    """One chart with the same numbers as rows, for the table next to it."""

    kind: str
    svg: str
    caption: str
    label_heading: str
    count_heading: str
    rows: list


@dataclass
class ResultLine:
    """One group's result as one line of the seed's list, and who presented it."""

    group: object
    text: str
    note: str
    is_empty: bool


@dataclass
class RegisterRow:
    entry: RegisterEntry
    service: str


@dataclass
class AgendaLine:
    starts: str
    ends: str
    title: str
    kind: str
    speakers: str


@dataclass
class AgendaDayLines:
    label: str
    entries: list


@dataclass
class Report:
    workshop: Workshop
    locale: str
    title: str
    dates: str
    place: str
    participant_count: int
    intro: list = field(default_factory=list)
    facts: list = field(default_factory=list)
    speeches: list = field(default_factory=list)
    agenda: list = field(default_factory=list)
    group_count: int = 0
    group_work: list = field(default_factory=list)
    stages: list = field(default_factory=list)
    results_lead: str = ""
    results: list = field(default_factory=list)
    register: list = field(default_factory=list)
    charts: list = field(default_factory=list)


# --- reading -----------------------------------------------------------------------------------


def intro_paragraphs(text):
    """The organiser's introduction as plain-text paragraphs (a blank line starts a new one)."""
    return [p.strip() for p in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n")) if p.strip()]


def participant_count(workshop):
    """How many people joined the workshop online (those the facilitator removed do not count)."""
    return (
        db.session.scalar(
            db.select(db.func.count(Participant.id)).where(
                Participant.workshop_id == workshop.id, Participant.removed_at.is_(None)
            )
        )
        or 0
    )


def _speaker_text(speaker):
    return ", ".join(part for part in (speaker.name, speaker.role, speaker.organisation) if part)


def speakers_text(speakers, locale):
    """One speaker as 'Name, role, organisation'; several as 'Name (role, organisation)', listed."""
    if len(speakers) == 1:
        return _speaker_text(speakers[0])
    parts = []
    for speaker in speakers:
        about = ", ".join(part for part in (speaker.role, speaker.organisation) if part)
        parts.append(f"{speaker.name} ({about})" if about else speaker.name)
    return format_list(parts, locale=locale)


def _speech(kind, title, speakers, count):
    """The sentence for one agenda item, by what the speakers did there."""
    if kind == "opening":
        return ngettext(
            "%(speakers)s opened the meeting.", "%(speakers)s opened the meeting.", count, speakers=speakers
        )
    if kind == "closing":
        return ngettext(
            "%(speakers)s closed the meeting.", "%(speakers)s closed the meeting.", count, speakers=speakers
        )
    if kind == AgendaItemKind.GREETING.value:
        return ngettext(
            "%(speakers)s greeted the participants.", "%(speakers)s greeted the participants.", count, speakers=speakers
        )
    if kind == AgendaItemKind.GROUP_WORK.value:
        return ngettext(
            "%(speakers)s led the group work “%(title)s”.",
            "%(speakers)s led the group work “%(title)s”.",
            count,
            speakers=speakers,
            title=title,
        )
    if kind == AgendaItemKind.DISCUSSION.value:
        return ngettext(
            "%(speakers)s spoke in the discussion “%(title)s”.",
            "%(speakers)s spoke in the discussion “%(title)s”.",
            count,
            speakers=speakers,
            title=title,
        )
    return ngettext(
        "%(speakers)s spoke about “%(title)s”.",
        "%(speakers)s spoke about “%(title)s”.",
        count,
        speakers=speakers,
        title=title,
    )


def _role_of(index, item, items):
    """Opening, closing or the item's own kind: a greeting first in the day opens, one last closes."""
    if item.kind != AgendaItemKind.GREETING.value:
        return item.kind
    earlier = items[:index]
    if not any(i.speakers and i.kind == AgendaItemKind.GREETING.value for i in earlier) and not any(
        i.kind in (AgendaItemKind.TALK.value, AgendaItemKind.DISCUSSION.value) for i in earlier
    ):
        return "opening"
    later = items[index + 1 :]
    if not any(i.kind != AgendaItemKind.BREAK.value for i in later) and index > 0:
        return "closing"
    return item.kind


def speech_sentences(workshop, locale):
    """Who opened, who greeted, who spoke about what and who closed, in agenda order."""
    items = db.session.scalars(
        db.select(AgendaItem)
        .filter_by(workshop_id=workshop.id)
        .order_by(AgendaItem.day_index, AgendaItem.position, AgendaItem.id)
    ).all()
    sentences = []
    for index, item in enumerate(items):
        if item.kind == AgendaItemKind.BREAK.value or not item.speakers:
            continue
        who = speakers_text(item.speakers, locale)
        sentences.append(_speech(_role_of(index, item, items), item.title.strip(), who, len(item.speakers)))
    return sentences


def _sentence_end(text):
    """Text ready to be followed by a full stop: no trailing stops or spaces of its own."""
    return text.strip().rstrip(".").rstrip()


def with_category(label, text):
    """'Category: text', unless the text already starts with its category (as imported rows often do)."""
    if not label:
        return text
    if not text:
        return label
    if text.casefold().startswith(label.casefold()):
        return text
    return _("%(category)s: %(description)s", category=label, description=text)


def agenda_lines(workshop, locale):
    """The agenda as the report prints it: per day, each item's times, title, kind and speakers."""
    agenda = agenda_for(workshop)
    times, dates = time_label(workshop), date_label(workshop)
    days = []
    for day in agenda.days:
        if not day.entries:
            continue
        label = _("Day %(number)d: %(date)s", number=day.number, date=dates(day.date))
        entries = [
            AgendaLine(
                times(entry.starts_at),
                times(entry.ends_at),
                entry.item.title.strip(),
                kind_label(entry.item.kind),
                speakers_text(entry.item.speakers, locale) if entry.item.speakers else "",
            )
            for entry in day.entries
        ]
        days.append(AgendaDayLines(label, entries))
    return days


def result_line(result):
    """'Category: service. Target group: …' as the seed lists each group's result."""
    service = _sentence_end(" ".join(result.service.split()))
    target = _sentence_end(" ".join(result.target_group.split()))
    sentences = []
    if result.category_label and service:
        sentences.append(_sentence_end(with_category(result.category_label, service)) + ".")
    elif service:
        sentences.append(_("%(service)s.", service=service))
    elif result.category_label:
        sentences.append(_("%(category)s.", category=result.category_label))
    if target:
        sentences.append(_("Target group: %(target)s.", target=target))
    if not sentences:
        return _("No result has been recorded for %(group)s.", group=result.group.name)
    return " ".join(sentences)


def presented_by(result):
    if result.spokesperson:
        return _("%(group)s, presented by %(name)s", group=result.group.name, name=result.spokesperson)
    return result.group.name


def register_rows(workshop, locale):
    """The register's rows for this workshop, the service as 'Category: description'."""
    entries = db.session.scalars(
        db.select(RegisterEntry).filter_by(workshop_id=workshop.id).order_by(RegisterEntry.position, RegisterEntry.id)
    ).all()
    rows = []
    for entry in entries:
        label = category_label(entry.service_category, locale) if entry.service_category else ""
        rows.append(RegisterRow(entry, with_category(label, entry.service_description.strip())))
    return rows


def charts_for(results):
    """Services per category and per target group, with their numbers for the text alternative."""
    charts = []
    for kind, attribute, draw, caption, label_heading in (
        ("category", "category_label", services_by_category_svg, _("Services by category"), _("Category")),
        (
            "target-group",
            "target_group",
            services_by_target_group_svg,
            _("Services by target group"),
            _("Target group"),
        ),
    ):
        counts = count_by(results, attribute)
        charts.append(
            Chart(
                kind,
                draw(counts, caption),
                caption,
                label_heading,
                _("Number of services"),
                [(label, format_decimal(count)) for label, count in counts.items()],
            )
        )
    return charts


def build_report(workshop):
    """Everything the report says, written in the workshop's language."""
    locale = workshop.locale
    results = group_results(workshop, locale)
    people = participant_count(workshop)
    stages = (
        db.session.scalars(db.select(Stage).filter_by(process_id=workshop.process_id).order_by(Stage.position)).all()
        if workshop.process_id
        else []
    )
    with force_locale(locale):
        dates = workshop_dates(workshop, locale=locale)
        place = workshop.venue_place.strip()
        facts = [
            _("The meeting took place on %(dates)s in %(place)s.", dates=dates, place=place)
            if place
            else _("The meeting took place on %(dates)s.", dates=dates)
        ]
        if people:
            facts.append(
                ngettext("%(num)d person took part in the meeting.", "%(num)d people took part in the meeting.", people)
            )
        group_work = []
        if results:
            group_work.append(
                ngettext(
                    "The participants worked in %(num)d group.",
                    "The participants worked in %(num)d groups.",
                    len(results),
                )
            )
        if stages:
            group_work.append(_("Each group chose an innovative service and developed it in this order:"))
        report = Report(
            workshop=workshop,
            locale=locale,
            title=workshop.title,
            dates=dates,
            place=place,
            participant_count=people,
            intro=intro_paragraphs(workshop.report_intro),
            facts=facts,
            speeches=speech_sentences(workshop, locale),
            agenda=agenda_lines(workshop, locale),
            group_count=len(results),
            group_work=group_work,
            stages=[stage.title for stage in stages],
            results_lead=_(
                "A spokesperson chosen by each group presented the new service to all participants. "
                "The results by group:"
            )
            if results
            else "",
            results=[ResultLine(r.group, result_line(r), presented_by(r), r.is_empty) for r in results],
            register=register_rows(workshop, locale),
            charts=charts_for(results) if results else [],
        )
    return report


# --- changing ----------------------------------------------------------------------------------


def clean_intro(text):
    """The introduction as stored: Unix line ends, no trailing blanks; refused when too long."""
    text = "\n".join(line.rstrip() for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    text = text.strip("\n")
    if len(text) > MAX_INTRO:
        raise DomainError("intro-too-long", "intro", max=MAX_INTRO)
    return text


def save_intro(workshop, text):
    """Keep the organiser's own introduction to the report."""
    workshop.report_intro = clean_intro(text)
    db.session.commit()
    return workshop


def is_published(workshop):
    return workshop.report_token is not None and workshop.report_published_at is not None


def publish_report(workshop):
    """Publish the report under a new secret link; publishing it again keeps the link it has."""
    if not is_published(workshop):
        workshop.report_token = secrets.token_urlsafe(TOKEN_BYTES)
        workshop.report_published_at = utcnow()
        db.session.commit()
    return workshop.report_token


def unpublish_report(workshop):
    """Take the report down: its link stops working for good; publishing again makes a new one."""
    if workshop.report_token is not None or workshop.report_published_at is not None:
        workshop.report_token = None
        workshop.report_published_at = None
        db.session.commit()
    return workshop


def published_workshop(token):
    """The workshop whose published report has this link, or None."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(
        db.select(Workshop).where(Workshop.report_token == token, Workshop.report_published_at.is_not(None))
    )
