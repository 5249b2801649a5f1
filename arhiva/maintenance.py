"""Checking the archive, keeping the index up to date with it, and rebuilding the index from it.

The index records the last journal entry whose changes it holds. Every
reader of the index (search, similar, verify) compares it with the
journal's head, two small reads at any size, and when the index is behind
brings it up to date first (:func:`current_index`): a search never answers
from an index that lacks documents the archive has, as if it were complete.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

from arhiva.archive import Archive, Entry, journal_head, journal_since
from arhiva.archive.journal import Head, JournalError
from arhiva.archive.locks import LockBusyError
from arhiva.archive.store import FORMAT_VERSION, naming
from arhiva.errors import ArchiveError
from arhiva.search import IndexDoc, SearchIndex, rebuild
from arhiva.search.records import reference_forms

if TYPE_CHECKING:
    from arhiva.archive.document import DocumentView

log = logging.getLogger(__name__)

#: Seconds a reader of the index waits for another process writing to it,
#: before saying that the index is behind.
READER_WAIT = 3.0


class IndexBehindError(ArchiveError):
    """The index lacks changes the journal records, and cannot be brought up to date now."""


@dataclass
class CatchUp:
    """What bringing the index up to date with the journal did."""

    entries: int = 0  # journal entries applied
    documents: int = 0  # documents indexed again or for the first time
    #: The index recorded no journal entry (made by an older arhiva), or one of
    #: another history: its documents were compared with the archive's instead.
    compared: bool = False
    skipped: list[str] = field(default_factory=list)  # documents that could not be read, one line each
    warnings: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """One line each: the documents that could not be indexed, and other warnings."""
        return [f"not indexed: {problem}" for problem in self.skipped] + self.warnings

    def note(self) -> str | None:
        """One line for the user when anything was done, else None."""
        if self.compared:
            return (f"the search index recorded no journal entry: compared with the archive, "
                    f"{_documents(self.documents)} indexed")
        if self.entries:
            return (f"the search index was {self.entries} journal entr{'y' if self.entries == 1 else 'ies'} "
                    f"behind the archive: {_documents(self.documents)} indexed")
        return None


#: The environment variable that puts the archive's index elsewhere than its
#: ``index/`` folder: a PostgreSQL server's address (``postgresql://…``).
INDEX_ENV = "ARHIVA_INDEX"


def index_location(archive: Archive):
    """Where the archive's search index lives: ``$ARHIVA_INDEX`` when set, else the archive's ``index/`` folder."""
    return os.environ.get(INDEX_ENV) or archive.index_dir


def open_index(archive: Archive) -> SearchIndex:
    """The archive's index, writing under the archive's index lock (as every writer must)."""
    return SearchIndex.open(index_location(archive), lock=archive.index_lock)


def current_index(archive: Archive, wait: float | None = None) -> tuple[SearchIndex, CatchUp]:
    """The archive's index, brought up to date with the journal first: for every reader of the index.

    Raises :class:`IndexBehindError` when the index is behind and another
    process has been writing to it for ``wait`` seconds (:data:`READER_WAIT`
    when None), or it cannot be written here, saying how many documents are
    not yet indexed. A journal that cannot be read is a warning: the index is
    searched as it is.
    """
    wait = READER_WAIT if wait is None else wait
    index = open_index(archive)
    try:
        if is_current(archive, index):
            return index, CatchUp()
        try:
            index.lock.acquire(timeout=wait)
        except ArchiveError as err:
            pending = _pending_documents(archive, index)
            count = f"{_documents(pending)} not yet indexed" if pending is not None else "documents not yet indexed"
            if isinstance(err, LockBusyError):
                raise IndexBehindError(f"the search index is behind the archive: {count}; "
                                       "try again in a moment or run: arhiva reindex") from err
            raise IndexBehindError(f"the search index is behind the archive: {count}, and cannot be "
                                   f"updated here ({err}); run: arhiva reindex") from err
        try:
            return index, catch_up(archive, index)
        finally:
            index.lock.release()
    except JournalError as err:
        return index, CatchUp(warnings=[f"cannot tell whether the search index is up to date: {err}"])


def is_current(archive: Archive, index: SearchIndex) -> bool:
    """Whether the index holds every change the journal records: two small reads at any size."""
    return archive.format < FORMAT_VERSION or _applied(index) == _mark(journal_head(archive))


def catch_up(archive: Archive, index: SearchIndex, known: Iterable[IndexDoc] = (),
             wait: float | None = None) -> CatchUp:
    """Index the documents of the journal entries the index has not applied, and record the last one.

    Checking costs two small reads; only an index that is behind takes the
    index lock, waiting ``wait`` seconds (the lock's own time when None).
    ``known``: documents the caller has just archived, as it would index
    them, used instead of reading back a document whose only new entry is
    its commit. A document that cannot be read is named in ``skipped``.
    An index that recorded no journal entry, or one of another history, is
    compared with the archive's documents once instead.
    """
    if index.lock is not archive.index_lock:
        raise ValueError("catch_up needs the index opened with the archive's index lock (open_index)")
    known = {doc.id: doc for doc in known}
    report = CatchUp()
    if archive.format < FORMAT_VERSION:  # no journal (an old archive that could not be adopted)
        report.documents = index.add(known.values())
        return report
    if not known and is_current(archive, index):
        return report
    index.lock.acquire(timeout=wait)
    try:
        _catch_up(archive, index, known, report)
    finally:
        index.lock.release()
    if report.entries or report.compared:
        log.info("%s", report.note())
    return report


def _catch_up(archive: Archive, index: SearchIndex, known: dict[str, IndexDoc], report: CatchUp) -> None:
    """The catching up itself, under the index lock."""
    head = journal_head(archive)
    entries = _unapplied(archive, _applied(index), head)
    if entries is None:
        report.compared = True
        indexed = index.ids()
        missing = [doc_id for doc_id in archive.ids() if doc_id not in indexed]
        withdrawn = [doc_id for doc_id in indexed if archive.is_withdrawn(doc_id)]
        report.documents = index.write(index_docs(archive, missing, report.skipped), delete=withdrawn, applied=head)
        return
    kinds: dict[str, list[str]] = {}
    for entry in entries:
        kinds.setdefault(entry.id, []).append(entry.kind)
    # Withdrawn and purged documents leave the index; a commit after a purge brings one back.
    gone = [doc_id for doc_id, seen in kinds.items()
            if archive.is_withdrawn(doc_id) or (seen[-1] == "purge" and not archive.has(doc_id))]
    as_known = [known[doc_id] for doc_id, seen in kinds.items() if doc_id in known and seen == ["commit"]]
    to_read = [doc_id for doc_id, seen in kinds.items()
               if not (doc_id in known and seen == ["commit"]) and doc_id not in gone]
    # A document of the caller's that another process has indexed since: left
    # as it is, it may hold a later correction; unless the index lacks it.
    absent = [doc for doc_id, doc in known.items()
              if doc_id not in kinds and not index.contains(doc_id) and not archive.is_withdrawn(doc_id)]
    if not entries and not absent:
        return
    report.entries = len(entries)
    report.documents = index.write(chain(as_known, absent, index_docs(archive, to_read, report.skipped)),
                                   delete=gone, applied=entries[-1] if entries else None)


def _unapplied(archive: Archive, applied: tuple[int, str] | None, head: Head) -> list[Entry] | None:
    """The journal entries after the one the index recorded; None when it recorded none, or
    one that is not in this journal (the journal or the index was replaced by another)."""
    if applied is None or applied[0] > head.seq:
        return None
    seq, digest = applied
    if seq == head.seq:
        return [] if digest == head.hash else None
    entries = journal_since(archive, seq)
    if not entries or entries[0].seq != seq + 1 or entries[0].prev != digest:
        return None
    return entries


def _pending_documents(archive: Archive, index: SearchIndex) -> int | None:
    """How many documents the journal names that the index has not applied; None when unknown."""
    try:
        entries = _unapplied(archive, _applied(index), journal_head(archive))
    except ArchiveError:
        return None
    return len({entry.id for entry in entries}) if entries is not None else None


def _applied(index: SearchIndex) -> tuple[int, str] | None:
    """The last journal entry the index holds, through the backend protocol's ``applied()``."""
    return index.backend.applied()


def _mark(head: Head) -> tuple[int, str]:
    return (head.seq, head.hash)


def _documents(count: int) -> str:
    return f"{count} document{'' if count == 1 else 's'}"


@dataclass
class VerifyReport:
    documents: int = 0
    withdrawn: int = 0  # of ``documents``: out of search, files kept
    purged: int = 0  # documents whose files were deleted for good; the journal keeps their tombstones
    problems: list[str] = field(default_factory=list)
    staging_leftovers: int = 0
    not_indexed: list[str] = field(default_factory=list)
    not_archived: list[str] = field(default_factory=list)
    index_problem: str | None = None
    journal: dict = field(default_factory=dict)  # entries, head and, with --since, what came after it
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.problems or self.not_indexed or self.not_archived or self.index_problem)

    def to_json(self) -> dict:
        return {
            "ok": self.ok,
            "documents": self.documents,
            "withdrawn": self.withdrawn,
            "purged": self.purged,
            "problems": self.problems,
            "staging_leftovers": self.staging_leftovers,
            "not_indexed": self.not_indexed,
            "not_archived": self.not_archived,
            "index_problem": self.index_problem,
            "journal": self.journal,
            "notes": self.notes,
        }


