"""The report reads like the seeds: who opened, who greeted, who spoke, what the groups made."""

import pytest
from flask_babel import force_locale

from facilitator.accounts.models import utcnow
from facilitator.answers.models import Answer
from facilitator.core.domain import DomainError
from facilitator.extensions import db
from facilitator.groups.models import Group
from facilitator.participants.models import Participant
from facilitator.register.models import RegisterEntry
from facilitator.report import services
from facilitator.summaries.results import group_results

SOFIA = (
    "София Пейчева, директор и координатор за областта по Програма „Глоб@лни библиотеки – България“, "
    "Регионална библиотека „Емануил Попдимитров“ – Кюстендил"
)
GREETERS_BG = (
    "Радослава Чеканска (зам.-областен управител, Областна администрация – Кюстендил) и "
    "Росица Плачкова (зам.-кмет, Община Кюстендил)"
)
GREETERS_EN = GREETERS_BG.replace(") и Росица", ") and Росица")
GREETERS_PL = GREETERS_BG.replace(") и Росица", ") i Росица")
KANEVA = "Красимира Кънева, регионален мениджър, Звено за управление на програмата (ЗУП)"
KANEVA_TALK = "Програма „Глоб@лни библиотеки – България“ в подкрепа на партньорството за иновативни услуги"


def in_language(workshop, locale):
    workshop.locale = locale
    db.session.commit()
    return services.build_report(workshop)


def test_the_demo_report_in_english(app, demo_workshop):
    report = in_language(demo_workshop, "en")
    assert report.facts[0].startswith("The meeting took place on ")
    assert report.facts[0].endswith(" 2012 in Кюстендил, синята зала на НЧ „Братство“.")
    assert len(report.facts) == 1  # nobody joined online, so no head count is claimed
    assert report.speeches[0] == f"{SOFIA} opened the meeting."
    assert report.speeches[1] == f"{GREETERS_EN} greeted the participants."
    assert report.speeches[2] == f"{KANEVA} spoke about “{KANEVA_TALK}”."
    assert report.speeches[-1] == (
        "София Пейчева, директор, Регионална библиотека „Емануил Попдимитров“ – Кюстендил closed the meeting."
    )
    discussion = next(s for s in report.speeches if "discussion" in s)
    assert discussion.startswith("Йорданка Нешова (библиотекар, НЧ „Просветен лъч“ – гр. Сапарева баня), ")
    assert discussion.endswith("spoke in the discussion “Партньорските инициативи на библиотеките”.")
    # Breaks, group work and items without speakers say nothing about speakers.
    assert len(report.speeches) == 11
    assert report.group_work == [
        "The participants worked in 5 groups.",
        "Each group chose an innovative service and developed it in this order:",
    ]


def test_the_demo_report_in_bulgarian_reads_like_the_seed(app, demo_workshop, report_catalog):
    report = services.build_report(demo_workshop)
    assert report.locale == "bg"
    assert report.facts[0].startswith("Срещата се проведе на 6 – 7 юни 2012")
    assert report.facts[0].endswith(" в Кюстендил, синята зала на НЧ „Братство“.")
    assert report.speeches[0] == f"Срещата беше открита от {SOFIA}."
    assert report.speeches[1] == f"Приветствия към участниците отправиха {GREETERS_BG}."
    assert report.speeches[2] == f"{KANEVA} представи темата „{KANEVA_TALK}“."
    assert report.speeches[-1].startswith("Срещата беше закрита от София Пейчева, директор")
    assert report.group_work[0] == "Участниците работиха в 5 групи."
    # The stages as the seed lists them, in order, and each group's result as one line.
    assert report.stages[:3] == ["Избор на услугата и наименование", "Цел", "Целева група"]
    assert report.results[1].text == (
        "Е-включване: Обучение в ИКТ на възрастни с двигателни увреждания. "
        "Целева група: Възрастни с увреждания от дом за хора с увреждания."
    )
    assert report.results[1].note == "Група 2"
    # The seed's register closes the report: some libraries have no service yet.
    register = {row.entry.library_number: row.service for row in report.register}
    assert len(register) == 18 and register[732] == ""
    assert register[737] == "Е-здраве: Предоставяне на информация на здравни теми"


