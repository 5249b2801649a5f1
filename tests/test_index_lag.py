"""The index never silently lags the archive.

The index records the last journal entry it has applied; every reader
compares it with the journal's head and catches up first, or says that the
index is behind. A document folder deleted by hand never stops a search.
The crash harness kills `arhiva ingest` with SIGKILL and then searches for
every document that `list` shows.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import arhiva.maintenance as maintenance
from arhiva.archive import Archive, NewDocument, NewRecord, Source, catalog, journal_head
from arhiva.archive.locks import FileLock
from arhiva.archive.store import INDEX_LOCK_FILE
from arhiva.cli import cli
from arhiva.maintenance import IndexBehindError, current_index, open_index, reindex, verify
from arhiva.pipeline import ingest
from arhiva.search import IndexDoc, SearchIndex, rebuild
from arhiva.search.index import SCHEMA_VERSION, STATE_FILE, read_state
from tests.conftest import FakeEngine

TEXTS = {
    "buget": "Hotărâre\n\nConsiliul Local a aprobat bugetul comunei pe anul 2021.\n",
    "concurs": "Anunț\n\nPrimăria organizează concurs pentru postul de consilier juridic.\n",
    "sedinta": "Proces-verbal\n\nȘedința ordinară a Consiliului Local a avut loc la primărie.\n",
}


@pytest.fixture
def archive_with_docs(archive, tmp_path):
    paths = []
    for name, text in TEXTS.items():
        path = tmp_path / f"{name}.txt"
        path.write_text(text, "utf-8")
        paths.append(path)
    ingest(paths, archive, FakeEngine(), jobs=1)
    assert verify(archive).ok
    return archive


def commit_unindexed(archive: Archive, tmp_path: Path, text: str) -> str:
    """Archive a document without indexing it: what an ingest killed before its index commit leaves."""
    source = tmp_path / f"new-{abs(hash(text))}.txt"
    source.write_text(text, "utf-8")
    staged = archive.stage(source)
    record = NewRecord(text.split("\n")[0], Source(source.name, media_type="text/plain"), pages=[{}],
                       extractor="test")
    return archive.commit(staged, NewDocument("text/plain", [text], text, [], record, {})).id


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("ARHIVA_HOME", str(tmp_path / "archive"))
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke


# -- the index records what it has applied --------------------------------------


def test_every_index_write_records_the_journal_head(archive_with_docs):
    archive = archive_with_docs
    head = journal_head(archive)
    assert head.seq == 3 and read_state(archive.index_dir).applied == (head.seq, head.hash)
    catalog.correct(archive, next(archive.ids()), {"type": "anunț"})
    assert read_state(archive.index_dir).applied == (3, head.hash)  # a correction alone does not index
    index, done = current_index(archive)
    assert (done.entries, done.documents) == (1, 1)
    assert read_state(archive.index_dir).applied == (4, journal_head(archive).hash)
    assert current_index(archive)[1].entries == 0  # up to date: nothing more to do
    reindex(archive)
    assert read_state(archive.index_dir).applied == (4, journal_head(archive).hash)


def test_a_search_catches_up_with_documents_archived_but_not_indexed(archive_with_docs, tmp_path, run):
    archive = archive_with_docs
    doc_id = commit_unindexed(archive, tmp_path, "Dispoziție\n\nPrimarul numește comisia de recepție.\n")
    assert SearchIndex.open(archive.index_dir).search("comisia").hits == []  # the raw index lags
    result = run("search", "comisia", "receptie")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(doc_id[:12]) and result.stderr == ""
    assert verify(archive).ok


def test_corrections_and_extractions_are_caught_up(archive_with_docs, run):
    archive = archive_with_docs
    doc_id = next(archive.ids())
    catalog.correct(archive, doc_id, {"type": "dispoziție"})  # journaled, not indexed
    catalog.write_extracted(archive, doc_id, {"title": "Titlu nou extras"}, "test")
    found = json.loads(run("search", "--json", "tip:dispoziție").stdout)
    assert [r["id"] for r in found["results"]] == [doc_id]
    assert json.loads(run("search", "--json", "titlu:extras").stdout)["results"][0]["id"] == doc_id


def test_a_search_behind_a_busy_writer_says_so(archive_with_docs, tmp_path, run, monkeypatch):
    archive = archive_with_docs
    commit_unindexed(archive, tmp_path, "Dispoziție\n\nPrimarul numește comisia de recepție.\n")
    commit_unindexed(archive, tmp_path, "Anunț\n\nComisia se întrunește luni.\n")
    monkeypatch.setattr(maintenance, "READER_WAIT", 0.2)
    other = FileLock(archive.root / INDEX_LOCK_FILE, "the search index")  # as another process holds it
    with other:
        result = run("search", "comisia")
        assert result.exit_code == 6 and result.stdout == ""
        assert result.stderr == ("arhiva: error: the search index is behind the archive: 2 documents not yet "
                                 "indexed; try again in a moment or run: arhiva reindex\n")
        assert run("verify").exit_code == 6
    assert run("search", "comisia").stdout.lower().count("comisia") == 2  # both, once the index caught up
    with other:  # up to date, a search needs no lock
        assert run("search", "comisia").exit_code == 0


def test_an_index_without_a_recorded_head_is_compared_once(archive_with_docs, tmp_path):
    archive = archive_with_docs
    state = archive.index_dir / STATE_FILE
    state.write_text(json.dumps({"schema_version": SCHEMA_VERSION}) + "\n")  # as an older arhiva wrote it
    doc_id = commit_unindexed(archive, tmp_path, "Dispoziție\n\nPrimarul numește comisia de recepție.\n")
    index, done = current_index(archive)
    assert done.compared and done.documents == 1
    assert [h.id for h in index.search("comisia").hits] == [doc_id]
    assert read_state(archive.index_dir).applied == (journal_head(archive).seq, journal_head(archive).hash)
    assert verify(archive).ok


def test_an_index_of_another_history_is_compared(archive_with_docs, tmp_path):
    archive = archive_with_docs
    data = json.loads((archive.index_dir / STATE_FILE).read_text())
    data["journal"]["hash"] = "f" * 64  # the journal was replaced (a restored copy), or the index
    (archive.index_dir / STATE_FILE).write_text(json.dumps(data))
    assert current_index(archive)[1].compared
    data["journal"]["seq"] = 99  # an index ahead of the journal
    (archive.index_dir / STATE_FILE).write_text(json.dumps(data))
    assert current_index(archive)[1].compared
    assert verify(archive).ok


def test_a_reindex_records_the_head_noted_before_reading(archive_with_docs, tmp_path, monkeypatch):
    """A document committed while reindex reads the archive is caught up at its end."""
    archive = archive_with_docs
    real = maintenance.index_docs
    added = []

    def reading_then_committing(archive_, ids, skipped=None, states=None):
        yield from real(archive_, ids, skipped, states)
        if not added:
            added.append(commit_unindexed(archive, tmp_path, "Anunț\n\nLicitație pentru lucrări de asfaltare.\n"))

    monkeypatch.setattr(maintenance, "index_docs", reading_then_committing)
    reindex(archive)
    monkeypatch.undo()
    assert [h.id for h in open_index(archive).search("asfaltare").hits] == added
    assert verify(archive).ok


def test_an_index_writer_under_the_lock_never_deadlocks(archive_with_docs, tmp_path):
    """The index lock is taken inside add and around the swap; a caller holding it may add and rebuild."""
    archive = archive_with_docs
    commit_unindexed(archive, tmp_path, "Anunț\n\nLicitație pentru lucrări de asfaltare.\n")
    with archive.index_lock:
        index, done = current_index(archive, wait=0)
        assert done.documents == 1
        reindex(archive)
    assert not archive.index_lock.held


def test_a_cached_searcher_never_outlives_a_rebuild(tmp_path):
    """A rebuilt index swapped in may have the generation number of the old one."""
    from datetime import datetime, timezone

    folder = tmp_path / "index"
    day = datetime(2026, 1, 1, tzinfo=timezone.utc)
    reading = SearchIndex.create(folder)
    reading.add([IndexDoc("a" * 64, "Vechi", "bugetul local", "a.txt", "text/plain", 1, day)])
    assert [h.title for h in reading.search("bugetul").hits] == ["Vechi"]
    rebuild(folder, [IndexDoc("b" * 64, "Nou", "bugetul județului", "b.txt", "text/plain", 1, day)])
    assert [h.title for h in reading.search("bugetul").hits] == ["Nou"]


def test_a_search_answers_from_an_index_swapped_in_under_it(tmp_path, monkeypatch):
    """`reindex` in another process may swap the index folder while a search reads it: the
    search reads the new index once more, instead of reporting the old one's vanished files."""
    from datetime import datetime, timezone

    from arhiva.search.whoosh_backend import engine

    folder = tmp_path / "index"
    day = datetime(2026, 1, 1, tzinfo=timezone.utc)
    reading = SearchIndex.create(folder)
    reading.add([IndexDoc("a" * 64, "Vechi", "bugetul local", "a.txt", "text/plain", 1, day)])
    assert [h.title for h in reading.search("bugetul").hits] == ["Vechi"]
    ranked = engine.top_documents
    swaps = []

    def swapped_midway(searcher, *args, **kwargs):
        found = ranked(searcher, *args, **kwargs)
        if not swaps:  # the index is rebuilt between ranking and reading the stored fields
            swaps.append(rebuild(folder, [IndexDoc("b" * 64, "Nou", "bugetul județului", "b.txt", "text/plain", 1, day)]))

            def vanished(docnum):  # as whoosh3 does when a segment's file it had not opened yet is gone
                raise TypeError("'NoneType' object is not subscriptable")

            monkeypatch.setattr(searcher, "stored_fields", vanished)
        return found

    monkeypatch.setattr(engine, "top_documents", swapped_midway)
    assert [h.title for h in reading.search("bugetul").hits] == ["Nou"]
    assert swaps == [1]


