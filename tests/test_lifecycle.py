"""Withdrawn, restored and purged documents; free tags; the registry as CSV and NDJSON.

A withdrawn document stays in the archive (checked by ``verify``) but is
never searched, listed or offered as similar, through the library or the
command line; a purged one leaves only its tombstone in the journal. Tags
are kept with the corrections, searched as ``tag:`` and listed with
``--tag``. The CSV opens in a spreadsheet with its diacritics, and no cell
of it runs as a formula.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from arhiva import operations
from arhiva.archive import Archive, catalog
from arhiva.archive.lifecycle import purged, tombstones, withdrawal
from arhiva.archive.registry import spreadsheet_cell
from arhiva.archive.store import WITHDRAWN_FILE
from arhiva.cli import cli
from arhiva.errors import DiskFullError, ExitCode, InputError
from arhiva.maintenance import current_index, reindex, verify
from arhiva.pipeline import ingest
from arhiva.tags import normalise_tag
from tests.conftest import DATA, FakeEngine

CASES = DATA / "lifecycle"
TEXTS = {
    "buget.txt": "Hotărâre\n\nConsiliul Local a aprobat bugetul comunei pe anul 2021.\n",
    "concurs.txt": "Anunț\n\nPrimăria organizează concurs pentru postul de consilier, cu bugetul aprobat.\n",
    "sedinta.txt": "Proces-verbal\n\nȘedința ordinară a Consiliului Local a discutat bugetul comunei.\n",
}


def cases(name: str) -> list[dict]:
    return json.loads((CASES / name).read_text("utf-8"))


@pytest.fixture
def docs(archive: Archive, tmp_path: Path) -> dict[str, str]:
    """The archive with three documents, each of which has ``bugetul``: source name -> ID."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / name).write_text(text, "utf-8")
    ingest([folder], archive, FakeEngine(), jobs=1)
    ids = {catalog.view(archive, doc_id).source: doc_id for doc_id in archive.ids()}
    assert sorted(ids) == sorted(TEXTS) and verify(archive).ok
    return ids


def run(archive: Archive, *args: str, ok: bool = True):
    result = CliRunner().invoke(cli, ["--archive", str(archive.root), *args])
    if ok:
        assert result.exit_code == 0, result.output
    return result


def searched(archive: Archive, query: str = "bugetul") -> set[str]:
    index, _ = current_index(archive)
    return {hit.id for hit in index.search(query, limit=50).hits}


def listed(archive: Archive, **filters) -> set[str]:
    return {doc.id for doc in catalog.listing(archive, **filters)}


def similar(archive: Archive, doc_id: str) -> set[str]:
    index, _ = current_index(archive)
    return {hit.id for hit in index.similar(doc_id, archive.text(doc_id), limit=50).hits}


def cli_ids(output: str) -> set[str]:
    """The IDs a command printed (as JSON lines, or the 12-digit abbreviations of its text lines)."""
    return {line.split()[0][:12] for line in output.splitlines() if line and not line.startswith(" ")}


# -- tags and cells, as data ----------------------------------------------------


@pytest.mark.parametrize("case", cases("tags.json"), ids=lambda c: c["comment"])
def test_tags_are_normalised(case):
    if case["tag"] is None:
        with pytest.raises(InputError):
            normalise_tag(case["typed"])
    else:
        assert normalise_tag(case["typed"]) == case["tag"]


@pytest.mark.parametrize("case", cases("csv_cells.json"), ids=lambda c: c["comment"])
def test_csv_cells_never_run_as_formulas(case):
    assert spreadsheet_cell(case["value"]) == case["cell"]


# -- withdraw, restore, purge -----------------------------------------------------


