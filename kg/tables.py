"""Answers for people on a terminal: aligned tables, or records when a table cannot fit; CJK counted as two columns.

Column widths come from the first rows (a screenful); later rows are wrapped to those widths, so a table of any
length is written without holding it. With a width to fit (the terminal's), the widest columns give way first and
long cells wrap over several lines, but never inside a token: a number, a date, an IRI, a CURIE or a word stays on
one line, and Chinese wraps between characters by its own rules (no line starts with closing punctuation such as
。，、）, none ends with opening punctuation such as （「). When the table cannot fit without cutting a token, the
answer is shown as records instead: one field per line, as psql's expanded display does.

>>> print("\\n".join(Table(["model", "模式"]).lines([["content", "内容型"]])))
model    模式
-------  ------
content  内容型
(1 row)
>>> print("\\n".join(Table(["a", "b"], width=13).lines([["xxxx yyyy zz", "yy"]])))
a          b
---------  --
xxxx yyyy  yy
zz
(1 row)
>>> print("\\n".join(Table(["date", "fine"], width=12).lines([["2019-03-14", "745658.00"]])))
-[ RECORD 1 ]
date | 2019-03-14
fine | 745658.00
(1 row)
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Generator, Iterable, Iterator, Sequence

from .lang import CHINESE, ENGLISH, is_chinese

#: How many rows set the column widths (and decide between a table and records).
SAMPLE = 100
#: A column is never squeezed below this many terminal columns to fit the width (unless its tokens are narrower).
NARROWEST = 6
GAP = "  "
#: A table whose rows take more lines than this on average (wrapped to fit) is shown as records.
TALLEST = 2
#: Characters that may not start a line: closing brackets and quotes, and the stops and commas, full and half width.
CLOSING = frozenset("。，、．）」』》〉】〕〗〙〛｝］’”！？：；…‥・ー々〜～%‰)]}>,.;:!?") | frozenset(
    "ぁぃぅぇぉっゃゅょゎ"
)
#: Characters that may not end a line: opening brackets and quotes.
OPENING = frozenset("（「『《〈【〔〖〘〚｛［‘“([{<")
#: The words of the messages about an answer, by language.
WORDS = {
    ENGLISH: {"row": "({n} row)", "rows": "({n} rows)", "record": "-[ RECORD {n} ]"},
    CHINESE: {"row": "（共 {n} 行）", "rows": "（共 {n} 行）", "record": "-[ 第 {n} 条 ]"},
}


def width(text: str) -> int:
    """How many terminal columns ``text`` takes: wide (CJK) characters two, combining marks none.

    >>> width("快手 app")
    8
    """
    total = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        total += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return total


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


_PIECES = re.compile(r"\s+|\S")


def units(text: str) -> list[tuple[str, bool]]:
    """The pieces a line may break between, each with whether a space comes before it: a run of non-CJK letters,
    digits and signs is one piece (a word, number, date, IRI); each CJK character is one, holding on to the closing
    punctuation after it and the opening punctuation before it.

    >>> units("罚款 745658.00 元（2019）。")
    [('罚', False), ('款', False), ('745658.00', True), ('元', True), ('（2019）。', False)]
    """
    out: list[tuple[str, bool]] = []
    space = False
    glue_next = False
    for piece in _PIECES.findall(text):
        if piece.isspace():
            space, glue_next = True, False
            continue
        narrow_run = not _wide(piece) and out and not space and not _wide(out[-1][0][-1]) and not glue_next
        if out and not space and (glue_next or piece in CLOSING or narrow_run):
            out[-1] = (out[-1][0] + piece, out[-1][1])
        else:
            out.append((piece, space))
        glue_next = piece in OPENING
        space = False
    return out


def narrowest(text: str) -> int:
    """The width of the widest piece of ``text`` that may not be broken: the narrowest its column can be."""
    return max((width(u) for u, _ in units(text)), default=0)


def wrap(text: str, limit: int, *, cut: bool = False) -> list[str]:
    """``text`` in lines at most ``limit`` columns wide, broken only between pieces (see :func:`units`); a piece
    wider than ``limit`` stands alone on a line, whole (or, with ``cut``, for headings only, is cut to fit).

    >>> wrap("以社区为单位，商家招募社区居民。", 8)
    ['以社区为', '单位，商', '家招募社', '区居民。']
    >>> wrap("https://w3id.org/sce/id/kuaishou and more", 10)
    ['https://w3id.org/sce/id/kuaishou', 'and more']
    """
    if width(text) <= limit:
        return [text]
    lines: list[str] = []
    line = ""
    for piece, space in units(text):
        joined = f"{line} {piece}" if line and space else line + piece
        if not line or width(joined) <= limit:
            line = joined
            continue
        lines.append(line)
        line = piece
    lines.append(line)
    return [part for whole in lines for part in _chopped(whole, limit)] if cut else lines


def _chopped(text: str, limit: int) -> list[str]:
    parts = [""]
    for char in text:
        if parts[-1] and width(parts[-1] + char) > limit:
            parts.append("")
        parts[-1] += char
    return parts


def fit(natural: Sequence[int], limit: int, floor: Sequence[int] | None = None) -> list[int]:
    """Column widths no wider than ``natural`` whose sum, with the gaps, stays within ``limit`` (0: no limit).

    The widest column gives way first, down to NARROWEST or the column's ``floor`` (its widest unbreakable piece),
    whichever is wider.

    >>> fit([10, 40, 8], 40)
    [10, 18, 8]
    >>> fit([10, 40, 8], 40, floor=[10, 30, 8])
    [10, 30, 8]
    """
    widths = list(natural)
    if not limit:
        return widths
    floors = floor or [0] * len(widths)
    room = limit - len(GAP) * (len(widths) - 1)
    for least in ([min(n, max(NARROWEST, f)) for n, f in zip(natural, floors, strict=True)], floors):
        while sum(widths) > room:  # then, when that is not enough, down to the widest piece each column holds
            shrinkable = [i for i in range(len(widths)) if widths[i] > least[i]]
            if not shrinkable:
                break
            widest = max(shrinkable, key=lambda i: widths[i])
            widths[widest] -= 1
    return widths


def fits(natural: Sequence[int], floor: Sequence[int], limit: int) -> bool:
    """Whether a table whose columns can go down to ``floor`` fits ``limit`` columns (0: any width fits)."""
    least = [min(n, f) for n, f in zip(natural, floor, strict=True)]
    return not limit or sum(least) + len(GAP) * (len(least) - 1) <= limit


def _clean(cells: Sequence[str]) -> list[str]:
    return [" ".join(c.split()) for c in cells]


class Table:
    """An answer for people with ``headers``, fitted to ``width`` terminal columns (0: as wide as its cells).

    ``layout`` chooses: "table", "records" (one field per line), or "auto" (a table when it fits, else records).
    ``lang`` is the language of the words around the answer (the row count).
    """

    def __init__(self, headers: Sequence[str], *, width: int = 0, layout: str = "auto", lang: str = "en") -> None:
        self.headers = _clean(headers)
        self.width = width
        self.layout = layout
        self.words = WORDS[CHINESE if is_chinese(lang) else ENGLISH]

    def lines(self, rows: Iterable[Sequence[str]]) -> Iterator[str]:
        """The answer's lines: a table (headings, a rule, the rows) or records, then a row count."""
        rows = iter(rows)
        sample = [_clean(row) for row in itertools.islice(rows, SAMPLE)]
        rest = (_clean(r) for r in rows)
        natural = [max([width(h)] + [width(r[i]) for r in sample]) for i, h in enumerate(self.headers)]
        floor = [
            max([min(width(h), NARROWEST)] + [narrowest(r[i]) for r in sample]) for i, h in enumerate(self.headers)
        ]
        as_table = self.layout == "table" or (self.layout == "auto" and self._fits(sample, natural, floor))
        count = yield from (self._table(sample, rest, natural, floor) if as_table else self._records(sample, rest))
        yield self.words["row" if count == 1 else "rows"].format(n=count)

    def _fits(self, sample: list[list[str]], natural: list[int], floor: list[int]) -> bool:
        """Whether the first rows make a table that reads: no token cut, and rows of TALLEST lines or fewer on
        average."""
        if not self.width:
            return True
        if not fits(natural, floor, self.width):
            return False
        widths = fit(natural, self.width, floor)
        lines = sum(max(len(wrap(c, w)) for c, w in zip(row, widths, strict=True)) for row in sample)
        return lines <= TALLEST * max(len(sample), 1)

    def _table(
        self, sample: list[list[str]], rest: Iterator[list[str]], natural: list[int], floor: list[int]
    ) -> Generator[str, None, int]:
        widths = fit(natural, self.width, floor)
        unlimited = not self.width
        yield from self._row(self.headers, widths, unlimited, cut=True)
        yield GAP.join("-" * w for w in widths).rstrip()
        count = 0
        for row in itertools.chain(sample, rest):
            count += 1
            yield from self._row(row, widths, unlimited and count <= SAMPLE)
        return count

    def _row(self, cells: Sequence[str], widths: Sequence[int], whole: bool, *, cut: bool = False) -> Iterator[str]:
        """One row as one line, or as several when a cell is wider than its column (and ``whole`` is False)."""
        if whole:
            yield GAP.join(_pad(c, w) for c, w in zip(cells, widths, strict=True)).rstrip()
            return
        pieces = [wrap(c, w, cut=cut) for c, w in zip(cells, widths, strict=True)]
        for i in range(max(len(p) for p in pieces)):
            parts = [p[i] if i < len(p) else "" for p in pieces]
            yield GAP.join(_pad(c, w) for c, w in zip(parts, widths, strict=True)).rstrip()

    def _records(self, sample: list[list[str]], rest: Iterator[list[str]]) -> Generator[str, None, int]:
        """Each row as a record: a numbered rule, then one ``name | value`` line per field, long values wrapped."""
        names = max((width(h) for h in self.headers), default=0)
        room = max(self.width - names - 3, NARROWEST) if self.width else 0
        widest = names + 3 + max((width(c) for row in sample for c in row), default=0)
        ruled = min(widest, self.width) if self.width else widest
        count = 0
        for row in itertools.chain(sample, rest):
            count += 1
            rule = self.words["record"].format(n=count)
            yield rule + "-" * max(0, ruled - width(rule))
            for header, cell in zip(self.headers, row, strict=True):
                for i, line in enumerate(wrap(cell, room) if room else [cell]):
                    yield f"{_pad(header if i == 0 else '', names)} | {line}".rstrip()
        return count


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
