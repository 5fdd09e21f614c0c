"""Tables for people on a terminal: aligned columns, CJK characters counted as two, fitted to a width, streamed.

Column widths come from the first rows (a screenful); later rows are wrapped to those widths, so a table of any
length is written without holding it. With a width to fit (the terminal's), the widest columns give way first and
long cells wrap over several lines.

>>> print("\\n".join(Table(["model", "模式"]).lines([["content", "内容型"]])))
model    模式
-------  ------
content  内容型
(1 row)
>>> print("\\n".join(Table(["a", "b"], width=12).lines([["x" * 12, "yy"]])))
a         b
--------  --
xxxxxxxx  yy
xxxx
(1 row)
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterable, Iterator, Sequence

#: How many rows set the column widths.
SAMPLE = 100
#: A column is never squeezed below this many terminal columns to fit the width.
NARROWEST = 6
GAP = "  "


def width(text: str) -> int:
    """How many terminal columns ``text`` takes: wide (CJK) characters two, combining marks none."""
    total = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        total += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return total


def wrap(text: str, limit: int) -> list[str]:
    """``text`` cut into pieces at most ``limit`` columns wide, at spaces where it can be."""
    if width(text) <= limit:
        return [text]
    pieces: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if width(candidate) <= limit:
            line = candidate
            continue
        if line:
            pieces.append(line)
        line = ""
        for char in word:
            if width(line + char) > limit:
                pieces.append(line)
                line = ""
            line += char
    if line or not pieces:
        pieces.append(line)
    return pieces


def fit(natural: Sequence[int], limit: int) -> list[int]:
    """Column widths no wider than ``natural`` whose sum, with the gaps, stays within ``limit`` (0: no limit).

    The widest column gives way first, down to NARROWEST.

    >>> fit([10, 40, 8], 40)
    [10, 18, 8]
    """
    widths = list(natural)
    if not limit:
        return widths
    room = limit - len(GAP) * (len(widths) - 1)
    while sum(widths) > room:
        widest = max(range(len(widths)), key=lambda i: widths[i])
        if widths[widest] <= NARROWEST:
            break
        widths[widest] -= 1
    return widths


class Table:
    """A table with ``headers``, fitted to ``width`` terminal columns (0: as wide as its cells)."""

    def __init__(self, headers: Sequence[str], *, width: int = 0) -> None:
        self.headers = [" ".join(h.split()) for h in headers]
        self.width = width

    def lines(self, rows: Iterable[Sequence[str]]) -> Iterator[str]:
        """The table's lines: headings, a rule, the rows (wrapped where they do not fit), and a row count."""
        rows = iter(rows)
        sample = [[" ".join(c.split()) for c in row] for row in itertools.islice(rows, SAMPLE)]
        natural = [max([width(h)] + [width(r[i]) for r in sample]) for i, h in enumerate(self.headers)]
        widths = fit(natural, self.width)
        unlimited = not self.width
        yield from self._row(self.headers, widths, unlimited)
        yield GAP.join("-" * w for w in widths).rstrip()
        count = 0
        for row in itertools.chain(sample, ([" ".join(c.split()) for c in r] for r in rows)):
            count += 1
            yield from self._row(row, widths, unlimited and count <= SAMPLE)
        yield f"({count} row{'s' if count != 1 else ''})"

    def _row(self, cells: Sequence[str], widths: Sequence[int], whole: bool) -> Iterator[str]:
        """One row as one line, or as several when a cell is wider than its column (and ``whole`` is False)."""
        if whole:
            yield GAP.join(_pad(c, w) for c, w in zip(cells, widths, strict=True)).rstrip()
            return
        pieces = [wrap(c, w) for c, w in zip(cells, widths, strict=True)]
        for i in range(max(len(p) for p in pieces)):
            parts = [p[i] if i < len(p) else "" for p in pieces]
            yield GAP.join(_pad(c, w) for c, w in zip(parts, widths, strict=True)).rstrip()


def _pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


def format_table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, columns: int = 0) -> str:
    """A whole table as text (see :class:`Table`), with its row count.

    >>> print(format_table(["model", "模式"], [["content", "内容型"]]))
    model    模式
    -------  ------
    content  内容型
    (1 row)
    """
    return "\n".join(Table(headers, width=columns).lines(rows))
