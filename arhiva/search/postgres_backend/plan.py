"""arhiva's query tree as SQL over the ``docs`` table, and its BM25F scores.

A query runs in two steps. PostgreSQL finds the candidate documents: each
term is a ``tsquery`` on its field's ``tsvector`` column (served by that
column's GIN index), a phrase a ``<->`` query, a date range a comparison, and
AND, OR and NOT are SQL's own. Then the candidates (at most a capped number)
are scored here, by BM25F exactly as the Whoosh backend scores them, from the
term frequencies read out of their ``tsvector`` columns, the field lengths
stored with each document, and the document frequencies of the ``terms`` table.

Patterns (prefixes, wildcards, fuzzy words) and term ranges arrive expanded to
the indexed terms they match (:func:`expand`), each scored as a typed word.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from arhiva.search import tree

#: The text fields, in the order of each document's ``lengths`` array.
FIELDS = ("title", "exact", "content", "type", "ref", "cited", "tags")
#: The fields whose terms keep their positions (phrases); the others keep only their frequency.
POSITION_FIELDS = frozenset({"title", "exact", "type"})
#: BM25F as the Whoosh backend computes it (its ``WEIGHTING``).
K1 = 1.2
B = 0.75
FIELD_B = {"ref": 0.0}
#: Fields of dates, as columns of ``docs``.
DATE_FIELDS = frozenset({"date", "ingested"})


def tsquery_word(term: str) -> str:
    """A term as a quoted ``tsquery`` operand (never analyzed again by PostgreSQL).

    >>> tsquery_word("45/2021"), tsquery_word("o'brien")
    ("'45/2021'", "'o''brien'")
    """
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def bm25(idf: float, tf: float, length: float, average: float, b: float) -> float:
    """Whoosh's BM25 of one term in one field.

    >>> round(bm25(2.0, 1, 10, 10, 0.75), 4)
    2.0
    """
    return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - b) + b * length / (average or 1))))


def idf(df: int, n: int) -> float:
    """Whoosh's inverse document frequency.

    >>> round(idf(9, 100), 4)
    3.3026
    """
    return math.log(n / (df + 1)) + 1 if n else 1.0


#: The nodes that hold other nodes.
COMPOSITE = frozenset({tree.And, tree.Or, tree.Not, tree.AndNot, tree.AndMaybe, tree.Require})


def children(q: tree.Node) -> tuple[tree.Node, ...]:
    """The nodes a node holds, in order (none for a leaf).

    >>> children(tree.AndNot(tree.Term("content", "a"), tree.Term("content", "b")))
    (Term('content', 'a', 1.0), Term('content', 'b', 1.0))
    """
    kind = type(q)
    if kind in (tree.And, tree.Or):
        return q.children
    if kind is tree.Not:
        return (q.child,)
    if kind is tree.AndNot:
        return (q.positive, q.negative)
    if kind is tree.AndMaybe:
        return (q.required, q.optional)
    if kind is tree.Require:
        return (q.required, q.scored)
    return ()


def with_children(q: tree.Node, parts: tuple[tree.Node, ...]) -> tree.Node:
    """The composite node ``q`` holding ``parts`` instead of its own (its boost and options kept)."""
    kind = type(q)
    if kind is tree.And:
        return tree.And(parts, q.boost)
    if kind is tree.Or:
        return tree.Or(parts, q.boost, q.minmatch, q.scale)
    if kind is tree.Not:
        return tree.Not(parts[0], q.boost)
    return kind(*parts)


def expand(q: tree.Node, matching: Callable[[tree.Node], list[str]]) -> tree.Node:
    """Replace patterns and term ranges by an OR of the indexed terms ``matching`` gives for them."""
    kind = type(q)
    if kind in (tree.Prefix, tree.Wildcard, tree.Fuzzy, tree.TermRange):
        found = [tree.Term(q.field, word, q.boost) for word in matching(q)]
        return tree.NULL if not found else found[0] if len(found) == 1 else tree.Or(tuple(found))
    if kind in COMPOSITE:
        return with_children(q, tuple(expand(c, matching) for c in children(q)))
    return q


def terms_of(q: tree.Node) -> list[tree.Term] | None:
    """The terms of a plain term or an OR of plain terms, else None."""
    if type(q) is tree.Term:
        return [q]
    if (type(q) is tree.Or and q.boost == 1.0 and not q.minmatch and not q.scale
            and q.children and all(type(c) is tree.Term for c in q.children)):
        return list(q.children)
    return None


def is_phrase_group(q: tree.Node) -> bool:
    """A phrase, or the same phrase in several fields."""
    if type(q) is tree.Phrase:
        return True
    return (type(q) is tree.Or and any(type(c) is tree.Phrase for c in q.children)
            and all(type(c) in (tree.Phrase, tree.Null) for c in q.children))


def leaves(q: tree.Node):
    """Every leaf of the tree (terms, phrases, ranges, Every, Null)."""
    if type(q) not in COMPOSITE:
        yield q
        return
    for child in children(q):
        yield from leaves(child)


def required_leaves(q: tree.Node) -> set[int]:
    """The ``id`` of each leaf that every document matching ``q`` matches."""
    kind = type(q)
    if kind is tree.And:
        return set().union(*(required_leaves(c) for c in q.children)) if q.children else set()
    if kind is tree.AndMaybe:
        return required_leaves(q.required)
    if kind is tree.AndNot:
        return required_leaves(q.positive)
    if kind is tree.Require:
        return required_leaves(q.required) | required_leaves(q.scored)
    if kind in (tree.Term, tree.Phrase, tree.DateRange, tree.Every):
        return {id(q)}
    return set()


@dataclass
class Sql:
    """A WHERE condition being built: its text and its parameters."""

    params: list = field(default_factory=list)
    #: Phrases as their words anywhere (what the GIN indexes answer without reading any document).
    loose_phrases: bool = False

    def condition(self, q: tree.Node) -> str:
        kind = type(q)
        if kind is tree.Term:
            return self.tsquery(q.field, tsquery_word(q.text))
        if kind is tree.Phrase:
            return self.phrase(q)
        if kind is tree.DateRange:
            return self.date_range(q)
        if kind is tree.Every:
            return "TRUE"
        if kind is tree.Null:
            return "FALSE"
        if kind is tree.And:
            return "(" + " AND ".join(self.condition(c) for c in q.children) + ")" if q.children else "TRUE"
        if kind is tree.Or:
            if not q.children:
                return "FALSE"
            if q.minmatch and q.minmatch > 1:
                return "((" + ")::int + (".join(self.condition(c) for c in q.children) + f")::int >= {int(q.minmatch)})"
            return self.any_of(list(q.children))
        if kind is tree.Not:
            return f"NOT {self.condition(q.child)}"
        if kind is tree.AndNot:
            return f"({self.condition(q.positive)} AND NOT {self.condition(q.negative)})"
        if kind is tree.AndMaybe:
            return self.condition(q.required)
        if kind is tree.Require:
            return f"({self.condition(q.required)} AND {self.condition(q.scored)})"
        raise TypeError(f"not an expanded query tree node: {q!r}")

    def any_of(self, children: list[tree.Node]) -> str:
        """An OR, the plain terms of one field joined into one ``tsquery``."""
        by_field: dict[str, list[str]] = {}
        for child in children:
            if type(child) is tree.Term:
                by_field.setdefault(child.field, []).append(tsquery_word(child.text))
        # The parameters follow the text's order: the joined terms first.
        parts = [self.tsquery(name, " | ".join(dict.fromkeys(words))) for name, words in by_field.items()]
        parts += [self.condition(child) for child in children if type(child) is not tree.Term]
        return "(" + " OR ".join(parts) + ")"

    def tsquery(self, name: str, text: str) -> str:
        if name not in FIELDS:
            return "FALSE"
        self.params.append(text)
        return f"({name}_v @@ %s::tsquery)"

    def phrase(self, q: tree.Phrase) -> str:
        words = [tsquery_word(w) for w in q.words]
        if not words or q.field not in POSITION_FIELDS:
            return "FALSE"
        # Whoosh's slop 1 is the words side by side; a looser phrase is its words anywhere.
        joiner = " <-> " if q.slop <= 1 and not self.loose_phrases else " & "
        return self.tsquery(q.field, joiner.join(words))

    def date_range(self, q: tree.DateRange) -> str:
        if q.field not in DATE_FIELDS:
            return "FALSE"
        parts = [f"{q.field} IS NOT NULL"]
        if q.start is not None:
            self.params.append(q.start)
            parts.append(f"{q.field} {'>' if q.startexcl else '>='} %s")
        if q.end is not None:
            self.params.append(q.end)
            parts.append(f"{q.field} {'<' if q.endexcl else '<='} %s")
        return "(" + " AND ".join(parts) + ")"


@dataclass
class Stats:
    """What scoring needs of the whole index: the document count, each field's
    average length, each term's document frequency."""

    docs: int
    average: dict[str, float]
    df: dict[tuple[str, str], int]

    def idf(self, name: str, term: str) -> float:
        return idf(self.df.get((name, term), 0), self.docs)


