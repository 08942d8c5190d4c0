"""Templates and snapshots: copying processes stage by stage, field by field, and editing them."""

import re
import unicodedata

from flask import abort

from ..core.domain import DomainError
from ..extensions import db
from ..workshops.models import WorkshopStatus
from . import default_template
from .models import FieldKind, Process, Stage, StageField


def build_default_process(locale, owner_id=None, is_template=True):
    """A new Process holding the 8-stage service-design template in one language."""
    process = Process(owner_id=owner_id, is_template=is_template, name=default_template.NAME[locale], locale=locale)
    for position, spec in enumerate(default_template.STAGES):
        stage = Stage(
            position=position,
            title=spec["title"][locale],
            prompt=spec["prompt"][locale],
            time_box_minutes=spec["minutes"],
        )
        for field_position, (key, kind, label, help_text) in enumerate(spec["fields"]):
            stage.fields.append(
                StageField(
                    position=field_position,
                    key=key,
                    kind=kind.value,
                    label=label[locale],
                    help=help_text[locale],
                    choices=default_template.category_choices(locale) if key == "category" else None,
                )
            )
        process.stages.append(stage)
    db.session.add(process)
    return process


def copy_process(source, owner_id=None, is_template=True, name=None):
    """A deep copy: later edits of either side never reach the other.

    A stage's runtime state (open, closed) stays behind: it belongs to the workshop that ran it,
    so every copy, template or snapshot, starts with its stages locked.
    """
    process = Process(owner_id=owner_id, is_template=is_template, name=name or source.name, locale=source.locale)
    for stage in source.stages:
        copy = Stage(
            position=stage.position, title=stage.title, prompt=stage.prompt, time_box_minutes=stage.time_box_minutes
        )
        for field in stage.fields:
            copy.fields.append(
                StageField(
                    position=field.position,
                    key=field.key,
                    kind=field.kind,
                    label=field.label,
                    help=field.help,
                    choices=list(field.choices) if field.choices else None,
                )
            )
        process.stages.append(copy)
    db.session.add(process)
    return process


def templates_of(facilitator):
    """The facilitator's own templates, newest first."""
    return db.session.scalars(
        db.select(Process)
        .filter_by(owner_id=facilitator.id, is_template=True)
        .order_by(Process.created_at.desc(), Process.id.desc())
    ).all()


# --- Editing templates and snapshots -------------------------------------------------------------

MAX_NAME = 200
MAX_TITLE = 200
MAX_LABEL = 200
MAX_PROMPT = 4000
MAX_HELP = 1000
MAX_CHOICE = 200
MAX_CHOICES = 50
MIN_MINUTES = 1
MAX_MINUTES = 480
MAX_STAGES = 30
MAX_FIELDS = 20
#: Room left in StageField.key (40) for a "_99" suffix.
MAX_KEY_STEM = 36

KINDS = tuple(kind.value for kind in FieldKind)


# Polish letters that do not decompose, and Bulgarian Cyrillic (the official streamlined system).
_TRANSLITERATION = {
    "ł": "l",
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "h",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "sht",
    "ъ": "a",
    "ь": "y",
    "ю": "yu",
    "я": "ya",
}


def slugify(text, separator="_"):
    """Plain ASCII words joined by `separator`: 'Целева група' -> 'tseleva_grupa'."""
    text = "".join(_TRANSLITERATION.get(ch, ch) for ch in (text or "").lower())
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", separator, text).strip(separator)


def _unique(stem, taken, separator, limit, fallback="field"):
    stem = (stem[:limit].rstrip(separator)) or fallback
    candidate, number = stem, 2
    while candidate in taken:
        candidate = f"{stem}{separator}{number}"
        number += 1
    return candidate


def field_key(process, label):
    """A stable key for a new field: the label's slug, unique within the whole process."""
    taken = {field.key for stage in process.stages for field in stage.fields}
    return _unique(slugify(label, "_"), taken, "_", MAX_KEY_STEM)


