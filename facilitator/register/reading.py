"""Read an uploaded CSV or XLSX within bounds, streaming, letting other requests run meanwhile.

The web process serves every workshop from one gevent event loop, so an upload must never keep
the CPU for long: a 325 kB workbook whose one row had 3,000,000 cells once kept it for a minute.
Here nothing is unpacked or parsed past a bound. The zip's directory is checked before it is
read; each member is unpacked in slices, counting what it really gives against what it declares;
the XML is parsed by expat as the slices arrive (no DTD, so no entity tricks); and the reader stops
at the first row, column or cell past its `Limits`. Between slices it pauses, so the loop serves
others while a large file is read.

Nothing here speaks to the user: `spreadsheets.read_table` turns `TooLarge` and `Unreadable` into
messages in their language.
"""

import csv
import io
import struct
import zipfile
from dataclasses import dataclass
from posixpath import dirname, join, normpath
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601

#: Unpacked XML is parsed this many bytes at a time, with a pause after each slice.
SLICE = 32 * 1024
#: CSV characters read between two pauses.
CSV_SLICE = 64 * 1024
#: A CSV line with more separators than this is refused before the csv module splits it.
CSV_MAX_SEPARATORS = 10_000
#: Bytes a part of the zip that is not a sheet may unpack to (the workbook, relationships, styles).
SMALL_PART = 4 * 1024 * 1024

_RELATIONSHIP_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_EOCD = b"PK\x05\x06"
#: The smallest central-directory entry (46 bytes) plus room for a name and extra fields.
_DIRECTORY_ENTRY = 46 + 512


@dataclass(frozen=True)
class Limits:
    """What a file may hold; past any of these it is refused as a whole."""

    rows: int  # rows with a value, the headings included
    columns: int  # the last column that may hold a value
    cells: int  # cells with a value
    unpacked: int  # bytes all XLSX members read may unpack to, together
    members: int  # entries in the zip
    elements: int  # XML elements in all members read, together


class TooLarge(Exception):
    """The file is past a bound: `bound` is "rows", "columns", "cells", "unpacked" or "members"."""

    def __init__(self, bound, row=None, column=None):
        super().__init__(bound)
        self.bound = bound
        self.row = row
        self.column = column


class Unreadable(Exception):
    """Not a file we can read: `code` is "xlsx", "ods", "spreadsheet", "encoding", "empty" or "csv"."""

    def __init__(self, code, row=None):
        super().__init__(code)
        self.code = code
        self.row = row


def cooperating():
    """Whether this process runs on gevent's loop (gunicorn's gevent worker patches the standard library)."""
    from gevent import monkey

    return monkey.is_module_patched("socket")


#: How long a pause lasts: long enough that the loop polls its sockets (sleep(0) only runs ready greenlets).
PAUSE_SECONDS = 0.001


def pause():
    """Let the event loop serve others between two slices of work; nothing to do outside gevent."""
    if cooperating():
        import gevent

        gevent.sleep(PAUSE_SECONDS)


def blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


class _Counter:
    """The rows, cells and XML elements read so far, against the limits."""

    def __init__(self, limits):
        self.limits = limits
        self.rows = 0
        self.cells = 0
        self.elements = 0
        self.unpacked = 0

    def row(self, number, values):
        """Count a row of values (a list); raise when it goes past the rows, columns or cells."""
        filled = [i for i, value in enumerate(values) if not blank(value)]
        if not filled:
            return False
        if filled[-1] >= self.limits.columns:
            raise TooLarge("columns", row=number, column=filled[-1] + 1)
        self.rows += 1
        if self.rows > self.limits.rows:
            raise TooLarge("rows")
        self.cells += len(filled)
        if self.cells > self.limits.cells:
            raise TooLarge("cells")
        return True


# --- CSV -----------------------------------------------------------------------------------------


def _decode(data):
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise Unreadable("spreadsheet") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Unreadable("encoding") from None


