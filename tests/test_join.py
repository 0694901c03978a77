"""The block join: numba kernel, Python twin and a brute-force statement of the result.

The documented answer of ``FactTable.join``: for each delta position j (ascending; every
relation atom whose relation has delta rows) the tuples of rows, one per relation atom,
in lexicographic row order, that agree with the pattern and use a delta row at atom j
and none before it; without delta, every agreeing tuple.  The brute force below computes
exactly that with ``itertools.product``; both backends must return it.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings, strategies as st

from genlogic.blocks.join import FactTable

RELATIONS = {"p": 1, "r": 2, "t": 3}
NAMES = ["a", "b", "c", "d", "e"]


def brute_force(rows: list[tuple], pattern, delta: set[int] | None):
    slots: dict[str, int] = {}
    for _, args in pattern:
        for variable, name in args:
            if variable:
                slots.setdefault(name, len(slots))

    def agree(choice):
        binding: dict[str, str] = {}
        for (relation, args), r in zip(pattern, choice):
            if relation == "=":
                (va, a), (vb, b) = args
                x = binding.get(a) if va else a
                y = binding.get(b) if vb else b
                if x is None or x != y:
                    return None
                continue
            row = rows[r]
            if row[0] != relation:
                return None
            for (variable, name), have in zip(args, row[1:]):
                if variable:
                    if binding.setdefault(name, have) != have:
                        return None
                elif have != name:
                    return None
        return binding

    ranges = [[-1] if relation == "=" else range(len(rows)) for relation, _ in pattern]
    if delta is None:
        positions = [None]
    else:
        have = {rows[r][0] for r in delta}
        positions = [j for j, (relation, _) in enumerate(pattern) if relation in have]
    expected = []
    for j in positions:
        for choice in itertools.product(*ranges):
            if j is not None:
                if choice[j] not in delta or any(choice[i] in delta for i in range(j)):
                    continue
            binding = agree(choice)
            if binding is not None:
                expected.append((list(choice), [binding[v] for v in slots]))
    return expected


def run(backend: str, rows, pattern, delta, late_rows=()):
    table = FactTable(backend)
    for row in rows:
        table.add(row)
    encoded = table.encode(pattern, lambda name: name)
    if encoded is not None:
        table.join(encoded, False)                 # index built, then more rows arrive
    table.set_delta(sorted(delta) if delta is not None else [])
    for row in late_rows:
        table.add(row)
    encoded = table.encode(pattern, lambda name: name)
    if encoded is None:
        return []
    found_rows, values = table.join(encoded, delta is not None)
    return [(r, [table.names[v] for v in vals]) for r, vals in zip(found_rows, values)]


@st.composite
def joins(draw):
    def row():
        relation = draw(st.sampled_from(sorted(RELATIONS)))
        return (relation,) + tuple(draw(st.sampled_from(NAMES))
                                   for _ in range(RELATIONS[relation]))

    rows = list(dict.fromkeys(row() for _ in range(draw(st.integers(0, 14)))))
    late = [r for r in dict.fromkeys(row() for _ in range(draw(st.integers(0, 4))))
            if r not in rows]
    pattern = []
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.integers(0, 5)) == 0:
            relation, arity = "=", 2
        else:
            relation = draw(st.sampled_from(sorted(RELATIONS)))
            arity = RELATIONS[relation]
        args = []
        for _ in range(arity):
            if draw(st.booleans()):
                args.append((True, draw(st.sampled_from(["#x", "#y", "#z"]))))
            else:
                args.append((False, draw(st.sampled_from(NAMES[:3]))))
        pattern.append((relation, tuple(args)))
    delta = None
    if rows and draw(st.booleans()):
        delta = set(draw(st.lists(st.integers(0, len(rows) - 1), max_size=len(rows))))
    return rows, late, tuple(pattern), delta


@settings(max_examples=300, deadline=None)
@given(joins())
def test_backends_agree_with_brute_force(case):
    rows, late, pattern, delta = case
    expected = brute_force(rows + late, pattern, delta)
    assert run("python", rows, pattern, delta, late) == expected
    assert run("numba", rows, pattern, delta, late) == expected


@pytest.mark.parametrize("backend", ["numba", "python"])
def test_table_survives_growth_and_clear(backend):
    """Many names (the value index regrows), a wider relation arriving late, clear()."""
    table = FactTable(backend)
    for i in range(300):
        table.add(("r", f"n{i}", f"n{i + 1}"))
    pattern = (("r", ((True, "#x"), (True, "#y"))), ("r", ((True, "#y"), (True, "#z"))))
    rows, _ = table.join(table.encode(pattern, str), False)
    assert len(rows) == 299 and rows[0] == [0, 1] and rows[-1] == [298, 299]
    table.add(("q", "n1", "n2", "n3", "n4"))             # widens every row
    wide = (("q", ((True, "#a"), (True, "#b"), (False, "n3"), (True, "#d"))),)
    rows, values = table.join(table.encode(wide, str), False)
    assert rows == [[300]] and [table.names[v] for v in values[0]] == ["n1", "n2", "n4"]
    table.clear()
    assert table.join(table.encode(pattern, str), False) == ([], [])
    table.add(("r", "n5", "n5"))
    rows, values = table.join(table.encode(pattern, str), False)
    assert rows == [[0, 0]] and [table.names[v] for v in values[0]] == ["n5"] * 3


def test_unknown_relation_encodes_to_none():
    table = FactTable("numba")
    table.add(("r", "a", "b"))
    assert table.encode((("zz", ((True, "#x"),)),), str) is None


def test_constant_class_change_reencodes():
    """The pattern cache notices when a constant's class representative moves."""
    table = FactTable("numba")
    table.add(("r", "a", "b"))
    table.add(("r", "c", "b"))
    pattern = (("r", ((False, "a"), (True, "#y"))),)
    rows, _ = table.join(table.encode(pattern, str), False)
    assert rows == [[0]]
    rows, _ = table.join(table.encode(pattern, lambda n: "c" if n == "a" else n), False)
    assert rows == [[1]]
