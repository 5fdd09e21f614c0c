"""The errors kg raises for things a user can fix: bad files, bad queries, unknown names.

Each carries one line that says what is wrong and where; the command line prints it and exits with code 2.
"""

from __future__ import annotations

import re


class KGError(Exception):
    """A problem with the user's input or environment, told in one line."""

    exit_code = 2


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
        parts = [self.source] + [str(n) for n in (self.line, self.column) if n is not None]
        return ":".join(parts)


def from_syntax_error(error: SyntaxError, source: str) -> InputError:
    """Turn a parser's SyntaxError into an InputError naming ``source``, with line and column when known.

    pyoxigraph's RDF parsers set ``lineno`` and ``offset``; its SPARQL parser says "error at 3:15: …" instead.

    >>> str(from_syntax_error(SyntaxError("error at 3:15: expected [_]"), "query"))
    'query:3:14: syntax error, expected [_]'
    """
    message = str(error.msg if error.msg else error)
    line, column = error.lineno, error.offset
    match = _SPARQL_POSITION.match(message)
    if match:
        # the SPARQL parser's column is one past the character where it failed; report that character's column
        line, column = int(match.group(1)), max(1, int(match.group(2)) - 1)
        message = "syntax error, " + match.group(3)
    one_line = " ".join(_strip_position(message).split())
    return InputError(one_line, source=source, line=line, column=column)


_SPARQL_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)


def _strip_position(message: str) -> str:
    """Drop pyoxigraph's 'Parser error at line 3 between columns 6 and 9: ' lead; the position is given apart."""
    head, sep, rest = message.partition(": ")
    if sep and head.startswith(("Parser error at", "error at")):
        return rest
    return message
