"""The invisible text layer: a glyphless embedded font, and each word drawn in render mode 3.

The font is Tesseract's ``pdf.ttf`` (Apache 2.0), as OCRmyPDF uses it: one
empty glyph half an em wide, which every character code draws. Character
codes are Unicode code points (``Identity-H``, two bytes each) and the
``ToUnicode`` map gives each back as itself, so a reader of the layer gets
exactly the text written (ă â î ș ț included). Each word is stretched
(``Tz``) to the width of its box; all words of a line share its baseline and
height, so that text extraction reads them as one line.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from arhiva.ingest.ocr import Word
from arhiva.ingest.page import Matrix
from arhiva.pdfa.align import Placed

FONT_FILE = Path(__file__).with_name("glyphless.ttf")
FONT_NAME = "/FArhiva"
#: The glyph's width in thousandths of an em (1024 of the font's 2048 units).
GLYPH_WIDTH = 500
#: Ascent and descent of the layer's font, in thousandths of the line's height.
ASCENT, DESCENT = 800, -200


@lru_cache(maxsize=1)
def font_program() -> bytes:
    return FONT_FILE.read_bytes()


def drawable(text: str) -> str:
    """The characters of ``text`` that the layer can carry: the Basic Multilingual Plane, no controls.

    >>> drawable("ș\\x00ț😀")
    'șț'
    """
    return "".join(ch for ch in text if 0x20 <= ord(ch) <= 0xFFFF and not 0xD800 <= ord(ch) <= 0xDFFF)


def to_unicode(text: Iterable[str]) -> bytes:
    """A ToUnicode CMap giving each character code back as its code point, for the code pages used.

    >>> b"<0200> <02ff> <0200>" in to_unicode(["ș"])
    True
    """
    highs = sorted({ord(ch) >> 8 for chunk in text for ch in chunk} or {0})
    ranges = "\n".join(f"<{h:02x}00> <{h:02x}ff> <{h:02x}00>" for h in highs)
    return ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n"
            f"{len(highs)} beginbfrange\n{ranges}\nendbfrange\n"
            "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n").encode("ascii")


def content(words: Sequence[Placed], lines: dict[int, Line], matrix: Matrix) -> bytes:
    """The content stream that draws ``words`` invisibly, in the page's user space.

    ``lines`` gives each OCR line's box and direction (:func:`line_geometry`);
    ``matrix`` maps the pixels of the image OCR read (y down) to the page's
    user space. A line's text runs along the right angle nearest to its
    direction on the page, and all words of a line share one baseline,
    through the middle of its box: a text extractor reads a line drawn at a
    slant (a skewed scan) as pieces, and a straight line as one. On a scan
    skewed by α, a word then lies off its image by at most half the line's
    length times sin α.

    >>> line = Line((10, 5, 40, 15), (1, 0))
    >>> print(content([Placed("Azi", 10, 30, 0)], {0: line}, (1, 0, 0, 0, -1, 100)).decode())
    BT 3 Tr
    /FArhiva 10 Tf 200 Tz 1 0 0 1 10 87 Tm <0041007a0069> Tj
    ET
    <BLANKLINE>
    """
    a, b, c, d, e, f = matrix
    out = ["BT 3 Tr"]
    for word in words:
        text = drawable(word.text)
        line = lines.get(word.line)
        if not text or line is None or word.width <= 0:
            continue
        (left, top, right, bottom), (dx, dy) = line.box, line.direction
        nx_img, ny_img = dy, -dx  # "up" for text running along (dx, dy), y down
        ux, uy = _right_angle(a * dx + b * dy, d * dx + e * dy)
        upx, upy = a * nx_img + b * ny_img, d * nx_img + e * ny_img
        nx, ny = -uy, ux
        if nx * upx + ny * upy < 0:
            nx, ny = -nx, -ny
        across, tall = math.hypot(a * dx + b * dy, d * dx + e * dy), math.hypot(upx, upy)
        size = (abs(right - left) if dx == 0 else abs(bottom - top)) * tall
        if size <= 0:
            continue
        # The word's box along the line: Placed gives it in the line's own direction (x for a line
        # running across the image, y for one running down it).
        lo, hi = word.left, word.left + word.width
        mid_along = (lo + hi) / 2
        mx, my = ((mid_along, (top + bottom) / 2) if dx else ((left + right) / 2, mid_along))
        cx, cy = (left + right) / 2, (top + bottom) / 2
        wx, wy = a * mx + b * my + c, d * mx + e * my + f
        lx, ly = a * cx + b * cy + c, d * cx + e * cy + f
        width = word.width * across
        along = wx * ux + wy * uy - width / 2
        base = lx * nx + ly * ny - size * (ASCENT + DESCENT) / 2000
        x, y = ux * along + nx * base, uy * along + ny * base
        scale = 100 * width / (len(text) * GLYPH_WIDTH / 1000 * size)
        code = "".join(f"{ord(ch):04x}" for ch in text)
        out.append(f"{FONT_NAME} {_n(size)} Tf {_n(scale)} Tz {_n(ux)} {_n(uy)} {_n(nx)} {_n(ny)} {_n(x)} {_n(y)} Tm "
                   f"<{code}> Tj")
    out.append("ET\n")
    return "\n".join(out).encode("ascii")


def _right_angle(x: float, y: float) -> tuple[int, int]:
    """The axis direction nearest to the vector (x, y).

    >>> _right_angle(0.99, 0.05), _right_angle(-0.1, -2)
    ((1, 0), (0, -1))
    """
    if abs(x) >= abs(y):
        return (1 if x >= 0 else -1), 0
    return 0, (1 if y >= 0 else -1)


def upright(lines: dict[int, Line], matrix: Matrix) -> int:
    """The page's ``/Rotate`` that shows most of its lines running left to right (0, 90, 180 or 270).

    A scan fed sideways is then shown upright, and text extraction, which
    reads lines across the page as shown, reads it in order.

    >>> upright({0: Line((0, 0, 9, 9), (1, 0))}, (0, -1, 0, 1, 0, 0))  # the image's x runs up the page
    90
    """
    a, b, c, d, e, f = matrix
    votes: dict[tuple[int, int], int] = {}
    for line in lines.values():
        dx, dy = line.direction
        way = _right_angle(a * dx + b * dy, d * dx + e * dy)
        votes[way] = votes.get(way, 0) + 1
    way = max(votes, key=votes.__getitem__, default=(1, 0))
    return {(1, 0): 0, (0, 1): 90, (-1, 0): 180, (0, -1): 270}[way]


@dataclass(frozen=True)
class Line:
    """An OCR line: its box (left, top, right, bottom) and the way its text runs, an axis direction."""

    box: tuple[float, float, float, float]
    direction: tuple[int, int]


def line_geometry(words: Sequence[Word]) -> dict[int, Line]:
    """Each OCR line's box, around its words, and the way its words follow each other.

    Tesseract reads a page turned sideways without being turned (its layout
    analysis finds the vertical lines): such a line runs down or up the image.
    A line of one word runs as most lines of the page do.

    >>> line_geometry([Word("a", 10, 5, 4, 10, 0), Word("b", 20, 3, 4, 10, 0)])
    {0: Line(box=(10, 3, 24, 15), direction=(1, 0))}
    >>> line_geometry([Word("a", 5, 40, 10, 30, 0), Word("b", 5, 5, 10, 30, 0), Word("c", 30, 9, 10, 20, 1)])[1]
    Line(box=(30, 9, 40, 29), direction=(0, -1))
    """
    boxes: dict[int, list[Word]] = {}
    for w in words:
        if w.width > 0 and w.height > 0:
            boxes.setdefault(w.line, []).append(w)
    directions: dict[int, tuple[int, int]] = {}
    for number, line in boxes.items():
        if len(line) > 1:
            first, last = line[0], line[-1]
            directions[number] = _right_angle(last.left + last.width / 2 - first.left - first.width / 2,
                                              last.top + last.height / 2 - first.top - first.height / 2)
    usual = max(set(directions.values()), key=list(directions.values()).count, default=(1, 0))
    return {number: Line((min(w.left for w in line), min(w.top for w in line),
                          max(w.left + w.width for w in line), max(w.top + w.height for w in line)),
                         directions.get(number, usual))
            for number, line in boxes.items()}


def _n(value: float) -> str:
    """A number as PDF writes it: short, no exponent.

    >>> _n(2.0), _n(0.333333333), _n(-0.0)
    ('2', '0.3333', '0')
    """
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
