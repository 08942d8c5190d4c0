"""Join codes: short, unambiguous, unique among workshops that are still open."""

import secrets

from sqlalchemy.exc import IntegrityError

from ..extensions import db
from .models import Workshop, WorkshopStatus

#: No 0/O, 1/I/L, 2/Z, 5/S, 8/B: easy to read off a projector and type on a phone.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
LENGTH = 6


def normalise_code(code):
    """What people type: any case, spaces or dashes."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def new_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def code_in_use(code, except_workshop_id=None):
    query = db.select(Workshop.id).where(Workshop.join_code == code, Workshop.status != WorkshopStatus.FINISHED.value)
    if except_workshop_id is not None:
        query = query.where(Workshop.id != except_workshop_id)
    return db.session.scalar(query) is not None


def assign_join_code(workshop, attempts=20):
    """Give the workshop a fresh code; the partial unique index settles any race."""
    for _ in range(attempts):
        code = new_code()
        if code == workshop.join_code or code_in_use(code, workshop.id):
            continue
        workshop.join_code = code
        try:
            with db.session.begin_nested():
                db.session.flush()
        except IntegrityError:
            continue
        return code
    raise RuntimeError("could not find a free join code")


def find_open_workshop(code):
    """The open workshop a typed code names, or None."""
    code = normalise_code(code)
    if not code:
        return None
    return db.session.scalar(
        db.select(Workshop).where(Workshop.join_code == code, Workshop.status != WorkshopStatus.FINISHED.value)
    )
