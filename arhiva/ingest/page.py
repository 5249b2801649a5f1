"""OCR of one page image: deskew, recognise, and turn the page when it is not upright."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from arhiva.ingest.ocr import OcrEngine, Recognition

#: Below this mean word confidence, the page may be sideways or upside down:
#: ask Tesseract's orientation detection and try again turned.
RETRY_CONFIDENCE = 70.0
#: Skews smaller than this (degrees) are left alone; Tesseract copes with them.
MIN_SKEW = 0.3
MAX_SKEW = 6.0


@dataclass
class PageText:
    """The text of one page and how it was obtained, for the manifest."""

    text: str
    method: str  # "ocr", "text-layer", "text-file" or "empty"
    confidence: float | None = None
    dpi: int | None = None
    rotation: int = 0
    skew: float = 0.0
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        data: dict = {"method": self.method}
        if self.confidence is not None:
            data["confidence"] = self.confidence
        if self.dpi:
            data["dpi"] = self.dpi
        if self.method == "ocr":
            data["rotation"] = self.rotation
            data["skew"] = self.skew
        if self.warnings:
            data["warnings"] = list(self.warnings)
        return data


def ocr_page(image: Image.Image, engine: OcrEngine, dpi: int) -> PageText:
    """Recognise the text of a page scan, whatever way up it was scanned."""
    gray = image.convert("L")
    best, skew = _recognize_straightened(gray, engine, dpi)
    rotation = 0
    if best.confidence < RETRY_CONFIDENCE:
        turn = engine.orientation(gray, dpi)
        if turn:
            turned = gray.rotate(-turn, expand=True, fillcolor=255)
            candidate, turned_skew = _recognize_straightened(turned, engine, dpi)
            if candidate.confidence > best.confidence:
                best, skew, rotation = candidate, turned_skew, turn
    page = PageText(best.text, "ocr", best.confidence, dpi, rotation, skew)
    if not best.text.strip():
        page.warnings.append("no text recognised on this page")
    return page


def _recognize_straightened(gray: Image.Image, engine: OcrEngine, dpi: int) -> tuple[Recognition, float]:
    skew = estimate_skew(gray)
    if abs(skew) >= MIN_SKEW:
        gray = gray.rotate(skew, expand=True, fillcolor=255, resample=Image.Resampling.BILINEAR)
    return engine.recognize(gray, dpi), skew


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
