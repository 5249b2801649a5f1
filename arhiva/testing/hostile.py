"""Hostile files for the tests: decompression bombs, giant pages, lying fonts, a Tesseract that misbehaves.

Each is built here from nothing, small on disk and cheap to make, so that the
tests can show what arhiva does with it through the real command line.
"""

from __future__ import annotations

import stat
import string
import zlib
from pathlib import Path

_LOWER, _UPPER = string.ascii_lowercase, string.ascii_uppercase


def minimal_pdf(page: bytes, content: bytes | None = None) -> bytes:
    """A one-page PDF whose page dictionary holds ``page``, with a content stream ``content`` if given."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R " + page + (b" /Contents 4 0 R" if content else b"") + b" >>"]
    if content:
        objects.append(content)
    body, offsets = b"%PDF-1.7\n", []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return body + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def flate_bomb_pdf(megabytes: int = 300) -> bytes:
    """A PDF of a few kilobytes whose page content inflates (through two FlateDecode filters) to ``megabytes`` MiB."""
    chunk = b"0 0 m " * (2**20 // 6)
    inner = zlib.compressobj(1)
    once = b"".join(inner.compress(chunk) for _ in range(megabytes)) + inner.flush()
    twice = zlib.compress(once, 9)
    stream = b"<< /Length %d /Filter [/FlateDecode /FlateDecode] >>\nstream\n%s\nendstream" % (len(twice), twice)
    return minimal_pdf(b"/MediaBox [0 0 595 842]", stream)


def huge_page_pdf(points: int = 14400) -> bytes:
    """A PDF of a few hundred bytes with one empty page ``points`` square (14,400 pt: 5 m by 5 m)."""
    return minimal_pdf(b"/MediaBox [0 0 %d %d]" % (points, points))


def shift_letters(text: str, by: int = 1) -> str:
    """Every ASCII letter moved ``by`` places in the alphabet.

    >>> shift_letters("Consiliul bugetul")
    'Dpotjmjvm cvhfuvm'
    """
    table = str.maketrans(_LOWER + _UPPER, _LOWER[by:] + _LOWER[:by] + _UPPER[by:] + _UPPER[:by])
    return text.translate(table)


def shifted_glyph_font(source: str, target: Path) -> Path:
    """A copy of the TrueType font ``source`` whose character map is off by one letter.

    Text written with it in the letters of :func:`shift_letters` shows the
    right words on the page, while its text layer (the characters) holds the
    shifted ones: what a PDF made with a broken font encoding looks like.
    """
    from fontTools.ttLib import TTFont

    font = TTFont(source)
    done: set[int] = set()
    for table in font["cmap"].tables:
        if not table.isUnicode() or id(table.cmap) in done:
            continue
        done.add(id(table.cmap))  # tables may share one mapping: shift it once
        original = dict(table.cmap)
        for alphabet in (_LOWER, _UPPER):
            for i, letter in enumerate(alphabet):
                table.cmap[ord(alphabet[(i + 1) % 26])] = original[ord(letter)]
    font.save(str(target))
    return target


def shifted_glyph_pdf(text: str, path: Path, work: Path) -> Path:
    """A PDF that shows ``text`` (ASCII letters only are shifted) whose text layer is shifted by one letter."""
    from fpdf import FPDF

    from arhiva.testing.scans import find_font

    pdf = FPDF()
    pdf.add_font("Shifted", fname=str(shifted_glyph_font(find_font(), work / "shifted.ttf")))
    pdf.set_font("Shifted", size=13)
    pdf.add_page()
    pdf.multi_cell(0, 8, shift_letters(text))
    pdf.output(str(path))
    return path


def fake_tesseract(folder: Path, behaviour: str) -> Path:
    """A ``tesseract`` program in ``folder`` that answers --version and --list-langs, and on a page:

    ``sleep`` waits for ten minutes; ``fail`` prints an error and exits with 1;
    ``crash`` kills itself with SIGSEGV. Put ``folder`` first on PATH.
    """
    actions = {
        "sleep": "exec sleep 600",  # exec: the process that dies with its worker is the one sleeping
        "fail": 'echo "Error in pixReadStream: Unknown format: no pix returned" >&2; '
                'echo "Image file $1 cannot be read!" >&2; echo "Error during processing." >&2; exit 1',
        "crash": "kill -SEGV $$",
    }
    program = folder / "tesseract"
    program.write_text(
        "#!/bin/sh\n"
        'case "$1" in\n'
        '  --version) echo "tesseract 5.3.0"; exit 0;;\n'
        '  --list-langs) echo "List of available languages in \\"/fake/\\" (3):"; '
        "printf 'eng\\nosd\\nron\\n'; exit 0;;\n"
        "esac\n"
        f"{actions[behaviour]}\n"
    )
    program.chmod(program.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return program
