"""Hostile files for the tests: decompression bombs, giant pages, lying fonts, a Tesseract that misbehaves.

Each is built here from nothing, small on disk and cheap to make, so that the
tests can show what arhiva does with it through the real command line. The
attack suite (tests/test_attacks.py) names its files in JSON by a generator
of :data:`GENERATORS` and its arguments, and what it does to an archive by a
:func:`tamper` action; the benchmark bench/hostile_limits.py uses the same.
"""

from __future__ import annotations

import re
import stat
import string
import struct
import os
import zlib
from pathlib import Path

_LOWER, _UPPER = string.ascii_lowercase, string.ascii_uppercase


def minimal_pdf(page: bytes, content: bytes | None = None) -> bytes:
    """A one-page PDF whose page dictionary holds ``page``, with a content stream ``content`` if given."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R " + page + (b" /Contents 4 0 R" if content else b"") + b" >>"]
    if content:
        objects.append(content)
    return pdf_from_objects(objects)


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


# -- files an attacker, a broken scanner or a careless administrator hands over ------------------
#
# Each generator below writes one file at ``path`` from its keyword arguments, so that a test
# case can name it in JSON (tests/data/attacks/). :data:`GENERATORS` maps the names to them.

TEXT = "Consiliul Local a aprobat în ședința din 8 aprilie 2021 bugetul municipiului.\n"


def png_chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data and CRC."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` × ``height`` gray pixels, with almost no pixel data."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + png_chunk(b"IEND", b""))


def png_bomb(width: int, height: int) -> bytes:
    """A real, valid PNG of ``width`` × ``height`` white 1-bit pixels: kilobytes that decode to megapixels.

    >>> len(png_bomb(20_000, 20_000)) < 100_000
    True
    """
    row = b"\0" + b"\xff" * ((width + 7) // 8)
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row * 64) for _ in range(height // 64))
    body += packer.compress(row * (height % 64)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", body)
            + png_chunk(b"IEND", b""))


def tiff_claiming(width: int, height: int, loop: bool = False) -> bytes:
    """A little-endian TIFF of one gray strip whose header claims ``width`` × ``height``.

    With ``loop`` its directory names itself as the next one: a reader that
    follows the chain of pages never ends.
    """
    entries = [(256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1),
               (273, 4, 1, 8), (277, 3, 1, 1), (278, 4, 1, height), (279, 4, 1, 16)]
    ifd_offset = 8 + 16
    ifd = struct.pack("<H", len(entries)) + b"".join(struct.pack("<HHII", *e) for e in entries)
    ifd += struct.pack("<I", ifd_offset if loop else 0)
    return b"II*\x00" + struct.pack("<I", ifd_offset) + b"\xff" * 16 + ifd


def tiff_frames(count: int, side: int = 8) -> bytes:
    """A TIFF of ``count`` white ``side`` × ``side`` pages sharing one strip, written directly (Pillow's
    multi-page writer takes minutes for thousands of pages).

    >>> from io import BytesIO
    >>> from PIL import Image
    >>> Image.open(BytesIO(tiff_frames(3))).n_frames
    3
    """
    pixels = b"\xff" * side * side
    entries = 9
    ifd_size = 2 + 12 * entries + 4
    first = 8 + len(pixels)
    out = [b"II*\x00", struct.pack("<I", first), pixels]
    for n in range(count):
        following = first + (n + 1) * ifd_size if n + 1 < count else 0
        fields = [(256, 4, 1, side), (257, 4, 1, side), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1),
                  (273, 4, 1, 8), (277, 3, 1, 1), (278, 4, 1, side), (279, 4, 1, len(pixels))]
        out.append(struct.pack("<H", entries) + b"".join(struct.pack("<HHII", *f) for f in fields)
                   + struct.pack("<I", following))
    return b"".join(out)


def gif_claiming(width: int, height: int) -> bytes:
    """A GIF whose logical screen and image claim ``width`` × ``height`` pixels, with one byte of data."""
    return (b"GIF89a" + struct.pack("<HHBBB", width, height, 0x80, 0, 0) + b"\0\0\0\xff\xff\xff"
            + b"," + struct.pack("<HHHHB", 0, 0, width, height, 0) + b"\x02\x02\x44\x01\x00;")


def webp_claiming(width: int, height: int) -> bytes:
    """A lossless WebP whose header claims ``width`` × ``height`` (at most 16,384 a side), cut short."""
    bits = (width - 1) | ((height - 1) << 14) | (1 << 28)
    chunk = b"\x2f" + struct.pack("<I", bits) + b"\0" * 16
    body = b"WEBP" + b"VP8L" + struct.pack("<I", len(chunk)) + chunk
    return b"RIFF" + struct.pack("<I", len(body)) + body


def bmp_claiming(width: int, height: int) -> bytes:
    """A 24-bit BMP whose header claims ``width`` × ``height``, with no pixels."""
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, 0, 2835, 2835, 0, 0)
    return b"BM" + struct.pack("<IHHI", 14 + len(info), 0, 0, 14 + len(info)) + info


def text_pdf(path: Path, pages: int = 1, password: str | None = None, text: str = TEXT,
             owner_only: bool = False) -> None:
    """A born-digital PDF with a text layer; encrypted with a user ``password`` (``owner_only``: an empty one)."""
    from fpdf import FPDF

    from arhiva.testing.scans import find_font

    pdf = FPDF()
    pdf.add_font("DejaVu", fname=find_font())
    pdf.set_font("DejaVu", size=10)
    for n in range(pages):
        pdf.add_page()
        pdf.multi_cell(0, 6, f"Pagina {n + 1}. {text}")
    if password is not None or owner_only:
        pdf.set_encryption(owner_password="proprietar", user_password="" if owner_only else password)
    pdf.output(str(path))


def _text_content(text: str = TEXT) -> bytes:
    line = text.strip().encode("latin-1", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(")
    content = b"BT /F1 11 Tf 50 780 Td (" + line.replace(b")", b"\\)") + b") Tj ET"
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)


def pdf_from_objects(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A PDF of ``objects`` (numbered from 1, the first the catalog) with a correct cross-reference table."""
    body, offsets = b"%PDF-1.7\n", []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return body + b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, trailer_extra, xref)


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
_TEXT_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> " \
             b"/Contents 5 0 R >>"


