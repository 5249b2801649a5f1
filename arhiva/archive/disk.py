"""A full or read-only disk under the archive, told apart from other errors, in one line with what to do."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from arhiva.errors import DiskFullError


def disk_problem(err: BaseException, root: Path) -> DiskFullError | None:
    """A full or read-only disk under the archive, naming it, with what to do; None for other errors.

    The error may be the archive's own, caused by the disk's.
    """
    if not isinstance(err, OSError):
        cause = err.__cause__
        return disk_problem(cause, root) if isinstance(cause, OSError) else None
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        problem = DiskFullError(f"disk full: no space left on {_mount_point(root)}, the disk of the archive {root}")
        problem.advice = "free some space there and run the same ingest again: what is archived is skipped"
        return problem
    if err.errno == errno.EROFS:
        problem = DiskFullError(f"read-only disk: {_mount_point(root)}, the disk of the archive {root}, "
                                "cannot be written")
        problem.advice = "make it writable, or choose another --archive, and run the same ingest again"
        return problem
    return None


def _mount_point(path: Path) -> Path:
    path = path.absolute()
    while not os.path.ismount(path) and path.parent != path:
        path = path.parent
    return path
