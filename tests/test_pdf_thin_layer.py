"""A scan under a thin text layer is OCRed and keeps the layer's lines; a born-digital page with a logo is not OCRed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from arhiva.ingest import PageJob, PageText, plan_document, run_page_job
from arhiva.ingest import pdf as pdf_reader
from arhiva.ingest.page import ocr_page
from arhiva.ingest.thin_layer import MIN_SCAN_COVER, combine, image_cover
from arhiva.limits import DEFAULT_LIMITS
from arhiva.testing.scans import Layout, find_font, render_pages
from tests.conftest import FakeEngine

CASES = json.loads((Path(__file__).parent / "data" / "ingest" / "thin_layers.json").read_text("utf-8"))

DECISION = ("CONSILIUL LOCAL AL COMUNEI GHIMBAV\n"
            "HOTĂRÂRE privind aprobarea bugetului local al comunei Ghimbav pe anul 2021\n"
            "Consiliul Local al comunei Ghimbav, întrunit în ședință ordinară, având în vedere referatul de "
            "aprobare al primarului și raportul compartimentului de specialitate, hotărăște aprobarea bugetului.")
STAMP = "Nr. înregistrare 1234 / 12.05.2021, semnat electronic"


def scan_with_stamp(path: Path, stamp: str = STAMP, invisible: bool = False) -> Path:
    """A one-page PDF: a full-page scan of a decision, with one line of digital text drawn over its top margin."""
    from fpdf import FPDF
    from fpdf.enums import TextMode

    image = render_pages(DECISION, Layout(dpi=150))[0]
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.image(image, x=0, y=0, w=210, h=297)
    pdf.add_font("DejaVu", fname=find_font())
    pdf.set_font("DejaVu", size=10)
    if invisible:
        pdf.text_mode = TextMode.INVISIBLE
    pdf.text(x=110, y=10, text=stamp)
    pdf.output(str(path))
    return path


def text_with_logo(path: Path) -> Path:
    """A born-digital page: a logo in its corner over a page of text."""
    from fpdf import FPDF

    logo = Image.new("RGB", (300, 300), "white")
    ImageDraw.Draw(logo).ellipse((20, 20, 280, 280), fill="navy")
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.image(logo, x=15, y=10, w=30, h=30)
    pdf.add_font("DejaVu", fname=find_font())
    pdf.set_font("DejaVu", size=11)
    pdf.set_y(45)
    pdf.multi_cell(0, 6, DECISION + "\n" + STAMP)
    pdf.output(str(path))
    return path


@pytest.mark.parametrize("case", CASES, ids=[c["comment"][:50] for c in CASES])
def test_the_layer_lines_are_kept_with_the_ocr_text(case):
    page = combine(PageText(case["ocr"], "ocr", 90.0, 150), case["layer"])
    assert (page.method, page.text, page.warnings) == (case["method"], case["text"], case["warnings"])


@pytest.mark.parametrize("invisible", [False, True])
def test_a_scan_under_a_stamp_line_is_ocred_with_the_layer_kept_for_later(tmp_path, invisible):
    path = scan_with_stamp(tmp_path / "scan.pdf", invisible=invisible)
    for pages in (pdf_reader.read_pages(path).pages, pdf_reader._read_with_pdfium(path, DEFAULT_LIMITS)):
        page = pages[0]
        assert page.needs_ocr and page.text == "" and page.layer.strip() == STAMP
        assert page.note.startswith("a scan under a thin text layer: images cover 100% of the page, the layer has")


def test_a_stamp_of_a_few_letters_over_a_scan_is_kept_too(tmp_path):
    path = scan_with_stamp(tmp_path / "scan.pdf", stamp="Nr. 1234 / 12.05.2021")
    page = pdf_reader.read_pages(path).pages[0]
    assert page.needs_ocr and page.note is None and page.layer.strip() == "Nr. 1234 / 12.05.2021"


#: What a scanner's own OCR left in a thin invisible layer over a scanned page (a real page's first pieces).
NOISE = "E€*B Ig.I fi$ ,., qCE SE E f EEt fi$ ;NEE (-c i= J- = Cr .= I 5 EtFg Hq t;;=E i+!il :E =<uur.rc*Bh.=E"


def test_a_thin_layer_of_ocr_noise_over_a_scan_is_not_kept(tmp_path):
    path = scan_with_stamp(tmp_path / "scan.pdf", stamp=NOISE, invisible=True)
    page = pdf_reader.read_pages(path).pages[0]
    assert page.needs_ocr and page.layer == ""
    assert page.note.startswith("text layer not used (over a scan, mostly fragments:")
    engine = FakeEngine("CONSILIUL LOCAL AL COMUNEI GHIMBAV\nHOTĂRÂRE privind aprobarea bugetului local")
    job = plan_document(path).pages[0]
    assert "EtFg" not in run_page_job(job, engine).text


def test_a_born_digital_page_with_a_logo_keeps_its_text_layer(tmp_path):
    path = text_with_logo(tmp_path / "logo.pdf")
    for pages in (pdf_reader.read_pages(path).pages, pdf_reader._read_with_pdfium(path, DEFAULT_LIMITS)):
        assert not pages[0].needs_ocr and STAMP in pages[0].text and pages[0].layer == ""


def test_images_cover_is_the_union_of_their_boxes():
    a4 = (0, 0, 595, 842)
    assert image_cover([(57.6, 70.9, 534.0, 743.9)], a4) >= MIN_SCAN_COVER  # a scan inside a Word page's margins
    assert image_cover([(42, 40, 127, 125)], a4) < 0.02  # a logo
    assert image_cover([(0, 0, 595, 842)] * 3, a4) == 1.0


def test_an_ocred_page_keeps_the_stamp_ocr_did_not_read(tmp_path):
    path = scan_with_stamp(tmp_path / "scan.pdf", invisible=True)
    engine = FakeEngine("CONSILIUL LOCAL AL COMUNEI GHIMBAV\nHOTĂRÂRE privind aprobarea bugetului local")
    job = plan_document(path).pages[0]
    assert isinstance(job, PageJob)
    page = run_page_job(job, engine)
    assert page.text.startswith("CONSILIUL LOCAL") and page.text.endswith(STAMP)


@pytest.mark.e2e
@pytest.mark.parametrize("invisible", [False, True])
def test_tesseract_reads_the_scan_and_the_stamp_is_kept(tmp_path, invisible):
    from arhiva.ingest.ocr import TesseractEngine

    path = scan_with_stamp(tmp_path / "scan.pdf", invisible=invisible)
    read = pdf_reader.read_pages(path).pages[0]
    rendered = pdf_reader.render_page(path, 0, read.dpi)
    page = combine(ocr_page(rendered.image, TesseractEngine(), rendered.dpi), read.layer)
    assert page.method == "ocr"
    assert "bugetului local" in page.text and "Ghimbav" in page.text
    assert STAMP in page.text.splitlines()
