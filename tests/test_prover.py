"""The prover (blocks/prover.py): goals in order, false goals, no induction, renamed theory.

Each proved goal is recorded as a theorem that later goals may use, exactly as prove
mode does.  Nothing may depend on symbol names: the renamed-theory case proves the
same goals on a copy of the theory whose every non-logical symbol is renamed.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

import genlogic
from genlogic.blocks.prover import Attempt, ProveOptions, Prover, StopReason
from genlogic.mpl.ast import alpha_equal
from genlogic.mpl.parser import parse_expr

ROOT = Path(__file__).resolve().parents[1]
PEANO = ROOT / "axioms" / "peano.mpl"
GOALS = ROOT / "axioms" / "peano_goals.mpl"

ADD_ZERO_LEFT = "(>[a,b](in3[i0,a,b,+])(=[b,a]))"
FALSE_GOAL = "(>[a,b,c](in3[a,b,c,+])(=[c,a]))"          # a + b = a


@pytest.fixture(scope="module")
def theory():
    return genlogic.load(str(PEANO))


@pytest.fixture(scope="module")
def goals(theory):
    return theory.goals_from(str(GOALS))


def prove_in_order(theory, goals, options=ProveOptions()) -> dict[str, Attempt]:
    prover = Prover(theory, options=options)
    attempts = {}
    for goal in goals:
        attempt = prover.prove(goal.expr)
        attempts[goal.name] = attempt
        if attempt.status is StopReason.PROVED:
            prover.record(goal.name, attempt)
    return attempts


# every Peano goal is proved in file order, each one using the ones before it
def test_peano_goals_in_order(theory, goals):
    assert [g.name for g in goals][:3] == ["add_zero_left", "add_succ_left", "add_comm"]
    attempts = prove_in_order(theory, goals)
    assert {name: a.status for name, a in attempts.items()} == \
        {g.name: StopReason.PROVED for g in goals}
    for goal in goals:
        attempt = attempts[goal.name]
        assert attempt.fact is not None
        assert attempt.fact.context.parent is None                 # a root-context fact
        assert alpha_equal(attempt.fact.expr, goal.expr)
        assert attempt.method == "direct" or re.fullmatch(r"induction on \w+", attempt.method)


# the first goal has no lemma to lean on: it needs induction, on its only input variable
def test_add_zero_left_by_induction(theory):
    attempt = Prover(theory).prove(parse_expr(ADD_ZERO_LEFT))
    assert attempt.status is StopReason.PROVED
    assert attempt.method == "induction on a"


# a false goal (a + b = a) ends not proved, quickly, without raising
def test_false_goal_not_proved(theory):
    prover = Prover(theory)
    start = time.perf_counter()
    attempt = prover.prove(parse_expr(FALSE_GOAL))
    elapsed = time.perf_counter() - start
    assert attempt.status is not StopReason.PROVED
    assert isinstance(attempt.status, StopReason)
    assert attempt.fact is None
    assert elapsed < 5.0


# a false goal stays unproved even after the true goals are theorems
def test_false_goal_after_theorems(theory, goals):
    prover = Prover(theory)
    for goal in goals[:4]:
        attempt = prover.prove(goal.expr)
        assert attempt.status is StopReason.PROVED
        prover.record(goal.name, attempt)
    start = time.perf_counter()
    attempt = prover.prove(parse_expr(FALSE_GOAL))
    assert attempt.fact is None and attempt.status is not StopReason.PROVED
    assert time.perf_counter() - start < 5.0


# without induction, 0 + a = a does not follow from the axioms directly
def test_no_induction_cannot_prove_add_zero_left(theory):
    prover = Prover(theory, options=ProveOptions(induction=False))
    attempt = prover.prove(parse_expr(ADD_ZERO_LEFT))
    assert attempt.status is not StopReason.PROVED
    assert attempt.fact is None
    assert attempt.tried == ["direct"]


# the per-call switch forbids induction as well, even when the options allow it
def test_prove_induction_false_argument(theory):
    attempt = Prover(theory).prove(parse_expr(ADD_ZERO_LEFT), induction=False)
    assert attempt.fact is None


# an axiom instance (a + 0 = a) is proved directly, without induction
def test_axiom_instance_direct(theory):
    prover = Prover(theory, options=ProveOptions(induction=False))
    attempt = prover.prove(parse_expr("(>[a,b](in3[a,i0,b,+])(=[b,a]))"))
    assert attempt.status is StopReason.PROVED
    assert attempt.method == "direct"


# a statement that is not an implication is refused with a clear error
def test_prove_requires_implication(theory):
    with pytest.raises(ValueError):
        Prover(theory).prove(parse_expr("(in[i0,N])"))


# recording the same theorem twice is a kernel error, not a silent overwrite
def test_record_twice_refused(theory):
    from genlogic.kernel import KernelError
    prover = Prover(theory)
    attempt = prover.prove(parse_expr(ADD_ZERO_LEFT))
    prover.record("zl", attempt)
    with pytest.raises(KernelError):
        prover.record("zl", attempt)


# every axiom with an atom (or conjunction of atoms) conclusion, restated as a goal, is
# proved directly
@pytest.mark.parametrize("index", [1, 3, 5, 7, 9, 10, 11, 12, 14, 15, 16])
def test_restated_axiom_proved(theory, index):
    axiom = theory.signature.axioms[index]
    attempt = Prover(theory, options=ProveOptions(induction=False)).prove(axiom)
    assert attempt.status is StopReason.PROVED, str(axiom)




# a negated-atom axiom (s(n) != 0) restated as a goal is proved directly
def test_restated_negation_axiom_proved(theory):
    axiom = theory.signature.axioms[4]
    assert str(axiom) == "(>[n](in[n,N])!(in2[n,i0,s]))"
    assert Prover(theory).prove(axiom).status is StopReason.PROVED


# a negated hypothesis proves itself (P -> P with P a negated atom)
def test_negated_goal_from_hypothesis(theory):
    statement = parse_expr("(>[a](&(in[a,N])!(in2[a,i0,s]))!(in2[a,i0,s]))")
    assert Prover(theory).prove(statement).status is StopReason.PROVED


# the totality axiom of s restated as a goal is proved directly
def test_restated_existence_axiom_proved(theory):
    axiom = theory.signature.axioms[2]
    assert str(axiom) == "(>[x](in[x,N])!(>[y](in[y,N])!(in2[x,y,s])))"
    assert Prover(theory).prove(axiom).status is StopReason.PROVED


# a conjunction of atoms as a conclusion is proved part by part
def test_conjunctive_goal(theory):
    statement = parse_expr("(>[a](in[a,N])(&(in3[a,i0,a,+])(in3[a,i0,i0,*])))")
    assert Prover(theory).prove(statement).status is StopReason.PROVED


# -- renamed theory -----------------------------------------------------------------------

RENAME = {
    # the anchor's parameters
    "N": "Nat", "i0": "zero", "s": "succ", "+": "plus", "*": "times", "i1": "one",
    # definitions and their parameters
    "function1": "unary_map", "function2": "binary_map", "inductive": "closed_family",
    "successor": "succ_structure", "addition": "sum_law", "multiplication": "product_law",
    "NaturalNumbers": "Naturals", "Peano": "Arithmetic",
    "z": "origin", "add": "plus", "mul": "times", "f": "fn", "X": "Dom", "Y": "Cod",
    "Z": "Out", "M": "Family",
}
NAME = re.compile(r"[A-Za-z0-9_+\-*/^=<~.'$%@|]+")     # the NAME token of mpl.lark
KEEP = {"def", "anchor", "theorem", "include", "under", "in", "in2", "in3", "="}


def rename_text(text: str) -> str:
    """Rename NAME tokens (outside comments) through RENAME; keywords and built-ins stay."""
    out = []
    for line in text.splitlines(keepends=True):
        code, hash_, comment = line.partition("#")
        code = NAME.sub(lambda m: m.group(0) if m.group(0) in KEEP
                        else RENAME.get(m.group(0), m.group(0)), code)
        out.append(code + hash_ + comment)
    return "".join(out)


def code_tokens(text: str) -> set[str]:
    return {t for line in text.splitlines() for t in NAME.findall(line.partition("#")[0])}


@pytest.fixture(scope="module")
def renamed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("renamed")
    theory_text = rename_text(PEANO.read_text(encoding="utf-8"))
    goals_text = rename_text(GOALS.read_text(encoding="utf-8"))
    (folder / "arith.mpl").write_text(theory_text, encoding="utf-8")
    (folder / "arith_goals.mpl").write_text(goals_text, encoding="utf-8")
    return folder


# the rename really removed every original symbol from the code (not from comments)
def test_rename_is_complete(renamed):
    tokens = code_tokens((renamed / "arith.mpl").read_text()) | \
        code_tokens((renamed / "arith_goals.mpl").read_text())
    assert not tokens & (set(RENAME) - set(RENAME.values()))
    assert {"Nat", "zero", "succ", "plus", "times", "one", "Arithmetic"} <= tokens


# the renamed theory derives the same signature shape under the new names
def test_renamed_signature(renamed):
    theory = genlogic.load(str(renamed / "arith.mpl"))
    sig = theory.signature
    assert sig.anchor == "Arithmetic"
    assert {str(op) for op in sig.operators} == \
        {"succ: Nat -> Nat", "plus: Nat x Nat -> Nat", "times: Nat x Nat -> Nat"}
    assert [ind.carrier for ind in sig.induction] == ["Nat"]
    assert sig.induction[0].bases == ("zero",) and sig.induction[0].constructors == ("succ",)


# every goal is proved on the renamed copy too, with the same methods as on the original
def test_renamed_theory_proves_all_goals(renamed, theory, goals):
    copy = genlogic.load(str(renamed / "arith.mpl"))
    copy_goals = copy.goals_from(str(renamed / "arith_goals.mpl"))
    assert [g.name for g in copy_goals] == [g.name for g in goals]
    attempts = prove_in_order(copy, copy_goals)
    assert {n: a.status for n, a in attempts.items()} == \
        {g.name: StopReason.PROVED for g in copy_goals}
    original = prove_in_order(theory, goals)
    assert {n: a.method for n, a in attempts.items()} == \
        {n: a.method for n, a in original.items()}
