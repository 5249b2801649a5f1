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
``query.expand_patterns``); the later terms of an AND are read only where the
documents found so far can be; date ranges come from the date column. Other
parts (phrases inside OR or NOT, other ranges) are matched and scored by
Whoosh's own matchers, stepped through completely. A phrase that every
result must contain is checked only on the best candidates (see
:func:`top_documents`). Reading a block's data straight
from the matcher relies on whoosh3's posting format; with another, the
postings are stepped through instead (slower, same results).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from whoosh import query, scoring
from whoosh.util.numeric import byte_to_length

#: A term of an AND is read only in the blocks holding documents found so far
#: when there are fewer of those than this share of its blocks.
SKIP_BELOW = 1.0
_BLOCK = 128  # postings in a whoosh3 block (the codec's default)
#: Queries of more words than this are never relaxed (a document's words are bits of an int64).
_MOST_WORDS = 62

#: Field length of each stored length byte (Whoosh's own logarithmic code).
_LENGTHS = np.array([byte_to_length(b) or 0 for b in range(256)], dtype=np.float64)


@dataclass
class Matches:
    """Sorted document numbers (within one segment) and their scores."""

    ids: np.ndarray
    scores: np.ndarray

    @classmethod
    def empty(cls) -> Matches:
        return cls(np.empty(0, np.int64), np.empty(0, np.float64))


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


@dataclass(frozen=True)
class Relaxed:
    """Which words of a query a listed document may lack, after all those that have them all.

    A word is a part of the query's AND made only of terms of ``fields``
    (phrases, ranges, exclusions and other fields are always required); of
    ``n`` such words, a document must have ``least(n)``. Such a document has
    one of the ``n - least(n) + 1`` rarest words, whose postings are read
    whole: when they hold more than ``most`` postings, the query's words are
    too common for the documents lacking some to be worth listing (or reading),
    and only complete matches are.
    """

    fields: frozenset[str]
    least: Callable[[int], int]
    most: int = 5000


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
    if type(weighting) is not scoring.BM25F:
        raise TypeError(f"only BM25F scoring is supported, not {type(weighting).__name__}")
    required, optional = (q.a, q.b) if type(q) is query.AndMaybe and q.boost == 1.0 else (q, None)
    parts = list(required.subqueries) if type(required) is query.And and required.boost == 1.0 else [required]
    phrases = [p for p in parts if _is_phrase_group(p)]
    words = [p for p in parts if not _is_phrase_group(p)]
    leaves = list(searcher.leaf_searchers())
    segments = [_Segment(leaf, searcher, weighting) for leaf, _ in leaves]
    found = []
    for segment in segments:
        matches = _intersection(([segment.all_of(words)] if words else [])
                                + [segment.phrase_candidates(p) for p in phrases], segment.size)
        found.append(segment.maybe(_without_deleted(segment.reader, matches), optional))
    loose = [p for p in words if relaxed and _made_of(p, relaxed.fields)] if relaxed else []
    least = relaxed.least(len(loose)) if loose else 0
    lacking: list[np.ndarray] = []
    if (least < len(loose) <= _MOST_WORDS and (not limit or sum(len(m.ids) for m in found) < limit)
            and sum(s.rarest(loose, len(loose) - least + 1) for s in segments) <= relaxed.most):
        fixed = [p for p in words if not any(p is w for w in loose)]
        for k, segment in enumerate(segments):
            others = ([segment.all_of(fixed)] if fixed else []) + [segment.phrase_candidates(p) for p in phrases]
            partial, have = segment.partial(loose, least, _intersection(others, segment.size) if others else None)
            partial = segment.maybe(_without_deleted(segment.reader, partial), optional)
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
    terms = _terms_of(q)
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
        have_phrases = _containing(ids[chunk], phrases, leaves, segments)
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


def _containing(docnums: np.ndarray, phrases: list[query.Query], leaves, segments) -> set[int]:
    """Which of these (top-level) documents have every phrase, by the word positions
    (those read already to find the candidates are not read again)."""
    found = {int(d) for d in docnums}
    offsets = [offset for _, offset in leaves] + [None]
    for group in phrases:
        keep = set()
        for k, (leaf, offset) in enumerate(leaves):
            end = offsets[k + 1]
            local = sorted(d - offset for d in found if d >= offset and (end is None or d < end))
            for phrase in _phrases_in(group):
                keep |= {d + offset for d in _with_phrase(leaf.reader(), phrase, local, segments[k].values)}
        found = keep
    return found


