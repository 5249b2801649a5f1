"""A scanned page under a thin text layer: OCRed, and the layer's lines kept.

Town halls' PDFs often draw a few lines of digital text over a full-page scan:
an electronic registry's stamp (``Nr. înregistrare 1234 / 12.05.2021``), a
digital signature's caption, a header a web site added. Such a layer is real
text and reads as Romanian, but it is not the page: the scan's content is
only read by OCR. Two steps decide such a page, one before OCR and one after:

- before: the page's images cover at least :data:`MIN_SCAN_COVER` of it and
  its layer holds fewer than :data:`MAX_THIN_LETTERS` letters
  (:func:`is_thin_layer`): the page is OCRed;
- after: OCR must read at least :data:`MIN_OCR_GAIN` times the layer's letters,
  else the image held no more text than the layer (a picture under a title)
  and the layer is the page's text (:func:`combine`).

Nothing of the layer is lost: a layer line OCR read with errors is put back as
the layer has it, and one OCR did not read is added at the end of the page.
Measured on 273 real PDFs (2,091 pages; docs/reliability.md): the pages
switched are the image pages of born-digital annexes (images covering 62-66%
of the page under 51-62 letters; OCR reads 4.5-6.8 times more); born-digital
pages with logos, charts or screenshots have images covering 55% of the page
or less and stay text-layer pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import SequenceMatcher

import numpy as np

from arhiva.ingest.page import PageText, line_key, lines_said

#: Images covering at least this share of a page make it a scan (an A4 page
#: inside 2.5 cm margins is 0.66 of it; logos, charts and screenshots of
#: born-digital pages measured 0.55 at most).
MIN_SCAN_COVER = 0.6
#: A layer with fewer letters over such a page is thin: a stamp, a caption, a
#: header (measured 51-62 letters; a born-digital page of text holds about 620
#: or more in nine cases of ten, about 1,600 in the median).
MAX_THIN_LETTERS = 400
#: OCR must read this many times the layer's letters for its text to be used
#: (measured: 4.5-6.8 over scans or images of text, 1.0 over a picture).
MIN_OCR_GAIN = 2.0
#: A layer with fewer letters is never a page's text (``arhiva.ingest.pdf.MIN_LETTERS``): its lines are only added.
MIN_LAYER_LETTERS = 20
#: A layer line and an OCR line this similar (letters and digits, case and
#: diacritics ignored) are the same line read twice.
SAME_LINE = 0.8
#: The grid on which the images' union is measured, in cells a side.
_GRID = 200

Box = tuple[float, float, float, float]


def image_cover(boxes: Iterable[Box], page: Box) -> float:
    """The share of ``page`` that the union of ``boxes`` covers; each box is (x0, y0, x1, y1), any way round.

    >>> image_cover([(0, 0, 50, 100), (25, 0, 75, 100)], (0, 0, 100, 100))
    0.75
    >>> image_cover([(-10, -10, 200, 200)], (0, 0, 100, 100))
    1.0
    >>> image_cover([], (0, 0, 595, 842))
    0.0
    """
    left, bottom, right, top = min(page[0], page[2]), min(page[1], page[3]), max(page[0], page[2]), max(page[1], page[3])
    width, height = right - left, top - bottom
    if width <= 0 or height <= 0:
        return 0.0
    covered = np.zeros((_GRID, _GRID), dtype=bool)
    for x0, y0, x1, y1 in boxes:
        x0, x1 = sorted((x0, x1))
        y0, y1 = sorted((y0, y1))
        cols = _cells(x0 - left, x1 - left, width)
        rows = _cells(y0 - bottom, y1 - bottom, height)
        if cols and rows:
            covered[rows[0]:rows[1], cols[0]:cols[1]] = True
    return round(float(covered.mean()), 4)


def _cells(start: float, end: float, size: float) -> tuple[int, int] | None:
    first = max(0, min(_GRID, round(start / size * _GRID)))
    last = max(0, min(_GRID, round(end / size * _GRID)))
    return (first, last) if last > first else None


def letters(text: str) -> int:
    """
    >>> letters("Nr. 1234 / 12.05.2021")
    2
    """
    return sum(ch.isalpha() for ch in text)


def is_thin_layer(text: str, cover: float) -> bool:
    """Whether a usable layer of ``text`` over images covering ``cover`` of the page is only a scan's stamp or caption.

    >>> is_thin_layer("Nr. înregistrare 1234 / 12.05.2021, semnat electronic", 0.98)
    True
    >>> is_thin_layer("Nr. înregistrare 1234 / 12.05.2021, semnat electronic", 0.12)  # a logo
    False
    """
    return cover >= MIN_SCAN_COVER and letters(text) < MAX_THIN_LETTERS


def kept_lines(layer: str) -> list[str]:
    """The lines of a layer worth keeping: those with a letter or a digit.

    >>> kept_lines("Nr. 1234\\n  \\n...\\nsemnat electronic ")
    ['Nr. 1234', 'semnat electronic']
    """
    return [line.strip() for line in layer.splitlines() if any(ch.isalnum() for ch in line)]


def combine(page: PageText, layer: str) -> PageText:
    """The text of an OCRed page with what its text layer says: the layer's lines are never lost.

    When OCR read fewer than :data:`MIN_OCR_GAIN` times the letters of a
    layer of :data:`MIN_LAYER_LETTERS` or more, the layer is the page's text. Otherwise the OCR text is used, each of its
    lines that is a layer line read with errors is put back as the layer has
    it, and each layer line OCR did not read is added at the end; the page's
    warnings say how many.
    """
    lines = kept_lines(layer)
    if not lines:
        return page
    ours, theirs = letters("\n".join(lines)), letters(page.text)
    if ours >= MIN_LAYER_LETTERS and theirs < MIN_OCR_GAIN * ours:
        return PageText("\n".join(lines), "text-layer", warnings=[
            f"OCR read {theirs} letters, not {MIN_OCR_GAIN:g} times the {ours} of the text layer: "
            "the text layer is the page's text"])
    text, fixed, added = merge_lines(page.text, lines)
    page.text = text
    if fixed:
        page.warnings.append(f"{lines_said(fixed)} read by OCR taken as the text layer has {'it' if fixed == 1 else 'them'}")
    if added:
        page.warnings.append(f"{lines_said(added)} of the text layer that OCR did not read added at the end of the page")
    return page


def merge_lines(ocr: str, layer_lines: list[str]) -> tuple[str, int, int]:
    """``ocr`` with each of ``layer_lines`` in it: the text, the OCR lines replaced, the layer lines added.

    >>> merge_lines("Nr. înreg1strare 1234 / 12.05.2O21\\nCONSILIUL LOCAL", ["Nr. înregistrare 1234 / 12.05.2021"])
    ('Nr. înregistrare 1234 / 12.05.2021\\nCONSILIUL LOCAL', 1, 0)
    >>> merge_lines("CONSILIUL LOCAL\\nHOTĂRÂRE", ["Semnat electronic de Ion Pop"])
    ('CONSILIUL LOCAL\\nHOTĂRÂRE\\nSemnat electronic de Ion Pop', 0, 1)
    >>> merge_lines("Primăria Nr. 1234 din 12.05.2021", ["Nr. 1234 din 12.05.2021"])
    ('Primăria Nr. 1234 din 12.05.2021', 0, 0)
    """
    out = ocr.split("\n")
    keys = [line_key(line) for line in out]
    fixed = added = 0
    missing: list[str] = []
    for line in layer_lines:
        key = line_key(line)
        if not key or key in " ".join(keys):  # read right, if across lines
            continue
        best, score = -1, 0.0
        for i, other in enumerate(keys):
            if other and (ratio := SequenceMatcher(None, key, other, autojunk=False).ratio()) > score:
                best, score = i, ratio
        if score >= SAME_LINE:
            out[best], keys[best] = line, key
            fixed += 1
        else:
            missing.append(line)
            added += 1
    text = "\n".join(out)
    if missing:
        text = text.rstrip("\n") + "\n" + "\n".join(missing) if text.strip() else "\n".join(missing)
    return text, fixed, added