def verify(archive: Archive, on_doc: Callable[[], None] | None = None, since: Head | None = None) -> VerifyReport:
    """Check the journal's chain, every document's files against its manifest and the journal,
    what arhiva did not put in the archive, and the index against the archive.

    With ``since``, a journal head noted earlier, also prove that nothing up to it changed.
    """
    from arhiva.archive.checks import check_archive  # not imported by a search

    checked = check_archive(archive, since=since, on_doc=on_doc)
    report = VerifyReport(documents=checked.documents, withdrawn=checked.withdrawn, purged=checked.purged,
                          problems=checked.problems,
                          staging_leftovers=checked.staging_leftovers,
                          journal=checked.to_json() if checked.journal else {}, notes=checked.notes)
    stale = _check_list_cache(archive)
    if stale:
        report.notes.append(f"the list cache disagreed with the archive about {_documents(len(stale))} "
                            f"({stale[0][:12]}…): written again")
    try:
        index, done = current_index(archive)
        report.notes += [line for line in (done.note(), *done.problems()) if line]
        indexed = index.check()
    except ArchiveError as err:
        report.index_problem = str(err)
        return report
    archived = {doc_id for doc_id in archive.ids() if not archive.is_withdrawn(doc_id)}
    report.not_indexed = sorted(archived - indexed)
    report.not_archived = sorted(indexed - archived)
    return report


