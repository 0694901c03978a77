"""Checkpoint and resume: a run killed with SIGKILL and resumed writes the same proof graph.

Interrupted runs leave no processes behind: the worker processes end with the explorer
(SIGKILL included), and every test checks that no process of its run outlives it.
"""

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


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state first), or None."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _children(pid: int) -> list[int]:
    """The live processes whose parent is ``pid``."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields and fields[0] != "Z" and int(fields[1]) == pid:
                out.append(int(entry.name))
    return sorted(out)


def _alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"


def _processes_naming(text: str) -> list[int]:
    """Live processes whose command line holds ``text`` (workers share the explorer's)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and entry.name != str(os.getpid()):
            try:
                cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if text in cmdline and _alive(int(entry.name)):
                out.append(int(entry.name))
    return out


def _gone(pids, seconds: float = 10) -> bool:
    until = time.monotonic() + seconds
    while any(_alive(p) for p in pids) and time.monotonic() < until:
        time.sleep(0.1)
    return not any(_alive(p) for p in pids)


@pytest.fixture(autouse=True)
def no_process_outlives_its_test(tmp_path):
    # every run of a test writes into its tmp_path, which is on its command line
    yield
    left = _processes_naming(str(tmp_path))
    if left and not _gone(left):
        for pid in left:                       # leave no orphans behind, then fail
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        pytest.fail(f"processes of the run outlived the test: {left}")


def _start_and_wait_for_workers(out: Path, **popen) -> subprocess.Popen:
    """Start the exploration and return once 30 attempts are journaled."""
    journal = out / "journal.jsonl"
    process = subprocess.Popen([sys.executable, "-m", "genlogic.cli", *ARGS, "--out", str(out)],
                               cwd=ROOT, stdout=subprocess.DEVNULL, text=True, **popen)
    deadline = time.monotonic() + 120
    while _lines(journal) < 30 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "the run finished before it could be stopped"
    return process


def test_sigkill_then_resume_gives_the_same_graph(uninterrupted, tmp_path):
    # kill the run once some attempts are journaled; no proved theorem may be lost, and
    # its worker processes end with it (issue 22: they lived on as orphans)
    journal = tmp_path / "journal.jsonl"
    process = _start_and_wait_for_workers(tmp_path, stderr=subprocess.DEVNULL)
    workers = _children(process.pid)
    assert len(workers) == 2, workers              # --workers defaults to the 2 cores
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert _gone(workers), "worker processes outlived the killed run"
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


def _assert_partial_graph(out: Path) -> None:
    graph = json.loads((out / "proof_graph.json").read_text())
    assert graph["stats"]["stop_reason"] == "interrupted"
    assert graph["theorems"]
    assert _genlogic("verify", str(out)).returncode == 0


def test_ctrl_c_writes_a_valid_partial_graph(tmp_path):
    # SIGINT to the explorer during the proof loop stops cleanly and soon: a verified
    # partial graph, marked interrupted; its workers are ended, not waited for
    process = _start_and_wait_for_workers(tmp_path, stderr=subprocess.PIPE)
    workers = _children(process.pid)
    assert workers
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert _gone(workers, seconds=1)
    _assert_partial_graph(tmp_path)
    # the message names the command that continues the run, and that command works
    command = err.strip().splitlines()[-1].strip()
    assert command == f"genlogic prove axioms/peano.mpl --out {tmp_path} --max-size 5 --resume"
    result = _genlogic(*command.split()[1:], "--quiet")
    assert result.returncode == 0 and "resumed:" in result.stderr, result.stderr


def test_ctrl_c_at_the_terminal_reaches_only_the_explorer(tmp_path):
    # a terminal's Ctrl-C signals the whole process group, workers too: they ignore it,
    # so the pool stays whole and the explorer writes its partial graph as above
    process = _start_and_wait_for_workers(tmp_path, stderr=subprocess.PIPE,
                                          start_new_session=True)
    workers = _children(process.pid)
    assert workers
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert _gone(workers, seconds=1)
    _assert_partial_graph(tmp_path)


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
