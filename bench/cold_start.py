"""Cold start of `kg query NAME` against the floor `python -c "import click, pyoxigraph"`, side by side.

Each round runs every command once as a new process, in turn, so that noise from the shared machine falls on all of
them alike; the table gives medians and the ratio to the floor. Run:

    .venv/bin/python bench/cold_start.py [--rounds 21]

The figure the query issue names: a cold `kg query NAME` within 2.5x of the floor.

kg's modules are byte-compiled first, as pip does for an installed package (an editable install leaves that to the
first run, and a shell with PYTHONDONTWRITEBYTECODE=1 never writes them, so every start would compile kg anew).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
COMMANDS = {
    "floor: python -c 'import click, pyoxigraph'": [sys.executable, "-c", "import click, pyoxigraph"],
    "kg query models": [str(BIN / "kg"), "query", "models", "--format", "json"],
    "kg query enterprise-model -p enterprise=快手": [
        str(BIN / "kg"), "query", "enterprise-model", "-p", "enterprise=快手", "--format", "json",
    ],
    "kg query connection -p from=Pinduoduo -p to=Xiaohongshu": [
        str(BIN / "kg"), "query", "connection", "-p", "from=Pinduoduo", "-p", "to=Xiaohongshu", "--format", "csv",
    ],
}  # fmt: skip


def once(command: list[str]) -> float:
    """Seconds one run of ``command`` takes, start to exit."""
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def machine() -> str:
    """One line describing this machine."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--write", type=Path, default=ROOT / "bench" / "results" / "cold-start.md")
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "kg")], check=True)
    for command in COMMANDS.values():
        once(command)  # warm the file cache
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.rounds):
        for name, command in COMMANDS.items():
            times[name].append(once(command))
    floor = statistics.median(next(iter(times.values())))
    lines = [
        "# Cold start",
        "",
        f"Machine: {machine()}. {args.rounds} rounds, commands interleaved; median wall time of a new process.",
        "",
        "| command | median (s) | ratio to floor |",
        "|---|---|---|",
    ]
    for name, values in times.items():
        median = statistics.median(values)
        lines.append(f"| {name} | {median:.3f} | {median / floor:.2f}x |")
    text = "\n".join(lines) + "\n"
    print(text)
    args.write.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
