"""Scanned PDFs written byte by byte, with the damage real files have.

Viewers (poppler, pdfium) repair these on the fly; pdfminer, under pdfplumber,
refuses them or sees fewer pages. The tests make them here to prove that
every PDF a viewer opens goes into the archive.
"""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

from PIL import Image

#: How a damaged file's page tree is written.
TYPED, UNTYPED, PARTLY_UNTYPED = "typed", "untyped", "partly-untyped"


def scanned_pdf(
    pages: list[Image.Image],
    dpi: int,
    xref: str = "stream",
    startxref_shift: int = 0,
    page_tree: str = TYPED,
) -> bytes:
    """A PDF with one grayscale image per page, placed at ``dpi``.

    ``xref`` is ``"stream"`` (a cross-reference stream, PDF 1.5, as scanners
    write) or ``"table"`` (the classic table with a trailer). A non-zero
    ``startxref_shift`` moves the final ``startxref`` offset off its target.
    ``page_tree`` drops the ``/Type`` entries of the page tree: all of them
    (``UNTYPED``), or those of a second-level node holding every page but the
    first (``PARTLY_UNTYPED``).
    """
    objects: dict[int, bytes] = {1: b"<< /Type /Catalog /Pages 2 0 R >>"}
    kids: list[int] = []
    number = 4
    for image in pages:
        page_id, content_id, image_id = number, number + 1, number + 2
        number += 3
        kids.append(page_id)
        width, height = (size * 72 / dpi for size in image.size)
        parent = 2 if page_tree != PARTLY_UNTYPED or not kids[:-1] else 3
        page_type = "" if page_tree == UNTYPED else "/Type /Page "
        objects[page_id] = (
            f"<< {page_type}/Parent {parent} 0 R /MediaBox [0 0 {width:.2f} {height:.2f}] "
            f"/Resources << /XObject << /Im0 {image_id} 0 R >> >> /Contents {content_id} 0 R >>"
        ).encode()
        objects[content_id] = _stream(b"", f"q {width:.2f} 0 0 {height:.2f} 0 0 cm /Im0 Do Q".encode())
        pixels = image.convert("L")
        objects[image_id] = _stream(
            f"/Type /XObject /Subtype /Image /Width {pixels.width} /Height {pixels.height} "
            "/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode".encode(),
            zlib.compress(pixels.tobytes()),
        )
    pages_type = b"" if page_tree == UNTYPED else b"/Type /Pages "
    if page_tree == PARTLY_UNTYPED and len(kids) > 1:
        objects[2] = b"<< /Type /Pages /Kids [%d 0 R 3 0 R] /Count %d >>" % (kids[0], len(kids))
        rest = b" ".join(b"%d 0 R" % k for k in kids[1:])
        objects[3] = b"<< /Parent 2 0 R /Kids [" + rest + b"] /Count %d >>" % (len(kids) - 1)
    else:
        refs = b" ".join(b"%d 0 R" % k for k in kids)
        objects[2] = b"<< " + pages_type + b"/Kids [" + refs + b"] /Count %d >>" % len(kids)
    return _assemble(objects, number, xref, startxref_shift)


def write_scanned_pdf(pages: list[Image.Image], path: Path, dpi: int, **damage) -> Path:
    """Write :func:`scanned_pdf` to ``path``."""
    path.write_bytes(scanned_pdf(pages, dpi, **damage))
    return path


def untyped_page_tree(data: bytes) -> bytes:
    """A PDF's bytes with ``/Type /Pages`` and ``/Type /Page`` blanked out, every offset kept.

    >>> untyped_page_tree(b"<< /Type /Page /Parent 2 0 R >>")
    b'<<             /Parent 2 0 R >>'
    """
    return re.sub(rb"/Type\s*/Pages?\b", lambda match: b" " * len(match.group()), data)


def _stream(entries: bytes, data: bytes) -> bytes:
    return b"<< " + entries + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def _assemble(objects: dict[int, bytes], xref_id: int, xref: str, startxref_shift: int) -> bytes:
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    size = xref_id + 1
    xref_at = len(out)
    if xref == "stream":
        offsets[xref_id] = xref_at
        rows = b"".join(
            struct.pack(">BIH", 1, offsets[n], 0) if n in offsets else struct.pack(">BIH", 0, 0, 65535)
            for n in range(size)
        )
        entries = b"/Type /XRef /Size %d /W [1 4 2] /Root 1 0 R" % size
        out += b"%d 0 obj\n" % xref_id + _stream(entries, rows) + b"\nendobj\n"
    else:
        out += b"xref\n0 %d\n" % size
        for n in range(size):
            out += b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 65535 f \n"
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % size
    out += b"startxref\n%d\n%%%%EOF\n" % (xref_at + startxref_shift)
    return bytes(out)