def _with_phrase(reader, phrase: query.Phrase, docnums: list[int], known: dict | None = None) -> set[int]:
    """Which of these documents of one segment have the phrase's words in a row
    (at most ``slop`` positions apart, in order), read from each word's positions."""
    if not docnums or not phrase.words or phrase.fieldname not in reader.schema:
        return set()
    field = reader.schema[phrase.fieldname]
    candidates = np.array(docnums, np.int64)
    if phrase.slop == 1:
        return _with_words_in_a_row(reader, phrase, field, candidates, known or {})
    positions = []
    for word in phrase.words:
        text = field.to_bytes(word)
        if (phrase.fieldname, text) not in reader:
            return set()
        found = _positions(reader.postings(phrase.fieldname, text), field.format, candidates)
        candidates = np.array(sorted(found), np.int64)
        positions.append(found)
    result = set()
    for docnum in candidates.tolist():
        reachable = set(positions[0][docnum])
        for following in positions[1:]:
            reachable = {p for p in following[docnum] if any(0 < p - r <= phrase.slop for r in reachable)}
        if reachable:
            result.add(docnum)
    return result


def _with_words_in_a_row(reader, phrase: query.Phrase, field, candidates: np.ndarray, known: dict) -> set[int]:
    """``_with_phrase`` for an exact phrase: the rarer words are read first, and
    only the documents where they already stand in their places are looked up
    in the postings of the common ones (``de``, ``la``), the costliest to read.
    ``known`` holds the postings already read of some words: (field, term) ->
    (document numbers, values)."""
    texts = [field.to_bytes(word) for word in phrase.words]
    if any((phrase.fieldname, text) not in reader for text in texts):
        return set()
    order = sorted(range(len(texts)), key=lambda k: reader.doc_frequency(phrase.fieldname, texts[k]))
    starts: dict[int, set[int]] | None = None  # document -> where the phrase may begin
    for k in order:
        if (phrase.fieldname, texts[k]) in known:
            found = _known_positions(*known[phrase.fieldname, texts[k]], field.format, candidates)
        else:
            found = _positions(reader.postings(phrase.fieldname, texts[k]), field.format, candidates)
        if starts is None:
            starts = {d: {p - k for p in found[d]} for d in found}
        else:
            starts = {d: begin & {p - k for p in found[d]} for d, begin in starts.items() if d in found}
        starts = {d: begin for d, begin in starts.items() if begin}
        if not starts:
            return set()
        candidates = np.array(sorted(starts), np.int64)
    return set(starts)


def _known_positions(ids: np.ndarray, values: list, format_, docnums: np.ndarray) -> dict[int, list[int]]:
    """``_positions`` from postings already read."""
    found, where = _among(ids, docnums)
    return {d: format_.decode_positions(values[i]) for d, i in zip(found.tolist(), where.tolist())}


