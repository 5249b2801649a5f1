"""A watched folder: documents put into it (by a scanner, a copy, a shared drive) are ingested as they arrive.

A file is taken only once it is complete: its size and modification time
have not changed for ``settle`` seconds, and no process holds it open for
writing (:func:`writers`, on Linux) or holds a write lock on it
(:func:`write_locked`). It is then ingested alone, through
:func:`arhiva.pipeline.ingest`, and moved to ``done/`` (archived, or already
in the archive) or to ``failed/`` with a reason file beside it; no name there
is ever overwritten. Stray files (:func:`arhiva.files.stray_reason`) are left
where they are, with one note each.

The file being ingested is written down first in the folder's journal
(``.arhiva-watch/in-flight.json``): a watcher stopped before it moved the file
takes it again at its next start. The archive keeps each SHA-256 once, so a
file archived just before the stop is found there, and reported as archived
before the stop, never stored twice.

New files are noticed through watchdog: inotify on Linux, or polling every
``poll`` seconds (network shares, where inotify sees only this machine's own
writes); the whole folder is also scanned at the start and every
:data:`RESCAN` seconds, for anything an event missed.
"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import stat
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import count
from pathlib import Path, PurePosixPath

from arhiva import __version__
from arhiva.archive.atomic import rename_new
from arhiva.errors import InputError
from arhiva.files import EVERYTHING, SYSTEM_FOLDERS, Selection, display_path, stray_reason

log = logging.getLogger(__name__)

#: The folders, inside the watched one, for files archived and files refused.
DONE, FAILED = "done", "failed"
#: The watcher's own hidden folder inside the watched one: its lock and its journal.
STATE = ".arhiva-watch"
#: Seconds a file's size and time must stay unchanged before it is taken.
SETTLE = 5.0
#: Seconds between looks at the files waiting to settle.
TICK = 0.5
#: Seconds between whole scans of the folder (for events missed).
RESCAN = 60.0
#: Beside each file in failed/: why, in plain language.
REASON_SUFFIX = ".reason.txt"

#: What happened to a file (besides the pipeline's ingested, duplicate, failed, skipped).
RESUMED, GONE, STUCK = "resumed", "gone", "stuck"


class WatchFolderError(InputError):
    """The watched folder cannot be used: not writable, or watched by another process."""


@dataclass
class Handled:
    """One file the watcher dealt with, for the log (one line, or one JSON object)."""

    path: str
    status: str
    doc_id: str | None = None
    pages: int = 0
    moved_to: str | None = None
    reason: str | None = None
    seconds: float | None = None
    warnings: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One line for the log.

        >>> Handled("scan.pdf", "ingested", "3fa2c1d4e5f6aa", 2, "done/scan.pdf", seconds=3.21).line()
        'ingested   3fa2c1d4e5f6  scan.pdf (2 pages, 3.2 s) -> done/scan.pdf'
        >>> Handled("a.pdf", "failed", moved_to="failed/a.pdf", reason="empty file").line()
        'failed     a.pdf: empty file -> failed/a.pdf (why: failed/a.pdf.reason.txt)'
        """
        took = f", {self.seconds:.1f} s" if self.seconds is not None else ""
        moved = f" -> {self.moved_to}" if self.moved_to else ""
        if self.status in ("ingested", RESUMED):
            pages = f"{self.pages} page{'s' if self.pages != 1 else ''}"
            text = f"{self.doc_id[:12]}  {self.path} ({pages}{took}){moved}"
            if self.status == RESUMED:
                text += " (archived before the watcher stopped)"
        elif self.status == "duplicate":
            text = f"{self.doc_id[:12]}  {self.path}: already in the archive{moved}"
        elif self.status == "failed" and self.moved_to:
            text = f"{self.path}: {self.reason}{moved} (why: {self.moved_to}{REASON_SUFFIX})"
        else:
            text = f"{self.path}: {self.reason}"
        if self.warnings:
            text += f"; warnings: {'; '.join(self.warnings)}"
        label = "ingested" if self.status == RESUMED else self.status
        return f"{label:<10} {text}"

    def to_json(self) -> dict:
        data = {"event": "file", "path": self.path, "status": "ingested" if self.status == RESUMED else self.status,
                "id": self.doc_id, "pages": self.pages, "moved_to": self.moved_to}
        if self.status == RESUMED:
            data["resumed"] = True
        if self.reason is not None:
            data["reason"] = self.reason
        if self.seconds is not None:
            data["seconds"] = round(self.seconds, 2)
        if self.warnings:
            data["warnings"] = self.warnings
        return data


