"""The searchable PDF/A copies of scans: where the words go, what the copy holds, and how the archive keeps it.

Most tests use an engine that "recognises" words drawn at known places, so
that the text layer's geometry is checked to the point without Tesseract;
the end-to-end tests at the bottom run the real Tesseract on generated scans.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image, ImageDraw, ImageFont

from arhiva.archive import Archive
from arhiva.archive.document import COPY_FILE, WORDS_FILE
from arhiva.cli import cli
from arhiva.ingest.ocr import Recognition, Word
from arhiva.pdfa.align import assign
from arhiva.pipeline import ingest
from arhiva.testing.metrics import word_error_rate
from arhiva.testing.scans import find_font

DATA = Path(__file__).parent / "data" / "pdfa"
# .ci/run sets ARHIVA_REQUIRE_POPPLER=1, so that a missing install step fails there instead of skipping.
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None and not os.environ.get("ARHIVA_REQUIRE_POPPLER"),
                                   reason="pdftotext (poppler-utils) is not installed")

#: What the fake scanner prints, one line each; diacritics left out, as an OCR run may.
LINES = ["Sedinta publica a Consiliului Local", "Tn data de 29 aprilie 2021", "s-a aprobat bugetul local"]
DPI = 150


@pytest.mark.parametrize("case", json.loads((DATA / "align.json").read_text("utf-8")), ids=lambda c: c["comment"])
def test_cleaned_words_are_aligned_to_the_ocr_words(case):
    assert assign(case["ocr"], case["cleaned"]) == case["owners"]


# -- a page with words at known places, and an engine that reads them ------------------------------


def printed_page() -> tuple[Image.Image, list[Word]]:
    """An A4 page at 150 dpi with LINES printed on it, and the box of each word as drawn."""
    page = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(find_font(), 36)
    words = []
    for line, text in enumerate(LINES):
        y = 150 + 70 * line
        x = 150
        for token in text.split():
            left, top, right, bottom = draw.textbbox((x, y), token, font=font)
            draw.text((x, y), token, font=font, fill=0)
            words.append(Word(token, left, top, right - left, bottom - top, line))
            x = right + font.getlength(" ")
    return page, words


class PrintedEngine:
    """Reads the words of :func:`printed_page` where they were drawn (scaled to the image it is given)."""

    def __init__(self) -> None:
        self.page, self.words = printed_page()

    def recognize(self, image: Image.Image, dpi: int) -> Recognition:
        sx, sy = image.width / self.page.width, image.height / self.page.height
        boxes = tuple(Word(w.text, round(w.left * sx), round(w.top * sy), round(w.width * sx), round(w.height * sy),
                           w.line) for w in self.words)
        return Recognition("\n".join(LINES), 95.0, len(boxes), boxes)

    def orientation(self, image: Image.Image, dpi: int) -> int | None:
        return None

    def describe(self) -> dict[str, str]:
        return {"engine": "printed", "version": "1", "lang": "ron"}


def pdf_words(pdf: Path) -> list[tuple[str, float, float, float, float]]:
    """Each word of a PDF's text as ``pdftotext -bbox`` reads it: text, left, top, right, bottom in points."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [(unescape(t), float(a), float(b), float(c), float(d)) for a, b, c, d, t in re.findall(pattern, html)]


def pdftotext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def scans(tmp_path: Path) -> dict[str, Path]:
    page, _ = printed_page()
    folder = tmp_path / "scans"
    folder.mkdir()
    page.save(folder / "pagina.png", dpi=(DPI, DPI))
    page.convert("RGB").save(folder / "foto.jpg", quality=85, dpi=(DPI, DPI))
    page.save(folder / "scan.pdf", "PDF", resolution=DPI)
    (folder / "nota.txt").write_text("Nota internă privind ședința publică a consiliului.\n", "utf-8")
    return {p.name: p for p in folder.iterdir()}


@pytest.fixture
def stored(tmp_path: Path, scans) -> tuple[Archive, dict[str, str]]:
    archive = Archive.open(tmp_path / "archive", create=True)
    report = ingest(sorted(scans.values()), archive, PrintedEngine(), jobs=1)
    assert report.ok, report.outcomes
    return archive, {Path(o.path).name: o.doc_id for o in report.outcomes}


