"""URL helpers shared by every area."""

from urllib.parse import urlsplit


def safe_next_url(target):
    """Accept only a path on this site, so ?next= cannot send people elsewhere."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target
