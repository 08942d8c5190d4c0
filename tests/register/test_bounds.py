"""Uploads past the import's bounds are refused at once, naming the bound, and never hold the server.

A 325 kB workbook whose one row has 3,000,000 cells used to keep the gevent worker parsing for a
minute, so every save of every workshop waited. bench/register_import.py prints how fast each of
these files is refused and how long the largest accepted file takes.
"""

import contextvars

import gevent
import pytest

from facilitator.register import reading, services, spreadsheets

from . import workbooks
from .test_spreadsheets import HEADERS_EN, csv_bytes, errors_of, parse
from .test_views import demo, numbers, text, upload, url  # noqa: F401 (demo is a fixture)

LIMITS = "A register file may have at most 2,000 rows and 30 columns"
SIZE = (
    "This workbook is larger than we accept once unpacked: at most 16 MB. "
    + LIMITS
    + ": keep only the register's sheet, or split it into smaller files."
)
NOT_READABLE = (
    "This file is not an Excel workbook we can read. Open it in Excel or LibreOffice, save it as .xlsx "
    "or CSV, and upload it again."
)


def refusal(report):
    """The one message of a file refused as a whole."""
    assert report.fatal and report.rows == [] and len(report.errors) == 1, errors_of(report)
    assert report.errors[0].row is None
    return report.errors[0].message


def register_csv(rows, extra=()):
    return csv_bytes(
        [HEADERS_EN + [f"Note {n}" for n in range(len(extra))]]
        + [[str(732 + n), f"НЧ {n}", "Рила", "гр. Рила", "", "", *extra] for n in range(rows)]
    )


# --- XLSX ----------------------------------------------------------------------------------------


def test_a_row_of_300000_cells_is_refused_at_the_column_bound(app, en):
    data = workbooks.wide_row(300_000, headings=HEADERS_EN)
    assert len(data) < 40_000  # what a fresh sign-up uploads
    assert refusal(parse(data, "register.xlsx")) == (
        "Row 1 has a value in column AE. " + LIMITS + " (A to AD): delete the columns after AD."
    )


def test_a_row_of_empty_cells_is_refused_at_the_cell_bound(app, en):
    data = workbooks.workbook(
        [
            workbooks.SHEET_HEAD,
            workbooks.row_xml(1, HEADERS_EN)[:-6],
            "<c/>" * 3_000_000,
            "</row>",
            workbooks.SHEET_TAIL,
        ]
    )
    assert refusal(parse(data, "register.xlsx")) == SIZE


def test_a_zip_bomb_is_refused_before_it_is_unpacked(app, en):
    data = workbooks.padded_sheet(64 << 20)
    assert len(data) < 200_000
    assert refusal(parse(data, "register.xlsx")) == SIZE


def test_a_member_unpacking_to_more_than_it_declares_is_refused(app, en):
    data = workbooks.lying_size(workbooks.padded_sheet(1 << 20))
    assert refusal(parse(data, "register.xlsx")) == NOT_READABLE


def test_a_workbook_of_too_many_parts_is_refused(app, en):
    assert refusal(parse(workbooks.many_members(400), "register.xlsx")) == (
        "This workbook has more than 300 parts (sheets, pictures, charts), more than we accept. Save the register "
        "alone as a new workbook, or as CSV, and upload that."
    )


def test_packing_excel_never_writes_and_entity_tricks_are_refused(app, en):
    assert refusal(parse(workbooks.bzip2_sheet(), "register.xlsx")) == NOT_READABLE
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        f'<worksheet xmlns="{workbooks.MAIN}"><sheetData><row r="1">'
        '<c t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    assert refusal(parse(workbooks.workbook([laughs]), "register.xlsx")) == NOT_READABLE


def test_too_many_rows_in_a_workbook(app, en):
    data = workbooks.register_rows(HEADERS_EN, 2001, columns=6)
    assert refusal(parse(data, "register.xlsx")) == (
        "The file has more than 2,000 rows. " + LIMITS + ": split it into smaller files."
    )


def test_the_largest_accepted_workbook_is_read_whole(app, en):
    data = workbooks.register_rows(HEADERS_EN, 2000, columns=12)
    report = parse(data, "register.xlsx")
    assert not report.fatal and len(report.rows) == 2000 and report.total == 2000
    assert [e.column for e in report.errors] == [f"Note {n}" for n in range(6, 12)]  # unknown columns, named
    assert report.rows[-1].row_number == 2001 and report.rows[-1].library_number == 2731


