"""Checking the archive and rebuilding the index from it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from arhiva.archive import Archive, catalog
from arhiva.archive.checks import check_archive
from arhiva.archive.journal import Head
from arhiva.archive.store import naming
from arhiva.errors import ArchiveError
from arhiva.search import IndexDoc, SearchIndex, rebuild


@dataclass
class VerifyReport:
    documents: int = 0
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
    checked = check_archive(archive, since=since, on_doc=on_doc)
    report = VerifyReport(documents=checked.documents, problems=checked.problems,
                          staging_leftovers=checked.staging_leftovers,
                          journal=checked.to_json() if checked.journal else {}, notes=checked.notes)
    try:
        indexed = SearchIndex.open(archive.index_dir).check()
    except ArchiveError as err:
        report.index_problem = str(err)
        return report
    archived = set(archive.ids())
    report.not_indexed = sorted(archived - indexed)
    report.not_archived = sorted(indexed - archived)
    return report


def reindex(archive: Archive, on_doc: Callable[[], None] | None = None, skipped: list[str] | None = None) -> int:
    """Rebuild the search index from the archive; the old one stays until the new one is whole.

    One rebuild at a time: another waits for it a bounded time, then is
    refused. Documents journaled while the index was being built are added
    to it at the end. A document that cannot be read is left out and named in
    ``skipped`` (when it is given; else it raises).
    """
    with archive.index_lock:
        start = archive.journal.head().seq if archive.format >= 2 else None
        count = rebuild(archive.index_dir, index_docs(archive, archive.ids(), skipped), on_doc)
        if start is not None:
            later = sorted({entry.id for entry in archive.journal.since(start)})
            try:
                if later:
                    SearchIndex.open(archive.index_dir).add(index_docs(archive, later, skipped))
            except ArchiveError as err:
                if skipped is None:
                    raise
                skipped.append(f"{len(later)} document(s) changed during the rebuild are not in the index yet "
                               f"({err}); run: arhiva reindex")
    return count


def index_docs(archive: Archive, ids: Iterable[str], skipped: list[str] | None = None) -> Iterator[IndexDoc]:
    """What the index keeps of these archived documents, read one at a time.

    With ``skipped``, a document that cannot be read is named there and left out.
    """
    for doc_id in ids:
        try:
            doc = IndexDoc.from_manifest(archive.manifest(doc_id), archive.text(doc_id),
                                         catalog.effective(archive, doc_id))
        except ArchiveError as err:
            if skipped is None:
                raise
            skipped.append(naming(doc_id, err))
            continue
        yield doc
