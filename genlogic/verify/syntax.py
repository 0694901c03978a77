"""The verifier's own syntax operations: free names, conjuncts, substitution, equality.

The checker uses these, never the functions of ``genlogic.mpl.ast`` that the engine uses
(``substitute``, ``alpha_key``, ``free_names``, ``flatten_and``, ``atoms``): a bug there
could otherwise fool the engine and its checker alike.  Only the node classes
(``Atom``, ``And``, ``Not``, ``Implies``) and the parser are shared.  The algorithms are
different on purpose:

* ``same`` compares two trees node by node (it does not rely on hash-consing);
* ``alpha_equal`` walks both expressions at once, pairing each bound name with the depth
  of its binder (no canonical renaming);
* ``replace`` substitutes names for free names and renames a binder only when it would
  capture, to ``#1``, ``#2``, ... (names MPL text cannot hold, so they never clash).

``tests/test_verify_independent.py`` checks them against the engine's versions with
hypothesis.
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from typing import Iterator, Mapping

from ..mpl.ast import And, Atom, Expr, Implies, Not

__all__ = ["free", "conjuncts", "atom_list", "same", "alpha_equal", "replace",
           "rename_binders"]


@lru_cache(maxsize=1 << 16)
def free(expr: Expr) -> frozenset[str]:
    """The names that occur in ``expr`` outside every binder of them."""
    if isinstance(expr, Atom):
        return frozenset(expr.args)
    if isinstance(expr, And):
        return free(expr.left) | free(expr.right)
    if isinstance(expr, Not):
        return free(expr.body)
    return (free(expr.premise) | free(expr.conclusion)).difference(expr.vars)


def conjuncts(expr: Expr) -> list[Expr]:
    """The parts of nested conjunctions, left to right (``expr`` itself if it is none)."""
    out: list[Expr] = []
    todo = [expr]
    while todo:
        node = todo.pop()
        if type(node) is And:
            todo += (node.right, node.left)
        else:
            out.append(node)
    return out


def atom_list(expr: Expr) -> Iterator[Atom]:
    """Every atom of ``expr``, left to right."""
    todo = [expr]
    while todo:
        node = todo.pop()
        if type(node) is Atom:
            yield node
        elif type(node) is And:
            todo += (node.right, node.left)
        elif type(node) is Not:
            todo.append(node.body)
        else:
            todo += (node.conclusion, node.premise)


def same(a: Expr, b: Expr) -> bool:
    """Exactly the same expression, bound names included."""
    todo = [(a, b)]
    while todo:
        x, y = todo.pop()
        if type(x) is not type(y):
            return False
        if type(x) is Atom:
            if x.name != y.name or tuple(x.args) != tuple(y.args):
                return False
        elif type(x) is And:
            todo += ((x.left, y.left), (x.right, y.right))
        elif type(x) is Not:
            todo.append((x.body, y.body))
        else:
            if tuple(x.vars) != tuple(y.vars):
                return False
            todo += ((x.premise, y.premise), (x.conclusion, y.conclusion))
    return True


def alpha_equal(a: Expr, b: Expr) -> bool:
    """Equal up to the names of bound variables."""
    # each entry: the two nodes, each side's bound names -> binder depth, the depth
    todo: list[tuple[Expr, Expr, dict, dict, int]] = [(a, b, {}, {}, 0)]
    while todo:
        x, y, left, right, depth = todo.pop()
        if type(x) is not type(y):
            return False
        if type(x) is Atom:
            if x.name != y.name or len(x.args) != len(y.args):
                return False
            for p, q in zip(x.args, y.args):
                dp, dq = left.get(p), right.get(q)
                if dp != dq or (dp is None and p != q):
                    return False
        elif type(x) is And:
            todo += ((x.left, y.left, left, right, depth), (x.right, y.right, left, right, depth))
        elif type(x) is Not:
            todo.append((x.body, y.body, left, right, depth))
        else:
            if len(x.vars) != len(y.vars):
                return False
            left, right = dict(left), dict(right)
            for i, (p, q) in enumerate(zip(x.vars, y.vars)):
                left[p] = right[q] = depth + i
            depth += len(x.vars)
            todo += ((x.premise, y.premise, left, right, depth),
                     (x.conclusion, y.conclusion, left, right, depth))
    return True


def _names_in(expr: Expr) -> set[str]:
    """Every name of ``expr``, bound or free."""
    out: set[str] = set()
    todo = [expr]
    while todo:
        node = todo.pop()
        if type(node) is Atom:
            out.update(node.args)
        elif type(node) is And:
            todo += (node.left, node.right)
        elif type(node) is Not:
            todo.append(node.body)
        else:
            out.update(node.vars)
            todo += (node.premise, node.conclusion)
    return out


def _fresh_names(taken: set[str]) -> Iterator[str]:
    """``#1``, ``#2``, ... except those in ``taken`` (an earlier renaming's names)."""
    for i in itertools.count(1):
        if f"#{i}" not in taken:
            yield f"#{i}"


def replace(expr: Expr, mapping: Mapping[str, str]) -> Expr:
    """``expr`` with each free name ``k`` of ``mapping`` replaced by ``mapping[k]``; a
    binder that would capture a replacement is renamed first, to a name that occurs
    nowhere in ``expr`` or ``mapping``."""
    counter = _fresh_names(_names_in(expr) | set(mapping) | set(mapping.values()))

    def walk(node: Expr, names: dict[str, str]) -> Expr:
        names = {k: v for k, v in names.items() if k in free(node)}
        if not names:
            return node
        if type(node) is Atom:
            return Atom(node.name, tuple(names.get(a, a) for a in node.args))
        if type(node) is And:
            return And(walk(node.left, names), walk(node.right, names))
        if type(node) is Not:
            return Not(walk(node.body, names))
        inner = {k: v for k, v in names.items() if k not in node.vars}
        incoming = set(inner.values())
        binders = []
        for var in node.vars:
            if var in incoming:
                fresh = next(counter)
                inner[var] = fresh
                binders.append(fresh)
            else:
                inner.pop(var, None)
                binders.append(var)
        return Implies(tuple(binders), walk(node.premise, inner), walk(node.conclusion, inner))

    return walk(expr, dict(mapping))


def rename_binders(expr: Expr) -> Expr:
    """``expr`` with every binder renamed to ``#1``, ``#2``, ... (skipping names ``expr``
    holds): an alpha-equivalent expression none of whose binders can capture a name of
    MPL text."""
    counter = _fresh_names(_names_in(expr))

    def walk(node: Expr, names: dict[str, str]) -> Expr:
        if type(node) is Atom:
            return Atom(node.name, tuple(names.get(a, a) for a in node.args))
        if type(node) is And:
            return And(walk(node.left, names), walk(node.right, names))
        if type(node) is Not:
            return Not(walk(node.body, names))
        inner = dict(names)
        binders = []
        for var in node.vars:
            inner[var] = next(counter)
            binders.append(inner[var])
        return Implies(tuple(binders), walk(node.premise, inner), walk(node.conclusion, inner))

    return walk(expr, {})
