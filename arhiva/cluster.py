"""Tasks on a Dask distributed cluster, with the interface of :class:`arhiva.tasks.TaskPool`.

``arhiva ingest --cluster tcp://HOST:8786`` sends the reading of each file,
the OCR of each page and each document's clean-up to the workers of a Dask
scheduler; the ingesting machine keeps the archive and commits the documents,
as with local processes. The workers may be other machines: a file travels to
them as bytes (sent once to the cluster, shared by the tasks of its pages),
and each task writes it to a temporary folder of its own worker.

As with local processes:

- a worker that dies is replaced by its nanny, and the scheduler runs its
  tasks again on other workers; a task under which workers died more than
  the scheduler allows (``distributed.scheduler.allowed-failures``) ends in
  :class:`BrokenProcessPool`;
- a task that runs longer than the timeout is cancelled, its worker
  process is ended (its nanny starts a new one), and it is started again, at most ``timeout_retries`` times; then
  it ends in :class:`TaskTimeout`;
- other exceptions are the task's result, and the task is not run again:
  a file that cannot be read fails the same way on every worker. Only
  trouble of the worker itself (writing the file's bytes to its disk) is
  tried again, on another worker if one is free.

At most as many tasks as the cluster has worker threads are handed to the
scheduler at a time: the others wait here, so the time a task has been
handed over is the time it has been running.

Before the first task, :func:`probe` runs on every worker: the workers must run
the same arhiva and Tesseract version as this machine, and have its language
models, or the cluster is refused (:class:`ClusterMismatchError`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import tempfile
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import CancelledError
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, Hashable

from arhiva import __version__
from arhiva.errors import ArhivaError, ExitCode
from arhiva.tasks import TICK, TaskTimeout

#: Seconds to wait for the scheduler to answer, and for at least one worker.
CONNECT_TIMEOUT = 10.0
#: Times a task that ran past the timeout is started again before it is given up.
TIMEOUT_RETRIES = 1
#: Times Dask runs again a task whose worker failed before running it (a full disk, say).
RETRIES = 1
#: Times a task is handed over again after the worker holding its file's bytes died.
LOST_RETRIES = 3
#: Times a file's bytes are sent before the cluster is given up (a worker may die as they go).
SCATTER_TRIES = 5
#: Environment variable naming the scheduler, like ``--cluster``.
ENV = "ARHIVA_CLUSTER"


class ClusterError(ArhivaError):
    """The scheduler cannot be reached, or has no workers."""

    exit_code = ExitCode.ARCHIVE_PROBLEM


class ClusterMismatchError(ArhivaError):
    """The workers lack Tesseract or a language model, or run another arhiva or Tesseract version."""

    exit_code = ExitCode.MISSING_DEPENDENCY


@dataclasses.dataclass
class _Task:
    key: Hashable
    fn: Callable
    args: tuple
    files: tuple[str, ...]
    timeouts: int = 0
    #: The futures of its files' bytes it was handed over with.
    blobs: dict = dataclasses.field(default_factory=dict)
    lost: int = 0


def probe(langs: tuple[str, ...] = ()) -> dict:
    """What a worker runs: arhiva's version, Tesseract's version and languages. Safe on any machine."""
    info: dict = {"arhiva": __version__, "tesseract": None, "langs": []}
    try:
        import pytesseract

        info["tesseract"] = str(pytesseract.get_tesseract_version())
        info["langs"] = sorted(pytesseract.get_languages())
    except Exception as err:  # noqa: BLE001 - reported as a missing Tesseract
        info["error"] = f"{type(err).__name__}: {err}"
    return info


def compare(local: dict, workers: dict[str, dict], langs: tuple[str, ...]) -> str | None:
    """The first way a worker differs from this machine, in one line; None when all agree.

    >>> me = {"arhiva": "1.0", "tesseract": "5.3.0", "langs": ["osd", "ron"]}
    >>> compare(me, {"tcp://a:1": dict(me)}, ("ron", "osd")) is None
    True
    >>> compare(me, {"tcp://a:1": {**me, "langs": ["eng", "osd"]}}, ("ron", "osd"))
    'worker tcp://a:1 lacks the Tesseract language model(s) ron'
    >>> compare(me, {"tcp://a:1": {**me, "arhiva": "0.9"}}, ("ron",))
    'worker tcp://a:1 runs arhiva 0.9, this machine 1.0'
    >>> compare({**me, "tesseract": None}, {"tcp://a:1": me}, ("ron",))[:31]
    'this machine has no Tesseract, '
    """
    if not local.get("tesseract"):
        return "this machine has no Tesseract, to compare the workers' with (and to record in the manifests)"
    for address, info in sorted(workers.items()):
        if info.get("arhiva") != local.get("arhiva"):
            return f"worker {address} runs arhiva {info.get('arhiva')}, this machine {local.get('arhiva')}"
        if not info.get("tesseract"):
            return f"worker {address} has no Tesseract ({info.get('error', 'not found')})"
        if info.get("tesseract") != local.get("tesseract"):
            return f"worker {address} runs Tesseract {info['tesseract']}, this machine {local.get('tesseract')}"
        missing = sorted(set(langs) - set(info.get("langs", [])))
        if missing:
            return f"worker {address} lacks the Tesseract language model(s) {'+'.join(missing)}"
    return None


def connect(address: str, timeout: float | None = None):
    """A Dask client of the scheduler at ``address``, with at least one worker; else :class:`ClusterError`."""
    timeout = timeout or CONNECT_TIMEOUT
    try:
        from distributed import Client
    except ImportError as err:
        raise ClusterError("--cluster needs Dask distributed: pip install 'arhiva[cluster]'") from err
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as err:
        reason = " ".join(str(err).split()) or type(err).__name__
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {reason[:200]}") from None
    try:
        client.wait_for_workers(1, timeout=timeout)
    except (OSError, TimeoutError) as err:
        client.close()
        raise ClusterError(f"the Dask scheduler at {address} has no workers "
                           f"(none joined within {timeout:g} s)") from err
    return client


class ClusterPool:
    """The tasks of an ingest on the workers of the Dask scheduler at ``address``.

    ``langs``: the Tesseract models every worker must have. ``client``: a
    connected Dask client to use instead (the caller closes it).
    """

    def __init__(self, address: str | None, timeout: float | None = None, langs: tuple[str, ...] = ("ron", "osd"),
                 timeout_retries: int = TIMEOUT_RETRIES, client=None) -> None:
        self.timeout = timeout
        self.timeout_retries = timeout_retries
        self.own_client = client is None
        self.client = client if client is not None else connect(str(address))
        self.address = address or self.client.scheduler.address
        try:
            self._check(langs)
        except BaseException:
            self.close()
            raise
        self.waiting: deque[_Task] = deque()
        self.pending: dict[Any, _Task] = {}  # future -> task
        self.started: dict[Any, float] = {}
        self.files: dict[str, list] = {}  # path -> [future of its bytes, tasks using it]
        self.ready: list[tuple[Hashable, Any]] = []  # finished without the cluster (a file not readable)
        self.lost_since: float | None = None
        self.jobs = self._slots()

    def __len__(self) -> int:
        return len(self.pending) + len(self.waiting) + len(self.ready)

    def submit(self, key: Hashable, fn: Callable, *args: Any) -> None:
        files = tuple(dict.fromkeys(p for p in map(_path_of, args) if p))
        task = _Task(key, fn, args, ())
        with self._connection():
            for path in files:
                if path not in self.files:
                    try:
                        data = Path(path).read_bytes()
                    except OSError as err:  # the task's result, as when a local worker cannot read it
                        self._release(task)
                        self.ready.append((key, err))
                        return
                    self.files[path] = [self._scatter(data), 0]
                self.files[path][1] += 1
                task.files += (path,)
            self.waiting.append(task)
            self._hand_over(refresh=False)

    def wait(self) -> list[tuple[Hashable, Any]]:
        """Tasks finished since the last call (waiting for at least one, or for a timeout check)."""
        finished, self.ready = self.ready, []
        if not len(self):
            return finished
        if self.client.status != "running":  # the scheduler went away: Dask tries to reconnect for a while
            self.lost_since = self.lost_since or time.monotonic()
            if time.monotonic() - self.lost_since > CONNECT_TIMEOUT:
                raise ClusterError(f"lost the Dask scheduler at {self.address}: "
                                   f"no answer for {CONNECT_TIMEOUT:g} s")
            time.sleep(TICK)
            return finished
        self.lost_since = None
        with self._connection():
            return finished + self._wait()

    def _wait(self) -> list[tuple[Hashable, Any]]:
        from distributed import wait as dask_wait

        self._hand_over()
        if self.pending:
            try:
                with self.client.as_current():
                    dask_wait(list(self.pending), timeout=TICK, return_when="FIRST_COMPLETED")
            except (TimeoutError, CancelledError):
                pass
        finished = []
        for future in [f for f in self.pending if f.done()]:
            task = self.pending.pop(future)
            self.started.pop(future, None)
            if future.status == "cancelled" and task.lost < LOST_RETRIES:
                # The only worker holding the bytes of its file died: send them again.
                task.lost += 1
                for path in task.files:
                    if self.files[path][0] is task.blobs.get(path):
                        self.files[path][0] = self._scatter(Path(path).read_bytes())
                self.waiting.appendleft(task)
                continue
            finished.append((task.key, self._result(future)))
            self._release(task)
        if self.timeout:
            finished += self._give_up_stuck()
        self._hand_over(refresh=False)
        return finished

    def kill(self) -> None:
        """Stop now: cancel every task on the cluster; drop every task."""
        try:
            if self.pending:
                self.client.cancel(list(self.pending), force=True)
        except Exception:  # noqa: BLE001 - the scheduler is gone already
            pass
        finally:
            self.pending.clear()
            self.waiting.clear()
            self.files.clear()
            self.close()

    def close(self) -> None:
        """Disconnect from the scheduler (the workers stay up, for the next ingest)."""
        if self.own_client:
            self.client.close()

    # -- inside -----------------------------------------------------------------

    @contextlib.contextmanager
    def _connection(self):
        """Turn a lost scheduler into one line (:class:`ClusterError`)."""
        try:
            yield
        except (OSError, TimeoutError) as err:
            reason = " ".join(str(err).split()) or type(err).__name__
            raise ClusterError(f"lost the Dask scheduler at {self.address}: {reason[:200]}") from err

    def _scatter(self, data: bytes):
        """Send a file's bytes to a worker; again to another if that one has just died."""
        for attempt in range(SCATTER_TRIES):
            try:
                return self.client.scatter(data, hash=False)
            except OSError:
                if attempt == SCATTER_TRIES - 1:
                    raise
                time.sleep(1.0)

    def _check(self, langs: tuple[str, ...]) -> None:
        local = probe(langs)
        workers = self.client.run(probe, langs)
        problem = compare(local, workers, langs)
        if problem:
            raise ClusterMismatchError(f"cluster at {self.address} refused: {problem}")

    def _slots(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def _hand_over(self, refresh: bool = True) -> None:
        """Hand waiting tasks to the scheduler, up to one per worker thread (counted again if ``refresh``)."""
        if not self.waiting:
            return
        if refresh:
            self.jobs = self._slots()
        now = time.monotonic()
        while self.waiting and len(self.pending) < self.jobs:
            task = self.waiting.popleft()
            task.blobs = {path: self.files[path][0] for path in task.files}
            future = self.client.submit(run_task, task.fn, task.args, task.blobs, pure=False, retries=RETRIES)
            self.pending[future] = task
            self.started[future] = now

    def _result(self, future) -> Any:
        from distributed import KilledWorker

        try:
            value = future.result()
        except KilledWorker as err:
            return BrokenProcessPool(f"workers died running it: {err}")
        except CancelledError:
            return BrokenProcessPool("the workers holding its file died")
        except Exception as err:  # noqa: BLE001 - handed to the caller as the task's result
            return err
        return value.error if isinstance(value, Raised) else value

    def _release(self, task: _Task) -> None:
        for path in task.files:
            entry = self.files.get(path)
            if entry is not None:
                entry[1] -= 1
                if entry[1] <= 0:
                    entry[0].release()
                    del self.files[path]

    def _give_up_stuck(self) -> list[tuple[Hashable, Any]]:
        """Cancel the tasks running past the timeout, restart their workers, and try them again or give up."""
        now = time.monotonic()
        stuck = [f for f in self.pending if now - self.started.get(f, now) > self.timeout]
        if not stuck:
            return []
        processing = self.client.processing()
        keys = {f.key for f in stuck}
        workers = [w for w, running in processing.items() if keys & set(running)]
        self.client.cancel(stuck, force=True)
        if workers:  # as a local worker is killed: its nanny starts a new one
            self.client.run(_exit_worker, workers=workers, wait=False)
        given_up = []
        for future in stuck:
            task = self.pending.pop(future)
            self.started.pop(future, None)
            if task.timeouts < self.timeout_retries:
                task.timeouts += 1
                self.waiting.appendleft(task)
            else:
                given_up.append((task.key, TaskTimeout(f"gave up after {self.timeout:g} s")))
                self._release(task)
        return given_up


async def _exit_worker() -> None:
    """On a worker: end its process now, with the task stuck in it (and the Tesseract it runs)."""
    os._exit(70)


def _path_of(arg: Any) -> str | None:
    """The local file a task's argument names: a path, or a page job's file."""
    if isinstance(arg, Path):
        return str(arg)
    path = getattr(arg, "path", None) if dataclasses.is_dataclass(arg) and hasattr(arg, "kind") else None
    return path if isinstance(path, str) else None


@dataclasses.dataclass
class Raised:
    """What a task raised, returned as its value: Dask runs again only a task that raises itself."""

    error: BaseException


def run_task(fn: Callable, args: tuple, blobs: dict[str, bytes]) -> Any:
    """On a worker: write the task's files to a temporary folder, run it on them, and remove them.

    Paths in the result (a document plan's page jobs, warnings) name the
    files of the ingesting machine again. What the task raises is its result
    (:class:`Raised`), never run again; the worker's own failures (writing
    the files) raise, and Dask tries the task again.
    """
    os.environ["OMP_THREAD_LIMIT"] = "1"
    folder = tempfile.mkdtemp(prefix="arhiva-cluster-")
    try:
        here: dict[str, str] = {}
        for n, (path, data) in enumerate(blobs.items()):
            local = Path(folder, str(n), Path(path).name)
            local.parent.mkdir()
            local.write_bytes(data)
            here[path] = str(local)
        try:
            result = fn(*[_moved(arg, here) for arg in args])
        except Exception as err:  # noqa: BLE001 - the task's result, as with local processes
            return Raised(_sendable(err))
        return _moved_back(result, {v: k for k, v in here.items()})
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _sendable(err: Exception) -> Exception:
    """The exception, or one line of it when it cannot be sent back (pickled) as it is."""
    import pickle

    try:
        pickle.loads(pickle.dumps(err))
        return err
    except Exception:  # noqa: BLE001 - any exception can fail to pickle
        return RuntimeError(f"{type(err).__name__}: {err}")


def _moved(arg: Any, paths: dict[str, str]) -> Any:
    if isinstance(arg, Path):
        return Path(paths.get(str(arg), str(arg)))
    path = _path_of(arg)
    if path in paths:
        return dataclasses.replace(arg, path=paths[path])
    return arg


def _moved_back(result: Any, paths: dict[str, str]) -> Any:
    def text(value: str) -> str:
        for there, here in paths.items():
            value = value.replace(there, here)
        return value

    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        changes = {}
        if isinstance(getattr(result, "warnings", None), list):
            changes["warnings"] = [text(w) if isinstance(w, str) else w for w in result.warnings]
        if isinstance(getattr(result, "pages", None), list):
            changes["pages"] = [_moved_back(p, paths) for p in result.pages]
        if isinstance(getattr(result, "path", None), str) and hasattr(result, "kind"):
            changes["path"] = paths.get(result.path, result.path)
        if changes:
            return dataclasses.replace(result, **changes)
    return result
