from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from arhiva.archive import Archive, NewDocument, NewRecord
from arhiva.errors import ArchiveError, NotFoundError


def store(archive: Archive, tmp_path: Path, content: bytes = b"Hotararea nr. 45", name: str = "doc.txt") -> str:
    source = tmp_path / name
    source.write_bytes(content)
    staged = archive.stage(source)
    doc = NewDocument("text/plain", [content.decode()], content.decode(), [], NewRecord("t", pages=[{}]))
    return archive.commit(staged, doc).id


def test_commit_writes_a_readable_document(archive, tmp_path):
    doc_id = store(archive, tmp_path)
    folder = archive.documents / doc_id[:2] / doc_id
    assert sorted(p.name for p in folder.iterdir()) == ["changes.json", "manifest.json", "original.txt", "pages", "text.txt"]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["id"] == doc_id and manifest["version"] == 1
    assert set(manifest["files"]) == {"original.txt", "pages/0001.txt", "text.txt", "changes.json"}
    assert (folder / "original.txt").read_bytes() == b"Hotararea nr. 45"
    assert archive.check_document(doc_id) == []
    assert list(archive.staging.iterdir()) == []


def test_stored_files_are_read_only(archive, tmp_path):
    doc_id = store(archive, tmp_path)
    mode = (archive.documents / doc_id[:2] / doc_id / "original.txt").stat().st_mode
    assert not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def test_abbreviated_ids(archive, tmp_path):
    doc_id = store(archive, tmp_path)
    assert archive.resolve(doc_id[:6]) == doc_id
    assert archive.resolve(doc_id[:6].upper()) == doc_id
    for bad in ["abc", "../../etc/passwd", "zzzzzz", doc_id[:6] + "/.."]:
        with pytest.raises(NotFoundError):
            archive.resolve(bad)


def test_ambiguous_prefix(archive, tmp_path):
    import hashlib

    first: dict[str, bytes] = {}
    for i in range(100_000):  # two contents whose SHA-256 share 4 hex digits
        content = f"document {i}".encode()
        prefix = hashlib.sha256(content).hexdigest()[:4]
        if prefix in first:
            break
        first[prefix] = content
    store(archive, tmp_path, first[prefix], "a.txt")
    store(archive, tmp_path, content, "b.txt")
    with pytest.raises(NotFoundError, match="ambiguous"):
        archive.resolve(prefix)


def test_tampering_is_detected(archive, tmp_path):
    doc_id = store(archive, tmp_path)
    text = archive.documents / doc_id[:2] / doc_id / "text.txt"
    os.chmod(text, 0o644)
    text.write_text("altered")
    assert any("text.txt does not match" in p for p in archive.check_document(doc_id))
    text.unlink()
    assert any("text.txt is missing" in p for p in archive.check_document(doc_id))


def test_same_document_twice_is_refused_atomically(archive, tmp_path):
    store(archive, tmp_path)
    with pytest.raises(FileExistsError):
        store(archive, tmp_path)


def test_staging_leftovers_of_dead_processes_are_swept(archive):
    dead = archive.staging / "999999999.abcdef"
    dead.mkdir()
    (dead / "original").write_bytes(b"half")
    alive = archive.staging / f"{os.getpid()}.abcdef"
    alive.mkdir()
    assert archive.sweep_staging() == ["999999999.abcdef"]
    assert alive.exists()


def test_open_refuses_a_foreign_folder(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "notes.txt").write_text("mine")
    with pytest.raises(ArchiveError, match="not an arhiva archive"):
        Archive.open(tmp_path / "x", create=True)
    with pytest.raises(ArchiveError, match="no archive"):
        Archive.open(tmp_path / "missing")


def test_newer_format_is_refused(archive):
    marker = archive.root / "arhiva.json"
    os.chmod(marker, 0o644)
    marker.write_text(json.dumps({"format": "arhiva", "version": 99}))
    with pytest.raises(ArchiveError, match="upgrade arhiva"):
        Archive.open(archive.root)


# -- the journal, locks and checks --------------------------------------------

import hashlib  # noqa: E402
import shutil  # noqa: E402

