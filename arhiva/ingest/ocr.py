"""A thin wrapper around Tesseract, behind a small interface that tests can fake.

One call of :meth:`TesseractEngine.recognize` runs Tesseract once and returns the
text with its mean word confidence (from the TSV output, so one run gives both).
A run that fails says how: out of time, out of memory, killed, or Tesseract's
own message; never one for the other.
"""

from __future__ import annotations

import csv
import errno
import io
import logging
import os
import resource
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol

from PIL import Image

from arhiva.errors import OcrError
from arhiva.ingest.tesseract_install import missing_models, missing_tesseract
from arhiva.limits import child_memory, die_with_parent, memory_limit

log = logging.getLogger(__name__)

#: Seconds one Tesseract run may take before it is killed.
DEFAULT_PAGE_TIMEOUT = 300
#: The Tesseract program.
TESSERACT = "tesseract"


@dataclass(frozen=True)
class Word:
    """One word Tesseract read, with its box in the image's pixels and the line it is on."""

    text: str
    left: int
    top: int
    width: int
    height: int
    line: int  # counts the lines of the image from 0, in Tesseract's reading order
    conf: float = -1.0  # Tesseract's confidence in the word, 0–100 (-1: not known)


@dataclass(frozen=True)
class Recognition:
    """What OCR found on one image: the text, the mean word confidence (0–100), and each word's box.

    ``boxes`` holds the words of ``text`` in order (the searchable PDF copy puts
    the repaired text over them); an engine that cannot tell leaves it empty.
    """

    text: str
    confidence: float
    words: int
    boxes: tuple[Word, ...] = field(default=(), repr=False)


class OcrEngine(Protocol):
    """The interface ingest needs from an OCR engine."""

    def recognize(self, image: Image.Image, dpi: int) -> Recognition: ...

    # An engine may also have ``binarizations``, the names of other ways it can tell ink from paper,
    # and take one as ``recognize(image, dpi, binarization=name)`` (see ``arhiva.ingest.page.ocr_page``).

    def orientation(self, image: Image.Image, dpi: int) -> int | None:
        """Degrees to turn the image clockwise to make it upright, or None if unsure."""
        ...

    def describe(self) -> dict[str, str]:
        """Name, version and model, for the manifest."""
        ...


