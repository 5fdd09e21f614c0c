"""Excel workbooks (Office Open XML spreadsheets) written as a stream: rows of RDF terms go, a batch at a time, into
one zip entry per sheet, so a million rows take no more memory than a hundred.

A cell is a number when its literal is one (integers, decimals, doubles, booleans), a date when it is an ``xsd:date``
or ``xsd:dateTime`` Excel can show, a hyperlink when it is an ``http(s)`` IRI (shown as its CURIE), and text
otherwise (inline strings: no table of strings kept in memory). Excel's limits are kept: 1,048,576 rows a sheet (a
longer answer goes on to the next sheet, the heading repeated), 65,530 hyperlinks a sheet (later IRIs are written as
text, in full), 32,767 characters a cell, no characters XML cannot hold, and no zip entry above 2 GiB (a sheet whose
XML would pass it goes on to the next sheet), so the archive needs no ZIP64 records, which Excel reads badly.

>>> import io, zipfile
>>> out = io.BytesIO()
>>> write_workbook(out, ["n"], [(ox.Literal("7", datatype=ox.NamedNode(XSD.integer)),)])
1
>>> book = zipfile.ZipFile(out)
>>> '<c r="A2"><v>7</v></c>' in book.read("xl/worksheets/sheet1.xml").decode()
True
"""

from __future__ import annotations

import datetime
import itertools
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any

import pyoxigraph as ox

from .vocab import PREFIXES, XSD, curie

#: Rows a worksheet holds (Excel's limit), the heading row included.
SHEET_ROWS = 1_048_576
#: Hyperlinks a worksheet holds (Excel's limit); IRIs after it are written as text.
SHEET_LINKS = 65_530
#: Characters a cell holds (Excel's limit); longer text is cut.
CELL_CHARS = 32_767
#: Bytes of a sheet's rows: under a zip entry's 2 GiB without ZIP64, leaving room for the sheet's closing parts.
SHEET_BYTES = 2_140_000_000
#: Length of the longest address Excel follows as a hyperlink.
LINK_CHARS = 2_079
#: Width of a column, in characters.
COLUMN_WIDTH = 24

_BATCH = 1_000
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"

# Styles (cellXfs), by index: 0 plain, 1 heading, 2 date, 3 date and time, 4 hyperlink.
_HEADING, _DATE, _DATETIME, _LINK = 1, 2, 3, 4
_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><u/><sz val="11"/><color rgb="FF0563C1"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" applyNumberFormat="0" applyFill="0" applyBorder="0"'
    ' applyAlignment="0" applyProtection="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="1"/></cellXfs>'
    '<cellStyles count="2"><cellStyle name="Hyperlink" xfId="1" builtinId="8"/>'
    '<cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/>'
    '<tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/>'
    "</styleSheet>"
)
_PACKAGE_RELS = (
    f'{_HEAD}<Relationships xmlns="{_PACKAGE}">'
    f'<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)

_INTEGERS = {
    XSD.integer, XSD.int, XSD.long, XSD.short, XSD.byte, XSD.nonNegativeInteger, XSD.positiveInteger,
    XSD.nonPositiveInteger, XSD.negativeInteger, XSD.unsignedLong, XSD.unsignedInt, XSD.unsignedShort,
    XSD.unsignedByte,
}  # fmt: skip
_NUMBERS = {XSD.decimal, XSD.double, XSD.float}
_ANY_URI = str(XSD.anyURI)
_BOOLEAN = str(XSD.boolean)
_DATE_TYPE = str(XSD.date)
_DATETIME_TYPE = str(XSD.dateTime)
_DAY = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?:Z|[+-]\d\d:\d\d)?\Z")
_MOMENT = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d(?:\.\d+)?)(?:Z|[+-]\d\d:\d\d)?\Z")
#: Excel's day 0 (as Excel counts from March 1900 on) and the first day it shows rightly.
_EPOCH = datetime.date(1899, 12, 30).toordinal()
_FIRST_DAY = datetime.date(1900, 3, 1).toordinal()
# What text cannot hold as it is: XML's markup characters, characters XML 1.0 forbids, a carriage return (XML
# readers turn it into a line feed) and text that looks like Excel's own escape of a character (``_x0041_``).
_ESCAPES = re.compile(r"[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
_MAY_ESCAPE = re.compile(r"[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # one class: quicker to search
_MARKUP = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}


def write_workbook(
    out: IO[bytes],
    headings: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_name: str = "Sheet",
    sheet_rows: int = SHEET_ROWS,
    sheet_links: int = SHEET_LINKS,
    sheet_bytes: int = SHEET_BYTES,
) -> int:
    """Write ``rows`` (tuples of pyoxigraph terms, None where unbound) under ``headings`` as an XLSX workbook to
    ``out``, which need not be seekable; return the number of sheets (1 or more).

    Args:
        out: a binary stream; only ``write`` (and ``flush``) are used when it cannot seek.
        headings: the heading row, repeated at the top of every sheet.
        rows: the rows, read once, a batch at a time.
        sheet_name: sheets are called ``sheet_name`` followed by their number.
        sheet_rows, sheet_links, sheet_bytes: where a sheet ends; Excel's limits unless a test asks for less.
    """
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        _part(book, "_rels/.rels", _PACKAGE_RELS)
        _part(book, "xl/styles.xml", _STYLES)
        sheets = 0
        pending: Iterator[Sequence[Any]] = iter(rows)
        while True:
            sheets += 1
            sheet = _Sheet(headings, sheet_links)
            with book.open(f"xl/worksheets/sheet{sheets}.xml", "w") as stream:
                carry = sheet.write(stream, pending, first=sheets == 1, most=sheet_rows, size=sheet_bytes)
            if sheet.links:
                with book.open(f"xl/worksheets/_rels/sheet{sheets}.xml.rels", "w") as stream:
                    _write_all(stream, sheet.relationships())
            if carry is None:
                break
            pending = itertools.chain((carry,), pending)
        _part(book, "xl/workbook.xml", _workbook(sheet_name, sheets))
        _part(book, "xl/_rels/workbook.xml.rels", _workbook_relationships(sheets))
        _part(book, "[Content_Types].xml", _content_types(sheets))
    return sheets


def _part(book: zipfile.ZipFile, name: str, text: str) -> None:
    book.writestr(name, text.encode())


def _content_types(sheets: int) -> str:
    """What each part is: known once the sheets are written (the package's parts may come in any order)."""
    listed = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_OFFICE}.worksheet+xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_OFFICE}.styles+xml"/>{listed}</Types>'
    )


