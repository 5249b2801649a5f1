"""Finding the files to ingest under the paths a user gave."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

#: Why a file inside a folder is not read through its symbolic link.
LINK_OUTSIDE = "symbolic link to a {what} outside {folder} (not followed; --follow-symlinks follows it)"
INSIDE_ARCHIVE = "inside the archive {archive}: not ingested"


@dataclass(frozen=True)
class Found:
    """A file to ingest, or a path that cannot be (``problem`` says why)."""

    path: Path
    problem: str | None = None


def find_files(paths: list[Path], follow_symlinks: bool = False, archive: Path | None = None) -> list[Found]:
    """Every regular file under ``paths``, recursively, in a stable order.

    Hidden files and folders (names starting with a dot) are skipped inside
    folders. Inside a folder, a symbolic link is followed only to a file in the
    same folder tree; links to folders and to files elsewhere are not followed,
    so a link loop cannot trap the walk and a link cannot bring in what the
    user did not give. With ``follow_symlinks`` every link is followed, and
    each folder is walked once. Paths given by name are always followed.

    Nothing inside ``archive`` is returned: the archive's folder, met in a
    walk, is skipped as hidden folders are; a path given inside it, or a link
    into it, is one :class:`Found` with the reason.
    """
    found: list[Found] = []
    seen: set[Path] = set()
    archive_real = Path(os.path.realpath(archive)) if archive is not None else None
    for path in paths:
        for item in _walk(path, follow_symlinks, archive_real):
            key = item.path.absolute()
            if key not in seen:
                seen.add(key)
                found.append(item)
    return found


def display_path(path: Path | str) -> str:
    """A path as a person can read it: its bytes as UTF-8, with any byte that is not shown as ``\\xNN``.

    File names from old Windows shares are often in a legacy code page, which
    Python keeps as surrogates; they cannot be printed or written to JSON as is.

    >>> display_path(os.fsdecode(b"dosar/Hot\\xe3r\\xe2re.txt"))
    'dosar/Hot\\\\xe3r\\\\xe2re.txt'
    >>> display_path(Path("dosar/hotărâre.txt"))
    'dosar/hotărâre.txt'
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _walk(path: Path, follow_symlinks: bool, archive: Path | None) -> list[Found]:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        reason = "broken symbolic link" if path.is_symlink() else "no such file or folder"
        return [Found(path, reason)]
    except OSError as err:
        return [Found(path, _os_reason(err))]
    real = Path(os.path.realpath(path))
    if archive is not None and _inside(real, archive):
        return [Found(path, INSIDE_ARCHIVE.format(archive=archive))]
    if not stat.S_ISDIR(mode):
        return _file(path)
    items: list[Found] = []

    def on_error(err: OSError) -> None:
        items.append(Found(Path(err.filename or path), _os_reason(err)))

    walked: set[tuple[int, int]] = set()
    for folder, dirs, names in os.walk(path, onerror=on_error, followlinks=follow_symlinks):
        try:
            here = os.stat(folder)
        except OSError as err:
            items.append(Found(Path(folder), _os_reason(err)))
            dirs[:] = []
            continue
        if (here.st_dev, here.st_ino) in walked:  # a loop of followed links
            dirs[:] = []
            continue
        walked.add((here.st_dev, here.st_ino))
        keep = []
        for name in sorted(d for d in dirs if not d.startswith(".")):
            sub = Path(folder) / name
            if archive is not None and not sub.is_symlink() and _inside(Path(os.path.realpath(sub)), archive):
                continue  # the archive itself, kept among the documents it archives
            problem = _link_problem(sub, path, real, follow_symlinks, archive)
            if problem:
                items.append(problem)
            else:
                keep.append(name)
        dirs[:] = keep
        for name in sorted(n for n in names if not n.startswith(".")):
            file = Path(folder) / name
            problem = _link_problem(file, path, real, follow_symlinks, archive)
            items.extend([problem] if problem else _file(file))
    return items


def _link_problem(path: Path, given: Path, given_real: Path, follow_symlinks: bool,
                  archive: Path | None) -> Found | None:
    """Why ``path``, met in a walk of the folder ``given``, is not taken: into the archive, or out of ``given``.

    A link to a folder inside ``given`` is not followed either, silently: what it
    links to is walked anyway.
    """
    real = Path(os.path.realpath(path))
    if archive is not None and _inside(real, archive):
        return Found(path, INSIDE_ARCHIVE.format(archive=archive))
    if follow_symlinks or not path.is_symlink() or not real.exists():
        return None  # a broken link or a loop is reported as such by _file
    if not _inside(real, given_real):
        return Found(path, LINK_OUTSIDE.format(what="folder" if real.is_dir() else "file", folder=given))
    return None


def _file(path: Path, follow_symlinks: bool = True) -> list[Found]:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return [Found(path, "broken symbolic link" if path.is_symlink() else "no such file")]
    except OSError as err:
        return [Found(path, _os_reason(err))]
    if stat.S_ISDIR(mode):
        return []  # a link to a folder, met inside a folder: walked only with follow_symlinks
    if not stat.S_ISREG(mode):
        return [Found(path, "not a regular file (a device, pipe or socket)")]
    return [Found(path)]


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _os_reason(err: OSError) -> str:
    return (err.strerror or str(err)).lower()