def copy_of(archive: Archive, doc_id: str, tmp_path: Path) -> Path:
    path = tmp_path / f"{doc_id[:12]}.pdf"
    path.write_bytes(archive.read_file(doc_id, COPY_FILE))
    return path


@needs_poppler
@pytest.mark.parametrize("name", ["pagina.png", "foto.jpg", "scan.pdf"])
def test_the_copy_carries_the_repaired_text(stored, tmp_path, name):
    archive, ids = stored
    text = pdftotext(copy_of(archive, ids[name], tmp_path))
    cleaned = archive.text(ids[name])
    assert "Ședința publică" in cleaned  # the clean-up restored the diacritics the OCR lost
    assert word_error_rate(cleaned, text) == 0, text
    assert "Ședința publică" in text


@needs_poppler
@pytest.mark.parametrize("name", ["pagina.png", "scan.pdf"])
def test_each_word_lies_on_its_image(stored, tmp_path, name):
    archive, ids = stored
    _, drawn = printed_page()
    found = pdf_words(copy_of(archive, ids[name], tmp_path))
    assert len(found) == len(drawn)
    points = 72 / DPI
    for (text, left, top, right, bottom), word in zip(found, drawn):
        x, y = (left + right) / 2 / points, (top + bottom) / 2 / points  # the word's middle, in the scan's pixels
        assert word.left <= x <= word.left + word.width and word.top - 4 <= y <= word.top + word.height + 4, \
            (text, word)
        assert abs((right - left) / points - word.width) <= 2, (text, word)


@needs_poppler
def test_words_lie_on_their_images_on_a_page_shown_turned(tmp_path):
    """A PDF page that holds its scan sideways and a /Rotate that shows it upright: the words follow."""
    import pikepdf

    page, drawn = printed_page()
    sideways = tmp_path / "sideways.pdf"
    page.rotate(90, expand=True).save(sideways, "PDF", resolution=DPI)
    with pikepdf.open(sideways, allow_overwriting_input=True) as pdf:
        pdf.pages[0].Rotate = 90
        pdf.save(sideways)
    archive = Archive.open(tmp_path / "archive", create=True)
    report = ingest([sideways], archive, PrintedEngine(), jobs=1)
    copy = copy_of(archive, report.outcomes[0].doc_id, tmp_path)
    found = pdf_words(copy)  # poppler gives them as the page is shown
    assert [w[0] for w in found] == archive.text(report.outcomes[0].doc_id).split()
    points = 72 / DPI
    for (text, left, top, right, bottom), word in zip(found, drawn):
        x, y = (left + right) / 2 / points, (top + bottom) / 2 / points
        assert word.left <= x <= word.left + word.width and word.top - 4 <= y <= word.top + word.height + 4, \
            (text, word)


def test_an_lzw_image_is_stored_again_with_the_same_pixels(tmp_path):
    """PDF/A forbids LZW: the copy holds the same pixels, Flate-compressed."""
    import pikepdf

    from arhiva.pdfa import build_copy

    pixels = bytes(range(256)) * 80
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(96, 48))
    image = pikepdf.Stream(pdf, b"")
    image.write(lzw(pixels), filter=pikepdf.Name.LZWDecode)
    image.update({"/Type": pikepdf.Name.XObject, "/Subtype": pikepdf.Name.Image, "/Width": 256, "/Height": 80,
                  "/ColorSpace": pikepdf.Name.DeviceGray, "/BitsPerComponent": 8})
    pdf.pages[0].Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    pdf.pages[0].Contents = pdf.make_stream(b"q 96 0 0 48 0 0 cm /Im0 Do Q")
    original = io.BytesIO()
    pdf.save(original)
    copy = pikepdf.open(io.BytesIO(build_copy(original.getvalue(), "application/pdf", [None], "", "")))
    stored = copy.pages[0].Resources.XObject.Im0
    assert stored.Filter == "/FlateDecode" and stored.read_bytes() == pixels


