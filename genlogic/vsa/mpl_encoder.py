"""MPL expressions to vectors, invariant under alpha-equivalence.

Role-filler tree (``M_r`` is role ``r``'s orthogonal matrix, all roles prefixed
``mpl:``):

* atom ``rel[x0..xn]``: ``normalise(M_relation rel + sum_i M_arg:i arg_i)``;
* conjunction: flattened to its conjuncts, ``normalise(sum of conjuncts)``, so
  nesting and order do not matter;
* ``!A``: ``M_not A``;
* ``(>[vars] P C)``: ``normalise(M_premise P + M_conclusion C + M_binder n)``
  where ``n`` is a symbol for the number of bound variables.  Premise and
  conclusion have different roles, so swapping them changes the vector.

Names.  A name bound by an enclosing ``>[...]`` is a variable, any other name a
constant (``+``, ``N``, ``i0``) encoded by its identity.  A variable must not be
encoded by its spelling, and numbering variables by first occurrence would depend
on the order of conjuncts.  Instead each variable gets a *colour* by
Weisfeiler-Lehman refinement: start from the nesting depth of its binder, then
repeatedly hash the sorted list of its occurrences (context path, relation,
position, colours of the other arguments).  Colours depend only on structure, so
renaming variables, reordering a binder list or reordering conjuncts leaves them
unchanged; a variable's vector is ``normalise(v(first colour) + v(final colour))``
(the first colour is local and keeps near theorems near).  Sums are taken in the
order of canonical keys, so alpha-variants get bit-identical vectors.

Limits: refinement can give two structurally symmetric variables the same colour
(e.g. ``a`` and ``b`` in ``p[a] & p[b]``); such expressions still encode
deterministically, only less distinctly.  This module does not parse theories or
check well-formedness; text goes through :func:`genlogic.mpl.parser.parse_expr`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np

from genlogic.mpl.ast import And, Atom, Expr, Not, flatten_and
from genlogic.mpl.parser import parse_expr

from .model import MBAT, normalize_rows

__all__ = ["MplEncoder", "variable_colours", "REFINEMENT_ROUNDS"]

REFINEMENT_ROUNDS = 3


def _digest(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=12).hexdigest()


@dataclass
class _Occurrence:
    context: tuple[str, ...]
    relation: str
    args: tuple[tuple[str, object], ...]  # ("free", name) or ("var", variable id)


@dataclass
class _Scope:
    """Variables resolved to binder-unique ids, with their atom occurrences."""
    depth_of: dict[int, int] = field(default_factory=dict)
    occurrences: list[_Occurrence] = field(default_factory=list)
    argument_ids: dict[tuple[int, int], object] = field(default_factory=dict)


def _resolve(expr: Expr) -> tuple[_Scope, dict[int, tuple]]:
    """Walk ``expr``: give every binder variable an id, record atom occurrences.
    Returns the scope and, per atom occurrence (by walk order), its argument list."""
    scope = _Scope()
    atom_args: dict[int, tuple] = {}
    counter = [0]

    def walk(node: Expr, env: dict[str, int], context: tuple[str, ...], depth: int):
        if isinstance(node, Atom):
            args = tuple(("var", env[a]) if a in env else ("free", a) for a in node.args)
            atom_args[len(scope.occurrences)] = args
            scope.occurrences.append(_Occurrence(context, node.name, args))
        elif isinstance(node, And):
            for part in flatten_and(node):
                walk(part, env, context, depth)
        elif isinstance(node, Not):
            walk(node.body, env, context + ("not",), depth)
        else:
            inner = dict(env)
            for name in node.vars:
                inner[name] = counter[0]
                scope.depth_of[counter[0]] = depth
                counter[0] += 1
            walk(node.premise, inner, context + ("premise",), depth + 1)
            walk(node.conclusion, inner, context + ("conclusion",), depth + 1)

    walk(expr, {}, (), 0)
    return scope, atom_args


def variable_colours(scope: _Scope, rounds: int = REFINEMENT_ROUNDS) -> dict[int, tuple[str, str]]:
    """(first-round colour, final colour) of every variable id."""
    colour = {v: f"depth{d}" for v, d in scope.depth_of.items()}
    first = dict(colour)
    for round_number in range(rounds):
        signatures: dict[int, list] = {v: [] for v in colour}
        for occurrence in scope.occurrences:
            shown = tuple(colour[x] if kind == "var" else f"={x}" for kind, x in occurrence.args)
            for position, (kind, x) in enumerate(occurrence.args):
                if kind == "var":
                    signatures[x].append((occurrence.context, occurrence.relation, position, shown))
        colour = {v: _digest(colour[v], sorted(signatures[v])) for v in colour}
        if round_number == 0:
            first = dict(colour)
    return {v: (first[v], colour[v]) for v in colour}


class MplEncoder:
    """Encode MPL expressions (nodes or text) as unit float32 vectors."""

    def __init__(self, model: MBAT):
        self.model = model

    def encode(self, expr: Expr | str) -> np.ndarray:
        if isinstance(expr, str):
            expr = parse_expr(expr)
        scope, _ = _resolve(expr)
        colours = variable_colours(scope)
        key, vector = self._encode(expr, {}, colours, [0])
        return vector

    def canonical_key(self, expr: Expr | str) -> str:
        """A string equal for alpha-variants (the key the vector is built from)."""
        if isinstance(expr, str):
            expr = parse_expr(expr)
        scope, _ = _resolve(expr)
        return self._encode(expr, {}, variable_colours(scope), [0])[0]

    def _variable(self, colours: tuple[str, str]) -> np.ndarray:
        first, final = colours
        return normalize_rows(self.model.random_vector("mpl-variable", first)
                              + self.model.random_vector("mpl-variable", final))

    def _encode(self, node: Expr, env: dict[str, int], colours, counter) -> tuple[str, np.ndarray]:
        model = self.model
        if isinstance(node, Atom):
            keys = []
            total = model.bind("mpl:relation", model.random_vector("mpl-relation", node.name))
            for position, name in enumerate(node.args):
                if name in env:
                    variable = colours[env[name]]
                    keys.append("?" + variable[1])
                    filler = self._variable(variable)
                else:
                    keys.append("=" + name)
                    filler = model.random_vector("mpl-name", name)
                total = total + model.bind(f"mpl:arg:{position}", filler)
            return f"{node.name}[{','.join(keys)}]", normalize_rows(total)
        if isinstance(node, And):
            parts = sorted((self._encode(part, env, colours, counter) for part in flatten_and(node)),
                           key=lambda item: item[0])
            total = np.zeros(model.dim, dtype=np.float32)
            for _, vector in parts:
                total = total + vector
            return "&(" + " ".join(k for k, _ in parts) + ")", normalize_rows(total)
        if isinstance(node, Not):
            key, vector = self._encode(node.body, env, colours, counter)
            return f"!({key})", model.bind("mpl:not", vector)
        inner = dict(env)
        for name in node.vars:  # ids in the same order as _resolve assigned them
            inner[name] = counter[0]
            counter[0] += 1
        premise_key, premise = self._encode(node.premise, inner, colours, counter)
        conclusion_key, conclusion = self._encode(node.conclusion, inner, colours, counter)
        count = model.random_vector("mpl-binder", str(len(node.vars)))
        total = (model.bind("mpl:premise", premise) + model.bind("mpl:conclusion", conclusion)
                 + model.bind("mpl:binder", count))
        return f">{len(node.vars)}({premise_key})({conclusion_key})", normalize_rows(total)
