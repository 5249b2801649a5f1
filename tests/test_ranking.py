"""The vectorised ranking gives exactly Whoosh's BM25F ranking; cases kept as data."""

from __future__ import annotations

import json
import random
from datetime import datetime, timezone
from pathlib import Path

import pytest

from whoosh import query

from arhiva.search import IndexDoc, SearchIndex, open_index
from arhiva.search import query as querylang
from arhiva.search.whoosh_backend import segment as segment_module
from arhiva.search.whoosh_backend.ranking import top_documents
from arhiva.search.whoosh_backend.schema import WEIGHTING
from arhiva.search.whoosh_backend.translate import expand_patterns, to_whoosh

DATA = Path(__file__).parent / "data"
CASES = json.loads((DATA / "search" / "ranking.json").read_text("utf-8"))
RUNNING = [w for p in sorted((DATA / "texts").glob("*.txt")) for w in p.read_text("utf-8").split() if w.isalpha()]
WORDS = sorted(set(RUNNING))


def run_of_text(rng: random.Random, length: int) -> str:
    start = rng.randrange(len(RUNNING) - length)
    return " ".join(RUNNING[start:start + length])


def make_doc(i: int, rng: random.Random) -> IndexDoc:
    """Random words around a stretch of running text, so that phrases are found."""
    words = [rng.choice(WORDS) for _ in range(rng.randint(5, 300))]
    words.insert(rng.randrange(len(words)), run_of_text(rng, rng.randint(10, 60)))
    text = " ".join(words)
    day = datetime(2020 + i % 3, 1 + i % 12, 1 + i % 28, tzinfo=timezone.utc) if i % 9 != 4 else None
    return IndexDoc(f"{i:064x}", " ".join(rng.sample(WORDS, 4)), text, "x.txt", "text/plain", 1,
                    datetime.now(timezone.utc), day, CASES["types"][i % len(CASES["types"])])


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """Three segments, and documents replaced after they were first added (deletions);
    posting blocks of 8 instead of 128, so that terms span many blocks."""
    rng = random.Random(7)
    ix = SearchIndex(open_index(tmp_path_factory.mktemp("ranking") / "index", create=True, block_size=8))
    for start in (0, 80, 160):
        ix.add(make_doc(i, rng) for i in range(start, start + 80))
    ix.add(make_doc(i, rng) for i in range(0, 240, 7))
    return ix


def searcher_of(index):
    """A searcher of the index, weighted as arhiva's searches are."""
    return index.backend._ix.searcher(weighting=WEIGHTING)


def whoosh_ranking(searcher, q, limit):
    """Whoosh's scores for every match, its matcher stepped through one document at a time."""
    found = []
    for leaf, offset in searcher.leaf_searchers():
        matcher = q.matcher(leaf, leaf.context())
        while matcher.is_active():
            found.append((matcher.score(), offset + matcher.id()))
            matcher.next()
    found.sort(key=lambda item: (-item[0], item[1]))
    return found[:limit], len(found)


def queries(patterns: list[str], count: int) -> list[str]:
    rng = random.Random(3)
    made = []
    for pattern in patterns:
        for _ in range(count):
            text = pattern.replace("{phrase}", run_of_text(rng, rng.randint(2, 3)))
            while "{w}" in text or "{p}" in text:
                text = text.replace("{w}", rng.choice(WORDS), 1).replace("{p}", rng.choice(WORDS)[:3], 1)
            made.append(text)
    return made


def parsed(searcher, index, text):
    return expand_patterns(to_whoosh(querylang.parse(text)), searcher.reader())


@pytest.mark.parametrize("text", queries(CASES["patterns"], 6))
@pytest.mark.parametrize("skipping", [False, True])
def test_same_ranking_as_whoosh(index, text, skipping, monkeypatch):
    """With ``skipping``, every term after the first of an AND is read only where
    the documents found so far can be (the shortcut for rare words)."""
    monkeypatch.setattr(segment_module, "SKIP_BELOW", 0.0 if skipping else float("inf"))
    with searcher_of(index) as searcher:
        leaves = [leaf.reader() for leaf, _ in searcher.leaf_searchers()]
        assert len(leaves) > 1 and any(reader.has_deletions() for reader in leaves)
        q = parsed(searcher, index, text)
        expected, total = whoosh_ranking(searcher, q, 10)
        ranking = top_documents(searcher, q, 10)
    assert ranking is not None
    assert ranking.total == total
    assert [doc for _, doc in ranking.top] == [doc for _, doc in expected]
    assert [score for score, _ in ranking.top] == pytest.approx([score for score, _ in expected], rel=1e-9)


@pytest.mark.parametrize("text", queries(CASES["phrase_patterns"], 6))
@pytest.mark.parametrize("limit", [3, 1000])
def test_phrases_find_what_whoosh_finds(index, text, limit):
    """Phrases are checked on the best candidates only: the same documents, best scored first."""
    with searcher_of(index) as searcher:
        q = parsed(searcher, index, text)
        every, total = whoosh_ranking(searcher, q, None)
        ranking = top_documents(searcher, q, limit)
    assert ranking is not None
    docs = [doc for _, doc in ranking.top]
    assert set(docs) <= {doc for _, doc in every}
    assert len(docs) == min(limit, total)
    assert [score for score, _ in ranking.top] == sorted((score for score, _ in ranking.top), reverse=True)
    if ranking.total_exact:
        assert ranking.total == total


