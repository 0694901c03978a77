"""Terms over the derived signature, their value vectors on the model, and equations.

Terms are enumerated by size (number of symbols) from variables, the anchor's
constants and its operators.  Each term's value vector lists its value under every
assignment of the variables to the numerals 0..r-1, read from the model's tables
(-1 where the model does not know).  Terms with equal vectors form a class; the
first (smallest) term of a class is its representative and only representatives are
used as subterms of larger terms, so an equation that follows from a smaller one by
congruence is never generated (QuickSpec's pruning by construction).

An equation l = r becomes a canonical MPL statement: premises name every compound
subterm (shared subterms once), the conclusion equates the two sides' names.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np

from ..mpl.ast import Expr
from ..mpl.infix import statement_from_equations, term_vars
from ..mpl.signature import Signature
from .model import GroundModel

__all__ = ["Term", "enumerate_classes", "equation_statement", "term_size", "term_vars"]

Term = tuple    # ("v", name) | ("c", name) | (operator, arg, ...)

UNKNOWN = -1


def term_size(term: Term) -> int:
    if term[0] in ("v", "c"):
        return 1
    return 1 + sum(term_size(a) for a in term[1:])


@dataclass
class Enumeration:
    classes: dict[bytes, list[Term]]      # vector -> members, representative first
    equations: list[tuple[Term, Term]]    # (new term, representative), in enumeration order
    terms: int                            # terms enumerated


def enumerate_classes(signature: Signature, model: GroundModel, max_size: int, max_vars: int,
                      value_range: int, window: int = 4) -> Enumeration:
    value_range = min(value_range, model.size)       # a quotient model may have fewer elements
    variables = [chr(ord("a") + i) for i in range(max_vars)]
    assignments = np.array(list(product(range(value_range), repeat=max_vars)), dtype=np.int64)
    tables = {}
    for op in signature.operators:
        shape = (model.size,) * op.arity
        table = np.full(shape, UNKNOWN, dtype=np.int64)
        for args, value in model.tables[op.name].items():
            table[args] = UNKNOWN if value is None else value
        tables[op.name] = table
    by_size: dict[int, list[tuple[Term, np.ndarray]]] = {1: []}
    classes: dict[bytes, list[Term]] = {}
    equations: list[tuple[Term, Term]] = []
    count = 0

    def consider(term: Term, vector: np.ndarray, size: int) -> None:
        nonlocal count
        count += 1
        if (vector == UNKNOWN).all():
            return
        key = vector.tobytes()
        members = classes.get(key)
        if members is None:
            classes[key] = [term]
            by_size.setdefault(size, []).append((term, vector))
        else:
            # pair the new member with the first few members, not only the representative:
            # a law between two non-representatives (s(a)*b = a*b + b) is often the lemma
            for other in members[:window]:
                equations.append((term, other))
            members.append(term)

    for i, v in enumerate(variables):
        consider(("v", v), assignments[:, i].copy(), 1)
    for c in signature.constants:
        if c.definition is not None:
            continue                      # a named term (i1 = s(i0)) is no new leaf
        value = model.constants.get(c.name)
        if value is not None:
            consider(("c", c.name), np.full(len(assignments), value, dtype=np.int64), 1)
    for size in range(2, max_size + 1):
        for op in signature.operators:
            table = tables[op.name]
            # argument sizes in lexicographic order, then arguments in enumeration order
            for sizes in _compositions(size - 1, op.arity):
                pools = [list(by_size.get(s, [])) for s in sizes]
                for args in product(*pools):
                    consider((op.name,) + tuple(t for t, _ in args),
                             _apply(table, [v for _, v in args]), size)
    return Enumeration(classes, equations, count)


def _compositions(total: int, parts: int):
    """Tuples of ``parts`` positive integers summing to ``total``, lexicographically.

    >>> list(_compositions(4, 3))
    [(1, 1, 2), (1, 2, 1), (2, 1, 1)]
    """
    if parts == 1:
        if total >= 1:
            yield (total,)
        return
    for first in range(1, total - parts + 2):
        for rest in _compositions(total - first, parts - 1):
            yield (first,) + rest


def _apply(table: np.ndarray, vectors: list[np.ndarray]) -> np.ndarray:
    """The table applied entrywise; UNKNOWN wherever an argument or the entry is."""
    out = np.full_like(vectors[0], UNKNOWN)
    ok = np.logical_and.reduce([v != UNKNOWN for v in vectors])
    out[ok] = table[tuple(v[ok] for v in vectors)]
    return out


def equation_statement(left: Term, right: Term, signature: Signature) -> Expr | None:
    """(>[vars] (& definitions) (=[l, r])) with variables renamed canonically (a, b, ...
    in order of appearance, never an anchor parameter); None when there is nothing to
    state (both sides one term, or no operator at all)."""
    try:
        statement, _ = statement_from_equations([], [(left, right)], signature)
    except ValueError:
        return None
    return statement


def match_term(pattern: Term, term: Term, binding: dict) -> bool:
    """One-way matching: extend ``binding`` so that pattern[binding] == term."""
    if pattern[0] == "v":
        bound = binding.get(pattern[1])
        if bound is None:
            binding[pattern[1]] = term
            return True
        return bound == term
    if pattern[0] == "c" or term[0] in ("v", "c"):
        return pattern == term
    if pattern[0] != term[0] or len(pattern) != len(term):
        return False
    return all(match_term(p, t, binding) for p, t in zip(pattern[1:], term[1:]))


def is_instance(general: tuple[Term, Term], special: tuple[Term, Term]) -> bool:
    """True when the equation ``special`` is a substitution instance of ``general``
    (either orientation of the general equation)."""
    gl, gr = general
    sl, sr = special
    for a, b in ((gl, gr), (gr, gl)):
        binding: dict = {}
        if match_term(a, sl, binding) and match_term(b, sr, binding):
            return True
    return False
