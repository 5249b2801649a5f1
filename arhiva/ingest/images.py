"""Reading page images: PNG, JPEG, TIFF (multi-page), JPEG 2000 and what else Pillow reads, safely."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError, features

from arhiva.errors import InputError

#: No real page scan is larger: an A3 page at 600 dpi is about 70 megapixels.
MAX_PIXELS = 150_000_000
#: Used when an image does not say its resolution.
DEFAULT_DPI = 300

Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def open_image(path: Path) -> Image.Image:
    """Open an image lazily, refusing decompression bombs and unreadable files."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
        raise InputError("image too large to be a real page scan (a decompression bomb?)") from err
    except UnidentifiedImageError as err:
        raise InputError("not a readable image") from err
    except OSError as err:
        raise InputError(f"cannot read the image: {err}") from err
    if image.format == "JPEG2000" and not features.check("jpg_2000"):
        image.close()
        raise InputError("JPEG 2000 image, but this Pillow was built without OpenJPEG (reinstall Pillow from PyPI)")
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise InputError(f"image too large to be a real page scan ({width}×{height} pixels)")
    if width < 1 or height < 1:
        raise InputError("image has no pixels")
    return image


def frame_count(path: Path) -> int:
    with open_image(path) as image:
        return getattr(image, "n_frames", 1)


def load_frame(path: Path, index: int) -> tuple[Image.Image, int]:
    """Decode frame ``index`` of an image file; return it with its resolution in dpi."""
    with open_image(path) as image:
        try:
            image.seek(index)
            frame = image.copy()
            frame.load()
        except (OSError, EOFError, ValueError) as err:
            raise InputError(f"image page {index + 1} is damaged: {err}") from err
        return eight_bit(frame), image_dpi(image)


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
    values = np.asarray(image, dtype=np.float64)
    return Image.fromarray(np.clip(values / 257, 0, 255).round().astype(np.uint8))


def image_dpi(image: Image.Image) -> int:
    dpi = image.info.get("dpi")
    try:
        value = int(round(float(dpi[0])))
    except (TypeError, ValueError, IndexError):
        return DEFAULT_DPI
    return value if 50 <= value <= 1200 else DEFAULT_DPI