def _workbook(name: str, sheets: int) -> str:
    listed = "".join(f'<sheet name="{escape(name)}{n}" sheetId="{n}" r:id="rId{n}"/>' for n in range(1, sheets + 1))
    return (
        f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><bookViews><workbookView/></bookViews>'
        f"<sheets>{listed}</sheets></workbook>"
    )


def _workbook_relationships(sheets: int) -> str:
    listed = "".join(
        f'<Relationship Id="rId{n}" Type="{_RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheets + 1)
    )
    styles = f'<Relationship Id="rId{sheets + 1}" Type="{_RELS}/styles" Target="styles.xml"/>'
    return f'{_HEAD}<Relationships xmlns="{_PACKAGE}">{listed}{styles}</Relationships>'


class _Sheet:
    """One worksheet being written: its rows stream out; its hyperlinks (at most ``links``) are kept for the end."""

    def __init__(self, headings: Sequence[str], links: int) -> None:
        self.headings = headings
        self.letters = [column_letters(i) for i in range(len(headings))]
        self.room = links  # hyperlinks the sheet can still take
        self.links: list[tuple[str, str]] = []

    def write(
        self, stream: IO[bytes], rows: Iterator[Sequence[Any]], *, first: bool, most: int, size: int
    ) -> Sequence[Any] | None:
        """Write the sheet to ``stream`` until ``rows`` end (then None) or the sheet is full (then the row that did
        not fit, for the next sheet)."""
        stream.write(self.start(first).encode())
        number, written, chars = 1, 0, 0
        batch: list[str] = []
        carry: Sequence[Any] | None = None
        for row in rows:
            if number >= most:  # rows so far, the heading included
                carry = row
                break
            kept = len(self.links), self.room
            xml = self.row(number + 1, row)
            if written + 4 * (chars + len(xml)) > size:  # a UTF-8 character takes at most 4 bytes
                written += _flush(stream, batch)
                chars = 0
                if written + len(xml.encode()) > size and number > 1:
                    del self.links[kept[0] :]
                    self.room = kept[1]
                    carry = row
                    break
            batch.append(xml)
            chars += len(xml)
            number += 1
            if len(batch) == _BATCH:
                written += _flush(stream, batch)
                chars = 0
        _flush(stream, batch)
        _write_all(stream, self.end())
        return carry

    def start(self, first: bool) -> str:
        """The sheet up to its first data row: the heading row, frozen, and the columns' widths."""
        selected = ' tabSelected="1"' if first else ""
        columns = len(self.headings)
        widths = (
            f'<cols><col min="1" max="{columns}" width="{COLUMN_WIDTH}" customWidth="1"/></cols>' if columns else ""
        )
        heading = "".join(
            _text(f"{letter}1", name, _HEADING) for letter, name in zip(self.letters, self.headings, strict=True)
        )
        return (
            f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheetViews><sheetView{selected} workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
            f'{widths}<sheetData><row r="1">{heading}</row>'
        )

    def end(self) -> Iterator[str]:
        """The sheet after its last row: the hyperlinks' cells and their relationships' ids."""
        yield "</sheetData>"
        if self.links:
            yield "<hyperlinks>"
            yield from (f'<hyperlink ref="{ref}" r:id="rId{n}"/>' for n, (ref, _) in enumerate(self.links, 1))
            yield "</hyperlinks>"
        yield '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'

    def relationships(self) -> Iterator[str]:
        """The sheet's relationships part: where each hyperlink leads."""
        yield f'{_HEAD}<Relationships xmlns="{_PACKAGE}">'
        for n, (_, iri) in enumerate(self.links, 1):
            target = attribute(iri)
            yield f'<Relationship Id="rId{n}" Type="{_RELS}/hyperlink" Target="{target}" TargetMode="External"/>'
        yield "</Relationships>"

    def row(self, number: int, row: Sequence[Any]) -> str:
        """One row as XML; unbound values leave their cells out."""
        r = str(number)
        cell = self.cell
        cells = "".join(
            [cell(letter + r, term) for letter, term in zip(self.letters, row, strict=True) if term is not None]
        )
        return f'<row r="{r}">{cells}</row>'

    def cell(self, ref: str, term: Any) -> str:
        """One term as a cell at ``ref``: the kinds most answers hold most are tried first."""
        if type(term) is ox.Literal:
            text = term.value
            if term.language is None:
                kind = _KINDS.get(term.datatype.value)
                if kind is _link:
                    return self.link(ref, text, text)
                if kind is not None:
                    return kind(ref, text)
        elif type(term) is ox.NamedNode:
            return self.link(ref, term.value, None)
        elif type(term) is ox.BlankNode:
            text = "_:" + term.value
        else:
            text = str(term)
        if _MAY_ESCAPE.search(text) is None and "_x" not in text and text.strip() is text and len(text) <= CELL_CHARS:
            return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'  # (what _text gives, sooner)
        return _text(ref, text)

    def link(self, ref: str, iri: str, shown: str | None) -> str:
        """A hyperlink to ``iri`` shown as ``shown`` (its CURIE when None) while the sheet has room for one and Excel
        can follow it; else the address as text."""
        if self.room and iri.startswith(("http://", "https://")) and len(iri) <= LINK_CHARS:
            self.room -= 1
            self.links.append((ref, iri))
            return _text(ref, short(iri) if shown is None else shown, _LINK)
        return _text(ref, iri)