def test_withdrawn_documents_are_never_searched_listed_or_similar(archive, docs):
    gone, kept = docs["concurs.txt"], docs["buget.txt"]
    assert gone in searched(archive) and gone in similar(archive, kept)
    record, problem = operations.withdraw(archive, gone, "  publicat   din greșeală ")
    assert problem is None and record.reason == "publicat din greșeală"
    report = verify(archive)
    assert report.ok and (report.documents, report.withdrawn) == (3, 1)
    # through the library
    assert gone not in searched(archive) and gone not in similar(archive, kept)
    assert gone not in listed(archive) and listed(archive, withdrawn=True) == {gone}
    assert withdrawal(archive, gone) == record
    # through the command line
    short = gone[:12]
    assert short not in cli_ids(run(archive, "search", "bugetul").output)
    assert short not in run(archive, "search", "bugetul", "--json").output
    assert short not in run(archive, "search", "bugetul", "--ndjson").output
    assert short not in cli_ids(run(archive, "similar", kept[:8]).output)
    assert short not in cli_ids(run(archive, "list").output)
    assert gone not in run(archive, "list", "--json").output
    assert gone not in run(archive, "list", "--csv").output
    assert cli_ids(run(archive, "list", "--withdrawn").output) == {short}
    refused = run(archive, "similar", short, ok=False)
    assert refused.exit_code == ExitCode.USAGE and "withdrawn" in refused.output
    # a rebuilt index does not bring it back; restoring does
    reindex(archive)
    assert gone not in searched(archive) and verify(archive).ok
    operations.restore(archive, gone)
    assert gone in searched(archive) and gone in listed(archive) and verify(archive).ok
    assert not os.path.lexists(archive.folder(gone) / WITHDRAWN_FILE)


def test_an_exported_bag_says_which_documents_are_withdrawn(archive, docs, tmp_path):
    """A bag of the whole archive carries a withdrawn document with its withdrawn.json, so the
    receiving side sees it is withdrawn; the command says how many are, --json names them."""
    gone = docs["concurs.txt"]
    operations.withdraw(archive, gone, "publicat din greșeală")
    said = run(archive, "export", "--all", "--out", str(tmp_path / "bag"))
    assert "3 document(s) (1 withdrawn, each with its withdrawn.json)" in said.output
    assert (tmp_path / "bag" / "data" / "documents" / gone / WITHDRAWN_FILE).is_file()
    kept = docs["buget.txt"]
    assert not (tmp_path / "bag" / "data" / "documents" / kept / WITHDRAWN_FILE).exists()
    scripted = json.loads(run(archive, "export", "--all", "--json", "--out", str(tmp_path / "bag2")).stdout)
    assert scripted["withdrawn"] == [gone] and len(scripted["documents"]) == 3


def test_withdraw_restore_and_purge_say_what_they_refuse(archive, docs):
    doc_id = docs["sedinta.txt"][:10]
    assert run(archive, "restore", doc_id, ok=False).exit_code == ExitCode.USAGE
    refused = run(archive, "purge", doc_id, "--yes", ok=False)
    assert refused.exit_code == ExitCode.USAGE and "withdraw it first" in refused.output
    assert run(archive, "withdraw", doc_id, ok=False).exit_code == ExitCode.USAGE  # --reason is required
    assert run(archive, "withdraw", doc_id, "--reason", " ", ok=False).exit_code == ExitCode.INVALID_INPUT
    run(archive, "withdraw", doc_id, "--reason", "duplicat")
    again = run(archive, "withdraw", doc_id, "--reason", "altul", ok=False)
    assert again.exit_code == ExitCode.USAGE and "withdrawn already" in again.output and "duplicat" in again.output
    unconfirmed = run(archive, "purge", doc_id, ok=False)
    assert unconfirmed.exit_code == ExitCode.USAGE and "--yes" in unconfirmed.output
    assert archive.has(docs["sedinta.txt"]) and verify(archive).ok


def test_an_index_searched_as_it_is_never_shows_a_withdrawn_document(archive, docs, monkeypatch):
    """When the index cannot be brought up to date (a journal that cannot be read: searched as it is, with a
    warning), a document withdrawn meanwhile is still left out of search and similar, and said so."""
    import arhiva.maintenance as maintenance

    gone, kept = docs["concurs.txt"], docs["buget.txt"]
    archive.withdraw(gone, {"withdrawn_at": "2026-12-01T08:00:00+00:00", "reason": "test"})  # index not told
    monkeypatch.setattr(maintenance, "current_index",
                        lambda archive, wait=None: (maintenance.open_index(archive), maintenance.CatchUp()))
    for args in (("search", "bugetul"), ("similar", kept[:8])):
        result = run(archive, *args)
        assert gone[:12] not in cli_ids(result.stdout) and "withdrawn" in result.stderr, args


