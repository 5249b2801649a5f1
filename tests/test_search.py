"""The index and the query language, on a small in-memory-sized index; cases kept as data."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arhiva.errors import ArchiveError, QueryError
from arhiva.search.stemming import snowball_stem
from arhiva.search import IndexDoc, SearchIndex
from arhiva.search.index import reference_forms
from arhiva.search.analyzer import analyze, word_terms, words_with_offsets
from arhiva.search.whoosh_backend.schema import analyzer as whoosh_analyzer
from arhiva.search.snippets import _matched_spans
from arhiva.search.query import parse_period

DATA = Path(__file__).parent / "data" / "search"
DOCS = json.loads((DATA / "documents.json").read_text("utf-8"))
QUERIES = json.loads((DATA / "queries.json").read_text("utf-8"))
IDS = {key: f"{n:02x}" * 32 for n, key in enumerate(DOCS, start=1)}
KEYS = {v: k for k, v in IDS.items()}


def text_of(doc_id: str) -> str:
    return DOCS[KEYS[doc_id]]["text"]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    ix = SearchIndex.create(tmp_path_factory.mktemp("ix") / "index")
    ix.add(
        IndexDoc(
            IDS[key], doc["title"], doc["text"], f"{key}.pdf", "application/pdf", doc["text"].count("\f") + 1,
            datetime(2026, 1, 1, tzinfo=timezone.utc),
            datetime.fromisoformat(doc["date"]).replace(tzinfo=timezone.utc) if doc["date"] else None,
            doc["type"],
            *reference_forms(doc.get("references", [])),
        )
        for key, doc in DOCS.items()
    )
    return ix


def found(results) -> list[str]:
    return sorted(KEYS[h.id] for h in results.hits)


@pytest.mark.parametrize("case", QUERIES, ids=[c["query"] for c in QUERIES])
def test_query(index, case):
    results = index.search(case["query"])
    assert found(results) == sorted(case["expected"]), case["comment"]
    if "first" in case:
        assert KEYS[results.hits[0].id] == case["first"], case["comment"]


def test_snowball_needs_the_cedilla_mapping():
    from whoosh.lang.snowball.romanian import RomanianStemmer

    assert RomanianStemmer().stem("situației") == "situaț"  # comma-below: under-stemmed
    assert RomanianStemmer().stem("situaţiei") == "situ"
    assert snowball_stem("situației") == snowball_stem("situaţiei") == "situ"


@pytest.mark.parametrize(
    "kind, text, tokens",
    [
        ("exact", "Ședința ŞI în", ["sedinta", "si", "in"]),
        ("stemmed", "Ședințele consiliului și situației", ["sedint", "consil", "situ"]),
        ("inflected", "Hotărârea hotararile în HOTĂRÂRII", ["hotarar", "hotarar", "hotarar"]),
        ("exact", "S.P.C.L.E.P. e-mail 29/04/2021", ["spclep", "email", "e", "mail", "2021-04-29", "29", "04", "2021"]),
        ("exact", "art.35 nr.45/2021 1.008", ["art", "35", "nr", "45/2021", "45", "2021", "1.008", "1", "008", "1008"]),
        ("inflected", "Tîrgu", ["tirg", "targ"]),
    ],
)
def test_analyzers(kind, text, tokens):
    assert analyze(kind, text) == tokens
    assert [t.text for t in whoosh_analyzer(kind)(text)] == tokens


def test_a_query_looks_for_whole_tokens_at_their_positions():
    tokens = [(t.text, t.pos) for t in whoosh_analyzer("exact")("nr. 45/2021 din Start-up", mode="query", positions=True)]
    assert tokens == [("nr", 0), ("45/2021", 1), ("din", 2), ("startup", 3)]
    assert analyze("exact", "nr. 45/2021 din Start-up", query=True) == ["nr", "45/2021", "din", "startup"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aăâbcdeîișțstuSȘTÎĂzé0123456789-/. \n\u2011")), max_size=40),
       st.sampled_from(["exact", "whole", "stemmed", "inflected", "stems"]), st.booleans())
def test_the_whoosh_analyzers_give_arhivas_terms(text, kind, query):
    """The Whoosh backend indexes and queries with arhiva's analysis, at the same positions and offsets."""
    mode = "query" if query else "index"
    theirs = [(t.pos, t.startchar, t.endchar, t.text)
              for t in whoosh_analyzer(kind)(text, positions=True, chars=True, mode=mode)]
    from arhiva.search.analyzer import ANALYSES

    assert theirs == list(ANALYSES[kind](text, query))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aăâbcdeîișțstuSȘTÎĂzé0123456789-/. \n\u2011")), max_size=40), st.data())
def test_snippet_prefilter_finds_every_token_with_a_wanted_term(text, data):
    """Acronyms, hyphenated words, numbers and dates: the prefilter drops no token that has a wanted term."""
    tokens = [word for _, _, word in words_with_offsets(text)]
    wanted: dict[str, set[str]] = {}
    for token in data.draw(st.lists(st.sampled_from(tokens), max_size=2)) if tokens else []:
        for field, terms in word_terms(token).items():
            if terms:
                wanted.setdefault(field, set()).update(data.draw(st.sets(st.sampled_from(terms), min_size=1)))
    pairs = list(wanted.items())
    expected = [(start, end) for start, end, word in words_with_offsets(text)
                if any(term in found for field, found in pairs for term in word_terms(word).get(field, ()))]
    assert list(_matched_spans(text, pairs)) == expected


