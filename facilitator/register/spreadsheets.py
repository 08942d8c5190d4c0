"""The register as CSV and XLSX: export in the workshop's language, import with a report per row.

Both formats carry the seed's six columns. Text that a spreadsheet would run as a formula
(starting with = + - @, a tab or a carriage return) is written with a leading apostrophe, and
import takes that apostrophe off again, so exporting and importing gives back the same rows.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from babel.numbers import get_decimal_symbol
from flask_babel import force_locale, format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..config import LANGUAGES
from ..stages.default_template import CATEGORY_CHOICES
from . import reading, services
from .services import ImportRow, UnknownCategory, clean_text, service_text, split_service

# An upload past any of these bounds is refused as a whole, at once (see reading.py).
#: Data rows below the headings (a real programme has hundreds).
MAX_ROWS = 2_000
#: The last column that may hold a value; the register has six, a few notes may follow.
MAX_COLUMNS = 30
#: Cells with a value, the headings included: 2,000 rows of 12 columns.
MAX_CELLS = 25_000
#: What all of an XLSX file's parts that are read may unpack to, in MB.
MAX_UNPACKED_MB = 16
#: Entries in an XLSX file's zip (a workbook has a dozen; pictures and sheets add some).
MAX_MEMBERS = 300
#: XML elements read from an XLSX file, all parts together: bounds the parsing work.
MAX_ELEMENTS = 150_000
#: Rows checked between two pauses that let other requests run.
ROWS_PER_SLICE = 100
#: Characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str
    label: object
    #: Headings also accepted on import: the seed's own, and the programme's usual Polish ones.
    aliases: tuple = ()


COLUMNS = (
    Column("library_number", _l("Library ID"), ("ID", "№", "Nr")),
    Column("library_name", _l("Library name"), ("Име на библиотеката", "Nazwa biblioteki")),
    Column("municipality", _l("Municipality"), ("Община", "Gmina")),
    Column("settlement", _l("Settlement"), ("Населено място", "Miejscowość")),
    Column(
        "service",
        _l("Service delivered with the support of volunteers"),
        ("Услуга с подкрепата на доброволци", "Услуга", "Usługa realizowana z pomocą wolontariuszy", "Usługa"),
    ),
    Column("target_group", _l("Target group"), ("Целева група", "Grupa docelowa")),
)

#: The limit of each text column, as the model and the edit form keep it.
COLUMN_LIMITS = {
    "library_name": services.MAX_NAME,
    "municipality": services.MAX_PLACE,
    "settlement": services.MAX_PLACE,
    "service": services.MAX_DESCRIPTION,
    "target_group": services.MAX_TARGET,
}


def headers(locale):
    """The column headings in `locale`."""
    with force_locale(locale):
        return [str(column.label) for column in COLUMNS]


# --- export ------------------------------------------------------------------------------------


def escape_cell(value):
    """Make text inert for spreadsheets: a leading apostrophe before formula characters.

    Text that already starts with an apostrophe gets one more, so import can always take exactly
    one off and give back what was written.
    """
    if isinstance(value, str) and value and (value.startswith(FORMULA_STARTS) or value.startswith("'")):
        return "'" + value
    return value


def unescape_cell(value):
    """Undo `escape_cell`; an apostrophe before ordinary text is kept as the author's."""
    if len(value) > 1 and value[0] == "'" and (value[1] == "'" or value[1:].startswith(FORMULA_STARTS)):
        return value[1:]
    return value


def row_cells(entry, locale):
    """One row as the seed's table has it, the service's category named in `locale`."""
    return [
        entry.library_number,
        entry.library_name,
        entry.municipality,
        entry.settlement,
        service_text(entry, locale),
        entry.target_group,
    ]


def csv_delimiter(locale):
    """A semicolon where the language writes decimals with a comma, as Excel there expects."""
    return ";" if get_decimal_symbol(locale) == "," else ","


