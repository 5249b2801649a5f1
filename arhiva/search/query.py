"""The query language, parsed into arhiva's query tree (:mod:`arhiva.search.tree`).

- all words must match (AND); ``OR`` between alternatives; ``-word`` or ``NOT word`` excludes;
- ``"exact phrase"``; ``prefix*``; ``word~`` (fuzzy: one edit) or ``word~2``;
- fields: ``titlu:``, ``tip:``, ``data:`` (``data:2021-04``, ``data:[2021-01 to 2021-06]``),
  ``tag:`` (a free tag, ``tag:buget-2021``; the tree's field ``tags``);
- diacritics never matter, also in prefixes and fuzzy words.

The syntax is read by Whoosh's query parser, set up with arhiva's analysis
(every word analyzed as the index analyzes it), and its result turned into
arhiva's tree: a backend receives the tree, never a Whoosh query.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from whoosh import qparser, query
from whoosh.qparser.dateparse import DateParserPlugin

from arhiva.errors import QueryError
from arhiva.periods import period_bounds
from arhiva.romanian.calendar import MONTH_WORDS, month_number
from arhiva.romanian.letters import fold
from arhiva.search import tree
from arhiva.search.stemming import inflection_stem

#: ``-word`` at the start of a word means NOT word (Whoosh's own plugin for it
#: would also split ``proces-verbal`` and ``2021-04``).
_EXCLUDE = re.compile(r"(^|\s)-(?=[^\s-])")

#: The text fields a plain word is looked for in (``ref`` and ``cited``, the
#: document's own reference numbers and those it cites, only by words with digits).
TEXT_FIELDS = ["title", "exact", "content", "ref", "cited"]
REFERENCE_FIELDS = {"ref", "cited"}
#: The exact word form only breaks ties: ranked by it, a document that has the
#: typed form of a common word beats the one that is about that word in its
#: other forms (chosen on bench/search_quality.py: inflected-form queries
#: Success@10 0.919 at 1.0, 0.942 at 0.3, 0.955 at 0.1; written forms 0.991-0.993).
FIELD_BOOSTS = {"title": 1.0, "exact": 0.1, "content": 1.0, "ref": 3.0, "cited": 0.5}
#: The fields that keep word positions, so phrases can be matched in them
#: (``title`` only when asked for: ``titlu:"..."``).
PHRASE_FIELDS = {"exact", "title", "type"}
FIELD_ALIASES = {"title": ["titlu"], "type": ["tip"], "date": ["data"], "tags": ["tag", "eticheta"]}


def least_words(count: int, absent: int = 0) -> int:
    """Of a query's ``count`` words (three or more), how many a document must
    have to be listed after those that have them all: at least half.

    A query typed from memory for a known document often holds a word the
    document lacks (a street named in its web page's title, an abbreviation
    it spells out, a word the OCR misread). A word that is in no document at
    all (``absent`` of them) can only empty the answer: while two words or more
    are left, a document need not have it, whatever the query's length (the
    OCR read ``RgO2-266`` and ``Medefercnt`` where the query says ``Rg02-266``
    and ``Medeferent``).

    Half, not two thirds, was measured on the labelled real documents'
    known-item queries (development split): scans' Success@10 0.935 -> 0.960,
    born-digital PDFs' 0.988 -> 1.000, texts' 0.990 -> 0.995, none lower; a
    query's complete matches always come first, so this only adds documents
    after them.

    >>> [least_words(n) for n in range(1, 10)]
    [1, 2, 2, 2, 3, 3, 4, 4, 5]
    >>> least_words(3, absent=1), least_words(6, absent=3), least_words(2, absent=1)
    (2, 3, 2)
    """
    least = count - count // 2 if count >= 3 else count
    if absent and count - absent >= 2:
        least = min(least, count - absent)
    return least


@dataclass(frozen=True)
class Relaxed:
    """Which words of a query a listed document may lack, after all those that have them all.

    A word is a part of the query's AND made only of terms of ``fields``
    (phrases, ranges, exclusions and other fields are always required); of
    ``n`` such words, ``a`` of them in no document, a document must have
    ``least(n, a)``. Such a document has one of the ``n - least(n, a) + 1`` rarest words, whose postings are read
    whole: when they hold more than ``most`` postings, the query's words are
    too common for the documents lacking some to be worth listing (or reading),
    and only complete matches are.
    """

    fields: frozenset[str]
    least: Callable[[int, int], int]
    most: int = 5000


#: The words that may be missing: those looked for by their stems (stop words,
#: looked for in ``exact``, are optional anyway, see :func:`_optional_words`).
RELAXED = Relaxed(frozenset(TEXT_FIELDS) - {"exact"}, least_words)


@lru_cache(maxsize=1)
def make_parser() -> qparser.QueryParser:
    from arhiva.search.whoosh_backend.schema import schema

    parser = qparser.MultifieldParser(TEXT_FIELDS, schema(), fieldboosts=FIELD_BOOSTS, group=qparser.AndGroup)
    parser.add_plugin(qparser.FieldAliasPlugin(FIELD_ALIASES))
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(DateParserPlugin(free=False))
    return parser


@dataclass(frozen=True)
class Filters:
    """What the command line's options add to a query: a period of the
    document's own date, and its type."""

    date_from: datetime | None = None
    date_to: datetime | None = None
    doc_type: str | None = None

    def __bool__(self) -> bool:
        return bool(self.date_from or self.date_to or self.doc_type)


