"""A corpus of hostile, broken and odd files, generated here, ingested in one batch.

Each file must get either a correct ingest or one line naming it with the
reason; never a traceback, never a hang; the rest of the batch goes in and the
archive stays consistent. Run through the real command line and Tesseract.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image

from arhiva.testing.pdfs import scanned_pdf, untyped_page_tree, write_scanned_pdf
from arhiva.testing.scans import Layout, render_pages

pytestmark = pytest.mark.e2e

OK, FAIL = "ingested", "failed"
TEXT = "Consiliul Local a aprobat în ședința din 8 aprilie 2021 bugetul municipiului.\n"


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", zlib.compress(b"\0" * 64)) + _png_chunk(b"IEND", b"")


def text_pdf(path: Path, pages: int = 1, password: str | None = None, text: str = TEXT) -> None:
    from fpdf import FPDF

    from arhiva.testing.scans import find_font

    pdf = FPDF()
    pdf.add_font("DejaVu", fname=find_font())
    pdf.set_font("DejaVu", size=10)
    for n in range(pages):
        pdf.add_page()
        pdf.multi_cell(0, 6, f"Pagina {n + 1}. {text}")
    if password:
        pdf.set_encryption(owner_password="o", user_password=password)
    pdf.output(str(path))


def valid_png(size=(300, 200), mode="L") -> Image.Image:
    return Image.new(mode, size, 255 if mode == "L" else (255, 255, 255, 0))


def make_corpus(root: Path) -> dict[str, tuple[str, str | None]]:
    """Write the files; return name -> (expected status, reason fragment)."""
    expected: dict[str, tuple[str, str | None]] = {}

    def put(name: str, data: bytes | str, status: str, reason: str | None = None) -> Path:
        path = root / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        expected[name] = (status, reason)
        return path

    put("gol.pdf", b"", FAIL, "empty file")
    put("gol.txt", b"", FAIL, "empty file")
    text_pdf(root / "bun.pdf")
    good_pdf = (root / "bun.pdf").read_bytes()
    expected["bun.pdf"] = (OK, None)
    put("trunchiat.pdf", good_pdf[: len(good_pdf) // 3], FAIL, "damaged or not a PDF")
    # What viewers open and pdfminer refuses or misreads: pdfium reads them.
    blank_scan = [Image.new("L", (300, 400), 255)] * 2
    put("xref-stricat.pdf", scanned_pdf(blank_scan, 100, startxref_shift=777), OK)
    put("arbore-fara-tip.pdf", untyped_page_tree(good_pdf), OK)
    put("fara-pagini.pdf", scanned_pdf([], 100), FAIL, "PDF has no pages")
    put("antet-doar.pdf", b"%PDF-1.7\n", FAIL, "damaged or not a PDF")
    text_pdf(root / "criptat.pdf", password="secret")
    expected["criptat.pdf"] = (FAIL, "encrypted PDF")
    text_pdf(root / "text-gunoi.pdf", text="~~~ ||| ### ^^^ ``` %%% $$$ @@@ " * 3)
    expected["text-gunoi.pdf"] = (OK, None)  # the garbage layer is refused; the page is OCRed
    put("de-fapt-text.pdf", TEXT, OK)  # wrong extension: it is text
    put("de-fapt-pdf.txt", good_pdf + b"\n% extra", OK)  # wrong extension: it is a PDF
    buffer = root / "tmp.png"
    valid_png().save(buffer)
    put("de-fapt-png.jpg", buffer.read_bytes(), OK)
    buffer.unlink()
    put("bomba.png", png_claiming(40_000, 40_000), FAIL, "too large")
    put("bomba-latime.png", png_claiming(2_000_000, 100), FAIL, "too large")
    put("png-stricat.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, FAIL, "not a readable image")
    jpeg = root / "tmp.jpg"
    valid_png((400, 400)).save(jpeg, quality=90)
    put("jpeg-trunchiat.jpg", jpeg.read_bytes()[:200], FAIL, "image")
    jpeg.unlink()
    valid_png((400, 300)).save(root / "scanare.jp2")
    expected["scanare.jp2"] = (OK, None)
    put("jp2-trunchiat.jp2", (root / "scanare.jp2").read_bytes()[:200], FAIL, "image")
    valid_png((400, 300)).save(root / "flux.j2k")
    expected["flux.j2k"] = (OK, None)
    put("tiff-stricat.tif", b"II*\x00" + b"\xff" * 60, FAIL, "image")
    text_pdf(root / "500-pagini.pdf", pages=500)
    expected["500-pagini.pdf"] = (OK, None)
    put("utf16-fara-bom.txt", TEXT.encode("utf-16-le"), OK)
    put("cp1250.txt", TEXT.translate(str.maketrans("șț", "şţ")).encode("cp1250"), OK)
    put("iso8859-16.txt", (TEXT + "„ghilimele”").encode("iso8859_16"), OK)
    put("mojibake.txt", TEXT.encode("utf-8").decode("cp1252", "replace"), OK)
    put("binar.txt", os.urandom(4096), FAIL, "binary data")
    put("nul-la-mijloc.txt", TEXT.encode() + b"\x00\x00\x00" + TEXT.encode(), FAIL, "binary data")
    put("arhiva.txt", b"PK\x03\x04" + os.urandom(200), FAIL, "ZIP archive")
    put("program.pdf", b"\x7fELF" + os.urandom(200), FAIL, "program")
    put("pagina.html.txt", "<html><body><p>" + TEXT + "</p></body></html>", OK)
    put("un-rand-lung.txt", ("cuvânt " * 150_000).strip(), OK)
    put("ședință 2021 – diacritice.txt", TEXT + " diacritice", OK)
    put("nume cu\nlinie nouă.txt", TEXT + " linie nouă", OK)
    put("  spații  .txt", TEXT + " spații", OK)
    image = root / "un-pixel.png"
    Image.new("L", (1, 1), 255).save(image)
    expected["un-pixel.png"] = (OK, None)
    Image.new("RGBA", (300, 200), (255, 255, 255, 0)).save(root / "transparent.png")
    expected["transparent.png"] = (OK, None)
    Image.new("L", (300, 200), 255).save(root / "imagine.gif")
    expected["imagine.gif"] = (OK, None)
    os.mkfifo(root / "teava.txt")  # reading a pipe would hang
    expected["teava.txt"] = (FAIL, "not a regular file")
    (root / "bucla-a").symlink_to(root / "bucla-b")
    (root / "bucla-b").symlink_to(root / "bucla-a")
    expected["bucla-a"] = expected["bucla-b"] = (FAIL, "symbolic links")
    (root / "legatura-rupta.pdf").symlink_to(root / "nu-exista.pdf")
    expected["legatura-rupta.pdf"] = (FAIL, "broken symbolic link")
    (root / "dosar-bucla").mkdir()
    (root / "dosar-bucla" / "sine").symlink_to(root / "dosar-bucla")  # a folder loop: not followed
    return expected


def test_hostile_corpus(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    expected = make_corpus(root)
    assert len(expected) >= 30
    archive = tmp_path / "archive"
    result = subprocess.run(
        [sys.executable, "-m", "arhiva", "ingest", "--json", "--file-timeout", "120", "--archive", str(archive), str(root)],
        capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    import json

    report = json.loads(result.stdout)
    got = {os.path.basename(f["path"]): f for f in report["files"]}
    assert set(got) == set(expected)
    for name, (status, reason) in expected.items():
        entry = got[name]
        assert entry["status"] == status, (name, entry)
        if reason:
            assert reason in entry["reason"], (name, entry)
            assert "\n" not in entry["reason"]
    failure_lines = [line for line in result.stderr.splitlines() if line.startswith("failed: ")]
    assert len(failure_lines) == sum(1 for status, _ in expected.values() if status == FAIL)
    verify = subprocess.run([sys.executable, "-m", "arhiva", "verify", "--archive", str(archive)],
                            capture_output=True, text=True)
    assert verify.returncode == 0, verify.stdout


def test_scan_with_a_damaged_xref_is_ocred(tmp_path):
    """A scan whose cross-reference table pdfminer cannot find: read and OCRed with pdfium."""
    import json

    import pdfplumber

    page = render_pages("Consiliul Local a aprobat bugetul municipiului pe anul 2021.", Layout(dpi=150))[0]
    path = write_scanned_pdf([page], tmp_path / "scan.pdf", 150, startxref_shift=500)
    with pytest.raises(Exception, match="No /Root object"), pdfplumber.open(path) as pdf:
        len(pdf.pages)
    archive = str(tmp_path / "archive")
    ingest = subprocess.run([sys.executable, "-m", "arhiva", "ingest", "--json", "--archive", archive, str(path)],
                            capture_output=True, text=True, timeout=300)
    assert ingest.returncode == 0, ingest.stdout + ingest.stderr
    doc_id = json.loads(ingest.stdout)["files"][0]["id"]
    shown = subprocess.run([sys.executable, "-m", "arhiva", "show", "--json", "--archive", archive, doc_id],
                           capture_output=True, text=True)
    assert [(p["method"], p["dpi"]) for p in json.loads(shown.stdout)["pages"]] == [("ocr", 150)]
    text = subprocess.run([sys.executable, "-m", "arhiva", "show", "--text", "--archive", archive, doc_id],
                          capture_output=True, text=True).stdout
    assert "bugetul municipiului" in text