def _text(value, limit, field, empty_code=None, long_code="too-long"):
    value = (value or "").strip()
    if empty_code and not value:
        raise DomainError(empty_code, field)
    if len(value) > limit:
        raise DomainError(long_code, field, max=limit)
    return value


def _minutes(value):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_MINUTES <= value <= MAX_MINUTES:
        raise DomainError("bad-time-box", "time_box")
    return value


def build_choices(labels, previous=None):
    """[{value, label}] from one label per entry, keeping the values of labels that already existed."""
    labels = [label.strip() for label in labels if label and label.strip()]
    if not labels:
        raise DomainError("no-choices", "choices")
    if len(labels) > MAX_CHOICES:
        raise DomainError("too-many-choices", "choices", max=MAX_CHOICES)
    if any(len(label) > MAX_CHOICE for label in labels):
        raise DomainError("long-choice", "choices", max=MAX_CHOICE)
    if len({label.casefold() for label in labels}) != len(labels):
        raise DomainError("duplicate-choice", "choices")
    known = {choice["label"]: choice["value"] for choice in previous or []}
    taken = set()
    choices = []
    for label in labels:
        value = known.get(label)
        if value is None or value in taken:
            value = _unique(slugify(label, "-"), taken | set(known.values()), "-", MAX_KEY_STEM, "choice")
        taken.add(value)
        choices.append({"value": value, "label": label})
    return choices


def _kind(kind):
    if kind not in KINDS:
        raise DomainError("bad-kind", "kind")
    return kind


def _renumber(items):
    for position, item in enumerate(items):
        item.position = position


def _answer_count(field_ids):
    if not field_ids:
        return 0
    return db.session.scalar(
        db.select(db.func.count()).select_from(StageField).join(StageField.answers).where(StageField.id.in_(field_ids))
    )


def process_has_answers(process):
    """Whether any group has written into this process's fields: then its shape must stay."""
    return _answer_count([field.id for stage in process.stages for field in stage.fields]) > 0


def check_usable(process):
    """Refuse a process that a workshop cannot run: no stages, or a stage without fields."""
    if not process.stages:
        raise DomainError("no-stages")
    if any(not stage.fields for stage in process.stages):
        raise DomainError("stage-without-fields")


def template_for(facilitator, process_id):
    """The facilitator's own template; 404 for anyone else's, and for snapshots."""
    process = db.session.get(Process, process_id)
    if process is None or not process.is_template or process.owner_id != facilitator.id:
        abort(404)
    return process


def copy_default_template(owner, locale):
    """The built-in 8-stage template, copied into the facilitator's own templates in one language."""
    if locale not in default_template.NAME:
        raise DomainError("bad-locale", "locale")
    process = build_default_process(locale, owner_id=owner.id, is_template=True)
    db.session.commit()
    return process


def copy_template(template, owner, name):
    """A new template of the owner's, copied from one of their templates under a new name."""
    check_usable(template)
    process = copy_process(template, owner_id=owner.id, is_template=True, name=name[:MAX_NAME])
    db.session.commit()
    return process


def delete_template(template):
    """Remove a template; workshops made from it keep their own snapshots."""
    db.session.delete(template)
    db.session.commit()


def rename_process(process, name):
    """Give the template (or snapshot) a new name; the process comes back."""
    process.name = _text(name, MAX_NAME, "name", "no-name")
    db.session.commit()
    return process


def add_stage(process, title):
    """Append a stage; it starts with one long-text field so groups always have somewhere to write."""
    title = _text(title, MAX_TITLE, "title", "no-title")
    if len(process.stages) >= MAX_STAGES:
        raise DomainError("too-many-stages", "title", max=MAX_STAGES)
    stage = Stage(position=len(process.stages), title=title, prompt="", time_box_minutes=None)
    stage.fields.append(
        StageField(position=0, key=field_key(process, title), label=title, kind=FieldKind.LONG_TEXT.value, help="")
    )
    process.stages.append(stage)
    db.session.commit()
    return stage


