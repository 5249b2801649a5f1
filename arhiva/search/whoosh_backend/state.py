"""The index's record of itself, ``arhiva-index.json``: its schema version, the
identity of its build, the last journal entry of the archive whose changes it
holds, and the checksum of Whoosh's table of contents as last committed."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from arhiva.errors import ArchiveError
from arhiva.search.whoosh_backend import private

#: Bump when the schema or an analyzer changes: old indexes must be rebuilt.
SCHEMA_VERSION = 14  # 7: free tags (``tags``); 8: a stem's oa/o alternation undone (``rapoarte``/``raport``); 9: figures joined across a spaced slash (``1023 / 21.03.2018``); 10: a number joined to its date by a dot (``3242.23.02.2018``); 11: words run together also indexed apart (``convocareaîn``); 12: a date with its month in words also indexed as one in digits (``26 iunie 2007``); 13: a name's initials (``DJEP``); 14: a registration number of several parts by its year (``277.855/305/2019``), thousands as written; a line in capitals ends a name's initials
#: The index's record of itself (see :class:`IndexState`).
STATE_FILE = "arhiva-index.json"


@dataclass(frozen=True)
class IndexState:
    """What an index records of itself in ``arhiva-index.json``."""

    schema_version: int | None = None
    #: A new value for every index built: a rebuilt index swapped in has another.
    build: str | None = None
    #: The last journal entry (``seq``, ``hash``) whose changes the index holds;
    #: None when not recorded (an index made before it was).
    applied: tuple[int, str] | None = None
    #: Whoosh's table of contents as last committed: its file name and SHA-256.
    #: It is a pickle, read at every open: a flipped bit in it could make
    #: unpickling take minutes, or fail with MemoryError.
    toc: tuple[str, str] | None = None

    def to_json(self) -> dict:
        journal = {"seq": self.applied[0], "hash": self.applied[1]} if self.applied else None
        toc = {"file": self.toc[0], "sha256": self.toc[1]} if self.toc else None
        return {"schema_version": self.schema_version, "build": self.build, "journal": journal, "toc": toc}


def read_state(folder: Path) -> IndexState:
    """The index's record of itself; empty fields for what it lacks or cannot be read."""
    try:
        data = json.loads((folder / STATE_FILE).read_bytes())
    except (OSError, ValueError):
        return IndexState()
    if not isinstance(data, dict):
        return IndexState()
    version, build = data.get("schema_version"), data.get("build")
    return IndexState(version if isinstance(version, int) else None, build if isinstance(build, str) else None,
                      _pair(data.get("journal"), "seq", "hash", int), _pair(data.get("toc"), "file", "sha256", str))


def _pair(value: object, first: str, second: str, kind: type) -> tuple | None:
    if isinstance(value, dict) and isinstance(value.get(first), kind) and isinstance(value.get(second), str):
        return (value[first], value[second])
    return None


def write_state(folder: Path, build: str | None, applied: tuple[int, str] | None) -> None:
    """Replace the index's record whole, once everything it describes is on disk.

    The index's files are synced first, so that after a power cut the record
    never claims a journal entry whose changes the index lost: the index may
    be behind, never ahead.
    """
    for entry in os.scandir(folder):
        if entry.is_file(follow_symlinks=False) and not entry.name.startswith(STATE_FILE):
            try:
                fsync(entry.path)
            except FileNotFoundError:  # an old segment or table of contents, removed by Whoosh
                pass
    toc = private.latest_toc(folder)
    state = IndexState(SCHEMA_VERSION, build, applied, (toc.name, _sha256(toc)) if toc else None)
    tmp = folder / f"{STATE_FILE}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as handle:
            handle.write((json.dumps(state.to_json()) + "\n").encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, folder / STATE_FILE)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync(folder)


def check_toc(folder: Path, state: IndexState) -> None:
    """Report a table of contents that is not the one last committed (when it should be)."""
    toc = private.latest_toc(folder)
    if state.toc is None or toc is None or toc.name != state.toc[0]:
        return  # recorded by an older arhiva, or a commit whose record is not written yet
    try:
        digest = _sha256(toc)
    except OSError:  # replaced by a commit meanwhile
        return
    if digest != state.toc[1]:
        raise ArchiveError(f"the search index {folder} is damaged ({toc.name} does not match the checksum "
                           "recorded at its last commit); run: arhiva reindex")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fsync(path: str | Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
