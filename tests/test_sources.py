"""The graph against its sources list: ../shared/design/SOURCES.md, read as its tables stand.

Every source record carries the page address, the real title (or none, and a description instead) and the date that
"The sources" gives; every named graph of facts belongs to a listed source; a fact resting on a source known only by
its site is also stated by a source with a page address; every source a fact table cites is in the graph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.stores import Store
from kg.vocab import DCT, ID, RDFS, SCHEMA, SOURCE_GRAPHS

from .conftest import need

SOURCES_MD = Path(__file__).parent.parent.parent / "shared" / "design" / "SOURCES.md"

#: The properties that state a fact beyond the seed (shapes.ttl's shape:FactSource names the same).
FACT_PROPERTIES = ("schema:foundingDate schema:dissolutionDate schema:tickerSymbol schema:parentOrganization "
                   "schema:sameAs sce:representedBy schema:startDate sce:eventKind sce:concerns sce:imposedBy "
                   "sce:fineYuan schema:location schema:value sce:normalisedValue sce:nameAsWritten")  # fmt: skip

DATE = re.compile(r"^(\d{4}(?:-\d{2}(?:-\d{2})?)?)\b")


@dataclass(frozen=True)
class Listed:
    """One source as "The sources" gives it."""

    key: str
    address: str
    title: str | None
    date: str | None
    site_only: bool


def sources_text() -> str:
    need(SOURCES_MD.is_file(), f"the sources list {SOURCES_MD} (shared/ beside the clone)")
    return SOURCES_MD.read_text(encoding="utf-8")


def title_and_date(cell: str) -> tuple[str | None, str | None]:
    """The real title (a quoted string the cell starts with) and the date (a segment after "; " that starts with one).

    >>> title_and_date('"Pinduoduo Denies Moving; Yes"; 2023-05-05')
    ('Pinduoduo Denies Moving; Yes', '2023-05-05')
    >>> title_and_date("—; 2022-03 (the id suggests 03-23)")
    (None, '2022-03')
    >>> title_and_date('copy of the Wikipedia article "Pinduoduo"')
    (None, None)
    """
    quoted = re.match(r'"(.+?)"(?=[\s;,(]|$)', cell)
    rest = cell[quoted.end() :] if quoted else cell
    dates = [m.group(1) for part in rest.split("; ") if (m := DATE.match(part.strip()))]
    return (quoted.group(1) if quoted else None), (dates[0] if dates else None)


def listed_sources(text: str) -> dict[str, Listed]:
    """Every row of "The sources", by key; a row of several keys and addresses pairs them in order."""
    table = text[text.index("## The sources") :]
    listed: dict[str, Listed] = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        if len(cells) != 3 or not line.startswith("| ") or cells[0] in ("key", "---"):
            continue
        keys = re.findall(r"`([^`]+)`", cells[0])
        if cells[0].startswith("SEC filings"):
            keys = [f"sec-{number}" for number in re.findall(r"\d{10}-\d{2}-\d{6}", cells[0])]
        addresses = [a.strip() for a in cells[1].split(", ")] if len(keys) > 1 else [cells[1]]
        site_only = "address of the page not known" in cells[2] or "accession number only" in cells[2]
        title, date = title_and_date(cells[2])
        for key, address in zip(keys, addresses * len(keys) if len(addresses) == 1 else addresses, strict=True):
            listed[key] = Listed(key, address, title, date, site_only)
    return listed


@pytest.fixture(scope="module")
def listed() -> dict[str, Listed]:
    return listed_sources(sources_text())


def records(store: Store) -> dict[str, dict[str, list[str]]]:
    """Each source record of the graph (id:src-<key>), by key: its property values as plain text."""
    found: dict[str, dict[str, list[str]]] = {}
    rows = store.select("SELECT ?g ?src ?p ?o WHERE { ?g prov:wasDerivedFrom ?src . ?src ?p ?o }")
    for row in rows:
        if not row["g"].value.startswith(SOURCE_GRAPHS):
            continue
        key = row["g"].value[len(SOURCE_GRAPHS) :]
        found.setdefault(key, {}).setdefault(row["p"].value, []).append(row["o"].value)
    return found


def test_the_sources_list_is_read_whole(listed: dict[str, Listed]) -> None:
    assert len(listed) > 90
    assert listed["asiantechpress-pdd"].title == "Pinduoduo denies moving headquarters from China to Ireland"
    assert listed["asiantechpress-pdd"].date == "2023-05-05"
    assert listed["equalocean-2022032317167"] == Listed(
        "equalocean-2022032317167", "https://equalocean.com/analysis/2022032317167", None, "2022-03", False
    )
    assert listed["wikipedia-kuaishou"].address == "https://en.wikipedia.org/wiki/Kuaishou"
    assert listed["shoufuban-siwei"].site_only and listed["sec-0001193125-24-044480"].site_only


def test_every_named_graph_of_facts_is_a_listed_source_and_derived_from_it(
    store: Store, listed: dict[str, Listed]
) -> None:
    graphs = {row["g"].value for row in store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}
    facts = sorted(g[len(SOURCE_GRAPHS) :] for g in graphs if g.startswith(SOURCE_GRAPHS))
    assert len(facts) > 80
    assert [key for key in facts if key not in listed] == []
    derived = records(store)
    assert [key for key in facts if key not in derived] == []


def test_every_source_record_has_its_address_title_and_date_as_listed(store: Store, listed: dict[str, Listed]) -> None:
    wrong = []
    for key, record in sorted(records(store).items()):
        source = listed[key]
        urls = record.get(SCHEMA.url, [])
        if len(urls) != 1:
            wrong.append((key, "address", urls))
        elif source.address.startswith("http") and urls[0] != source.address:
            wrong.append((key, "address", urls[0], source.address))
        elif not source.address.startswith("http") and urls[0] != f"https://{source.address.split(',')[0]}/":
            wrong.append((key, "site", urls[0], source.address))
        if record.get(DCT.term("title"), []) != ([source.title] if source.title else []):
            wrong.append((key, "title", record.get(DCT.term("title")), source.title))
        if not source.title and not record.get(RDFS.comment):
            wrong.append((key, "a record without a title describes the page in rdfs:comment"))
        if record.get(DCT.issued, []) != ([source.date] if source.date else []):
            wrong.append((key, "date", record.get(DCT.issued), source.date))
    assert wrong == []


def test_every_source_a_fact_table_cites_is_in_the_graph(store: Store) -> None:
    text = sources_text()
    facts = text[text.index("## The fourteen enterprises") : text.index("## Chinese terms")]
    cited = set(re.findall(r"`([a-z0-9][a-z0-9-]*)`", facts)) - {"wikidata"}
    assert len(cited) > 70
    assert sorted(cited - set(records(store))) == []


def test_no_fact_rests_on_a_source_known_only_by_its_site(store: Store, listed: dict[str, Listed]) -> None:
    """A source whose page address is not known may stand beside another, never alone."""
    rows = store.select(f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} VALUES ?p {{ {FACT_PROPERTIES} }} }}")
    by_fact: dict[tuple[str, str, str], set[str]] = {}
    for row in rows:
        if row["g"].value.startswith(SOURCE_GRAPHS):
            fact = (row["s"].value, row["p"].value, str(row["o"]))
            by_fact.setdefault(fact, set()).add(row["g"].value[len(SOURCE_GRAPHS) :])
    assert len(by_fact) > 200
    alone = [fact for fact, keys in by_fact.items() if all(listed[key].site_only for key in keys)]
    assert alone == []


def test_every_node_a_source_graph_describes_names_that_source(store: Store) -> None:
    """Within a source's graph, every node it says something of names the source (dct:source) in that graph — except a
    model, of which a source says only which enterprises represent it: that link is traced by its graph alone."""
    unnamed = store.select(
        "SELECT DISTINCT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o } ?g prov:wasDerivedFrom ?src "
        "FILTER (STRSTARTS(STR(?g), ?prefix)) FILTER NOT EXISTS { GRAPH ?g { ?s dct:source ?src } } "
        "FILTER NOT EXISTS { ?s a sce:SocialCommerceModel } }",
        prefix=ox.Literal(SOURCE_GRAPHS),
    )
    assert [(row["g"].value, row["s"].value) for row in unnamed] == []


def test_the_removed_and_moved_facts_of_2026_12_03_are_gone(store: Store) -> None:
    """SOURCES.md, "Changed on 2026-12-03": what was removed stays removed; what moved sits only where it moved to."""
    assert not store.ask("ASK { ?e schema:foundingDate ?d }", e=ox.NamedNode(ID.term("beibei-group")))
    assert not store.ask("ASK { ?e ?p ?o }", e=ox.NamedNode(ID.term("event-siwei-withdraws-listing")))
    assert not store.ask("ASK { ?e ?p ?o }", e=ox.NamedNode(ID.term("event-jingxi-separate-unit")))
    assert not store.ask("ASK { ?e schema:dissolutionDate ?d }", e=ox.NamedNode(ID.term("chengxin-youxuan")))
    assert not store.ask("ASK { ?l skos:altLabel ?a FILTER (STR(?a) IN ('Dedao', '得到')) }",
                         l=ox.NamedNode(ID.term("luoji-siwei")))  # fmt: skip
    moved = {
        ("jd-com", "schema:tickerSymbol"): {"equalocean-2022032317167"},
        ("event-jingxi-broken-up", "sce:eventKind"): {"pandaily-jingxi"},
        ("event-mogu-listing", "sce:eventKind"): {"caixin-2018-12-07"},
        ("mogujie", "schema:location"): {"capitalwatch-3141"},
        ("china-youzan", "schema:tickerSymbol"): {"guangfuqiang-a798710"},
        ("thinking-creation", "schema:location"): {"laitimes-3ke5s"},
        ("jingxi", "schema:parentOrganization"): {"equalocean-2022032317167"},
        ("youzan", "schema:parentOrganization"): {"pigcms-36608", "mo4tech-youzan"},
        ("kuaishou", "schema:parentOrganization"): {"wikipedia-kuaishou", "readkong-ks-2021"},
        ("xingsheng-youxuan", "schema:parentOrganization"): {"caixin-2020-12-12", "krasia-jd-xingsheng"},
    }
    for (node, prop), keys in moved.items():
        rows = store.select(
            f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?n {prop} ?o }} }}", n=ox.NamedNode(ID.term(node))
        )
        assert {row["g"].value.removeprefix(SOURCE_GRAPHS) for row in rows} == keys, (node, prop)


def test_every_figure_is_in_its_own_source_graph(store: Store) -> None:
    """The same figure from two sources is two figures: each figure node lives in one source's graph only."""
    rows = store.select("SELECT ?f (COUNT(DISTINCT ?g) AS ?graphs) WHERE { GRAPH ?g { ?f a sce:Figure } } GROUP BY ?f")
    assert len(rows) >= 33
    assert {int(row["graphs"].value) for row in rows} == {1}
    sourced = store.select(
        "SELECT ?f WHERE { GRAPH ?g { ?f a sce:Figure ; dct:source ?src } ?g prov:wasDerivedFrom ?src }"
    )
    assert len(sourced) == len(rows)
