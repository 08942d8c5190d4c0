"""The merge a conflict panel offers: both texts, with what they share written once."""

from difflib import SequenceMatcher

#: The line diff grows faster than lines x lines (100 repeated lines each way: ~20 ms, 500: 2.5 s);
#: past this many pairs the differing middle is offered whole, both versions.
MAX_COMPARED = 10_000


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


def _shared_ends(theirs, mine):
    """How many lines both start with, and how many they end with after that: found in one pass."""
    start = 0
    while start < min(len(theirs), len(mine)) and theirs[start] == mine[start]:
        start += 1
    end = 0
    while end < min(len(theirs), len(mine)) - start and theirs[-1 - end] == mine[-1 - end]:
        end += 1
    return start, end


def merge_texts(theirs, mine):
    """Lines both texts share once, in place; where they differ, their lines, then mine."""
    theirs_lines, mine_lines = theirs.splitlines(), mine.splitlines()
    start, end = _shared_ends(theirs_lines, mine_lines)
    theirs_middle = theirs_lines[start : len(theirs_lines) - end]
    mine_middle = mine_lines[start : len(mine_lines) - end]
    merged = theirs_lines[:start]
    if len(theirs_middle) * len(mine_middle) > MAX_COMPARED:
        merged += _both(theirs_middle, mine_middle)
    else:
        matcher = SequenceMatcher(None, theirs_middle, mine_middle, autojunk=False)
        for tag, t1, t2, m1, m2 in matcher.get_opcodes():
            if tag == "equal":
                merged += theirs_middle[t1:t2]
            else:
                merged += _both(theirs_middle[t1:t2], mine_middle[m1:m2])
    merged += theirs_lines[len(theirs_lines) - end :]
    return "\n".join(merged)
