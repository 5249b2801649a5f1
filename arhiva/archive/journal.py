"""The archive's journal: every change to the archive, in order, as a hash chain.

``journal.jsonl`` has one JSON object per line, appended and never rewritten::

    {"at":"…","hash":"…","id":"<document>","kind":"commit","manifest":"<sha256>",
     "metadata":"<sha256>","prev":"<hash of entry 41>","seq":42}

``seq`` counts from 1 with no gaps; ``prev`` is the ``hash`` of the entry
before (64 zeros for the first); ``hash`` is the SHA-256 of the line written
without its ``hash`` key (keys sorted, no spaces, UTF-8). Changing, removing
or inserting any entry changes the hash of every entry after it, so a head
(``seq:hash``) noted down once proves that nothing before it changed.

Kinds, and what each records besides ``id``:

- ``commit``: a new document; ``manifest`` (SHA-256 of its ``manifest.json``)
  and ``metadata`` (of its ``metadata.json``, or null);
- ``adopt``: a document already in an archive from before the journal, with
  ``manifest``, ``metadata`` and ``corrections`` (of its old ``corrections.json``);
- ``correction``: a hand correction; ``record`` is the SHA-256 of its line in
  the document's ``corrections.jsonl``;
- ``extraction``: the metadata extracted again; ``metadata`` as for ``commit``;
- ``derivation``: a derived file of the record (the searchable PDF copy) made
  again; ``manifest``: the SHA-256 of the new ``manifest.json``;
- ``withdrawal``: the document taken out of search and lists; ``record`` is
  the SHA-256 of its ``withdrawn.json`` (when and why);
- ``restoration``: the withdrawal undone (``withdrawn.json`` removed);
- ``purge``: a withdrawn document's files deleted for good; the entry is its
  tombstone: ``source`` (the file's name), ``reason`` and ``withdrawn`` (when).

The head is read from the journal's last line; an entry by its ``seq`` with a
binary search (lines are in ``seq`` order): both cost a few reads at any size.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from arhiva.archive.atomic import fsync_dir
from arhiva.errors import ArchiveError

JOURNAL_FILE = "journal.jsonl"
GENESIS = "0" * 64
#: Kinds that (re)define a document's record: its manifest and its first metadata.
RECORD_KINDS = ("commit", "adopt")
KINDS = ("commit", "adopt", "correction", "extraction", "withdrawal", "restoration", "purge", "derivation")
_HASH = re.compile(r"[0-9a-f]{64}")
_HEAD = re.compile(r"(?:(\d+):)?([0-9a-f]{64})")
_SEQ = re.compile(rb'"seq":(\d+)')
_TAIL = 4096


class JournalError(ArchiveError):
    """The journal cannot be read as a journal (damaged or edited)."""


@dataclass(frozen=True)
class Head:
    """The last entry of the journal: its sequence number and hash (``0`` and zeros when empty)."""

    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"

    @classmethod
    def parse(cls, text: str) -> Head:
        """A head as ``verify`` prints it, ``SEQ:HASH``; ``seq`` is -1 when only the hash is given.

        >>> Head.parse("3:" + "ab" * 32).seq
        3
        """
        match = _HEAD.fullmatch(text.strip().lower())
        if not match:
            raise ValueError(f"{text!r} is not a journal head: give SEQ:HASH as `arhiva verify` prints it")
        return cls(int(match.group(1)) if match.group(1) else -1, match.group(2))


@dataclass(frozen=True)
class Entry:
    """One journal entry, as recorded."""

    seq: int
    kind: str
    id: str
    hash: str
    prev: str
    fields: dict

    def get(self, name: str) -> str | None:
        return self.fields.get(name)


def entry_hash(fields: dict) -> str:
    """The hash of an entry: SHA-256 of its canonical JSON without the ``hash`` key."""
    body = {k: v for k, v in fields.items() if k != "hash"}
    return hashlib.sha256(canonical(body)).hexdigest()


def make_entry(head: Head, kind: str, doc_id: str, at: str, **fields: object) -> dict:
    """The entry that follows ``head``, with its hash."""
    entry = {"seq": head.seq + 1, "prev": head.hash, "kind": kind, "id": doc_id, "at": at, **fields}
    entry["hash"] = entry_hash(entry)
    return entry


def encode(entry: dict) -> bytes:
    """The line written for an entry."""
    return canonical(entry) + b"\n"


def parse_line(line: bytes, number: int, check: bool = True) -> Entry:
    """An entry from its line; :class:`JournalError` if it is not a well-formed entry, or (with
    ``check``) one whose ``hash`` does not match it."""
    where = f"journal line {number}" if number > 0 else "a journal line"
    try:
        fields = json.loads(line)
    except ValueError as err:
        raise JournalError(f"{where} is damaged ({err})") from err
    if not isinstance(fields, dict):
        raise JournalError(f"{where} is damaged (not an object)")
    seq, kind, doc_id, digest, prev = (fields.get(k) for k in ("seq", "kind", "id", "hash", "prev"))
    if not (isinstance(seq, int) and kind in KINDS and isinstance(doc_id, str) and _HASH.fullmatch(doc_id)
            and isinstance(digest, str) and isinstance(prev, str)):
        raise JournalError(f"{where} is damaged (fields missing or of the wrong kind)")
    if check and entry_hash(fields) != digest:
        raise JournalError(f"{where} (entry {seq}) does not match its own hash: it was changed")
    return Entry(seq, kind, doc_id, digest, prev, fields)


class Journal:
    """Reading and appending the journal file. Appending is the caller's to lock."""

    def __init__(self, path: Path) -> None:
        self.path = path

    # -- writing -------------------------------------------------------------

    def append(self, entry: dict) -> None:
        """Append one entry and make it durable."""
        created = not os.path.lexists(self.path)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        try:
            data = encode(entry)
            if os.write(fd, data) != len(data):
                raise ArchiveError(f"could not append to {self.path}: short write (disk full?)")
            os.fsync(fd)
        finally:
            os.close(fd)
        if created:
            fsync_dir(self.path.parent)

    def drop_torn_tail(self) -> bool:
        """Cut an incomplete last line (an append interrupted by a crash); return whether there was one.

        Only for recovering an interrupted change, under the archive lock.
        """
        with self._map() as data:
            if not data or data[-1:] == b"\n":
                return False
            keep = data.rfind(b"\n") + 1
        os.truncate(self.path, keep)
        return True

    # -- reading -------------------------------------------------------------

    def head(self) -> Head:
        """The last entry's sequence number and hash, from the file's last line."""
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except FileNotFoundError:
            return Head(0, GENESIS)
        except OSError as err:
            raise JournalError(f"the journal {self.path} is unreadable: {err.strerror or err}") from err
        try:
            size = os.fstat(fd).st_size
            if size == 0:
                return Head(0, GENESIS)
            chunk = _TAIL
            while True:
                start = max(0, size - chunk)
                tail = os.pread(fd, size - start, start)
                body = tail[:-1] if tail.endswith(b"\n") else tail
                cut = body.rfind(b"\n")
                if cut >= 0 or start == 0:
                    break
                chunk *= 4
        finally:
            os.close(fd)
        if not tail.endswith(b"\n"):
            raise JournalError("the journal's last line is incomplete (an interrupted write, or an edit); "
                               "run: arhiva verify")
        entry = parse_line(body[cut + 1:], -1)
        return Head(entry.seq, entry.hash)

    def entry(self, seq: int) -> Entry | None:
        """The entry with this sequence number, found by a binary search, or None."""
        if seq < 1:
            return None
        with self._map() as data:
            offset = _seek_seq(data, seq)
            if offset is None:
                return None
            end = data.find(b"\n", offset)
            entry = parse_line(data[offset:end if end >= 0 else len(data)], seq)
        return entry if entry.seq == seq else None

    def since(self, seq: int) -> list[Entry]:
        """The entries after ``seq``, in order (all of them for 0).

        Their hashes are not checked here (``verify`` checks the chain): this
        is for readers that catch up, and must be quick.
        """
        with self._map() as data:
            offset = _seek_seq(data, seq + 1) if seq > 0 else 0
            if offset is None:
                return []
            lines = data[offset:].split(b"\n")
        return [parse_line(line, seq + n, check=False) for n, line in enumerate(lines, start=1) if line]

    def for_document(self, doc_id: str) -> list[Entry]:
        """Every entry about one document, in order: a scan for its ID, at memory speed."""
        return self._scan(b'"id":"' + doc_id.encode("ascii") + b'"', check=True)

    def matching(self, prefix: str) -> list[Entry]:
        """Every entry about a document whose ID starts with ``prefix`` (hex digits), in order."""
        return self._scan(b'"id":"' + prefix.encode("ascii"), check=False)

    def _scan(self, needle: bytes, check: bool) -> list[Entry]:
        found = []
        with self._map() as data:
            at = data.find(needle)
            while at >= 0:
                start = data.rfind(b"\n", 0, at) + 1
                end = data.find(b"\n", at)
                end = len(data) if end < 0 else end
                found.append(parse_line(data[start:end], -1, check=check))
                at = data.find(needle, end)
        return found

    def lines(self) -> Iterator[tuple[int, bytes]]:
        """Every line with its number, for checking the whole journal."""
        try:
            handle = open(self.path, "rb", opener=_nofollow)
        except FileNotFoundError:
            return
        except OSError as err:
            raise JournalError(f"the journal {self.path} is unreadable: {err.strerror or err}") from err
        with handle:
            for number, line in enumerate(handle, start=1):
                yield number, line

    def _map(self):
        return _Mapped(self.path)


