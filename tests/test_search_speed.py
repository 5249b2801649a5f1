"""What makes a search cheaper changes none of its answers: decoded postings kept
between searches, "did you mean" over the field's words held in memory, and
snippets that fold their text a piece at a time."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index

from arhiva.search import SearchIndex, open_index
from arhiva.search import snippets
from arhiva.search.analyzer import word_terms, words_with_offsets
from arhiva.search.whoosh_backend import segment
from arhiva.search.whoosh_backend.vocabulary import Vocabulary
from tests.test_whoosh_adapter import QUERIES, make_doc

DATA = Path(__file__).parent / "data" / "search"
MISSPELT = ["bugt", "consilul", "hotarare", "sedinta", "primr", "anunt", "concurss", "taxee", "scoala", "xyz",
            "parcc", "drumur", "ap", "licitatie", "iluminatt"]


def build(where: Path, segments: int) -> Path:
    """The documents of the Whoosh adapter's tests, in posting blocks of 8, in one segment or two
    (then with replaced documents: deletions)."""
    rng = random.Random(5)
    ix = SearchIndex(open_index(where, create=True, block_size=8))
    ix.add(make_doc(i, rng) for i in range(120))
    if segments > 1:
        ix.add(make_doc(i, rng) for i in range(0, 120, 9))
    ix.close()
    return where


@pytest.fixture(scope="module")
def two_segments(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("speed") / "index", 2)


@pytest.fixture(scope="module")
def one_segment(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("speed1") / "index", 1)


def answers(ix: SearchIndex) -> list:
    found = []
    for text, options in QUERIES + [("consiliul local", {}), ("buget consiliul", {}), ("buget", {})]:
        r = ix.search(text, limit=20, **options)
        found.append(([(h.id, h.score, tuple(h.missing)) for h in r.hits], r.total, r.partial, r.suggestion))
    return found


@pytest.mark.parametrize("budget", [0, 3_000, 48 << 20])
def test_kept_postings_give_the_same_answers(two_segments, monkeypatch, budget):
    """Every term kept (or a budget too small for all: some dropped, read again), searched
    twice on one open index, against nothing kept."""
    monkeypatch.setattr(segment, "KEPT_FROM", 1)
    monkeypatch.setattr(segment, "KEPT_BYTES", 0)
    ix = SearchIndex.open(two_segments)
    expected = answers(ix)
    ix.close()
    monkeypatch.setattr(segment, "KEPT_BYTES", budget)
    ix = SearchIndex.open(two_segments)
    try:
        assert answers(ix) == expected
        assert answers(ix) == expected
    finally:
        ix.close()


def test_kept_postings_stay_within_their_budget(two_segments, monkeypatch):
    monkeypatch.setattr(segment, "KEPT_FROM", 1)
    monkeypatch.setattr(segment, "KEPT_BYTES", 3_000)
    ix = SearchIndex.open(two_segments)
    try:
        answers(ix)
        kept = [segment._kept[leaf.reader()] for leaf, _ in ix.backend._reader().leaf_searchers()]
        assert len(kept) == 2
        assert all(0 < k.used <= k.budget for k in kept)
        assert sum(k.budget for k in kept) <= 3_000
    finally:
        ix.close()


def test_the_kept_postings_budget_is_sized_from_the_index(two_segments, monkeypatch):
    """Without a fixed budget, the open index keeps so many bytes a document (within bounds),
    shared by its segments by their numbers of documents."""
    monkeypatch.setattr(segment, "KEPT_BYTES", None)
    monkeypatch.setattr(segment, "KEPT_PER_DOCUMENT", 1_000)
    monkeypatch.setattr(segment, "KEPT_LEAST", 0)
    ix = SearchIndex.open(two_segments)
    try:
        answers(ix)
        leaves = ix.backend._reader().leaf_searchers()
        documents = sum(leaf.reader().doc_count_all() for leaf, _ in leaves)
        budgets = [segment._kept[leaf.reader()].budget for leaf, _ in leaves]
        assert abs(sum(budgets) - 1_000 * documents) <= len(budgets)
        assert min(budgets) < max(budgets)  # the segments differ in size, and so do their shares
    finally:
        ix.close()
    monkeypatch.setattr(segment, "KEPT_MOST", 500)
    assert segment.kept_budget(documents) == 500


def test_close_words_are_whooshs_suggestions(one_segment):
    """On an index of one segment, the same words in the same order as Whoosh's own corrector."""
    ix = SearchIndex.open(one_segment)
    theirs = whoosh_index.open_dir(str(one_segment)).searcher()
    try:
        for word in MISSPELT:
            for limit in (1, 3):
                assert ix.backend.close_words("exact", word, limit=limit, maxdist=2) == \
                    theirs.suggest("exact", word, limit=limit, maxdist=2), word
    finally:
        theirs.close()
        ix.close()