def pdf_with(kind: str) -> bytes:
    """A one-page PDF with a text layer and one hostile or odd feature ``kind``:

    ``javascript`` (an action run on opening), ``embedded-file`` (an attached
    program), ``deep-nesting`` (arrays nested 50,000 deep), ``huge-length``
    (a stream claiming 10^11 bytes), ``pages-loop`` (the page tree is its own
    child), ``count-lies`` (claims a million pages), ``objstm-loop`` (an
    object stream that extends itself), ``bad-xref`` (every offset wrong),
    ``rotate-odd`` (/Rotate 45), ``mediabox-zero``, ``mediabox-negative``,
    ``mediabox-enormous`` (10^30 points).
    """
    catalog = b"<< /Type /Catalog /Pages 2 0 R >>"
    pages = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    page = _TEXT_PAGE
    objects = [catalog, pages, page, _FONT, _text_content()]
    if kind == "javascript":
        objects[0] = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>"
        objects.append(b"<< /S /JavaScript /JS (app.alert\\('pwned'\\); this.exportDataObject\\({cName: 'x'}\\);) >>")
    elif kind == "embedded-file":
        payload = b"\x7fELF" + b"\0" * 60
        objects[0] = b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(run.sh) 6 0 R] >> >> >>"
        objects.append(b"<< /Type /Filespec /F (run.sh) /EF << /F 7 0 R >> >>")
        objects.append(b"<< /Type /EmbeddedFile /Length %d >>\nstream\n%s\nendstream" % (len(payload), payload))
    elif kind == "deep-nesting":
        objects[2] = page[:-2] + b"/Junk " + b"[" * 50_000 + b"]" * 50_000 + b" >>"
    elif kind == "huge-length":
        content = _text_content()
        objects[4] = re.sub(rb"/Length \d+", b"/Length 99999999999", content, count=1)
    elif kind == "pages-loop":
        objects[1] = b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>"
    elif kind == "count-lies":
        objects[1] = b"<< /Type /Pages /Kids [3 0 R] /Count 1000000 >>"
    elif kind == "objstm-loop":
        inner = b"6 0 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
        objects[3] = b"<< /Type /ObjStm /N 1 /First 4 /Extends 4 0 R /Length %d >>\nstream\n%s\nendstream" % (
            len(inner), inner)
        objects[2] = page.replace(b"/F1 4 0 R", b"/F1 6 0 R")
    elif kind == "rotate-odd":
        objects[2] = page[:-2] + b"/Rotate 45 >>"
    elif kind.startswith("mediabox-"):
        box = {"mediabox-zero": b"[0 0 0 0]", "mediabox-negative": b"[0 0 -595 -842]",
               "mediabox-enormous": b"[0 0 1e30 1e30]"}[kind]
        objects[2] = page.replace(b"[0 0 595 842]", box)
    data = pdf_from_objects(objects)
    if kind == "bad-xref":
        data = re.sub(rb"(\d{10}) 00000 n", lambda m: b"%010d 00000 n" % (int(m.group(1)) + 37), data)
    return data


