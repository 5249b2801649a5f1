"""The embedded Whoosh backend: an index in a folder of the archive.

Rules kept here (paperless-ngx broke each of them):
- an index that cannot be opened or read is reported, never deleted and recreated;
- a writer that failed is cancelled and never committed;
- waiting for another process's writer lock is bounded and reported.
"""

from __future__ import annotations

import secrets
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TypeVar

from whoosh import index
from whoosh.codec import default_codec
from whoosh.index import LockError

from arhiva.errors import ArchiveError, ArhivaError
from arhiva.search import query as querylang
from arhiva.search import tree
from arhiva.search.backend import Found
from arhiva.search.records import IndexDoc
from arhiva.search.whoosh_backend import private
from arhiva.search.whoosh_backend.ranking import top_documents
from arhiva.search.whoosh_backend.schema import WEIGHTING, make_schema
from arhiva.search.whoosh_backend.state import (
    SCHEMA_VERSION, STATE_FILE, IndexState, check_toc, fsync, read_state, write_state,
)
from arhiva.search.whoosh_backend.translate import expand_patterns, query_terms, to_whoosh
from arhiva.search.whoosh_backend.vocabulary import Vocabulary, most_frequent

T = TypeVar("T")

#: Seconds to wait for another process's writer lock.
LOCK_TIMEOUT = 60.0
#: How long opening an index waits for a rebuilt one being swapped in, in seconds.
SWAP_WAIT = 2.0


