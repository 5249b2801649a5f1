"""A corpus of hostile, broken and odd files, generated here, ingested in one batch.

Each file must get either a correct ingest or one line naming it with the
reason; never a traceback, never a hang, never more than its limits; the rest
of the batch goes in and the archive stays consistent. Run through the real
command line and Tesseract (or a stand-in Tesseract that misbehaves on purpose).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from arhiva.testing.hostile import (
    TEXT,
    fake_tesseract,
    flate_bomb_pdf,
    huge_page_pdf,
    png_claiming,
    process_tree,
    shifted_glyph_pdf,
    text_pdf,
)
from arhiva.testing.pdfs import scanned_pdf, untyped_page_tree, write_scanned_pdf
from arhiva.testing.scans import Layout, render_pages

pytestmark = pytest.mark.e2e

OK, FAIL = "ingested", "failed"


def valid_png(size=(300, 200), mode="L") -> Image.Image:
    return Image.new(mode, size, 255 if mode == "L" else (255, 255, 255, 0))


def make_corpus(root: Path) -> dict[str, tuple[str, str | None]]:
    """Write the files; return name (as reported) -> (expected status, fragment of the reason or of a warning)."""
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
    put("date-pe-un-rand.txt", ("– 12.03.2020 – " * 15_000).strip(), OK)  # thousands of dates on one line
    put("date-pe-randuri.txt", "12.03.2020\n" * 20_000, OK)  # … and on lines of their own
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
    # Bounded resources: refused at a limit, in seconds and well under a gigabyte.
    put("bomba-flate.pdf", flate_bomb_pdf(300), FAIL, "a decompression bomb?; see --max-decompressed")
    put("pagina-uriasa.pdf", huge_page_pdf(), FAIL, "too large to render: 508 × 508 cm")
    put("text-prea-lung.txt", "Consiliul Local a aprobat bugetul. " * 150_000, FAIL, "text too long: 5,250,000")
    buffer = root / "tmp.png"
    Image.linear_gradient("L").resize((40_000, 20)).save(buffer)  # Tesseract's own limit is 32,767 pixels a side
    put("lata.png", buffer.read_bytes(), FAIL, "Tesseract failed (exit status 1): Image too large")
    buffer.unlink()
    # Decoding and trust.
    put("utf8-un-octet-stricat.txt", TEXT.encode() + b"\xff" + TEXT.encode(), OK, "not valid UTF-8")
    name = os.fsdecode("Hotărâre-cp1250.txt".encode("cp1250"))  # a name from an old Windows share
    put(name, TEXT + " cp1250", OK)
    expected["Hot\\xe3r\\xe2re-cp1250.txt"] = expected.pop(name)
    shifted_glyph_pdf(TEXT * 2, root / "glife-decalate.pdf", root.parent)
    expected["glife-decalate.pdf"] = (OK, "text layer not used (it reads as no language")
    outside = root.parent / "in-afara.txt"
    outside.write_text(TEXT + " în afară")
    (root / "legatura-afara.txt").symlink_to(outside)
    expected["legatura-afara.txt"] = (FAIL, "symbolic link to a file outside")
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
        if reason and status == FAIL:
            assert reason in entry["reason"], (name, entry)
            assert "\n" not in entry["reason"] and "took longer" not in entry["reason"]
        elif reason:
            assert any(reason in warning for warning in entry["warnings"]), (name, entry)
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


def arhiva(*args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "arhiva", *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


def test_a_shifted_text_layer_is_ocred_and_found(tmp_path):
    """A PDF whose font maps glyphs one letter off: its layer says 'cvhfuvm', the page shows 'bugetul'."""
    import json

    shifted_glyph_pdf(TEXT * 3, tmp_path / "glife.pdf", tmp_path)
    archive = str(tmp_path / "archive")
    ingest = arhiva("ingest", "--json", "--archive", archive, str(tmp_path / "glife.pdf"))
    assert ingest.returncode == 0, ingest.stderr
    doc_id = json.loads(ingest.stdout)["files"][0]["id"]
    page = json.loads(arhiva("show", "--json", "--archive", archive, doc_id).stdout)["pages"][0]
    assert page["method"] == "ocr"
    assert page["warnings"][0].startswith("text layer not used (it reads as no language:")
    found = json.loads(arhiva("search", "--json", "--archive", archive, "bugetul municipiului").stdout)
    assert [hit["id"] for hit in found["results"]] == [doc_id]


def test_nothing_inside_the_archive_is_ingested(tmp_path):
    """An archive kept inside the folder being ingested is not archived into itself, ever again."""
    folder = tmp_path / "dosare"
    folder.mkdir()
    (folder / "hotarare.txt").write_text(TEXT)
    archive = folder / "arhiva"
    first = arhiva("ingest", "--archive", str(archive), str(folder))
    assert first.returncode == 0, first.stderr
    assert "1 ingested, 0 already in the archive, 0 failed" in first.stderr  # its own folder skipped
    again = arhiva("ingest", "--archive", str(archive), str(folder), str(archive / "arhiva.json"))
    assert again.returncode == 1
    refused = [line for line in again.stderr.splitlines() if line.startswith("failed: ")]
    assert refused == [f"failed: {archive / 'arhiva.json'}: inside the archive {archive}: not ingested"]
    assert "0 ingested, 1 already in the archive, 1 failed" in again.stderr


def _with_fake_tesseract(tmp_path: Path, behaviour: str) -> dict:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_tesseract(bin_dir, behaviour)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}


@pytest.mark.parametrize("behaviour, reason", [
    ("fail", "no page could be read: Tesseract failed (exit status 1): Image file "),
    ("sleep", "no page could be read: Tesseract took longer than 2 s on the page (see --page-timeout)"),
])
def test_tesseract_errors_and_timeouts_are_told_apart(tmp_path, behaviour, reason):
    env = _with_fake_tesseract(tmp_path, behaviour)
    Image.linear_gradient("L").resize((300, 200)).save(tmp_path / "pagina.png")  # not blank: OCR is run
    result = arhiva("ingest", "--page-timeout", "2", "--archive", str(tmp_path / "archive"),
                    str(tmp_path / "pagina.png"), env=env)
    assert result.returncode == 1
    [line] = [line for line in result.stderr.splitlines() if line.startswith("failed: ")]
    assert line.startswith(f"failed: {tmp_path / 'pagina.png'}: {reason}")


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see the process tree")
def test_sigterm_stops_the_workers_and_their_tesseract(tmp_path):
    """SIGTERM to the ingest stops it as Ctrl-C does: no worker, no Tesseract left; nothing half-written."""
    import signal
    import time

    env = _with_fake_tesseract(tmp_path, "sleep")
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(4):
        Image.linear_gradient("L").resize((300 + n, 200)).save(folder / f"p{n}.png")  # not blank: OCR is run
    archive = tmp_path / "archive"
    process = subprocess.Popen([sys.executable, "-m", "arhiva", "ingest", "--jobs", "2", "--archive", str(archive),
                                str(folder)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # wait for both workers to be in Tesseract
        tree = process_tree(process.pid)
        if sum("sleep" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")  # the stand-in Tesseract
               for pid in tree if _alive(pid)) >= 2:
            break
        time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("the workers never started Tesseract")
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "interrupted; nothing half-written was kept" in stderr
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in tree if pid != process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in tree if pid != process.pid and _alive(pid)] == []
    if archive.exists():  # an ingest interrupted before its first document may leave no archive at all
        assert list((archive / "staging").iterdir()) == []
        verify = arhiva("verify", "--archive", str(archive))
        assert verify.returncode == 0, verify.stdout


def _can_mount_tmpfs() -> bool:
    import shutil

    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "--mount", "--user", "--map-root-user", "sh", "-c",
                            "mount -t tmpfs -o size=1m tmpfs /mnt 2>/dev/null || mount -t tmpfs -o size=1m tmpfs "
                            "\"$TMPDIR\""], capture_output=True, env={**os.environ, "TMPDIR": "/tmp"})
    return probe.returncode == 0


@pytest.mark.skipif(not _can_mount_tmpfs(), reason="needs a private mount namespace to make a small disk")
def test_a_full_and_a_read_only_disk_are_named_in_one_line(tmp_path):
    """On a 3 MB disk the batch stops at the first document that does not fit; on a read-only one, at once."""
    from arhiva.testing.scans import find_font  # noqa: F401 - the same checkout, imported in the namespace too

    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(12):
        (folder / f"doc{n:02d}.txt").write_text(f"Document {n}.\n" + (TEXT * 1000))
    disk = tmp_path / "disk"
    disk.mkdir()
    archive = disk / "arhiva"
    python = f"{sys.executable} -m arhiva"
    script = f"""
        set -u
        mount -t tmpfs -o size=3m tmpfs {disk}
        {python} ingest --archive {archive} {folder} > {tmp_path}/full.out 2> {tmp_path}/full.err
        echo $? > {tmp_path}/full.status
        {python} verify --archive {archive} > {tmp_path}/verify.out 2>&1
        echo $? > {tmp_path}/verify.status
        ls {archive}/staging > {tmp_path}/staging.out
        mount -o remount,ro {disk}
        {python} ingest --archive {archive} {folder} > /dev/null 2> {tmp_path}/ro.err
        echo $? > {tmp_path}/ro.status
    """
    subprocess.run(["unshare", "--mount", "--user", "--map-root-user", "sh", "-c", script],
                   check=True, timeout=600, cwd=Path(__file__).parent.parent)
    read = lambda name: (tmp_path / name).read_text()  # noqa: E731
    assert read("full.status").strip() == "6", read("full.err")
    last = read("full.err").splitlines()[-1]
    assert last.startswith(f"arhiva: error: disk full: no space left on {disk}, the disk of the archive {archive}: ")
    assert "of 12 files not archived" in last and last.endswith("what is archived is skipped")
    assert "Traceback" not in read("full.err")
    assert read("verify.status").strip() == "0", read("verify.out")
    assert read("staging.out") == ""
    assert read("ro.status").strip() == "6", read("ro.err")
    assert read("ro.err").splitlines()[-1].startswith(f"arhiva: error: read-only disk: {disk}, the disk of the "
                                                      f"archive {archive}, cannot be written: ")
