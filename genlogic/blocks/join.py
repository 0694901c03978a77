"""Joins of rule patterns against a block's facts, over integer-encoded rows.

A block's canonical atoms are kept here as rows ``(relation id, class id, ...)`` in
the order they entered memory, with an index from (relation, argument position,
class id) to the rows holding that value there, in row order.  A rule orientation's
pattern is encoded against the table (``encode``): per atom its relation id and, per
argument, a variable slot or a constant's class id; ``=`` atoms only compare two
values that earlier atoms (or constants) fixed.

``FactTable.join(pattern, use_delta)`` returns every match as (row per atom, value per
variable slot), in one fixed order: depth first over the pattern's atoms, rows in
ascending order.  Semi-naive (``use_delta``): each match uses at least one row of the
round's delta; a match is reported once, for its first atom whose row is in the
delta.  Which index list the join walks (the shortest one) changes its speed, never
its answer.

Two implementations compute the same thing: ``_join_numba`` (compiled; the index is
linked lists in flat arrays, maintained incrementally) and ``_join_python`` (the
twin: recursion over dict-of-lists indexes).  ``GENLOGIC_BACKEND`` chooses; property
tests compare them.  Time spent in joins is added to ``STATS`` for the benchmarks.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from numba import njit

from ..backend import resolve_backend

__all__ = ["FactTable", "Pattern", "STATS"]

STATS = {"calls": 0, "seconds": 0.0}


@dataclass(frozen=True)
class Pattern:
    """A pattern encoded against one table (see ``FactTable.encode``)."""
    rel: np.ndarray          # int32[m]: relation id, -1 for an '=' atom
    kind: np.ndarray         # int32[m, width]: 0 variable, 1 constant, -1 no argument
    value: np.ndarray        # int32[m, width]: variable slot or constant class id
    variables: tuple[str, ...]


class FactTable:
    """Integer rows of a block's canonical atoms, indexed for joins."""

    def __init__(self, backend: str | None = None):
        self.backend = resolve_backend(backend)
        self.names: list[str] = []
        self.name_id: dict[str, int] = {}
        self.relations: list[str] = []
        self.relation_id: dict[str, int] = {}
        self.width = 1
        self.clear()

    # -- filling ---------------------------------------------------------------------
    def clear(self) -> None:
        """Forget every row (names and relations keep their ids)."""
        self.count_rows = 0
        self._encoded: dict[int, tuple] = {}
        if self.backend == "python":
            self._rows: list[tuple[int, ...]] = []
            self._index: dict[tuple[int, int, int], list[int]] = {}
            self._by_relation: dict[int, list[int]] = {}
            self._delta_set: set[int] = set()
            self._delta_lists: dict[int, list[int]] = {}
        else:
            self._pending: list[int] = []
            self._linked = 0
            self._layout = None                 # arrays are (re)made at the next sync
            self._delta_mask = np.zeros(0, dtype=np.bool_)
            self._delta_indices = np.zeros(0, dtype=np.int32)
            self._delta_ptr = np.zeros(1, dtype=np.int64)

    def intern(self, name: str) -> int:
        """The id of a class name (new names get the next id)."""
        return _number(name, self.name_id, self.names)

    def _relation(self, name: str) -> int:
        return _number(name, self.relation_id, self.relations)

    def add(self, key: tuple) -> int:
        """Append the canonical key ``(relation, name, ...)`` as a row; its row number."""
        get = self.name_id.get
        row = [self._relation(key[0])]
        for a in key[1:]:
            ident = get(a)
            row.append(self.intern(a) if ident is None else ident)
        if len(row) - 1 > self.width:
            self._widen(len(row) - 1)
        number = self.count_rows
        self.count_rows += 1
        if self.backend == "python":
            row = tuple(row)
            self._rows.append(row)
            index = self._index
            for position, value in enumerate(row[1:]):
                index.setdefault((row[0], position, value), []).append(number)
            self._by_relation.setdefault(row[0], []).append(number)
        else:                                   # flat, padded to the width; written at sync
            self._pending.extend(row)
            self._pending.extend([-1] * (self.width + 1 - len(row)))
        return number

    def _widen(self, width: int) -> None:
        if self.backend != "python" and self._pending:
            stride = self.width + 1
            old = self._pending
            self._pending = []
            for start in range(0, len(old), stride):
                self._pending.extend(old[start:start + stride])
                self._pending.extend([-1] * (width - self.width))
        self.width = width

    def set_delta(self, rows: list[int]) -> None:
        """The rows new in this round (a match must use one of them)."""
        rows = sorted(rows)
        if self.backend == "python":
            self._delta_set = set(rows)
            lists: dict[int, list[int]] = {}
            for r in rows:
                lists.setdefault(self._rows[r][0], []).append(r)
            self._delta_lists = lists
        else:
            self._sync()
            mask = np.zeros(self.count_rows, dtype=np.bool_)
            chosen = np.asarray(rows, dtype=np.int64)
            mask[chosen] = True
            relations = self._row_array[chosen, 0]
            order = np.argsort(relations, kind="stable")
            self._delta_mask = mask
            self._delta_indices = chosen[order].astype(np.int32)
            counts = np.bincount(relations, minlength=len(self.relations))
            self._delta_ptr = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)

    # -- numba storage -----------------------------------------------------------------
    def _allocate(self, capacity: int) -> None:
        width = self.width
        self._row_array = np.full((capacity, 1 + width), -1, dtype=np.int32)
        self._next = np.full((capacity, width + 1), -1, dtype=np.int32)
        self._n_values = max(64, 2 * len(self.names))
        self._n_relations = max(4, 2 * len(self.relations))
        size = self._n_relations * (width + 1) * self._n_values
        self._head = np.full(size, -1, dtype=np.int32)
        self._tail = np.full(size, -1, dtype=np.int32)
        self._count = np.zeros(size, dtype=np.int32)
        self._layout = (width, self._n_values, self._n_relations)

    def _sync(self) -> None:
        """Write pending rows into the arrays and link them into the index."""
        needed = self.count_rows
        layout = self._layout
        fits = layout is not None and self.width == layout[0] \
            and len(self.names) <= layout[1] and len(self.relations) <= layout[2]
        if fits and not self._pending:
            return
        if not fits:                                    # new layout: relink every row
            kept = self._row_array[:self._linked].copy() if layout is not None else None
            self._allocate(max(64, 2 * needed))
            if kept is not None:
                self._row_array[:len(kept), :kept.shape[1]] = kept
            self._linked = 0
        elif needed > self._row_array.shape[0]:
            capacity = 2 * needed
            grown = np.full((capacity, 1 + self.width), -1, dtype=np.int32)
            grown[:len(self._row_array)] = self._row_array
            self._row_array = grown
            grown = np.full((capacity, self.width + 1), -1, dtype=np.int32)
            grown[:len(self._next)] = self._next
            self._next = grown
        if self._pending:
            block = np.array(self._pending, dtype=np.int32).reshape(-1, self.width + 1)
            self._row_array[needed - len(block):needed] = block
            self._pending = []
        _link_rows(self._row_array, self._next, self._head, self._tail, self._count,
                   self._linked, needed, self._n_values)
        self._linked = needed

    # -- joining ---------------------------------------------------------------------
    def encode(self, atoms: tuple, find) -> Pattern | None:
        """Encode a pattern ``((relation, ((is_var, name), ...)), ...)``, constants read
        through ``find``; None when one of its relations has no row yet.  Encodings are
        cached per pattern object and redone when a constant's class changed."""
        intern = self.intern
        cached = self._encoded.get(id(atoms))
        if cached is not None and cached[0] is atoms:
            _, pattern, constants, ids = cached
            if [intern(find(a)) for a in constants] == ids:
                return pattern
        slots: dict[str, int] = {}
        constants, ids = [], []
        width = max([self.width] + [len(args) for _, args in atoms])
        rel = np.full(len(atoms), -1, dtype=np.int32)
        kind = np.full((len(atoms), width), -1, dtype=np.int32)
        value = np.zeros((len(atoms), width), dtype=np.int32)
        for i, (name, args) in enumerate(atoms):
            if name != "=":
                ident = self.relation_id.get(name)
                if ident is None:
                    return None
                rel[i] = ident
            for k, (variable, a) in enumerate(args):
                if variable:
                    kind[i, k] = 0
                    value[i, k] = slots.setdefault(a, len(slots))
                else:
                    kind[i, k] = 1
                    value[i, k] = intern(find(a))
                    constants.append(a)
                    ids.append(int(value[i, k]))
        pattern = Pattern(rel, kind, value, tuple(slots))
        self._encoded[id(atoms)] = (atoms, pattern, constants, ids)
        return pattern

    def join(self, pattern: Pattern, use_delta: bool) -> tuple[list[list[int]], list[list[int]]]:
        """Every match: (row per atom, -1 for '=' atoms; class id per variable slot)."""
        start = time.perf_counter()
        if self.backend == "python":
            result = _join_python(self, pattern, use_delta)
        else:
            self._sync()
            kind, value = pattern.kind, pattern.value
            if kind.shape[1] < self.width:           # encoded before the table widened
                extra = self.width - kind.shape[1]
                kind = np.pad(kind, ((0, 0), (0, extra)), constant_values=-1)
                value = np.pad(value, ((0, 0), (0, extra)))
            rows, binding = _join_numba(
                self._row_array, self._next, self._head, self._count, self._n_values,
                self._delta_mask, self._delta_ptr, self._delta_indices,
                pattern.rel, kind, value, len(pattern.variables), use_delta)
            result = rows.tolist(), binding.tolist()
        STATS["calls"] += 1
        STATS["seconds"] += time.perf_counter() - start
        return result


