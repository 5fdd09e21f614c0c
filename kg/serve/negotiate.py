"""Content negotiation: the writer that best fits a request's ``Accept`` header, from the one registry of writers.

>>> choose("application/sparql-results+xml;q=0.9, text/csv", "select")
'csv'
>>> choose("text/turtle;q=0.5, application/*;q=0.8", "graph")
'nt'
>>> choose("", "graph")
'turtle'
>>> choose("image/png", "select") is None
True
>>> choose("*/*", "dataset"), choose("application/n-quads", "dataset"), choose("text/turtle", "dataset")
('trig', 'nq', None)
>>> choose_page("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"), choose_page("*/*")
('html', 'turtle')
>>> choose_page("application/json"), choose_page("application/ld+json")
('jsonld', 'jsonld')
"""

from __future__ import annotations

import functools

from ..results import WRITERS

#: Other names clients use for the media types kg writes.
ALIASES = {
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
#: The writer chosen when the client takes anything, by kind of result.
DEFAULTS = {"select": "json", "ask": "json", "graph": "turtle", "dataset": "trig"}


def parse_accept(header: str) -> list[tuple[str, float]]:
    """The media ranges of an ``Accept`` header with their q-values (1 when not given; 0 for a bad one)."""
    ranges = []
    for part in header.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        if not media:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(1.0, max(0.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media.lower(), q))
    return ranges


def offered(kind: str) -> list[tuple[str, str]]:
    """(media type, writer) pairs for a kind of result, the default writer first."""
    pairs = [(w.media_type, w.name) for w in WRITERS.values() if kind in w.kinds]
    pairs += [(media, name) for media, name in ALIASES.items() if kind in WRITERS[name].kinds]
    return sorted(pairs, key=lambda pair: pair[1] != DEFAULTS[kind])


def _quality(media: str, ranges: list[tuple[str, float]]) -> float:
    """The q-value of the most specific range that matches ``media`` (0 when none does)."""
    best, specificity = 0.0, -1
    kind = media.split("/")[0]
    for pattern, q in ranges:
        level = 2 if pattern == media else 1 if pattern == f"{kind}/*" else 0 if pattern == "*/*" else -1
        if level > specificity:
            best, specificity = q, level
    return best if specificity >= 0 else 0.0


@functools.lru_cache(maxsize=256)
def choose(accept: str, kind: str) -> str | None:
    """The writer for a result of ``kind`` that the ``accept`` header likes best; None when it takes none.

    Remembered for the last 256 headers: clients send the same few again and again.
    """
    ranges = parse_accept(accept) or [("*/*", 1.0)]
    scored = [(_quality(media, ranges), -i, name) for i, (media, name) in enumerate(offered(kind))]
    q, _, name = max(scored)
    return name if q > 0 else None


def acceptable(kind: str) -> str:
    """The media types offered for ``kind``, for a 406 message."""
    return ", ".join(dict.fromkeys(WRITERS[name].media_type for _, name in offered(kind)))


#: Plain JSON: a resource answers it with compact JSON-LD (``application/ld+json``), which is JSON with a context.
JSON_TYPE = "application/json"
#: The media types of a page for people; a resource's HTML page stands beside the RDF writers.
HTML_TYPES = ("text/html", "application/xhtml+xml")


def choose_page(accept: str) -> str | None:
    """``html`` or the RDF writer that ``accept`` likes best for a resource (Turtle for a client that takes anything;
    the page for a browser, which asks for HTML by name); None when it takes none."""
    ranges = parse_accept(accept) or [("*/*", 1.0)]
    pairs = offered("graph")
    pairs[1:1] = [(media, "html") for media in HTML_TYPES]
    pairs.append((JSON_TYPE, "jsonld"))  # compact JSON-LD reads as plain JSON
    scored = [(_quality(media, ranges), -i, name) for i, (media, name) in enumerate(pairs)]
    q, _, name = max(scored)
    return name if q > 0 else None


def page_acceptable() -> str:
    """The media types a resource is offered in, for a 406 message."""
    types = [HTML_TYPES[0], *(WRITERS[name].media_type for _, name in offered("graph")), JSON_TYPE]
    return ", ".join(dict.fromkeys(types))
