"""The merge a conflict panel offers: each version's text once where both share it."""

import re

import pytest

from facilitator.answers.merging import merge_texts

from .test_views import save


@pytest.mark.parametrize(
    ("theirs", "mine", "merged"),
    [
        ("Ана", "Борис", "Ана\nБорис"),  # nothing shared: theirs, then mine
        ("Начало\nРед на Ана\nКрай", "Начало\nРед на Борис\nКрай", "Начало\nРед на Ана\nРед на Борис\nКрай"),
        ("Едно\n\nДве", "Едно\n\nДве\n\nТри", "Едно\n\nДве\n\nТри"),  # mine adds a paragraph
        ("Нула\nЕдно", "Едно", "Нула\nЕдно"),  # theirs adds a line
        ("Аудио приказки", "Аудио приказки за деца", "Аудио приказки за деца"),  # words added to a line
        ("Еднакво", "Еднакво", "Еднакво"),
        ("", "Само моето", "Само моето"),
    ],
)
def test_shared_text_is_kept_once_and_differences_both(theirs, mine, merged):
    assert merge_texts(theirs, mine) == merged


def test_the_conflict_panel_starts_the_merge_from_shared_lines_once(workshop, groups, open_stage, join_as):
    ana, boris = join_as("Ana"), join_as("Boris")
    field = open_stage.fields[0]
    save(ana, field, "Start\nAna's line\nEnd", 0)
    conflict = save(boris, field, "Start\nBoris's line\nEnd", 0)
    assert conflict.status_code == 409
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", conflict.get_data(as_text=True), re.S).group(1)
    assert textarea == "Start\nAna&#39;s line\nBoris&#39;s line\nEnd"
    assert re.search(r'class="conflict__merge" hidden', conflict.get_data(as_text=True))


def test_long_answers_of_many_short_lines_never_reach_the_quadratic_diff(monkeypatch):
    """The diff costs lines x lines; two 20,000-character answers of one-letter lines would hold
    the server for minutes, so past a bound the differing middle is kept whole, both versions."""
    from facilitator.answers import merging

    sizes = []
    real = merging.SequenceMatcher

    def counted(junk, a, b, **options):
        sizes.append(len(a) * len(b))
        return real(junk, a, b, **options)

    monkeypatch.setattr(merging, "SequenceMatcher", counted)
    theirs, mine = "x\n" * 9_999 + "x", "x\ny\n" * 4_999 + "x"
    merged = merge_texts(theirs, mine)
    assert all(size <= merging.MAX_COMPARED for size in sizes), max(sizes)
    assert merged.startswith("x\n") and merged.count("y") == mine.count("y")
    assert merge_texts("Начало\n" + "a\n" * 3000 + "Край", "Начало\n" + "b\n" * 3000 + "Край").startswith("Начало\na")
