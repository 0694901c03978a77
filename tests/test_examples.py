"""Every script in examples/ runs (as a subprocess, from another folder) and says what it
should.  examples/explore_theory.py is slow in full, so it runs here with a time limit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
SLOW = {"explore_theory.py"}


def run(script: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, str(EXAMPLES / script), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("script, expected", [
    ("prove_goal.py", ["∀a. i0 + a = a: Theorem", "s(a) + b = s(a + b): Theorem",
                       "a + b = a: CounterSatisfiable"]),
    ("similar_theorems.py", ["nearest to ∀a b. a * b = b * a:", "1.000"]),
    ("search_json.py", ["Alan Turing", "field of Emmy Noether: mathematics"]),
])
def test_example_runs(script, expected, tmp_path):
    if script == "similar_theorems.py" and not (REPO / "proofs_out/peano/proof_graph.json").exists():
        pytest.skip("no committed Peano run")
    result = run(script, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for text in expected:
        assert text in result.stdout, result.stdout


def test_every_example_is_listed_or_marked_slow():
    scripts = {p.name for p in EXAMPLES.glob("*.py")}
    assert scripts - SLOW == {"prove_goal.py", "similar_theorems.py", "search_json.py"}
    for name in SLOW:
        assert "SLOW" in (EXAMPLES / name).read_text()


def test_slow_example_runs_with_a_time_limit(tmp_path):
    # the exploration example stops at its time limit with a valid partial result
    result = run("explore_theory.py", "8", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "theorems," in result.stdout and "essential" in result.stdout
