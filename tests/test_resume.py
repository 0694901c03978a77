"""Checkpoint and resume: a run killed with SIGKILL and resumed writes the same proof graph."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["prove", "axioms/peano.mpl", "--max-size", "5", "--quiet"]


def _genlogic(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "genlogic.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, **kwargs)


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    out = tmp_path_factory.mktemp("whole")
    assert _genlogic(*ARGS, "--out", str(out)).returncode == 0
    return out


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines()) if path.exists() else 0


def test_sigkill_then_resume_gives_the_same_graph(uninterrupted, tmp_path):
    # kill the run once some attempts are journaled; no proved theorem may be lost
    journal = tmp_path / "journal.jsonl"
    process = subprocess.Popen([sys.executable, "-m", "genlogic.cli", *ARGS, "--out", str(tmp_path)],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _lines(journal) < 30 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "the run finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    recorded = [json.loads(line) for line in journal.read_text().splitlines()[1:]
                if line.endswith("}")]
    proved_before = {r["entry"]["id"] for r in recorded if r["entry"]}
    result = _genlogic(*ARGS, "--out", str(tmp_path), "--resume")
    assert result.returncode == 0, result.stderr
    assert "resumed:" in result.stderr
    graph = json.loads((tmp_path / "proof_graph.json").read_text())
    assert proved_before <= {t["id"] for t in graph["theorems"]}
    assert (tmp_path / "proof_graph.json").read_bytes() == \
        (uninterrupted / "proof_graph.json").read_bytes()


def test_torn_last_line_is_dropped_and_rerun(uninterrupted, tmp_path):
    # a crash in the middle of writing a record loses only that attempt
    whole = (uninterrupted / "journal.jsonl").read_text(encoding="utf-8").splitlines()
    (tmp_path / "journal.jsonl").write_text("\n".join(whole[:20]) + "\n" + whole[20][:15],
                                            encoding="utf-8")
    result = _genlogic(*ARGS, "--out", str(tmp_path), "--resume")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "proof_graph.json").read_bytes() == \
        (uninterrupted / "proof_graph.json").read_bytes()


def test_resume_refuses_a_journal_of_other_options(uninterrupted, tmp_path):
    # a journal written with other limits cannot be replayed: a clear error, exit 2
    (tmp_path / "journal.jsonl").write_text(
        (uninterrupted / "journal.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    result = _genlogic("prove", "axioms/peano.mpl", "--max-size", "4", "--quiet",
                       "--out", str(tmp_path), "--resume")
    assert result.returncode == 2
    assert "another theory or other options" in result.stderr
    assert "Traceback" not in result.stderr


def test_ctrl_c_writes_a_valid_partial_graph(tmp_path):
    # SIGINT during the proof loop stops cleanly: a verified partial graph, marked interrupted
    journal = tmp_path / "journal.jsonl"
    process = subprocess.Popen([sys.executable, "-m", "genlogic.cli", *ARGS, "--out", str(tmp_path)],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _lines(journal) < 30 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "the run finished before it could be interrupted"
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    graph = json.loads((tmp_path / "proof_graph.json").read_text())
    assert graph["stats"]["stop_reason"] == "interrupted"
    assert graph["theorems"]
    assert _genlogic("verify", str(tmp_path)).returncode == 0


def test_resume_refuses_a_forged_journal_entry(uninterrupted, tmp_path):
    # a recorded proof is replayed through the kernel, not trusted: an edited entry whose
    # steps no longer prove its statement stops the run with a clear error, exit 2
    lines = (uninterrupted / "journal.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    target = next(i for i, r in enumerate(records[1:], 1) if r.get("entry"))
    entry = records[target]["entry"]
    entry["steps"] = entry["steps"][:1]                  # a theorem with no real proof
    entry["conclusion"] = entry["steps"][0]["id"]
    lines[target] = json.dumps(records[target])
    (tmp_path / "journal.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _genlogic(*ARGS, "--out", str(tmp_path), "--resume")
    assert result.returncode == 2, result.stderr
    assert f"attempt {records[target]['attempt']} does not replay" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "proof_graph.json").exists()