class TesseractEngine:
    """Tesseract, run as a program once per page, one thread per process (``OMP_THREAD_LIMIT=1``).

    Parallelism comes from running one Tesseract per core on different pages:
    measured on a 2-core machine, that is several times faster than letting one
    Tesseract use its own threads. Each run is killed after ``timeout`` seconds,
    gets at most ``memory_limit`` bytes (by default, the memory limit of the
    calling process: a worker's) less what the calling process holds, and dies
    with the process that started it.
    """

    #: Tesseract's other ways to tell ink from paper (``thresholding_method``; its default is
    #: Otsu's global threshold): Leptonica's Otsu by tiles, and Sauvola's local threshold.
    binarizations = ("leptonica-otsu", "sauvola")
    _THRESHOLDING = {"otsu": 0, "leptonica-otsu": 1, "sauvola": 2}

    def __init__(self, lang: str = "ron", timeout: int = DEFAULT_PAGE_TIMEOUT, memory_limit: int | None = None) -> None:
        self.lang = lang
        self.timeout = timeout
        self.memory_limit = memory_limit
        # Inherited by every Tesseract process started from here or from a worker.
        os.environ["OMP_THREAD_LIMIT"] = "1"

    def check(self) -> None:
        """Raise :class:`MissingDependencyError` unless Tesseract and the model are there."""
        import pytesseract

        try:
            langs = set(pytesseract.get_languages())
        except (pytesseract.TesseractNotFoundError, OSError) as err:
            raise missing_tesseract(self.lang) from err
        missing = sorted(set(self.lang.split("+")) - langs)
        if missing:
            raise missing_models(missing)

    def recognize(self, image: Image.Image, dpi: int, binarization: str = "otsu") -> Recognition:
        if is_blank(image):  # nothing to read: Tesseract would take seconds to say so
            return Recognition("", 0.0, 0)
        config = [] if binarization == "otsu" else ["-c", f"thresholding_method={self._THRESHOLDING[binarization]}"]
        with _as_file(image) as path:
            tsv = self._run([path, "stdout", "-l", self.lang, "--dpi", str(int(dpi)), *config, "tsv"])
        return text_from_tsv(tsv)

    def orientation(self, image: Image.Image, dpi: int) -> int | None:
        if is_blank(image):
            return None
        try:
            with _as_file(image) as path:
                osd = self._run([path, "stdout", "-l", "osd", "--psm", "0", "--dpi", str(int(dpi))])
        except OcrError as err:
            # Too little text to tell, most often: not an error of the document.
            log.debug("orientation detection failed: %s", err)
            return None
        fields = dict(line.split(": ", 1) for line in osd.splitlines() if ": " in line)
        try:
            if float(fields.get("Orientation confidence", 0)) < 1.0:
                return None
            return int(fields.get("Rotate", 0)) % 360
        except ValueError:
            return None

    def describe(self) -> dict[str, str]:
        import pytesseract

        try:
            version = str(pytesseract.get_tesseract_version())
        except Exception:  # noqa: BLE001 - the version is information, not a requirement
            version = "unknown"
        return {"engine": "tesseract", "version": version, "lang": self.lang}

    def _run(self, args: list[str]) -> str:
        """Run Tesseract with ``args``; its standard output, or :class:`OcrError` saying what went wrong."""
        limit = self.memory_limit or memory_limit()
        child_limit = child_memory(limit) if limit else None

        def in_child() -> None:
            die_with_parent()
            if child_limit:
                resource.setrlimit(resource.RLIMIT_AS, (child_limit, resource.getrlimit(resource.RLIMIT_AS)[1]))

        try:
            done = subprocess.run([TESSERACT, *args], capture_output=True, timeout=self.timeout, preexec_fn=in_child)
        except subprocess.TimeoutExpired as err:
            raise OcrError(f"Tesseract took longer than {self.timeout} s on the page (see --page-timeout)") from err
        except FileNotFoundError as err:
            raise missing_tesseract(self.lang) from err
        except OSError as err:  # no memory or processes left to start it
            raise OcrError(f"could not start Tesseract: {(err.strerror or str(err)).lower()}") from err
        if done.returncode:
            raise OcrError(tesseract_failure(done.returncode, done.stderr.decode("utf-8", "replace"), limit))
        return done.stdout.decode("utf-8", "replace")


#: A page whose darkest and lightest pixels differ by less than this (of 255) holds no ink at all.
BLANK_CONTRAST = 16


def is_blank(image: Image.Image) -> bool:
    """Whether a page image is one flat tone: no ink that OCR could read.

    Tesseract takes one to four seconds on a blank A4 page at 300 dpi (with
    the orientation check that a page without text gets), so a PDF of
    hundreds of empty pages would hold a batch for hours. The faintest real
    text differs from its paper by far more than :data:`BLANK_CONTRAST` levels.

    >>> is_blank(Image.new("L", (100, 100), 250)), is_blank(Image.new("RGB", (10, 10), (0, 0, 0)))
    (True, True)
    >>> page = Image.new("L", (100, 100), 230); page.putpixel((5, 5), 200); is_blank(page)
    False
    """
    low, high = image.convert("L").getextrema() if image.mode != "L" else image.getextrema()
    return high - low < BLANK_CONTRAST


