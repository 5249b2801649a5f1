"""PDF pages: the text layer, or a page image for OCR.

A page whose text layer is good enough keeps it; any other page is rendered
at the resolution of its own scanned image (300 dpi when unknown) and OCRed.
A scan under a thin text layer (a registry's stamp, a signature's caption) is
OCRed too, and the layer's lines are kept (:mod:`arhiva.ingest.thin_layer`).
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
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image

from arhiva.errors import InputError, LimitError
from arhiva.ingest import thin_layer
from arhiva.ingest.words import known_words, layer_words
from arhiva.limits import DEFAULT_LIMITS, Limits
from arhiva.romanian.letters import fold, fold_romanian

log = logging.getLogger(__name__)

DEFAULT_DPI = 300
MIN_DPI, MAX_DPI = 70, 600
#: A page needs at least this many letters in its text layer to be trusted.
MIN_LETTERS = 20
#: Images narrower than this share of the page (logos, stamps) do not tell a scan's resolution.
MIN_IMAGE_SHARE = 0.3
#: A layer reads as Romanian when at least this share of its words (of three
#: Latin letters or more) are words the lexicon knows, or when its letters
#: follow each other as in a language: a mean log-probability of each letter
#: given the one before (in the lexicon's words) of at least MIN_LETTER_SCORE.
#: Measured by bench/text_layer_eval.py (docs/reliability.md): real layers have
#: shares of 0.49 or more, scores of -2.6 or more (other languages, -3.4 or
#: more); glyphs shifted or substituted, shares of 0.10 or less, scores of
#: -4.9 or less. Both must fail: a page in Hungarian is not refused.
MIN_KNOWN_SHARE = 0.5
MIN_LETTER_SCORE = -4.2
#: Over a page its images cover (a scan), a layer whose pieces are mostly not words of three letters
#: or more is an OCR layer of noise (``E``, ``=``, ``"i#``): measured on the real PDFs' image-covered
#: pages, 0.03-0.07 of the pieces on two scanners' noise layers, 0.50-0.59 on usable OCR layers.
MIN_SCAN_WORD_SHARE = 0.25
#: With fewer such words, the layer says too little to be judged so.
MIN_JUDGED_WORDS = 8
#: A thin layer (a stamp over a scan) of fewer pieces is never judged to be noise.
MIN_NOISE_PIECES = 20
#: At most this share of a layer's visible characters may be private-use or replacement characters.
MAX_UNMAPPED_SHARE = 0.05
#: Why a page's layer is not used, when it has no layer worth the name (a scan): not worth a note.
NO_LAYER = "no text layer"
#: Why a page's layer is not used alone: it is a few lines over a scan.
THIN_LAYER = "a scan under a thin text layer"

_CID = re.compile(r"\(cid:\d+\)")
#: A table's borders and rules, a form's dotted blanks: ``│``, ``├───┼``, ``|``, ``+---+``, ``..........``, ``_____``.
_RULES = re.compile(r"[\u2500-\u257f|+]+|[.\-_=\u2026\u00b7]{3,}")
#: A number, a date, an amount or a file number as a table has them: ``12.01.2023``, ``1/RD/2023``, ``150,98``.
_NUMBER_TOKEN = re.compile(r"[(\[]?[-+]?\d[\d.,]*(?:[/.-][\dA-Za-z]+)*[%)\].,;:]?")
ENCRYPTED = "encrypted PDF: it needs a password (decrypt it first, e.g. with qpdf --decrypt)"


@dataclass(frozen=True)
class PdfPage:
    """What the text layer says about one page, and how to OCR it if needed (and why, in ``note``).

    ``layer`` is the text layer of a page that is OCRed all the same (a scan
    under a thin layer, or a layer of a few characters): its lines are kept
    where OCR misses them (:func:`arhiva.ingest.thin_layer.combine`).
    """

    index: int
    text: str
    needs_ocr: bool
    dpi: int
    note: str | None = None
    layer: str = ""


@dataclass(frozen=True)
class Rendered:
    """A page rendered for OCR, at ``dpi``, and why not at the dpi asked for when it was lowered."""

    image: Image.Image
    dpi: int
    note: str | None = None


@dataclass(frozen=True)
class PdfReading:
    """The pages of a PDF, the reader that found them, and why it was not pdfplumber."""

    pages: list[PdfPage]
    reader: str  # "pdfplumber" or "pdfium"
    note: str | None = None


def text_layer_is_usable(text: str) -> bool:
    """Decide whether a page's text layer can be used instead of OCR.

    The one place this is decided (:func:`text_layer_problem` says why not). A
    layer is usable when it has enough letters, is mostly made of words, not of
    unmapped glyphs (``(cid:12)``, private-use characters) or debris, and reads
    as Romanian: a font whose glyphs are mapped to the wrong letters gives
    text such as ``cvhfuvm` for ``bugetul``, which no search would find.

    >>> text_layer_is_usable("Consiliul Local a aprobat bugetul pe anul 2021.")
    True
    >>> text_layer_is_usable("(cid:3)(cid:4)(cid:5) (cid:6)(cid:7)" * 5)
    False
    >>> text_layer_is_usable("  12  ")
    False
    >>> text_layer_is_usable("Dpotjmjvm Mpdbm b bqspcbu cvhfuvm nvojdjqjvmvj qf bovm 2021 jo tfejoŃb qvcmjdă.")
    False
    """
    return text_layer_problem(text) is None


def text_layer_problem(text: str, image_cover: float = 0.0) -> str | None:
    """Why a page's text layer cannot be used instead of OCR, in a few words; None when it can.

    ``image_cover`` is the share of the page its images cover: a short layer
    over a page that is mostly image is a scan's stamp or caption, not the
    page (:func:`arhiva.ingest.thin_layer.is_thin_layer`).

    >>> text_layer_problem("Consiliul Local a aprobat bugetul municipiului pe anul 2021 în ședința publică.")
    >>> text_layer_problem("Nr. înregistrare 1234 / 12.05.2021, semnat electronic de Primăria Ghimbav", 0.97)
    'a scan under a thin text layer: images cover 97% of the page, the layer has 47 letters'
    >>> text_layer_problem("Dpotjmjvm Mpdbm b bqspcbu cvhfuvm nvojdjqjvmvj qf bovm 2021 jo tfejoŃb qvcmjdă.")
    "it reads as no language: 0 of 8 words known, letters in no language's order (shifted or wrongly mapped glyphs?)"
    >>> text_layer_problem("E H = Ee 0 il i# EH E8E8 :lu Jo-EFx4 rrF.JJ " * 40, 1.0)
    'over a scan, mostly fragments: 80 words of three letters or more among 480 pieces (a layer of OCR noise?)'
    >>> text_layer_problem("E€*B Ig.I fi$ ,., qCE SE E f EEt fi$ ;NEE (-c i= J- = Cr .= I 5 EtFg Hq", 1.0)
    'over a scan, mostly fragments: 4 words of three letters or more and 1 numbers among 21 pieces (a layer of OCR noise?)'
    >>> text_layer_problem("\ue001\ue002\ue003 \ue004\ue005 " * 8 + "Consiliul Local")
    'private-use or unknown characters: 40 of 54 characters'
    """
    cids = len(_CID.findall(text))
    if cids * 4 > max(len(text), 1) * 0.1:
        return f"unmapped glyphs: {cids} (cid:N) codes"
    visible = sum(not ch.isspace() for ch in text)
    unmapped = sum(1 for ch in text if _unmapped(ch))
    if unmapped > MAX_UNMAPPED_SHARE * visible and unmapped:
        return f"private-use or unknown characters: {unmapped} of {visible} characters"
    letters = sum(ch.isalpha() and not _unmapped(ch) for ch in text)
    if letters < MIN_LETTERS:
        return NO_LAYER
    # A stamp's few lines over a scan are mostly numbers and dates: not the page, but not debris either.
    thin = thin_layer.is_thin_layer(text, image_cover)
    # A table of numbers, dates and file numbers (``1/RD/2023 12.01.2023``) is text too; its
    # borders and a form's dotted blanks are neither text nor debris, and are not counted.
    content = _RULES.sub(" ", text)
    visible = max(1, sum(not ch.isspace() for ch in content))
    digits = sum(ch.isdigit() for ch in content)
    if (letters + digits) / visible < 0.5 and not thin:
        return f"mostly not letters or digits: {letters + digits} of {visible} characters"
    tokens = content.split() or text.split()
    wordlike = sum(1 for t in tokens if (any(c.isalpha() for c in t) and len(t) <= 30) or _NUMBER_TOKEN.fullmatch(t))
    if wordlike / len(tokens) < 0.6 and not thin:
        return f"mostly not words or numbers: {wordlike} of {len(tokens)} pieces of text"
    words = layer_words(text)
    if image_cover >= thin_layer.MIN_SCAN_COVER and not thin and len(words) < MIN_SCAN_WORD_SHARE * len(tokens):
        return (f"over a scan, mostly fragments: {len(words)} words of three letters or more "
                f"among {len(tokens)} pieces (a layer of OCR noise?)")
    # A thin layer is a stamp's words and numbers; one of scattered fragments is a scanner's OCR noise.
    if thin and len(tokens) >= MIN_NOISE_PIECES:
        numbers = sum(1 for t in tokens if _NUMBER_TOKEN.fullmatch(t))
        if len(words) + numbers < MIN_SCAN_WORD_SHARE * len(tokens):
            return (f"over a scan, mostly fragments: {len(words)} words of three letters or more and {numbers} numbers "
                    f"among {len(tokens)} pieces (a layer of OCR noise?)")
    if len(words) >= MIN_JUDGED_WORDS:
        known = known_words(words)
        if known < MIN_KNOWN_SHARE * len(words) and letter_score(words) < MIN_LETTER_SCORE:
            return (f"it reads as no language: {known} of {len(words)} words known, letters in no language's order "
                    "(shifted or wrongly mapped glyphs?)")
    if thin:
        return f"{THIN_LAYER}: images cover {image_cover:.0%} of the page, the layer has {letters} letters"
    return None


def letter_score(words: list[str]) -> float:
    """The mean log-probability of each letter of ``words`` given the letter before, as in Romanian words.

    Any language's words score far above words whose letters were shifted
    or substituted (see :data:`MIN_LETTER_SCORE`).

    >>> letter_score(["bugetul", "consiliului"]) > MIN_LETTER_SCORE > letter_score(["cvhfuvm", "dpotjmjvmvj"])
    True
    """
    pairs, totals = _letter_pairs()
    alphabet = len(totals)
    score, count = 0.0, 0
    for word in words:
        marked = f"^{fold(word).lower()}$"
        for a, b in zip(marked, marked[1:]):
            score += math.log((pairs.get(a + b, 0) + 0.5) / (totals.get(a, 0) + 0.5 * alphabet))
            count += 1
    return score / count if count else 0.0


@lru_cache(maxsize=1)
def _letter_pairs() -> tuple[dict[str, int], dict[str, int]]:
    """How often each letter follows each other in the lexicon's words (``^``, ``$``: start, end), weighted by use."""
    from arhiva.romanian.lexicon import Lexicon

    pairs: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for form, count in Lexicon.load().counts.items():
        marked = f"^{fold_romanian(form).lower()}$"
        for a, b in zip(marked, marked[1:]):
            pairs[a + b] += count
            totals[a] += count
    return dict(pairs), dict(totals)


def _unmapped(ch: str) -> bool:
    """A private-use character (a glyph a font did not map to a letter) or a replacement character."""
    code = ord(ch)
    return 0xE000 <= code <= 0xF8FF or code >= 0xF0000 or ch == "\ufffd"


def read_pages(path: Path, limits: Limits = DEFAULT_LIMITS) -> PdfReading:
    """Read every page's text layer and scan resolution, with the reader that sees the most pages.

    pdfplumber is used when it sees every page pdfium sees; otherwise pdfium.
    Raise :class:`InputError` with a one-line reason when no reader finds a
    page, and :class:`LimitError` when the file would take more than
    ``limits`` (then no other reader is tried).
    """
    try:
        count = pdfium_page_count(path)
    except InputError:
        count = 0  # pdfplumber's reason for refusing the file is the one given
    limits.check_pages(count)  # before any page is read: each costs time, and OCR more
    try:
        pages, plumber_error = _read_with_pdfplumber(path, limits), None
    except LimitError as err:
        # pdfminer believes a stream's /Length, and a length of 10^11 bytes makes it
        # ask for that much memory: pdfium, which viewers use, repairs such a file.
        # Any other limit (a decompression bomb) is final.
        if not count or str(err) != str(limits.out_of_memory()):
            raise
        pages, plumber_error = [], err
    except InputError as err:
        pages, plumber_error = [], err
    if pages and len(pages) >= count:
        limits.check_pages(len(pages))
        return PdfReading(pages, "pdfplumber")
    if count:
        why = (f"pdfplumber could not read the file ({plumber_error})" if plumber_error
               else f"pdfplumber found {len(pages)} of the {count} pages")
        log.info("%s: read with pdfium: %s", path, why)
        return PdfReading(_read_with_pdfium(path, limits), "pdfium", f"read with pdfium: {why}")
    raise plumber_error or InputError("PDF has no pages")


def pdfium_page_count(path: Path) -> int:
    """The number of pages pdfium finds (0 for a PDF without any)."""
    document = _open_pdfium(path)
    try:
        return len(document)
    finally:
        document.close()


def render_page(path: Path, index: int, dpi: int, max_pixels: int = DEFAULT_LIMITS.pixels) -> Rendered:
    """Render one page to a grayscale image with pdfium, at ``dpi`` or lower to stay within ``max_pixels``.

    The size is worked out from the page's own before anything is drawn: a
    page of a few hundred bytes may claim to be metres wide.
    """
    import pypdfium2 as pdfium

    document = _open_pdfium(path)
    try:
        page = document[index]
        width, height = page.get_size()
        fitted = render_dpi(width, height, dpi, max_pixels)
        if fitted is None:
            raise LimitError(f"PDF page {index + 1} too large to render: {_size_cm(width, height)}, "
                             f"{_megapixels(width, height, MIN_DPI)} megapixels even at {MIN_DPI} dpi "
                             f"(limit {max_pixels / 1e6:g}; see --max-megapixels)")
        note = None
        if fitted < dpi:
            note = (f"rendered at {fitted} dpi, not {dpi}: the page ({_size_cm(width, height)}) would be "
                    f"{_megapixels(width, height, dpi)} megapixels (limit {max_pixels / 1e6:g}; see --max-megapixels)")
        bitmap = page.render(scale=fitted / 72, grayscale=True)
        image = bitmap.to_pil()
        image.load()
        return Rendered(image, fitted, note)
    except (pdfium.PdfiumError, IndexError) as err:
        raise InputError(f"cannot render PDF page {index + 1}: {err}") from err
    finally:
        document.close()


def render_dpi(width: float, height: float, dpi: int, max_pixels: int) -> int | None:
    """The resolution to render a page of ``width`` × ``height`` points at: ``dpi``, or lower to fit.

    None when even :data:`MIN_DPI` gives more than ``max_pixels``.

    >>> render_dpi(595, 842, 300, 100_000_000)      # A4
    300
    >>> render_dpi(14400, 14400, 300, 100_000_000)  # 5 m by 5 m
    >>> render_dpi(2384, 3370, 600, 100_000_000)    # A0: lowered to fit
    254
    """
    if width <= 0 or height <= 0:
        return dpi
    fit = int(72 * math.sqrt(max_pixels / (width * height)))
    if fit >= dpi:
        return dpi
    return fit if fit >= MIN_DPI else None


def _size_cm(width: float, height: float) -> str:
    return f"{width / 72 * 2.54:.0f} × {height / 72 * 2.54:.0f} cm"


def _megapixels(width: float, height: float, dpi: int) -> str:
    return f"{width * height * (dpi / 72) ** 2 / 1e6:,.0f}"


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


def _page(index: int, text: str, dpi: int, image_cover: float = 0.0) -> PdfPage:
    """One page as read: its text layer, or OCR (and why), with the layer's lines to keep when it is not garbage."""
    problem = text_layer_problem(text, image_cover)
    if problem is None:
        return PdfPage(index, text, False, dpi)
    if problem == NO_LAYER:  # a few characters, such as a stamp's number and date: kept where OCR misses them
        return PdfPage(index, "", True, dpi, layer=text if thin_layer.kept_lines(text) else "")
    if problem.startswith(THIN_LAYER):
        return PdfPage(index, "", True, dpi, f"{problem}: the page was OCRed, the layer's lines kept", text)
    return PdfPage(index, "", True, dpi, f"text layer not used ({problem}); the page was OCRed")


def _read_with_pdfplumber(path: Path, limits: Limits) -> list[PdfPage]:
    import pdfplumber

    pages: list[PdfPage] = []
    _quiet_pdfminer()
    with bounded_streams(limits.decompressed_bytes) as streams:
        try:
            pdf = pdfplumber.open(path)
        except Exception as err:  # noqa: BLE001 - pdfminer raises many kinds
            raise _reading_error(err, streams, limits) or InputError(_describe_open_error(err)) from err
        try:
            for index, page in enumerate(pdf.pages):
                text = page.extract_text() or ""
                images = [((image.get("srcsize") or (0, 0))[0], float(image.get("width") or 0))
                          for image in page.images]
                cover = thin_layer.image_cover(
                    [(float(i["x0"]), float(i["top"]), float(i["x1"]), float(i["bottom"])) for i in page.images],
                    page.bbox)
                pages.append(_page(index, text, scan_dpi(images, float(page.width)), cover))
                page.close()  # frees its cached characters and layout (48 pages of tables kept 1.2 GB)
        except Exception as err:  # noqa: BLE001
            raise _reading_error(err, streams, limits) or \
                InputError(f"damaged PDF (page {len(pages) + 1}): {_first_line(err)}") from err
        finally:
            _close_quietly(pdf)
        if streams.exceeded:  # pdfminer swallowed the error: its text is cut short
            raise streams.limit_error()
    return pages


def _quiet_pdfminer() -> None:
    """Keep pdfminer's own warnings ("Invalid MediaBox…", "Could not get FontBBox…") out of the user's way.

    They name no file and change nothing: what matters is told in the
    document's warnings. With ``-v`` (logging at DEBUG) they are shown.
    """
    if logging.getLogger().getEffectiveLevel() > logging.DEBUG:
        logging.getLogger("pdfminer").setLevel(logging.ERROR)


def _reading_error(err: BaseException, streams: _BoundedZlib, limits: Limits) -> LimitError | None:
    """The limit a failure to read a PDF comes from, if it comes from one."""
    if streams.exceeded or isinstance(err, _StreamTooLarge):
        return streams.limit_error()
    if isinstance(err, MemoryError) or isinstance(getattr(err, "__context__", None), MemoryError):
        return limits.out_of_memory()
    return None


def _close_quietly(pdf) -> None:
    """Close a pdfplumber PDF; its ``close`` reads the pages again and fails as they did."""
    try:
        pdf.close()
    except Exception:  # noqa: BLE001
        if not pdf.stream_is_external:
            pdf.stream.close()


def _read_with_pdfium(path: Path, limits: Limits) -> list[PdfPage]:
    import pypdfium2.raw as pdfium_c

    document = _open_pdfium(path)
    pages: list[PdfPage] = []
    try:
        for index in range(len(document)):
            page = document[index]
            text = pdfium_text(page.get_textpage().get_text_bounded())
            left, bottom, right, top = page.get_bbox()  # the page as shown; its media box may be inherited
            objects = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
            # An image is drawn on the unit square: its matrix's first column is its shown width.
            images = [(image.get_px_size()[0], math.hypot(*image.get_matrix().get()[:2])) for image in objects]
            cover = thin_layer.image_cover([image.get_bounds() for image in objects], (left, bottom, right, top))
            pages.append(_page(index, text, scan_dpi(images, right - left), cover))
    except MemoryError as err:
        raise limits.out_of_memory() from err
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


# -- bounded decompression of pdfminer's streams --------------------------------------------------


class _StreamTooLarge(Exception):
    """A compressed stream expands past the limit (raised inside pdfminer)."""


class _BoundedZlib:
    """What pdfminer needs of :mod:`zlib`, with every decompression stopped at ``limit`` bytes.

    pdfminer inflates each stream whole with ``zlib.decompress`` (and, for a
    damaged one, ``decompressobj`` a byte at a time): a few kilobytes of
    nested FlateDecode can claim gigabytes. This stands in for the module
    while a PDF is read.
    """

    error = zlib.error
    MAX_WBITS = zlib.MAX_WBITS

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.exceeded = False

    def decompress(self, data: bytes, wbits: int = zlib.MAX_WBITS, bufsize: int = zlib.DEF_BUF_SIZE) -> bytes:
        inflater = zlib.decompressobj(wbits)
        out = inflater.decompress(data, self.limit + 1)
        if len(out) > self.limit:
            self._exceed()
        if not inflater.eof:
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return out

    def decompressobj(self, *args, **kwargs):
        return _BoundedInflater(self, zlib.decompressobj(*args, **kwargs))

    def compress(self, *args, **kwargs) -> bytes:
        return zlib.compress(*args, **kwargs)

    def _exceed(self) -> None:
        self.exceeded = True
        raise _StreamTooLarge()

    def limit_error(self) -> LimitError:
        return LimitError(f"a compressed stream in the PDF expands to more than {self.limit // 2**20} MB "
                          "(a decompression bomb?; see --max-decompressed)")


class _BoundedInflater:
    def __init__(self, owner: _BoundedZlib, inflater) -> None:
        self.owner, self.inflater, self.total = owner, inflater, 0

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        room = self.owner.limit + 1 - self.total
        out = self.inflater.decompress(data, min(max_length, room) if max_length else room)
        self.total += len(out)
        if self.total > self.owner.limit:
            self.owner._exceed()
        return out

    def __getattr__(self, name: str):
        return getattr(self.inflater, name)


@contextmanager
def bounded_streams(limit: int) -> Iterator[_BoundedZlib]:
    """Within the block, pdfminer inflates no stream past ``limit`` bytes.

    pdfminer looks ``zlib`` up in its ``pdftypes`` module when it inflates; if
    a future version does not, the memory limit of the worker still bounds it.
    """
    bounded = _BoundedZlib(limit)
    try:
        from pdfminer import pdftypes
    except ImportError:  # pragma: no cover - pdfplumber needs it
        yield bounded
        return
    original = getattr(pdftypes, "zlib", None)
    if original is not zlib:
        log.info("pdfminer does not use zlib as expected: its streams are bounded by memory only")
        yield bounded
        return
    pdftypes.zlib = bounded
    try:
        yield bounded
    finally:
        pdftypes.zlib = original
