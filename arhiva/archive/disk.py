"""A full or read-only disk under the archive, told apart from other errors, in one line with what to do."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from arhiva.errors import DiskFullError


INGEST_AGAIN = "run the same ingest again: what is archived is skipped"


def disk_problem(err: BaseException, root: Path, again: str = INGEST_AGAIN,
                 what: str = "the archive") -> DiskFullError | None:
    """A full or read-only disk under ``root`` (``what`` it holds: the archive, the search index),
    naming it, with what to do (``advice``: make room or make it writable, then ``again``); None
    for other errors.

    The error may be the archive's own, caused by the disk's.

    >>> import errno
    >>> problem = disk_problem(OSError(errno.ENOSPC, "No space left on device"), Path("/"), "run arhiva tag again")
    >>> str(problem), problem.advice
    ('disk full: no space left on /, the disk of the archive /', 'free some space there and run arhiva tag again')
    """
    if not isinstance(err, OSError):
        cause = err.__cause__
        return disk_problem(cause, root, again, what) if isinstance(cause, OSError) else None
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        problem = DiskFullError(f"disk full: no space left on {_mount_point(root)}, the disk of {what} {root}")
        problem.advice = f"free some space there and {again}"
        return problem
    if err.errno == errno.EROFS:
        problem = DiskFullError(f"read-only disk: {_mount_point(root)}, the disk of {what} {root}, "
                                "cannot be written")
        problem.advice = f"make it writable, or choose another --archive, and {again}"
        return problem
    return None


def with_advice(problem: DiskFullError) -> DiskFullError:
    """The problem as one line that says what to do, for a command that prints only the message."""
    return DiskFullError(f"{problem}; {problem.advice}")


def _mount_point(path: Path) -> Path:
    path = path.absolute()
    while not os.path.ismount(path) and path.parent != path:
        path = path.parent
    return path
