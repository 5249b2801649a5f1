"""The command line, through click's CliRunner, with exact output."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import arhiva.ingest
from arhiva.cli import cli
from tests.conftest import FakeEngine

TEXT = "Comunicat de presă\n\nŞedinţa Consiliului Local a aprobat bugetul pe anul 2021.\n"


class FakeTesseract(FakeEngine):
    def __init__(self, lang="ron", timeout=300):
        super().__init__()

    def check(self):
        pass


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setattr(arhiva.ingest, "TesseractEngine", FakeTesseract)
    monkeypatch.setenv("ARHIVA_HOME", str(tmp_path / "archive"))
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def doc(tmp_path, run):
    path = tmp_path / "comunicat.txt"
    path.write_text(TEXT, "utf-8")
    result = run("ingest", str(path))
    assert result.exit_code == 0, result.output
    return result.stdout.split()[0]


def test_ingest_output(run, tmp_path):
    path = tmp_path / "comunicat.txt"
    path.write_text(TEXT, "utf-8")
    result = run("ingest", str(path))
    import hashlib

    doc_id = hashlib.sha256(TEXT.encode()).hexdigest()
    assert result.stdout == f"{doc_id[:12]}  {path} (1 page)\n"
    assert result.stderr == "1 ingested, 0 already in the archive, 0 failed\n"
    again = run("ingest", str(path))
    assert again.exit_code == 0 and again.stderr == "0 ingested, 1 already in the archive, 0 failed\n"


def test_ingest_failure_exit_status_and_json(run, tmp_path):
    (tmp_path / "bun.txt").write_text(TEXT)
    (tmp_path / "gol.txt").write_text("")
    result = run("ingest", "--json", str(tmp_path / "bun.txt"), str(tmp_path / "gol.txt"))
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["ingested"], data["failed"]) == (1, 1)
    assert data["files"][1] == {"path": str(tmp_path / "gol.txt"), "status": "failed", "id": None, "pages": 0, "reason": "empty file"}
    assert f"failed: {tmp_path / 'gol.txt'}: empty file" in result.stderr


def test_search_plain_and_json(run, doc):
    result = run("search", "sedinta", "consiliului")
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{doc}  Comunicat de presă  [comunicat de presă, comunicat.txt, ")
    assert lines[1] == "    p.1: …Comunicat de presă Ședința Consiliului Local a aprobat bugetul pe anul 2021.…"
    data = json.loads(run("search", "--json", "bugetul").stdout)
    assert data["query"] == "bugetul"
    assert data["results"][0]["snippets"][0]["matches"] == ["bugetul"]
    assert set(data["results"][0]) == {"id", "title", "date", "type", "score", "source", "ingested", "pages", "snippets",
                                       "missing"}
    assert set(data) == {"query", "total", "total_exact", "partial", "suggestion", "results"}


def test_search_without_results(run, doc):
    result = run("search", "inexistent")
    assert result.exit_code == 0 and result.stdout == "" and result.stderr == "no documents match\n"


def test_show_variants(run, doc, tmp_path):
    original = run("show", doc[:6], "--original")
    assert original.stdout_bytes == TEXT.encode()
    assert run("show", doc, "--text").stdout == TEXT.replace("Şedinţa", "Ședința") + "\n"
    assert run("show", doc, "--raw").stdout == "--- page 1 ---\n" + TEXT + "\n"
    manifest = json.loads(run("show", doc, "--json").stdout)
    assert manifest["source"]["name"] == "comunicat.txt"
    summary = run("show", doc).stdout
    assert "title:     Comunicat de presă" in summary and "cleanup:   comma_below 1" in summary


def test_unknown_id_is_one_line_with_status_4(run, doc):
    result = run("show", "ffff0000")
    assert result.exit_code == 4
    assert result.stderr == "arhiva: error: no document with ID ffff0000\n"
    assert run("show", "../../etc").exit_code == 4


def test_list_and_verify(run, doc):
    rows = json.loads(run("list", "--json").stdout)
    assert [r["title"] for r in rows] == ["Comunicat de presă"]
    result = run("verify")
    head = result.stdout.splitlines()[0]
    assert head.startswith("journal head: 1:") and len(head) == len("journal head: 1:") + 64
    assert result.exit_code == 0 and result.stdout == f"{head}\n1 document checked: ok\n"


def test_verify_reports_tampering(run, doc, tmp_path):
    import os

    text = next((tmp_path / "archive" / "documents").glob("*/*/text.txt"))
    os.chmod(text, 0o644)
    text.write_text("schimbat")
    result = run("verify")
    assert result.exit_code == 6
    head = result.stdout.splitlines()[1]
    assert result.stdout == f"problem: {doc}: text.txt does not match its checksum\n{head}\n1 document checked: PROBLEMS FOUND\n"


def test_reindex_then_search(run, doc, tmp_path):
    import shutil

    shutil.rmtree(tmp_path / "archive" / "index")
    missing = run("search", "buget")
    assert missing.exit_code == 6 and "run: arhiva reindex" in missing.stderr
    assert run("reindex").stderr == "indexed 1 document\n"
    assert run("search", "bugetul").stdout.startswith(doc)


def test_no_archive_yet(run):
    result = run("list")
    assert result.exit_code == 6 and result.stderr.startswith("arhiva: error: no archive at ")


def test_clean_from_stdin(run):
    assert run("clean", input="Şedinţa din pro-\niectul nostru".encode()).stdout == "Ședința din proiectul nostru\n"
    changes = run("clean", "--changes", input="Şedinţa".encode()).stdout
    assert changes == "comma_below: 1 change(s)\n    'Şedinţa' -> 'Ședința'\n"


@pytest.mark.parametrize("command", ["ingest", "search", "similar", "show", "list", "tag", "reextract", "reindex", "verify", "export", "clean"])
def test_every_command_has_help_with_examples(run, command):
    result = run(command, "--help")
    assert result.exit_code == 0 and "Example" in result.stdout and "Exit status" in result.stdout


def test_export_bagit_round_trip(run, doc, tmp_path):
    import subprocess
    import sys

    import bagit

    bag_dir = tmp_path / "bag"
    result = run("export", doc[:6], "--out", str(bag_dir))
    assert result.exit_code == 0 and result.stdout == f"exported 1 document(s) to the bag {bag_dir}\n"
    bag = bagit.Bag(str(bag_dir))
    assert bag.is_valid()
    original = next((bag_dir / "data" / "documents").glob("*/original.txt"))
    assert original.read_bytes() == TEXT.encode()
    validator = subprocess.run([sys.executable, "-m", "bagit", "--validate", str(bag_dir)], capture_output=True, text=True)
    assert validator.returncode == 0, validator.stderr
    again = run("export", "--all", "--out", str(bag_dir))
    assert again.exit_code == 6 and "already exists" in again.stderr


def test_tag_wins_over_extraction_and_survives_reextract(run, doc):
    result = run("tag", doc, "--date", "2021-04-08", "--type", "Proces-verbal")
    assert result.exit_code == 0, result.output
    assert "corrected: date, type" in result.stdout
    summary = run("show", doc).stdout
    assert "date:      2021-04-08 (corrected by hand)" in summary
    assert "type:      proces-verbal (corrected by hand)" in summary
    assert run("reextract").exit_code == 0
    data = json.loads(run("show", doc, "--json").stdout)["metadata_in_force"]
    assert (data["date"], data["type"], data["corrected"]) == ("2021-04-08", "proces-verbal", ["date", "type"])
    found = json.loads(run("search", "--json", "tip:proces-verbal", "data:2021-04").stdout)["results"]
    assert [h["id"][:12] for h in found] == [doc] and found[0]["date"] == "2021-04-08"
    assert run("tag", doc, "--clear", "type").exit_code == 0
    assert json.loads(run("show", doc, "--json").stdout)["metadata_in_force"]["type"] == "comunicat de presă"


def test_tag_refuses_bad_values(run, doc):
    bad_date = run("tag", doc, "--date", "8 aprilie")
    assert bad_date.exit_code == 2 and "is not a date" in bad_date.stderr
    assert run("tag", doc, "--date", "2021-02-30").exit_code == 2
    bad_type = run("tag", doc, "--type", "scrisoare")
    assert bad_type.exit_code == 2 and "known types: comunicat de presă" in bad_type.stderr
    assert run("tag", doc, "--title", "  ").exit_code == 2


def test_list_filters_and_sorts(run, tmp_path):
    texts = {
        "a.txt": "HOTĂRÂREA nr. 12 din 3 martie 2021\nprivind bugetul local\n\nConsiliul Local a aprobat bugetul.",
        "b.txt": "PROCES-VERBAL\nîncheiat astăzi, 12 mai 2021, în ședința Consiliului Local\n\nS-a votat.",
        "c.txt": "ANUNȚ\n\nPrimăria anunță consultarea publică din 16 septembrie 2021 privind bugetul.",
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text, "utf-8")
    assert run("ingest", *(str(tmp_path / n) for n in texts)).exit_code == 0
    rows = json.loads(run("list", "--json", "--sort", "date").stdout)
    assert [(r["source"], r["date"], r["type"]) for r in rows] == [
        ("a.txt", "2021-03-03", "hotărâre"), ("b.txt", "2021-05-12", "proces-verbal"), ("c.txt", None, "anunț")]  # the meeting date is mentioned, not the announcement's own: undated, last
    spring = json.loads(run("list", "--json", "--from", "2021-03", "--to", "2021-05").stdout)
    assert sorted(r["source"] for r in spring) == ["a.txt", "b.txt"]
    assert [r["source"] for r in json.loads(run("list", "--json", "--type", "hotarare").stdout)] == ["a.txt"]
    results = json.loads(run("search", "--json", "bugetul", "--type", "hotărâre").stdout)["results"]
    assert [r["source"] for r in results] == ["a.txt"]


def test_reextract_skips_a_damaged_document_with_a_warning(run, doc, tmp_path):
    import os

    other = tmp_path / "anunt.txt"
    other.write_text("ANUNȚ\n\nPrimăria anunță consultarea publică din 16 septembrie 2021.", "utf-8")
    second = run("ingest", str(other)).stdout.split()[0]
    folder = next((tmp_path / "archive" / "documents").glob(f"*/{second}*"))
    os.chmod(folder / "text.txt", 0o644)
    (folder / "text.txt").write_bytes(b"\xff\xfe not utf-8")
    result = run("reextract")
    assert result.exit_code == 6
    assert "extracted 1 document(s) again" in result.stderr
    assert f"arhiva: warning: skipped {second}: " in result.stderr
    assert json.loads(run("show", doc, "--json").stdout)["metadata_in_force"]["type"] == "comunicat de presă"


def test_show_and_list_read_the_title_in_force(run, doc):
    assert run("tag", doc, "--title", "Titlu pus de mână").exit_code == 0
    assert "title:     Titlu pus de mână (corrected by hand)" in run("show", doc).stdout
    [row] = json.loads(run("list", "--json").stdout)
    assert (row["id"][:12], row["title"], row["pages"], row["source"]) == (doc, "Titlu pus de mână", 1, "comunicat.txt")
    assert "Titlu pus de mână  [comunicat.txt]" in run("list").stdout
