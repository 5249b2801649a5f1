"""The Romanian analyzers: each field has one, used both when indexing and when querying.

Every analyzer lowercases and folds diacritics (cedilla and comma-below alike),
so a query typed with or without diacritics gives the same results:

- ``exact``: every word, folded, unstemmed: exact words, phrases, prefixes;
- ``stemmed``: stop words dropped, Whoosh's Romanian snowball stem (after
  mapping comma-below to cedilla, which is all the stemmer knows), folded;
- ``inflected``: stop words dropped, the light inflection stem of the folded
  word, which keeps all the forms of a noun together (``hotarare``,
  ``hotărârea``, ``hotărârile``);
- ``stems``: both stems of each word at its position, once when they are the
  same (seven words in ten): the ``content`` field, so that a word's
  documents are read from one field instead of two.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter

from arhiva.romanian.letters import fold, to_comma_below
from arhiva.romanian.stemming import inflection_stem, snowball_stem
from arhiva.romanian.stopwords import STOP_WORDS

TOKEN_PATTERN = r"\w+"


class MapFilter(Filter):
    """Replace each token's text by ``function(text)``."""

    def __init__(self, function: Callable[[str], str]) -> None:
        self.function = function

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MapFilter) and other.function is self.function

    def __call__(self, tokens):
        for token in tokens:
            token.text = self.function(token.text)
            yield token


def _words():
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | MapFilter(to_comma_below)


def _stop():
    return StopFilter(stoplist=STOP_WORDS, minsize=1, renumber=False)


@lru_cache(maxsize=None)
def exact_analyzer():
    """Folded words.

    >>> [t.text for t in exact_analyzer()("Ședința ŞI hotărârea")]
    ['sedinta', 'si', 'hotararea']
    """
    return _words() | MapFilter(fold)


@lru_cache(maxsize=None)
def stemmed_analyzer():
    """Snowball stems, folded; stop words dropped.

    >>> [t.text for t in stemmed_analyzer()("situației şi situaţiei")]
    ['situ', 'situ']
    """
    return _words() | _stop() | MapFilter(snowball_stem)


@lru_cache(maxsize=None)
def inflected_analyzer():
    """Light inflection stems of the folded words; stop words dropped.

    >>> [t.text for t in inflected_analyzer()("hotarare în hotărârile")]
    ['hotarar', 'hotarar']
    """
    return _words() | _stop() | MapFilter(inflection_stem)


class StemsFilter(Filter):
    """Replace each token by its snowball stem and, when it differs, its inflection stem."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StemsFilter)

    def __call__(self, tokens):
        for token in tokens:
            word = token.text
            token.text = snowball_stem(word)
            yield token
            inflected = inflection_stem(word)
            if inflected != token.text:
                token.text = inflected
                yield token


@lru_cache(maxsize=None)
def stems_analyzer():
    """Both stems of each word, once when they agree; stop words dropped.

    >>> [t.text for t in stems_analyzer()("situației și hotărârile")]
    ['situ', 'situat', 'hotarar']
    """
    return _words() | _stop() | StemsFilter()


#: The analyzer of each text field of the index, by field name.
FIELD_ANALYZERS = {
    "exact": exact_analyzer,
    "content": stems_analyzer,
}


@lru_cache(maxsize=65536)
def word_terms(word: str) -> dict[str, tuple[str, ...]]:
    """The terms each text field indexes for one lowercase word (stop words aside).

    The same functions as the analyzers above, applied to one word: the
    snippet finder uses it to find matched words in one pass over a text.

    >>> word_terms("hotărârile")
    {'exact': ('hotararile',), 'content': ('hotarar', 'hotarar')}
    """
    return {"exact": (fold(word),), "content": (snowball_stem(word), inflection_stem(word))}


_TOKEN = re.compile(TOKEN_PATTERN)


def words_with_offsets(text: str) -> Iterator[tuple[int, int, str]]:
    """The words of ``text`` as the analyzers see them before stemming, with their offsets.

    The same steps as ``_words()`` (the tokenizer's pattern, lowercase,
    comma-below letters), without Whoosh's token objects, for speed.

    >>> list(words_with_offsets("Ţara şi ea"))
    [(0, 4, 'țara'), (5, 7, 'și'), (8, 10, 'ea')]
    """
    for match in _TOKEN.finditer(text):
        yield match.start(), match.end(), to_comma_below(match.group().lower())
