"""Each group's result as the seeds publish it: category, one-line service, target group.

One place that reads answers by their stable field keys, used by the presenter view, the PDFs,
the report and the register, so all of them say the same thing.
"""

from dataclasses import dataclass, field

from flask_babel import force_locale

from ..answers.models import Answer
from ..extensions import db
from ..groups.models import Group
from ..participants.models import Participant
from ..stages.categories import category_label
from ..stages.models import Stage, StageField


@dataclass
class StageResult:
    stage: Stage
    #: (field, text shown for it) in order; choice fields show their label, not their key.
    answers: list = field(default_factory=list)


@dataclass
class GroupResult:
    group: Group
    category: str | None
    category_label: str
    service: str
    description: str
    target_group: str
    spokesperson: str | None
    members: list
    stages: list

    @property
    def is_empty(self):
        return not (self.service or self.target_group or self.category)


def _shown(field_, value):
    if field_.kind == "choice":
        return next((c["label"] for c in field_.choices or () if c["value"] == value), value)
    return value


def group_results(workshop, locale=None):
    """Every active group's result, in group order; labels in `locale` (default: the workshop's)."""
    locale = locale or workshop.locale
    stages = db.session.scalars(
        db.select(Stage).filter_by(process_id=workshop.process_id).order_by(Stage.position)
    ).all()
    groups = db.session.scalars(
        db.select(Group).filter_by(workshop_id=workshop.id, archived_at=None).order_by(Group.position, Group.id)
    ).all()
    values = {
        (a.group_id, a.field_id): a.value
        for a in db.session.scalars(
            db.select(Answer)
            .join(StageField, Answer.field_id == StageField.id)
            .join(Stage, StageField.stage_id == Stage.id)
            .where(Stage.process_id == workshop.process_id)
        )
    }
    people = db.session.scalars(
        db.select(Participant).filter_by(workshop_id=workshop.id, removed_at=None).order_by(Participant.display_name)
    ).all()
    results = []
    with force_locale(locale):
        for group in groups:
            by_key = {}
            stage_results = []
            for stage in stages:
                result = StageResult(stage)
                for f in stage.fields:
                    value = values.get((group.id, f.id), "")
                    by_key.setdefault(f.key, value)
                    result.answers.append((f, _shown(f, value)))
                stage_results.append(result)
            category = by_key.get("category") or group.service_category
            members = [p for p in people if p.group_id == group.id]
            results.append(
                GroupResult(
                    group=group,
                    category=category or None,
                    category_label=category_label(category, locale) if category else "",
                    service=by_key.get("service_name", ""),
                    description=by_key.get("description", ""),
                    target_group=by_key.get("target_group", ""),
                    spokesperson=next((p.display_name for p in members if p.is_spokesperson), None),
                    members=[p.display_name for p in members],
                    stages=stage_results,
                )
            )
    return results


def count_by(results, attribute):
    """How many groups chose each value (e.g. category_label), largest first, empty ones left out."""
    counts = {}
    for result in results:
        value = getattr(result, attribute)
        if value:
            counts[value] = counts.get(value, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
