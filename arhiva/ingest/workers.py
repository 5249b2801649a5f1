"""The setting of an ingest's worker processes: limits, signals, and a scratch folder for page images."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from pathlib import Path

from arhiva.archive.store import process_alive
from arhiva.limits import DEFAULT_LIMITS, Limits, die_with_parent, limit_memory

SCRATCH_PREFIX = "arhiva-ingest-"


def new_scratch() -> str | None:
    """A temporary folder for the workers' page images, named after this process.

    A worker killed on a timeout or an interrupt cannot remove its own files:
    the batch removes the folder at its end, and the next batch removes those
    of batches that were killed outright.
    """
    base = Path(tempfile.gettempdir())
    for folder in base.glob(f"{SCRATCH_PREFIX}*-*"):
        pid = folder.name[len(SCRATCH_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not process_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
    try:
        return tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-")
    except OSError:  # no room: each page image then says so
        return None


def init_worker(limits: Limits = DEFAULT_LIMITS, scratch: str | None = None) -> None:
    # The parent handles Ctrl-C and SIGTERM, and kills its workers; a worker
    # dies with the parent even when the parent is killed outright.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
    limit_memory(limits.memory_bytes)
    os.environ["OMP_THREAD_LIMIT"] = "1"
    if scratch:
        tempfile.tempdir = scratch
