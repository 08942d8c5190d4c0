"""The results register as plain functions: rows, a group's result into a row, imports.

A row's service is stored as a category key plus a description; spreadsheets and the seed write
it as one text, "Е-включване: Обучение на хора с двигателни увреждания", which `split_service`
reads and `service_text` writes.
"""

import json
import re
import secrets
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from flask import current_app

from ..core.domain import DomainError
from ..extensions import db
from ..groups.models import Group
from ..stages.categories import SERVICE_CATEGORIES, category_label
from ..stages.default_template import CATEGORY_CHOICES, CATEGORY_KEYS
from ..summaries.results import group_results
from .models import RegisterEntry

MAX_LIBRARY_NUMBER = 2_147_483_647  # the largest value of the INTEGER column on PostgreSQL
MAX_NAME = 200
MAX_PLACE = 120
MAX_DESCRIPTION = 2000
MAX_TARGET = 300

#: The text fields a row has, with their length limits.
TEXT_LIMITS = {
    "library_name": MAX_NAME,
    "municipality": MAX_PLACE,
    "settlement": MAX_PLACE,
    "service_description": MAX_DESCRIPTION,
    "target_group": MAX_TARGET,
}

#: Parsed rows wait this long for the user to confirm importing only the valid ones.
PENDING_IMPORT_SECONDS = 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


#: The register's refusals are DomainErrors; the name stays for the callers that know it.
RegisterError = DomainError


# --- the service text ------------------------------------------------------------------------

_DASHES = "-‐‑‒–—―"
#: "E-something" before a colon: meant as a category even if we do not know it.
_CATEGORY_LIKE = re.compile(r"^[EЕeе]\s*[" + _DASHES + r"]\s*[^\W\d_]{2,30}$")


def _label_key(text):
    """Compare labels as people type them: any case, spaces and dashes, a Latin or Cyrillic E."""
    folded = text.casefold().replace("e", "е")
    return "".join(c for c in folded if not c.isspace() and c not in _DASHES)


#: Every category label in every language, as compared, -> its key.
_LABELS = {
    _label_key(label): key
    for labels in CATEGORY_CHOICES.values()
    for key, label in zip(CATEGORY_KEYS, labels, strict=True)
}


class UnknownCategory(ValueError):
    """The text starts with something like "Е-космос:" that is no category of the programme."""

    def __init__(self, label):
        super().__init__(label)
        self.label = label


def split_service(text):
    """("e-inclusion", "Обучение …") from "Е-включване: Обучение …"; (None, text) when no category leads it."""
    text = (text or "").strip()
    if not text:
        return None, ""
    head, colon, rest = text.partition(":")
    head = head.strip()
    key = _LABELS.get(_label_key(head)) if head else None
    if key is not None:
        return key, rest.strip()
    if colon and _CATEGORY_LIKE.match(head):
        raise UnknownCategory(head)
    return None, text


def service_text(entry, locale):
    """The row's service as the seed writes it, with the category named in `locale`."""
    label = category_label(entry.service_category, locale) if entry.service_category else ""
    description = entry.service_description or ""
    if label and description:
        return f"{label}: {description}"
    return label or description


def has_service(entry):
    """Whether the row names a service yet (a category, a description or both)."""
    return bool(entry.service_category or entry.service_description)


# --- rows --------------------------------------------------------------------------------------


def entries_of(workshop):
    """The workshop's register rows in their order."""
    return db.session.scalars(
        db.select(RegisterEntry).filter_by(workshop_id=workshop.id).order_by(RegisterEntry.position, RegisterEntry.id)
    ).all()


