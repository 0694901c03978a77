"""Soundness: the induction rule takes only the theory's own induction axioms.

The attack (issue 13): in a block over an arbitrary name M, "there is y with x in M <->
x in y" holds (y := M).  Discharged, that is ``(>[M](=[i0,i0]) <exists y ...>)``, a
statement of the shape ``(>[M] P C)`` with M only as ``in[t,M]``.  If the induction rule
accepted it, comprehension with phi(x) = (in[x,x] -> Q) would give a set w with
w in w <-> (w in w -> Q): Curry's paradox, and Q for any Q, from no axiom at all.  The
forged graph below is built exactly that way on top of a real prove-mode graph; the
verifier must reject it at the induction step and the kernel must refuse the same steps.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from genlogic.cli import main
from genlogic.kernel import KernelError, Session, comprehension
from genlogic.mpl.ast import Atom, Implies, alpha_key
from genlogic.mpl.parser import parse_expr as E
from genlogic.mpl.printer import to_mpl
from genlogic.mpl.readable import readable
from genlogic.mpl.theory import load
from genlogic.verify import verify_graph

ROOT = Path(__file__).resolve().parents[1]
THEORY = ROOT / "axioms" / "peano.mpl"
GOALS = ROOT / "axioms" / "peano_goals.mpl"

FALSE_STATEMENTS = {
    "zero_is_one": "(=[i0,i1])",
    "mul_is_add": "(>[a,b,c](in3[a,b,c,*])(in3[a,b,c,+]))",
    "not_anchor": "!(Peano[N,i0,s,+,*,i1])",
}


@pytest.fixture(scope="module")
def peano():
    from genlogic.explore.goals import prove_goals
    theory = load(THEORY)
    graph = prove_goals(theory, theory.goals_from(GOALS)).graph
    return theory, json.loads(json.dumps(graph))


def curry_theorem(q: str, operators, name: str = "forged") -> dict:
    """The 16-step proof of ``q`` by naive comprehension, in the proof-graph format."""
    phi = f"(>[](in[x,x]){q})"
    exists = "!(>[y](>[x](in[x,M1])(in[x,y]))!(>[x](in[x,y])(in[x,M1])))"
    closed = f"(>[M1](=[i0,i0]){exists})"
    inst = f"(>[](=[i0,i0])!(>[y](>[x]{phi}(in[x,y]))!(>[x](in[x,y]){phi})))"
    phi_w = f"(>[](in[w,w]){q})"
    a_w, b_w = f"(>[x]{phi}(in[x,w]))", f"(>[x](in[x,w]){phi})"
    rows = [  # (context, expr, rule, premises, substitution, extra)
        (2, "(in[x1,M1])", "premise", [], {}, {"index": 0}),
        (1, "(>[x1](in[x1,M1])(in[x1,M1]))", "implies-intro", [1], {}, {"block": 2}),
        (1, exists, "exists-intro", [2, 2], {"y": "M1"}, {}),
        (0, closed, "implies-intro", [3], {}, {"block": 1}),
        (0, inst, "induction", [4], {}, {"variable": "x", "predicate": phi}),
        (0, "(=[i0,i0])", "eq-refl", [], {}, {"name": "i0"}),
        (0, f"!(>[y](>[x]{phi}(in[x,y]))!(>[x](in[x,y]){phi}))", "modus-ponens", [5, 6], {}, {}),
        (0, f"(&{a_w}{b_w})", "exists-elim", [7], {"y": "w"}, {"witnesses": ["w"]}),
        (0, a_w, "and-elim", [8], {}, {"index": 0}),
        (0, b_w, "and-elim", [8], {}, {"index": 1}),
        (3, "(in[w,w])", "premise", [], {}, {"index": 0}),
        (3, phi_w, "modus-ponens", [10, 11], {"x": "w"}, {}),
        (3, q, "modus-ponens", [12, 11], {}, {}),
        (0, phi_w, "implies-intro", [13], {}, {"block": 3}),
        (0, "(in[w,w])", "modus-ponens", [9, 14], {"x": "w"}, {}),
        (0, q, "modus-ponens", [14, 15], {}, {}),
    ]
    steps = [{"id": i + 1, "context": c, "expr": to_mpl(E(e)), "readable": readable(E(e), operators),
              "rule": r, "premises": p, "substitution": sub, "extra": x}
             for i, (c, e, r, p, sub, x) in enumerate(rows)]
    contexts = [
        {"id": 0, "parent": None, "vars": ["N", "i0", "s", "+", "*", "i1"],
         "hypothesis": "(Peano[N,i0,s,+,*,i1])", "label": "root"},
        {"id": 1, "parent": 0, "vars": ["M1"], "hypothesis": "(=[i0,i0])", "label": "block"},
        {"id": 2, "parent": 1, "vars": ["x1"], "hypothesis": "(in[x1,M1])", "label": "block"},
        {"id": 3, "parent": 0, "vars": [], "hypothesis": "(in[w,w])", "label": "block"},
    ]
    return {"id": name, "mpl": q, "readable": readable(E(q), operators), "status": "Theorem", "method": "direct",
            "origin": "goal", "dependencies": [], "contexts": contexts, "steps": steps,
            "conclusion": len(steps)}


def forged_graph(graph: dict, q: str) -> dict:
    forged = copy.deepcopy(graph)
    forged["theorems"].append(curry_theorem(q, load(THEORY).signature.operator_names))
    return forged


@pytest.mark.parametrize("q", FALSE_STATEMENTS.values(), ids=FALSE_STATEMENTS.keys())
def test_verifier_rejects_curry_forgery(peano, q):
    theory, graph = peano
    assert verify_graph(graph, theory).ok                  # the real graph is fine
    report = verify_graph(forged_graph(graph, q), theory)
    assert not report.ok
    assert any("theorem forged, step 5 (induction)" in f and "not an induction axiom" in f
               for f in report.failures), report.failures
    # every other step of the forgery is a valid step: the induction rule alone stops it
    assert len([f for f in report.failures if f.startswith("theorem forged")]) == 1


def test_cli_verify_rejects_forgery_and_using_refuses_it(peano, tmp_path, capsys):
    theory, graph = peano
    folder = tmp_path / "forged"
    folder.mkdir()
    (folder / "proof_graph.json").write_text(json.dumps(forged_graph(graph, "(=[i0,i1])")))
    assert main(["verify", str(folder), "--theory", str(THEORY)]) != 0
    assert "not an induction axiom" in capsys.readouterr().out
    goals = tmp_path / "false.mpl"
    goals.write_text("theorem zero_is_one := (>[](in[i0,N])(=[i0,i1]))\n")
    code = main(["prove", str(THEORY), "--goals", str(goals), "--using", str(folder),
                 "--no-induction", "--out", str(tmp_path / "out"), "--json"])
    captured = capsys.readouterr()
    assert code == 2, captured.out
    assert "Traceback" not in captured.err and "forged" in captured.err


def _session(theory) -> Session:
    anchor = theory.default_anchor()
    return Session({n: (d.params, d.body) for n, d in theory.definitions.items()},
                   Atom(anchor.name, anchor.params))


@pytest.mark.parametrize("q", FALSE_STATEMENTS.values(), ids=FALSE_STATEMENTS.keys())
def test_kernel_refuses_curry_forgery(q):
    s = _session(load(THEORY))
    outer = s.open_block(s.root, ("M1",), E("(=[i0,i0])"))
    inner = s.open_block(outer, ("x1",), E("(in[x1,M1])"))
    both = s.implies_intro(inner, s.premise(inner, 0))
    exists = E("!(>[y](>[x](in[x,M1])(in[x,y]))!(>[x](in[x,y])(in[x,M1])))")
    intro = s.exists_intro(exists, {"y": "M1"}, both, both, outer)
    closed = s.implies_intro(outer, intro)           # every step so far is sound
    assert closed.expr is E(f"(>[M1](=[i0,i0]){to_mpl(exists)})")
    with pytest.raises(KernelError, match="not an induction axiom"):
        s.induction(closed, "x", E(f"(>[](in[x,x]){q})"), s.root)


def test_kernel_accepts_the_real_axiom_and_refuses_modus_ponens_on_it():
    theory = load(THEORY)
    s = _session(theory)
    real = next(a for a in theory.signature.axioms if isinstance(a, Implies)
                and alpha_key(a) in s.induction_axioms)
    ctx = s.open_block(s.root, (), real)            # the axiom itself, as a hypothesis
    fact = s.premise(ctx, 0)
    assert s.induction(fact, "n", E("(in3[i0,n,n,+])"), ctx).justification.rule == "induction"
    with pytest.raises(KernelError, match="is a set"):
        s.modus_ponens(fact, {real.vars[0]: "N"}, [], ctx)


# -- property: comprehension into any statement other than the theory's axiom is refused ---
_NAMES = ["i0", "i1", "N", "x", "n"]


@st.composite
def set_statements(draw):
    """(>[M] P C) with M only as the second argument of in: the shape the rule checks."""
    def atom():
        kind = draw(st.integers(0, 2))
        if kind == 0:
            return f"(in[{draw(st.sampled_from(_NAMES))},M])"
        if kind == 1:
            return f"(=[{draw(st.sampled_from(_NAMES))},{draw(st.sampled_from(_NAMES))}])"
        return f"(in2[{draw(st.sampled_from(_NAMES))},{draw(st.sampled_from(_NAMES))},s])"

    def expr(depth):
        if depth == 0 or draw(st.booleans()):
            return atom()
        kind = draw(st.integers(0, 2))
        if kind == 0:
            return f"(&{expr(depth - 1)}{expr(depth - 1)})"
        if kind == 1:
            return f"!{expr(depth - 1)}"
        return f"(>[x,n]{expr(depth - 1)}{expr(depth - 1)})"

    return E(f"(>[M]{expr(2)}{expr(2)})")


@settings(max_examples=60, deadline=None)
@given(set_statements())
def test_comprehension_on_a_non_axiom_is_refused(statement):
    theory = load(THEORY)
    s = _session(theory)
    if alpha_key(statement) in s.induction_axioms:
        return
    ctx = s.open_block(s.root, (), statement)
    fact = s.premise(ctx, 0)
    with pytest.raises(KernelError):
        s.induction(fact, "t", E("(in[t,N])"), ctx)
    # the verifier, on the same step written as a graph
    entry = {"id": "t", "mpl": "(>[](in[i0,N])(in[i0,N]))", "readable": "", "status": "Theorem",
             "method": "direct", "origin": "goal", "dependencies": [],
             "contexts": [{"id": 0, "parent": None, "vars": ["N", "i0", "s", "+", "*", "i1"],
                           "hypothesis": "(Peano[N,i0,s,+,*,i1])", "label": "root"},
                          {"id": 1, "parent": 0, "vars": [], "hypothesis": to_mpl(statement),
                           "label": "block"}],
             "steps": [{"id": 1, "context": 1, "expr": to_mpl(statement), "readable": "",
                        "rule": "premise", "premises": [], "substitution": {},
                        "extra": {"index": 0}}],
             "conclusion": 1}
    try:
        wanted = comprehension(statement, "t", E("(in[t,N])"))
    except KernelError:
        return                         # not even the shape: nothing to write as a step
    entry["steps"].append({"id": 2, "context": 1, "expr": to_mpl(wanted), "readable": "",
                           "rule": "induction", "premises": [1], "substitution": {},
                           "extra": {"variable": "t", "predicate": "(in[t,N])"}})
    graph = {"schema": "genlogic-proof-graph/1",
             "theory": {"path": "peano.mpl", "source_hash": theory.source_hash,
                        "anchor": "Peano", "params": ["N", "i0", "s", "+", "*", "i1"]},
             "theorems": [entry], "failed": []}
    report = verify_graph(graph, theory)
    assert any("step 2 (induction)" in f and "not an induction axiom" in f
               for f in report.failures), report.failures
