"""Goal-directed proving (issue 21): goals that need lemmas the prover finds itself.

The six laws of arithmetic alone (no helper lemmas in the goals file) on the Peano
theory and on a copy with every symbol renamed; false goals; a budget that runs out;
``genlogic seed`` and ``Theory.prove`` on the same entry point.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

import genlogic
from genlogic.blocks.prover import ProveOptions
from genlogic.cli import main
from genlogic.explore.goals import prove_goals, signature_slice
from genlogic.mpl.theory import load
from genlogic.verify import verify_path

ROOT = Path(__file__).resolve().parents[1]
PEANO = ROOT / "axioms" / "peano.mpl"
LAWS = ROOT / "tests" / "data" / "six_laws.mpl"
LAWS_READABLE = ROOT / "tests" / "data" / "six_laws.txt"
NAMES = ["add_comm", "add_assoc", "mul_comm", "left_distrib", "right_distrib", "mul_assoc"]

# every symbol of the anchor renamed, and the definitions' parameters too
RENAMED = {"N": "Num", "i0": "nil", "s": "nxt", "+": "plus", "*": "mult", "i1": "unit",
           "Peano": "Counting", "NaturalNumbers": "Numbers", "addition": "adding",
           "multiplication": "multiplying", "successor": "following"}
TOKEN = re.compile(r"[A-Za-z0-9_+\-*/^=<~.'$%@|]+")


def renamed(text: str) -> str:
    return "\n".join(TOKEN.sub(lambda m: RENAMED.get(m.group(0), m.group(0)),
                               line.partition("#")[0]) for line in text.splitlines()) + "\n"


@pytest.fixture(autouse=True)
def in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)


def _check_run(out: Path, summary: dict) -> None:
    goals = {g["name"]: g for g in summary["goals"]}
    assert all(g["status"] == "Theorem" for g in goals.values()), \
        [(n, g["status"]) for n, g in goals.items()]
    graph = json.loads((out / "proof_graph.json").read_text())
    origins = {t["id"]: t["origin"] for t in graph["theorems"]}
    assert {n for n, o in origins.items() if o == "goal"} == set(goals)
    lemmas = {n for n, o in origins.items() if o == "lemma"}
    # commutativity of + cannot be proved from the axioms and the other laws alone
    assert goals["add_comm"]["lemmas"], "add_comm proved without a lemma"
    used = set()
    for g in goals.values():
        assert set(g["lemmas"]) <= lemmas
        used.update(g["lemmas"])
    assert used == lemmas                # the graph keeps only lemmas some goal uses
    report = verify_path(out)
    assert report.ok, report.failures[:3]


def test_six_laws_alone_are_proved_with_lemmas(tmp_path, capsys):
    out = tmp_path / "laws"
    code = main(["prove", str(PEANO), "--goals", str(LAWS), "--out", str(out), "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0
    _check_run(out, summary)
    assert summary["stats"]["lemmas"] >= 2


def test_six_laws_on_a_renamed_theory(tmp_path, capsys):
    theory = tmp_path / "counting.mpl"
    theory.write_text(renamed(PEANO.read_text()))
    goals = tmp_path / "laws.mpl"
    goals.write_text(renamed(LAWS.read_text()))
    assert "plus" in goals.read_text() and "+" not in goals.read_text()
    out = tmp_path / "out"
    code = main(["prove", str(theory), "--goals", str(goals), "--out", str(out), "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0
    _check_run(out, summary)


def test_without_lemma_search_commutativity_gives_up(tmp_path, capsys):
    code = main(["prove", str(PEANO), "--goals", str(LAWS), "--out", str(tmp_path / "o"),
                 "--no-lemmas", "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 1
    status = {g["name"]: g["status"] for g in summary["goals"]}
    assert status["add_comm"] == "GaveUp" and status["add_assoc"] == "Theorem"
    assert summary["stats"]["lemmas"] == 0


def test_false_goal_is_countersatisfiable_beside_true_ones(tmp_path, capsys):
    goals = tmp_path / "goals.mpl"
    goals.write_text("theorem add_comm := (>[a,b,c](in3[a,b,c,+])(in3[b,a,c,+]))\n"
                     "theorem add_idem := (>[a,b](in3[a,a,b,+])(=[a,b]))\n")
    out = tmp_path / "out"
    code = main(["prove", str(PEANO), "--goals", str(goals), "--out", str(out), "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 1
    by_name = {g["name"]: g for g in summary["goals"]}
    assert by_name["add_comm"]["status"] == "Theorem"
    false = by_name["add_idem"]
    assert false["status"] == "CounterSatisfiable"
    a, b = false["counterexample"]["a"], false["counterexample"]["b"]
    assert a + a == b and a != b                # a real counterexample in the numerals
    graph = json.loads((out / "proof_graph.json").read_text())
    assert [f["id"] for f in graph["failed"]] == ["add_idem"]
    assert verify_path(out).ok


def test_true_goal_out_of_reach_ends_within_its_budget():
    theory = load(PEANO)
    # the six laws at once, but a budget of two seconds for the whole run
    goals = theory.goals_from(LAWS)
    start = time.perf_counter()
    run = prove_goals(theory, goals, ProveOptions(), time_limit=2.0)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0 + 3.0, elapsed
    statuses = {g.name: g.status for g in run.goals}
    assert set(statuses.values()) <= {"Theorem", "Timeout"}
    assert "Timeout" in statuses.values() or elapsed < 2.0


def test_signature_slice_follows_definitions():
    theory = load(PEANO)
    sig = theory.signature
    by_name = {g.name: g.expr for g in theory.goals_from(LAWS)}
    add_slice = signature_slice(sig, [by_name["add_comm"]])
    assert {"+", "s", "i0"} <= add_slice and "*" not in add_slice
    assert {"*", "+", "s", "i0"} <= signature_slice(sig, [by_name["mul_comm"]])


def test_seed_proves_the_six_laws_in_readable_form(capsys):
    code = main(["seed", str(PEANO), "--from", str(LAWS_READABLE), "--json"])
    seeds = json.loads(capsys.readouterr().out)["seeds"]
    assert code == 0
    assert [s["status"] for s in seeds] == ["proved"] * 6, [(s["text"], s["reason"]) for s in seeds]
    assert any("with lemmas" in s["reason"] for s in seeds)


def test_theory_prove_finds_lemmas():
    theory = genlogic.load(PEANO)
    result = theory.prove("(>[a,b,c](in3[a,b,c,+])(in3[b,a,c,+]))")
    assert result.status == "Theorem"
    assert result.lemmas and all(e["origin"] == "lemma" for e in result.lemmas)
    assert result.graph["theorems"][-1]["id"] == "goal"
    plain = theory.prove("(>[a,b,c](in3[a,b,c,+])(in3[b,a,c,+]))", lemmas=False)
    assert plain.status == "GaveUp"


def test_failed_induction_cases_suggest_the_missing_lemma():
    """a + b = b + a fails by induction without lemmas; the open goals of its cases,
    generalised, include 0 + a = a (the base case) - the lemma it needs first."""
    from genlogic.blocks.prover import Prover
    from genlogic.explore.terms import equation_statement
    from genlogic.mpl.ast import alpha_key

    theory = load(PEANO)
    prover = Prover(theory)
    goal = theory.parse("(>[a,b,c](in3[a,b,c,+])(in3[b,a,c,+]))")
    quiet = prover.prove(goal)
    assert quiet.fact is None and quiet.stuck == []          # collected only when asked
    attempt = prover.prove(goal, stuck=True)
    assert attempt.fact is None and attempt.stuck
    suggested = {alpha_key(s) for s in (equation_statement(l, r, theory.signature)
                                        for l, r in attempt.stuck) if s is not None}
    assert alpha_key(theory.parse("(>[a,b](in3[i0,a,b,+])(=[b,a]))")) in suggested
    for left, right in attempt.stuck:            # terms over variables, constants, operators
        for side in (left, right):
            stack = [side]
            while stack:
                t = stack.pop()
                assert t[0] in ("v", "c") or t[0] in theory.signature.operator_names
                stack.extend(x for x in t[1:] if isinstance(x, tuple))