def test_show_marks_a_withdrawn_document(archive, docs):
    doc_id = docs["buget.txt"]
    run(archive, "withdraw", doc_id[:8], "--reason", "date personale")
    shown = run(archive, "show", doc_id[:8]).output
    assert shown.startswith("WITHDRAWN: ") and "date personale" in shown and doc_id in shown
    data = json.loads(run(archive, "show", doc_id[:8], "--json").output)
    assert data["withdrawn"]["reason"] == "date personale" and data["id"] == doc_id
    assert run(archive, "show", doc_id[:8], "--text").output.startswith("Hotărâre")  # its files are all there


def test_purge_keeps_a_tombstone_and_the_file_may_come_back(archive, docs, tmp_path):
    doc_id = docs["concurs.txt"]
    run(archive, "withdraw", doc_id[:8], "--reason", "publicat din greșeală")
    data = json.loads(run(archive, "purge", doc_id[:8], "--yes", "--json").output)
    assert data == {"id": doc_id, "status": "purged", "source": "concurs.txt", "reason": "publicat din greșeală",
                    "withdrawn_at": data["withdrawn_at"], "purged_at": data["purged_at"],
                    "journal_entry": data["journal_entry"]}
    assert not os.path.lexists(archive.folder(docs["buget.txt"]).parent.parent / doc_id[:2] / doc_id)
    assert doc_id not in set(archive.ids()) and doc_id not in searched(archive)
    report = verify(archive)
    assert report.ok and (report.documents, report.purged, report.withdrawn) == (2, 1, 0)
    assert "(1 purged) checked: ok" in run(archive, "verify").output
    # the tombstone, as show and list --withdrawn give it
    (stone,) = tombstones(archive)
    assert purged(archive, doc_id[:6]) == [stone] and stone.source == "concurs.txt"
    shown = run(archive, "show", doc_id[:8]).output
    assert shown.startswith("PURGED: ") and doc_id in shown and "publicat din greșeală" in shown
    assert "PURGED" in run(archive, "list", "--withdrawn").output
    rows = list(csv.DictReader(io.StringIO(run(archive, "list", "--withdrawn", "--csv").output.lstrip("\ufeff"))))
    assert [(r["id"], r["status"], r["reason"]) for r in rows] == [(doc_id, "purged", "publicat din greșeală")]
    reindex(archive)
    assert doc_id not in searched(archive) and verify(archive).ok
    # the same file may be ingested again: a new record, searchable, and no longer a tombstone
    again = tmp_path / "again.txt"
    again.write_text(TEXTS["concurs.txt"], "utf-8")
    ingest([again], archive, FakeEngine(), jobs=1)
    assert archive.has(doc_id) and doc_id in searched(archive) and tombstones(archive) == []
    assert verify(archive).ok and run(archive, "show", doc_id[:8]).output.startswith("id: ")


def test_ingesting_a_withdrawn_document_again_leaves_it_withdrawn(archive, docs, tmp_path):
    doc_id = docs["buget.txt"]
    operations.withdraw(archive, doc_id, "duplicat")
    again = tmp_path / "again.txt"
    again.write_text(TEXTS["buget.txt"], "utf-8")
    report = ingest([again], archive, FakeEngine(), jobs=1)
    assert [(o.status, o.reason) for o in report.outcomes] == [("duplicate", "withdrawn")]
    said = run(archive, "ingest", str(again)).output
    assert "0 ingested, 1 already in the archive (1 of them withdrawn)" in said
    assert archive.is_withdrawn(doc_id) and doc_id not in searched(archive) and verify(archive).ok


def test_verify_checks_the_tombstone_against_the_journal(archive, docs):
    gone, other = docs["buget.txt"], docs["sedinta.txt"]
    operations.withdraw(archive, gone, "duplicat")
    path = archive.folder(gone) / WITHDRAWN_FILE
    original = path.read_bytes()
    os.chmod(path, 0o644)
    path.write_bytes(original.replace(b"duplicat", b"altceva!"))
    assert any("withdrawn.json does not match the journal" in p for p in verify(archive).problems)
    path.unlink()
    assert any("its withdrawn.json is missing" in p for p in verify(archive).problems)
    path.write_bytes(original)
    assert verify(archive).ok
    forged = archive.folder(other) / WITHDRAWN_FILE  # withdrawn by hand, not by arhiva
    forged.write_bytes(original)
    assert any("withdrawn.json is not in the journal" in p for p in verify(archive).problems)