def update_stage(stage, title, prompt, minutes):
    """Rename a stage and change its prompt and time box (minutes: 1..480 or None); the stage comes back."""
    title = _text(title, MAX_TITLE, "title", "no-title")
    prompt = _text(prompt, MAX_PROMPT, "prompt")
    stage.time_box_minutes = _minutes(minutes)
    stage.title, stage.prompt = title, prompt
    db.session.commit()
    return stage


def _move(parent, children, item, offset):
    """Swap `item` with its neighbour in `parent.<children>`; False if it is already at that end."""
    items = list(getattr(parent, children))
    index = items.index(item)
    target = index + offset
    moved = offset in (-1, 1) and 0 <= target < len(items)
    if moved:
        items[index], items[target] = items[target], items[index]
        _renumber(items)
    db.session.commit()
    # Objects outlive the commit: reload the list so it follows the new positions.
    db.session.expire(parent, [children])
    return moved


def _remove(items, item, answered, last_code, answered_code):
    """Take `item` out of `items` and renumber the rest; refused for the last one and for one groups answered."""
    if len(items) <= 1:
        raise DomainError(last_code)
    if _answer_count(answered):
        raise DomainError(answered_code)
    items.remove(item)
    _renumber(items)
    db.session.commit()


def move_stage(stage, offset):
    """Swap the stage with its neighbour (offset -1 up, +1 down); False if it is already at that end."""
    return _move(stage.process, "stages", stage, offset)


def remove_stage(stage):
    """Remove a stage and its fields; refuses the last stage and a stage groups have answered."""
    answered = [field.id for field in stage.fields]
    _remove(stage.process.stages, stage, answered, "last-stage", "stage-has-answers")


def add_field(stage, label, kind, choices=None):
    """Append a field with a key derived from its label; a choice field needs its choices."""
    label = _text(label, MAX_LABEL, "label", "no-label")
    kind = _kind(kind)
    built = build_choices(choices or []) if kind == FieldKind.CHOICE.value else None
    if len(stage.fields) >= MAX_FIELDS:
        raise DomainError("too-many-fields", "label", max=MAX_FIELDS)
    field = StageField(
        position=len(stage.fields),
        key=field_key(stage.process, label),
        label=label,
        kind=kind,
        help="",
        choices=built,
    )
    stage.fields.append(field)
    db.session.commit()
    return field


def update_field(field, label, kind, help_text, choices=None):
    """Change a field's label, kind, help and (for choice fields) choices; its key stays, the field comes back."""
    label = _text(label, MAX_LABEL, "label", "no-label")
    kind = _kind(kind)
    help_text = _text(help_text, MAX_HELP, "help")
    built = build_choices(choices or [], field.choices) if kind == FieldKind.CHOICE.value else None
    field.label, field.kind, field.help, field.choices = label, kind, help_text, built
    db.session.commit()
    return field


def move_field(field, offset):
    """Swap the field with its neighbour in the stage; False if it is already at that end."""
    return _move(field.stage, "fields", field, offset)


def remove_field(field):
    """Remove a field; refuses a stage's last field and a field groups have answered."""
    _remove(field.stage.fields, field, [field.id], "last-field", "field-has-answers")


def snapshot_editable(workshop):
    """A workshop's own process may change only while the workshop is still a draft."""
    return workshop.status == WorkshopStatus.DRAFT.value


def replace_workshop_process(workshop, template=None, locale=None):
    """Give a draft workshop a fresh snapshot of a template (or of the built-in one in `locale`).

    The snapshot is a copy, never a link: later edits of the template do not reach the workshop.
    Refused once groups have written answers, since they would lose them.
    """
    if not snapshot_editable(workshop):
        raise DomainError("not-draft")
    old = workshop.process
    if old is not None and process_has_answers(old):
        raise DomainError("has-answers")
    if template is not None:
        check_usable(template)
        fresh = copy_process(template, is_template=False)
    elif locale in default_template.NAME:
        fresh = build_default_process(locale, is_template=False)
    else:
        raise DomainError("bad-source", "source")
    workshop.process = fresh
    if old is not None:
        db.session.delete(old)
    db.session.commit()
    return fresh
