"""Withdrawn and purged documents: their tombstones, read (no changes here).

A document is *withdrawn* (``arhiva withdraw``) while its folder holds
``withdrawn.json``, ``{"withdrawn_at": …, "reason": …}``, journaled as a
``withdrawal`` entry (its SHA-256 in ``record``): it stays in the archive,
checked by ``verify``, but is out of the index, ``list`` and ``similar``.
``arhiva restore`` removes the file (a ``restoration`` entry).

A withdrawn document is *purged* (``arhiva purge``) by deleting its folder;
the ``purge`` entry of the journal, never rewritten, is then its tombstone:
the SHA-256 of the original (the entry's ``id``), the source file's name,
the reason and when it was withdrawn.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from arhiva.archive.store import Archive
from arhiva.errors import ArchiveError

_PREFIX = re.compile(r"[0-9a-f]{4,64}")


@dataclass(frozen=True)
class Withdrawal:
    """A withdrawn document's ``withdrawn.json``: when and why."""

    withdrawn_at: str
    reason: str

    def to_json(self) -> dict:
        return {"withdrawn_at": self.withdrawn_at, "reason": self.reason}


def parse_withdrawal(doc_id: str, data: bytes) -> Withdrawal:
    """The tombstone in ``withdrawn.json``; :class:`ArchiveError` naming the document when it is not one.

    >>> parse_withdrawal("ab" * 32, b'{"withdrawn_at": "2026-12-01T01:00:00+00:00", "reason": "duplicat"}').reason
    'duplicat'
    >>> parse_withdrawal("ab" * 32, b'{}')
    Traceback (most recent call last):
    ...
    arhiva.errors.ArchiveError: abababababab: withdrawn.json is unreadable: not a withdrawal record
    """
    try:
        record = json.loads(data)
    except ValueError as err:
        raise ArchiveError(f"{doc_id[:12]}: withdrawn.json is unreadable: {err}") from err
    if not (isinstance(record, dict) and isinstance(record.get("withdrawn_at"), str)
            and isinstance(record.get("reason"), str)):
        raise ArchiveError(f"{doc_id[:12]}: withdrawn.json is unreadable: not a withdrawal record")
    return Withdrawal(record["withdrawn_at"], record["reason"])


def withdrawal(archive: Archive, doc_id: str) -> Withdrawal | None:
    """The document's withdrawal, or None when it is not withdrawn."""
    from arhiva.archive.store import WITHDRAWN_FILE

    data = archive.read_member(doc_id, WITHDRAWN_FILE, missing_ok=True)
    return parse_withdrawal(doc_id, data) if data is not None else None


@dataclass(frozen=True)
class Tombstone:
    """What the journal keeps of a purged document."""

    id: str  # the SHA-256 of its original
    source: str
    reason: str
    withdrawn_at: str
    purged_at: str
    seq: int  # the journal entry that purged it

    def to_json(self) -> dict:
        return {"id": self.id, "status": "purged", "source": self.source, "reason": self.reason,
                "withdrawn_at": self.withdrawn_at, "purged_at": self.purged_at, "journal_entry": self.seq}


def tombstone_of(entry) -> Tombstone:
    """The tombstone a ``purge`` entry of the journal holds."""
    return Tombstone(entry.id, str(entry.get("source") or ""), str(entry.get("reason") or ""),
                     str(entry.get("withdrawn") or ""), str(entry.get("at") or ""), entry.seq)


def purged(archive: Archive, prefix: str) -> list[Tombstone]:
    """The tombstones of purged documents whose ID starts with ``prefix`` (and
    that were not ingested again since): a scan of the journal at memory speed."""
    prefix = prefix.strip().lower()
    if not _PREFIX.fullmatch(prefix):
        return []
    found: dict[str, Tombstone | None] = {}
    for entry in archive.journal.matching(prefix):
        found[entry.id] = tombstone_of(entry) if entry.kind == "purge" else None
    return [t for doc_id, t in sorted(found.items()) if t is not None and not archive.has(doc_id)]


def tombstones(archive: Archive) -> list[Tombstone]:
    """Every purged document's tombstone, in the order they were purged: one pass over the journal."""
    from arhiva.archive.journal import JournalError, parse_line

    found: dict[str, Tombstone] = {}
    for number, line in archive.journal.lines():
        if b'"kind":"purge"' not in line:
            continue
        try:
            entry = parse_line(line, number, check=False)
        except JournalError:
            continue  # verify reports it
        found[entry.id] = tombstone_of(entry)
    # A document ingested again after its purge is in the archive (and purged again: a later entry).
    return sorted((t for doc_id, t in found.items() if not archive.has(doc_id)), key=lambda t: t.seq)
