"""The ground model: operator tables on the numerals 0..k, computed from the axioms.

A block (child of the prover's root) builds the numerals from the induction axiom's
base constant and constructor, asks for every table entry op(i, j) as a term, and
forward-chains the theory's own axioms until each entry's class holds a numeral.
Every entry is therefore a proved fact.  An entry whose value is not among the
numerals 0..k (or was not reached within the limits) is ``None``: unknown, never
guessed.

Three-valued evaluation of statements on the model: ``refute`` looks for an
assignment that makes every premise true and the conclusion definitely false.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from itertools import product

from ..backend import resolve_backend
from ..blocks.block import Block, BlockLimits
from ..blocks.prover import Prover
from ..mpl.ast import Atom, Expr, Not, flatten_and
from ..mpl.signature import FUNCTION_RELATIONS, horn_view
from .evaluate import pack_tables, plan, run_plan

__all__ = ["GroundModel", "refuter"]


@dataclass
class GroundModel:
    size: int                                     # numerals 0..size-1
    tables: dict[str, dict[tuple[int, ...], int | None]]
    constants: dict[str, int | None]
    carrier: str
    _packed: tuple | None = field(default=None, repr=False, compare=False)

    @classmethod
    def build(cls, prover: Prover, size: int = 5, deadline: float | None = None) -> "GroundModel":
        """Tables on 0..size-1.  ``deadline`` (a ``time.perf_counter`` value) stops the
        forward chaining early: entries not reached by then stay unknown."""
        if not prover.induction:
            raise ValueError("the ground model needs an induction axiom (base and constructor)")
        _, info = prover.induction[0]
        if len(info.bases) != 1 or len(info.constructors) != 1:
            raise ValueError("the ground model handles one base constant and one constructor")
        s = prover.session
        ctx = s.open_block(s.root, (), None, "ground model")
        entries = max([size ** op.arity for op in prover.signature.operators] + [size * size])
        limits = BlockLimits(rounds=60, witnesses=60 + 12 * entries, depth=size + 3,
                             facts=200_000)
        block = Block(s, ctx, prover.root.rules, limits, parent=prover.root)
        constructor = prover.signature.operator(info.constructors[0])
        numerals = [info.bases[0]]
        for _ in range(size - 1):
            numerals.append(block.make_term(constructor.relation, constructor.name, (numerals[-1],)))
        for _ in range(2):
            block.round()
        ops = [op for op in prover.signature.operators]
        for op in ops:
            for args in product(range(size), repeat=op.arity):
                block.make_term(op.relation, op.name, tuple(numerals[i] for i in args))
        for _ in range(limits.rounds):
            if deadline is not None and time.perf_counter() > deadline:
                break
            if not block.round():
                break
        find = block.uf.find
        value_of = {}
        for i, name in enumerate(numerals):
            value_of.setdefault(find(name), i)
        tables = {}
        for op in ops:
            table = {}
            for args in product(range(size), repeat=op.arity):
                key = (op.relation, op.name) + tuple(find(numerals[i]) for i in args)
                fact = block.table.get(key)
                out = fact.expr.args[op.arity] if fact is not None else None
                table[args] = value_of.get(find(out)) if out is not None else None
            tables[op.name] = table
        constants = {c.name: value_of.get(find(c.name)) for c in prover.signature.constants}
        return cls(size, tables, constants, info.carrier)

    def apply(self, op: str, args: tuple[int | None, ...]) -> int | None:
        if any(a is None for a in args):
            return None
        return self.tables[op].get(tuple(args))

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
            self._packed = pack_tables(self.tables, self.size)
        steps = plan(premises, conclusions, variables, self.constants, self._packed[0],
                     self.carrier)
        if steps is not None:
            return run_plan(steps, self._packed, self.size, backend)
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

    def _truth(self, atom: Expr, env: dict) -> bool | None:
        if isinstance(atom, Not):
            inner = self._truth(atom.body, env)
            return None if inner is None else not inner
        if atom.name == "=":
            a, b = (self._value(x, env) for x in atom.args)
            return None if a is None or b is None else a == b
        if atom.name == "in":
            return True if atom.args[1] == self.carrier and self._value(atom.args[0], env) is not None \
                else None
        if atom.name in FUNCTION_RELATIONS and atom.args[-1] in self.tables:
            n_in = FUNCTION_RELATIONS[atom.name]
            result = self.apply(atom.args[-1], tuple(self._value(x, env) for x in atom.args[:n_in]))
            out = self._value(atom.args[n_in], env)
            return None if result is None or out is None else result == out
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


def refuter(theory, anchor: str | None = None, size: int = 5):
    """A function statement -> counterexample or None, built lazily on first use."""
    cache: dict = {}

    def refute(statement: Expr) -> dict | None:
        if "model" not in cache:
            try:
                cache["model"] = GroundModel.build(Prover(theory, anchor), size)
            except ValueError:
                cache["model"] = None
        model = cache["model"]
        return model.refute(statement) if model is not None else None

    return refute
