"""Reading page images: PNG, JPEG, TIFF (multi-page), JPEG 2000 and what else Pillow reads, safely."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError, features

from arhiva.errors import InputError, LimitError
from arhiva.limits import DEFAULT_LIMITS, Limits

#: The default limit (``--max-megapixels``): an A3 page at 600 dpi is about 70 megapixels.
MAX_PIXELS = DEFAULT_LIMITS.pixels
#: Used when an image does not say its resolution.
DEFAULT_DPI = 300
#: A scan of less than ``ENLARGE_BELOW`` dpi is enlarged to ``OCR_DPI`` before OCR: Tesseract
#: misreads letters a few pixels high (on real scans of 72–106 dpi, 22% more words the lexicon
#: knows; 120–180 dpi, 2%, for half as much time again; 180–290 dpi, 0.2%: docs/performance.md).
OCR_DPI = 300
ENLARGE_BELOW = 150
#: The longer side of an A3 page: an image larger than that at its stated resolution was not scanned at it.
LARGEST_PAGE_INCHES = 16.6

Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def open_image(path: Path, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """Open an image lazily, refusing decompression bombs and unreadable files.

    Only the header is read: an image of more than ``max_pixels`` is refused
    before any pixel is decoded.
    """
    Image.MAX_IMAGE_PIXELS = max_pixels  # Pillow's own check, on what it reads first
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
        claimed = re.search(r"\((\d+) pixels\)", str(err))  # "Image size (1600000000 pixels) exceeds ..."
        size = f"{_megapixels(int(claimed.group(1)))} megapixels, " if claimed else ""
        raise LimitError(f"image too large to be a real page scan ({size}limit {_megapixels(max_pixels)}; "
                         "see --max-megapixels)") from err
    except UnidentifiedImageError as err:
        raise InputError("not a readable image") from err
    except OSError as err:
        raise InputError(f"cannot read the image: {_first_line(err)}") from err
    except MemoryError:
        raise
    except Exception as err:  # noqa: BLE001 - Pillow's readers raise ValueError, SyntaxError, struct.error...
        raise InputError(f"not a readable image: {_first_line(err)}") from err
    if image.format == "JPEG2000" and not features.check("jpg_2000"):
        image.close()
        raise InputError("JPEG 2000 image, but this Pillow was built without OpenJPEG (reinstall Pillow from PyPI)")
    width, height = image.size
    if width * height > max_pixels:
        image.close()
        raise LimitError(f"image too large to be a real page scan ({width}×{height} pixels: "
                         f"{_megapixels(width * height)} megapixels, limit {_megapixels(max_pixels)}; "
                         "see --max-megapixels)")
    if width < 1 or height < 1:
        image.close()
        raise InputError("image has no pixels")
    return image


def _megapixels(pixels: int) -> str:
    """Pixels in millions, to three figures at most.

    >>> _megapixels(1_600_000_000), _megapixels(150_000_000), _megapixels(2_500_000)
    ('1600', '150', '2.5')
    """
    value = pixels / 1e6
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}".rstrip("0").rstrip(".")


def frame_count(path: Path, max_pixels: int = MAX_PIXELS, max_pages: int = DEFAULT_LIMITS.pages) -> int:
    """The pages (frames) of an image file; :class:`LimitError` past ``max_pages``."""
    with open_image(path, max_pixels) as image:
        try:
            count = getattr(image, "n_frames", 1)
        except MemoryError:
            raise
        except Exception as err:  # noqa: BLE001 - counting frames reads them: any reader error
            raise InputError(f"damaged image: {_first_line(err)}") from err
    Limits(pages=max_pages).check_pages(count)
    return count


def load_frame(path: Path, index: int, max_pixels: int = MAX_PIXELS) -> tuple[Image.Image, int]:
    """Decode frame ``index`` of an image file; return it with its resolution in dpi.

    Each frame of a multi-page TIFF has its own size: it is checked too.
    """
    with open_image(path, max_pixels) as image:
        try:
            image.seek(index)
            if image.size[0] * image.size[1] > max_pixels:
                raise LimitError(f"image page {index + 1} too large to be a real page scan "
                                 f"({image.size[0]}×{image.size[1]} pixels; see --max-megapixels)")
            image.load()
            # A grayscale copy, made straight from the decoded frame: a copy in
            # its own mode first would hold a colour page twice.
            frame = eight_bit(image)
            if frame is image:
                frame = _detached(image) if image.mode == "L" else image.convert("L")
        except (LimitError, MemoryError):
            raise
        except Exception as err:  # noqa: BLE001 - a damaged frame fails in the decoder's own way
            raise InputError(f"image page {index + 1} is damaged: {_first_line(err)}") from err
        return frame, image_dpi(image)


#: EXIF orientations that a turn makes upright (degrees clockwise); the mirrored ones are left alone.
EXIF_TURNS = {3: 180, 6: 90, 8: 270}


def exif_turn(path: Path, index: int = 0) -> int:
    """Degrees to turn frame ``index`` clockwise to show it as its EXIF orientation says (a phone's
    photo taken sideways), or 0. Only the header is read.

    >>> import tempfile; from PIL import Image
    >>> folder = Path(tempfile.mkdtemp()); exif = Image.Exif(); exif[0x0112] = 6
    >>> Image.new("L", (40, 20), 255).save(folder / "p.jpg", exif=exif)
    >>> exif_turn(folder / "p.jpg"), exif_turn(folder / "nothing.jpg")
    (90, 0)
    """
    try:
        with Image.open(path) as image:
            image.seek(index)
            return EXIF_TURNS.get(image.getexif().get(0x0112), 0)
    except Exception:  # noqa: BLE001 - no readable orientation: the page is read as it is stored
        return 0


def ocr_dpi(dpi: int) -> int:
    """The resolution to read a scan of ``dpi`` at.

    >>> ocr_dpi(72), ocr_dpi(141), ocr_dpi(150), ocr_dpi(400)
    (300, 300, 150, 400)
    """
    return OCR_DPI if dpi < ENLARGE_BELOW else dpi


def enlarged(image: Image.Image, dpi: int, max_pixels: int = MAX_PIXELS) -> tuple[Image.Image, int]:
    """``image`` scaled up to the resolution :func:`ocr_dpi` reads a scan of ``dpi`` at (within
    ``max_pixels``), with its new dpi.

    >>> small = Image.new("L", (850, 1100), 255)
    >>> big, dpi = enlarged(small, 100)
    >>> big.size, dpi
    ((2550, 3300), 300)
    >>> enlarged(small, 150)[0] is small
    True
    >>> enlarged(Image.new("L", (2480, 3508), 255), 72)[1]   # an A4 scan at 300 dpi said to be 72
    72
    """
    wanted = ocr_dpi(dpi)
    if wanted <= dpi or max(image.size) / dpi > LARGEST_PAGE_INCHES:
        return image, dpi  # (a page larger than A3 at its stated resolution: the resolution is not the scan's)
    scale = min(wanted / dpi, (max_pixels / (image.width * image.height)) ** 0.5)
    if scale <= 1:
        return image, dpi
    size = (round(image.width * scale), round(image.height * scale))
    return image.resize(size, Image.Resampling.LANCZOS), round(dpi * scale)


def _detached(image: Image.Image) -> Image.Image:
    """The decoded pixels of ``image``, kept when the file is closed, without a copy where that is safe.

    Closing an image file drops its pixels, so the frame must be taken out
    first; a copy of a 100-megapixel page would hold it twice. A frame that
    Pillow mapped read-only from the file is copied.

    >>> page = Image.new("L", (3, 2), 7)
    >>> kept = _detached(page)
    >>> page.close()
    >>> kept.size, kept.getpixel((0, 0))
    ((3, 2), 7)
    """
    if getattr(image, "map", None) is not None or getattr(image, "readonly", 0):
        return image.copy()
    return image._new(image.im)  # a new image on the same decoded pixels


def _first_line(err: Exception) -> str:
    """
    >>> _first_line(ValueError("Truncated IHDR chunk\\nmore"))
    'Truncated IHDR chunk'
    """
    lines = str(err).strip().splitlines()
    return lines[0][:200] if lines else type(err).__name__


def eight_bit(image: Image.Image) -> Image.Image:
    """A 16-bit grayscale scan scaled to 8 bits; any other image unchanged.

    Pillow's own conversion to ``L`` clips such an image instead of scaling it,
    which turns all but the darkest ink white. JPEG 2000, PNG and TIFF masters
    are often 16-bit.

    >>> gray16 = Image.frombytes("I;16", (2, 1), bytes([0, 0x80, 0xff, 0xff]))
    >>> eight_bit(gray16).tobytes()
    b'\\x80\\xff'
    """
    if image.mode not in ("I", "I;16", "I;16L", "I;16B", "I;16N"):
        return image
    values = np.asarray(image)
    out = np.empty(values.shape, dtype=np.uint8)
    for top in range(0, values.shape[0], _ROWS):  # a block at a time: a whole page in 64 bits is 8 bytes a pixel
        block = np.clip(values[top : top + _ROWS].astype(np.int64), 0, 65535)
        out[top : top + _ROWS] = (block * 255 + 32767) // 65535  # round(v / 257); never a tie
    return Image.fromarray(out)


_ROWS = 512


def image_dpi(image: Image.Image) -> int:
    dpi = image.info.get("dpi")
    try:
        value = int(round(float(dpi[0])))
    except (TypeError, ValueError, IndexError):
        return DEFAULT_DPI
    return value if 50 <= value <= 1200 else DEFAULT_DPI
