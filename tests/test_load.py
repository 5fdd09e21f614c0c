"""Loading large files into a store on disk, across processes: a load killed half-way, a reader beside a writer."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.generate import generate
from kg.stores.embedded import JOURNAL, open_disk

pytestmark = pytest.mark.slow

KG = str(Path(sys.executable).parent / "kg")

#: Above the bulk loader's batch of a million quads, so that a kill can land after part of the file was written.
BIG = 1_200_000

LOADER = """
import sys
from kg.stores.embedded import open_disk

store = open_disk(sys.argv[1])
print("opened", flush=True)
done = 0
def progress(n):
    global done
    done += n
    print(done, flush=True)
store.load(sys.argv[2], progress=progress)
print("loaded", flush=True)
"""


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("big") / "social.ttl"
    return path, generate(BIG, path)


def start_loader(store: Path, data: Path) -> subprocess.Popen[str]:
    loader = subprocess.Popen(
        [sys.executable, "-c", LOADER, str(store), str(data)], stdout=subprocess.PIPE, text=True, bufsize=1
    )
    assert loader.stdout is not None and loader.stdout.readline() == "opened\n"
    return loader


def read_until(loader: subprocess.Popen[str], size: int) -> None:
    """Wait until the loader has read ``size`` bytes of its file."""
    assert loader.stdout is not None
    for line in loader.stdout:
        if line.strip().isdigit() and int(line) >= size:
            return
    raise AssertionError("the loader ended before reading that far")


def kg(store: Path, *args: str, wait: str = "60") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KG_STORE_WAIT": wait}
    return subprocess.run([KG, "--store", str(store), *args], capture_output=True, text=True, env=env)


@pytest.mark.parametrize("fraction", [0.3, 0.97])
def test_a_load_killed_half_way_leaves_all_of_the_file_or_none(
    tmp_path: Path, big_file: tuple[Path, int], fraction: float
) -> None:
    data, triples = big_file
    store_dir = tmp_path / "store"
    with open_disk(store_dir) as store:
        before = set(store.quads())
    loader = start_loader(store_dir, data)
    read_until(loader, int(data.stat().st_size * fraction))
    os.kill(loader.pid, signal.SIGKILL)
    loader.wait()
    assert loader.returncode == -signal.SIGKILL
    raw = ox.Store(str(store_dir))  # as the kill left it: the journal says a bulk load was under way
    assert list(raw.quads_for_pattern(None, None, None, ox.NamedNode(JOURNAL)))
    del raw
    with open_disk(store_dir) as store:
        graph = data.resolve().as_uri()
        assert dict(store.graphs()).get(graph, 0) in (0, triples)
        assert {q for q in store.quads() if q.graph_name.value != graph} == before
        assert not list(store.engine.quads_for_pattern(None, None, None, ox.NamedNode(JOURNAL)))


def test_a_reader_beside_a_writer_waits_for_it_and_then_sees_all_of_the_file(
    tmp_path: Path, big_file: tuple[Path, int]
) -> None:
    data, triples = big_file
    store_dir = tmp_path / "store"
    loader = start_loader(store_dir, data)
    read_until(loader, 1)
    impatient = kg(store_dir, "graphs", wait="0")
    assert (impatient.returncode, impatient.stdout) == (2, "")
    assert impatient.stderr == f"kg: error: the store at {store_dir} is in use by another process\n"
    patient = subprocess.Popen(
        [KG, "--store", str(store_dir), "graphs"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "KG_STORE_WAIT": "600"},
    )
    assert loader.stdout is not None and loader.stdout.read().endswith("loaded\n")
    assert loader.wait() == 0
    out, err = patient.communicate(timeout=120)
    assert (patient.returncode, err) == (0, "")
    rows = {line.split()[0]: line.split()[-1] for line in out.splitlines()[2:-1]}
    assert rows[data.resolve().as_uri()] == str(triples)


def test_four_readers_at_once_all_answer(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    open_disk(store_dir).close()
    command = [KG, "--store", str(store_dir), "query", "models", "-f", "csv"]
    readers = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outcomes = [r.communicate(timeout=120) for r in readers]
    assert [r.returncode for r in readers] == [0, 0, 0, 0]
    assert all(err == "" for _, err in outcomes)
    assert len({out for out, _ in outcomes}) == 1 and outcomes[0][0].count("\n") == 5
