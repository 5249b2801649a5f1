"""Changes to archived documents (``reindex`` is in :mod:`arhiva.maintenance`) that keep the archive, its journal and the search index in step.

Each operation makes its change in the archive (under the archive lock,
journaled), then brings the index up to date with the journal. If the index
cannot be updated now, the change is kept, and the operation says so: the
next reader of the index catches up with the journal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from arhiva import __version__
from arhiva.archive import Archive, catalog
from arhiva.archive.disk import disk_problem, with_advice
from arhiva.archive.document import DocumentView
from arhiva.archive.lifecycle import Tombstone, Withdrawal, withdrawal
from arhiva.archive.store import naming, now_iso
from arhiva.errors import ArchiveError, ArhivaError, ExitCode, InputError
from arhiva.maintenance import catch_up, index_location, open_index
from arhiva.metadata import extract


@dataclass
class Done:
    """What an operation did: the documents it changed, those it skipped, and an index problem."""

    documents: list[str] = field(default_factory=list)  # the documents it went through
    changed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # documents that could not be read, one line each
    index_problem: str | None = None  # the change is kept, but not yet in the index


class StateError(ArhivaError):
    """A document is not in the state an operation needs (not withdrawn, say); nothing was changed."""

    exit_code = ExitCode.USAGE


def correct(archive: Archive, doc_id: str, fields: dict, add_tags: Iterable[str] = (),
            remove_tags: Iterable[str] = ()) -> tuple[DocumentView, str | None]:
    """Record a hand correction of a document (``date``, ``type``, ``title``; None: back to extraction)
    and the free tags it adds and removes, and index it; return the document as it is now, and an
    index problem if any."""
    with _disk(archive, "arhiva tag"):
        catalog.correct(archive, doc_id, fields, add_tags, remove_tags)
    return catalog.view(archive, doc_id), _update_index(archive)


def withdraw(archive: Archive, doc_id: str, reason: str) -> tuple[Withdrawal, str | None]:
    """Take a document out of search, ``list`` and ``similar``, keeping its files; its tombstone
    (``withdrawn.json``: when and why) is journaled. Return it, and an index problem if any.

    A document withdrawn already is a :class:`StateError` (its tombstone stays as it was).
    """
    reason = " ".join(reason.split())
    if not reason:
        raise InputError("give the reason for withdrawing it: --reason TEXT")
    record = Withdrawal(now_iso(), reason)
    try:
        with _disk(archive, "arhiva withdraw"):
            archive.withdraw(doc_id, record.to_json())
    except FileExistsError:
        before = withdrawal(archive, doc_id)
        raise StateError(f"document {doc_id[:12]} is withdrawn already (on {before.withdrawn_at}: "
                         f"{before.reason}); nothing changed") from None
    return record, _update_index(archive)


def restore(archive: Archive, doc_id: str) -> tuple[DocumentView, str | None]:
    """Bring a withdrawn document back into search and lists; return it, and an index problem if any."""
    try:
        with _disk(archive, "arhiva restore"):
            archive.restore(doc_id)
    except FileNotFoundError:
        raise StateError(f"document {doc_id[:12]} is not withdrawn; nothing changed") from None
    return catalog.view(archive, doc_id), _update_index(archive)


def purge(archive: Archive, doc_id: str) -> Tombstone:
    """Delete a withdrawn document's files for good. The journal keeps its tombstone (the
    SHA-256 of the original, the source file's name, the reason and when it was withdrawn),
    so ``verify`` and an audit still see that it existed; the same file may be ingested again.

    A document that is not withdrawn is a :class:`StateError`: withdraw it first.
    """
    record = withdrawal(archive, doc_id)
    if record is None:
        raise StateError(f"document {doc_id[:12]} is not withdrawn: withdraw it first "
                         f"(arhiva withdraw {doc_id[:12]} --reason TEXT), then purge it")
    source = archive.manifest(doc_id).source.name
    try:
        with _disk(archive, "arhiva purge"):
            entry = archive.purge(doc_id, {"source": source, "reason": record.reason,
                                           "withdrawn": record.withdrawn_at})
    except FileNotFoundError:  # restored meanwhile
        raise StateError(f"document {doc_id[:12]} is not withdrawn; nothing changed") from None
    _update_index(archive)  # it was out of the index since its withdrawal
    return Tombstone(doc_id, source, record.reason, record.withdrawn_at, entry["at"], entry["seq"])


def _unsure(archive: Archive, doc_id: str) -> tuple[tuple[str, str], ...]:
    """The figures OCR read unsurely in a scan, from its word boxes (none for a document without
    them, or whose boxes an older arhiva stored without the words' confidence)."""
    from arhiva.archive.document import WORDS_FILE

    if WORDS_FILE not in archive.manifest(doc_id).files:
        return ()
    from arhiva.ingest.page import unsure_figures
    from arhiva.pdfa.store import read_layouts

    try:
        return unsure_figures(read_layouts(archive.read_file(doc_id, WORDS_FILE)))
    except ArchiveError:
        return ()


def reextract(archive: Archive, ids: list[str], on_doc: Callable[[], None] | None = None) -> Done:
    """Extract the metadata again from the archived cleaned texts, and index what changed.

    Corrections stay in force. A document that cannot be read is skipped and named.
    """
    done = Done()
    for doc_id in ids:
        try:
            metadata = extract(archive.text(doc_id), _unsure(archive, doc_id)).to_json()
            before = catalog.extracted(archive, doc_id)
        except (ArchiveError, UnicodeDecodeError) as err:  # a damaged document; writing errors are raised
            done.skipped.append(naming(doc_id, err))
            continue
        with _disk(archive, "arhiva reextract"):
            catalog.write_extracted(archive, doc_id, metadata, f"arhiva {__version__}")
        done.documents.append(doc_id)
        if metadata != before:
            done.changed.append(doc_id)
        if on_doc:
            on_doc()
    done.index_problem = _update_index(archive)
    return done


def _update_index(archive: Archive) -> str | None:
    """Bring the index up to date with what was journaled; return a problem to report, if any."""
    try:
        catch_up(archive, open_index(archive))
    except (ArchiveError, OSError) as err:
        location = index_location(archive)
        problem = disk_problem(err, Path(location), "run: arhiva reindex", "the search index") \
            if "://" not in str(location) else None
        if problem is None and not isinstance(err, ArchiveError):
            raise
        return f"{problem or err}; the change is saved in the archive" + (f" ({problem.advice})" if problem else "")
    return None


@contextmanager
def _disk(archive: Archive, command: str) -> Iterator[None]:
    """A change that a full or read-only disk stopped, as one line naming the disk and what to do
    (the change was completed or undone, as after a crash)."""
    try:
        yield
    except (OSError, ArchiveError) as err:
        problem = disk_problem(err, archive.root, f"run {command} again")
        if problem is None:
            raise
        raise with_advice(problem) from err
