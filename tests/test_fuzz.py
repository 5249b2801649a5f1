"""Fuzzing the text clean-up and the query parser: no crash, no exception escaping.

A short run is part of the default suite; ``pytest -m slow tests/test_fuzz.py``
runs 10,000 examples of each.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arhiva.errors import QueryError
from arhiva.repair import clean
from arhiva.search import IndexDoc, SearchIndex

ROMANIAN = "aăâbcdefghiîjklmnopqrsștțuvwxyzAĂÂBCDEFGHIÎJKLMNOPQRSȘTȚUVWXYZşţŞŢ0123456789"
PUNCTUATION = " \n\n\f\t.,;:!?-–—„”\"'()[]{}*~^:+/\\<>|&@#%\u00ad\u00a0\u200bºþãÃ©™Ã®È™"
QUERY_SYNTAX = ['"', "OR", "AND", "NOT", "-", "*", "?", "~", "~2", "(", ")", "[", "]", " to ", ":", "titlu:", "tip:",
                "data:", "data:2021-04", "^", "{", "}", "/", "\\"]

text = st.text(alphabet=st.sampled_from(list(ROMANIAN + PUNCTUATION)), max_size=400)
query_text = st.lists(st.one_of(st.sampled_from(QUERY_SYNTAX), st.text(alphabet=ROMANIAN, min_size=1, max_size=8)),
                      max_size=8).map(" ".join) | st.text(max_size=60)


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    ix = SearchIndex.create(tmp_path_factory.mktemp("fuzz") / "index")
    ix.add([IndexDoc("a" * 64, "Ședința", "Consiliul Local a aprobat bugetul.", "x.txt", "text/plain", 1,
                     datetime.now(timezone.utc), datetime(2021, 4, 8, tzinfo=timezone.utc), "hotărâre")])
    return ix


def check_clean(sample: str) -> None:
    result = clean(sample)
    assert isinstance(result.text, str)


def check_query(index, sample: str) -> None:
    try:
        index.search(sample, text_of=lambda _: "Consiliul Local a aprobat bugetul.")
    except QueryError as err:
        assert "\n" not in str(err)


@settings(max_examples=300, deadline=None)
@given(text)
def test_clean_never_crashes(sample):
    check_clean(sample)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query_text)
def test_query_parser_never_crashes(index, sample):
    check_query(index, sample)


@pytest.mark.slow
@settings(max_examples=10_000, deadline=None)
@given(text)
def test_clean_never_crashes_10000(sample):
    check_clean(sample)


@pytest.mark.slow
@settings(max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query_text)
def test_query_parser_never_crashes_10000(index, sample):
    check_query(index, sample)


def spans_the_plain_way(sample: str, wanted: list[tuple[str, set[str]]]) -> list[tuple[int, int]]:
    """Every word stemmed, no prefilter: what the snippet finder must find."""
    from arhiva.search.analyzer import word_terms, words_with_offsets

    return [(s, e) for s, e, word in words_with_offsets(sample)
            if any(term in found for field, found in wanted for term in word_terms(word).get(field, ()))]


words = st.text(alphabet=st.sampled_from(list(ROMANIAN + "éÉçİßﬁ")), min_size=1, max_size=10)


@settings(max_examples=2_000, deadline=None)
@given(st.lists(words | st.text(alphabet=st.sampled_from(list(PUNCTUATION)), max_size=3), max_size=40),
       st.lists(words, min_size=1, max_size=4))
def test_snippet_prefilter_finds_what_every_word_would(parts, query_words):
    """The snippet finder's regular-expression prefilter drops no matching word."""
    from arhiva.search.analyzer import word_terms
    from arhiva.search.snippets import _matched_spans

    sample = " ".join(parts + query_words[:1])
    wanted: dict[str, set[str]] = {}
    for word in query_words:
        for field, terms in word_terms(word.lower()).items():
            wanted.setdefault(field, set()).update(terms)
    pairs = list(wanted.items())
    assert list(_matched_spans(sample, pairs)) == spans_the_plain_way(sample, pairs)