def test_the_demo_report_in_polish(app, demo_workshop, report_catalog):
    report = in_language(demo_workshop, "pl")
    assert report.facts[0].startswith("Spotkanie odbyło się 6–7 czerwca 2012 (Кюстендил")
    assert report.speeches[0] == f"Otwarcie spotkania: {SOFIA}."
    assert report.speeches[1] == f"Powitania uczestników: {GREETERS_PL}."
    assert report.speeches[2] == f"Wystąpienie „{KANEVA_TALK}”: {KANEVA}."
    assert report.group_work[0] == "Uczestnicy pracowali w 5 grupach."
    # Category names follow the workshop's language too.
    assert report.results[0].text.startswith("E-edukacja: ")
    assert "Grupa docelowa: Ученици." in report.results[0].text


def test_sentences_follow_the_workshop_not_the_reader(app, demo_workshop, report_catalog):
    with app.test_request_context(headers={"Accept-Language": "en"}), force_locale("en"):
        report = services.build_report(demo_workshop)
    assert report.speeches[0].startswith("Срещата беше открита от")


def test_head_count_is_the_people_who_joined(app, demo_workshop, report_catalog):
    group = db.session.scalars(db.select(Group).filter_by(workshop_id=demo_workshop.id)).first()
    for n, name in enumerate(["Ана", "Борис", "Вера", "Галя"]):
        db.session.add(
            Participant(
                workshop_id=demo_workshop.id,
                group_id=group.id,
                display_name=name,
                token=f"token-{n}",
                is_spokesperson=name == "Вера",
            )
        )
    db.session.commit()
    removed = db.session.scalar(db.select(Participant).filter_by(display_name="Галя"))
    removed.removed_at = utcnow()
    db.session.commit()
    report = services.build_report(demo_workshop)
    assert services.participant_count(demo_workshop) == 3
    assert report.facts[1] == "В срещата участваха 3 души."
    assert report.results[0].note == "Група 1, говорител: Вера"
    demo_workshop.locale = "pl"
    db.session.commit()
    assert services.build_report(demo_workshop).facts[1] == "W spotkaniu wzięły udział 3 osoby."


def test_a_result_line_leaves_out_what_is_missing(app, demo_workshop):
    results = group_results(demo_workshop, "en")
    full = results[2]
    with force_locale("en"):
        assert services.result_line(full) == "E-business: Обучение на млади овощари. Target group: Начинаещи овощари."
        full.service = "Обучение на млади овощари.  "  # a full stop of its own is not doubled
        assert services.result_line(full).startswith("E-business: Обучение на млади овощари. Target")
        full.category_label = ""
        assert services.result_line(full) == "Обучение на млади овощари. Target group: Начинаещи овощари."
        full.target_group = ""
        assert services.result_line(full) == "Обучение на млади овощари."
        full.service = ""
        assert services.result_line(full) == "No result has been recorded for Група 3."


def test_register_rows_read_category_and_description(app, workshop):
    db.session.add_all(
        [
            RegisterEntry(
                workshop_id=workshop.id,
                position=1,
                library_number=737,
                library_name="БИБЛИОТЕКА ПРИ НЧ ПРОБУДА-1902",
                municipality="Дупница",
                settlement="с. Баланово",
                service_category="e-health",
                service_description="Предоставяне на информация на здравни теми",
                target_group="Младежи",
            ),
            RegisterEntry(
                workshop_id=workshop.id,
                position=0,
                library_number=732,
                library_name="БИБЛИОТЕКА ПРИ НЧ ЛОЗА 1870",
                municipality="Бобошево",
                settlement="гр. Бобошево",
            ),
        ]
    )
    db.session.commit()
    rows = services.build_report(workshop).register
    assert [r.entry.library_number for r in rows] == [732, 737]
    assert rows[0].service == ""  # some libraries have no service yet, as in the seed
    assert rows[1].service == "Е-здраве: Предоставяне на информация на здравни теми"


def test_charts_count_the_groups_results(app, demo_workshop):
    charts = services.build_report(demo_workshop).charts
    assert [c.kind for c in charts] == ["category", "target-group"]
    assert charts[0].rows[0] == ("Е-включване", "2")
    assert "<svg" in charts[0].svg and "Е-включване" in charts[0].svg


