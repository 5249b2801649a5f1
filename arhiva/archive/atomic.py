"""Atomic file writes: temporary file, fsync, rename, fsync of the folder."""

from __future__ import annotations

import ctypes
import errno
import os
from pathlib import Path

FILE_MODE = 0o444  # stored records are read-only
DIR_MODE = 0o755
_AT_FDCWD = -100
_RENAME_NOREPLACE = 1


def write_bytes(path: Path, data: bytes, mode: int = FILE_MODE, tmp_dir: Path | None = None) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one.

    The temporary file is made in ``tmp_dir`` (on the same file system) when
    given, so that an interrupted write leaves nothing beside ``path``.
    """
    if tmp_dir is not None:
        tmp = tmp_dir / f"{os.getpid()}.{path.name}.tmp"
    else:
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def write_new(path: Path, data: bytes, mode: int = FILE_MODE) -> None:
    """Write a file inside a staging folder (not yet visible): write, fsync, chmod."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, mode)


def rename_new(source: Path, target: Path) -> None:
    """Rename ``source`` to ``target``, which must not exist: never replaces anything.

    Uses ``renameat2(RENAME_NOREPLACE)`` where the kernel and file system
    have it; elsewhere a check just before the rename (a narrow race that
    can only replace an empty folder). Raises :class:`FileExistsError`.
    """
    renameat2 = getattr(_libc(), "renameat2", None)
    if renameat2 is not None:
        if renameat2(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), _RENAME_NOREPLACE) == 0:
            return
        code = ctypes.get_errno()
        if code == errno.EEXIST:
            raise FileExistsError(code, os.strerror(code), str(target))
        if code not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
            raise OSError(code, os.strerror(code), str(source))
    if os.path.lexists(target):
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target))
    os.rename(source, target)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_LIBC = []


def _libc():
    if not _LIBC:
        try:
            _LIBC.append(ctypes.CDLL(None, use_errno=True))
        except OSError:
            _LIBC.append(None)
    return _LIBC[0]
