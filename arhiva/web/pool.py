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
the index open, its answers kept, the index caught up with the journal in
the background when it is behind.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from arhiva.archive import Archive
from arhiva.errors import ArchiveError
from arhiva.web.searcher import Answer, SharedSearcher

log = logging.getLogger(__name__)

_searcher: SharedSearcher | None = None  # the search process's own


def _start(root: str) -> None:
    """A search process's start: the archive, its index opened and warmed."""
    global _searcher
    _searcher = SharedSearcher(Archive.open(Path(root)))
    _searcher.warm()


def _call(method: str, args: tuple, options: dict):
    return getattr(_searcher, method)(*args, **options)


def _ready() -> bool:
    return _searcher is not None


class PooledSearcher:
    """:class:`~arhiva.web.searcher.SharedSearcher`'s searches, run by ``processes`` processes."""

    def __init__(self, archive: Archive, processes: int) -> None:
        self.archive = archive
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None
        self._making = threading.Lock()

    def _executor(self) -> ProcessPoolExecutor:
        with self._making:
            if self._pool is None:
                # Spawned, not forked: the server has threads (a fork copies their locks as they are).
                self._pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_start, initargs=(str(self.archive.root),))
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

    def search(self, text: str, skip: int = 0, **options) -> Answer:
        return self._run("search", text, skip, **options)

    def similar(self, doc_id: str, limit: int = 10) -> Answer:
        return self._run("similar", doc_id, limit)

    def count(self) -> tuple[int, list[str]]:
        return self._run("count")

    def close(self) -> None:
        with self._making:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