def test_a_value_far_down_the_sheet_keeps_its_row_number(app, en):
    data = workbooks.workbook(
        [
            workbooks.SHEET_HEAD,
            workbooks.row_xml(1, HEADERS_EN),
            workbooks.row_xml(1_000_000, [900, "НЧ Далече"]),
            workbooks.SHEET_TAIL,
        ]
    )
    report = parse(data, "register.xlsx")
    assert [(r.row_number, r.library_number) for r in report.rows] == [(1_000_000, 900)]


# --- CSV -----------------------------------------------------------------------------------------


def test_too_many_rows_in_a_csv(app, en):
    assert refusal(parse(register_csv(2001))) == "The file has more than 2,000 rows. " + LIMITS + (
        ": split it into smaller files."
    )
    assert len(parse(register_csv(2000)).rows) == 2000


def test_a_value_past_the_last_column_of_a_csv(app, en):
    data = csv_bytes([HEADERS_EN, ["732", "НЧ Лоза", "", "", "", ""] + [""] * 24 + ["too far"]])
    assert refusal(parse(data)) == (
        "Row 2 has a value in column AE. " + LIMITS + " (A to AD): delete the columns after AD."
    )


def test_empty_columns_past_the_last_one_are_ignored(app, en):
    data = csv_bytes([HEADERS_EN + [""] * 40, ["732", "НЧ Лоза", "", "", "", ""] + [""] * 40])
    report = parse(data)
    assert report.errors == [] and [r.library_number for r in report.rows] == [732]


def test_a_csv_line_of_a_million_separators_is_refused(app, en):
    data = ",".join(HEADERS_EN).encode() + b"\r\n732" + b"," * 1_000_000 + b"\r\n"
    assert refusal(parse(data)).startswith("Row 2 has a value in column AE. " + LIMITS)


def test_too_many_filled_cells(app, en, monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_CELLS", 50)
    assert refusal(parse(register_csv(20))) == (
        "The file has more than 50 filled cells. " + LIMITS + ", and at most 50 filled cells: split it into "
        "smaller files."
    )


# --- through the page ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "build, filename, message",
    [
        (lambda: workbooks.wide_row(300_000, headings=HEADERS_EN), "register.xlsx", "Row 1 has a value in column AE."),
        (
            lambda: workbooks.padded_sheet(64 << 20),
            "register.xlsx",
            "This workbook is larger than we accept once unpacked",
        ),
        (lambda: register_csv(2001), "register.csv", "The file has more than 2,000 rows."),
    ],
    ids=["300k-cells", "zip-bomb", "2001-rows"],
)
def test_a_refused_upload_answers_422_with_the_form_and_saves_nothing(
    client,
    as_facilitator,
    hx,
    demo,
    build,
    filename,
    message,
    pending_imports,
):
    response = hx.post(demo, url(demo, "/import"), upload(build(), filename))
    body = text(response)
    assert response.status_code == 422
    assert "This file cannot be imported" in body and message in body and LIMITS in body
    assert 'name="file"' in body and 'name="token"' not in body
    assert len(numbers(demo)) == 18 and not list(pending_imports.glob("*.json"))


# --- the event loop ------------------------------------------------------------------------------


def test_reading_a_large_file_lets_other_greenlets_run(app, en, monkeypatch):
    """A participant's save is served while the largest accepted file is read, not after it."""
    monkeypatch.setattr(reading, "cooperating", lambda: True)
    data = workbooks.register_rows(HEADERS_EN, 2000, columns=12)
    ticks, done = [], []

    def participant():
        while not done:
            ticks.append(len(done))
            gevent.sleep(0)

    def facilitator():
        try:
            return parse(data, "register.xlsx")
        finally:
            done.append(True)

    other = gevent.spawn(participant)
    importing = gevent.spawn(contextvars.copy_context().run, facilitator)  # in this request's context
    gevent.joinall([importing, other])
    assert len(importing.value.rows) == 2000
    assert len(ticks) >= 20  # served throughout: the import paused at least that often


def test_a_large_register_page_is_rendered_in_slices(client, as_facilitator, workshop, monkeypatch):
    """Showing a register of hundreds of rows lets a participant's save through meanwhile."""
    services.import_rows(workshop, [services.ImportRow(n, 700 + n, f"НЧ {n}") for n in range(300)])
    monkeypatch.setattr(reading, "cooperating", lambda: True)
    ticks, done = [], []

    def participant():
        while not done:
            ticks.append(1)
            gevent.sleep(0)

    def facilitator():
        try:
            return client.get(url(workshop))
        finally:
            done.append(True)

    other = gevent.spawn(participant)
    page = gevent.spawn(contextvars.copy_context().run, facilitator)
    gevent.joinall([page, other])
    assert page.value.status_code == 200 and "НЧ 299" in text(page.value)
    assert len(ticks) >= 5