def pdf_pages(count: int) -> bytes:
    """A PDF of ``count`` empty A4 pages, written in a few bytes each."""
    kids = b" ".join(b"%d 0 R" % (3 + n) for n in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count)]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * count
    return pdf_from_objects(objects)


def pdf_image_bomb(side: int = 60_000) -> bytes:
    """An A4 page that draws one gray image claiming ``side`` × ``side`` pixels, its data a few bytes."""
    data = zlib.compress(b"\xff" * 4096)
    image = (b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
             b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream") % (
        side, side, len(data), data)
    draw = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 4 0 R >> >> "
               b"/Contents 5 0 R >>", image,
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(draw), draw)]
    return pdf_from_objects(objects)


def text_scan(text: str = TEXT, dpi: int = 100):
    """A small page image of typeset ``text`` at ``dpi`` (A4; about 0.8 megapixels at 100 dpi)."""
    from arhiva.testing.scans import Layout, render_pages

    return render_pages(text, Layout(dpi=dpi))[0]


def write_image(path: Path, kind: str, **args) -> None:
    """A page image: ``scan`` (a plain PNG of typeset ``text``), or an odd but valid one: ``cmyk`` JPEG,
    ``palette`` PNG, ``1-bit`` TIFF (Group 4),
    ``16-bit`` PNG, ``exif-rotated`` JPEG (a sideways scan with Orientation 6), ``frames`` TIFF of
    ``count`` tiny pages, ``wide`` PNG (``width`` × 20, a gradient), ``one-pixel``, ``transparent``.
    """
    from PIL import Image as PILImage

    if kind == "frames":
        path.write_bytes(tiff_frames(args.get("count", 5000)))
        return
    if kind == "wide":  # a gradient: a blank page would never reach Tesseract
        PILImage.linear_gradient("L").resize((args.get("width", 40_000), args.get("height", 20))).save(path,
                                                                                                  format="PNG")
        return
    if kind == "one-pixel":
        PILImage.new("L", (1, 1), 255).save(path, format="PNG")
        return
    if kind == "transparent":
        PILImage.new("RGBA", (300, 200), (255, 255, 255, 0)).save(path, format="PNG")
        return
    page = text_scan(args.get("text", TEXT))
    if kind == "scan":
        page.save(path, format="PNG", dpi=(100, 100))
    elif kind == "cmyk":
        page.convert("CMYK").save(path, format="JPEG", quality=85)
    elif kind == "palette":
        page.convert("P").save(path, format="PNG")
    elif kind == "1-bit":
        page.convert("1").save(path, format="TIFF", compression="group4", dpi=(100, 100))
    elif kind == "16-bit":
        import numpy as np

        PILImage.fromarray(np.asarray(page).astype(np.uint16) * 257).save(path, format="PNG")
    elif kind == "exif-rotated":
        exif = PILImage.Exif()
        exif[0x0112] = 6  # "rotate 90° clockwise to view"
        page.rotate(90, expand=True).save(path, format="JPEG", quality=85, exif=exif.tobytes(), dpi=(100, 100))
    elif kind == "truncated-jpeg":
        page.save(path, format="JPEG", quality=85)
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
    else:
        raise ValueError(f"unknown image kind {kind!r}")


