"""Ingesting a batch: files → pages of raw text → clean text → archive → index.

Reading a file, each page's OCR and each document's clean-up and metadata run
as tasks in worker processes, in parallel; everything that writes (the archive
and the index) happens here, in the parent process. A worker is bounded in
memory (:mod:`arhiva.limits`) and each task in time (``timeout``), so no
input can take more than its limits. One bad file or page never stops the
batch: it is recorded and the rest go in. Only a full or read-only archive
disk stops it, since nothing more could be archived.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import shutil
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from arhiva import __version__
from arhiva.archive import Archive, NewDocument, Staged, catalog, journal_head
from arhiva.archive.disk import disk_problem
from arhiva.archive.document import COPY_FILE, WORDS_FILE, DocumentView, NewRecord, Source
from arhiva.archive.locks import LockBusyError
from arhiva.errors import ArchiveError, ArhivaError, DiskFullError
from arhiva.files import EVERYTHING, Selection, display_path, find_files
from arhiva.ingest import DocumentPlan, OcrEngine, PageJob, PageText, plan_document, run_page_job
from arhiva.ingest.page import unsure_figures
from arhiva.ingest.workers import init_worker, new_scratch
from arhiva.limits import DEFAULT_LIMITS, Limits
from arhiva.maintenance import catch_up, index_location, index_doc
from arhiva.metadata import extract as extract_metadata
from arhiva.pdfa import build_copy, wants_copy
from arhiva.repair import DEFAULT_CONFIG, CleanConfig, CleanResult, clean
from arhiva.romanian.lexicon import data_version as lexicon_data_version
from arhiva.search import IndexDoc, SearchIndex
from arhiva.tasks import TaskPool, TaskTimeout, wait_any

log = logging.getLogger(__name__)

INGESTED, DUPLICATE, FAILED = "ingested", "duplicate", "failed"
#: A file that is not a document (Thumbs.db, a checksum list...): left out with a note, not a failure.
SKIPPED = "skipped"
#: Between pages in the stored text: a form feed, on a line of its own.
PAGE_BREAK = "\n\f"
#: Documents started per worker before earlier ones finish: enough to keep every
#: worker busy, few enough to bound what sits in staging.
DOCS_IN_FLIGHT = 4
#: Index commits are grouped: at most this many documents or seconds apart.
INDEX_BATCH, INDEX_SECONDS = 50, 20.0
#: Seconds the batch's last index commit waits for another process writing to the index.
INDEX_WAIT = 10.0


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
    #: Why the batch stopped before its end (a full or read-only disk), in one line.
    stopped: str | None = None
    #: Documents left for the next reader of the index to index (it was busy), in one line.
    index_note: str | None = None

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def ok(self) -> bool:
        return self.count(FAILED) == 0 and self.index_problem is None and self.stopped is None


@dataclass
class _Doc:
    path: Path
    staged: Staged
    plan: DocumentPlan | None = None
    pages: list[PageText | PageJob] = field(default_factory=list)
    remaining: int = 0
    warnings: list[str] = field(default_factory=list)


#: The steps of a document that run as tasks: reading it, one page (its index), the clean-up.
PLAN, FINISH = "plan", "finish"
Step = int | str
#: The key of the task that loads the clean-up's language data in the finishing worker.
WARM_UP = (0, "warm-up")


@dataclass(frozen=True)
class Built:
    """A document's text after the clean-up, the metadata extracted from it, and its searchable copy."""

    cleaned: CleanResult
    metadata: dict
    #: The searchable PDF/A copy of a scanned document (:mod:`arhiva.pdfa`), and why there is none if it failed.
    copy: bytes | None = field(default=None, repr=False)
    copy_problem: str | None = None


