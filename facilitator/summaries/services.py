"""The PDF summaries: the HTML they are made from, their cache, and their release to participants.

A PDF is made from an ordinary template in the workshop's language, rendered to PDF by the
renderer's helper process, and kept in the instance folder under a fingerprint of everything it
shows; it is made again only when that fingerprint changes ("cached until the answers change").
"""

import hashlib
import os
import re
import tempfile
import threading
import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from babel.dates import format_date, format_time
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..accounts.models import utcnow
from ..agenda.models import AgendaItem, Speaker
from ..answers.models import Answer
from ..extensions import db
from ..groups.models import Group
from ..live.events import publish, workshop_channel
from ..participants.models import Participant
from ..stages.models import Stage, StageField
from ..workshops.formatting import workshop_dates
from . import charts
from .renderer import STATIC_ORIGIN, renderer_for
from .results import count_by, group_results

#: Raise when the PDFs' make-up changes in a way the file fingerprints below would not notice.
FORMAT_VERSION = 1
#: Bullets people type at the start of list lines; the PDF draws its own.
BULLET = re.compile(r"^\s*(?:[-*•·–—]|\d+[.)])\s+")


@dataclass
class SummaryPdf:
    """A PDF from the cache, and the fingerprint that names it (an ETag)."""

    data: bytes
    fingerprint: str


# --- what the PDFs show ----------------------------------------------------------------------


def list_items(value):
    """A list field's lines, one item each, without empty lines or typed bullets."""
    items = (BULLET.sub("", line).strip() for line in (value or "").splitlines())
    return [item for item in items if item]


def group_result(workshop, group):
    """The group's result as the PDFs show it; None for a group no longer in the workshop."""
    for result in group_results(workshop):
        if result.group.id == group.id:
            return result
    return None


def _agenda_days(workshop):
    """Agenda items by day, each day labelled with its date in the workshop's language."""
    items = db.session.scalars(
        db.select(AgendaItem)
        .filter_by(workshop_id=workshop.id)
        .order_by(AgendaItem.day_index, AgendaItem.position, AgendaItem.starts_at)
    ).all()
    days = {}
    for item in items:
        days.setdefault(item.day_index, []).append(item)
    return [
        {
            "label": format_date(workshop.starts_on + timedelta(days=day), "full", locale=workshop.locale),
            "entries": day_items,
        }
        for day, day_items in sorted(days.items())
    ]


def _item_time(workshop):
    def item_time(item):
        start = item.starts_at
        end = (datetime.combine(workshop.starts_on, start) + timedelta(minutes=item.duration_minutes)).time()
        return "{}–{}".format(
            format_time(start, "short", locale=workshop.locale), format_time(end, "short", locale=workshop.locale)
        )

    return item_time


def _charts(results):
    """Services per category and per target group as SVG."""
    return [
        charts.services_by_category_svg(count_by(results, "category_label"), _("Services by category")),
        charts.services_by_target_group_svg(count_by(results, "target_group"), _("Services by target group")),
    ]


def _context(workshop):
    return {
        "workshop": workshop,
        "dates": workshop_dates(workshop, locale=workshop.locale),
        "list_items": list_items,
        "pdf_stylesheet": STATIC_ORIGIN + "/static/css/pdf.css",
    }


def group_pdf_html(workshop, result):
    """The group PDF's HTML, in the workshop's language."""
    with force_locale(workshop.locale):
        return render_template("summaries/group_pdf.html", result=result, **_context(workshop))


def workshop_pdf_html(workshop):
    """The workshop PDF's HTML (cover, contents, agenda, every group, results), in the workshop's language."""
    with force_locale(workshop.locale):
        results = group_results(workshop)
        return render_template(
            "summaries/workshop_pdf.html",
            results=results,
            agenda_days=_agenda_days(workshop),
            item_time=_item_time(workshop),
            charts=_charts(results),
            **_context(workshop),
        )


# --- fingerprint -----------------------------------------------------------------------------


def _source_files(locale):
    """Files whose content shapes the PDFs: templates, stylesheet, reading of results, translations."""
    templates = Path(current_app.template_folder) / "summaries"
    files = sorted(templates.glob("*.html"))
    files += [
        Path(current_app.static_folder) / "css" / "pdf.css",
        Path(__file__),
        Path(__file__).with_name("results.py"),
        Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")[0])
        / locale
        / "LC_MESSAGES"
        / "messages.mo",
        Path(charts.__file__),
    ]
    return files


def _file_marks(locale):
    marks = []
    for path in _source_files(locale):
        try:
            stat = path.stat()
        except OSError:
            marks.append((path.name, None))
        else:
            marks.append((path.name, stat.st_mtime_ns, stat.st_size))
    return marks


def _every_column(model):
    """A select of all the model's columns: any change to a row changes the fingerprint."""
    return db.select(*model.__table__.columns)


def _rows(statement):
    return [tuple(row) for row in db.session.execute(statement)]


