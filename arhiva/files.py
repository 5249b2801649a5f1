"""Finding the files to ingest under the paths a user gave.

Besides documents, folders from scanners, shared drives and downloads hold
files that are not documents: the settings and thumbnails an operating system
leaves in every folder, checksum lists, files still being downloaded or saved,
web pages and drawings. These are *stray* files (:func:`stray_reason`): they
are skipped with a note, never counted as failures.
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

#: Why a file inside a folder is not read through its symbolic link.
LINK_OUTSIDE = "symbolic link to a {what} outside {folder} (not followed; --follow-symlinks follows it)"
INSIDE_ARCHIVE = "inside the archive {archive}: not ingested"


@dataclass(frozen=True)
class Found:
    """A file to ingest, a path that cannot be (``problem`` says why), or a file that is
    not a document and is left out (``skipped`` says why: not a failure)."""

    path: Path
    problem: str | None = None
    skipped: str | None = None


@dataclass(frozen=True)
class Selection:
    """Which files found in a walk of a folder are taken: ``include`` and ``exclude`` are glob patterns.

    A pattern without a slash is matched against a file's name, one with a
    slash against its path below the folder given (``2021/*.pdf``); case does
    not matter (file names on shared drives come in any case). A file is taken
    if it matches some ``include`` pattern (or none is given) and no
    ``exclude`` pattern; a folder that matches an ``exclude`` pattern is not
    walked. Files given by name are always taken.

    >>> Selection(include=("*.pdf",)).reason(PurePosixPath("2021/SCAN.PDF"))
    >>> Selection(include=("*.pdf",)).reason(PurePosixPath("2021/scan.tif"))
    'matches no --include pattern (*.pdf)'
    >>> Selection(exclude=("ciorne/*",)).reason(PurePosixPath("ciorne/a.pdf"))
    'matches --exclude ciorne/*'
    """

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def reason(self, relative: PurePosixPath, folder: bool = False) -> str | None:
        """Why the file (or ``folder``) at ``relative``, below the folder walked, is left out; None if taken."""
        for pattern in self.exclude:
            if _matches(relative, pattern):
                return f"matches --exclude {pattern}"
        if self.include and not folder and not any(_matches(relative, p) for p in self.include):
            return f"matches no --include pattern ({', '.join(self.include)})"
        return None


EVERYTHING = Selection()


def find_files(paths: list[Path], follow_symlinks: bool = False, archive: Path | None = None,
               selection: Selection = EVERYTHING) -> list[Found]:
    """Every regular file under ``paths``, recursively, in a stable order.

    Stray files (:func:`stray_reason`), given by name or found in a walk, are
    returned with ``skipped`` set. Files of a walk that ``selection`` leaves
    out are not returned (the user asked for that), and the folders it
    excludes are not walked, nor the folders operating systems keep for
    themselves (:data:`SYSTEM_FOLDERS`).

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
        for item in _walk(path, follow_symlinks, archive_real, selection):
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


def _walk(path: Path, follow_symlinks: bool, archive: Path | None, selection: Selection) -> list[Found]:
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
        for name in sorted(d for d in dirs if not d.startswith(".") and d.lower() not in SYSTEM_FOLDERS):
            sub = Path(folder) / name
            if selection.reason(_below(sub, path), folder=True):
                continue
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
            if problem:
                items.append(problem)
                continue
            if not selection.reason(_below(file, path)):
                items.extend(_file(file))
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
    stray = stray_reason(path.name)
    return [Found(path, skipped=stray)] if stray else [Found(path)]


#: Folders that operating systems keep for themselves on disks and shares: never walked.
SYSTEM_FOLDERS = frozenset({"$recycle.bin", "system volume information", "__macosx", "recycler"})

#: Stray files by name (lower case): (pattern, why it is not a document). First match wins.
STRAY_NAMES: tuple[tuple[str, str], ...] = (
    (r"desktop\.ini", "Windows folder settings, not a document"),
    (r"(eh)?thumbs(_vista)?\.db", "Windows thumbnail cache, not a document"),
    (r"\.ds_store", "macOS folder settings, not a document"),
    (r"\._.*", "macOS resource fork (AppleDouble), not the document itself"),
    (r"\.directory", "KDE folder settings, not a document"),
    (r"icon\r", "macOS folder icon, not a document"),
    (r"~\$.*|\.~lock\..*#", "lock file of a document open in an office program, not a document"),
    (r".*\.(part|partial|crdownload|download|opdownload|tmp|temp)",
     "unfinished download or save (a temporary file), not a document"),
    (r".*\.(md5|sha1|sha224|sha256|sha384|sha512|sfv|md5sum|sha1sum|sha256sum|sha512sum)",
     "checksum list, not a document"),
    (r"(md5|sha1|sha224|sha256|sha384|sha512|b2)sums(\.txt)?|checksums?(\.txt)?", "checksum list, not a document"),
    (r"(tag)?manifest-(md5|sha1|sha256|sha512)\.txt", "checksum list of a BagIt bag, not a document"),
    (r".*\.(html?|xhtml|mht|mhtml)", "web page, not a scan (its markup would be read as text)"),
    (r".*\.(svg|svgz)", "vector drawing (SVG), not a scan"),
)
_STRAY = [(re.compile(pattern, re.DOTALL), why) for pattern, why in STRAY_NAMES]


def stray_reason(name: str) -> str | None:
    """Why a file of this name is not a document and is skipped (a note, not a failure); None for others.

    >>> stray_reason("Thumbs.db")
    'Windows thumbnail cache, not a document'
    >>> stray_reason("SHA256SUMS"), stray_reason("scan.pdf.sha256")
    ('checksum list, not a document', 'checksum list, not a document')
    >>> stray_reason("scan.pdf.crdownload")
    'unfinished download or save (a temporary file), not a document'
    >>> stray_reason("hotarare.pdf") is None, stray_reason("thumbs.db.pdf") is None
    (True, True)
    """
    lowered = name.lower()
    for pattern, why in _STRAY:
        if pattern.fullmatch(lowered):
            return why
    return None


def paths_from_stream(data: bytes, null: bool = False) -> list[Path]:
    r"""The paths in ``data`` (standard input), one per line, or NUL-separated with ``null`` (``find -print0``).

    Bytes that are not UTF-8 are kept as they are (names from old shares);
    empty entries are left out. A line's end is ``\n``: with ``\r\n`` ends,
    or names that hold a newline, use ``null``.

    >>> paths_from_stream(b"a.pdf\ndosar/b c.tif\n\n")
    [PosixPath('a.pdf'), PosixPath('dosar/b c.tif')]
    >>> paths_from_stream(b"a\nb.pdf\x00c.pdf\x00", null=True)
    [PosixPath('a\nb.pdf'), PosixPath('c.pdf')]
    """
    parts = data.split(b"\0" if null else b"\n")
    return [Path(os.fsdecode(part)) for part in parts if part]


def _matches(relative: PurePosixPath, pattern: str) -> bool:
    """Whether a path below a walked folder matches a glob pattern (see :class:`Selection`).

    >>> _matches(PurePosixPath("2021/Scan.PDF"), "*.pdf"), _matches(PurePosixPath("2021/a.pdf"), "2021/*")
    (True, True)
    >>> _matches(PurePosixPath("2022/2021/a.pdf"), "2021/*")
    False
    """
    pattern = pattern.lower().strip("/")
    text = relative.as_posix().lower()
    if "/" in pattern:
        return fnmatch.fnmatchcase(text, pattern)
    return fnmatch.fnmatchcase(relative.name.lower(), pattern)


def _below(path: Path, folder: Path) -> PurePosixPath:
    """``path`` relative to the ``folder`` being walked, as a POSIX path."""
    return PurePosixPath(*path.relative_to(folder).parts)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _os_reason(err: OSError) -> str:
    return (err.strerror or str(err)).lower()
