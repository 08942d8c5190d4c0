"""The PDFs as a reader sees them: read back from the file, in the workshop's language."""

import re

from facilitator.agenda.models import AgendaItem
from facilitator.answers.models import Answer
from facilitator.extensions import db
from facilitator.groups.models import Group
from facilitator.summaries import services
from facilitator.summaries.results import group_results

from .conftest import (
    POLISH_TITLE,
    answer,
    dark_pixels_on_page_one,
    demo_group,
    fields_by_key,
    join_group,
    pdf_pages,
    pdf_text,
    poppler_text,
)

DEMO_GROUPS = ["Група 1", "Група 2", "Група 3", "Група 4", "Група 5"]


def read(pdf):
    return pdf.data


def test_demo_workshop_pdf_reads_like_the_seed(demo_workshop):
    data = read(services.summary_pdf(demo_workshop))
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    # Cover: title, dates in Bulgarian, venue, description.
    assert "Регионална тематична среща „Библиотеката и нейните партньори“" in text
    assert "6 – 7 юни 2012 г." in text
    assert "Кюстендил, синята зала на НЧ „Братство“" in text
    assert "Над 40 читалищни секретари" in text
    # Agenda with its days, times and speakers.
    assert "сряда, 6 юни 2012 г." in text and "четвъртък, 7 юни 2012 г." in text
    assert "9:30–9:45 Откриване на срещата" in text
    assert "Красимира Кънева, регионален мениджър, Звено за управление на програмата (ЗУП)" in text
    # Every group's result, and the results table as the seed publishes it.
    for name in DEMO_GROUPS:
        assert text.count(name) >= 3  # contents, its own section, the results table
    assert "Е-включване" in text and "Обучение в ИКТ на възрастни с двигателни увреждания" in text
    assert "Възрастни с увреждания от дом за хора с увреждания" in text
    # Cover, contents, agenda (2 pages), one page per group, the results table with the charts.
    assert len(pdf_pages(data)) == 10


def test_contents_page_numbers_lead_to_each_group(demo_workshop):
    data = read(services.summary_pdf(demo_workshop))
    pages = pdf_pages(data)
    contents = poppler_text(data, "-f", "2", "-l", "2", "-layout")
    for name in DEMO_GROUPS:
        match = re.search(re.escape(name) + r":.*?\.{3,}\s*(\d+)", contents, re.S)
        assert match, f"{name} is not in the contents with a page number:\n{contents}"
        page = int(match.group(1))
        # The group's own section starts on that page: its name opens a line there.
        assert re.search(r"^" + re.escape(name) + r"$", pages[page - 1], re.M), (name, page)


def test_every_page_has_the_running_header_and_its_number(demo_workshop):
    data = read(services.summary_pdf(demo_workshop))
    total = len(pdf_pages(data))
    for number in range(1, total + 1):
        lines = [line for line in poppler_text(data, "-f", str(number), "-l", str(number)).splitlines() if line.strip()]
        assert lines[-1] == f"{number} / {total}"
        if number > 1:  # the cover shows the title in full instead
            assert lines[0] == demo_workshop.title


def test_group_pdf_holds_its_result_and_people(demo_workshop):
    group = demo_group(demo_workshop, "Група 2")
    join_group(demo_workshop, group, "Мария Петрова", spokesperson=True)
    join_group(demo_workshop, group, "Иван Иванов")
    data = read(services.summary_pdf(demo_workshop, group))
    text = pdf_text(data)
    assert demo_workshop.title in text and "6 – 7 юни 2012 г." in text and "Кюстендил" in text
    assert "Група 2" in text and "Група 1" not in text and "Група 3" not in text
    assert "Мария Петрова" in text and "Иван Иванов, Мария Петрова" in text
    # Stage by stage, each field's label and text, in the workshop's language.
    assert "1. Избор на услугата и наименование" in text and "8. Очаквани резултати" in text
    assert "Наименование на услугата Обучение в ИКТ на възрастни с двигателни увреждания" in text
    assert "Цел на услугата Възрастните с двигателни увреждания да работят уверено" in text
    assert "Е-включване" in text
    assert len(pdf_pages(data)) == 2


def test_polish_workshop_pdf_is_in_polish(polish_workshop):
    data = read(services.summary_pdf(polish_workshop))
    text = pdf_text(data)
    assert POLISH_TITLE in text
    assert "14 maja 2013" in text
    assert "Miejska Biblioteka Publiczna w Łazach" in text
    assert "10:00–10:30 Biblioteka jako centrum lokalnych inicjatyw" in text
    assert "Małgorzata Żółkiewska, trenerka, Stowarzyszenie Inicjatyw Lokalnych" in text
    for name in ("Grupa Pilica", "Grupa Kroczyce"):
        assert name in text
    assert "E-umiejętności" in text and "Kurs obsługi smartfona dla seniorów" in text
    assert "Zażółć gęślą jaźń: seniorzy uczą się przez całe życie." in text
    # Stage titles come from the workshop's own (Polish) process.
    assert "Wybór usługi i jej nazwa" in text and "Prezentacja usługi w mediach" in text
    # Cover, contents, agenda, the first group (2 pages), the second, the results table.
    assert len(pdf_pages(data)) == 7


