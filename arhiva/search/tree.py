"""A parsed query, as every search backend receives it: a small tree of frozen records.

Its words are already analyzed: a ``Term`` holds one indexed term of one
field (``content:hotarar``), a ``Phrase`` the ``exact`` terms of its words.
Patterns (``Prefix``, ``Wildcard``, ``Fuzzy``) hold folded text, expanded by
the backend to the indexed terms they match.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Term:
    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase:
    """Words in a row (at most ``slop`` positions apart, in order)."""

    field: str
    words: tuple[str, ...]
    slop: int = 1
    boost: float = 1.0


@dataclass(frozen=True)
class Prefix:
    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Wildcard:
    """``?`` for one letter, ``*`` for any letters."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Fuzzy:
    """Words at most ``maxdist`` edits away, their first ``prefix`` letters as typed."""

    field: str
    text: str
    boost: float = 1.0
    maxdist: int = 1
    prefix: int = 1


@dataclass(frozen=True)
class TermRange:
    field: str
    start: str | None
    end: str | None
    startexcl: bool = False
    endexcl: bool = False
    boost: float = 1.0


@dataclass(frozen=True)
class DateRange:
    field: str
    start: datetime | None
    end: datetime | None
    startexcl: bool = False
    endexcl: bool = False
    boost: float = 1.0


@dataclass(frozen=True)
class Every:
    """Every document (that has ``field``, when given)."""

    field: str | None = None
    boost: float = 1.0


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Or:
    """Any of the children (``minmatch`` and ``scale`` as in Whoosh's ``Or``, which the parser may set)."""

    children: tuple[Node, ...]
    boost: float = 1.0
    minmatch: int = 0
    scale: float | None = None


@dataclass(frozen=True)
class Not:
    child: Node
    boost: float = 1.0


@dataclass(frozen=True)
class AndNot:
    positive: Node
    negative: Node


@dataclass(frozen=True)
class AndMaybe:
    """``required``, scored higher where ``optional`` matches too."""

    required: Node
    optional: Node


@dataclass(frozen=True)
class Require:
    """``required``, scored by ``scored`` too where that matches."""

    required: Node
    scored: Node


@dataclass(frozen=True)
class Null:
    """Matches nothing (a word made only of stop words in a field without them)."""


NULL = Null()

Node = Term | Phrase | Prefix | Wildcard | Fuzzy | TermRange | DateRange | Every | And | Or | Not | AndNot | \
    AndMaybe | Require | Null
