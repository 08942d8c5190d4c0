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
