"""Hand-made XLSX files: the hostile ones an attacker uploads, and the largest file the import accepts.

bench/register_import.py builds its files with these too, so the figures it prints are about the
files the tests refuse.
"""

import io
import struct
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
    f'<Relationship Id="rId1" Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}">'
    '<sheets><sheet name="Register" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
    f'<Relationship Id="rId1" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"


def _escape(text):
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def inline_cell(text):
    return f'<c t="inlineStr"><is><t>{_escape(text)}</t></is></c>'


def row_xml(number, values):
    """A row of inline-string cells (numbers as numbers), without cell references."""
    cells = "".join(f"<c><v>{v}</v></c>" if isinstance(v, int) else inline_cell(v) for v in values)
    return f'<row r="{number}">{cells}</row>'


def workbook(sheet_chunks, members=(), compression=zipfile.ZIP_DEFLATED):
    """An XLSX whose first sheet's XML is the concatenated `sheet_chunks`, written member by member.

    The sheet is streamed into the zip, so a sheet of a hundred megabytes needs little memory.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
        info.compress_type = compression
        with archive.open(info, "w") as sheet:
            for chunk in sheet_chunks:
                sheet.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
        for name, content in members:
            archive.writestr(name, content)
    return buffer.getvalue()


def wide_row(cells, headings=()):
    """One row: `headings`, then `cells` inline-string cells, as the 325 kB upload that froze the server."""

    def chunks():
        yield SHEET_HEAD + '<row r="1">' + "".join(inline_cell(h) for h in headings)
        block = inline_cell("x") * 10_000
        for _ in range(cells // 10_000):
            yield block
        yield inline_cell("x") * (cells % 10_000)
        yield "</row>" + SHEET_TAIL

    return workbook(chunks())


def padded_sheet(size):
    """A sheet of one small row, then `size` bytes of spaces: a zip bomb (spaces pack about 1000 to 1)."""

    def chunks():
        yield SHEET_HEAD + row_xml(1, ["Library ID"])
        block = b" " * (1 << 20)
        for _ in range(size >> 20):
            yield block
        yield SHEET_TAIL

    return workbook(chunks())


def many_members(count):
    """A valid workbook with `count` extra empty members."""
    return workbook(
        [SHEET_HEAD + row_xml(1, ["Library ID"]) + SHEET_TAIL],
        members=[(f"xl/media/image{n}.bin", b"") for n in range(count)],
    )


def bzip2_sheet():
    """A workbook whose sheet is packed with bzip2, which Excel never writes and which unpacks unbounded."""
    return workbook([SHEET_HEAD + row_xml(1, ["Library ID"]) + SHEET_TAIL], compression=zipfile.ZIP_BZIP2)


def lying_size(data, name="xl/worksheets/sheet1.xml", claimed=100):
    """`data` with the central directory claiming `name` unpacks to only `claimed` bytes."""
    data = bytearray(data)
    encoded = name.encode()
    position = data.rfind(b"PK\x01\x02")
    while position != -1:
        name_length = struct.unpack_from("<H", data, position + 28)[0]
        if bytes(data[position + 46 : position + 46 + name_length]) == encoded:
            struct.pack_into("<I", data, position + 24, claimed)
            return bytes(data)
        position = data.rfind(b"PK\x01\x02", 0, position)
    raise ValueError(f"{name} is not in the archive")


def register_rows(headings, rows, columns):
    """A sheet of the headings and `rows` register rows, each padded with note columns up to `columns`."""

    def chunks():
        yield SHEET_HEAD + row_xml(1, list(headings) + [f"Note {n}" for n in range(len(headings), columns)])
        for number in range(rows):
            values = [
                732 + number,
                f"НЧ „Библиотека {number}“",
                "Бобошево",
                "гр. Бобошево",
                "Е-здраве: Обучение на възрастни за работа с телефон",
                "Възрастни хора",
            ]
            values += ["бележка"] * (columns - len(values))
            yield row_xml(number + 2, values)
        yield SHEET_TAIL

    return workbook(chunks())