def _check_list_cache(archive: Archive) -> list[str]:
    """The documents whose rows in the list cache differ from the archive (the cache is then written again)."""
    from arhiva.archive import catalog
    from arhiva.archive.catalog_cache import disagreements, load

    if load(archive) is None:
        return []

    def views():
        for doc_id in archive.ids():
            try:
                yield catalog.view(archive, doc_id), archive.is_withdrawn(doc_id)
            except ArchiveError:
                continue  # reported by the checks

    return disagreements(archive, views())


def reindex(archive: Archive, on_doc: Callable[[], None] | None = None, skipped: list[str] | None = None) -> int:
    """Rebuild the search index from the archive; the old one stays until the new one is whole.

    One rebuild at a time: another waits for it a bounded time, then is
    refused. The new index records the journal's head noted before the
    documents were read, and then catches up with the entries journaled
    while it was being built. A document that cannot be read is left out and
    named in ``skipped`` (when it is given; else it raises).
    """
    with archive.index_lock:
        start = journal_head(archive) if archive.format >= FORMAT_VERSION else None
        from arhiva.archive.checks import journal_states

        states = journal_states(archive)
        location = index_location(archive)
        try:
            count = rebuild(location, index_docs(archive, archive.ids(), skipped, states), on_doc,
                            lock=archive.index_lock, applied=start)
        except OSError as err:
            from arhiva.archive.disk import disk_problem, with_advice

            problem = disk_problem(err, Path(location), "run arhiva reindex again: the old index is kept",
                                   "the search index") if "://" not in str(location) else None
            if problem is None:
                raise
            raise with_advice(problem) from err
        if start is not None:
            try:
                done = catch_up(archive, open_index(archive))
            except ArchiveError as err:
                if skipped is None:
                    raise
                skipped.append(f"documents changed during the rebuild are not in the index yet ({err}); "
                               "run: arhiva reindex")
            else:
                if done.skipped and skipped is None:
                    raise ArchiveError(done.skipped[0])
                if skipped is not None:
                    skipped.extend(done.skipped)
    return count


def index_docs(archive: Archive, ids: Iterable[str], skipped: list[str] | None = None,
               states: dict | None = None) -> Iterator[IndexDoc]:
    """What the index keeps of these archived documents, read one at a time.

    A withdrawn document is left out. A document whose cleaned text,
    manifest or annotations fail their checksums or the journal is never indexed: a forged text must not become
    searchable. With ``skipped``, a document that cannot be read or fails
    its checks is named there and left out. ``states``
    (:func:`arhiva.archive.checks.journal_states`) saves a journal lookup per document.
    """
    from arhiva.archive import catalog  # not imported by a search that has nothing to catch up
    from arhiva.archive.checks import index_problems

    for doc_id in ids:
        if archive.is_withdrawn(doc_id):
            continue  # never searchable while withdrawn
        try:
            problems = index_problems(archive, doc_id, states)
            if problems:
                raise ArchiveError(problems[0])
            doc = index_doc(catalog.view(archive, doc_id), archive.text(doc_id))
        except (ArchiveError, UnicodeDecodeError, ValueError, KeyError, TypeError) as err:  # a damaged document
            if skipped is None:
                raise
            skipped.append(naming(doc_id, err))
            continue
        yield doc


def index_doc(doc: DocumentView, text: str) -> IndexDoc:
    """What the index keeps of an archived document: its view (metadata in force) and cleaned text.

    Raises ValueError when the manifest's ``ingested_at`` is not a time (a damaged manifest).
    """
    day = _midnight(doc.date)
    own, cited = reference_forms(doc.references, day.year if day else None)
    return IndexDoc(id=doc.id, title=doc.title, content=text, source=doc.source, media_type=doc.media_type,
                    pages=doc.pages, ingested=datetime.fromisoformat(doc.ingested_at), date=day, type=doc.type,
                    references=own, cited=cited, tags=doc.tags)


def _midnight(value: str | None) -> datetime | None:
    """The start of a day written ``YYYY-MM-DD`` (a month, ``YYYY-MM``, has no day: None), in UTC.

    >>> _midnight("2021-04-08")
    datetime.datetime(2021, 4, 8, 0, 0, tzinfo=datetime.timezone.utc)
    >>> _midnight("2021-04") is None
    True
    """
    try:
        day = date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
    return datetime.combine(day, time(), tzinfo=timezone.utc) if day else None
