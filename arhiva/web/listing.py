"""``/api/documents``: ``arhiva list --json`` from a listing kept in memory, brought up to date by the journal.

``arhiva list`` reads every document's manifest, metadata and corrections
(seconds at 100,000 documents). The server reads them once, at the first
request, and keeps each document's row of ``list --json`` with what its
filters compare. At every later request it compares the journal's head with
the one the listing was read at (a few small reads): the documents that the
journal entries since then name (archived, corrected, re-extracted,
withdrawn, restored…) are read again, and only they. Filters and orders are those of
:func:`arhiva.archive.catalog.listing`, applied to the rows in memory.

A document that cannot be read is left out and named in ``skipped``, as by
``arhiva list``, and tried again at the next request (a file put back needs no
journal entry). A journal of another history (an archive restored from a
copy) makes the whole listing read again.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass

from arhiva.archive import Archive, catalog, journal_head, journal_since
from arhiva.archive.journal import Head
from arhiva.archive.store import FORMAT_VERSION, naming
from arhiva.errors import ArchiveError
from arhiva.periods import period_bounds
from arhiva.romanian.letters import fold


@dataclass(frozen=True)
class Row:
    """One document as ``arhiva list --json`` gives it (already as JSON), and what the filters compare."""

    id: str
    date: str | None
    ingested_at: str
    folded_type: str  # its type as the type filter compares it
    tags: tuple[str, ...]
    json: bytes  # DocumentView.row() as the API sends it

    @classmethod
    def of(cls, view) -> Row:
        row = view.row()
        return cls(view.id, row["date"], row["ingested_at"], fold(view.type).lower(), tuple(view.tags), as_json(row))


def as_json(value) -> bytes:
    """``value`` as starlette's JSONResponse writes it.

    >>> as_json({"title": "Hotărâre", "pages": 2}).decode("utf-8")
    '{"title":"Hotărâre","pages":2}'
    """
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def json_list(rows: list[Row]) -> bytes:
    """The rows as one JSON list (each was written once, when read).

    >>> json_list([])
    b'[]'
    """
    return b"[" + b",".join(row.json for row in rows) + b"]"


class Listing:
    """Every document's row, kept current with the journal; safe for several threads."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self._rows: dict[str, Row] = {}
        self._broken: dict[str, str] = {}  # documents that could not be read: ID -> the problem, one line
        self._head: Head | None = None  # the journal head the rows were read at
        self._lock = threading.Lock()

    def documents(self, date_from: str | None = None, date_to: str | None = None, doc_type: str | None = None,
                  sort: str = "ingested", skipped: list[str] | None = None, tag: str | None = None) -> list[Row]:
        """The rows of ``arhiva list --json`` with these filters and this order (as :func:`catalog.listing`):
        withdrawn documents left out, ``tag`` a free tag as the archive keeps it.

        Raises QueryError for a period that is not a date; documents that
        cannot be read are named in ``skipped``.
        """
        low = period_bounds(date_from)[0].isoformat() if date_from else None
        high = period_bounds(date_to)[1].isoformat() if date_to else None
        wanted_type = fold(doc_type).lower() if doc_type else None
        with self._lock:
            self._refresh()
            rows = list(self._rows.values())
            if skipped is not None:
                skipped.extend(self._broken.values())
        chosen = [
            row for row in rows
            if not ((low or high) and (not row.date or (low and row.date < low) or (high and row.date > high)))
            and not (wanted_type and row.folded_type != wanted_type)
            and not (tag and tag not in row.tags)
        ]
        if sort == "ingested":
            chosen.sort(key=lambda r: (r.ingested_at, r.id))
        else:  # documents of the same date in the order of their IDs, as ``arhiva list`` reads them
            chosen.sort(key=lambda r: r.id)
            dated = sorted((r for r in chosen if r.date), key=lambda r: r.date, reverse=sort == "-date")
            chosen = dated + [r for r in chosen if not r.date]
        return chosen

    def _refresh(self) -> None:
        """Bring the rows up to date with the journal (all of them the first time, and every time for an
        archive without a journal or whose journal cannot be read: nothing tells what changed)."""
        try:
            head = journal_head(self.archive) if self.archive.format >= FORMAT_VERSION else None
        except ArchiveError:
            head = None
        if head is None:
            self._head = None
        if head is not None and self._head is not None and head == self._head:
            changed: set[str] = set()
        elif head is not None and self._head is not None and self._continues(head):
            changed = {entry.id for entry in journal_since(self.archive, self._head.seq)}
        else:
            self._rows, self._broken = {}, {}
            changed = set(self.archive.ids())
        for doc_id in changed | set(self._broken):
            self._read(doc_id)
        self._head = head

    def _continues(self, head: Head) -> bool:
        """Whether the journal now is the one the rows were read from, with entries added."""
        if head.seq < self._head.seq:
            return False
        if self._head.seq == 0:
            return True
        entry = self.archive.journal.entry(self._head.seq)
        return entry is not None and entry.hash == self._head.hash

    def _read(self, doc_id: str) -> None:
        self._rows.pop(doc_id, None)
        self._broken.pop(doc_id, None)
        if not self.archive.has(doc_id) or self.archive.is_withdrawn(doc_id):
            return  # purged, never committed, or withdrawn: not listed
        try:
            self._rows[doc_id] = Row.of(catalog.view(self.archive, doc_id))
        except ArchiveError as err:
            self._broken[doc_id] = naming(doc_id, err)
