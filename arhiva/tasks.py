"""A pool of worker processes that runs tasks with a timeout each, and retries those a crash took down.

A task is a picklable function call with a key of the caller's choosing;
:meth:`TaskPool.wait` hands back finished tasks as ``(key, result)``, where
``result`` is the function's value or the exception that ended it:

- the exception the function raised (:class:`MemoryError` under a memory limit too);
- :class:`TaskTimeout` when it ran longer than the timeout: its worker is
  killed, with whatever it was running, and the other tasks of the pool are
  started again in new workers;
- :class:`BrokenProcessPool` when a worker died twice under it (a crash in
  a PDF or image library, or one that ran out of its memory): every task of
  a pool whose worker dies fails with it, so each is tried once more in new
  workers before it is blamed.

With one job and no timeout, tasks run at once in this process (for ``--jobs 1`` and for tests).
"""

from __future__ import annotations

import multiprocessing
import os
import select
import signal
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Hashable

#: How often, in seconds, running tasks are checked against the timeout.
TICK = 1.0
#: Seconds to wait for a killed worker to be gone.
KILL_WAIT = 5.0


class TaskTimeout(Exception):
    """A task ran longer than the pool's timeout and was given up."""


@dataclass
class _Task:
    key: Hashable
    fn: Callable
    args: tuple
    tries: int
    executor: Executor


