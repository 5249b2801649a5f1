"""Extraction without Tesseract: file types, text layers, encodings, bad input."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import pytest
from PIL import Image

from arhiva.errors import InputError, LimitError, OcrError
from arhiva.ingest import PageJob, PageText, detect, extract_pages, plan_document, run_page_job
from arhiva.ingest.images import load_frame
from arhiva.ingest.ocr import Recognition, Word
from arhiva.ingest.page import apply, estimate_skew, ocr_page
from arhiva.ingest.pdf import text_layer_is_usable, text_layer_problem
from arhiva.limits import Limits
from arhiva.testing.pdfs import PARTLY_UNTYPED, scanned_pdf, untyped_page_tree, write_scanned_pdf
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


def test_each_page_of_a_text_layer_is_released_once_read(tmp_path, texts, monkeypatch):
    """pdfplumber keeps a page's characters until the page is closed: 48 pages of tables
    took 1.2 GB and crashed the reader at its memory limit when every page was kept."""
    import pdfplumber.page

    from arhiva.ingest.pdf import read_pages

    events = []
    close, extract_text = pdfplumber.page.Page.close, pdfplumber.page.Page.extract_text
    monkeypatch.setattr(pdfplumber.page.Page, "close", lambda page: (events.append(("closed", page.page_number)), close(page)))
    monkeypatch.setattr(pdfplumber.page.Page, "extract_text",
                        lambda page, **kw: (events.append(("read", page.page_number)), extract_text(page, **kw))[1])
    path = tmp_path / "anunt.pdf"
    save_text_pdf("\f".join([texts["anunt-consultare"]] * 3), path)
    reading = read_pages(path)
    assert reading.reader == "pdfplumber" and len(reading.pages) == 3
    for number in (2, 3):  # the page before is closed before this one is read
        assert events.index(("closed", number - 1)) < events.index(("read", number))


def test_pdf_with_a_stray_content_stream_before_its_header(tmp_path, texts):
    # a generator's bug: ``q 10.5 0 0 12 0 0 cm /I1 Do Q`` written before ``%PDF-1.4``;
    # PDF readers look for the header in the first KiB
    clean = tmp_path / "curat.pdf"
    save_text_pdf(texts["anunt-consultare"], clean)
    path = tmp_path / "antet-tarziu.pdf"
    path.write_bytes(b"q 10.500 0 0 12.000 0.000 829.890 cm /I1 Do Q\n" + clean.read_bytes())
    assert detect.sniff(path) == detect.PDF
    plan, pages = extract_pages(path, FakeEngine())
    assert pages[0].method == "text-layer"
    assert "Primăria municipiului invită cetățenii" in " ".join(pages[0].text.split())


def test_text_that_names_a_pdf_header_late_is_still_text(tmp_path):
    path = tmp_path / "nota.txt"
    path.write_text("Fișierele încep cu antetul %PDF- urmat de versiune.\n", encoding="utf-8")
    assert detect.sniff(path) == detect.TEXT


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


@pytest.mark.parametrize("kind", ["pdf", "image"])
def test_a_low_resolution_scan_is_read_enlarged_and_keeps_its_resolution(tmp_path, kind):
    class Sizes(FakeEngine):
        seen: list = []

        def recognize(self, image, dpi):
            self.seen.append((image.size, dpi))
            return super().recognize(image, dpi)

    pages = render_pages("Consiliul Local a aprobat bugetul.", Layout(dpi=100))
    if kind == "pdf":
        path = tmp_path / "scan.pdf"
        save_pdf(pages, path, dpi=100)
    else:
        path = tmp_path / "scan.png"
        pages[0].save(path, dpi=(100, 100))
    engine = Sizes()
    _, read = extract_pages(path, engine)
    assert read[0].dpi == 100  # the scan's own, as the manifest says
    (width, height), dpi = engine.seen[0]
    assert dpi == 300 and abs(width - pages[0].width * 3) <= 3 and abs(height - pages[0].height * 3) <= 3


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


@pytest.mark.parametrize("other_text, chosen", [
    # the tinted table read as debris by the default, as words by Sauvola's local threshold: Sauvola's reading
    ("Consiliul Local al comunei aprobă bugetul școlii pentru anul următor", "sauvola"),
    # another reading that knows hardly more words: the first stays
    ("Consiliul ee Bugetul ii", None),
])
def test_a_page_read_poorly_is_read_again_with_other_binarizations(other_text, chosen):
    class Tinted(FakeEngine):
        binarizations = ("leptonica-otsu", "sauvola")
        asked: list = []

        def recognize(self, image, dpi, binarization="otsu"):
            self.asked.append(binarization)
            text = other_text if binarization == "sauvola" else "Consiliul ee Lacal i |] ae bugetul"
            return Recognition(text, 55.0 if binarization == "otsu" else 50.0, len(text.split()))

    engine = Tinted()
    page = ocr_page(Image.new("L", (200, 300), 255), engine, 300)
    assert engine.asked == ["otsu", "leptonica-otsu", "sauvola"]
    assert page.binarization == chosen
    assert page.text == (other_text if chosen else "Consiliul ee Lacal i |] ae bugetul")
    assert page.to_json().get("binarization") == chosen


def test_a_page_turned_and_read_poorly_is_read_again_turned():
    class UpsideTinted(FakeEngine):
        binarizations = ("sauvola",)
        sizes: list = []

        def recognize(self, image, dpi, binarization="otsu"):
            self.sizes.append((image.size, binarization))
            if binarization == "sauvola":
                return Recognition("Consiliul Local al comunei aprobă bugetul școlii pentru anul următor", 60.0, 10)
            return Recognition("Consiliul ee |] ae", 20.0 if len(self.sizes) == 1 else 50.0, 4)

        def orientation(self, image, dpi):
            return 90

    engine = UpsideTinted()
    page = ocr_page(Image.new("L", (200, 300), 255), engine, 300)
    assert page.rotation == 90 and page.binarization == "sauvola"
    assert engine.sizes[-1] == ((300, 200), "sauvola")  # read turned, as the reading it replaces


def test_a_turned_reading_that_fails_keeps_the_first():
    class Stuck(FakeEngine):
        def recognize(self, image, dpi):
            self.calls += 1
            if self.calls > 1:
                raise OcrError("Tesseract took longer than 60 s on the page (see --page-timeout)")
            return Recognition("Consiliul ee |] ae", 20.0, 4)

        def orientation(self, image, dpi):
            return 180

    page = ocr_page(Image.new("L", (200, 300), 255), Stuck(), 150)
    assert page.rotation == 0 and page.text == "Consiliul ee |] ae"
    assert page.warnings == ["reading the page turned 180° failed (Tesseract took longer than 60 s on the page "
                             "(see --page-timeout)); the reading before it is kept"]


def test_a_second_reading_that_fails_keeps_the_first():
    class Slow(FakeEngine):
        binarizations = ("leptonica-otsu", "sauvola")
        asked: list = []

        def recognize(self, image, dpi, binarization="otsu"):
            self.asked.append(binarization)
            if binarization != "otsu":
                raise OcrError("Tesseract took longer than 60 s on the page (see --page-timeout)")
            return Recognition("Consiliul ee Lacal i |] ae bugetul", 55.0, 7)

    engine = Slow()
    page = ocr_page(Image.new("L", (200, 300), 255), engine, 300)
    assert engine.asked == ["otsu", "leptonica-otsu"]
    assert page.text == "Consiliul ee Lacal i |] ae bugetul" and page.binarization is None
    assert page.warnings == ["reading the page again with the leptonica-otsu threshold failed (Tesseract took "
                             "longer than 60 s on the page (see --page-timeout)); the reading before it is kept"]


def test_a_page_read_slowly_is_not_read_again(monkeypatch):
    class Heavy(FakeEngine):
        binarizations = ("sauvola",)
        timeout = 300
        asked: list = []

        def recognize(self, image, dpi, binarization="otsu"):
            self.asked.append(binarization)
            return Recognition("Consiliul ee Lacal i |] ae bugetul", 75.0, 7)

    clock = iter([0.0, 100.0])  # the first reading took 100 s of the 300 one reading may take
    monkeypatch.setattr("arhiva.ingest.page.time.monotonic", lambda: next(clock))
    engine = Heavy()
    ocr_page(Image.new("L", (200, 300), 255), engine, 300)
    assert engine.asked == ["otsu"]


def test_a_photo_stored_sideways_is_read_as_its_exif_orientation_says(tmp_path):
    upright = Image.new("L", (300, 400), 255)  # portrait
    exif = Image.Exif()
    exif[0x0112] = 6  # stored turned a quarter counter-clockwise: to be shown turned 90° clockwise
    upright.rotate(90, expand=True).save(tmp_path / "photo.jpg", dpi=(300, 300), exif=exif)

    class Portrait(FakeEngine):
        sizes: list = []

        def recognize(self, image, dpi):
            self.sizes.append(image.size)
            return Recognition("Consiliul Local a aprobat bugetul.", 95.0, 5,
                               boxes=(Word("Consiliul", 0, 0, 10, 10, 0),))

        def orientation(self, image, dpi):
            raise AssertionError("no orientation detection needed")

    engine = Portrait()
    page = run_page_job(PageJob(str(tmp_path / "photo.jpg"), "image", 0), engine)
    assert engine.sizes == [(300, 400)] and page.rotation == 90
    layout = page.layout
    assert (layout.width, layout.height) == (400, 300)  # the image as stored
    # the upright page's top left corner is the stored image's bottom left
    x, y = apply(layout.matrix, 0, 0)
    assert abs(x) < 1 and abs(y - 300) < 1


def test_a_page_read_well_is_read_once():
    class Clear(FakeEngine):
        binarizations = ("sauvola",)
        asked: list = []

        def recognize(self, image, dpi, binarization="otsu"):
            self.asked.append(binarization)
            return Recognition("Consiliul Local a aprobat bugetul.", 92.0, 5)

    engine = Clear()
    ocr_page(Image.new("L", (200, 300), 255), engine, 300)
    assert engine.asked == ["otsu"]


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


# PDFs that viewers open and pdfminer (under pdfplumber) does not: pdfium reads them.

def _pdfplumber_pages(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


@pytest.fixture
def scan_pages() -> list[Image.Image]:
    return render_pages("Ședința consiliului local.\fA doua pagină.\fA treia pagină.", Layout(dpi=100))


def test_scan_with_a_damaged_xref_stream_is_read_with_pdfium(tmp_path, scan_pages):
    path = write_scanned_pdf(scan_pages, tmp_path / "scan.pdf", 100, xref="stream", startxref_shift=1000)
    with pytest.raises(Exception, match="No /Root object"):
        _pdfplumber_pages(path)  # the fixture proves the case
    plan, pages = extract_pages(path, FakeEngine())
    assert [(type(p), p.dpi) for p in plan.pages] == [(PageJob, 100)] * 3
    assert [p.method for p in pages] == ["ocr"] * 3
    assert plan.warnings == [
        "read with pdfium: pdfplumber could not read the file "
        "(damaged or not a PDF: PDFSyntaxError: No /Root object! - Is this really a PDF?)"
    ]


def test_pages_pdfplumber_misses_are_read_with_pdfium(tmp_path, scan_pages):
    path = write_scanned_pdf(scan_pages, tmp_path / "scan.pdf", 100, page_tree=PARTLY_UNTYPED)
    assert _pdfplumber_pages(path) == 1
    plan = plan_document(path)
    assert [p.index for p in plan.pages] == [0, 1, 2]
    assert plan.warnings == ["read with pdfium: pdfplumber found 1 of the 3 pages"]


def test_text_layer_read_with_pdfium_is_pdfplumbers_text(tmp_path, texts):
    intact = tmp_path / "anunt.pdf"
    save_text_pdf(texts["anunt-consultare"] + "\f" + texts["anunt-consultare"], intact)
    damaged = tmp_path / "fara-tip.pdf"
    damaged.write_bytes(untyped_page_tree(intact.read_bytes()))
    assert _pdfplumber_pages(damaged) == 0
    expected = plan_document(intact)
    plan = plan_document(damaged)
    assert plan.warnings == ["read with pdfium: pdfplumber found 0 of the 2 pages"]
    assert [p.method for p in plan.pages] == ["text-layer", "text-layer"]
    assert [p.text.split() for p in plan.pages] == [p.text.split() for p in expected.pages]


def test_intact_pdf_is_read_with_pdfplumber_without_warning(tmp_path, scan_pages):
    plan = plan_document(write_scanned_pdf(scan_pages, tmp_path / "scan.pdf", 100))
    assert len(plan.pages) == 3 and plan.warnings == []


def test_no_pages_only_when_no_reader_finds_one(tmp_path):
    path = tmp_path / "gol.pdf"
    path.write_bytes(scanned_pdf([], 100))
    with pytest.raises(InputError, match="^PDF has no pages$"):
        plan_document(path)


# JPEG 2000 scans.

def _jp2_with_resolution(image: Image.Image, path: Path, dpi: int, brand: bytes = b"jp2 ") -> Path:
    """Save a JP2 file with a capture-resolution box (Pillow writes none) and the given brand."""
    import struct

    image.save(path)
    data = path.read_bytes().replace(b"ftypjp2 ", b"ftyp" + brand, 1)
    per_metre = round(dpi / 0.0254)
    resc = struct.pack(">I4sHHHHbb", 18, b"resc", per_metre, 1, per_metre, 1, 0, 0)
    res = struct.pack(">I4s", 8 + len(resc), b"res ") + resc
    at = data.index(b"jp2h") - 4
    length = struct.unpack(">I", data[at:at + 4])[0]
    header = struct.pack(">I", length + len(res)) + data[at + 4:at + length] + res
    path.write_bytes(data[:at] + header + data[at + length:])
    return path


@pytest.mark.parametrize("name, brand, media_type, dpi", [
    ("scan.jp2", b"jp2 ", detect.JP2, 200),
    ("scan.jpx", b"jpx ", detect.JPX, 200),
    ("scan.j2k", None, detect.J2C, 300),  # a bare codestream has no resolution
])
def test_jpeg2000_scans(tmp_path, name, brand, media_type, dpi):
    page = render_pages("Ședința consiliului local.", Layout(dpi=100))[0]
    path = tmp_path / name
    if brand:
        _jp2_with_resolution(page, path, dpi, brand)
    else:
        page.save(path)
    assert detect.sniff(path) == media_type
    plan, pages = extract_pages(path, FakeEngine())
    assert plan.media_type == media_type
    assert [(p.method, p.dpi) for p in pages] == [("ocr", dpi)]


def test_sixteen_bit_scan_keeps_its_grays(tmp_path):
    gray16 = Image.frombytes("I;16", (2, 1), bytes([0, 0x80, 0xFF, 0xFF]))
    path = tmp_path / "scan16.jp2"
    gray16.resize((64, 64), Image.Resampling.NEAREST).save(path)
    frame, _ = load_frame(path, 0)
    assert frame.mode == "L" and {value for value in frame.tobytes()} == {128, 255}


def test_truncated_jpeg2000_is_refused_in_one_line(tmp_path):
    path = tmp_path / "scan.jp2"
    render_pages("Ședința.", Layout(dpi=100))[0].save(path)
    path.write_bytes(path.read_bytes()[:300])
    with pytest.raises(InputError, match="image") as info:
        extract_pages(path, FakeEngine())
    assert "\n" not in str(info.value)


class FakeTesseract(FakeEngine):
    """The command line's engine, faked (at module level: worker processes unpickle it)."""

    def __init__(self, lang="ron", timeout=300):
        super().__init__()

    def check(self):
        pass


