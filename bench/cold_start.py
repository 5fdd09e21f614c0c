"""Cold start of `kg query NAME` against the floor `python -c "import click, pyoxigraph"`, side by side.

Each round runs every command once as a new process, in turn, so that noise from the shared machine falls on all of
them alike; the table gives medians and the ratio to the floor. Run:

    .venv/bin/python bench/cold_start.py [--rounds 21]

The figure the store-seam issue names: a cold `kg query models` within 2.0x of the floor.

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


def once(command: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one run of ``command``, start to exit."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command)} failed")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


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
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in COMMANDS}
    for _ in range(args.rounds):
        for name, command in COMMANDS.items():
            times[name].append(once(command))
    floor = [statistics.median(v[i] for v in next(iter(times.values()))) for i in (0, 1)]
    lines = [
        "# Cold start",
        "",
        f"Machine: {machine()}. {args.rounds} rounds, commands interleaved; median wall time and median CPU time",
        "(user + system, steadier on a shared machine) of a new process.",
        "",
        "| command | wall (s) | wall ratio to floor | CPU (s) | CPU ratio to floor |",
        "|---|---|---|---|---|",
    ]
    for name, values in times.items():
        wall, cpu = (statistics.median(v[i] for v in values) for i in (0, 1))
        lines.append(f"| {name} | {wall:.3f} | {wall / floor[0]:.2f}x | {cpu:.3f} | {cpu / floor[1]:.2f}x |")
    text = "\n".join(lines) + "\n"
    print(text)
    args.write.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