def lzw(data: bytes) -> bytes:
    """LZW as PDF's LZWDecode reads it (early change), for the test above."""
    out, buffer, filled = bytearray(), 0, 0
    table, width, code, word = {bytes([i]): i for i in range(256)}, 9, 258, b""

    def emit(value: int) -> None:
        nonlocal buffer, filled
        buffer, filled = (buffer << width) | value, filled + width
        while filled >= 8:
            filled -= 8
            out.append((buffer >> filled) & 0xFF)

    emit(256)
    for byte in data:
        longer = word + bytes([byte])
        if longer in table:
            word = longer
            continue
        emit(table[word])
        table[longer], code = code, code + 1
        if code + 1 > (1 << width) and width < 12:
            width += 1
        if code >= 4094:
            emit(256)
            table, width, code = {bytes([i]): i for i in range(256)}, 9, 258
        word = bytes([byte])
    emit(table[word])
    emit(257)
    if filled:
        out.append((buffer << (8 - filled)) & 0xFF)
    return bytes(out)


# -- a scanned page that shows text of its own --------------------------------------------------

HEADING_BOX = (300, 20, 580, 60)  # where the heading is drawn, in points from the top left: the scan is blank there


def scan_with_heading(heading: str, mode: str) -> bytes:
    """A PDF page: the scan of :func:`printed_page` filling an A4 page, and ``heading`` drawn over its blank
    top as text in render mode ``mode``, in a core font (not embedded), as a word processor writes it."""
    from fpdf import FPDF
    from fpdf.enums import TextMode

    page, _ = printed_page()
    pdf = FPDF(unit="pt", format=(page.width * 72 / DPI, page.height * 72 / DPI))
    pdf.add_page()
    pdf.image(page, x=0, y=0, w=pdf.w, h=pdf.h)
    pdf.set_font("Helvetica", "B", 14)
    pdf.text_mode = TextMode[mode]
    pdf.text(HEADING_BOX[0], HEADING_BOX[1] + 20, heading)
    return bytes(pdf.output())


