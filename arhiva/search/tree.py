"""A parsed query, as every search backend receives it: a small tree of immutable nodes.

>>> And((Term("content", "buget"), Phrase("exact", ("ordinea", "de", "zi"))))
And((Term('content', 'buget', 1.0), Phrase('exact', ('ordinea', 'de', 'zi'), 1, 1.0)), 1.0)
>>> Term("content", "buget") == Term("content", "buget", boost=1.0) != Prefix("content", "buget")
True

Its words are already analyzed: a ``Term`` holds one indexed term of one
field (``content:hotarar``), a ``Phrase`` the ``exact`` terms of its words.
A free tag is a ``Term`` of the field ``tags`` holding the tag as the archive
keeps it (``Term('tags', 'buget-2021')``, :func:`arhiva.tags.normalise_tag`).
Patterns (``Prefix``, ``Wildcard``, ``Fuzzy``) hold folded text, expanded by
the backend to the indexed terms they match.
"""

from __future__ import annotations

from datetime import datetime


class _Node:
    """A node: made with its values in order (or by name), compared and hashed by
    its kind and values, never changed once made.

    Plain classes with ``__slots__``, not dataclasses: making fifteen frozen
    dataclasses costs about 10 ms at every start of ``arhiva search``.
    """

    __slots__ = ()
    #: The values of the fields that have one by default.
    _defaults: dict[str, object] = {}

    def __init__(self, *values: object, **named: object) -> None:
        names = self.__slots__
        if len(values) > len(names):
            raise TypeError(f"{type(self).__name__} takes at most {len(names)} values")
        given = dict(zip(names, values))
        for name, value in named.items():
            if name not in names or name in given:
                raise TypeError(f"{type(self).__name__}: unexpected or repeated {name!r}")
            given[name] = value
        for name in names:
            if name not in given and name not in self._defaults:
                raise TypeError(f"{type(self).__name__} needs {name!r}")
            object.__setattr__(self, name, given.get(name, self._defaults.get(name)))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a query node is never changed ({type(self).__name__}.{name})")

    def _key(self) -> tuple:
        return (type(self), *(getattr(self, name) for name in self.__slots__))

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(repr(getattr(self, n)) for n in self.__slots__)})"


class Term(_Node):
    """One indexed term of one field."""

    __slots__ = ("field", "text", "boost")  # str, str, float
    _defaults = {"boost": 1.0}


class Phrase(_Node):
    """Words in a row (at most ``slop`` positions apart, in order)."""

    __slots__ = ("field", "words", "slop", "boost")  # str, tuple[str, ...], int, float
    _defaults = {"slop": 1, "boost": 1.0}


class Prefix(_Node):
    __slots__ = ("field", "text", "boost")  # str, str, float
    _defaults = {"boost": 1.0}


class Wildcard(_Node):
    """``?`` for one letter, ``*`` for any letters."""

    __slots__ = ("field", "text", "boost")  # str, str, float
    _defaults = {"boost": 1.0}


class Fuzzy(_Node):
    """Words at most ``maxdist`` edits away, their first ``prefix`` letters as typed."""

    __slots__ = ("field", "text", "boost", "maxdist", "prefix")  # str, str, float, int, int
    _defaults = {"boost": 1.0, "maxdist": 1, "prefix": 1}


class TermRange(_Node):
    __slots__ = ("field", "start", "end", "startexcl", "endexcl", "boost")  # str, str | None (twice), bool, bool, float
    _defaults = {"startexcl": False, "endexcl": False, "boost": 1.0}


class DateRange(_Node):
    __slots__ = ("field", "start", "end", "startexcl", "endexcl", "boost")  # str, datetime | None (twice), bool, bool, float
    _defaults = {"startexcl": False, "endexcl": False, "boost": 1.0}


class Every(_Node):
    """Every document (that has ``field``, when given)."""

    __slots__ = ("field", "boost")  # str | None, float
    _defaults = {"field": None, "boost": 1.0}


class And(_Node):
    __slots__ = ("children", "boost")  # tuple[Node, ...], float
    _defaults = {"boost": 1.0}


class Or(_Node):
    """Any of the children (``minmatch`` and ``scale`` as in Whoosh's ``Or``, which the parser may set)."""

    __slots__ = ("children", "boost", "minmatch", "scale")  # tuple[Node, ...], float, int, float | None
    _defaults = {"boost": 1.0, "minmatch": 0, "scale": None}


class Not(_Node):
    __slots__ = ("child", "boost")  # Node, float
    _defaults = {"boost": 1.0}


class AndNot(_Node):
    __slots__ = ("positive", "negative")  # Node, Node


class AndMaybe(_Node):
    """``required``, scored higher where ``optional`` matches too."""

    __slots__ = ("required", "optional")  # Node, Node


class Require(_Node):
    """``required``, scored by ``scored`` too where that matches."""

    __slots__ = ("required", "scored")  # Node, Node


class Null(_Node):
    """Matches nothing (a word made only of stop words in a field without them)."""

    __slots__ = ()


NULL = Null()

Node = Term | Phrase | Prefix | Wildcard | Fuzzy | TermRange | DateRange | Every | And | Or | Not | AndNot | \
    AndMaybe | Require | Null
