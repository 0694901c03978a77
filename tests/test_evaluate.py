"""Counterexample search on the ground model: the compiled plan (numba kernel and its
Python twin) against the generator walk that states the search (``GroundModel.search``).

Tables are random with unknown entries, the distinctness relation is total or a random
part of it (elements not known distinct compare as unknown), statements are random Horn
clauses over in2/in3 atoms, equalities, membership and negated conclusions; all three
must return the same first counterexample (or none).
"""

from __future__ import annotations

from itertools import product

import numpy as np
from hypothesis import given, settings, strategies as st

from genlogic.explore import evaluate
from genlogic.explore.model import GroundModel
from genlogic.mpl.ast import Atom, Not
from genlogic.mpl.signature import horn_view
from genlogic.mpl.parser import parse_expr

VARIABLES = ["x", "y", "z", "u", "v"]


@st.composite
def models(draw):
    size = draw(st.integers(1, 4))

    def entry():                                      # unknown about one time in eight
        return None if draw(st.integers(0, 7)) == 0 else draw(st.integers(0, size - 1))

    tables = {
        "s": {args: entry() for args in product(range(size), repeat=1)},
        "+": {args: entry() for args in product(range(size), repeat=2)},
    }
    constants = {"0": 0, "k": entry()}
    distinct = None                                   # every two elements differ
    if draw(st.booleans()):
        pairs = [(i, j) for i in range(size) for j in range(i + 1, size)]
        distinct = frozenset(p for p in pairs if draw(st.booleans()))
    return GroundModel(size, tables, constants, "N", distinct)


@st.composite
def clauses(draw):
    names = VARIABLES[:draw(st.integers(1, 5))]
    # mostly variables; q is neither a variable nor a constant (always unknown)
    term = st.sampled_from(names * 4 + ["0", "k", "q"])

    def atom():
        kind = draw(st.integers(0, 12)) % 7               # 4: "*" has no table, rarer
        if kind > 4:
            kind = draw(st.sampled_from([1, 2]))
        if kind == 0:
            return Atom("in2", (draw(term), draw(term), "s"))
        if kind == 1:
            return Atom("in3", (draw(term), draw(term), draw(term), "+"))
        if kind == 2:
            return Atom("=", (draw(term), draw(term)))
        if kind == 3:
            return Atom("in", (draw(term), draw(st.sampled_from(["N", "N", "N", "M"]))))
        return Atom("in3", (draw(term), draw(term), draw(term), "*"))   # no table: unknown

    premises = [atom() for _ in range(draw(st.integers(0, 4)))]
    conclusions = [Not(a) if draw(st.booleans()) else a
                   for a in (atom() for _ in range(draw(st.integers(1, 2))))]
    return premises, conclusions, names


@settings(max_examples=400, deadline=None)
@given(models(), clauses())
def test_plan_matches_the_generator(model, clause):
    premises, conclusions, variables = clause
    expected = model.search(premises, conclusions, variables)
    packed = evaluate.pack_tables(model.tables, model.size, model.distinct)
    steps = evaluate.plan(premises, conclusions, variables, model.constants, packed[0],
                          model.carrier)
    assert steps is not None
    for backend in ("numba", "python"):
        assert evaluate.run_plan(steps, packed, model.size, backend) == expected


def test_refute_finds_the_first_counterexample(monkeypatch):
    """x + y = y + x fails on a table that is not commutative; the first failing
    assignment in enumeration order is reported, by both backends."""
    size = 3
    table = {(a, b): (a + 2 * b) % size for a, b in product(range(size), repeat=2)}
    model = GroundModel(size, {"+": table}, {}, "N")
    statement = parse_expr("(>[x,y,l,r](&(in3[x,y,l,+])(in3[y,x,r,+]))(=[l,r]))")
    view = horn_view(statement)
    expected = model.search(list(view.premises), [view.conclusion], list(view.vars))
    assert expected == {"x": 0, "y": 1, "l": 2, "r": 1}
    for backend in ("numba", "python"):
        monkeypatch.setenv("GENLOGIC_BACKEND", backend)
        assert model.refute(statement) == expected


def test_pack_tables_marks_unknown_entries():
    ids, values, offsets, arities, distinct = evaluate.pack_tables(
        {"s": {(0,): 1, (1,): None}, "+": {(0, 0): 0, (0, 1): 1, (1, 0): None, (1, 1): 0}}, 2)
    assert distinct.tolist() == [0, 1, 1, 0]          # no relation given: all elements differ
    assert arities[ids["s"]] == 1 and arities[ids["+"]] == 2
    s = values[offsets[ids["s"]]:offsets[ids["s"] + 1]]
    plus = values[offsets[ids["+"]]:offsets[ids["+"] + 1]]
    assert s.tolist() == [1, -1] and plus.tolist() == [0, 1, -1, 0]
    assert values.dtype == np.int32


def test_pack_tables_distinctness_matrix():
    """A partial distinctness relation is packed symmetric, with a zero diagonal."""
    *_, distinct = evaluate.pack_tables({"s": {(0,): 1, (1,): 2, (2,): None}}, 3,
                                        frozenset({(0, 2)}))
    assert distinct.reshape(3, 3).tolist() == [[0, 0, 1], [0, 0, 0], [1, 0, 0]]
    assert distinct.dtype == np.int8


def test_unknown_distinctness_is_no_counterexample(monkeypatch):
    """x + 0 = 0 with 1 + 0 = 1: false only if 1 and 0 are known to differ."""
    table = {(0, 0): 0, (0, 1): 1, (1, 0): 1, (1, 1): 1}
    statement = parse_expr("(>[x,y](in3[x,0,y,+])(=[y,0]))")
    for distinct, expected in ((frozenset(), None), (frozenset({(0, 1)}), {"x": 1, "y": 1})):
        model = GroundModel(2, {"+": table}, {"0": 0}, "N", distinct)
        for backend in ("numba", "python"):
            monkeypatch.setenv("GENLOGIC_BACKEND", backend)
            model._packed = None
            assert model.refute(statement) == expected
