"""Checking the archive and rebuilding the index from it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from arhiva.archive import Archive, catalog
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
        }


def verify(archive: Archive, on_doc: Callable[[], None] | None = None) -> VerifyReport:
    """Check every document's files against its manifest, and the index against the archive."""
    report = VerifyReport()
    ids = list(archive.ids())
    report.documents = len(ids)
    for doc_id in ids:
        report.problems.extend(archive.check_document(doc_id))
        report.problems.extend(catalog.check(archive, doc_id))
        if on_doc:
            on_doc()
    report.problems.extend(archive.strays())
    # Leftovers of an interrupted ingest: never visible as documents, removed by the next ingest.
    report.staging_leftovers = sum(1 for _ in archive.staging.iterdir()) if archive.staging.is_dir() else 0
    try:
        indexed = SearchIndex.open(archive.index_dir).check()
    except ArchiveError as err:
        report.index_problem = str(err)
        return report
    archived = set(ids)
    report.not_indexed = sorted(archived - indexed)
    report.not_archived = sorted(indexed - archived)
    return report


def reindex(archive: Archive, on_doc: Callable[[], None] | None = None) -> int:
    """Rebuild the search index from the archive; the old one stays until the new one is whole."""
    return rebuild(archive.index_dir, index_docs(archive, archive.ids()), on_doc)


def index_docs(archive: Archive, ids: Iterable[str]) -> Iterator[IndexDoc]:
    """What the index keeps of these archived documents, read one at a time."""
    for doc_id in ids:
        yield IndexDoc.from_manifest(archive.manifest(doc_id), archive.text(doc_id), catalog.effective(archive, doc_id))
