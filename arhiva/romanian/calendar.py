"""The Romanian calendar as written in documents: months, days of the week, Roman numerals.

Everything here is keyed by the *folded* lowercase form (no diacritics, see
:func:`arhiva.romanian.letters.fold`), so ``martie``/``marți`` and text typed
without diacritics look the same. Month names come in full (``septembrie``),
in the usual abbreviations with or without a full stop (``sept.``, ``ian``,
``oct.``) and in the old spellings still found in scans (``iunuarie`` no, but
``ianuar``, ``februar``, ``noembrie``); Roman numerals (``IV``) are the month
of dates written ``8.IV.2021``.

>>> month_number("Septembrie"), month_number("sept."), month_number("IV"), month_number("lunii")
(9, 9, 4, None)
"""

from __future__ import annotations

from arhiva.romanian.letters import fold, one_slip

#: Full month names, January first.
MONTHS = (
    "ianuarie", "februarie", "martie", "aprilie", "mai", "iunie",
    "iulie", "august", "septembrie", "octombrie", "noiembrie", "decembrie",
)

#: Abbreviations and variants, by month number. ``mai`` has none: ``mai`` is also
#: the adverb "more", so a bare ``mai`` is only a month between a day and a year.
MONTH_VARIANTS: dict[int, tuple[str, ...]] = {
    1: ("ian", "ianuar"),
    2: ("feb", "febr", "februar"),
    3: ("mar", "mart"),
    4: ("apr", "aprl"),
    5: (),
    6: ("iun",),
    7: ("iul",),
    8: ("aug",),
    9: ("sep", "sept", "septemb"),
    10: ("oct", "octomb"),
    11: ("noi", "noiem", "noiemb", "nov", "noembrie"),
    12: ("dec", "decemb"),
}

#: Roman numerals for the months, as in ``8.IV.2021``.
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")

#: Days of the week, folded: ``joi, 16 septembrie 2021``.
WEEKDAYS = ("luni", "marti", "miercuri", "joi", "vineri", "sambata", "duminica")

_BY_NAME: dict[str, int] = {}
for _number, _name in enumerate(MONTHS, start=1):
    _BY_NAME[_name] = _number
for _number, _variants in MONTH_VARIANTS.items():
    for _variant in _variants:
        _BY_NAME[_variant] = _number
_BY_ROMAN = {roman: number for number, roman in enumerate(ROMAN_MONTHS, start=1)}

#: Every month word (folded, lowercase), longest first: ready for a regex alternation.
MONTH_WORDS: tuple[str, ...] = tuple(sorted(_BY_NAME, key=len, reverse=True))


def month_number(word: str) -> int | None:
    """The month (1–12) that ``word`` names, as a name, abbreviation or Roman numeral.

    >>> month_number("DECEMBRIE"), month_number("Ian"), month_number("XII")
    (12, 1, 12)
    """
    word = word.strip().rstrip(".")
    if word in _BY_ROMAN:
        return _BY_ROMAN[word]
    return _BY_NAME.get(fold(word).lower())


def close_month(word: str) -> int | None:
    """The month that ``word`` misspells by one letter (one letter changed, added or left out),
    for the long names only, where one slip leaves no doubt: ``moiembrie``, ``septembre``,
    ``octombire`` is not (two slips). None when it is no such slip, or a month as written.

    >>> close_month("moiembrie"), close_month("Septembre"), close_month("iunie"), close_month("octombire")
    (11, 9, None, None)
    """
    word = fold(word.strip().rstrip(".")).lower()
    if len(word) < 6 or word in _BY_NAME:
        return None
    close = [number for number, name in enumerate(MONTHS, start=1) if len(name) >= 7 and one_slip(word, name)]
    return close[0] if len(close) == 1 else None


#: OCR writes these for digits inside dates: ``2O21``, ``l2``, ``I9``.
OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1", "S": "5", "B": "8"})


def ocr_number(text: str) -> int | None:
    """The number a date field spells, reading OCR's letters for digits.

    >>> ocr_number("2O2l"), ocr_number("08"), ocr_number("ab")
    (2021, 8, None)
    """
    digits = text.translate(OCR_DIGITS)
    return int(digits) if digits.isdigit() else None