def fingerprint(workshop, group=None):
    """A digest of everything the PDF shows; any saved answer, member, group, agenda or workshop change moves it."""
    group_ids = [group.id] if group is not None else None
    groups = (
        db.select(Group.id, Group.position, Group.name, Group.service_category, Group.archived_at)
        .where(Group.workshop_id == workshop.id)
        .order_by(Group.id)
    )
    people = (
        db.select(
            Participant.id,
            Participant.display_name,
            Participant.group_id,
            Participant.is_spokesperson,
            Participant.removed_at,
        )
        .where(Participant.workshop_id == workshop.id)
        .order_by(Participant.id)
    )
    answers = (
        db.select(Answer.id, Answer.group_id, Answer.field_id, Answer.version, Answer.updated_at)
        .join(Group, Answer.group_id == Group.id)
        .where(Group.workshop_id == workshop.id)
        .order_by(Answer.id)
    )
    if group_ids is not None:
        groups = groups.where(Group.id.in_(group_ids))
        people = people.where(Participant.group_id.in_(group_ids))
        answers = answers.where(Answer.group_id.in_(group_ids))
    parts = [
        ("format", FORMAT_VERSION, "group" if group is not None else "workshop"),
        ("files", _file_marks(workshop.locale)),
        (
            "workshop",
            workshop.id,
            workshop.title,
            workshop.description,
            workshop.starts_on,
            workshop.ends_on,
            workshop.venue_place,
            workshop.venue_address,
            workshop.locale,
            workshop.process_id,
        ),
        (
            "stages",
            _rows(
                db.select(Stage.id, Stage.position, Stage.title)
                .where(Stage.process_id == workshop.process_id)
                .order_by(Stage.id)
            ),
        ),
    ]
    queries = {
        "fields": _every_column(StageField)
        .join(Stage, StageField.stage_id == Stage.id)
        .where(Stage.process_id == workshop.process_id)
        .order_by(StageField.id),
        "groups": groups,
        "people": people,
        "answers": answers,
    }
    if group is None:  # the workshop's PDF also prints its agenda
        on_agenda = AgendaItem.workshop_id == workshop.id
        queries["agenda"] = _every_column(AgendaItem).where(on_agenda).order_by(AgendaItem.id)
        queries["speakers"] = _every_column(Speaker).join(AgendaItem).where(on_agenda).order_by(Speaker.id)
    parts += [(name, _rows(query)) for name, query in queries.items()]
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


# --- cache -----------------------------------------------------------------------------------


def cache_dir():
    """Where made PDFs are kept: PDF_CACHE_DIR, or pdf-cache in the instance folder."""
    path = Path(current_app.config.get("PDF_CACHE_DIR") or Path(current_app.instance_path) / "pdf-cache")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _cache_prefix(workshop, group):
    return f"workshop-{workshop.id}-" + (f"group-{group.id}" if group is not None else "all")


class _Flight:
    """One PDF being made: whoever asks for the same file meanwhile waits for it instead of making it again."""

    def __init__(self):
        self.lock = threading.Lock()


_flights = weakref.WeakValueDictionary()
_flights_lock = threading.Lock()


def _flight(key):
    with _flights_lock:
        flight = _flights.get(key)
        if flight is None:
            flight = _flights[key] = _Flight()
        return flight


def _end_read():
    """Give the pooled connection back while the PDF is made: that can take seconds (the session stays usable)."""
    db.session.commit()


def _read_cached(path, digest):
    try:
        return SummaryPdf(data=path.read_bytes(), fingerprint=digest)
    except FileNotFoundError:
        return None


def _store(directory, prefix, path, pdf):
    """Write the PDF in one step (readers see all of it or nothing), then drop this PDF's older versions."""
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".pdf")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(pdf)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    for old in directory.glob(prefix + "-*.pdf"):
        if old != path:
            old.unlink(missing_ok=True)


def summary_pdf(workshop, group=None):
    """The workshop PDF (or the group's), from the cache when nothing it shows has changed.

    Returns None for a group no longer in the workshop. However many people ask at once (a
    room downloading after the release), each version is made once; the others wait for it.
    """
    digest = fingerprint(workshop, group)
    directory = cache_dir()
    prefix = _cache_prefix(workshop, group)
    path = directory / f"{prefix}-{digest[:40]}.pdf"
    cached = _read_cached(path, digest)
    if cached is not None:
        return cached
    _end_read()
    flight = _flight(str(path))  # held here: the registry keeps it only while someone does
    with flight.lock:
        cached = _read_cached(path, digest)
        if cached is not None:
            return cached
        if group is None:
            html = workshop_pdf_html(workshop)
        else:
            result = group_result(workshop, group)
            if result is None:
                return None
            html = group_pdf_html(workshop, result)
        _end_read()
        pdf = renderer_for(current_app.static_folder).render(html)
        _store(directory, prefix, path, pdf)
    return _read_cached(path, digest)


def start_renderer():
    """Start the PDF helper ahead of the first download, so its start-up is not the user's wait."""
    renderer_for(current_app.static_folder).start()


def download_name(*parts):
    """A file name people recognise (workshop title, group name) without characters file systems refuse."""
    text = " - ".join(p for p in parts if p)
    text = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]+', " ", text)
    text = " ".join(text.split())[:120].strip(" .") or "summary"
    return text + ".pdf"


# --- release ---------------------------------------------------------------------------------


def set_pdfs_released(workshop, released):
    """Let participants download the PDFs, or stop them again; tells open workspaces."""
    if released and workshop.pdfs_released_at is None:
        workshop.pdfs_released_at = utcnow()
    elif not released:
        workshop.pdfs_released_at = None
    db.session.commit()
    publish(workshop_channel(workshop.id), "pdfs-changed")
    return workshop
