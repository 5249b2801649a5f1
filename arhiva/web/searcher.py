"""One search index kept open for every request of ``arhiva serve``.

Whoosh advises one searcher kept open: :class:`SharedSearcher` holds one
:class:`~arhiva.search.SearchIndex` and lets one request at a time use it
(the backend is not for several threads at once). Before each search it
compares the index with the archive's journal (two small reads): when the
index is behind, a background thread brings it up to date, with its own
handle on the archive and its own index, and the search answers at once from
the index as it is, saying that it is behind. A search never waits for an
ingest, a correction or a catch-up.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from arhiva.archive import Archive, journal_since
from arhiva.errors import ArchiveError
from arhiva.maintenance import catch_up, is_current, open_index
from arhiva.search import Results, SearchIndex

log = logging.getLogger(__name__)


@dataclass
class Answer:
    """What a search gave, and what the reader must be told about the index (one line each)."""

    results: Results | int  # a search's results, or a count
    notes: list[str] = field(default_factory=list)


class SharedSearcher:
    """The archive's index, opened once and shared by the requests of one server."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self._index: SearchIndex | None = None
        self._use = threading.Lock()  # one request at a time in the index
        self._catching_up = threading.Lock()  # at most one background catch-up
        self._last_problem: str | None = None

    def _open(self) -> SearchIndex:
        if self._index is None:
            self._index = open_index(self.archive)
        return self._index

    def close(self) -> None:
        with self._use:
            if self._index is not None:
                self._index.close()
                self._index = None

    def search(self, text: str, **options) -> Answer:
        """:meth:`SearchIndex.search` with the archive's texts for snippets (``options`` as there)."""
        return self._run(lambda index: index.search(text, text_of=self.archive.text, exists=self.archive.has,
                                                    **options))

    def similar(self, doc_id: str, limit: int = 10) -> Answer:
        text = self.archive.text(doc_id)
        return self._run(lambda index: index.similar(doc_id, text, limit=limit, exists=self.archive.has))

    def count(self) -> tuple[int, list[str]]:
        """How many documents the index holds, and the notes on how current it is."""
        answer = self._run(lambda index: index.doc_count())
        return answer.results, answer.notes

    def _run(self, ask) -> Answer:
        with self._use:
            index = self._open()
            notes = self._freshness(index)
            try:
                return Answer(ask(index), notes)
            except ArchiveError:
                # A damaged or swapped index: open it afresh at the next request.
                index.close()
                self._index = None
                raise

    def _freshness(self, index: SearchIndex) -> list[str]:
        """Notes on how current the index is; starts a background catch-up when it is behind."""
        try:
            if is_current(self.archive, index):
                return []
            applied = index.state().applied
            pending = len({e.id for e in journal_since(self.archive, applied[0])}) if applied else None
        except ArchiveError as err:
            return [f"cannot tell whether the search index is up to date: {err}"]
        self._start_catch_up()
        count = f"{pending} document{'' if pending == 1 else 's'}" if pending else "documents"
        notes = [f"the search index is behind the archive: {count} not yet indexed; it is being updated now, "
                 "so results may be incomplete: try again in a moment"]
        if self._last_problem:
            notes.append(f"the last update of the search index failed: {self._last_problem}")
        return notes

    def _start_catch_up(self) -> None:
        if not self._catching_up.acquire(blocking=False):
            return  # one is already running
        thread = threading.Thread(target=self._catch_up, name="arhiva-catch-up", daemon=True)
        try:
            thread.start()
        except BaseException:
            self._catching_up.release()
            raise

    def _catch_up(self) -> None:
        """Bring the index up to date, with a handle on the archive of its own (its locks are its own)."""
        try:
            archive = Archive.open(self.archive.root)
            index = open_index(archive)
            try:
                catch_up(archive, index)
                self._last_problem = None
            finally:
                index.close()
        except ArchiveError as err:  # another process is writing: the next search tries again
            self._last_problem = str(err)
            log.info("catching up the index: %s", err)
        except Exception as err:  # noqa: BLE001 - a background thread must not die silently
            self._last_problem = str(err)
            log.exception("catching up the index")
        finally:
            self._catching_up.release()