def _among(ids: np.ndarray, docnums: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which of ``docnums`` are in the sorted ``ids``, and where they stand in it."""
    where = np.searchsorted(ids, docnums)
    where[where >= len(ids)] = 0
    hits = ids[where] == docnums
    return docnums[hits], where[hits]


def _blocks_holding(matcher, docnums: np.ndarray):
    """Walk a whoosh3 term's posting blocks, decoding only those whose range holds
    some of ``docnums`` (sorted): yields, with the matcher on that block, the
    documents it has and their places in it."""
    start = 0
    while matcher.is_active() and start < len(docnums):
        end = int(np.searchsorted(docnums, matcher._maxid, side="right"))
        if end > start:
            yield _among(_block_ids(matcher), docnums[start:end])
            start = end
        matcher._next_block()


def _positions(matcher, format_, docnums: np.ndarray) -> dict[int, list[int]]:
    """The positions of one term in each of these (sorted) documents that have it."""
    matcher, blocks = _unwrapped(matcher)
    found: dict[int, list[int]] = {}
    if not blocks:
        for docnum in docnums.tolist():
            if matcher.is_active() and matcher.id() < docnum:
                matcher.skip_to(docnum)
            if not matcher.is_active():
                break
            if matcher.id() == docnum:
                found[docnum] = matcher.value_as("positions")
        return found
    for docs, where in _blocks_holding(matcher, docnums):
        values = matcher._data[2]
        for docnum, i in zip(docs.tolist(), where.tolist()):
            found[docnum] = format_.decode_positions(values[i])
    return found


def _is_phrase_group(q: query.Query) -> bool:
    """A phrase, or the same phrase in several fields (what the parser makes of ``"..."``)."""
    if isinstance(q, query.Phrase):
        return True
    return (type(q) is query.Or and bool(_phrases_in(q))
            and all(isinstance(c, query.Phrase) or c is query.NullQuery for c in q.subqueries))


def _phrases_in(group: query.Query) -> list[query.Phrase]:
    """The phrases of a phrase group: the phrase itself, or its alternatives."""
    if isinstance(group, query.Phrase):
        return [group]
    return [c for c in group.subqueries if isinstance(c, query.Phrase)]


class _Segment:
    """Evaluates a query on one segment of the index."""

    def __init__(self, leaf, top, weighting: scoring.BM25F) -> None:
        self.leaf = leaf
        self.reader = leaf.reader()
        self.top = top
        self.weighting = weighting
        self.size = self.reader.doc_count_all()
        self._lengths: dict[str, np.ndarray] = {}
        self._columns: dict[str, tuple[np.ndarray, np.uint64]] = {}
        #: The postings read to find phrase candidates: (field, term) -> (document numbers, values).
        self.values: dict[tuple[str, bytes], tuple[np.ndarray, list]] = {}

    def evaluate(self, q: query.Query) -> Matches:
        if isinstance(q, query.Term):
            return self.term(q)
        if type(q) in (query.And, query.Or) and q.boost == 1.0:
            positive = [c for c in q.subqueries if not isinstance(c, query.Not)]
            negative = [c.query for c in q.subqueries if isinstance(c, query.Not)]
            if type(q) is query.Or:
                if negative or q.minmatch or q.scale:
                    return self.opaque(q)
                return _union([self.evaluate(c) for c in positive], self.size)
            if not positive:
                return self.opaque(q)
            matches = self.all_of(positive)
            for child in negative:
                # Whoosh intersects with an inverse matcher, which scores 1.
                matches = _difference(matches, self.evaluate(child).ids, self.size)
                matches = Matches(matches.ids, matches.scores + 1.0)
            return matches
        if q is query.NullQuery:
            return Matches.empty()
        if isinstance(q, query.DateRange) and q.constantscore and self._has_dates(q):
            return self.date_range(q)
        return self.opaque(q)

    def date_range(self, q: query.NumericRange) -> Matches:
        """A range of dates, from the field's column (microseconds, as Whoosh's DATETIME
        keeps them): every document in it scores ``boost``, as in Whoosh's constant-score range."""
        values, missing = self.column(q.fieldname)
        keep = values != missing
        if q.start is not None:
            start = np.uint64(q.start)
            keep &= values > start if q.startexcl else values >= start
        if q.end is not None:
            end = np.uint64(q.end)
            keep &= values < end if q.endexcl else values <= end
        ids = np.flatnonzero(keep)
        return Matches(ids, np.full(len(ids), float(q.boost)))

    def _has_dates(self, q: query.Query) -> bool:
        return (self._date_column(q.fieldname)
                and all(isinstance(b, int) and b >= 0 for b in (q.start, q.end) if b is not None))

    def _date_column(self, fieldname: str) -> bool:
        from whoosh.fields import DATETIME

        field = self.top.schema[fieldname] if fieldname in self.top.schema else None
        return (isinstance(field, DATETIME) and field.column_type is not None
                and field.column_type._typecode in "qQ" and self.reader.has_column(fieldname))

    def dates(self, docnums: np.ndarray) -> np.ndarray:
        """The ``date`` of these documents as numbers, NaN where there is none."""
        if not self._date_column("date"):
            return np.full(len(docnums), np.nan)
        values, missing = self.column("date")
        chosen = values[docnums]
        return np.where(chosen == missing, np.nan, chosen.astype(np.float64))

    def column(self, fieldname: str) -> tuple[np.ndarray, np.uint64]:
        """A 64-bit numeric column's values in every document of the segment, and the value of none."""
        if fieldname not in self._columns:
            self._columns[fieldname] = _numeric_column(self.reader, fieldname)
        return self._columns[fieldname]

    def all_of(self, parts: list[query.Query]) -> Matches:
        """Documents matching every part, the rarest part first. A part made of
        terms is then read only in the posting blocks that can hold the
        documents found so far, when they are fewer than its blocks."""
        sizes = {id(part): self._estimate(part) for part in parts}
        parts = sorted(parts, key=lambda part: sizes[id(part)])
        matches = self.evaluate(parts[0])
        for part in parts[1:]:
            if not len(matches.ids):
                break
            matches = _intersection([matches, self.among(part, matches.ids, sizes[id(part)])], self.size)
        return matches

    def among(self, part: query.Query, docnums: np.ndarray, size: float | None = None) -> Matches:
        """``part``'s documents and scores, at least those among ``docnums`` (sorted):
        a part made of terms is read only in its posting blocks that can hold
        them, when those documents are fewer than its blocks (``size``: its postings)."""
        terms = _terms_of(part)
        size = self._estimate(part) if size is None else size
        if terms is not None and len(docnums) * SKIP_BELOW < size / _BLOCK:
            return _union([self.term(t, within=docnums) for t in terms], self.size)
        return self.evaluate(part)

    def _estimate(self, q: query.Query) -> float:
        """How many postings a part of an AND reads: the sum of its terms' document frequencies."""
        terms = _terms_of(q)
        if terms is None:
            return float("inf")
        total = 0
        for t in terms:
            field = self.top.schema[t.fieldname] if t.fieldname in self.top.schema else None
            try:
                total += self.reader.doc_frequency(t.fieldname, field.to_bytes(t.text)) if field else 0
            except ValueError:
                pass
        return float(total)

    def rarest(self, words: list[query.Query], count: int) -> float:
        """How many postings the ``count`` rarest of ``words`` hold."""
        return sum(sorted(self._estimate(w) for w in words)[:count])

    def maybe(self, matches: Matches, optional: query.Query | None) -> Matches:
        """``matches`` with the score of ``optional`` added where it matches too (Whoosh's AndMaybe)."""
        if optional is None or not len(matches.ids):
            return matches
        extra = self.among(optional, matches.ids)
        scores = np.zeros(self.size)
        scores[extra.ids] = extra.scores
        return Matches(matches.ids, matches.scores + scores[matches.ids])

    def partial(self, words: list[query.Query], least: int, others: Matches | None) -> tuple[Matches, np.ndarray]:
        """Documents with at least ``least`` of ``words`` (parts made of terms) and
        in ``others``, scored by the words they have (plus their ``others`` score);
        and, for every document of the segment, which words it has (bit ``j`` for ``words[j]``).

        A document with ``least`` of the words has one of the ``len(words) - least + 1``
        rarest: those are read whole; each other word only where the documents
        that can still have ``least`` words are.
        """
        order = sorted(range(len(words)), key=lambda j: self._estimate(words[j]))
        first = len(words) - least + 1
        have = np.zeros(self.size, np.int64)
        counts = np.zeros(self.size, np.int64)
        scores = np.zeros(self.size)
        candidates = np.empty(0, np.int64)
        for n, j in enumerate(order):
            if n < first:
                found = self.evaluate(words[j])
            else:
                candidates = candidates[counts[candidates] + len(order) - n >= least]
                if not len(candidates):
                    break
                found = self.among(words[j], candidates)
            have[found.ids] |= 1 << j
            counts[found.ids] += 1
            scores[found.ids] += found.scores
            if n == first - 1:
                candidates = np.flatnonzero(counts)
                if others is not None:
                    candidates = np.intersect1d(candidates, others.ids, assume_unique=True)
        ids = candidates[counts[candidates] >= least]
        total = scores[ids]
        if others is not None:
            own = np.zeros(self.size)
            own[others.ids] = others.scores
            total = total + own[ids]
        return Matches(ids, total), have

    def phrase_candidates(self, q: query.Query) -> Matches:
        """Documents with every word of the phrase (in one of its fields), scored by those words."""
        return _union([
            _intersection([self.term(query.Term(p.fieldname, word, boost=p.boost), keep_values=True)
                           for word in self._selective(p.fieldname, p.words)], self.size)
            for p in _phrases_in(q) if p.words
        ], self.size)

    def _selective(self, fieldname: str, words: list[str]) -> list[str]:
        """The words of a phrase worth reading whole to find its candidates: the two
        rarest, and any other in at most a tenth of the documents. The words left
        out (``de``, ``la``) are in most documents and are checked with the phrase."""
        field = self.top.schema[fieldname]
        frequency = {w: self.reader.doc_frequency(fieldname, field.to_bytes(w)) for w in words}
        ranked = sorted(set(words), key=lambda w: frequency[w])
        return ranked[:2] + [w for w in ranked[2:] if frequency[w] <= self.size / 10]

    def term(self, q: query.Term, keep_values: bool = False, within: np.ndarray | None = None) -> Matches:
        """The term's documents and scores; only those among ``within`` (sorted), if given."""
        field = self.top.schema[q.fieldname] if q.fieldname in self.top.schema else None
        if field is None:
            return Matches.empty()
        try:
            text = field.to_bytes(q.text)
        except ValueError:
            return Matches.empty()
        if q.minquality or not field.scorable:
            return self.opaque(q)
        if (q.fieldname, text) not in self.reader:
            return Matches.empty()
        values: list | None = [] if keep_values and field.format.supports("positions") else None
        if within is not None:
            ids, weights = _postings_within(self.reader.postings(q.fieldname, text), within)
        else:
            ids, weights = _postings(self.reader.postings(q.fieldname, text), values)
        if values is not None and len(values) == len(ids):
            self.values[q.fieldname, text] = (ids, values)
        B = self.weighting._field_B.get(q.fieldname, self.weighting.B)
        K1 = self.weighting.K1
        idf = self.top.idf(q.fieldname, text)
        avgfl = self.top.avg_field_length(q.fieldname) or 1
        lengths = self.lengths(q.fieldname)[ids]
        scores = idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * lengths / avgfl)))
        if q.boost != 1.0:
            scores = scores * q.boost
        return Matches(ids, scores)

    def lengths(self, fieldname: str) -> np.ndarray:
        """The stored length of ``fieldname`` in every document of the segment."""
        if fieldname not in self._lengths:
            self._lengths[fieldname] = _field_lengths(self.reader, fieldname)
        return self._lengths[fieldname]

    def opaque(self, q: query.Query) -> Matches:
        """Whoosh's own matcher for ``q``, stepped through every match."""
        matcher = q.matcher(self.leaf, self.leaf.context())
        ids, scores = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            scores.append(matcher.score())
            matcher.next()
        return Matches(np.array(ids, np.int64), np.array(scores, np.float64))


def _postings(matcher, values: list | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Document numbers and weights of one term's postings (deleted documents included),
    and their raw values appended to ``values`` if it is given."""
    matcher, blocks = _unwrapped(matcher)
    if not blocks:
        ids, weights = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            if values is not None:
                values.append(matcher.value())
            matcher.next()
        return np.array(ids, np.int64), np.array(weights, np.float64)
    # Whoosh 3 posting blocks: read each block's data once, gather the numbers
    # in lists and convert them in one go (per-block numpy calls cost more).
    ids: list[int] = []
    weights: list[float] = []
    counts: list[int] = []
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        raw_ids, raw_weights = matcher._data[0], matcher._data[1]
        count = matcher._blocklength
        ids.extend(raw_ids)
        if values is not None and matcher._data[2] is not None:
            values.extend(matcher._data[2])
        if raw_weights is None:
            weights.extend([1.0] * count)
        elif isinstance(raw_weights, float):
            weights.extend([raw_weights] * count)
        else:
            weights.extend(raw_weights)
        counts.append(count)
        matcher._next_block()
    if not counts:
        return np.empty(0, np.int64), np.empty(0, np.float64)
    docnums = np.array(ids, np.int64)
    if not matcher._byteids:
        # Each block's ids are deltas from 0: a running sum, restarted at each block.
        lengths = np.array(counts)
        starts = np.cumsum(lengths) - lengths
        total = np.cumsum(docnums)
        docnums = total - np.repeat(total[starts] - docnums[starts], lengths)
    return docnums, np.array(weights, np.float64)


def _postings_within(matcher, docnums: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``_postings`` for only these (sorted) documents: whoosh3 blocks whose
    range holds none of them are passed over without being decoded."""
    matcher, blocks = _unwrapped(matcher)
    if not blocks:
        ids, weights = _postings(matcher)
        keep = np.isin(ids, docnums)
        return ids[keep], weights[keep]
    found_ids: list[np.ndarray] = []
    found_weights: list[np.ndarray] = []
    for docs, where in _blocks_holding(matcher, docnums):
        raw = matcher._data[1]
        if raw is None or isinstance(raw, float):
            weights = np.full(len(where), 1.0 if raw is None else raw)
        else:
            weights = np.asarray(raw, np.float64)[where]
        found_ids.append(docs)
        found_weights.append(weights)
    if not found_ids:
        return np.empty(0, np.int64), np.empty(0, np.float64)
    return np.concatenate(found_ids), np.concatenate(found_weights)


def _terms_of(q: query.Query) -> list[query.Term] | None:
    """The terms of a plain term or an OR of plain terms, else None."""
    if type(q) is query.Term:
        return [q]
    if type(q) is query.Or and q.boost == 1.0 and not q.minmatch and not q.scale \
            and all(type(c) is query.Term for c in q.subqueries):
        return list(q.subqueries)
    return None


def _unwrapped(matcher):
    """The term's own matcher (the segment's deletions are applied at the end),
    and whether its whoosh3 posting blocks can be read directly."""
    from whoosh.matching import FilterMatcher

    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    blocks = all(hasattr(matcher, name) for name in ("_read_data", "_next_block", "_byteids", "_maxid", "_data"))
    return matcher, blocks


def _block_ids(matcher) -> np.ndarray:
    """The document numbers of the matcher's current whoosh3 block."""
    if matcher._data is None:
        matcher._read_data()
    raw = np.asarray(matcher._data[0], np.int64)
    return raw if matcher._byteids else np.cumsum(raw)


def _numeric_column(reader, fieldname: str) -> tuple[np.ndarray, np.uint64]:
    """The values of a 64-bit numeric column, and the value documents without one have."""
    count = reader.doc_count_all()
    column = reader.column_reader(fieldname, translate=False)
    missing = np.uint64(reader.schema[fieldname].column_type._default)
    try:
        width = column._fixedlen
        stored = np.frombuffer(column._dbfile.get(column._basepos, column._count * width), ">u8")
        values = np.full(count, missing, np.uint64)
        values[: min(count, len(stored))] = stored[:count]
    except AttributeError:  # not whoosh3's column: read it value by value
        values = np.fromiter((int(v) for v in column), np.uint64, count)
    return values, missing


def _field_lengths(reader, fieldname: str) -> np.ndarray:
    count = reader.doc_count_all()
    column = _length_column(reader, fieldname)
    if column is None:
        return np.array([reader.doc_field_length(n, fieldname, 1) or 0 for n in range(count)], np.float64)
    stored = np.frombuffer(column._dbfile.get(column._basepos, column._count), np.uint8)
    codes = np.zeros(count, np.uint8)
    codes[: min(count, len(stored))] = stored[:count]
    return _LENGTHS[codes]


def _length_column(reader, fieldname: str):
    """Whoosh 3's column of one-byte field lengths, if this reader has one."""
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None or column._fixedlen != 1:
            return None
        return column
    except (AttributeError, ImportError):
        return None


def _without_deleted(reader, matches: Matches) -> Matches:
    if not reader.has_deletions():
        return matches
    deleted = getattr(reader, "deleted_docs_set", None)
    if deleted is not None:
        keep = ~np.isin(matches.ids, np.fromiter(deleted, np.int64, len(deleted)))
    else:
        keep = np.array([not reader.is_deleted(int(n)) for n in matches.ids], bool)
    return Matches(matches.ids[keep], matches.scores[keep])


# Set operations on sorted document numbers, through arrays as long as the
# segment (``size``): linear time, where sorting-based ones cost n log n.

def _union(parts: list[Matches], size: int) -> Matches:
    parts = [p for p in parts if len(p.ids)]
    if len(parts) <= 1:
        return parts[0] if parts else Matches.empty()
    scores = np.zeros(size)
    present = np.zeros(size, bool)
    for part in parts:
        scores[part.ids] += part.scores  # a part's ids are unique
        present[part.ids] = True
    ids = np.flatnonzero(present)
    return Matches(ids, scores[ids])


def _intersection(parts: list[Matches], size: int) -> Matches:
    parts = sorted(parts, key=lambda p: len(p.ids))
    result = parts[0]
    for part in parts[1:]:
        if not len(result.ids):
            break
        scores = np.full(size, np.nan)
        scores[result.ids] = result.scores
        theirs = scores[part.ids]
        keep = ~np.isnan(theirs)
        result = Matches(part.ids[keep], theirs[keep] + part.scores[keep])
    return result


def _difference(matches: Matches, excluded: np.ndarray, size: int) -> Matches:
    present = np.zeros(size, bool)
    present[excluded] = True
    keep = ~present[matches.ids]
    return Matches(matches.ids[keep], matches.scores[keep])