def find_entry(entry_id):
    """A row by its id, whichever workshop it belongs to (views check that)."""
    return db.session.get(RegisterEntry, entry_id)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(text):
    """Trimmed text without control characters (a spreadsheet cannot hold them); newlines stay."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def _values(
    library_number,
    library_name,
    municipality="",
    settlement="",
    service_category=None,
    service_description="",
    target_group="",
):
    """One row's values, cleaned and checked: what add_entry and update_entry take after the row."""
    values = {
        "library_number": library_number,
        "library_name": clean_text(library_name),
        "municipality": clean_text(municipality),
        "settlement": clean_text(settlement),
        "service_category": service_category or None,
        "service_description": clean_text(service_description),
        "target_group": clean_text(target_group),
    }
    number = values["library_number"]
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise DomainError("bad-id", "library_number")
    if number > MAX_LIBRARY_NUMBER:
        raise DomainError("id-too-large", "library_number", max=MAX_LIBRARY_NUMBER)
    if not values["library_name"]:
        raise DomainError("name-required", "library_name")
    for name, limit in TEXT_LIMITS.items():
        if len(values[name]) > limit:
            raise DomainError("too-long", name, max=limit)
    if values["service_category"] is not None and values["service_category"] not in SERVICE_CATEGORIES:
        raise DomainError("unknown-category", "service_category")
    return values


def _check_unique(workshop_id, library_number, entry=None):
    """One row per library: its ID may not be on another row of the register."""
    query = db.select(RegisterEntry.id).filter_by(workshop_id=workshop_id, library_number=library_number)
    if entry is not None:
        query = query.where(RegisterEntry.id != entry.id)
    if db.session.scalar(query.limit(1)) is not None:
        raise DomainError("duplicate-id", "library_number", number=library_number)


def _next_position(workshop):
    last = db.session.scalar(db.select(db.func.max(RegisterEntry.position)).filter_by(workshop_id=workshop.id))
    return 0 if last is None else last + 1


def add_entry(workshop, *row, **fields):
    """Append a library's row (the fields of `_values`); its ID must not be in the register yet."""
    values = _values(*row, **fields)
    _check_unique(workshop.id, values["library_number"])
    entry = RegisterEntry(workshop_id=workshop.id, position=_next_position(workshop), **values)
    db.session.add(entry)
    db.session.commit()
    return entry


def update_entry(entry, *row, **fields):
    """Save an edited row; a changed service no longer comes from the group that filled it."""
    values = _values(*row, **fields)
    _check_unique(entry.workshop_id, values["library_number"], entry)
    _apply(entry, values)
    db.session.commit()
    return entry


def _apply(entry, values):
    """Write values onto a row; returns whether anything changed."""
    service = ("service_category", "service_description", "target_group")
    if any(getattr(entry, name) != values[name] for name in service):
        entry.group_id = None
    changed = any(getattr(entry, name) != value for name, value in values.items())
    for name, value in values.items():
        setattr(entry, name, value)
    return changed


def delete_entry(entry):
    """Remove a row from the register."""
    db.session.delete(entry)
    db.session.commit()


def fill_from_group(workshop, group, entry=None, **new_row):
    """Put a group's result (category, one-line service, target group) into a row, or a new row.

    `new_row` gives the library ID, name, municipality and settlement when `entry` is None.
    """
    result = next((r for r in group_results(workshop) if r.group.id == group.id), None)
    if result is None:
        raise DomainError("unknown-group", "group")
    if result.is_empty:
        raise DomainError("group-has-no-result", "group", group=group.name)
    description = clean_text(result.service or result.description.split("\n", 1)[0])[:MAX_DESCRIPTION]
    service = {
        "service_category": result.category if result.category in SERVICE_CATEGORIES else None,
        "service_description": description,
        "target_group": clean_text(result.target_group)[:MAX_TARGET],
    }
    if entry is None:
        values = _values(
            new_row.get("library_number"),
            new_row.get("library_name", ""),
            new_row.get("municipality", ""),
            new_row.get("settlement", ""),
            **service,
        )
        _check_unique(workshop.id, values["library_number"])
        entry = RegisterEntry(workshop_id=workshop.id, position=_next_position(workshop), **values)
        db.session.add(entry)
    else:
        for name, value in service.items():
            setattr(entry, name, value)
    entry.group_id = group.id
    db.session.commit()
    return entry


def groups_of(workshop):
    """The groups whose results can fill a row, keyed by id."""
    return {r.group.id: r for r in group_results(workshop)}


def group_in(workshop, group_id):
    """The workshop's own group with this id, or None."""
    group = db.session.get(Group, group_id)
    if group is None or group.workshop_id != workshop.id:
        return None
    return group


