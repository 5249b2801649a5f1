"""A query evaluated on one segment of the index, a whole posting list at a time."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict

import numpy as np
from whoosh import query
from whoosh.fields import DATETIME

from arhiva.search.whoosh_backend import private
from arhiva.search.whoosh_backend.matches import (
    Matches, difference, intersection, phrases_in, terms_of, union,
)

#: A term of an AND is read only in the blocks holding documents found so far
#: when there are fewer of those than this share of its blocks.
SKIP_BELOW = 1.0
_BLOCK = 128  # postings in a whoosh3 block (the codec's default)
#: Bytes of decoded postings kept between searches, for all the segments of the open
#: index together (each segment its share, by its number of documents): the frequent
#: terms, which cost most to decode (whoosh3 unpickles each block), most recently used
#: kept. Sized from the index: this much for each of its documents, within the bounds below
#: (at 100,000 documents about 244 MB: the mixed queries of bench/search_scale.py read
#: about 526 MB of such postings there, and 48 MB kept a fifth of them).
KEPT_PER_DOCUMENT = 2_560
KEPT_LEAST, KEPT_MOST = 48 << 20, 512 << 20
#: A fixed budget instead, whatever the index's size (0: nothing kept); None: sized from the index.
KEPT_BYTES: int | None = None
#: Only the postings of terms in at least this many documents are kept.
KEPT_FROM = 1024
#: The most terms whose number of documents is kept with a segment's reader (each a lookup in
#: the term dictionary, about 50 µs, asked several times in a search).
KEPT_FREQUENCIES = 200_000
#: A long-lived process that does nothing but search (``arhiva serve``'s search
#: processes, see :func:`serving`) keeps this much for each document of the index:
#: room for the decoded postings of the frequent terms its searches read (the mixed
#: queries of bench/search_scale.py read about 5 KB a document of them at 100,000 documents) ...
SERVING_PER_DOCUMENT = 10_240
#: ... within this share of the memory the machine had available when the server started,
#: divided among its search processes ...
SERVING_MEMORY_SHARE = 0.5
#: ... and keeps the postings of terms in at least this many documents (one block: a
#: word of a few hundred documents costs a few blocks to decode at every search).
SERVING_KEPT_FROM = _BLOCK
#: Such a process reads whole, and keeps, the positions of a word in this share of the
#: documents or more the first time a phrase's check needs them, even for a few documents
#: (``în``, ``din``, ``de``: in a phrase of a few words, they are asked again and again,
#: and reading them for a few documents decodes a block for each every time).
SERVING_WHOLE_SHARE = 0.1
#: The most such a process keeps (set by :func:`serving`; None: not a server, the budget above).
_serving_most: int | None = None


class _Kept:
    """What is kept of one segment's reader between searches: each field's lengths,
    the numeric columns (dates), and the decoded postings of frequent terms
    (document numbers, their BM25F scores before the query's boost, the raw
    values holding the positions when they were read too, and what the scores
    were computed from), least recently used first."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.used = 0
        self.lengths: dict[str, np.ndarray] = {}
        self.columns: dict[str, tuple[np.ndarray, np.uint64]] = {}
        self.postings: OrderedDict[tuple[str, bytes], Postings] = OrderedDict()
        #: Each term's number of documents in the segment, as asked (forgotten all at once when too many).
        self.frequencies: dict[tuple[str, bytes], int] = {}
        self.lock = threading.Lock()

    def get(self, key: tuple[str, bytes]) -> Postings | None:
        with self.lock:
            found = self.postings.get(key)
            if found is not None:
                self.postings.move_to_end(key)
            return found

    def put(self, key: tuple[str, bytes], ids: np.ndarray, scores: np.ndarray, values: list | None,
            scoring: tuple) -> None:
        size = _size(ids, scores, values)
        with self.lock:
            old = self.postings.get(key)
            if size > self.budget or (old is not None and (old[2] is not None or values is None)
                                      and (old[3] == scoring or scoring is None)):
                return
            if old is not None:
                self.used -= _size(*old[:3])
                del self.postings[key]
            while self.used + size > self.budget:
                _, dropped = self.postings.popitem(last=False)
                self.used -= _size(*dropped[:3])
            ids.flags.writeable = scores.flags.writeable = False  # shared by the searches that follow
            self.postings[key] = (ids, scores, tuple(values) if values is not None else None, scoring)
            self.used += size


