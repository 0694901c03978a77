"""MPL expressions as frozen, hash-consed nodes.

Four node kinds cover the language: ``Atom`` (``(in3[a,b,c,+])``), ``And``
(``(&A B)``), ``Not`` (``!A``) and ``Implies`` (``(>[x,y] A B)``, "for all x, y:
A implies B").  Constructing a node returns the one existing node with the same
content, so equal expressions are the same object: ``is`` is equality and nodes
are cheap dictionary keys.

This module also holds the purely syntactic operations every other layer needs:
free names, capture-avoiding substitution, conjunction flattening and an
alpha-equivalence key.  It knows nothing about theories, definitions or proofs.
"""

from __future__ import annotations

import threading
import weakref
from typing import Iterable, Iterator, Mapping, Union

__all__ = [
    "Atom", "And", "Not", "Implies", "Expr",
    "conj", "flatten_and", "free_names", "bound_names", "substitute",
    "alpha_key", "alpha_equal", "size", "atoms", "rename_bound",
]

# The intern table holds nodes weakly: a node no one uses is freed.  A key names its
# children by id(), which is safe because a live node keeps its children alive.
_table: "weakref.WeakValueDictionary[tuple, Expr]" = weakref.WeakValueDictionary()
_lock = threading.Lock()


class _Node:
    __slots__ = ("_key", "_free", "__weakref__")

    def __setattr__(self, name, value):  # frozen after construction
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __reduce__(self):  # pickling re-interns through the constructor
        return (type(self), self._args())

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __str__(self) -> str:
        from .printer import to_mpl
        return to_mpl(self)

    def __lt__(self, other: "Expr") -> bool:  # deterministic ordering by text
        return str(self) < str(other)


def _intern(cls, key: tuple, fields: dict) -> "Expr":
    node = _table.get(key)
    if node is not None:
        return node
    with _lock:
        node = _table.get(key)
        if node is None:
            node = object.__new__(cls)
            object.__setattr__(node, "_key", key)
            for name, value in fields.items():
                object.__setattr__(node, name, value)
            _table[key] = node
    return node


class Atom(_Node):
    """A relation applied to names: ``(in3[a,b,c,+])``."""

    __slots__ = ("name", "args")

    def __new__(cls, name: str, args: Iterable[str]):
        args = tuple(args)
        return _intern(cls, ("A", name, args), {"name": name, "args": args})

    def _args(self):
        return (self.name, self.args)

    def __repr__(self) -> str:
        return f"Atom({self.name!r}, {self.args!r})"


class And(_Node):
    """Binary conjunction ``(&A B)``."""

    __slots__ = ("left", "right")

    def __new__(cls, left: "Expr", right: "Expr"):
        return _intern(cls, ("&", id(left), id(right)), {"left": left, "right": right})

    def _args(self):
        return (self.left, self.right)

    def __repr__(self) -> str:
        return f"And({self.left!r}, {self.right!r})"


class Not(_Node):
    """Negation ``!A``."""

    __slots__ = ("body",)

    def __new__(cls, body: "Expr"):
        return _intern(cls, ("!", id(body)), {"body": body})

    def _args(self):
        return (self.body,)

    def __repr__(self) -> str:
        return f"Not({self.body!r})"


class Implies(_Node):
    """``(>[x,y] A B)``: for all x, y, A implies B (no variables: plain implication)."""

    __slots__ = ("vars", "premise", "conclusion")

    def __new__(cls, vars: Iterable[str], premise: "Expr", conclusion: "Expr"):
        vars = tuple(vars)
        return _intern(cls, (">", vars, id(premise), id(conclusion)),
                       {"vars": vars, "premise": premise, "conclusion": conclusion})

    def _args(self):
        return (self.vars, self.premise, self.conclusion)

    def __repr__(self) -> str:
        return f"Implies({self.vars!r}, {self.premise!r}, {self.conclusion!r})"


Expr = Union[Atom, And, Not, Implies]


def conj(parts: Iterable[Expr]) -> Expr:
    """Right-nested conjunction of one or more expressions."""
    parts = list(parts)
    if not parts:
        raise ValueError("conj() needs at least one expression")
    result = parts[-1]
    for part in reversed(parts[:-1]):
        result = And(part, result)
    return result


def flatten_and(expr: Expr) -> list[Expr]:
    """The conjuncts of nested ``And`` nodes, left to right."""
    out: list[Expr] = []
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, And):
            stack.append(node.right)
            stack.append(node.left)
        else:
            out.append(node)
    return out


def atoms(expr: Expr) -> Iterator[Atom]:
    """Every atom occurrence, left to right."""
    if isinstance(expr, Atom):
        yield expr
    elif isinstance(expr, And):
        yield from atoms(expr.left)
        yield from atoms(expr.right)
    elif isinstance(expr, Not):
        yield from atoms(expr.body)
    else:
        yield from atoms(expr.premise)
        yield from atoms(expr.conclusion)