def build_document(pages: list[PageText], config: CleanConfig = DEFAULT_CONFIG,
                   limits: Limits = DEFAULT_LIMITS, original: Path | None = None, media_type: str = "") -> Built:
    """Clean up the pages' text and extract its metadata: pure, and safe to run in a worker process.

    It runs where the batch's time and memory limits apply, like reading and OCR:
    the clean-up of a long text is the costliest step after OCR. Given the
    ``original`` of a scan, it also makes its searchable PDF copy.
    """
    limits.check_text(sum(len(page.text) for page in pages))
    cleaned = clean(PAGE_BREAK.join(page.text for page in pages), config=config,
                    origins=[page.method for page in pages])
    metadata = extract_metadata(cleaned.text, unsure_figures([page.layout for page in pages])).to_json()
    copy, problem = None, None
    if original is not None and wants_copy(media_type, [page.method for page in pages]):
        title = metadata.get("title") or title_of(cleaned.text)
        copy, problem = searchable_copy(original, media_type, pages, cleaned.text, title)
    return Built(cleaned, metadata, copy, problem)


def warm_up() -> None:
    """Load the clean-up's and the metadata's language data in this process (about 2 s of CPU, once).

    A batch's clean-ups run in one worker process of their own, which does this
    first, while the other workers read and OCR the first pages: the data is
    then loaded once a batch, not by every worker on its first document, and a
    one-document batch (a long PDF) no longer loads it after its last page.
    """
    text = "Primăria comunei Testeni\nȘedința consiliului local din 8 aprilie 2021 a aprobat bugetul.\n"
    build_document([PageText(text, "ocr"), PageText(text, "text-file")])


def searchable_copy(original: Path, media_type: str, pages: list[PageText], text: str,
                    title: str) -> tuple[bytes | None, str | None]:
    """The searchable PDF copy, or None and why not: a copy that fails never stops the document."""
    try:
        return build_copy(original, media_type, [page.layout for page in pages], text, title), None
    except MemoryError:
        raise
    except Exception as err:  # noqa: BLE001 - pikepdf and img2pdf fail in many ways on odd files
        log.debug("no searchable copy of %s", original, exc_info=True)
        reason = str(err).strip().splitlines()[0][:160] if str(err).strip() else type(err).__name__
        return None, f"no searchable PDF copy: {reason}"


def words_record(pages: list[PageText]) -> bytes:
    """Where OCR found each word of each page (None for a page not OCRed), as stored beside the copy:
    what rebuilding the copy needs, without OCR."""
    data = {"format": "arhiva-words", "version": 1,
            "pages": [page.layout.to_json() if page.layout else None for page in pages]}
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def new_document(plan: DocumentPlan, pages: list[PageText], built: Built, source: Source, software: dict,
                 warnings: list[str], config: CleanConfig = DEFAULT_CONFIG) -> NewDocument:
    """What the archive stores of a document, besides its original: pure."""
    result = built.cleaned
    warnings = warnings + [f"page {number}: {w}" for number, page in enumerate(pages, start=1)
                           if page.method != "failed" for w in page.warnings]
    if not result.text.strip():
        warnings.append("no text found in the document")
    if built.copy_problem:
        warnings.append(built.copy_problem)
    record = NewRecord(
        title=built.metadata.get("title") or title_of(result.text),
        source=source,
        software=software,
        pages=[page.to_json() for page in pages],
        fixers=config.enabled(),
        changes={change.fixer: change.count for change in result.changes},
        sources=result.sources_json(),
        extractor=f"arhiva {__version__}",
        warnings=warnings,
    )
    derived = ((WORDS_FILE, words_record(pages)), (COPY_FILE, built.copy)) if built.copy else ()
    return NewDocument(plan.media_type, [page.text for page in pages], result.text, result.log_json(), record,
                       built.metadata, derived)


