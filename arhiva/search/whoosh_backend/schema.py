"""The Whoosh schema: arhiva's analysis (:mod:`arhiva.search.analyzer`) wrapped in Whoosh's analyzer interface."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from whoosh import fields, scoring
from whoosh.analysis import Filter, StopFilter, Tokenizer
from whoosh.analysis.acore import Token

from arhiva.romanian.letters import to_comma_below
from arhiva.romanian.stopwords import STOP_WORDS
from arhiva.search.analyzer import ANALYSES, Analysis, tokens, word_forms


class Weighting(scoring.BM25F):
    """Whoosh's BM25F, keeping its per-field ``B`` where the ranking can read
    them (Whoosh keeps them in a private attribute)."""

    def __init__(self, B: float = 0.75, K1: float = 1.2, field_b: dict[str, float] | None = None) -> None:
        self.field_b = dict(field_b or {})
        super().__init__(B=B, K1=K1, **{f"{name}_B": value for name, value in self.field_b.items()})


#: BM25F, without length normalization for the document's own references (a
#: field of a few words, empty in many documents: the average length is no guide).
WEIGHTING = Weighting(field_b={"ref": 0.0})


class WordTokenizer(Tokenizer):
    """:func:`arhiva.search.analyzer.tokens` as a Whoosh tokenizer: when
    indexing (and with ``extras``), each token's other forms follow it at the
    same position; when querying, only the whole form is given."""

    def __init__(self, extras: bool = True) -> None:
        self.extras = extras

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WordTokenizer) and other.extras == self.extras

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        extras = self.extras and mode != "query"
        found = tokens(value, extras) if tokenize else _whole(value, extras)
        for pos, start, end, text in found:
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


def _whole(value: str, extras: bool) -> Iterator[tuple[int, int, int, str]]:
    """The whole value as one token (Whoosh's ``tokenize=False``: range ends, for one)."""
    whole, others = word_forms(to_comma_below(re.match(r".*", value, re.S).group().lower()))
    for text in (whole, *others) if extras else (whole,):
        yield 0, 0, len(value), text


class TagTokenizer(Tokenizer):
    """A document's free tags, separated by spaces, each normalised as the archive keeps
    tags (:func:`arhiva.tags.query_tag`): a typed ``tag:Bugét-2021`` finds ``buget-2021``."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TagTokenizer)

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs) -> Iterator[Token]:
        from arhiva.tags import query_tag

        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        found = [m for m in re.finditer(r"\S+", value)] if tokenize else [re.match(r".*", value, re.S)]
        for pos, match in enumerate(found):
            token.text = query_tag(match.group())
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = match.group()
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


class MapFilter(Filter):
    """Replace each token's text by ``function(text)`` (found in the schema of
    indexes made before :class:`ExpandFilter` replaced it)."""

    def __init__(self, function: Callable[[str], str]) -> None:
        self.function = function

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MapFilter) and other.function is self.function

    def __call__(self, tokens):
        for token in tokens:
            token.text = self.function(token.text)
            yield token


class ExpandFilter(Filter):
    """Replace each token by the terms ``function(text)`` gives, at its position."""

    def __init__(self, function: Callable[[str], tuple[str, ...]]) -> None:
        self.function = function

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ExpandFilter) and other.function is self.function

    def __call__(self, tokens):
        for token in tokens:
            for text in self.function(token.text):
                token.text = text
                yield token


@lru_cache(maxsize=None)
def analyzer(kind: str):
    """One analysis of :data:`arhiva.search.analyzer.ANALYSES` as a Whoosh analyzer."""
    analysis: Analysis = ANALYSES[kind]
    chain = WordTokenizer(analysis.extras)
    if analysis.stop:
        chain = chain | StopFilter(stoplist=STOP_WORDS, minsize=1, renumber=False)
    return chain | ExpandFilter(analysis.terms)


def make_schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(stored=True, analyzer=analyzer("inflected"), multitoken_query="or"),
        exact=fields.TEXT(analyzer=analyzer("exact"), phrase=True),
        # A typed word looks for either of its stems.
        content=fields.TEXT(analyzer=analyzer("stems"), phrase=False, multitoken_query="or"),
        type=fields.TEXT(stored=True, analyzer=analyzer("exact")),
        # The document's own number (``343``, ``343/2023``), and the acts it cites
        # (``43/2022`` for ``Hotărârea nr. 43 din 21.06.2022``), from its metadata.
        ref=fields.TEXT(analyzer=analyzer("whole"), phrase=False),
        cited=fields.TEXT(analyzer=analyzer("whole"), phrase=False),
        # The free tags a person gave the document (``tag:buget-2021``).
        tags=fields.TEXT(stored=True, analyzer=TagTokenizer(), phrase=False),
        date=fields.DATETIME(stored=True, sortable=True),
        source=fields.STORED(),
        media_type=fields.STORED(),
        pages=fields.STORED(),
        ingested=fields.DATETIME(stored=True, sortable=True),
    )


@lru_cache(maxsize=None)
def schema() -> fields.Schema:
    """The schema, made once (the query parser reads it)."""
    return make_schema()
