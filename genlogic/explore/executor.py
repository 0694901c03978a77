"""Executors for the exploration's proof attempts: ``serial``, ``processes`` and ``dask``.

An attempt's outcome is a pure function of (statement, induction allowed, tag, the
theorems broadcast so far): every attempt names its fresh variables after its tag,
and the prover's root block depends only on the sequence of broadcast theorems.  The
explorer commits outcomes strictly in its own order, so the proof graph does not
depend on the executor or the worker count.

``ProcessExecutor`` uses that to speculate: while the explorer waits for the attempt
at the head of its queue, workers already prove the next few conjectures against the
current theorem set.  A speculative outcome is used only if no theorem was broadcast
in between (most theorems are corollaries, which are not broadcast); otherwise it is
recomputed.  Workers hold their own ``Prover`` and catch up with the theorem log each
task carries.  ``DaskExecutor`` does the same on a dask.distributed cluster (a
scheduler address, or a quiet LocalCluster on 127.0.0.1), for runs beyond one machine.

A worker may receive its tasks in any order (dask's scheduler does not keep the order
of submission, and it moves queued tasks between workers): a worker's prover is only
reused when the task's log extends the log that prover has taken in; otherwise the
worker starts a clean one.  Every outcome names the task it answers and the log it was
computed against, and ``Outcome.entry_for`` refuses an outcome for another task, so a
mix-up is an internal error instead of a theorem recorded twice.

Process-pool workers live and die with the explorer: they ignore Ctrl-C (the explorer
alone stops, writes its partial graph and then ends them), they are killed when the
explorer dies, SIGKILL included (Linux ``PR_SET_PDEATHSIG``; elsewhere a watchdog thread
that notices the explorer is gone), and ``close`` ends them at once instead of waiting
for speculative attempts whose outcomes nobody will read.
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import os
import signal
import sys
import threading
import time
from contextlib import contextmanager
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

from ..blocks.prover import ProveOptions, Prover
from ..mpl.ast import Expr
from ..mpl.parser import parse_expr
from ..mpl.printer import to_mpl
from ..proof.graph import theorem_entry

__all__ = ["Task", "Outcome", "ExecutorError", "ExecutorMismatch", "SerialExecutor",
           "ProcessExecutor", "DaskExecutor", "make_executor"]


class ExecutorError(RuntimeError):
    """The executor could not deliver an attempt's outcome (e.g. the dask cluster failed):
    a one-line message for the user."""


class ExecutorMismatch(ExecutorError):
    """Internal error: an executor handed back an outcome the explorer did not ask for."""


@dataclass(frozen=True)
class Task:
    key: int                  # the conjecture's index
    statement: Expr
    induction: bool | None
    tag: str                  # names the attempt's fresh variables

    def signature(self, version: int) -> tuple:
        return (self.key, self.induction, self.tag, version)

    @property
    def ident(self) -> tuple:
        """What an outcome must name to answer this task."""
        return (self.key, self.induction, self.tag, to_mpl(self.statement))


@dataclass(frozen=True)
class Outcome:
    """An attempt's result: the theorem entry (id ``?``) or None, and the task it answers."""
    task: tuple               # the ``Task.ident`` of the attempt made
    entry: dict | None

    def entry_for(self, task: Task) -> dict | None:
        if self.task != task.ident:
            raise ExecutorMismatch(
                f"internal error: the executor answered attempt {self.task[2]} "
                f"(conjecture {self.task[0]}) when asked for attempt {task.tag} "
                f"(conjecture {task.key}); nothing of it was recorded")
        return self.entry


def _attempt(prover: Prover, task: Task, deadline: float | None = None) -> dict | None:
    """Prove and return the theorem entry (id left as ``?``), or None."""
    attempt = prover.prove(task.statement, induction=task.induction, tag=task.tag,
                           deadline=deadline)
    if attempt.fact is None:
        return None
    entry = theorem_entry("?", task.statement, attempt.fact, prover.operators,
                          method=attempt.method, origin="explored")
    entry["_fact"] = attempt
    return entry


