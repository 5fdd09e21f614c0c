"""The first run on a new machine: what `./run.sh` installs before it answers, against what it installed before
(everything the tests need), side by side.

Each case makes a fresh virtual environment in a temporary copy of the checkout and times the Python part of the
set-up (Debian packages are left out: `./run.sh` needs none now, and `./test.sh` installs the same ones as before),
then measures the environment's size. pip's cache is shared by both cases, so the times compare installs, not
downloads; the first case run also fills the cache for the second. Run:

    .venv/bin/python bench/first_run.py [--rounds 1]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Each case: its name and the pip arguments of its set-up.
CASES = {
    "before: kg and the test tools (.[test])": ["-e", ".[test]"],
    "now: what running needs (setup.sh --run: .)": ["-e", "."],
}


def size(folder: Path) -> int:
    """Bytes of the files under ``folder``."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def one_run(arguments: list[str]) -> tuple[float, int]:
    """Seconds to make a virtual environment and install ``arguments`` into it, and the environment's bytes."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "kg"
        shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv*", ".node-*", ".git", "bench", "exports"))
        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "venv", str(copy / ".venv")], check=True)
        pip = [str(copy / ".venv" / "bin" / "python"), "-m", "pip", "install", "-q", *arguments]
        subprocess.run(pip, cwd=copy, check=True, env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
        return time.monotonic() - started, size(copy / ".venv")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1)
    options = parser.parse_args()
    results: dict[str, list[tuple[float, int]]] = {name: [] for name in CASES}
    for _ in range(options.rounds):
        for name, arguments in CASES.items():
            results[name].append(one_run(arguments))
    base_time = statistics.median(t for t, _ in results[next(iter(CASES))])
    base_size = statistics.median(s for _, s in results[next(iter(CASES))])
    print("| set-up | time (s) | time ratio | .venv (MB) | size ratio |")
    print("|---|---|---|---|---|")
    for name, runs in results.items():
        seconds = statistics.median(t for t, _ in runs)
        megabytes = statistics.median(s for _, s in runs)
        ratios = f"{seconds / base_time:.2f}x | {megabytes / 1e6:.0f} | {megabytes / base_size:.2f}x"
        print(f"| {name} | {seconds:.1f} | {ratios} |")


if __name__ == "__main__":
    main()
