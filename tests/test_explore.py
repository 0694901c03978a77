"""Exploration (DESIGN 6): ground model, counterexample filter, a full autonomous run.

The full ``explore`` run on Peano takes about a minute, so it runs once per module
(fixture ``run``) and every test of the run reads that one result.  The laws are
matched on their readable form up to renaming of a, b, c and either orientation.
"""

from __future__ import annotations

import json
import re
from itertools import permutations, product
from pathlib import Path

import pytest

import genlogic
from genlogic.blocks.prover import Prover
from genlogic.cli import main
from genlogic.explore.explorer import ExploreOptions, explore
from genlogic.explore.model import GroundModel
from genlogic.mpl.ast import Atom, Implies, flatten_and
from genlogic.mpl.parser import parse_expr
from genlogic.proof.graph import write_graph
from genlogic.verify import verify_graph, verify_path

ROOT = Path(__file__).resolve().parents[1]
PEANO = ROOT / "axioms" / "peano.mpl"
GOALS = ROOT / "axioms" / "peano_goals.mpl"

LAWS = {
    "add_comm": "a + b = b + a",
    "add_assoc": "a + b + c = a + (b + c)",
    "mul_comm": "a * b = b * a",
    "mul_assoc": "a * b * c = a * (b * c)",
    "left_distrib": "a * (b + c) = a * b + a * c",
    "right_distrib": "(a + b) * c = a * c + b * c",
}


@pytest.fixture(scope="module")
def theory():
    return genlogic.load(str(PEANO))


@pytest.fixture(scope="module")
def model(theory):
    return GroundModel.build(Prover(theory), 6)


# -- ground model ---------------------------------------------------------------------------

def truth(op, args):
    return {"s": lambda a: a + 1, "+": lambda a, b: a + b, "*": lambda a, b: a * b}[op](*args)


# every table entry is Python arithmetic when the value is below 6, and None exactly when not
@pytest.mark.parametrize("op", ["s", "+", "*"])
def test_model_tables(model, op):
    arity = 1 if op == "s" else 2
    table = model.tables[op]
    assert set(table) == set(product(range(6), repeat=arity))
    for args, value in table.items():
        expected = truth(op, args)
        assert value == (expected if expected < 6 else None), (op, args, value)


# the same exactness holds for other model sizes (partial tables are explicit, never guessed)
@pytest.mark.parametrize("size", [1, 2, 3, 7])
def test_model_tables_other_sizes(theory, size):
    built = GroundModel.build(Prover(theory), size)
    for op, table in built.tables.items():
        for args, value in table.items():
            expected = truth(op, args)
            assert value == (expected if expected < size else None), (size, op, args, value)
    assert built.constants["i0"] == 0
    assert built.constants["i1"] == (1 if size > 1 else None)


# the constants of the signature get their numerals
def test_model_constants(model):
    assert model.size == 6
    assert model.constants == {"i0": 0, "i1": 1}


# cancellation a*b = a*d -> b = d fails at a = 0: the model finds a real counterexample
def test_refute_cancellation(model):
    statement = parse_expr("(>[a,b,c,d](&(in3[a,b,c,*])(in3[a,d,c,*]))(=[b,d]))")
    ce = model.refute(statement)
    assert ce is not None
    assert ce["a"] * ce["b"] == ce["c"] == ce["a"] * ce["d"] and ce["b"] != ce["d"]
    assert ce["a"] == 0


# true laws have no counterexample on the model
@pytest.mark.parametrize("text", [
    "(>[a,b,c](in3[a,b,c,*])(in3[b,a,c,*]))",                                  # a*b = b*a
    "(>[a,b,c](in3[a,b,c,+])(in3[b,a,c,+]))",                                  # a+b = b+a
    "(>[a,b,c,d,e,f,g](&(in3[a,b,d,+])(&(in3[d,c,e,+])(&(in3[b,c,f,+])(in3[a,f,g,+]))))(=[e,g]))",
    "(>[a,b,c,d,e](&(in3[a,b,c,+])(in3[a,d,c,+]))(=[b,d]))",                   # + cancels
])
def test_refute_true_laws(model, text):
    assert model.refute(parse_expr(text)) is None


# false laws with counterexamples inside the range are refuted (a+b = a, a*a = a+a)
@pytest.mark.parametrize("text", [
    "(>[a,b,c](in3[a,b,c,+])(=[c,a]))",
    "(>[a,b](in3[a,a,b,*])(in3[a,a,b,+]))",
    "(>[a,b](in2[a,b,s])(=[a,b]))",
])
def test_refute_false_laws(model, text):
    assert model.refute(parse_expr(text)) is not None


