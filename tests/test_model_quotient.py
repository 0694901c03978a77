"""The ground model is the quotient the axioms force, and "false" needs proved distinctness.

``tests/data/collapsed_peano.mpl`` replaces the successor's injectivity by s(s(n)) = s(n):
its only model is {0, 1} with s(0) = s(1) = 1, so the numerals 1, 2, 3, ... are one
element, and a + a = a, a * 1 = a, a * a = a are entailed (issue 13).  A counterexample
filter must never call them CounterSatisfiable, with renamed symbols or another
formulation of the collapse as well.  A lasso s(s(s(n))) = s(n) leaves 1 = 2 merely
unknown (both {0, 1, 2} and {0, 1} are models): comparing 1 with 2 is unknown, never false.
On Peano every two numerals are provably distinct, so nothing changes there.
"""

from __future__ import annotations

import json
from dataclasses import replace
from itertools import combinations, product
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

import genlogic
from genlogic.blocks.prover import Prover
from genlogic.cli import main
from genlogic.explore import evaluate
from genlogic.explore.model import GroundModel
from genlogic.mpl.ast import Atom, Not
from genlogic.mpl.parser import parse_expr
from genlogic.mpl.signature import horn_view

ROOT = Path(__file__).resolve().parents[1]
COLLAPSED = ROOT / "tests" / "data" / "collapsed_peano.mpl"
PEANO = ROOT / "axioms" / "peano.mpl"
COLLAPSE_AXIOM = "(>[n,m](in2[n,m,s])(in2[m,m,s]))"
ANCHOR = "anchor Collapsed[N, i0, s, +, *, i1] := (&(NaturalNumbers[N,i0,s,+,*])(in2[i0,i1,s]))"

# entailed by the collapsed theory (in the anchor's names)
TRUE = {
    "idem_add": "(>[a,b](in3[a,a,b,+])(=[b,a]))",                       # a + a = a
    "mul_one": "(>[a,b](in3[a,i1,b,*])(=[b,a]))",                       # a * 1 = a
    "idem_mul": "(>[a,b](in3[a,a,b,*])(=[b,a]))",                       # a * a = a
    "succ_succ": "(>[a,b,c](&(in2[a,b,s])(in2[b,c,s]))(=[c,b]))",       # s(s(a)) = s(a)
    "one_plus": "(>[a,b](in3[i1,a,b,+])(=[b,i1]))",                     # 1 + a = 1
}
# false in {0, 1}, with the assignment that shows it
FALSE = {
    "add_one": ("(>[a,b](in3[a,i1,b,+])(=[b,a]))", {"a": 0, "b": 1}),    # a + 1 = a
    "all_zero": ("(>[a](in[a,N])(=[a,i0]))", {"a": 1}),                  # a = 0
    "succ_fixed": ("(>[a,b](in2[a,b,s])(=[b,a]))", {"a": 0, "b": 1}),    # s(a) = a
    "mul_zero": ("(>[a,b](in3[a,b,a,*])(=[b,i1]))", None),               # a * b = a -> b = 1
}


def collapsed_variants() -> dict[str, str]:
    """The collapsed theory as written, with renamed anchor symbols, and with the
    collapse stated as an equation s(s(n)) = s(n)."""
    text = COLLAPSED.read_text(encoding="utf-8")
    assert COLLAPSE_AXIOM in text and ANCHOR in text
    renamed = text.replace(ANCHOR, "anchor Other[M, zero, succ, plus, times, one] := "
                           "(&(NaturalNumbers[M,zero,succ,plus,times])(in2[zero,one,succ]))")
    equation = text.replace(COLLAPSE_AXIOM, "(>[n,m,k](&(in2[n,m,s])(in2[m,k,s]))(=[k,m]))")
    return {"written": text, "renamed": renamed, "equation": equation}


