"""Counterexample search on the ground model, compiled: a plan of integer steps and a
numba kernel that runs it over every assignment.

``GroundModel.refute`` (``model.py``) states the search: walk the premises, computing
an unbound output from a table when its inputs are known, checking a premise once all
its arguments are known, and otherwise enumerating the first unknown variable of the
first premise; at the end, enumerate the variables no premise mentions; report the first
assignment that makes a conclusion definitely false.  Which step comes next depends
only on which names are bound, never on their values, so ``plan`` replays that walk once
per statement and writes it down as steps over value slots (one slot per name: a
variable, or a constant holding its model value).  ``run_plan_numba`` executes the steps
as nested loops, depth first, in the same order as the generator (so it finds the same
first counterexample); ``run_plan_python`` is its plain-Python twin.

Values are the model's elements ``0..size-1``; -1 stands for "unknown" (a constant or
table entry the model does not know).  Tables are packed into one flat array, with the
distinctness matrix beside them (``pack_tables``): two different elements compare as
false only where ``distinct[a * size + b]`` is 1 (the model proved them different
objects), and as unknown elsewhere; one element compares as true.
"""

from __future__ import annotations

import time

import numpy as np
from numba import njit

from ..mpl.ast import Atom, Expr, Not
from ..mpl.signature import FUNCTION_RELATIONS

__all__ = ["Plan", "plan", "pack_tables", "pack_sorts", "run_plan_numba", "run_plan_python",
           "STATS"]

STATS = {"calls": 0, "seconds": 0.0}

# step and check kinds (column 0 of a step row)
ENUMERATE, COMPUTE, CHECK = 0, 1, 2
EQUAL, FUNCTION, MEMBER, UNKNOWN = 0, 1, 2, 3
_MAX_INPUTS = 4


class Plan:
    """Steps, checks and slots of one statement (see the module docstring).

    ``steps[s]`` is ``(ENUMERATE, slot)``, ``(COMPUTE, table, out, in_0, ...)`` or
    ``(CHECK, check)``; ``checks[c]`` is ``(kind, negated, table, out, in_0, ...)``:
    EQUAL compares slots ``out`` and ``in_0``, FUNCTION compares ``table(in...)`` with
    ``out``, MEMBER asks that ``out`` is known and an element of set number ``table``
    (``pack_sorts``), UNKNOWN is never decided."""

    def __init__(self, steps, checks, conclusions, initial, variables):
        self.steps = np.asarray(steps, dtype=np.int32).reshape(-1, 3 + _MAX_INPUTS)
        self.checks = np.asarray(checks, dtype=np.int32).reshape(-1, 4 + _MAX_INPUTS)
        self.conclusions = np.asarray(conclusions, dtype=np.int32)
        self.initial = np.asarray(initial, dtype=np.int32)
        self.variables = variables                      # (name, slot) in the statement's order


def pack_tables(tables: dict[str, dict[tuple[int, ...], int | None]], size: int,
                distinct=None):
    """(table id per operator, flat values with -1 for unknown, offsets, arities,
    distinctness): ``distinct`` is None (every two elements differ) or the pairs (i, j)
    known to differ, packed as a flat ``size * size`` matrix of 0/1 (int8)."""
    ids, chunks, offsets, arities = {}, [], [0], []
    for name in sorted(tables):
        entries = tables[name]
        arity = len(next(iter(entries))) if entries else 0
        flat = np.full(size ** arity, -1, dtype=np.int32)
        for args, value in entries.items():
            if value is not None:
                flat[int(np.ravel_multi_index(args, (size,) * arity))] = value
        ids[name] = len(arities)
        chunks.append(flat)
        offsets.append(offsets[-1] + len(flat))
        arities.append(arity)
    values = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int32)
    if distinct is None:
        matrix = 1 - np.eye(size, dtype=np.int8)
    else:
        matrix = np.zeros((size, size), dtype=np.int8)
        for i, j in distinct:
            matrix[i, j] = matrix[j, i] = 1
        np.fill_diagonal(matrix, 0)
    return (ids, values, np.asarray(offsets, dtype=np.int64), np.asarray(arities, dtype=np.int32),
            matrix.reshape(-1))


def pack_sorts(sorts, size: int, carrier: str):
    """(set -> number, each element's set number as int32): ``sorts`` gives each
    element's set, or is None when all ``size`` elements are in ``carrier``."""
    if sorts is None:
        return {carrier: 0}, np.zeros(size, dtype=np.int32)
    ids: dict[str, int] = {}
    for name in sorts:
        ids.setdefault(name, len(ids))
    return ids, np.asarray([ids[name] for name in sorts], dtype=np.int32)


