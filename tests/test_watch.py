"""arhiva watch: files taken once complete, moved to done/ or failed/, never twice, across restarts and signals."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from arhiva.files import Selection
from arhiva.maintenance import index_location
from arhiva.pipeline import ingest
from arhiva.search import SearchIndex
from arhiva.watch import (DONE, FAILED, REASON_SUFFIX, RESUMED, STATE, Journal, WatchFolderError, Watcher, move_aside,
                          write_locked, writers)

TEXT = ("Primăria comunei Testeni\nComunicat de presă\n"
        "Ședința ordinară a consiliului local a aprobat bugetul pe anul {n} și lista investițiilor.\n")
#: Seconds a file must stay unchanged in these tests (the default is 5).
SETTLE = 0.3
ROOT = Path(__file__).parent.parent


def until(condition, timeout: float = 30.0) -> bool:
    """Wait for ``condition()`` to hold: a generous timeout, never a measured time."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return False


class Running:
    """A watcher running in a thread, with the files it handled and the files given to the ingest."""

    def __init__(self, folder: Path, archive, engine, ingest_one=None, **options) -> None:
        self.handled, self.notes, self.calls = [], [], []
        self.archive, self.engine = archive, engine

        def default(path: Path):
            self.calls.append(path)
            return ingest([path], archive, engine, jobs=1)

        self.watcher = Watcher(folder, ingest_one or default, settle=options.pop("settle", SETTLE),
                               archive=archive.root, on_file=self.handled.append, on_note=self.notes.append,
                               **options)
        self.error = self.summary = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.summary = self.watcher.run()
        except BaseException as err:  # noqa: BLE001 - handed to the test
            self.error = err

    def stop(self):
        self.watcher.request_stop("test")
        self.thread.join(30)
        assert not self.thread.is_alive()
        if self.error:
            raise self.error
        return self.summary

    def statuses(self) -> dict[str, str]:
        return {h.path: h.status for h in self.handled}


def found(archive, word: str) -> list[str]:
    index = SearchIndex.open(index_location(archive))
    try:
        return [hit.id for hit in index.search(word, text_of=archive.text, exists=archive.has).hits]
    finally:
        index.close()


def test_a_file_copied_slowly_is_ingested_once_and_only_when_complete(tmp_path, archive, engine):
    folder = tmp_path / "scanari"
    folder.mkdir()
    running = Running(folder, archive, engine)
    text = TEXT.format(n=2021) + "Anunțul se încheie aici cu semnătura primarului.\n"
    chunks = [text.encode()[i:i + 40] for i in range(0, len(text.encode()), 40)]
    target = folder / "comunicat.txt"
    with open(target, "wb") as out:  # held open: the pauses are longer than SETTLE, only the writer holds it back
        for chunk in chunks:
            out.write(chunk)
            out.flush()
            time.sleep(2 * SETTLE)
    copied = time.monotonic()
    assert until(lambda: running.handled)
    doc_id = running.handled[0].doc_id
    assert until(lambda: found(archive, "semnătura") == [doc_id])
    print(f"\nsearchable {time.monotonic() - copied:.2f} s after the end of the copy "
          f"({len(chunks)} chunks, {2 * SETTLE:g} s apart; files settle {SETTLE:g} s)")
    running.stop()
    assert running.calls == [target]
    assert "".join(archive.raw_pages(doc_id)) == text
    assert running.handled[0].moved_to == "done/comunicat.txt" and (folder / DONE / "comunicat.txt").exists()
    assert not target.exists() and not (folder / STATE / "in-flight.json").exists()


def test_a_file_written_in_bursts_waits_for_its_size_to_settle(tmp_path, archive, engine):
    folder = tmp_path / "scanari"
    folder.mkdir()
    running = Running(folder, archive, engine, settle=1.0)
    text = TEXT.format(n=2022) + "Ultimul rând.\n"
    target = folder / "pv.txt"
    for i in range(0, len(text.encode()), 30):  # reopened each time, as a copy over a share writes
        with open(target, "ab") as out:
            out.write(text.encode()[i:i + 30])
        time.sleep(0.1)
    assert until(lambda: running.handled)
    running.stop()
    assert running.calls == [target]
    assert "".join(archive.raw_pages(running.handled[0].doc_id)) == text


