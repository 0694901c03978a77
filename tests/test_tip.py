"""TIP problems: the S-expression reader, the translation to MPL, and `genlogic tip`.

The translation is checked semantically: the ground model that genlogic computes from
the translated axioms must agree with Python's arithmetic for each function, so a
mistranslated match (a wrong case, a lost wildcard) shows up as a wrong table entry.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from genlogic.blocks.prover import Prover
from genlogic.cli import main
from genlogic.explore.model import GroundModel
from genlogic.explore.tip import TIP_OPTIONS, solve
from genlogic.mpl.errors import MPLError
from genlogic.mpl.theory import load_text
from genlogic.mpl.tip.reader import Sexp, TipUnsupported, read_sexps, tip_to_mpl
from tip_oracle import check_model, decode, evaluator
from genlogic.verify import verify_path

# the TIP subset lives in ../shared beside the repository (CI puts it there too)
TIP = Path(__file__).resolve().parents[2] / "shared" / "external" / "tip_nat" / "benchmarks"

NAT = "(declare-datatype Nat ((Z) (S (p Nat))))\n"


# -- S-expressions -------------------------------------------------------------------------

symbols = st.from_regex(r"[a-z+*\-][a-z0-9+*\-]{0,4}", fullmatch=True)
quoted = st.from_regex(r"[a-z][a-z ]{0,4}", fullmatch=True)
trees = st.recursive(st.one_of(symbols.map(lambda s: ("sym", s)),
                               quoted.map(lambda s: ("quoted", s))),
                     lambda inner: st.lists(inner, max_size=4).map(lambda xs: ("list", xs)),
                     max_leaves=15)
spaces = st.sampled_from([" ", "  ", "\n", " ; comment\n", "\t"])


def render(tree, draw_space) -> str:
    kind, value = tree
    if kind == "sym":
        return value
    if kind == "quoted":
        return f"|{value}|"
    return "(" + draw_space() + draw_space().join(render(t, draw_space) for t in value) + ")"


def shape(node: Sexp):
    if node.items is None:
        return node.symbol
    return [shape(i) for i in node.items]


def tree_shape(tree):
    kind, value = tree
    return [tree_shape(t) for t in value] if kind == "list" else value


@settings(max_examples=200, deadline=None)
@given(st.lists(trees, min_size=1, max_size=3), st.data())
def test_sexps_round_trip(forest, data):
    text = data.draw(spaces).join(render(t, lambda: data.draw(spaces)) for t in forest)
    parsed = read_sexps(text)
    assert [shape(n) for n in parsed] == [tree_shape(t) for t in forest]
    lines = text.splitlines()
    for node in parsed:                       # positions point at the node's first character
        assert lines[node.line - 1][node.column - 1] in "(|" + node_first(node)


def node_first(node: Sexp) -> str:
    return node.symbol[:1] if node.items is None else "("


@pytest.mark.parametrize("text, where, message", [
    ("(a (b c)", (1, 1), "never closed"),
    ("(a)\n  b)", (2, 4), "unbalanced"),
    ("(a |bc", (1, 4), "unterminated"),
])
def test_sexp_errors_are_located(text, where, message):
    with pytest.raises(MPLError) as info:
        read_sexps(text, "p.smt2")
    assert (info.value.line, info.value.column) == where and message in str(info.value)


# -- translation, checked on the ground model -------------------------------------------------

REFERENCE = {
    "isaplanner/prop_06.smt2": {"-2": lambda x, y: max(0, x - y), "+2": lambda x, y: x + y},
    "isaplanner/prop_23.smt2": {"max": max},
    "isaplanner/prop_32.smt2": {"min": min},
    "prod/prop_01.smt2": {"double": lambda x: 2 * x, "+2": lambda x, y: x + y},
    "prod/prop_13.smt2": {"half": lambda x: x // 2, "+2": lambda x, y: x + y},
    "tip2015/nat_acc_plus_comm.smt2": {"acc_plus": lambda x, y: x + y},
    "tip2015/nat_alt_mul_comm.smt2": {"alt_mul": lambda x, y: x * y},
    "tip2015/weird_nat_add3_comm12.smt2": {"add3": lambda x, y, z: x + y + z},
    "tip2015/nat_le_trans.smt2": {"leq": lambda x, y: x <= y},
    "tip2015/nat_lt_ne.smt2": {"lt": lambda x, y: x < y},
    "isaplanner/prop_21.smt2": {"<=2": lambda x, y: x <= y},
}


def as_python(value):
    """A decoded element (tip_oracle.decode) as an int (Z, S) or a bool (false, true)."""
    if value in (("true",), ("false",)):
        return value == ("true",)
    n = 0
    while len(value) == 2:
        n, value = n + 1, value[1]
    assert len(value) == 1, value
    return n


@pytest.mark.parametrize("problem", sorted(REFERENCE))
def test_translation_computes_the_right_functions(problem):
    """Every known entry of the model's tables, read back as numbers and truth values,
    is the value of the arithmetic the TIP definition means; the entries whose value
    the model holds are known."""
    text = (TIP / problem).read_text()
    translated = tip_to_mpl(text, problem)
    theory = load_text(translated.mpl, "problem.mpl")
    model = GroundModel.build(Prover(theory), 6)
    values = [as_python(v) for v in decode(model, translated.symbols, evaluator(text).functions)]
    held = set(values)                   # the numbers (and truth values) that are elements
    checked = 0
    for symbol, function in REFERENCE[problem].items():
        name = translated.functions[symbol]
        for args, value in model.tables[name].items():
            expected = function(*(values[a] for a in args))
            if value is not None:
                assert values[value] == expected, (symbol, args)
                checked += 1
            else:
                assert expected not in held, (symbol, args)    # an element: computed
    assert checked >= 6


SAMPLE = ["isaplanner/prop_06.smt2", "isaplanner/prop_23.smt2", "prod/prop_13.smt2",
          "prod/prop_33.smt2", "tip2015/nat_le_trans.smt2", "tip2015/nat_pow_times.smt2",
          "tip2015/weird_nat_add3acc_spec.smt2", "tip2015/weird_nat_mul3acc_spec.smt2",
          "isaplanner/prop_22.smt2"]


@pytest.mark.parametrize("problem", SAMPLE)
def test_ground_model_agrees_with_direct_evaluation(problem):
    """Every table entry the model knows equals the value of the SMT-LIB definition."""
    text = (TIP / problem).read_text()
    translated = tip_to_mpl(text, problem)
    theory = load_text(translated.mpl, "problem.mpl")
    model = GroundModel.build(Prover(theory), 5)
    assert check_model(model, translated, text) >= 10


def test_weird_mul3acc_files_state_a_false_conjecture(tmp_path):
    """In these files the last case of mul3acc adds (add3acc x y z) of the arguments, not
    of their predecessors, so mul3acc(1, 1, 2) = 5, not 1 * 1 * 2.  Direct evaluation and
    the ground model agree; genlogic reports the counterexample at once."""
    problem = TIP / "tip2015/weird_nat_mul3acc_spec.smt2"
    one, two = ("succ", ("zero",)), ("succ", ("succ", ("zero",)))
    assert as_python(evaluator(problem.read_text())("mul3acc", [one, one, two])) == 5
    result = solve(problem, 60, tmp_path)
    assert result.status == "CounterSatisfiable"
    assert "v1 = 1, v2 = 1, v3 = 2, v4 = 5" in result.reason
    graph = json.loads((tmp_path / "proof_graph.json").read_text())
    assert graph["stats"]["discovery"]["stop_reason"] == "seeds settled"   # refuted up front
    assert [f["status"] for f in graph["failed"]] == ["CounterSatisfiable"]


def test_translation_of_match_let_and_wildcards():
    text = NAT + """
    (define-fun two () Nat (S (S Z)))
    (define-fun-rec pred ((x Nat)) Nat (match x ((Z Z) ((S y) y))))
    (define-fun-rec f ((x Nat) (y Nat)) Nat
      (let ((t (pred y)))
        (match x (((S z) (match (pred x) ((Z two) (_ (f z t))))) (_ t)))))
    (define-fun-rec g ((x Nat)) Nat (match x ((_ two) ((S z) z))))
    (define-fun-rec le ((x Nat) (y Nat)) Bool
      (match x ((Z true) ((S z) (match y ((Z false) ((S w) (le z w))))))))
    (define-fun h ((x Nat) (y Nat)) Nat
      (ite (and (le x y) (not (le y x))) x (ite (or (le y Z) (=> (le x Z) false)) y two)))
    (prove (forall ((a Nat)) (= (f a Z) (h (g a) a))))
    """
    translated = tip_to_mpl(text, "t.smt2")
    theory = load_text(translated.mpl, "t.mpl")
    model = GroundModel.build(Prover(theory), 6)
    n = [as_python(v) for v in decode(model, translated.symbols, evaluator(text).functions)]
    held = set(n)

    def table(symbol):
        return {tuple(n[a] for a in args): None if out is None else n[out]
                for args, out in model.tables[translated.functions[symbol]].items()}

    def pred(x):
        return max(0, x - 1)

    def f(x, y):
        t = pred(y)
        if x == 0:
            return t
        return 2 if pred(x) == 0 else f(x - 1, t)

    for (x, y), value in table("f").items():
        expected = f(x, y)
        assert value == (expected if expected in held else None), (x, y)
    # the first branch that matches wins: a leading wildcard hides the rest
    assert set(table("g").values()) == {2}

    def h(x, y):
        if x <= y and not y <= x:
            return x
        return y if (y <= 0 or not x <= 0) else 2

    for (x, y), value in table("h").items():
        assert value == h(x, y), (x, y)
    assert model.constants.get("two") == 2 or "two" in translated.mpl
    assert [g.name for g in theory.goals] == ["goal"]


@pytest.mark.parametrize("body, goal, fragment, at", [
    ("(define-fun-rec g ((x Nat)) Int x)", "(= (g Z) (g Z))", "unknown type 'Int'", "Int"),
    ("(define-fun-rec g ((x Nat) (y Nat) (z Nat) (u Nat)) Nat x)", "(= (g Z Z Z Z) Z)",
     "one to three", "(define"),
    ("(define-fun-rec g ((x Nat)) Bool (= x x))", "(g Z)", "a Boolean '=' inside a definition",
     "(= x x)"),
    ("(define-fun-rec g ((x Nat)) Nat (p x))", "(= (g Z) Z)", "selector", "(p x)"),
])
def test_unsupported_constructs_are_located(body, goal, fragment, at):
    """The error names the file, the line of the construct and its column."""
    with pytest.raises(TipUnsupported) as info:
        tip_to_mpl(NAT + body + f"\n(prove {goal})", "u.smt2")
    column = body.index(at) + 1
    assert fragment in info.value.message
    assert (info.value.line, info.value.column) == (2, column)
    assert str(info.value).startswith(f"u.smt2:2:{column}:")


def test_definitions_the_goals_do_not_use_are_left_out():
    """Translation starts from the goals: a definition no goal reaches is not read past
    its types, so a construct genlogic refuses there does not refuse the problem."""
    translated = tip_to_mpl(NAT + "(define-fun-rec g ((x Nat)) Bool (= x x))\n"
                            "(prove (forall ((x Nat)) (= (S x) (S x))))", "u.smt2")
    assert "g" not in translated.functions
    assert load_text(translated.mpl, "u.mpl").goals


def test_a_type_used_before_its_declaration_is_refused():
    with pytest.raises(TipUnsupported) as info:
        tip_to_mpl("(define-fun f ((x Nat)) Nat x)\n" + NAT + "(prove (= Z Z))", "o.smt2")
    assert (info.value.line, info.value.column) == (1, 19)
    assert "unknown type 'Nat'" in info.value.message


def test_a_path_condition_without_variables_is_kept():
    """Matching on a constant: the Z branch's condition one = Z names no variable, and
    must still guard its equation (dropping it would make the theory inconsistent)."""
    text = NAT + """
    (define-fun one () Nat (S Z))
    (define-fun two () Nat (S (S Z)))
    (define-fun f () Nat (match one ((Z two) ((S q) q))))
    (prove (= f Z))
    """
    translated = tip_to_mpl(text, "c.smt2")
    assert "(>[](=[one,Z])(=[two,f]))" in translated.mpl
    model = GroundModel.build(Prover(load_text(translated.mpl, "c.mpl")), 4)
    assert decode(model, translated.symbols, {"one", "two", "f"})[model.constants["f"]] == \
        ("Z",) == evaluator(text)("f", [])
    assert model.constants["two"] == 2


def test_background_assertions_are_left_out_and_counted():
    problem = "tip2015/nat_pow_times.smt2"
    text = (TIP / problem).read_text()
    translated = tip_to_mpl(text, problem)
    assert translated.skipped_asserts == text.count("(assert")
    assert "background assertion" in translated.mpl


# -- genlogic tip ---------------------------------------------------------------------------

def test_cli_proves_and_writes_checkable_graphs(tmp_path, capsys):
    problems = [str(TIP / "isaplanner/prop_06.smt2"), str(TIP / "isaplanner/prop_07.smt2")]
    code = main(["tip", *problems, "--out", str(tmp_path), "--time-limit", "60", "--quiet"])
    out = capsys.readouterr().out
    assert "% SZS status Theorem for prop_06" in out
    assert "% SZS status Theorem for prop_07" in out
    assert code == 0
    for name in ("prop_06", "prop_07"):
        report = verify_path(tmp_path / name / "proof_graph.json")
        assert report.ok and report.theorems >= 1
        assert (tmp_path / name / "index.html").is_file()
        assert "SZS status Theorem" in (tmp_path / name / "proof.tstp").read_text()
        graph = json.loads((tmp_path / name / "proof_graph.json").read_text())
        assert graph["stats"]["proved"] == 1 and graph["failed"] == []
        # no exploring past the goal, and only the lemmas its proof uses are kept
        assert graph["stats"].get("discovery", {"stop_reason": "seeds proved"})[
            "stop_reason"] == "seeds proved"
        assert [t["origin"] for t in graph["theorems"]][-1] == "goal"
        assert all(t["origin"] == "lemma" for t in graph["theorems"][:-1])


def test_three_argument_functions_are_explored_and_proved(tmp_path):
    """add3(x, y, z) becomes in4 atoms; the explorer builds ternary terms and proves the
    problem's commutativity (its background lemmas left out), and the proof checks."""
    result = solve(TIP / "tip2015/weird_nat_add3_comm12.smt2", 120, tmp_path)
    assert result.status == "Theorem", result.reason
    assert "in4[" in (tmp_path / "weird_nat_add3_comm12.mpl").read_text()
    assert verify_path(tmp_path).ok