from arhiva.archive import catalog, journal_head, journal_since  # noqa: E402
from arhiva.archive.checks import check_archive  # noqa: E402
from arhiva.archive.journal import Head, Journal, JournalError, make_entry  # noqa: E402
from arhiva.archive.locks import FileLock  # noqa: E402
from arhiva.errors import DocumentGoneError  # noqa: E402

CASES = Path(__file__).parent / "data" / "archive"


def store_with_metadata(archive: Archive, tmp_path: Path, content: bytes = b"Hotararea nr. 45") -> str:
    source = tmp_path / "doc.txt"
    source.write_bytes(content)
    staged = archive.stage(source)
    doc = NewDocument("text/plain", [content.decode()], content.decode(), [],
                      NewRecord("t", pages=[{}], extractor="test"), {"type": "hotărâre"})
    return archive.commit(staged, doc).id


def test_every_change_is_journaled_as_a_chain(archive, tmp_path):
    first = store_with_metadata(archive, tmp_path)
    second = store(archive, tmp_path, b"Dispozitia nr. 7")
    catalog.correct(archive, first, {"date": "2021-04-08"})
    catalog.write_extracted(archive, second, {"type": "dispoziție"}, "test")
    entries = journal_since(archive, 0)
    assert [(e.seq, e.kind, e.id) for e in entries] == [
        (1, "commit", first), (2, "commit", second), (3, "correction", first), (4, "extraction", second)]
    assert [e.prev for e in entries[1:]] == [e.hash for e in entries[:-1]]
    assert journal_head(archive) == Head(4, entries[-1].hash)
    assert [e.seq for e in journal_since(archive, 2)] == [3, 4]
    manifest = (archive.documents / first[:2] / first / "manifest.json").read_bytes()
    assert entries[0].get("manifest") == hashlib.sha256(manifest).hexdigest()
    report = check_archive(archive)
    assert report.problems == [] and report.head == journal_head(archive) and report.entries == 4


def test_journal_lookups_at_size(tmp_path):
    journal = Journal(tmp_path / "journal.jsonl")
    assert journal.head() == Head(0, "0" * 64) and journal.since(0) == [] and journal.entry(1) is None
    head = journal.head()
    for n in range(300):
        entry = make_entry(head, "correction", f"{n:064x}", "2021-01-01T00:00:00+00:00", record="0" * 64)
        journal.append(entry)
        head = Head(entry["seq"], entry["hash"])
    assert journal.head() == head
    for seq in (1, 2, 150, 299, 300):
        assert journal.entry(seq).seq == seq and journal.entry(seq).id == f"{seq - 1:064x}"
    assert journal.entry(301) is None
    assert [e.seq for e in journal.since(297)] == [298, 299, 300]
    assert [e.seq for e in journal.for_document(f"{41:064x}")] == [42]


def test_head_parses_as_verify_prints_it():
    head = Head(12, "ab" * 32)
    assert Head.parse(str(head)) == head
    assert Head.parse("ab" * 32) == Head(-1, "ab" * 32)
    for bad in ["12", "12:abc", "x:" + "ab" * 32]:
        with pytest.raises(ValueError, match="not a journal head"):
            Head.parse(bad)


def test_a_torn_journal_line_is_refused_not_guessed(archive, tmp_path):
    store(archive, tmp_path)
    with open(archive.journal.path, "ab") as handle:
        handle.write(b'{"seq":2,"ki')
    with pytest.raises(JournalError, match="incomplete"):
        archive.journal.head()


@pytest.mark.parametrize("case", json.loads((CASES / "tampering.json").read_text("utf-8")),
                         ids=lambda case: case["comment"])
def test_tampering_is_reported_by_verify(archive, tmp_path, case):
    doc_id = store_with_metadata(archive, tmp_path)
    catalog.correct(archive, doc_id, {"date": "2021-04-08"})
    assert check_archive(archive).problems == []
    folder = archive.root if case.get("where") == "archive" else archive.documents / doc_id[:2] / doc_id
    tamper(folder, case, tmp_path)
    problems = check_archive(archive).problems
    assert any(case["problem"] in p for p in problems), problems
    if case.get("where") != "archive" and case["file"] != ".":
        assert any(case["problem"] in p for p in archive.check_document(doc_id))