def parse(text: str) -> tree.Node | None:
    """Parse a query typed by a person; None when it has no words; raise QueryError if malformed."""
    if not text.strip():
        return None
    parser = make_parser()
    try:
        # Not normalized yet: normalizing turns a phrase left with one word
        # (``"cazul în care"`` in a field without stop words) into a word.
        parsed = parser.parse(_named_dates(_compounds(_EXCLUDE.sub(r"\1NOT ", text))), normalize=False)
    except Exception as err:  # noqa: BLE001 - the parser raises many kinds
        raise QueryError(f"cannot understand the query {shorten(text)!r}: {shorten(str(err))}") from err
    _check_errors(parsed, text)
    parsed = _optional_words(_fold_patterns(parsed).normalize(), parser)
    return to_tree(_dated_numbers(_words_by_stem(parsed)), text)


def with_filters(q: tree.Node | None, filters: Filters) -> tree.Node:
    """The query that a backend runs: the parsed words, and the filters, all required."""
    if q is None and not filters:
        raise QueryError("empty query: give some words to search for")
    parts = [] if q is None else [q]
    if filters.date_from or filters.date_to:
        parts.append(tree.DateRange("date", filters.date_from, filters.date_to))
    if filters.doc_type:
        parts.append(to_tree(make_parser().parse(f'tip:"{filters.doc_type}"'), filters.doc_type))
    return parts[0] if len(parts) == 1 else tree.And(tuple(parts))


def to_tree(q: query.Query, text: str = "") -> tree.Node:
    """A parsed Whoosh query as arhiva's tree (``text``: the query, for the message
    of a part the tree has no place for)."""
    kind = type(q)
    if kind is query.Term:
        return tree.Term(q.fieldname, q.text, q.boost)
    if kind is query.Phrase:
        return tree.Phrase(q.fieldname, tuple(q.words), q.slop, q.boost)
    if kind is query.Prefix:
        return tree.Prefix(q.fieldname, q.text, q.boost)
    if kind is query.Wildcard:
        return tree.Wildcard(q.fieldname, q.text, q.boost)
    if kind is query.FuzzyTerm:
        return tree.Fuzzy(q.fieldname, q.text, q.boost, q.maxdist, q.prefixlength)
    if kind is query.TermRange:
        return tree.TermRange(q.fieldname, q.start, q.end, q.startexcl, q.endexcl, q.boost)
    if kind is query.DateRange:
        return tree.DateRange(q.fieldname, q.startdate, q.enddate, q.startexcl, q.endexcl, q.boost)
    if kind is query.Every:
        return tree.Every(q.fieldname, q.boost)
    if kind is query.And:
        return tree.And(tuple(to_tree(c, text) for c in q.subqueries), q.boost)
    if kind is query.Or:
        return tree.Or(tuple(to_tree(c, text) for c in q.subqueries), q.boost, q.minmatch, q.scale)
    if kind is query.Not:
        return tree.Not(to_tree(q.query, text), q.boost)
    if kind is query.AndNot:
        return tree.AndNot(to_tree(q.a, text), to_tree(q.b, text))
    if kind is query.AndMaybe:
        return tree.AndMaybe(to_tree(q.a, text), to_tree(q.b, text))
    if kind is query.Require:
        return tree.Require(to_tree(q.a, text), to_tree(q.b, text))
    if q is query.NullQuery:
        return tree.NULL
    raise QueryError(f"cannot understand the query {shorten(text)!r}: {shorten(str(q))} is not supported")


