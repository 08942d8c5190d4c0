"""What the facilitator and the groups share in the room while they work: one clock, messages, calls
for help and comments on a stage.

The facilitator's control room sets them; every group's workspace and the presenter show them.
Every function commits once and then tells the screens what changed, by event name only.
"""

from datetime import UTC, timedelta

from ..accounts.models import utcnow
from ..core.domain import DomainError
from ..extensions import db
from ..live.events import control_channel, group_channel, origin, publish, workshop_channel
from ..stages import state as stage_state
from ..stages.models import Stage
from .models import Broadcast, HelpRequest, StageComment, StageTimer

MAX_TIMER_MINUTES = 480
MAX_ADD_MINUTES = 120
MAX_MESSAGE = 500
MAX_COMMENT = 1000


def _refuse_if_finished(workshop):
    if workshop.is_finished:
        raise DomainError("finished")


# --- the timer ----------------------------------------------------------------------------------


def timer_of(workshop):
    return db.session.scalar(db.select(StageTimer).filter_by(workshop_id=workshop.id))


def aware(moment):

    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def timer_state(workshop, now=None):
    """What every screen shows: running or paused, seconds left, and the deadline to count down to."""
    timer = timer_of(workshop)
    now = now or utcnow()
    if timer is None or (timer.deadline is None and timer.remaining_seconds is None):
        return {
            "state": "stopped",
            "remaining": 0,
            "deadline": None,
            "stage_id": None,
            "duration": 0,
            "by_hand": False,
            "stage": None,
        }
    stage = db.session.get(Stage, timer.stage_id) if timer.stage_id else None
    if timer.deadline is not None:
        deadline = aware(timer.deadline)
        remaining = max(0, int(round((deadline - now).total_seconds())))
        return {
            "state": "running" if remaining else "ended",
            "remaining": remaining,
            "deadline": deadline,
            "stage_id": timer.stage_id,
            "duration": timer.duration_seconds,
            "by_hand": timer.by_hand,
            "stage": stage,
        }
    return {
        "state": "paused",
        "remaining": timer.remaining_seconds,
        "deadline": None,
        "stage_id": timer.stage_id,
        "duration": timer.duration_seconds,
        "by_hand": timer.by_hand,
        "stage": stage,
    }


def _timer_for_update(workshop):
    timer = timer_of(workshop)
    if timer is None:
        timer = StageTimer(workshop_id=workshop.id)
        db.session.add(timer)
    return timer


def announce_timer(workshop):
    """Every screen hears it once: the control room and the presenter listen to the workshop's channel too."""
    publish(workshop_channel(workshop.id), "timer-changed", origin())


def keeps_counting(workshop):
    """Whether a countdown the facilitator set by hand is still on: a stage's time box leaves it be."""
    state = timer_state(workshop)
    return state["by_hand"] and state["state"] in ("running", "paused")


def stop_for(workshop, stage):
    """The stage this countdown was for closed for everyone: nothing is left to count (not committed)."""
    timer = timer_of(workshop)
    if timer is not None and timer.stage_id == stage.id:
        timer.deadline = None
        timer.remaining_seconds = None
        return True
    return False


def check_minutes(minutes, limit):
    try:
        value = float(minutes)
    except (TypeError, ValueError):
        raise DomainError("bad-minutes") from None
    if not (0 < value <= limit) or value != value:
        raise DomainError("bad-minutes")
    return value


def count_down(workshop, seconds, stage=None, by_hand=False):
    """Count `seconds` down from now for `stage` (nothing committed: the caller's action commits)."""
    timer = _timer_for_update(workshop)
    timer.by_hand = by_hand
    timer.stage_id = stage.id if stage is not None else timer.stage_id
    timer.duration_seconds = int(seconds)
    timer.deadline = utcnow() + timedelta(seconds=int(seconds))
    timer.remaining_seconds = None


def start_timer(workshop, seconds, stage=None):
    """Count down `seconds` from now."""
    _refuse_if_finished(workshop)
    check_minutes(seconds / 60, MAX_TIMER_MINUTES)
    count_down(workshop, seconds, stage, by_hand=True)
    db.session.commit()
    announce_timer(workshop)


def pause_timer(workshop):
    state = timer_state(workshop)
    if state["state"] != "running":
        return
    timer = timer_of(workshop)
    timer.remaining_seconds = state["remaining"]
    timer.deadline = None
    db.session.commit()
    announce_timer(workshop)


def resume_timer(workshop):
    timer = timer_of(workshop)
    if timer is None or timer.remaining_seconds is None:
        return
    timer.deadline = utcnow() + timedelta(seconds=timer.remaining_seconds)
    timer.remaining_seconds = None
    db.session.commit()
    announce_timer(workshop)


