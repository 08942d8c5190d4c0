"""The default 8-stage service-design process, written in Polish, Bulgarian and English.

These are content, not interface strings: a workshop's snapshot is written in the workshop's
language whatever language its facilitator's screen uses, so the three texts live side by side
here instead of in the gettext catalogs.
"""

from .models import FieldKind

KEY = "service-design"

NAME = {
    "en": "Service design in 8 stages",
    "pl": "Projektowanie usługi w 8 etapach",
    "bg": "Разработване на услуга в 8 етапа",
}

CATEGORY_CHOICES = {
    "en": ["E-health", "E-employment", "E-culture", "E-business", "E-inclusion", "E-education", "E-skills", "Other"],
    "pl": [
        "E-zdrowie",
        "E-zatrudnienie",
        "E-kultura",
        "E-biznes",
        "E-włączenie",
        "E-edukacja",
        "E-umiejętności",
        "Inne",
    ],
    "bg": ["Е-здраве", "Е-заетост", "Е-култура", "Е-бизнес", "Е-включване", "Е-образование", "Е-умения", "Други"],
}
CATEGORY_KEYS = [
    "e-health",
    "e-employment",
    "e-culture",
    "e-business",
    "e-inclusion",
    "e-education",
    "e-skills",
    "other",
]


def _t(en, pl, bg):
    return {"en": en, "pl": pl, "bg": bg}


#: A field without help text.
NO_HELP = _t("", "", "")


def _field(key, kind, label, help_text=NO_HELP):
    """One field of a stage: (key, kind, label, help), each text in the three languages."""
    return (key, kind, label, help_text)


def _stage(title, prompt, minutes, *fields):
    return {"title": title, "prompt": prompt, "minutes": minutes, "fields": list(fields)}


