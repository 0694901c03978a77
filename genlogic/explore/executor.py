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
recomputed.  Workers hold their own ``Prover`` and catch up with the theorem log.
``DaskExecutor`` does the same on a dask.distributed cluster (a scheduler address, or
a LocalCluster on 127.0.0.1), for runs beyond one machine.
"""

from __future__ import annotations

import os
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

from ..blocks.prover import ProveOptions, Prover
from ..mpl.ast import Expr
from ..mpl.parser import parse_expr
from ..proof.graph import theorem_entry

__all__ = ["Task", "SerialExecutor", "ProcessExecutor", "DaskExecutor", "make_executor"]


@dataclass(frozen=True)
class Task:
    key: int                  # the conjecture's index
    statement: Expr
    induction: bool | None
    tag: str                  # names the attempt's fresh variables

    def signature(self, version: int) -> tuple:
        return (self.key, self.induction, self.tag, version)


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

    def run(self, task: Task, upcoming: list[Task]) -> dict | None:
        return _attempt(self.prover, task, self.deadline)

    def publish(self, name: str, mpl: str, broadcast: bool) -> None:
        pass                      # the explorer records theorems in this same prover

    def close(self) -> None:
        pass


# -- worker side --------------------------------------------------------------------------
_worker: dict = {}


def _init_worker(theory, anchor, options: ProveOptions) -> None:
    _worker["setup"] = (theory, anchor, options)
    _fresh_worker_prover()


def _fresh_worker_prover() -> None:
    _worker["prover"] = Prover(*_worker["setup"])
    _worker["applied"] = 0
    _worker["tags"] = set()


def _run_in_worker(task_mpl: str, key: int, induction, tag: str, log: tuple) -> dict | None:
    if tag in _worker["tags"]:
        # this attempt was made here before (against an older theorem set): its names
        # are taken in this session, so start a clean one to name them as serial would
        _fresh_worker_prover()
    _worker["tags"].add(tag)
    prover: Prover = _worker["prover"]
    for name, mpl, broadcast in log[_worker["applied"]:]:
        # the explorer checked these in its own session; here they are assumptions, and
        # whatever this worker proves is replayed there before it is used
        prover.assume(name, parse_expr(mpl), broadcast)
    _worker["applied"] = len(log)
    entry = _attempt(prover, Task(key, parse_expr(task_mpl), induction, tag))
    if entry is not None:
        entry.pop("_fact")
    return entry


def _run_in_dask_worker(setup, task_mpl: str, key: int, induction, tag: str,
                        log: tuple) -> dict | None:
    if _worker.get("setup") is None:          # first task on this worker process
        _init_worker(*setup)
    return _run_in_worker(task_mpl, key, induction, tag, log)


class ProcessExecutor:
    """Speculative attempts in worker processes; outcomes identical to serial."""

    def __init__(self, theory, anchor, options: ProveOptions, workers: int | None = None):
        self.workers = workers or os.cpu_count() or 2
        self.pool = ProcessPoolExecutor(max_workers=self.workers, initializer=_init_worker,
                                        initargs=(theory, anchor, options))
        self.log: list[tuple[str, str, bool]] = []
        self.futures: dict[tuple, Future] = {}

    def _start(self, *args) -> Future:
        return self.pool.submit(_run_in_worker, *args)

    def publish(self, name: str, mpl: str, broadcast: bool) -> None:
        """A committed theorem; broadcast ones change what later attempts may use."""
        self.log.append((name, mpl, broadcast))

    @property
    def version(self) -> int:
        return sum(1 for _, _, broadcast in self.log if broadcast)

    def _submit(self, task: Task) -> Future:
        from ..mpl.printer import to_mpl
        key = task.signature(self.version)
        future = self.futures.get(key)
        if future is None:
            future = self._start(to_mpl(task.statement), task.key, task.induction, task.tag,
                                 tuple(self.log))
            self.futures[key] = future
        return future

    def run(self, task: Task, upcoming: list[Task]) -> dict | None:
        current = self.version
        # forget speculation made against an older theorem set
        for key in [k for k in self.futures if k[3] != current]:
            self.futures.pop(key).cancel()
        future = self._submit(task)
        for other in upcoming[: 2 * self.workers]:
            self._submit(other)
        result = future.result()
        self.futures.pop(task.signature(current), None)
        return result

    def close(self) -> None:
        for future in self.futures.values():
            future.cancel()
        self.pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor(ProcessExecutor):
    """The speculative executor on a dask.distributed cluster: ``address`` of a running
    scheduler, or a LocalCluster of ``workers`` processes bound to 127.0.0.1."""

    def __init__(self, theory, anchor, options: ProveOptions, workers: int | None = None,
                 address: str | None = None):
        from distributed import Client, LocalCluster
        self.cluster = None
        if address:
            self.client = Client(address)
        else:
            self.cluster = LocalCluster(n_workers=workers or os.cpu_count() or 2,
                                        threads_per_worker=1, processes=True,
                                        host="127.0.0.1", dashboard_address=None)
            self.client = Client(self.cluster)
        self.workers = max(1, len(self.client.scheduler_info()["workers"]))
        self.setup = self.client.scatter((theory, anchor, options), broadcast=True)
        self.log = []
        self.futures = {}

    def _start(self, *args):
        return self.client.submit(_run_in_dask_worker, self.setup, *args, pure=False)

    def close(self) -> None:
        for future in self.futures.values():
            future.cancel()
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


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
