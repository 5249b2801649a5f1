"""Changes to archived documents (``reindex`` is in :mod:`arhiva.maintenance`) that keep the archive, its journal and the search index in step.

Each operation makes its change in the archive (under the archive lock,
journaled), then brings the index up to date with the journal. If the index
cannot be updated now, the change is kept, and the operation says so: the
next reader of the index catches up with the journal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from arhiva import __version__
from arhiva.archive import Archive, catalog
from arhiva.archive.document import DocumentView
from arhiva.archive.store import naming
from arhiva.errors import ArchiveError
from arhiva.maintenance import catch_up, open_index
from arhiva.metadata import extract


@dataclass
class Done:
    """What an operation did: the documents it changed, those it skipped, and an index problem."""

    documents: list[str] = field(default_factory=list)  # the documents it went through
    changed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # documents that could not be read, one line each
    index_problem: str | None = None  # the change is kept, but not yet in the index


def correct(archive: Archive, doc_id: str, fields: dict) -> tuple[DocumentView, str | None]:
    """Record a hand correction of a document (``date``, ``type``, ``title``; None: back to extraction),
    and index it; return the document as it is now, and an index problem if any."""
    catalog.correct(archive, doc_id, fields)
    return catalog.view(archive, doc_id), _update_index(archive)


def reextract(archive: Archive, ids: list[str], on_doc: Callable[[], None] | None = None) -> Done:
    """Extract the metadata again from the archived cleaned texts, and index what changed.

    Corrections stay in force. A document that cannot be read is skipped and named.
    """
    done = Done()
    for doc_id in ids:
        try:
            metadata = extract(archive.text(doc_id)).to_json()
            before = catalog.extracted(archive, doc_id)
        except (ArchiveError, UnicodeDecodeError) as err:  # a damaged document; writing errors are raised
            done.skipped.append(naming(doc_id, err))
            continue
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
    except ArchiveError as err:
        return f"{err}; the metadata is saved in the archive"
    return None