# three-valued: a false law whose only failures lie beyond the numerals is unknown, not refuted
# (a^4 = a^2 holds at 0, 1; at 2 and beyond a^4 >= 16 is outside 0..5)
def test_refute_unknown_is_not_false(model):
    statement = parse_expr("(>[a,b,c](&(in3[a,a,b,*])(in3[b,b,c,*]))(=[c,b]))")
    assert model.refute(statement) is None


# -- the autonomous run -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def run(theory):
    return explore(theory)


@pytest.fixture(scope="module")
def run_dir(run, tmp_path_factory):
    folder = tmp_path_factory.mktemp("explore")
    write_graph(folder / "proof_graph.json", run.graph)
    return folder


def body(readable: str) -> str:
    """The statement after its quantifier prefix ("∀a b. ")."""
    return readable.split(". ", 1)[1] if readable.startswith("∀") else readable


def variants(law: str) -> set[str]:
    """The law under every renaming of a, b, c, in both orientations."""
    left, right = law.split(" = ")
    out = set()
    for perm in permutations("abc"):
        table = str.maketrans("abc", "".join(perm))
        l, r = left.translate(table), right.translate(table)
        out |= {f"{l} = {r}", f"{r} = {l}"}
    return out


# the six laws are discovered and proved (commutativity and associativity of + and *,
# both distributive laws)
@pytest.mark.parametrize("law", sorted(LAWS))
def test_discovers_law(run, law):
    proved = {body(t["readable"]) for t in run.theorems}
    assert variants(LAWS[law]) & proved, f"{law} ({LAWS[law]}) not among the theorems"


def equation_terms(mpl: str) -> tuple:
    """An explored statement (>[vars] (& defining atoms) (=[x,y])) as two term trees."""
    statement = parse_expr(mpl)
    assert isinstance(statement, Implies)
    defining = {}
    for atom in flatten_and(statement.premise):
        assert isinstance(atom, Atom) and atom.name in ("in2", "in3"), atom
        n_in = 1 if atom.name == "in2" else 2
        output = atom.args[n_in]
        assert output in statement.vars and output not in defining
        defining[output] = (atom.args[-1],) + atom.args[:n_in]

    def term(name):
        if name in defining:
            op, *args = defining[name]
            return (op,) + tuple(term(a) for a in args)
        return ("v", name) if name in statement.vars else ("c", name)

    conclusion = statement.conclusion
    assert isinstance(conclusion, Atom) and conclusion.name == "=", conclusion
    return term(conclusion.args[0]), term(conclusion.args[1])


def match(pattern, term, binding) -> bool:
    if pattern[0] == "v":
        if pattern[1] in binding:
            return binding[pattern[1]] == term
        binding[pattern[1]] = term
        return True
    if pattern[0] == "c" or term[0] in ("v", "c"):
        return pattern == term
    return pattern[0] == term[0] and len(pattern) == len(term) and \
        all(match(p, t, binding) for p, t in zip(pattern[1:], term[1:]))


def instance_of(general, special) -> bool:
    for left, right in (general, general[::-1]):
        binding: dict = {}
        if match(left, special[0], binding) and match(right, special[1], binding):
            return True
    return False


# the instance check used below is itself right (a + 0 = 0 + a is an instance of
# commutativity; associativity is not an instance of commutativity)
def test_instance_check_sanity():
    comm = equation_terms("(>[a,b,c,d](&(in3[a,b,c,+])(in3[b,a,d,+]))(=[c,d]))")
    zero = equation_terms("(>[a,c,d](&(in3[a,i0,c,+])(in3[i0,a,d,+]))(=[d,c]))")
    assoc = equation_terms("(>[a,b,c,d,e,f,g](&(in3[a,b,d,+])(&(in3[d,c,e,+])"
                           "(&(in3[b,c,f,+])(in3[a,f,g,+]))))(=[e,g]))")
    assert instance_of(comm, zero) and not instance_of(zero, comm)
    assert not instance_of(comm, assoc) and not instance_of(assoc, comm)


# the essential set holds no substitution instance of another essential theorem
# (nor of any other proved theorem)
def test_essential_has_no_instances(run):
    assert run.essential, "an essential set is reported"
    by_id = {t["id"]: t for t in run.theorems}
    equations = {t["id"]: equation_terms(t["mpl"]) for t in run.theorems}
    for name in run.essential:
        others = [other for other in by_id if other != name]
        culprits = [other for other in others if instance_of(equations[other], equations[name])]
        assert culprits == [], f"{name} ({by_id[name]['readable']}) is an instance of {culprits}"


