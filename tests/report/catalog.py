"""Polish and Bulgarian for the report's sentences, as the tests' own small catalog.

The real catalogs are translated by the lead at the end; these texts let the tests prove that
each sentence comes out in the workshop's language, and they are offered as the translations.
A tuple msgid is (singular, plural); its translations list every plural form of the language.
"""

SENTENCES = {
    "The meeting took place on %(dates)s in %(place)s.": {
        "bg": "Срещата се проведе на %(dates)s в %(place)s.",
        "pl": "Spotkanie odbyło się %(dates)s (%(place)s).",
    },
    "The meeting took place on %(dates)s.": {
        "bg": "Срещата се проведе на %(dates)s.",
        "pl": "Spotkanie odbyło się %(dates)s.",
    },
    ("%(num)d person took part in the meeting.", "%(num)d people took part in the meeting."): {
        "bg": ("В срещата участва %(num)d човек.", "В срещата участваха %(num)d души."),
        "pl": (
            "W spotkaniu wzięła udział %(num)d osoba.",
            "W spotkaniu wzięły udział %(num)d osoby.",
            "W spotkaniu wzięło udział %(num)d osób.",
        ),
    },
    ("%(speakers)s opened the meeting.", "%(speakers)s opened the meeting."): {
        "bg": ("Срещата беше открита от %(speakers)s.",) * 2,
        "pl": ("Otwarcie spotkania: %(speakers)s.",) * 3,
    },
    ("%(speakers)s closed the meeting.", "%(speakers)s closed the meeting."): {
        "bg": ("Срещата беше закрита от %(speakers)s.",) * 2,
        "pl": ("Zamknięcie spotkania: %(speakers)s.",) * 3,
    },
    ("%(speakers)s greeted the participants.", "%(speakers)s greeted the participants."): {
        "bg": (
            "Приветствие към участниците отправи %(speakers)s.",
            "Приветствия към участниците отправиха %(speakers)s.",
        ),
        "pl": (
            "Powitanie uczestników: %(speakers)s.",
            "Powitania uczestników: %(speakers)s.",
            "Powitania uczestników: %(speakers)s.",
        ),
    },
    ("%(speakers)s spoke in the discussion “%(title)s”.", "%(speakers)s spoke in the discussion “%(title)s”."): {
        "bg": ("В дискусията „%(title)s“ говори %(speakers)s.", "В дискусията „%(title)s“ говориха %(speakers)s."),
        "pl": ("Udział w dyskusji „%(title)s”: %(speakers)s.",) * 3,
    },
    ("%(speakers)s spoke about “%(title)s”.", "%(speakers)s spoke about “%(title)s”."): {
        "bg": ("%(speakers)s представи темата „%(title)s“.", "%(speakers)s представиха темата „%(title)s“."),
        "pl": ("Wystąpienie „%(title)s”: %(speakers)s.",) * 3,
    },
    ("The participants worked in %(num)d group.", "The participants worked in %(num)d groups."): {
        "bg": ("Участниците работиха в %(num)d група.", "Участниците работиха в %(num)d групи."),
        "pl": (
            "Uczestnicy pracowali w %(num)d grupie.",
            "Uczestnicy pracowali w %(num)d grupach.",
            "Uczestnicy pracowali w %(num)d grupach.",
        ),
    },
    "Each group chose an innovative service and developed it in this order:": {
        "bg": "Всяка група избра иновативна услуга и я разработи в следната последователност:",
        "pl": "Każda grupa wybrała innowacyjną usługę i opracowała ją w następującej kolejności:",
    },
    "A spokesperson chosen by each group presented the new service to all participants. The results by group:": {
        "bg": "Говорител, излъчен от всяка група, представи пред всички участници новата услуга. "
        "Резултатите по групи са:",
        "pl": "Rzecznik wybrany przez każdą grupę przedstawił wszystkim uczestnikom nową usługę. Wyniki grup:",
    },
    "Target group: %(target)s.": {"bg": "Целева група: %(target)s.", "pl": "Grupa docelowa: %(target)s."},
    "%(group)s, presented by %(name)s": {"bg": "%(group)s, говорител: %(name)s", "pl": "%(group)s, rzecznik: %(name)s"},
    "No result has been recorded for %(group)s.": {
        "bg": "Няма записан резултат за %(group)s.",
        "pl": "Brak zapisanego wyniku: %(group)s.",
    },
    "The meeting": {"bg": "Срещата", "pl": "Spotkanie"},
    "Results register": {"bg": "Регистър на резултатите", "pl": "Rejestr wyników"},
    "The services at a glance": {"bg": "Услугите накратко", "pl": "Usługi w skrócie"},
    "Services by category": {"bg": "Услуги по категории", "pl": "Usługi według kategorii"},
    "Services by target group": {"bg": "Услуги по целеви групи", "pl": "Usługi według grup docelowych"},
    "Results of all groups": {"bg": "Резултати на всички групи", "pl": "Wyniki wszystkich grup"},
    "Slide %(number)s of %(total)s: %(title)s": {
        "bg": "Слайд %(number)s от %(total)s: %(title)s",
        "pl": "Slajd %(number)s z %(total)s: %(title)s",
    },
}


def write_catalogs(folder):
    """Compile SENTENCES into folder/<locale>/LC_MESSAGES/messages.mo for pl and bg."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    for locale in ("bg", "pl"):
        catalog = Catalog(locale=locale)
        for msgid, translations in SENTENCES.items():
            catalog.add(msgid, translations[locale])
        target = folder / locale / "LC_MESSAGES"
        target.mkdir(parents=True)
        with open(target / "messages.mo", "wb") as mo:
            write_mo(mo, catalog)