class WhooshBackend:
    """An index of the archive's documents in ``folder``, for searching and writing.

    One searcher is kept open between searches, as Whoosh advises, and
    replaced when another writer has committed since, or a rebuilt index was
    swapped in: its per-segment tables (where each document's stored fields
    start, 100,000 offsets built in Python) are then read once, not at every
    search. Not for use by several threads at once.

    ``lock`` (the archive's index lock) is held while writing: every writer
    of one archive's index takes it, so that `reindex` never swaps the index
    folder under another writer. It is re-entrant: a caller holding it may add.

    Segments are written as separate files, never as one compound file (the
    writers' ``compound=False``): Whoosh reads the parts of a compound file into
    memory when a searcher opens (0.44 s at 100,000 documents), while separate
    files it maps lazily (under 1 ms). ``block_size``: postings per block
    (whoosh3's default, 128, when None; tests use small blocks).
    """

    def __init__(self, ix: index.Index, folder: Path, lock=None, block_size: int | None = None) -> None:
        self._ix = ix
        self.folder = folder
        self.lock = lock
        self.block_size = block_size
        self._searcher = None
        self._build: str | None = None
        #: The words of a field, for close_words, kept with the searcher they were read from.
        self._vocabularies: dict[str, Vocabulary] = {}

    # -- opening ---------------------------------------------------------------

    @classmethod
    def open(cls, folder: Path, lock=None, block_size: int | None = None) -> WhooshBackend:
        """Open an existing index; report, never repair, one that is missing or damaged.

        A rebuilt index being swapped in (``reindex`` renames the old folder away, then the new one
        into its place) is waited for, up to :data:`SWAP_WAIT` seconds, not reported as missing."""
        deadline = time.monotonic() + SWAP_WAIT
        retried = False
        while True:
            try:
                return cls._open(folder, lock, block_size)
            except (ArchiveError, OSError):
                if _swapping(folder) and time.monotonic() < deadline:
                    time.sleep(0.02)
                elif not retried:
                    retried = True  # a swap may have ended while the index was being read: once more
                else:
                    raise

    @classmethod
    def _open(cls, folder: Path, lock=None, block_size: int | None = None) -> WhooshBackend:
        if not private.has_index(folder):
            raise ArchiveError(f"the search index is missing ({folder}); run: arhiva reindex")
        state = read_state(folder)
        if state.schema_version is None and (folder / STATE_FILE).exists():
            raise ArchiveError(f"the search index {folder} is damaged ({STATE_FILE} is unreadable); "
                               "run: arhiva reindex")
        if state.schema_version != SCHEMA_VERSION:
            raise ArchiveError(
                f"the search index was built by another version of arhiva (schema {state.schema_version}, "
                f"this one needs {SCHEMA_VERSION}); run: arhiva reindex"
            )
        check_toc(folder, state)
        try:
            return cls(index.open_dir(str(folder)), folder, lock, block_size)
        except Exception as err:  # noqa: BLE001 - Whoosh raises many kinds when files are damaged
            raise damaged(folder, err) from err

    @classmethod
    def create(cls, folder: Path, lock=None, applied=None, block_size: int | None = None) -> WhooshBackend:
        """Make a new, empty index in ``folder``, which must not hold one.

        ``applied``: the journal entry (``seq`` and ``hash``) it is up to date
        with, when it is made for an archive that holds nothing yet.
        """
        if private.has_index(folder):
            raise ArchiveError(f"a search index already exists in {folder}")
        folder.mkdir(parents=True, exist_ok=True)
        ix = index.create_in(str(folder), make_schema())
        write_state(folder, secrets.token_hex(8), mark(applied))
        return cls(ix, folder, lock, block_size)

    def state(self) -> IndexState:
        return read_state(self.folder)

    def applied(self) -> tuple[int, str] | None:
        return self.state().applied

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self._vocabularies = {}

    def _codec(self):
        return default_codec(blocklimit=self.block_size) if self.block_size else default_codec()

    def _locked(self):
        return self.lock if self.lock is not None else nullcontext()

    def _swapped(self) -> bool:
        """Whether a rebuilt index was swapped in (or is being) since the searcher was opened;
        waits, up to :data:`SWAP_WAIT` seconds, for a swap in progress to end."""
        deadline = time.monotonic() + SWAP_WAIT
        while _swapping(self.folder) and time.monotonic() < deadline:
            time.sleep(0.02)
        try:
            return read_state(self.folder).build != self._build or self._build is None
        except Exception:  # noqa: BLE001 - an unreadable state: not a swap, the index's own damage
            return False

    def _once_more_if_swapped(self, read: Callable[[], T]) -> T:
        """``read()``, and once more on a new searcher when it failed because a rebuilt index was
        swapped in under it (files of the old one gone before they were opened)."""
        try:
            return read()
        except Exception:  # noqa: BLE001 - see _swapped; any other failure is raised as it was
            if not self._swapped():
                raise
            self.close()
            return read()

    def _reader(self):
        """The open searcher, on the latest committed version of the index (once more when a
        rebuilt index was swapped in while it was being opened)."""
        return self._once_more_if_swapped(self._latest_searcher)

    def _latest_searcher(self):
        state = read_state(self.folder)
        build = state.build
        if self._searcher is not None and (build != self._build or not self._searcher.up_to_date()):
            # A new searcher, not ``refresh()``: whoosh3 3.54.0's refresh keeps
            # a segment's old reader when only its deletions have changed, so
            # a replaced document would still be found (docs/whoosh-upstream.md);
            # and a rebuilt index swapped in may have the same generation number as the old one.
            self._searcher.close()
            self._searcher = None
        if self._searcher is None:
            self._vocabularies = {}
            check_toc(self.folder, state)
            self._searcher = self._ix.searcher(weighting=WEIGHTING)
            self._build = build
        return self._searcher

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Report damage found while reading the index (a flipped bit, a truncated file) in one line."""
        try:
            yield
        except ArhivaError:
            raise
        except Exception as err:  # noqa: BLE001 - a damaged file makes Whoosh raise any kind, MemoryError too
            self.close()
            raise damaged(self.folder, err) from err

    # -- writing -------------------------------------------------------------

    def write(self, docs: Iterable[IndexDoc] = (), delete: Iterable[str] = (), applied=None) -> int:
        """Add or replace ``docs`` and delete the documents ``delete`` names, in one
        commit under the index lock; on any error nothing is committed.

        ``applied``: the last journal entry (``seq`` and ``hash``) whose
        changes the index holds once these are written, recorded after the commit.
        """
        with self._locked():
            try:
                writer = self._ix.writer(timeout=LOCK_TIMEOUT, compound=False, codec=self._codec())
            except LockError as err:
                raise ArchiveError(
                    f"the search index is busy: another arhiva process has been writing to it for "
                    f"over {LOCK_TIMEOUT:.0f} s; try again when it has finished"
                ) from err
            except Exception as err:  # noqa: BLE001 - a damaged TOC
                raise damaged(self.folder, err) from err
            count = 0
            try:
                for doc in docs:
                    with self._reading():  # replacing a document reads the index
                        writer.update_document(**doc.fields())
                    count += 1
                for doc_id in delete:
                    with self._reading():
                        count += writer.delete_by_term("id", doc_id)
            except BaseException:
                writer.cancel()
                raise
            if count:
                with self._reading():
                    writer.commit()
            else:
                writer.cancel()
            if count or applied is not None:
                state = self.state()
                write_state(self.folder, state.build, mark(applied) if applied is not None else state.applied)
        return count

    # -- reading -------------------------------------------------------------

    def check(self, sample: int = 300) -> set[str]:
        """Read the index through, to find damage; return the indexed IDs.

        Every stored field and every term is read, and the postings of terms
        spread over the whole dictionary: a truncated or missing segment file
        fails one of these reads.
        """
        with self._reading(), self._ix.searcher() as searcher:
            ids = {stored["id"] for stored in searcher.all_stored_fields()}
            reader = searcher.reader()
            terms = list(reader.all_terms())
            for fieldname, term in terms[:: max(1, len(terms) // sample)]:
                for _ in reader.postings(fieldname, term).all_ids():
                    pass
            return ids

    def ids(self) -> set[str]:
        with self._reading():
            return {stored["id"] for stored in self._reader().all_stored_fields()}

    def contains(self, doc_id: str) -> bool:
        with self._reading():
            return self._reader().document_number(id=doc_id) is not None

    def doc_count(self) -> int:
        with self._reading():
            return self._ix.doc_count()

    def frequency(self, field: str, term: str) -> int:
        with self._reading():
            return self._reader().doc_frequency(field, term)

    def close_words(self, field: str, term: str, limit: int = 1, maxdist: int = 2) -> list[str]:
        """Indexed words of ``field`` at most ``maxdist`` edits from ``term``, most frequent first."""
        with self._reading():
            reader = self._reader().reader()  # may replace the searcher, and forget its vocabularies
            if field not in self._vocabularies:
                self._vocabularies[field] = Vocabulary.of(reader, field)
            close = self._vocabularies[field].within(term, maxdist)
            return most_frequent(close, lambda word: reader.frequency(field, word), term, limit, maxdist)

    def search(self, q: tree.Node | None, filters: querylang.Filters = querylang.Filters(), sort: str = "relevance",
               limit: int = 10) -> Found:
        """The ``limit`` best documents for the parsed query ``q`` and the filters
        (see :mod:`arhiva.search.backend`)."""
        whole = to_whoosh(querylang.with_filters(q, filters))

        def read():
            searcher = self._reader()
            expanded = expand_patterns(whole, searcher.reader())
            found = top_documents(searcher, expanded, limit, sort, querylang.RELAXED)
            return expanded, found, [(score, searcher.stored_fields(docnum)) for score, docnum in found.top]

        with self._reading():
            expanded, found, hits = self._once_more_if_swapped(read)
        words = [(querylang.to_tree(word), str(word)) for word in found.words]
        missing = [found.missing.get(docnum, ()) for _, docnum in found.top]
        terms, phrases = query_terms(expanded)
        return Found(hits, found.total, found.total_exact, found.partial, missing, words, terms, phrases)

    def similar(self, doc_id: str, text: str, limit: int = 10) -> list[tuple[float, dict]]:
        """Documents most like ``doc_id`` (itself excluded), judged by the distinctive terms of its text."""
        with self._reading():
            searcher = self._reader()
            docnum = searcher.document_number(id=doc_id)
            if docnum is None:
                raise ArchiveError(f"document {doc_id[:12]} is not in the search index; run: arhiva reindex")
            found = searcher.more_like(docnum, "content", text=text, top=limit, numterms=12)
            return [(float(result.score or 0.0), result.fields()) for result in found]


def _swapping(folder: Path) -> bool:
    """Whether a rebuilt index is being swapped in for ``folder`` (see :func:`rebuild`)."""
    return folder.with_name(folder.name + ".new").exists() or folder.with_name(folder.name + ".old").exists()


def damaged(folder: Path, err: BaseException) -> ArchiveError:
    """The one-line report of an index that cannot be read as it is."""
    message = querylang.shorten(" ".join(str(err).split()), 100)
    return ArchiveError(f"the search index {folder} is damaged ({type(err).__name__}: {message}); "
                        "run: arhiva reindex")


def mark(applied) -> tuple[int, str] | None:
    """A journal entry or head as the index records it: (``seq``, ``hash``)."""
    return (applied.seq, applied.hash) if applied is not None else None


def rebuild(folder: Path, docs: Iterable[IndexDoc], on_doc: Callable[[], None] | None = None,
            lock=None, applied=None, block_size: int | None = None) -> int:
    """Build a fresh index beside ``folder`` and swap it in, under ``lock``, only when it is complete.

    ``applied``: the journal entry (``seq`` and ``hash``) the index is up to
    date with, noted before the documents were read.
    """
    fresh = folder.with_name(folder.name + ".new")
    old = folder.with_name(folder.name + ".old")
    shutil.rmtree(fresh, ignore_errors=True)
    new_index = WhooshBackend.create(fresh, block_size=block_size)
    build = new_index.state().build
    writer = new_index._ix.writer(limitmb=64, compound=False, codec=new_index._codec())
    count = 0
    try:
        for doc in docs:
            writer.add_document(**doc.fields())
            count += 1
            if on_doc:
                on_doc()
    except BaseException:
        writer.cancel()
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    writer.commit()
    write_state(fresh, build, mark(applied))
    with lock if lock is not None else nullcontext():
        shutil.rmtree(old, ignore_errors=True)
        if folder.exists():
            folder.rename(old)
        fresh.rename(folder)
        fsync(folder.parent)
        shutil.rmtree(old, ignore_errors=True)
    return count