def short(iri: str) -> str:
    """``iri`` as its CURIE, as :func:`kg.vocab.curie` gives it, with the namespace looked up once for all the IRIs
    under the same path.

    >>> short("https://w3id.org/sce/id/kuaishou"), short("https://example.org/a")
    ('id:kuaishou', 'https://example.org/a')
    """
    cut = max(iri.rfind("/"), iri.rfind("#")) + 1
    folder = iri[:cut]
    known = _NAMESPACES.get(folder)
    if known is None:
        if len(_NAMESPACES) > 10_000:
            _NAMESPACES.clear()
        fits = [(len(n), p) for p, n in PREFIXES.items() if folder.startswith(n)]
        known = _NAMESPACES[folder] = max(fits) if fits else (0, "")
    length, prefix = known
    if not prefix:
        return iri
    local = iri[length:]
    return f"{prefix}:{local}" if _PLAIN_LOCAL.fullmatch(local) else curie(iri)


#: The longest known namespace (its length and prefix) that each IRI's path up to its last ``/`` or ``#`` begins with.
_NAMESPACES: dict[str, tuple[int, str]] = {}
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9_.-]*[A-Za-z0-9_-]")


def _write_all(stream: IO[bytes], pieces: Iterable[str]) -> None:
    """Write ``pieces`` of text to ``stream`` a thousand at a time."""
    batch: list[str] = []
    for piece in pieces:
        batch.append(piece)
        if len(batch) == _BATCH:
            _flush(stream, batch)
    _flush(stream, batch)


def _flush(stream: IO[bytes], batch: list[str]) -> int:
    data = "".join(batch).encode()
    stream.write(data)
    batch.clear()
    return len(data)


def _text(ref: str, text: str, style: int = 0) -> str:
    """A text cell (cut to Excel's 32,767 characters), escaped only when it needs to be.

    >>> _text("A1", "a < b ")
    '<c r="A1" t="inlineStr"><is><t xml:space="preserve">a &lt; b </t></is></c>'
    """
    if len(text) > CELL_CHARS:
        text = text[:CELL_CHARS]
    styled = f' s="{style}"' if style else ""
    if _MAY_ESCAPE.search(text) is None and "_x" not in text and text.strip() is text:
        return f'<c r="{ref}"{styled} t="inlineStr"><is><t>{text}</t></is></c>'
    return f'<c r="{ref}"{styled} t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def _number(ref: str, value: Any, style: int = 0) -> str:
    styled = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{styled}><v>{value}</v></c>'