def ingest(
    paths: list[Path],
    archive: Archive,
    engine: OcrEngine,
    jobs: int = 0,
    on_progress: Callable[[Progress], None] | None = None,
    timeout: float | None = None,
    limits: Limits = DEFAULT_LIMITS,
    follow_symlinks: bool = False,
    cluster: str | None = None,
    selection: Selection = EVERYTHING,
) -> BatchReport:
    """Ingest every file under ``paths`` into ``archive``; never raises for a bad file.

    ``timeout`` bounds, in seconds, each step of a file, each run in a worker
    process: reading its structure, rendering and OCR of one page, and its
    clean-up and metadata. A step that takes longer is given up, with its file,
    and its worker killed. Workers run under ``limits`` (memory, pixels,
    decompressed bytes, text). Without a timeout, and with one job, everything
    runs in this process, and only the limits checked in code apply.

    Symbolic links inside the folders given are followed only to files inside
    the same folder, unless ``follow_symlinks``; nothing inside the archive is
    ingested.

    With ``cluster`` (a Dask scheduler's address), the tasks run on its
    workers instead of local processes (:mod:`arhiva.cluster`).

    ``selection`` (``--include``, ``--exclude``) picks the files of the
    folders walked; stray files (Thumbs.db...) are outcomes ``SKIPPED``.
    """
    batch = _Batch(archive, engine, jobs or os.cpu_count() or 1, on_progress, timeout, limits)
    batch.cluster = cluster
    return batch.run(paths, follow_symlinks, selection)