def add_minutes(workshop, minutes):
    """More time for everyone, whether the timer runs, is paused, has ended or never started."""
    _refuse_if_finished(workshop)
    seconds = int(check_minutes(minutes, MAX_ADD_MINUTES) * 60)
    state = timer_state(workshop)
    timer = _timer_for_update(workshop)
    if state["state"] == "paused":
        timer.remaining_seconds += seconds
    else:
        if state["state"] == "stopped":  # nothing to add to: count down from now, for this stage
            stage = stage_state.current_stage(workshop)
            timer.stage_id = stage.id if stage is not None else timer.stage_id
        timer.deadline = utcnow() + timedelta(seconds=state["remaining"] + seconds)
        timer.remaining_seconds = None
    if state["remaining"] + seconds > MAX_TIMER_MINUTES * 60:
        db.session.rollback()
        raise DomainError("bad-minutes")
    timer.duration_seconds = max(timer.duration_seconds or 0, state["remaining"] + seconds)
    timer.by_hand = True
    db.session.commit()
    announce_timer(workshop)


def reset_timer(workshop):
    timer = timer_of(workshop)
    if timer is None:
        return
    timer.deadline = None
    timer.remaining_seconds = None
    db.session.commit()
    announce_timer(workshop)


# --- messages, help and comments ----------------------------------------------------------------


def _clean_text(text, limit, code):
    text = (text or "").strip()
    if not text:
        raise DomainError(f"{code}-empty")
    if len(text) > limit:
        raise DomainError(f"{code}-too-long")
    return text


def broadcast(workshop, text, author, group=None):
    """A short message on every group's screen, or on one group's."""
    text = _clean_text(text, MAX_MESSAGE, "message")
    if group is not None and group.workshop_id != workshop.id:
        raise DomainError("foreign-group")
    message = Broadcast(workshop_id=workshop.id, group_id=group.id if group else None, text=text, author=author)
    db.session.add(message)
    db.session.commit()
    if group is None:
        publish(workshop_channel(workshop.id), "message")  # the facilitators' screens hear it there too
    else:
        publish(group_channel(group.id), "message")
        publish(control_channel(workshop.id), "message")
    return message


def messages_for(workshop, group, limit=3):
    """The latest messages a group sees: those to everyone and those to it."""
    query = (
        db.select(Broadcast)
        .where(Broadcast.workshop_id == workshop.id)
        .where((Broadcast.group_id.is_(None)) | (Broadcast.group_id == (group.id if group else -1)))
        .order_by(Broadcast.created_at.desc(), Broadcast.id.desc())
        .limit(limit)
    )
    return db.session.scalars(query).all()


def recent_messages(workshop, limit=10):
    """The latest messages of the whole workshop, to every group or to one, newest first."""
    return db.session.scalars(
        db.select(Broadcast)
        .where(Broadcast.workshop_id == workshop.id)
        .order_by(Broadcast.created_at.desc(), Broadcast.id.desc())
        .limit(limit)
    ).all()


def ask_for_help(participant):
    """Raise the group's help flag (once: asking twice keeps one flag)."""
    group = participant.group
    request = db.session.scalar(db.select(HelpRequest).filter_by(group_id=group.id, cleared_at=None))
    if request is None:
        request = HelpRequest(workshop_id=group.workshop_id, group_id=group.id, participant_id=participant.id)
        db.session.add(request)
        db.session.commit()
    publish(control_channel(group.workshop_id), "help-changed")
    publish(group_channel(group.id), "help-changed")
    return request


def open_help_request(group):
    return db.session.scalar(db.select(HelpRequest).filter_by(group_id=group.id, cleared_at=None))


def open_help_requests(workshop):
    return db.session.scalars(
        db.select(HelpRequest).filter_by(workshop_id=workshop.id, cleared_at=None).order_by(HelpRequest.created_at)
    ).all()


def clear_help(workshop, group):
    """The facilitator went over: lower the group's flag."""
    request = open_help_request(group)
    if request is None or group.workshop_id != workshop.id:
        return
    request.cleared_at = utcnow()
    db.session.commit()
    publish(control_channel(workshop.id), "help-changed")
    publish(group_channel(group.id), "help-changed")


def comment_on_stage(workshop, group, stage, text, author):
    """The facilitator's note on one group's stage, shown to that group live."""
    text = _clean_text(text, MAX_COMMENT, "comment")
    if group.workshop_id != workshop.id or stage.process_id != workshop.process_id:
        raise DomainError("foreign-group")
    comment = StageComment(group_id=group.id, stage_id=stage.id, text=text, author=author)
    db.session.add(comment)
    db.session.commit()
    publish(group_channel(group.id), f"comments-{stage.id}")
    publish(control_channel(workshop.id), "comment")
    return comment


def comments_by_stage(group):
    """All the facilitator's comments to a group, keyed by stage: one query for a whole workspace."""
    return comments_by_group([group.id])[group.id]


def comments_by_group(group_ids):
    """Many groups' comments in one query: {group id: {stage id: [comments]}}."""
    found = {group_id: {} for group_id in group_ids}
    for comment in db.session.scalars(
        db.select(StageComment).where(StageComment.group_id.in_(group_ids)).order_by(StageComment.created_at)
    ):
        found[comment.group_id].setdefault(comment.stage_id, []).append(comment)
    return found


def comments_for(group, stage):
    return db.session.scalars(
        db.select(StageComment).filter_by(group_id=group.id, stage_id=stage.id).order_by(StageComment.created_at)
    ).all()