def _sniff_delimiter(text):
    """The separator the headings use: the commonest of comma, semicolon and tab on the first filled line."""
    head = text[: 1 << 20]  # the headings are near the top; blank lines above them are few
    first = next((line for line in io.StringIO(head, newline="") if line.strip(" ,;\t\r\n")), "")
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_csv(data, limits):
    """[(record number, [cells])] of the rows with a value; raises TooLarge or Unreadable."""
    text = _decode(data)
    pause()
    if "\x00" in text:
        raise Unreadable("spreadsheet")
    if not text or text.isspace():
        raise Unreadable("empty")
    delimiter = _sniff_delimiter(text)
    counter = _Counter(limits)
    records = 0

    def lines():
        unpaused = 0
        for line in io.StringIO(text, newline=""):
            if line.count(delimiter) > CSV_MAX_SEPARATORS:
                raise TooLarge("columns", row=records + 1, column=limits.columns + 1)
            unpaused += len(line)
            if unpaused > CSV_SLICE:
                pause()
                unpaused = 0
            yield line

    rows = []
    reader = csv.reader(lines(), delimiter=delimiter)
    try:
        for record in reader:
            records += 1
            if counter.row(records, record):
                rows.append((records, record[: limits.columns]))
            if records > 4 * limits.rows:  # thousands of blank lines: as many rows as far as work goes
                raise TooLarge("rows")
    except csv.Error:
        raise Unreadable("csv", row=records) from None
    return rows


# --- XLSX: the zip ---------------------------------------------------------------------------------


def _check_directory(data, limits):
    """Refuse a zip with too many entries before `zipfile` reads its whole directory."""
    end = data.rfind(_EOCD, max(0, len(data) - 65_557))
    if end == -1 or end + 22 > len(data):
        raise Unreadable("spreadsheet")
    entries, directory_size = struct.unpack_from("<HI", data, end + 10)
    if entries > limits.members or directory_size > limits.members * _DIRECTORY_ENTRY:
        raise TooLarge("members")


class _Archive:
    """The upload's zip: members unpacked in slices, each counted against its declared size and the limit."""

    def __init__(self, data, counter):
        self.counter = counter
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            raise Unreadable("spreadsheet") from None
        infos = self.zip.infolist()
        if len(infos) > counter.limits.members:
            raise TooLarge("members")
        self.infos = {info.filename: info for info in infos}

    def __contains__(self, name):
        return name in self.infos

    def slices(self, name, cap=None):
        """The member's bytes, SLICE at a time; past its declared size, `cap` or the total limit: refused."""
        info = self.infos[name]
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Unreadable("xlsx")  # encrypted, or packed in a way Excel never writes
        limit = self.counter.limits.unpacked
        if info.file_size > limit - self.counter.unpacked or (cap is not None and info.file_size > cap):
            raise TooLarge("unpacked")
        read = 0
        try:
            with self.zip.open(info) as member:
                while chunk := member.read(SLICE):
                    read += len(chunk)
                    self.counter.unpacked += len(chunk)
                    if read > info.file_size or self.counter.unpacked > limit:
                        raise TooLarge("unpacked")
                    yield chunk
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError):
            raise Unreadable("xlsx") from None

    def close(self):
        self.zip.close()


# --- XLSX: the XML -------------------------------------------------------------------------------


def _local(name):
    """The tag or attribute name without its namespace ("uri local" as expat gives it)."""
    return name[name.rfind(" ") + 1 :]


class _Handler:
    """What expat calls for a member's XML: elements counted against the limit, names without namespace."""

    def __init__(self, counter):
        self.counter = counter

    def start_element(self, name, attrs):
        counter = self.counter
        counter.elements += 1
        if counter.elements > counter.limits.elements:
            raise TooLarge("unpacked")
        self.start(name[name.rfind(" ") + 1 :], attrs)

    def end_element(self, name):
        self.end(name[name.rfind(" ") + 1 :])

    def start(self, tag, attrs):
        pass

    def end(self, tag):
        pass

    def text(self, data):
        pass


