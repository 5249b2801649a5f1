"""What ingest takes from the paths given: stray files skipped with a note, --include/--exclude, paths on stdin."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from arhiva.cli import cli
from arhiva.files import Selection, find_files, paths_from_stream, stray_reason
from arhiva.pipeline import INGESTED, SKIPPED, ingest

DATA = Path(__file__).parent / "data" / "files"
STRAY = json.loads((DATA / "stray.json").read_text("utf-8"))["cases"]
SELECTION = json.loads((DATA / "selection.json").read_text("utf-8"))
TEXT = "Primăria comunei Testeni\nComunicat de presă\nȘedința consiliului local a aprobat bugetul pe anul {n}.\n"


@pytest.mark.parametrize("case", STRAY, ids=[c["name"] for c in STRAY])
def test_stray_files_are_known_by_name(case):
    reason = stray_reason(case["name"])
    if case["stray"] is None:
        assert reason is None
    else:
        assert reason is not None and reason.startswith(case["stray"])


@pytest.mark.parametrize("case", SELECTION["cases"], ids=lambda c: f"+{c['include']} -{c['exclude']}")
def test_include_and_exclude_choose_among_the_files_of_a_walk(tmp_path, case):
    for name in SELECTION["files"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name)
    found = find_files([tmp_path], selection=Selection(tuple(case["include"]), tuple(case["exclude"])))
    assert [item.path.relative_to(tmp_path).as_posix() for item in found] == case["found"]
    assert all(item.problem is None and item.skipped is None for item in found)


def test_files_given_by_name_are_taken_whatever_the_patterns(tmp_path):
    named = tmp_path / "nota.txt"
    named.write_text("text")
    found = find_files([named], selection=Selection(include=("*.pdf",), exclude=("*.txt",)))
    assert [(item.path, item.problem, item.skipped) for item in found] == [(named, None, None)]


def test_system_folders_are_not_walked(tmp_path):
    for name in ("$RECYCLE.BIN/a.pdf", "System Volume Information/b.pdf", "__MACOSX/._c.pdf", "dosar/d.pdf"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert [item.path.name for item in find_files([tmp_path])] == ["d.pdf"]


def test_stray_files_are_skipped_and_do_not_fail_the_batch(tmp_path, archive, engine):
    folder = tmp_path / "scanari"
    folder.mkdir()
    (folder / "comunicat.txt").write_text(TEXT.format(n=2021), "utf-8")
    (folder / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0 not a document")
    (folder / "desktop.ini").write_text("[.ShellClassInfo]\n")
    (folder / "checksums.md5").write_text("d41d8cd98f00b204e9800998ecf8427e  comunicat.txt\n")
    (folder / "raport.pdf.crdownload").write_bytes(b"%PDF-1.4 half")
    (folder / "pagina.html").write_text("<html><body>Comunicat</body></html>")
    report = ingest([folder, folder / "Thumbs.db"], archive, engine, jobs=1)
    statuses = {Path(o.path).name: o.status for o in report.outcomes}
    assert statuses == {"checksums.md5": SKIPPED, "comunicat.txt": INGESTED, "desktop.ini": SKIPPED,
                        "pagina.html": SKIPPED, "raport.pdf.crdownload": SKIPPED, "Thumbs.db": SKIPPED}
    assert report.ok
    thumbs = next(o for o in report.outcomes if o.path.endswith("Thumbs.db"))
    assert thumbs.reason == "Windows thumbnail cache, not a document" and thumbs.doc_id is None


def test_the_command_line_notes_skipped_files_and_succeeds(tmp_path):
    folder = tmp_path / "scanari"
    folder.mkdir()
    (folder / "comunicat.txt").write_text(TEXT.format(n=2021), "utf-8")
    (folder / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0")
    result = CliRunner().invoke(cli, ["--archive", str(tmp_path / "arhiva"), "ingest", "--jobs", "1", str(folder)])
    assert result.exit_code == 0, result.output
    assert f"skipped: {folder / 'Thumbs.db'}: Windows thumbnail cache, not a document\n" in result.stderr
    assert result.stderr.endswith("1 ingested, 0 already in the archive, 0 failed, 1 skipped (not documents)\n")


def test_include_and_exclude_on_the_command_line(tmp_path):
    folder = tmp_path / "dosar"
    (folder / "ciorne").mkdir(parents=True)
    for n, name in enumerate(["a.txt", "b.TXT", "c.csv", "ciorne/d.txt"]):
        (folder / name).write_text(TEXT.format(n=2000 + n), "utf-8")
    result = CliRunner().invoke(cli, ["--archive", str(tmp_path / "arhiva"), "--json", "ingest", "--jobs", "1",
                                      "--include", "*.txt", "--exclude", "ciorne", str(folder)])
    assert result.exit_code == 0, result.output
    files = json.loads(result.stdout)["files"]
    assert [Path(f["path"]).name for f in files] == ["a.txt", "b.TXT"]


def test_paths_from_standard_input(tmp_path):
    names = []
    for n, name in enumerate(["a.txt", "cu spațiu.txt", "Thumbs.db"]):
        (tmp_path / name).write_text(TEXT.format(n=2000 + n), "utf-8")
        names.append(str(tmp_path / name))
    archive = str(tmp_path / "arhiva")
    lines = CliRunner().invoke(cli, ["--archive", archive, "--json", "ingest", "--jobs", "1", "-"],
                               input="\n".join(names) + "\n")
    assert lines.exit_code == 0, lines.output
    assert [(Path(f["path"]).name, f["status"]) for f in json.loads(lines.stdout)["files"]] == [
        ("a.txt", "ingested"), ("cu spațiu.txt", "ingested"), ("Thumbs.db", "skipped")]
    nul = CliRunner().invoke(cli, ["--archive", archive, "--json", "ingest", "--jobs", "1", "-0", "-"],
                             input="\0".join(names[:2]) + "\0")
    assert nul.exit_code == 0, nul.output
    assert [f["status"] for f in json.loads(nul.stdout)["files"]] == ["duplicate", "duplicate"]


def test_null_without_a_dash_and_an_empty_standard_input_are_usage_errors(tmp_path):
    archive = str(tmp_path / "arhiva")
    null = CliRunner().invoke(cli, ["--archive", archive, "ingest", "-0", str(tmp_path)])
    assert null.exit_code == 2 and "give - as a path" in null.stderr
    empty = CliRunner().invoke(cli, ["--archive", archive, "ingest", "-"], input="")
    assert empty.exit_code == 2 and "no paths on standard input" in empty.stderr


def test_paths_from_a_stream_keep_names_that_are_not_utf8():
    assert paths_from_stream(b"dosar/Hot\xe3r\xe2re.txt\n") == [Path("dosar/Hot\udce3r\udce2re.txt")]
