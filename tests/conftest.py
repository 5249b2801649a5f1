from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings
from PIL import Image

from arhiva.archive import Archive
from arhiva.ingest import Recognition

# The default suite tries the same examples on every run, so that a red CI
# means a change, not a roll of the dice; HYPOTHESIS_PROFILE=explore draws new
# ones (and the slow runs are where to look for new failures).
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

DATA = Path(__file__).parent / "data"
TEXTS = DATA / "texts"
SAMPLES = Path(__file__).parent.parent / "samples"


class FakeEngine:
    """Stands in for Tesseract in unit tests: 'recognises' a fixed text per image size.

    Pages whose image is wider than tall are reported upside down, to exercise
    the orientation logic without Tesseract.
    """

    def __init__(self, text: str = "Ședința Consiliului Local a aprobat bugetul.", confidence: float = 95.0):
        self.text = text
        self.confidence = confidence
        self.calls = 0

    def recognize(self, image: Image.Image, dpi: int) -> Recognition:
        self.calls += 1
        return Recognition(self.text, self.confidence, len(self.text.split()))

    def orientation(self, image: Image.Image, dpi: int) -> int | None:
        return None

    def describe(self) -> dict[str, str]:
        return {"engine": "fake", "version": "0", "lang": "ron"}


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    return Archive.open(tmp_path / "archive", create=True)


@pytest.fixture
def engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture
def texts() -> dict[str, str]:
    return {p.stem: p.read_text("utf-8") for p in sorted(TEXTS.glob("*.txt"))}


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    """A copy of the bundled sample documents."""
    target = tmp_path / "samples"
    shutil.copytree(SAMPLES, target)
    return target


def write_page_image(path: Path, size=(400, 600), dpi: int = 150) -> Path:
    image = Image.new("L", size, 255)
    image.save(path, dpi=(dpi, dpi))
    return path