def test_damaged_pdf_and_jpeg2000_through_the_command_line(tmp_path, monkeypatch, scan_pages):
    import json

    from click.testing import CliRunner

    import arhiva.ingest
    from arhiva.cli import cli

    monkeypatch.setattr(arhiva.ingest, "TesseractEngine", FakeTesseract)
    folder = tmp_path / "in"
    folder.mkdir()
    write_scanned_pdf(scan_pages, folder / "xref-stricat.pdf", 100, startxref_shift=1000)
    _jp2_with_resolution(scan_pages[0], folder / "scan.jp2", 100)
    archive = str(tmp_path / "archive")
    result = CliRunner().invoke(cli, ["ingest", "--json", "--archive", archive, str(folder)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    files = {Path(f["path"]).name: f for f in json.loads(result.stdout)["files"]}
    assert (files["xref-stricat.pdf"]["status"], files["xref-stricat.pdf"]["pages"]) == ("ingested", 3)
    assert (files["scan.jp2"]["status"], files["scan.jp2"]["pages"]) == ("ingested", 1)
    shown = CliRunner().invoke(cli, ["show", "--json", "--archive", archive, files["scan.jp2"]["id"]])
    manifest = json.loads(shown.stdout)
    assert manifest["source"]["media_type"] == "image/jp2"
    assert manifest["pages"][0]["dpi"] == 100


# Trust in a text layer: one decision, cases as data.

TEXT_LAYERS = json.loads((Path(__file__).parent / "data" / "ingest" / "text_layers.json").read_text("utf-8"))


@pytest.mark.parametrize("case", TEXT_LAYERS, ids=[c["comment"][:40] for c in TEXT_LAYERS])
def test_text_layer_is_used_only_when_it_reads_as_a_language(case):
    cover = case.get("image_cover", 0.0)  # the share of the page its images cover
    assert (text_layer_problem(case["text"], cover) is None) is case["usable"], text_layer_problem(case["text"], cover)


def test_a_refused_text_layer_says_why_on_its_page(tmp_path):
    from arhiva.testing.hostile import shifted_glyph_pdf

    path = shifted_glyph_pdf("Consiliul Local a aprobat bugetul municipiului pe anul 2021 in sedinta publica.",
                             tmp_path / "glife.pdf", tmp_path)
    plan, pages = extract_pages(path, FakeEngine())
    assert [type(p) for p in plan.pages] == [PageJob]
    assert pages[0].method == "ocr"
    assert pages[0].warnings[0].startswith("text layer not used (it reads as no language: 0 of 8 words known")


# Bounded resources: pixels, decompressed streams, text length.

def test_a_page_too_large_to_render_is_refused_before_rendering(tmp_path):
    from arhiva.testing.hostile import huge_page_pdf

    path = tmp_path / "uriasa.pdf"
    path.write_bytes(huge_page_pdf())
    plan = plan_document(path)
    with pytest.raises(LimitError, match=r"^PDF page 1 too large to render: 508 × 508 cm, 196 megapixels even at "
                                         r"70 dpi \(limit 100; see --max-megapixels\)$"):
        run_page_job(plan.pages[0], FakeEngine())


def test_a_large_page_is_rendered_at_a_lower_resolution(tmp_path):
    from arhiva.testing.hostile import huge_page_pdf

    path = tmp_path / "mare.pdf"
    path.write_bytes(huge_page_pdf(1000))  # 35 cm square: 19 megapixels at 300 dpi
    page = run_page_job(plan_document(path).pages[0], FakeEngine(), Limits(megapixels=4))
    assert page.dpi == 144
    assert page.warnings[0] == ("rendered at 144 dpi, not 300: the page (35 × 35 cm) would be 17 megapixels "
                                "(limit 4; see --max-megapixels)")


def test_an_image_over_the_pixel_limit_is_refused_unread(tmp_path):
    path = write_page_image(tmp_path / "p.png", size=(3000, 2000))
    with pytest.raises(LimitError, match=r"^image too large to be a real page scan \(6 megapixels, limit 5; "
                                         r"see --max-megapixels\)$"):
        plan_document(path, Limits(megapixels=5))


def test_a_flate_bomb_is_refused_at_the_decompression_limit(tmp_path):
    from arhiva.testing.hostile import flate_bomb_pdf

    path = tmp_path / "bomba.pdf"
    path.write_bytes(flate_bomb_pdf(megabytes=20))
    assert path.stat().st_size < 30_000
    with pytest.raises(LimitError, match=r"expands to more than 8 MB \(a decompression bomb\?; "
                                         r"see --max-decompressed\)"):
        plan_document(path, Limits(decompressed_mb=8))


def test_bounded_streams_inflate_as_zlib_does():
    from arhiva.ingest.pdf import bounded_streams

    data = zlib.compress(b"Consiliul Local " * 1000)
    with bounded_streams(1 << 20) as bounded:
        assert bounded.decompress(data) == zlib.decompress(data)
        with pytest.raises(zlib.error):
            bounded.decompress(data[:-10])  # truncated: pdfminer then tries its corrupted-data path
        inflater = bounded.decompressobj()
        assert b"".join(inflater.decompress(data[i : i + 1]) for i in range(len(data))) == b"Consiliul Local " * 1000
    import pdfminer.pdftypes

    assert pdfminer.pdftypes.zlib is zlib  # restored


@pytest.mark.parametrize("chars, reason", [
    (1_001, "^text too long: 1,001 characters \\(limit 1,000; see --max-text\\)$"),
    (4_001, "^text file too large: 4,001 bytes, more than 1,000 characters in any encoding \\(see --max-text\\)$"),
])
def test_a_text_over_the_limit_is_refused(tmp_path, chars, reason):
    path = tmp_path / "lung.txt"
    path.write_text("a" * chars)
    with pytest.raises(LimitError, match=reason):
        plan_document(path, Limits(text_chars=1_000))


def test_a_text_layer_over_the_limit_is_refused(tmp_path, texts):
    path = tmp_path / "anunt.pdf"
    save_text_pdf(texts["anunt-consultare"], path)
    with pytest.raises(LimitError, match="^text too long"):
        plan_document(path, Limits(text_chars=100))


# Decoding: almost-valid UTF-8, legacy bytes a code page does not define.

def test_utf8_with_a_bad_byte_is_read_as_utf8_and_noted(tmp_path):
    path = tmp_path / "aproape.txt"
    path.write_bytes("Ședința consiliului a aprobat bugetul pe anul 2021 în unanimitate.".encode() + b"\xff\n")
    plan = plan_document(path)
    assert plan.encoding == "utf-8"
    assert plan.pages[0].text.startswith("Ședința consiliului") and "\ufffd" in plan.pages[0].text
    assert plan.warnings == ["1 byte sequence(s) not valid UTF-8 (the text has 3 valid non-ASCII characters) "
                             "replaced by U+FFFD"]


def test_legacy_text_with_a_byte_its_code_page_lacks_is_read_and_noted(tmp_path):
    path = tmp_path / "vechi.txt"
    path.write_bytes("Hotărârea Consiliului Local privind şedinţa".encode("cp1250") + b" \x81")
    plan = plan_document(path)
    assert plan.encoding == "cp1250" and plan.pages[0].text.startswith("Hotărârea")
    assert plan.warnings == ["1 byte sequence(s) that cp1250 does not define replaced by U+FFFD"]


# The files of a folder: symbolic links, the archive itself, names that are not UTF-8.

def test_links_out_of_a_folder_are_not_followed(tmp_path):
    from arhiva.files import find_files

    outside, folder = tmp_path / "secret.txt", tmp_path / "dosar"
    (folder / "sub").mkdir(parents=True)
    outside.write_text("parola")
    (folder / "a.txt").write_text("text")
    (folder / "spre-afara.txt").symlink_to(outside)
    (folder / "spre-dosar-afara").symlink_to(tmp_path)
    (folder / "sub" / "spre-a.txt").symlink_to(folder / "a.txt")
    found = {item.path.name: item.problem for item in find_files([folder])}
    assert found == {
        "a.txt": None,
        "spre-afara.txt": f"symbolic link to a file outside {folder} (not followed; --follow-symlinks follows it)",
        "spre-dosar-afara": f"symbolic link to a folder outside {folder} (not followed; --follow-symlinks follows it)",
        "spre-a.txt": None,
    }
    followed = {item.path.name: item.problem for item in find_files([folder], follow_symlinks=True)}
    assert followed["spre-afara.txt"] is None and followed["secret.txt"] is None  # walked once, loop or not
    assert followed["a.txt"] is None


def test_nothing_inside_the_archive_is_found(tmp_path, archive):
    from arhiva.files import find_files

    (archive.root.parent / "scan.txt").write_text("text")
    found = {item.path.name: item.problem for item in find_files([tmp_path, archive.root / "arhiva.json"],
                                                                 archive=archive.root)}
    inside = f"inside the archive {archive.root}: not ingested"
    assert found == {"scan.txt": None, "arhiva.json": inside}  # the archive's folder is skipped in a walk


def test_a_name_that_is_not_utf8_is_ingested_and_shown_readably(tmp_path, archive):
    import os

    from arhiva.maintenance import verify
    from arhiva.pipeline import INGESTED, ingest

    folder = tmp_path / "share"
    folder.mkdir()
    name = os.fsdecode(b"Hot\xe3r\xe2re.txt")  # cp1250 bytes from an old Windows share
    (folder / name).write_text("Consiliul Local a aprobat bugetul municipiului pe anul 2021.")
    report = ingest([folder], archive, FakeEngine(), jobs=1)
    [outcome] = report.outcomes
    assert (outcome.status, outcome.path) == (INGESTED, f"{folder}/Hot\\xe3r\\xe2re.txt")
    source = archive.manifest(outcome.doc_id).json["source"]
    assert source["name"] == "Hot\\xe3r\\xe2re.txt"
    assert bytes.fromhex(source["path_bytes"]) == os.fsencode(folder / name)
    assert verify(archive).ok


# Tesseract's failures, told apart (a stand-in program: no Tesseract needed).

@pytest.mark.parametrize("behaviour, message", [
    ("fail", r"^Tesseract failed \(exit status 1\): Image file .*\.pgm cannot be read!$"),
    ("sleep", r"^Tesseract took longer than 1 s on the page \(see --page-timeout\)$"),
    ("crash", r"^Tesseract was killed by signal SIGSEGV$"),
])
def test_tesseract_failures_say_what_happened(tmp_path, monkeypatch, behaviour, message):
    from arhiva.errors import OcrError
    from arhiva.ingest import ocr
    from arhiva.testing.hostile import fake_tesseract

    monkeypatch.setattr(ocr, "TESSERACT", str(fake_tesseract(tmp_path, behaviour)))
    with pytest.raises(OcrError, match=message):
        ocr.TesseractEngine(timeout=1).recognize(Image.linear_gradient("L").resize((50, 50)), 150)  # not blank


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full, whose writes fail with ENOSPC")
def test_a_full_temporary_disk_is_said_to_be_full(monkeypatch):
    import tempfile

    from arhiva.errors import OcrError
    from arhiva.ingest import ocr

    monkeypatch.setattr(ocr.tempfile, "NamedTemporaryFile", lambda **kwargs: open("/dev/full", "w+b"))
    with pytest.raises(OcrError, match=f"^disk full: no room for the page image in {tempfile.gettempdir()} "):
        ocr.TesseractEngine().recognize(Image.linear_gradient("L").resize((2000, 2000)), 150)  # not blank


# The pipeline's bounds: the clean-up under the timeout, the memory limit, a full disk.

def _slow_or_greedy_clean(text, **kwargs):
    from arhiva.repair import clean

    if "LENT" in text:
        import time

        time.sleep(3600)
    if "LACOM" in text:
        bytearray(8 * 2**30)  # more than any limit: MemoryError under the worker's limit
    return clean(text, **kwargs)


def test_the_clean_up_runs_under_the_timeout_and_the_memory_limit(tmp_path, archive, monkeypatch):
    import arhiva.pipeline
    from arhiva.maintenance import verify
    from arhiva.pipeline import FAILED, INGESTED, ingest

    monkeypatch.setattr(arhiva.pipeline, "clean", _slow_or_greedy_clean)  # forked workers inherit it
    for name, word in (("lent.txt", "LENT"), ("lacom.txt", "LACOM"), ("bun.txt", "bun")):
        (tmp_path / name).write_text(f"Consiliul Local a aprobat bugetul {word}.")
    report = ingest([tmp_path / n for n in ("lent.txt", "lacom.txt", "bun.txt")], archive, FakeEngine(),
                    jobs=2, timeout=2, limits=Limits(memory_mb=1024))
    assert [(Path(o.path).name, o.status, o.reason) for o in report.outcomes] == [
        ("lent.txt", FAILED, "gave up after 2 s on the clean-up (see --file-timeout)"),
        ("lacom.txt", FAILED, "needs more than 1024 MB of memory to read (see --max-memory)"),
        ("bun.txt", INGESTED, None),
    ]
    assert verify(archive).ok


def test_a_full_disk_stops_the_batch_in_one_line(tmp_path, archive, monkeypatch):
    import errno

    from arhiva.archive import Archive
    from arhiva.pipeline import INGESTED, ingest

    paths = [tmp_path / f"doc{n}.txt" for n in range(8)]
    for n, path in enumerate(paths):
        path.write_text(f"Consiliul Local a aprobat hotărârea nr. {n}.")
    stage = Archive.stage

    def full_from_the_sixth(self, source):
        if source.name >= "doc5.txt":
            raise OSError(errno.ENOSPC, "No space left on device")
        return stage(self, source)

    monkeypatch.setattr(Archive, "stage", full_from_the_sixth)
    report = ingest(paths, archive, FakeEngine(), jobs=1)
    # Four documents are read at a time: the four finished are archived, the one in flight is dropped.
    assert [o.status for o in report.outcomes] == [INGESTED] * 4
    assert report.stopped.startswith("disk full: no space left on /")
    assert report.stopped.endswith(f"the disk of the archive {archive.root}: 4 of 8 files not archived (4 archived, "
                                   "nothing half-written kept); free some space there and run the same ingest "
                                   "again: what is archived is skipped")
    assert list(archive.staging.iterdir()) == [] and len(list(archive.ids())) == 4


def test_page_images_of_killed_batches_are_removed(tmp_path, archive, monkeypatch):
    import os
    import tempfile

    from arhiva.pipeline import ingest

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    dead = tmp_path / "tmp" / "arhiva-ingest-4194305-abc"  # above any pid: a batch killed outright
    alive = tmp_path / "tmp" / f"arhiva-ingest-{os.getppid()}-def"  # a batch still running
    for folder in (dead, alive):
        folder.mkdir()
        (folder / "arhiva-page-x.pgm").write_bytes(b"P5")
    (tmp_path / "a.txt").write_text("Consiliul Local a aprobat bugetul.")
    ingest([tmp_path / "a.txt"], archive, FakeEngine(), jobs=2, timeout=60)
    assert sorted(p.name for p in (tmp_path / "tmp").iterdir()) == [alive.name]