def to_csv(entries, locale):
    """UTF-8 with a byte-order mark, so Excel shows Cyrillic and Polish letters correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=csv_delimiter(locale), lineterminator="\r\n")
    writer.writerow(headers(locale))
    for entry in entries:
        writer.writerow([escape_cell(cell) for cell in row_cells(entry, locale)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_title(locale):
    with force_locale(locale):
        title = _("Register")
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Register"


def to_xlsx(entries, locale):
    """One sheet: bold headings, IDs as numbers, every text cell stored as text."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(locale)
    sheet.append(headers(locale))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for entry in entries:
        cells = []
        for value in row_cells(entry, locale):
            if isinstance(value, str):
                value = escape_cell(ILLEGAL_CHARACTERS_RE.sub("", value))
            cells.append(value)
        sheet.append(cells)
    for index, width in enumerate((10, 40, 16, 20, 60, 30), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- import: reading a file --------------------------------------------------------------------


class NotReadable(Exception):
    """The upload is not a spreadsheet we can read; the message says why, in the user's language."""


_SIGNATURES = (
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"),
    (b"%PDF", "pdf"),
    (b"\xd0\xcf\x11\xe0", "xls"),
)


def _not_a_spreadsheet():
    return NotReadable(_("This file is not a spreadsheet. Upload a CSV file or an Excel workbook (.xlsx)."))


def _refuse_kind(kind):
    if kind == "image":
        return NotReadable(
            _("This file is an image, not a spreadsheet. Upload a CSV file or an Excel workbook (.xlsx).")
        )
    if kind == "pdf":
        return NotReadable(_("This file is a PDF, not a spreadsheet. Upload a CSV file or an Excel workbook (.xlsx)."))
    return NotReadable(
        _(
            "This is an old Excel file (.xls). Open it in Excel or LibreOffice and save it as "
            "an Excel workbook (.xlsx) or as CSV, then upload that."
        )
    )


def read_table(data, filename=""):
    """The file's rows with a value, as (row number, cells); raises NotReadable with a message for the user."""
    if not data or not data.strip():
        raise NotReadable(_("The file is empty."))
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise _refuse_kind(kind)
    if not data.startswith(b"PK") and filename.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        raise NotReadable(
            _(
                "This file is named like a spreadsheet but is not one: it is not an Excel "
                "workbook. Upload the file Excel or LibreOffice saved, as .xlsx or CSV."
            )
        )
    read = reading.read_xlsx if data.startswith(b"PK") else reading.read_csv
    try:
        return read(data, limits())
    except reading.TooLarge as error:
        raise NotReadable(_too_large(error)) from None
    except reading.Unreadable as error:
        raise NotReadable(_unreadable(error)) from None


def limits():
    """The bounds of an import, as the module's settings say now."""
    return reading.Limits(
        rows=MAX_ROWS + 1,
        columns=MAX_COLUMNS,
        cells=MAX_CELLS,
        unpacked=MAX_UNPACKED_MB << 20,
        members=MAX_MEMBERS,
        elements=MAX_ELEMENTS,
    )


def _limits_text():
    return _(
        "A register file may have at most %(rows)s rows and %(columns)s columns",
        rows=format_number(MAX_ROWS),
        columns=format_number(MAX_COLUMNS),
    )


def _too_large(error):
    """What to tell the user about a file past a bound, naming the bound."""
    if error.bound == "rows":
        return _(
            "The file has more than %(rows)s rows. %(limits)s: split it into smaller files.",
            rows=format_number(MAX_ROWS),
            limits=_limits_text(),
        )
    if error.bound == "columns":
        last = get_column_letter(MAX_COLUMNS)
        return _(
            "Row %(row)s has a value in column %(letter)s. %(limits)s (A to %(last)s): delete the columns "
            "after %(last)s.",
            row=format_number(error.row),
            letter=get_column_letter(min(error.column, 18278)),
            limits=_limits_text(),
            last=last,
        )
    if error.bound == "cells":
        return _(
            "The file has more than %(cells)s filled cells. %(limits)s, and at most %(cells)s filled cells: "
            "split it into smaller files.",
            cells=format_number(MAX_CELLS),
            limits=_limits_text(),
        )
    if error.bound == "members":
        return _(
            "This workbook has more than %(parts)s parts (sheets, pictures, charts), more than we accept. "
            "Save the register alone as a new workbook, or as CSV, and upload that.",
            parts=format_number(MAX_MEMBERS),
        )
    return _(
        "This workbook is larger than we accept once unpacked: at most %(size)s MB. %(limits)s: keep only "
        "the register's sheet, or split it into smaller files.",
        size=format_number(MAX_UNPACKED_MB),
        limits=_limits_text(),
    )


def _unreadable(error):
    if error.code == "empty":
        return _("The file is empty.")
    if error.code == "ods":
        return _(
            "This is an OpenDocument spreadsheet (.ods). Save it as an Excel workbook (.xlsx) or as CSV, "
            "then upload that."
        )
    if error.code == "spreadsheet":
        return str(_not_a_spreadsheet())
    if error.code == "encoding":
        return _(
            "This file is neither an Excel workbook (.xlsx) nor a CSV file in UTF-8. If it is a CSV file, "
            "save it again choosing “CSV UTF-8”, then upload it."
        )
    if error.code == "csv":
        return _(
            "The file could not be read as CSV after row %(row)d. Check its quotes, or save it again from "
            "Excel or LibreOffice.",
            row=error.row,
        )
    return _(
        "This file is not an Excel workbook we can read. Open it in Excel or LibreOffice, save it as .xlsx "
        "or CSV, and upload it again."
    )


# --- import: checking rows ---------------------------------------------------------------------


@dataclass
class RowError:
    #: The spreadsheet row (1 = the headings), or None for the file as a whole.
    row: int | None
    column: str
    message: str


@dataclass
class ImportReport:
    """What a file holds: its valid rows, and every problem with the row and column it is in."""

    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    #: The file could not be used at all (not a spreadsheet, missing columns): nothing to confirm.
    fatal: bool = False
    #: Data rows read, valid or not.
    total: int = 0
    #: Library IDs of valid rows that will update a row already in the register.
    updates: list = field(default_factory=list)

    #: The row holding the column headings (blank rows above it are skipped).
    header_row: int = 1

    @property
    def has_errors(self):
        return bool(self.errors)

    @property
    def error_rows(self):
        """How many data rows have at least one problem."""
        return len({e.row for e in self.errors if e.row is not None and e.row > self.header_row})


def _text(value):
    """A cell as text: whole numbers without ".0", dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _cell_text(value):
    return unescape_cell(_text(value).strip()).strip()


def _heading_key(text):
    return " ".join(str(text).split()).casefold()


def _known_headings():
    known = {}
    for column in COLUMNS:
        for locale in LANGUAGES:
            with force_locale(locale):
                known[_heading_key(column.label)] = column.key
        for alias in column.aliases:
            known[_heading_key(alias)] = column.key
    return known


def _is_blank(row):
    return all(_text(cell).strip() == "" for cell in row)


def _column_name(key):
    return next(str(c.label) for c in COLUMNS if c.key == key)


_DIGITS = re.compile(r"[0-9]+", re.ASCII)


def _library_number(value):
    """(number, None) or (None, message)."""
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float):
        number = int(value) if value.is_integer() else None
    else:
        text = _cell_text(value)
        if not text:
            return None, _("The library ID is missing.")
        number = int(text) if _DIGITS.fullmatch(text) else None
    if number is None or number < 1:
        return None, _(
            "“%(value)s” is not a library ID: write a positive whole number, for example 732.", value=_cell_text(value)
        )
    if number > services.MAX_LIBRARY_NUMBER:
        return None, _("%(value)s is too large for a library ID.", value=number)
    return number, None


def parse_import(data, filename, existing, locale):
    """Read and check an uploaded file against the register.

    :param existing: how many rows the register has per library ID (a Counter).
    :param locale: the workshop's language, in which categories are listed.
    """
    report = ImportReport()
    try:
        table = read_table(data, filename)
    except NotReadable as error:
        report.fatal = True
        report.errors.append(RowError(None, "", str(error)))
        return report

    table = [(number, row) for number, row in table if not _is_blank(row)]
    if not table:
        report.fatal = True
        report.errors.append(RowError(None, "", _("The file is empty.")))
        return report
    (header_row, headings), data_rows = table[0], table[1:]
    report.header_row = header_row
    report.total = len(data_rows)
    if len(data_rows) > MAX_ROWS:
        report.fatal = True
        report.errors.append(RowError(None, "", _too_large(reading.TooLarge("rows"))))
        return report

    positions = _check_headings(headings, data_rows, header_row, report)
    if report.fatal:
        return report
    if not data_rows:
        report.fatal = True
        report.errors.append(RowError(None, "", _("The file has the column headings but no rows below them.")))
        return report

    checked = []
    for index, (row_number, row) in enumerate(data_rows, 1):
        checked.append((row_number, *_check_row(row_number, row, positions, existing, locale, report)))
        if index % ROWS_PER_SLICE == 0:
            reading.pause()  # other requests run between slices of a large file
    rows_of = {}
    for row_number, number, _parsed in checked:
        if number is not None:
            rows_of.setdefault(number, []).append(row_number)
    id_column = _column_name("library_number")
    for row_number, number, parsed in checked:
        if number is not None and len(rows_of[number]) > 1:
            report.errors.append(
                RowError(
                    row_number,
                    id_column,
                    _(
                        "The library ID %(id)s is in more than one row (rows %(rows)s). Keep it in one row only.",
                        id=number,
                        rows=", ".join(str(n) for n in rows_of[number]),
                    ),
                )
            )
        elif parsed is not None:
            report.rows.append(parsed)
            if existing.get(number):
                report.updates.append(number)
    report.errors.sort(key=lambda e: e.row or 0)
    return report


def _check_headings(heading_row, data_rows, header_row, report):
    """Map each column key to its position; report missing, doubled, unknown and unnamed columns."""
    known = _known_headings()
    positions = {}
    width = max([len(heading_row)] + [len(row) for _, row in data_rows])
    for index in range(width):
        heading = _text(heading_row[index]).strip() if index < len(heading_row) else ""
        letter = get_column_letter(index + 1)
        if not heading:
            if any(index < len(row) and _text(row[index]).strip() for _, row in data_rows):
                report.errors.append(
                    RowError(
                        header_row,
                        _("column %(letter)s", letter=letter),
                        _("This column has values but no heading, so they are not imported."),
                    )
                )
            continue
        key = known.get(_heading_key(heading))
        if key is None:
            report.errors.append(
                RowError(
                    header_row,
                    heading,
                    _(
                        "Unknown column “%(heading)s” (column %(letter)s): it is not imported. The register's columns "
                        "are: %(columns)s.",
                        heading=heading,
                        letter=letter,
                        columns=", ".join(str(c.label) for c in COLUMNS),
                    ),
                )
            )
        elif key in positions:
            report.fatal = True
            report.errors.append(
                RowError(
                    header_row,
                    heading,
                    _(
                        "The column “%(heading)s” appears twice (columns %(first)s and %(second)s). Keep one.",
                        heading=heading,
                        first=get_column_letter(positions[key] + 1),
                        second=letter,
                    ),
                )
            )
        else:
            positions[key] = index
    for column in COLUMNS:
        if column.key not in positions:
            report.fatal = True
            report.errors.append(
                RowError(
                    header_row,
                    str(column.label),
                    _(
                        "The column “%(heading)s” is missing. The first row must name these columns: %(columns)s.",
                        heading=str(column.label),
                        columns=", ".join(str(c.label) for c in COLUMNS),
                    ),
                )
            )
    return positions


def _check_row(row_number, row, positions, existing, locale, report):
    """(library ID or None, ImportRow or None): the row if valid, else its errors go into the report."""

    def cell(key):
        index = positions[key]
        return row[index] if index < len(row) else None

    errors = []
    number, problem = _library_number(cell("library_number"))
    if problem:
        errors.append(RowError(row_number, _column_name("library_number"), problem))
    elif existing.get(number, 0) > 1:
        errors.append(
            RowError(
                row_number,
                _column_name("library_number"),
                _(
                    "The register already has %(count)d rows with the library ID %(id)s, so this row cannot say which one "
                    "to update. Correct the register first.",
                    count=existing[number],
                    id=number,
                ),
            )
        )

    texts = {key: clean_text(_cell_text(cell(key))) for key in COLUMN_LIMITS}
    if not texts["library_name"]:
        errors.append(RowError(row_number, _column_name("library_name"), _("The library name is missing.")))
    category, description = None, ""
    try:
        category, description = split_service(texts["service"])
    except UnknownCategory as unknown:
        labels = CATEGORY_CHOICES.get(locale, CATEGORY_CHOICES["en"])
        errors.append(
            RowError(
                row_number,
                _column_name("service"),
                _(
                    "“%(label)s” is not a service category. Use one of: %(categories)s, or write the service without a "
                    "category.",
                    label=unknown.label,
                    categories=", ".join(labels),
                ),
            )
        )
    lengths = dict(texts, service=description)
    for key, limit in COLUMN_LIMITS.items():
        if len(lengths[key]) > limit:
            errors.append(
                RowError(
                    row_number,
                    _column_name(key),
                    _(
                        "This cell is too long: %(length)d characters, at most %(max)d.",
                        length=len(lengths[key]),
                        max=limit,
                    ),
                )
            )
    if errors:
        report.errors.extend(errors)
        return number, None
    return number, ImportRow(
        row_number=row_number,
        library_number=number,
        library_name=texts["library_name"],
        municipality=texts["municipality"],
        settlement=texts["settlement"],
        service_category=category,
        service_description=description,
        target_group=texts["target_group"],
    )