def test_a_purge_interrupted_before_its_journal_entry_is_completed(archive, docs, monkeypatch):
    doc_id = docs["sedinta.txt"]
    operations.withdraw(archive, doc_id, "duplicat")
    from arhiva.archive.journal import Journal

    def no_disk(self, entry):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Journal, "append", no_disk)
    with pytest.raises(DiskFullError, match="run arhiva purge again"):
        operations.purge(archive, doc_id)
    monkeypatch.undo()
    reopened = Archive.open(archive.root)  # finds the intent: the folder is gone, so the purge is journaled
    assert [t.id for t in tombstones(reopened)] == [doc_id]
    reopened.sweep_staging()
    assert verify(reopened).ok and doc_id not in searched(reopened)


# -- tags ------------------------------------------------------------------------------


def test_tags_are_added_removed_searched_and_listed(archive, docs):
    doc_id, other = docs["buget.txt"], docs["sedinta.txt"]
    shown = run(archive, "tag", doc_id[:8], "--add", "Buget 2021", "--add", "ciornă").output
    assert "tags: buget-2021 ciorna" in shown
    run(archive, "tag", other[:8], "--add", "buget-2021", "--date", "2021-03-15")
    run(archive, "tag", doc_id[:8], "--remove", "CIORNA")
    assert catalog.view(archive, doc_id).tags == ("buget-2021",)
    history = catalog.corrections(archive, doc_id)["history"]
    assert [h.get("tags") for h in history] == [{"add": ["buget-2021", "ciorna"]}, {"remove": ["ciorna"]}]
    assert searched(archive, "tag:buget-2021") == {doc_id, other}
    assert searched(archive, "tag:Bugét-2021 bugetul -tag:ciorna") == {doc_id, other}
    assert searched(archive, "tag:ciorna") == set()
    assert listed(archive, tag="buget-2021") == {doc_id, other}
    assert cli_ids(run(archive, "list", "--tag", "Buget-2021").output) == {doc_id[:12], other[:12]}
    assert cli_ids(run(archive, "search", "tag:buget-2021").output) == {doc_id[:12], other[:12]}
    # tags stay through re-extraction and a rebuilt index; show gives them
    operations.reextract(archive, [doc_id])
    reindex(archive)
    assert searched(archive, "tag:buget-2021") == {doc_id, other}
    assert "tags:      buget-2021" in run(archive, "show", doc_id[:8]).output
    assert verify(archive).ok


def test_tag_refuses_what_is_not_a_tag(archive, docs):
    doc_id = docs["buget.txt"][:8]
    bad = run(archive, "tag", doc_id, "--add", "cost=50%", ok=False)
    assert bad.exit_code == ExitCode.USAGE and "not a tag" in bad.output
    both = run(archive, "tag", doc_id, "--add", "Ciornă", "--remove", "ciorna", ok=False)
    assert both.exit_code == ExitCode.USAGE and "both added and removed" in both.output
    assert run(archive, "list", "--tag", "a=b", ok=False).exit_code == ExitCode.USAGE
    assert catalog.corrections(archive, docs["buget.txt"])["history"] == []


# -- the registry as CSV and NDJSON ----------------------------------------------------


def test_the_csv_opens_in_a_spreadsheet(archive, docs):
    doc_id = docs["buget.txt"]
    run(archive, "tag", doc_id[:8], "--title", '=HYPERLINK("http://x.ro"), „Ședința” nr. 5', "--add", "buget-2021")
    result = CliRunner().invoke(cli, ["--archive", str(archive.root), "list", "--csv", "--sort", "date"])
    assert result.exit_code == 0
    data = result.stdout_bytes
    assert data.startswith(b"\xef\xbb\xbfid,date,type,number,title,source,pages,tags\r\n")
    assert data.count(b"\r\n") == 4 and b"\n" not in data.replace(b"\r\n", b"")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert {r["id"] for r in rows} == set(docs.values())
    (row,) = [r for r in rows if r["id"] == doc_id]
    assert row["title"] == '\'=HYPERLINK("http://x.ro"), „Ședința” nr. 5'
    assert (row["type"], row["pages"], row["tags"], row["source"]) == ("hotărâre", "1", "buget-2021", "buget.txt")
    assert '"\'=HYPERLINK(""http://x.ro""), „Ședința” nr. 5"' in data.decode("utf-8")  # quoted by the csv module


