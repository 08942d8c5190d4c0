"""Templates and snapshots: copying processes stage by stage, field by field."""

from ..extensions import db
from . import default_template
from .models import Process, Stage, StageField


def build_default_process(locale, owner_id=None, is_template=True):
    """A new Process holding the 8-stage service-design template in one language."""
    process = Process(
        owner_id=owner_id, is_template=is_template, name=default_template.NAME[locale], locale=locale
    )
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
    """A deep copy: later edits of either side never reach the other."""
    process = Process(
        owner_id=owner_id, is_template=is_template, name=name or source.name, locale=source.locale
    )
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
