"""Extraction without Tesseract: file types, text layers, encodings, bad input."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from PIL import Image

from arhiva.errors import InputError
from arhiva.ingest import PageJob, PageText, extract_pages, plan_document
from arhiva.ingest.page import estimate_skew, ocr_page
from arhiva.ingest.pdf import text_layer_is_usable
from arhiva.testing.scans import Layout, render_pages, save_pdf, save_text_pdf, save_tiff
from tests.conftest import FakeEngine, write_page_image


def test_text_file_in_cp1250(tmp_path):
    path = tmp_path / "vechi.txt"
    path.write_bytes("Hotărârea Consiliului Local privind şedinţa".encode("cp1250"))
    plan = plan_document(path)
    assert plan.media_type == "text/plain" and plan.encoding == "cp1250"
    assert plan.pages[0].text.startswith("Hotărârea")


def test_text_file_pages_split_on_form_feed(tmp_path):
    path = tmp_path / "two.txt"
    path.write_text("Pagina unu are text.\fPagina doi are text.", "utf-16")
    plan = plan_document(path)
    assert [p.text for p in plan.pages] == ["Pagina unu are text.", "Pagina doi are text."]


def test_born_digital_pdf_uses_the_text_layer(tmp_path, texts):
    path = tmp_path / "anunt.pdf"
    save_text_pdf(texts["anunt-consultare"], path)
    engine = FakeEngine()
    plan, pages = extract_pages(path, engine)
    assert engine.calls == 0
    assert pages[0].method == "text-layer"
    assert "Primăria municipiului invită cetățenii" in " ".join(pages[0].text.split())


def test_scanned_pdf_is_planned_for_ocr_at_its_own_resolution(tmp_path):
    path = tmp_path / "scan.pdf"
    pages = render_pages("Ședința consiliului.\fA doua pagină.", Layout(dpi=100))
    save_pdf(pages, path, dpi=100)
    plan = plan_document(path)
    assert [type(p) for p in plan.pages] == [PageJob, PageJob]
    assert {p.dpi for p in plan.pages} == {100}


def test_text_layer_decision():
    assert text_layer_is_usable("Consiliul Local al municipiului a aprobat bugetul local.")
    assert not text_layer_is_usable("")
    assert not text_layer_is_usable("(cid:12)(cid:13)(cid:14)(cid:15) " * 20)
    assert not text_layer_is_usable("~~~ ||| ### ... ,,, ;;; " * 5 + "ab")


def test_multipage_tiff(tmp_path):
    path = tmp_path / "scan.tif"
    save_tiff([Image.new("L", (300, 400), 255)] * 3, path, dpi=150)
    plan, pages = extract_pages(path, FakeEngine())
    assert len(pages) == 3 and all(p.method == "ocr" and p.dpi == 150 for p in pages)


def test_ocr_page_turns_a_page_when_confidence_is_low():
    class Upside(FakeEngine):
        def recognize(self, image, dpi):
            self.calls += 1
            conf = 90.0 if self.calls > 1 else 20.0
            return super().recognize(image, dpi).__class__(self.text, conf, 3)

        def orientation(self, image, dpi):
            return 180

    page = ocr_page(Image.new("L", (200, 300), 255), Upside(), 150)
    assert page.rotation == 180 and page.confidence == 90.0


def test_skew_is_estimated():
    page = render_pages("Consiliul Local a aprobat bugetul pe anul 2021. " * 40, Layout(dpi=100))[0]
    assert abs(estimate_skew(page)) < 0.3
    tilted = page.rotate(2.0, fillcolor=255)
    assert estimate_skew(tilted) == pytest.approx(-2.0, abs=0.3)


def _encrypted_pdf(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Confidential minutes of the meeting")
    pdf.set_encryption(owner_password="owner", user_password="user")
    pdf.output(str(path))


def _bomb_png(path: Path) -> None:
    """A small PNG file that claims 40000 × 40000 pixels."""
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 40000, 40000, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + chunk(b"IEND", b""))


BAD_FILES = {
    "encrypted.pdf": (_encrypted_pdf, "encrypted PDF"),
    "truncated.pdf": (lambda p: p.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog"), "damaged or not a PDF"),
    "bomb.png": (_bomb_png, "too large"),
    "broken.png": (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50), "not a readable image"),
    "binary.txt": (lambda p: p.write_bytes(bytes(range(256)) * 8), "binary data"),
    "archive.zip.txt": (lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00" * 100), "ZIP archive"),
    "blank.txt": (lambda p: p.write_text("   \n\n  "), "holds no text"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_input_gets_a_clear_reason(tmp_path, name):
    make, reason = BAD_FILES[name]
    path = tmp_path / name
    make(path)
    with pytest.raises(InputError, match=reason) as info:
        extract_pages(path, FakeEngine())
    assert "\n" not in str(info.value)


def test_page_text_json_for_the_manifest():
    page = PageText("x", "ocr", 91.5, 150, 180, -1.2)
    assert page.to_json() == {"method": "ocr", "confidence": 91.5, "dpi": 150, "rotation": 180, "skew": -1.2}
    assert PageText("x", "text-layer").to_json() == {"method": "text-layer"}


def test_image_is_ocred_with_its_resolution(tmp_path):
    path = write_page_image(tmp_path / "p.png", dpi=200)
    _, pages = extract_pages(path, FakeEngine())
    assert pages[0].dpi == 200 and pages[0].method == "ocr"
