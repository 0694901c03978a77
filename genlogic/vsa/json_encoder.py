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

Batching.  :meth:`JsonEncoder.encode_batch` first flattens every document into one
plan of nodes and edges (child, parent, role, weight).  Leaves of a kind are
encoded in one call.  Inner nodes are then filled level by level (a node's level is
one more than its deepest child); within a level, edges are grouped by role so each
role's matrix is applied once to the stacked children of every document, and the
groups are added in sorted role order.  That fixed order makes the result
bit-identical whatever the key order of the input and whatever else is in the
batch (for ``signed_perm``; dense matrix products may round differently with the
batch size).

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
_IDENTITY = ""  # bag nodes add their elements unbound


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
    chunk_size: int = 512  # documents per internal pass; bounds working memory


class _Plan:
    """Every document of a batch flattened into nodes and role-labelled edges."""

    def __init__(self):
        self.level: list[int] = []
        self.strings: list[tuple[int, str]] = []
        self.numbers: list[tuple[int, float]] = []
        self.literals: list[tuple[int, str]] = []
        self.edge_child: list[int] = []
        self.edge_parent: list[int] = []
        self.edge_role: list[str] = []
        self.edge_weight: list[float] = []
        self.roots: list[int] = []

    def _node(self, level: int) -> int:
        self.level.append(level)
        return len(self.level) - 1

    def _edge(self, child: int, parent: int, role: str, weight: float) -> None:
        self.edge_child.append(child)
        self.edge_parent.append(parent)
        self.edge_role.append(role)
        self.edge_weight.append(weight)

    def literal(self, token: str) -> int:
        node = self._node(0)
        self.literals.append((node, token))
        return node

    def add(self, value: Any, max_positions: int, depth: int = 0) -> int:
        if depth > 500:
            raise ValueError("JSON nesting deeper than 500 levels")
        if value is None:
            return self.literal("null")
        if value is True:
            return self.literal("true")
        if value is False:
            return self.literal("false")
        if isinstance(value, str):
            if not value.strip():
                return self.literal("empty-string")
            node = self._node(0)
            self.strings.append((node, value))
            return node
        if isinstance(value, (int, float)):
            number = float(value)
            if not math.isfinite(number):
                return self.literal("nan" if math.isnan(number) else ("inf" if number > 0 else "-inf"))
            node = self._node(0)
            self.numbers.append((node, number))
            return node
        if isinstance(value, dict):
            if not value:
                return self.literal("empty-object")
            children = []
            for key, item in value.items():
                if not isinstance(key, str):
                    raise TypeError(f"JSON object keys must be strings, got {key!r}")
                children.append((key_role(key), self.add(item, max_positions, depth + 1)))
            node = self._node(1 + max(self.level[child] for _, child in children))
            for role, child in children:
                self._edge(child, node, role, 1.0)
            return node
        if isinstance(value, (list, tuple)):
            if not value:
                return self.literal("empty-array")
            children = [self.add(item, max_positions, depth + 1) for item in value]
            bag = self._node(1 + max(self.level[child] for child in children))
            for child in children:
                self._edge(child, bag, _IDENTITY, 1.0)
            node = self._node(1 + self.level[bag])
            weight = 1.0 / math.sqrt(len(children))
            for position, child in enumerate(children[:max_positions]):
                self._edge(child, node, index_role(position), weight)
            self._edge(bag, node, BAG_ROLE, 1.0)
            return node
        raise TypeError(f"cannot encode a value of type {type(value).__name__} as JSON")


