"""The typed TIP reader (``genlogic.mpl.tip``): every file of the IsaPlanner and prod
suites translates to a loadable theory or is refused at a position, and the ground model
of a translation agrees with a direct evaluation of the SMT-LIB text (``tip_oracle``)
for lists, trees, pairs, Bool and functions passed as values."""

from __future__ import annotations

from pathlib import Path

import pytest

from genlogic.blocks.prover import Prover
from genlogic.explore.model import GroundModel
from genlogic.mpl.errors import MPLError
from genlogic.mpl.theory import load_text
from genlogic.mpl.tip.reader import TipUnsupported, tip_to_mpl

from tip_oracle import check_model

SUITES = Path(__file__).resolve().parents[2] / "shared" / "external" / "tip_suites" / "benchmarks"
FILES = sorted(SUITES.glob("*/*.smt2"))


def test_every_suite_file_translates_or_is_refused_at_a_position():
    translated = 0
    for path in FILES:
        text = path.read_text()
        try:
            problem = tip_to_mpl(text, str(path))
        except TipUnsupported as exc:
            assert exc.position.line >= 1 and str(exc).startswith(str(path))
            continue
        theory = load_text(problem.mpl, path.stem + ".mpl")
        assert len(theory.goals) == sum(problem.goal_groups) >= text.count("(prove")
        translated += 1
    assert len(FILES) == 160 and translated == 160


@pytest.mark.parametrize("problem, minimum", [
    ("isaplanner/prop_47.smt2", 20),     # trees: mirror, height, max
    ("isaplanner/prop_35.smt2", 10),     # a lambda passed to dropWhile, Bool
    ("isaplanner/prop_40.smt2", 50),     # polymorphic lists: take
    ("prod/prop_01.smt2", 10),           # Nat only
])
def test_ground_model_agrees_with_direct_evaluation(problem, minimum):
    text = (SUITES / problem).read_text()
    translated = tip_to_mpl(text, problem)
    model = GroundModel.build(Prover(load_text(translated.mpl, "p.mpl")), 5)
    assert check_model(model, translated, text) >= minimum


def test_polymorphic_goal_gets_sorts_and_instances():
    text = (SUITES / "isaplanner/prop_12.smt2").read_text()     # drop n (map f xs)
    problem = tip_to_mpl(text, "prop_12.smt2")
    theory = load_text(problem.mpl, "prop_12.mpl")
    sets = set(theory.signature.sets)
    assert {"a", "b", "fun_a_b", "list_a", "list_b"} <= sets
    assert {"drop_a", "drop_b", "map"} <= {op.name for op in theory.signature.operators}


@pytest.mark.parametrize("body, fragment", [
    ("(define-fun-rec g ((x Nat)) Int x)", "unknown type 'Int'"),
    ("(define-fun-rec g ((x Nat)) Nat (p x))", "selector"),
    ("(define-fun-rec g ((x Nat)) Nat (f x))", "unknown name 'f'"),
    ("(define-fun-rec g ((x Nat)) Nat (S x x))", "takes 1 argument"),
])
def test_refusals_are_located(body, fragment):
    text = ("(declare-datatype Nat ((Z) (S (p Nat))))\n" + body
            + "\n(prove (forall ((x Nat)) (= (g x) x)))")
    with pytest.raises(MPLError) as info:
        tip_to_mpl(text, "u.smt2")
    assert fragment in info.value.message and info.value.position.line == 2
    # functions the goals never use are not elaborated: monomorphisation starts at goals
