"""The archive: a folder a person can read without the tool.

::

    ARCHIVE/
      arhiva.json                    what this folder is, and its format version
      journal.jsonl                  every change, in order, as a hash chain (see journal.py)
      archive.lock                   held (flock) by whoever changes the archive
      documents/ab/ab12…/            one folder per document, named by the SHA-256 of its original
        original.pdf                 the untouched original bytes
        pages/0001.txt …             the raw extracted text of each page
        text.txt                     the cleaned text, pages separated by form feeds
        changes.json                 what the clean-up changed, fixer by fixer
        manifest.json                where it came from, how it was read, checksums of all the above
        metadata.json                the extracted metadata (replaced by re-extraction)
        corrections.jsonl            hand corrections and tags, one line each, appended
        withdrawn.json               only while the document is withdrawn: when and why
      index/                         the search index: derived, rebuilt by `arhiva reindex`
      catalog.json                   the list cache: derived, what `arhiva list` shows of each document
      staging/                       documents being written; never visible as documents

A document is written whole into ``staging/`` and then renamed into
``documents/`` in one step, so an interrupted ingest never leaves half a
document behind. Stored files are read-only.

Every change to ``documents/`` happens under the archive lock and is
recorded in the journal. A change is announced first in ``journal.intent``
(what it will do, and its journal entry), then done, then journaled; a
process that finds an intent left by a dead one completes the journal entry
if the change is durable, or undoes the change's partial part if it is not.
Reading never follows a symbolic link inside the archive.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from arhiva.archive.document import (
    CHANGES_FILE, MANIFEST_FILE, METADATA_FILE, ORIGINAL_STEM, PAGES_FOLDER, TEXT_FILE, Manifest, NewRecord,
    extraction_record, new_manifest, page_file,
)
from arhiva.archive.atomic import DIR_MODE, FILE_MODE, fsync_dir, rename_new, write_bytes, write_new
from arhiva.archive.journal import GENESIS, JOURNAL_FILE, Head, Journal, canonical, encode, make_entry
from arhiva.archive.locks import FileLock
from arhiva.errors import ArchiveError, DocumentGoneError, NotFoundError

log = logging.getLogger(__name__)

#: 1: no journal; 2: journal, corrections log, archive lock.
FORMAT_VERSION = 2
MARKER = "arhiva.json"
MIN_PREFIX = 4
CORRECTIONS_FILE = "corrections.jsonl"
#: Hand corrections as format 1 kept them; read, never written.
LEGACY_CORRECTIONS_FILE = "corrections.json"
#: A withdrawn document's tombstone: when and why it was taken out of search and lists.
WITHDRAWN_FILE = "withdrawn.json"
#: Files beside the record in a document folder, outside its manifest's checksums.
ANNOTATIONS = (METADATA_FILE, CORRECTIONS_FILE, LEGACY_CORRECTIONS_FILE, WITHDRAWN_FILE)
#: The list cache (derived: see arhiva.archive.catalog_cache).
CATALOG_CACHE_FILE = "catalog.json"
INTENT_FILE = "journal.intent"
LOCK_FILE = "archive.lock"
INDEX_LOCK_FILE = "index.lock"
#: Everything arhiva may keep at the top of an archive.
ROOT_ENTRIES = frozenset({MARKER, JOURNAL_FILE, INTENT_FILE, LOCK_FILE, INDEX_LOCK_FILE, CATALOG_CACHE_FILE,
                          "documents", "staging", "index", "index.new", "index.old"})

#: File name extension of the stored original, by media type.
EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/tiff": ".tif",
    "image/bmp": ".bmp",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/jp2": ".jp2",
    "image/jpx": ".jpx",
    "image/j2c": ".j2c",
    "text/plain": ".txt",
}

_HEX = re.compile(r"[0-9a-f]+")
_DOC_ID = re.compile(r"[0-9a-f]{64}")
_CHUNK = 1 << 20
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


class MemberError(ArchiveError):
    """A file of a document's folder that cannot be read as stored: missing, a link, not a file."""

    def __init__(self, doc_id: str, name: str, what: str) -> None:
        self.doc_id, self.name, self.what = doc_id, name, what
        follow = "; arhiva never follows links in the archive" if what == "a symbolic link" else ""
        super().__init__(f"{doc_id[:12]}: {name} is {what}{follow} (run: arhiva verify)")

    @property
    def problem(self) -> str:
        """The problem alone, as ``verify`` lists it."""
        return f"{self.doc_id[:12]}: {self.name} is {self.what}"


