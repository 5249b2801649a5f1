"""arhiva's query tree as Whoosh queries, patterns expanded to indexed terms."""

from __future__ import annotations

from whoosh import query

from arhiva.search import tree
from arhiva.search.analyzer import FIELD_ANALYZERS


def to_whoosh(q: tree.Node) -> query.Query:
    """The Whoosh query for a tree node (the inverse of :func:`arhiva.search.query.to_tree`)."""
    kind = type(q)
    if kind is tree.Term:
        return query.Term(q.field, q.text, boost=q.boost)
    if kind is tree.Phrase:
        return query.Phrase(q.field, list(q.words), slop=q.slop, boost=q.boost)
    if kind is tree.Prefix:
        return query.Prefix(q.field, q.text, boost=q.boost)
    if kind is tree.Wildcard:
        return query.Wildcard(q.field, q.text, boost=q.boost)
    if kind is tree.Fuzzy:
        return query.FuzzyTerm(q.field, q.text, boost=q.boost, maxdist=q.maxdist, prefixlength=q.prefix)
    if kind is tree.TermRange:
        return query.TermRange(q.field, q.start, q.end, q.startexcl, q.endexcl, boost=q.boost)
    if kind is tree.DateRange:
        return query.DateRange(q.field, q.start, q.end, q.startexcl, q.endexcl, boost=q.boost)
    if kind is tree.Every:
        return query.Every(q.field, boost=q.boost)
    if kind is tree.And:
        return query.And([to_whoosh(c) for c in q.children], boost=q.boost)
    if kind is tree.Or:
        return query.Or([to_whoosh(c) for c in q.children], boost=q.boost, minmatch=q.minmatch, scale=q.scale)
    if kind is tree.Not:
        return query.Not(to_whoosh(q.child), boost=q.boost)
    if kind is tree.AndNot:
        return query.AndNot(to_whoosh(q.positive), to_whoosh(q.negative))
    if kind is tree.AndMaybe:
        return query.AndMaybe(to_whoosh(q.required), to_whoosh(q.optional))
    if kind is tree.Require:
        return query.Require(to_whoosh(q.required), to_whoosh(q.scored))
    if kind is tree.Null:
        return query.NullQuery
    raise TypeError(f"not a query tree node: {q!r}")


def expand_patterns(q: query.Query, reader) -> query.Query:
    """Replace prefixes, wildcards and fuzzy words by the indexed words they match.

    Each word found is then scored like a typed word (Whoosh would give every
    match of a pattern the same score), and the query is made of terms only.
    """
    if isinstance(q, (query.Prefix, query.Wildcard, query.FuzzyTerm)):
        words = sorted({t.decode("utf-8") if isinstance(t, bytes) else t for _, t in q.expanded_terms(reader)})
        found = [query.Term(q.fieldname, word, boost=q.boost) for word in words]
        return query.NullQuery if not found else found[0] if len(found) == 1 else query.Or(found)
    return q.apply(lambda child: expand_patterns(child, reader))


def query_terms(q: query.Query) -> tuple[dict[str, set[str]], list[tuple[str, ...]]]:
    """The words a query looks for in each text field, and its phrases (their
    words in the ``exact`` field), which the snippets show whole."""
    terms: dict[str, set[str]] = {}
    phrases: list[tuple[str, ...]] = []
    for leaf in [q] if q.is_leaf() else q.leaves():
        if isinstance(leaf, query.Phrase):
            if leaf.fieldname == "exact" and leaf.words:
                phrases.append(tuple(leaf.words))
            continue
        for fieldname, term in leaf.iter_all_terms():
            if fieldname in FIELD_ANALYZERS:  # not the binary terms of dates
                terms.setdefault(fieldname, set()).add(term.decode("utf-8") if isinstance(term, bytes) else term)
    return terms, list(dict.fromkeys(phrases))