def _number(name: str, ids: dict[str, int], names: list[str]) -> int:
    ident = ids.get(name)
    if ident is None:
        ident = ids[name] = len(names)
        names.append(name)
    return ident


# -- the twin ------------------------------------------------------------------------

def _join_python(table: FactTable, pattern: Pattern, use_delta: bool):
    rel, kind, value = pattern.rel.tolist(), pattern.kind.tolist(), pattern.value.tolist()
    m = len(rel)
    rows, index, by_relation = table._rows, table._index, table._by_relation
    delta, delta_lists = table._delta_set, table._delta_lists
    found_rows: list[list[int]] = []
    found_binding: list[list[int]] = []

    def walk(i: int, j: int, binding: list[int], chosen: list[int]) -> None:
        if i == m:
            found_rows.append(list(chosen))
            found_binding.append(list(binding))
            return
        args = [(k, v) for k, v in zip(kind[i], value[i]) if k >= 0]
        if rel[i] < 0:                                   # '=': compare two fixed values
            (ka, va), (kb, vb) = args
            a = binding[va] if ka == 0 else va
            b = binding[vb] if kb == 0 else vb
            if a >= 0 and a == b and i != j:
                walk(i + 1, j, binding, chosen + [-1])
            return
        candidates = None
        for position, (k, v) in enumerate(args):
            fixed = binding[v] if k == 0 else v
            if fixed < 0:
                continue
            listed = index.get((rel[i], position, fixed), [])
            if candidates is None or len(listed) < len(candidates):
                candidates = listed
        if i == j:
            in_delta = delta_lists.get(rel[i], [])
            if candidates is None or len(in_delta) <= len(candidates):
                candidates = in_delta
            else:
                candidates = [r for r in candidates if r in delta]
        elif candidates is None:
            candidates = by_relation.get(rel[i], [])
        for r in candidates:
            if use_delta and i < j and r in delta:
                continue                                 # reported for an earlier atom
            new = list(binding)
            for position, (k, v) in enumerate(args):
                have = rows[r][1 + position]
                if k == 0:
                    if new[v] < 0:
                        new[v] = have
                    elif new[v] != have:
                        break
                elif have != v:
                    break
            else:
                walk(i + 1, j, new, chosen + [r])

    if use_delta:
        positions = [j for j in range(m) if rel[j] >= 0 and delta_lists.get(rel[j])]
    else:
        positions = [-1]
    for j in positions:
        walk(0, j, [-1] * len(pattern.variables), [])
    return found_rows, found_binding


