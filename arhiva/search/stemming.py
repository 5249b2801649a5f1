"""Word stems for search, insensitive to diacritics.

Two stemmers, each behind one function:

- :func:`snowball_stem`, Whoosh's Romanian snowball stemmer. It knows only the
  cedilla letters ş ţ, so comma-below text must be mapped first, or it is
  under-stemmed (``situației`` would give ``situaț`` instead of ``situ``).
- :func:`inflection_stem`, a light stemmer over folded words (no diacritics)
  that strips only inflectional endings (articles, plural, genitive-dative).
  Snowball strips derivational suffixes too, and inconsistently across one
  word's forms (``hotărâre`` → ``hotăr`` but ``hotărârile`` → ``hotărâr``);
  the light stem keeps all forms of a noun together, typed with or without
  diacritics (``hotarare``, ``hotărârea``, ``hotărârile`` → ``hotarar``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from arhiva.romanian.letters import COMMA_TO_CEDILLA, fold

#: Inflectional endings of folded Romanian nouns and adjectives, longest first.
INFLECTIONS = tuple(
    sorted(
        "iilor urilor ilor elor iile urile ului iei ele ile uri ii ei ea ul ua ia ie a e i u".split(),
        key=len,
        reverse=True,
    )
)
MIN_STEM = 3


@lru_cache(maxsize=65536)
def snowball_stem(word: str) -> str:
    """Whoosh's Romanian snowball stem of a lowercase word, folded afterwards.

    >>> snowball_stem("situației"), snowball_stem("situaţiei")
    ('situ', 'situ')
    >>> snowball_stem("bugetului")
    'buget'
    """
    return fold(_snowball().stem(word.translate(COMMA_TO_CEDILLA)))


@lru_cache(maxsize=1)
def _snowball():
    from whoosh.lang.snowball.romanian import RomanianStemmer

    return RomanianStemmer()


@lru_cache(maxsize=65536)
def inflection_stem(word: str) -> str:
    """The folded word without its inflectional ending.

    >>> [inflection_stem(w) for w in ("hotărâre", "hotararea", "hotărârile", "hotărârilor")]
    ['hotarar', 'hotarar', 'hotarar', 'hotarar']
    >>> [inflection_stem(w) for w in ("ședința", "sedintele", "ședinței")]
    ['sedint', 'sedint', 'sedint']
    """
    word = fold(word)
    for size, endings in _ENDINGS_BY_SIZE:  # at most one ending of each size fits: the longest wins
        if len(word) - size >= MIN_STEM and word[-size:] in endings:
            return _alternation(word[:-size])
    return _alternation(word)


#: The stem's last vowel ``oa`` before its final consonants: ``rapoart-``, ``școal-``, ``poart-``.
_OA = re.compile(r"oa(?=[^aeiou]+$)")


def _alternation(stem: str) -> str:
    """The stem with the vowel alternation of its plural or singular undone: ``oa`` before the
    final consonants becomes ``o`` (``rapoarte``/``raport``, ``școală``/``școli``).

    >>> [inflection_stem(w) for w in ("raport", "rapoartele", "școală", "școlile", "poartă", "porți")]
    ['raport', 'raport', 'scol', 'scol', 'port', 'port']
    """
    return _OA.sub("o", stem) if "oa" in stem else stem


#: :data:`INFLECTIONS` by length, longest first: one lookup per length instead of a test per ending.
_ENDINGS_BY_SIZE = tuple((size, frozenset(e for e in INFLECTIONS if len(e) == size))
                         for size in sorted({len(e) for e in INFLECTIONS}, reverse=True))