def tamper(folder: Path, case: dict, tmp_path: Path) -> None:
    """Change an archive as a careless administrator or a forger would."""
    path = folder / case["file"]
    if path.exists() and not path.is_symlink():
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    edit = case["edit"]
    if edit == "flip":
        data = bytearray(path.read_bytes())
        at = data.index(case["find"].encode())
        data[at] ^= 1
        path.write_bytes(bytes(data))
    elif edit == "write":
        path.write_text(case["text"], "utf-8")
    elif edit == "append":
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(case["text"])
    elif edit == "delete":
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    elif edit == "link":
        (tmp_path / "elsewhere").mkdir(exist_ok=True)
        (tmp_path / "elsewhere" / "other.txt").write_text("another file")
        target = tmp_path / "elsewhere" / ("" if case["file"] == "pages" else "other.txt")
        if path.exists():
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        path.symlink_to(target)
    elif edit == "forge_original":
        data = case["text"].encode()
        os.chmod(folder / "original.txt", 0o644)
        (folder / "original.txt").write_bytes(data)
        manifest_path = folder / "manifest.json"
        os.chmod(manifest_path, 0o644)
        manifest = json.loads(manifest_path.read_text("utf-8"))
        manifest["files"]["original.txt"] = hashlib.sha256(data).hexdigest()
        manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")
    elif edit == "drop_line":
        lines = path.read_bytes().splitlines(keepends=True)
        del lines[case["line"] - 1]
        path.write_bytes(b"".join(lines))
    else:
        raise AssertionError(f"unknown edit {edit}")


