"""The TIP benchmark's peer (benchmarks/tip_peer.py): TIP problems as SMT-LIB for CVC4 1.8.

The conversion is checked on small texts (every ``prove`` becomes one negated assertion
and one ``check-sat``, the goal itself unchanged), on suite files (no ``par`` left, every
instance well-typed: converting the output again reproduces it), and, with cvc4
installed, by running it: a true problem is proved, a false one is not.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from genlogic.mpl.tip.reader import read_sexps

ROOT = Path(__file__).resolve().parents[1]
EXTERNAL = ROOT.parent / "shared" / "external"
SUITES = EXTERNAL / "tip_suites" / "benchmarks"
NAT_SUITE = EXTERNAL / "tip_nat" / "benchmarks"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


peer = _load("tip_peer")
CVC4 = shutil.which("cvc4")
needs_cvc4 = pytest.mark.skipif(CVC4 is None, reason="cvc4 is not installed")
needs_suites = pytest.mark.skipif(not SUITES.is_dir(), reason=f"{SUITES} is missing")

NAT = "(declare-datatype Nat ((Z) (S (p Nat))))\n"
PLUS = """(define-fun-rec plus ((x Nat) (y Nat)) Nat
  (match x ((Z y) ((S z) (S (plus z y))))))
"""
LIST = "(declare-datatype list (par (a) ((nil) (cons (head a) (tail (list a))))))\n"
APPEND = """(define-fun-rec ++ (par (a) (((x (list a)) (y (list a))) (list a)))
  (match x ((nil y) ((cons z xs) (cons z (++ xs y))))))
"""


def commands(text: str) -> list:
    return read_sexps(text, "<converted>")


def heads(text: str) -> list[str]:
    return [c.items[0].symbol for c in commands(text)]


def symbols(node) -> set[str]:
    if not node.is_list():
        return {node.symbol}
    return set().union(*(symbols(i) for i in node.items)) if node.items else set()


def reconverts(converted) -> bool:
    """Converting the output again (its negated goals kept as assertions) gives it back:
    every symbol is declared and every term is well-typed under the converter's checker."""
    again = peer.convert(converted.text, "<again>", keep_asserts=True)
    expected = "".join(line + "\n" for line in converted.text.splitlines()
                       if line not in ("(check-sat)", "(push 1)", "(pop 1)"))
    return again.text == expected


# -- prove -> assert not, check-sat -------------------------------------------------------

def test_prove_becomes_a_negated_assertion_and_check_sat():
    goal = "(forall ((x Nat)) (= (plus x Z) x))"
    out = peer.convert(NAT + PLUS + f"(prove {goal})\n")
    assert heads(out.text)[-2:] == ["assert", "check-sat"]
    assert str(commands(out.text)[-2]) == f"(assert (not {goal}))"
    assert "prove" not in heads(out.text)
    assert (out.goals, out.monomorphised, out.higher_order) == (1, False, False)
    assert reconverts(out)


def test_background_assertions_are_left_out_unless_kept():
    lemma = "(assert (forall ((x Nat)) (= (plus Z x) x)))\n"
    text = NAT + PLUS + "(prove (forall ((x Nat)) (= (plus x Z) x)))\n" + lemma
    dropped = peer.convert(text)
    assert heads(dropped.text).count("assert") == 1 and dropped.asserts_dropped == 1
    kept = peer.convert(text, keep_asserts=True)
    assert heads(kept.text).count("assert") == 2 and kept.asserts_dropped == 0


# Nat-valued terms over x, y, Z, S and plus, and goals built from them
nat_terms = st.recursive(
    st.sampled_from(["x", "y", "Z"]),
    lambda inner: st.one_of(inner.map(lambda t: f"(S {t})"),
                            st.tuples(inner, inner).map(lambda p: f"(plus {p[0]} {p[1]})")),
    max_leaves=6)
goals = st.tuples(nat_terms, nat_terms, st.booleans()).map(
    lambda g: f"(forall ((x Nat) (y Nat)) ({'=' if g[2] else 'distinct'} {g[0]} {g[1]}))")