#: A term's kept postings: document numbers, scores (before the boost), raw values (or None),
#: and what the scores were computed from (idf, average field length, K1, B); or, kept by a
#: phrase's check, which does not score them: their weights in place of scores, and None.
Postings = tuple[np.ndarray, np.ndarray, "tuple | None", tuple]


def _size(ids: np.ndarray, scores: np.ndarray, values) -> int:
    """Bytes held by kept postings (a raw value: its bytes, about 50 more for the object)."""
    return ids.nbytes + scores.nbytes + (sum(map(len, values)) + 50 * len(values) if values is not None else 0)


#: One ``_Kept`` for each segment reader of an open searcher, gone with the reader.
_kept: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_kept_lock = threading.Lock()


def kept_budget(documents: int) -> int:
    """Bytes of postings kept between searches for an index of ``documents``.

    >>> [kept_budget(n) >> 20 for n in (1_000, 20_000, 100_000, 10_000_000)]
    [48, 48, 244, 512]
    """
    if KEPT_BYTES is not None:
        return KEPT_BYTES
    if _serving_most is not None:
        return min(_serving_most, max(KEPT_LEAST, SERVING_PER_DOCUMENT * documents))
    return min(KEPT_MOST, max(KEPT_LEAST, KEPT_PER_DOCUMENT * documents))


def serving(processes: int, available: int | None = None) -> int | None:
    """Let this process keep postings as a long-lived server's search process:
    :data:`SERVING_PER_DOCUMENT` a document, at most its share (of ``processes``)
    of :data:`SERVING_MEMORY_SHARE` of ``available`` (the machine's available
    memory when None). Returns that most, or None when the memory is unknown
    (the budget then stays the one of any other process).

    >>> most = serving(2, available=8 << 30)
    >>> most >> 20, kept_budget(100_000) >> 20, kept_budget(1_000_000) >> 20
    (2048, 976, 2048)
    >>> not_serving()
    """
    global _serving_most
    available = available_memory() if available is None else available
    _serving_most = int(available * SERVING_MEMORY_SHARE / max(1, processes)) if available else None
    return _serving_most


def _kept_from() -> int:
    """Only the postings of terms in at least this many documents are kept."""
    return KEPT_FROM if _serving_most is None else min(KEPT_FROM, SERVING_KEPT_FROM)


def not_serving() -> None:
    """Back to the budget of any other process."""
    global _serving_most
    _serving_most = None