def rendered(pdf: bytes, dpi: int = 72) -> Image.Image:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return document[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        document.close()


def page_images(pdf: bytes) -> list[bytes]:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        return [x.read_raw_bytes() for x in document.pages[0].Resources.XObject.values() if x.Subtype == "/Image"]


@needs_poppler
@pytest.mark.parametrize("case", json.loads((DATA / "shown_text.json").read_text("utf-8")), ids=lambda c: c["comment"])
def test_a_copy_shows_what_the_page_shows_and_carries_only_the_repaired_text(case, tmp_path):
    import pikepdf.pdfa as pdfa
    from PIL import ImageChops, ImageStat

    from arhiva.ingest.page import IDENTITY, PageLayout
    from arhiva.pdfa import build_copy

    original = scan_with_heading(case["heading"], case["mode"])
    engine = PrintedEngine()
    layout = PageLayout(engine.page.width, engine.page.height, DPI, IDENTITY, tuple(engine.words))
    copy = build_copy(original, "application/pdf", [layout], "\n".join(LINES), "")

    # The copy looks like the original: the heading where it was (or nothing, if it was invisible).
    before, after = rendered(original), rendered(copy)
    assert before.size == after.size
    inked = [image.crop(HEADING_BOX).point(lambda v: 255 if v < 128 else 0).getbbox() for image in (before, after)]
    assert (inked[1] is not None) == (case["mode"] != "INVISIBLE")
    if inked[0] is not None:  # the same ink, to a point or two
        assert all(abs(a - b) <= 2 for a, b in zip(*inked)), inked
    assert ImageStat.Stat(ImageChops.difference(before, after)).mean[0] < 1.0
    # A page that showed no text keeps its image stream as it was; one that did is its rendering.
    assert (page_images(copy) != page_images(original)) == case["rendered"]
    # The copy's text is the repaired text, never the old layer's, seen or not; each word on its image.
    path = tmp_path / "copy.pdf"
    path.write_bytes(copy)
    assert pdftotext(path).split() == " ".join(LINES).split()
    points = 72 / DPI
    for (text, left, top, right, bottom), word in zip(pdf_words(path), engine.words):
        x, y = (left + right) / 2 / points, (top + bottom) / 2 / points
        assert word.left <= x <= word.left + word.width and word.top - 4 <= y <= word.top + word.height + 4, \
            (text, word)
    report = pdfa.validate_written(io.BytesIO(copy), "2b")
    assert report.passed and not report.unsupported, report.summary()


@needs_poppler
def test_an_ingested_scan_under_a_heading_keeps_the_heading_in_its_copy(tmp_path):
    """The whole way: a scan under a thin visible layer is OCRed, and its copy shows the layer's heading."""
    heading = "ANEXA NR. 10 la normele metodologice"
    path = tmp_path / "anexa.pdf"
    path.write_bytes(scan_with_heading(heading, "FILL"))
    archive = Archive.open(tmp_path / "archive", create=True)
    report = ingest([path], archive, PrintedEngine(), jobs=1)
    doc_id = report.outcomes[0].doc_id
    assert COPY_FILE in archive.manifest(doc_id).files
    copy = archive.read_file(doc_id, COPY_FILE)
    assert rendered(copy).crop(HEADING_BOX).getextrema()[0] < 128
    # The copy's text is the document's text once: the heading from it, never again from the old layer.
    # (Compared without spaces: the heading's words, which this engine does not read, are added after
    # the page's last word and share its box, where pdftotext does not see them apart.)
    assert "".join(pdftotext(copy_of(archive, doc_id, tmp_path)).split()) == "".join(archive.text(doc_id).split())


@needs_poppler
def test_a_page_shown_turned_that_shows_text_is_rendered_upright_and_its_words_follow(tmp_path):
    """A page holding its scan sideways and a /Rotate that shows it upright, with a stamp drawn as text."""
    import pikepdf
    from PIL import ImageChops, ImageStat

    from arhiva.ingest.page import IDENTITY, PageLayout
    from arhiva.pdfa import build_copy

    page, drawn = printed_page()
    sideways = tmp_path / "sideways.pdf"
    page.rotate(90, expand=True).save(sideways, "PDF", resolution=DPI)
    with pikepdf.open(sideways, allow_overwriting_input=True) as pdf:
        first = pdf.pages[0]
        first.Rotate = 90
        first.Resources.Font = pikepdf.Dictionary(F1=pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica))
        first.contents_add(pdf.make_stream(b"BT /F1 12 Tf 20 20 Td (Nr. 1234) Tj ET"))
        pdf.save(sideways)
    original = sideways.read_bytes()
    layout = PageLayout(page.width, page.height, DPI, IDENTITY, tuple(drawn))
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(build_copy(original, "application/pdf", [layout], "\n".join(LINES), ""))
    assert page_images(copy.read_bytes()) != page_images(original)  # rendered
    before, after = rendered(original), rendered(copy.read_bytes())
    assert before.size == after.size and after.width < after.height
    assert ImageStat.Stat(ImageChops.difference(before, after)).mean[0] < 1.0
    points = 72 / DPI
    found = pdf_words(copy)
    assert [w[0] for w in found] == " ".join(LINES).split()
    for (text, left, top, right, bottom), word in zip(found, drawn):
        x, y = (left + right) / 2 / points, (top + bottom) / 2 / points
        assert word.left <= x <= word.left + word.width and word.top - 4 <= y <= word.top + word.height + 4, \
            (text, word)


def test_text_inside_a_form_is_rendered_and_an_invisible_layer_is_not():
    """Text in a form XObject cannot be taken out of one page alone: its page is rendered, seen or not."""
    import pikepdf

    from arhiva.pdfa.render import shows_text

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(100, 100))
    page = pdf.pages[0]
    form = pdf.make_stream(b"BT /F1 10 Tf 3 Tr 10 10 Td (vechi) Tj ET")
    form.update({"/Type": pikepdf.Name.XObject, "/Subtype": pikepdf.Name.Form, "/BBox": [0, 0, 100, 100]})
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm0=form))
    page.Contents = pdf.make_stream(b"q 3 Tr BT 10 50 Td (vechi) Tj ET Q BT 3 Tr (ascuns) Tj ET")
    assert not shows_text(page)  # invisible text only, at the page's own level
    page.Contents = pdf.make_stream(b"BT 3 Tr (ascuns) Tj ET q 0 Tr Q BT (vizibil) Tj ET")
    assert not shows_text(page)  # Q restored mode 3, the render mode outlives ET
    page.Contents = pdf.make_stream(b"q 3 Tr BT (ascuns) Tj ET Q BT (vizibil) Tj ET")
    assert shows_text(page)  # Q restored mode 0
    page.Contents = pdf.make_stream(b"/Fm0 Do")
    assert shows_text(page)


