"""Reading page images: PNG, JPEG, TIFF (multi-page), safely."""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

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
        return frame, image_dpi(image)


def image_dpi(image: Image.Image) -> int:
    dpi = image.info.get("dpi")
    try:
        value = int(round(float(dpi[0])))
    except (TypeError, ValueError, IndexError):
        return DEFAULT_DPI
    return value if 50 <= value <= 1200 else DEFAULT_DPI