class _Batch:
    """The documents of one ingest, each a small state machine: planned, pages read, built, archived."""

    def __init__(self, archive: Archive, engine: OcrEngine, jobs: int, on_progress, timeout: float | None,
                 limits: Limits) -> None:
        self.archive = archive
        self.engine = engine
        self.jobs = max(1, jobs)
        self.timeout = timeout
        self.limits = limits
        self.on_progress = on_progress or (lambda progress: None)
        self.outcomes: list[Outcome] = []
        self.order: dict[Path, int] = {}
        self.sequence: dict[int, int] = {}  # id(outcome) -> place of its file among those found
        self.seen: set[str] = set()
        self.open_docs: dict[int, _Doc] = {}
        self.files_total = self.pages_total = self.pages_done = 0
        self.index = _IndexFeed(archive)
        #: The worker that runs the clean-ups (with --jobs 2 or more, locally), started with the first document.
        self.finisher: TaskPool | None = None
        self.cluster: str | None = None  # a Dask scheduler's address: the tasks run on its workers
        self.scratch: str | None = None
        self.software = {
            "arhiva": __version__,
            "python": platform.python_version(),
            "ocr": engine.describe(),
            "cleanup": DEFAULT_CONFIG.enabled(),
            "language_data": lexicon_data_version(),
        }

    def run(self, paths: list[Path], follow_symlinks: bool = False, selection: Selection = EVERYTHING) -> BatchReport:
        found = find_files(paths, follow_symlinks=follow_symlinks, archive=self.archive.root, selection=selection)
        self.files_total = len(found)
        self.order = {item.path: n for n, item in enumerate(found)}
        stopped = None
        scratch = self.scratch = new_scratch()
        try:
            self._sweep_staging()
            queue = deque()
            for item in found:
                if item.problem:
                    self._finish(self._outcome(item.path, FAILED, reason=item.problem))
                elif item.skipped:
                    self._finish(self._outcome(item.path, SKIPPED, reason=item.skipped))
                else:
                    queue.append(item.path)
            self.pool = self._new_pool(scratch)
            self.jobs = self.pool.jobs
            try:
                self._loop(queue)
            except BaseException:
                # Interrupted (Ctrl-C, SIGTERM), or the disk is full: stop every
                # worker and the Tesseract it runs now, and keep nothing half-done.
                self.pool.kill()
                if self.finisher is not None:
                    self.finisher.kill()
                for doc in self.open_docs.values():
                    self.archive.discard(doc.staged)
                raise
            self.pool.close()
            if self.finisher is not None and len(self.finisher):  # its warm-up alone: every document failed
                self.finisher.kill()
            elif self.finisher is not None:
                self.finisher.close()
        except DiskFullError as err:
            stopped = self._stopped_by(err)
        finally:
            if scratch:
                shutil.rmtree(scratch, ignore_errors=True)
        self.index.flush(final=True)
        self.outcomes.sort(key=lambda o: self.sequence.get(id(o), -1))
        return BatchReport(self.outcomes, self.index.problem, stopped, self.index.note)

    def _new_pool(self, scratch: str | None):
        if self.cluster:
            from arhiva.cluster import ClusterPool

            langs = tuple(dict.fromkeys([*getattr(self.engine, "lang", "ron").split("+"), "osd"]))
            return ClusterPool(self.cluster, self.timeout, langs)
        return TaskPool(self.jobs, self.timeout, init_worker, (self.limits, scratch))

    def _loop(self, queue: deque) -> None:
        while queue or len(self.pool) or self._finishing():
            while queue and len(self.open_docs) < DOCS_IN_FLIGHT * self.jobs:
                self._start(queue.popleft())
            finished = wait_any([self.pool, self.finisher]) if self.finisher is not None else self.pool.wait()
            for (key, step), result in finished:
                if (key, step) == WARM_UP:
                    if isinstance(result, BaseException):  # the clean-up itself will say what is wrong
                        log.debug("warm-up failed", exc_info=result)
                    continue
                if self._step_done(self.open_docs[key], step, self._result(step, result)):
                    del self.open_docs[key]

    def _finishing(self) -> bool:
        """Whether clean-ups are still running (the finisher's warm-up alone is not waited for)."""
        if self.finisher is None:
            return False
        return bool(self.finisher.backlog) or any(task.key != WARM_UP for task in self.finisher.pending.values())

    def _start_finisher(self) -> None:
        """Start the worker that runs every clean-up of the batch, and have it load its data now.

        Only with two jobs or more on this machine: with one, the clean-ups share
        the one worker (``--jobs 1`` runs one process at a time), and a cluster runs them on its workers.
        """
        if self.finisher is not None or self.jobs < 2 or self.cluster:
            return
        self.finisher = TaskPool(1, self.timeout, init_worker, (self.limits, self.scratch), inline=False,
                                 at_once=1)
        self.finisher.submit(WARM_UP, warm_up)

    def _result(self, step: Step, result):
        """A task's value, or the error that ended it as one line for the user."""
        if isinstance(result, TaskTimeout):
            what = {PLAN: "reading the file", FINISH: "the clean-up"}.get(step) or f"page {int(step) + 1}"
            return ArhivaError(f"gave up after {self.timeout:g} s on {what} (see --file-timeout)")
        if isinstance(result, BrokenProcessPool):
            return ArhivaError(f"the file crashed the reader (a damaged file, or one that needs more than "
                               f"{self.limits.memory_mb} MB: see --max-memory)")
        if isinstance(result, MemoryError):
            return self.limits.out_of_memory()
        if isinstance(result, Exception) and not isinstance(result, ArhivaError):  # a library bug
            log.debug("unexpected error", exc_info=result)
            return ArhivaError(f"unexpected error: {type(result).__name__}: {result}")
        return result

    def _sweep_staging(self) -> None:
        try:
            self.archive.sweep_staging()
        except (OSError, ArchiveError) as err:
            raise disk_problem(err, self.archive.root) or err

    def _stopped_by(self, err: DiskFullError) -> str:
        """One line: the disk, what was not done, and what to do."""
        archived = sum(1 for o in self.outcomes if o.status == INGESTED)
        not_done = self.files_total - len(self.outcomes)
        return (f"{err}: {not_done} of {self.files_total} files not archived ({archived} archived, "
                f"nothing half-written kept); {getattr(err, 'advice', 'run the same ingest again')}")

    # -- one document ---------------------------------------------------------

    def _start(self, path: Path) -> None:
        try:
            staged = self.archive.stage(path)
        except OSError as err:
            problem = disk_problem(err, self.archive.root)
            if problem:
                raise problem from err
            self._finish(self._outcome(path, FAILED, reason=f"cannot read: {(err.strerror or str(err)).lower()}"))
            return
        if staged.size == 0:
            self.archive.discard(staged)
            self._finish(self._outcome(path, FAILED, reason="empty file"))
            return
        if staged.doc_id in self.seen or self.archive.has(staged.doc_id):
            self.archive.discard(staged)
            if staged.doc_id not in self.seen:
                self.index.heal(staged.doc_id)
            withdrawn = "withdrawn" if self.archive.is_withdrawn(staged.doc_id) else None  # it stays so
            self._finish(self._outcome(path, DUPLICATE, staged.doc_id, reason=withdrawn))
            return
        self.seen.add(staged.doc_id)
        doc = _Doc(path, staged)
        self.open_docs[id(doc)] = doc
        self._submit(doc, PLAN)
        self._start_finisher()  # after the first submit: the workers are forked before it

    def _submit(self, doc: _Doc, step: Step) -> None:
        key = (id(doc), step)
        if step == PLAN:
            self.pool.submit(key, plan_document, doc.staged.original, self.limits)
        elif step == FINISH:
            pages = [p for p in doc.pages if isinstance(p, PageText)]
            media_type = doc.plan.media_type if doc.plan else ""
            pool = self.pool if self.finisher is None else self.finisher
            pool.submit(key, build_document, pages, DEFAULT_CONFIG, self.limits, doc.staged.original, media_type)
        else:
            self.pool.submit(key, run_page_job, doc.pages[step], self.engine, self.limits)

    def _step_done(self, doc: _Doc, step: Step, result) -> bool:
        """Take one finished step; return True when the document is finished."""
        if step == PLAN:
            return self._planned(doc, result)
        if step == FINISH:
            return self._built(doc, result)
        return self._page_done(doc, step, result)

    def _planned(self, doc: _Doc, result: DocumentPlan | ArhivaError) -> bool:
        if isinstance(result, ArhivaError):
            return self._fail(doc, str(result))
        jobs = result.jobs
        unavailable = getattr(self.engine, "unavailable", None)  # no OCR engine: only what needs none goes in
        if jobs and unavailable:
            return self._fail(doc, f"{len(jobs)} of {len(result.pages)} page(s) need OCR, and {unavailable}")
        doc.plan = result
        doc.pages = list(result.pages)
        doc.warnings.extend(result.warnings)
        self.pages_total += len(doc.pages)
        self.pages_done += len(doc.pages) - len(jobs)
        if not jobs:
            return self._clean_up(doc)
        doc.remaining = len(jobs)
        for index, _ in jobs:
            self._submit(doc, index)
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
        return self._clean_up(doc)

    def _clean_up(self, doc: _Doc) -> bool:
        """Start the clean-up and metadata of a document whose pages are all read."""
        try:
            self.limits.check_text(sum(len(p.text) for p in doc.pages if isinstance(p, PageText)))
        except ArhivaError as err:
            return self._fail(doc, str(err))
        self._submit(doc, FINISH)
        return False

    def _built(self, doc: _Doc, result: Built | ArhivaError) -> bool:
        if isinstance(result, ArhivaError):
            return self._fail(doc, str(result))
        assert doc.plan is not None
        pages = [p for p in doc.pages if isinstance(p, PageText)]
        new = new_document(doc.plan, pages, result, _source(doc.path, doc.staged, doc.plan), self.software,
                           doc.warnings)
        try:
            stored = self.archive.commit(doc.staged, new)
        except FileExistsError:
            self.archive.discard(doc.staged)
            self._finish(self._outcome(doc.path, DUPLICATE, doc.staged.doc_id))
            return True
        except (OSError, ArchiveError) as err:
            self.archive.discard(doc.staged)
            problem = disk_problem(err, self.archive.root)
            if problem:
                raise problem from err
            if isinstance(err, ArchiveError):
                raise
            return self._fail(doc, f"cannot write to the archive: {(err.strerror or str(err)).lower()}")
        self.index.add(DocumentView.of(stored, result.metadata, {}), new.text)
        self._finish(self._outcome(doc.path, INGESTED, doc.staged.doc_id, pages=len(pages),
                                   warnings=new.record.warnings))
        return True

    def _fail(self, doc: _Doc, reason: str) -> bool:
        self.archive.discard(doc.staged)
        self._finish(self._outcome(doc.path, FAILED, doc.staged.doc_id, reason=reason))
        return True

    def _outcome(self, path: Path, status: str, doc_id: str | None = None, **details) -> Outcome:
        """The outcome for the file at ``path``, named in a readable form (see :func:`display_path`)."""
        outcome = Outcome(display_path(path), status, doc_id, **details)
        self.sequence[id(outcome)] = self.order.get(path, -1)
        return outcome

    def _finish(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        self._report(outcome)

    def _report(self, outcome: Outcome | None = None) -> None:
        self.on_progress(Progress(len(self.outcomes), self.files_total, self.pages_done, self.pages_total, outcome))


class _IndexFeed:
    """The documents a batch archives, indexed in groups (a commit costs ~0.1 s of CPU).

    The archive's journal records every document: one that is not indexed
    here (the index is being rebuilt by another process) is indexed by the
    next reader of the index, which catches up with the journal.
    """

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.index, self.problem = _open_index(archive)
        self.note: str | None = None
        self.waiting: list[IndexDoc] = []
        self.last_commit = time.monotonic()

    def add(self, doc: DocumentView, text: str) -> None:
        if self.index is None:
            return
        self.waiting.append(index_doc(doc, text))
        if len(self.waiting) >= INDEX_BATCH or time.monotonic() - self.last_commit > INDEX_SECONDS:
            self.flush()

    def heal(self, doc_id: str) -> None:
        """A document archived by an ingest that was interrupted before indexing it."""
        if self.index is not None and not self.index.contains(doc_id):
            self.add(catalog.view(self.archive, doc_id), self.archive.text(doc_id))

    def flush(self, final: bool = False) -> None:
        """Index what is waiting, with what other processes journaled; unless another process
        holds the index (a rebuild): then later, or at the end, by the next reader."""
        self.last_commit = time.monotonic()
        if self.index is None or not self.waiting:
            return
        try:
            catch_up(self.archive, self.index, known=self.waiting, wait=INDEX_WAIT if final else 0)
        except LockBusyError:
            if final:
                self.note = (f"the search index is busy (another arhiva process is writing to it): "
                             f"{len(self.waiting)} document(s) will be indexed by it or by the next search")
            return
        except ArchiveError as err:
            self.problem = f"{err}; the documents are archived, run: arhiva reindex"
        self.waiting = []


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
    location = index_location(archive)
    try:
        return SearchIndex.open(location, lock=archive.index_lock), None
    except ArchiveError as err:
        problem = err
    # A new archive makes its index: in its folder, or on the server named (whose
    # open above failed because it holds no index yet, or cannot be reached).
    if next(archive.ids(), None) is None and (isinstance(location, str) or not archive.index_dir.exists()):
        try:
            return SearchIndex.create(location, lock=archive.index_lock, applied=journal_head(archive)), None
        except ArchiveError as err:
            problem = err
    return None, f"{problem}; documents are archived but not searchable until then"


def _source(path: Path, staged: Staged, plan: DocumentPlan) -> Source:
    """Where a document came from: its name and path in a readable form, size and time, media type."""
    try:
        stat = path.stat()
    except OSError:
        stat = None
    return Source(
        name=display_path(path.name),
        path=display_path(path.absolute()),
        path_bytes=_path_bytes(path.absolute()),
        size=staged.size,
        modified=datetime.fromtimestamp(stat.st_mtime).astimezone().isoformat(timespec="seconds") if stat else None,
        media_type=plan.media_type,
        encoding=plan.encoding,
    )


def _path_bytes(path: Path) -> str | None:
    """The exact bytes of a path that is not valid UTF-8, in hexadecimal, for the manifest; else None.

    >>> _path_bytes(Path(os.fsdecode(b"/a/Hot\\xe3r\\xe2re.txt")))
    '2f612f486f74e372e272652e747874'
    >>> _path_bytes(Path("/a/hotărâre.txt")) is None
    True
    """
    raw = os.fsencode(path)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.hex()
    return None
