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

import itertools
import logging
import threading
from collections import OrderedDict, deque
from dataclasses import dataclass, field, replace

from arhiva.archive import Archive, journal_since
from arhiva.archive.document import TEXT_FILE
from arhiva.errors import ArchiveError, ArhivaError
from arhiva.maintenance import catch_up, is_current, open_index
from arhiva.search import Results, SearchIndex

log = logging.getLogger(__name__)


@dataclass
class Answer:
    """What a search gave, and what the reader must be told about the index (one line each)."""

    results: Results | int  # a search's results, or a count
    notes: list[str] = field(default_factory=list)


#: How many answers a server keeps, to give again while the index does not change.
CACHED_ANSWERS = 512
#: A word in no index, searched as the server warms up: its "did you mean" reads the index's words
#: once (0.15 s at 100,000 documents), which the first misspelt word of a clerk would pay otherwise.
NO_SUCH_WORD = "qzxwarhiva"


class FairLock:
    """A lock granted in the order it was asked for.

    ``threading.Lock`` lets any waiter (or a newcomer) take a lock as it is
    released: under load some requests waited behind many later ones, and
    the slowest answers grew. Here each waiter is handed the lock in turn.

    >>> lock = FairLock()
    >>> with lock:
    ...     lock.locked()
    True
    >>> lock.locked()
    False
    """

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._waiting: deque[threading.Lock] = deque()
        self._held = False

    def locked(self) -> bool:
        return self._held

    def acquire(self) -> None:
        with self._guard:
            if not self._held:
                self._held = True
                return
            turn = threading.Lock()
            turn.acquire()
            self._waiting.append(turn)
        turn.acquire()  # released by release(), which hands the lock over (it stays held)

    def release(self) -> None:
        with self._guard:
            if self._waiting:
                self._waiting.popleft().release()
            else:
                self._held = False

    def __enter__(self) -> FairLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


class KeptAnswers:
    """The answers a server keeps, at most ``size``, the least recently used given up first; each is
    stored and given out as a copy that a request may change. Not locked: its owner holds a lock.

    >>> kept = KeptAnswers(1)
    >>> kept.put("a", Results([], 1)); kept.put("b", Results([], 2))
    >>> kept.get("a") is None, kept.get("b").total
    (True, 2)
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._answers: OrderedDict[tuple, Results] = OrderedDict()

    def get(self, key) -> Results | None:
        results = self._answers.get(key)
        if results is None:
            return None
        self._answers.move_to_end(key)
        return copy_results(results)

    def put(self, key, results: Results) -> None:
        if not self.size:
            return
        self._answers[key] = copy_results(results)
        while len(self._answers) > self.size:
            self._answers.popitem(last=False)

    def clear(self) -> None:
        self._answers.clear()


class SharedSearcher:
    """The archive's index, opened once and shared by the requests of one server.

    It keeps the last :data:`CACHED_ANSWERS` answers, each under the
    identity of the index it came from (its build and the journal entry it
    is current with): a search asked again while the index has not changed
    is answered from memory. An answer is kept only while the index holds
    every change of the journal; whatever changes in the archive goes
    through the journal, so a kept answer is never older than the archive.
    """

    def __init__(self, archive: Archive, cached: int = CACHED_ANSWERS) -> None:
        self.archive = archive
        self._index: SearchIndex | None = None
        self._use = FairLock()  # one request at a time in the index, in the order they came
        self._catching_up = threading.Lock()  # at most one background catch-up
        self._last_problem: str | None = None
        self._answers = KeptAnswers(cached)

    def _open(self) -> SearchIndex:
        if self._index is None:
            self._index = open_index(self.archive)
        return self._index

    def close(self) -> None:
        with self._use:
            if self._index is not None:
                self._index.close()
                self._index = None
            self._answers.clear()

    def warm(self) -> None:
        """Open the index and search it (the first search reads the index's tables and loads the
        analysis; the first word in no document reads the index's words, for "did you mean"): what a
        server does as it starts, so that no clerk's request pays for it."""
        try:
            for word in ("arhiva", NO_SUCH_WORD):
                self._run(lambda index: index.search(word, limit=1))
        except ArhivaError as err:  # the first request says it
            log.info("warming the search index: %s", err)

    def search(self, text: str, skip: int = 0, **options) -> Answer:
        """:meth:`SearchIndex.search` with the archive's texts for snippets (``options`` as there).

        ``skip``: the hits before the page shown get no snippets (their texts are not read).
        """
        asked = itertools.count()

        def text_of(doc_id: str) -> str:  # the cleaned text, read without its manifest (a quarter of the time)
            return "" if next(asked) < skip else self.archive.read_member(doc_id, TEXT_FILE).decode("utf-8")

        # The index names a withdrawn document until it catches up with the withdrawal; until then, this
        # leaves it out.
        def ask(index: SearchIndex) -> Results:
            return index.search(text, text_of=text_of, exists=self.archive.has,
                                withdrawn=self.archive.is_withdrawn, **options)

        return self._run(ask, key=("search", text, skip, tuple(sorted(options.items()))))

    def similar(self, doc_id: str, limit: int = 10) -> Answer:
        def ask(index: SearchIndex) -> Results:
            return index.similar(doc_id, self.archive.text(doc_id), limit=limit, exists=self.archive.has,
                                 withdrawn=self.archive.is_withdrawn)

        return self._run(ask, key=("similar", doc_id, limit))

    def identity(self) -> tuple | None:
        """The identity of the index (its build, the journal entry it holds, its table of contents) when it
        holds every change of the journal; None when it is behind (a catch-up then starts) or cannot be read."""
        try:
            with self._use:
                return self._freshness(self._open())[1]
        except ArhivaError:
            return None

    def count(self) -> tuple[int, list[str]]:
        """How many documents the index holds, and the notes on how current it is."""
        answer = self._run(lambda index: index.doc_count())
        return answer.results, answer.notes

    def _run(self, ask, key: tuple | None = None) -> Answer:
        with self._use:
            index = self._open()
            notes, identity = self._freshness(index)
            if key is not None and identity is not None:
                key = (identity, *key)
                kept = self._answers.get(key)
                if kept is not None:
                    return Answer(kept, notes)
            try:
                results = ask(index)
            except ArchiveError:
                # A damaged or swapped index: open it afresh at the next request.
                index.close()
                self._index = None
                self._answers.clear()
                raise
            if key is not None and identity is not None:
                self._answers.put(key, results)
            return Answer(results, notes)

    def _freshness(self, index: SearchIndex) -> tuple[list[str], tuple | None]:
        """Notes on how current the index is, and its identity when it holds every change of the journal
        (None when it is behind); starts a background catch-up when it is behind."""
        try:
            state = index.state()
            if is_current(self.archive, index):
                return [], (state.build, state.applied, state.toc)
            applied = state.applied
            pending = len({e.id for e in journal_since(self.archive, applied[0])}) if applied else None
        except ArchiveError as err:
            return [f"cannot tell whether the search index is up to date: {err}"], None
        self._start_catch_up()
        count = f"{pending} document{'' if pending == 1 else 's'}" if pending else "documents"
        notes = [f"the search index is behind the archive: {count} not yet indexed; it is being updated now, "
                 "so results may be incomplete: try again in a moment"]
        if self._last_problem:
            notes.append(f"the last update of the search index failed: {self._last_problem}")
        return notes, None

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


def copy_results(results: Results) -> Results:
    """Results that a request may change (its page of hits, its warnings) without changing the kept ones."""
    return replace(results, hits=list(results.hits), warnings=list(results.warnings))