def free_names(expr: Expr) -> frozenset[str]:
    """Names occurring free: the arguments of atoms not bound by an enclosing binder
    (``in[x,M]`` has x and M free; relation names are not names)."""
    try:
        return expr._free
    except AttributeError:
        pass
    if isinstance(expr, Atom):
        result = frozenset(expr.args)
    elif isinstance(expr, And):
        result = free_names(expr.left) | free_names(expr.right)
    elif isinstance(expr, Not):
        result = free_names(expr.body)
    else:
        result = (free_names(expr.premise) | free_names(expr.conclusion)) - set(expr.vars)
    object.__setattr__(expr, "_free", result)
    return result


def bound_names(expr: Expr) -> frozenset[str]:
    """Every name bound somewhere inside ``expr``."""
    if isinstance(expr, Atom):
        return frozenset()
    if isinstance(expr, And):
        return bound_names(expr.left) | bound_names(expr.right)
    if isinstance(expr, Not):
        return bound_names(expr.body)
    return frozenset(expr.vars) | bound_names(expr.premise) | bound_names(expr.conclusion)


def _fresh(name: str, avoid: set[str]) -> str:
    i = 1
    while f"{name}_{i}" in avoid:
        i += 1
    return f"{name}_{i}"


def substitute(expr: Expr, mapping: Mapping[str, str]) -> Expr:
    """Replace free names by names, renaming binders that would capture.

    >>> from genlogic.mpl.parser import parse_expr
    >>> str(substitute(parse_expr("(>[y](in[y,X])(in[x,y]))"), {"x": "y"}))
    '(>[y_1](in[y_1,X])(in[y,y_1]))'
    """
    mapping = {k: v for k, v in mapping.items() if k in free_names(expr)}
    if not mapping:
        return expr
    if isinstance(expr, Atom):
        return Atom(expr.name, tuple(mapping.get(a, a) for a in expr.args))
    if isinstance(expr, And):
        return And(substitute(expr.left, mapping), substitute(expr.right, mapping))
    if isinstance(expr, Not):
        return Not(substitute(expr.body, mapping))
    inner = {k: v for k, v in mapping.items() if k not in expr.vars}
    incoming = set(inner.values())
    new_vars = []
    body_map = dict(inner)
    avoid = set(incoming) | free_names(expr) | set(expr.vars) | bound_names(expr)
    for v in expr.vars:
        if v in incoming:
            fresh = _fresh(v, avoid)
            avoid.add(fresh)
            body_map[v] = fresh
            new_vars.append(fresh)
        else:
            new_vars.append(v)
    return Implies(tuple(new_vars), substitute(expr.premise, body_map),
                   substitute(expr.conclusion, body_map))


def rename_bound(expr: Expr, avoid: Iterable[str]) -> Expr:
    """Rename every binder that clashes with ``avoid`` (alpha-equivalent result)."""
    avoid = set(avoid)
    if isinstance(expr, Atom):
        return expr
    if isinstance(expr, And):
        return And(rename_bound(expr.left, avoid), rename_bound(expr.right, avoid))
    if isinstance(expr, Not):
        return Not(rename_bound(expr.body, avoid))
    mapping = {}
    taken = avoid | free_names(expr) | bound_names(expr)
    new_vars = []
    for v in expr.vars:
        if v in avoid:
            fresh = _fresh(v, taken)
            taken.add(fresh)
            mapping[v] = fresh
            new_vars.append(fresh)
        else:
            new_vars.append(v)
    premise = substitute(expr.premise, mapping) if mapping else expr.premise
    conclusion = substitute(expr.conclusion, mapping) if mapping else expr.conclusion
    inner_avoid = avoid | set(new_vars)
    return Implies(tuple(new_vars), rename_bound(premise, inner_avoid),
                   rename_bound(conclusion, inner_avoid))


def alpha_key(expr: Expr) -> Expr:
    """A representative of ``expr``'s alpha-equivalence class: binders renamed
    to ``#0, #1, ...`` in order of appearance (names no user can write)."""
    counter = [0]

    def walk(node: Expr, env: dict[str, str]) -> Expr:
        if isinstance(node, Atom):
            return Atom(node.name, tuple(env.get(a, a) for a in node.args))
        if isinstance(node, And):
            return And(walk(node.left, env), walk(node.right, env))
        if isinstance(node, Not):
            return Not(walk(node.body, env))
        inner = dict(env)
        new_vars = []
        for v in node.vars:
            inner[v] = f"#{counter[0]}"
            counter[0] += 1
            new_vars.append(inner[v])
        return Implies(tuple(new_vars), walk(node.premise, inner), walk(node.conclusion, inner))

    return walk(expr, {})


def alpha_equal(a: Expr, b: Expr) -> bool:
    return a is b or alpha_key(a) is alpha_key(b)


def size(expr: Expr) -> int:
    """Number of atoms in the expression."""
    if isinstance(expr, Atom):
        return 1
    if isinstance(expr, And):
        return size(expr.left) + size(expr.right)
    if isinstance(expr, Not):
        return size(expr.body)
    return size(expr.premise) + size(expr.conclusion)
