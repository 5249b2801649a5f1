"""PDF pages: the text layer, or a page image for OCR.

A page whose text layer is good enough keeps it; any other page is rendered
at the resolution of its own scanned image (300 dpi when unknown) and OCRed.
Rendering at the scan's own resolution matters: up-sampling a 150 dpi scan to
300 dpi makes Tesseract about three times slower for nothing.

Two readers: pdfplumber (pdfminer) for the text layer, and pdfium (Chrome's
PDF engine) to render. pdfminer is stricter than a viewer: a damaged
cross-reference table, or a page tree without ``/Type`` entries, makes it fail
or see fewer pages than there are. pdfium repairs such files as viewers do, so
when it sees more pages than pdfplumber, pdfium reads the whole document, text
layer included, and the reading says why.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from arhiva.errors import InputError

log = logging.getLogger(__name__)

DEFAULT_DPI = 300
MIN_DPI, MAX_DPI = 70, 600
#: A page needs at least this many letters in its text layer to be trusted.
MIN_LETTERS = 20
#: Images narrower than this share of the page (logos, stamps) do not tell a scan's resolution.
MIN_IMAGE_SHARE = 0.3

_CID = re.compile(r"\(cid:\d+\)")
ENCRYPTED = "encrypted PDF: it needs a password (decrypt it first, e.g. with qpdf --decrypt)"


@dataclass(frozen=True)
class PdfPage:
    """What the text layer says about one page, and how to OCR it if needed."""

    index: int
    text: str
    needs_ocr: bool
    dpi: int


@dataclass(frozen=True)
class PdfReading:
    """The pages of a PDF, the reader that found them, and why it was not pdfplumber."""

    pages: list[PdfPage]
    reader: str  # "pdfplumber" or "pdfium"
    note: str | None = None


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


def read_pages(path: Path) -> PdfReading:
    """Read every page's text layer and scan resolution, with the reader that sees the most pages.

    pdfplumber is used when it sees every page pdfium sees; otherwise pdfium.
    Raise :class:`InputError` with a one-line reason when no reader finds a page.
    """
    try:
        count = pdfium_page_count(path)
    except InputError:
        count = 0  # pdfplumber's reason for refusing the file is the one given
    try:
        pages, plumber_error = _read_with_pdfplumber(path), None
    except InputError as err:
        pages, plumber_error = [], err
    if pages and len(pages) >= count:
        return PdfReading(pages, "pdfplumber")
    if count:
        why = (f"pdfplumber could not read the file ({plumber_error})" if plumber_error
               else f"pdfplumber found {len(pages)} of the {count} pages")
        log.info("%s: read with pdfium: %s", path, why)
        return PdfReading(_read_with_pdfium(path), "pdfium", f"read with pdfium: {why}")
    raise plumber_error or InputError("PDF has no pages")


def pdfium_page_count(path: Path) -> int:
    """The number of pages pdfium finds (0 for a PDF without any)."""
    document = _open_pdfium(path)
    try:
        return len(document)
    finally:
        document.close()


def render_page(path: Path, index: int, dpi: int) -> Image.Image:
    """Render one page to a grayscale image at ``dpi`` with pdfium."""
    import pypdfium2 as pdfium

    document = _open_pdfium(path)
    try:
        page = document[index]
        bitmap = page.render(scale=dpi / 72, grayscale=True)
        image = bitmap.to_pil()
        image.load()
        return image
    except (pdfium.PdfiumError, IndexError) as err:
        raise InputError(f"cannot render PDF page {index + 1}: {err}") from err
    finally:
        document.close()


def scan_dpi(images: Iterable[tuple[float, float]], page_width: float) -> int:
    """The resolution of a scanned page: the highest among its wide images, as placed on it.

    ``images`` are (width in pixels, width on the page in points) pairs; images
    narrower than 30% of the page (a logo, a stamp) are left out.

    >>> scan_dpi([(1240, 595.2), (100, 40)], 595.0)
    150
    >>> scan_dpi([(100, 40)], 595.0)
    300
    """
    best = 0.0
    for pixels, shown in images:
        if pixels and shown > MIN_IMAGE_SHARE * page_width:
            best = max(best, pixels / (shown / 72))
    if not best:
        return DEFAULT_DPI
    return int(min(MAX_DPI, max(MIN_DPI, round(best))))


def pdfium_text(raw: str) -> str:
    """pdfium's page text written as pdfplumber writes it.

    pdfium ends lines with CR LF, often after a space, and marks a hyphen that
    ends a line with U+0002 and drops the line break after it: lines end with a
    bare LF, and the hyphen and its line break are put back.

    >>> pdfium_text("cu modifi\\x02cările \\r\\nulterioare")
    'cu modifi-\\ncările\\nulterioare'
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\x02", "-\n").replace("\ufffe", "-\n")
    return "\n".join(line.rstrip() for line in text.replace("\x00", "").split("\n"))