# -- the numba kernel -----------------------------------------------------------------

@njit(cache=True)
def _link_rows(rows, following, head, tail, count, start, stop, n_values):
    """Append rows start..stop-1 to their index lists: one list per (relation,
    position, value) and, in position ``width``, one per relation."""
    width = following.shape[1] - 1
    lists = width + 1
    for r in range(start, stop):
        relation = rows[r, 0]
        for position in range(lists):
            following[r, position] = -1
            if position < width:
                value = rows[r, 1 + position]
                if value < 0:
                    continue
            else:
                value = 0
            key = (relation * lists + position) * n_values + value
            if count[key] == 0:
                head[key] = r
            else:
                following[tail[key], position] = r
            tail[key] = r
            count[key] += 1


@njit(cache=True)
def _open_level(i, j, rows, following, head, count, n_values, delta_ptr, rel, kind, value,
                binding, mode, list_position, cursor, stop):
    """Choose where level i takes its candidate rows from (mode 3: nowhere)."""
    width = following.shape[1] - 1
    lists = width + 1
    relation = rel[i]
    cursor[i] = 0
    if relation < 0:
        mode[i] = 2
        return
    best = -1
    best_count = 2 ** 31 - 1
    best_position = 0
    for position in range(kind.shape[1]):
        k = kind[i, position]
        if k < 0:
            break
        if k == 0:
            fixed = binding[i, value[i, position]]
            if fixed < 0:
                continue
        else:
            fixed = value[i, position]
        if fixed >= n_values:
            mode[i] = 3
            return
        key = (relation * lists + position) * n_values + fixed
        c = count[key]
        if c == 0:
            mode[i] = 3
            return
        if c < best_count:
            best, best_count, best_position = key, c, position
    if i == j:
        if relation + 1 >= delta_ptr.shape[0]:
            mode[i] = 3
            return
        in_delta = delta_ptr[relation + 1] - delta_ptr[relation]
        if best < 0 or in_delta <= best_count:
            mode[i] = 1
            cursor[i] = delta_ptr[relation]
            stop[i] = delta_ptr[relation + 1]
            return
    if best < 0:
        best = (relation * lists + width) * n_values
        best_position = width
        if count[best] == 0:
            mode[i] = 3
            return
    mode[i] = 0
    list_position[i] = best_position
    cursor[i] = head[best]


