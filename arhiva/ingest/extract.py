"""From a file to pages of raw text, in two steps so that pages can run in parallel.

:func:`plan_document` reads what is cheap (a PDF's text layer, an image's page
count, a text file) and returns the pages that still need OCR as :class:`PageJob`
values; :func:`run_page_job` OCRs one of them, in any process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from arhiva.errors import InputError
from arhiva.ingest import detect, images, pdf
from arhiva.ingest.ocr import OcrEngine
from arhiva.ingest.page import PageText, ocr_page
from arhiva.romanian.encoding import decode_bytes

#: Text files larger than this are not OCR output of a communiqué.
MAX_TEXT_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class PageJob:
    """One page to OCR: where its image comes from."""

    path: str
    kind: str  # "pdf" or "image"
    index: int
    dpi: int | None = None


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


def plan_document(path: Path) -> DocumentPlan:
    """Work out the pages of a document; raise :class:`InputError` if it has none we can read."""
    media_type = detect.sniff(path)
    if media_type.startswith("unknown:"):
        raise InputError(f"unsupported file type: {media_type.split(':', 1)[1].strip()}")
    if media_type == detect.PDF:
        reading = pdf.read_pages(path)
        pages: list[PageText | PageJob] = []
        for page in reading.pages:
            if page.needs_ocr:
                pages.append(PageJob(str(path), "pdf", page.index, page.dpi))
            else:
                pages.append(PageText(page.text, "text-layer"))
        return DocumentPlan(media_type, pages, warnings=[reading.note] if reading.note else [])
    if detect.is_image(media_type):
        count = images.frame_count(path)
        return DocumentPlan(media_type, [PageJob(str(path), "image", i) for i in range(count)])
    return _plan_text(path)


def _plan_text(path: Path) -> DocumentPlan:
    if path.stat().st_size > MAX_TEXT_BYTES:
        raise InputError(f"text file larger than {MAX_TEXT_BYTES // 2**20} MiB")
    decoded = decode_bytes(path.read_bytes())
    if not decoded.text.strip():
        raise InputError("text file holds no text")
    chunks = decoded.text.replace("\r\n", "\n").replace("\r", "\n").split("\f")
    pages: list[PageText | PageJob] = [PageText(chunk, "text-file") for chunk in chunks]
    return DocumentPlan(detect.TEXT, pages, decoded.encoding)


def run_page_job(job: PageJob, engine: OcrEngine) -> PageText:
    """OCR one page. Safe to run in a worker process."""
    if job.kind == "pdf":
        dpi = job.dpi or pdf.DEFAULT_DPI
        image = pdf.render_page(Path(job.path), job.index, dpi)
    else:
        image, dpi = images.load_frame(Path(job.path), job.index)
    return ocr_page(image, engine, dpi)


def extract_pages(path: Path, engine: OcrEngine) -> tuple[DocumentPlan, list[PageText]]:
    """Plan and OCR a document serially, in this process."""
    plan = plan_document(path)
    pages = [p if isinstance(p, PageText) else run_page_job(p, engine) for p in plan.pages]
    return plan, pages