# the essential set marks the entries and is consistent with the funnel
def test_essential_marks_and_funnel(run):
    marked = [t["id"] for t in run.theorems if t["essential"]]
    assert marked == run.essential
    assert run.funnel["essential"] == len(run.essential)
    assert run.funnel["proved"] == len(run.theorems)
    assert run.funnel["survived counterexamples"] <= run.funnel["canonical conjectures"]
    assert all(t["method"].startswith("induction") for t in run.theorems if t["essential"])


# each phase records its time and the process's peak memory so far (never decreasing)
def test_phase_timings_and_memory(run):
    phases = ["model", "conjecture", "counterexample filter", "prove", "compress"]
    assert list(run.memory) == phases and all(run.timings[p] >= 0 for p in phases)
    peaks = [run.memory[p] for p in phases]
    assert peaks == sorted(peaks) and peaks[0] > 10


# every theorem's method is direct, corollary, or induction on one of its own variables
def test_methods(run):
    for t in run.theorems:
        method = t["method"]
        if method in ("direct", "corollary"):
            continue
        found = re.fullmatch(r"induction on (\S+)", method)
        assert found, f"{t['id']}: method {method!r}"
        assert found.group(1) in parse_expr(t["mpl"]).vars


# a corollary cites earlier theorems; dependencies always point to earlier theorems
def test_dependencies_point_backwards(run):
    order = {t["id"]: i for i, t in enumerate(run.theorems)}
    for t in run.theorems:
        if t["method"] == "corollary":
            assert t["dependencies"]
        for dep in t["dependencies"]:
            assert order[dep] < order[t["id"]], (t["id"], dep)


# the model never refutes a proved theorem (the filter and the prover agree)
def test_theorems_hold_on_model(run, model):
    refuted = [t["id"] for t in run.theorems if model.refute(parse_expr(t["mpl"])) is not None]
    assert refuted == []


# the independent verifier accepts the run's graph, in memory and from disk
def test_run_graph_verifies(run, run_dir, theory):
    report = verify_graph(run.graph, theory)
    assert report.ok, report.failures[:5]
    on_disk = verify_path(run_dir, theory_path=PEANO)
    assert on_disk.ok, on_disk.failures[:5]
    assert on_disk.theorems == len(run.theorems)
    assert on_disk.checked.get("induction", 0) >= 4


# every Peano goal follows directly (no induction) from what the run established
def test_goals_follow_from_run(run_dir, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "using"
    code = main(["prove", str(PEANO), "--goals", str(GOALS), "--using", str(run_dir),
                 "--no-induction", "--out", str(out), "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0, [(g["name"], g["status"]) for g in summary["goals"]]
    assert all(g["status"] == "Theorem" and g["method"] == "direct" for g in summary["goals"])


# -- names do not matter ----------------------------------------------------------------------

SYMBOLS = {"N": "Nat", "i0": "zero", "s": "succ", "+": "plus", "*": "times", "i1": "one",
           "Peano": "Arithmetic"}
NAME = re.compile(r"[A-Za-z0-9_+\-*/^=<~.'$%@|]+")     # the NAME token of mpl.lark


def rename_symbols(text: str) -> str:
    """Rename the anchor's symbols in MPL code (comments left alone)."""
    return "".join(
        NAME.sub(lambda m: SYMBOLS.get(m.group(0), m.group(0)), code) + hash_ + comment
        for code, hash_, comment in (line.partition("#") for line in text.splitlines(True)))


# a small exploration of a renamed copy proves the same theorems (renamed) and keeps the
# same essential set as the original
def test_small_exploration_renamed(theory, tmp_path):
    copy_path = tmp_path / "arith.mpl"
    copy_path.write_text(rename_symbols(PEANO.read_text(encoding="utf-8")), encoding="utf-8")
    copy = genlogic.load(str(copy_path))
    assert copy.anchor().name == "Arithmetic"
    options = ExploreOptions(max_size=4, max_vars=2)
    original, renamed = explore(theory, options=options), explore(copy, options=options)
    assert any(t["method"].startswith("induction") for t in original.theorems)
    expected = {rename_symbols(t["mpl"]) for t in original.theorems}
    assert {t["mpl"] for t in renamed.theorems} == expected
    essential = {rename_symbols(t["mpl"]) for t in original.theorems if t["essential"]}
    assert {t["mpl"] for t in renamed.theorems if t["essential"]} == essential
    assert renamed.funnel == original.funnel
