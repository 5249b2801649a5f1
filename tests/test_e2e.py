"""End to end with the real Tesseract, on scans generated from the project's own texts.

The pages are rendered, then degraded as a scanner would (150–200 dpi, blur,
noise, speckles, skew, pages fed sideways or upside down), ingested through the
command line, and the stored text is compared with the source text.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from PIL import Image

from arhiva.cli import cli
from arhiva.testing.metrics import char_error_rate, word_error_rate
from arhiva.testing.scans import Degradation, save_pdf, save_tiff, scan

pytestmark = pytest.mark.e2e

#: The most characters in a hundred that may differ from the source after OCR
#: of these moderately degraded scans (measured: about 1–2%; see docs/).
MAX_CER = 0.05
#: The most words in a hundred of the cleaned text that the searchable copy's text layer may lose or change.
MAX_COPY_WER = 0.02


def split_two_pages(text: str) -> str:
    paragraphs = text.split("\n\n")
    half = len(paragraphs) // 2
    return "\n\n".join(paragraphs[:half]) + "\f" + "\n\n".join(paragraphs[half:])


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    """Generate the scans once, ingest them all in one batch with two workers."""
    from tests.conftest import TEXTS

    texts = {p.stem: p.read_text("utf-8") for p in TEXTS.glob("*.txt")}
    root = tmp_path_factory.mktemp("e2e")
    scans = root / "scans"
    scans.mkdir()
    truth: dict[str, str] = {}

    pages = scan(texts["hotarare-buget"], Degradation(dpi=150, skew=2.0), seed=11)
    pages[0].save(scans / "hotarare.png", dpi=(150, 150))
    truth["hotarare.png"] = texts["hotarare-buget"]

    verbal = split_two_pages(texts["proces-verbal-sedinta"])
    save_pdf(scan(verbal, Degradation(dpi=150), turns={1: 90}, seed=12), scans / "proces-verbal.pdf", 150)
    truth["proces-verbal.pdf"] = verbal

    anunt = split_two_pages(texts["anunt-consultare"])
    save_tiff(scan(anunt, Degradation(dpi=200, blur=0.7), turns={1: 180}, seed=13), scans / "anunt.tif", 200)
    truth["anunt.tif"] = anunt

    jpeg = scan(texts["anunt-consultare"], Degradation(dpi=150, skew=-1.0), seed=14)[0]
    jpeg.save(scans / "anunt-foto.jpg", quality=85, dpi=(150, 150))
    truth["anunt-foto.jpg"] = texts["anunt-consultare"]

    mixed = scans / "mixt.pdf"
    _mixed_pdf(mixed, texts["hotarare-buget"], scan(texts["anunt-consultare"], seed=15)[0], root)
    truth["mixt.pdf"] = texts["hotarare-buget"] + "\f" + texts["anunt-consultare"]

    archive = root / "archive"
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", "--jobs", "2", "--json", "--archive", str(archive), str(scans)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    return runner, archive, report, truth


def _mixed_pdf(path, text: str, scanned: Image.Image, workdir) -> None:
    """Page 1 born-digital with a text layer, page 2 a scanned image."""
    from fpdf import FPDF

    from arhiva.testing.scans import find_font

    image_path = workdir / "page2.png"
    scanned.save(image_path)
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", fname=find_font())
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, text)
    pdf.add_page()
    pdf.image(str(image_path), x=0, y=0, w=210, h=297)
    pdf.output(str(path))


def _manifest(runner, archive, doc_id):
    return json.loads(runner.invoke(cli, ["show", doc_id, "--json", "--archive", str(archive)]).stdout)


def _text(runner, archive, doc_id):
    return runner.invoke(cli, ["show", doc_id, "--text", "--archive", str(archive)]).stdout


def test_every_scan_was_ingested(ingested):
    _, _, report, truth = ingested
    assert report["ingested"] == len(truth) and report["failed"] == 0


@pytest.mark.parametrize("name", ["hotarare.png", "proces-verbal.pdf", "anunt.tif", "anunt-foto.jpg", "mixt.pdf"])
def test_text_matches_the_source(ingested, name):
    runner, archive, report, truth = ingested
    doc_id = next(f["id"] for f in report["files"] if f["path"].endswith(name))
    text = _text(runner, archive, doc_id)
    cer = char_error_rate(truth[name].replace("\f", "\n"), text.replace("\f", "\n"))
    assert cer < MAX_CER, f"{name}: character error rate {cer:.3f}\n{text}"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
@pytest.mark.parametrize("name", ["hotarare.png", "proces-verbal.pdf", "anunt.tif", "anunt-foto.jpg"])
def test_the_searchable_copy_reads_as_the_cleaned_text(ingested, name, tmp_path):
    """Skewed, turned, multi-page: the copy's text layer, read back by pdftotext, is the cleaned text."""
    runner, archive, report, _ = ingested
    doc_id = next(f["id"] for f in report["files"] if f["path"].endswith(name))
    result = runner.invoke(cli, ["show", doc_id, "--pdf", "--archive", str(archive)])
    assert result.exit_code == 0
    (tmp_path / "copie.pdf").write_bytes(result.stdout_bytes)
    layer = subprocess.run(["pdftotext", str(tmp_path / "copie.pdf"), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert word_error_rate(_text(runner, archive, doc_id), layer) <= MAX_COPY_WER, layer


def test_turned_pages_were_turned_back(ingested):
    runner, archive, report, _ = ingested
    rotations = {}
    for entry in report["files"]:
        manifest = _manifest(runner, archive, entry["id"])
        rotations[manifest["source"]["name"]] = [p.get("rotation", 0) for p in manifest["pages"]]
    assert rotations["anunt.tif"] == [0, 180]
    # A page turned 90° comes out right either through orientation detection or
    # through Tesseract's own layout analysis; the text test above checks it.
    assert rotations["proces-verbal.pdf"][0] == 0


def test_pages_record_how_they_were_read(ingested):
    runner, archive, report, _ = ingested
    doc_id = next(f["id"] for f in report["files"] if f["path"].endswith("mixt.pdf"))
    pages = _manifest(runner, archive, doc_id)["pages"]
    assert [p["method"] for p in pages] == ["text-layer", "ocr"]
    assert 140 <= pages[1]["dpi"] <= 160  # the scan's own resolution, not 300
    assert pages[1]["confidence"] > 70


def test_search_finds_scanned_text_without_diacritics(ingested):
    runner, archive, _, _ = ingested
    result = runner.invoke(cli, ["search", "--json", "--archive", str(archive), "sedinta", "extraordinare"])
    hits = json.loads(result.stdout)["results"]
    assert [h["source"] for h in hits] == ["proces-verbal.pdf"]
    assert hits[0]["snippets"][0]["page"] == 1


def test_verify_after_ingest(ingested):
    runner, archive, _, _ = ingested
    result = runner.invoke(cli, ["verify", "--archive", str(archive)])
    assert result.exit_code == 0, result.output
