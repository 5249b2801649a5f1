"""Searching while an ingest runs, and two ingests at once, on one archive."""

from __future__ import annotations

import subprocess
import sys
import time

from arhiva.archive import Archive
from arhiva.errors import ArchiveError
from arhiva.maintenance import verify
from arhiva.search import SearchIndex

SENTENCES = [
    "Consiliul Local a aprobat bugetul pe anul {n}.",
    "Ședința ordinară numărul {n} a avut loc la primărie.",
    "Proiectul de hotărâre {n} privind investițiile a fost adoptat.",
]


def write_documents(folder, count, offset=0):
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(offset, offset + count):
        (folder / f"doc{n:03d}.txt").write_text("\n".join(s.format(n=n) for s in SENTENCES), "utf-8")


def start_ingest(archive_dir, folder):
    return subprocess.Popen(
        [sys.executable, "-m", "arhiva", "ingest", "--jobs", "1", "--archive", str(archive_dir), str(folder)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def test_search_during_ingest_and_two_ingests_at_once(tmp_path):
    archive_dir = tmp_path / "archive"
    write_documents(tmp_path / "first", 1)
    assert start_ingest(archive_dir, tmp_path / "first").wait() == 0
    write_documents(tmp_path / "a", 40, offset=100)
    write_documents(tmp_path / "b", 40, offset=200)
    write_documents(tmp_path / "b", 10, offset=130)  # the same documents as in "a": a race
    ingests = [start_ingest(archive_dir, tmp_path / "a"), start_ingest(archive_dir, tmp_path / "b")]
    archive = Archive.open(archive_dir)
    searches = 0
    while any(p.poll() is None for p in ingests):
        try:
            SearchIndex.open(archive.index_dir).search("bugetul", text_of=archive.text)
        except ArchiveError as err:  # a snapshot may name a document not yet in this listing
            raise AssertionError(err) from err
        searches += 1
        time.sleep(0.01)
    for process in ingests:
        out, err = process.communicate()
        assert process.returncode == 0, err
    assert searches > 0
    ids = list(archive.ids())
    assert len(ids) == 1 + 40 + 40
    report = verify(archive)
    assert report.ok, report.to_json()
    assert SearchIndex.open(archive.index_dir).doc_count() == len(ids)