class SerialExecutor:
    """Proves in the explorer's own prover, one attempt at a time."""

    workers = 1

    def __init__(self, prover: Prover, deadline: float | None = None):
        self.prover = prover
        self.deadline = deadline      # the run's: no attempt outlasts it

    def run(self, task: Task, upcoming: list[Task]) -> Outcome:
        return Outcome(task.ident, _attempt(self.prover, task, self.deadline))

    def publish(self, name: str, mpl: str, broadcast: bool) -> None:
        pass                      # the explorer records theorems in this same prover

    def close(self) -> None:
        pass


# -- worker side --------------------------------------------------------------------------
# One prover per worker process.  ``log`` is the theorem log it has taken in (exactly a
# prefix of the explorer's), ``tags`` the attempts made in its session.  The lock keeps
# a worker with several threads (a dask worker started by hand) to one task at a time.
_worker: dict = {"setup": None, "prover": None, "log": (), "tags": set()}
_worker_lock = threading.Lock()


def _init_worker(theory, anchor, options: ProveOptions) -> None:
    _worker.update(setup=(theory, anchor, options), prover=None, log=(), tags=set())


def _init_pool_worker(explorer: int, theory, anchor, options: ProveOptions) -> None:
    """A process-pool worker: Ctrl-C is the explorer's alone, and the worker ends with it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):        # blocked by the explorer while it forked
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _end_with(explorer)
    _init_worker(theory, anchor, options)


_PR_SET_PDEATHSIG = 1                             # from <linux/prctl.h>


def _end_with(explorer: int) -> None:
    """End this process when process ``explorer`` dies.

    A worker forked by the explorer asks the kernel for SIGKILL when its parent dies, then
    looks again at its parent: if the explorer died before the request was made, the
    worker has been handed to another parent already and ends now.  Where that request
    is not possible (not Linux, or the worker was started by a fork server) a daemon
    thread checks every half second that the explorer still lives.  (The kernel sends
    the signal when the *thread* that forked the worker ends: the pool forks in
    ``submit``, from the thread that runs the exploration, and is closed before that
    thread leaves ``explore``.)
    """
    if os.getppid() == explorer and sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0:
                if os.getppid() != explorer:
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass
    threading.Thread(target=_watch, args=(explorer,), name="watch-explorer",
                     daemon=True).start()


def _watch(explorer: int, interval: float = 0.5) -> None:
    direct = os.getppid() == explorer
    while True:
        if direct and os.getppid() != explorer:
            os._exit(1)
        try:
            os.kill(explorer, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:                    # the pid was reused by another user
            os._exit(1)
        time.sleep(interval)


def _worker_prover(tag: str, log: tuple) -> Prover:
    """The worker's prover, caught up with ``log`` and fit for attempt ``tag``."""
    applied = _worker["log"]
    if _worker["prover"] is None or tag in _worker["tags"] \
            or log[:len(applied)] != applied:
        # a first task; or this attempt was made here before (its names are taken in
        # this session); or the task was submitted before one this worker already ran
        # (its log is shorter or different): a clean session proves it as serial would
        _worker.update(prover=Prover(*_worker["setup"]), log=(), tags=set())
        applied = ()
    prover: Prover = _worker["prover"]
    _worker["prover"] = None          # until caught up: a failure below leaves no half-state
    for name, mpl, broadcast in log[len(applied):]:
        # the explorer checked these in its own session; here they are assumptions, and
        # whatever this worker proves is replayed there before it is used
        prover.assume(name, parse_expr(mpl), broadcast)
    _worker.update(prover=prover, log=log)
    _worker["tags"].add(tag)
    return prover


