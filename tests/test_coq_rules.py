"""Every kernel rule through Coq: small proofs made with the kernel, for the rules the
Peano and TIP graphs rarely or never use (contradiction, both ways; eq-refl; exists-intro
with and without variables; exists-elim of no witness), checked by the genlogic verifier
and by coqc; then the name spelling, which must be injective and give Coq identifiers.
"""

from __future__ import annotations

import copy
import re

import pytest
from hypothesis import given, settings, strategies as st

from genlogic.export.coq import CoqExportError, coq_script
from genlogic.export.coq_check import find_coqc, run_coqc
from genlogic.export.coq_terms import coq_name, is_set_binder, prop
from genlogic.kernel import Session
from genlogic.mpl.ast import Atom, alpha_equal
from genlogic.mpl.parser import parse_expr as E
from genlogic.mpl.theory import load
from genlogic.proof.graph import graph_document, theorem_entry
from genlogic.verify import verify_graph

THEORY = "axioms/peano.mpl"
NO_ZERO_PRED = "(>[n](in[n,N])!(in2[n,i0,s]))"
TOTAL_S = "(>[x](in[x,N])!(>[y](in[y,N])!(in2[x,y,s])))"


def coqc() -> str:
    found = find_coqc()
    if found is None:
        pytest.fail("coqc is not installed: the Coq tests need it (Debian: apt-get install "
                    "coq; .ci/run installs it)")
    return found


class Proofs:
    """A kernel session over Peano and the theorems made in it."""

    def __init__(self):
        self.theory = load(THEORY)
        anchor = self.theory.anchor()
        self.session = Session({n: (d.params, d.body) for n, d in self.theory.definitions.items()},
                               Atom(anchor.name, anchor.params))
        self.root = self.session.root
        self.entries = []
        self.operators = self.theory.signature.operator_names

    def axiom(self, text: str):
        """The fact ``text``, found by expanding the anchor and splitting conjunctions."""
        wanted = E(text)
        todo = [self.session.premise(self.root, 0)]
        while todo:
            fact = todo.pop(0)
            if alpha_equal(fact.expr, wanted):
                return fact
            if isinstance(fact.expr, Atom) and fact.expr.name in self.theory.definitions:
                todo.append(self.session.expand(fact))
            elif type(fact.expr).__name__ == "And":
                n = len(_parts(fact.expr))
                todo += [self.session.and_elim(fact, i) for i in range(n)]
        raise AssertionError(f"no axiom {text}")

    def block(self, names, hypothesis: str):
        ctx = self.session.open_block(self.root, tuple(names), E(hypothesis))
        parts = _parts(E(hypothesis))
        return ctx, [self.session.premise(ctx, i) for i in range(len(parts))]

    def done(self, name: str, statement: str, fact):
        self.session.conclude_theorem(name, fact, E(statement))
        self.entries.append(theorem_entry(name, E(statement), fact, self.operators,
                                          method="direct", origin="goal"))

    def graph(self):
        signature = self.theory.signature
        return graph_document(self.theory, signature, copy.deepcopy(self.entries), [], {}, {})


def _parts(expr):
    from genlogic.mpl.ast import flatten_and
    return flatten_and(expr)


@pytest.fixture(scope="module")
def proofs() -> Proofs:
    p = Proofs()
    k = p.session
    # contradiction: A and !A (A an atom) give anything
    ctx, (in_n, succ) = p.block(["a1"], "(&(in[a1,N])(in2[a1,i0,s]))")
    negation = k.modus_ponens(p.axiom(NO_ZERO_PRED), {"n": "a1"}, [in_n], ctx)
    absurd = k.contradiction(succ, negation, E("(=[i0,i1])"), ctx)
    p.done("no_pred_of_zero", "(>[a](&(in[a,N])(in2[a,i0,s]))(=[i0,i1]))",
           k.implies_intro(ctx, absurd))
    # contradiction where !A is an existence (in Coq an exists, taken apart first)
    ctx, (in_n, none) = p.block(["a2"], "(&(in[a2,N])(>[y](in[y,N])!(in2[a2,y,s])))")
    some = k.modus_ponens(p.axiom(TOTAL_S), {"x": "a2"}, [in_n], ctx)
    absurd = k.contradiction(none, some, E("(=[i0,i1])"), ctx)
    p.done("succ_exists", "(>[a](&(in[a,N])(>[y](in[y,N])!(in2[a,y,s])))(=[i0,i1]))",
           k.implies_intro(ctx, absurd))
    # eq-refl
    ctx, (in_n,) = p.block(["a3"], "(in[a3,N])")
    p.done("refl", "(>[a](in[a,N])(=[a,a]))", k.implies_intro(ctx, k.eq_refl("a3", ctx)))
    # exists-intro with a witness, and with no variable (!(>[] A !B) is A and B)
    ctx, (in_n,) = p.block(["a4"], "(in[a4,N])")
    refl = k.eq_refl("a4", ctx)
    some = k.exists_intro(E("!(>[y](in[y,N])!(=[y,a4]))"), {"y": "a4"}, in_n, refl, ctx)
    p.done("some_equal", "(>[a](in[a,N])!(>[y](in[y,N])!(=[y,a])))", k.implies_intro(ctx, some))
    ctx, (in_n,) = p.block(["a5"], "(in[a5,N])")
    both = k.exists_intro(E("!(>[](in[a5,N])!(=[a5,a5]))"), {}, in_n, k.eq_refl("a5", ctx), ctx)
    p.done("both", "(>[a](in[a,N])!(>[](in[a,N])!(=[a,a])))", k.implies_intro(ctx, both))
    # exists-elim of no witness, then and-elim; a later theorem used by name
    ctx, (pair,) = p.block(["a6"], "!(>[](in[a6,N])!(=[a6,a6]))")
    split = k.exists_elim(pair, (), ctx)
    p.done("second", "(>[a]!(>[](in[a,N])!(=[a,a]))(=[a,a]))",
           k.implies_intro(ctx, k.and_elim(split, 1, ctx)))
    used = k.theorem("no_pred_of_zero")
    ctx, (in_n, succ) = p.block(["a7"], "(&(in[a7,N])(in2[a7,i0,s]))")
    fact = k.modus_ponens(used, {"a": "a7"}, [in_n, succ], ctx)
    p.done("cited", "(>[a](&(in[a,N])(in2[a,i0,s]))(=[i0,i1]))", k.implies_intro(ctx, fact))
    return p