@dataclass(frozen=True)
class Staged:
    """An original copied into staging, with its checksum; not yet in the archive."""

    doc_id: str
    folder: Path
    size: int

    @property
    def original(self) -> Path:
        return self.folder / ORIGINAL_STEM


@dataclass(frozen=True)
class NewDocument:
    """Everything the archive stores for a document, besides the original."""

    media_type: str
    raw_pages: list[str]
    text: str
    changes: list[dict]  # the clean-up's log, written to changes.json
    record: NewRecord  # what the manifest says besides the files
    metadata: dict | None = None  # the extracted metadata: metadata.json, outside the checksummed record
    derived: tuple[tuple[str, bytes], ...] = ()  # (name, bytes) of derived files: the searchable copy and its word boxes


class Archive:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.documents = root / "documents"
        self.staging = root / "staging"
        self.index_dir = root / "index"
        self.journal = Journal(root / JOURNAL_FILE)
        self.lock = FileLock(root / LOCK_FILE, "the archive")
        #: Held by whoever writes to the search index, so that `reindex` never swaps it under a writer.
        self.index_lock = FileLock(root / INDEX_LOCK_FILE, "the search index")
        self.format = FORMAT_VERSION

    # -- opening -------------------------------------------------------------

    @classmethod
    def open(cls, root: Path, create: bool = False) -> Archive:
        """Open the archive at ``root``; with ``create``, make it if it does not exist.

        An archive of format 1 gets its journal here (each document adopted
        as it is); one that cannot be written to is read as it is.
        """
        root = root.expanduser()
        marker = root / MARKER
        if not os.path.lexists(marker):
            if not create:
                raise ArchiveError(
                    f"no archive at {root}: ingest something first, or pass --archive DIR"
                )
            if root.exists() and any(root.iterdir()):
                raise ArchiveError(f"{root} is not empty and not an arhiva archive; choose another folder")
            root.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
            info = {"format": "arhiva", "version": FORMAT_VERSION, "created": now_iso()}
            write_bytes(marker, _json_bytes(info), mode=0o644)
        archive = cls(root)
        archive._check_marker()
        for folder in (archive.documents, archive.staging):
            folder.mkdir(exist_ok=True, mode=DIR_MODE)
        archive._settle()
        return archive

    @staticmethod
    def exists(root: Path) -> bool:
        """Whether there is an archive at ``root`` (without opening or creating it)."""
        return os.path.lexists(root.expanduser() / MARKER)

    def remove_if_unused(self, created: Path | None = None) -> bool:
        """Remove this archive if it holds no document and its journal no entry: a new
        archive that an ingest made, then archived nothing in. Only arhiva's own entries
        are removed; then the folders ``created`` for it (the archive's folder up to
        ``created``), each only if it is empty. Returns whether the archive is gone.
        """
        journal = self.root / JOURNAL_FILE
        if next(self.ids(), None) is not None or (os.path.lexists(journal) and os.path.getsize(journal) > 0):
            return False
        if os.path.lexists(self.root / INTENT_FILE) or next(iter(_subdirs(self.staging)), None) is not None:
            return False  # another process is writing a document into it
        for name in (MARKER, *sorted(ROOT_ENTRIES - {MARKER})):  # the marker first: no longer an archive
            path = self.root / name
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path, ignore_errors=True)
            elif os.path.lexists(path):
                path.unlink(missing_ok=True)
        if created is not None:
            folder = self.root.expanduser()
            while True:
                try:
                    folder.rmdir()
                except OSError:
                    break
                if folder == created or folder.parent == folder:
                    break
                folder = folder.parent
        return True

    def _check_marker(self) -> None:
        info = self._marker()
        if info.get("format") != "arhiva":
            raise ArchiveError(f"{self.root} is not an arhiva archive")
        version = int(info.get("version", 0))
        if version > FORMAT_VERSION:
            raise ArchiveError(
                f"the archive at {self.root} has format {info.get('version')}, newer than this arhiva"
                " understands; upgrade arhiva"
            )
        self.format = version

    def _marker(self) -> dict:
        try:
            return json.loads(_read_nofollow(self.root / MARKER))
        except (OSError, ValueError) as err:
            raise ArchiveError(f"{self.root / MARKER} is unreadable: {err}") from err

    def _settle(self) -> None:
        """Finish what a dead process left half done; give a format-1 archive its journal."""
        if self.format >= FORMAT_VERSION and not os.path.lexists(self.root / INTENT_FILE):
            return
        try:
            with self.locked():
                if self.format < FORMAT_VERSION:
                    self._adopt_all()
        except (OSError, ArchiveError) as err:
            # A read-only archive is still read; `verify` says what could not be done.
            log.warning("could not bring the archive up to date: %s", err)

    # -- locking and recovery ------------------------------------------------

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the archive lock (waiting a bounded time); on first taking it, recover."""
        first = not self.lock.held
        with self.lock:
            if first:
                self._recover()
            yield

    def _recover(self) -> None:
        """Complete or undo the change announced in ``journal.intent`` by a process that died."""
        path = self.root / INTENT_FILE
        try:
            intent = json.loads(_read_nofollow(path))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as err:
            raise ArchiveError(f"{path} is unreadable ({err}); run: arhiva verify") from err
        entry = intent["entry"]
        self.journal.drop_torn_tail()
        head = self.journal.head()
        if head.seq >= entry["seq"]:
            if head.seq == entry["seq"] and head.hash != entry["hash"]:
                raise ArchiveError(f"the journal's last entry is not the one {path} announced; run: arhiva verify")
        elif head.seq != entry["seq"] - 1 or head.hash != entry["prev"]:
            raise ArchiveError(f"the journal does not end where {path} expected; run: arhiva verify")
        elif self._durable(intent):
            self.journal.append(entry)
            log.info("completed an interrupted %s of %s", intent["op"], entry["id"][:12])
        else:
            log.info("undid an interrupted %s of %s", intent["op"], entry["id"][:12])
        path.unlink()
        fsync_dir(self.root)

    def _durable(self, intent: dict) -> bool:
        """Whether the announced change reached the disk whole; if not, remove its partial part."""
        entry = intent["entry"]
        folder = self._folder(entry["id"])
        if intent["op"] == "commit":
            return not os.path.lexists(self.staging / intent["staging"]) and \
                _sha256_or_none(folder / MANIFEST_FILE) == entry["manifest"]
        if intent["op"] == "extraction":
            return _sha256_or_none(folder / METADATA_FILE) == entry["metadata"]
        if intent["op"] == "derivation":  # the new manifest is in place: move in what it lists, if not yet
            if _sha256_or_none(folder / MANIFEST_FILE) != entry["manifest"]:
                return False
            for name, staged in intent["files"].items():
                if os.path.lexists(self.staging / staged):
                    os.replace(self.staging / staged, folder / name)
            return True
        if intent["op"] == "withdrawal":
            return _sha256_or_none(folder / WITHDRAWN_FILE) == entry["record"]
        if intent["op"] == "restoration":
            return not os.path.lexists(folder / WITHDRAWN_FILE)
        if intent["op"] == "purge":  # the folder is renamed into staging in one step; the sweep removes it
            return not os.path.lexists(folder)
        if intent["op"] == "correction":
            path = folder / CORRECTIONS_FILE
            line = intent["line"].encode("utf-8") + b"\n"
            try:
                data = _read_nofollow(path)
            except FileNotFoundError:
                return False
            if data[intent["size"]:] == line:
                return True
            with _writable(path):
                os.truncate(path, intent["size"])
            return False
        raise ArchiveError(f"{self.root / INTENT_FILE} names an unknown change {intent['op']!r}")

    def _change(self, intent: dict, kind: str, doc_id: str, do, **fields: object) -> dict:
        """Announce, do and journal one change; the caller holds the lock."""
        head = self.journal.head()
        if head.seq == 0 and next(self.ids(), None) is not None:
            raise ArchiveError(f"the journal {self.journal.path} is missing or empty, yet the archive holds "
                               "documents: restore it from a copy before changing anything (run: arhiva verify)")
        entry = make_entry(head, kind, doc_id, now_iso(), **fields)
        path = self.root / INTENT_FILE
        write_bytes(path, _json_bytes({**intent, "entry": entry}), mode=0o644, tmp_dir=self.staging)
        try:
            do()
            self.journal.append(entry)
        except Exception:  # a full disk, say: complete or undo the change now, as the next process would
            self._recover()
            raise
        path.unlink()  # not fsynced: an intent that comes back after a power cut names an entry already journaled
        return entry

    def _adopt_all(self) -> None:
        """Give a format-1 archive its journal: one ``adopt`` entry per document, as it is now."""
        if self.journal.head().seq == 0:
            tmp = self.staging / f"{os.getpid()}.journal.tmp"
            head = Head(0, GENESIS)
            with open(tmp, "wb") as out:
                for doc_id in self.ids():
                    folder = self._folder(doc_id)
                    entry = make_entry(head, "adopt", doc_id, now_iso(),
                                       manifest=_sha256_or_none(folder / MANIFEST_FILE),
                                       metadata=_sha256_or_none(folder / METADATA_FILE),
                                       corrections=_sha256_or_none(folder / LEGACY_CORRECTIONS_FILE))
                    out.write(encode(entry))
                    head = Head(entry["seq"], entry["hash"])
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, self.journal.path)
            fsync_dir(self.root)
        info = {**self._marker(), "version": FORMAT_VERSION, "journal_since": now_iso()}
        write_bytes(self.root / MARKER, _json_bytes(info), mode=0o644)
        self.format = FORMAT_VERSION

    # -- writing -------------------------------------------------------------

    def stage(self, source: Path) -> Staged:
        """Copy ``source`` into staging, hashing it on the way."""
        folder = self.staging / f"{os.getpid()}.{secrets.token_hex(6)}"
        folder.mkdir(mode=0o700)
        digest = hashlib.sha256()
        size = 0
        try:
            fd = os.open(folder / ORIGINAL_STEM, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with open(source, "rb") as src, os.fdopen(fd, "wb") as dst:
                while chunk := src.read(_CHUNK):
                    digest.update(chunk)
                    dst.write(chunk)
                    size += len(chunk)
                dst.flush()
                os.fsync(dst.fileno())
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return Staged(digest.hexdigest(), folder, size)

    def discard(self, staged: Staged) -> None:
        shutil.rmtree(staged.folder, ignore_errors=True)

    def commit(self, staged: Staged, doc: NewDocument) -> dict:
        """Write the document's files and manifest, then make it visible in one rename, and journal it.

        Returns the manifest. If the same document appeared meanwhile (another
        ingest won the race), nothing changes and :class:`FileExistsError` is raised.
        """
        folder = staged.folder
        files: dict[str, str] = {}
        original_name = ORIGINAL_STEM + EXTENSIONS.get(doc.media_type, "")
        os.rename(staged.original, folder / original_name)
        os.chmod(folder / original_name, FILE_MODE)
        files[original_name] = staged.doc_id
        (folder / PAGES_FOLDER).mkdir(mode=DIR_MODE)
        for number, raw in enumerate(doc.raw_pages, start=1):
            files[page_file(number)] = self._put(folder / page_file(number), raw.encode("utf-8"))
        fsync_dir(folder / PAGES_FOLDER)
        files[TEXT_FILE] = self._put(folder / TEXT_FILE, doc.text.encode("utf-8"))
        files[CHANGES_FILE] = self._put(folder / CHANGES_FILE, _json_bytes(doc.changes))
        for name, data in doc.derived:
            files[name] = self._put(folder / name, data)
        now = now_iso()
        manifest = new_manifest(staged.doc_id, doc.record, now, files)
        manifest_sha = self._put(folder / MANIFEST_FILE, _json_bytes(manifest))
        metadata_sha = None
        if doc.metadata is not None:
            record = extraction_record(doc.metadata, doc.record.extractor, now)
            metadata_sha = self._put(folder / METADATA_FILE, _json_bytes(record))
        os.chmod(folder, DIR_MODE)
        fsync_dir(folder)
        target = self._folder(staged.doc_id)
        with self.locked():
            if os.path.lexists(target):
                raise FileExistsError(staged.doc_id)
            target.parent.mkdir(exist_ok=True, mode=DIR_MODE)

            def rename() -> None:
                rename_new(folder, target)
                fsync_dir(target.parent)

            self._change({"op": "commit", "staging": folder.name}, "commit", staged.doc_id, rename,
                         manifest=manifest_sha, metadata=metadata_sha)
        return Manifest.from_json(staged.doc_id, manifest)

    def replace_metadata(self, doc_id: str, metadata: dict, extractor: str) -> dict:
        """Replace a document's ``metadata.json`` with a new extraction, and journal it."""
        data = _json_bytes(extraction_record(metadata, extractor, now_iso()))
        with self.locked():
            path = self._member_path(doc_id, METADATA_FILE)
            return self._change({"op": "extraction"}, "extraction", doc_id,
                                lambda: write_bytes(path, data, tmp_dir=self.staging),
                                metadata=hashlib.sha256(data).hexdigest())

    def append_correction(self, doc_id: str, at: str, fields: dict, check=None, tags: dict | None = None) -> bytes:
        """Append one correction to the document's ``corrections.jsonl`` and journal it; return its line.

        ``tags``: the free tags it adds and removes (``{"add": […], "remove": […]}``), if any.

        ``check`` is called under the lock, before anything is written (to
        refuse a log that is already damaged).
        """
        with self.locked():
            path = self._member_path(doc_id, CORRECTIONS_FILE)
            if check is not None:
                check()
            try:
                size = os.lstat(path).st_size
            except FileNotFoundError:
                size = 0
            if size:
                with self.open_member(doc_id, CORRECTIONS_FILE) as handle:
                    handle.seek(size - 1)
                    if handle.read(1) != b"\n":
                        raise ArchiveError(f"{doc_id[:12]}: {CORRECTIONS_FILE} ends in an incomplete line; "
                                           "run: arhiva verify")
            seq = self.journal.head().seq + 1
            line = canonical({"seq": seq, "at": at, "fields": fields, **({"tags": tags} if tags else {})})

            def append() -> None:
                created = size == 0 and not os.path.lexists(path)
                with _writable(path, create=created):
                    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
                    try:
                        os.write(fd, line + b"\n")
                        os.fsync(fd)
                    finally:
                        os.close(fd)
                if created:
                    fsync_dir(path.parent)

            self._change({"op": "correction", "size": size, "line": line.decode("utf-8")}, "correction", doc_id,
                         append, record=hashlib.sha256(line).hexdigest())
        return line

    def withdraw(self, doc_id: str, tombstone: dict) -> dict:
        """Write the document's ``withdrawn.json`` (its tombstone: when and why) and journal it.

        Raises :class:`FileExistsError` when the document is withdrawn already.
        """
        data = _json_bytes(tombstone)
        with self.locked():
            path = self._member_path(doc_id, WITHDRAWN_FILE)
            if os.path.lexists(path):
                raise FileExistsError(doc_id)
            return self._change({"op": "withdrawal"}, "withdrawal", doc_id,
                                lambda: write_bytes(path, data, tmp_dir=self.staging),
                                record=hashlib.sha256(data).hexdigest())

    def restore(self, doc_id: str) -> dict:
        """Remove the document's ``withdrawn.json`` and journal it; :class:`FileNotFoundError` if it has none."""
        with self.locked():
            path = self._member_path(doc_id, WITHDRAWN_FILE)
            if not os.path.lexists(path):
                raise FileNotFoundError(doc_id)

            def remove() -> None:
                os.unlink(path)
                fsync_dir(path.parent)

            return self._change({"op": "restoration"}, "restoration", doc_id, remove)

    def purge(self, doc_id: str, tombstone: dict) -> dict:
        """Delete a withdrawn document's folder for good; its journal entry (``purge``) keeps ``tombstone``.

        The folder is renamed into ``staging/`` in one step (journaled), then
        removed; what an interruption leaves there goes with the next sweep.
        """
        with self.locked():
            self._member_path(doc_id, MANIFEST_FILE)
            if not os.path.lexists(self._folder(doc_id) / WITHDRAWN_FILE):
                raise FileNotFoundError(doc_id)
            scratch = self.staging / f"{os.getpid()}.{secrets.token_hex(6)}.purge"
            folder = self._folder(doc_id)

            def remove() -> None:
                os.rename(folder, scratch)
                fsync_dir(folder.parent)
                fsync_dir(self.staging)

            entry = self._change({"op": "purge", "staging": scratch.name}, "purge", doc_id, remove, **tombstone)
            try:
                folder.parent.rmdir()  # the shard's folder, when this was its last document
            except OSError:
                pass
        shutil.rmtree(scratch, ignore_errors=True)
        return entry

    def is_withdrawn(self, doc_id: str) -> bool:
        """Whether the document is withdrawn (it has a ``withdrawn.json``): one ``lstat``."""
        return os.path.lexists(self._folder(doc_id) / WITHDRAWN_FILE)

    def replace_derived(self, doc_id: str, files: dict[str, bytes]) -> Manifest:
        """Replace derived files of a document's record (its searchable copy) and its manifest, and journal it.

        The new files and manifest are written in staging; under the lock the
        manifest is renamed into place first, then the files it lists: a
        process that dies between finds the manifest in place and moves the
        rest (recovery), or finds it not and leaves the document as it was.
        """
        old = self.manifest(doc_id)
        if not set(files) <= set(old.files) - {old.original}:
            raise ArchiveError(f"{doc_id[:12]}: only files the record already lists can be replaced")
        staged: dict[str, str] = {}
        for name, data in files.items():
            staged[name] = f"{os.getpid()}.{secrets.token_hex(6)}.derived"
            write_new(self.staging / staged[name], data)
        manifest = {**old.to_json(), "files": {**old.files, **{n: hashlib.sha256(d).hexdigest() for n, d in files.items()}}}
        data = _json_bytes(manifest)
        try:
            with self.locked():
                folder = self._member_path(doc_id, MANIFEST_FILE).parent

                def replace() -> None:
                    write_bytes(folder / MANIFEST_FILE, data, tmp_dir=self.staging)
                    for name, tmp in staged.items():
                        os.replace(self.staging / tmp, folder / name)
                    fsync_dir(folder)

                self._change({"op": "derivation", "files": staged}, "derivation", doc_id, replace,
                             manifest=hashlib.sha256(data).hexdigest())
        finally:
            for tmp in staged.values():
                if os.path.lexists(self.staging / tmp):
                    os.unlink(self.staging / tmp)
        return Manifest.from_json(doc_id, manifest)

    @staticmethod
    def _put(path: Path, data: bytes) -> str:
        write_new(path, data)
        return hashlib.sha256(data).hexdigest()

    def sweep_staging(self) -> list[str]:
        """Remove what interrupted ingests left in staging; return the names removed."""
        removed = []
        with self.locked():  # recovery first: an intent may name a staging folder
            for entry in sorted(os.scandir(self.staging), key=lambda e: e.name):
                pid = entry.name.split(".", 1)[0]
                if pid.isdigit() and process_alive(int(pid)):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    os.unlink(entry.path)
                removed.append(entry.name)
        return removed

    # -- reading -------------------------------------------------------------

    def has(self, doc_id: str) -> bool:
        return _is_file(self._folder(doc_id) / MANIFEST_FILE)

    def ids(self) -> Iterator[str]:
        """Every document ID, in order (real folders holding a manifest; never a link)."""
        documents = os.fspath(self.documents)
        for shard in _subdirs(self.documents):
            if len(shard) == 2:
                folder = os.path.join(documents, shard)
                for name in _subdirs(folder):  # plain strings: pathlib costs more than the lstat, at 100,000
                    if _DOC_ID.fullmatch(name) and name.startswith(shard) and \
                            _is_file(os.path.join(folder, name, MANIFEST_FILE)):
                        yield name

    def resolve(self, prefix: str) -> str:
        """Expand an abbreviated ID (at least 4 hex digits) to the full one."""
        prefix = prefix.strip().lower()
        if len(prefix) < MIN_PREFIX or not _HEX.fullmatch(prefix) or len(prefix) > 64:
            raise NotFoundError(f"{prefix!r} is not a document ID (give at least {MIN_PREFIX} hex digits)")
        shard = self.documents / prefix[:2]
        matches = sorted(
            name for name in _subdirs(shard)
            if name.startswith(prefix) and _DOC_ID.fullmatch(name) and _is_file(shard / name / MANIFEST_FILE)
        )
        if not matches:
            raise NotFoundError(f"no document with ID {prefix}")
        if len(matches) > 1:
            raise NotFoundError(f"ID {prefix} is ambiguous: {', '.join(m[:12] for m in matches)}; give more digits")
        return matches[0]

    def folder(self, doc_id: str) -> Path:
        """The folder of a document, given its full or abbreviated ID."""
        if _DOC_ID.fullmatch(doc_id):
            return self._folder(doc_id)
        return self._folder(self.resolve(doc_id))

    def _folder(self, doc_id: str) -> Path:
        return self.documents / doc_id[:2] / doc_id

    def _member_path(self, doc_id: str, name: str) -> Path:
        """The path of a file in a document's folder, after checking that the folder is a real one."""
        if not _DOC_ID.fullmatch(doc_id):
            raise NotFoundError(f"{doc_id!r} is not a full document ID")
        self.open_member(doc_id, MANIFEST_FILE).close()
        return self._folder(doc_id) / name

    def open_member(self, doc_id: str, name: str, missing_ok: bool = False):
        """Open a file of a document's folder for reading, never following a symbolic link.

        Raises :class:`DocumentGoneError` when the document's folder is gone;
        returns None for a missing file with ``missing_ok``.
        """
        parts = name.split("/")
        if not _DOC_ID.fullmatch(doc_id) or any(p in ("", ".", "..") for p in parts):
            raise MemberError(doc_id, name, "outside the document's folder")
        dirs = ["documents", doc_id[:2], doc_id, *parts[:-1]]
        fd = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            for depth, part in enumerate(dirs):
                try:
                    inner = os.open(part, _DIR_FLAGS, dir_fd=fd)
                except FileNotFoundError:
                    if depth <= 2:
                        raise DocumentGoneError(
                            f"document {doc_id[:12]} is no longer in the archive (its folder is gone); "
                            "run: arhiva verify") from None
                    if missing_ok:
                        return None
                    raise MemberError(doc_id, "/".join(parts[:depth - 2]), "missing") from None
                except OSError as err:
                    where = "/".join(parts[:depth - 2]) if depth > 2 else "/".join(dirs[:depth + 1])
                    raise MemberError(doc_id, where, _odd(err, part, fd)) from err
                os.close(fd)
                fd = inner
            try:
                member = os.open(parts[-1], _FILE_FLAGS, dir_fd=fd)
            except FileNotFoundError:
                if missing_ok:
                    return None
                raise MemberError(doc_id, name, "missing") from None
            except OSError as err:
                raise MemberError(doc_id, name, _odd(err, parts[-1], fd)) from err
        finally:
            os.close(fd)
        if not stat.S_ISREG(os.fstat(member).st_mode):
            os.close(member)
            raise MemberError(doc_id, name, "not a regular file")
        os.set_blocking(member, True)
        return os.fdopen(member, "rb")

    def read_member(self, doc_id: str, name: str, missing_ok: bool = False) -> bytes | None:
        """The bytes of a file of a document's folder (see :meth:`open_member`)."""
        handle = self.open_member(doc_id, name, missing_ok)
        if handle is None:
            return None
        with handle:
            return handle.read()

    def manifest_bytes(self, doc_id: str) -> bytes:
        return self.read_member(doc_id, MANIFEST_FILE)

    def manifest(self, doc_id: str) -> Manifest:
        return Manifest.parse(doc_id, self.manifest_bytes(doc_id))

    def read_file(self, doc_id: str, name: str) -> bytes:
        """Read one of the document's files, by its name in the manifest."""
        if name not in self.manifest(doc_id).files:
            raise NotFoundError(f"document {doc_id[:12]} has no file {name}")
        return self.read_member(doc_id, name)

    def text(self, doc_id: str) -> str:
        """The cleaned text, pages separated by form feeds."""
        return self.read_file(doc_id, TEXT_FILE).decode("utf-8")

    def changes(self, doc_id: str) -> list[dict]:
        """What the clean-up changed (the log of :class:`arhiva.repair.CleanResult`)."""
        try:
            return json.loads(self.read_file(doc_id, CHANGES_FILE))
        except ValueError as err:
            raise ArchiveError(f"{doc_id[:12]}: {CHANGES_FILE} is unreadable: {err}") from err

    def raw_pages(self, doc_id: str) -> list[str]:
        return [self.read_member(doc_id, n).decode("utf-8") for n in self.manifest(doc_id).page_files]

    def original_name(self, doc_id: str) -> str:
        name = self.manifest(doc_id).original
        if name is None:
            raise ArchiveError(f"manifest of {doc_id[:12]} names no original")
        return name

    # -- checking ------------------------------------------------------------

    def check_document(self, doc_id: str) -> list[str]:
        """Problems with one document: its files against its manifest, its manifest and
        annotations against the journal, files it should not hold, links."""
        from arhiva.archive.checks import check_document, expected_state

        if self.format < FORMAT_VERSION:
            return check_document(self, doc_id, None, journal=False)
        try:
            expected = expected_state(self.journal.for_document(doc_id))
        except ArchiveError as err:
            return [f"{doc_id[:12]}: {err}"]
        return check_document(self, doc_id, expected)