class JsonEncoder:
    """Encode JSON values (``dict``/``list``/``str``/numbers/``bool``/``None``)."""

    def __init__(self, model: MBAT, options: JsonOptions | None = None):
        self.model = model
        self.options = options or JsonOptions()
        self.strings = StringEncoder(model, self.options.values)
        self.numbers = NumberEncoder(model, self.options.values)

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
        plan = _Plan()
        for value in values:
            plan.roots.append(plan.add(value, self.options.max_positions))
        vectors = np.zeros((len(plan.level), self.model.dim), dtype=np.float32)
        self._fill_leaves(plan, vectors)
        self._fill_inner_nodes(plan, vectors)
        return vectors[np.asarray(plan.roots, dtype=np.int64)]

    def _fill_leaves(self, plan: _Plan, vectors: np.ndarray) -> None:
        if plan.strings:
            nodes, texts = zip(*plan.strings)
            vectors[list(nodes)] = self.strings.encode_many(list(texts))
        if plan.numbers:
            nodes, numbers = zip(*plan.numbers)
            vectors[list(nodes)] = self.numbers.encode_many(numbers)
        for node, token in plan.literals:
            vectors[node] = self.model.random_vector("literal", token)

    def _fill_inner_nodes(self, plan: _Plan, vectors: np.ndarray) -> None:
        if not plan.edge_child:
            return
        child = np.asarray(plan.edge_child, dtype=np.int64)
        parent = np.asarray(plan.edge_parent, dtype=np.int64)
        weight = np.asarray(plan.edge_weight, dtype=np.float32)
        role_names = sorted(set(plan.edge_role))  # "" (identity) sorts first
        rank = {name: i for i, name in enumerate(role_names)}
        role = np.fromiter((rank[r] for r in plan.edge_role), dtype=np.int64, count=len(plan.edge_role))
        level = np.asarray(plan.level, dtype=np.int64)
        parent_level = level[parent]
        order = np.lexsort((role, parent, parent_level))  # stable: ties keep edge order
        child, parent, weight, role, parent_level = (
            child[order], parent[order], weight[order], role[order], parent_level[order])
        if self.model.binding == "signed_perm":
            self._fill_signed_perm(role_names, child, parent, weight, role, parent_level, vectors)
        else:
            self._fill_dense(role_names, child, parent, weight, role, parent_level, vectors)

    def _fill_signed_perm(self, role_names, child, parent, weight, role, parent_level, vectors):
        """One fused kernel pass (numba, or its numpy twin)."""
        identity = 0 if role_names[0] == _IDENTITY else -1
        matrices = [self.model.role(name) for name in role_names if name != _IDENTITY]
        dim = self.model.dim
        perms = np.stack([m.perm for m in matrices]) if matrices else np.zeros((1, dim), np.int64)
        signs = np.stack([m.signs for m in matrices]) if matrices else np.zeros((1, dim), np.float32)
        kernel_role = role - (1 if identity == 0 else 0)  # identity becomes -1
        new_parent = np.flatnonzero(np.diff(parent, prepend=-1) != 0)
        parents = parent[new_parent]
        edge_ptr = np.append(new_parent, len(parent)).astype(np.int64)
        levels = parent_level[new_parent]
        level_ptr = np.append(np.flatnonzero(np.diff(levels, prepend=-1) != 0), len(parents))
        bind_accumulate(vectors, level_ptr.astype(np.int64), parents, edge_ptr, child,
                        kernel_role, weight, perms, signs)

    def _fill_dense(self, role_names, child, parent, weight, role, parent_level, vectors):
        """Dense matrices: one matrix product per (level, role) over all documents."""
        group = np.lexsort((parent, role, parent_level))
        child, parent, weight, role, parent_level = (
            child[group], parent[group], weight[group], role[group], parent_level[group])
        change = np.flatnonzero((np.diff(parent_level) != 0) | (np.diff(role) != 0)) + 1
        starts = np.concatenate(([0], change))
        stops = np.concatenate((change, [len(child)]))
        for start, stop in zip(starts, stops):
            name = role_names[int(role[start])]
            rows = vectors[child[start:stop]]
            if name != _IDENTITY:
                rows = self.model.role(name).apply(rows)
            rows *= weight[start:stop, None]
            np.add.at(vectors, parent[start:stop], rows)
            if stop == len(child) or parent_level[stop] != parent_level[start]:
                finished = np.unique(parent[parent_level == parent_level[start]])
                vectors[finished] = normalize_rows(vectors[finished])
