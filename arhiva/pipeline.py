"""Ingesting a batch: files → pages of raw text → clean text → archive → index.

Pages of all documents run in parallel across processes; everything that
writes (the archive and the index) happens here, in the parent process.
One bad file or page never stops the batch: it is recorded and the rest go in.
"""

from __future__ import annotations

import logging
import os
import platform
import signal
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from arhiva import __version__
from arhiva.archive import Archive, NewDocument, Staged, catalog, now_iso
from arhiva.errors import ArchiveError, ArhivaError
from arhiva.files import find_files
from arhiva.ingest import DocumentPlan, OcrEngine, PageJob, PageText, plan_document, run_page_job
from arhiva.metadata import extract as extract_metadata
from arhiva.repair import DEFAULT_CONFIG, clean
from arhiva.romanian.lexicon import data_version as lexicon_data_version
from arhiva.search import IndexDoc, SearchIndex

log = logging.getLogger(__name__)

INGESTED, DUPLICATE, FAILED = "ingested", "duplicate", "failed"
#: Between pages in the stored text: a form feed, on a line of its own.
PAGE_BREAK = "\n\f"
#: Documents started per worker before earlier ones finish: enough to keep every
#: worker busy, few enough to bound what sits in staging.
DOCS_IN_FLIGHT = 4
#: Index commits are grouped: at most this many documents or seconds apart.
INDEX_BATCH, INDEX_SECONDS = 50, 20.0


@dataclass
class Outcome:
    """What happened to one input file."""

    path: str
    status: str
    doc_id: str | None = None
    reason: str | None = None
    pages: int = 0
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        data = {"path": self.path, "status": self.status, "id": self.doc_id, "pages": self.pages}
        if self.reason:
            data["reason"] = self.reason
        if self.warnings:
            data["warnings"] = self.warnings
        return data


@dataclass
class Progress:
    files_done: int
    files_total: int
    pages_done: int
    pages_total: int
    outcome: Outcome | None = None


@dataclass
class BatchReport:
    outcomes: list[Outcome]
    index_problem: str | None = None

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def ok(self) -> bool:
        return self.count(FAILED) == 0 and self.index_problem is None


@dataclass
class _Doc:
    path: Path
    staged: Staged
    plan: DocumentPlan | None = None
    pages: list[PageText | PageJob] = field(default_factory=list)
    remaining: int = 0
    warnings: list[str] = field(default_factory=list)


def ingest(
    paths: list[Path],
    archive: Archive,
    engine: OcrEngine,
    jobs: int = 0,
    on_progress: Callable[[Progress], None] | None = None,
    timeout: float | None = None,
) -> BatchReport:
    """Ingest every file under ``paths`` into ``archive``; never raises for a bad file.

    ``timeout`` bounds, in seconds, each step of a file run in a worker process
    (reading its structure, rendering and OCR of one page): a file that takes
    longer is given up, and its worker killed. Without it, and with one job,
    everything runs in this process.
    """
    return _Batch(archive, engine, jobs or os.cpu_count() or 1, on_progress, timeout).run(paths)