def test_hand_made_proofs_pass_both_checkers(proofs):
    graph = proofs.graph()
    report = verify_graph(graph, proofs.theory)
    assert report.ok, report.failures
    for rule in ("contradiction", "eq-refl", "exists-intro", "exists-elim", "theorem"):
        assert report.checked.get(rule, 0) >= 1, rule
    script = coq_script(graph, proofs.theory)
    assert "exists (v_y : U), (in_ v_y v_N) /\\ (v_y = v_a)" in script.text
    coq = run_coqc(script, coqc())
    assert coq.ok, coq.lines()
    assert [t for t, _ in coq.theorems] == [e["id"] for e in proofs.entries]


@pytest.mark.parametrize("rule", ["contradiction", "exists-intro", "eq-refl"])
def test_a_wrong_step_of_each_rare_rule_is_rejected(proofs, rule):
    graph = proofs.graph()
    entry = next(t for t in graph["theorems"] if any(s["rule"] == rule for s in t["steps"]))
    step = next(s for s in entry["steps"] if s["rule"] == rule)
    if rule == "contradiction":          # the premises swapped: no longer A and !A
        step["premises"].reverse()
    elif rule == "exists-intro":         # a witness that does not fit
        step["substitution"] = {k: "i1" for k in step["substitution"]} or {"y": "i1"}
    else:                                # x = x for another x
        step["extra"]["name"] = "i0"
    assert not verify_graph(graph, proofs.theory).ok
    try:
        script = coq_script(graph, proofs.theory)
    except CoqExportError as exc:       # refused by the export, naming the step
        assert f"theorem {entry['id']}, step {step['id']} ({rule})" in str(exc)
        return
    coq = run_coqc(script, coqc())
    assert not coq.ok and dict(coq.theorems)[entry["id"]] == "rejected", coq.lines()


# -- names and the translation ------------------------------------------------------------
MPL_NAME = st.text(alphabet="abcXYZ019_+-*/^=<~.'$%@|", min_size=1, max_size=6)
COQ_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_']*")


@settings(max_examples=300, deadline=None)
@given(MPL_NAME, MPL_NAME, st.sampled_from(["v", "def", "thm"]))
def test_names_are_spelled_injectively_as_identifiers(a, b, kind):
    assert COQ_IDENT.fullmatch(coq_name(a, kind))
    assert (coq_name(a, kind) == coq_name(b, kind)) == (a == b)
    assert coq_name(a, "v") != coq_name(b, "def") != coq_name(a, "thm")


def test_only_induction_shaped_binders_become_predicates():
    axiom = E("(>[M](&(in[z,M])(>[n,m](&(in[n,M])(in2[n,m,s]))(in[m,M])))"
              "(>[n](in[n,N])(in[n,M])))")
    assert is_set_binder(axiom)
    assert prop(axiom).startswith("(forall v_M : U -> Prop, ((v_M v_z) /\\")
    for text in ("(>[M](in[M,N])(in[z,M]))",            # M an element too
                 "(>[M](in[z,N])(in[z,N]))",            # M not used
                 "(>[M,n](in[n,M])(in[z,M]))",          # two variables
                 "(>[M](in[z,M])(in3[z,z,z,M]))"):      # M as a function
        assert not is_set_binder(E(text)), text
    # existence is an exists over individuals, never over predicates
    assert prop(E("!(>[y](in[z,y])!(in[x,y]))")) == \
        "(exists (v_y : U), (in_ v_z v_y) /\\ (in_ v_x v_y))"