def _check_errors(q: query.Query, text: str) -> None:
    """The parser marks what it could not read with an ``error``; say so plainly."""
    error = _first_error(q)
    if error:
        raise QueryError(f"cannot understand the query {shorten(text)!r}: {shorten(error)}")


def shorten(text: str, limit: int = 80) -> str:
    """A query (or a message) cut to ``limit`` characters for a message, ending in … when cut.

    >>> shorten("buget " * 20)
    'buget buget buget buget buget buget buget buget buget buget buget buget buget b…'
    >>> shorten("buget")
    'buget'
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


def _words_by_stem(q: query.Query) -> query.Query:
    """Look for a word by its stems, and by its exact form only when it has none;
    in the reference fields only when it has digits.

    The exact form added nothing to the ranking (bench/search_quality.py:
    Success@10 0.993/0.993/0.953 with it, 0.991/0.991/0.962 without, for
    written, unaccented and inflected queries) and cost a third more postings
    to read. Stop words, which have no stem, are still found by their form.
    """
    if isinstance(q, query.Or) and all(type(c) is query.Term for c in q.subqueries):
        stems = {c.text for c in q.subqueries if c.fieldname == "content"}
        kept = [c for c in q.subqueries
                if not (c.fieldname == "exact" and inflection_stem(c.text) in stems)
                and not (c.fieldname in REFERENCE_FIELDS and not any(ch.isdigit() for ch in c.text))]
        return kept[0] if len(kept) == 1 else query.Or(kept, boost=q.boost)
    if type(q) is query.Term and q.fieldname == "exact":
        return q
    return q.apply(_words_by_stem)


#: A number with its full date, as the analyzer writes it: ``31423/2020-12-10``.
_NUMBER_DATE = re.compile(r"(?P<number>\d[\d.]*)/(?P<year>\d{4})-\d\d-\d\d")


def _dated_numbers(q: query.Query) -> query.Query:
    """A number typed with its full date (``31423/10.12.2020``) also finds it by number and year,
    the form under which a document that writes ``nr. 31423 din 10.12.2020`` is indexed.

    >>> _dated_numbers(query.Term("ref", "31423/2020-12-10"))
    Or([Term('ref', '31423/2020-12-10'), Term('ref', '31423/2020')])
    """
    if type(q) is query.Term and (match := _NUMBER_DATE.fullmatch(q.text)):
        return query.Or([q, query.Term(q.fieldname, f"{match['number']}/{match['year']}", boost=q.boost)])
    return q.apply(_dated_numbers)


#: Words joined by hyphens, typed outside quotes and fields: ``start-up``, ``proces-verbal``.
_COMPOUND = re.compile(r'(?<![\w:*?~/.\\-])([^\W\d_]+(?:-[^\W\d_]+)+)(?![\w:*?~/.-])')
_QUOTED = re.compile(r'("[^"]*"?)')


#: A date with its month in words, as people type it (``26 iunie 2007``, ``3 sept 2020``).
_NAMED_DATE = re.compile(rf"(?<![\w:*?~/.-])(\d{{1,2}})\s+({'|'.join(MONTH_WORDS)})\.?\s+(\d{{4}})(?![\w:*?~/.-])", re.IGNORECASE)


def _named_dates(text: str) -> str:
    """Find a date typed with its month in words also where it is written in digits (the
    index holds both forms of a date written in words, and only the digits of one written
    in digits): each of its three words may be the date in digits, so that a document
    lacking one of them is still found among those lacking some words (``sector 2
    septembrie 2011`` is no date).

    >>> _named_dates('sedinta din 29 aprilie 2021 "1 mai 2016"')
    'sedinta din (29 OR 29.04.2021^0.34) (aprilie OR 29.04.2021^0.34) (2021 OR 29.04.2021^0.34) "1 mai 2016"'
    """

    def digits(m: re.Match[str]) -> str:
        month = month_number(m.group(2))
        if not month:
            return m.group()
        date = f"{int(m.group(1)):02d}.{month:02d}.{m.group(3)}"
        return " ".join(f"({word} OR {date}^0.34)" for word in m.groups())  # the date, once over the three

    return _outside_quotes(text, lambda piece: _NAMED_DATE.sub(digits, piece))


def _compounds(text: str) -> str:
    """Find a word typed with hyphens as it is written (joined) or by its parts:
    ``start-up`` is ``(start-up OR (start up))``, so that ``startup``,
    ``Start-up`` and ``procesele-verbale`` are found (the parts by their stems).

    >>> _compounds('start-up "proces-verbal" tip:proces-verbal')
    '(start-up OR (start up)) "proces-verbal" tip:proces-verbal'
    """
    return _outside_quotes(text, lambda piece: _COMPOUND.sub(lambda m: f"({m.group()} OR ({m.group().replace('-', ' ')}))", piece))


def _outside_quotes(text: str, rewrite: Callable[[str], str]) -> str:
    """``text`` with ``rewrite`` applied to what stands outside its quoted phrases (kept as typed)."""
    pieces = _QUOTED.split(text)
    for i in range(0, len(pieces), 2):
        pieces[i] = rewrite(pieces[i])
    return "".join(pieces)


#: Abbreviations of kinds of acts and of their issuers, which people type
#: (``HCL 45``, ``HG 775/2005``) but documents often spell out (``Hotărârea
#: nr. 45``) or leave out: optional query words (see :func:`_optional_words`),
#: which raise the documents that have them or the words they stand for.
ABBREVIATIONS = {
    "hcl": "hotărâre consiliul local", "hcj": "hotărâre consiliul județean", "hg": "hotărâre guvernului",
    "oug": "ordonanță urgență guvernului", "og": "ordonanță guvernului", "cl": "consiliul local",
    "cj": "consiliul județean", "disp": "dispoziție", "pv": "proces verbal", "nr": "",
    "hcgmb": "hotărâre consiliul general municipiului bucurești",
}
#: A minister's or an agency head's order as people cite it, its issuer's initials after
#: ``OM``/``OP`` (``OMEN 5061/2017``, ``OMADR 89/2013``, ``OPANAP 1017/2019``): an abbreviation
#: only beside a number, since ``om`` is also a word.
_ORDER_ABBREVIATION = re.compile(r"o[mp][a-z]{0,6}")


def _optional_words(q: query.Query, parser) -> query.Query:
    """Make the abbreviations (:data:`ABBREVIATIONS`) and the stop words among the
    words that every result must have optional, as long as another word is
    required: ``HCL nr. 45 din 2021`` requires ``45`` and ``2021``."""
    parts = list(q.subqueries) if type(q) is query.And else [q]
    numbered = any(ch.isdigit() for p in parts for ch in (_typed_word(p) or _term_text(p) or ""))
    optional = [p for p in parts if _is_optional(p, numbered)]
    required = [p for p in parts if not _is_optional(p, numbered)]
    if not optional or not required:
        return q
    meaning = " ".join(_meaning(_typed_word(p)) for p in optional).split()
    if meaning:
        optional.append(parser.parse(" OR ".join(dict.fromkeys(meaning))))
    return query.AndMaybe(required[0] if len(required) == 1 else query.And(required),
                          query.Or(optional).normalize())


def _typed_word(q: query.Query) -> str | None:
    """The folded word a plain word's query was made from (its ``exact`` term), if it is one."""
    if isinstance(q, query.Or) and all(type(c) is query.Term for c in q.subqueries):
        return next((c.text for c in q.subqueries if c.fieldname == "exact"), None)
    return None


def _term_text(q: query.Query) -> str | None:
    """The text of a one-term query (a number typed alone is a term of the reference fields)."""
    return q.text if type(q) is query.Term and isinstance(q.text, str) else None


def _meaning(word: str | None) -> str:
    """What an abbreviation stands for (an order's issuer is not spelt out)."""
    if word in ABBREVIATIONS:
        return ABBREVIATIONS[word]
    return "ordin" if word and _ORDER_ABBREVIATION.fullmatch(word) else ""


def _is_optional(q: query.Query, numbered: bool = False) -> bool:
    """An abbreviation (an order's only in a query with a number), or a stop word (a word
    looked for only by its exact form)."""
    word = _typed_word(q)
    if word in ABBREVIATIONS or (numbered and word and _ORDER_ABBREVIATION.fullmatch(word)):
        return True
    terms = [q] if type(q) is query.Term else list(q.subqueries) if isinstance(q, query.Or) else []
    return (any(type(t) is query.Term and t.fieldname == "exact" for t in terms)
            and all(type(t) is query.Term and t.fieldname in REFERENCE_FIELDS | {"exact"} for t in terms))


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