# --- imports -----------------------------------------------------------------------------------


@dataclass
class ImportRow:
    """One valid row of an imported file, as plain values (it may wait in the pending store)."""

    row_number: int
    library_number: int
    library_name: str
    municipality: str = ""
    settlement: str = ""
    service_category: str | None = None
    service_description: str = ""
    target_group: str = ""

    def values(self):
        data = asdict(self)
        del data["row_number"]
        return data


@dataclass
class ImportOutcome:
    """What an import did, by library ID."""

    added: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    #: (row number, library ID) of rows left out because the register holds that ID twice.
    skipped: list = field(default_factory=list)

    @property
    def count(self):
        return len(self.added) + len(self.updated) + len(self.unchanged)


def import_rows(workshop, rows):
    """Append new libraries and update the rows whose library ID is already in the register.

    New rows go in as one bulk INSERT: a row object each kept the event loop for a second at 2,000 rows.
    """
    outcome = ImportOutcome()
    by_number = {}
    for entry in entries_of(workshop):
        by_number.setdefault(entry.library_number, []).append(entry)
    position = _next_position(workshop)
    new = {}
    for row in rows:
        values = _values(**row.values())
        found = by_number.get(row.library_number, [])
        if len(found) > 1:
            outcome.skipped.append((row.row_number, row.library_number))
        elif found:
            if _apply(found[0], values):
                outcome.updated.append(row.library_number)
            else:
                outcome.unchanged.append(row.library_number)
        elif row.library_number in new:  # twice in the rows: the later one wins, as an update would
            kept = new[row.library_number]
            changed = any(kept[name] != value for name, value in values.items())
            kept.update(values)
            (outcome.updated if changed else outcome.unchanged).append(row.library_number)
        else:
            new[row.library_number] = dict(values, workshop_id=workshop.id, position=position)
            position += 1
            outcome.added.append(row.library_number)
    if new:
        db.session.execute(db.insert(RegisterEntry), list(new.values()))
    db.session.commit()
    return outcome


def _pending_dir():
    configured = current_app.config.get("REGISTER_IMPORT_DIR")
    path = Path(configured) if configured else Path(current_app.instance_path) / "register-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _forget_old_imports(directory, now):
    for path in directory.glob("*.json"):
        try:
            if now - path.stat().st_mtime > PENDING_IMPORT_SECONDS:
                path.unlink()
        except OSError:  # another process removed it first
            pass


def keep_pending_import(workshop, facilitator, rows, filename=""):
    """Keep a file's valid rows server-side until the user confirms them; returns the token naming them."""
    directory = _pending_dir()
    now = time.time()
    _forget_old_imports(directory, now)
    token = secrets.token_urlsafe(32)
    payload = {
        "workshop_id": workshop.id,
        "facilitator_id": facilitator.id,
        "created": now,
        "filename": filename,
        "rows": [asdict(row) for row in rows],
    }
    (directory / f"{token}.json").write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return token


def _pending_path(token):
    if not token or not _TOKEN.match(token):
        return None
    return _pending_dir() / f"{token}.json"


def pending_import(workshop, facilitator, token):
    """The rows kept under `token` for this workshop and facilitator; None if gone or expired."""
    path = _pending_path(token)
    if path is None:
        return None
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if payload.get("workshop_id") != workshop.id or payload.get("facilitator_id") != facilitator.id:
        return None
    if time.time() - payload.get("created", 0) > PENDING_IMPORT_SECONDS:
        discard_pending_import(token)
        return None
    return [ImportRow(**row) for row in payload["rows"]]


def discard_pending_import(token):
    """Forget a pending import (done or abandoned)."""
    path = _pending_path(token)
    if path is not None:
        path.unlink(missing_ok=True)


def import_pending(workshop, facilitator, token):
    """Import the kept valid rows once; None if they are no longer kept."""
    rows = pending_import(workshop, facilitator, token)
    if rows is None:
        return None
    try:
        _pending_path(token).unlink()
    except FileNotFoundError:  # a second click got there first: import once only
        return None
    return import_rows(workshop, rows)
