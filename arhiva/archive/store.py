"""The archive: a folder a person can read without the tool.

::

    ARCHIVE/
      arhiva.json                    what this folder is, and its format version
      documents/ab/ab12…/            one folder per document, named by the SHA-256 of its original
        original.pdf                 the untouched original bytes
        pages/0001.txt …             the raw extracted text of each page
        text.txt                     the cleaned text, pages separated by form feeds
        changes.json                 what the clean-up changed, fixer by fixer
        manifest.json                where it came from, how it was read, checksums of all the above
      index/                         the search index: derived, rebuilt by `arhiva reindex`
      staging/                       documents being written; never visible as documents

A document is written whole into ``staging/`` and then renamed into
``documents/`` in one step, so an interrupted ingest never leaves half a
document behind. Stored files are read-only.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from arhiva.archive.atomic import DIR_MODE, fsync_dir, write_bytes, write_new
from arhiva.errors import ArchiveError, NotFoundError

FORMAT_VERSION = 1
MANIFEST_VERSION = 1
MARKER = "arhiva.json"
MIN_PREFIX = 4

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
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Staged:
    """An original copied into staging, with its checksum; not yet in the archive."""

    doc_id: str
    folder: Path
    size: int

    @property
    def original(self) -> Path:
        return self.folder / "original"


@dataclass(frozen=True)
class NewDocument:
    """Everything the archive stores for a document, besides the original."""

    media_type: str
    raw_pages: list[str]
    text: str
    changes: list[dict]
    manifest: dict  # source, software, pages, cleanup… (the archive adds id and files)
    metadata: dict | None = None  # written to metadata.json, outside the checksummed record


class Archive:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.documents = root / "documents"
        self.staging = root / "staging"
        self.index_dir = root / "index"

    # -- opening -------------------------------------------------------------

    @classmethod
    def open(cls, root: Path, create: bool = False) -> Archive:
        """Open the archive at ``root``; with ``create``, make it if it does not exist."""
        root = root.expanduser()
        marker = root / MARKER
        if not marker.exists():
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
        return archive

    def _check_marker(self) -> None:
        try:
            info = json.loads((self.root / MARKER).read_text("utf-8"))
        except (OSError, ValueError) as err:
            raise ArchiveError(f"{self.root / MARKER} is unreadable: {err}") from err
        if info.get("format") != "arhiva":
            raise ArchiveError(f"{self.root} is not an arhiva archive")
        if int(info.get("version", 0)) > FORMAT_VERSION:
            raise ArchiveError(
                f"the archive at {self.root} has format {info.get('version')}, newer than this arhiva"
                " understands; upgrade arhiva"
            )

    # -- writing -------------------------------------------------------------

    def stage(self, source: Path) -> Staged:
        """Copy ``source`` into staging, hashing it on the way."""
        folder = self.staging / f"{os.getpid()}.{secrets.token_hex(6)}"
        folder.mkdir(mode=0o700)
        digest = hashlib.sha256()
        size = 0
        try:
            fd = os.open(folder / "original", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
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
        """Write the document's files and manifest, then make it visible in one rename.

        Returns the manifest. If the same document appeared meanwhile (another
        ingest won the race), nothing changes and :class:`FileExistsError` is raised.
        """
        folder = staged.folder
        files: dict[str, str] = {}
        original_name = "original" + EXTENSIONS.get(doc.media_type, "")
        os.rename(staged.original, folder / original_name)
        os.chmod(folder / original_name, 0o444)
        files[original_name] = staged.doc_id
        (folder / "pages").mkdir(mode=DIR_MODE)
        for number, raw in enumerate(doc.raw_pages, start=1):
            files[f"pages/{number:04d}.txt"] = self._put(folder / f"pages/{number:04d}.txt", raw.encode("utf-8"))
        fsync_dir(folder / "pages")
        files["text.txt"] = self._put(folder / "text.txt", doc.text.encode("utf-8"))
        files["changes.json"] = self._put(folder / "changes.json", _json_bytes(doc.changes))
        manifest = {
            "format": "arhiva-manifest",
            "version": MANIFEST_VERSION,
            "id": staged.doc_id,
            **doc.manifest,
            "files": files,
        }
        write_new(folder / "manifest.json", _json_bytes(manifest))
        if doc.metadata is not None:
            write_new(folder / "metadata.json", _json_bytes(doc.metadata))
        os.chmod(folder, DIR_MODE)
        fsync_dir(folder)
        target = self._folder(staged.doc_id)
        target.parent.mkdir(exist_ok=True, mode=DIR_MODE)
        try:
            os.rename(folder, target)
        except OSError as err:
            if target.exists():
                raise FileExistsError(staged.doc_id) from err
            raise
        fsync_dir(target.parent)
        return manifest

    @staticmethod
    def _put(path: Path, data: bytes) -> str:
        write_new(path, data)
        return hashlib.sha256(data).hexdigest()

    def sweep_staging(self) -> list[str]:
        """Remove what interrupted ingests left in staging; return the names removed."""
        removed = []
        for entry in sorted(self.staging.iterdir()):
            pid = entry.name.split(".", 1)[0]
            if pid.isdigit() and _alive(int(pid)):
                continue
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
        return removed

    # -- reading -------------------------------------------------------------

    def has(self, doc_id: str) -> bool:
        return (self._folder(doc_id) / "manifest.json").is_file()

    def ids(self) -> Iterator[str]:
        """Every document ID, in order."""
        if not self.documents.is_dir():
            return
        for shard in sorted(self.documents.iterdir()):
            if shard.is_dir() and len(shard.name) == 2:
                for folder in sorted(shard.iterdir()):
                    if (folder / "manifest.json").is_file():
                        yield folder.name

    def resolve(self, prefix: str) -> str:
        """Expand an abbreviated ID (at least 4 hex digits) to the full one."""
        prefix = prefix.strip().lower()
        if len(prefix) < MIN_PREFIX or not _HEX.fullmatch(prefix) or len(prefix) > 64:
            raise NotFoundError(f"{prefix!r} is not a document ID (give at least {MIN_PREFIX} hex digits)")
        shard = self.documents / prefix[:2]
        matches = sorted(
            f.name for f in shard.iterdir() if f.name.startswith(prefix) and (f / "manifest.json").is_file()
        ) if shard.is_dir() else []
        if not matches:
            raise NotFoundError(f"no document with ID {prefix}")
        if len(matches) > 1:
            raise NotFoundError(f"ID {prefix} is ambiguous: {', '.join(m[:12] for m in matches)}; give more digits")
        return matches[0]

    def folder(self, doc_id: str) -> Path:
        """The folder of a document, given its full or abbreviated ID."""
        if len(doc_id) == 64 and _HEX.fullmatch(doc_id):
            return self._folder(doc_id)
        return self._folder(self.resolve(doc_id))

    def _folder(self, doc_id: str) -> Path:
        return self.documents / doc_id[:2] / doc_id

    def manifest(self, doc_id: str) -> dict:
        path = self._folder(doc_id) / "manifest.json"
        try:
            return json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as err:
            raise ArchiveError(f"manifest of {doc_id[:12]} is unreadable: {err}") from err

    def read_file(self, doc_id: str, name: str) -> bytes:
        """Read one of the document's files, by its name in the manifest."""
        manifest = self.manifest(doc_id)
        if name not in manifest.get("files", {}):
            raise NotFoundError(f"document {doc_id[:12]} has no file {name}")
        if Path(name).is_absolute() or ".." in Path(name).parts:
            raise ArchiveError(f"manifest of {doc_id[:12]} names a file outside its folder: {name}")
        return (self._folder(doc_id) / name).read_bytes()

    def text(self, doc_id: str) -> str:
        return self.read_file(doc_id, "text.txt").decode("utf-8")

    def raw_pages(self, doc_id: str) -> list[str]:
        files = sorted(n for n in self.manifest(doc_id).get("files", {}) if n.startswith("pages/"))
        return [self.read_file(doc_id, n).decode("utf-8") for n in files]

    def original_name(self, doc_id: str) -> str:
        names = [n for n in self.manifest(doc_id).get("files", {}) if n.startswith("original")]
        if not names:
            raise ArchiveError(f"manifest of {doc_id[:12]} names no original")
        return names[0]

    # -- checking ------------------------------------------------------------

    def check_document(self, doc_id: str) -> list[str]:
        """Problems with one document: unreadable manifest, missing or changed files."""
        try:
            manifest = self.manifest(doc_id)
        except ArchiveError as err:
            return [str(err)]
        problems = []
        if manifest.get("id") != doc_id:
            problems.append(f"{doc_id[:12]}: manifest names another document ({manifest.get('id')})")
        files = manifest.get("files") or {}
        if not any(n.startswith("original") for n in files):
            problems.append(f"{doc_id[:12]}: manifest names no original")
        folder = self._folder(doc_id)
        for name, expected in sorted(files.items()):
            path = folder / name
            if Path(name).is_absolute() or ".." in Path(name).parts or not path.is_file():
                problems.append(f"{doc_id[:12]}: {name} is missing")
                continue
            if _sha256_file(path) != expected:
                problems.append(f"{doc_id[:12]}: {name} does not match its checksum")
        return problems

    def strays(self) -> list[str]:
        """Things in ``documents/`` that are not complete documents."""
        found = []
        for shard in sorted(self.documents.iterdir()):
            if not shard.is_dir() or len(shard.name) != 2:
                found.append(f"unexpected entry documents/{shard.name}")
                continue
            for folder in sorted(shard.iterdir()):
                if not (folder / "manifest.json").is_file():
                    found.append(f"documents/{shard.name}/{folder.name} has no manifest")
        return found


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _json_bytes(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def now_iso() -> str:
    """The current time in UTC, as the archive records it."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