def _run_in_worker(task_mpl: str, key: int, induction, tag: str, log: tuple) -> dict:
    log = tuple(tuple(item) for item in log)
    with _worker_lock:
        prover = _worker_prover(tag, log)
        task = Task(key, parse_expr(task_mpl), induction, tag)
        entry = _attempt(prover, task)
    if entry is not None:
        entry.pop("_fact")
    # what was asked (as received) and the log the answer rests on, for the explorer's checks
    return {"task": (key, induction, tag, task_mpl), "basis": len(log), "entry": entry}


def _run_in_dask_worker(setup, task_mpl: str, key: int, induction, tag: str,
                        log: tuple) -> dict:
    with _worker_lock:
        if _worker["setup"] is None:          # first task on this worker process
            _init_worker(*setup)
    return _run_in_worker(task_mpl, key, induction, tag, log)


class ProcessExecutor:
    """Speculative attempts in worker processes; outcomes identical to serial."""

    def __init__(self, theory, anchor, options: ProveOptions, workers: int | None = None):
        self.workers = workers or os.cpu_count() or 2
        self.pool = ProcessPoolExecutor(max_workers=self.workers,
                                        initializer=_init_pool_worker,
                                        initargs=(os.getpid(), theory, anchor, options))
        self.log: list[tuple[str, str, bool]] = []
        self.futures: dict[tuple, Future] = {}

    def _start(self, *args) -> Future:
        # the pool starts its workers in submit: they are born with SIGINT blocked, so
        # a Ctrl-C meanwhile waits for the explorer instead of reaching a new worker
        with sigint_deferred():
            return self.pool.submit(_run_in_worker, *args)

    def _result(self, future: Future) -> dict:
        return future.result()

    def publish(self, name: str, mpl: str, broadcast: bool) -> None:
        """A committed theorem; broadcast ones change what later attempts may use."""
        self.log.append((name, mpl, broadcast))

    @property
    def version(self) -> int:
        return sum(1 for _, _, broadcast in self.log if broadcast)

    def _submit(self, task: Task) -> Future:
        key = task.signature(self.version)
        future = self.futures.get(key)
        if future is None:
            future = self._start(to_mpl(task.statement), task.key, task.induction, task.tag,
                                 tuple(self.log))
            self.futures[key] = future
        return future

    def run(self, task: Task, upcoming: list[Task]) -> Outcome:
        current = self.version
        # forget speculation made against an older theorem set
        for key in [k for k in self.futures if k[3] != current]:
            self.futures.pop(key).cancel()
        future = self._submit(task)
        for other in upcoming[: 2 * self.workers]:
            self._submit(other)
        answer = self._result(future)
        # delivered once: the next request for this signature starts a new attempt
        self.futures.pop(task.signature(current), None)
        basis = answer["basis"]
        if basis > len(self.log) or \
                sum(1 for _, _, broadcast in self.log[:basis] if broadcast) != current:
            raise ExecutorMismatch(
                f"internal error: attempt {task.tag} was made against {basis} theorems "
                f"that are not a prefix of the current {len(self.log)} with {current} "
                "broadcast; nothing of it was recorded")
        return Outcome(tuple(answer["task"]), answer["entry"])

    def close(self) -> None:
        """Stop at once: what still runs is speculation whose outcome nobody will read,
        so the workers are ended rather than waited for (after Ctrl-C too)."""
        for future in self.futures.values():
            future.cancel()
        self.futures.clear()
        _end_workers(self.pool)


def _end_workers(pool: ProcessPoolExecutor) -> None:
    """Shut ``pool`` down, killing its workers instead of letting them finish their tasks."""
    if hasattr(pool, "terminate_workers"):         # Python 3.14
        pool.terminate_workers()
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.kill()
    for process in processes:
        process.join()
    pool.shutdown(wait=True)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


