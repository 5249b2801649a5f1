"""The search backend interface, and the factory that opens one.

A backend stores what the index keeps of each document (:class:`IndexDoc`)
and answers a query already parsed by arhiva (:mod:`arhiva.search.tree`):
the analysis of Romanian words and the query language belong to arhiva, so a
backend receives terms, never text to analyze. Whoosh, in a folder of the
archive, is the embedded default (:mod:`arhiva.search.whoosh_backend`);
another backend (a database server) implements the same protocol, and ingest
and the command line are unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from arhiva.errors import ArchiveError
from arhiva.search import tree
from arhiva.search.query import Filters
from arhiva.search.records import IndexDoc

#: A journal entry as the index records it: (``seq``, ``hash``).
Mark = tuple[int, str]


@dataclass
class Found:
    """A backend's answer to a search.

    ``hits``: the best documents, best first, each with its score and its
    stored fields (``id``, ``title``, ``date``, ``type``, ``source``,
    ``ingested``, ``pages``). ``total`` counts the documents matching the whole
    query (an estimate when ``total_exact`` is false); ``partial`` those listed
    after them that lack some of its words. ``missing`` gives, for each hit,
    the positions in ``words`` of the words it lacks; ``words`` holds each such
    word as a tree node and as printed. ``terms`` (by field) and ``phrases``
    are the indexed words the query matched, for snippets.
    """

    hits: list[tuple[float, dict]]
    total: int
    total_exact: bool = True
    partial: int = 0
    missing: list[tuple[int, ...]] = field(default_factory=list)
    words: list[tuple[tree.Node, str]] = field(default_factory=list)
    terms: dict[str, set[str]] = field(default_factory=dict)
    phrases: list[tuple[str, ...]] = field(default_factory=list)


class SearchBackend(Protocol):
    """What arhiva needs of a search index."""

    #: The archive's index lock, held while writing (re-entrant), or None.
    lock: object

    def write(self, docs: Iterable[IndexDoc] = (), delete: Iterable[str] = (), applied=None) -> int:
        """Add or replace ``docs``, delete the documents of these IDs, and record
        the journal entry ``applied`` (``seq`` and ``hash``), all in one commit or
        none; return how many documents were written or deleted."""

    def applied(self) -> Mark | None:
        """The last journal entry whose changes the index holds."""

    def search(self, q: tree.Node | None, filters: Filters = Filters(), sort: str = "relevance",
               limit: int = 10) -> Found:
        """The best ``limit`` documents for the parsed query and the filters
        (:func:`arhiva.search.query.with_filters`), by BM25F relevance or by
        ``date`` ("date", "-date"), documents lacking some words after the rest
        (:data:`arhiva.search.query.RELAXED`)."""

    def similar(self, doc_id: str, text: str, limit: int = 10) -> list[tuple[float, dict]]:
        """The documents most like ``doc_id`` (its ``text`` given), itself excluded: (score, stored fields)."""

    def frequency(self, field: str, term: str) -> int:
        """How many documents have ``term`` in ``field``."""

    def close_words(self, field: str, term: str, limit: int = 1, maxdist: int = 2) -> list[str]:
        """Indexed words of ``field`` at most ``maxdist`` edits from ``term``, most frequent first."""

    def ids(self) -> set[str]: ...

    def contains(self, doc_id: str) -> bool: ...

    def doc_count(self) -> int: ...

    def check(self, sample: int = 300) -> set[str]:
        """Read the index through to find damage (raising ArchiveError); return the indexed IDs."""

    def close(self) -> None: ...


def open_index(location: str | Path, lock=None, create: bool = False, applied=None,
               block_size: int | None = None) -> SearchBackend:
    """Open the index at ``location`` (a folder: the embedded Whoosh index), or
    make a new one there with ``create`` (``applied``: the journal entry it is up to date with).

    ``block_size``: postings per block, for tests of the Whoosh backend.
    """
    from arhiva.search.whoosh_backend.engine import WhooshBackend

    if _is_postgresql(location):
        from arhiva.search.postgres_backend.engine import PostgresBackend

        if create:
            return PostgresBackend.create(location, lock=lock, applied=applied)
        return PostgresBackend.open(location, lock=lock)
    folder = _folder(location)
    if create:
        return WhooshBackend.create(folder, lock=lock, applied=applied, block_size=block_size)
    return WhooshBackend.open(folder, lock=lock, block_size=block_size)


def rebuild_index(location: str | Path, docs: Iterable[IndexDoc], on_doc: Callable[[], None] | None = None,
                  lock=None, applied=None) -> int:
    """Build a fresh index of ``docs`` and put it in place of the one at ``location`` only when complete."""
    from arhiva.search.whoosh_backend.engine import rebuild

    if _is_postgresql(location):
        from arhiva.search.postgres_backend.engine import rebuild as rebuild_postgresql

        return rebuild_postgresql(location, docs, on_doc, lock=lock, applied=applied)
    return rebuild(_folder(location), docs, on_doc, lock=lock, applied=applied)


def _is_postgresql(location: str | Path) -> bool:
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


def _folder(location: str | Path) -> Path:
    if isinstance(location, str) and "://" in location:
        raise ArchiveError(f"no search backend for {location.split('://')[0]}:// in this version of arhiva; "
                           "give the index's folder")
    return Path(location)