def test_opening_waits_for_an_index_being_swapped_in(tmp_path):
    """Between `reindex` moving the old index away and the new one into place there is no
    index folder: a reader opening then waits for it rather than calling the index missing."""
    import threading
    from datetime import datetime, timezone

    folder = tmp_path / "index"
    fresh = tmp_path / "index.new"
    SearchIndex.create(fresh).add([IndexDoc("b" * 64, "Nou", "bugetul", "b.txt", "text/plain", 1,
                                             datetime(2026, 1, 1, tzinfo=timezone.utc))])
    mover = threading.Timer(0.2, lambda: fresh.rename(folder))
    mover.start()
    try:
        assert [h.title for h in SearchIndex.open(folder).search("bugetul").hits] == ["Nou"]
    finally:
        mover.join()


# -- a document folder deleted by hand -------------------------------------------


def delete_folder(archive: Archive, doc_id: str) -> None:
    shutil.rmtree(archive.folder(doc_id))


def test_a_deleted_document_folder_never_stops_a_search(archive_with_docs, run):
    archive = archive_with_docs
    gone = next(d for d in archive.ids() if "bugetul" in archive.text(d))
    delete_folder(archive, gone)
    result = run("search", "consiliul")
    assert result.exit_code == 0
    assert gone[:12] not in result.stdout and result.stdout  # the other match is still shown
    assert result.stderr == (f"arhiva: warning: document {gone[:12]} is in the index but no longer in the "
                             "archive; run: arhiva reindex\n")
    alone = run("search", "bugetul")
    assert alone.exit_code == 0 and alone.stdout == ""
    assert alone.stderr.splitlines() == [f"arhiva: warning: document {gone[:12]} is in the index but no longer "
                                         "in the archive; run: arhiva reindex", "no documents match"]
    data = json.loads(run("search", "--json", "consiliul").stdout)
    assert gone not in [r["id"] for r in data["results"]] and data["total"] == len(data["results"])
    by_filter = run("search", "tip:hotărâre")  # no words: no snippet to read, still left out
    assert by_filter.exit_code == 0 and gone[:12] not in by_filter.stdout and "no longer" in by_filter.stderr


