"""The demo workshop: the Kyustendil meeting of June 2012 (seed 004), fully planned.

Loaded by `flask --app wsgi demo load` and by `make run`; loading twice changes nothing.
"""

from datetime import date, time

from .accounts.services import ensure_demo_facilitator
from .agenda import services as agenda
from .answers.models import Answer
from .extensions import db
from .groups.models import Group
from .planning import services as planning
from .register.demo import load_demo_register
from .workshops.models import Workshop, WorkshopFacilitator

TITLE = "Регионална тематична среща „Библиотеката и нейните партньори“"

DESCRIPTION = (
    "Съвместна инициатива на Програма „Глоб@лни библиотеки – България“ и Регионална библиотека "
    "„Емануил Попдимитров“ – Кюстендил. Над 40 читалищни секретари, библиотекари, доброволци, "
    "представители на общинската администрация и партньори на библиотеките от областта и града. "
    "Фокусът на срещата е партньорството за нови иновативни услуги."
)

RB = "Регионална библиотека „Емануил Попдимитров“ – Кюстендил"

#: (day, start, minutes, kind, title, [(name, role, organisation), ...])
# fmt: off
AGENDA = [
    (0, time(9, 30), 15, "greeting", "Откриване на срещата", [("София Пейчева", "директор и координатор за областта по Програма „Глоб@лни библиотеки – България“", RB)]),
    (0, time(9, 45), 15, "greeting", "Приветствия към участниците", [("Радослава Чеканска", "зам.-областен управител", "Областна администрация – Кюстендил"), ("Росица Плачкова", "зам.-кмет", "Община Кюстендил")]),
    (0, time(10, 0), 30, "talk", "Програма „Глоб@лни библиотеки – България“ в подкрепа на партньорството за иновативни услуги", [("Красимира Кънева", "регионален мениджър", "Звено за управление на програмата (ЗУП)")]),
    (0, time(10, 30), 20, "talk", "Подкрепата на Община Кюстендил към целевите библиотеки по програмата", [("Слава Соколова", "отдел „Култура и духовно развитие“", "Община Кюстендил")]),
    (0, time(10, 50), 20, "break", "Кафе пауза", []),
    (0, time(11, 10), 20, "talk", "Възможности за сътрудничество с читалищните библиотеки от областта", [("Любомира Велинова", "директор", "Областен информационен център (ОИЦ) – Кюстендил")]),
    (0, time(11, 30), 20, "talk", "Кампанията „Информирани и здрави“ и ролята на библиотеките", [("Елена Андонова", "", "Районна здравна инспекция (РЗИ)")]),
    (0, time(11, 50), 20, "talk", "Партньорството на РБ с местните медии и собствените медийни продукти", [("Диана Минева", "", RB)]),
    (0, time(12, 10), 20, "talk", "Иновативни методи при работа с деца", [("Галя Симеонова", "детски отдел", RB)]),
    (0, time(12, 30), 60, "break", "Обяд", []),
    (0, time(13, 30), 45, "discussion", "Партньорските инициативи на библиотеките", [("Йорданка Нешова", "библиотекар", "НЧ „Просветен лъч“ – гр. Сапарева баня"), ("Величка Димитрова", "библиотекар", "НЧ „Д. Каляшки“ – с. Жиленци"), ("Ваня Ризова", "библиотекар", "НЧ „Вл. Димитров – Майстора“ – с. Шишковци")]),
    (0, time(14, 15), 30, "talk", "Съвместната работа на училищата с Регионалната библиотека", [("Жасмина Мицева", "учител", "гр. Кюстендил"), ("Аделина Исакиева", "учител", "гр. Кюстендил")]),
    (0, time(14, 45), 105, "group-work", "Работа по групи – сесия 1: услуга, цел, целева група", []),
    (1, time(9, 30), 120, "group-work", "Работа по групи – сесия 2: партньори, дейности, ресурси, медии, резултати", []),
    (1, time(11, 30), 45, "discussion", "Говорителите на групите представят новите услуги", []),
    (1, time(12, 15), 15, "greeting", "Закриване на срещата", [("София Пейчева", "директор", RB)]),
]
# fmt: on

#: (group name, colour, category, service, goal, target group) — the results the seed lists.
GROUPS = [
    (
        "Група 1",
        "blue",
        "e-education",
        "Предоставяне на информационно-образователни услуги за ученици с двигателни увреждания",
        "Учениците с двигателни увреждания да получават в библиотеката достъп до учебна информация и подкрепа.",
        "Ученици",
    ),
    (
        "Група 2",
        "green",
        "e-inclusion",
        "Обучение в ИКТ на възрастни с двигателни увреждания",
        "Възрастните с двигателни увреждания да работят уверено с компютър и интернет.",
        "Възрастни с увреждания от дом за хора с увреждания",
    ),
    (
        "Група 3",
        "orange",
        "e-business",
        "Обучение на млади овощари",
        "Начинаещите овощари да намират в библиотеката информация и електронни услуги за своя бизнес.",
        "Начинаещи овощари",
    ),
    (
        "Група 4",
        "purple",
        "e-culture",
        "Създаване на аудио-продукти за деца",
        "Децата да слушат приказки и книги, записани в библиотеката, у дома и навсякъде.",
        "Млади семейства с деца",
    ),
    (
        "Група 5",
        "teal",
        "e-inclusion",
        "Информационно-образователни услуги за ромски деца, напуснали училище",
        "Ромските деца, напуснали училище, да се върнат към ученето с помощта на библиотеката.",
        "Ученици от ромски произход",
    ),
]


def find_demo_workshop(facilitator):
    return db.session.scalar(
        db.select(Workshop)
        .join(WorkshopFacilitator)
        .where(WorkshopFacilitator.facilitator_id == facilitator.id, Workshop.title == TITLE)
    )


def load_demo(email, password):
    """Create the demo facilitator and the Kyustendil workshop unless they exist; returns both."""
    facilitator, _ = ensure_demo_facilitator(email, password, "Demo Facilitator")
    workshop = find_demo_workshop(facilitator)
    if workshop is not None:
        load_demo_register(workshop)  # demos loaded before the register existed get it too
        return facilitator, workshop, False
    workshop = planning.create_workshop(
        facilitator,
        TITLE,
        date(2012, 6, 6),
        ends_on=date(2012, 6, 7),
        description=DESCRIPTION,
        venue_place="Кюстендил, синята зала на НЧ „Братство“",
        venue_address="гр. Кюстендил",
        locale="bg",
        wifi_name="Bratstvo-Guest",
        day_starts_at=time(9, 30),
        day_ends_at=time(17, 0),
    )
    for day, starts_at, minutes, kind, title, speakers in AGENDA:
        item = agenda.add_item(workshop, title, starts_at, minutes, kind, day_index=day)
        for name, role, organisation in speakers:
            agenda.add_speaker(item, name, role, organisation)
    fields = {field.key: field for stage in workshop.process.stages for field in stage.fields}
    for position, (name, colour, category, service, goal, target) in enumerate(GROUPS):
        group = Group(workshop_id=workshop.id, position=position, name=name, colour=colour, service_category=category)
        db.session.add(group)
        db.session.flush()
        for key, value in (("category", category), ("service_name", service), ("goal", goal), ("target_group", target)):
            db.session.add(Answer(group_id=group.id, field_id=fields[key].id, value=value))
    db.session.commit()
    load_demo_register(workshop)
    return facilitator, workshop, True