def _parse(slices, handler):
    """Feed a member's slices to expat, a pause after each; no DTD is allowed."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True

    def refuse(*args):
        raise Unreadable("xlsx")

    parser.StartElementHandler = handler.start_element
    parser.EndElementHandler = handler.end_element
    parser.CharacterDataHandler = handler.text
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        for chunk in slices:
            parser.Parse(chunk, False)
            pause()
        parser.Parse(b"", True)
    except expat.ExpatError:
        raise Unreadable("xlsx") from None


class _Collect(_Handler):
    """Attributes of every element named in `tags`, and nothing else."""

    def __init__(self, counter, *tags):
        super().__init__(counter)
        self.tags = tags
        self.found = []

    def start(self, tag, attrs):
        if tag in self.tags:
            self.found.append((tag, {_local(k): v for k, v in attrs.items()}))


def _relationships(archive, counter, part):
    """{id: (type, member name)} of a part's relationships, targets resolved against the part's folder."""
    folder = dirname(part)
    rels = join(folder, "_rels", part.rsplit("/", 1)[-1] + ".rels")
    if rels not in archive:
        return {}
    collect = _Collect(counter, "Relationship")
    _parse(archive.slices(rels, SMALL_PART), collect)
    found = {}
    for _tag, attrs in collect.found:
        target = attrs.get("Target", "")
        name = normpath(target.lstrip("/") if target.startswith("/") else join(folder, target))
        found[attrs.get("Id")] = (attrs.get("Type", ""), name)
    return found


def _of_type(relationships, kind):
    return next((name for type_, name in relationships.values() if type_ == _RELATIONSHIP_TYPES + kind), None)


class _SharedStrings(_Handler):
    """The shared string table: each <si>'s text runs joined, phonetic runs left out (as openpyxl reads it)."""

    def __init__(self, counter):
        super().__init__(counter)
        self.strings = []
        self.parts = None
        self.capture = False
        self.phonetic = False

    def start(self, tag, attrs):
        if tag == "si":
            self.parts = []
        elif tag == "t" and self.parts is not None and not self.phonetic:
            self.capture = True
        elif tag == "rPh":
            self.phonetic = True

    def end(self, tag):
        if tag == "t":
            self.capture = False
        elif tag == "rPh":
            self.phonetic = False
        elif tag == "si":
            self.strings.append("".join(self.parts).replace("x005F_", ""))
            self.parts = None

    def text(self, data):
        if self.capture:
            self.parts.append(data)


class _Styles(_Handler):
    """Which cell styles show numbers as dates or durations, so those cells read as dates."""

    def __init__(self, counter):
        super().__init__(counter)
        self.formats = {}
        self.cell_formats = []
        self.in_cell_xfs = False

    def start(self, tag, attrs):
        if tag == "numFmt":
            self.formats[attrs.get("numFmtId")] = attrs.get("formatCode", "")
        elif tag == "cellXfs":
            self.in_cell_xfs = True
        elif tag == "xf" and self.in_cell_xfs:
            self.cell_formats.append(attrs.get("numFmtId", "0"))

    def end(self, tag):
        if tag == "cellXfs":
            self.in_cell_xfs = False

    def kinds(self):
        """{style index: "date" or "duration"}."""
        kinds = {}
        for index, format_id in enumerate(self.cell_formats):
            code = self.formats.get(format_id)
            if code is None and format_id.isdigit():
                code = BUILTIN_FORMATS.get(int(format_id), "General")
            if code and is_date_format(code):
                kinds[str(index)] = "duration" if is_timedelta_format(code) else "date"
        return kinds


def _column_number(reference):
    """3 for "C7"; raises Unreadable for a reference that is not one."""
    number = 0
    for char in reference:
        if "A" <= char <= "Z":
            number = number * 26 + ord(char) - 64
        elif char.isdigit():
            break
        else:
            raise Unreadable("xlsx")
    if number == 0:
        raise Unreadable("xlsx")
    return number


