"""Terms over the derived signature, their value vectors on the model, and equations.

Terms are enumerated by size (number of symbols) from variables, the anchor's
constants and its operators, typed: an operator's arguments come from its domain sets,
and each variable has a set (``variable_pools``).  Each term's value vector lists its
value under every assignment of the variables to their sets' small elements (the
numerals 0..r-1, lists of fewer than r elements; a fixed sample when there are many),
read from the model's tables (-1 where the model does not know).  Terms of one set
with equal vectors form a class; the
first (smallest) term of a class is its representative and only representatives are
used as subterms of larger terms, so an equation that follows from a smaller one by
congruence is never generated (QuickSpec's pruning by construction).

An equation l = r becomes a canonical MPL statement: premises name every compound
subterm (shared subterms once), the conclusion equates the two sides' names.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import product

import numpy as np

from ..mpl.ast import Expr
from ..mpl.infix import statement_from_equations, term_vars
from ..mpl.signature import Signature
from ..mpl.sorts import FUNCTION, sorts_of
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


SAMPLES = 2048      # most assignments a value vector lists (a fixed sample beyond that)


def variable_pools(signature: Signature, model: GroundModel, max_vars: int,
                   value_range: int) -> list[tuple[str, str, list[int]]]:
    """(variable, sort, values) for the enumeration: ``max_vars`` variables for every
    set an operator takes arguments from (two for a set of functions), named a, b, c, ...
    in the order of the sets; each ranges over its set's elements of constructor depth
    below ``value_range`` (numerals 0..r-1; lists of at most r-1 elements)."""
    domains: list[str] = []
    for op in signature.operators:
        for d in op.domain:
            if d not in domains:
                domains.append(d)
    order = {sort: i for i, sort in enumerate(dict.fromkeys(
        [model.sort_of(e) for e in range(model.size)]))}
    domains.sort(key=lambda d: order.get(d, len(order)))
    kinds = {s.name: s.kind for s in sorts_of(signature).values()}
    pools, letter = [], 0
    for sort in domains:
        values = [e for e in model.elements_of(sort) if model.depth_of(e) < value_range]
        if not values:
            continue
        count = min(max_vars, 2) if kinds.get(sort) == FUNCTION else max_vars
        for _ in range(count):
            pools.append((_letter(letter), sort, values))
            letter += 1
    return pools


def _letter(i: int) -> str:
    return chr(ord("a") + i) if i < 26 else f"v{i}"


def assignments_of(pools: list[tuple[str, str, list[int]]]) -> np.ndarray:
    """Rows of values, one column per variable: every assignment when there are at most
    ``SAMPLES``, else a fixed pseudo-random sample of that many (always the same)."""
    sizes = [len(values) for _, _, values in pools]
    total = math.prod(sizes)
    if total <= SAMPLES:
        indices = [list(idx) for idx in product(*(range(n) for n in sizes))]
        rows = np.array(indices, dtype=np.int64).reshape(total, len(pools))
    else:
        chosen = np.sort(np.random.default_rng(0).choice(total, SAMPLES, replace=False))
        rows = np.stack(np.unravel_index(chosen, sizes), axis=1).astype(np.int64)
    for column, (_, _, values) in enumerate(pools):
        rows[:, column] = np.asarray(values, dtype=np.int64)[rows[:, column]]
    return rows


def enumerate_classes(signature: Signature, model: GroundModel, max_size: int, max_vars: int,
                      value_range: int, window: int = 4) -> Enumeration:
    """Terms up to ``max_size`` symbols, typed: an operator's arguments come from its
    domain sets.  Terms with one value vector (and one set) form a class."""
    pools = variable_pools(signature, model, max_vars, value_range)
    assignments = assignments_of(pools)
    tables = {}
    for op in signature.operators:
        shape = (model.size,) * op.arity
        table = np.full(shape, UNKNOWN, dtype=np.int64)
        for args, value in model.tables[op.name].items():
            table[args] = UNKNOWN if value is None else value
        tables[op.name] = table
    by_size: dict[int, dict[str, list[tuple[Term, np.ndarray]]]] = {1: {}}
    classes: dict[bytes, list[Term]] = {}
    equations: list[tuple[Term, Term]] = []
    count = 0

    def consider(term: Term, vector: np.ndarray, size: int, sort: str) -> None:
        nonlocal count
        count += 1
        if (vector == UNKNOWN).all():
            return
        key = sort.encode() + b"\0" + vector.tobytes()
        members = classes.get(key)
        if members is None:
            classes[key] = [term]
            by_size.setdefault(size, {}).setdefault(sort, []).append((term, vector))
        else:
            # pair the new member with the first few members, not only the representative:
            # a law between two non-representatives (s(a)*b = a*b + b) is often the lemma
            for other in members[:window]:
                equations.append((term, other))
            members.append(term)

    for i, (v, sort, _) in enumerate(pools):
        consider(("v", v), assignments[:, i].copy(), 1, sort)
    for c in signature.constants:
        if c.definition is not None:
            continue                      # a named term (i1 = s(i0)) is no new leaf
        value = model.constants.get(c.name)
        if value is not None:
            consider(("c", c.name), np.full(len(assignments), value, dtype=np.int64), 1, c.type)
    for size in range(2, max_size + 1):
        for op in signature.operators:
            table = tables[op.name]
            # argument sizes in lexicographic order, then arguments in enumeration order
            for sizes in _compositions(size - 1, op.arity):
                args_pools = [list(by_size.get(s, {}).get(d, []))
                              for s, d in zip(sizes, op.domain)]
                for args in product(*args_pools):
                    consider((op.name,) + tuple(t for t, _ in args),
                             _apply(table, [v for _, v in args]), size, op.codomain)
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
