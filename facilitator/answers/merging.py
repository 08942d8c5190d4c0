"""The merge a conflict panel offers: both texts, with what they share written once."""

from difflib import SequenceMatcher


def _contains(longer, shorter):
    """True if `longer` is `shorter` with words added (none removed or changed)."""
    words = iter(longer.split())
    return all(word in words for word in shorter.split())


def _both(theirs, mine):
    """A stretch the texts differ in: both versions, unless one only adds words to the other."""
    theirs_text, mine_text = "\n".join(theirs), "\n".join(mine)
    if _contains(mine_text, theirs_text):
        return mine
    if _contains(theirs_text, mine_text):
        return theirs
    return theirs + mine


def merge_texts(theirs, mine):
    """Lines both texts share once, in place; where they differ, their lines, then mine."""
    theirs_lines, mine_lines = theirs.splitlines(), mine.splitlines()
    merged = []
    matcher = SequenceMatcher(None, theirs_lines, mine_lines, autojunk=False)
    for tag, t1, t2, m1, m2 in matcher.get_opcodes():
        if tag == "equal":
            merged += theirs_lines[t1:t2]
        else:
            merged += _both(theirs_lines[t1:t2], mine_lines[m1:m2])
    return "\n".join(merged)