def test_some_phrases_are_found(index):
    with searcher_of(index) as searcher:
        found = [top_documents(searcher, parsed(searcher, index, t), 10).total
                 for t in queries(CASES["phrase_patterns"][:1], 6)]
    assert min(found) >= 1


def test_search_returns_the_best_of_all_matches(index):
    """A limited search gives the first results of an unlimited one."""
    rng = random.Random(0)
    for _ in range(40):
        text = " ".join(rng.sample(WORDS, 2))
        best = index.search(text, limit=1000).hits[:5]
        assert [h.id for h in index.search(text, limit=5).hits] == [h.id for h in best]


@pytest.mark.parametrize("sort", ["date", "-date"])
def test_sorting_by_date(index, sort):
    """Oldest or newest first, undated documents last, the same documents as by relevance."""
    rng = random.Random(1)
    for _ in range(10):
        text = rng.choice(WORDS)
        by_date = index.search(text, limit=1000, sort=sort).hits
        assert {h.id for h in by_date} == {h.id for h in index.search(text, limit=1000).hits}
        dates = [h.date for h in by_date if h.date]
        assert dates == sorted(dates, reverse=sort == "-date")
        assert [h.id for h in index.search(text, limit=3, sort=sort).hits] == [h.id for h in by_date[:3]]


@pytest.mark.parametrize("text", queries(CASES["relaxed_patterns"], 6))
@pytest.mark.parametrize("skipping", [False, True])
def test_relaxed_ranking(index, text, skipping, monkeypatch):
    """Documents that lack some words follow those that have them all, fewest
    missing first, each scored by Whoosh for the words it has."""
    monkeypatch.setattr(segment_module, "SKIP_BELOW", 0.0 if skipping else float("inf"))
    with searcher_of(index) as searcher:
        q = parsed(searcher, index, text)
        required, optional = (q.a, q.b) if isinstance(q, query.AndMaybe) else (q, None)
        parts = list(required.subqueries) if isinstance(required, query.And) else [required]
        loose = [p for p in parts if querylang.RELAXED.fields.issuperset(f for f, _ in p.iter_all_terms())
                 and not isinstance(p, query.Not)]
        fixed = [p for p in parts if p not in loose]
        every = [dict((d, s) for s, d in whoosh_ranking(searcher, p, None)[0]) for p in loose]
        least = querylang.least_words(len(loose), sum(not scores for scores in every))
        must = [dict((d, s) for s, d in whoosh_ranking(searcher, p, None)[0]) for p in fixed]
        extra = dict((d, s) for s, d in whoosh_ranking(searcher, optional, None)[0]) if optional else {}
        candidates = set().union(*every) if every else set()
        for scores in must:
            candidates &= set(scores)
        expected = []
        for doc in candidates:
            have = [j for j, scores in enumerate(every) if doc in scores]
            if len(have) >= least:
                score = sum(every[j][doc] for j in have) + sum(m[doc] for m in must) + extra.get(doc, 0.0)
                expected.append((len(loose) - len(have), -score, doc))
        expected.sort()
        ranking = top_documents(searcher, q, 0, relaxed=querylang.RELAXED)
    # The same documents in the same order, but that scores equal up to the last bits of a float
    # (the same terms summed in another order) are a tie, in either order.
    missing = {doc: len(words) for doc, words in ranking.missing.items()}
    ours = [(missing.get(doc, 0), -round(score, 9), doc) for score, doc in ranking.top]
    assert [r[:2] for r in ours] == sorted(r[:2] for r in ours)
    assert sorted(ours) == sorted((m, round(s, 9), d) for m, s, d in expected)
    scores = {doc: score for score, doc in ranking.top}
    assert [scores[doc] for _, _, doc in expected] == pytest.approx([-score for _, score, _ in expected], rel=1e-9)
    assert ranking.total == sum(1 for missing, _, _ in expected if not missing)
    assert {doc: len(words) for doc, words in ranking.missing.items()} == {
        doc: missing for missing, _, doc in expected if missing}


@pytest.mark.parametrize("text", queries(CASES["phrase_patterns"] + CASES["patterns"], 4))
def test_reading_within_candidates_changes_nothing(index, text, monkeypatch):
    """A phrase's other words read only where its rarest word is, and a small set's
    documents looked up in a large one, give the very same scores (not merely close)
    as whole lists intersected."""
    from arhiva.search.whoosh_backend import matches as matches_module

    rankings = []
    for within, looked_up in ((float("inf"), float("inf")), (0.0, 0.0)):
        monkeypatch.setattr(segment_module, "SKIP_BELOW", within)
        monkeypatch.setattr(matches_module, "LOOKED_UP_BELOW", looked_up)
        with searcher_of(index) as searcher:
            ranking = top_documents(searcher, parsed(searcher, index, text), 1000)
        rankings.append((ranking.top, ranking.total, ranking.total_exact))
    assert rankings[0] == rankings[1]