def test_files_already_there_are_taken_and_clashing_names_never_overwrite(tmp_path, archive, engine):
    folder = tmp_path / "scanari"
    (folder / DONE).mkdir(parents=True)
    (folder / FAILED).mkdir()
    (folder / DONE / "a.txt").write_text("from yesterday")
    (folder / FAILED / "gol.txt").write_text("an older failure")
    (folder / FAILED / f"gol (1).txt{REASON_SUFFIX}").write_text("an older reason")
    (folder / "a.txt").write_text(TEXT.format(n=2020), "utf-8")
    (folder / "b.txt").write_text(TEXT.format(n=2020), "utf-8")  # the same document again
    (folder / "gol.txt").write_bytes(b"")
    running = Running(folder, archive, engine)
    assert until(lambda: len(running.handled) == 3)
    running.stop()
    assert running.statuses() == {"a.txt": "ingested", "b.txt": "duplicate", "gol.txt": "failed"}
    moved = {h.path: h.moved_to for h in running.handled}
    assert moved == {"a.txt": "done/a (1).txt", "b.txt": "done/b.txt", "gol.txt": "failed/gol (2).txt"}
    assert (folder / DONE / "a.txt").read_text() == "from yesterday"
    assert (folder / FAILED / "gol.txt").read_text() == "an older failure"
    assert (folder / FAILED / f"gol (1).txt{REASON_SUFFIX}").read_text() == "an older reason"
    reason = (folder / FAILED / f"gol (2).txt{REASON_SUFFIX}").read_text("utf-8").splitlines()
    assert reason[0] == "gol (2).txt was not ingested: empty file"
    assert reason[-1] == "To try again once the cause is fixed, move the file back into the watched folder."
    failed = next(h for h in running.handled if h.status == "failed")
    assert failed.line() == ("failed     gol.txt: empty file -> failed/gol (2).txt "
                             "(why: failed/gol (2).txt.reason.txt)")


def test_files_in_subfolders_keep_their_place_in_done(tmp_path, archive, engine):
    folder = tmp_path / "scanari"
    (folder / "2021" / "martie").mkdir(parents=True)
    (folder / "2021" / "martie" / "c.txt").write_text(TEXT.format(n=2019), "utf-8")
    running = Running(folder, archive, engine)
    assert until(lambda: running.handled)
    running.stop()
    assert running.handled[0].moved_to == "done/2021/martie/c.txt"


def test_stray_files_are_left_in_place_with_one_note_each(tmp_path, archive, engine):
    folder = tmp_path / "scanari"
    folder.mkdir()
    running = Running(folder, archive, engine, selection=Selection(exclude=("*.csv",)))
    (folder / "secret.txt").write_text("not for the archive")
    strays = ["Thumbs.db", "desktop.ini", "checksums.md5", "SHA256SUMS", "scan.pdf.part", "~$proces.docx",
              "pagina.html", "sigla.svg", "legatura.txt", "tabel.csv"]
    for name in strays[:-2]:
        (folder / name).write_bytes(b"x")
    (folder / "legatura.txt").symlink_to(folder / "secret.txt")
    (folder / "tabel.csv").write_text("a,b\n")
    (folder / ".DS_Store").write_bytes(b"x")
    assert until(lambda: len(running.handled) >= len(strays) - 1 + 1)  # the strays, the symlink, secret.txt
    (folder / "Thumbs.db").write_bytes(b"xy")  # written again by Explorer: no second note
    time.sleep(3 * SETTLE)
    running.stop()
    statuses = running.statuses()
    assert statuses.pop("secret.txt") == "ingested"
    assert statuses == {name: "skipped" for name in strays[:-1]}
    notes = {h.path: h.line() for h in running.handled}
    assert notes["Thumbs.db"] == "skipped    Thumbs.db: Windows thumbnail cache, not a document; left in place"
    assert notes["legatura.txt"].startswith("skipped    legatura.txt: symbolic link, not followed")
    assert all(os.path.lexists(folder / name) for name in [*strays, ".DS_Store"])
    assert os.listdir(folder / FAILED) == []


