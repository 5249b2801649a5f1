"""Crash safety: `arhiva ingest` killed with SIGKILL at random moments.

After every kill the archive must be consistent (no partial document visible,
nothing unexplained: only staging leftovers of the dead process), and running
the same ingest again must complete the batch with every original stored
exactly once, byte for byte. The default suite runs a few trials; the full run
of 50 is behind the ``slow`` marker (``pytest -m slow tests/test_crash.py``).
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from arhiva.archive import Archive
from arhiva.maintenance import verify
from arhiva.testing.scans import Degradation, scan

pytestmark = pytest.mark.e2e

PARAGRAPH = ("Consiliul Local al municipiului a aprobat în ședința din {n} aprilie 2021 bugetul local, "
             "lista obiectivelor de investiții și rectificarea numărul {n}.")


def make_batch(folder: Path, trial: int) -> dict[str, bytes]:
    """New documents for each trial, so that every kill interrupts real work."""
    folder.mkdir(parents=True)
    for n in range(8):
        lines = (PARAGRAPH.format(n=1000 * trial + 10 * n + k) for k in range(6))
        (folder / f"text{n}.txt").write_text("\n\n".join(lines), "utf-8")
    for n in range(2):
        page = scan(PARAGRAPH.format(n=1000 * trial + 500 + n) * 3, Degradation(dpi=100), seed=n)[0]
        page.save(folder / f"scan{n}.png", dpi=(100, 100))
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def ingest_command(archive: Path, folder: Path) -> list[str]:
    return [sys.executable, "-m", "arhiva", "ingest", "--jobs", "2", "--archive", str(archive), str(folder)]


def run_trials(tmp_path: Path, trials: int, seed: int = 0) -> dict:
    """Each trial starts an ingest of new documents and kills it; then all is ingested again."""
    rng = random.Random(seed)
    batches, archive_dir = tmp_path / "batches", tmp_path / "archive"
    expected: dict[str, bytes] = {}
    stats = {"trials": 0, "killed_while_running": 0, "documents_at_kill": []}
    for trial in range(trials):
        folder = batches / f"trial{trial:02d}"
        expected.update({hashlib.sha256(data).hexdigest(): data for data in make_batch(folder, trial).values()})
        process = subprocess.Popen(ingest_command(archive_dir, folder), start_new_session=True,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 2.5))
        if process.poll() is None:
            stats["killed_while_running"] += 1
        try:
            os.killpg(process.pid, signal.SIGKILL)  # the workers and Tesseract too
        except ProcessLookupError:
            pass  # the whole batch had finished
        process.wait()
        stats["trials"] += 1
        archive = Archive.open(archive_dir, create=True) if archive_dir.exists() else None
        if archive is None:
            continue
        report = verify(archive)
        assert report.problems == [], report.problems  # no partial or damaged document
        ids = list(archive.ids())
        assert set(ids) <= set(expected)  # nothing that is not one of the sources
        stats["documents_at_kill"].append(len(ids))
    finished = subprocess.run(ingest_command(archive_dir, batches), capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    archive = Archive.open(archive_dir)
    report = verify(archive)
    assert report.ok, report.to_json()
    ids = list(archive.ids())
    assert sorted(ids) == sorted(expected)  # every original once: none lost, none twice
    for doc_id in ids:
        assert archive.read_file(doc_id, archive.original_name(doc_id)) == expected[doc_id]
    assert list(archive.staging.iterdir()) == []
    return stats


def test_killed_ingests_lose_nothing(tmp_path):
    stats = run_trials(tmp_path, trials=4)
    assert stats["killed_while_running"] >= 1


@pytest.mark.slow
def test_killed_ingests_lose_nothing_50_trials(tmp_path):
    stats = run_trials(tmp_path, trials=50, seed=1)
    print(f"\n{stats['trials']} kills, {stats['killed_while_running']} while running; "
          f"documents archived at each kill: {stats['documents_at_kill']}")


# -- a change of the archive interrupted at each of its steps -----------------

from arhiva.archive import NewDocument, NewRecord, catalog, journal_since  # noqa: E402
from arhiva.archive.checks import check_archive  # noqa: E402
from arhiva.archive.journal import Journal, encode  # noqa: E402


class Killed(BaseException):
    """Stands for SIGKILL at a chosen point: nothing of the change after it runs."""


def torn_append(self, entry):
    data = encode(entry)
    with open(self.path, "ab") as handle:
        handle.write(data[: len(data) // 2])
    raise Killed


def kill(*args, **kwargs):
    raise Killed


def kill_on_call(number, real):
    calls = []

    def wrapper(*args, **kwargs):
        calls.append(1)
        if len(calls) == number:
            raise Killed
        return real(*args, **kwargs)

    return wrapper


#: (change, where it is killed, whether the change is there after recovery)
CRASH_POINTS = [
    ("commit", "before the rename", False),
    ("commit", "after the rename, before the journal", True),
    ("commit", "in the middle of the journal line", True),
    ("correction", "in the middle of the log line", False),
    ("correction", "after the log line, before the journal", True),
    ("correction", "in the middle of the journal line", True),
    ("extraction", "before metadata.json is replaced", False),
    ("extraction", "after metadata.json is replaced, before the journal", True),
]


def prepare_crash(monkeypatch, change: str, where: str) -> None:
    import arhiva.archive.store as store

    if "journal line" in where:
        monkeypatch.setattr(Journal, "append", torn_append)
    elif "before the journal" in where:
        monkeypatch.setattr(Journal, "append", kill)
    elif where == "before the rename":
        monkeypatch.setattr(store, "rename_new", kill)
    elif where == "before metadata.json is replaced":
        monkeypatch.setattr(store, "write_bytes", kill_on_call(2, store.write_bytes))  # the first is the intent
    elif where == "in the middle of the log line":
        real = os.write

        def torn(fd, data):
            real(fd, data[: len(data) // 2])
            raise Killed

        monkeypatch.setattr(os, "write", torn)
    else:
        raise AssertionError(where)


def new_document(archive: Archive, tmp_path: Path, content: bytes) -> tuple:
    source = tmp_path / f"{hashlib.sha256(content).hexdigest()[:8]}.txt"
    source.write_bytes(content)
    staged = archive.stage(source)
    return staged, NewDocument("text/plain", [content.decode()], content.decode(), [],
                               NewRecord("t", pages=[{}], extractor="test"), {"type": "anunț"})


@pytest.mark.parametrize("change, where, kept", CRASH_POINTS, ids=[f"{c} {w}" for c, w, _ in CRASH_POINTS])
def test_a_change_killed_at_any_step_is_whole_or_absent(tmp_path, monkeypatch, change, where, kept):
    archive = Archive.open(tmp_path / "archive", create=True)
    doc_id = archive.commit(*new_document(archive, tmp_path, b"Anunt de concurs nr. 1")).id
    staged, doc = new_document(archive, tmp_path, b"Anunt de concurs nr. 2")
    with monkeypatch.context() as patched:
        prepare_crash(patched, change, where)
        with pytest.raises(Killed):
            if change == "commit":
                archive.commit(staged, doc)
            elif change == "correction":
                catalog.correct(archive, doc_id, {"date": "2021-04-08"})
            else:
                catalog.write_extracted(archive, doc_id, {"type": "hotărâre"}, "test")
    assert (archive.root / "journal.intent").exists()  # as a dead process leaves it
    reopened = Archive.open(archive.root)  # the next process: it completes or undoes the change
    assert not (reopened.root / "journal.intent").exists()
    report = check_archive(reopened)
    assert report.problems == [], report.problems
    kinds = [e.kind for e in journal_since(reopened, 0)]
    assert kinds == ["commit"] + ([change] if kept else [])
    if change == "commit":
        assert reopened.has(staged.doc_id) == kept
        assert staged.folder.exists() == (not kept)  # left for the sweep once its process is gone
    elif change == "correction":
        assert catalog.effective(reopened, doc_id).get("date") == ("2021-04-08" if kept else None)
    else:
        assert catalog.extracted(reopened, doc_id)["type"] == ("hotărâre" if kept else "anunț")
    catalog.correct(reopened, doc_id, {"title": "Anunț"})  # and the archive goes on
    assert check_archive(reopened).problems == []


def run_tag_kills(tmp_path: Path, trials: int, seed: int = 0) -> dict:
    """`arhiva tag` killed with SIGKILL at random moments: every tag that reported success is kept,
    nothing half-written is visible, and `verify` is clean after each kill."""
    rng = random.Random(seed)
    archive_dir = tmp_path / "archive"
    source = tmp_path / "anunt.txt"
    source.write_text("Anunț\n\nPrimăria organizează concurs pentru postul de consilier.\n", "utf-8")
    assert subprocess.run(ingest_command(archive_dir, source), capture_output=True).returncode == 0
    archive = Archive.open(archive_dir)
    doc_id = next(archive.ids())
    succeeded, stats = [], {"trials": 0, "killed_while_running": 0}
    for trial in range(trials):
        title = f"Anunț {trial}"
        process = subprocess.Popen([sys.executable, "-m", "arhiva", "tag", doc_id, "--title", title,
                                    "--archive", str(archive_dir)], start_new_session=True,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # The first kill lands while the command is surely running (it takes
        # ~0.4 s on a quiet machine); the others at random, some after it ended.
        time.sleep(0.02 if trial == 0 else rng.uniform(0.05, 1.0))
        if process.poll() is None:
            stats["killed_while_running"] += 1
            os.killpg(process.pid, signal.SIGKILL)
        if process.wait() == 0:
            succeeded.append(title)
        stats["trials"] += 1
        archive = Archive.open(archive_dir)
        assert check_archive(archive).problems == []
        titles = [h["fields"]["title"] for h in catalog.corrections(archive, doc_id)["history"]]
        assert set(succeeded) <= set(titles) <= {f"Anunț {n}" for n in range(trial + 1)}
    stats["kept"] = len(titles)
    stats["succeeded"] = len(succeeded)
    return stats


def test_killed_tags_lose_nothing(tmp_path):
    stats = run_tag_kills(tmp_path, trials=6)
    assert stats["killed_while_running"] >= 1


@pytest.mark.slow
def test_killed_tags_lose_nothing_100_trials(tmp_path):
    stats = run_tag_kills(tmp_path, trials=100, seed=1)
    print(f"\n{stats}")


def test_a_change_that_fails_is_undone_at_once(tmp_path, monkeypatch):
    import arhiva.archive.store as store

    archive = Archive.open(tmp_path / "archive", create=True)
    doc_id = archive.commit(*new_document(archive, tmp_path, b"Anunt de concurs nr. 1")).id
    real = os.write

    def disk_full(fd, data):
        real(fd, data[:3])
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(os, "write", disk_full)
        with pytest.raises(OSError, match="No space"):
            catalog.correct(archive, doc_id, {"date": "2021-04-08"})
    assert not (archive.root / store.INTENT_FILE).exists()
    assert check_archive(archive).problems == []
    assert catalog.corrections(archive, doc_id)["history"] == []