def in_names(mpl: str, variant: str) -> str:
    """A statement in the anchor's names of ``variant``."""
    if variant != "renamed":
        return mpl
    for old, new in (("in3[a,a,b,+]", "in3[a,a,b,plus]"), ("in3[a,i1,b,*]", "in3[a,one,b,times]"),
                     ("in3[a,a,b,*]", "in3[a,a,b,times]"), ("in2[a,b,s]", "in2[a,b,succ]"),
                     ("in2[b,c,s]", "in2[b,c,succ]"), ("in3[i1,a,b,+]", "in3[one,a,b,plus]"),
                     ("=[b,i1]", "=[b,one]"), ("in3[a,i1,b,+]", "in3[a,one,b,plus]"),
                     ("in[a,N]", "in[a,M]"), ("=[a,i0]", "=[a,zero]"),
                     ("in3[a,b,a,*]", "in3[a,b,a,times]")):
        mpl = mpl.replace(old, new)
    return mpl


@pytest.fixture(scope="module")
def theories(tmp_path_factory):
    folder = tmp_path_factory.mktemp("collapsed")
    paths = {}
    for name, text in collapsed_variants().items():
        paths[name] = folder / f"{name}.mpl"
        paths[name].write_text(text, encoding="utf-8")
    return paths


@pytest.fixture(scope="module")
def models(theories):
    return {name: GroundModel.build(Prover(genlogic.load(str(path))), 5)
            for name, path in theories.items()}


# -- the collapsed theory ------------------------------------------------------------

@pytest.mark.parametrize("variant", ["written", "renamed", "equation"])
def test_collapsed_model_is_the_quotient(models, variant):
    model = models[variant]
    assert model.size == 2 and model.numerals == (0, 1)
    assert model.distinct == frozenset({(0, 1)})          # s(n) != 0 and s(0) = 1
    plus, times, succ = (("plus", "times", "succ") if variant == "renamed" else ("+", "*", "s"))
    assert model.tables[succ] == {(0,): 1, (1,): 1}
    assert model.tables[plus] == {(a, b): a | b for a, b in product(range(2), repeat=2)}
    assert model.tables[times] == {(a, b): a & b for a, b in product(range(2), repeat=2)}


@pytest.mark.parametrize("variant", ["written", "renamed", "equation"])
@pytest.mark.parametrize("backend", ["numba", "python"])
def test_collapsed_entailed_statements_are_never_refuted(models, variant, backend, monkeypatch):
    monkeypatch.setenv("GENLOGIC_BACKEND", backend)
    model = models[variant]
    for name, mpl in TRUE.items():
        assert model.refute(parse_expr(in_names(mpl, variant))) is None, name
    for name, (mpl, expected) in FALSE.items():
        found = model.refute(parse_expr(in_names(mpl, variant)))
        assert found is not None, name
        if expected is not None:
            assert found == expected, name


@pytest.mark.parametrize("size", [1, 2, 3, 7])
def test_collapsed_other_model_sizes(theories, size):
    model = GroundModel.build(Prover(genlogic.load(str(theories["written"]))), size)
    assert model.size == min(size, 2)
    for name, mpl in TRUE.items():
        assert model.refute(parse_expr(mpl)) is None, (size, name)
    if size > 1:
        assert model.refute(parse_expr(FALSE["add_one"][0])) == {"a": 0, "b": 1}


@pytest.mark.parametrize("variant", ["written", "renamed"])
def test_collapsed_prove_mode_never_counter_satisfiable(theories, variant, tmp_path, capsys):
    goals = tmp_path / "goals.mpl"
    lines = [f"theorem {name} := {in_names(mpl, variant)}" for name, mpl in TRUE.items()]
    lines.append(f"theorem add_one := {in_names(FALSE['add_one'][0], variant)}")
    goals.write_text("\n".join(lines) + "\n", encoding="utf-8")
    capsys.readouterr()
    code = main(["prove", str(theories[variant]), "--goals", str(goals), "--no-induction",
                 "--out", str(tmp_path / "out"), "--json"])
    assert code == 1                                      # not everything is proved
    status = {g["name"]: g["status"] for g in json.loads(capsys.readouterr().out)["goals"]}
    assert all(status[name] != "CounterSatisfiable" for name in TRUE), status
    assert status["add_one"] == "CounterSatisfiable"


