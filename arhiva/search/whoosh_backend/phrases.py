"""Which candidate documents really contain a phrase, read from its words' positions."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from whoosh import query

from arhiva.search.whoosh_backend import private
from arhiva.search.whoosh_backend.matches import phrases_in


def containing(docnums: np.ndarray, phrases: list[query.Query], leaves, segments) -> set[int]:
    """Which of these (top-level) documents have every phrase, by the word positions
    (those read already to find the candidates are not read again)."""
    found = {int(d) for d in docnums}
    offsets = [offset for _, offset in leaves] + [None]
    for group in phrases:
        keep = set()
        for k, (leaf, offset) in enumerate(leaves):
            end = offsets[k + 1]
            local = sorted(d - offset for d in found if d >= offset and (end is None or d < end))
            for phrase in phrases_in(group):
                keep |= {d + offset for d in with_phrase(leaf.reader(), phrase, local, segments[k].known)}
        found = keep
    return found


def with_phrase(reader, phrase: query.Phrase, docnums: list[int], known: Known | None = None) -> set[int]:
    """Which of these documents of one segment have the phrase's words in a row
    (at most ``slop`` positions apart, in order), read from each word's positions
    (``known``: where to find a word's postings already read, see ``Segment.known``)."""
    if not docnums or not phrase.words or phrase.fieldname not in reader.schema:
        return set()
    field = reader.schema[phrase.fieldname]
    candidates = np.array(docnums, np.int64)
    if phrase.slop == 1:
        return _with_words_in_a_row(reader, phrase, field, candidates, known or _nothing_known)
    positions = []
    for word in phrase.words:
        text = field.to_bytes(word)
        if (phrase.fieldname, text) not in reader:
            return set()
        found = private.positions(reader.postings(phrase.fieldname, text), field.format, candidates)
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


def _with_words_in_a_row(reader, phrase: query.Phrase, field, candidates: np.ndarray, known: Known) -> set[int]:
    """``_with_phrase`` for an exact phrase: the rarer words are read first, and
    only the documents where they already stand in their places are looked up
    in the postings of the common ones (``de``, ``la``), the costliest to read.
    ``known`` gives the postings already read of a word (document numbers and
    raw values), given its field, term and how many documents are looked for."""
    texts = [field.to_bytes(word) for word in phrase.words]
    if any((phrase.fieldname, text) not in reader for text in texts):
        return set()
    order = sorted(range(len(texts)), key=lambda k: reader.doc_frequency(phrase.fieldname, texts[k]))
    starts: dict[int, set[int]] | None = None  # document -> where the phrase may begin
    for k in order:
        read = known(phrase.fieldname, texts[k], len(candidates))
        if read is not None:
            found = _known_positions(*read, field.format, candidates)
        else:
            found = private.positions(reader.postings(phrase.fieldname, texts[k]), field.format, candidates)
        if starts is None:
            starts = {d: {p - k for p in found[d]} for d in found}
        else:
            starts = {d: begin & {p - k for p in found[d]} for d, begin in starts.items() if d in found}
        starts = {d: begin for d, begin in starts.items() if begin}
        if not starts:
            return set()
        candidates = np.array(sorted(starts), np.int64)
    return set(starts)


#: Where a phrase's word's postings already read are found: (field, term, candidates) -> (ids, values) or None.
Known = Callable[[str, bytes, int], "tuple[np.ndarray, Sequence] | None"]


def _nothing_known(fieldname: str, text: bytes, candidates: int) -> None:
    return None


def _known_positions(ids: np.ndarray, values: Sequence, format_, docnums: np.ndarray) -> dict[int, list[int]]:
    """``_positions`` from postings already read."""
    found, where = private.among(ids, docnums)
    return {d: format_.decode_positions(values[i]) for d, i in zip(found.tolist(), where.tolist())}