def noise_png(path: Path, mode: str = "L", side: int = 10_000) -> None:
    """A ``side`` × ``side`` scan of black and white noise, gray (``L``) or colour (``RGB``).

    The worst page for OCR: Tesseract takes all the memory it is given on it.
    """
    import numpy as np
    from PIL import Image as PILImage

    rng = np.random.default_rng(0)
    shape = (side, side) if mode == "L" else (side, side, 3)
    PILImage.fromarray((rng.random(shape) > 0.5).astype(np.uint8) * 255, mode).save(path)


def text_scan_sheet(path: Path, text: str, a3: bool = False, dpi: int = 600) -> None:
    """A page of typeset ``text`` at ``dpi``: A4 (35 megapixels at 600 dpi), or A3 as two A4 pages side by side (70)."""
    from PIL import Image as PILImage

    from arhiva.testing.scans import Layout, render_pages

    pages = render_pages(text + "\f" + text, Layout(dpi=dpi))
    if not a3:
        pages[0].save(path, dpi=(dpi, dpi))
        return
    sheet = PILImage.new("L", (pages[0].width * 2, pages[0].height), 255)
    sheet.paste(pages[0], (0, 0))
    sheet.paste(pages[-1], (pages[0].width, 0))
    sheet.save(path, dpi=(dpi, dpi))


