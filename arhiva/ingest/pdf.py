"""PDF pages: the text layer through pdfplumber, or a page image for OCR.

A page whose text layer is good enough keeps it; any other page is rendered
at the resolution of its own scanned image (300 dpi when unknown) and OCRed.
Rendering at the scan's own resolution matters: up-sampling a 150 dpi scan to
300 dpi makes Tesseract about three times slower for nothing.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from arhiva.errors import InputError

log = logging.getLogger(__name__)

DEFAULT_DPI = 300
MIN_DPI, MAX_DPI = 70, 600
#: A page needs at least this many letters in its text layer to be trusted.
MIN_LETTERS = 20

_CID = re.compile(r"\(cid:\d+\)")


@dataclass(frozen=True)
class PdfPage:
    """What the text layer says about one page, and how to OCR it if needed."""

    index: int
    text: str
    needs_ocr: bool
    dpi: int


def text_layer_is_usable(text: str) -> bool:
    """Decide whether a page's text layer can be used instead of OCR.

    The one place this is decided. A layer is usable when it has enough letters
    and is mostly made of words, not of unmapped glyphs (``(cid:12)``) or debris.

    >>> text_layer_is_usable("Consiliul Local a aprobat bugetul pe anul 2021.")
    True
    >>> text_layer_is_usable("(cid:3)(cid:4)(cid:5) (cid:6)(cid:7)" * 5)
    False
    >>> text_layer_is_usable("  12  ")
    False
    """
    if len(_CID.findall(text)) * 4 > max(len(text), 1) * 0.1:
        return False
    letters = sum(ch.isalpha() for ch in text)
    if letters < MIN_LETTERS:
        return False
    visible = sum(not ch.isspace() for ch in text)
    if letters / visible < 0.5:
        return False
    tokens = text.split()
    wordlike = sum(1 for t in tokens if any(c.isalpha() for c in t) and len(t) <= 30)
    return wordlike / len(tokens) >= 0.6


def read_pages(path: Path) -> list[PdfPage]:
    """Read every page's text layer and scan resolution."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(path)
    except Exception as err:  # noqa: BLE001 - pdfminer raises many kinds
        raise InputError(_describe_open_error(err)) from err
    pages: list[PdfPage] = []
    with pdf:
        try:
            for index, page in enumerate(pdf.pages):
                text = page.extract_text() or ""
                images = page.images
                dpi = _scan_dpi(images, page.width)
                usable = text_layer_is_usable(text)
                pages.append(PdfPage(index, text if usable else "", not usable, dpi))
        except InputError:
            raise
        except Exception as err:  # noqa: BLE001
            raise InputError(f"damaged PDF (page {len(pages) + 1}): {_first_line(err)}") from err
    if not pages:
        raise InputError("PDF has no pages")
    return pages


def render_page(path: Path, index: int, dpi: int) -> Image.Image:
    """Render one page to a grayscale image at ``dpi`` with pdfium."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
        try:
            page = document[index]
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            image = bitmap.to_pil()
            image.load()
            return image
        finally:
            document.close()
    except pdfium.PdfiumError as err:
        raise InputError(f"cannot render PDF page {index + 1}: {err}") from err


def _scan_dpi(images: list[dict], page_width: float) -> int:
    """The resolution of the largest image on the page, as placed on it."""
    best = 0.0
    for image in images:
        src_width = (image.get("srcsize") or (0, 0))[0]
        shown_width = float(image.get("width") or 0)
        if src_width and shown_width > 0.3 * float(page_width):
            best = max(best, src_width / (shown_width / 72))
    if not best:
        return DEFAULT_DPI
    return int(min(MAX_DPI, max(MIN_DPI, round(best))))


def _describe_open_error(err: Exception) -> str:
    # pdfplumber wraps pdfminer's exceptions: look at the wrapped one too.
    inner = err.args[0] if err.args and isinstance(err.args[0], Exception) else err
    name = type(inner).__name__
    text = f"{name} {inner}".lower()
    if "password" in text or "encrypt" in text:
        return "encrypted PDF: it needs a password (decrypt it first, e.g. with qpdf --decrypt)"
    return f"damaged or not a PDF: {_first_line(inner)}"


def _first_line(err: Exception) -> str:
    if err.args and isinstance(err.args[0], Exception):
        err = err.args[0]
    text = str(err).strip().splitlines()
    return f"{type(err).__name__}: {text[0][:200]}" if text else type(err).__name__
