"""The errors kg raises for things a user can fix: bad files, bad queries, unknown names.

Each carries one line that says what is wrong and where; the command line prints it and exits with code 2.
"""

from __future__ import annotations

import re


class KGError(Exception):
    """A problem with the user's input or environment, told in one line."""

    exit_code = 2


class EngineError(KGError):
    """The engine failed while answering (a SERVICE it called did not answer, a store it reads broke)."""

    @classmethod
    def of(cls, error: BaseException) -> EngineError:
        """The engine's exception as one line.

        >>> str(EngineError.of(OSError("Error 404 Not Found returned by\\n http://example.org/sparql")))
        'the store could not answer: Error 404 Not Found returned by http://example.org/sparql'
        """
        return cls(f"the store could not answer: {' '.join(str(error).split())[:300]}")


class InputError(KGError):
    """A file or query text that cannot be read, with where the problem is.

    >>> str(InputError("a dot is expected", source="data.ttl", line=3, column=7))
    'data.ttl:3:7: a dot is expected'
    """

    def __init__(self, message: str, *, source: str, line: int | None = None, column: int | None = None) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        super().__init__(self.where() + ": " + message)

    def where(self) -> str:
        """``source:line:column``, leaving out what is not known."""
        parts = [shown(self.source)] + [str(n) for n in (self.line, self.column) if n is not None]
        return ":".join(parts)


def shown(name: str) -> str:
    """A name fit for a one-line message: quoted as Python would, when it holds control characters or is not UTF-8.

    >>> shown("a\\nb.ttl"), shown("shops.ttl")
    ("'a\\\\nb.ttl'", 'shops.ttl')
    """
    if any(ord(c) < 32 or ord(c) == 127 or 0xDC80 <= ord(c) <= 0xDCFF for c in name):
        return repr(name)
    return name


def decoded(data: bytes, *, source: str) -> str:
    """``data`` read as UTF-8.

    Raises:
        InputError: it is not UTF-8, with the offset of the first byte that is not.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"not valid UTF-8 at byte {error.start}", source=source) from None


def check_text(value: str, *, what: str) -> str:
    """``value`` when it is text a store can hold: no half of a character that was not UTF-8 (Python keeps a byte of
    a command-line argument that is not UTF-8 as a lone surrogate, ``\\udcff`` for ``\\xff``).

    >>> check_text("快手", what="parameter 'text'")
    '快手'
    >>> check_text("a\\udcffb", what="parameter 'text'")
    Traceback (most recent call last):
    kg.errors.KGError: parameter 'text': not valid UTF-8 at character 2

    Raises:
        KGError: it is not, with where.
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise KGError(f"{what}: not valid UTF-8 at character {error.start + 1}") from None
    return value


#: The longest message a syntax error gets (the position and source come in front of it).
MESSAGE_LIMIT = 160


def from_syntax_error(error: SyntaxError, source: str, text: str | None = None) -> InputError:
    """Turn a parser's SyntaxError into an InputError naming ``source``, with line and column when known.

    pyoxigraph's RDF parsers set ``lineno`` and ``offset``; its SPARQL parser says "error at 3:15: …" instead, with
    a list of what it expected that may hold character ranges: those become words, and the message stays short.
    With the query's ``text``, the message says what was found there.

    >>> str(from_syntax_error(SyntaxError("error at 3:15: expected [_]"), "query"))
    'query:3:14: syntax error'
    >>> parsed = SyntaxError("error at 1:11: expected one of \\"(\\", ['A' ..= 'Z'], [_]")
    >>> str(from_syntax_error(parsed, "q", "ASK { ?s ! }"))
    'q:1:10: syntax error: found "!", expected one of "(", a name'
    """
    message = str(error.msg if error.msg else error)
    line, column = error.lineno, error.offset
    match = _SPARQL_POSITION.match(message)
    if match:
        # the SPARQL parser's column is one past the character where it failed; report that character's column
        line, column = int(match.group(1)), max(1, int(match.group(2)) - 1)
        message = _expected(match.group(3), _found(text, line, column))
    one_line = " ".join(_strip_position(message).split())
    if len(one_line) > MESSAGE_LIMIT:
        one_line = one_line[: MESSAGE_LIMIT - 1] + "…"
    return InputError(one_line, source=source, line=line, column=column)


_SPARQL_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)


def _expected(detail: str, found: str) -> str:
    """'syntax error' with the reason the parser gave, or what it found and expected, in words."""
    detail = " ".join(detail.split())
    if not detail.startswith("expected"):
        return f"syntax error: {detail}"
    items = _split_expected(detail.removeprefix("expected one of").removeprefix("expected").strip())
    reasons = [i for i in items if not i.startswith(('"', "[")) and i.count(" ") >= 2]
    if reasons:
        return f"syntax error: {reasons[0]}"
    words: list[str] = []
    for item in items:
        word = "a name" if item.startswith("[") and "..=" in item else "" if item == "[_]" else item
        if word and word not in words:
            words.append(word)
    parts = [f"found {found}"] if found else []
    if words:
        parts.append(("expected one of " if len(words) > 1 else "expected ") + ", ".join(words))
    return "syntax error: " + ", ".join(parts) if parts else "syntax error"


def _split_expected(text: str) -> list[str]:
    """The items of the parser's list, which are separated by ", " outside quotes and brackets."""
    items, depth, quoted, current = [], 0, False, ""
    for char in text:
        if char == '"' and depth == 0:
            quoted = not quoted
        elif not quoted and char == "[":
            depth += 1
        elif not quoted and char == "]":
            depth -= 1
        if char == "," and depth == 0 and not quoted:
            items.append(current.strip())
            current = ""
            continue
        current += char
    if current.strip():
        items.append(current.strip())
    return items


def _found(text: str | None, line: int, column: int) -> str:
    """What stands in ``text`` at ``line``:``column`` (1-based), quoted; "the end" past the last character."""
    if text is None:
        return ""
    lines = text.split("\n")
    rest = "\n".join(lines[line - 1 :])[column - 1 :] if line <= len(lines) else ""
    if not rest.strip():
        return "the end of the query"
    token = re.match(r"\w+|\S", lines[line - 1][column - 1 :])
    return f'"{token.group(0)[:20]}"' if token else "a space"


def _strip_position(message: str) -> str:
    """Drop pyoxigraph's 'Parser error at line 3 between columns 6 and 9: ' lead; the position is given apart."""
    head, sep, rest = message.partition(": ")
    if sep and head.startswith(("Parser error at", "error at")):
        return rest
    return message
