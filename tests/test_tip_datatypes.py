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


# -- proving over lists: case splits on Bool-valued terms --------------------------------

COUNT = """(declare-datatype list (par (a) ((nil) (cons (head a) (tail (list a))))))
(declare-datatype Nat ((Z) (S (p Nat))))
(define-fun-rec eq ((x Nat) (y Nat)) Bool
  (match x ((Z (match y ((Z true) ((S z) false))))
            ((S x2) (match y ((Z false) ((S y2) (eq x2 y2))))))))
(define-fun-rec count ((x Nat) (y (list Nat))) Nat
  (match y ((nil Z) ((cons z ys) (ite (eq x z) (S (count x ys)) (count x ys))))))
(define-fun-rec plus ((x Nat) (y Nat)) Nat (match x ((Z y) ((S z) (S (plus z y))))))
(define-fun-rec app (par (a) (((x (list a)) (y (list a))) (list a)))
  (match x ((nil y) ((cons z xs) (cons z (app xs y))))))
(prove (forall ((n Nat) (xs (list Nat)) (ys (list Nat)))
  (= (plus (count n xs) (count n ys)) (count n (app xs ys)))))
"""


def test_an_ite_on_a_bool_function_is_proved_by_cases_and_verified(tmp_path):
    """count's step has two equations, guarded by eq(x, z) = true and = false: the
    induction's step case is stuck until the prover splits on the value of eq(n, z)
    (an induction over Bool inside the case); with no case splits it is not proved."""
    from dataclasses import replace

    from genlogic.blocks.prover import ProveOptions
    from genlogic.verify import verify_path
    from genlogic.explore.goals import prove_goals
    from genlogic.mpl.theory import load
    from genlogic.proof.graph import write_graph

    problem = tip_to_mpl(COUNT, "count.smt2")
    (tmp_path / "count.mpl").write_text(problem.mpl)
    theory = load(tmp_path / "count.mpl")
    goal = theory.goals[0]
    options = ProveOptions(nested=2, time_limit=20)
    attempt = Prover(theory, None, options).prove(goal.expr)
    assert attempt.fact is not None and attempt.method.startswith("induction")
    assert Prover(theory, None, replace(options, cases=0)).prove(goal.expr).fact is None
    run = prove_goals(theory, [goal], options, discover=False)
    assert run.all_proved
    write_graph(tmp_path / "proof_graph.json", run.graph)
    assert verify_path(tmp_path / "proof_graph.json").ok