@dataclass
class WatchSummary:
    """How a watch ended: counts by status, and why it stopped."""

    counts: dict[str, int]
    #: The signal that stopped it (SIGINT, SIGTERM), or None.
    stopped_by: str | None = None
    #: An archive problem that stopped it (a full disk), in one line, or None.
    problem: str | None = None


# -- is a file complete? -------------------------------------------------------

def writers(path: Path, proc: Path = Path("/proc")) -> list[int] | None:
    """The processes that hold ``path`` open for writing, from ``/proc`` (Linux); None where it cannot be known.

    Only the processes this user may look into are seen (all of them as root);
    a writer on another machine (a network share) is never seen.
    """
    if not (proc / "self" / "fdinfo").is_dir():
        return None
    try:
        wanted = os.stat(path)
    except OSError:
        return []
    real, name = os.path.realpath(path), os.path.basename(path)
    found = []
    for pid in os.listdir(proc):
        if not pid.isdigit():
            continue
        fds = proc / pid / "fd"
        try:
            entries = os.listdir(fds)
        except OSError:  # gone, or another user's
            continue
        for fd in entries:
            try:
                link = os.readlink(fds / fd)
                if link != real and not (os.path.basename(link) == name and _same(os.stat(fds / fd), wanted)):
                    continue
                if _opened_for_writing((proc / pid / "fdinfo" / fd).read_text()):
                    found.append(int(pid))
                    break
            except OSError:
                continue
    return found