def test_close_words_on_several_segments_are_within_two_edits(two_segments):
    from whoosh.support.levenshtein import levenshtein

    ix = SearchIndex.open(two_segments)
    try:
        for word in MISSPELT:
            for close in ix.backend.close_words("exact", word, limit=3, maxdist=2):
                assert close != word and levenshtein(close, word) <= 2
    finally:
        ix.close()


def test_the_vocabulary_is_read_again_for_a_new_searcher(tmp_path):
    """A word indexed after the first suggestion is offered by the next."""
    from datetime import datetime, timezone

    from arhiva.search import IndexDoc

    def doc(i: int, text: str) -> IndexDoc:
        return IndexDoc(f"{i:064x}", "t", text, "x.txt", "text/plain", 1, datetime(2026, 1, 1, tzinfo=timezone.utc))

    ix = SearchIndex(open_index(tmp_path / "index", create=True))
    try:
        ix.add([doc(1, "bugetul local")])
        assert ix.backend.close_words("exact", "canalizarea") == []
        ix.add([doc(2, "canalizare")])
        assert ix.backend.close_words("exact", "canalizarea") == ["canalizare"]
    finally:
        ix.close()


def test_an_empty_vocabulary_has_no_close_words():
    assert list(Vocabulary([]).within("buget", 2)) == []


def texts() -> list[str]:
    documents = json.loads((DATA / "documents.json").read_text("utf-8"))
    return [doc["text"] for doc in documents.values()]


@pytest.mark.parametrize("text", texts())
def test_snippets_of_small_pieces_are_the_same(text, monkeypatch):
    """Every word of each test document asked for, with its phrase of three words too."""
    words = [word for _, _, word in words_with_offsets(text)]
    cases = []
    for i, word in enumerate(words):
        terms = {field: set(found) for field, found in word_terms(word).items() if found}
        cases.append((terms, [tuple(word_terms(w)["exact"][0] for w in words[i:i + 3] if word_terms(w)["exact"])]))
    expected = [snippets.make_snippets(text, terms, phrases=phrases) for terms, phrases in cases]
    monkeypatch.setattr(snippets, "PIECE", 5)
    assert [snippets.make_snippets(text, terms, phrases=phrases) for terms, phrases in cases] == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aăâbcdeîișțstuSȘTÎĂzéİ0123456789-/. \n\u2011")), max_size=60),
       st.integers(1, 8), st.data())
def test_pieces_find_the_tokens_the_whole_text_does(text, size, data):
    """Whatever the pieces (İ lowercases to two characters: that piece keeps all its tokens)."""
    tokens = [word for _, _, word in words_with_offsets(text)]
    wanted: dict[str, set[str]] = {}
    for token in data.draw(st.lists(st.sampled_from(tokens), max_size=2)) if tokens else []:
        for field, terms in word_terms(token).items():
            if terms:
                wanted.setdefault(field, set()).update(terms)
    pairs = list(wanted.items())
    expected = [(start, end) for start, end, word in words_with_offsets(text)
                if any(term in found for field, found in pairs for term in word_terms(word).get(field, ()))]
    original = snippets.PIECE
    snippets.PIECE = size
    try:
        assert list(snippets._matched_spans(text, pairs)) == expected
    finally:
        snippets.PIECE = original


def test_the_quick_folding_is_fold_romanian():
    """Over every character of the basic plane, cased either way."""
    from arhiva.romanian.letters import fold_romanian

    every = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000)
    for text in (every, every.upper()):
        assert snippets._lower_folded(text) == fold_romanian(text.lower())


