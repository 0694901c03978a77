"""Exists-introduction: the kernel rule, the prover's use of it, and the verifier's check."""

import json

import pytest

import genlogic
from genlogic.cli import main
from genlogic.kernel import KernelError, Session
from genlogic.mpl.ast import Atom
from genlogic.mpl.parser import parse_expr

TOTAL_S = "(>[x](in[x,N])!(>[y](in[y,N])!(in2[x,y,s])))"


@pytest.fixture()
def session():
    theory = genlogic.load("axioms/peano.mpl")
    anchor = theory.anchor()
    return Session({n: (d.params, d.body) for n, d in theory.definitions.items()},
                   Atom(anchor.name, anchor.params))


def _facts(session, *texts):
    ctx = session.open_block(session.root, ("a", "b"), parse_expr(
        "(&" * (len(texts) - 1) + "".join(texts) + ")" * (len(texts) - 1)), "block")
    return ctx, [session.premise(ctx, i) for i in range(len(texts))]


def test_kernel_accepts_a_witness_that_satisfies_both_parts(session):
    # in[b,N] and in2[a,b,s] give "there is a y in N with s(a) = y"
    ctx, (typed, succ) = _facts(session, "(in[b,N])", "(in2[a,b,s])")
    goal = parse_expr("!(>[y](in[y,N])!(in2[a,y,s]))")
    fact = session.exists_intro(goal, {"y": "b"}, typed, succ, ctx)
    assert fact.expr is goal and fact.justification.rule == "exists-intro"


def test_kernel_rejects_a_witness_that_does_not_fit(session):
    # the facts speak of b, the substitution names a: no existence follows
    ctx, (typed, succ) = _facts(session, "(in[b,N])", "(in2[a,b,s])")
    goal = parse_expr("!(>[y](in[y,N])!(in2[a,y,s]))")
    with pytest.raises(KernelError):
        session.exists_intro(goal, {"y": "a"}, typed, succ, ctx)


def test_kernel_rejects_a_statement_that_is_no_existence(session):
    # a plain negation is not of the shape !(>[y] A !B)
    ctx, (typed, succ) = _facts(session, "(in[b,N])", "(in2[a,b,s])")
    with pytest.raises(KernelError):
        session.exists_intro(parse_expr("!(in2[a,b,s])"), {}, typed, succ, ctx)


def test_prover_proves_totality_and_the_verifier_checks_it(tmp_path, capsys):
    # the totality axiom of s restated as a goal: proved, verified, exists-intro counted
    goals = tmp_path / "goals.mpl"
    goals.write_text(f"theorem succ_total := {TOTAL_S}\n", encoding="utf-8")
    out = tmp_path / "run"
    assert main(["prove", "axioms/peano.mpl", "--goals", str(goals), "--out", str(out),
                 "--quiet"]) == 0
    assert main(["verify", str(out)]) == 0
    assert "exists-intro: checked 1, failed 0" in capsys.readouterr().out
    # a forged witness in the substitution is rejected, naming the step
    graph = json.loads((out / "proof_graph.json").read_text())
    step = next(s for s in graph["theorems"][0]["steps"] if s["rule"] == "exists-intro")
    step["substitution"] = {"y": graph["theorems"][0]["contexts"][1]["vars"][0]}
    (out / "proof_graph.json").write_text(json.dumps(graph), encoding="utf-8")
    assert main(["verify", str(out)]) == 1
    assert f"step {step['id']} (exists-intro)" in capsys.readouterr().out