def test_similar_leaves_out_a_deleted_document(archive_with_docs, run):
    archive = archive_with_docs
    ids = list(archive.ids())
    source = next(d for d in ids if "Ședința" in archive.text(d))
    for doc_id in ids:
        if doc_id != source:
            delete_folder(archive, doc_id)
    result = run("similar", source[:8])
    assert result.exit_code == 0 and result.stdout == ""
    assert "is in the index but no longer in the archive; run: arhiva reindex" in result.stderr


def test_a_deleted_folder_that_was_never_indexed_is_a_warning(archive_with_docs, tmp_path, run):
    archive = archive_with_docs
    doc_id = commit_unindexed(archive, tmp_path, "Dispoziție\n\nPrimarul numește comisia de recepție.\n")
    delete_folder(archive, doc_id)
    result = run("search", "consiliul")
    assert result.exit_code == 0 and result.stdout
    assert result.stderr.startswith(f"arhiva: warning: not indexed: document {doc_id[:12]} is no longer in the "
                                    "archive")
    assert run("search", "consiliul").stderr == ""  # said once; verify reports the deletion
    report = verify(archive)
    assert any("not in the archive" in p for p in report.problems)


# -- SIGKILL during ingest, then list, search and verify ------------------------


def word_for(trial: int, n: int) -> str:
    """A made-up word (letters only) unique to one document of the harness."""
    letters = "bcdfghjklmnprstvz"
    value, word = trial * 100 + n, ""
    for _ in range(4):
        value, digit = divmod(value, len(letters))
        word += letters[digit] + "aeiou"[digit % 5]
    return "zx" + word


