"""The Romanian alphabet and the mappings between its written forms.

Romanian writes ș ț with a comma below; legacy fonts, Tesseract's ``ron`` model
and old encodings (ISO-8859-2, cp1250) use the cedilla letters ş ţ instead.
Both must be treated as the same letter everywhere.
"""

from __future__ import annotations

import unicodedata

from unidecode import unidecode

#: The letters with diacritics of correct modern Romanian.
DIACRITIC_LETTERS = "ăâîșțĂÂÎȘȚ"

#: Cedilla forms to the correct comma-below forms.
CEDILLA_TO_COMMA = str.maketrans({"ş": "ș", "ţ": "ț", "Ş": "Ș", "Ţ": "Ț"})

#: Comma-below forms to cedilla forms: what Whoosh's Romanian snowball stemmer knows.
COMMA_TO_CEDILLA = str.maketrans({"ș": "ş", "ț": "ţ", "Ș": "Ş", "Ț": "Ţ"})

_FOLD = str.maketrans(
    {
        "ă": "a", "â": "a", "î": "i", "ș": "s", "ş": "s", "ț": "t", "ţ": "t",
        "Ă": "A", "Â": "A", "Î": "I", "Ș": "S", "Ş": "S", "Ț": "T", "Ţ": "T",
    }
)

#: Short words that attach to a neighbour with a hyphen: ``s-a``, ``într-un``.
#: A hyphen at a line end before or after one of these is a real hyphen.
CLITICS_BEFORE = frozenset(
    "s n l m c v i ne ți vă le mi și-a într dintr printr de-a".split()
)
CLITICS_AFTER = frozenset("a o un i l le au am ai ați ar aș ne mă te se și o-".split())


def to_comma_below(text: str) -> str:
    """Replace cedilla ş ţ Ş Ţ with the correct comma-below ș ț Ș Ț.

    >>> to_comma_below("şedinţa")
    'ședința'
    """
    return text.translate(CEDILLA_TO_COMMA)


def fold_romanian(text: str) -> str:
    """Remove the diacritics of Romanian letters only, keeping every offset.

    >>> fold_romanian("Ședința, café")
    'Sedinta, café'
    """
    return text.translate(_FOLD)


def fold(text: str) -> str:
    """Remove diacritics: Romanian letters by table, any other letter by unidecode.

    Used to match text typed without diacritics (``sedinta`` finds ``ședința``).

    >>> fold("Ședința Consiliului Local, bugetul pe 2021")
    'Sedinta Consiliului Local, bugetul pe 2021'
    >>> fold("café")
    'cafe'
    """
    text = text.translate(_FOLD)
    if text.isascii():
        return text
    return "".join(ch if ch.isascii() else _fold_char(ch) for ch in text)


def _fold_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFD", ch)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    if base.isascii() and base:
        return base
    # Letters with no ASCII base (ß, ø, Greek, Cyrillic) go through unidecode;
    # anything unidecode cannot spell stays as it is.
    return unidecode(ch) or ch


def has_diacritics(text: str) -> bool:
    """True when ``text`` contains a Romanian letter with a diacritic (either form)."""
    return any(ch in DIACRITIC_LETTERS or ch in "şţŞŢ" for ch in text)


def one_slip(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by exactly one letter changed, added or left out.

    >>> one_slip("imformare", "informare"), one_slip("dispozitle", "dispozitie"), one_slip("ordine", "ordin")
    (True, True, True)
    >>> one_slip("ordin", "ordin"), one_slip("decizii", "decizia"), one_slip("raport", "rapoarte")
    (False, True, False)
    """
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
