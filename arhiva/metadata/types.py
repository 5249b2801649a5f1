"""The type of a document, its heading line and its title.

The type is decided from the heading first: the first of the top lines
(:data:`arhiva.metadata.text.HEADER_LINES`) that *starts* with a type's
heading pattern from :data:`arhiva.romanian.doctypes.DOCUMENT_TYPES`, followed
by the end of the line, ``nr.``, ``din``, ``:``, ``privind``…
(``HOTĂRÂREA nr. 45``, ``PROCES-VERBAL``, ``Comunicat de presă:``). A heading
with a number or date (``ORDIN nr. 170 din …``) is preferred over a bare one.
Without a heading, the body cues of each type are counted and the best type
wins with a lower confidence; with none, the type is ``altul``.

The title is the heading line with its continuation (a next line starting
with ``privind``, ``pentru``, ``încheiat``… or in lower case, or anything after
a heading ending in ``:``), in sentence case; else the first meaningful line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from arhiva.metadata.text import HEADER_LINES, Line
from arhiva.romanian.doctypes import DOCUMENT_TYPES, OTHER

_FOLLOW = r"(?=\s*(?:$|:|nr\b|nr\.|din(?![a-z])|privind|pentru|cu\s+privire|referitor|de\s|al\s|a\s|\(|-|–|,|\d))"
_HEADINGS = [(t.name, re.compile(rf"^\s*(?:{t.heading}){_FOLLOW}", re.IGNORECASE)) for t in DOCUMENT_TYPES]
#: A short line may go on with any word after its type: ``Minuta întâlnirii``.
_SHORT_LINE_PATTERNS = {t.name: re.compile(rf"^\s*(?:{t.heading})(?=\s+[^\W\d_]+[^.]*$)", re.IGNORECASE) for t in DOCUMENT_TYPES}
_BODY = [(t.name, [(re.compile(cue, re.IGNORECASE), w) for cue, w in t.body]) for t in DOCUMENT_TYPES]
_STRUCTURED = re.compile(r"\s*(?:nr\b|nr\.|din(?![a-z])|:)", re.IGNORECASE)
_CONTINUATION = re.compile(
    r"^(?:privind|pentru|cu\s+privire|referitor|incheiat|asupra|de\s|al\s|a\s|din\s|la\s|in\s|cu\s|\()", re.IGNORECASE
)
_EDITORIAL = re.compile(r"\s*-?\s*\(\*actualizat[aei]?\*\)|\*\)|\s*\*$", re.IGNORECASE)
_INSTITUTIONAL = re.compile(
    r"^(?:romania|judetul|consiliul|primaria|municipiul|orasul|comuna|ministerul|guvernul|nr\.|emitent|publicat)\b",
    re.IGNORECASE,
)
MAX_TITLE = 300


@dataclass(frozen=True)
class Heading:
    type: str
    line: int  # index into the document's lines
    confidence: float
    cue_end: int  # offset where the type words end


def find_heading(text_lines: list[Line], folded: str) -> Heading | None:
    """The heading line among the top lines, if one names a type."""
    bare: Heading | None = None
    for index, line in enumerate(text_lines[:HEADER_LINES]):
        if len(line.text) > 200:
            continue
        line_folded = folded[line.start : line.end]
        for name, pattern in _HEADINGS:
            match = pattern.match(line_folded) or (len(line.text) <= 80 and _SHORT_LINE_PATTERNS[name].match(line_folded))
            if not match:
                continue
            structured = _STRUCTURED.match(line_folded, match.end())
            alone = not line_folded[match.end() :].strip(" :")
            heading = Heading(name, index, 0.95 if structured or alone else 0.85, line.start + match.end())
            if structured:
                return heading
            bare = bare or heading
            break
    return bare


def body_type(folded: str) -> tuple[str, float]:
    """The type the body's cue words suggest most, with a confidence under 0.7; or ``altul``."""
    best, best_score = OTHER, 0.0
    for name, cues in _BODY:
        score = sum(weight * min(3, len(pattern.findall(folded))) for pattern, weight in cues)
        if score > best_score:
            best, best_score = name, score
    if best_score < 2.0:
        return OTHER, 0.5
    return best, min(0.7, 0.3 + 0.1 * best_score)


def title(text: str, text_lines: list[Line], folded: str, heading: Heading | None) -> str | None:
    """The document's title: its heading with continuation, or its first meaningful line."""
    if heading is not None:
        first = text_lines[heading.line]
        parts = [_sentence_case(first.text).strip()]
        previous = first
        for line in text_lines[heading.line + 1 : heading.line + 3]:
            if text.count("\n", previous.end, line.start) > 1:
                break  # a blank line: the body begins
            previous = line
            line_folded = folded[line.start : line.end]
            after_colon = parts[-1].endswith(":") and len(parts) == 1
            if not (after_colon or _CONTINUATION.match(line_folded) or line.text[:1].islower()):
                break
            if len(line.text) > MAX_TITLE:
                break
            piece = line.text
            if after_colon:
                piece = piece[:1].upper() + piece[1:]
            parts.append(piece)
            if after_colon:
                break
        return _clean(" ".join(parts))
    for line in text_lines[:HEADER_LINES]:
        letters = re.findall(r"[^\W\d_]{2,}", line.text)
        if len(letters) >= 2 and not _INSTITUTIONAL.match(folded[line.start : line.end]):
            return _clean(line.text)
    return _clean(text_lines[0].text) if text_lines else None


def _sentence_case(line: str) -> str:
    """``HOTĂRÂREA nr. 45``, ``RAPORT DE ACTIVITATE`` → ``Hotărârea nr. 45``, ``Raport de activitate``.

    The leading run of words in capitals goes to lower case, with a capital
    first letter; the rest of the line (an acronym after ``nr.``) stays.
    """
    words = line.split(" ")
    for i, word in enumerate(words):
        if not (word.isupper() and any(ch.isalpha() for ch in word)) or any(ch.isdigit() for ch in word):
            break
        words[i] = word.lower()
    out = " ".join(words)
    return out[:1].upper() + out[1:]


def _clean(title: str) -> str | None:
    title = _EDITORIAL.sub("", title)
    title = re.sub(r"\s+", " ", title).strip(" \t-–:")
    if not title:
        return None
    return title[:MAX_TITLE]