def make_batch(folder: Path, trial: int, count: int = 20) -> dict[str, str]:
    folder.mkdir(parents=True)
    words = {}
    for n in range(count):
        word = word_for(trial, n)
        text = (f"Anunț\n\nPrimăria comunei anunță registrul {word} pentru anul {2000 + n}.\n"
                + "Consiliul Local a aprobat bugetul și lista de investiții.\n" * 40)
        (folder / f"doc{n}.txt").write_text(text, "utf-8")
        words[word] = text
    return words


def arhiva(archive: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "arhiva", *args, "--archive", str(archive)],
                          capture_output=True, text=True)


def journal_lines(archive: Path) -> int:
    try:
        return (archive / "journal.jsonl").read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def run_kills(tmp_path: Path, trials: int, seed: int = 0) -> dict:
    """Each trial ingests new documents and kills the ingest; then every document `list` shows must be
    found by a search for its word (or the search must say that the index is behind), and `verify` pass."""
    rng = random.Random(seed)
    archive_dir = tmp_path / "archive"
    words: list[str] = []
    stats = {"trials": 0, "killed_while_running": 0, "caught_up": 0, "behind_errors": 0, "listed": []}
    for trial in range(trials):
        folder = tmp_path / "batches" / f"trial{trial:02d}"
        words += make_batch(folder, trial)
        journaled = journal_lines(archive_dir)
        process = subprocess.Popen([sys.executable, "-m", "arhiva", "ingest", "--jobs", "1", "--archive",
                                    str(archive_dir), str(folder)], start_new_session=True,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Killed while it archives: once its first document is journaled, after a random delay (none
        # in the first trial, so that at least one kill lands while it runs on a fast, idle machine).
        deadline = time.monotonic() + 60
        while process.poll() is None and journal_lines(archive_dir) == journaled and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(rng.uniform(0, 0.5) if trial else 0.0)
        if process.poll() is None:
            stats["killed_while_running"] += 1
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()
        stats["trials"] += 1
        if not archive_dir.exists():
            continue
        listed = arhiva(archive_dir, "list", "--json")
        assert listed.returncode == 0, listed.stderr
        ids = {row["id"] for row in json.loads(listed.stdout)}
        stats["listed"].append(len(ids))
        if not ids or not (archive_dir / "index").exists():
            continue
        before = read_state(archive_dir / "index").applied
        found = arhiva(archive_dir, "search", "--json", "--limit", "1000", " OR ".join(words))
        if found.returncode != 0:
            assert "not yet indexed" in found.stderr and found.stderr.count("\n") == 1, found.stderr
            stats["behind_errors"] += 1
        else:
            hits = {r["id"] for r in json.loads(found.stdout)["results"]}
            assert ids <= hits, f"listed but not found: {sorted(ids - hits)}"
            stats["caught_up"] += read_state(archive_dir / "index").applied != before
        checked = arhiva(archive_dir, "verify")
        assert checked.returncode == 0, checked.stdout + checked.stderr
    return stats


def test_after_a_killed_ingest_every_listed_document_is_found(tmp_path):
    stats = run_kills(tmp_path, trials=3)
    assert stats["killed_while_running"] >= 1


@pytest.mark.slow
def test_after_a_killed_ingest_every_listed_document_is_found_30_trials(tmp_path):
    stats = run_kills(tmp_path, trials=30, seed=1)
    print(f"\n{stats}")
