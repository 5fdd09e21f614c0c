r"""SPARQL as text: a lexer for what is code and what is data in a query, and binding variables to RDF terms.

Every decision about what a query does (whether it reaches the network, where its WHERE group starts, how deep it
nests) is taken on the tokens of the SPARQL grammar (section 19.8 of SPARQL 1.1): IRIs, the four string forms with
their escapes, prefixed names with their percent and backslash escapes, variables and comments are data; only
keywords, names and punctuation are code. Never on the raw text.

The tools here never read a user's value as text. A value arrives as a pyoxigraph term, whose constructor has checked
it (an IRI without spaces or ``>``, a literal whose quotes and backslashes it escapes), and is written back in
N-Triples syntax, so nothing in it can end the term early.

>>> import pyoxigraph as ox
>>> print(bind_values("SELECT ?x WHERE { ?x a ?t }", {"t": ox.NamedNode("https://w3id.org/sce/ontology#Role")}))
SELECT ?x WHERE { VALUES (?t) { (<https://w3id.org/sce/ontology#Role>) } ?x a ?t }
>>> network_reach("SELECT * WHERE {\n  SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
('SERVICE', 2, 3)
>>> network_reach('SELECT ?service WHERE { ?service ?p "SERVICE" }') is None
True
>>> network_reach('SELECT * WHERE { BIND(id:a\\# AS ?z) SERVICE <http://example.org/x> { ?s ?p ?o } }')
('SERVICE', 1, 37)
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache, lru_cache
from typing import Any, NamedTuple

import pyoxigraph as ox

from .errors import InputError, KGError
from .vocab import PREFIXES

#: SPARQL prefix declarations for a query sent to a server, so that queries may use the known prefixes undeclared.
PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

# --- The lexer --------------------------------------------------------------------------------------------------------

_ASCII_BASE = "A-Za-z"
_WIDE_BASE = (
    "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d\u2070-\u218f"
    "\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_WIDE_EXTRA = "\u00b7\u0300-\u036f\u203f-\u2040"


@cache
def _token_pattern(wide: bool) -> re.Pattern[str]:
    """The lexer's one regular expression. Its character classes are the grammar's (section 19.8); for a query of
    ASCII only (most queries) they are cut to ASCII, which reads the same text the same way and compiles ten times
    faster, so that ``kg`` starts fast."""
    base = _ASCII_BASE + (_WIDE_BASE if wide else "")
    extra = _WIDE_EXTRA if wide else ""
    u = base + "_"
    chars = u + r"\-0-9" + extra
    plx = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
    prefix = f"[{base}](?:[{chars}.]*[{chars}])?"
    local = f"(?:[{u}:0-9]|{plx})(?:(?:[{chars}.:]|{plx})*(?:[{chars}:]|{plx}))?"
    return re.compile(
        "|".join(
            [
                r"(?P<ws>[ \t\r\n]+)",
                r"(?P<comment>#[^\r\n]*)",
                r'(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)',
                r"(?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''"
                r'|"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""'
                r"|'(?:[^'\\\n\r]|\\.)*'"
                r'|"(?:[^"\\\n\r]|\\.)*")',
                f"(?P<var>[?$][{u}0-9][{u}0-9{extra}]*)",
                f"(?P<pname>(?:{prefix})?:(?:{local})?)",
                f"(?P<blank>_:[{u}0-9](?:[{chars}.]*[{chars}])?)",
                r"(?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)",
                r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)",
                r"(?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)",
                r"(?P<other>[\s\S])",
            ]
        )
    )


#: Token kinds that are data or nothing, never code.
OPAQUE = frozenset({"ws", "comment", "iri", "string", "var", "pname", "blank", "langtag", "number"})


class Token(NamedTuple):
    """One token of a query: its kind, its text, and where it starts (offset, and line and column from 1)."""

    kind: str
    text: str
    start: int
    line: int
    column: int


#: Texts at most this long have their tokens kept (a few, for the next reader of the same text); a longer text is
#: lexed afresh by each reader, token by token, so that a query of megabytes costs no memory to read.
CACHED_TEXT = 1 << 16


def tokens(sparql: str) -> tuple[Token, ...]:
    """The tokens of ``sparql``, whitespace and comments included, in order.

    >>> [(t.kind, t.text) for t in tokens('ASK { ?s sce:name "x" }') if t.kind != "ws"]
    [('name', 'ASK'), ('other', '{'), ('var', '?s'), ('pname', 'sce:name'), ('string', '"x"'), ('other', '}')]
    >>> [t.kind for t in tokens(r"id:a\\# SERVICE") if t.kind != "ws"]
    ['pname', 'name']
    >>> [(t.kind, t.text) for t in tokens("FILTER(?a<?b&&?c>?d)")][2:4]
    [('var', '?a'), ('other', '<')]
    """
    return tuple(iter_tokens(sparql))


def iter_tokens(sparql: str) -> Iterator[Token]:
    """The tokens of ``sparql`` one by one: kept for a short text, read afresh (in constant memory) for a long one."""
    if len(sparql) <= CACHED_TEXT:
        return iter(_tokens(sparql))
    return _scan(sparql, wide=not sparql.isascii())


@lru_cache(maxsize=64)
def _tokens(sparql: str) -> tuple[Token, ...]:
    """The tokens, read with the ASCII form of the lexer first. The two forms read alike up to the first character
    beyond ASCII that stands outside a string, IRI or comment (the ASCII form makes it an ``other`` token); only
    then is the text read again with the full form, whose character classes take time to build."""
    found = _lex(sparql, wide=False)
    if not sparql.isascii() and any(t.kind == "other" and not t.text.isascii() for t in found):
        found = _lex(sparql, wide=True)
    return found


def _lex(sparql: str, *, wide: bool) -> tuple[Token, ...]:
    return tuple(_scan(sparql, wide=wide))


def _scan(sparql: str, *, wide: bool) -> Iterator[Token]:
    pattern, context = _token_pattern(wide), _Context()
    line, line_start, position = 1, 0, 0
    while position < len(sparql):
        match = pattern.match(sparql, position)
        kind, end = (match.lastgroup or "other", match.end()) if match else ("other", position + 1)
        if kind == "iri" and context.comparing():
            kind, end = "other", position + 1
        text = sparql[position:end]
        yield Token(kind, text, position, line, position - line_start + 1)
        context.see(kind, text)
        if "\n" in text:
            line += text.count("\n")
            line_start = position + text.rindex("\n") + 1
        position = end


#: Tokens after which, inside an expression, ``<`` is the operator less-than: ``?a<?b&&?c>?d`` compares, although
#: ``<?b&&?c>`` alone would be an IRI. SPARQL's grammar takes an IRI only where a term may stand, never right after
#: an operand.
_OPERANDS = frozenset({"var", "number", "string", "iri", "pname", "blank", "langtag"})
#: Keywords after which a parenthesis opens an expression (the projection, GROUP BY, ORDER BY, HAVING), and those
#: that end such a clause.
_EXPRESSION_CLAUSES = frozenset({"SELECT", "BY", "HAVING"})
_OTHER_CLAUSES = frozenset({"WHERE", "FROM", "LIMIT", "OFFSET", "VALUES", "GROUP", "ORDER"})


class _Context:
    """What the lexer needs to know of the grammar around a ``<``: whether it stands in an expression, and what came
    before it. Brackets are a stack of flags, True for a parenthesis that opens an expression (a FILTER, a BIND, a
    function's arguments, a projection), False for a group, a VALUES row, a collection or a path."""

    def __init__(self) -> None:
        self.brackets: list[bool] = []
        self.last: tuple[str, str] = ("", "")
        self.before: tuple[str, str] = ("", "")
        self.in_clause = False

    def comparing(self) -> bool:
        """Whether a ``<`` here is less-than: in an expression, right after an operand."""
        kind, text = self.last
        operand = kind in _OPERANDS or text == ")" or (kind == "name" and text.upper() in ("TRUE", "FALSE"))
        return bool(self.brackets) and self.brackets[-1] and operand

    def see(self, kind: str, text: str) -> None:
        """Take in the token just read."""
        if kind in ("ws", "comment"):
            return
        if text == "(":
            self.brackets.append(self._opens_expression())
        elif text in "{[" and kind == "other":
            self.brackets.append(False)
            self.in_clause = False
        elif text in ")}]" and kind == "other" and self.brackets:
            self.brackets.pop()
        elif kind == "name":
            word = text.upper()
            self.in_clause = word in _EXPRESSION_CLAUSES or (self.in_clause and word not in _OTHER_CLAUSES)
        self.last, self.before = (kind, text), self.last

    def _opens_expression(self) -> bool:
        if (self.brackets and self.brackets[-1]) or self.in_clause:
            return True
        kind, text = self.last
        if kind == "name":  # FILTER (, BIND (, a function's name; not VALUES (?a ?b), nor a collection after ``a``
            return text.upper() not in ("VALUES", "TRUE", "FALSE") and text != "a"
        # a function named by IRI: FILTER <f>(…), FILTER xsd:integer(…); not ?s sce:p (1 2), a collection
        return kind in ("iri", "pname") and self.before[0] == "name" and self.before[1] != "a"


def code(sparql: str) -> list[Token]:
    """The tokens of ``sparql`` that are its structure: keywords, names and punctuation."""
    return list(iter_code(sparql))


def iter_code(sparql: str) -> Iterator[Token]:
    """The tokens of ``sparql`` that are its structure, one by one."""
    return (t for t in iter_tokens(sparql) if t.kind not in OPAQUE)


def blank_opaque(sparql: str, *, variables: bool = False) -> str:
    """``sparql`` with strings, IRIs and comments (and variables, if asked) blanked out, character positions kept."""
    kinds = {"comment", "iri", "string"} | ({"var"} if variables else set())
    return "".join(_blanked(t.text) if t.kind in kinds else t.text for t in iter_tokens(sparql))


def _blanked(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


# --- What a query does ----------------------------------------------------------------------------------------------

_REACHING = frozenset({"SERVICE", "LOAD"})


def network_reach(sparql: str) -> tuple[str, int, int] | None:
    """The first SERVICE or LOAD keyword of ``sparql`` in code (not in a string, IRI, comment, prefixed name or
    variable), with its line and column; None when there is none."""
    return _network_reach(sparql) if len(sparql) <= CACHED_TEXT else _reach(sparql)


@lru_cache(maxsize=256)
def _network_reach(sparql: str) -> tuple[str, int, int] | None:
    return _reach(sparql)


def _reach(sparql: str) -> tuple[str, int, int] | None:
    for token in iter_code(sparql):
        if token.kind == "name" and token.text.upper() in _REACHING:
            return token.text.upper(), token.line, token.column
    return None


def services(sparql: str) -> list[str]:
    """The services ``sparql`` calls, as written after each SERVICE keyword in code (an IRI, a prefixed name or a
    variable), each once, in order.

    >>> services("SELECT * { SERVICE SILENT <http://a.example/sparql> { ?s ?p ?o } SERVICE ?where { ?s ?p ?o } }")
    ['<http://a.example/sparql>', '?where']
    """
    found: list[str] = []
    calling = False
    for token in iter_tokens(sparql):
        if token.kind in ("ws", "comment") or (calling and token.text.upper() == "SILENT"):
            continue
        if calling and token.kind in ("iri", "pname", "var") and token.text not in found:
            found.append(token.text)
        calling = token.kind == "name" and token.text.upper() == "SERVICE"
    return found


def names_dataset(sparql: str) -> bool:
    """Whether the query names its own dataset (a ``FROM`` or ``FROM NAMED`` clause in code): then it sees exactly
    the graphs it names, and not the union of all of them.

    >>> names_dataset("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }")
    True
    >>> names_dataset('SELECT * WHERE { ?from ?p "FROM <x>" } # FROM <y>')
    False
    """
    return any(token.kind == "name" and token.text.upper() == "FROM" for token in iter_code(sparql))


def check_base(base_iri: str | None, *, source: str = "--base") -> str | None:
    """``base_iri`` when the engine takes it as the base of a query: an absolute IRI.

    >>> check_base("https://w3id.org/sce/")
    'https://w3id.org/sce/'
    >>> check_base("sce/graph")
    Traceback (most recent call last):
    kg.errors.InputError: --base: 'sce/graph' is no absolute IRI (No scheme found in an absolute IRI)

    Raises:
        InputError: anything else, with the engine's reason.
    """
    if base_iri is None:
        return None
    try:
        ox.Store().query("ASK {}", base_iri=base_iri)
    except (ValueError, SyntaxError) as error:
        reason = str(error).partition(": ")[2] or str(error)
        escaped = "".join(c if c.isprintable() else repr(c)[1:-1] for c in reason)
        raise InputError(f"{base_iri!r} is no absolute IRI ({escaped})", source=source) from None
    return base_iri


def check_graphs(graphs: tuple[str, ...], *, source: str) -> tuple[str, ...]:
    """``graphs`` when each is an absolute IRI (graphs named on the command line, as the protocol names them).

    >>> check_graphs(("https://w3id.org/sce/graph/seed",), source="--default-graph")
    ('https://w3id.org/sce/graph/seed',)

    Raises:
        InputError: one is not.
    """
    for graph in graphs:
        check_base(graph, source=source)
    return graphs


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


def absolute_iris(sparql: str, base: str | None = None, *, source: str = "update") -> str:
    r"""``sparql`` with every IRI written out whole, as the engine reads it: a relative IRI resolved against the BASE
    in force (by the engine itself, as RFC 3986 says), a prefixed name expanded with its backslash escapes removed.

    A second reader of the text (rdflib's parser, which resolves with ``urljoin`` and keeps the escapes) then sees the
    very IRIs the engine will write.

    >>> absolute_iris(r"BASE <https://w3id.org/> CLEAR GRAPH <sce/graph//../seed>")
    'BASE <https://w3id.org/> CLEAR GRAPH <https://w3id.org/sce/graph/seed>'
    >>> absolute_iris("INSERT DATA { id:a a sce:Role }")
    'INSERT DATA { <https://w3id.org/sce/id/a> a <https://w3id.org/sce/ontology#Role> }'
    >>> absolute_iris(r"PREFIX g: <https://w3id.org/sce/graph/> DROP GRAPH g:x\/..\/seed")
    'PREFIX g: <https://w3id.org/sce/graph/> DROP GRAPH <https://w3id.org/sce/graph/x/../seed>'

    Raises:
        InputError: a backslash outside a string or prefixed name (an escape the engine would read its own way), or
            a relative IRI with no base.
    """
    prefixes = dict(PREFIXES)
    declaring: str | None = None  # "BASE", or the prefix whose IRI comes next
    pieces = []
    for token in iter_tokens(sparql):
        text = token.text
        if token.kind == "other" and text == "\\":
            message = "a backslash outside a string; write the character itself, not an escape"
            raise InputError(message, source=source, line=token.line, column=token.column)
        if token.kind == "iri":
            text = f"<{_resolved(text[1:-1], base, source, token)}>"
            if declaring == "BASE":
                base = text[1:-1]
            elif declaring is not None:
                prefixes[declaring] = text[1:-1]
        elif token.kind == "pname" and declaring == "PREFIX":
            declaring = text[:-1]
            pieces.append(text)
            continue
        elif token.kind == "pname":
            prefix, _, local = text.partition(":")
            if prefix in prefixes:
                text = "<" + prefixes[prefix] + re.sub(r"\\(.)", r"\1", local) + ">"
        if token.kind not in ("ws", "comment"):
            declaring = (
                token.text.upper() if token.kind == "name" and token.text.upper() in ("BASE", "PREFIX") else None
            )
        pieces.append(text)
    return "".join(pieces)


def _resolved(iri: str, base: str | None, source: str, token: Token) -> str:
    """``iri`` resolved against ``base`` by the engine (an absolute IRI stays as it is, as the engine keeps it)."""
    if _SCHEME.match(iri):
        return iri
    try:
        rows: Any = ox.Store().query(f"SELECT (<{iri}> AS ?iri) {{}}", base_iri=base)
        return str(next(iter(rows))[0].value)
    except (SyntaxError, ValueError):
        message = f"the relative IRI <{iri}> cannot be resolved: name a BASE"
        raise InputError(message, source=source, line=token.line, column=token.column) from None


#: The stack the engine runs on in kg's threads (``threading.stack_size``), whatever ``ulimit -s`` or the platform
#: gives a thread by default (a thread of 1 MiB crashed on 150 nested FILTER EXISTS): the engine parses and plans by
#: recursion on this stack, and the limits below are measured with it.
ENGINE_STACK = 16 << 20


class Limit(NamedTuple):
    """One of kg's limits on a query or update: what it counts, and the most it lets through."""

    counts: str
    most: int


#: What kg lets through to the engine, construct by construct: past these sizes pyoxigraph (0.5) crashes the process
#: (SIGSEGV: its parser and planner recurse on the stack) or stalls for more than 10 s on an empty store. Measured by
#: ``bench/engine_limits.py`` (``bench/results/engine-limits.md``) in a thread of ENGINE_STACK; each limit is at most
#: half the size at which the engine failed, and no named query comes near any of them.
LIMITS = {
    "depth": Limit("brackets ( { [ nested", 200),  # crash from 1,680 nested FILTER EXISTS, 4,384 { }, 9,408 ( )
    "clauses": Limit("clauses (BIND, FILTER, OPTIONAL, UNION, MINUS, GRAPH, SERVICE, VALUES)", 750),  # 1,600 FILTER
    "triples": Limit("triple patterns joined", 40),  # planning their joins: 80 took 7.4 s, 81 over 10 s
    "operators": Limit("operators in expressions (&& || ! = < > + - * /)", 2000),  # 1 + 1 + …: 4,128 over 10 s
    "path-steps": Limit("steps of property paths (p/q)", 120),  # p/p/…: 254 to 354 steps over 10 s
    # kg reads an update a second time, with rdflib's parser, for the graphs it writes: that parser recurses in Python
    # and fails from 24 nested brackets (22 nested calls, 24 parentheses, 27 FILTER EXISTS, 36 braces)
    "update-depth": Limit("brackets ( { [ nested in an update", 12),
    "path-alternatives": Limit("alternatives of property paths (p|q)", 4000),  # p|p|…: 8,448 to 11,328 over 10 s
}
MAX_DEPTH = LIMITS["depth"].most
MAX_CLAUSES = LIMITS["clauses"].most
_CLAUSES = frozenset({"BIND", "OPTIONAL", "UNION", "MINUS", "FILTER", "SERVICE", "GRAPH", "VALUES"})
#: Keywords after which a group holds data or a template, not patterns the engine joins.
_QUIET = frozenset({"DATA", "CONSTRUCT", "INSERT", "DELETE"})
#: The keywords an update starts with.
_UPDATES = frozenset({"INSERT", "DELETE", "WITH", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD"})
#: Keywords whose group the engine plans apart from the group around it (the patterns of a group and of the plain
#: groups in it are joined as one). The patterns of an OPTIONAL or MINUS group count in the group around it as well:
#: 100 OPTIONALs side by side, one pattern each, took 10 s to plan, while 800 nested in each other took 4 s.
_SCOPES = frozenset({"OPTIONAL", "MINUS", "EXISTS", "UNION", "WHERE", "SELECT", "SERVICE"})
_BESIDE = frozenset({"OPTIONAL", "MINUS"})
_TERMS = frozenset({"var", "iri", "pname", "string", "number", "blank", "langtag"})
_OPERATORS = frozenset("&|!=<>+-*/")


def check_limits(sparql: str, *, source: str = "query") -> None:
    """Refuse a query or update past one of the :data:`LIMITS`, before the engine sees it, with the construct, the
    limit, and where it was passed.

    >>> check_limits("ASK " + "{" * 300 + "}" * 300, source="q")
    Traceback (most recent call last):
    kg.errors.InputError: q:1:205: nested more than 200 brackets deep (here {); kg's limit, under where the engine fails
    >>> check_limits("SELECT * { " + " ".join(f"?s <urn:p{i}> ?o{i} ." for i in range(60)) + " }", source="q.rq")
    Traceback (most recent call last):
    kg.errors.InputError: q.rq:1:810: more than 40 triple patterns joined; kg's limit, under where the engine fails

    Raises:
        InputError: the first limit passed.
    """
    tally, context = _Tally(), _Context()
    for token in iter_tokens(sparql):
        if token.kind not in ("ws", "comment"):
            passed = tally.see(token.kind, token.text, context)
            if passed is not None:
                raise InputError(passed, source=source, line=token.line, column=token.column)
        context.see(token.kind, token.text)


#: The name the stores call (it checked only depth and clauses before).
check_depth = check_limits


class _Tally:
    """The counts of one text's constructs as its tokens come. Each bracket is on a stack with its kind: ``group``
    (patterns joined), ``quiet`` (data or a template), ``bnode`` (``[ … ]``), ``expression`` or ``paren`` (a
    collection, a path group, a VALUES row); a group and a ``[`` count the terms of the triple being read."""

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.terms = [0]
        #: per bracket, the counts its patterns go to: its scope's, and the scope around for OPTIONAL and MINUS
        self.joined: list[tuple[list[int], ...]] = [([0],)]
        self.scoping = ""
        self.update: bool | None = None  # known from the first keyword after the prologue
        self.counts = dict.fromkeys(LIMITS, 0)
        self.last = ""
        self.values = False

    def see(self, kind: str, text: str, context: _Context) -> str | None:
        """Take in one token (not whitespace or a comment); the message of a limit it passes, if any."""
        in_expression = bool(context.brackets) and context.brackets[-1]
        passed = None
        if kind == "other" and text in ("(", "{", "["):
            passed = self._open(text, context)
        elif kind == "other" and text in (")", "}", "]"):
            passed = self._close()
        elif in_expression:
            if kind == "other" and text in _OPERATORS and not (text in "&|" and self.last == text):
                passed = self._add("operators")
        elif kind in _TERMS or (kind == "name" and text in ("a", "true", "false")):
            self.terms[-1] += 1
        elif kind == "name":
            word = text.upper()
            if self.update is None and word not in ("PREFIX", "BASE"):
                self.update = word in _UPDATES
            self.values = self.values or word == "VALUES"
            self.scoping = word if word in _SCOPES else self.scoping
            passed = self._end_triple(2) or (self._add("clauses") if word in _CLAUSES else None)
        elif text in (".", ";", ","):
            passed = self._end_triple(1)
        elif text in ("/", "|") and self.stack:
            passed = self._add("path-steps" if text == "/" else "path-alternatives")
        self.last = text.upper() if kind == "name" else text
        return passed

    def _open(self, text: str, context: _Context) -> str | None:
        if text == "(":
            kind = "expression" if context._opens_expression() else "paren"
        elif text == "[":
            kind = "bnode"
        else:
            if ended := self._end_triple(2):
                return ended
            quiet = self.values or self.last in _QUIET or (bool(self.stack) and self.stack[-1] == "quiet")
            kind, self.values = ("quiet" if quiet else "group"), False
        scope = self.joined[-1]
        if text == "{" and (self.scoping or len(self.stack) == 0):
            scope = ([0], self.joined[-1][0]) if self.scoping in _BESIDE else ([0],)
        if text == "{":
            self.scoping = ""
        self.stack.append(kind)
        self.terms.append(0)
        self.joined.append(scope)
        most = LIMITS["update-depth"].most if self.update else MAX_DEPTH
        if len(self.stack) > most:
            here = f"{self.last} {text}" if self.last.isalpha() else text
            within = " in an update" if self.update else ""
            return (
                f"nested more than {most} brackets deep{within} (here {here}); kg's limit, under where the engine fails"
            )
        return None

    def _close(self) -> str | None:
        if not self.stack:
            return None
        passed = self._end_triple(1)
        kind = self.stack.pop()
        self.terms.pop()
        self.joined.pop()
        if kind in ("paren", "bnode"):  # a collection, a path group or a blank node stands as one term
            self.terms[-1] += 1
        return passed

    def _end_triple(self, least: int) -> str | None:
        """The triple being read ends here: one more pattern if it had ``least`` terms or more."""
        counted = self.terms[-1] >= least and bool(self.stack) and self.stack[-1] in ("group", "bnode")
        self.terms[-1] = 0
        if not counted:
            return None
        limit = LIMITS["triples"]
        for count in self.joined[-1]:
            count[0] += 1
            if count[0] > limit.most:
                return f"more than {limit.most:,} {limit.counts}; kg's limit, under where the engine fails"
        return None

    def _add(self, what: str) -> str | None:
        self.counts[what] += 1
        limit = LIMITS[what]
        if self.counts[what] > limit.most:
            return f"more than {limit.most:,} {limit.counts}; kg's limit, under where the engine fails"
        return None


def query_form(sparql: str) -> str:
    """``select``, ``ask`` or ``graph`` (CONSTRUCT and DESCRIBE), from the query's first keyword.

    >>> query_form("PREFIX ex: <http://example.org/select#> # ASK\\nCONSTRUCT WHERE { ?s ex:p ?o }")
    'graph'

    Raises:
        KGError: no query form keyword at all (an update, or not SPARQL).
    """
    for token in iter_code(sparql):
        if token.kind == "name" and token.text.upper() in _FORMS:
            return _FORMS[token.text.upper()]
    raise KGError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE (updates go through kg push)")


_FORMS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}


def without_values_rows(sparql: str) -> str:
    """``sparql`` with the rows of every VALUES block blanked out (character positions kept).

    On an empty store, VALUES rows are the only thing a query can multiply; without them, evaluating the query to
    check its syntax costs nothing, whatever it holds.

    >>> without_values_rows("SELECT * { VALUES ?a { 1 2 } VALUES (?b) { (1) (2) } }")
    'SELECT * { VALUES ?a {     } VALUES (?b) {         } }'
    """
    found = code(sparql)
    text = sparql
    for i, token in enumerate(found):
        if token.kind != "name" or token.text.upper() != "VALUES":
            continue
        opening = next((j for j in range(i + 1, len(found)) if found[j].text in "{}"), None)
        if opening is None or found[opening].text != "{":
            continue
        closing = next((t for t in found[opening + 1 :] if t.text in "{}"), None)
        if closing is None or closing.text != "}":
            continue
        start, end = found[opening].start + 1, closing.start
        text = text[:start] + _blanked(text[start:end]) + text[end:]
    return text


# --- Binding values -----------------------------------------------------------------------------------------------


def term_text(term: Any) -> str:
    """A pyoxigraph IRI or literal in N-Triples syntax, fit to stand in a query.

    pyoxigraph's constructors have checked the IRI and escape the literal's quotes and backslashes, so nothing in the
    value can end the term early.

    >>> term_text(ox.Literal('x" } ; DROP ALL #'))
    '"x\\\\" } ; DROP ALL #"'

    Raises:
        KGError: anything but a NamedNode or a Literal (a blank node names nothing on a server).
    """
    if isinstance(term, ox.NamedNode):
        return str(ox.NamedNode(term.value))
    if isinstance(term, ox.Literal):
        return str(term)
    raise KGError(f"only IRIs and literals can be bound as parameters on a remote store, not {term!r}")


def bind_values(sparql: str, substitutions: Mapping[str, Any]) -> str:
    """``sparql`` with each variable bound to its term by a ``VALUES`` block at the start of the outermost group.

    At the start of the WHERE group, the binding reaches every FILTER and OPTIONAL of that group (a trailing VALUES
    would come after them: ``FILTER (CONTAINS(?name, ?_text_literal))`` would see it unbound). A query without a group
    (``DESCRIBE <iri>``) gets a trailing VALUES block.

    Raises:
        KGError: a variable name that is not a SPARQL variable name, or a term that is not an IRI or literal.
    """
    if not substitutions:
        return sparql
    for name in substitutions:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise KGError(f"{name!r} is not a SPARQL variable name")
    variables = " ".join(f"?{name}" for name in substitutions)
    terms = " ".join(term_text(term) for term in substitutions.values())
    block = f"VALUES ({variables}) {{ ({terms}) }}"
    start = _where_group(sparql)
    if start is None:
        return f"{sparql}\n{block}"
    return f"{sparql[: start + 1]} {block}{sparql[start + 1 :]}"


def _where_group(sparql: str) -> int | None:
    """Position of the ``{`` opening the last top-level group (the WHERE clause), or None when there is none."""
    depth, parens, last = 0, 0, None
    for token in code(sparql):
        if token.text == "(":
            parens += 1
        elif token.text == ")":
            parens -= 1
        elif token.text == "{":
            if depth == 0 and parens == 0:
                last = token.start
            depth += 1
        elif token.text == "}":
            depth -= 1
    return last