# -- an equality that is merely unknown ------------------------------------------------

@pytest.fixture(scope="module")
def lasso(tmp_path_factory):
    """s(s(s(n))) = s(n): 3 = 1 is proved, 1 = 2 is not (and not refutable)."""
    text = COLLAPSED.read_text(encoding="utf-8").replace(
        COLLAPSE_AXIOM, "(>[n,m,k,l](&(in2[n,m,s])(&(in2[m,k,s])(in2[k,l,s])))(=[l,m]))")
    path = tmp_path_factory.mktemp("lasso") / "lasso.mpl"
    path.write_text(text, encoding="utf-8")
    return GroundModel.build(Prover(genlogic.load(str(path))), 6)


@pytest.mark.parametrize("backend", ["numba", "python"])
def test_unknown_equality_is_never_false(lasso, backend, monkeypatch):
    monkeypatch.setenv("GENLOGIC_BACKEND", backend)
    assert lasso.size == 3 and lasso.numerals == (0, 1, 2)
    assert lasso.tables["s"] == {(0,): 1, (1,): 2, (2,): 1}
    assert lasso.distinct == frozenset({(0, 1), (0, 2)})  # 1 != 2 does not follow
    # s(s(a)) = s(a) holds in the model {0, 1}, fails in {0, 1, 2}: not refuted here
    assert lasso.refute(parse_expr(TRUE["succ_succ"])) is None
    # s(a) = a fails at a = 0 in every model
    assert lasso.refute(parse_expr(FALSE["succ_fixed"][0])) == {"a": 0, "b": 1}


# -- Peano: every pair of numerals distinct, the same refutations as a plain structure ---

PEANO_STATEMENTS = [
    "(>[a,b,c](in3[a,b,c,+])(=[c,a]))",                                 # a + b = a
    "(>[a,b,c](in3[a,b,c,*])(=[c,a]))",                                 # a * b = a
    "(>[a,b](in2[a,b,s])(=[b,a]))",                                     # s(a) = a
    "(>[a,b](in3[a,i1,b,+])(=[b,a]))",                                  # a + 1 = a
    "(>[a,b,c,d](&(in3[a,b,c,*])(in3[a,d,c,*]))(=[b,d]))",              # cancellation
    "(>[a,b,c](in3[a,b,c,+])(in3[b,a,c,+]))",                           # a + b = b + a
    "(>[a,b](in3[a,a,b,+])(=[b,a]))",                                   # a + a = a
    "(>[a,b](in3[a,i0,b,*])(=[b,i0]))",                                 # a * 0 = 0
    "(>[a,b,c](&(in3[a,b,c,+])(in3[b,a,c,*]))(=[a,b]))",
    "(>[a,b](in3[a,b,i0,+])(=[a,i0]))",                                 # a + b = 0 -> a = 0
    "(>[a,b](in3[a,b,i0,+]) !(=[a,i1]))",
]


@pytest.fixture(scope="module")
def peano():
    return GroundModel.build(Prover(genlogic.load(str(PEANO))), 6)


def test_peano_numerals_pairwise_distinct(peano):
    assert peano.size == 6 and peano.numerals == tuple(range(6))
    assert peano.distinct == frozenset(combinations(range(6), 2))


