"""Getting text out of files: PDF text layers, OCR of scans, existing OCR text."""

from __future__ import annotations

from arhiva.ingest.extract import DocumentPlan, PageJob, extract_pages, plan_document, run_page_job
from arhiva.ingest.ocr import OcrEngine, Recognition, TesseractEngine
from arhiva.ingest.page import PageText

__all__ = [
    "DocumentPlan",
    "OcrEngine",
    "PageJob",
    "PageText",
    "Recognition",
    "TesseractEngine",
    "extract_pages",
    "plan_document",
    "run_page_job",
]
