"""The query language: Whoosh's parser, set up for Romanian archives.

- all words must match (AND); ``OR`` between alternatives; ``-word`` or ``NOT word`` excludes;
- ``"exact phrase"``; ``prefix*``; ``word~`` (fuzzy: one edit) or ``word~2``;
- fields: ``titlu:``, ``tip:``, ``data:`` (``data:2021-04``, ``data:[2021-01 to 2021-06]``);
- diacritics never matter, also in prefixes and fuzzy words.
"""

from __future__ import annotations

import re
from datetime import datetime

from whoosh import qparser, query
from whoosh.qparser.dateparse import DateParserPlugin

from arhiva.errors import QueryError
from arhiva.periods import period_bounds
from arhiva.romanian.letters import fold
from arhiva.romanian.stemming import inflection_stem

#: ``-word`` at the start of a word means NOT word (Whoosh's own plugin for it
#: would also split ``proces-verbal`` and ``2021-04``).
_EXCLUDE = re.compile(r"(^|\s)-(?=[^\s-])")

#: The text fields a plain word is looked for in.
TEXT_FIELDS = ["title", "exact", "content"]
#: The exact word form only breaks ties: ranked by it, a document that has the
#: typed form of a common word beats the one that is about that word in its
#: other forms (chosen on bench/search_quality.py: inflected-form queries
#: Success@10 0.919 at 1.0, 0.942 at 0.3, 0.955 at 0.1; written forms 0.991-0.993).
FIELD_BOOSTS = {"title": 1.0, "exact": 0.1, "content": 1.0}
#: The fields that keep word positions, so phrases can be matched in them
#: (``title`` only when asked for: ``titlu:"..."``).
PHRASE_FIELDS = {"exact", "title", "type"}
FIELD_ALIASES = {"title": ["titlu"], "type": ["tip"], "date": ["data"]}


def make_parser(schema) -> qparser.QueryParser:
    parser = qparser.MultifieldParser(TEXT_FIELDS, schema, fieldboosts=FIELD_BOOSTS, group=qparser.AndGroup)
    parser.add_plugin(qparser.FieldAliasPlugin(FIELD_ALIASES))
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(DateParserPlugin(free=False))
    return parser


def parse(text: str, schema, date_from: datetime | None = None, date_to: datetime | None = None,
          doc_type: str | None = None) -> query.Query:
    """Parse a query typed by a person, with the command line's filters; raise QueryError if malformed."""
    if not text.strip() and not (date_from or date_to or doc_type):
        raise QueryError("empty query: give some words to search for")
    parser = make_parser(schema)
    filters: list[query.Query] = []
    if text.strip():
        try:
            # Not normalized yet: normalizing turns a phrase left with one word
            # (``"cazul în care"`` in a field without stop words) into a word.
            parsed = parser.parse(_EXCLUDE.sub(r"\1NOT ", text), normalize=False)
        except Exception as err:  # noqa: BLE001 - the parser raises many kinds
            raise QueryError(f"cannot understand the query {text!r}: {err}") from err
        _check_errors(parsed, text)
        filters.append(_words_by_stem(_fold_patterns(parsed).normalize()))
    if date_from or date_to:
        filters.append(query.DateRange("date", date_from, date_to))
    if doc_type:
        filters.append(parser.parse(f'tip:"{doc_type}"'))
    return filters[0] if len(filters) == 1 else query.And(filters)


def _check_errors(q: query.Query, text: str) -> None:
    """The parser marks what it could not read with an ``error``; say so plainly."""
    error = _first_error(q)
    if error:
        raise QueryError(f"cannot understand the query {text!r}: {error}")


def _first_error(q: query.Query) -> str | None:
    if getattr(q, "error", None):
        return str(q.error)
    for child in q.children():
        error = _first_error(child)
        if error:
            return error
    return None


def _fold_patterns(q: query.Query) -> query.Query:
    """Fold the text of prefix, wildcard and fuzzy terms, which the parser does not analyze,
    and keep phrases to the fields that store word positions (``exact``, ``title``)."""
    if isinstance(q, (query.Prefix, query.Wildcard, query.FuzzyTerm)):
        q = q.copy()
        q.text = fold(q.text.lower())
        return q
    if isinstance(q, query.Phrase) and q.fieldname not in PHRASE_FIELDS:
        return query.NullQuery
    if isinstance(q, query.Or) and any(isinstance(c, query.Phrase) and c.fieldname == "exact" for c in q.subqueries):
        # A typed phrase, looked for in every field: only the field that keeps
        # every word can tell whether the words stand together.
        q = query.Or([c for c in q.subqueries if not isinstance(c, query.Phrase) or c.fieldname == "exact"])
    return q.apply(_fold_patterns)


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


def _words_by_stem(q: query.Query) -> query.Query:
    """Look for a word by its stems, and by its exact form only when it has none.

    The exact form added nothing to the ranking (bench/search_quality.py:
    Success@10 0.993/0.993/0.953 with it, 0.991/0.991/0.962 without, for
    written, unaccented and inflected queries) and cost a third more postings
    to read. Stop words, which have no stem, are still found by their form.
    """
    if isinstance(q, query.Or) and all(type(c) is query.Term for c in q.subqueries):
        stems = {c.text for c in q.subqueries if c.fieldname == "content"}
        kept = [c for c in q.subqueries if not (c.fieldname == "exact" and inflection_stem(c.text) in stems)]
        return kept[0] if len(kept) == 1 else query.Or(kept, boost=q.boost)
    if type(q) is query.Term and q.fieldname == "exact":
        return q
    return q.apply(_words_by_stem)


def parse_period(value: str, end: bool = False) -> datetime:
    """The first (or, with ``end``, the last) moment of a typed period, in UTC.

    >>> parse_period("2021-04").isoformat(), parse_period("2021-02", end=True).date().isoformat()
    ('2021-04-01T00:00:00+00:00', '2021-02-28')
    """
    from datetime import time, timezone

    first, last = period_bounds(value)
    if end:
        return datetime.combine(last, time(23, 59, 59), tzinfo=timezone.utc)
    return datetime.combine(first, time(), tzinfo=timezone.utc)
