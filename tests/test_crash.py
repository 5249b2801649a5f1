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