#: Each stage: title, prompt, minutes, and fields as (key, kind, label, help).
STAGES = [
    _stage(
        _t("Choice of the service and its name", "Wybór usługi i jej nazwa", "Избор на услугата и наименование"),
        _t(
            "Choose the innovative service your group will develop. It must belong to one of the programme's categories.",
            "Wybierzcie innowacyjną usługę, którą opracuje wasza grupa. Musi należeć do jednej z kategorii programu.",
            "Изберете иновативната услуга, която групата ви ще разработи. Тя трябва да принадлежи към някоя от категориите на програмата.",
        ),
        15,
        _field("category", FieldKind.CHOICE, _t("Service category", "Kategoria usługi", "Категория на услугата")),
        _field(
            "service_name",
            FieldKind.SHORT_TEXT,
            _t("Name of the service", "Nazwa usługi", "Наименование на услугата"),
            _t(
                "One line that says what the service is.",
                "Jedno zdanie, które mówi, czym jest usługa.",
                "Едно изречение, което казва каква е услугата.",
            ),
        ),
        _field(
            "description",
            FieldKind.LONG_TEXT,
            _t("Short description", "Krótki opis", "Кратко описание"),
            _t("What will people get from it?", "Co ludzie dzięki niej zyskają?", "Какво ще получат хората от нея?"),
        ),
    ),
    _stage(
        _t("Goal", "Cel", "Цел"),
        _t(
            "What should the service achieve, and why does it matter here?",
            "Co usługa ma osiągnąć i dlaczego jest to ważne właśnie tutaj?",
            "Какво трябва да постигне услугата и защо това е важно тук?",
        ),
        10,
        _field("goal", FieldKind.LONG_TEXT, _t("Goal of the service", "Cel usługi", "Цел на услугата")),
    ),
    _stage(
        _t("Target group", "Grupa docelowa", "Целева група"),
        _t(
            "Who is the service for? Be specific: age, situation, where they live.",
            "Dla kogo jest usługa? Bądźcie konkretni: wiek, sytuacja, miejsce zamieszkania.",
            "За кого е услугата? Бъдете конкретни: възраст, положение, къде живеят.",
        ),
        10,
        _field("target_group", FieldKind.SHORT_TEXT, _t("Target group", "Grupa docelowa", "Целева група")),
        _field(
            "needs",
            FieldKind.LONG_TEXT,
            _t("Their needs", "Ich potrzeby", "Техните нужди"),
            _t(
                "What do they lack today that the service gives them?",
                "Czego dziś im brakuje, a co da im usługa?",
                "Какво им липсва днес, което услугата ще им даде?",
            ),
        ),
    ),
    _stage(
        _t("Partners", "Partnerzy", "Партньори"),
        _t(
            "Which institutions, organisations and people will work with the library on this service?",
            "Które instytucje, organizacje i osoby będą współpracować z biblioteką przy tej usłudze?",
            "Кои институции, организации и хора ще работят с библиотеката по тази услуга?",
        ),
        10,
        _field(
            "partners",
            FieldKind.LIST,
            _t("Partners", "Partnerzy", "Партньори"),
            _t("One partner per line.", "Jeden partner w wierszu.", "По един партньор на ред."),
        ),
        _field(
            "partner_roles",
            FieldKind.LONG_TEXT,
            _t("What each partner contributes", "Wkład każdego partnera", "Приносът на всеки партньор"),
        ),
    ),
    _stage(
        _t("Activities to implement the service", "Działania wdrażające usługę", "Дейности по внедряване на услугата"),
        _t(
            "List the steps needed to start and run the service, in order.",
            "Wypiszcie po kolei kroki potrzebne, by uruchomić i prowadzić usługę.",
            "Избройте поред стъпките, нужни за стартиране и предоставяне на услугата.",
        ),
        15,
        _field(
            "activities",
            FieldKind.LIST,
            _t("Activities", "Działania", "Дейности"),
            _t("One activity per line.", "Jedno działanie w wierszu.", "По една дейност на ред."),
        ),
    ),
    _stage(
        _t("Resources / budget", "Zasoby / budżet", "Ресурси / бюджет"),
        _t(
            "What people, equipment and money does the service need?",
            "Jakich ludzi, sprzętu i pieniędzy potrzebuje usługa?",
            "Какви хора, техника и средства са нужни на услугата?",
        ),
        15,
        _field(
            "resources",
            FieldKind.LIST,
            _t("Resources", "Zasoby", "Ресурси"),
            _t("One resource per line.", "Jeden zasób w wierszu.", "По един ресурс на ред."),
        ),
        _field("budget", FieldKind.MONEY, _t("Estimated budget", "Szacowany budżet", "Прогнозен бюджет")),
    ),
    _stage(
        _t("Media presentation of the service", "Prezentacja usługi w mediach", "Медийно представяне на услугата"),
        _t(
            "How will people hear about the service? Which media, which message?",
            "Jak ludzie dowiedzą się o usłudze? Jakie media, jaki przekaz?",
            "Как хората ще научат за услугата? Кои медии, какво послание?",
        ),
        10,
        _field(
            "media_channels",
            FieldKind.LIST,
            _t("Media and channels", "Media i kanały", "Медии и канали"),
            _t("One channel per line.", "Jeden kanał w wierszu.", "По един канал на ред."),
        ),
        _field("media_message", FieldKind.LONG_TEXT, _t("Key message", "Główny przekaz", "Основно послание")),
    ),
    _stage(
        _t("Expected results", "Oczekiwane rezultaty", "Очаквани резултати"),
        _t(
            "The social and economic effect, and the impact on the local community.",
            "Efekt społeczny i ekonomiczny oraz wpływ na społeczność lokalną.",
            "Социален и икономически ефект, въздействие върху местната общност.",
        ),
        15,
        _field("social_effect", FieldKind.LONG_TEXT, _t("Social effect", "Efekt społeczny", "Социален ефект")),
        _field(
            "economic_effect", FieldKind.LONG_TEXT, _t("Economic effect", "Efekt ekonomiczny", "Икономически ефект")
        ),
        _field(
            "community_impact",
            FieldKind.LONG_TEXT,
            _t("Impact on the local community", "Wpływ na społeczność lokalną", "Въздействие върху местната общност"),
        ),
    ),
]


def category_choices(locale):
    """The category choice list in one language, keyed by the stable category keys."""
    return [{"value": key, "label": label} for key, label in zip(CATEGORY_KEYS, CATEGORY_CHOICES[locale], strict=True)]