class _Mapped:
    """The journal's bytes, memory-mapped (empty when there is no journal)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.map: mmap.mmap | None = None

    def __enter__(self):
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except FileNotFoundError:
            return b""
        except OSError as err:
            raise JournalError(f"the journal {self.path} is unreadable: {err.strerror or err}") from err
        try:
            if os.fstat(fd).st_size == 0:
                return b""
            self.map = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
        finally:
            os.close(fd)
        return self.map

    def __exit__(self, *exc) -> None:
        if self.map is not None:
            self.map.close()


def _seek_seq(data, seq: int) -> int | None:
    """Offset of the line holding entry ``seq`` (lines are in ``seq`` order), or None."""
    low, high = 0, len(data)  # the answer's line starts in [low, high)
    while low < high:
        mid = (low + high) // 2
        start = data.rfind(b"\n", 0, mid) + 1
        found = _line_seq(data, start)
        if found is None:
            raise JournalError(f"journal entry {seq} cannot be found: the journal is damaged; run: arhiva verify")
        if found == seq:
            return start
        if found < seq:
            end = data.find(b"\n", start)
            if end < 0:
                return None
            low = end + 1
        else:
            high = start
    return None


def _line_seq(data, start: int) -> int | None:
    end = data.find(b"\n", start)
    match = _SEQ.search(data, start, end if end >= 0 else len(data))
    return int(match.group(1)) if match else None


def canonical(data: dict) -> bytes:
    """JSON as the journal writes it: keys sorted, no spaces, UTF-8."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _nofollow(path, flags):
    return os.open(path, flags | os.O_NOFOLLOW | os.O_CLOEXEC)