def test_list_fields_are_bullet_lists_one_item_per_line(polish_workshop):
    group = db.session.scalar(db.select(Group).filter_by(workshop_id=polish_workshop.id, name="Grupa Pilica"))
    result = services.group_result(polish_workshop, group)
    html = services.group_pdf_html(polish_workshop, result)
    # Typed bullets and empty lines are dropped; the PDF draws its own bullets.
    assert (
        '<ul class="answer answer--list"><li>Urząd Gminy Pilica</li>'
        "<li>Klub Seniora „Złota Jesień”</li><li>Szkoła Podstawowa nr 1</li></ul>"
    ) in html
    lines = [line.strip() for line in poppler_text(read(services.summary_pdf(polish_workshop, group))).splitlines()]
    assert "• Urząd Gminy Pilica" in lines
    assert "• Klub Seniora „Złota Jesień”" in lines
    assert "• Szkoła Podstawowa nr 1" in lines


def test_page_one_is_not_blank(demo_workshop):
    dark, total = dark_pixels_on_page_one(read(services.summary_pdf(demo_workshop)))
    assert dark > 300, f"only {dark} of {total} pixels are not white"
    group = demo_group(demo_workshop, "Група 1")
    dark, _ = dark_pixels_on_page_one(read(services.summary_pdf(demo_workshop, group)))
    assert dark > 300


def test_html_and_script_in_answers_show_as_text(demo_workshop):
    group = demo_group(demo_workshop, "Група 1")
    fields = fields_by_key(demo_workshop)
    hostile = '<script>alert("x")</script><b>получер</b> & <i>курсив</i>'
    answer(group, fields["description"], hostile)
    db.session.commit()
    result = services.group_result(demo_workshop, group)
    html = services.group_pdf_html(demo_workshop, result)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b&gt;получер&lt;/b&gt; &amp; " in html
    assert hostile in pdf_text(read(services.summary_pdf(demo_workshop, group)))


