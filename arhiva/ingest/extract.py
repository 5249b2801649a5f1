"""From a file to pages of raw text, in two steps so that pages can run in parallel.

:func:`plan_document` reads what is cheap (a PDF's text layer, an image's page
count, a text file) and returns the pages that still need OCR as :class:`PageJob`
values; :func:`run_page_job` OCRs one of them, in any process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from arhiva.errors import InputError, LimitError
from arhiva.ingest import detect, images, pdf, thin_layer
from arhiva.limits import DEFAULT_LIMITS, Limits
from arhiva.ingest.ocr import OcrEngine
from arhiva.ingest.page import PageText, ocr_page
from arhiva.romanian.encoding import decode_bytes

#: The most bytes a character takes in any encoding a text file may be in (UTF-32).
MAX_BYTES_PER_CHAR = 4


@dataclass(frozen=True)
class PageJob:
    """One page to OCR: where its image comes from, and why it is OCRed when that needs saying."""

    path: str
    kind: str  # "pdf" or "image"
    index: int
    dpi: int | None = None
    note: str | None = None  # e.g. why a PDF page's text layer was not used
    layer: str = ""  # a PDF page's thin text layer: its lines are kept where OCR misses them


@dataclass
class DocumentPlan:
    """The pages of a document, read or still to OCR, and what the manifest should say about them."""

    media_type: str
    pages: list[PageText | PageJob]
    encoding: str | None = None
    #: Things about the whole document worth recording (e.g. which PDF reader read it).
    warnings: list[str] = field(default_factory=list)

    @property
    def jobs(self) -> list[tuple[int, PageJob]]:
        return [(i, p) for i, p in enumerate(self.pages) if isinstance(p, PageJob)]


def plan_document(path: Path, limits: Limits = DEFAULT_LIMITS) -> DocumentPlan:
    """Work out the pages of a document; raise :class:`InputError` if it has none we can read.

    A file that would take more than ``limits`` raises :class:`LimitError`.
    """
    media_type = detect.sniff(path)
    if media_type.startswith("unknown:"):
        raise InputError(f"unsupported file type: {media_type.split(':', 1)[1].strip()}")
    if media_type == detect.PDF:
        reading = pdf.read_pages(path, limits)
        pages: list[PageText | PageJob] = []
        for page in reading.pages:
            if page.needs_ocr:
                pages.append(PageJob(str(path), "pdf", page.index, page.dpi, page.note, page.layer))
            else:
                pages.append(PageText(page.text, "text-layer"))
        limits.check_text(sum(len(p.text) for p in pages if isinstance(p, PageText)))
        return DocumentPlan(media_type, pages, warnings=[reading.note] if reading.note else [])
    if detect.is_image(media_type):
        count = images.frame_count(path, limits.pixels)
        return DocumentPlan(media_type, [PageJob(str(path), "image", i) for i in range(count)])
    return _plan_text(path, limits)


def _plan_text(path: Path, limits: Limits) -> DocumentPlan:
    size = path.stat().st_size
    if size > limits.text_chars * MAX_BYTES_PER_CHAR:
        raise LimitError(f"text file too large: {size:,} bytes, more than {limits.text_chars:,} characters "
                         "in any encoding (see --max-text)")
    decoded = decode_bytes(path.read_bytes())
    limits.check_text(len(decoded.text))
    if not decoded.text.strip():
        raise InputError("text file holds no text")
    chunks = decoded.text.replace("\r\n", "\n").replace("\r", "\n").split("\f")
    pages: list[PageText | PageJob] = [PageText(chunk, "text-file") for chunk in chunks]
    return DocumentPlan(detect.TEXT, pages, decoded.encoding, warnings=list(decoded.notes))


def run_page_job(job: PageJob, engine: OcrEngine, limits: Limits = DEFAULT_LIMITS) -> PageText:
    """OCR one page. Safe to run in a worker process.

    A scan of low resolution is enlarged first (:func:`~arhiva.ingest.images.ocr_dpi`); the page
    keeps the scan's own resolution, its layout the one it was read at.
    """
    notes = [job.note] if job.note else []
    if job.kind == "pdf":
        own = job.dpi or pdf.DEFAULT_DPI
        rendered = pdf.render_page(Path(job.path), job.index, images.ocr_dpi(own), limits.pixels)
        image, dpi = rendered.image, rendered.dpi
        notes += [rendered.note] if rendered.note and rendered.dpi < own else []
        own = min(own, dpi)
    else:
        image, own = images.load_frame(Path(job.path), job.index, limits.pixels)
        image, dpi = images.enlarged(image, own, limits.pixels)
    turn = images.exif_turn(Path(job.path), job.index) if job.kind != "pdf" else 0
    page = ocr_page(image, engine, dpi, turn)
    page.dpi = own
    if job.layer:
        page = thin_layer.combine(page, job.layer)
    page.warnings[:0] = notes
    return page


def extract_pages(path: Path, engine: OcrEngine,
                  limits: Limits = DEFAULT_LIMITS) -> tuple[DocumentPlan, list[PageText]]:
    """Plan and OCR a document serially, in this process."""
    plan = plan_document(path, limits)
    pages = [p if isinstance(p, PageText) else run_page_job(p, engine, limits) for p in plan.pages]
    return plan, pages