def test_case_analysis_inside_an_induction_proves_max_commutativity(tmp_path):
    """max matches on both arguments: max(a, b) = max(b, a) needs an induction on b inside
    the induction on a (ProveOptions.nested).  Without it the run gives up; with it the
    proof holds an induction instance in a block's context, and the verifier accepts it."""
    problem = TIP / "isaplanner/prop_23.smt2"
    flat = replace(TIP_OPTIONS, prove=replace(TIP_OPTIONS.prove, nested=0))
    assert solve(problem, 60, tmp_path / "flat", flat).status == "GaveUp"
    result = solve(problem, 60, tmp_path / "nested")
    assert result.status == "Theorem"
    assert verify_path(tmp_path / "nested").ok
    graph = json.loads((tmp_path / "nested" / "proof_graph.json").read_text())
    inner = [step for t in graph["theorems"] for step in t["steps"]
             if step["rule"] == "induction" and step["context"] != 0]
    assert inner, "no induction inside a block"


def test_cli_reports_unsupported_and_missing_files(tmp_path, capsys):
    code = main(["tip", str(TIP / "tip2015/weird_nat_op_assoc.smt2"), "--quiet"])
    out = capsys.readouterr().out
    assert code == 1 and "% SZS status Inappropriate for weird_nat_op_assoc" in out
    assert "op takes 4 arguments" in out
    assert main(["tip", str(tmp_path / "nope.smt2")]) == 2
    broken = tmp_path / "broken.smt2"
    broken.write_text("(declare-datatype Nat ((Z) (S (p Nat))))\n(prove (= Z Z)")
    assert main(["tip", str(broken), "--quiet"]) == 1
    assert "% SZS status InputError for broken : " in capsys.readouterr().out


def test_cli_translate_only_prints_loadable_mpl(capsys):
    assert main(["tip", str(TIP / "prod/lemma_24.smt2"), "--translate-only"]) == 0
    theory = load_text(capsys.readouterr().out, "lemma_24.mpl")
    assert sorted(str(op) for op in theory.signature.operators) == ["+2: Nat x Nat -> Nat",
                                                                   "S: Nat -> Nat"]
    assert len(theory.goals) == 1