@pytest.mark.parametrize("backend", ["numba", "python"])
def test_peano_refutes_what_a_plain_structure_refutes(peano, backend, monkeypatch):
    monkeypatch.setenv("GENLOGIC_BACKEND", backend)
    plain = replace(peano, distinct=None, _packed=None)   # every two elements differ
    refuted = 0
    for mpl in PEANO_STATEMENTS:
        statement = parse_expr(mpl)
        assert peano.refute(statement) == plain.refute(statement), mpl
        refuted += peano.refute(statement) is not None
    assert refuted >= 6
    assert peano.refute(parse_expr(PEANO_STATEMENTS[0])) == {"a": 0, "b": 1, "c": 1}


# -- the compiled plans against the generator, with a partial distinctness relation ----

@st.composite
def partial_models(draw):
    size = draw(st.integers(1, 4))

    def entry():
        return None if draw(st.integers(0, 9)) == 0 else draw(st.integers(0, size - 1))

    tables = {"s": {args: entry() for args in product(range(size), repeat=1)},
              "+": {args: entry() for args in product(range(size), repeat=2)}}
    pairs = list(combinations(range(size), 2))
    distinct = frozenset(p for p in pairs if draw(st.integers(0, 2)) > 0)   # drop about 1/3
    return GroundModel(size, tables, {"0": 0}, "N", distinct)


@st.composite
def equations(draw):
    names = ["x", "y", "z", "u"][:draw(st.integers(1, 4))]
    term = st.sampled_from(names * 3 + ["0"])

    def atom():
        kind = draw(st.integers(0, 2))
        if kind == 0:
            return Atom("in2", (draw(term), draw(term), "s"))
        if kind == 1:
            return Atom("in3", (draw(term), draw(term), draw(term), "+"))
        return Atom("=", (draw(term), draw(term)))

    premises = [atom() for _ in range(draw(st.integers(0, 3)))]
    conclusion = atom()
    if draw(st.integers(0, 3)) == 0:
        conclusion = Not(conclusion)
    return premises, [conclusion], names


def value(model, name, env):
    return env[name] if name in env else model.constants.get(name)


def definitely_false(model, atom, env) -> bool:
    """The conclusion is false under ``env``: its two sides are one element (for a
    negated atom) or two elements in ``model.distinct``."""
    negated = isinstance(atom, Not)
    body = atom.body if negated else atom
    if body.name == "=":
        left, right = (value(model, x, env) for x in body.args)
    else:
        n_in = len(body.args) - 2
        args = tuple(value(model, x, env) for x in body.args[:n_in])
        left = None if None in args else model.tables[body.args[-1]][args]
        right = value(model, body.args[n_in], env)
    if left is None or right is None:
        return False
    if negated:
        return left == right
    return left != right and (min(left, right), max(left, right)) in model.distinct


@settings(max_examples=300, deadline=None)
@given(partial_models(), equations())
def test_plans_agree_and_false_only_where_distinct(model, clause):
    premises, conclusions, variables = clause
    expected = model.search(premises, conclusions, variables)
    packed = evaluate.pack_tables(model.tables, model.size, model.distinct)
    steps = evaluate.plan(premises, conclusions, variables, model.constants, packed[0],
                          model.carrier)
    for backend in ("numba", "python"):
        assert evaluate.run_plan(steps, packed, model.size, backend) == expected
    if expected is not None:
        assert definitely_false(model, conclusions[0], expected)
    # knowing more pairs distinct never loses a counterexample, knowing none of them
    # leaves only those that a negated conclusion gives
    full = replace(model, distinct=frozenset(combinations(range(model.size), 2)), _packed=None)
    if expected is not None:
        assert full.search(premises, conclusions, variables) is not None
    none = replace(model, distinct=frozenset(), _packed=None)
    if none.search(premises, conclusions, variables) is not None:
        assert expected is not None


def test_statement_check_through_refute_matches_search(peano):
    """refute (compiled) and search (generator) agree on the Peano statements."""
    for mpl in PEANO_STATEMENTS:
        view = horn_view(parse_expr(mpl))
        assert peano.refute(parse_expr(mpl)) == peano.search(
            list(view.premises), [view.conclusion], list(view.vars)), mpl
