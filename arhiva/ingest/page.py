"""OCR of one page image: deskew, recognise, and turn the page when it is not upright."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from arhiva.errors import OcrError
from arhiva.ingest.ocr import OcrEngine, Recognition, Word
from arhiva.ingest.words import known_words, layer_words
from arhiva.romanian.letters import fold

#: Below this mean word confidence, the page may be sideways or upside down:
#: ask Tesseract's orientation detection and try again turned.
RETRY_CONFIDENCE = 70.0
#: Below this mean word confidence (once the page is upright), the page is read again with the
#: engine's other ways to tell ink from paper (a scan on tinted paper, a table's shaded cells, a
#: chart's coloured boxes, which Otsu's single threshold turns black or white) ...
BINARIZE_BELOW = 80.0
#: ... and such a reading replaces the first only when the lexicon knows clearly more of its words:
#: this many times as many, and :data:`BINARIZE_MORE` more (measured on real scans:
#: bench/ocr_binarization.py).
BINARIZE_GAIN = 1.1
BINARIZE_MORE = 3
#: A page whose readings so far took more than this share of the engine's time limit for one
#: reading is not read again: its step of the file (``--file-timeout``) must not run out.
BINARIZE_TIME_SHARE = 0.25
#: Skews smaller than this (degrees) are left alone; Tesseract copes with them.
MIN_SKEW = 0.3
MAX_SKEW = 6.0


#: An affine map (a, b, c, d, e, f): the point (x, y) goes to (a·x + b·y + c, d·x + e·y + f).
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)


@dataclass(frozen=True)
class PageLayout:
    """Where OCR found each word of a page, for the searchable PDF copy.

    The boxes are in the pixels of the image Tesseract read (turned upright and
    straightened); ``matrix`` takes such a point back to the page image as it
    was read from the file (``width`` × ``height`` pixels at ``dpi``).
    """

    width: int
    height: int
    dpi: int
    matrix: Matrix
    words: tuple[Word, ...]

    def to_json(self) -> dict:
        data = {"width": self.width, "height": self.height, "dpi": self.dpi, "matrix": list(self.matrix),
                "words": [[w.text, w.left, w.top, w.width, w.height, w.line] for w in self.words]}
        if any(w.conf >= 0 for w in self.words):
            data["conf"] = [w.conf for w in self.words]  # a key of its own: older readers pass it by
        return data

    @classmethod
    def from_json(cls, data: dict) -> PageLayout:
        """
        >>> page = PageLayout(20, 10, 150, IDENTITY, (Word("Azi", 1, 2, 3, 4, 0, 91.5),))
        >>> PageLayout.from_json(page.to_json()) == page
        True
        >>> old = {"width": 20, "height": 10, "dpi": 150, "matrix": list(IDENTITY), "words": [["Azi", 1, 2, 3, 4, 0]]}
        >>> PageLayout.from_json(old).words[0].conf
        -1.0
        """
        confs = data.get("conf") or []
        if len(confs) != len(data["words"]):
            confs = [-1.0] * len(data["words"])
        return cls(int(data["width"]), int(data["height"]), int(data["dpi"]),
                   tuple(float(v) for v in data["matrix"]),  # type: ignore[arg-type]
                   tuple(Word(str(t), int(x), int(y), int(w), int(h), int(n), float(c))
                         for (t, x, y, w, h, n), c in zip(data["words"], confs)))


#: Below this confidence (0–100) Tesseract's reading of a word with a figure in it is unsure: on
#: the real scans measured (docs/real-documents.md) a day written by hand into a typed form read
#: at 62, and no own date read at 80 or more was lost; a date read unsurely that the text writes
#: again elsewhere, read surely, still stands.
UNSURE_FIGURES = 75.0


def unsure_figures(layouts: Sequence[PageLayout | None]) -> tuple[tuple[str, str], ...]:
    """The words with a figure in them that OCR read unsurely, each with the word after it on its
    line (``""`` at a line's end), for the metadata not to take a date from such a reading.

    >>> page = PageLayout(9, 9, 150, IDENTITY, (Word("din", 0, 0, 1, 1, 0, 95.0), Word("4", 0, 0, 1, 1, 0, 43.3),
    ...                                          Word("octombrie", 0, 0, 1, 1, 0, 96.3), Word("12", 0, 0, 1, 1, 1, 40.0)))
    >>> unsure_figures([page, None])
    (('4', 'octombrie'), ('12', ''))
    """
    found: list[tuple[str, str]] = []
    for layout in layouts:
        if layout is None:
            continue
        words = layout.words
        for i, word in enumerate(words):
            if 0 <= word.conf < UNSURE_FIGURES and any(ch.isdigit() for ch in word.text):
                after = words[i + 1].text if i + 1 < len(words) and words[i + 1].line == word.line else ""
                found.append((word.text, after))
    return tuple(found)


def rotation_matrix(size: tuple[int, int], angle: float) -> tuple[Matrix, tuple[int, int]]:
    """What ``image.rotate(angle, expand=True)`` does to an image of ``size``: the map from a point
    of the rotated image back to the image, and the rotated image's size (as Pillow works them out).

    >>> matrix, size = rotation_matrix((40, 20), 90)
    >>> size, apply(matrix, 0, 0)
    ((20, 40), (40.0, 0.0))
    """
    w, h = size
    radians = -math.radians(angle % 360)
    a, b, d, e = (round(math.cos(radians), 15), round(math.sin(radians), 15),
                  round(-math.sin(radians), 15), round(math.cos(radians), 15))
    c, f = a * -w / 2 + b * -h / 2 + w / 2, d * -w / 2 + e * -h / 2 + h / 2
    corners = [apply((a, b, c, d, e, f), x, y) for x, y in ((0, 0), (w, 0), (w, h), (0, h))]
    nw = math.ceil(max(x for x, _ in corners)) - math.floor(min(x for x, _ in corners))
    nh = math.ceil(max(y for _, y in corners)) - math.floor(min(y for _, y in corners))
    c, f = apply((a, b, c, d, e, f), -(nw - w) / 2, -(nh - h) / 2)
    return (a, b, c, d, e, f), (nw, nh)


def apply(matrix: Matrix, x: float, y: float) -> tuple[float, float]:
    """The point (x, y) mapped by ``matrix``.

    >>> apply((2, 0, 1, 0, 1, 0), 3, 4)
    (7, 4)
    """
    a, b, c, d, e, f = matrix
    return a * x + b * y + c, d * x + e * y + f


def compose(outer: Matrix, inner: Matrix) -> Matrix:
    """The map that applies ``inner``, then ``outer``.

    >>> compose((1, 0, 5, 0, 1, 0), (2, 0, 0, 0, 2, 0))
    (2, 0, 5, 0, 2, 0)
    """
    a, b, c, d, e, f = outer
    p, q, r, s, t, u = inner
    return (a * p + b * s, a * q + b * t, a * r + b * u + c, d * p + e * s, d * q + e * t, d * r + e * u + f)


@dataclass
class PageText:
    """The text of one page and how it was obtained, for the manifest.

    ``layout`` (OCR only) is where each word was found: not in the manifest,
    but stored beside it for the searchable PDF copy.
    """

    text: str
    method: str  # "ocr", "text-layer", "text-file" or "empty"
    confidence: float | None = None
    dpi: int | None = None
    rotation: int = 0
    skew: float = 0.0
    warnings: list[str] = field(default_factory=list)
    layout: PageLayout | None = None
    binarization: str | None = None  # OCR only: the engine's other binarization read it better (None: its default)

    def to_json(self) -> dict:
        data: dict = {"method": self.method}
        if self.confidence is not None:
            data["confidence"] = self.confidence
        if self.dpi:
            data["dpi"] = self.dpi
        if self.method == "ocr":
            data["rotation"] = self.rotation
            data["skew"] = self.skew
            if self.binarization:
                data["binarization"] = self.binarization
        if self.warnings:
            data["warnings"] = list(self.warnings)
        return data


def ocr_page(image: Image.Image, engine: OcrEngine, dpi: int, stored_turn: int = 0) -> PageText:
    """Recognise the text of a page scan, whatever way up it was scanned.

    ``stored_turn`` is how far the image file says to turn the page clockwise to show it (EXIF):
    the page is read turned so from the start, and its layout still maps to the image as stored.
    """
    stored = image.convert("L")
    if stored_turn:
        page = ocr_page(stored.rotate(-stored_turn, expand=True, fillcolor=255), engine, dpi)
        page.rotation = (page.rotation + stored_turn) % 360
        if page.layout is not None:
            back = rotation_matrix(stored.size, -stored_turn)[0]
            page.layout = PageLayout(stored.width, stored.height, dpi, compose(back, page.layout.matrix),
                                     page.layout.words)
        return page
    gray = stored
    started = time.monotonic()
    best, skew, matrix = _recognize_straightened(gray, engine, dpi)
    first = best
    rotation, failed = 0, []
    if best.confidence < RETRY_CONFIDENCE:
        turn = engine.orientation(gray, dpi)
        if turn:
            turned = gray.rotate(-turn, expand=True, fillcolor=255)
            try:
                candidate, turned_skew, turned_back = _recognize_straightened(turned, engine, dpi)
            except OcrError as err:  # as below: the first reading stands
                failed.append(f"reading the page turned {turn}° failed ({err}); the reading before it is kept")
                candidate = None
            if candidate is not None and candidate.confidence > best.confidence:
                best, skew, rotation = candidate, turned_skew, turn
                matrix = compose(rotation_matrix(gray.size, -turn)[0], turned_back)
    binarization = None
    timeout = getattr(engine, "timeout", None)
    slow = timeout is not None and time.monotonic() - started > BINARIZE_TIME_SHARE * timeout
    if best.confidence < BINARIZE_BELOW and not slow and (others := getattr(engine, "binarizations", ())):
        upright = gray.rotate(-rotation, expand=True, fillcolor=255) if rotation else gray
        straight = straightened(upright, skew)
        known = _known(best.text)
        for other in others:
            try:
                candidate = engine.recognize(straight, dpi, binarization=other)
            except OcrError as err:  # a second reading that fails loses nothing: the first one stands
                failed.append(f"reading the page again with the {other} threshold failed ({err}); "
                              "the reading before it is kept")
                break
            if (more := _known(candidate.text)) >= BINARIZE_GAIN * known + BINARIZE_MORE:
                best, known, binarization = candidate, more, other
    layout = PageLayout(gray.width, gray.height, dpi, matrix, best.boxes) if best.boxes else None
    page = PageText(best.text, "ocr", best.confidence, dpi, rotation, skew, layout=layout, binarization=binarization,
                    warnings=failed)
    if rotation and (other := other_way_lines(first, best.text)):
        # a chart whose title runs across the page and whose boxes run the other way: both are kept
        page.text = best.text.rstrip("\n") + "\n\n" + "\n".join(other)
        page.warnings.append(f"{lines_said(len(other))} read the page's other way round "
                             "(text in two directions) added at the end of the page")
    if not page.text.strip():
        page.warnings.append("no text recognised on this page")
    return page


#: A line read the other way round is kept when most of its words are read this surely (0–100).
OTHER_WAY_CONFIDENCE = 85.0


def other_way_lines(reading: Recognition, kept: str) -> list[str]:
    r"""The lines of ``reading`` (the page read the way it was scanned) that OCR read surely and that
    ``kept`` (the page read turned) lacks: two words or more, one of three letters or figures at
    least, three in four of its words read at :data:`OTHER_WAY_CONFIDENCE` or more.

    >>> from arhiva.ingest.ocr import Word
    >>> words = [Word(t, 0, 0, 1, 1, n, c) for t, n, c in (("ORGANIGRAMA", 0, 91.0), ("ȘCOLII", 0, 93.0),
    ...          ("NR.", 1, 90.0), ("470/2023", 1, 88.0), ("Șofer", 2, 95.0), ("POPA", 2, 96.0), ("xq", 3, 90.0))]
    >>> other_way_lines(Recognition("", 50.0, 7, tuple(words)), "Șofer POPA\nLimba Română")
    ['ORGANIGRAMA ȘCOLII', 'NR. 470/2023']
    """
    lines: dict[int, list[Word]] = {}
    for word in reading.boxes:
        lines.setdefault(word.line, []).append(word)
    have = " ".join(line_key(line) for line in kept.split("\n"))
    found = []
    for words in lines.values():
        long = [w for w in words if sum(ch.isalnum() for ch in w.text) >= 3]
        sure = [w for w in words if w.conf >= OTHER_WAY_CONFIDENCE]
        line = " ".join(w.text for w in words)
        if len(words) >= 2 and long and len(sure) >= 0.75 * len(words) and line_key(line) not in have:
            found.append(line)
    return found


_NOT_ALNUM = re.compile(r"[\W_]+")


def line_key(line: str) -> str:
    """A line as compared: letters and digits, lower case, without diacritics, single spaces.

    >>> line_key("Nr. 470 / 04.09.2023 — ȘCOLII")
    'nr 470 04 09 2023 scolii'
    """
    return _NOT_ALNUM.sub(" ", fold(line).lower()).strip()


def lines_said(count: int) -> str:
    """``1 line``, ``3 lines``: a count of lines for a warning."""
    return "1 line" if count == 1 else f"{count} lines"


def _recognize_straightened(gray: Image.Image, engine: OcrEngine, dpi: int) -> tuple[Recognition, float, Matrix]:
    """OCR of the page straightened: the recognition, the skew undone, and the map back to ``gray``."""
    skew = estimate_skew(gray)
    matrix = rotation_matrix(gray.size, skew)[0] if abs(skew) >= MIN_SKEW else IDENTITY
    return engine.recognize(straightened(gray, skew), dpi), skew, matrix


def straightened(gray: Image.Image, skew: float) -> Image.Image:
    """The page turned by ``skew`` degrees, as :func:`_recognize_straightened` reads it."""
    if abs(skew) < MIN_SKEW:
        return gray
    return gray.rotate(skew, expand=True, fillcolor=255, resample=Image.Resampling.BILINEAR)


def _known(text: str) -> int:
    """How many words of three letters or more of an OCR reading the lexicon knows."""
    return known_words(layer_words(text))


def estimate_skew(gray: Image.Image) -> float:
    """Estimate the skew of text lines in degrees (counter-clockwise positive to undo).

    Projection profiles: the angle at which the rows of ink are sharpest is the
    one that makes the text lines horizontal. Coarse search, then a fine one.
    """
    small = gray.copy()
    small.thumbnail((900, 900))
    ink = np.asarray(small) < 128
    if ink.sum() < 200:  # a blank page
        return 0.0
    binary = Image.fromarray((ink * 255).astype(np.uint8))

    def sharpness(angle: float) -> float:
        rows = np.asarray(binary.rotate(angle, fillcolor=0), dtype=np.float32).sum(axis=1)
        return float(np.square(np.diff(rows)).sum())

    coarse = max(np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 1.0), key=sharpness)
    fine = max(np.arange(coarse - 0.8, coarse + 0.81, 0.2), key=sharpness)
    return round(float(fine), 1)
