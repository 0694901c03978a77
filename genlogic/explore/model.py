"""The ground model: the numerals 0..k-1 built from the axioms, as the quotient the axioms force.

A block (child of the prover's root) builds the numerals from the induction axiom's
base constant and constructor, asks for every table entry op(i, j) as a term, and
forward-chains the theory's own axioms.  The model's *elements* are the distinct
union-find classes of the numerals, in order of first appearance (numerals the block
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

import heapq
import time
from dataclasses import dataclass, field
from itertools import combinations, product

from ..backend import resolve_backend
from ..blocks.block import Block, BlockLimits
from ..blocks.compile import compile_fact, is_var
from ..blocks.prover import Prover
from ..mpl.ast import Atom, Expr, Implies, Not, flatten_and
from ..mpl.signature import FUNCTION_RELATIONS, horn_view
from .evaluate import pack_tables, plan, run_plan

__all__ = ["GroundModel", "Distinctness", "refuter"]


@dataclass
class GroundModel:
    """``size`` elements 0..size-1; ``distinct`` the pairs (i, j), i < j, of elements
    known to be different objects, or None when every two elements are (a model given
    outright as a finite structure, as the tests do)."""
    size: int                                     # elements 0..size-1
    tables: dict[str, dict[tuple[int, ...], int | None]]
    constants: dict[str, int | None]
    carrier: str
    distinct: frozenset[tuple[int, int]] | None = None
    numerals: tuple[int, ...] | None = None       # element -> its first numeral
    _packed: tuple | None = field(default=None, repr=False, compare=False)

    @classmethod
    def build(cls, prover: Prover, size: int = 5, deadline: float | None = None,
              only: frozenset[str] | None = None) -> "GroundModel":
        """The quotient of the numerals 0..size-1.  ``deadline`` (a ``time.perf_counter``
        value) stops the forward chaining early: entries not reached by then stay unknown.
        ``only``: tables for these operators (and the constructor) alone; statements about
        the others evaluate to unknown."""
        if not prover.induction:
            raise ValueError("the ground model needs an induction axiom (base and constructor)")
        _, info = prover.induction[0]
        if len(info.bases) != 1 or len(info.constructors) != 1:
            raise ValueError("the ground model handles one base constant and one constructor")
        s = prover.session
        ctx = s.open_block(s.root, (), None, "ground model")
        ops = [op for op in prover.signature.operators
               if only is None or op.name in only or op.name == info.constructors[0]]
        entries = max([size ** op.arity for op in ops] + [size * size])
        limits = BlockLimits(rounds=60, witnesses=60 + 12 * entries, depth=size + 3,
                             facts=200_000)
        block = Block(s, ctx, prover.root.rules, limits, parent=prover.root)
        constructor = prover.signature.operator(info.constructors[0])
        names = [info.bases[0]]
        for _ in range(size - 1):
            names.append(block.make_term(constructor.relation, constructor.name, (names[-1],)))
        for _ in range(2):
            block.round()
        for op in ops:
            for args in product(range(size), repeat=op.arity):
                block.make_term(op.relation, op.name, tuple(names[i] for i in args))
        for _ in range(limits.rounds):
            if deadline is not None and time.perf_counter() > deadline:
                break
            if not block.round():
                break
        find = block.uf.find
        value_of: dict[str, int] = {}            # class -> element
        first: list[int] = []                    # element -> its first numeral
        for i, name in enumerate(names):
            if find(name) not in value_of:
                value_of[find(name)] = len(first)
                first.append(i)
        elements = [find(names[i]) for i in first]
        m = len(elements)
        tables = {}
        for op in ops:
            table = {}
            for args in product(range(m), repeat=op.arity):
                key = (op.relation, op.name) + tuple(elements[i] for i in args)
                fact = block.table.get(key)
                out = fact.expr.args[op.arity] if fact is not None else None
                table[args] = value_of.get(find(out)) if out is not None else None
            tables[op.name] = table
        constants = {c.name: value_of.get(find(c.name)) for c in prover.signature.constants}
        symbols = {info.carrier} | {op.name for op in ops} | \
            {c.name for c in prover.signature.constants}
        pairs = Distinctness(block, elements, symbols).pairs
        distinct = frozenset((min(value_of[a], value_of[b]), max(value_of[a], value_of[b]))
                             for a, b in pairs)
        return cls(m, tables, constants, info.carrier, distinct, tuple(first))

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
            self._packed = pack_tables(self.tables, self.size, self.distinct)
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
            return True if atom.args[1] == self.carrier and self._value(atom.args[0], env) is not None \
                else None
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


class Distinctness:
    """Which classes of ``elements`` a block's facts prove different, by a closure.

    What is known: the block's positive atoms (``canon``, over union-find classes; an
    equation holds between the names of one class), its proved negations (``negative``),
    and the rules compiled from the implication facts in its scope (axioms, theorems).
    From these it derives *false atoms* (negative facts, and ``a != b`` between classes)
    until nothing new follows:

    1. congruence: a positive atom R(.., a, ..) and a false atom R(.., b, ..) that agree
       (same class) at every other argument give a != b (were a = b, substituting it
       in the positive atom would prove the negated one);
    2. contraposition: for a rule P1 & .. & Pn -> C, an instance under which C is false
       (C an equation between distinct classes, a false atom, or !A with A positive) and
       every premise but Pj holds makes that instance of Pj false (were it true, the
       rule would prove C);
    3. a negation rule P1 & .. & Pn -> !A whose premises all hold makes A false.

    E.g. s(n) != 0 and a successor fact s(n) = a give a != 0 (1); the contrapositive of
    injectivity s(n1) = m & s(n2) = m -> n1 = n2 with n1 != n2 and s(n1) = m gives
    !(s(n2) = m), and with s(n2) = b then m != b (1): in Peano every two numerals are
    distinct after k steps.  Each step is an inference of classical logic with equality
    from proved facts and proved universal implications, so every pair found is
    different in every model of the theory: sound.  Nothing depends on symbol names or
    on the shape of the axioms.

    Derived facts are kept only when every argument is an element's class or a symbol
    (operators, sets, constants), which keeps the closure finite.  Work is done cheapest
    first (congruence, then contraposition through rules with fewer premises) and stops
    as soon as every two elements are known distinct, when nothing is left, or when
    ``budget`` (facts visited by the joins) or ``deadline`` runs out.  Stopping early,
    like dropping a fact, only loses distinctions, never adds one.  A contradiction (a
    derived false atom that is a positive fact, a class distinct from itself, or
    ``block.contradiction``) means the theory is inconsistent: then every statement is
    entailed and no pair is reported, so nothing is ever refuted.
    """

    def __init__(self, block: Block, elements: list[str], symbols=frozenset(),
                 budget: int = 200_000, deadline: float | None = None):
        find = block.uf.find
        self.find = find
        self.elements = set(elements)
        self.wanted = len(self.elements) * (len(self.elements) - 1)   # ordered pairs
        self.tracked = self.elements | {find(x) for x in symbols}
        self.positive: set[tuple] = {(k[0],) + tuple(find(a) for a in k[1:]) for k in block.canon}
        self.by_name: dict[str, list[tuple]] = {}
        for key in sorted(self.positive):
            self.by_name.setdefault(key[0], []).append(key)
        self._index: dict[tuple, dict[tuple, list[tuple]]] = {}
        self._plans: dict[tuple, tuple | None] = {}
        self.rules = self._rules(block)
        for rule in self.rules:
            for a in rule.premises + [_atom(rule.terminal)]:
                self.tracked.update(find(x) for x in a.args if not is_var(x))
        self.false: set[tuple] = set()
        self.different: set[tuple[str, str]] = set()
        self.contradiction = block.contradiction is not None
        self.tasks: list = []                       # heap of (cost, sequence, task)
        self.sequence = 0
        self.work, self.budget, self.deadline = 0, budget, deadline
        if not self.contradiction:
            self._close(block)
        if self.contradiction:
            self.pairs: list[tuple[str, str]] = []
        else:
            self.pairs = [(a, b) for a, b in combinations(elements, 2)
                          if (a, b) in self.different]

    # -- rules and joins ---------------------------------------------------------------
    @staticmethod
    def _rules(block: Block) -> list:
        facts = sorted((f for f in block.exact.values() if isinstance(f.expr, Implies)),
                       key=lambda f: f.id)
        rules, seen = [], set()
        for fact in facts:
            for rule in compile_fact(fact):
                if rule.kind not in ("atom", "negation"):
                    continue
                key = (tuple(rule.premises), rule.terminal)
                if key not in seen:
                    seen.add(key)
                    rules.append(rule)
        return rules

    def _lookup(self, name: str, mask: tuple[int, ...], values: tuple) -> list[tuple]:
        index = self._index.get((name, mask))
        if index is None:
            index = {}
            for key in self.by_name.get(name, ()):
                index.setdefault(tuple(key[1 + i] for i in mask), []).append(key)
            self._index[(name, mask)] = index
        return index.get(values, [])

    def _plan(self, key: tuple, atoms: list[Atom], bound: frozenset) -> tuple | None:
        """A join order for ``atoms`` given the bound variables: per atom, the known
        argument positions (constants as ``(False, class)``, variables as ``(True,
        name)``) and the positions that bind a variable.  None when an equation between
        two unbound variables is all that is left (such instances are not kept)."""
        if key in self._plans:
            return self._plans[key]
        bound, left, order = set(bound), list(atoms), []
        while left:
            best, score = None, -1
            for i, a in enumerate(left):
                known = sum(not is_var(x) or x in bound for x in a.args)
                if a.name == "=":
                    if known == 0:
                        continue
                    known += 100                      # decided, or binds: take it first
                if known > score:
                    best, score = i, known
            if best is None:
                self._plans[key] = None
                return None
            atom = left.pop(best)
            known = tuple(k for k, x in enumerate(atom.args) if not is_var(x) or x in bound)
            sources = tuple((True, atom.args[k]) if is_var(atom.args[k])
                            else (False, self.find(atom.args[k])) for k in known)
            binds = tuple((k, x) for k, x in enumerate(atom.args) if k not in known)
            order.append((atom.name, known, sources, binds))
            bound.update(x for x in atom.args if is_var(x))
        self._plans[key] = plan = tuple(order)
        return plan

    def _run(self, plan: tuple, depth: int, env: dict):
        """Bindings extending ``env`` under which every atom of the plan is a positive fact."""
        if depth == len(plan):
            yield env
            return
        name, known, sources, binds = plan[depth]
        values = tuple(env[x] if var else x for var, x in sources)
        if name == "=":
            if not binds:
                if values[0] == values[1]:
                    yield from self._run(plan, depth + 1, env)
                return
            (_, x), = binds
            yield from self._run(plan, depth + 1, {**env, x: values[0]})
            return
        for key in self._lookup(name, known, values):
            self.work += 1
            extended = dict(env)
            for k, x in binds:
                if extended.setdefault(x, key[1 + k]) != key[1 + k]:
                    break
            else:
                yield from self._run(plan, depth + 1, extended)

    def _unify(self, atom: Atom, key: tuple) -> dict | None:
        binding: dict[str, str] = {}
        for x, v in zip(atom.args, key[1:]):
            if is_var(x):
                if binding.setdefault(x, v) != v:
                    return None
            elif self.find(x) != v:
                return None
        return binding

    # -- the closure -------------------------------------------------------------------
    def _push(self, cost: int, task: tuple) -> None:
        self.sequence += 1
        heapq.heappush(self.tasks, (cost, self.sequence, task))

    def _differ(self, a: str, b: str) -> None:
        if a == b:
            self.contradiction = True
            return
        if a not in self.elements or b not in self.elements or (a, b) in self.different:
            return
        self.different.add((a, b))
        self.different.add((b, a))
        self._event(("=", a, b))

    def _falsify(self, key: tuple) -> None:
        if key[0] == "=":
            self._differ(key[1], key[2])
        elif key in self.positive:
            self.contradiction = True
        elif key not in self.false and all(a in self.tracked for a in key[1:]):
            self.false.add(key)
            self._event(key)

    def _event(self, key: tuple) -> None:
        """Schedule what a new false atom (or a != b) can give."""
        if key[0] != "=":
            self._push(0, ("congruence", key))
        candidates = [key, ("=", key[2], key[1])] if key[0] == "=" else [key]
        for rule in self.by_terminal.get(key[0], ()):
            for k in candidates:
                binding = self._unify(rule.terminal, k)
                if binding is not None:
                    self._push(len(rule.premises), ("contrapose", rule, binding))

    def _contrapose(self, rule, binding: dict) -> None:
        """Rule 2: the conclusion is false under ``binding``; each premise whose
        instance is determined by the others is false."""
        premises = rule.premises
        for j, target in enumerate(premises):
            others = premises[:j] + premises[j + 1:]
            reached = set(binding) | {x for p in others for x in p.args if is_var(x)}
            if not all(x in reached for x in target.args if is_var(x)):
                continue                  # an instance of Pj for every value: not kept
            plan = self._plan((id(rule), j, frozenset(binding)), others, frozenset(binding))
            if plan is None:
                continue
            for found in self._run(plan, 0, binding):
                self._falsify((target.name,) + tuple(found[x] if is_var(x) else self.find(x)
                                                     for x in target.args))
                if self.contradiction or self._done():
                    return

    def _done(self) -> bool:
        return len(self.different) >= self.wanted or self.work > self.budget or \
            (self.deadline is not None and time.perf_counter() > self.deadline)

    def _close(self, block: Block) -> None:
        find = self.find
        self.by_terminal: dict[str, list] = {}
        for rule in self.rules:
            if rule.kind == "atom":
                self.by_terminal.setdefault(rule.terminal.name, []).append(rule)
        for n in sorted(block.negative.values(), key=lambda f: f.id):
            body = n.expr.body
            self._falsify((body.name,) + tuple(find(a) for a in body.args))
        for rule in self.rules:
            if rule.kind != "negation":
                continue
            inner = rule.terminal.body
            plan = self._plan((id(rule), -1, frozenset()), rule.premises, frozenset())
            for found in self._run(plan, 0, {}) if plan is not None else ():      # rule 3
                if all(x in found or not is_var(x) for x in inner.args):
                    self._falsify((inner.name,) + tuple(found[x] if is_var(x) else find(x)
                                                        for x in inner.args))
            for key in self.by_name.get(inner.name, ()):                     # rule 2
                binding = self._unify(inner, key)
                if binding is not None:
                    self._push(len(rule.premises), ("contrapose", rule, binding))
        while self.tasks and not self.contradiction and not self._done():
            _, _, task = heapq.heappop(self.tasks)
            if task[0] == "congruence":                                      # rule 1
                key = task[1]
                name, args = key[0], key[1:]
                for i, b in enumerate(args):
                    mask = tuple(k for k in range(len(args)) if k != i)
                    for other in self._lookup(name, mask, tuple(args[k] for k in mask)):
                        self._differ(other[1 + i], b)
            else:
                self._contrapose(task[1], task[2])                           # rule 2


def _atom(e: Expr) -> Atom:
    return e.body if isinstance(e, Not) else e


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