def test_ndjson_gives_one_object_per_line(archive, docs):
    run(archive, "tag", docs["sedinta.txt"][:8], "--add", "ședință")
    lines = run(archive, "list", "--ndjson").output.splitlines()
    rows = [json.loads(line) for line in lines]
    assert len(rows) == 3 and all(list(r) == ["id", "date", "type", "number", "title", "source", "pages", "tags"]
                                  for r in rows)
    assert {r["id"]: r["tags"] for r in rows}[docs["sedinta.txt"]] == ["sedinta"]
    assert "hotărâre" in run(archive, "list", "--ndjson").output  # diacritics as they are, not escaped
    hits = [json.loads(line) for line in run(archive, "search", "bugetul", "--ndjson").output.splitlines()]
    assert {h["id"] for h in hits} == set(docs.values())
    assert all(set(h) >= {"id", "title", "score", "snippets"} for h in hits)
    assert run(archive, "list", "--csv", "--json", ok=False).exit_code == ExitCode.USAGE


# -- the list cache ------------------------------------------------------------------------


def test_the_list_cache_follows_the_journal_and_the_folders(archive, docs, tmp_path):
    from arhiva.archive.catalog_cache import CACHE_FILE, load

    uncached = [doc.row() for doc in catalog.listing(archive)]  # no cache yet: every document read, then kept
    assert load(archive) is not None and [doc.row() for doc in catalog.listing(archive)] == uncached
    doc_id = docs["buget.txt"]
    operations.correct(archive, doc_id, {"title": "Bugetul pe 2021"}, ["buget-2021"])
    (row,) = [d for d in catalog.listing(archive) if d.id == doc_id]
    assert (row.title, row.tags, row.corrected) == ("Bugetul pe 2021", ("buget-2021",), ("title",))
    operations.withdraw(archive, doc_id, "duplicat")
    assert doc_id not in listed(archive) and listed(archive, withdrawn=True) == {doc_id}
    # a folder removed by hand (no journal entry) is no longer listed; verify says why
    other = docs["sedinta.txt"]
    folder = archive.folder(other)
    os.rename(folder, tmp_path / "moved")
    assert other not in listed(archive)
    os.rename(tmp_path / "moved", folder)
    assert other in listed(archive)
    # a row changed behind the journal's back is found and written again by verify
    cache = json.loads((archive.root / CACHE_FILE).read_text("utf-8"))
    cache["rows"][other]["title"] = "altceva"
    (archive.root / CACHE_FILE).write_text(json.dumps(cache), "utf-8")
    report = verify(archive)
    assert report.ok and any("list cache disagreed" in note for note in report.notes)
    assert {d.id: d.title for d in catalog.listing(archive)}[other] == "Proces-verbal"
    # a cache of another history (a journal restored from a copy) is not used
    cache = json.loads((archive.root / CACHE_FILE).read_text("utf-8"))
    cache["head"] = [cache["head"][0] - 1, "f" * 64]
    cache["rows"][other]["title"] = "altceva"
    (archive.root / CACHE_FILE).write_text(json.dumps(cache), "utf-8")
    assert {d.id: d.title for d in catalog.listing(archive)}[other] == "Proces-verbal"


# -- a full disk -------------------------------------------------------------------------------


def test_a_full_disk_is_named_by_tag_and_reindex(archive, docs, monkeypatch):
    import errno

    import arhiva.maintenance
    from arhiva.archive.journal import Journal

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Journal, "append", no_space)
    result = run(archive, "tag", docs["buget.txt"][:8], "--add", "buget-2021", ok=False)
    assert result.exit_code == ExitCode.ARCHIVE_PROBLEM
    assert f"the disk of the archive {archive.root}; free some space there and run arhiva tag again" in result.output
    monkeypatch.setattr(arhiva.maintenance, "rebuild", no_space)
    result = run(archive, "reindex", ok=False)
    assert result.exit_code == ExitCode.ARCHIVE_PROBLEM
    assert "the disk of the search index" in result.output and "run arhiva reindex again" in result.output
    monkeypatch.undo()
    assert verify(Archive.open(archive.root)).ok  # the interrupted correction completed (or undone) on opening