def _integer(ref: str, text: str) -> str:
    """An integer as a number while Excel keeps every digit (15), else as text.

    >>> _integer("B2", "74565800"), _integer("B2", "1234567890123456")[-29:]
    ('<c r="B2"><v>74565800</v></c>', '1234567890123456</t></is></c>')
    """
    try:
        value = int(text)
    except ValueError:
        return _text(ref, text)
    return _number(ref, value) if -(10**15) < value < 10**15 else _text(ref, text)


def _decimal(ref: str, text: str) -> str:
    """A decimal, float or double as a number; infinities, NaN and numbers past 15 digits' reach as text."""
    try:
        value = float(text)
    except ValueError:
        return _text(ref, text)
    return _number(ref, repr(value)) if abs(value) < 1e15 else _text(ref, text)


def _boolean(ref: str, text: str) -> str:
    if text in ("true", "1", "false", "0"):
        return f'<c r="{ref}" t="b"><v>{1 if text in ("true", "1") else 0}</v></c>'
    return _text(ref, text)


def _date(ref: str, text: str) -> str:
    """An ``xsd:date`` as Excel's day number, shown as a date; a date Excel cannot show (before March 1900) as text.

    >>> _date("A2", "2019-03-14"), _date("A2", "1840-06-03")[-23:]
    ('<c r="A2" s="2"><v>43538</v></c>', '1840-06-03</t></is></c>')
    """
    day = _DAYS.get(text)
    if day is None:
        if len(_DAYS) >= 100_000:
            _DAYS.clear()
        found = _day(_DAY.match(text))
        day = _DAYS[text] = "" if found is None else str(found)
    return f'<c r="{ref}" s="{_DATE}"><v>{day}</v></c>' if day else _text(ref, text)


#: The day numbers of the dates seen lately ("" for a date Excel cannot show): answers repeat their days.
_DAYS: dict[str, str] = {}


def _moment(ref: str, text: str) -> str:
    """An ``xsd:dateTime`` as Excel's day number and fraction of a day, as written (its time zone left aside)."""
    found = _MOMENT.match(text)
    day = _day(found)
    if found is None or day is None:
        return _text(ref, text)
    hours, minutes, seconds = int(found[4]), int(found[5]), float(found[6])
    if hours > 23 or minutes > 59 or seconds >= 60:
        return _text(ref, text)
    return _number(ref, repr(day + (hours * 3600 + minutes * 60 + seconds) / 86400), _DATETIME)


def _day(found: re.Match[str] | None) -> int | None:
    if found is None:
        return None
    try:
        ordinal = datetime.date(int(found[1]), int(found[2]), int(found[3])).toordinal()
    except ValueError:
        return None
    return ordinal - _EPOCH if ordinal >= _FIRST_DAY else None


def _link(ref: str, text: str) -> str:  # a marker in _KINDS: anyURI literals are links, which the sheet counts
    raise NotImplementedError


_KINDS: dict[str, Callable[[str, str], str]] = {
    **dict.fromkeys(map(str, _INTEGERS), _integer),
    **dict.fromkeys(map(str, _NUMBERS), _decimal),
    _BOOLEAN: _boolean,
    _DATE_TYPE: _date,
    _DATETIME_TYPE: _moment,
    _ANY_URI: _link,
}


def escape(text: str) -> str:
    """``text`` made fit for a cell: markup escaped, characters XML cannot hold (and text that looks like Excel's
    escape of one) written as Excel's ``_xHHHH_``.

    >>> escape("a & b\x01 _x0041_")
    'a &amp; b_x0001_ _x005F_x0041_'
    """
    return _ESCAPES.sub(_escaped, text)


def _escaped(found: re.Match[str]) -> str:
    matched = found[0]
    if matched in _MARKUP:
        return _MARKUP[matched]
    if len(matched) > 1:
        return "_x005F" + matched
    return f"_x{ord(matched):04X}_"


def attribute(text: str) -> str:
    """``text`` made fit for an XML attribute's value.

    >>> attribute('a"b&c')
    'a&quot;b&amp;c'
    """
    return escape(text).replace('"', "&quot;")


def column_letters(index: int) -> str:
    """The letters of the column at ``index`` (from 0), as Excel names it.

    >>> column_letters(0), column_letters(25), column_letters(26), column_letters(16383)
    ('A', 'Z', 'AA', 'XFD')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
