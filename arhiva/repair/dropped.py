"""Diacritic letters dropped with their places: ``Dispoziii generale``, ``n edina``, ``HOTRRE``.

A text taken from a PDF whose font had no mapping for ă, â, î, ș and ț, or saved
through an encoding without them, may lose those letters outright rather than
their marks: ``ședința`` becomes ``edina``, ``în`` becomes ``n``. The diacritics
model cannot help (the letters are not there to be marked), and the words are
lost to search.

A document shows it when many words the lexicon lacks are known words with
those letters taken out (:func:`signs`). Only in such a document is each of
them given its letters back, as the most frequent word it can be, and a lone
``n`` between words becomes ``în``. A word that is itself a known word stays
as it is (``ordinar`` for ``ordinară``, ``i`` for ``și``): precision first.
"""

from __future__ import annotations

import re
from functools import lru_cache

from arhiva.romanian.letters import fold
from arhiva.romanian.lexicon import Lexicon

Edits = list[tuple[str, str]]

#: The letters such a text loses.
DROPPED = frozenset("ăâîșțşţ")
#: A document has dropped letters when at least this many words show it, and this share of its words.
#: Measured: the two real texts that lost these letters show them in 13.8% and 14.7% of their words;
#: texts whose font is broken in other ways, in 3.1% and 3.9% (``unc``, ``lic``: fragments, not such
#: words); a text with a few letters lost, 2.3%; no document of the corpora shows five.
MIN_SIGNS = 8
SIGN_SHARE = 0.08
#: A word is given back only when its most frequent candidate is this many times as frequent as the next.
CLEAR_LEAD = 3.0

_WORD = re.compile(r"[^\W\d_]+")
#: ``n`` alone between a word in lower case (or a number, a comma) and one in lower case: ``în``.
_LONE_N = re.compile(r"(?<=[a-zăâîșț0-9,] )n(?= [a-zăâîșț])")


def key(word: str) -> str:
    """``word`` in lower case with the letters such a text loses taken out.

    >>> key("Ședința"), key("HOTĂRÂRE"), key("în")
    ('edina', 'hotrre', 'n')
    """
    return "".join(ch for ch in word.lower() if ch not in DROPPED)


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    """Each key of a known word with dropped letters, to the word it most often is (a clear lead only)."""
    best: dict[str, tuple[str, int, int]] = {}
    for word, count in Lexicon.load().counts.items():
        if not DROPPED.intersection(word) or len(word) < 3:
            continue
        k = key(word)
        first = best.get(k)
        if first is None:
            best[k] = (word, count, 0)
        elif count > first[1]:
            best[k] = (word, count, first[1])
        else:
            best[k] = (first[0], first[1], max(first[2], count))
    return {k: word for k, (word, count, second) in best.items() if count >= CLEAR_LEAD * second}


def _candidate(token: str, lexicon: Lexicon) -> str | None:
    """The known word ``token`` is with its dropped letters back, if it is no word itself."""
    if len(token) < 3 or lexicon.folded_count(fold(token).lower()):
        return None
    return _index().get(token.lower())


def signs(text: str, lexicon: Lexicon | None = None) -> list[str]:
    """The words of ``text`` that show dropped letters: unknown words that are known ones without
    some of ă, â, î, ș, ț, and lone ``n`` between words.

    >>> signs("Dispoziii generale adoptate n edina ordinar a consiliului, activiti diverse")
    ['Dispoziii', 'edina', 'activiti', 'n']
    >>> signs("Dispoziții generale adoptate în ședința ordinară a consiliului, activități diverse")
    []
    """
    lexicon = lexicon or Lexicon.load()
    found = [w for w in _WORD.findall(text) if _candidate(w, lexicon)]
    return found + _LONE_N.findall(text)


def has_dropped_letters(text: str) -> bool:
    """Whether enough of ``text``'s words show dropped letters (:data:`MIN_SIGNS`, :data:`SIGN_SHARE`)."""
    found = signs(text)
    words = len(_WORD.findall(text))
    return len(found) >= MIN_SIGNS and len(found) >= SIGN_SHARE * max(words, 1)


def restore_dropped_letters(text: str) -> tuple[str, Edits]:
    """Give back the dropped letters of a text that shows them; any other text is left as it is.

    >>> restore_dropped_letters("CAPITOLUL I Dispoziii generale. Art. 1 Prezenta lege are ca obiect "
    ...     "organizarea i funcionarea ntreprinderilor care desfoar activiti n domeniul economiei "
    ...     "sociale, stabilirea msurilor de promovare i competenele autoritilor.")[0]
    'CAPITOLUL I Dispoziții generale. Art. 1 Prezenta lege are ca obiect organizarea i funcționarea întreprinderilor care desfășoară activități în domeniul economiei sociale, stabilirea măsurilor de promovare i competențele autorităților.'
    >>> restore_dropped_letters("Consiliul a aprobat activitatea din anul trecut.")[1]
    []
    """
    if not has_dropped_letters(text):
        return text, []
    lexicon = Lexicon.load()
    edits: Edits = []

    def back(match: re.Match[str]) -> str:
        token = match.group()
        word = _candidate(token, lexicon)
        if word is None:
            return token
        restored = word.upper() if token.isupper() and len(token) > 1 else (
            word[:1].upper() + word[1:] if token[:1].isupper() else word)
        edits.append((token, restored))
        return restored

    text = _WORD.sub(back, text)

    def lone(match: re.Match[str]) -> str:
        edits.append(("n", "în"))
        return "în"

    return _LONE_N.sub(lone, text), edits