@settings(max_examples=60, deadline=None)
@given(st.lists(goals, min_size=1, max_size=3))
def test_each_goal_gives_one_check_sat_and_no_prove_is_left(formulas):
    text = NAT + PLUS + "".join(f"(prove {f})\n" for f in formulas)
    out = peer.convert(text)
    found = heads(out.text)
    assert "prove" not in found
    assert found.count("check-sat") == len(formulas) == out.goals
    # each check-sat right after the negation of its goal, in the file's order
    negated = [str(c.items[1].items[1]) for c in commands(out.text)
               if c.items[0].symbol == "assert"]
    assert negated == [str(read_sexps(f)[0]) for f in formulas]
    checks = [i for i, h in enumerate(found) if h == "check-sat"]
    assert all(found[i - 1] == "assert" for i in checks)
    if len(formulas) > 1:                    # each negation is retracted after its check
        assert found.count("push") == found.count("pop") == len(formulas)
    assert reconverts(out)


# -- the monomorphiser --------------------------------------------------------------------

def test_polymorphic_goal_gets_a_fresh_sort_and_instances():
    text = LIST + APPEND + "(prove (par (a) (forall ((xs (list a))) (= (++ xs (_ nil a)) xs))))"
    out = peer.convert(text)
    assert out.monomorphised and "par" not in symbols_of(out.text)
    found = commands(out.text)
    sorts = [c.items[1].symbol for c in found if c.items[0].symbol == "declare-sort"]
    assert sorts == ["A"]                        # not 'a': the datatype's parameter
    defined = [c.items[1].symbol for c in found if c.items[0].symbol.startswith("define-fun")]
    assert defined == ["++[A]"]
    assert "list[A]" in {c.items[1].symbol for c in found
                         if c.items[0].symbol == "declare-datatype"}
    assert reconverts(out)


def test_instances_at_each_type_used():
    text = (NAT + LIST + APPEND + "(define-fun-rec len (par (a) (((x (list a))) Nat))\n"
            "  (match x ((nil Z) ((cons y ys) (S (len ys))))))\n"
            "(prove (par (b) (forall ((xs (list b)) (ns (list Nat)))"
            " (= (len (++ xs xs)) (len (++ ns ns))))))")
    out = peer.convert(text)
    defined = {c.items[1].symbol for c in commands(out.text)
               if c.items[0].symbol.startswith("define-fun")}
    assert defined == {"++[B]", "++[Nat]", "len[B]", "len[Nat]"}
    assert reconverts(out)


def test_ill_typed_goal_is_refused_with_its_position():
    text = NAT + LIST + "(prove\n  (forall ((x Nat)) (= x (_ nil Nat))))"
    with pytest.raises(peer.PeerError, match=r"^p\.smt2:4:26: expected Nat"):
        peer.convert(text, "p.smt2")


def test_higher_order_arguments_become_function_sorts():
    text = (LIST + "(define-fun-rec filter (par (a) (((p (=> a Bool)) (xs (list a))) (list a)))\n"
            "  (match xs ((nil (_ nil a))\n"
            "    ((cons y ys) (ite (@ p y) (cons y (filter p ys)) (filter p ys))))))\n"
            "(prove (par (a) (forall ((xs (list a)))"
            " (= (filter (lambda ((x a)) true) xs) xs))))")
    out = peer.convert(text)
    assert out.higher_order
    assert "(-> A Bool)" in out.text and "@" not in symbols_of(out.text)
    assert reconverts(out)


def symbols_of(text: str) -> set[str]:
    return set().union(*(symbols(c) for c in commands(text)))


SAMPLE = ["isaplanner/prop_01", "isaplanner/prop_12", "isaplanner/prop_44",
          "isaplanner/prop_47", "isaplanner/prop_73", "prod/prop_28", "prod/lemma_01"]