def test_an_old_invisible_layer_goes_and_what_its_text_objects_set_stays():
    """A colour set inside the old layer's text object is the colour of the drawing after it."""
    import pikepdf

    from arhiva.pdfa import build_copy

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(100, 100))
    pdf.pages[0].Contents = pdf.make_stream(b"BT /F1 9 Tf 3 Tr 1 0 0 rg 10 50 Td (vechi) Tj ET 0 0 10 10 re f")
    pdf.pages[0].Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)))
    original = io.BytesIO()
    pdf.save(original)
    with pikepdf.open(io.BytesIO(build_copy(original.getvalue(), "application/pdf", [None], "", ""))) as copy:
        drawn = [(str(op), [str(v) for v in operands]) for operands, op in pikepdf.parse_content_stream(copy.pages[0])]
        assert "/Font" not in copy.pages[0].Resources
    assert drawn == [("rg", ["1", "0", "0"]), ("re", ["0", "0", "10", "10"]), ("f", [])]


def test_only_scans_get_a_copy(stored):
    archive, ids = stored
    has_copy = {name: COPY_FILE in archive.manifest(doc_id).files for name, doc_id in ids.items()}
    assert has_copy == {"pagina.png": True, "foto.jpg": True, "scan.pdf": True, "nota.txt": False}
    assert WORDS_FILE in archive.manifest(ids["pagina.png"]).files


def test_the_page_images_go_in_untouched(stored, scans):
    import pikepdf

    archive, ids = stored

    def images(data: bytes) -> list[bytes]:
        pdf = pikepdf.open(io.BytesIO(data))
        return [xobject.read_raw_bytes() for page in pdf.pages
                for xobject in page.Resources.XObject.values() if xobject.Subtype == "/Image"]

    # A JPEG is wrapped as it is: its bytes are the image stream.
    assert images(archive.read_file(ids["foto.jpg"], COPY_FILE)) == [scans["foto.jpg"].read_bytes()]
    # A scanned PDF's image stream is copied as it is.
    assert images(archive.read_file(ids["scan.pdf"], COPY_FILE)) == images(scans["scan.pdf"].read_bytes())


def test_the_copy_is_pdfa_2b(stored):
    import pikepdf

    archive, ids = stored
    pdf = pikepdf.open(io.BytesIO(archive.read_file(ids["pagina.png"], COPY_FILE)))
    meta = pdf.open_metadata()
    assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "B")
    intent = pdf.Root.OutputIntents[0]
    assert intent.S == "/GTS_PDFA1" and intent.DestOutputProfile.N == 3
    assert intent.DestOutputProfile.read_bytes()[36:40] == b"acsp"  # an ICC profile
    assert not pdf.is_encrypted and "/ID" in pdf.trailer
    font = pdf.pages[0].Resources.Font["/FArhiva"]
    descendant = font.DescendantFonts[0]
    assert font.Subtype == "/Type0" and "/ToUnicode" in font
    assert len(descendant.FontDescriptor.FontFile2.read_bytes()) > 0  # embedded
    assert "/Annots" not in pdf.pages[0]


@pytest.mark.parametrize("name", ["pagina.png", "foto.jpg", "scan.pdf"])
def test_every_copy_passes_pikepdfs_pdfa_2b_validator(stored, name):
    """pikepdf's PDF/A validator (pikepdf.pdfa, its rules for ISO 19005-2 level B) approves the bytes stored."""
    import pikepdf.pdfa as pdfa  # pikepdf[pdfa], in the test extra

    archive, ids = stored
    report = pdfa.validate_written(io.BytesIO(archive.read_file(ids[name], COPY_FILE)), "2b")
    assert report.passed, report.summary()
    assert not report.unsupported, report.unsupported


