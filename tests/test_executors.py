"""Executors change the speed of exploration, never its result."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _explore(out: Path, *extra: str) -> bytes:
    result = subprocess.run([sys.executable, "-m", "genlogic.cli", "prove", "axioms/peano.mpl",
                             "--max-size", "5", "--quiet", "--out", str(out), *extra],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return (out / "proof_graph.json").read_bytes()


def test_serial_and_two_workers_write_identical_graphs(tmp_path):
    # speculation in worker processes is committed in the serial order: same bytes
    serial = _explore(tmp_path / "serial", "--executor", "serial")
    processes = _explore(tmp_path / "processes", "--executor", "processes", "--workers", "2")
    assert serial == processes


def test_one_worker_is_the_same_as_serial(tmp_path):
    # a single worker process re-derives every theorem from the log it is sent
    serial = _explore(tmp_path / "serial", "--executor", "serial")
    single = _explore(tmp_path / "one", "--executor", "processes", "--workers", "1")
    assert serial == single


def test_dask_local_cluster_writes_the_same_graph(tmp_path):
    # a 2-worker dask LocalCluster (bound to 127.0.0.1, closed at the end) changes nothing
    serial = _explore(tmp_path / "serial", "--executor", "serial")
    dask = _explore(tmp_path / "dask", "--executor", "dask", "--workers", "2")
    assert serial == dask


def test_dask_reaches_a_running_scheduler(tmp_path):
    # --dask-address connects to an existing cluster instead of starting one
    from distributed import LocalCluster
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        remote = _explore(tmp_path / "remote", "--executor", "dask",
                          "--dask-address", cluster.scheduler_address)
    serial = _explore(tmp_path / "serial", "--executor", "serial")
    assert remote == serial