class DaskExecutor(ProcessExecutor):
    """The speculative executor on a dask.distributed cluster: ``address`` of a running
    scheduler, or a LocalCluster of ``workers`` processes bound to 127.0.0.1.  dask's
    own logging is kept to errors while the executor lives; its failures are
    ``ExecutorError``s."""

    def __init__(self, theory, anchor, options: ProveOptions, workers: int | None = None,
                 address: str | None = None):
        self.cluster = self.client = None
        self.log = []
        self.futures = {}
        self.submitted = 0
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ExecutorError("the dask executor needs the 'distributed' package") from None
        self._quiet = _QuietDask()        # after the import, which sets dask's log levels
        try:
            if address:
                try:
                    self.client = Client(address)
                except Exception as exc:
                    raise ExecutorError(f"dask: cannot reach the scheduler at {address} "
                                        f"({_one_line(exc)})") from exc
            else:
                # Ctrl-C is for the explorer alone, which then closes the cluster in order
                with _ignoring_sigint(), _environ(DASK_LOGGING__DISTRIBUTED="error"):
                    self.cluster = LocalCluster(
                        n_workers=workers or os.cpu_count() or 2, threads_per_worker=1,
                        processes=True, host="127.0.0.1", dashboard_address=None,
                        silence_logs=logging.ERROR)
                self.client = Client(self.cluster)
            self.workers = max(1, len(self.client.scheduler_info()["workers"]))
            [self.setup] = self.client.scatter([(theory, anchor, options)], broadcast=True)
        except BaseException as exc:
            self.close()
            if isinstance(exc, Exception) and not isinstance(exc, ExecutorError):
                raise ExecutorError(f"dask: the cluster did not start ({_one_line(exc)})") \
                    from exc
            raise

    def _start(self, *args):
        # dask runs tasks of equal priority in no fixed order: first submitted, first run
        # (a worker that gets a task older than its last still starts over; see above)
        self.submitted += 1
        return self.client.submit(_run_in_dask_worker, self.setup, *args, pure=False,
                                  priority=-self.submitted)

    def _result(self, future) -> dict:
        try:
            return future.result()
        except (Exception, asyncio.CancelledError) as exc:    # a task lost counts too
            raise ExecutorError(f"dask: an attempt failed on the cluster "
                                f"({_one_line(exc)})") from exc

    def close(self) -> None:
        try:
            for future in self.futures.values():
                future.cancel()
            self.futures.clear()
            if self.client is not None:
                self.client.close()
            if self.cluster is not None:
                self.cluster.close()
        finally:
            self.client = self.cluster = None
            self._quiet.restore()


class _QuietDask:
    """dask logs warnings (a busy event loop, a cancelled task ending, comms closing) that
    say nothing to the user of a normal run: its loggers in this process are kept to
    errors until ``restore``."""

    def __init__(self):
        names = ["distributed"] + [name for name in logging.Logger.manager.loggerDict
                                   if name.startswith("distributed.")]
        self.levels = {name: logging.getLogger(name).level for name in names}
        for name in names:
            logger = logging.getLogger(name)
            logger.setLevel(max(logger.getEffectiveLevel(), logging.ERROR))

    def restore(self) -> None:
        for name, level in self.levels.items():
            logging.getLogger(name).setLevel(level)
        self.levels = {}


@contextmanager
def sigint_deferred():
    """SIGINT held back in this thread while the block runs, delivered afterwards; the
    processes forked meanwhile start with it blocked."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def _ignoring_sigint():
    """Ignore SIGINT while processes are started: they inherit that (Python installs its
    KeyboardInterrupt handler only where SIGINT is not ignored at start-up)."""
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


@contextmanager
def _environ(**values: str):
    """Environment variables for the processes started meanwhile (dask reads its logging
    configuration from them when a worker process imports it)."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def make_executor(kind: str, prover: Prover, theory, anchor, options: ProveOptions,
                  workers: int | None = None, address: str | None = None,
                  deadline: float | None = None):
    """``deadline`` bounds the serial executor's attempts (workers keep their time limit)."""
    if kind == "serial":
        return SerialExecutor(prover, deadline)
    if kind == "processes":
        return ProcessExecutor(theory, anchor, options, workers)
    if kind == "dask":
        return DaskExecutor(theory, anchor, options, workers, address)
    raise ValueError(f"unknown executor {kind!r} (serial, processes or dask)")