def naming(doc_id: str, err: Exception) -> str:
    """A problem as one line that names the document.

    >>> naming("ab" * 32, ValueError("text.txt is missing"))
    'abababababab: text.txt is missing'
    """
    message = err.problem if isinstance(err, MemberError) else str(err)
    return message if doc_id[:12] in message else f"{doc_id[:12]}: {message}"


def sha256_stream(handle) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _sha256_or_none(path: Path) -> str | None:
    try:
        with open(path, "rb", opener=lambda p, f: os.open(p, f | os.O_NOFOLLOW | os.O_CLOEXEC)) as handle:
            return sha256_stream(handle)
    except OSError:
        return None


def _read_nofollow(path: Path) -> bytes:
    with open(path, "rb", opener=lambda p, f: os.open(p, f | os.O_NOFOLLOW | os.O_CLOEXEC)) as handle:
        return handle.read()


@contextmanager
def _writable(path: Path, create: bool = False) -> Iterator[None]:
    """Make a read-only stored file writable for one append or truncation, then read-only again."""
    if not create:
        if not _is_file(path):
            raise ArchiveError(f"{path} is not a regular file; run: arhiva verify")
        os.chmod(path, 0o644)
    try:
        yield
    finally:
        if _is_file(path):
            os.chmod(path, FILE_MODE)


def _subdirs(folder: Path) -> list[str]:
    """Names of the real folders (not links) in ``folder``, sorted; none if it is missing or a link."""
    try:
        fd = os.open(folder, _DIR_FLAGS)
    except OSError:
        return []
    try:
        with os.scandir(fd) as entries:
            return sorted(e.name for e in entries if e.is_dir(follow_symlinks=False))
    finally:
        os.close(fd)


def _is_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _odd(err: OSError, name: str, dir_fd: int) -> str:
    """What is wrong with an entry that could not be opened as expected."""
    try:
        if stat.S_ISLNK(os.lstat(name, dir_fd=dir_fd).st_mode):
            return "a symbolic link"
    except OSError:
        pass
    if err.errno == errno.ENOTDIR:
        return "not a folder"
    return f"unreadable ({err.strerror or err})"


def _json_bytes(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def now_iso() -> str:
    """The current time in UTC, as the archive records it."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def process_alive(pid: int) -> bool:
    """Whether a process with this ID still runs (a staging or scratch folder's owner)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