def _same(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _opened_for_writing(fdinfo: str) -> bool:
    """Whether an open file's ``/proc/PID/fdinfo/FD`` says it is open for writing.

    >>> _opened_for_writing("pos:\\t0\\nflags:\\t0100001\\nmnt_id:\\t25\\n")  # O_WRONLY
    True
    >>> _opened_for_writing("pos:\\t0\\nflags:\\t0100000\\n")  # O_RDONLY
    False
    """
    for line in fdinfo.splitlines():
        if line.startswith("flags:"):
            return int(line.split()[1], 8) & os.O_ACCMODE in (os.O_WRONLY, os.O_RDWR)
    return False


def write_locked(path: Path) -> bool:
    """Whether another process holds a POSIX write lock on part of ``path`` (any POSIX system).

    Samba takes such locks for the Windows clients that lock what they write.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    try:
        fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        fcntl.lockf(fd, fcntl.LOCK_UN)
        return False
    except OSError as err:
        return err.errno in (errno.EAGAIN, errno.EACCES)
    finally:
        os.close(fd)


@dataclass
class _Seen:
    """A file waiting to settle: its size and time, and since when they have not changed."""

    signature: tuple[int, int] | None = None
    since: float = 0.0


# -- moving a file aside without overwriting ----------------------------------

def move_aside(path: Path, folder: Path, relative: PurePosixPath, keep_free: str = "") -> Path:
    """Move ``path`` to ``folder/relative``, or to ``name (1).ext``, ``name (2).ext``... if taken: never overwrite.

    ``keep_free``: a suffix whose file must not exist either (the reason file beside a failure).
    """
    target = folder.joinpath(*relative.parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    for candidate in _candidates(target):  # endless: some name is free
        if keep_free and os.path.lexists(f"{candidate}{keep_free}"):
            continue
        try:
            rename_new(path, candidate)
            return candidate
        except FileExistsError:
            continue
    raise AssertionError("unreachable")


def _candidates(target: Path) -> Iterator[Path]:
    """``target``, then the same name numbered.

    >>> [p.name for p, _ in zip(_candidates(Path("done/scan.pdf")), range(3))]
    ['scan.pdf', 'scan (1).pdf', 'scan (2).pdf']
    """
    yield target
    for number in count(1):
        yield target.with_name(f"{target.stem} ({number}){target.suffix}")


def reason_text(name: str, reason: str, details: dict[str, str]) -> str:
    """The reason file beside a file in failed/: one line in plain language, then the details.

    >>> print(reason_text("scan.pdf", "empty file", {"size": "0 bytes"}), end="")
    scan.pdf was not ingested: empty file
    <BLANKLINE>
    size: 0 bytes
    To try again once the cause is fixed, move the file back into the watched folder.
    """
    lines = [f"{name} was not ingested: {reason}", ""]
    lines += [f"{key}: {value}" for key, value in details.items()]
    lines.append("To try again once the cause is fixed, move the file back into the watched folder.")
    return "\n".join(lines) + "\n"


class Journal:
    """The file being ingested, written down before and cleared after: ``STATE/in-flight.json``."""

    def __init__(self, state: Path) -> None:
        self.file = state / "in-flight.json"

    def read(self) -> PurePosixPath | None:
        try:
            return PurePosixPath(os.fsdecode(bytes.fromhex(json.loads(self.file.read_text("utf-8"))["path_hex"])))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("unreadable journal %s: ignored", self.file)
            return None

    def write(self, relative: PurePosixPath) -> None:
        data = {"path": display_path(str(relative)), "path_hex": os.fsencode(str(relative)).hex(),
                "since": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        staged = self.file.with_suffix(".tmp")
        with open(staged, "w", encoding="utf-8") as out:
            json.dump(data, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(staged, self.file)

    def clear(self) -> None:
        try:
            self.file.unlink()
        except FileNotFoundError:
            pass


class Watcher:
    """Watches ``folder`` and hands each complete file to ``ingest`` (a one-file :func:`arhiva.pipeline.ingest`).

    ``on_file`` is told of each file handled, ``on_note`` of anything else to
    say (in one line). :meth:`request_stop` (safe in a signal handler) stops it
    after the current file; :meth:`run` returns then.
    """

    def __init__(self, folder: Path, ingest: Callable[[Path], object], settle: float = SETTLE,
                 poll: float | None = None, selection: Selection = EVERYTHING, archive: Path | None = None,
                 follow_symlinks: bool = False, on_file: Callable[[Handled], None] | None = None, on_note: Callable[[str], None] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.folder = Path(os.path.abspath(folder))
        self.ingest = ingest
        self.settle, self.poll, self.selection = settle, poll, selection
        self.archive = Path(os.path.realpath(archive)) if archive is not None else None
        self.follow_symlinks = follow_symlinks
        self.on_file = on_file or (lambda handled: None)
        self.on_note = on_note or (lambda note: None)
        self.clock = clock
        self.state = self.folder / STATE
        self.journal = Journal(self.state)
        self.pending: dict[Path, _Seen] = {}
        self.noted: set[Path] = set()
        self.stuck: dict[Path, tuple[int, int]] = {}
        self.events: deque[tuple[str, bool]] = deque()  # filled by watchdog's thread
        self.wake = threading.Event()
        self.counts: dict[str, int] = {}
        self.stop_reason: str | None = None
        self.problem: str | None = None
        self.resume: PurePosixPath | None = None
        self.mode = f"polling every {poll:g} s" if poll else "inotify"
        self._next_scan = 0.0

    def request_stop(self, why: str) -> None:
        """Stop after the file being ingested (``why``: what asked, e.g. SIGTERM). Only sets a flag."""
        self.stop_reason = why

    # -- the loop ---------------------------------------------------------------

    def run(self) -> WatchSummary:
        """Watch until :meth:`request_stop` or an archive problem; raises WatchFolderError if the folder is unusable."""
        lock = self._take_folder()
        try:
            self.resume = self.journal.read()
            if self.resume is not None:
                path = self.folder.joinpath(*self.resume.parts)
                if os.path.lexists(path):
                    self.on_note(f"{display_path(self.resume)} was being ingested when the watcher stopped: "
                                 "taking it again")
                    self.pending[path] = _Seen()
                else:
                    self.journal.clear()
            observer = self._start_observer()
            try:
                while self.stop_reason is None and self.problem is None:
                    self._take_events()
                    if self.clock() >= self._next_scan:
                        self._scan(self.folder)
                        self._next_scan = self.clock() + RESCAN
                    ready = self._next_ready()
                    if ready is not None:
                        self._handle(ready)
                        continue
                    self.wake.wait(TICK)
                    self.wake.clear()
            finally:
                observer.stop()
                observer.join(timeout=5)
        finally:
            os.close(lock)
        return WatchSummary(dict(self.counts), self.stop_reason, self.problem)

    def _take_folder(self) -> int:
        """Make done/, failed/ and the watcher's own folder, and lock it: one watcher per folder."""
        if self.archive is not None and _inside(Path(os.path.realpath(self.folder)), self.archive):
            raise WatchFolderError(f"{self.folder} is inside the archive {self.archive}: watch another folder")
        try:
            for name in (DONE, FAILED, STATE):
                (self.folder / name).mkdir(exist_ok=True)
            lock = os.open(self.state / "lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as err:
            raise WatchFolderError(f"cannot use {self.folder} as a watched folder: "
                                   f"{(err.strerror or str(err)).lower()} (files are moved to done/ and failed/ "
                                   "inside it, so it must be writable)") from err
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            os.close(lock)
            raise WatchFolderError(f"another arhiva watch is already watching {self.folder}") from err
        return lock

    def _start_observer(self):
        """Start watchdog: inotify, or with ``poll`` (or when inotify fails) a polling observer that
        lists the folder every ``poll`` seconds, without done/, failed/ and the folders not watched."""
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserverVFS

        watcher = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event) -> None:
                if event.event_type in ("opened", "closed_no_write", "deleted"):
                    return
                if event.is_directory and event.event_type not in ("created", "moved"):
                    return  # a folder modified: its files have events of their own
                for path in (event.src_path, getattr(event, "dest_path", "")):
                    if path:
                        watcher.events.append((os.fsdecode(path), event.is_directory))
                watcher.wake.set()

        def started(observer):
            observer.schedule(Handler(), str(self.folder), recursive=True)
            observer.start()
            return observer

        if not self.poll:
            try:
                return started(Observer())
            except OSError as err:  # e.g. the system's limit of inotify watches reached
                self.poll = SETTLE
                self.on_note(f"inotify cannot watch {self.folder} ({(err.strerror or str(err)).lower()}): "
                             f"polling every {self.poll:g} s instead")
        self.mode = f"polling every {self.poll:g} s"
        return started(PollingObserverVFS(os.stat, self._listdir, polling_interval=self.poll))

    def _listdir(self, folder: str) -> list[os.DirEntry]:
        """A folder's entries for the polling observer, less the folders the watcher does not watch."""
        with os.scandir(folder) as entries:
            return [entry for entry in entries
                    if not entry.is_dir(follow_symlinks=False) or self._wanted(Path(entry.path), folder=True)]

    def _take_events(self) -> None:
        while self.events:
            name, is_directory = self.events.popleft()
            path = Path(name)
            if is_directory or path.is_dir():
                if self._wanted(path, folder=True):
                    self._scan(path)
            else:
                self._consider(path)

    def _scan(self, top: Path) -> None:
        """Consider every file under ``top``."""
        for folder, dirs, names in os.walk(top):
            dirs[:] = sorted(d for d in dirs if self._wanted(Path(folder) / d, folder=True))
            for name in sorted(names):
                self._consider(Path(folder) / name)

    def _wanted(self, path: Path, folder: bool = False) -> bool:
        """Whether ``path`` is the watcher's to take: inside the folder, not in done/, failed/, hidden
        or system folders, nor the archive, and chosen by the selection."""
        try:
            relative = path.relative_to(self.folder)
        except ValueError:
            return False
        parts = relative.parts
        if not parts or parts[0] in (DONE, FAILED) or any(p.startswith(".") for p in parts):
            return False
        if folder and parts[-1].lower() in SYSTEM_FOLDERS:
            return False
        if self.archive is not None and _inside(Path(os.path.realpath(path)), self.archive):
            return False
        return self.selection.reason(PurePosixPath(*parts), folder=folder) is None

    def _consider(self, path: Path) -> None:
        if path in self.pending or not self._wanted(path):
            return
        stray = stray_reason(path.name)
        if stray is None and path.is_symlink() and not self.follow_symlinks:
            stray = "symbolic link, not followed in a watched folder (--follow-symlinks follows it)"
        if stray:
            if path not in self.noted and os.path.lexists(path):
                self.noted.add(path)
                self._tell(Handled(self._name(path), "skipped", reason=f"{stray}; left in place"))
            return
        if os.path.isfile(path):
            self.pending[path] = _Seen()

    def _next_ready(self) -> Path | None:
        """The first waiting file that is complete; files gone are forgotten."""
        now = self.clock()
        for path, seen in list(self.pending.items()):
            try:
                info = os.stat(path)
            except OSError:
                del self.pending[path]
                continue
            if not stat.S_ISREG(info.st_mode):
                del self.pending[path]
                continue
            signature = (info.st_size, info.st_mtime_ns)
            if self.stuck.get(path) == signature:
                del self.pending[path]
                continue
            if signature != seen.signature:
                seen.signature, seen.since = signature, now
                continue
            if now - seen.since < self.settle:
                continue
            busy = writers(path) or write_locked(path)
            if busy:  # looked at again after another settle time: reading /proc is not free
                log.debug("%s is open for writing by %s: waiting", path, busy)
                seen.since = now
                continue
            return path
        return None

    # -- one file ---------------------------------------------------------------

    def _handle(self, path: Path) -> None:
        from arhiva.pipeline import DUPLICATE, INGESTED, SKIPPED

        seen = self.pending.pop(path)
        relative = PurePosixPath(*path.relative_to(self.folder).parts)
        name = self._name(path)
        self.journal.write(relative)
        started = self.clock()
        report = self.ingest(path)
        seconds = self.clock() - started
        if report.stopped:  # a full or read-only archive disk: the file stays, for the next start
            self.problem = report.stopped
            return
        outcome = report.outcomes[0] if report.outcomes else None
        status = outcome.status if outcome else GONE  # found nothing: it went away just before
        warnings = list(outcome.warnings) if outcome else []
        warnings += [note for note in (report.index_problem, report.index_note) if note]
        handled = Handled(name, status, outcome.doc_id if outcome else None, outcome.pages if outcome else 0,
                          reason=outcome.reason if outcome else "gone before it could be read", seconds=seconds,
                          warnings=warnings)
        if status == SKIPPED:
            handled.reason = f"{handled.reason}; left in place"
            self.noted.add(path)
        elif not os.path.lexists(path):
            handled.status, handled.reason = GONE, "the file was moved away or deleted while it was ingested"
        else:
            self._move(path, relative, handled, seen, status in (INGESTED, DUPLICATE))
        self.journal.clear()
        if handled.status == DUPLICATE and relative == self.resume:
            handled.status = RESUMED
        self.resume = None if relative == self.resume else self.resume
        self._tell(handled)

    def _move(self, path: Path, relative: PurePosixPath, handled: Handled, seen: _Seen, archived: bool) -> None:
        """Move a file handled to done/ or failed/ (with its reason file); if it cannot be, leave it, once."""
        where = DONE if archived else FAILED
        try:
            moved = move_aside(path, self.folder / where, relative, keep_free="" if archived else REASON_SUFFIX)
        except OSError as err:
            self.stuck[path] = seen.signature
            what = "archived" if archived else "not ingested"
            handled.status = STUCK
            handled.reason = (f"{what} ({handled.reason or 'see the archive'}), but it cannot be moved to {where}/: "
                              f"{(err.strerror or str(err)).lower()}; left in place")
            return
        handled.moved_to = display_path(moved.relative_to(self.folder).as_posix())
        if archived:
            return
        details = {"file": display_path(str(moved)), "moved from": display_path(str(path)),
                   "size": f"{seen.signature[0] if seen.signature else '?'} bytes",
                   "SHA-256": handled.doc_id or "-",
                   "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                   "program": f"arhiva {__version__}"}
        try:
            with open(f"{moved}{REASON_SUFFIX}", "x", encoding="utf-8") as out:
                out.write(reason_text(display_path(moved.name), handled.reason or "unknown", details))
        except OSError as err:
            handled.warnings.append(f"the reason file could not be written: {(err.strerror or str(err)).lower()}")

    def _name(self, path: Path) -> str:
        return display_path(path.relative_to(self.folder).as_posix())

    def _tell(self, handled: Handled) -> None:
        status = "ingested" if handled.status == RESUMED else handled.status
        self.counts[status] = self.counts.get(status, 0) + 1
        self.on_file(handled)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents
