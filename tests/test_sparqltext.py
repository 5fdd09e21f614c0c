"""The SPARQL lexer, checked against the engine itself: what Oxigraph really sends over the network, counted by a
listener on loopback, never against the lexer's own idea of the grammar."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import InputError
from kg.sparqltext import MAX_CLAUSES, MAX_DEPTH, check_depth, network_reach, query_form, tokens, without_values_rows
from kg.vocab import PREFIXES

EMPTY_RESULTS = b'{"head":{"vars":["s","p","o"]},"results":{"bindings":[]}}'


class Listener:
    """An HTTP server on loopback that answers every SPARQL request with no rows, and counts them."""

    def __init__(self) -> None:
        counter = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                counter.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(EMPTY_RESULTS)))
                self.end_headers()
                self.wfile.write(EMPTY_RESULTS)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.requests = 0
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def reaches(listener: Listener, query: str) -> bool | None:
    """Whether the engine sent a request while answering ``query``; None when it does not parse."""
    before = listener.requests
    try:
        answer = ox.Store().query(query, prefixes=PREFIXES)
        if isinstance(answer, ox.QuerySolutions):
            list(answer)
    except SyntaxError:
        return None
    except (OSError, RuntimeError, ValueError):
        pass  # the engine reached the listener and did not like the answer: still a request
    return listener.requests > before


# Pieces that make a regular expression lose track of what is code: escapes in prefixed names, quotes and comment
# marks inside strings and IRIs, keywords inside names.
TRICKY = [
    "BIND(id:a\\# AS ?z{n})",
    "BIND(id:a\\' AS ?z{n})",
    'BIND(id:a\\" AS ?z{n})',
    "BIND(id:a%23 AS ?z{n})",
    "BIND(id:a\\\\ AS ?z{n})",
    'BIND("#" AS ?z{n})',
    "BIND('\\'' AS ?z{n})",
    'BIND("""a"b""c""" AS ?z{n})',
    "BIND('''it''s''' AS ?z{n})",
    'BIND("\\\\" AS ?z{n})',
    "BIND(<urn:a#b> AS ?z{n})",
    "BIND(?service{n} AS ?z{n})",
    "BIND(service:x AS ?z{n})",
    '?s{n} sce:says "SERVICE <http://x/> {{ }}" .',
    "?s{n} id:service ?o{n} .",
    '# a comment with a quote " and SERVICE\n',
    "# SERVICE <http://127.0.0.1:9/> {{ }}\n",
    "FILTER(1<2)",
    "FILTER(2>1)",
]


def reach(port: int) -> str:
    return f"SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }}"


pieces = st.lists(st.sampled_from(TRICKY), min_size=0, max_size=4)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=pieces, after=pieces, put_service=st.booleans(), case=st.sampled_from(["SERVICE", "service", "Service"]))
def test_the_lexer_sees_every_service_call_the_engine_makes(
    listener: Listener, before: list[str], after: list[str], put_service: bool, case: str
) -> None:
    parts = [p.format(n=i) for i, p in enumerate(before)]
    if put_service:
        parts.append(reach(listener.port).replace("SERVICE", case))
    parts += [p.format(n=i + 10) for i, p in enumerate(after)]
    query = "SELECT * WHERE {\n" + " ".join(parts) + "\n}"
    engine = reaches(listener, query)
    verdict = network_reach(query) is not None
    if engine:
        assert verdict, query  # the engine reached out and the lexer missed it: a hole in the guard
    joined = any(p.endswith(" .") for p in parts)  # a pattern the engine may find empty first, and skip the call
    if engine is not None and put_service and not joined:
        assert engine and verdict, query  # a clause in plain sight is both reached and seen


def test_the_escape_that_fooled_the_old_guard_reaches_out_and_is_seen(listener: Listener) -> None:
    query = f"SELECT * WHERE {{ BIND(id:a\\# AS ?z) {reach(listener.port)} }}"
    assert reaches(listener, query) is True
    assert network_reach(query) == ("SERVICE", 1, 37)


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/> { }" }',
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1:9/> { }",
        "SELECT ?service WHERE { ?service ?p ?o }",
        "SELECT * WHERE { ?s service:x ?o }",
        "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }",
    ],
)
def test_words_in_data_are_not_code(query: str) -> None:
    assert network_reach(query) is None


def test_tokens_cover_the_text_exactly() -> None:
    text = "PREFIX x: <urn:x#>\nSELECT ?a WHERE { ?a x:b\\#c 'd\\'e' . # f\n}"
    assert "".join(t.text for t in tokens(text)) == text
    comment = next(t for t in tokens(text) if t.kind == "comment")
    assert (comment.line, comment.column, comment.text) == (2, 38, "# f")


def test_query_forms_come_from_code_only() -> None:
    assert query_form('SELECT ("ASK" AS ?x) WHERE { }') == "select"
    assert query_form("PREFIX c: <http://example.org/construct/>\n# SELECT\nASK { }") == "ask"


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 2_600])
def test_deep_nesting_is_refused_before_the_engine_sees_it(depth: int) -> None:
    query = "SELECT * WHERE " + "{" * depth + " ?s ?p ?o " + "}" * depth
    with pytest.raises(InputError, match="nested more than"):
        check_depth(query)


def test_many_binds_are_refused_before_the_engine_sees_them() -> None:
    query = "SELECT * WHERE { " + " ".join(f"BIND({i} AS ?v{i})" for i in range(3_000)) + " }"
    with pytest.raises(InputError, match=f"more than {MAX_CLAUSES:,} clauses"):
        check_depth(query)


def test_a_query_within_the_limits_passes() -> None:
    check_depth("SELECT * WHERE " + "{" * MAX_DEPTH + " ?s ?p ?o " + "}" * MAX_DEPTH)


def test_values_rows_are_taken_out_with_positions_kept() -> None:
    query = "SELECT * {\n VALUES ?a { 1 2 3 }\n VALUES (?b ?c) { (1 2)\n (3 4) } ?x ?y ?z }"
    cut = without_values_rows(query)
    assert len(cut) == len(query) and cut.count("\n") == query.count("\n")
    assert "1" not in cut and cut.endswith("?x ?y ?z }")


def test_a_query_too_deep_for_the_engine_is_one_line_and_no_crash() -> None:
    import subprocess
    import sys
    from pathlib import Path

    kg = str(Path(sys.executable).parent / "kg")
    query = "SELECT * WHERE " + "{" * 3_000 + " ?s ?p ?o " + "}" * 3_000
    done = subprocess.run([kg, "sparql", query], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("kg: error: query:1:") and done.stderr.count("\n") == 1


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=127), max_size=80))
def test_the_ascii_lexer_reads_ascii_as_the_full_lexer_does(text: str) -> None:
    from kg.sparqltext import _token_pattern

    def kinds(wide: bool) -> list[tuple[str | None, str]]:
        return [(m.lastgroup, m.group(0)) for m in _token_pattern(wide).finditer(text)]

    assert kinds(False) == kinds(True)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["?a", "id:x", '"快"', "# 注\n", "<urn:例>", "快", "é", " ", "{", ":", "_:b", "\\#"])))
def test_reading_ascii_first_gives_the_tokens_the_full_lexer_gives(pieces: list[str]) -> None:
    from kg.sparqltext import _lex, tokens

    text = "".join(pieces)
    assert tokens(text) == _lex(text, wide=True)


@pytest.mark.parametrize(
    "expression",
    ["?a<?b&&?c>?d", "?a<=?b&&?c>?d", "1<?b||?c>2", '"x"<?b&&?c>"y"', "STR(?a)<?b&&?c>?d", "?a<?b||true>?d"],
)
def test_less_than_after_an_operand_is_no_iri(expression: str) -> None:
    query = f"SELECT * WHERE {{ BIND(1 AS ?a) FILTER({expression}) }}"
    assert [t.text for t in tokens(query) if t.kind == "iri"] == []
    assert [t.text for t in tokens(query) if t.text == "<"] == ["<"]


@pytest.mark.parametrize(
    ("query", "iris"),
    [
        ("SELECT * { VALUES (?a ?b) { (<x:a><x:b>) } }", ["<x:a>", "<x:b>"]),
        ("SELECT * { ?s <p:x> (<a:b><c:d>) }", ["<p:x>", "<a:b>", "<c:d>"]),
        ("SELECT * { ?s a (<a:b><c:d>) }", ["<a:b>", "<c:d>"]),
        ("SELECT * { ?s (<p:a>|<p:b>)/<p:c> ?o }", ["<p:a>", "<p:b>", "<p:c>"]),
        ("SELECT * { FILTER(<f:x>(?a)<<i:r>) FILTER(?a IN (<x:a>,<x:b>)) }", ["<f:x>", "<i:r>", "<x:a>", "<x:b>"]),
        ("SELECT * { FILTER EXISTS { ?s ?p (<a:b><c:d>) } }", ["<a:b>", "<c:d>"]),
    ],
)
def test_iris_where_a_term_may_stand_stay_iris(query: str, iris: list[str]) -> None:
    assert [t.text for t in tokens(query) if t.kind == "iri"] == iris


@pytest.mark.parametrize(
    "clause", ["SELECT ?x (?a<?b&&?c>?d AS ?z) WHERE { BIND(1 AS ?a) }", "FILTER xsd:boolean(?a<?b&&?c>?d)"]
)
def test_less_than_in_a_projection_or_a_function_named_by_iri(clause: str) -> None:
    query = clause if clause.startswith("SELECT") else f"SELECT * WHERE {{ {clause} }}"
    assert [t.text for t in tokens(query) if t.kind == "iri"] == []


def test_a_filter_comparing_without_spaces_runs_as_the_engine_reads_it() -> None:
    from click.testing import CliRunner

    from kg.cli import main

    query = "SELECT ?r WHERE { VALUES (?a ?b ?c ?d) { (1 2 3 1) (2 1 3 1) } BIND(?a AS ?r) FILTER(?a<?b&&?c>?d) }"
    done = CliRunner().invoke(main, ["sparql", query, "-f", "csv"])
    assert (done.exit_code, done.stdout) == (0, "r\n1\n")
    update = "INSERT { <https://w3id.org/sce/id/x> <urn:p> ?a } WHERE { VALUES (?a ?b) { (1 2) } FILTER(?a<?b&&?a>0) }"
    from kg.sparqltext import absolute_iris

    assert absolute_iris(update) == update
