"""Saving what groups write: versioned, never silently overwritten, every version kept."""

import json
from dataclasses import dataclass
from functools import cache

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from ..accounts.models import utcnow
from ..extensions import db
from ..live.events import control_channel, group_channel, publish
from ..stages import state as stage_state
from ..stages.models import FieldKind
from .merging import merge_texts
from .models import Answer, AnswerRevision

#: Longest answer a field takes; longer text is refused with a message and stays on screen.
MAX_ANSWER_LENGTH = 20_000


class SaveRefused(Exception):
    """The save cannot be applied at all (closed stage, too long...); `code` says why."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


@dataclass
class Conflict:
    """The save was based on an old version: both texts, so the user can choose or merge."""

    answer: Answer
    mine: str
    theirs: str

    @property
    def merged(self):
        """What the merge editor starts from."""
        return merge_texts(self.theirs, self.mine)


@cache
def _answer_query():
    """Statements every autosave runs are built once (on first use, when every model is known):
    building one costs about as much as running it."""
    return db.select(Answer).where(
        Answer.group_id == db.bindparam("group_id"), Answer.field_id == db.bindparam("field_id")
    )


@cache
def _answer_update():
    """The version check and the write in one statement (see save_answer); it names the answer
    by group and field, so the usual save needs no read first."""
    return (
        db.update(Answer)
        .where(
            Answer.group_id == db.bindparam("of_group"),
            Answer.field_id == db.bindparam("of_field"),
            Answer.version == db.bindparam("base_version"),
        )
        .values(
            value=db.bindparam("new_value"),
            version=db.bindparam("new_version"),
            updated_by=db.bindparam("author"),
            updated_at=db.bindparam("now"),
        )
        .returning(Answer.id)
        .execution_options(synchronize_session=False)
    )


@cache
def _revision_insert():
    return db.insert(AnswerRevision.__table__)


def answer_for(group, field):
    return db.session.execute(_answer_query(), {"group_id": group.id, "field_id": field.id}).scalar_one_or_none()


def answers_of(group):
    """The group's answers keyed by field id."""
    return answers_of_groups([group.id])[group.id]


def answers_of_groups(group_ids):
    """Many groups' answers in one query: {group id: {field id: answer}} (a stage change's news)."""
    found = {group_id: {} for group_id in group_ids}
    for answer in db.session.scalars(db.select(Answer).where(Answer.group_id.in_(group_ids))):
        found[answer.group_id][answer.field_id] = answer
    return found


def normalise_text(value):
    return (value or "").replace("\r\n", "\n").replace("\r", "\n")


def _update(group, field, value, base_version, author, now):
    """The conditional UPDATE: the row it changed, or None when the answer is not at `base_version`."""
    return db.session.execute(
        _answer_update(),
        {
            "of_group": group.id,
            "of_field": field.id,
            "base_version": base_version,
            "new_value": value,
            "new_version": base_version + 1,
            "author": author,
            "now": now,
        },
    ).first()


def _only_theirs_since(answer, base_version, participant_id):
    """Whether every version of `answer` after `base_version` was saved by this participant."""
    others = db.session.scalar(
        db.select(db.func.count(AnswerRevision.id)).where(
            AnswerRevision.answer_id == answer.id,
            AnswerRevision.version > base_version,
            db.or_(AnswerRevision.participant_id.is_(None), AnswerRevision.participant_id != participant_id),
        )
    )
    return base_version >= 0 and others == 0


def save_answer(
    workshop, group, field, value, base_version, author, participant_id=None, typed_at=None, overrides=None
):
    """Store `value` if it is based on the current version; else return a Conflict.

    The version check and the write are one conditional UPDATE, so two saves racing from two
    processes can never both win. `typed_at`: when the author last typed in the field; a stage
    that closed seconds ago still takes the save if they were typing then (stages.state.refusal).
    `overrides`: the group's own stage states, when the caller has read them already.
    """
    value = normalise_text(value)
    refused = stage_state.refusal(field.stage, group, workshop, typed_at=typed_at, overrides=overrides)
    if refused:
        raise SaveRefused(refused)
    if len(value) > MAX_ANSWER_LENGTH:
        raise SaveRefused("too-long")
    if field.kind == FieldKind.CHOICE.value and value and value not in {c["value"] for c in field.choices or ()}:
        raise SaveRefused("not-a-choice")
    now = utcnow()
    updated = _update(group, field, value, base_version, author, now)
    if updated is None and participant_id is not None:
        # Built on a version older than the current one, but every version since is this same
        # person's: a save whose answer the Wi-Fi lost, then typed on. Nobody else's words are
        # in between, so nothing is overwritten (each version stays in the history).
        current = answer_for(group, field)
        if current is not None and current.value != value and _only_theirs_since(current, base_version, participant_id):
            base_version = current.version
            updated = _update(group, field, value, base_version, author, now)
    if updated is not None:
        # The row now holds these values: the answer is told so rather than read back (and one
        # this session read before, if any, learns them too).
        answer = db.session.identity_map.get(identity_key(Answer, updated.id)) or Answer(
            id=updated.id, group_id=group.id, field_id=field.id
        )
        for key, new_value in (
            ("value", value),
            ("version", base_version + 1),
            ("updated_by", author),
            ("updated_at", now),
        ):
            set_committed_value(answer, key, new_value)
    else:
        answer = answer_for(group, field)
        if answer is not None:
            if answer.value == value:
                return answer  # the same text arrived twice (a retry): nothing to do
            return Conflict(answer=answer, mine=value, theirs=answer.value)
        # No answer yet, whatever version the page thought it had: there is no text to overwrite.
        answer = Answer(group_id=group.id, field_id=field.id, value=value, version=1, updated_by=author)
        db.session.add(answer)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            answer = answer_for(group, field)
            return Conflict(answer=answer, mine=value, theirs=answer.value)
    # A plain INSERT: nothing in this request reads the revision back, so the unit of work can skip it.
    db.session.execute(
        _revision_insert(),
        {
            "answer_id": answer.id,
            "version": answer.version,
            "value": value,
            "author": author,
            "participant_id": participant_id,
            "created_at": utcnow(),
        },
    )
    db.session.commit()
    publish(group_channel(group.id), f"field-{field.id}", live_payload(answer))
    publish(control_channel(workshop.id), "answer-saved", f"{group.id}:{field.id}")
    return answer


#: Texts up to this long travel inside the live event, so teammates need no extra request.
LIVE_TEXT_LIMIT = 2_000


def live_payload(answer):
    """The event's data: the version and, for ordinary lengths, the text and who saved it.

    It is JSON, never HTML: the page puts it into the field's value. Longer texts are fetched
    as the field's fragment instead, which keeps each channel's replay buffer small.
    """
    payload = {"v": answer.version}
    if len(answer.value) <= LIVE_TEXT_LIMIT:
        payload.update(t=answer.value, by=answer.updated_by)
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def revisions_of(answer):
    """Every saved version, newest first."""
    return db.session.scalars(
        db.select(AnswerRevision).filter_by(answer_id=answer.id).order_by(AnswerRevision.version.desc())
    ).all()


def restore_revision(workshop, group, field, revision, author, participant_id=None):
    """Make an old version current again, as a new version of its own."""
    answer = answer_for(group, field)
    result = save_answer(workshop, group, field, revision.value, answer.version, author, participant_id)
    if isinstance(result, Answer):
        latest = db.session.scalar(db.select(AnswerRevision).filter_by(answer_id=answer.id, version=result.version))
        latest.restored_from = revision.version
        db.session.commit()
    return result