def available_memory() -> int | None:
    """Bytes of memory the machine has available (Linux's MemAvailable), or None when unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _kept_for(reader, share: float, budget: int) -> _Kept:
    with _kept_lock:
        kept = _kept.get(reader)
        if kept is None:
            kept = _kept[reader] = _Kept(int(budget * share))
        return kept


class Segment:
    """Evaluates a query on one segment of the index."""

    def __init__(self, leaf, top, weighting) -> None:
        self.leaf = leaf
        self.reader = leaf.reader()
        self.top = top
        self.weighting = weighting
        self.size = self.reader.doc_count_all()
        documents = top.doc_count_all()
        self._kept = _kept_for(self.reader, self.size / max(1, documents), kept_budget(documents))
        self._lengths = self._kept.lengths
        self._columns = self._kept.columns
        #: The postings read to find phrase candidates: (field, term) -> (document numbers, values).
        self.values: dict[tuple[str, bytes], tuple[np.ndarray, list]] = {}
        #: The terms evaluated whole in this search (the pass for documents lacking a word reads them again).
        self._terms: dict[query.Term, Matches] = {}

    def evaluate(self, q: query.Query) -> Matches:
        if isinstance(q, query.Term):
            found = self._terms.get(q)
            if found is None:
                found = self._terms[q] = self.term(q)
            return found
        if type(q) in (query.And, query.Or) and q.boost == 1.0:
            positive = [c for c in q.subqueries if not isinstance(c, query.Not)]
            negative = [c.query for c in q.subqueries if isinstance(c, query.Not)]
            if type(q) is query.Or:
                if negative or q.minmatch or q.scale:
                    return self.opaque(q)
                return union([self.evaluate(c) for c in positive], self.size)
            if not positive:
                return self.opaque(q)
            matches = self.all_of(positive)
            for child in negative:
                # Whoosh intersects with an inverse matcher, which scores 1.
                matches = difference(matches, self.evaluate(child).ids, self.size)
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
        field = self.top.schema[fieldname] if fieldname in self.top.schema else None
        return (isinstance(field, DATETIME) and field.column_type is not None and field.bits == 64
                and self.reader.has_column(fieldname))

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
            values, missing = private.numeric_column(self.reader, fieldname)
            values.flags.writeable = False  # kept with the reader, for the searches that follow
            self._columns[fieldname] = values, missing
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
            matches = intersection([matches, self.among(part, matches.ids, sizes[id(part)])], self.size)
        return matches

    def among(self, part: query.Query, docnums: np.ndarray, size: float | None = None) -> Matches:
        """``part``'s documents and scores, at least those among ``docnums`` (sorted):
        a part made of terms is read only in its posting blocks that can hold
        them, when those documents are fewer than its blocks (``size``: its postings)."""
        terms = terms_of(part)
        size = self._estimate(part) if size is None else size
        if terms is not None and len(docnums) * SKIP_BELOW < size / _BLOCK:
            return union([self.term(t, within=docnums) for t in terms], self.size)
        return self.evaluate(part)

    def _estimate(self, q: query.Query) -> float:
        """How many postings a part of an AND reads: the sum of its terms' document frequencies."""
        terms = terms_of(q)
        if terms is None:
            return float("inf")
        total = 0
        for t in terms:
            field = self.top.schema[t.fieldname] if t.fieldname in self.top.schema else None
            try:
                total += self.frequency(t.fieldname, field.to_bytes(t.text)) if field else 0
            except ValueError:
                pass
        return float(total)

    def frequency(self, fieldname: str, text: bytes) -> int:
        """In how many documents of the segment the term is (deleted ones included), 0 when it is in none."""
        frequencies = self._kept.frequencies
        found = frequencies.get((fieldname, text))
        if found is None:
            if len(frequencies) >= KEPT_FREQUENCIES:
                frequencies.clear()
            found = frequencies[fieldname, text] = self.reader.doc_frequency(fieldname, text)
        return found

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
        return union([self._with_words(p) for p in phrases_in(q) if p.words], self.size)

    def _with_words(self, p: query.Phrase) -> Matches:
        """Documents with the phrase's selective words (:meth:`_selective`), scored by them.

        The rarest word is read whole (with the positions the phrase's check
        reads again); each other one, when the documents found so far are fewer
        than its posting blocks, only in the blocks that can hold them (``orgoliu
        sau de``: 208 documents, not the 92,380 of ``sau``). The scores are
        summed in the order :func:`~.matches.intersection` sums whole lists
        (fewest postings first), so the ranking is the same either way."""
        terms = [query.Term(p.fieldname, word, boost=p.boost) for word in self._selective(p.fieldname, p.words)]
        sizes = [self._estimate(t) for t in terms]
        order = sorted(range(len(terms)), key=lambda k: sizes[k])
        found = self.term(terms[order[0]], keep_values=True)
        for k in order[1:]:
            if not len(found.ids):
                break
            if len(found.ids) * SKIP_BELOW < sizes[k] / _BLOCK:
                found = intersection([found, self.term(terms[k], within=found.ids)], self.size)
            else:
                found = intersection([found, self.term(terms[k], keep_values=True)], self.size)
        return found

    def _selective(self, fieldname: str, words: list[str]) -> list[str]:
        """The words of a phrase worth reading whole to find its candidates: the two
        rarest, and any other in at most a tenth of the documents. The words left
        out (``de``, ``la``) are in most documents and are checked with the phrase."""
        field = self.top.schema[fieldname]
        frequency = {w: self.frequency(fieldname, field.to_bytes(w)) for w in words}
        ranked = sorted(dict.fromkeys(words), key=lambda w: frequency[w])  # ties in the query's order
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
        if not self.frequency(q.fieldname, text):
            return Matches.empty()
        values: list | None = [] if keep_values and field.format.supports("positions") else None
        scoring = self._scoring(q.fieldname, text)
        kept = self._kept.get((q.fieldname, text))
        if kept is not None and ((values is not None and kept[2] is None)
                                 or (kept[3] is not None and kept[3] != scoring)):
            kept = None
        if kept is not None:
            ids, scores = kept[:2]
            if values is not None:
                values = kept[2]
            if within is not None:
                where = np.searchsorted(ids, within)
                where[where >= len(ids)] = 0
                have = ids[where] == within
                ids, scores = within[have], scores[where[have]]
            if kept[3] is None:  # kept by a phrase's check with their weights: scored now
                scores = self._scores(q.fieldname, ids, scores, scoring)
                if within is None:
                    self._kept.put((q.fieldname, text), ids, scores, kept[2], scoring)
        else:
            if within is not None:
                ids, weights = private.postings_within(self.reader.postings(q.fieldname, text), within)
            else:
                ids, weights = private.postings(self.reader.postings(q.fieldname, text), values)
            scores = self._scores(q.fieldname, ids, weights, scoring)
            if within is None and len(ids) >= _kept_from():
                self._kept.put((q.fieldname, text), ids, scores,
                               values if values is not None and len(values) == len(ids) else None, scoring)
        if values is not None and len(values) == len(ids):
            self.values[q.fieldname, text] = (ids, values)
        if q.boost != 1.0:
            scores = scores * q.boost
        return Matches(ids, scores)

    def _scoring(self, fieldname: str, text: bytes) -> tuple[float, float, float, float]:
        """What a term's BM25F scores are computed from: its idf, the field's average length, K1 and B."""
        return (self.top.idf(fieldname, text), self.top.avg_field_length(fieldname) or 1,
                self.weighting.K1, self.weighting.field_b.get(fieldname, self.weighting.B))

    def _scores(self, fieldname: str, ids: np.ndarray, weights: np.ndarray, scoring: tuple) -> np.ndarray:
        """The BM25F scores of a term in these documents, with these weights (before the query's boost)."""
        idf, avgfl, K1, B = scoring
        lengths = self.lengths(fieldname)[ids]
        return idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * lengths / avgfl)))

    def lengths(self, fieldname: str) -> np.ndarray:
        """The stored length of ``fieldname`` in every document of the segment."""
        if fieldname not in self._lengths:
            lengths = private.field_lengths(self.reader, fieldname)
            lengths.flags.writeable = False  # kept with the reader, for the searches that follow
            self._lengths[fieldname] = lengths
        return self._lengths[fieldname]

    def known(self, fieldname: str, text: bytes, candidates: int) -> tuple[np.ndarray, "list | tuple"] | None:
        """A term's postings with their raw values (positions), when read already
        in this search or kept from an earlier one; or read whole now and kept,
        for a frequent term whose blocks ``candidates`` documents would mostly
        make be decoded anyway (``de``, ``și`` in a phrase), or, in a server's
        search process, for a term in :data:`SERVING_WHOLE_SHARE` of the documents
        or more (read whole once, it serves the phrase checks that follow); else None."""
        if (fieldname, text) in self.values:
            return self.values[fieldname, text]
        kept = self._kept.get((fieldname, text))
        if kept is not None and kept[2] is not None:
            return kept[0], kept[2]
        frequency = self.frequency(fieldname, text)
        if frequency < _kept_from() or self._kept.budget == 0:
            return None
        if candidates * 4 < frequency / _BLOCK and not (
                _serving_most is not None and frequency >= SERVING_WHOLE_SHARE * self.size):
            return None
        values: list = []
        ids, weights = private.postings(self.reader.postings(fieldname, text), values)
        if len(values) != len(ids):
            return None
        self._kept.put((fieldname, text), ids, weights, values, None)  # scored when a search scores the term
        self.values[fieldname, text] = (ids, values)
        return ids, values

    def opaque(self, q: query.Query) -> Matches:
        """Whoosh's own matcher for ``q``, stepped through every match."""
        matcher = q.matcher(self.leaf, self.leaf.context())
        ids, scores = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            scores.append(matcher.score())
            matcher.next()
        return Matches(np.array(ids, np.int64), np.array(scores, np.float64))