def _page(index: int, text: str, dpi: int) -> PdfPage:
    usable = text_layer_is_usable(text)
    return PdfPage(index, text if usable else "", not usable, dpi)


def _read_with_pdfplumber(path: Path) -> list[PdfPage]:
    import pdfplumber

    try:
        pdf = pdfplumber.open(path)
    except Exception as err:  # noqa: BLE001 - pdfminer raises many kinds
        raise InputError(_describe_open_error(err)) from err
    pages: list[PdfPage] = []
    try:
        for index, page in enumerate(pdf.pages):
            text = page.extract_text() or ""
            images = [((image.get("srcsize") or (0, 0))[0], float(image.get("width") or 0))
                      for image in page.images]
            pages.append(_page(index, text, scan_dpi(images, float(page.width))))
    except Exception as err:  # noqa: BLE001
        raise InputError(f"damaged PDF (page {len(pages) + 1}): {_first_line(err)}") from err
    finally:
        _close_quietly(pdf)
    return pages


def _close_quietly(pdf) -> None:
    """Close a pdfplumber PDF; its ``close`` reads the pages again and fails as they did."""
    try:
        pdf.close()
    except Exception:  # noqa: BLE001
        if not pdf.stream_is_external:
            pdf.stream.close()


def _read_with_pdfium(path: Path) -> list[PdfPage]:
    import pypdfium2.raw as pdfium_c

    document = _open_pdfium(path)
    pages: list[PdfPage] = []
    try:
        for index in range(len(document)):
            page = document[index]
            text = pdfium_text(page.get_textpage().get_text_bounded())
            left, _, right, _ = page.get_mediabox()
            # An image is drawn on the unit square: its matrix's first column is its shown width.
            images = [(image.get_px_size()[0], math.hypot(*image.get_matrix().get()[:2]))
                      for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])]
            pages.append(_page(index, text, scan_dpi(images, right - left)))
    except Exception as err:  # noqa: BLE001 - a damaged page may fail in many ways
        raise InputError(f"damaged PDF (page {len(pages) + 1}): {_first_line(err)}") from err
    finally:
        document.close()
    return pages


def _open_pdfium(path: Path):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as err:
        if "password" in str(err).lower():
            raise InputError(ENCRYPTED) from err
        raise InputError(f"damaged or not a PDF: {_first_line(err)}") from err
    except OSError as err:
        raise InputError(f"cannot read: {(err.strerror or str(err)).lower()}") from err


def _describe_open_error(err: Exception) -> str:
    # pdfplumber wraps pdfminer's exceptions: look at the wrapped one too.
    inner = err.args[0] if err.args and isinstance(err.args[0], Exception) else err
    name = type(inner).__name__
    text = f"{name} {inner}".lower()
    if "password" in text or "encrypt" in text:
        return ENCRYPTED
    return f"damaged or not a PDF: {_first_line(inner)}"


def _first_line(err: Exception) -> str:
    if err.args and isinstance(err.args[0], Exception):
        err = err.args[0]
    text = str(err).strip().splitlines()
    return f"{type(err).__name__}: {text[0][:200]}" if text else type(err).__name__
