"""Render Romanian text into page images and degrade them as a scanner would.

The end-to-end tests, the benchmarks and the bundled samples all make their
scans here, from text whose ground truth is known.
"""

from __future__ import annotations

import random
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)
A4_INCHES = (8.27, 11.69)


def find_font() -> str:
    """A TrueType font with Romanian glyphs (DejaVu, from fonts-dejavu-core)."""
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    if shutil.which("fc-match"):
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", "serif:lang=ro"], capture_output=True, text=True, check=False
        ).stdout.strip()
        if found and Path(found).is_file():
            return found
    raise FileNotFoundError("no font with Romanian glyphs; install fonts-dejavu-core")


@dataclass(frozen=True)
class Layout:
    dpi: int = 300
    font_pt: float = 11.5
    margin_in: float = 1.0
    line_spacing: float = 1.45


def render_pages(text: str, layout: Layout = Layout()) -> list[Image.Image]:
    """Typeset ``text`` (paragraphs separated by blank lines, form feeds force a page) on A4 pages."""
    font = ImageFont.truetype(find_font(), int(layout.font_pt * layout.dpi / 72))
    width, height = (int(x * layout.dpi) for x in A4_INCHES)
    margin = int(layout.margin_in * layout.dpi)
    line_height = int(font.size * layout.line_spacing)
    usable = width - 2 * margin
    pages: list[Image.Image] = []
    for chunk in text.split("\f"):
        lines = _wrap(chunk, font, usable)
        per_page = (height - 2 * margin) // line_height
        for start in range(0, max(len(lines), 1), per_page):
            page = Image.new("L", (width, height), 255)
            draw = ImageDraw.Draw(page)
            for row, line in enumerate(lines[start:start + per_page]):
                draw.text((margin, margin + row * line_height), line, font=font, fill=0)
            pages.append(page)
    return pages


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for source_line in text.strip("\n").split("\n"):
        words = source_line.split()
        if not words:
            lines.append("")
            continue
        current = words[0]
        for word in words[1:]:
            candidate = f"{current} {word}"
            if font.getlength(candidate) <= width:
                current = candidate
            else:
                lines.append(current)
                current = word
        lines.append(current)
    return lines


@dataclass(frozen=True)
class Degradation:
    """How a page is damaged by scanning. Defaults: an ordinary office scanner."""

    dpi: int = 150
    blur: float = 0.5
    noise: float = 12.0
    skew: float = 0.0  # degrees
    turn: int = 0  # 0, 90, 180 or 270: the page was fed in that way
    speckles: int = 300


def degrade(page: Image.Image, source_dpi: int, how: Degradation, seed: int = 0) -> Image.Image:
    """Scan a clean page: lower resolution, blur, noise, speckles, skew, turned feed."""
    rng = random.Random(seed)
    scale = how.dpi / source_dpi
    image = page.resize((int(page.width * scale), int(page.height * scale)), Image.Resampling.LANCZOS)
    if how.blur:
        image = image.filter(ImageFilter.GaussianBlur(how.blur))
    if how.skew:
        image = image.rotate(how.skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
    pixels = np.asarray(image, dtype=np.float32)
    noise = np.random.default_rng(seed).normal(0, how.noise, pixels.shape) if how.noise else 0
    pixels = np.clip(pixels + noise, 0, 255).astype(np.uint8)
    for _ in range(how.speckles):
        y, x = rng.randrange(pixels.shape[0] - 2), rng.randrange(pixels.shape[1] - 2)
        pixels[y:y + rng.choice((1, 2)), x:x + rng.choice((1, 2))] = 0
    image = Image.fromarray(pixels)
    if how.turn:
        image = image.rotate(how.turn, expand=True)
    return image


def scan(text: str, how: Degradation = Degradation(), turns: dict[int, int] | None = None,
         seed: int = 0) -> list[Image.Image]:
    """Render and degrade: the pages of ``text`` as a scanner would give them.

    ``turns`` maps a page index to a turn in degrees (a page fed sideways or upside down).
    """
    layout = Layout()
    pages = render_pages(text, layout)
    out = []
    for i, page in enumerate(pages):
        turn = (turns or {}).get(i, how.turn)
        page_how = Degradation(how.dpi, how.blur, how.noise, how.skew, turn, how.speckles)
        out.append(degrade(page, layout.dpi, page_how, seed + i))
    return out


def save_pdf(pages: list[Image.Image], path: Path, dpi: int) -> None:
    """A scanned PDF: one image per page, placed at ``dpi``."""
    pages[0].save(path, "PDF", save_all=True, append_images=pages[1:], resolution=dpi)


def save_tiff(pages: list[Image.Image], path: Path, dpi: int) -> None:
    pages[0].save(path, "TIFF", save_all=True, append_images=pages[1:], dpi=(dpi, dpi), compression="jpeg", quality=80)


def save_text_pdf(text: str, path: Path) -> None:
    """A born-digital PDF with a real text layer (needs fpdf2, a test dependency)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", fname=find_font())
    pdf.set_font("DejaVu", size=11)
    pdf.set_auto_page_break(True, margin=20)
    for chunk in text.split("\f"):
        pdf.add_page()
        pdf.multi_cell(0, 6, chunk.strip("\n"))
    pdf.output(str(path))
