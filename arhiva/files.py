"""Finding the files to ingest under the paths a user gave."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Found:
    """A file to ingest, or a path that cannot be (``problem`` says why)."""

    path: Path
    problem: str | None = None


def find_files(paths: list[Path]) -> list[Found]:
    """Every regular file under ``paths``, recursively, in a stable order.

    Hidden files and folders (names starting with a dot) are skipped inside
    folders. Symbolic links to folders are not followed, so a link loop cannot
    trap the walk; links to files are followed.
    """
    found: list[Found] = []
    seen: set[Path] = set()
    for path in paths:
        for item in _walk(path):
            key = item.path.absolute()
            if key not in seen:
                seen.add(key)
                found.append(item)
    return found


def _walk(path: Path) -> list[Found]:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        reason = "broken symbolic link" if path.is_symlink() else "no such file or folder"
        return [Found(path, reason)]
    except OSError as err:
        return [Found(path, _os_reason(err))]
    if stat.S_ISDIR(mode):
        items: list[Found] = []

        def on_error(err: OSError) -> None:
            items.append(Found(Path(err.filename or path), _os_reason(err)))

        for folder, dirs, names in os.walk(path, onerror=on_error, followlinks=False):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                if not name.startswith("."):
                    items.extend(_file(Path(folder) / name))
        return items
    return _file(path)


def _file(path: Path) -> list[Found]:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return [Found(path, "broken symbolic link" if path.is_symlink() else "no such file")]
    except OSError as err:
        return [Found(path, _os_reason(err))]
    if stat.S_ISDIR(mode):
        return []  # a link to a folder: not followed
    if not stat.S_ISREG(mode):
        return [Found(path, "not a regular file (a device, pipe or socket)")]
    return [Found(path)]


def _os_reason(err: OSError) -> str:
    return (err.strerror or str(err)).lower()