@needs_suites
@pytest.mark.parametrize("name", SAMPLE)
def test_suite_files_monomorphise_to_well_typed_instances(name):
    path = SUITES / f"{name}.smt2"
    out = peer.convert(path.read_text(), str(path))
    assert "par" not in symbols_of(out.text)
    assert heads(out.text).count("check-sat") == 1
    assert reconverts(out)
    if CVC4:
        command = [CVC4, "--lang", "smt2", "--parse-only"] + \
            (["--uf-ho"] if out.higher_order else []) + ["-"]
        done = subprocess.run(command, input=out.text, capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 0 and "error" not in done.stdout, done.stdout


@needs_suites
def test_every_suite_file_converts():
    files = sorted(SUITES.glob("*/*.smt2")) + sorted(NAT_SUITE.glob("*/*.smt2"))
    assert len(files) >= 160
    for path in files:
        out = peer.convert(path.read_text(), str(path))
        assert "par" not in symbols_of(out.text), path


# -- running cvc4 -------------------------------------------------------------------------

@needs_cvc4
@needs_suites
def test_cvc4_proves_a_true_polymorphic_problem():
    result = peer.run_cvc4(SUITES / "isaplanner" / "prop_01.smt2", time_limit=30)
    assert result.status == "Theorem", result
    assert result.answers == ["unsat"]


@needs_cvc4
def test_cvc4_proves_a_small_true_problem_and_not_false_ones(tmp_path):
    true = tmp_path / "true.smt2"
    true.write_text(NAT + PLUS + "(prove (forall ((x Nat)) (= (plus x Z) x)))\n")
    assert peer.run_cvc4(true, time_limit=20).status == "Theorem"
    for name, goal in [("false_nat", "(forall ((x Nat)) (= (plus x x) x))"),
                       ("false_list", "(par (a) (forall ((xs (list a))) (= (++ xs xs) xs)))")]:
        false = tmp_path / f"{name}.smt2"
        false.write_text(NAT + PLUS + LIST + APPEND + f"(prove {goal})\n")
        result = peer.run_cvc4(false, time_limit=5)
        assert result.status != "Theorem", result
        assert result.status in ("GaveUp", "Timeout", "CounterSatisfiable")


@needs_cvc4
def test_cvc4_with_two_goals_needs_both(tmp_path):
    path = tmp_path / "two.smt2"
    path.write_text(NAT + PLUS + "(prove (forall ((x Nat)) (= (plus x Z) x)))\n"
                    "(prove (forall ((x Nat)) (= (plus x x) x)))\n")
    result = peer.run_cvc4(path, time_limit=5)
    assert result.status != "Theorem" and result.answers[0] == "unsat"


def test_missing_cvc4_is_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(peer.shutil, "which", lambda name: None)
    path = tmp_path / "p.smt2"
    path.write_text(NAT + "(prove (forall ((x Nat)) (= x x)))\n")
    result = peer.run_cvc4(path)
    assert result.status == "Inappropriate" and "not installed" in result.reason


# -- the benchmark script -----------------------------------------------------------------

def test_benchmark_writes_a_json_line_per_problem(tmp_path):
    suite = tmp_path / "mini"
    suite.mkdir()
    (suite / "plus_zero.smt2").write_text(
        NAT + PLUS + "(prove (forall ((x Nat)) (= (plus Z x) x)))\n")
    (suite / "broken.smt2").write_text("(prove (forall ((x Nat)) (= x")
    log = tmp_path / "run.jsonl"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "tip.py"), "--suites",
                           str(suite), "--time-limit", "10", "--json", str(log),
                           "--no-calibration"],
                          capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    assert "run" in entries[0] and "summary" in entries[-1]
    problems = {e["problem"]: e for e in entries[1:-1]}
    assert set(problems) == {"plus_zero", "broken"}
    proved = problems["plus_zero"]["genlogic"]
    assert proved["status"] == "Theorem" and proved["verified"]
    assert problems["broken"]["genlogic"]["status"] == "InputError"
    if CVC4:
        assert problems["plus_zero"]["cvc4"]["status"] == "Theorem"
        assert problems["broken"]["cvc4"]["status"] == "InputError"
    assert "mini" in done.stdout and "verified" in done.stdout
