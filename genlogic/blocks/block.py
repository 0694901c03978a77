"""A logic block: one proof context with its memory, rules and goal.

Memory is a set of ground atoms over names plus a proof-producing union-find, read
as an e-graph: an operator atom ``in3[x,y,z,f]`` is the node f(x, y) in class z.
A round of the block's loop:

1. join every rule orientation against the facts, semi-naively (each match uses at
   least one fact that is new or whose classes changed since the last round);
2. for each match, build the missing operator atoms (witnesses from the theory's own
   totality axioms, up to a depth and a count), fetch the exact premise facts
   (eq-subst along union-find explanations) and fire the rule through the kernel;
3. rebuild the congruence table; two nodes f(x..) with equal inputs and different
   outputs are merged by the theory's single-valuedness axiom, fired like any rule.

Every fact in memory came from a kernel rule; the block only decides what to ask.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ..kernel import Context, Fact, KernelError
from ..kernel.rules import Session
from ..mpl.ast import Atom, Expr, Implies, Not
from ..mpl.signature import FUNCTION_RELATIONS
from .compile import (Orientation, Rule, compile_fact, functionality_key, is_var, orientations,
                      totality_key)
from .join import FactTable
from .unionfind import UnionFind

__all__ = ["Block", "RuleBook", "BlockLimits"]


@dataclass(frozen=True)
class BlockLimits:
    rounds: int = 8
    witnesses: int = 40
    depth: int = 3
    facts: int = 4000
    # value->term orientations build a bigger term from a known value (count(x, l) gives
    # count(x, cons(y, l))): what proofs need, but it grows a ground model without end
    grow: bool = True


class RuleBook:
    """Compiled rules visible in a block: forward orientations, totality, functionality."""

    def __init__(self, operators: set[str]):
        self.operators = operators
        self.orientations: list[Orientation] = []
        self.totality: dict[tuple[str, str], Rule] = {}
        self.functionality: dict[tuple[str, str], Rule] = {}
        self.sources: set[int] = set()

    def copy(self) -> "RuleBook":
        other = RuleBook(self.operators)
        other.orientations = list(self.orientations)
        other.totality = dict(self.totality)
        other.functionality = dict(self.functionality)
        other.sources = set(self.sources)
        return other

    def add_fact(self, fact: Fact) -> list[Orientation]:
        if fact.id in self.sources or not isinstance(fact.expr, Implies):
            return []
        self.sources.add(fact.id)
        added = []
        for rule in compile_fact(fact):
            key = totality_key(rule, self.operators)
            if key is not None:
                self.totality.setdefault(key, rule)
                continue
            key = functionality_key(rule, self.operators)
            if key is not None:
                self.functionality.setdefault(key, rule)
                continue
            for o in orientations(rule, self.operators):
                self.orientations.append(o)
                added.append(o)
        return added


class Block:
    """Memory and forward chaining for one context (see module docstring)."""

    def __init__(self, session: Session, ctx: Context, rules: RuleBook, limits: BlockLimits,
                 parent: "Block | None" = None):
        self.session = session
        self.ctx = ctx
        self.limits = limits
        self.rules = rules.copy()
        if parent is None:
            self.uf = UnionFind()
            self.exact: dict[Expr, Fact] = {}
            self.depth: dict[str, int] = {}
            self.eq_cache: dict[tuple[str, str], Fact] = {}
            self.fired: set = set()
        else:
            self.uf = parent.uf.copy()
            self.exact = dict(parent.exact)
            self.depth = dict(parent.depth)
            self.eq_cache = dict(parent.eq_cache)
            self.fired = set(parent.fired)
        for name in ctx.vars:
            self.depth.setdefault(name, 0)
            self.uf.add(name)
        self.witness_count = 0
        self.canon: dict[tuple, Fact] = {}
        self.table: dict[tuple, Fact] = {}
        self.negative: dict[tuple, Fact] = {}
        self.facts = FactTable()                 # canonical keys as integer rows, for joins
        self.row_of: dict[tuple, int] = {}
        self.row_facts: list[Fact] = []
        self.delta: set[tuple] = set()
        self.contradiction: tuple[Fact, Fact] | None = None
        self.fresh_orientations: list[Orientation] = []
        self._pending_congruence: list = []
        self.rebuild(all_new=parent is None)
        if parent is not None:   # what the parent has not yet chained on, this block will
            self.delta = set(parent.delta) | (set(self.canon) - set(parent.canon))
            self.fresh_orientations = list(parent.fresh_orientations)

    # -- memory --------------------------------------------------------------------
    def add(self, fact: Fact) -> None:
        """Take a kernel fact into memory (atoms, negations, equations, rules)."""
        expr = fact.expr
        if expr in self.exact:
            return
        self.exact[expr] = fact
        if isinstance(expr, Implies):
            self.fresh_orientations.extend(self.rules.add_fact(fact))
            return
        if isinstance(expr, Atom):
            for name in expr.args:
                self.uf.add(name)
                self.depth.setdefault(name, 0)
            if expr.name == "=":
                self.uf.union(expr.args[0], expr.args[1], fact)
                self.eq_cache.setdefault((expr.args[0], expr.args[1]), fact)
            self._index(fact)
        elif isinstance(expr, Not) and isinstance(expr.body, Atom):
            key = self._canon_key(expr.body)
            self.negative.setdefault(key, fact)
            if key in self.canon:
                self.contradiction = (self.canon[key], fact)

    def _canon_key(self, atom: Atom) -> tuple:
        find = self.uf.find
        return (atom.name,) + tuple(find(a) for a in atom.args)

    def _index(self, fact: Fact) -> None:
        atom = fact.expr
        if atom.name == "=":
            return
        key = self._canon_key(atom)
        if key in self.canon:
            return
        self.canon[key] = fact
        self.delta.add(key)
        self.row_of[key] = self.facts.add(key)
        self.row_facts.append(fact)
        if key in self.negative:
            self.contradiction = (fact, self.negative[key])
        if atom.name in FUNCTION_RELATIONS:
            n_in = FUNCTION_RELATIONS[atom.name]
            tkey = (atom.name, atom.args[-1]) + key[1:n_in + 1]
            other = self.table.get(tkey)
            if other is None:
                self.table[tkey] = fact
            elif not self.uf.same(other.expr.args[n_in], atom.args[n_in]):
                self._pending_congruence.append((other, fact))

    def rebuild(self, all_new: bool = False) -> None:
        """Re-canonicalise memory after merges; run congruence to a fixpoint.  Keys that
        did not exist before the rebuild form the new delta."""
        old_keys = set() if all_new else set(self.canon)
        while True:
            facts = sorted((f for f in self.exact.values() if isinstance(f.expr, Atom)
                            and f.expr.name != "="), key=lambda f: f.id)
            self.canon, self.table, self.row_of, self.row_facts = {}, {}, {}, []
            self.facts.clear()
            self._pending_congruence = []
            negs = list(self.negative.values())
            self.negative = {}
            for n in negs:
                self.negative.setdefault(self._canon_key(n.expr.body), n)
            for f in facts:
                self._index(f)
            if not self._pending_congruence:
                break
            for first, second in self._pending_congruence:
                self._congruence(first, second)
        self.delta = {k for k in self.canon if k not in old_keys}

    def _congruence(self, first: Fact, second: Fact) -> None:
        a, b = first.expr, second.expr
        n_in = FUNCTION_RELATIONS[a.name]
        if self.uf.same(a.args[n_in], b.args[n_in]):
            return
        rule = self.rules.functionality.get((a.name, a.args[-1]))
        if rule is None:
            return
        # the second fact restated with the first one's inputs (fire fetches it by eq-subst)
        target = Atom(b.name, a.args[:n_in] + (b.args[n_in], b.args[-1]))
        binding = self._bind_premises(rule, [a, target])
        if binding is None:
            return
        self.fire(rule, binding)

    # -- exact facts -----------------------------------------------------------------
    def equality(self, a: str, b: str) -> Fact:
        """A fact ``=[a,b]`` built from the union-find's explanation."""
        cached = self.eq_cache.get((a, b))
        if cached is not None:
            return cached
        s = self.session
        if a == b:
            fact = s.eq_refl(a, self.ctx)
        else:
            fact = None
            current = a
            for x, y, label in self.uf.explain(a, b):
                step = label if label.expr.args == (x, y) else s.eq_symm(label, self.ctx)
                fact = step if fact is None else s.eq_trans(fact, step, self.ctx)
                current = y
            assert current == b
        self.eq_cache[(a, b)] = fact
        self.exact.setdefault(fact.expr, fact)
        return fact

    def holds(self, atom: Atom) -> bool:
        if atom.name == "=":
            return self.uf.same(*atom.args)
        return self._canon_key(atom) in self.canon

    def exact_fact(self, atom: Atom) -> Fact | None:
        """A fact whose expression is exactly ``atom``, moved there by eq-subst if needed."""
        fact = self.exact.get(atom)
        if fact is not None:
            return fact
        if atom.name == "=":
            return self.equality(*atom.args) if self.uf.same(*atom.args) else None
        fact = self.canon.get(self._canon_key(atom))
        if fact is None:
            return None
        for i, want in enumerate(atom.args):
            have = fact.expr.args[i]
            if have != want:
                fact = self.session.eq_subst(fact, self.equality(have, want), i, self.ctx)
        self.exact.setdefault(atom, fact)
        return fact

    # -- witnesses -------------------------------------------------------------------
    def make_term(self, relation: str, op: str, inputs: tuple[str, ...]) -> str | None:
        """The class of op(inputs): an existing node, or a new witness from totality."""
        key = (relation, op) + tuple(self.uf.find(x) for x in inputs)
        existing = self.table.get(key)
        if existing is not None:
            return existing.expr.args[len(inputs)]
        rule = self.rules.totality.get((relation, op))
        if rule is None or self.witness_count >= self.limits.witnesses:
            return None
        depth = 1 + max((self.depth.get(x, 0) for x in inputs), default=0)
        if depth > self.limits.depth:
            return None
        binding = {}
        for var, name in zip(_existence_inputs(rule), inputs):
            binding[var] = name
        facts = self._premise_facts(rule, binding)
        if facts is None:
            return None
        existence = self._run_ops(rule, binding, facts)
        witness = self.session.fresh_name("w")
        both = self.session.exists_elim(existence, (witness,), self.ctx)
        self.witness_count += 1
        self.depth[witness] = depth
        self.uf.add(witness)
        for i in range(2):
            self.add(self.session.and_elim(both, i, self.ctx))
        return witness

    # -- firing ------------------------------------------------------------------------
    def _bind_premises(self, rule: Rule, facts: list[Atom]) -> dict | None:
        """Binding of the rule's variables read off concrete premise atoms (in order)."""
        binding: dict[str, str] = {}
        pattern = [p for p in rule.premises if p.name != "in"]
        for pat, atom in zip(pattern, facts):
            for x, a in zip(pat.args, atom.args):
                if is_var(x):
                    if binding.setdefault(x, a) != a:
                        return None
        return binding

    def _premise_facts(self, rule: Rule, binding: dict) -> list[list[Fact]] | None:
        stages = []
        for op in rule.ops:
            if op[0] != "mp":
                continue
            facts = []
            for p in op[2]:
                if any(is_var(a) and a not in binding for a in p.args):
                    return None
                atom = Atom(p.name, tuple(binding.get(a, a) for a in p.args))
                fact = self.exact_fact(atom)
                if fact is None:
                    return None
                facts.append(fact)
            stages.append(facts)
        return stages

    def _run_ops(self, rule: Rule, binding: dict, stages: list[list[Fact]]) -> Fact:
        s = self.session
        current = rule.source
        stage = 0
        for op in rule.ops:
            if op[0] == "mp":
                actual = current.expr
                subst = {actual.vars[i]: binding[v] for i, v in enumerate(op[1])}
                current = s.modus_ponens(current, subst, stages[stage], self.ctx)
                stage += 1
            else:
                current = s.and_elim(current, op[1], self.ctx)
        return current

    def fire(self, rule: Rule, binding: dict) -> Fact | None:
        """Fire ``rule`` under a complete binding; add and return the conclusion."""
        terminal = rule.terminal
        atom = terminal if isinstance(terminal, Atom) else terminal.body
        concrete = Atom(atom.name, tuple(binding.get(a, a) for a in atom.args))
        if isinstance(terminal, Atom) and self.holds(concrete):
            return None
        if isinstance(terminal, Not) and self._canon_key(concrete) in self.negative:
            return None
        stages = self._premise_facts(rule, binding)
        if stages is None:
            return None
        try:
            fact = self._run_ops(rule, binding, stages)
        except KernelError:
            return None
        self.add(fact)
        return fact

    # -- the loop ----------------------------------------------------------------------
    def matches(self, o: Orientation, use_delta: bool):
        """The orientation's pattern joined against memory, in the join's fixed order:
        (pattern variables, [(matched fact ids, class id per variable), ...]).
        Semi-naive when ``use_delta``: each match uses a fact of the round's delta."""
        pattern = self.facts.encode(o.pattern, self.uf.find)
        if pattern is None:
            return (), []
        rows, values = self.facts.join(pattern, use_delta)
        facts = self.row_facts
        return pattern.variables, [(tuple(facts[r].id for r in chosen if r >= 0), bound)
                                   for chosen, bound in zip(rows, values)]

    def apply(self, o: Orientation, binding: dict) -> None:
        binding = {k: v for k, v in binding.items() if not k.startswith("?")}
        for atom in o.construct:
            n_in = FUNCTION_RELATIONS[atom.name]
            inputs = tuple(binding.get(a, a) for a in atom.args[:n_in])
            out = self.make_term(atom.name, atom.args[-1], inputs)
            if out is None:
                return
            binding[atom.args[n_in]] = out
        for g in o.guards:
            if not self.holds(Atom(g.name, tuple(binding.get(a, a) for a in g.args))):
                return
        self.fire(o.rule, binding)

    def round(self, deadline: float | None = None) -> bool:
        """One round over all orientations; True when memory changed.  ``deadline`` (a
        ``time.perf_counter`` value) cuts the round short: the matches not yet applied
        are dropped, so what is derived stays true and only less of it is known."""
        delta = self.delta
        if not delta and not self.fresh_orientations:
            return False
        self.delta = set()
        before = (len(self.exact), self.witness_count)
        fresh = {id(o) for o in self.fresh_orientations}
        self.fresh_orientations = []
        row_of, names = self.row_of, self.facts.names
        self.facts.set_delta([row_of[key] for key in delta if key in row_of])
        applied = 0
        for o in list(self.rules.orientations):
            if deadline is not None and time.perf_counter() > deadline:
                break
            if not self.limits.grow and o.label == "value->term":
                continue
            variables, found = self.matches(o, id(o) not in fresh)
            for fact_ids, bound in found:
                applied += 1
                if deadline is not None and applied % 256 == 0 \
                        and time.perf_counter() > deadline:
                    break
                # the same facts never fire the same orientation twice (merges keep facts)
                key = (id(o), fact_ids)
                if key in self.fired:
                    continue
                self.fired.add(key)
                self.apply(o, dict(zip(variables, map(names.__getitem__, bound))))
                if len(self.exact) > self.limits.facts:
                    break
        pending, self.delta = self.delta, set()   # rebuild re-indexes into self.delta
        self.rebuild()
        self.delta |= {k for k in pending if k in self.canon}
        return (len(self.exact), self.witness_count) != before


def _existence_inputs(rule: Rule) -> list[str]:
    atom = rule.terminal.body.conclusion.body
    n_in = FUNCTION_RELATIONS[atom.name]
    return list(atom.args[:n_in])
