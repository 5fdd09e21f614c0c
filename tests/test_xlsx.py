"""Excel workbooks: read back with openpyxl (values, types, hyperlinks) and converted by LibreOffice; Excel's limits
(rows, hyperlinks, characters a sheet or cell holds) tried with small limits."""

from __future__ import annotations

import csv
import datetime
import io
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
from click.testing import CliRunner
from openpyxl import load_workbook

from kg.cli import main
from kg.results import XLSX, Result
from kg.vocab import ID, PREFIXES, XSD, curie
from kg.xlsx import CELL_CHARS, short, write_workbook

from .conftest import need


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_a_workbook_holds_numbers_dates_both_languages_and_links(tmp_path: Path) -> None:
    target = tmp_path / "fines.xlsx"
    code, out, err = run("query", "events-of-kind", "-p", "kind=处罚", "-o", str(target))
    assert code == 0 and out == "" and err == ""
    sheet = load_workbook(target).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    names = list(rows[0])
    assert names[:4] == ["date", "event", "event_en", "event_zh"]
    events = [row[names.index("event")] for row in rows[1:]]
    at = events.index("id:event-huasheng-riji-fined-2019") + 1  # the first row with a whole date
    fine = dict(zip(names, rows[at], strict=True))
    assert fine["date"] == datetime.datetime(2019, 3, 14) and sheet.cell(at + 1, 1).number_format == "yyyy-mm-dd"
    assert fine["fine_yuan"] == 74565800 and isinstance(fine["fine_yuan"], int | float)
    assert fine["event_zh"] == "花生日记因传销被罚" and fine["event_en"] == "Huasheng Riji fined for pyramid selling"
    event = sheet.cell(at + 1, names.index("event") + 1)
    assert event.hyperlink.target == "https://w3id.org/sce/id/event-huasheng-riji-fined-2019"
    assert event.value == "id:event-huasheng-riji-fined-2019"
    url = sheet.cell(at + 1, names.index("url") + 1)
    assert url.value.startswith("https://") and url.hyperlink.target == url.value
    assert rows[1][0] == "2017"  # a year alone stays text: no day is invented for it
    code, csv_out, _ = run("query", "events-of-kind", "-p", "kind=处罚", "-f", "csv")
    assert len(rows) == len(list(csv.reader(io.StringIO(csv_out))))  # every row, the heading included


def test_a_year_alone_and_odd_values_stay_text(tmp_path: Path) -> None:
    rows = [
        (
            ox.Literal("2021", datatype=ox.NamedNode(XSD.gYear)),
            ox.Literal("not a number", datatype=ox.NamedNode(XSD.integer)),
            None,
        )
    ]
    target = tmp_path / "odd.xlsx"
    with target.open("wb") as out:
        Result.select(["when", "n", "empty"], rows).write(out, "xlsx")
    values = list(load_workbook(target).worksheets[0].iter_rows(values_only=True))
    assert values == [("when", "n", "empty"), ("2021", "not a number", None)]


def test_an_unknown_ending_is_refused_in_one_line_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out.xslx"
    code, out, err = run("query", "models", "-o", str(target))
    assert code == 2 and out == "" and not target.exists()
    assert err.count("\n") == 1 and "'.xslx'" in err and ".xlsx" in err


def test_an_ask_answer_has_no_workbook() -> None:
    code, _, err = run("sparql", "ASK { ?s ?p ?o }", "-f", "xlsx")
    assert code == 2 and "xlsx" in err