@njit(cache=True)
def _step_level(i, j, use_delta, rows, following, delta_mask, delta_indices, rel, kind, value,
                binding, mode, list_position, cursor, stop):
    """The next candidate of level i consistent with its binding (binding[i + 1] is
    filled): a row, -2 for a satisfied '=' atom, -1 when exhausted."""
    if mode[i] == 3:
        return -1
    if mode[i] == 2:
        if cursor[i] == 1:
            return -1
        cursor[i] = 1
        ka, va, kb, vb = kind[i, 0], value[i, 0], kind[i, 1], value[i, 1]
        a = binding[i, va] if ka == 0 else va
        b = binding[i, vb] if kb == 0 else vb
        if a >= 0 and a == b and i != j:
            binding[i + 1, :] = binding[i, :]
            return -2
        return -1
    n_mask = delta_mask.shape[0]
    while True:
        if mode[i] == 0:
            r = cursor[i]
            if r < 0:
                return -1
            cursor[i] = following[r, list_position[i]]
        else:
            if cursor[i] >= stop[i]:
                return -1
            r = delta_indices[cursor[i]]
            cursor[i] += 1
        if use_delta:
            new = r < n_mask and delta_mask[r]
            if i == j and not new:
                continue
            if i < j and new:
                continue
        binding[i + 1, :] = binding[i, :]
        ok = True
        for position in range(kind.shape[1]):
            k = kind[i, position]
            if k < 0:
                break
            have = rows[r, 1 + position]
            if k == 0:
                slot = value[i, position]
                if binding[i + 1, slot] < 0:
                    binding[i + 1, slot] = have
                elif binding[i + 1, slot] != have:
                    ok = False
                    break
            elif have != value[i, position]:
                ok = False
                break
        if ok:
            return r


@njit(cache=True)
def _join_numba(rows, following, head, count, n_values, delta_mask, delta_ptr, delta_indices,
                rel, kind, value, n_vars, use_delta):
    m = rel.shape[0]
    capacity = 16
    out_rows = np.empty((capacity, m), dtype=np.int32)
    out_binding = np.empty((capacity, n_vars), dtype=np.int32)
    found = 0
    binding = np.full((m + 1, n_vars), -1, dtype=np.int32)
    mode = np.zeros(m, dtype=np.int32)
    list_position = np.zeros(m, dtype=np.int32)
    cursor = np.zeros(m, dtype=np.int64)
    stop = np.zeros(m, dtype=np.int64)
    chosen = np.full(m, -1, dtype=np.int32)
    first, last = (0, m) if use_delta else (-1, 0)
    for j in range(first, last):
        if use_delta:
            relation = rel[j]
            if relation < 0 or relation + 1 >= delta_ptr.shape[0] \
                    or delta_ptr[relation + 1] == delta_ptr[relation]:
                continue
        binding[0, :] = -1
        level = 0
        _open_level(0, j, rows, following, head, count, n_values, delta_ptr, rel, kind, value,
                    binding, mode, list_position, cursor, stop)
        while level >= 0:
            r = _step_level(level, j, use_delta, rows, following, delta_mask, delta_indices, rel,
                            kind, value, binding, mode, list_position, cursor, stop)
            if r == -1:
                level -= 1
                continue
            chosen[level] = r if r >= 0 else -1
            if level == m - 1:
                if found == capacity:
                    capacity *= 2
                    grown = np.empty((capacity, m), dtype=np.int32)
                    grown[:found] = out_rows[:found]
                    out_rows = grown
                    grown = np.empty((capacity, n_vars), dtype=np.int32)
                    grown[:found] = out_binding[:found]
                    out_binding = grown
                out_rows[found, :] = chosen
                out_binding[found, :] = binding[m, :]
                found += 1
                continue
            level += 1
            _open_level(level, j, rows, following, head, count, n_values, delta_ptr, rel, kind,
                        value, binding, mode, list_position, cursor, stop)
    return out_rows[:found], out_binding[:found]