def plan(premises: list[Atom], conclusions: list[Expr], variables: list[str],
         constants: dict[str, int | None], table_ids: dict[str, int],
         carrier: str | dict[str, int]) -> Plan | None:
    """The search of ``GroundModel.refute`` written down as steps; None when a name is
    both a variable and a constant or an operator has too many inputs (the caller then
    runs the generator).  ``carrier``: the one set every element is in, or the set
    numbers of ``pack_sorts``."""
    set_ids = {carrier: 0} if isinstance(carrier, str) else carrier
    if any(v in constants for v in variables):
        return None
    slots: dict[str, int] = {}
    initial: list[int] = []

    def slot(name: str) -> int:
        if name not in slots:
            slots[name] = len(initial)
            value = constants.get(name) if name not in variable_set else None
            initial.append(-1 if value is None else value)
        return slots[name]

    variable_set = set(variables)
    checks: list[list[int]] = []

    def check(atom: Expr) -> int | None:
        negated = isinstance(atom, Not)
        body = atom.body if negated else atom
        row = [UNKNOWN, int(negated), 0, 0] + [0] * _MAX_INPUTS
        if body.name == "=":
            row[0], row[3], row[4] = EQUAL, slot(body.args[0]), slot(body.args[1])
        elif body.name == "in":
            if body.args[1] in set_ids:
                row[0], row[2], row[3] = MEMBER, set_ids[body.args[1]], slot(body.args[0])
        elif body.name in FUNCTION_RELATIONS and body.args[-1] in table_ids:
            n_in = FUNCTION_RELATIONS[body.name]
            if n_in > _MAX_INPUTS:
                return None
            row[0], row[2], row[3] = FUNCTION, table_ids[body.args[-1]], slot(body.args[n_in])
            for k, a in enumerate(body.args[:n_in]):
                row[4 + k] = slot(a)
        checks.append(row)
        return len(checks) - 1

    steps: list[list[int]] = []
    bound: set[str] = set()
    known = lambda x: x in bound or x not in variable_set     # noqa: E731
    left = list(premises)
    while left:
        for i, atom in enumerate(left):
            if atom.name in FUNCTION_RELATIONS and atom.args[-1] in table_ids:
                n_in = FUNCTION_RELATIONS[atom.name]
                out = atom.args[n_in]
                if all(known(x) for x in atom.args[:n_in]) and out in variable_set \
                        and out not in bound:
                    if n_in > _MAX_INPUTS:
                        return None
                    row = [COMPUTE, table_ids[atom.args[-1]], slot(out)] + [0] * _MAX_INPUTS
                    for k, a in enumerate(atom.args[:n_in]):
                        row[3 + k] = slot(a)
                    steps.append(row)
                    bound.add(out)
                    del left[i]
                    break
            if all(known(a) for a in atom.args):
                c = check(atom)
                if c is None:
                    return None
                steps.append([CHECK, c, 0] + [0] * _MAX_INPUTS)
                del left[i]
                break
        else:
            var = next(a for a in left[0].args if a in variable_set and a not in bound)
            steps.append([ENUMERATE, slot(var), 0] + [0] * _MAX_INPUTS)
            bound.add(var)
    for var in variables:
        if var not in bound:
            steps.append([ENUMERATE, slot(var), 0] + [0] * _MAX_INPUTS)
            bound.add(var)
    concluded = [check(c) for c in conclusions]
    if any(c is None for c in concluded):
        return None
    order = list(dict.fromkeys(variables))
    return Plan(steps, checks, concluded, initial, [(v, slots[v]) for v in order])


def run_plan(p: Plan, packed, size: int, backend: str,
             element_sets: np.ndarray | None = None) -> dict[str, int] | None:
    """The first counterexample of the plan as {variable: value}, or None.
    ``element_sets``: each element's set number (``pack_sorts``; default all 0)."""
    _, values, offsets, arities, distinct = packed
    if element_sets is None:
        element_sets = np.zeros(size, dtype=np.int32)
    start = time.perf_counter()
    runner = run_plan_numba if backend == "numba" else run_plan_python
    env = runner(p.steps, p.checks, p.conclusions, p.initial, values, offsets, arities,
                 distinct, size, element_sets)
    STATS["calls"] += 1
    STATS["seconds"] += time.perf_counter() - start
    if len(env) == 0:
        return None
    return {name: int(env[s]) for name, s in p.variables}


# -- twin ------------------------------------------------------------------------------

def _lookup_python(values, offsets, arities, size, table, inputs) -> int:
    index = 0
    for x in inputs[:arities[table]]:
        if x < 0:
            return -1
        index = index * size + x
    return int(values[offsets[table] + index])


def _same_python(a, b, distinct, size) -> int:
    """Elements a = b: 1 one element, 0 known distinct, -1 unknown."""
    if a < 0 or b < 0:
        return -1
    if a == b:
        return 1
    return 0 if distinct[a * size + b] else -1


