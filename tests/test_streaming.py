"""Answers of any size: writers stream, so memory does not grow with the rows, `| head` ends at once, and an
interrupted write leaves nothing behind. Each case runs `kg` as a process of its own, as a user would."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

KG = str(Path(sys.executable).parent / "kg")


def cross(rows: int) -> str:
    """A SELECT the engine answers with ``rows`` rows of two columns, computed as they are read (no data needed)."""
    side = int(rows**0.5)
    values = " ".join(str(i) for i in range(side))
    return f"SELECT ?a ?b WHERE {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} }}"


def cross_graph(rows: int) -> str:
    side = int(rows**0.5)
    values = " ".join(f"<urn:n:{i}>" for i in range(side))
    return f"CONSTRUCT {{ ?a <urn:p> ?b }} WHERE {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} }}"


def peak_mb(*args: str) -> float:
    """Peak RSS of one `kg` process (output into /dev/null), in MB."""
    proc = subprocess.Popen([KG, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, proc.stderr.read() if proc.stderr else ""
    return float(usage.ru_maxrss) / 1024


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv", "xml", "table", "markdown"])
def test_memory_does_not_grow_with_the_rows(fmt: str) -> None:
    small = peak_mb("sparql", cross(20_000), "-f", fmt)
    large = peak_mb("sparql", cross(200_000), "-f", fmt)
    # Held whole, 180,000 more rows of two terms would take well over 50 MB more (rows as tuples, text as strings).
    assert large < small * 1.1 + 8, (small, large)


RAW_CONSTRUCT = """
import sys, pyoxigraph as ox
answer = ox.Store().query(sys.argv[1])
with open("/dev/null", "wb") as out:
    ox.serialize(answer, out, ox.RdfFormat.N_TRIPLES)
"""


def raw_peak_mb(query: str) -> float:
    proc = subprocess.Popen([sys.executable, "-c", RAW_CONSTRUCT, query])
    _, status, usage = os.wait4(proc.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return float(usage.ru_maxrss) / 1024


@pytest.mark.parametrize("fmt", ["nt", "turtle", "nq"])
def test_memory_grows_with_the_triples_no_more_than_the_engine_needs(fmt: str) -> None:
    # Oxigraph keeps the triples a CONSTRUCT has given, to give each once: its own memory grows with the answer.
    engine = raw_peak_mb(cross_graph(200_000)) - raw_peak_mb(cross_graph(20_000))
    small = peak_mb("sparql", cross_graph(20_000), "-f", fmt)
    large = peak_mb("sparql", cross_graph(200_000), "-f", fmt)
    assert large - small < engine * 1.2 + 8, (small, large, engine)


def test_a_closed_pipe_stops_the_work_at_once_and_quietly() -> None:
    start = time.monotonic()
    kg = subprocess.Popen([KG, "sparql", cross(4_000_000), "-f", "csv"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert kg.stdout is not None
    head = [kg.stdout.readline() for _ in range(3)]
    kg.stdout.close()
    code = kg.wait(timeout=30)
    elapsed = time.monotonic() - start
    assert head[0] == b"a,b\r\n" and len(head) == 3
    assert kg.stderr is not None and kg.stderr.read() == b""
    assert code == 141  # as a Unix tool stopped by SIGPIPE
    assert elapsed < 10  # 4M rows take far longer than that to write out


def test_ctrl_c_leaves_no_half_written_output(tmp_path: Path) -> None:
    target = tmp_path / "rows.csv"
    kg = subprocess.Popen([KG, "sparql", cross(9_000_000), "-o", str(target)], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while not any(tmp_path.iterdir()) and time.monotonic() < deadline:  # the temporary file beside the target
        time.sleep(0.05)
    time.sleep(0.3)
    kg.send_signal(signal.SIGINT)
    code = kg.wait(timeout=30)
    assert code != 0
    assert list(tmp_path.iterdir()) == []


def test_an_answer_written_to_a_file_is_whole(tmp_path: Path) -> None:
    target = tmp_path / "rows.tsv"
    subprocess.run([KG, "sparql", cross(40_000), "-o", str(target)], check=True)
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "?a\t?b" and len(lines) == 40_001
    assert len(set(lines[1:])) == 40_000