class _Sheet(_Handler):
    """A worksheet's rows with a value, as [(row number, [values])], checked against the limits cell by cell."""

    def __init__(self, counter, shared, styles, epoch):
        super().__init__(counter)
        self.limits = counter.limits
        self.shared = shared
        self.styles = styles
        self.epoch = epoch
        self.rows = []
        self.row_number = 0
        self.values = None
        self.column = 0
        self.capture = None
        self.phonetic = False

    def start_element(self, name, attrs):  # the hot path: one call per element, no helpers
        counter = self.counter
        counter.elements += 1
        if counter.elements > counter.limits.elements:
            raise TooLarge("unpacked")
        tag = name[name.rfind(" ") + 1 :]
        if tag == "c":
            reference = attrs.get("r")
            self.column = _column_number(reference) if reference else self.column + 1
            self.kind = attrs.get("t", "n")
            self.style = attrs.get("s")
            self.value_parts = []
            self.inline_parts = None
        elif tag == "v":
            self.capture = self.value_parts
        elif tag == "is":
            self.inline_parts = []
        elif tag == "t" and self.inline_parts is not None and not self.phonetic:
            self.capture = self.inline_parts
        elif tag == "rPh":
            self.phonetic = True
        elif tag == "row":
            number = attrs.get("r")
            try:
                self.row_number = int(number) if number else self.row_number + 1
            except ValueError:
                raise Unreadable("xlsx") from None
            self.values = {}
            self.column = 0

    def end_element(self, name):
        tag = name[name.rfind(" ") + 1 :]
        if tag in ("v", "t"):
            self.capture = None
        elif tag == "rPh":
            self.phonetic = False
        elif tag == "c":
            self._cell()
        elif tag == "row":
            self._row()

    def text(self, data):
        if self.capture is not None:
            self.capture.append(data)

    def _cell(self):
        if not self.value_parts and self.inline_parts is None:
            return  # an empty cell, perhaps only formatted
        value = self._value()
        if blank(value) or self.values is None:
            return
        if self.column > self.limits.columns:
            raise TooLarge("columns", row=self.row_number, column=self.column)
        self.values[self.column] = value
        if self.counter.cells + len(self.values) > self.limits.cells:
            raise TooLarge("cells")

    def _value(self):
        if self.kind == "inlineStr":
            return "".join(self.inline_parts) if self.inline_parts is not None else None
        text = "".join(self.value_parts)
        if not text:
            return None
        try:
            if self.kind == "n":
                number = float(text) if "." in text or "e" in text or "E" in text else int(text)
                style = self.styles.get(self.style)
                if style is not None:
                    try:
                        return from_excel(number, self.epoch, timedelta=style == "duration")
                    except (OverflowError, ValueError):
                        return "#VALUE!"
                return number
            if self.kind == "s":
                return self.shared[int(text)]
            if self.kind == "b":
                return bool(int(text))
            if self.kind == "d":
                return from_ISO8601(text)
        except (ValueError, IndexError, TypeError):
            raise Unreadable("xlsx") from None
        return text  # "str" (a formula's text) and "e" (an error such as #N/A)

    def _row(self):
        values, self.values = self.values, None
        if not values:
            return
        row = [None] * max(values)
        for column, value in values.items():
            row[column - 1] = value
        if self.counter.row(self.row_number, row):
            self.rows.append((self.row_number, row))


def read_xlsx(data, limits):
    """[(row number, [values])] of the first worksheet's rows with a value; raises TooLarge or Unreadable."""
    _check_directory(data, limits)
    counter = _Counter(limits)
    archive = _Archive(data, counter)
    try:
        if "mimetype" in archive:
            kind = b"".join(archive.slices("mimetype", 200))
            if b"opendocument.spreadsheet" in kind:
                raise Unreadable("ods")
        package = _relationships(archive, counter, "")
        workbook = _of_type(package, "officeDocument") or "xl/workbook.xml"
        if workbook not in archive:
            raise Unreadable("xlsx")
        sheets = _Collect(counter, "sheet", "workbookPr")
        _parse(archive.slices(workbook, SMALL_PART), sheets)
        parts = _relationships(archive, counter, workbook)
        epoch = CALENDAR_WINDOWS_1900
        sheet = None
        for tag, attrs in sheets.found:
            if tag == "workbookPr" and attrs.get("date1904") in ("1", "true"):
                epoch = CALENDAR_MAC_1904
            elif tag == "sheet" and sheet is None:
                type_, name = parts.get(attrs.get("id"), ("", ""))
                if type_ == _RELATIONSHIP_TYPES + "worksheet":
                    sheet = name
        if sheet is None or sheet not in archive:
            raise Unreadable("xlsx")
        shared = _SharedStrings(counter)
        strings = _of_type(parts, "sharedStrings")
        if strings in archive:
            _parse(archive.slices(strings), shared)
        styles = _Styles(counter)
        stylesheet = _of_type(parts, "styles")
        if stylesheet in archive:
            _parse(archive.slices(stylesheet, SMALL_PART), styles)
        reader = _Sheet(counter, shared.strings, styles.kinds(), epoch)
        _parse(archive.slices(sheet), reader)
        return reader.rows
    finally:
        archive.close()
