"""Sets of matching documents of one segment, as sorted arrays with their scores,
and the query shapes the ranking reads a set from."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query


@dataclass
class Matches:
    """Sorted document numbers (within one segment) and their scores."""

    ids: np.ndarray
    scores: np.ndarray

    @classmethod
    def empty(cls) -> Matches:
        return cls(np.empty(0, np.int64), np.empty(0, np.float64))



def terms_of(q: query.Query) -> list[query.Term] | None:
    """The terms of a plain term or an OR of plain terms, else None."""
    if type(q) is query.Term:
        return [q]
    if type(q) is query.Or and q.boost == 1.0 and not q.minmatch and not q.scale \
            and all(type(c) is query.Term for c in q.subqueries):
        return list(q.subqueries)
    return None


def is_phrase_group(q: query.Query) -> bool:
    """A phrase, or the same phrase in several fields (what the parser makes of ``"..."``)."""
    if isinstance(q, query.Phrase):
        return True
    return (type(q) is query.Or and bool(phrases_in(q))
            and all(isinstance(c, query.Phrase) or c is query.NullQuery for c in q.subqueries))


def phrases_in(group: query.Query) -> list[query.Phrase]:
    """The phrases of a phrase group: the phrase itself, or its alternatives."""
    if isinstance(group, query.Phrase):
        return [group]
    return [c for c in group.subqueries if isinstance(c, query.Phrase)]


def without_deleted(reader, matches: Matches) -> Matches:
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

#: An intersection looks each of its smaller set's documents up in the larger
#: (binary search) when the larger has this many times as many.
LOOKED_UP_BELOW = 16


def union(parts: list[Matches], size: int) -> Matches:
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


def intersection(parts: list[Matches], size: int) -> Matches:
    parts = sorted(parts, key=lambda p: len(p.ids))
    result = parts[0]
    for part in parts[1:]:
        if not len(result.ids):
            break
        if len(result.ids) * LOOKED_UP_BELOW < len(part.ids):
            # Few documents against many: each looked up (the same documents, scores summed alike).
            where = np.searchsorted(part.ids, result.ids)
            where[where >= len(part.ids)] = 0
            keep = part.ids[where] == result.ids
            result = Matches(result.ids[keep], result.scores[keep] + part.scores[where[keep]])
            continue
        scores = np.full(size, np.nan)
        scores[result.ids] = result.scores
        theirs = scores[part.ids]
        keep = ~np.isnan(theirs)
        result = Matches(part.ids[keep], theirs[keep] + part.scores[keep])
    return result


def difference(matches: Matches, excluded: np.ndarray, size: int) -> Matches:
    present = np.zeros(size, bool)
    present[excluded] = True
    keep = ~present[matches.ids]
    return Matches(matches.ids[keep], matches.scores[keep])
