"""JSON documents to vectors, many documents per call.

The encoding, bottom up (``M_r`` is the orthogonal matrix of role ``r``):

* a leaf (string, number, literal) has its vector from :mod:`genlogic.vsa.values`;
* an object is ``normalise(sum over keys k of M_key:k @ value_k)``.  Addition
  commutes, so key order does not matter; nesting multiplies matrices, which do not
  commute, so ``{"a": {"b": x}}`` (``M_a M_b x``) and ``{"b": {"a": x}}``
  (``M_b M_a x``) are nearly orthogonal;
* an array ``[x0 .. x(n-1)]`` is ``normalise(sum_i M_index:i @ x_i / sqrt(n) +
  M_array:bag @ bag)`` where ``bag = normalise(sum_i x_i)``: positions for read-out
  and exact matches, the bag for overlap regardless of order.  Only the first
  ``max_positions`` elements get a position; all go into the bag;
* empty objects, arrays and strings are literals.

Batching.  :meth:`JsonEncoder.encode_batch` works through the documents in chunks.
Each chunk is first flattened into one plan: numbered nodes, leaves listed by kind,
and edges (child, parent, role, weight) with roles as small integers numbered in
order of first use.  Leaves of a kind are then encoded in one call each, strings
written straight into their nodes' rows.  Inner nodes are filled level by level (a
node's level is one more than its deepest child), each parent adding its children
in sorted role-name order (the identity of bag nodes first, equal roles in element
order).  That fixed order makes the result bit-identical whatever the key order of
the input and whatever else is in the batch (for ``signed_perm``; dense matrix
products may round differently with the batch size).

This module does not read fields back (see :mod:`genlogic.vsa.readout`) and does not
store vectors (see :mod:`genlogic.vsa.index`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from .kernels import bind_accumulate
from .model import MBAT, normalize_rows
from .values import NumberEncoder, StringEncoder, ValueOptions

__all__ = ["JsonOptions", "JsonEncoder", "key_role", "index_role", "path_roles", "BAG_ROLE"]

BAG_ROLE = "array:bag"


def key_role(key: str) -> str:
    return f"key:{key}"


def index_role(position: int) -> str:
    return f"index:{position}"


def path_roles(path: Sequence[str | int] | str) -> list[str]:
    """Role tokens along a read-out path: strings are keys, integers positions.

    A string path is split on dots (``"address.zip"``); use a list for keys that
    contain dots.
    """
    if isinstance(path, str):
        path = path.split(".") if path else []
    roles = []
    for step in path:
        if isinstance(step, bool) or not isinstance(step, (str, int)):
            raise TypeError(f"path steps are keys (str) or positions (int), got {step!r}")
        roles.append(key_role(step) if isinstance(step, str) else index_role(step))
    return roles


@dataclass(frozen=True)
class JsonOptions:
    values: ValueOptions = field(default_factory=ValueOptions)
    max_positions: int = 128
    chunk_size: int = 128  # documents per internal pass; bounds working memory


_MAX_DEPTH = 500
_LITERALS = ("null", "true", "false", "empty-string", "empty-object", "empty-array",
             "nan", "inf", "-inf")
_LITERAL_ID = {token: i for i, token in enumerate(_LITERALS)}
_IDENTITY = -1  # the role bag nodes add their elements with


class _Plan:
    """Every document of a chunk flattened into numbered nodes and role-labelled edges.

    ``level[n]`` is 0 for a leaf and one more than the deepest child otherwise.
    Leaves are listed per kind, node numbers beside values.  Edge ``e`` adds
    ``edge_weight[e] * M_role(e) vectors[edge_child[e]]`` to node ``edge_parent[e]``;
    roles are numbered in order of first use in the plan (names in ``role_names``),
    and ``_IDENTITY`` adds unbound.
    """

    def __init__(self, max_positions: int):
        self.max_positions = max_positions
        self.level: list[int] = []
        self.string_nodes: list[int] = []
        self.string_texts: list[str] = []
        self.number_nodes: list[int] = []
        self.number_values: list[float] = []
        self.literal_nodes: list[int] = []
        self.literal_ids: list[int] = []
        self.edge_child: list[int] = []
        self.edge_parent: list[int] = []
        self.edge_role: list[int] = []
        self.edge_weight: list[float] = []
        self.role_names: list[str] = []
        self._key_roles: dict[str, int] = {}
        self._index_roles: list[int] = []  # position -> role
        self._bag_role: int | None = None

    def _role(self, name: str) -> int:
        self.role_names.append(name)
        return len(self.role_names) - 1

    def _key_role(self, key: str) -> int:
        if not isinstance(key, str):
            raise TypeError(f"JSON object keys must be strings, got {key!r}")
        role = self._key_roles.get(key)
        if role is None:
            role = self._key_roles[key] = self._role(key_role(key))
        return role

    def _index_roles_before(self, count: int) -> list[int]:
        """The roles of positions ``0 .. count - 1``."""
        roles = self._index_roles
        while len(roles) < count:
            roles.append(self._role(index_role(len(roles))))
        return roles[:count]

    def _array_bag_role(self) -> int:
        if self._bag_role is None:
            self._bag_role = self._role(BAG_ROLE)
        return self._bag_role

    def literal(self, token: str) -> int:
        node = len(self.level)
        self.level.append(0)
        self.literal_nodes.append(node)
        self.literal_ids.append(_LITERAL_ID[token])
        return node

    def add(self, value: Any, depth: int = 0) -> int:
        """Add ``value`` and everything in it; returns the node of ``value``.

        An object becomes ``sum over keys k of M_key:k value[k]``; an array
        ``sum_i M_index:i x_i / sqrt(n) + M_array:bag bag``, where ``bag`` (a node of
        its own) is the normalised ``sum_i x_i``.  One call per nesting level, so deep
        documents reach the depth limit before Python's recursion limit.
        """
        kind = type(value)
        if kind is str or isinstance(value, str):
            if not value.strip():
                return self.literal("empty-string")
            node = len(self.level)
            self.level.append(0)
            self.string_nodes.append(node)
            self.string_texts.append(value)
            return node
        if kind is dict or isinstance(value, dict):
            if not value:
                return self.literal("empty-object")
            node = self._inner_node(depth)
            roles = list(map(self._key_role, value))
            children = []
            for item in value.values():
                children.append(self.add(item, depth + 1))
            self._edges(children, node, roles, 1.0)
            return node
        if value is None:
            return self.literal("null")
        if kind is bool:
            return self.literal("true" if value else "false")
        if isinstance(value, (int, float)):
            number = float(value)
            if not math.isfinite(number):
                return self.literal("nan" if math.isnan(number) else ("inf" if number > 0 else "-inf"))
            node = len(self.level)
            self.level.append(0)
            self.number_nodes.append(node)
            self.number_values.append(number)
            return node
        if isinstance(value, (list, tuple)):
            if not value:
                return self.literal("empty-array")
            node = self._inner_node(depth)
            bag = self._inner_node(depth)
            children = []
            for item in value:
                children.append(self.add(item, depth + 1))
            positioned = min(len(children), self.max_positions)
            self._edges(children, bag, [_IDENTITY] * len(children), 1.0)
            self._edges(children[:positioned], node, self._index_roles_before(positioned),
                        1.0 / math.sqrt(len(children)))
            self._edges([bag], node, [self._array_bag_role()], 1.0)
            return node
        raise TypeError(f"cannot encode a value of type {type(value).__name__} as JSON")

    def _inner_node(self, depth: int) -> int:
        if depth >= _MAX_DEPTH:
            raise ValueError(f"JSON nesting deeper than {_MAX_DEPTH} levels")
        self.level.append(0)  # raised by _edges as children arrive
        return len(self.level) - 1

    def _edges(self, children: list[int], parent: int, roles: list[int], weight: float) -> None:
        count = len(children)
        self.edge_child += children
        self.edge_parent += [parent] * count
        self.edge_role += roles
        self.edge_weight += [weight] * count
        level = self.level
        level[parent] = max(level[parent], 1 + max(map(level.__getitem__, children)))


class JsonEncoder:
    """Encode JSON values (``dict``/``list``/``str``/numbers/``bool``/``None``)."""

    def __init__(self, model: MBAT, options: JsonOptions | None = None):
        self.model = model
        self.options = options or JsonOptions()
        self.strings = StringEncoder(model, self.options.values)
        self.numbers = NumberEncoder(model, self.options.values)
        self._literals = np.stack([model.random_vector("literal", token) for token in _LITERALS])

    def encode(self, value: Any) -> np.ndarray:
        return self.encode_batch([value])[0]

    def encode_batch(self, values: Sequence[Any]) -> np.ndarray:
        values = list(values)
        out = np.zeros((len(values), self.model.dim), dtype=np.float32)
        step = max(1, self.options.chunk_size)
        for start in range(0, len(values), step):
            out[start:start + step] = self._encode_chunk(values[start:start + step])
        return out

    def _encode_chunk(self, values: list[Any]) -> np.ndarray:
        plan = _Plan(self.options.max_positions)
        roots = [plan.add(value) for value in values]
        vectors = np.empty((len(plan.level), self.model.dim), dtype=np.float32)  # every row is set
        self._fill_leaves(plan, vectors)
        self._fill_inner_nodes(plan, vectors)
        return vectors[roots]

    def _fill_leaves(self, plan: _Plan, vectors: np.ndarray) -> None:
        if plan.string_nodes:
            self.strings.encode_many(plan.string_texts, out=vectors, rows=plan.string_nodes)
        if plan.number_nodes:
            vectors[plan.number_nodes] = self.numbers.encode_many(plan.number_values)
        if plan.literal_nodes:
            vectors[plan.literal_nodes] = self._literals[plan.literal_ids]

    def _fill_inner_nodes(self, plan: _Plan, vectors: np.ndarray) -> None:
        if not plan.edge_child:
            return
        child = np.asarray(plan.edge_child, dtype=np.int64)
        parent = np.asarray(plan.edge_parent, dtype=np.int64)
        weight = np.asarray(plan.edge_weight, dtype=np.float32)
        # roles renumbered in name order (the identity, -1, stays first), so the order
        # in which a parent adds its children does not depend on the rest of the batch
        names = plan.role_names
        by_name = sorted(range(len(names)), key=names.__getitem__)
        role_names = [names[i] for i in by_name]
        rank = np.empty(len(names), dtype=np.int64)
        rank[by_name] = np.arange(len(names))
        role = np.asarray(plan.edge_role, dtype=np.int64)
        role = np.where(role == _IDENTITY, _IDENTITY, rank[role])
        parent_level = np.asarray(plan.level, dtype=np.int64)[parent]
        order = np.lexsort((role, parent, parent_level))  # stable: ties keep edge order
        child, parent, weight, role, parent_level = (
            child[order], parent[order], weight[order], role[order], parent_level[order])
        if self.model.binding == "signed_perm":
            self._fill_signed_perm(role_names, child, parent, weight, role, parent_level, vectors)
        else:
            self._fill_dense(role_names, child, parent, weight, role, parent_level, vectors)

    def _fill_signed_perm(self, role_names, child, parent, weight, role, parent_level, vectors):
        """One fused kernel pass (numba, or its numpy twin)."""
        matrices = [self.model.role(name) for name in role_names]
        perms = np.stack([m.perm for m in matrices])
        signs = np.stack([m.signs for m in matrices])
        new_parent = np.flatnonzero(np.diff(parent, prepend=-1) != 0)
        parents = parent[new_parent]
        edge_ptr = np.append(new_parent, len(parent))
        levels = parent_level[new_parent]
        level_ptr = np.append(np.flatnonzero(np.diff(levels, prepend=-1) != 0), len(parents))
        bind_accumulate(vectors, level_ptr, parents, edge_ptr, child, role, weight, perms, signs)

    def _fill_dense(self, role_names, child, parent, weight, role, parent_level, vectors):
        """Dense matrices: one matrix product per (level, role) over all documents."""
        vectors[parent] = 0.0
        group = np.lexsort((parent, role, parent_level))
        child, parent, weight, role, parent_level = (
            child[group], parent[group], weight[group], role[group], parent_level[group])
        change = np.flatnonzero((np.diff(parent_level) != 0) | (np.diff(role) != 0)) + 1
        starts = np.concatenate(([0], change))
        stops = np.concatenate((change, [len(child)]))
        for start, stop in zip(starts, stops):
            rows = vectors[child[start:stop]]
            if role[start] != _IDENTITY:
                rows = self.model.role(role_names[role[start]]).apply(rows)
            rows *= weight[start:stop, None]
            np.add.at(vectors, parent[start:stop], rows)
            if stop == len(child) or parent_level[stop] != parent_level[start]:
                finished = np.unique(parent[parent_level == parent_level[start]])
                vectors[finished] = normalize_rows(vectors[finished])
