"""Searchable PDF/A copies of scanned documents: the page images as they are, the repaired text behind them."""

from __future__ import annotations

from collections.abc import Sequence

from arhiva.pdfa.build import PDF, CopyError, build_copy

#: Page methods of a document that gets a copy: every page a scan (OCRed, or unreadable).
SCANNED = frozenset({"ocr", "failed"})


def wants_copy(media_type: str, methods: Sequence[str]) -> bool:
    """Whether a document gets a searchable copy: a scanned PDF or an image, every page of it OCRed.

    A PDF with a page of its own usable text (born digital, or mixed) keeps
    that text and gets none; nor does a text file.

    >>> wants_copy("image/png", ["ocr"]), wants_copy("application/pdf", ["ocr", "text-layer"])
    (True, False)
    >>> wants_copy("text/plain", ["text-file"]), wants_copy("application/pdf", ["failed"])
    (False, False)
    """
    scanned = media_type == PDF or media_type.startswith("image/")
    return scanned and "ocr" in methods and all(m in SCANNED for m in methods)


__all__ = ["CopyError", "build_copy", "wants_copy"]
