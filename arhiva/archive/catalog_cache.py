"""The list cache, ``catalog.json``: what ``arhiva list`` shows of every document, kept
between runs so that a listing does not read four files of every document.

Reading every document's manifest, metadata, corrections and withdrawal costs
about 1 ms a document with the disk cache warm (several with it cold): over a
minute at 100,000 documents. The cache holds, for each document, the part of
its view that a listing shows (source, pages, ingest time, title, date, type,
its own references, tags, whether it is withdrawn), and the journal head it
was read at. A listing then reads the cache, scans ``documents/`` for the IDs
(a document added or removed by hand is noticed), and reads again only the
documents that journal entries after that head name, or that the cache lacks.
A journal of another history, a cache of another version of arhiva or one
that cannot be read is read again whole. The cache is derived data: removing
it costs one slow listing. ``arhiva verify`` compares it with the documents
it reads, and writes it again when they disagree (a file edited by hand, which
verify reports as such).

The cache is written whole to ``staging/`` and renamed into place; an archive
that cannot be written to is listed without it.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable

from arhiva import __version__
from arhiva.archive.atomic import write_bytes
from arhiva.archive.document import DocumentView, Manifest, Source
from arhiva.archive.journal import JournalError
from arhiva.archive.store import CATALOG_CACHE_FILE as CACHE_FILE
from arhiva.archive.store import FORMAT_VERSION, Archive, naming
from arhiva.errors import ArchiveError

log = logging.getLogger(__name__)

#: Bump when what a cached row holds, or how a view is worked out, changes.
CACHE_VERSION = 1
#: The metadata a listing shows (``references`` only the document's own).
LISTED = ("date", "type", "title", "corrected", "tags")


def cached_row(doc: DocumentView, withdrawn: bool) -> dict:
    """What the cache keeps of a document: enough to make the view a listing shows."""
    manifest = doc.manifest
    metadata = {k: doc.metadata[k] for k in LISTED if k in doc.metadata}
    own = [r for r in doc.references if r.get("own")]
    if own:
        metadata["references"] = own
    return {"title": manifest.title, "source": {"name": manifest.source.name,
                                                 "media_type": manifest.source.media_type},
            "ingested_at": manifest.ingested_at, "pages": manifest.page_count, "metadata": metadata,
            "withdrawn": withdrawn}


def view_of(doc_id: str, row: dict) -> DocumentView:
    """The view a listing shows, from a cached row (its manifest holds only what a listing needs)."""
    source = row["source"]
    manifest = Manifest(id=doc_id, title=row["title"], source=Source(source["name"], media_type=source["media_type"]),
                        ingested_at=row["ingested_at"], pages=({},) * row["pages"], files={}, software={},
                        cleanup={}, warnings=(), json={"id": doc_id})
    return DocumentView(manifest, row["metadata"])


def listed_views(archive: Archive, skipped: list[str] | None = None) -> list[tuple[DocumentView, bool]]:
    """Every document's view as a listing shows it, and whether it is withdrawn, in the order of
    their IDs; from the cache where it is current. A document that cannot be read is left out and
    named in ``skipped`` (when it is given; else it raises)."""
    from arhiva.archive import catalog

    if archive.format < FORMAT_VERSION:  # no journal to tell what changed
        return [(v, archive.is_withdrawn(v.id)) for v in _read(archive, archive.ids(), skipped, catalog)]
    try:
        head = archive.journal.head()
    except JournalError as err:
        log.warning("the list cache is not used: %s", err)
        return [(v, archive.is_withdrawn(v.id)) for v in _read(archive, archive.ids(), skipped, catalog)]
    rows, changed = _usable_rows(archive, head)
    ids = list(archive.ids())
    fresh = {}
    for doc_id in ids:
        if doc_id in rows and doc_id not in changed:
            continue
        try:
            withdrawn = archive.is_withdrawn(doc_id)
            fresh[doc_id] = cached_row(catalog.view(archive, doc_id), withdrawn)
        except ArchiveError as err:
            if skipped is None:
                raise
            skipped.append(naming(doc_id, err))
            rows.pop(doc_id, None)
    present = set(ids)
    if fresh or set(rows) - present or not os.path.lexists(_path(archive)):
        rows = {doc_id: row for doc_id, row in rows.items() if doc_id in present}
        rows.update(fresh)
        save(archive, head, rows)
    return [(view_of(doc_id, rows[doc_id]), rows[doc_id]["withdrawn"]) for doc_id in ids if doc_id in rows]


def _usable_rows(archive: Archive, head) -> tuple[dict[str, dict], set[str]]:
    """The cached rows, and the documents the journal changed since they were read
    (every one, by returning no rows, when the cache cannot be used)."""
    cache = load(archive)
    if cache is None:
        return {}, set()
    seq, digest = cache["head"]
    if (seq, digest) == (head.seq, head.hash):
        return cache["rows"], set()
    if seq > head.seq:
        return {}, set()
    try:
        entries = archive.journal.since(seq)
    except ArchiveError:
        return {}, set()
    if seq and (not entries or entries[0].prev != digest):
        return {}, set()  # a journal of another history
    return cache["rows"], {entry.id for entry in entries}


def load(archive: Archive) -> dict | None:
    """The cache as written, or None when there is none, or it is of another version or unreadable."""
    try:
        with open(_path(archive), "rb", opener=_nofollow) as handle:
            data = json.loads(handle.read())
    except (OSError, ValueError):
        return None
    if not (isinstance(data, dict) and data.get("version") == CACHE_VERSION and data.get("arhiva") == __version__
            and isinstance(data.get("rows"), dict) and isinstance(data.get("head"), list)):
        return None
    return {"head": tuple(data["head"]), "rows": data["rows"]}


def save(archive: Archive, head, rows: dict[str, dict]) -> None:
    """Write the cache whole, atomically; an archive that cannot be written to goes without."""
    data = {"version": CACHE_VERSION, "arhiva": __version__, "head": [head.seq, head.hash], "rows": rows}
    try:
        write_bytes(_path(archive), json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
                    mode=0o644, tmp_dir=_scratch(archive))
    except OSError as err:
        log.info("the list cache could not be written (%s); listing without it", err)


def disagreements(archive: Archive, views: Iterable[tuple[DocumentView, bool]]) -> list[str]:
    """The documents whose cached rows differ from their ``views`` read now (with whether each is
    withdrawn), of those the journal has not changed since the cache was written; when any do,
    the cache is written again from the views."""
    cache = load(archive)
    if cache is None:
        return []
    rows = cache["rows"]
    try:
        head = archive.journal.head()
        _, changed = _usable_rows(archive, head)
    except ArchiveError:
        return []
    differ = []
    for doc, withdrawn in views:
        row = rows.get(doc.id)
        if row is not None and doc.id not in changed and row != json.loads(json.dumps(cached_row(doc, withdrawn))):
            differ.append(doc.id)
            rows[doc.id] = cached_row(doc, withdrawn)
    if differ:
        save(archive, type(head)(*cache["head"]), rows)
    return differ


def _read(archive: Archive, ids: Iterable[str], skipped: list[str] | None, catalog) -> list[DocumentView]:
    views = []
    for doc_id in ids:
        try:
            views.append(catalog.view(archive, doc_id))
        except ArchiveError as err:
            if skipped is None:
                raise
            skipped.append(naming(doc_id, err))
    return views


def _path(archive: Archive):
    return archive.root / CACHE_FILE


def _scratch(archive: Archive):
    """Where the cache is written before it is renamed into place."""
    return archive.staging


def _nofollow(path, flags):
    return os.open(path, flags | os.O_NOFOLLOW | os.O_CLOEXEC)
