"""Datatypes: sorts, induction on the variable's sort, the typed ground model and the typed
enumerator, checked against a direct evaluation of lists in Python (tuples)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from genlogic.blocks.prover import Prover, StopReason
from genlogic.explore.model import GroundModel
from genlogic.explore.terms import enumerate_classes, variable_pools
from genlogic.mpl.infix import parse_statement
from genlogic.mpl.sorts import FUNCTION, INDUCTIVE, PARAMETER, free_symbols, sorts_of, \
    variable_sorts
from genlogic.mpl.theory import load

ROOT = Path(__file__).resolve().parents[1]
LISTS = ROOT / "axioms" / "lists.mpl"
TREES = ROOT / "axioms" / "trees.mpl"


@lru_cache(maxsize=None)
def lists():
    theory = load(LISTS)
    prover = Prover(theory)
    return theory, prover, GroundModel.build(prover, 10)


# -- the reference: lists as tuples, naturals as ints, F = {constant e1, swap} -------------
def value_of(shown: str):
    """A model element's term (``cons(e1, cons(e2, nil))``, ``s(s(z))``, ``f2``) as a
    Python value."""
    shown = shown.strip()
    if shown == "nil":
        return ()
    if shown == "z":
        return 0
    if re.fullmatch(r"[ef]\d", shown):
        return shown
    match = re.fullmatch(r"(\w+)\((.*)\)", shown)
    name, inner = match.group(1), match.group(2)
    if name == "s":
        return 1 + value_of(inner)
    depth = 0
    for i, ch in enumerate(inner):                    # split at the top-level comma
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            head, tail = inner[:i], inner[i + 1:]
            break
    assert name == "cons"
    return (value_of(head),) + value_of(tail)


def ap(f: str, x: str) -> str:
    # the model's chosen table: f_i(e_j) = e_(i * (j + 1) mod 2), i, j from 0
    i, j = int(f[1]) - 1, int(x[1]) - 1
    return f"e{(i * (j + 1)) % 2 + 1}"


REFERENCE = {
    "s": lambda n: n + 1,
    "+": lambda a, b: a + b,
    "cons": lambda x, l: (x,) + l,
    "app": lambda a, b: a + b,
    "len": len,
    "rev": lambda a: tuple(reversed(a)),
    "ap": ap,
    "map": lambda f, a: tuple(ap(f, x) for x in a),
}


def element_values(model: GroundModel) -> list:
    return [value_of(s) for s in model.shown]


# -- sorts ---------------------------------------------------------------------------------
def test_sorts_are_read_from_the_axioms():
    theory, _, _ = lists()
    sorts = sorts_of(theory.signature)
    assert {name: s.kind for name, s in sorts.items()} == {
        "N": INDUCTIVE, "E": PARAMETER, "L": INDUCTIVE, "F": FUNCTION}
    assert sorts["L"].bases == ("nil",) and sorts["L"].constructors == ("cons",)
    assert free_symbols(theory.signature) == {"ap"}        # map's equations only use it


def test_variable_sorts_follow_operator_positions():
    theory, _, _ = lists()
    statement = parse_statement("len(map(f, a)) = len(a)", theory.signature)
    sorts = variable_sorts(statement, theory.signature)
    names = {v: sorts[v] for v in statement.vars}
    assert sorted(names.values()) == ["F", "L", "L", "N", "N"]


def test_induction_takes_the_axiom_of_the_variables_sort():
    theory, prover, _ = lists()
    statement = parse_statement("app(a, nil) = a", theory.signature)
    var = prover.induction_candidates(statement)[0]
    assert prover.induction_axiom(statement, var)[1].carrier == "L"
    attempt = Prover(theory).prove(statement)
    assert attempt.status is StopReason.PROVED and attempt.method.startswith("induction")


def test_a_function_argument_is_never_an_induction_candidate():
    theory, prover, _ = lists()
    statement = parse_statement("len(map(f, a)) = len(a)", theory.signature)
    sorts = variable_sorts(statement, theory.signature)
    assert all(sorts[v] in ("L", "N") for v in prover.induction_candidates(statement))


# -- the model -------------------------------------------------------------------------------
def test_model_elements_are_whole_levels_of_constructor_terms():
    _, _, model = lists()
    values = element_values(model)
    assert [values[e] for e in model.elements_of("N")] == list(range(10))
    assert len(model.elements_of("E")) == 2 and len(model.elements_of("F")) == 2
    lists_ = sorted((values[e] for e in model.elements_of("L")), key=lambda t: (len(t), t))
    expected = [()]
    for _ in range(4):
        expected += [(x,) + t for t in expected if len(t) == len(expected[-1])
                     for x in ("e1", "e2")]
    assert set(lists_) == set(expected) and len(lists_) == 31     # every list of length <= 4


def test_every_two_elements_of_one_sort_are_proved_distinct():
    _, _, model = lists()
    for sort in ("N", "E", "L", "F"):
        members = model.elements_of(sort)
        assert all(model.differ(a, b) for a in members for b in members if a != b), sort


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_model_tables_agree_with_the_reference(data):
    _, _, model = lists()
    values = element_values(model)
    index = {(model.sort_of(e), v): e for e, v in enumerate(values)}
    op = data.draw(st.sampled_from(sorted(model.tables)))
    table = model.tables[op]
    args = data.draw(st.sampled_from(sorted(table)))
    got = table[args]
    expected = REFERENCE[op](*(values[a] for a in args))
    codomain = {"len": "N", "s": "N", "+": "N", "ap": "E"}.get(op, "L")
    if got is not None:
        assert values[got] == expected
    elif op in ("app", "rev", "map", "cons", "len", "ap"):
        # only a result outside the model may be unknown
        assert (codomain, expected) not in index


def test_refutes_false_list_laws_with_real_counterexamples():
    theory, _, model = lists()
    values = element_values(model)
    for text in ("rev(a) = a", "app(a, b) = app(b, a)", "map(f, a) = a",
                 "rev(app(a, b)) = app(rev(a), rev(b))"):
        statement = parse_statement(text, theory.signature)
        found = model.refute(statement)
        assert found is not None, text
        letters = [v for v in statement.vars if model.sort_of(found[v]) in ("L", "F")]
        assert letters, text
    for text in ("rev(rev(a)) = a", "map(f, rev(a)) = rev(map(f, a))",
                 "len(app(a, b)) = len(b) + len(a)", "app(app(a, b), c) = app(a, app(b, c))"):
        assert model.refute(parse_statement(text, theory.signature)) is None, text


def test_rev_counterexample_is_a_list_that_is_not_a_palindrome():
    theory, _, model = lists()
    values = element_values(model)
    statement = parse_statement("rev(a) = a", theory.signature)
    found = model.refute(statement)
    listed = [values[e] for v, e in found.items() if model.sort_of(e) == "L"]
    assert any(t != tuple(reversed(t)) for t in listed)


# -- the typed enumerator --------------------------------------------------------------------
def evaluate(term, env, values):
    if term[0] == "v":
        return env[term[1]]
    if term[0] == "c":
        return {"nil": (), "z": 0}[term[1]]
    return REFERENCE[term[0]](*(evaluate(a, env, values) for a in term[1:]))


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_term_vectors_agree_with_the_reference(data):
    theory, _, model = lists()
    values = element_values(model)
    pools = variable_pools(theory.signature, model, 3, 3)
    assert {sort for _, sort, _ in pools} == {"N", "E", "L", "F"}
    enumeration = enumeration_of_lists()
    from genlogic.explore.terms import assignments_of
    rows = assignments_of(pools)
    key = data.draw(st.sampled_from(sorted(enumeration.classes)))
    term = enumeration.classes[key][0]
    vector = np.frombuffer(key.split(b"\0", 1)[1], dtype=np.int64)
    row = data.draw(st.integers(0, len(rows) - 1))
    env = {name: values[rows[row, i]] for i, (name, _, _) in enumerate(pools)}
    if vector[row] >= 0:
        assert values[vector[row]] == evaluate(term, env, values), term


@lru_cache(maxsize=None)
def enumeration_of_lists():
    theory, _, model = lists()
    return enumerate_classes(theory.signature, model, 5, 3, 3, 2)


def test_enumeration_is_typed():
    theory, _, _ = lists()
    ops = {op.name: op for op in theory.signature.operators}
    sort_of_var = {name: sort for name, sort, _ in variable_pools(theory.signature, lists()[2], 3, 3)}

    def sort(term):
        if term[0] == "v":
            return sort_of_var[term[1]]
        if term[0] == "c":
            return {"nil": "L", "z": "N"}[term[1]]
        op = ops[term[0]]
        assert tuple(sort(a) for a in term[1:]) == op.domain, term
        return op.codomain

    for members in enumeration_of_lists().classes.values():
        assert len({sort(t) for t in members}) == 1


# -- proving -----------------------------------------------------------------------------------
@pytest.mark.parametrize("law", [
    "len(app(a, b)) = len(a) + len(b)",
    "rev(rev(a)) = a",
    "map(f, app(a, b)) = app(map(f, a), map(f, b))",
])
def test_prove_mode_finds_the_lemmas_a_list_law_needs(law):
    import genlogic
    theory = genlogic.load(LISTS)
    result = theory.prove(parse_statement(law, theory.signature), time_limit=90)
    assert result.status == "Theorem", law
    from genlogic.verify import verify_graph
    assert verify_graph(result.graph, theory).ok


def test_trees_theory_has_three_inductive_sorts():
    theory = load(TREES)
    sorts = sorts_of(theory.signature)
    assert [s.name for s in sorts.values() if s.kind == INDUCTIVE] == ["N", "L", "T"]
    assert sorts["T"].constructors == ("node",)
    statement = parse_statement("mirror(mirror(t)) = t", theory.signature)
    attempt = Prover(theory).prove(statement)
    assert attempt.status is StopReason.PROVED


def test_a_step_with_two_induction_hypotheses_gets_room_for_both():
    """flatten(mirror(t)) = rev(flatten(t)): the node case rewrites with the hypotheses
    for both subtrees, then with rev-app and app associativity; with the other laws of
    the trees showcase as theorems it is one induction."""
    import json

    theory = load(TREES)
    graph = json.loads((ROOT / "proofs_out" / "trees" / "proof_graph.json").read_text(
        encoding="utf-8"))
    prover = Prover(theory)
    left_out: set[str] = set()           # the law itself and whatever the run built on it
    for entry in graph["theorems"]:
        if "flatten(mirror" in entry["readable"] or left_out & set(entry["dependencies"]):
            left_out.add(entry["id"])
            continue
        prover.adopt(entry["id"], entry)
    assert left_out
    statement = parse_statement("flatten(mirror(t)) = rev(flatten(t))", theory.signature)
    attempt = prover.prove(statement)
    assert attempt.status is StopReason.PROVED and attempt.method.startswith("induction")
    assert prover._case_limits(2).witnesses == 2 * prover.limits.witnesses
    assert prover._case_limits(1) is prover.limits
