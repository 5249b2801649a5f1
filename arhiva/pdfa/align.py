"""Putting the repaired words where OCR found their originals on the page.

The clean-up changes words (diacritics restored, OCR confusions repaired),
joins words split at the end of a line, drops running headers and debris. The
cleaned words of a page are aligned to the words Tesseract read, as token
sequences compared without case, diacritics and punctuation
(:class:`difflib.SequenceMatcher`): a word that stayed gets its own box; the
words of a changed stretch share the boxes of the OCR words they replace, in
proportion to their letters; a word the clean-up added goes into the box of
the word before it (or after it, at the start of a page). OCR words with no
cleaned counterpart (a header the clean-up removed) are not drawn.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from arhiva.ingest.ocr import Word
from arhiva.romanian.letters import fold

_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Placed:
    """A cleaned word and where it is drawn along OCR line ``line`` (pixels of the image OCR read)."""

    text: str
    left: float
    width: float
    line: int


def key(token: str) -> str:
    """What two tokens must share to be the same word: letters and digits, folded.

    >>> key("Ședința,"), key("sedinta"), key("—")
    ('sedinta', 'sedinta', '—')
    """
    folded = _NOT_WORD.sub("", fold(token).lower())
    return folded or token


def assign(ocr: Sequence[str], cleaned: Sequence[str]) -> list[list[int]]:
    """For each OCR word, the indexes of the cleaned tokens drawn in its box.

    >>> assign(["Sedinta", "publica", "a", "admi-", "nistratiei"], ["Ședința", "publică", "a", "administrației"])
    [[0], [1], [2], [], [3]]
    >>> assign(["Tn", "data"], ["în", "data", "de"])
    [[0], [1, 2]]
    >>> assign(["PRIMĂRIA", "Azi"], ["Azi"])
    [[], [0]]
    """
    owners: list[list[int]] = [[] for _ in ocr]
    if not ocr:
        return owners
    matcher = SequenceMatcher(None, [key(t) for t in ocr], [key(t) for t in cleaned], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2)):
                owners[i].append(j)
        elif op == "replace":
            for offset, j in enumerate(_share(ocr[i1:i2], cleaned[j1:j2])):
                owners[i1 + j].append(j1 + offset)
        elif op == "insert":
            target = i1 - 1 if i1 > 0 else 0
            owners[target].extend(range(j1, j2))
    return owners


def _share(ocr: Sequence[str], cleaned: Sequence[str]) -> list[int]:
    """For each cleaned token of a changed stretch, the OCR word (of the stretch) it falls on.

    One for one when the counts agree; otherwise by where the middle of each
    cleaned token falls along the OCR words' letters.

    >>> _share(["admi-", "nistrației"], ["administrației"])
    [1]
    >>> _share(["dela"], ["de", "la"])
    [0, 0]
    """
    if len(ocr) == len(cleaned):
        return list(range(len(cleaned)))
    ends, total = [], 0
    for word in ocr:
        total += len(word)
        ends.append(total)
    size = sum(len(t) for t in cleaned) or 1
    out, done = [], 0
    for token in cleaned:
        middle = (done + len(token) / 2) / size * total
        done += len(token)
        out.append(next((i for i, end in enumerate(ends) if middle <= end), len(ocr) - 1))
    return out


def place(words: Sequence[Word], cleaned: Sequence[str],
          directions: Mapping[int, tuple[int, int]] | None = None) -> list[Placed]:
    """The cleaned tokens of a page, each in the box (or part of the box) of the OCR word it aligns to.

    A placed word's ``left`` and ``width`` are along its line: x for a line
    that runs across the image, y for one that runs down or up it
    (``directions``: each line's axis direction; across by default). Tokens
    sharing a box divide it by their letters, in reading order, with a small
    gap between them.

    >>> boxes = [Word("Tn", 10, 5, 20, 12, 0), Word("dela", 40, 5, 40, 12, 0)]
    >>> [(p.text, p.left, p.width) for p in place(boxes, ["în", "de", "la"])]
    [('în', 10, 20), ('de', 40.0, 19.0), ('la', 61.0, 19.0)]
    >>> [(p.text, p.left, p.width) for p in place(boxes[1:], ["de", "la"], {0: (0, -1)})]
    [('de', 11.3, 5.7), ('la', 5.0, 5.7)]
    """
    placed: list[Placed] = []
    for word, tokens in zip(words, assign([w.text for w in words], cleaned)):
        if not tokens or word.width <= 0 or word.height <= 0:
            continue
        dx, dy = (directions or {}).get(word.line, (1, 0))
        start, length, forward = (word.left, word.width, dx >= 0) if dx else (word.top, word.height, dy > 0)
        if len(tokens) == 1:
            placed.append(Placed(cleaned[tokens[0]], start, length, word.line))
            continue
        gap = length * 0.05 / (len(tokens) - 1)
        room = length - gap * (len(tokens) - 1)
        letters = sum(len(cleaned[j]) for j in tokens) or 1
        at = float(start) if forward else float(start + length)
        for j in tokens:
            size = room * len(cleaned[j]) / letters
            lo = at if forward else at - size
            placed.append(Placed(cleaned[j], round(lo, 2), round(size, 2), word.line))
            at = at + size + gap if forward else at - size - gap
    return placed