def tesseract_failure(status: int, stderr: str, memory_limit: int | None = None) -> str:
    """A one-line reason for a Tesseract run that ended with ``status``, from what it printed.

    >>> tesseract_failure(1, "Warning. Invalid resolution 0 dpi.\\nError in pixReadStream: Unknown format\\n"
    ...                      "Image file x.pgm cannot be read!\\nError during processing.\\n")
    'Tesseract failed (exit status 1): Image file x.pgm cannot be read!'
    >>> tesseract_failure(-6, "terminate called after throwing an instance of 'std::bad_alloc'", 2**30)
    'Tesseract ran out of memory on the page (limit 1024 MB; see --max-memory)'
    >>> tesseract_failure(-9, "")
    'Tesseract was killed by signal SIGKILL'
    """
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    if any(sign in line for line in lines for sign in _OUT_OF_MEMORY):
        limit = f" (limit {memory_limit // 2**20} MB; see --max-memory)" if memory_limit else ""
        return f"Tesseract ran out of memory on the page{limit}"
    if status < 0:
        try:
            name = signal.Signals(-status).name
        except ValueError:
            name = str(-status)
        return f"Tesseract was killed by signal {name}"
    told = [line for line in lines if not line.startswith(("Warning", "Error during processing", "Estimating"))]
    detail = (told or lines or ["no message"])[-1][:200]
    return f"Tesseract failed (exit status {status}): {detail}"


_OUT_OF_MEMORY = ("bad_alloc", "Out of memory", "out of memory", "Cannot allocate memory")


@contextmanager
def _as_file(image: Image.Image) -> Iterator[str]:
    """The image as an uncompressed PGM file for Tesseract, removed afterwards.

    Writing a PNG would compress it, which costs about a third of a second per
    150 dpi page: a third of Tesseract's own time.
    """
    with _write_page_file(image) as handle:
        yield handle.name


def _write_page_file(image: Image.Image):
    """A temporary file holding the image; a full or read-only temporary folder is reported as such."""
    folder = tempfile.gettempdir()
    try:
        handle = tempfile.NamedTemporaryFile(prefix="arhiva-page-", suffix=".pgm")
    except OSError as err:
        raise OcrError(_temp_problem(err, folder)) from err
    try:
        (image if image.mode == "L" else image.convert("L")).save(handle, format="PPM")  # no copy of a gray page
        handle.flush()
    except OSError as err:
        try:
            handle.close()  # flushing what is left fails the same way
        except OSError:
            pass
        raise OcrError(_temp_problem(err, folder)) from err
    return handle


def _temp_problem(err: OSError, folder: str) -> str:
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"disk full: no room for the page image in {folder} (free space there, or set TMPDIR to another disk)"
    if err.errno == errno.EROFS:
        return f"read-only disk: cannot write the page image in {folder} (set TMPDIR to a writable folder)"
    return f"cannot write the page image in {folder}: {(err.strerror or str(err)).lower()}"


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
    >>> [(w.text, w.line) for w in text_from_tsv(tsv).boxes]
    [('Ședința', 0), ('publică', 0), ('Azi', 1)]
    """
    paragraphs: list[list[list[str]]] = []
    last_par = last_line = None
    confidences: list[float] = []
    boxes: list[Word] = []
    lines_seen = 0
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
            lines_seen += 1
        paragraphs[-1][-1].append(word)
        try:
            conf = float(row["conf"])
        except (TypeError, ValueError):
            conf = -1
        boxes.append(_word(word, row, lines_seen - 1, conf))
        if conf >= 0:
            confidences.append(conf)
    text = "\n\n".join("\n".join(" ".join(words) for words in par) for par in paragraphs)
    mean = round(sum(confidences) / len(confidences), 1) if confidences else 0.0
    return Recognition(text, mean, len(confidences), tuple(boxes))


def _word(text: str, row: dict, line: int, conf: float = -1.0) -> Word:
    """A TSV row's word and box (a row with a damaged number gets an empty box, which is never drawn)."""
    try:
        left, top, width, height = (int(row[k]) for k in ("left", "top", "width", "height"))
    except (KeyError, TypeError, ValueError):
        left = top = width = height = 0
    return Word(text, left, top, width, height, line, round(conf, 1) if conf >= 0 else -1.0)