def test_a_watcher_stopped_after_archiving_a_file_takes_it_again_never_twice(tmp_path, archive, engine):
    folder = tmp_path / "scanari"
    folder.mkdir()
    (folder / "hcl.txt").write_text(TEXT.format(n=2018), "utf-8")

    def archived_then_stopped(path: Path):
        ingest([path], archive, engine, jobs=1)
        raise KeyboardInterrupt  # killed after the archive's commit, before the move to done/

    first = Running(folder, archive, engine, ingest_one=archived_then_stopped)
    first.thread.join(30)
    assert isinstance(first.error, KeyboardInterrupt)
    assert Journal(folder / STATE).read().as_posix() == "hcl.txt" and (folder / "hcl.txt").exists()
    assert len(list(archive.ids())) == 1

    again = Running(folder, archive, engine)
    assert until(lambda: again.handled)
    again.stop()
    assert again.notes == ["hcl.txt was being ingested when the watcher stopped: taking it again"]
    handled = again.handled[0]
    assert handled.status == RESUMED and handled.to_json()["status"] == "ingested" and handled.to_json()["resumed"]
    assert handled.line().endswith("-> done/hcl.txt (archived before the watcher stopped)")
    assert len(list(archive.ids())) == 1 and not (folder / STATE / "in-flight.json").exists()


def test_a_watcher_stopped_while_ingesting_ingests_the_file_at_its_next_start(tmp_path, archive, engine):
    folder = tmp_path / "scanari"
    folder.mkdir()
    (folder / "hcl.txt").write_text(TEXT.format(n=2017), "utf-8")

    def stopped_before_archiving(path: Path):
        raise KeyboardInterrupt

    first = Running(folder, archive, engine, ingest_one=stopped_before_archiving)
    first.thread.join(30)
    assert isinstance(first.error, KeyboardInterrupt) and not list(archive.ids())
    again = Running(folder, archive, engine)
    assert until(lambda: again.handled)
    again.stop()
    assert again.statuses() == {"hcl.txt": "ingested"} and len(list(archive.ids())) == 1


def test_a_stop_asked_during_a_document_finishes_it_first(tmp_path, archive, engine):
    folder = tmp_path / "scanari"
    folder.mkdir()
    for n in range(3):
        (folder / f"doc{n}.txt").write_text(TEXT.format(n=2000 + n), "utf-8")
    holder = {}

    def signalled_meanwhile(path: Path):
        holder["running"].watcher.request_stop("SIGTERM")  # as the signal handler does
        return ingest([path], archive, engine, jobs=1)

    holder["running"] = running = Running(folder, archive, engine, ingest_one=signalled_meanwhile)
    running.thread.join(30)
    assert running.error is None and running.summary.stopped_by == "SIGTERM"
    assert running.summary.counts == {"ingested": 1}
    assert [h.moved_to for h in running.handled] == ["done/doc0.txt"]
    assert sorted(os.listdir(folder / DONE)) == ["doc0.txt"] and (folder / "doc1.txt").exists()


def test_one_watcher_per_folder_and_none_inside_the_archive(tmp_path, archive, engine):
    folder = tmp_path / "scanari"
    folder.mkdir()
    running = Running(folder, archive, engine)
    assert until(lambda: (folder / STATE / "lock").exists())
    time.sleep(0.2)
    with pytest.raises(WatchFolderError, match="another arhiva watch is already watching"):
        Watcher(folder, lambda path: None).run()
    running.stop()
    with pytest.raises(WatchFolderError, match="inside the archive"):
        Watcher(archive.root, lambda path: None, archive=archive.root).run()