@dataclass
class Candidate:
    """A candidate document: its number, stored fields, field lengths, the
    frequency of the query's terms in it, and which of the query's other leaves it matches."""

    num: int
    stored: dict
    lengths: dict[str, int]
    tf: dict[tuple[str, str], int]
    matched: dict[int, bool]


class Scorer:
    """Whether a candidate matches a part of the query, and its BM25F score for it (as Whoosh scores it)."""

    def __init__(self, stats: Stats, required: set[int]) -> None:
        self.stats = stats
        self.required = required

    def term(self, doc: Candidate, name: str, text: str, boost: float) -> float:
        tf = doc.tf.get((name, text), 0)
        if not tf:
            return 0.0
        score = bm25(self.stats.idf(name, text), tf, doc.lengths.get(name, 0), self.stats.average.get(name, 0.0),
                     FIELD_B.get(name, B))
        return score * boost

    def selective(self, q: tree.Phrase) -> list[str]:
        """The words of a phrase that score it: the two rarest, and any other in at most a tenth of the documents."""
        # dict.fromkeys, not set: ties keep the order the words were typed, the same in every process
        ranked = sorted(dict.fromkeys(q.words), key=lambda w: self.stats.df.get((q.field, w), 0))
        return ranked[:2] + [w for w in ranked[2:] if self.stats.df.get((q.field, w), 0) <= self.stats.docs / 10]

    def score(self, q: tree.Node, doc: Candidate) -> tuple[bool, float]:
        kind = type(q)
        if kind is tree.Term:
            tf = doc.tf.get((q.field, q.text), 0)
            return (tf > 0, self.term(doc, q.field, q.text, q.boost) if tf else 0.0)
        if kind is tree.Phrase:
            if not (id(q) in self.required or doc.matched.get(id(q), False)):
                return False, 0.0
            return True, sum(self.term(doc, q.field, w, q.boost) for w in self.selective(q))
        if kind in (tree.DateRange, tree.Every):
            ok = id(q) in self.required or doc.matched.get(id(q), kind is tree.Every)
            return ok, (q.boost if ok else 0.0)
        if kind is tree.Null:
            return False, 0.0
        if kind is tree.And:
            total = 0.0
            for child in q.children:
                if type(child) is tree.Not:
                    ok, _ = self.score(child.child, doc)
                    if ok:
                        return False, 0.0
                    total += 1.0  # Whoosh's inverse matcher scores 1
                    continue
                ok, value = self.score(child, doc)
                if not ok:
                    return False, 0.0
                total += value
            return True, total * q.boost
        if kind is tree.Or:
            count, total = 0, 0.0
            for child in q.children:
                ok, value = self.score(child, doc)
                if ok:
                    count += 1
                    total += value
            return count >= max(1, q.minmatch or 0), total * q.boost
        if kind is tree.Not:
            ok, _ = self.score(q.child, doc)
            return (not ok, q.boost if not ok else 0.0)
        if kind is tree.AndNot:
            ok, value = self.score(q.positive, doc)
            if not ok or self.score(q.negative, doc)[0]:
                return False, 0.0
            return True, value
        if kind is tree.AndMaybe:
            ok, value = self.score(q.required, doc)
            if not ok:
                return False, 0.0
            extra_ok, extra = self.score(q.optional, doc)
            return True, value + (extra if extra_ok else 0.0)
        if kind is tree.Require:
            ok, value = self.score(q.required, doc)
            return (ok and self.score(q.scored, doc)[0], value if ok else 0.0)
        raise TypeError(f"not an expanded query tree node: {q!r}")


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or ``limit + 1`` when it is larger than ``limit``.

    >>> edit_distance("buget", "bugte", 2), edit_distance("buget", "x", 1)
    (2, 2)
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return min(previous[-1], limit + 1)