class TaskPool:
    """Worker processes (``jobs`` of them) that run tasks, each within ``timeout`` seconds.

    ``initializer(*initargs)`` runs in each worker as it starts (limits, signals).
    ``inline``: run the tasks in this process; by default, with one job and no timeout.
    ``at_once``: hand the workers at most this many tasks at a time, the others
    waiting here; a task's time then runs from when a worker can take it (the
    process pool marks one more task as running than it has workers). By
    default, no bound: a worker finds its next task waiting.
    """

    def __init__(self, jobs: int, timeout: float | None = None, initializer: Callable | None = None,
                 initargs: tuple = (), inline: bool | None = None, at_once: int | None = None) -> None:
        self.jobs = max(1, jobs)
        self.timeout = timeout
        self.inline = self.jobs == 1 and not timeout if inline is None else inline
        self.at_once = None if self.inline else at_once
        self.initializer, self.initargs = initializer, initargs
        self.pending: dict[Future, _Task] = {}
        self.started: dict[Future, float] = {}
        self.backlog: deque[_Task] = deque()
        self.executor, self.workers = self._new_executor()

    def __len__(self) -> int:
        return len(self.pending) + len(self.backlog)

    def submit(self, key: Hashable, fn: Callable, *args: Any) -> None:
        self._submit(_Task(key, fn, args, 0, self.executor))

    def wait(self) -> list[tuple[Hashable, Any]]:
        """Tasks finished since the last call (waiting for at least one, or for a timeout check)."""
        return wait_any([self])

    def _collect(self, done: set[Future]) -> list[tuple[Hashable, Any]]:
        """The results of this pool's tasks among ``done``; tasks a crash took down tried again;
        tasks over the timeout given up."""
        finished = []
        for future in done:
            task = self.pending.pop(future)
            self.started.pop(future, None)
            try:
                finished.append((task.key, future.result()))
            except BrokenProcessPool as err:
                if task.executor is self.executor:
                    self._restart()
                if task.tries < 1:
                    self._submit(_Task(task.key, task.fn, task.args, task.tries + 1, self.executor))
                else:
                    finished.append((task.key, err))
            except Exception as err:  # noqa: BLE001 - handed to the caller as the task's result
                finished.append((task.key, err))
        if self.timeout:
            finished += self._give_up_stuck()
        self._refill()
        return finished

    def kill(self) -> None:
        """Stop now: kill every worker and what it runs; drop every task."""
        self.pending.clear()
        self.started.clear()
        self.backlog.clear()
        _kill(self.executor, self.workers)

    def close(self) -> None:
        """Let the workers finish and exit (all tasks have been collected)."""
        self.executor.shutdown()
        self.workers.close()

    # -- inside -----------------------------------------------------------------

    def _submit(self, task: _Task) -> None:
        if self.at_once is not None and len(self.pending) >= self.at_once:
            self.backlog.append(task)
            return
        task.executor = self.executor
        self.pending[self.executor.submit(task.fn, *task.args)] = task

    def _refill(self) -> None:
        """Hand waiting tasks to the workers, up to ``at_once``."""
        while self.backlog and (self.at_once is None or len(self.pending) < self.at_once):
            self._submit(self.backlog.popleft())

    def _new_executor(self) -> tuple[Executor, _Workers]:
        workers = _Workers()
        if self.inline:
            return _InlineExecutor(), workers
        return ProcessPoolExecutor(max_workers=self.jobs, mp_context=workers.context, initializer=_start_worker,
                                   initargs=(workers.queue, self.initializer, self.initargs)), workers

    def _restart(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.workers.close()
        self.executor, self.workers = self._new_executor()

    def _give_up_stuck(self) -> list[tuple[Hashable, Any]]:
        """Fail the tasks running longer than the timeout; kill every worker, and start the others again."""
        now = time.monotonic()
        for future in self.pending:
            if future not in self.started and future.running():
                self.started[future] = now
        stuck = [f for f in self.pending if now - self.started.get(f, now) > self.timeout]
        if not stuck:
            return []
        given_up = [(self.pending.pop(f).key, TaskTimeout(f"gave up after {self.timeout:g} s")) for f in stuck]
        _kill(self.executor, self.workers)
        self.executor, self.workers = self._new_executor()
        self.started.clear()
        others, self.pending = list(self.pending.values()), {}
        self.backlog.extendleft(reversed(others))  # first again, before the tasks waiting here
        self._refill()
        return given_up


def wait_any(pools: Sequence[TaskPool]) -> list[tuple[Hashable, Any]]:
    """Tasks finished in any of ``pools`` since the last call (waiting for at least one, or for a
    timeout check): one loop can drive several pools, each with its own workers."""
    for pool in pools:
        pool._refill()
    pending = [future for pool in pools for future in pool.pending]
    if not pending:
        return []
    timed = any(pool.timeout for pool in pools)
    done, _ = wait(pending, timeout=TICK if timed else None, return_when=FIRST_COMPLETED)
    finished = []
    for pool in pools:
        finished += pool._collect({future for future in done if future in pool.pending})
    return finished


class _Workers:
    """The process IDs of a pool's workers, as each reports its own when it starts."""

    def __init__(self) -> None:
        self.context = multiprocessing.get_context()
        self.queue = self.context.SimpleQueue()
        self.pids: set[int] = set()

    def known(self) -> set[int]:
        while not self.queue.empty():
            self.pids.add(self.queue.get())
        return self.pids

    def close(self) -> None:
        self.queue.close()


def _start_worker(queue, initializer: Callable | None, initargs: tuple) -> None:
    queue.put(os.getpid())
    if initializer is not None:
        initializer(*initargs)


def _kill(executor: Executor, workers: _Workers) -> None:
    """Stop a process pool now, killing workers stuck in a task (a hostile file)."""
    pids = workers.known()
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    for pid in pids:
        _wait_gone(pid)
    # A worker killed while it sent a result leaves half a message in the
    # results pipe, and the pool's manager thread would wait for the rest
    # forever (and the interpreter for it, at exit). With every worker dead,
    # closing this process's own copy of the writing end gives it an end of
    # file instead. No public name reaches that pipe.
    writer = getattr(getattr(executor, "_result_queue", None), "_writer", None)
    if writer is not None and pids:
        writer.close()
    executor.shutdown(wait=False, cancel_futures=True)
    workers.close()


def _wait_gone(pid: int) -> None:
    """Wait (a bounded time) until a killed process has exited: its pipes are then closed."""
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):  # gone already, or no pidfd on this system
        deadline = time.monotonic() + KILL_WAIT
        while _running(pid) and time.monotonic() < deadline:
            time.sleep(0.01)
        return
    try:
        select.select([fd], [], [], KILL_WAIT)  # readable once the process has exited
    finally:
        os.close(fd)


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[-1].split()[0] != b"Z"
    except (OSError, IndexError):
        return False


class _InlineExecutor(Executor):
    """Runs each task at once in this process."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as err:  # noqa: BLE001 - delivered through the future
            future.set_exception(err)
        return future
