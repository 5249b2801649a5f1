"""Locks shared by arhiva processes: ``flock`` on a lock file, waited for a bounded time.

A lock held by a process that dies is released by the kernel, so a crash
never leaves the archive locked. The lock files are never removed: removing
one while another process waits on it would let two processes hold "the" lock.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from arhiva.errors import ArchiveError

#: Seconds to wait for another process's lock before reporting it.
LOCK_TIMEOUT = 60.0
_POLL = 0.02


class LockBusyError(ArchiveError):
    """Another process held the lock for longer than the wait allowed."""


class FileLock:
    """An exclusive lock on ``path``, re-entrant within one object.

    ``what`` names the lock in the message given when the wait times out.
    """

    def __init__(self, path: Path, what: str, timeout: float = LOCK_TIMEOUT) -> None:
        self.path = path
        self.what = what
        self.timeout = timeout
        self._fd: int | None = None
        self._depth = 0

    @property
    def held(self) -> bool:
        return self._depth > 0

    def acquire(self, timeout: float | None = None) -> None:
        """Take the lock, waiting at most ``timeout`` seconds (the lock's own when None)."""
        if self._depth:
            self._depth += 1
            return
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        except OSError as err:
            raise ArchiveError(f"cannot lock {self.path}: {err.strerror or err}") from err
        wait = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise LockBusyError(
                        f"{self.what} is busy: another arhiva process has held it for over "
                        f"{wait:.0f} s; try again when it has finished"
                    ) from None
                time.sleep(_POLL)
        self._fd = fd
        self._depth = 1

    def release(self) -> None:
        if not self._depth:
            return
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            os.close(self._fd)  # closing the only descriptor releases the flock
            self._fd = None

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