def repeated_text(chars: int, text: str = TEXT) -> bytes:
    """``chars`` characters of ``text`` repeated, in UTF-8."""
    return (text * (chars // len(text) + 1))[:chars].encode("utf-8")


def write_bytes(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def _text_file(path: Path, kind: str, **args) -> None:
    """Text files: ``utf16-bom``, ``utf16-no-bom``, ``utf16-be-bom``, ``binary``, ``nul``,
    ``mixed-encodings`` (UTF-8, then cp1250), ``rtl-control`` (bidi overrides and Arabic),
    ``long-word`` (``length`` letters, no space), ``legacy-long-word`` (the same after words in legacy fonts'
    letters, which the clean-up maps), ``long-line`` (``size`` bytes, one line, written
    in chunks), ``whitespace``, ``bom-only``, ``form-feeds`` (``count`` pages), ``cr-only``,
    ``many-lines`` (``count`` short lines), ``terminal-escapes`` (ANSI codes in the text),
    ``pdf-named-txt``.
    """
    import os

    if kind == "utf16-bom":
        data = TEXT.encode("utf-16")
    elif kind == "utf16-no-bom":
        data = TEXT.encode("utf-16-le")
    elif kind == "utf16-be-bom":
        data = b"\xfe\xff" + TEXT.encode("utf-16-be")
    elif kind == "binary":
        data = os.urandom(args.get("size", 4096))
    elif kind == "nul":
        data = TEXT.encode() + b"\0\0\0" + TEXT.encode()
    elif kind == "mixed-encodings":
        data = TEXT.encode("utf-8") + TEXT.translate(str.maketrans("șț", "şţ")).encode("cp1250")
    elif kind == "rtl-control":
        data = (TEXT + "\u202eFDP.exe\u202c \u200f\u0645\u0631\u062d\u0628\u0627\u200e \u2066x\u2069\n").encode()
    elif kind == "long-word":
        data = TEXT.encode() + b"a" * args.get("length", 200_000) + b"\n"
    elif kind == "legacy-long-word":
        data = "Hotãrârea privind ºedinþa de astãzi. Hot„r‚re din jude˛ul Cara∫, adopt„ ac˛iunea ".encode() \
            + b"a" * args.get("length", 200_000) + b"\n"
    elif kind == "long-line":
        with open(path, "wb") as handle:
            chunk = repeated_text(2**20).replace(b"\n", b" ")
            for _ in range(args.get("size", 50 * 2**20) // len(chunk)):
                handle.write(chunk)
        return
    elif kind == "whitespace":
        data = b" \n\t\r\n" * 1000
    elif kind == "bom-only":
        data = b"\xef\xbb\xbf"
    elif kind == "form-feeds":
        data = "\f".join(f"Pagina {n}. {TEXT}" for n in range(args.get("count", 3000))).encode()
    elif kind == "cr-only":
        data = (TEXT.strip() + "\r").encode() * 20
    elif kind == "many-lines":
        data = b"a\n" * args.get("count", 200_000)
    elif kind == "terminal-escapes":
        data = ("\x1b[2J\x1b[31m" + TEXT + "\x1b]0;pwned\x07\n").encode()
    else:
        raise ValueError(f"unknown text kind {kind!r}")
    path.write_bytes(data)


def _image_file(path: Path, kind: str, width: int = 0, height: int = 0, **args) -> None:
    if kind in ("scan", "cmyk", "palette", "1-bit", "16-bit", "exif-rotated", "truncated-jpeg", "frames", "wide",
                "one-pixel", "transparent"):
        write_image(path, kind, **args)
        return
    makers = {"png-claiming": png_claiming, "png-bomb": png_bomb, "tiff-claiming": tiff_claiming,
              "gif-claiming": gif_claiming, "webp-claiming": webp_claiming, "bmp-claiming": bmp_claiming}
    if kind == "tiff-loop":
        path.write_bytes(tiff_claiming(16, 1, loop=True))
        return
    path.write_bytes(makers[kind](width, height))


def _pdf_file(path: Path, kind: str, **args) -> None:
    if kind == "flate-bomb":
        path.write_bytes(flate_bomb_pdf(args.get("megabytes", 300)))
    elif kind == "huge-page":
        path.write_bytes(huge_page_pdf(args.get("points", 14400)))
    elif kind == "pages":
        path.write_bytes(pdf_pages(args["count"]))
    elif kind == "image-bomb":
        path.write_bytes(pdf_image_bomb(args.get("side", 60_000)))
    elif kind == "text":
        text_pdf(path, pages=args.get("pages", 1))
    elif kind == "encrypted":
        text_pdf(path, password=args.get("password", "secret"))
    elif kind == "encrypted-owner-only":
        text_pdf(path, owner_only=True)
    elif kind == "truncated":
        text_pdf(path)
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
    elif kind == "shifted-glyphs":
        import tempfile

        with tempfile.TemporaryDirectory() as work:  # the font made for it stays out of the batch
            shifted_glyph_pdf(TEXT * 2, path, Path(work))
    else:
        path.write_bytes(pdf_with(kind))


#: Generators by the name a test case in JSON gives: each writes the file at ``path`` from the case's ``args``.
GENERATORS = {
    "pdf": _pdf_file,
    "image": _image_file,
    "text": _text_file,
    "utf8": lambda path, text=TEXT, repeat=1: path.write_bytes((text * repeat).encode("utf-8")),
    "hex": lambda path, data: path.write_bytes(bytes.fromhex(data)),
}


def generate(path: Path, generator: str, args: dict | None = None) -> Path:
    """Write the file of a test case: ``GENERATORS[generator](path, **args)``."""
    GENERATORS[generator](path, **(args or {}))
    return path


def colliding_texts(digits: int = 4, stem: str = "Comunicat de presă nr. {n}.\n") -> tuple[bytes, bytes]:
    """Two short texts whose SHA-256 (their document IDs) begin with the same ``digits`` hex digits.

    >>> import hashlib
    >>> a, b = colliding_texts(4)
    >>> a != b and hashlib.sha256(a).hexdigest()[:4] == hashlib.sha256(b).hexdigest()[:4]
    True
    """
    import hashlib

    seen: dict[str, bytes] = {}
    n = 0
    while True:
        data = stem.format(n=n).encode("utf-8") + TEXT.encode("utf-8")
        prefix = hashlib.sha256(data).hexdigest()[:digits]
        if prefix in seen:
            return seen[prefix], data
        seen[prefix] = data
        n += 1


# -- what a careless administrator or a forger does to an archive ------------------------------


def document_folder(archive: Path, doc_id: str) -> Path:
    """The folder of document ``doc_id`` (its full ID) in ``archive``."""
    return archive / "documents" / doc_id[:2] / doc_id


def _writable(path: Path) -> Path:
    """``path``, made writable (stored files are read-only), its folder too."""
    import os

    for item in (path.parent, path):
        if item.exists() and not item.is_symlink():
            os.chmod(item, os.stat(item).st_mode | stat.S_IWUSR)
    return path


def _stored_file(folder: Path, name: str) -> Path:
    if name == "original":
        return next(folder.glob("original.*"))
    return folder / name


def tamper(archive: Path, doc_id: str, action: dict) -> None:
    """Do to ``archive`` what ``action`` says (``action["tamper"]``), to document ``doc_id`` where it is about one:

    ``edit-byte`` (``file``, at the fraction ``at`` of its length: the byte's bits flipped),
    ``extra-file`` (``file`` added to the document's folder), ``symlink-original`` (the
    original replaced by a link to ``target``), ``delete-folder``, ``delete-file``
    (``file``), ``append-text`` (``text`` added to ``file``), ``index-bytes`` (bytes of
    every index segment overwritten), ``edit-journal`` (the time of the first entry
    changed), ``make-folder`` / ``write`` / ``symlink`` (``path``, ``text``, ``target``:
    anywhere).
    """
    import os
    import shutil

    kind = action["tamper"]
    folder = document_folder(archive, doc_id)
    if kind == "edit-byte":
        path = _writable(_stored_file(folder, action["file"]))
        data = bytearray(path.read_bytes())
        data[int(len(data) * action.get("at", 0.5))] ^= 0x20
        path.write_bytes(bytes(data))
    elif kind == "extra-file":
        _writable(folder / "x")
        (folder / action["file"]).write_text("ceva în plus\n")
    elif kind == "symlink-original":
        path = _writable(_stored_file(folder, "original"))
        path.unlink()
        path.symlink_to(action["target"])
    elif kind == "delete-folder":
        shutil.rmtree(folder)
    elif kind == "delete-file":
        _writable(folder / action["file"]).unlink()
    elif kind == "append-text":
        with open(_writable(folder / action["file"]), "a", encoding="utf-8") as handle:
            handle.write(action["text"])
    elif kind == "index-bytes":
        for path in sorted((archive / "index").iterdir()):
            if path.suffix in (".pst", ".trm", ".col", ".toc") and path.stat().st_size > 64:
                with open(_writable(path), "r+b") as handle:
                    handle.seek(path.stat().st_size // 2)
                    handle.write(b"\xde\xad\xbe\xef" * 4)
    elif kind == "edit-journal":
        path = _writable(archive / "journal.jsonl")
        lines = path.read_text("utf-8").splitlines(keepends=True)
        lines[0] = re.sub(r'"at": ?"(\d)', lambda m: m.group(0)[:-1] + str((int(m.group(1)) + 1) % 10), lines[0],
                          count=1)  # the time of the first entry moved
        path.write_text("".join(lines), "utf-8")
    elif kind == "make-folder":
        Path(action["path"]).mkdir(parents=True, exist_ok=True)
    elif kind == "write":
        target = Path(action["path"])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(action["text"], "utf-8")
    elif kind == "symlink":
        link = Path(action["path"])
        link.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(action["target"], link)
    else:
        raise ValueError(f"unknown tampering {kind!r}")


def process_tree(root: int) -> list[int]:
    """The process ``root`` and all its descendants, read from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat_line = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            children.setdefault(int(stat_line.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found