def test_writers_are_seen_in_proc(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF")
    with open(path, "rb"):
        assert writers(path) == []
    with open(path, "ab"):
        assert os.getpid() in writers(path)


def test_a_write_lock_of_another_process_is_seen(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.4")
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, sys, time\nf = open(sys.argv[1], 'r+b')\nfcntl.lockf(f, fcntl.LOCK_EX)\n"
        "print('locked', flush=True)\ntime.sleep(60)"), str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "locked\n"
        assert write_locked(path)
    finally:
        holder.kill()
        holder.wait()
    assert not write_locked(path)


def test_moves_never_overwrite_without_renameat2_either(tmp_path, monkeypatch):
    import arhiva.archive.atomic as atomic

    monkeypatch.setattr(atomic, "_libc", lambda: None)  # as on a system without renameat2
    (tmp_path / "done").mkdir()
    (tmp_path / "done" / "a.pdf").write_text("old")
    (tmp_path / "a.pdf").write_text("new")
    moved = move_aside(tmp_path / "a.pdf", tmp_path / "done", Path("a.pdf"))
    assert moved.name == "a (1).pdf" and (tmp_path / "done" / "a.pdf").read_text() == "old"


@pytest.mark.parametrize("sig, status", [(signal.SIGTERM, 0), (signal.SIGINT, 130)])
def test_the_command_stops_cleanly_on_a_signal(tmp_path, sig, status):
    folder = tmp_path / "scanari"
    folder.mkdir()
    (folder / "comunicat.txt").write_text(TEXT.format(n=2016), "utf-8")
    (folder / "Thumbs.db").write_bytes(b"x")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "arhiva", "--archive", str(tmp_path / "arhiva"), "watch",
                                "--json", "--jobs", "1", "--settle", str(SETTLE), str(folder)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        events = []
        for line in process.stdout:
            events.append(json.loads(line))
            if events[-1]["status"] == "ingested":
                break
        process.send_signal(sig)
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == status, err
    assert [(e["path"], e["status"]) for e in events] == [("Thumbs.db", "skipped"), ("comunicat.txt", "ingested")]
    assert events[-1]["moved_to"] == "done/comunicat.txt"
    assert json.loads(out) == {"event": "stopped", "by": sig.name, "problem": None,
                               "counts": {"skipped": 1, "ingested": 1}}
    assert err.splitlines()[-1] == (f"arhiva: stopped by {sig.name} after finishing the current document; "
                                    "1 ingested, 0 already in the archive, 0 failed, 1 skipped")


def test_a_folder_moved_in_is_taken_and_polling_works_too(tmp_path, archive, engine):
    folder, elsewhere = tmp_path / "scanari", tmp_path / "pregatit"
    folder.mkdir()
    (elsewhere / "lot").mkdir(parents=True)
    for n in range(2):
        (elsewhere / "lot" / f"d{n}.txt").write_text(TEXT.format(n=1990 + n), "utf-8")
    running = Running(folder, archive, engine)
    time.sleep(2 * SETTLE)
    (elsewhere / "lot").rename(folder / "lot")  # one event, for the folder
    assert until(lambda: len(running.handled) == 2)
    running.stop()
    assert sorted(h.moved_to for h in running.handled) == ["done/lot/d0.txt", "done/lot/d1.txt"]

    polled = Running(folder, archive, engine, poll=0.2)
    time.sleep(2 * SETTLE)
    (folder / "nou.txt").write_text(TEXT.format(n=1989), "utf-8")
    assert until(lambda: polled.handled)
    polled.stop()
    assert polled.watcher.mode == "polling every 0.2 s" and polled.statuses() == {"nou.txt": "ingested"}


def test_an_archive_inside_the_watched_folder_is_left_alone(tmp_path, engine):
    from arhiva.archive import Archive

    folder = tmp_path / "scanari"
    archive = Archive.open(folder / "arhiva", create=True)
    (folder / "a.txt").write_text(TEXT.format(n=1988), "utf-8")
    before = sorted(p.relative_to(archive.root) for p in archive.root.rglob("*"))
    running = Running(folder, archive, engine)
    assert until(lambda: running.handled)
    time.sleep(2 * SETTLE)
    running.stop()
    assert running.statuses() == {"a.txt": "ingested"}
    assert set(before) <= {p.relative_to(archive.root) for p in archive.root.rglob("*")}
    assert os.listdir(folder / FAILED) == [] and os.listdir(folder / DONE) == ["a.txt"]
