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


def arhiva(archive_dir, *args):
    return subprocess.Popen([sys.executable, "-m", "arhiva", *args, "--archive", str(archive_dir)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(processes):
    outputs = [p.communicate() for p in processes]
    for process, (out, err) in zip(processes, outputs):
        assert process.returncode == 0, err
    return outputs


def one_document(tmp_path):
    archive_dir = tmp_path / "archive"
    write_documents(tmp_path / "one", 1)
    assert start_ingest(archive_dir, tmp_path / "one").wait() == 0
    archive = Archive.open(archive_dir)
    return archive_dir, archive, next(archive.ids())


def test_tags_at_once_lose_no_correction(tmp_path):
    from arhiva.archive import catalog, journal_since

    archive_dir, archive, doc_id = one_document(tmp_path)
    rounds, writers = 2, 8
    for round_ in range(rounds):
        finish([arhiva(archive_dir, "tag", doc_id[:8], "--title", f"Titlul {round_}.{n}") for n in range(writers)])
    history = catalog.corrections(archive, doc_id)["history"]
    assert sorted(h["fields"]["title"] for h in history) == sorted(
        f"Titlul {r}.{n}" for r in range(rounds) for n in range(writers))
    assert [e.kind for e in journal_since(archive, 0)] == ["commit"] + ["correction"] * rounds * writers
    # the title in force is the one written last
    assert catalog.effective(archive, doc_id)["title"] == history[-1]["fields"]["title"]
    report = verify(archive)
    assert report.ok, report.to_json()


def test_tags_of_different_fields_at_once_both_stay(tmp_path):
    from arhiva.archive import catalog

    archive_dir, archive, doc_id = one_document(tmp_path)
    for round_ in range(4):
        date, kind = f"2021-0{round_ + 1}-15", ["hotărâre", "anunț", "dispoziție", "proces-verbal"][round_]
        finish([arhiva(archive_dir, "tag", doc_id[:8], "--date", date),
                arhiva(archive_dir, "tag", doc_id[:8], "--type", kind)])
        merged = catalog.effective(archive, doc_id)
        assert (merged["date"], merged["type"]) == (date, kind), round_
    assert verify(archive).ok


def test_free_tags_added_at_once_all_stay_and_are_searched(tmp_path):
    """Each line records a change of tags, not the whole set: tags added at once by several processes all count."""
    from arhiva.archive import catalog
    from arhiva.maintenance import current_index

    archive_dir, archive, doc_id = one_document(tmp_path)
    finish([arhiva(archive_dir, "tag", doc_id[:8], "--add", f"lot-{n}") for n in range(6)]
           + [arhiva(archive_dir, "withdraw", doc_id[:8], "--reason", "în lucru")])
    assert catalog.view(archive, doc_id).tags == tuple(f"lot-{n}" for n in range(6))
    assert archive.is_withdrawn(doc_id) and verify(archive).ok
    finish([arhiva(archive_dir, "restore", doc_id[:8]), arhiva(archive_dir, "tag", doc_id[:8], "--remove", "lot-0")])
    index, _ = current_index(archive)
    assert [h.id for h in index.search("tag:lot-5").hits] == [doc_id] and not index.search("tag:lot-0").hits
    assert verify(archive).ok


def test_reindexes_at_once_wait_for_each_other(tmp_path):
    """Three reindexes, a tag and an ingest at once: each waits for the index writer, none fails,
    and what the ingest and the tag changed during a rebuild is in the index at the end."""
    archive_dir, archive, doc_id = one_document(tmp_path)
    write_documents(tmp_path / "more", 5, offset=10)
    assert start_ingest(archive_dir, tmp_path / "more").wait() == 0
    write_documents(tmp_path / "during", 10, offset=20)
    outputs = finish([arhiva(archive_dir, "reindex") for _ in range(3)]
                     + [arhiva(archive_dir, "tag", doc_id[:8], "--type", "anunț"),
                        start_ingest(archive_dir, tmp_path / "during")])
    assert all(err.startswith("indexed ") and err.endswith(" documents\n") for _, err in outputs[:3])
    report = verify(archive)
    assert report.ok, report.to_json()
    assert SearchIndex.open(archive.index_dir).doc_count() == 16
    assert SearchIndex.open(archive.index_dir).search("tip:anunț").hits[0].id == doc_id


def test_a_reader_waits_for_a_change_announced_but_not_yet_journaled(tmp_path):
    """A writer changes a file, then journals it (``journal.intent`` names the change meanwhile):
    a reader that finds the file ahead of the journal waits for the entry, then checks again."""
    import threading

    from arhiva.archive.checks import _wait_for_change
    from arhiva.archive.store import INTENT_FILE

    archive_dir, archive, doc_id = one_document(tmp_path)
    assert _wait_for_change(archive) is False  # nothing in progress: no wait
    intent = archive.root / INTENT_FILE
    intent.write_text("{}")
    threading.Timer(0.2, intent.unlink).start()
    assert _wait_for_change(archive) is True
    assert not intent.exists()
