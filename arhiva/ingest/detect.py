"""Telling what a file is from its first bytes, not from its name."""

from __future__ import annotations

import re
from pathlib import Path

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
JP2 = "image/jp2"  # JPEG 2000 in its JP2 box format (.jp2, .jpf)
JPX = "image/jpx"  # JPEG 2000 part 2 (.jpx, .jpf)
J2C = "image/j2c"  # a bare JPEG 2000 codestream (.j2k, .j2c, .jpc)
TEXT = "text/plain"

#: Bytes read to tell a file's type: PDF readers accept a header anywhere in the first
#: KiB (some generators write a stray content stream before it); a JPEG 2000 file names its
#: brand at bytes 20–24.
HEAD_BYTES = 1024
_JP2_SIGNATURE = b"\x00\x00\x00\x0cjP  \r\n\x87\n"

_SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
    (_JP2_SIGNATURE, JP2),
    (b"\xff\x4f\xff\x51", J2C),
)
#: Other image formats Pillow reads; accepted as page images too.
_OTHER_IMAGES = ((b"BM", "image/bmp"), (b"GIF8", "image/gif"), (b"RIFF", "image/webp"))

#: Signatures of common files that are certainly not documents we can read.
_REFUSED = (
    (b"PK\x03\x04", "a ZIP archive or an Office document (convert it to PDF first)"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (convert it to PDF first)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program, not a document"),
)

_LATE_PDF = re.compile(rb"%PDF-\d\.\d")


def sniff(path: Path) -> str:
    """The media type of the file at ``path``, or ``"unknown: <why>"``.

    Text is recognised later, by decoding it; here it is whatever is not binary
    of a known kind.
    """
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    return sniff_bytes(head)


def sniff_bytes(head: bytes) -> str:
    """The media type that the first bytes of a file announce.

    >>> sniff_bytes(b"%PDF-1.7")
    'application/pdf'
    >>> sniff_bytes("Ședința".encode())
    'text/plain'
    >>> sniff_bytes(b"\\x00\\x00\\x00\\x0cjP  \\r\\n\\x87\\n\\x00\\x00\\x00\\x14ftypjpx ")
    'image/jpx'
    >>> sniff_bytes(b"q 10.5 0 0 12 0 0 cm /I1 Do Q\\n%PDF-1.4\\n")
    'application/pdf'
    """
    stripped = head.lstrip(b"\xef\xbb\xbf\r\n\t ")
    for signature, media_type in _SIGNATURES + _OTHER_IMAGES:
        if stripped.startswith(signature) or head.startswith(signature):
            if media_type == "image/webp" and head[8:12] != b"WEBP":
                continue
            if media_type == JP2 and head[16:24] == b"ftypjpx ":
                return JPX
            return media_type
    for signature, why in _REFUSED:
        if head.startswith(signature):
            return f"unknown: {why}"
    if _LATE_PDF.search(head):
        return PDF  # readers find the header anywhere in the first KiB: a stray content stream before it
    return TEXT


def is_image(media_type: str) -> bool:
    return media_type.startswith("image/")