def test_sorting_by_date(index):
    newest = index.search("consiliului OR cetatenii OR sedinta", sort="-date")
    dates = [h.date for h in newest.hits if h.date]
    assert dates == sorted(dates, reverse=True)


def test_filters(index):
    assert found(index.search("bugetul", doc_type="hotărâre")) == ["hotarare"]
    assert found(index.search("", date_from=parse_period("2021-05"), date_to=parse_period("2021-05", end=True))) == ["verbal"]


def test_snippets_have_page_numbers_and_matches(index):
    (hit,) = index.search("indeplinire", text_of=text_of).hits
    (snippet,) = hit.snippets
    assert snippet.page == 2
    assert [p for p, matched in snippet.parts if matched] == ["îndeplinire"]
    data = json.loads(json.dumps(hit.to_json()))
    assert data["snippets"][0] == {"page": 2, "text": snippet.text, "matches": ["îndeplinire"]}
    assert set(data) == {"id", "title", "date", "type", "score", "source", "ingested", "pages", "snippets", "missing"}


def test_phrase_snippets_show_the_phrase(index):
    (hit,) = index.search('"ordinea de zi"', text_of=text_of).hits
    assert [p for s in hit.snippets for p, matched in s.parts if matched] == ["Ordinea de zi"]


def test_snippets_mark_whole_tokens(index):
    (hit,) = index.search("SPCLEP", text_of=text_of).hits
    assert [p for s in hit.snippets for p, matched in s.parts if matched] == ["S.P.C.L.E.P."]
    (hit,) = index.search("29-04-2021 convocarea", text_of=text_of).hits
    assert [p for s in hit.snippets for p, matched in s.parts if matched] == ["convocarea", "45/29.04.2021"]


def test_documents_lacking_a_third_of_the_words_follow(index):
    """A long query with a word in no document still finds the one with all the others, and says what it lacks."""
    results = index.search("cetatenii dezbaterea publica bugetului participativ strada")
    assert (results.total, results.partial) == (0, 1)
    (hit,) = results.hits
    assert (KEYS[hit.id], hit.missing) == ("anunt", ["strada"])
    complete = index.search("dezbaterea publica bugetului participativ")
    assert [KEYS[h.id] for h in complete.hits] == ["anunt"] and complete.partial == 0


def test_did_you_mean(index):
    results = index.search("bugetl")
    assert results.hits == [] and results.suggestion == "bugetul"
    assert index.search("bugetul").suggestion is None


def test_similar(index):
    results = index.similar(IDS["hotarare"], DOCS["hotarare"]["text"])
    assert KEYS[results.hits[0].id] == "verbal"
    assert "hotarare" not in [KEYS[h.id] for h in results.hits]


@pytest.mark.parametrize("query", ["data:banana", "data:[2021 to", ""])
def test_malformed_queries_get_a_clear_error(index, query):
    with pytest.raises(QueryError) as info:
        index.search(query)
    assert "\n" not in str(info.value)


def test_replacing_a_document(index, tmp_path):
    ix = SearchIndex.create(tmp_path / "ix")
    doc = IndexDoc("a" * 64, "Vechi", "bugetul local", "x.txt", "text/plain", 1, datetime.now(timezone.utc))
    ix.add([doc])
    ix.add([IndexDoc("a" * 64, "Nou", "alt conținut", "x.txt", "text/plain", 1, datetime.now(timezone.utc))])
    assert ix.doc_count() == 1 and not ix.search("bugetul").hits


def test_an_open_index_sees_what_another_process_commits(tmp_path):
    """The searcher kept open between searches is refreshed after another writer's commit."""
    reading = SearchIndex.create(tmp_path / "ix")
    now = datetime.now(timezone.utc)
    SearchIndex.open(tmp_path / "ix").add([IndexDoc("a" * 64, "Unu", "bugetul local", "a.txt", "text/plain", 1, now)])
    assert [h.title for h in reading.search("buget").hits] == ["Unu"]
    writing = SearchIndex.open(tmp_path / "ix")
    writing.add([IndexDoc("b" * 64, "Doi", "bugetul județului", "b.txt", "text/plain", 1, now)])
    writing.add([IndexDoc("a" * 64, "Unu", "alt conținut", "a.txt", "text/plain", 1, now)])
    assert [h.title for h in reading.search("buget").hits] == ["Doi"]
    reading.close()
    assert reading.search("conținut").total == 1


def test_missing_and_outdated_indexes_are_reported(tmp_path):
    with pytest.raises(ArchiveError, match="missing.*arhiva reindex"):
        SearchIndex.open(tmp_path / "nowhere")
    SearchIndex.create(tmp_path / "index")
    (tmp_path / "index" / "arhiva-index.json").write_text('{"schema_version": 1}')
    with pytest.raises(ArchiveError, match="another version of arhiva.*reindex"):
        SearchIndex.open(tmp_path / "index")


def test_damaged_index_is_reported_not_recreated(tmp_path):
    ix = SearchIndex.create(tmp_path / "index")
    ix.add([IndexDoc("a" * 64, "t", "bugetul", "x.txt", "text/plain", 1, datetime.now(timezone.utc))])
    for toc in (tmp_path / "index").glob("_MAIN_*.toc"):
        toc.write_bytes(b"garbage")
    with pytest.raises(ArchiveError, match="damaged"):
        SearchIndex.open(tmp_path / "index").search("bugetul")
    assert list((tmp_path / "index").glob("_MAIN_*.toc"))
