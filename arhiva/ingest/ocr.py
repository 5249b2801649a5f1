"""A thin wrapper around Tesseract, behind a small interface that tests can fake.

One call of :meth:`TesseractEngine.recognize` runs Tesseract once and returns the
text with its mean word confidence (from the TSV output, so one run gives both).
"""

from __future__ import annotations

import csv
import io
import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from PIL import Image

from arhiva.errors import MissingDependencyError, OcrError

log = logging.getLogger(__name__)

#: Seconds one Tesseract run may take before it is killed.
DEFAULT_PAGE_TIMEOUT = 300


@dataclass(frozen=True)
class Recognition:
    """What OCR found on one image: the text and the mean word confidence (0–100)."""

    text: str
    confidence: float
    words: int


class OcrEngine(Protocol):
    """The interface ingest needs from an OCR engine."""

    def recognize(self, image: Image.Image, dpi: int) -> Recognition: ...

    def orientation(self, image: Image.Image, dpi: int) -> int | None:
        """Degrees to turn the image clockwise to make it upright, or None if unsure."""
        ...

    def describe(self) -> dict[str, str]:
        """Name, version and model, for the manifest."""
        ...


class TesseractEngine:
    """Tesseract through pytesseract, one thread per process (``OMP_THREAD_LIMIT=1``).

    Parallelism comes from running one Tesseract per core on different pages:
    measured on a 2-core machine, that is several times faster than letting one
    Tesseract use its own threads.
    """

    def __init__(self, lang: str = "ron", timeout: int = DEFAULT_PAGE_TIMEOUT) -> None:
        self.lang = lang
        self.timeout = timeout
        # Inherited by every Tesseract process that pytesseract starts.
        os.environ["OMP_THREAD_LIMIT"] = "1"

    def check(self) -> None:
        """Raise :class:`MissingDependencyError` unless Tesseract and the model are there."""
        import pytesseract

        try:
            langs = set(pytesseract.get_languages())
        except (pytesseract.TesseractNotFoundError, OSError) as err:
            raise MissingDependencyError(
                "Tesseract is not installed; run scripts/setup.sh "
                "or: apt-get install tesseract-ocr tesseract-ocr-ron tesseract-ocr-osd"
            ) from err
        wanted = set(self.lang.split("+"))
        missing = sorted(wanted - langs)
        if missing:
            packages = " ".join(f"tesseract-ocr-{m}" for m in missing)
            raise MissingDependencyError(
                f"Tesseract has no model for {', '.join(missing)}; install it: apt-get install {packages}"
            )

    def recognize(self, image: Image.Image, dpi: int) -> Recognition:
        import pytesseract

        try:
            with _as_file(image) as path:
                tsv = pytesseract.image_to_data(
                    path, lang=self.lang, config=f"--dpi {int(dpi)}", timeout=self.timeout
                )
        except RuntimeError as err:  # pytesseract's timeout
            raise OcrError(f"Tesseract took longer than {self.timeout} s on the page") from err
        except pytesseract.TesseractError as err:
            raise OcrError(f"Tesseract failed: {err.message.strip() or err.status}") from err
        except pytesseract.TesseractNotFoundError as err:
            raise MissingDependencyError("Tesseract is not installed; run scripts/setup.sh") from err
        return text_from_tsv(tsv)

    def orientation(self, image: Image.Image, dpi: int) -> int | None:
        import pytesseract

        try:
            with _as_file(image) as path:
                osd = pytesseract.image_to_osd(
                    path,
                    config=f"--dpi {int(dpi)}",
                    output_type=pytesseract.Output.DICT,
                    timeout=self.timeout,
                )
        except (pytesseract.TesseractError, RuntimeError) as err:
            # Too little text to tell, most often: not an error of the document.
            log.debug("orientation detection failed: %s", err)
            return None
        if float(osd.get("orientation_conf", 0)) < 1.0:
            return None
        return int(osd.get("rotate", 0)) % 360

    def describe(self) -> dict[str, str]:
        import pytesseract

        try:
            version = str(pytesseract.get_tesseract_version())
        except Exception:  # noqa: BLE001 - the version is information, not a requirement
            version = "unknown"
        return {"engine": "tesseract", "version": version, "lang": self.lang}


@contextmanager
def _as_file(image: Image.Image) -> Iterator[str]:
    """The image as an uncompressed PGM file for Tesseract.

    pytesseract would write a PNG, whose compression costs about a third of
    a second per 150 dpi page: a third of Tesseract's own time.
    """
    with tempfile.NamedTemporaryFile(prefix="arhiva-page-", suffix=".pgm") as handle:
        image.convert("L").save(handle, format="PPM")
        handle.flush()
        yield handle.name


def text_from_tsv(tsv: str) -> Recognition:
    """Rebuild Tesseract's plain text from its TSV output, with the mean confidence.

    Words on one line are joined by a space, lines by a newline, and paragraphs
    and blocks are separated by a blank line, as in Tesseract's own text output.

    >>> tsv = ("level\\tpage_num\\tblock_num\\tpar_num\\tline_num\\tword_num\\tleft\\ttop\\t"
    ...        "width\\theight\\tconf\\ttext\\n"
    ...        "5\\t1\\t1\\t1\\t1\\t1\\t0\\t0\\t9\\t9\\t90\\tȘedința\\n"
    ...        "5\\t1\\t1\\t1\\t1\\t2\\t0\\t0\\t9\\t9\\t80\\tpublică\\n"
    ...        "5\\t1\\t2\\t1\\t1\\t1\\t0\\t0\\t9\\t9\\t70\\tAzi\\n")
    >>> text_from_tsv(tsv)
    Recognition(text='Ședința publică\\n\\nAzi', confidence=80.0, words=3)
    """
    paragraphs: list[list[list[str]]] = []
    last_par = last_line = None
    confidences: list[float] = []
    reader = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        if row.get("level") != "5":
            continue
        word = (row.get("text") or "").strip()
        if not word:
            continue
        par = (row["page_num"], row["block_num"], row["par_num"])
        line = par + (row["line_num"],)
        if par != last_par:
            paragraphs.append([])
            last_par, last_line = par, None
        if line != last_line:
            paragraphs[-1].append([])
            last_line = line
        paragraphs[-1][-1].append(word)
        try:
            conf = float(row["conf"])
        except (TypeError, ValueError):
            conf = -1
        if conf >= 0:
            confidences.append(conf)
    text = "\n\n".join("\n".join(" ".join(words) for words in par) for par in paragraphs)
    mean = round(sum(confidences) / len(confidences), 1) if confidences else 0.0
    return Recognition(text, mean, len(confidences))
