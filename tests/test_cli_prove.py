"""Prove mode end to end through ``genlogic.cli.main``: outputs, JSON, statuses, exit codes.

Exit codes (issue 3): 0 when every goal is proved, 1 otherwise, 2 on bad input; a goal
refuted on the ground model is ``CounterSatisfiable``, one neither proved nor refuted
``GaveUp``.  User mistakes print one ``error:`` line and never a traceback.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest

from genlogic.cli import main

ROOT = Path(__file__).resolve().parents[1]
PEANO = str(ROOT / "axioms" / "peano.mpl")
GOALS = str(ROOT / "axioms" / "peano_goals.mpl")
GOAL_NAMES = ["add_zero_left", "add_succ_left", "add_comm", "add_assoc", "mul_zero_left",
              "mul_succ_left", "mul_comm", "left_distrib", "right_distrib", "mul_assoc"]


@pytest.fixture(autouse=True)
def in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)      # verify looks for axioms/ from the current folder


@pytest.fixture(scope="module")
def peano_run(tmp_path_factory):
    """One prove run of the Peano goals shared by the tests that only read its output."""
    out = tmp_path_factory.mktemp("pg")
    code = main(["prove", PEANO, "--goals", GOALS, "--out", str(out), "--quiet"])
    return code, out


# the Peano goals are all proved: exit 0, proof graph and HTML index written
def test_prove_goals_writes_outputs(peano_run):
    code, out = peano_run
    assert code == 0
    assert (out / "proof_graph.json").is_file()
    assert (out / "index.html").is_file()
    graph = json.loads((out / "proof_graph.json").read_text(encoding="utf-8"))
    assert [t["id"] for t in graph["theorems"]] == GOAL_NAMES
    assert all(t["status"] == "Theorem" for t in graph["theorems"])
    assert graph["failed"] == []


# verify re-checks the written graph: exit 0, every rule line says "failed 0"
def test_verify_prove_output(peano_run, capsys):
    _, out = peano_run
    capsys.readouterr()
    assert main(["verify", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    rule_lines = [line for line in lines if re.match(r"^[a-z-]+: checked \d+, failed \d+$", line)]
    assert len(rule_lines) >= 10
    assert all(line.endswith("failed 0") for line in rule_lines)
    assert any(line.startswith("OK:") for line in lines)
    checked = {line.split(":")[0]: int(line.split()[-3].rstrip(",")) for line in rule_lines}
    assert checked["induction"] >= 1 and checked["modus-ponens"] >= 1


# verify also works from another folder when the theory is named explicitly
def test_verify_with_explicit_theory(peano_run, capsys, monkeypatch, tmp_path):
    _, out = peano_run
    monkeypatch.chdir(tmp_path)
    assert main(["verify", str(out), "--theory", PEANO, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True and report["failures"] == []
    assert report["theorems"] == len(GOAL_NAMES)


# --json prints the machine-readable summary with the documented keys
def test_prove_json_summary(tmp_path, capsys):
    code = main(["prove", PEANO, "--goals", GOALS, "--out", str(tmp_path / "o"), "--json"])
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert set(summary) >= {"goals", "stats"}
    assert [g["name"] for g in summary["goals"]] == GOAL_NAMES
    for g in summary["goals"]:
        assert {"name", "mpl", "readable", "status", "method", "steps"} <= set(g)
        assert g["status"] == "Theorem"
        assert g["method"] == "direct" or re.fullmatch(r"induction on \w+", g["method"])
        assert isinstance(g["steps"], int) and g["steps"] > 0
    assert summary["goals"][2]["readable"] == "∀a b. a + b = b + a"
    assert isinstance(summary["stats"], dict)


# a false goal (a + b = a) is refuted on the model: CounterSatisfiable, exit 1
def test_false_goal_counter_satisfiable(tmp_path, capsys):
    goals = tmp_path / "goals.mpl"
    goals.write_text("theorem zero_left := (>[a,b](in3[i0,a,b,+])(=[b,a]))\n"
                     "theorem absorb := (>[a,b,c](in3[a,b,c,+])(=[c,a]))\n", encoding="utf-8")
    out = tmp_path / "o"
    code = main(["prove", PEANO, "--goals", str(goals), "--out", str(out), "--json"])
    assert code == 1
    summary = json.loads(capsys.readouterr().out)
    status = {g["name"]: g for g in summary["goals"]}
    assert status["zero_left"]["status"] == "Theorem"
    bad = status["absorb"]
    assert bad["status"] == "CounterSatisfiable"
    ce = bad["counterexample"]
    assert ce["a"] + ce["b"] == ce["c"] and ce["c"] != ce["a"]      # a real counterexample
    graph = json.loads((out / "proof_graph.json").read_text(encoding="utf-8"))
    assert [t["id"] for t in graph["theorems"]] == ["zero_left"]
    assert [(f["id"], f["status"]) for f in graph["failed"]] == [("absorb", "CounterSatisfiable")]


# a true goal that cannot be proved without induction is GaveUp (not refuted): exit 1
def test_no_induction_gives_up(tmp_path, capsys):
    code = main(["prove", PEANO, "--goals", GOALS, "--out", str(tmp_path / "o"),
                 "--no-induction", "--json"])
    assert code == 1
    summary = json.loads(capsys.readouterr().out)
    first = summary["goals"][0]
    assert first["name"] == "add_zero_left" and first["status"] == "GaveUp"
    assert all(g["status"] != "CounterSatisfiable" for g in summary["goals"])


# the table mode prints every goal with its status and a summary line
def test_prove_table_output(tmp_path, capsys):
    assert main(["prove", PEANO, "--goals", GOALS, "--out", str(tmp_path / "o")]) == 0
    text = capsys.readouterr().out
    for name in GOAL_NAMES:
        assert name in text
    assert "10/10 goals proved" in text


# a missing theory file exits 2 with one error line and no traceback
def test_missing_theory_file(tmp_path, capsys):
    missing = tmp_path / "nope.mpl"
    code = main(["prove", str(missing), "--goals", GOALS, "--out", str(tmp_path / "o")])
    assert code == 2
    captured = capsys.readouterr()
    assert "error:" in captured.err and "nope.mpl" in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert not (tmp_path / "o").exists()


# a goals file with a syntax error exits 2 and names file:line:col
def test_goals_syntax_error(tmp_path, capsys):
    goals = tmp_path / "broken.mpl"
    goals.write_text("# first line is a comment\n"
                     "theorem ok := (>[a,b](in3[i0,a,b,+])(=[b,a]))\n"
                     "theorem bad := (>[a,b](in3[i0,a,b,+] (=[b,a]))\n", encoding="utf-8")
    code = main(["prove", PEANO, "--goals", str(goals), "--out", str(tmp_path / "o")])
    assert code == 2
    err = capsys.readouterr().err
    assert re.search(re.escape(str(goals)) + r":3:\d+", err), err
    assert "Traceback" not in err


# a goal that names something outside the anchor is bad input (exit 2), not a crash
def test_goals_unknown_name(tmp_path, capsys):
    goals = tmp_path / "unknown.mpl"
    goals.write_text("theorem t := (>[a,b](in3[zero,a,b,+])(=[b,a]))\n", encoding="utf-8")
    code = main(["prove", PEANO, "--goals", str(goals), "--out", str(tmp_path / "o")])
    assert code == 2
    err = capsys.readouterr().err
    assert re.search(re.escape(str(goals)) + r":1:\d+", err), err
    assert "Traceback" not in err


# --using a folder without a proof graph is bad input
def test_using_missing_graph(tmp_path, capsys):
    code = main(["prove", PEANO, "--goals", GOALS, "--out", str(tmp_path / "o"),
                 "--using", str(tmp_path / "empty")])
    assert code == 2
    assert "error:" in capsys.readouterr().err


# --using replays every adopted proof through the kernel: a graph it cannot use is refused
# with a message and exit 2 (a theorem with no proof, another theory, garbage, bad entries)
def _using_case(peano_run, tmp_path, change) -> tuple[int, str]:
    _, out = peano_run
    graph = json.loads((out / "proof_graph.json").read_text(encoding="utf-8"))
    folder = tmp_path / "using"
    folder.mkdir()
    text = change(graph)
    (folder / "proof_graph.json").write_text(text if isinstance(text, str) else json.dumps(text),
                                             encoding="utf-8")
    goals = tmp_path / "g.mpl"
    goals.write_text("theorem wrong := (>[a,b,c](in3[a,b,c,*])(in3[a,b,c,+]))\n")
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["prove", PEANO, "--goals", str(goals), "--using", str(folder),
                    "--no-induction", "--out", str(tmp_path / "o"), "--quiet"])
    return code, err.getvalue()


def _stepless(graph):
    theorem = graph["theorems"][0]
    graph["theorems"].append({**theorem, "id": "mul_is_add", "dependencies": [],
                              "mpl": "(>[a,b,c](in3[a,b,c,*])(in3[a,b,c,+]))",
                              "steps": theorem["steps"][:1],
                              "conclusion": theorem["steps"][0]["id"]})
    return graph


@pytest.mark.parametrize("change, phrase", [
    (_stepless, "theorem mul_is_add"),
    (lambda g: {**g, "theory": {**g["theory"], "source_hash": "0" * 64}}, "different theory"),
    (lambda g: "{not json", "cannot read"),
    (lambda g: [1, 2], "not a proof graph"),
    (lambda g: {**g, "theorems": g["theorems"] + ["junk"]}, "malformed"),
    (lambda g: {**g, "theorems": [{**g["theorems"][0], "steps": "none"}]}, "wrong type"),
], ids=["no-proof", "other-theory", "not-json", "not-object", "bad-entry", "bad-steps"])
def test_using_refuses_what_does_not_replay(peano_run, tmp_path, change, phrase):
    code, err = _using_case(peano_run, tmp_path, change)
    assert code == 2, err
    assert phrase in err and "Traceback" not in err


# the real graph is adopted (its proofs replay), and its theorems serve later goals
def test_using_adopts_a_real_run(peano_run, tmp_path):
    code, err = _using_case(peano_run, tmp_path, lambda g: g)
    assert code == 1, err                        # the false goal is not proved, nothing refused
    graph = json.loads((tmp_path / "o" / "proof_graph.json").read_text())
    assert {t["origin"] for t in graph["theorems"]} == {"imported"}
    assert main(["verify", str(tmp_path / "o"), "--theory", PEANO]) == 0


# verify of a folder that does not exist is bad input
def test_verify_missing_folder(tmp_path, capsys):
    assert main(["verify", str(tmp_path / "none")]) == 2
    assert "error:" in capsys.readouterr().err


# verify rejects a graph whose conclusion was tampered with (exit 1, failure named)
def test_verify_rejects_tampered_graph(peano_run, tmp_path, capsys):
    _, out = peano_run
    graph = json.loads((out / "proof_graph.json").read_text(encoding="utf-8"))
    theorem = graph["theorems"][0]
    step = next(s for s in theorem["steps"] if s["rule"] == "modus-ponens" and s["substitution"])
    step["substitution"] = {k: "i1" for k in step["substitution"]}
    (tmp_path / "proof_graph.json").write_text(json.dumps(graph), encoding="utf-8")
    assert main(["verify", str(tmp_path), "--theory", PEANO]) == 1
    text = capsys.readouterr().out
    assert "FAILED" in text


# --nested reaches the prover's options (recorded in the graph); a negative value is refused
def test_nested_option(tmp_path, capsys):
    out = tmp_path / "nested"
    assert main(["prove", PEANO, "--max-size", "3", "--max-vars", "2", "--nested", "1",
                 "--executor", "serial", "--out", str(out), "--quiet"]) == 0
    graph = json.loads((out / "proof_graph.json").read_text())
    assert graph["options"]["prove"]["nested"] == 1
    assert main(["prove", PEANO, "--goals", GOALS, "--nested", "-1"]) == 2
    assert "--nested must be 0 or more" in capsys.readouterr().err