class _Batch:
    def __init__(self, archive: Archive, engine: OcrEngine, jobs: int, on_progress, timeout: float | None) -> None:
        self.archive = archive
        self.engine = engine
        self.jobs = max(1, jobs)
        self.timeout = timeout
        self.started: dict[Future, float] = {}
        self.on_progress = on_progress or (lambda progress: None)
        self.outcomes: list[Outcome] = []
        self.pending: dict[Future, tuple[_Doc, int | None, int, Executor]] = {}
        self.seen: set[str] = set()
        self.open_docs: dict[int, _Doc] = {}
        self.to_index: list[IndexDoc] = []
        self.last_commit = time.monotonic()
        self.files_total = self.pages_total = self.pages_done = 0
        self.index, self.index_problem = _open_index(archive)
        self.software = {
            "arhiva": __version__,
            "python": platform.python_version(),
            "ocr": engine.describe(),
            "cleanup": DEFAULT_CONFIG.enabled(),
            "language_data": lexicon_data_version(),
        }

    def run(self, paths: list[Path]) -> BatchReport:
        self.archive.sweep_staging()
        found = find_files(paths)
        self.files_total = len(found)
        order = {str(item.path): n for n, item in enumerate(found)}
        queue = deque()
        for item in found:
            if item.problem:
                self._finish(Outcome(str(item.path), FAILED, reason=item.problem))
            else:
                queue.append(item.path)
        self.executor = self._new_executor()
        try:
            while queue or self.pending:
                while queue and len(self.open_docs) < DOCS_IN_FLIGHT * self.jobs:
                    self._start(queue.popleft())
                if not self.pending:
                    continue
                done, _ = wait(list(self.pending), timeout=self.timeout and 1.0, return_when=FIRST_COMPLETED)
                for future in done:
                    doc, page_index, tries, executor = self.pending.pop(future)
                    if self._collect(future, doc, page_index, tries, executor):
                        del self.open_docs[id(doc)]
                if self.timeout:
                    self._give_up_stuck_tasks()
        except BaseException:
            self.executor.shutdown(wait=False, cancel_futures=True)
            for doc in self.open_docs.values():
                self.archive.discard(doc.staged)
            raise
        self.executor.shutdown()
        self._flush_index()
        self.outcomes.sort(key=lambda o: order.get(o.path, -1))
        return BatchReport(self.outcomes, self.index_problem)

    # -- one document ---------------------------------------------------------

    def _start(self, path: Path) -> None:
        try:
            staged = self.archive.stage(path)
        except OSError as err:
            self._finish(Outcome(str(path), FAILED, reason=f"cannot read: {(err.strerror or str(err)).lower()}"))
            return
        if staged.size == 0:
            self.archive.discard(staged)
            self._finish(Outcome(str(path), FAILED, reason="empty file"))
            return
        if staged.doc_id in self.seen or self.archive.has(staged.doc_id):
            self.archive.discard(staged)
            if staged.doc_id not in self.seen:
                self._heal_index(staged.doc_id)
            self._finish(Outcome(str(path), DUPLICATE, staged.doc_id))
            return
        self.seen.add(staged.doc_id)
        doc = _Doc(path, staged)
        self.open_docs[id(doc)] = doc
        self._submit(doc, None, 0)

    def _submit(self, doc: _Doc, page_index: int | None, tries: int) -> None:
        if page_index is None:
            future = self.executor.submit(plan_document, doc.staged.original)
        else:
            future = self.executor.submit(run_page_job, doc.pages[page_index], self.engine)
        self.pending[future] = (doc, page_index, tries, self.executor)

    def _collect(self, future: Future, doc: _Doc, page_index: int | None, tries: int, executor: Executor) -> bool:
        """Take one finished task; return True when the document is finished."""
        try:
            result = future.result()
        except BrokenProcessPool:
            # A worker died (a crash in a PDF or image library), and every task
            # in its pool failed with it. Start new workers once, and try each
            # task once more before blaming its file.
            if executor is self.executor:
                self.executor.shutdown(wait=False, cancel_futures=True)
                self.executor = self._new_executor()
            if tries < 1:
                self._submit(doc, page_index, tries + 1)
                return False
            result = ArhivaError("the file crashed the reader")
        except ArhivaError as err:
            result = err
        except Exception as err:  # noqa: BLE001 - a library bug must not stop the batch
            log.debug("unexpected error on %s", doc.path, exc_info=True)
            result = ArhivaError(f"unexpected error: {type(err).__name__}: {err}")
        if page_index is None:
            return self._planned(doc, result)
        return self._page_done(doc, page_index, result)

    def _give_up_stuck_tasks(self) -> None:
        """Fail the tasks running longer than the timeout; kill their workers, requeue the rest."""
        now = time.monotonic()
        for future in self.pending:
            if future not in self.started and future.running():
                self.started[future] = now
        stuck = [f for f in self.pending if now - self.started.get(f, now) > self.timeout]
        if not stuck:
            return
        for future in stuck:
            doc, page_index, _, _ = self.pending.pop(future)
            what = "reading the file" if page_index is None else f"page {page_index + 1}"
            error = ArhivaError(f"gave up after {self.timeout:g} s on {what} (see --file-timeout)")
            done = self._planned(doc, error) if page_index is None else self._page_done(doc, page_index, error)
            if done:
                self.open_docs.pop(id(doc), None)
        _kill_workers(self.executor)
        self.executor = self._new_executor()
        self.started.clear()
        for future, (doc, page_index, tries, _) in list(self.pending.items()):
            del self.pending[future]
            self._submit(doc, page_index, tries)

    def _new_executor(self) -> Executor:
        if self.jobs == 1 and not self.timeout:
            return _InlineExecutor()
        return ProcessPoolExecutor(max_workers=self.jobs, initializer=_init_worker)

    def _planned(self, doc: _Doc, result: DocumentPlan | ArhivaError) -> bool:
        if isinstance(result, ArhivaError):
            return self._fail(doc, str(result))
        doc.plan = result
        doc.pages = list(result.pages)
        doc.warnings.extend(result.warnings)
        jobs = result.jobs
        self.pages_total += len(doc.pages)
        self.pages_done += len(doc.pages) - len(jobs)
        if not jobs:
            return self._complete(doc)
        doc.remaining = len(jobs)
        for index, _ in jobs:
            self._submit(doc, index, 0)
        return False

    def _page_done(self, doc: _Doc, index: int, result: PageText | ArhivaError) -> bool:
        if isinstance(result, ArhivaError):
            doc.warnings.append(f"page {index + 1} could not be read: {result}")
            result = PageText("", "failed", warnings=[str(result)])
        doc.pages[index] = result
        doc.remaining -= 1
        self.pages_done += 1
        self._report()
        if doc.remaining:
            return False
        if all(isinstance(p, PageText) and p.method == "failed" for p in doc.pages):
            return self._fail(doc, "no page could be read: " + str(doc.pages[0].warnings[0]))
        return self._complete(doc)

    def _complete(self, doc: _Doc) -> bool:
        pages = [p for p in doc.pages if isinstance(p, PageText)]
        raw = [p.text for p in pages]
        result = clean(PAGE_BREAK.join(raw), origins=[p.method for p in pages])
        plan = doc.plan
        assert plan is not None
        for number, page in enumerate(pages, start=1):
            doc.warnings.extend(f"page {number}: {w}" for w in page.warnings if page.method != "failed")
        if not result.text.strip():
            doc.warnings.append("no text found in the document")
        stat = doc.path.stat() if doc.path.exists() else None
        manifest = {
            "title": title_of(result.text),
            "source": {
                "name": doc.path.name,
                "path": str(doc.path.absolute()),
                "size": doc.staged.size,
                "modified": datetime.fromtimestamp(stat.st_mtime).astimezone().isoformat(timespec="seconds")
                if stat else None,
                "media_type": plan.media_type,
                **({"encoding": plan.encoding} if plan.encoding else {}),
            },
            "ingested_at": now_iso(),
            "software": self.software,
            "pages": [
                {"number": n, "file": f"pages/{n:04d}.txt", **p.to_json()} for n, p in enumerate(pages, start=1)
            ],
            "cleanup": {"fixers": DEFAULT_CONFIG.enabled(), "changes": {c.fixer: c.count for c in result.changes},
                        "sources": result.sources_json(), "log": "changes.json"},
            "metadata": {"extractor": f"arhiva {__version__}", "file": "metadata.json"},
            "warnings": doc.warnings,
        }
        metadata = extract_metadata(result.text).to_json()
        manifest["title"] = metadata.get("title") or manifest["title"]
        record = {"extractor": f"arhiva {__version__}", "extracted_at": now_iso(), "metadata": metadata}
        new = NewDocument(plan.media_type, raw, result.text, result.log_json(), manifest, record)
        try:
            stored = self.archive.commit(doc.staged, new)
        except FileExistsError:
            self.archive.discard(doc.staged)
            self._finish(Outcome(str(doc.path), DUPLICATE, doc.staged.doc_id))
            return True
        except OSError as err:
            self.archive.discard(doc.staged)
            return self._fail(doc, f"cannot write to the archive: {err}")
        self._index(stored, result.text, metadata)
        self._finish(Outcome(str(doc.path), INGESTED, doc.staged.doc_id, pages=len(pages), warnings=doc.warnings))
        return True

    def _index(self, manifest: dict, text: str, metadata: dict) -> None:
        """Queue a document for the index; commit in groups (a commit costs ~0.1 s of CPU)."""
        if self.index is None:
            return
        self.to_index.append(IndexDoc.from_manifest(manifest, text, metadata))
        if len(self.to_index) >= INDEX_BATCH or time.monotonic() - self.last_commit > INDEX_SECONDS:
            self._flush_index()

    def _flush_index(self) -> None:
        self.last_commit = time.monotonic()
        if self.index is None or not self.to_index:
            return
        docs, self.to_index = self.to_index, []
        try:
            with self.archive.index_lock:  # never while `reindex` swaps the index folder
                self.index.add(docs)
        except ArchiveError as err:
            self.index_problem = f"{err}; the documents are archived, run: arhiva reindex"

    def _heal_index(self, doc_id: str) -> None:
        """A document archived by an ingest that was interrupted before indexing it."""
        if self.index is not None and not self.index.contains(doc_id):
            self._index(self.archive.manifest(doc_id), self.archive.text(doc_id), catalog.effective(self.archive, doc_id))

    def _fail(self, doc: _Doc, reason: str) -> bool:
        self.archive.discard(doc.staged)
        self._finish(Outcome(str(doc.path), FAILED, doc.staged.doc_id, reason=reason))
        return True

    def _finish(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        self._report(outcome)

    def _report(self, outcome: Outcome | None = None) -> None:
        self.on_progress(Progress(len(self.outcomes), self.files_total, self.pages_done, self.pages_total, outcome))


def title_of(text: str, limit: int = 120) -> str:
    """The first line with words in it, as a provisional title.

    >>> title_of("\\n  12\\nComunicat de presă:\\nÎntâlnirea")
    'Comunicat de presă:'
    """
    for line in text.splitlines():
        line = " ".join(line.replace("\f", " ").split())
        if sum(ch.isalpha() for ch in line) >= 3:
            return line[:limit]
    return ""


def _open_index(archive: Archive) -> tuple[SearchIndex | None, str | None]:
    try:
        return SearchIndex.open(archive.index_dir), None
    except ArchiveError as err:
        if not archive.index_dir.exists() and next(archive.ids(), None) is None:
            return SearchIndex.create(archive.index_dir), None
        return None, f"{err}; documents are archived but not searchable until then"


def _kill_workers(executor: Executor) -> None:
    """Stop a process pool now, killing workers stuck in a task (a hostile file)."""
    processes = getattr(executor, "_processes", None) or {}  # the only handle on them
    for process in list(processes.values()):
        process.kill()
    executor.shutdown(wait=False, cancel_futures=True)


def _init_worker() -> None:
    # The parent handles Ctrl-C; workers just stop when it shuts them down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ["OMP_THREAD_LIMIT"] = "1"


class _InlineExecutor(Executor):
    """Runs each task at once in this process: for ``--jobs 1`` and for tests."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as err:  # noqa: BLE001 - delivered through the future
            future.set_exception(err)
        return future