def right_edges(data):
    """Where each word of the PDF ends, in points from the left edge of its page (pdftotext -bbox)."""
    boxes = poppler_text(data, "-bbox")
    return [float(x) for x in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"', boxes)]


#: A4 is 595 pt wide and the right margin 18 mm (51 pt): no word may end beyond this.
TEXT_RIGHT_EDGE = 595.3 - 51 + 1


def test_a_5000_character_answer_wraps_and_is_all_there(demo_workshop):
    group = demo_group(demo_workshop, "Група 3")
    words = [f"дума{n:04d}" for n in range(560)]
    long_answer = " ".join(words)[:5000]
    assert len(long_answer) == 5000
    answer(group, fields_by_key(demo_workshop)["description"], long_answer)
    db.session.commit()
    data = read(services.summary_pdf(demo_workshop, group))
    text = pdf_text(data)
    # Every word of the 5,000 characters is there, in order, whatever the pages in between.
    position = 0
    for word in long_answer.split():
        position = text.index(word, position) + len(word)
    assert max(right_edges(data)) <= TEXT_RIGHT_EDGE


def test_a_300_character_word_wraps_and_is_all_there(demo_workshop):
    group = demo_group(demo_workshop, "Група 3")
    long_word = "Овощарство" * 30
    answer(group, fields_by_key(demo_workshop)["needs"], f"Преди {long_word} след")
    db.session.commit()
    data = read(services.summary_pdf(demo_workshop, group))
    # The word is broken over lines (nothing runs off the page), and whole once line breaks are removed.
    assert max(right_edges(data)) <= TEXT_RIGHT_EDGE
    text = pdf_text(data)
    start = text.index("Преди") + len("Преди")
    assert "".join(text[start : text.index("след", start)].split()) == long_word


def test_cached_pdf_is_the_same_file_until_an_answer_changes(demo_workshop, pdf_cache, monkeypatch):
    renders = []
    real_renderer_for = services.renderer_for

    class Counting:
        def __init__(self, renderer):
            self.renderer = renderer

        def render(self, html):
            renders.append(html)
            return self.renderer.render(html)

    monkeypatch.setattr(services, "renderer_for", lambda root: Counting(real_renderer_for(root)))
    group = demo_group(demo_workshop, "Група 4")
    first = services.summary_pdf(demo_workshop, group)
    second = services.summary_pdf(demo_workshop, group)
    assert read(first) == read(second) and first.fingerprint == second.fingerprint
    assert len(renders) == 1
    assert len(list(pdf_cache.glob("*.pdf"))) == 1

    goal = db.session.scalar(
        db.select(Answer).filter_by(group_id=group.id, field_id=fields_by_key(demo_workshop)["goal"].id)
    )
    goal.value, goal.version = "Децата слушат приказки, записани от доброволци.", goal.version + 1
    db.session.commit()
    third = services.summary_pdf(demo_workshop, group)
    assert third.fingerprint != first.fingerprint and len(renders) == 2
    assert "Децата слушат приказки, записани от доброволци." in pdf_text(read(third))
    # The old version is dropped from the cache, not kept forever.
    assert [p.name for p in pdf_cache.glob("*.pdf")] == [
        f"workshop-{demo_workshop.id}-group-{group.id}-{third.fingerprint[:40]}.pdf"
    ]


def test_fingerprint_moves_with_everything_shown(demo_workshop):
    group = demo_group(demo_workshop, "Група 1")
    other = demo_group(demo_workshop, "Група 2")

    def prints():
        return services.fingerprint(demo_workshop), services.fingerprint(demo_workshop, group)

    changes = {
        "answer saved": lambda: db.session.execute(
            db.update(Answer).where(Answer.group_id == group.id).values(version=Answer.version + 1)
        ),
        "member joined": lambda: join_group(demo_workshop, group, "Петя"),
        "spokesperson chosen": lambda: setattr(group_members(group)[0], "is_spokesperson", True),
        "group renamed": lambda: setattr(group, "name", "Група Едно"),
        "workshop title": lambda: setattr(demo_workshop, "title", "Нов заглавие"),
        "workshop venue": lambda: setattr(demo_workshop, "venue_place", "Дупница"),
        "workshop language": lambda: setattr(demo_workshop, "locale", "en"),
        "stage title": lambda: setattr(demo_workshop.process.stages[1], "title", "Цел на групата"),
    }
    for what, change in changes.items():
        before = prints()
        change()
        db.session.commit()
        after = prints()
        assert before[0] != after[0] and before[1] != after[1], what

    # The agenda is only in the workshop PDF; another group's answer only moves the workshop PDF.
    for what, change in {
        "agenda item": lambda: setattr(db.session.scalars(db.select(AgendaItem)).first(), "title", "Начало"),
        "speaker": lambda: setattr(db.session.scalars(db.select(AgendaItem)).first().speakers[0], "role", "д-р"),
        "other group's answer": lambda: db.session.execute(
            db.update(Answer).where(Answer.group_id == other.id).values(version=Answer.version + 1)
        ),
    }.items():
        before = prints()
        change()
        db.session.commit()
        after = prints()
        assert before[0] != after[0] and before[1] == after[1], what

    # What the PDFs do not show leaves them cached.
    before = prints()
    demo_workshop.status = "live"
    demo_workshop.wifi_name = "Другa мрежа"
    services.set_pdfs_released(demo_workshop, True)
    assert prints() == before


def group_members(group):
    from facilitator.participants.models import Participant

    return db.session.scalars(db.select(Participant).filter_by(group_id=group.id)).all()


def test_charts_block_holds_both_charts(demo_workshop):
    html = services.workshop_pdf_html(demo_workshop)
    assert html.count("<svg") == 2
    assert all(label in html for label in ("Е-включване", "Начинаещи овощари"))


def test_archived_groups_are_left_out(demo_workshop):
    group = demo_group(demo_workshop, "Група 5")
    from facilitator.accounts.models import utcnow

    group.archived_at = utcnow()
    db.session.commit()
    assert services.summary_pdf(demo_workshop, group) is None
    assert "Група 5" not in pdf_text(read(services.summary_pdf(demo_workshop)))
    assert len(group_results(demo_workshop)) == 4


def test_a_long_list_item_hangs_its_bullet_before_the_text(polish_workshop):
    group = db.session.scalar(db.select(Group).filter_by(workshop_id=polish_workshop.id, name="Grupa Pilica"))
    long_item = " ".join(f"partner{n:02d}" for n in range(40))
    answer_row = db.session.scalar(
        db.select(Answer).filter_by(group_id=group.id, field_id=fields_by_key(polish_workshop)["partners"].id)
    )
    answer_row.value = f"{long_item}\nSzkoła Podstawowa nr 1"
    db.session.commit()
    boxes = poppler_text(read(services.summary_pdf(polish_workshop, group)), "-bbox")
    words = [
        (float(x_min), float(y_min), float(x_max), word)
        for x_min, y_min, x_max, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', boxes
        )
    ]
    item = [w for w in words if re.fullmatch(r"partner\d\d", w[3])]
    line_starts = sorted({y: min(x for x, y2, _, _ in item if y2 == y) for _, y, _, _ in item}.items())
    assert len(line_starts) >= 3  # the item wraps
    first_x = line_starts[0][1]
    # Every line of the item starts where its first line's text does, right of the bullet.
    assert all(abs(x - first_x) < 0.5 for _, x in line_starts), line_starts
    bullet = next(w for w in words if w[3] == "•" and abs(w[1] - line_starts[0][0]) < 1)
    assert bullet[2] < first_x < bullet[2] + 6  # the bullet ends just before the text, as a marker does
