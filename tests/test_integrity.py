"""Nothing lost, nothing forged, nothing silently missed: the archive's guarantees
through the command line (CliRunner, exact messages), as a hostile user or a
careless administrator would test them."""

from __future__ import annotations

import json
import os
import shutil

import bagit

from tests.test_cli import doc, run  # noqa: F401 - fixtures

OTHER = "Dispoziția nr. 7 din 3 martie 2021\n\nPrimarul dispune convocarea consiliului.\n"


def folder_of(tmp_path, doc):
    return next((tmp_path / "archive" / "documents").glob(f"*/{doc}*"))


def writable(path):
    os.chmod(path, 0o644)
    return path


def ingest_other(run, tmp_path):
    path = tmp_path / "dispozitie.txt"
    path.write_text(OTHER, "utf-8")
    result = run("ingest", str(path))
    assert result.exit_code == 0, result.output
    return result.stdout.split()[0]


def test_show_refuses_a_document_that_fails_verification(run, doc, tmp_path):
    (folder_of(tmp_path, doc) / "notes.txt").write_text("mine")
    result = run("show", doc, "--text")
    assert result.exit_code == 6 and result.stdout == ""
    assert result.stderr == (
        f"arhiva: problem: {doc}: notes.txt is not listed in the manifest (arhiva did not put it there)\n"
        f"arhiva: error: document {doc} fails verification, so it is not shown "
        "(run: arhiva verify; --force shows it anyway)\n")
    forced = run("show", doc, "--text", "--force")
    assert forced.exit_code == 0 and forced.stdout.startswith("Comunicat de presă")
    assert forced.stderr.startswith(f"arhiva: problem: {doc}: notes.txt is not listed")


def test_show_original_never_follows_a_link(run, doc, tmp_path):
    original = folder_of(tmp_path, doc) / "original.txt"
    other = tmp_path / "other.txt"
    other.write_text("someone else's file")
    writable(original).unlink()
    original.symlink_to(other)
    for args in [("--original",), ("--original", "--force")]:
        result = run("show", doc, *args)
        assert result.exit_code == 6 and result.stdout_bytes == b""
        assert f"{doc}: original.txt is a symbolic link" in result.stderr


def test_a_manifest_edit_is_caught_and_a_noted_head_proves_the_past(run, doc, tmp_path):
    head = run("verify").stdout.splitlines()[0].removeprefix("journal head: ")
    assert run("tag", doc, "--date", "2021-04-08").exit_code == 0
    since = run("verify", "--since", head)
    assert since.exit_code == 0
    assert since.stdout.splitlines()[0] == f"journal unchanged up to {head}; since then: 1 correction"
    manifest = writable(folder_of(tmp_path, doc) / "manifest.json")
    manifest.write_bytes(manifest.read_bytes().replace(b'"title"', b'"titlu"'))
    result = run("verify")
    assert result.exit_code == 6
    assert result.stdout.splitlines()[0] == (
        f"problem: {doc}: manifest.json does not match the journal (journal entry 1): it was changed")
    bad = run("verify", "--since", "12")
    assert bad.exit_code == 2 and "not a journal head" in bad.stderr
    data = json.loads(run("verify", "--json").stdout)
    assert data["journal"]["entries"] == 2 and data["journal"]["head"].startswith("2:")


def test_a_deleted_document_folder_is_reported(run, doc, tmp_path):
    other = ingest_other(run, tmp_path)
    shutil.rmtree(folder_of(tmp_path, doc))
    result = run("verify")
    assert result.exit_code == 6
    assert f"problem: {doc}: in the journal (entry 1) but not in the archive: its folder was deleted or moved" \
        in result.stdout.splitlines()
    assert run("show", other).exit_code == 0


def test_list_reindex_and_export_skip_a_damaged_document(run, doc, tmp_path):
    other = ingest_other(run, tmp_path)
    (folder_of(tmp_path, doc) / "corrections.json").write_text("{not json")
    listed = run("list")
    assert listed.exit_code == 6 and listed.stdout.startswith(other)
    assert listed.stderr.splitlines() == [
        f"arhiva: warning: skipped {doc}: corrections.json is unreadable: Expecting property name enclosed in "
        "double quotes: line 1 column 2 (char 1)",
        "arhiva: run `arhiva verify` for details"]
    writable(folder_of(tmp_path, other) / "text.txt").unlink()
    reindexed = run("reindex")
    assert reindexed.exit_code == 6
    assert reindexed.stderr.splitlines()[:3] == [
        "indexed 0 documents",
        f"arhiva: warning: skipped {doc}: corrections.json is unreadable: Expecting property name enclosed in "
        "double quotes: line 1 column 2 (char 1)",
        f"arhiva: warning: skipped {other}: text.txt is missing"]
    exported = run("export", "--all", "--out", str(tmp_path / "bag"))
    assert exported.exit_code == 6 and not (tmp_path / "bag").exists()
    assert exported.stderr.splitlines()[1:] == [
        f"arhiva: warning: skipped {other}: text.txt is missing",
        "arhiva: error: nothing exported: every document given fails verification; no bag was written"]


def test_export_leaves_out_a_damaged_document_and_unlisted_files(run, doc, tmp_path):
    other = ingest_other(run, tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("not for export")
    (folder_of(tmp_path, other) / "extra.txt").symlink_to(secret)
    bag_dir = tmp_path / "bag"
    result = run("export", "--all", "--out", str(bag_dir))
    assert result.exit_code == 6
    assert result.stdout == f"exported 1 document(s) to the bag {bag_dir}\n"
    assert result.stderr.splitlines()[0] == f"arhiva: warning: skipped {other}: extra.txt is a symbolic link"
    assert bagit.Bag(str(bag_dir)).is_valid()
    exported = sorted(p.name for p in (bag_dir / "data" / "documents").iterdir())
    assert [name[:12] for name in exported] == [doc]
    assert not any(p.is_symlink() or "secret" in p.name for p in bag_dir.rglob("*"))


def test_export_never_writes_into_or_removes_what_exists(run, doc, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "mine.txt").write_text("mine")
    (tmp_path / "link").symlink_to(tmp_path / "taken")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    # what an older arhiva, or a person, may have left beside the target
    for leftover in (".bag.building", "bag.building", "bag.bag.building"):
        (tmp_path / leftover).mkdir()
        (tmp_path / leftover / "mine.txt").write_text("mine")
    before = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if "archive" not in p.parts)
    cases = {
        "taken": "taken already exists; export into a new folder",
        "link": "link is a symbolic link; give the name of a new folder for the bag",
        "dangling": "dangling is a symbolic link (to nothing); give the name of a new folder for the bag",
        ".": "'.' is an existing folder; give the name of a new folder for the bag",
        "..": "'..' is an existing folder; give the name of a new folder for the bag",
    }
    for target, message in cases.items():
        result = run("export", "--all", "--out", target)
        assert (result.exit_code, result.stderr) == (6, f"arhiva: error: {message}\n"), target
    after = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if "archive" not in p.parts)
    assert after == before
    assert run("export", "--all", "--out", "bag").exit_code == 0
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")
                  if "archive" not in p.parts and "bag" not in p.parts) == before
    for leftover in (".bag.building", "bag.building", "bag.bag.building"):
        assert (tmp_path / leftover / "mine.txt").read_text() == "mine"
