from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from arhiva.archive import Archive, NewDocument
from arhiva.errors import ArchiveError, NotFoundError


def store(archive: Archive, tmp_path: Path, content: bytes = b"Hotararea nr. 45", name: str = "doc.txt") -> str:
    source = tmp_path / name
    source.write_bytes(content)
    staged = archive.stage(source)
    doc = NewDocument("text/plain", [content.decode()], content.decode(), [], {"title": "t", "pages": [{}]})
    return archive.commit(staged, doc)["id"]


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
