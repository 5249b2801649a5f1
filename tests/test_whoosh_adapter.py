"""The reads of whoosh3's private storage: fast on the pinned release, and when a
name is missing (a renamed attribute, another release), the same results
through the public interface with one logged line, never a traceback."""

from __future__ import annotations

import logging
import random
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from arhiva.search import IndexDoc, SearchIndex, open_index
from arhiva.search.whoosh_backend import private

ROOT = Path(__file__).resolve().parents[1]
LOGGER = "arhiva.search.whoosh_backend.private"
WORDS = ("consiliul local buget hotărâre ședință primar anunț concurs proiect taxe impozite drumuri "
         "școala apă canalizare urbanism licitație contract salubritate iluminat parc").split()
#: Words, a phrase, a prefix, an exclusion, a relaxed query, a date range and sorting by date.
QUERIES = [
    ("buget", {}), ("consiliul local buget", {}), ('"consiliul local"', {}), ("hot*", {}),
    ("buget -taxe", {}), ("buget taxe apă parc iluminat", {}), ("primar", {"sort": "-date"}),
    ("anunț", {"date_from": datetime(2021, 1, 1, tzinfo=timezone.utc),
               "date_to": datetime(2021, 12, 31, tzinfo=timezone.utc)}),
]


def make_doc(i: int, rng: random.Random) -> IndexDoc:
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 80)))
    day = datetime(2020 + i % 3, 1 + i % 12, 1, tzinfo=timezone.utc) if i % 5 else None
    return IndexDoc(f"{i:064x}", " ".join(rng.sample(WORDS, 3)), text, "x.txt", "text/plain", 1,
                    datetime(2026, 1, 1, tzinfo=timezone.utc), day, "anunț" if i % 2 else "hotărâre")


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """Two segments, replaced documents (deletions), posting blocks of 8: terms span many blocks."""
    rng = random.Random(5)
    where = tmp_path_factory.mktemp("adapter") / "index"
    ix = SearchIndex(open_index(where, create=True, block_size=8))
    ix.add(make_doc(i, rng) for i in range(120))
    ix.add(make_doc(i, rng) for i in range(0, 120, 9))
    ix.close()
    return where


def results(folder: Path) -> list:
    """Every query's hits (ID, score), totals and missing words, from a newly opened index."""
    ix = SearchIndex.open(folder)
    try:
        found = []
        for text, options in QUERIES:
            r = ix.search(text, limit=20, **options)
            found.append(([(h.id, h.score, tuple(h.missing)) for h in r.hits], r.total, r.partial))
        return found
    finally:
        ix.close()


@pytest.fixture
def fresh_probe():
    private.reset()
    yield
    private.reset()


def pinned_release() -> str:
    """The whoosh3 release installed by scripts/setup.sh (pyproject.toml gives the range)."""
    constraints = (ROOT / "requirements" / "constraints.txt").read_text("utf-8")
    return re.search(r"^whoosh3==([\d.]+)$", constraints, re.M).group(1)


def test_the_fast_path_is_used_on_the_pinned_release(folder, fresh_probe, caplog, monkeypatch):
    assert ".".join(map(str, private.release()[:3])) == pinned_release()
    assert private.release_checked()

    def stepped(*args, **kwargs):
        raise AssertionError("a posting list was stepped through on the pinned release")

    monkeypatch.setattr(private, "_stepped", stepped)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        assert results(folder)
    # A term's matcher and its blocks, the columns (dates, field lengths), the segment reader, the table of contents.
    assert private.status() == {"W3LeafMatcher": True, "W3LeafMatcher blocks": True, "Reader": True,
                                "SegmentReader": True, "TOC": True}
    assert not [r for r in caplog.records if r.name == LOGGER]


@pytest.mark.parametrize("name", private.Names._fields)
def test_a_renamed_private_name_gives_the_same_results_and_one_notice(folder, fresh_probe, caplog, monkeypatch, name):
    expected = results(folder)
    private.reset()
    renamed = private.NAMES._replace(**{name: getattr(private.NAMES, name) + "_renamed"})
    monkeypatch.setattr(private, "NAMES", renamed)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        found = results(folder)
        results(folder)
    assert_same(found, expected)
    notices = [r for r in caplog.records if r.name == LOGGER]
    assert len(notices) == 1, [r.getMessage() for r in notices]
    message = notices[0].getMessage()
    assert "\n" not in message and "public interface" in message and not notices[0].exc_info
    assert not all(private.status().values())


def test_another_release_gives_the_same_results_and_one_notice(folder, fresh_probe, caplog, monkeypatch):
    import whoosh

    expected = results(folder)
    private.reset()
    monkeypatch.setattr(whoosh, "__version__", (3, 99, 0))
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        found = results(folder)
    assert_same(found, expected)
    (notice,) = [r for r in caplog.records if r.name == LOGGER]
    assert "3.99.0" in notice.getMessage() and "not a release arhiva has checked" in notice.getMessage()


def test_without_the_table_of_contents_name_an_index_still_opens(folder, fresh_probe, monkeypatch):
    monkeypatch.setattr(private, "NAMES", private.NAMES._replace(toc_pattern="_pattern_renamed"))
    assert private.has_index(folder) and private.latest_toc(folder) is None
    assert not private.has_index(folder / "nothing-here")
    assert SearchIndex.open(folder).doc_count() == 120


def assert_same(found: list, expected: list) -> None:
    assert len(found) == len(expected)
    for (hits, total, partial), (want, want_total, want_partial) in zip(found, expected):
        assert (total, partial) == (want_total, want_partial)
        assert [(i, m) for i, _, m in hits] == [(i, m) for i, _, m in want]
        assert [s for _, s, _ in hits] == pytest.approx([s for _, s, _ in want], rel=1e-9)


def test_the_analyzers_of_indexes_made_before_still_load():
    """Whoosh keeps the schema pickled in the index, its analyzers by module and
    class name: those of older indexes (``arhiva.search.analyzer``) still resolve,
    and analyze as before."""
    import pickle

    from arhiva.romanian.letters import fold
    from arhiva.search.analyzer import analyze
    from arhiva.search.whoosh_backend import schema

    text = "Ședința S.P.C.L.E.P. din 29/04/2021, Start-up"
    old_chains = {"exact": schema.WordTokenizer() | schema.MapFilter(fold),
                  "stems": schema.analyzer("stems"), "whole": schema.WordTokenizer(extras=False) | schema.MapFilter(fold)}
    for kind, chain in old_chains.items():
        data = pickle.dumps(chain, protocol=0).replace(b"arhiva.search.whoosh_backend.schema", b"arhiva.search.analyzer")
        assert b"arhiva.search.analyzer\nWordTokenizer" in data
        assert [t.text for t in pickle.loads(data)(text)] == analyze(kind, text)