def test_the_inflection_stem_strips_the_longest_ending_that_leaves_a_stem():
    """By lengths, as the ending list read in order (longest first) strips: every word of
    up to six letters made of the endings' letters (then the stem's ``oa``/``o`` alternation
    undone, the same both ways)."""
    import itertools

    from arhiva.search.stemming import INFLECTIONS, MIN_STEM, _alternation, inflection_stem

    def in_order(word: str) -> str:
        for ending in INFLECTIONS:
            if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
                return _alternation(word[: -len(ending)])
        return _alternation(word)

    letters = sorted(set("".join(INFLECTIONS))) + ["t"]
    for size in range(1, 7):
        for word in map("".join, itertools.product(letters, repeat=size)):
            assert inflection_stem.__wrapped__(word) == in_order(word), word


def test_a_servers_search_process_keeps_more_within_its_share_of_memory(monkeypatch):
    """``arhiva serve``'s search processes keep postings by the document, more than a command,
    but never more than their share of the memory the machine has available."""
    monkeypatch.setattr(segment, "KEPT_BYTES", None)
    command = segment.kept_budget(100_000)
    try:
        assert segment.serving(2, available=64 << 30) == 16 << 30
        assert segment.kept_budget(100_000) == segment.SERVING_PER_DOCUMENT * 100_000 > command
        assert segment.kept_budget(10) == segment.KEPT_LEAST  # a small index keeps at least as much as before
        segment.serving(4, available=1 << 30)
        assert segment.kept_budget(100_000) == (1 << 30) // 8  # half of it, shared by 4 processes
    finally:
        segment.not_serving()
    assert segment.kept_budget(100_000) == command
    assert segment.available_memory() is None or segment.available_memory() > 0


def test_a_servers_search_process_gives_the_same_answers(two_segments, monkeypatch):
    """Keeping the postings of rarer terms too (a server's search process) changes no answer."""
    monkeypatch.setattr(segment, "KEPT_BYTES", 0)
    ix = SearchIndex.open(two_segments)
    expected = answers(ix)
    ix.close()
    monkeypatch.setattr(segment, "KEPT_BYTES", None)
    monkeypatch.setattr(segment, "SERVING_KEPT_FROM", 1)
    segment.serving(1, available=1 << 30)
    ix = SearchIndex.open(two_segments)
    try:
        assert answers(ix) == expected
        assert answers(ix) == expected
        assert any(k.postings for k in segment._kept.values())
    finally:
        ix.close()
        segment.not_serving()


PHRASES = ['"taxe buget parc"', '"consiliul local buget"', '"primar anunț concurs proiect"', '"apă parc taxe"']


def test_a_servers_phrase_check_keeps_the_positions_of_common_words(two_segments, monkeypatch):
    """A server's search process reads a common word of a phrase whole at its first check, even
    for a few candidates, keeps its positions for the searches that follow, and answers the same."""
    import gc

    def phrase_answers(ix: SearchIndex) -> list:
        return [[(h.id, h.score) for h in ix.search(text, limit=20).hits] for text in PHRASES]

    monkeypatch.setattr(segment, "KEPT_BYTES", 0)
    ix = SearchIndex.open(two_segments)
    expected = phrase_answers(ix)
    ix.close()
    monkeypatch.setattr(segment, "KEPT_BYTES", None)
    monkeypatch.setattr(segment, "SERVING_KEPT_FROM", 1)
    monkeypatch.setattr(segment, "_BLOCK", 1e-3)  # a few candidates are then fewer than a word's blocks
    with_positions = []
    for share in (2.0, 0.0):  # no word, or every word of a phrase's check, read whole
        monkeypatch.setattr(segment, "SERVING_WHOLE_SHARE", share)
        segment.serving(1, available=1 << 30)
        gc.collect()  # the readers of the searches before, and what they kept, gone
        ix = SearchIndex.open(two_segments)
        try:
            assert phrase_answers(ix) == expected
            assert phrase_answers(ix) == expected
            with_positions.append(sum(found[2] is not None for k in segment._kept.values()
                                      for found in k.postings.values()))
        finally:
            ix.close()
            segment.not_serving()
    assert with_positions[1] > with_positions[0]
