"""Determinism (DESIGN 5, 7): same input and options, byte-identical proof_graph.json.

Each run is a fresh interpreter with a different PYTHONHASHSEED, so any reliance on
set or dict order of hashed strings, on ``hash()`` or on object ids would show up as
a difference between the two files.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PEANO = str(ROOT / "axioms" / "peano.mpl")
GOALS = str(ROOT / "axioms" / "peano_goals.mpl")


def run_twice(tmp_path: Path, args: list[str], seeds=("0", "4242"),
              backends=(None, None)) -> list[bytes]:
    """Run ``genlogic ARGS --out DIR`` once per seed (concurrently), optionally each with
    its own ``GENLOGIC_BACKEND``; the graphs' bytes."""
    procs = []
    for seed, backend in zip(seeds, backends):
        out = tmp_path / f"seed{seed}"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        if backend is not None:
            env["GENLOGIC_BACKEND"] = backend
        procs.append((out, subprocess.Popen(
            [sys.executable, "-m", "genlogic.cli", *args, "--out", str(out), "--quiet"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)))
    graphs = []
    for out, proc in procs:
        stdout, stderr = proc.communicate(timeout=240)
        assert proc.returncode == 0, stderr.decode(errors="replace")[-2000:]
        graphs.append((out / "proof_graph.json").read_bytes())
    return graphs


# the Peano goals give the same proof graph, byte for byte, under two hash seeds
def test_prove_goals_byte_identical(tmp_path):
    first, second = run_twice(tmp_path, ["prove", PEANO, "--goals", GOALS])
    assert len(first) > 10_000
    assert first == second


# a small exploration (conjecture, filter, prove, compress) is byte-identical as well
def test_small_exploration_byte_identical(tmp_path):
    first, second = run_twice(tmp_path, ["prove", PEANO, "--max-size", "4", "--max-vars", "2"])
    assert b'"induction on' in first
    assert first == second


# the numba kernels (block joins, model evaluation) and their Python twins give the same
# graph: the backend is not part of a run's identity
def test_backends_byte_identical(tmp_path):
    first, second = run_twice(tmp_path, ["prove", PEANO, "--max-size", "4", "--max-vars", "2"],
                              backends=("numba", "python"))
    assert b'"induction on' in first
    assert first == second