def test_libreoffice_reads_the_workbook(tmp_path: Path) -> None:
    need(shutil.which("soffice") is not None, "LibreOffice (libreoffice-calc-nogui) is not installed")
    target = tmp_path / "models.xlsx"
    assert run("query", "models", "-o", str(target))[0] == 0
    odd = tmp_path / "odd.xlsx"
    with odd.open("wb") as out:
        write_workbook(out, ["text", "when"], ODD_ROWS)
    home = tmp_path / "home"
    profile = f"-env:UserInstallation=file://{home}"
    to_csv = "csv:Text - txt - csv (StarCalc):44,34,76"
    command = [
        "soffice",
        profile,
        "--headless",
        "--convert-to",
        to_csv,
        "--outdir",
        str(tmp_path),
        str(target),
        str(odd),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    rows = list(csv.reader((tmp_path / "models.csv").open(encoding="utf-8")))
    assert rows[0] == ["model", "name_en", "name_zh", "definition_en", "definition_zh"]
    assert {r[2] for r in rows[1:]} == {"拼购型", "分销型", "内容型", "社区团购型"}
    odd_rows = list(csv.reader((tmp_path / "odd.csv").open(encoding="utf-8", newline="")))
    assert [r[0] for r in odd_rows[1:]] == [text for text, _ in ODD_TEXTS]  # Excel's escapes read back as written
    assert odd_rows[1][1] == "2019-03-14 08:30:15"


def literal(text: str, datatype: str | None = None, lang: str | None = None) -> ox.Literal:
    if datatype:
        return ox.Literal(text, datatype=ox.NamedNode(datatype))
    return ox.Literal(text, language=lang) if lang else ox.Literal(text)


# Texts XML cannot hold as they are, or that look like Excel's own escapes: each must read back as written.
ODD_TEXTS = [
    ("a & b < c > d", None),
    ("  spaces at both ends  ", None),
    ("bell\x07 and form feed\x0c", None),
    ("_x0041_ is not A", None),
    ("一行\n二行", "zh-Hans"),
]
ODD_ROWS = [
    (literal(text, lang=lang), literal("2019-03-14T08:30:15+08:00", XSD.dateTime) if i == 0 else None)
    for i, (text, lang) in enumerate(ODD_TEXTS)
]


def read_back(data: bytes) -> list[list[tuple[Any, ...]]]:
    return [list(sheet.iter_rows(values_only=True)) for sheet in load_workbook(io.BytesIO(data)).worksheets]


def test_values_keep_their_types() -> None:
    row = (
        literal("3.25", XSD.decimal),
        literal("-1.5E3", XSD.double),
        literal("INF", XSD.double),
        literal("12345678901234567890", XSD.integer),
        literal("42", XSD.nonNegativeInteger),
        literal("true", XSD.boolean),
        literal("0", XSD.boolean),
        literal("2024-02-29", XSD.date),
        literal("2019-03-14T08:30:15Z", XSD.dateTime),
        literal("1840-06-03", XSD.date),
        literal("2023-02-30", XSD.date),
        ox.BlankNode("b0"),
    )
    out = io.BytesIO()
    write_workbook(out, [f"c{i}" for i in range(len(row))], [row])
    [[_, values]] = read_back(out.getvalue())
    assert values[:7] == (3.25, -1500, "INF", "12345678901234567890", 42, True, False)
    assert values[7] == datetime.datetime(2024, 2, 29)
    assert values[8] == datetime.datetime(2019, 3, 14, 8, 30, 15)
    assert values[9:] == ("1840-06-03", "2023-02-30", "_:b0")  # before Excel's calendar, or no such day: text


def test_odd_texts_are_escaped_and_long_texts_cut() -> None:
    long = "长" * (CELL_CHARS + 10)
    out = io.BytesIO()
    write_workbook(out, ["text <&>"], [(ox.Literal(text),) for text, _ in ODD_TEXTS[:2]] + [(ox.Literal(long),)])
    [rows] = read_back(out.getvalue())
    assert rows[0] == ("text <&>",)
    assert [r[0] for r in rows[1:3]] == [t for t, _ in ODD_TEXTS[:2]]
    assert rows[3][0] == "长" * CELL_CHARS
    sheet = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()
    assert "\x07" not in sheet  # XML 1.0 cannot hold it: Excel's escape stands for it
    out = io.BytesIO()
    write_workbook(out, ["t"], [(ox.Literal(ODD_TEXTS[2][0]),), (ox.Literal(ODD_TEXTS[3][0]),)])
    sheet = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()
    assert "bell_x0007_ and form feed_x000C_" in sheet and "_x005F_x0041_ is not A" in sheet  # LibreOffice reads them


def test_a_long_answer_goes_on_to_more_sheets_each_with_the_heading() -> None:
    rows = [(ox.NamedNode(ID.term(f"n{i}")), literal(str(i), XSD.integer)) for i in range(10)]
    out = io.BytesIO()
    assert write_workbook(out, ["node", "n"], rows, sheet_name="工作表", sheet_rows=4) == 4
    sheets = read_back(out.getvalue())
    assert [len(s) for s in sheets] == [4, 4, 4, 2] and all(s[0] == ("node", "n") for s in sheets)
    assert [r[1] for s in sheets for r in s[1:]] == list(range(10))
    assert load_workbook(io.BytesIO(out.getvalue())).sheetnames == ["工作表1", "工作表2", "工作表3", "工作表4"]


def test_hyperlinks_stop_at_the_limit_of_a_sheet_and_start_again_on_the_next() -> None:
    iris = [ID.term(f"n{i}") for i in range(7)]
    out = io.BytesIO()
    rows = [(ox.NamedNode(iri),) for iri in iris[:6]] + [(literal(iris[6], XSD.anyURI),)]
    write_workbook(out, ["node"], rows, sheet_rows=5, sheet_links=2)
    first, second = load_workbook(io.BytesIO(out.getvalue())).worksheets
    cells = [first.cell(r, 1) for r in range(2, 6)]
    assert [c.hyperlink.target if c.hyperlink else None for c in cells] == [iris[0], iris[1], None, None]
    assert [c.value for c in cells] == ["id:n0", "id:n1", iris[2], iris[3]]  # past the limit: the address in full
    assert [second.cell(r, 1).hyperlink.target for r in (2, 3)] == iris[4:6]  # a new sheet, new room
    assert second.cell(4, 1).hyperlink is None and second.cell(4, 1).value == iris[6]


def test_a_sheet_ends_before_its_xml_outgrows_a_zip_entry() -> None:
    rows = [(ox.NamedNode(ID.term(f"n{i}")), ox.Literal("x" * 300)) for i in range(40)]
    out = io.BytesIO()
    sheets = write_workbook(out, ["node", "text"], rows, sheet_bytes=5_000)
    book = load_workbook(io.BytesIO(out.getvalue()))
    assert sheets == len(book.worksheets) > 3
    archive = zipfile.ZipFile(out)
    assert max(archive.getinfo(f"xl/worksheets/sheet{n}.xml").file_size for n in range(1, sheets + 1)) < 6_000
    seen = [
        (s.cell(r, 1).value, s.cell(r, 1).hyperlink.target) for s in book.worksheets for r in range(2, s.max_row + 1)
    ]
    assert seen == [(curie(ID.term(f"n{i}")), ID.term(f"n{i}")) for i in range(40)]  # every link beside its row


class Unseekable(io.RawIOBase):
    """A stream that only takes bytes, as standard output piped on or an HTTP answer does."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.data += data
        return len(data)


def test_a_workbook_streams_to_an_unseekable_stream() -> None:
    out = Unseekable()
    write_workbook(out, ["node"], [(ox.NamedNode(ID.kuaishou),)])  # type: ignore[arg-type]
    assert zipfile.ZipFile(io.BytesIO(bytes(out.data))).testzip() is None
    assert read_back(bytes(out.data)) == [[("node",), ("id:kuaishou",)]]


def test_short_names_agree_with_curie() -> None:
    iris = [namespace + local for namespace in PREFIXES.values() for local in ("a", "b-c.d", "x.", "", "ü", "a/b")]
    assert [short(iri) for iri in iris] == [curie(iri) for iri in iris]


def test_with_chinese_chosen_the_headings_and_sheets_are_chinese(tmp_path: Path) -> None:
    target = tmp_path / "罚款.xlsx"
    assert run("query", "events-of-kind", "-p", "kind=处罚", "--lang", "zh", "-o", str(target)) == (0, "", "")
    book = load_workbook(target)
    assert book.sheetnames == ["工作表1"]
    headings = next(book.worksheets[0].iter_rows(values_only=True))
    assert headings[:4] == ("日期", "事件", "事件（英文）", "事件（中文）") and "罚款（元）" in headings


def test_kg_serve_answers_accept_xlsx_with_a_workbook() -> None:
    from .test_serve_inprocess import run as serve

    async def ask(http: httpx.AsyncClient) -> httpx.Response:
        return await http.get("/api/models", headers={"Accept": XLSX})

    answer = serve(ask)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith(XLSX)
    rows = read_back(answer.content)[0]
    assert rows[0][:3] == ("model", "name_en", "name_zh") and len(rows) == 5


def test_a_workbook_is_not_written_to_a_terminal() -> None:
    import os
    import pty
    import sys

    terminal, side = pty.openpty()
    kg = [str(Path(sys.executable).parent / "kg"), "query", "models", "-f", "xlsx"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    answer = subprocess.run(kg, stdout=side, stderr=subprocess.PIPE, env=env, timeout=120, check=False)
    os.close(side)
    os.set_blocking(terminal, False)
    try:
        shown = os.read(terminal, 1 << 16)
    except OSError:  # nothing was written: Linux says EIO once the terminal's other side is closed
        shown = b""
    os.close(terminal)
    assert answer.returncode == 2 and shown == b""
    assert answer.stderr.decode() == "kg: error: an Excel workbook is not for a terminal; use -o FILE.xlsx or a pipe\n"
