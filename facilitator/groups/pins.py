"""Group PINs: what lets a member who lost their device's cookie take their seat back.

Only the facilitator sees a group's PIN (groups page, the printable PIN sheet, the control
room); members ask the facilitator for it. Why 8 digits is enough:

- There are 10^8 = 100,000,000 PINs. Digits, because a phone then shows its number pad and
  "4821 7730" is read aloud the same way in Polish, Bulgarian and English.
- Wrong PINs are limited per group *and* per address (PIN_RATE_LIMIT, default
  "10 per hour;30 per day"; participants/joining.py). From any number of addresses, one group
  takes at most 30 wrong PINs a day, so over a two-day workshop at most 60:
  60 / 10^8 = 6 * 10^-7, less than one chance in a million per group; even with 50 groups,
  3 * 10^-5 for the whole workshop. An even chance at one group needs 5 * 10^7 guesses,
  1.7 million days (about 4,500 years) at 30 a day.
- The old four-digit PINs (10^4) would fall to the same limit with a chance of 60 / 10^4 = 0.6 %
  in two days, which is why the migration c2b0seats gives every group a new 8-digit PIN.
- Since the limit is also per group, someone trying PINs can keep a group's members from
  rejoining for up to a day; a new PIN from the facilitator starts a fresh budget
  (`attempt_key` includes a keyed hash of the current PIN).
"""

import hashlib
import hmac
import secrets

DIGITS = 8
SPACE = 10**DIGITS
#: Wrong PINs per group, and per address; app.config["PIN_RATE_LIMIT"] overrides it.
PIN_RATE_LIMIT = "10 per hour;30 per day"


def new_pin():
    """A fresh random PIN, from the system's secure random source."""
    return f"{secrets.randbelow(SPACE):0{DIGITS}d}"


def normalise(typed):
    """What people type, read as the PIN: spaces and dashes between the digits are fine."""
    return "".join(ch for ch in (typed or "") if ch.isalnum())


def spoken(pin):
    """The PIN as the facilitator reads or prints it: two groups of four ("4821 7730")."""
    pin = pin or ""
    if len(pin) != DIGITS:
        return pin
    return f"{pin[:4]} {pin[4:]}"


def matches(group, typed):
    """Whether the typed PIN is the group's, compared in constant time."""
    return bool(group.join_pin) and hmac.compare_digest(group.join_pin.encode(), normalise(typed).encode())


def ensure_pin(group):
    """Give the group a PIN if it has none yet (groups made before PINs, or outside the service)."""
    if not group.join_pin:
        group.join_pin = new_pin()
    return group.join_pin


def attempt_key(secret_key, group):
    """The rate-limit key for PIN attempts at this group: a new PIN starts a fresh budget."""
    digest = hmac.new(secret_key.encode(), (group.join_pin or "").encode(), hashlib.sha256).hexdigest()[:12]
    return f"group-{group.id}-{digest}"
