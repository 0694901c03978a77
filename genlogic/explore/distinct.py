"""Which elements of a ground model a block's facts prove different (``Distinctness``).

The closure is the model's notion of falsehood: an equation between two elements is
false only when this proves them different objects (see ``model.py``).
"""

from __future__ import annotations

import heapq
import time
from itertools import combinations

from ..blocks.block import Block
from ..blocks.compile import compile_fact, is_var
from ..mpl.ast import Atom, Expr, Implies, Not
from ..mpl.signature import FUNCTION_RELATIONS

__all__ = ["Distinctness"]


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
                 budget: int = 200_000, deadline: float | None = None,
                 groups: dict[str, int] | None = None):
        """``groups``: element class -> its sort's number; the closure is complete once
        every two elements of one sort are known distinct (default: one sort)."""
        find = block.uf.find
        self.find = find
        self.elements = set(elements)
        self.group = groups if groups is not None else dict.fromkeys(self.elements, 0)
        sizes: dict[int, int] = {}
        for e in self.elements:
            sizes[self.group[e]] = sizes.get(self.group[e], 0) + 1
        self.wanted = sum(n * (n - 1) for n in sizes.values())   # ordered same-sort pairs
        self.found = 0
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
        if self.group[a] == self.group[b]:
            self.found += 2
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
        instance is determined by the others is false.  A premise with variables no
        other premise reaches (``cons(x2, l2) = m`` when the conclusion is ``x1 = x2``)
        is false for every value of them; of those instances only the ones that matter
        are kept: those that differ from a positive fact in at most one argument (what
        rule 1 can use)."""
        premises = rule.premises
        for j, target in enumerate(premises):
            others = premises[:j] + premises[j + 1:]
            plan = self._plan((id(rule), j, frozenset(binding)), others, frozenset(binding))
            if plan is None:
                continue
            for found in self._run(plan, 0, binding):
                for key in self._instances(target, found):
                    self._falsify(key)
                    if self.contradiction or self._done():
                        return

    def _instances(self, target: Atom, found: dict) -> list[tuple]:
        """The instances of ``target`` to falsify under the binding ``found``.  With
        open variables: per known argument k that is an element, one instance for each
        element a positive fact has at k while agreeing everywhere else (rule 1 then
        gives that element != the value at k), and one that agrees with a positive fact
        everywhere (which would be a contradiction)."""
        values = [found.get(x) if is_var(x) else self.find(x) for x in target.args]
        open_ = [k for k, v in enumerate(values) if v is None]
        if not open_:
            return [(target.name,) + tuple(values)]
        known = [k for k, v in enumerate(values) if v is not None]
        out = []
        for skip in [None] + [k for k in known if values[k] in self.elements]:
            mask = tuple(k for k in known if k != skip)
            if not mask:
                continue
            taken = set()
            for key in self._lookup(target.name, mask, tuple(values[k] for k in mask)):
                if skip is not None and (key[1 + skip] in taken or key[1 + skip] == values[skip]
                                         or key[1 + skip] not in self.elements):
                    continue
                filled: dict = {}
                for k in open_:
                    if filled.setdefault(target.args[k], key[1 + k]) != key[1 + k]:
                        break
                else:
                    out.append((target.name,) + tuple(
                        values[k] if values[k] is not None else filled[target.args[k]]
                        for k in range(len(values))))
                    if skip is None:
                        break
                    taken.add(key[1 + skip])
        return out

    def _done(self) -> bool:
        return self.found >= self.wanted or self.work > self.budget or \
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
            premises = list(rule.premises)
            variables = {x for p in premises for x in p.args if is_var(x)}
            if len(variables) >= 2 and all(p.name == "in" for p in premises) \
                    and inner.name in FUNCTION_RELATIONS:
                # typing premises only (cons(x, l) is never nil, node(l, x, r) never leaf):
                # instances only where the term exists -- the only ones rule 1 can use --
                # not for every pair or triple of typed names (every Nat term of a block
                # times every list term)
                n_in = FUNCTION_RELATIONS[inner.name]
                premises.insert(0, Atom(inner.name, inner.args[:n_in] + ("?out",)
                                        + inner.args[n_in + 1:]))
            plan = self._plan((id(rule), -1, frozenset()), premises, frozenset())
            for found in self._run(plan, 0, {}) if plan is not None else ():      # rule 3
                if all(x in found or not is_var(x) for x in inner.args):
                    self._falsify((inner.name,) + tuple(found[x] if is_var(x) else find(x)
                                                        for x in inner.args))
                if self.contradiction or self._done():
                    return
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
