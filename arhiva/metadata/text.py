"""The shapes of a document that every extractor reads: folded text, lines, the header.

Extractors match their patterns on :func:`folded` text, which has the same
length as the original, so a match's offsets point into the original text.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from itertools import takewhile

from arhiva.romanian.letters import DIACRITIC_LETTERS, fold


class Spans:
    """Stretches of a text that never overlap, each taken only if it overlaps none taken before:
    matches of several patterns, the earlier pattern first. Checked in logarithmic time, as a
    long text can hold thousands of matches.

    >>> spans = Spans()
    >>> spans.take(10, 20), spans.take(15, 25), spans.take(20, 25), spans.take(0, 10), spans.take(5, 6)
    (True, False, True, True, False)
    """

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def take(self, start: int, end: int) -> bool:
        """Take ``[start, end)`` if it overlaps nothing taken; whether it did."""
        at = bisect_left(self._starts, end)  # of those starting before its end, only the last can reach it
        if at and self._ends[at - 1] > start:
            return False
        self._starts.insert(at, start)
        self._ends.insert(at, end)
        return True


class _SameLengthFold(dict):
    """Romanian letters without their diacritics, and any other letter whose base is one ASCII
    letter (``ā``, ``ī`` of a wrong code page for ``â``, ``î``; legacy ``ã`` for ``ă``; ``ȋ``):
    looked up once per character, then kept."""

    def __missing__(self, code: int) -> int:
        ch = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        self[code] = ord(base) if len(base) == 1 and base.isascii() and base.isalpha() and not ch.isascii() else code
        return self[code]


_SAME_LENGTH_FOLD = _SameLengthFold(str.maketrans({ch: fold(ch) for ch in DIACRITIC_LETTERS + "şţŞŢ"}))

#: The header: at most this many non-empty lines from the top, within this many characters.
HEADER_LINES = 8
HEADER_CHARS = 1200


def folded(text: str) -> str:
    """``text`` without Romanian diacritics, letter for letter (same length, same offsets).

    >>> folded("Hotărârea din 8 aprilie, ședința")
    'Hotararea din 8 aprilie, sedinta'
    >>> folded("īncheiat īn ROMĀNIA, hotãrâre, ЖЁ")
    'incheiat in ROMANIA, hotarare, ЖЁ'
    """
    return text.translate(_SAME_LENGTH_FOLD)


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str


_LINE = re.compile(r"[^\n]+")
# A run of three or more letters each standing alone (``D I S P O Z I Ț I A``,
# ``P R O C E S-V E R B A L``, ``LE G E`` where a line break joined ``L`` to it),
# with single spaces inside words and wider gaps between them.
_SPACED_TOKEN = r"[^\W\d_](?:-[^\W\d_])*"
_SPACED_RUN = re.compile(
    rf"(?<!\S)(?:[^\W\d_]{{2}} {_SPACED_TOKEN}(?: +{_SPACED_TOKEN})+|{_SPACED_TOKEN}(?: +{_SPACED_TOKEN}){{2,}})(?=[\s:;,.]|$)"
)
#: A dash set before a letter-spaced word's first letter (``S –V E R``).
_DASH_ON_LETTER = re.compile(r"(?<= )([–—-])(?=[^\W\d_] [^\W\d_])")
# OCR debris after a word of a heading: ``PROCES^ VERBAL``, ``HOTĂRÂRE_■``.
_DEBRIS = re.compile(r"(?<=[^\W\d_])[\^_■•|~¬*#]+(?=\s|$)")
_SUBJECT = re.compile(r"(?:privind|pentru|cu\s+privire\s+la|referitor\s+la)\b", re.IGNORECASE)


def collapse_spaced(line: str) -> str:
    """``line`` with letter-spaced words joined and OCR debris between words dropped.

    A gap of two or more spaces separates words; one space separates letters.
    Only for reading headings: offsets do not survive it.

    >>> collapse_spaced("D I S P O Z I Ț I A  NR. 326")
    'DISPOZIȚIA NR. 326'
    >>> collapse_spaced("N O T Ă   D E   F U N D A M E N T A R E"), collapse_spaced("LE G E")
    ('NOTĂ DE FUNDAMENTARE', 'LEGE')
    >>> collapse_spaced("P R O C E S-V E R B A L"), collapse_spaced("PROCES^ VERBAL")
    ('PROCES-VERBAL', 'PROCES VERBAL')
    >>> collapse_spaced("P R O C E S –V E R B A L")
    'PROCES – VERBAL'
    >>> collapse_spaced("a ședinței din 8 mai")
    'a ședinței din 8 mai'
    """

    def join(match: re.Match[str]) -> str:
        return " ".join(word.replace(" ", "") for word in re.split(r" {2,}", match.group()))

    line = _DEBRIS.sub(" ", line)
    line = _DASH_ON_LETTER.sub(r"\1 ", line)  # ``P R O C E S –V E R B A L``: the dash stands apart
    return re.sub(r"\s+", " ", _SPACED_RUN.sub(join, line)).strip()


def lines(text: str) -> list[Line]:
    """The non-blank lines of ``text`` with their offsets, stripped."""
    out = []
    for match in _LINE.finditer(text):
        raw = match.group()
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append(Line(match.start() + lead, match.start() + lead + len(stripped), stripped))
    return out


#: A security gateway's cover note above the file it sanitised (its first page): ``This file has been
#: cleaned of potential threats. … To view the reconstructed contents, please SCROLL DOWN to next page.``
_SANITISED_COVER = re.compile(
    r"\A\s*this\s+file\s+has\s+been\s+cleaned\s+of\s+potential\s+threats\b.{0,800}?"
    r"\bscroll\s+down\s+to\s+(?:the\s+)?next\s+page\b\.?",
    re.IGNORECASE | re.DOTALL,
)


def cover_end(folded: str) -> int:
    """The offset where a security gateway's cover note at the top of the (folded) text ends; 0 without one.

    >>> text = ("This file has been cleaned of potential threats.\\n\\nTo view the reconstructed "
    ...         "contents, please SCROLL DOWN to next page.\\n\\nROMANIA")
    >>> text[cover_end(text) :]
    '\\n\\nROMANIA'
    >>> cover_end("ROMANIA\\nThis file has been cleaned of potential threats.")
    0
    """
    cover = _SANITISED_COVER.match(folded)
    return cover.end() if cover else 0


#: A letterhead's contacts line: it opens with a telephone, a fax or an e-mail address.
_CONTACTS = re.compile(r"\s*(?:tel(?:efon)?|fax|e-?mail|mail)\b\.?\s*:?", re.IGNORECASE)


def header_end(text_lines: list[Line], heading_start: int | None = None) -> int:
    """The offset where the header (the first lines, before the body proper) ends.

    The header is the first lines, and every line above the document's heading
    (``heading_start``) within the first characters: a long letterhead pushes the
    registration line (``Nr.1756/26.09.2018`` above ``COMUNICAT``) past the first lines.
    """
    if not text_lines:
        return 0
    above = min(heading_start, HEADER_CHARS) if heading_start is not None else 0
    head = text_lines[:HEADER_LINES]
    head += list(takewhile(lambda line: line.start < above, text_lines[HEADER_LINES:]))
    end = head[-1].end
    for line in head:
        # A long line, or a sentence (six words or more ending in a full stop),
        # is body text: the header ends before it, unless it is the first line.
        # A title's long ``privind …`` line is still the header.
        sentence = line.text.endswith(".") and len(line.text.split()) >= 6
        subject = _SUBJECT.match(folded(line.text))
        # the letterhead's contacts, with a site's note on its hidden address (``Tel: …, fax: …
        # e-mail:Această adresă de email este protejată de spambots. …``), are no sentence of the body
        contacts = sentence and _CONTACTS.match(folded(line.text))
        if (len(line.text) > 250 or sentence) and line is not head[0] and not subject and not contacts:
            end = line.start
            break
    return min(end, max(HEADER_CHARS, head[0].end))