def test_every_single_byte_edit_of_a_manifest_is_detected(archive, tmp_path):
    doc_id = store_with_metadata(archive, tmp_path)
    path = archive.documents / doc_id[:2] / doc_id / "manifest.json"
    os.chmod(path, 0o644)
    original = path.read_bytes()
    positions = range(0, len(original), max(1, len(original) // 200))
    missed = []
    for at in positions:
        data = bytearray(original)
        data[at] = (data[at] + 1) % 256
        path.write_bytes(bytes(data))
        if not archive.check_document(doc_id):
            missed.append(at)
    path.write_bytes(original)
    assert missed == [] and len(positions) >= 100
    assert archive.check_document(doc_id) == []


def test_a_forged_chain_is_caught_by_a_noted_head(archive, tmp_path):
    doc_id = store_with_metadata(archive, tmp_path)
    store(archive, tmp_path, b"Dispozitia nr. 7")
    noted = check_archive(archive).head
    folder = archive.documents / doc_id[:2] / doc_id
    tamper(folder, {"edit": "forge_original", "file": "original.txt", "text": "Hotararea nr. 46"}, tmp_path)
    # The forger also rewrites the journal: the entry's checksum, and every hash after it.
    from arhiva.archive.journal import encode, entry_hash

    entries = [json.loads(line) for line in archive.journal.path.read_bytes().splitlines()]
    prev = "0" * 64
    for entry in entries:
        if entry["id"] == doc_id:
            entry["manifest"] = hashlib.sha256((folder / "manifest.json").read_bytes()).hexdigest()
        entry["prev"], entry["hash"] = prev, None
        entry["hash"] = prev = entry_hash(entry)
    archive.journal.path.write_bytes(b"".join(encode(e) for e in entries))
    assert check_archive(archive).problems == []  # a consistent forgery: only a noted head tells
    report = check_archive(archive, since=noted)
    assert not report.since_found
    assert any("is not the one noted" in p for p in report.problems)
    assert check_archive(archive, since=Head(noted.seq + 5, noted.hash)).problems  # a head past the end


def test_since_reports_what_came_after_the_noted_head(archive, tmp_path):
    doc_id = store(archive, tmp_path)
    noted = check_archive(archive).head
    catalog.correct(archive, doc_id, {"type": "hotărâre"})
    store(archive, tmp_path, b"Dispozitia nr. 7")
    report = check_archive(archive, since=noted)
    assert report.problems == [] and report.since_found
    assert report.since_kinds == {"correction": 1, "commit": 1}
    assert check_archive(archive, since=Head(-1, noted.hash)).since_found


def test_corrections_are_appended_and_read_in_order(archive, tmp_path):
    doc_id = store_with_metadata(archive, tmp_path)
    catalog.correct(archive, doc_id, {"date": "2021-04-08", "type": "proces-verbal"})
    catalog.correct(archive, doc_id, {"type": None, "title": "Ședința"})
    merged = catalog.effective(archive, doc_id)
    assert (merged["date"], merged["type"], merged["title"], merged["corrected"]) == (
        "2021-04-08", "hotărâre", "Ședința", ["date", "title"])
    log = (archive.documents / doc_id[:2] / doc_id / "corrections.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line)["seq"] for line in log] == [2, 3]
    assert len(catalog.corrections(archive, doc_id)["history"]) == 2


def test_a_damaged_correction_log_is_not_appended_to(archive, tmp_path):
    doc_id = store(archive, tmp_path)
    path = archive.documents / doc_id[:2] / doc_id / "corrections.jsonl"
    path.write_text("garbage\n")
    with pytest.raises(ArchiveError, match="line 1 of corrections.jsonl is damaged"):
        catalog.correct(archive, doc_id, {"date": "2021-04-08"})
    assert path.read_text() == "garbage\n" and journal_head(archive).seq == 1


def test_reading_never_follows_a_link(archive, tmp_path):
    doc_id = store(archive, tmp_path)
    folder = archive.documents / doc_id[:2] / doc_id
    secret = tmp_path / "secret.txt"
    secret.write_text("not archived")
    os.chmod(folder / "text.txt", 0o644)
    (folder / "text.txt").unlink()
    (folder / "text.txt").symlink_to(secret)
    with pytest.raises(ArchiveError, match="text.txt is a symbolic link"):
        archive.text(doc_id)
    (folder / "text.txt").unlink()
    shutil.move(str(folder / "pages"), str(tmp_path / "pages"))
    (folder / "pages").symlink_to(tmp_path / "pages")
    with pytest.raises(ArchiveError, match="pages is a symbolic link"):
        archive.raw_pages(doc_id)
    # a document folder that is a link is no document at all
    moved = tmp_path / "moved"
    shutil.move(str(folder), str(moved))
    folder.symlink_to(moved)
    assert list(archive.ids()) == []
    with pytest.raises(NotFoundError):
        archive.resolve(doc_id[:8])


def test_a_deleted_document_is_gone_not_damaged(archive, tmp_path):
    doc_id = store(archive, tmp_path)
    shutil.rmtree(archive.documents / doc_id[:2] / doc_id)
    with pytest.raises(DocumentGoneError, match="no longer in the archive"):
        archive.text(doc_id)
    with pytest.raises(DocumentGoneError):
        archive.manifest(doc_id)


def test_listing_skips_a_damaged_document_and_names_it(archive, tmp_path):
    good = store(archive, tmp_path)
    bad = store(archive, tmp_path, b"Dispozitia nr. 7")
    (archive.documents / bad[:2] / bad / "corrections.json").write_text("{broken")
    skipped: list[str] = []
    rows = catalog.listing(archive, skipped=skipped)
    assert [r.id for r in rows] == [good]
    assert skipped == [f"{bad[:12]}: corrections.json is unreadable: Expecting property name enclosed in "
                       "double quotes: line 1 column 2 (char 1)"]
    with pytest.raises(ArchiveError):
        catalog.listing(archive)


def test_lock_waits_a_bounded_time_and_says_so(archive):
    holder = FileLock(archive.root / "archive.lock", "the archive")
    with holder:
        other = FileLock(archive.root / "archive.lock", "the archive", timeout=0.2)
        with pytest.raises(ArchiveError, match="the archive is busy"):
            other.acquire()
    with FileLock(archive.root / "archive.lock", "the archive", timeout=0.2):
        pass


def test_a_format_1_archive_is_adopted_and_its_corrections_still_read(tmp_path):
    root = tmp_path / "old"
    archive = Archive.open(root, create=True)
    doc_id = store_with_metadata(archive, tmp_path)
    # Make it look as arhiva 0.1 left it: no journal, corrections in one JSON file.
    archive.journal.path.unlink()
    marker = root / "arhiva.json"
    os.chmod(marker, 0o644)
    marker.write_text(json.dumps({"format": "arhiva", "version": 1, "created": "2021-01-01T00:00:00+00:00"}))
    legacy = {"current": {"date": "2020-02-02", "type": "anunț"},
              "history": [{"at": "2021-01-01T00:00:00+00:00", "fields": {"date": "2020-02-02", "type": "anunț"}}]}
    (root / "documents" / doc_id[:2] / doc_id / "corrections.json").write_text(json.dumps(legacy))
    reopened = Archive.open(root)
    assert reopened.format == 2 and json.loads(marker.read_text())["version"] == 2
    assert [(e.kind, e.id) for e in journal_since(reopened, 0)] == [("adopt", doc_id)]
    assert check_archive(reopened).problems == []
    catalog.correct(reopened, doc_id, {"type": None, "title": "Anunț"})
    merged = catalog.effective(reopened, doc_id)
    assert (merged["date"], merged["type"], merged["title"]) == ("2020-02-02", "hotărâre", "Anunț")
    assert len(catalog.corrections(reopened, doc_id)["history"]) == 2
    assert check_archive(reopened).problems == []


def test_a_read_only_format_1_archive_is_still_read(tmp_path, monkeypatch):
    root = tmp_path / "old"
    archive = Archive.open(root, create=True)
    doc_id = store(archive, tmp_path)
    archive.journal.path.unlink()
    marker = root / "arhiva.json"
    os.chmod(marker, 0o644)
    marker.write_text(json.dumps({"format": "arhiva", "version": 1}))
    monkeypatch.setattr(Archive, "_adopt_all", lambda self: (_ for _ in ()).throw(PermissionError("read-only")))
    reopened = Archive.open(root)
    assert reopened.format == 1 and reopened.text(doc_id) == "Hotararea nr. 45"
    report = check_archive(reopened)
    assert report.problems == [] and not report.journal and "no journal yet" in report.notes[0]


def test_a_missing_journal_is_not_started_again_over_documents(archive, tmp_path):
    doc_id = store(archive, tmp_path)
    archive.journal.path.unlink()
    assert any("not in the journal" in p for p in check_archive(archive).problems)
    with pytest.raises(ArchiveError, match="journal .* is missing or empty"):
        catalog.correct(archive, doc_id, {"date": "2021-04-08"})
    with pytest.raises(ArchiveError, match="is missing or empty"):
        store(archive, tmp_path, b"Dispozitia nr. 7")


def test_a_manifest_of_an_earlier_arhiva_reads_with_empty_fields(archive, tmp_path):
    """Manifests written before a field existed (no source, title or pages) are read, and listed."""
    doc_id = store(archive, tmp_path)
    path = archive.documents / doc_id[:2] / doc_id / "manifest.json"
    old = {"id": doc_id, "files": json.loads(path.read_text())["files"]}
    os.chmod(path, 0o644)
    path.write_text(json.dumps(old))
    manifest = archive.manifest(doc_id)
    assert (manifest.id, manifest.title, manifest.source.name, manifest.page_count, manifest.original) == \
        (doc_id, "", "", 0, "original.txt")
    [view] = catalog.listing(archive)
    assert view.row() == {"id": doc_id, "title": "", "date": None, "type": "", "source": "", "pages": 0,
                          "ingested_at": ""}


@pytest.mark.parametrize("data", [b"[]", b'{"files": []}', b'{"files": {}, "pages": {}}', b'{"files": {}, "pages": [1]}'])
def test_a_manifest_that_is_not_one_is_refused_in_one_line(data):
    from arhiva.archive.document import Manifest

    with pytest.raises(ArchiveError, match=r"^manifest of abababababab is unreadable: not an arhiva manifest$"):
        Manifest.parse("ab" * 32, data)


def test_the_view_applies_the_corrections(archive, tmp_path):
    doc_id = store_with_metadata(archive, tmp_path)
    catalog.correct(archive, doc_id, {"title": "Hotărârea corectată"})
    view = catalog.view(archive, doc_id)
    assert (view.title, view.type, view.corrected, view.pages) == ("Hotărârea corectată", "hotărâre", ("title",), 1)
    catalog.correct(archive, doc_id, {"title": None})
    assert catalog.view(archive, doc_id).title == "t"  # the manifest's own, with nothing extracted