def _truth_python(row, env, values, offsets, arities, distinct, size, sets) -> int:
    """1 true, 0 false, -1 unknown."""
    kind, negated, table, out = row[0], row[1], row[2], row[3]
    if kind == EQUAL:
        result = _same_python(env[out], env[row[4]], distinct, size)
    elif kind == MEMBER:
        result = 1 if env[out] >= 0 and sets[env[out]] == table else -1
    elif kind == FUNCTION:
        got = _lookup_python(values, offsets, arities, size, table, [env[s] for s in row[4:]])
        result = _same_python(got, env[out], distinct, size)
    else:
        result = -1
    return result if result < 0 or not negated else 1 - result


def run_plan_python(steps, checks, conclusions, initial, values, offsets, arities, distinct,
                    size, sets):
    """Twin of ``run_plan_numba``: recursion over the steps."""
    steps, checks, sets = steps.tolist(), checks.tolist(), sets.tolist()
    conclusions, values, distinct = conclusions.tolist(), values.tolist(), distinct.tolist()
    offsets, arities = offsets.tolist(), arities.tolist()
    env = initial.tolist()

    def go(pc: int) -> bool:
        if pc == len(steps):
            return any(_truth_python(checks[c], env, values, offsets, arities, distinct, size,
                                     sets) == 0 for c in conclusions)
        kind = steps[pc][0]
        if kind == ENUMERATE:
            for value in range(size):
                env[steps[pc][1]] = value
                if go(pc + 1):
                    return True
            return False
        if kind == COMPUTE:
            got = _lookup_python(values, offsets, arities, size, steps[pc][1],
                                 [env[s] for s in steps[pc][3:]])
            if got < 0:
                return False
            env[steps[pc][2]] = got
            return go(pc + 1)
        if _truth_python(checks[steps[pc][1]], env, values, offsets, arities, distinct,
                         size, sets) != 1:
            return False
        return go(pc + 1)

    if go(0):
        return np.asarray(env, dtype=np.int32)
    return np.zeros(0, dtype=np.int32)


# -- kernel ----------------------------------------------------------------------------

@njit(cache=True)
def _lookup(values, offsets, arities, size, table, row, first, env):
    index = 0
    for k in range(arities[table]):
        x = env[row[first + k]]
        if x < 0:
            return -1
        index = index * size + x
    return values[offsets[table] + index]


@njit(cache=True)
def _same(a, b, distinct, size):
    if a < 0 or b < 0:
        return -1
    if a == b:
        return 1
    if distinct[a * size + b] != 0:
        return 0
    return -1


@njit(cache=True)
def _truth(row, env, values, offsets, arities, distinct, size, sets):
    kind, negated, table, out = row[0], row[1], row[2], row[3]
    result = -1
    if kind == EQUAL:
        result = _same(env[out], env[row[4]], distinct, size)
    elif kind == MEMBER:
        if env[out] >= 0 and sets[env[out]] == table:
            result = 1
    elif kind == FUNCTION:
        got = _lookup(values, offsets, arities, size, table, row, 4, env)
        result = _same(got, env[out], distinct, size)
    if result >= 0 and negated:
        result = 1 - result
    return result


@njit(cache=True)
def run_plan_numba(steps, checks, conclusions, initial, values, offsets, arities, distinct,
                   size, sets):
    """Depth-first run of the plan; the counterexample's slot values or an empty array."""
    env = initial.copy()
    n = steps.shape[0]
    loops = np.empty(n + 1, dtype=np.int64)        # program counters of open ENUMERATE steps
    depth = 0
    pc = 0
    while True:
        failed = False
        if pc == n:
            for c in conclusions:
                if _truth(checks[c], env, values, offsets, arities, distinct, size, sets) == 0:
                    return env
            failed = True
        else:
            kind = steps[pc, 0]
            if kind == ENUMERATE:
                env[steps[pc, 1]] = 0
                loops[depth] = pc
                depth += 1
                pc += 1
            elif kind == COMPUTE:
                got = _lookup(values, offsets, arities, size, steps[pc, 1], steps[pc], 3, env)
                if got < 0:
                    failed = True
                else:
                    env[steps[pc, 2]] = got
                    pc += 1
            elif _truth(checks[steps[pc, 1]], env, values, offsets, arities, distinct,
                        size, sets) != 1:
                failed = True
            else:
                pc += 1
        if failed:                                   # next value of the innermost open loop
            while depth > 0:
                top = loops[depth - 1]
                slot = steps[top, 1]
                env[slot] += 1
                if env[slot] < size:
                    pc = top + 1
                    break
                depth -= 1
            if depth == 0:
                return np.zeros(0, dtype=env.dtype)