def test_verify_detects_a_tampered_copy(stored):
    archive, ids = stored
    assert archive.check_document(ids["pagina.png"]) == []
    path = archive.folder(ids["pagina.png"]) / COPY_FILE
    os.chmod(path, 0o644)
    data = path.read_bytes()
    path.write_bytes(data.replace(b"/FArhiva", b"/FArhivb", 1))
    assert archive.check_document(ids["pagina.png"]) == [f"{ids['pagina.png'][:12]}: {COPY_FILE} does not match its checksum"]
    result = CliRunner().invoke(cli, ["verify", "--archive", str(archive.root)])
    assert result.exit_code == 6 and "searchable.pdf does not match its checksum" in result.output


def test_show_pdf_writes_the_copy(stored):
    archive, ids = stored
    result = CliRunner().invoke(cli, ["show", ids["scan.pdf"][:8], "--pdf", "--archive", str(archive.root)])
    assert result.exit_code == 0
    assert result.stdout_bytes == archive.read_file(ids["scan.pdf"], COPY_FILE)


def test_show_pdf_of_a_document_without_a_copy_says_why(stored):
    archive, ids = stored
    result = CliRunner().invoke(cli, ["show", ids["nota.txt"][:8], "--pdf", "--archive", str(archive.root)])
    assert result.exit_code == 4
    assert "has no searchable PDF copy: only scans get one" in result.stderr


def test_export_pdf_puts_the_copies_in_the_bag(stored, tmp_path):
    archive, ids = stored
    bag = tmp_path / "bag"
    result = CliRunner().invoke(cli, ["export", "--all", "--pdf", "--out", str(bag), "--archive", str(archive.root)])
    assert result.exit_code == 0, result.output
    copies = sorted(p.name for p in (bag / "data" / "pdf").iterdir())
    assert copies == sorted(f"{ids[n]}.pdf" for n in ("pagina.png", "foto.jpg", "scan.pdf"))
    assert (bag / "data" / "pdf" / f"{ids['scan.pdf']}.pdf").read_bytes() == archive.read_file(ids["scan.pdf"], COPY_FILE)
    assert f"data/pdf/{ids['scan.pdf']}.pdf" in (bag / "manifest-sha256.txt").read_text()


def test_rebuild_leaves_a_copy_that_comes_out_the_same(stored):
    archive, _ = stored
    result = CliRunner().invoke(cli, ["rebuild-pdf", "--json", "--archive", str(archive.root)])
    assert result.exit_code == 0, result.output
    done = json.loads(result.stdout)
    assert done["replaced"] == [] and len(done["unchanged"]) == 3


def test_rebuild_replaces_a_copy_that_changed_and_journals_it(stored, tmp_path):
    import pikepdf

    archive, ids = stored
    runner = CliRunner()
    doc_id = ids["pagina.png"]
    assert runner.invoke(cli, ["tag", doc_id[:8], "--title", "Ședința din 29 aprilie",
                               "--archive", str(archive.root)]).exit_code == 0
    before = archive.manifest(doc_id).files[COPY_FILE]
    result = runner.invoke(cli, ["rebuild-pdf", doc_id[:8], "--json", "--archive", str(archive.root)])
    assert json.loads(result.stdout)["replaced"] == [doc_id]
    after = archive.manifest(doc_id).files[COPY_FILE]
    assert after != before and hashlib.sha256(archive.read_file(doc_id, COPY_FILE)).hexdigest() == after
    assert str(pikepdf.open(copy_of(archive, doc_id, tmp_path)).open_metadata()["dc:title"]) == "Ședința din 29 aprilie"
    assert archive.journal.head().seq == archive.journal.since(0)[-1].seq
    assert archive.journal.since(0)[-1].kind == "derivation"
    verify = runner.invoke(cli, ["verify", "--archive", str(archive.root)])
    assert verify.exit_code == 0, verify.output


