"""Top results of a query, scored a whole posting list at a time.

Whoosh finds the best documents by walking a tree of matchers one posting at a
time, in pure Python: for ``consiliul local buget`` it steps through every
posting of each word in each text field, at some microseconds a step (p50
200 ms, p95 1 s at 100,000 documents). Its shortcut for that work,
replacing matchers during the walk, returns wrong results in whoosh3 3.54.0.

This module gives the same ranking, BM25F as Whoosh computes it, from whole
arrays: each term's postings are read a block at a time into numpy arrays and
scored at once; AND is an intersection, OR a union with summed scores, NOT a
difference (prefixes and fuzzy words arrive expanded to terms, see
``translate.expand_patterns``); the later terms of an AND are read only where the
documents found so far can be; date ranges come from the date column. Other
parts (phrases inside OR or NOT, other ranges) are matched and scored by
Whoosh's own matchers, stepped through completely. A phrase that every
result must contain is checked only on the best candidates (see
:func:`top_documents`). Reading a block's data straight
from the matcher relies on whoosh3's posting format, read in :mod:`.private`
only; with another, the postings are stepped through instead (slower, same
results). The parts of this work: :mod:`.segment` evaluates a query on one
segment, :mod:`.matches` holds the set operations, :mod:`.phrases` checks
phrases by their words' positions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from whoosh import query

from arhiva.search.whoosh_backend.matches import (
    intersection, is_phrase_group, terms_of, without_deleted,
)
from arhiva.search.whoosh_backend.phrases import containing
from arhiva.search.whoosh_backend.schema import Weighting
from arhiva.search.whoosh_backend.segment import Segment

if TYPE_CHECKING:
    from arhiva.search.query import Relaxed

#: Queries of more words than this are never relaxed (a document's words are bits of an int64).
_MOST_WORDS = 62


@dataclass
class Ranking:
    """The top documents (score, top-level document number) and the number of matches.

    ``total`` counts the documents that match the whole query. With ``relaxed``
    (see :func:`top_documents`), ``top`` may go on with documents that lack
    some of the query's words: ``partial`` counts those, and ``missing`` gives,
    for each of them in ``top``, the positions in ``words`` of the words it lacks.
    """

    top: list[tuple[float, int]]
    total: int
    total_exact: bool = True
    partial: int = 0
    missing: dict[int, tuple[int, ...]] = field(default_factory=dict)
    words: list[query.Query] = field(default_factory=list)


def top_documents(searcher, q: query.Query, limit: int, sort: str = "relevance",
                  relaxed: Relaxed | None = None) -> Ranking:
    """The ``limit`` best documents for ``q``, ordered as Whoosh orders them
    (higher score first, then lower document number), with Whoosh's BM25F scores.

    ``sort`` "date" or "-date" orders by the ``date`` field instead (oldest or
    newest first, then by score); documents without a date come last.

    ``q`` may be ``AndMaybe(required, optional)``: the optional part only adds
    its score, as in Whoosh.

    With ``relaxed``, when fewer than ``limit`` documents match the whole
    query (or ``limit`` is 0), the documents that lack some of its words
    follow, fewest missing first, each scored by the words it has.

    Phrases that every result must contain are the exception: a document is
    scored by the phrase's less common words, and the phrase itself is checked
    with the words' positions only on the best candidates, until ``limit`` of
    them have it; the total is then an estimate (``Ranking.total_exact`` false).
    """
    weighting = searcher.weighting
    if not isinstance(weighting, Weighting):
        raise TypeError(f"only arhiva's BM25F weighting is supported, not {type(weighting).__name__}")
    required, optional = (q.a, q.b) if type(q) is query.AndMaybe and q.boost == 1.0 else (q, None)
    parts = list(required.subqueries) if type(required) is query.And and required.boost == 1.0 else [required]
    phrases = [p for p in parts if is_phrase_group(p)]
    words = [p for p in parts if not is_phrase_group(p)]
    leaves = list(searcher.leaf_searchers())
    segments = [Segment(leaf, searcher, weighting) for leaf, _ in leaves]
    found = []
    for segment in segments:
        matches = intersection(([segment.all_of(words)] if words else [])
                                + [segment.phrase_candidates(p) for p in phrases], segment.size)
        found.append(segment.maybe(without_deleted(segment.reader, matches), optional))
    loose = [p for p in words if relaxed and _made_of(p, relaxed.fields)] if relaxed else []
    absent = sum(all(s.rarest([p], 1) == 0 for s in segments) for p in loose)
    least = relaxed.least(len(loose), absent) if loose else 0
    lacking: list[np.ndarray] = []
    if (least < len(loose) <= _MOST_WORDS and (not limit or sum(len(m.ids) for m in found) < limit)
            and sum(s.rarest(loose, len(loose) - least + 1) for s in segments) <= relaxed.most):
        fixed = [p for p in words if not any(p is w for w in loose)]
        for k, segment in enumerate(segments):
            others = ([segment.all_of(fixed)] if fixed else []) + [segment.phrase_candidates(p) for p in phrases]
            partial, have = segment.partial(loose, least, intersection(others, segment.size) if others else None)
            partial = segment.maybe(without_deleted(segment.reader, partial), optional)
            found[k] = partial
            lacking.append(have[partial.ids])
    all_ids = [m.ids + offset for m, (_, offset) in zip(found, leaves)]
    ids = np.concatenate(all_ids) if all_ids else np.empty(0, np.int64)
    scores = np.concatenate([m.scores for m in found]) if found else np.empty(0, np.float64)
    if sort == "relevance":
        key = -scores
    else:
        dates = np.concatenate([s.dates(m.ids) for s, m in zip(segments, found)]) if found else np.empty(0)
        # Undated documents (NaN) last either way; then the better score first.
        key = np.where(np.isnan(dates), np.inf, dates if sort == "date" else -dates)
    have = np.concatenate(lacking) if lacking else None
    missing = None if have is None else len(loose) - _bit_count(have)
    if phrases:
        return _verified_best(ids, key, scores, limit, phrases, leaves, segments, missing, have, loose)
    top = _best(ids, key, scores, limit, missing)
    complete = len(ids) if missing is None else int(np.count_nonzero(missing == 0))
    return _ranking(ids, scores, top, complete, len(ids) - complete, True, have, loose)


def _made_of(q: query.Query, fields: frozenset[str]) -> bool:
    """Whether ``q`` is a term or an OR of terms, all in ``fields``."""
    terms = terms_of(q)
    return bool(terms) and all(t.fieldname in fields for t in terms)


def _ranking(ids, scores, top, complete, partial, exact, have, loose) -> Ranking:
    """A ``Ranking`` of the documents at positions ``top``, with the words the partial ones lack."""
    missing = {}
    if have is not None:
        for i in top:
            absent = tuple(j for j in range(len(loose)) if not int(have[i]) >> j & 1)
            if absent:
                missing[int(ids[i])] = absent
    return Ranking([(float(scores[i]), int(ids[i])) for i in top], complete, exact, partial, missing,
                   list(loose) if have is not None else [])


def _bit_count(values: np.ndarray) -> np.ndarray:
    counts = np.zeros(len(values), np.int64)
    values = values.copy()
    while values.any():
        counts += (values & 1).astype(np.int64)
        values >>= 1
    return counts


def _best(ids: np.ndarray, key: np.ndarray, scores: np.ndarray, limit: int,
          missing: np.ndarray | None = None) -> np.ndarray:
    """Positions of the ``limit`` first documents by fewer ``missing`` words, then
    ``key``, then higher score, then lower number."""
    if missing is not None and missing.any():
        order = np.lexsort((ids, -scores, key, missing))
        return order[:limit] if limit else order
    if limit and len(ids) > limit:
        # Keep every document tied with the last place, then order them all.
        threshold = np.partition(key, limit - 1)[limit - 1]
        chosen = np.flatnonzero(key <= threshold)
    else:
        chosen = np.arange(len(ids))
    order = chosen[np.lexsort((ids[chosen], -scores[chosen], key[chosen]))]
    return order[:limit] if limit else order


def _verified_best(ids, key, scores, limit, phrases, leaves, segments, missing=None, have=None, loose=()) -> Ranking:
    """The best candidates that really contain the phrases, checked a batch at a time."""
    order = _best(ids, key, scores, 0, missing)
    found: list[int] = []  # positions in ids of the candidates that have the phrases, best first
    checked, batch = 0, max(4 * (limit or 10), 64)
    while checked < len(order) and (not limit or len(found) < limit):
        chunk = order[checked:checked + batch]
        have_phrases = containing(ids[chunk], phrases, leaves, segments)
        found += [i for i in chunk if int(ids[i]) in have_phrases]
        checked += len(chunk)
        batch *= 4
    top = found[:limit] if limit else found
    complete = len(found) if missing is None else sum(1 for i in found if not missing[i])
    partial = len(found) - complete
    if checked >= len(order):
        return _ranking(ids, scores, top, complete, partial, True, have, loose)
    if missing is None:
        complete = max(complete, round(complete / checked * len(order)))
    return _ranking(ids, scores, top, complete, partial, False, have, loose)

