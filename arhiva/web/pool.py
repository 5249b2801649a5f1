"""Searches of ``arhiva serve --workers N`` run by N processes, each taking the next one waiting.

A search is work for the processor (tens of milliseconds at 100,000
documents) and Python runs one thread at a time: N processes search N at
once. The server itself stays one process, which reads the requests and
writes the pages; each search is handed to whichever search process is free,
in the order the requests came. (Several server processes sharing the
listening socket, uvicorn's ``--workers``, each keep the connections they
happen to accept: 20 clients on 2 processes were split 16 to 4, and one
process had four times the work of the other.)

Each search process keeps its own :class:`~arhiva.web.searcher.SharedSearcher`:
the index open, the index caught up with the journal in the background when
it is behind. The server keeps the answers, as a single process does (under
the identity of the index they came from): a search asked again is answered
without a search process, whichever process answered it first.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from arhiva.archive import Archive
from arhiva.errors import ArchiveError
from arhiva.search.index import keep_for_serving
from arhiva.web.searcher import CACHED_ANSWERS, Answer, KeptAnswers, SharedSearcher, copy_results

log = logging.getLogger(__name__)

_searcher: SharedSearcher | None = None  # the search process's own


def _start(root: str, processes: int) -> None:
    """A search process's start (one of ``processes``): the archive, its index opened and warmed;
    as a long-lived process, it keeps more of the index in memory than a command does."""
    global _searcher
    keep_for_serving(processes)
    _searcher = SharedSearcher(Archive.open(Path(root)), cached=0)  # the server keeps the answers
    _searcher.warm()


def _call(method: str, args: tuple, options: dict):
    return getattr(_searcher, method)(*args, **options)


def _ready() -> bool:
    return _searcher is not None


class PooledSearcher:
    """:class:`~arhiva.web.searcher.SharedSearcher`'s searches, run by ``processes`` processes."""

    def __init__(self, archive: Archive, processes: int, cached: int = CACHED_ANSWERS) -> None:
        self.archive = archive
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None
        self._making = threading.Lock()
        self._front = SharedSearcher(archive, cached=0)  # only to tell the index's identity
        self._answers = KeptAnswers(cached)
        self._pending: dict[tuple, Future] = {}  # searches being computed, for the same asked meanwhile
        self._keeping = threading.Lock()

    def _executor(self) -> ProcessPoolExecutor:
        with self._making:
            if self._pool is None:
                # Spawned, not forked: the server has threads (a fork copies their locks as they are).
                self._pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_start, initargs=(str(self.archive.root), self.processes))
            return self._pool

    def _run(self, method: str, *args, **options):
        pool = self._executor()
        try:
            return pool.submit(_call, method, args, options).result()
        except BrokenProcessPool as err:  # a search process died (killed, out of memory): start them again
            self._forget(pool)
            raise ArchiveError(f"a search process stopped ({err}); try again") from err

    def _forget(self, pool: ProcessPoolExecutor) -> None:
        """Drop a pool whose process died: the next search starts new ones."""
        with self._making:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)

    def warm(self) -> None:
        """Start the search processes (each opens the index and searches it once) before the first request."""
        pool = self._executor()
        try:
            for future in [pool.submit(_ready) for _ in range(self.processes)]:
                future.result()
        except BrokenProcessPool as err:  # the next search starts them again
            log.warning("starting the search processes: %s", err)
            self._forget(pool)

    def _kept(self, key: tuple, method: str, *args, **options) -> Answer:
        """The answer kept under the index's present identity, or one from a search process (kept when
        the index and the process both hold every change of the journal). The same search asked again
        while a process computes it waits for that answer rather than computing it again."""
        identity = self._front.identity() if self._answers.size else None
        if identity is None:
            return self._run(method, *args, **options)
        key = (identity, *key)
        with self._keeping:
            results = self._answers.get(key)
            if results is not None:
                return Answer(results)
            pending = self._pending.get(key)
            computing = pending is None
            if computing:
                pending = self._pending[key] = Future()
        if not computing:
            answer = pending.result()
            return Answer(copy_results(answer.results), list(answer.notes))
        try:
            answer = self._run(method, *args, **options)
        except BaseException as err:
            with self._keeping:
                del self._pending[key]
            pending.set_exception(err)
            raise
        with self._keeping:
            del self._pending[key]
            if not answer.notes:
                self._answers.put(key, answer.results)
        pending.set_result(Answer(copy_results(answer.results), list(answer.notes)))
        return answer

    def search(self, text: str, skip: int = 0, **options) -> Answer:
        return self._kept(("search", text, skip, tuple(sorted(options.items()))), "search", text, skip, **options)

    def similar(self, doc_id: str, limit: int = 10) -> Answer:
        return self._kept(("similar", doc_id, limit), "similar", doc_id, limit)

    def count(self) -> tuple[int, list[str]]:
        return self._run("count")

    def close(self) -> None:
        self._front.close()
        with self._keeping:
            self._answers.clear()
        with self._making:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
