"""Storing and verifying documents: the archive is the source of truth."""

from __future__ import annotations

from arhiva.archive.document import DocumentView, Manifest, NewRecord, Source
from arhiva.archive.journal import Entry, Head
from arhiva.archive.store import Archive, NewDocument, Staged, now_iso


def journal_head(archive: Archive) -> Head:
    """The journal's last entry (``seq`` 0 when empty): a few reads at any size.

    A reader that keeps derived data (the search index) records the ``seq``
    it has applied, and compares it with this to know whether it is behind.
    """
    return archive.journal.head()


def journal_since(archive: Archive, seq: int) -> list[Entry]:
    """The journal entries after ``seq``, in order: what changed since a reader last caught up.

    Each has ``seq``, ``kind`` (``commit``, ``adopt``, ``correction``,
    ``extraction``, ``withdrawal``, ``restoration``, ``purge``) and ``id``,
    the document it is about.
    """
    return archive.journal.since(seq)


__all__ = ["Archive", "DocumentView", "Entry", "Head", "Manifest", "NewDocument", "NewRecord", "Source", "Staged",
           "journal_head", "journal_since", "now_iso"]