def test_intro_is_kept_as_plain_paragraphs(app, demo_workshop):
    services.save_intro(demo_workshop, "Първи абзац\r\nнов ред   \r\n\r\n\r\nВтори <b>абзац</b>\r\n")
    assert demo_workshop.report_intro == "Първи абзац\nнов ред\n\n\nВтори <b>абзац</b>"
    assert services.build_report(demo_workshop).intro == ["Първи абзац\nнов ред", "Втори <b>абзац</b>"]


def test_an_intro_too_long_is_refused_and_nothing_changes(app, demo_workshop):
    services.save_intro(demo_workshop, "Кратко.")
    with pytest.raises(DomainError) as refused:
        services.save_intro(demo_workshop, "я" * (services.MAX_INTRO + 1))
    assert refused.value.code == "intro-too-long"
    db.session.rollback()
    assert db.session.get(type(demo_workshop), demo_workshop.id).report_intro == "Кратко."
    services.save_intro(demo_workshop, "я" * services.MAX_INTRO)  # exactly the limit is fine


def test_publish_unpublish_and_publish_again(app, demo_workshop):
    assert not services.is_published(demo_workshop)
    token = services.publish_report(demo_workshop)
    assert len(token) >= 40 and token.replace("-", "").replace("_", "").isalnum()
    assert demo_workshop.report_published_at is not None
    assert services.publish_report(demo_workshop) == token  # a second click keeps the link
    assert services.published_workshop(token) == demo_workshop
    services.unpublish_report(demo_workshop)
    assert services.published_workshop(token) is None
    assert demo_workshop.report_token is None and demo_workshop.report_published_at is None
    again = services.publish_report(demo_workshop)
    assert again != token and services.published_workshop(token) is None
    assert services.published_workshop(again) == demo_workshop


@pytest.mark.parametrize("token", ["", "nope", "x" * 65, None])
def test_unknown_tokens_find_nothing(app, demo_workshop, token):
    services.publish_report(demo_workshop)
    assert services.published_workshop(token) is None


def test_a_group_without_answers_is_reported_as_such(app, demo_workshop):
    db.session.add(Group(workshop_id=demo_workshop.id, name="Група 6", colour="red", position=9))
    db.session.commit()
    demo_workshop.locale = "en"
    db.session.commit()
    report = services.build_report(demo_workshop)
    assert report.results[-1].text == "No result has been recorded for Група 6."
    assert report.results[-1].is_empty
    assert db.session.scalar(db.select(db.func.count(Answer.id))) == 20


def test_the_report_lists_the_whole_agenda_by_day_with_times_and_speakers(app, demo_workshop):
    from facilitator.agenda.services import items_of

    report = in_language(demo_workshop, "en")
    titles = [entry.title for day in report.agenda for entry in day.entries]
    assert titles == [item.title for item in items_of(demo_workshop)]
    assert len(report.agenda) == 2 and report.agenda[1].label.startswith("Day 2")
    first = report.agenda[0].entries[0]
    assert (first.starts, first.ends) == ("9:30\u202fAM", "9:45\u202fAM")
    assert first.speakers.startswith("София Пейчева")


def test_group_work_leaders_get_their_sentence(app, demo_workshop):
    from facilitator.agenda import services as agenda

    work = next(i for i in agenda.items_of(demo_workshop) if i.kind == "group-work")
    agenda.add_speaker(work, "Мария Иванова", "модератор", "Регионална библиотека")
    report = in_language(demo_workshop, "en")
    assert f"Мария Иванова, модератор, Регионална библиотека led the group work “{work.title}”." in report.speeches


def test_a_service_that_already_names_its_category_is_not_prefixed_twice(app, demo_workshop, workshop):
    db.session.add(
        RegisterEntry(
            workshop_id=workshop.id,
            position=0,
            library_number=737,
            library_name="НЧ ПРОБУДА-1902",
            service_category="e-health",
            service_description="Е-здраве: информация на здравни теми",
        )
    )
    db.session.commit()
    assert services.build_report(workshop).register[0].service == "Е-здраве: информация на здравни теми"
    results = group_results(demo_workshop, "bg")
    result = next(r for r in results if r.category_label and r.service)
    result.service = f"{result.category_label}: {result.service}"
    with force_locale("bg"):
        line = services.result_line(result)
    assert line.count(result.category_label) == 1, line
