"""URL helpers shared by every area."""

from urllib.parse import urlsplit

from werkzeug.routing import IntegerConverter

#: The largest id a database column holds (PostgreSQL's INTEGER); SQLite's limit is higher.
MAX_ID = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` that stops at what the database can store: a larger id is simply not found.

    Without the bound, SQLite raises OverflowError and PostgreSQL "integer out of range": a 500.
    """

    #: At most ten digits: a longer number matches no rule at all, so it is a 404 for every method,
    #: not a 405 from a GET rule at the same address.
    regex = r"\d{1,10}"

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def parse_id(raw):
    """An id typed into a query string or form field, or None when it cannot name a row."""
    raw = (raw or "").strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 10:
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None


def safe_next_url(target):
    """Accept only a path on this site, so ?next= cannot send people elsewhere.

    Control characters are refused too: CR/LF would split the Location header.
    """
    if not target:
        return None
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target
