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
        self._answers: OrderedDict[tuple, Results] = OrderedDict()
        self._cached = cached

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

        def ask(index: SearchIndex) -> Results:
            withdrawn: set[str] = set()
            results = index.search(text, text_of=text_of, exists=lambda d: self._shown(d, withdrawn), **options)
            return _withdrawn_said(results, withdrawn)

        return self._run(ask, key=("search", text, skip, tuple(sorted(options.items()))))

    def similar(self, doc_id: str, limit: int = 10) -> Answer:
        def ask(index: SearchIndex) -> Results:
            withdrawn: set[str] = set()
            results = index.similar(doc_id, self.archive.text(doc_id), limit=limit,
                                    exists=lambda d: self._shown(d, withdrawn))
            return _withdrawn_said(results, withdrawn)

        return self._run(ask, key=("similar", doc_id, limit))

    def _shown(self, doc_id: str, withdrawn: set[str]) -> bool:
        """Whether a document the index names may be shown: still in the archive, and not withdrawn (the
        index drops a withdrawn document when it catches up with the journal; until then, this does).
        A withdrawn one is added to ``withdrawn``."""
        if not self.archive.has(doc_id):
            return False
        if self.archive.is_withdrawn(doc_id):
            withdrawn.add(doc_id)
            return False
        return True

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
                if key in self._answers:
                    self._answers.move_to_end(key)
                    return Answer(copy_results(self._answers[key]), notes)
            try:
                results = ask(index)
            except ArchiveError:
                # A damaged or swapped index: open it afresh at the next request.
                index.close()
                self._index = None
                self._answers.clear()
                raise
            if key is not None and identity is not None and self._cached:
                self._answers[key] = copy_results(results)
                while len(self._answers) > self._cached:
                    self._answers.popitem(last=False)
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


def _withdrawn_said(results: Results, withdrawn: set[str]) -> Results:
    """The results with the line of each withdrawn document left out saying so: the search index names it
    until it catches up with the withdrawal, and the line :meth:`Results.leave_out` writes (a document gone
    from the archive, to reindex) would be wrong for it."""
    if withdrawn:
        short = {doc_id[:12] for doc_id in withdrawn}
        results.warnings = [withdrawn_line(line, short) for line in results.warnings]
    return results


def withdrawn_line(line: str, short_ids: set[str]) -> str:
    """``line``, or the line saying the document is withdrawn when it is about one of ``short_ids``.

    >>> withdrawn_line("document 0123456789ab is in the index but no longer in the archive; run: arhiva reindex",
    ...                {"0123456789ab"})
    'document 0123456789ab is withdrawn, so it is not shown'
    >>> withdrawn_line("document 0123456789ab is shown without its text: x", {"0123456789ab"})
    'document 0123456789ab is shown without its text: x'
    """
    words = line.split(" ", 2)
    if len(words) == 3 and words[1] in short_ids and words[2].startswith("is in the index but no longer"):
        return f"document {words[1]} is withdrawn, so it is not shown"
    return line


def copy_results(results: Results) -> Results:
    """Results that a request may change (its page of hits, its warnings) without changing the kept ones."""
    return replace(results, hits=list(results.hits), warnings=list(results.warnings))
