"""Excel workbooks: read back with openpyxl (values, types, hyperlinks) and converted by LibreOffice."""

from __future__ import annotations

import csv
import datetime
import io
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from kg.cli import main
from kg.results import Result
from kg.vocab import XSD


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


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (libreoffice-calc-nogui) is not installed")
def test_libreoffice_reads_the_workbook(tmp_path: Path) -> None:
    target = tmp_path / "models.xlsx"
    assert run("query", "models", "-o", str(target))[0] == 0
    home = tmp_path / "home"
    profile = f"-env:UserInstallation=file://{home}"
    to_csv = "csv:Text - txt - csv (StarCalc):44,34,76"
    command = ["soffice", profile, "--headless", "--convert-to", to_csv, "--outdir", str(tmp_path), str(target)]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    rows = list(csv.reader((tmp_path / "models.csv").open(encoding="utf-8")))
    assert rows[0] == ["model", "name_en", "name_zh", "definition_en", "definition_zh"]
    assert {r[2] for r in rows[1:]} == {"拼购型", "分销型", "内容型", "社区团购型"}
