"""The ground model: a bounded slice of the initial model, as the quotient the axioms force.

A block (child of the prover's root) builds the elements of every sort
(``universe.py``: the numerals 0..k-1 from the induction axiom's base constant and
constructor, lists and trees as constructor terms by size, generic elements for the
other sets), asks for every table entry op(i, j) as a term, and forward-chains the
theory's own axioms.  The model's *elements* are the distinct union-find classes of
the built terms, in order of first appearance (numerals the block
proved equal are one element; element e is the class of numeral ``numerals[e]``, which is
numeral e itself whenever the numerals' successor terms are congruence-closed).  Tables
and constants are in terms of elements and every entry is a proved fact.  An entry whose
value is not among the elements (or was not reached within the limits) is ``None``:
unknown, never guessed.

Two different elements are not thereby different objects: the block may simply not have
proved them equal.  ``distinct`` holds the pairs of elements the block's facts prove
different (``Distinctness`` says how); an equation between two elements is *false* only
for such a pair and *unknown* otherwise.

Three-valued evaluation of statements on the model: ``refute`` looks for an
assignment that makes every premise true and the conclusion definitely false.  Such an
assignment is a disproof of the statement: the premises hold of those numerals by proved
facts, the conclusion fails by a proved equation or a proved distinctness.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from itertools import product

from ..backend import resolve_backend
from ..blocks.block import Block, BlockLimits
from ..blocks.prover import Prover
from ..mpl.ast import Atom, Expr, Not, conj, flatten_and
from ..mpl.signature import FUNCTION_RELATIONS, horn_view
from ..mpl.sorts import INDUCTIVE
from .distinct import Distinctness
from .evaluate import pack_sorts, pack_tables, plan, run_plan
from .universe import constructor_terms, plan_universe

__all__ = ["GroundModel", "Distinctness", "refuter"]


@dataclass
class GroundModel:
    """``size`` elements 0..size-1; ``distinct`` the pairs (i, j), i < j, of elements
    known to be different objects, or None when every two elements are (a model given
    outright as a finite structure, as the tests do).  ``sorts`` gives each element's
    set (None: every element is in ``carrier``); ``shown`` how each element reads."""
    size: int                                     # elements 0..size-1
    tables: dict[str, dict[tuple[int, ...], int | None]]
    constants: dict[str, int | None]
    carrier: str
    distinct: frozenset[tuple[int, int]] | None = None
    numerals: tuple[int, ...] | None = None       # element -> its first built name
    sorts: tuple[str, ...] | None = None          # element -> its set
    shown: tuple[str, ...] | None = None          # element -> a term that names it
    depths: tuple[int, ...] | None = None         # element -> constructors nested in it
    _packed: tuple | None = field(default=None, repr=False, compare=False)

    @classmethod
    def build(cls, prover: Prover, size: int = 5, deadline: float | None = None,
              only: frozenset[str] | None = None) -> "GroundModel":
        """The quotient of a bounded slice of the initial model (``universe.py``): up to
        ``size`` constructor terms per inductive sort, generic elements for the other
        sorts.  ``deadline`` (a ``time.perf_counter`` value) bounds the whole build: the
        forward chaining stops at three quarters of the time left (entries not reached
        stay unknown) and the distinctness closure at the deadline (pairs not reached
        stay unknown).  ``only``: tables for these
        operators (and the constructors) alone; statements about the others evaluate to
        unknown."""
        signature, sorts = prover.signature, prover.sorts
        constructors = {c for sort in sorts.values() for c in sort.constructors}
        ops = [op for op in signature.operators
               if only is None or op.name in only or op.name in constructors]
        s = prover.session
        chaining = None if deadline is None else \
            time.perf_counter() + 0.75 * max(0.0, deadline - time.perf_counter())
        universe = plan_universe(signature, sorts, ops, s.fresh_names)
        ctx = s.open_block(s.root, universe.fixed, conj(universe.hypotheses)
                           if universe.hypotheses else None, "ground model")
        pools: dict[str, list[str]] = {}
        shown = dict(universe.shown)
        for sort in sorts.values():
            if sort.kind == INDUCTIVE:
                pools[sort.name] = list(sort.bases)
            elif sort.name in universe.generic:
                pools[sort.name] = universe.constants[sort.name] + universe.generic[sort.name]
        def limits_for(widths: dict[str, int]) -> BlockLimits:
            # about a dozen witnesses per table entry (the terms its recursion needs)
            entries = max([math.prod(widths.get(d, 0) for d in op.domain) for op in ops]
                          + [size * size])
            return BlockLimits(rounds=60, witnesses=60 + 12 * entries, depth=size + 3,
                               facts=200_000, grow=False)

        block = Block(s, ctx, prover.root.rules, limits_for({d: size for d in sorts}),
                      parent=prover.root)
        for i in range(len(ctx.premises)):
            block.add(s.premise(ctx, i))
        depth: dict[str, int] = {}
        constructor_terms(signature, sorts, pools, size,
                          lambda op, args: block.make_term(op.relation, op.name, args), shown,
                          depth)
        block.limits = limits = limits_for({d: len(p) for d, p in pools.items()})
        for _ in range(2):
            block.round(chaining)
        for op in ops:
            for args in product(*(pools.get(d, ()) for d in op.domain)):
                block.make_term(op.relation, op.name, args)
        for _ in range(limits.rounds):
            if chaining is not None and time.perf_counter() > chaining:
                break
            if not block.round(chaining):
                break
        find = block.uf.find
        names = [(sort, name) for sort, members in pools.items() for name in members]
        value_of: dict[str, int] = {}            # class -> element
        first: list[int] = []                    # element -> its first name
        for i, (_, name) in enumerate(names):
            if find(name) not in value_of:
                value_of[find(name)] = len(first)
                first.append(i)
        elements = [find(names[i][1]) for i in first]
        element_sorts = tuple(names[i][0] for i in first)
        m = len(elements)
        by_sort: dict[str, list[int]] = {}
        for e, sort in enumerate(element_sorts):
            by_sort.setdefault(sort, []).append(e)
        tables = {}
        for op in ops:
            table = {}
            for args in product(*(by_sort.get(d, ()) for d in op.domain)):
                key = (op.relation, op.name) + tuple(elements[i] for i in args)
                fact = block.table.get(key)
                out = fact.expr.args[op.arity] if fact is not None else None
                table[args] = value_of.get(find(out)) if out is not None else None
            tables[op.name] = table
        constants = {c.name: value_of.get(find(c.name)) for c in signature.constants}
        symbols = set(sorts) | {op.name for op in ops} | {c.name for c in signature.constants}
        groups = {elements[e]: list(sorts).index(sort) for e, sort in enumerate(element_sorts)}
        pairs = Distinctness(block, elements, symbols, groups=groups,
                             deadline=deadline).pairs
        distinct = frozenset((min(value_of[a], value_of[b]), max(value_of[a], value_of[b]))
                             for a, b in pairs)
        carrier = next((sort.name for sort in sorts.values() if sort.kind == INDUCTIVE),
                       next(iter(sorts), ""))
        return cls(m, tables, constants, carrier, distinct, tuple(first), element_sorts,
                   tuple(shown.get(names[i][1], names[i][1]) for i in first),
                   tuple(depth.get(names[i][1], 0) for i in first))

    def sort_of(self, element: int) -> str:
        return self.carrier if self.sorts is None else self.sorts[element]

    def depth_of(self, element: int) -> int:
        """Constructors nested in the element's term (a model given outright: its number,
        as for numerals)."""
        return element if self.depths is None else self.depths[element]

    def elements_of(self, sort: str) -> list[int]:
        """The elements of one set, in order."""
        return [e for e in range(self.size) if self.sort_of(e) == sort]

    def apply(self, op: str, args: tuple[int | None, ...]) -> int | None:
        if any(a is None for a in args):
            return None
        return self.tables[op].get(tuple(args))

    def differ(self, a: int, b: int) -> bool:
        """True when elements a and b are known to be different objects."""
        if a == b:
            return False
        return self.distinct is None or (min(a, b), max(a, b)) in self.distinct

    def refute(self, statement: Expr) -> dict | None:
        """An assignment making the premises true and the conclusion false, or None."""
        view = horn_view(statement)
        if view is None:
            return None
        conclusions = flatten_and(view.conclusion)
        if not all(isinstance(c, Atom) or (isinstance(c, Not) and isinstance(c.body, Atom))
                   for c in conclusions):
            return None
        premises = list(view.premises)
        if not all(isinstance(p, Atom) for p in premises):
            return None
        variables = list(view.vars)
        backend = resolve_backend()
        if self._packed is None:
            self._packed = (pack_tables(self.tables, self.size, self.distinct),
                            pack_sorts(self.sorts, self.size, self.carrier))
        tables, (set_ids, element_sets) = self._packed
        steps = plan(premises, conclusions, variables, self.constants, tables[0], set_ids)
        if steps is not None:
            return run_plan(steps, tables, self.size, backend, element_sets)
        return self.search(premises, conclusions, variables)

    def search(self, premises: list[Atom], conclusions: list[Expr],
               variables: list[str]) -> dict | None:
        """The counterexample search as a generator walk: the specification that the
        compiled plans of ``evaluate.py`` follow step by step."""
        for assignment in self._assignments(premises, variables, {}):
            verdicts = [self._truth(c, assignment) for c in conclusions]
            if any(v is False for v in verdicts):
                return {k: assignment[k] for k in variables if k in assignment}
        return None

    def _value(self, name: str, env: dict) -> int | None:
        if name in env:
            return env[name]
        return self.constants.get(name)

    def _same(self, a: int | None, b: int | None) -> bool | None:
        """a = b: True for one element, False for elements known distinct, else None."""
        if a is None or b is None:
            return None
        if a == b:
            return True
        return False if self.differ(a, b) else None

    def _truth(self, atom: Expr, env: dict) -> bool | None:
        if isinstance(atom, Not):
            inner = self._truth(atom.body, env)
            return None if inner is None else not inner
        if atom.name == "=":
            return self._same(*(self._value(x, env) for x in atom.args))
        if atom.name == "in":
            value = self._value(atom.args[0], env)
            return True if value is not None and self.sort_of(value) == atom.args[1] else None
        if atom.name in FUNCTION_RELATIONS and atom.args[-1] in self.tables:
            n_in = FUNCTION_RELATIONS[atom.name]
            result = self.apply(atom.args[-1], tuple(self._value(x, env) for x in atom.args[:n_in]))
            return self._same(result, self._value(atom.args[n_in], env))
        return None

    def _assignments(self, premises: list[Atom], variables: list[str], env: dict):
        """Assignments (within the model) under which every premise is true."""
        if not premises:
            free = [v for v in variables if v not in env]
            if not free:
                yield dict(env)
                return
            for values in product(range(self.size), repeat=len(free)):
                yield {**env, **dict(zip(free, values))}
            return
        # pick a premise that is decided or that computes one unbound output
        for i, atom in enumerate(premises):
            rest = premises[:i] + premises[i + 1:]
            if atom.name in FUNCTION_RELATIONS and atom.args[-1] in self.tables:
                n_in = FUNCTION_RELATIONS[atom.name]
                ins = atom.args[:n_in]
                out = atom.args[n_in]
                if all(self._value(x, env) is not None or x not in variables for x in ins) \
                        and out in variables and out not in env:
                    result = self.apply(atom.args[-1], tuple(self._value(x, env) for x in ins))
                    if result is None:
                        return            # unknown: no decided assignment down this branch
                    yield from self._assignments(rest, variables, {**env, out: result})
                    return
            if all(a in env or a not in variables for a in atom.args):
                if self._truth(atom, env) is True:
                    yield from self._assignments(rest, variables, env)
                return
        # nothing decided: enumerate the first unbound variable of the first premise
        atom = premises[0]
        var = next(a for a in atom.args if a in variables and a not in env)
        for value in range(self.size):
            yield from self._assignments(premises, variables, {**env, var: value})


def refuter(theory, anchor: str | None = None, size: int = 5, seconds: float | None = None):
    """A function statement -> counterexample or None, the model built lazily on first
    use (within ``seconds`` of it, when given)."""
    cache: dict = {}

    def refute(statement: Expr) -> dict | None:
        if "model" not in cache:
            deadline = None if seconds is None else time.perf_counter() + seconds
            try:
                cache["model"] = GroundModel.build(Prover(theory, anchor), size, deadline)
            except ValueError:
                cache["model"] = None
        model = cache["model"]
        return model.refute(statement) if model is not None else None

    return refute