def test_a_copy_that_cannot_be_made_never_stops_the_document(tmp_path, scans, monkeypatch):
    import arhiva.pipeline

    def broken(*args, **kwargs):
        raise ValueError("no room on the page")

    monkeypatch.setattr(arhiva.pipeline, "build_copy", broken)
    archive = Archive.open(tmp_path / "archive", create=True)
    report = ingest([scans["pagina.png"]], archive, PrintedEngine(), jobs=1)
    assert report.ok
    manifest = archive.manifest(report.outcomes[0].doc_id)
    assert COPY_FILE not in manifest.files and WORDS_FILE not in manifest.files
    assert "no searchable PDF copy: no room on the page" in manifest.warnings


# -- end to end, with the real Tesseract -----------------------------------------------------------


@pytest.mark.e2e
@needs_poppler
def test_words_of_a_generated_scan_stand_on_their_images(tmp_path):
    """A scan generated from known text: the copy's words lie where the scan shows them."""
    from arhiva.ingest import TesseractEngine
    from arhiva.testing.scans import Degradation, Layout, _wrap, scan

    text = (Path(__file__).parent / "data" / "texts" / "hotarare-buget.txt").read_text("utf-8").split("\n\n")
    text = "\n\n".join(text[:4])
    how = Degradation(dpi=DPI)
    page = scan(text, how, seed=3)[0]
    page.save(tmp_path / "hotarare.png", dpi=(DPI, DPI))
    archive = Archive.open(tmp_path / "archive", create=True)
    engine = TesseractEngine()
    engine.check()
    report = ingest([tmp_path / "hotarare.png"], archive, engine, jobs=1)
    doc_id = report.outcomes[0].doc_id
    copy = copy_of(archive, doc_id, tmp_path)
    assert word_error_rate(archive.text(doc_id), pdftotext(copy)) <= 0.02

    # Where each word was printed (scans.render_pages' layout), in points.
    layout = Layout()
    font = ImageFont.truetype(find_font(), int(layout.font_pt * layout.dpi / 72))
    margin, line_height = int(layout.margin_in * layout.dpi), int(font.size * layout.line_spacing)
    scale = 72 / layout.dpi
    printed = []
    for row, line in enumerate(_wrap(text, font, int(8.27 * layout.dpi) - 2 * margin)):
        x = 0
        for token in line.split(" "):
            if token:
                top, bottom = font.getbbox(line)[1], font.getbbox(line)[3]
                y = margin + row * line_height
                printed.append((token, (margin + font.getlength(line[:x])) * scale,
                                (y + top) * scale, (margin + font.getlength(line[:x + len(token)])) * scale,
                                (y + bottom) * scale))
            x += len(token) + 1
    found = pdf_words(copy)
    from difflib import SequenceMatcher

    matcher = SequenceMatcher(None, [w[0] for w in printed], [w[0] for w in found], autojunk=False)
    pairs = [(printed[b.a + k], found[b.b + k]) for b in matcher.get_matching_blocks() for k in range(b.size)]
    assert len(pairs) >= 0.9 * len(printed)
    off = [(p, f) for p, f in pairs
           if not (p[1] - 2 <= (f[1] + f[3]) / 2 <= p[3] + 2 and p[2] - 2 <= (f[2] + f[4]) / 2 <= p[4] + 2)]
    assert len(off) <= 0.02 * len(pairs), off[:5]


def test_wrapping_an_image_prints_nothing(tmp_path):
    # img2pdf's notes on an image (an alpha channel, an EXIF rotation of 0) are not printed on the terminal
    rotation_zero = Image.Exif()
    rotation_zero[0x0112] = 0
    Image.new("RGB", (620, 877), "white").save(tmp_path / "scan.jpg", dpi=(75, 75), exif=rotation_zero)
    Image.new("RGBA", (620, 877), (255, 255, 255, 255)).save(tmp_path / "alpha.png", dpi=(75, 75))
    code = ("import sys; from pathlib import Path; from arhiva.pdfa.build import build_copy\n"
            "for name, kind in (('scan.jpg', 'image/jpeg'), ('alpha.png', 'image/png')):\n"
            "    build_copy(Path(sys.argv[1]) / name, kind, [None], '')\n")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
