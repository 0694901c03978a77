"""Prove statements about an anchor: directly in a block, or by the theory's induction axiom.

``Prover`` owns one kernel session.  It derives the anchor's axioms as root facts
(premise, definition expansion, and-elim), keeps a root block whose rules are the
axioms and every theorem proved so far, and proves a closed statement
``(>[x..] P Q)`` by opening a block that fixes fresh x.., assumes P and chains
forward to Q.  Induction instantiates the induction axiom by comprehension with
the statement itself as predicate; base and step cases are ordinary blocks (the
induction hypothesis is a hypothesis of the step block and so one of its rules).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from enum import Enum

from ..kernel import Fact, KernelError
from ..kernel.replay import replay_theorem
from ..kernel.rules import Session
from ..mpl.ast import And, Atom, Expr, Implies, Not, conj, flatten_and, substitute
from ..mpl.signature import FUNCTION_RELATIONS, Signature, derive_signature
from ..mpl.sorts import INDUCTIVE, sorts_of, variable_sorts
from ..mpl.theory import Theory
from .block import Block, BlockLimits, RuleBook
from .compile import is_var
from .extract import stuck_equations

__all__ = ["Prover", "ProveOptions", "Attempt", "StopReason"]


class StopReason(Enum):
    PROVED = "proved"
    SATURATED = "saturated"
    CYCLE_LIMIT = "cycle-limit"
    TERM_LIMIT = "term-limit"
    TIME_LIMIT = "time-limit"


@dataclass(frozen=True)
class ProveOptions:
    """Every limit of a proof attempt, in one place."""
    rounds: int = 6            # forward-chaining rounds per block
    witnesses: int = 60        # witnesses a block may create
    depth: int = 3             # term depth of witnesses
    facts: int = 3000          # facts per block
    induction: bool = True
    candidates: int = 2        # induction variables tried per statement
    nested: int = 0            # inductions allowed inside an induction's cases (case analysis)
    cases: int = 2             # nested case splits on the value of a Bool-like term
    time_limit: float = 20.0   # seconds per statement (a safety net; budgets above decide)


@dataclass
class Attempt:
    statement: Expr
    status: StopReason
    fact: Fact | None = None
    method: str = "direct"
    seconds: float = 0.0
    tried: list[str] = field(default_factory=list)
    stuck: list[tuple] = field(default_factory=list)   # open equations of failed cases


class Prover:
    def __init__(self, theory: Theory, anchor: str | None = None,
                 options: ProveOptions = ProveOptions(), session: Session | None = None):
        """``session``: prove in an existing session (its theorems stay available to
        ``add_theorem``) instead of a new one; it must be about the same anchor."""
        self.theory = theory
        self.options = options
        definition = theory.default_anchor() if anchor is None else theory.anchor(anchor)
        self.signature: Signature = theory.signature if anchor is None else \
            derive_signature(theory, definition.name)
        defs = {name: (d.params, d.body) for name, d in theory.definitions.items()}
        root = Atom(definition.name, definition.params)
        if session is not None and session.anchor is not root:
            raise ValueError(f"the session is about {session.anchor}, not {root}")
        self.session = session if session is not None else Session(defs, root)
        self.stuck: list[tuple] | None = None     # collects Attempt.stuck while proving
        self.collect_stuck = False                # collect for every attempt (explorer)
        self.last_stuck: list[tuple] = []         # the last attempt's stuck equations
        self.operators = self.signature.operator_names
        self.limits = BlockLimits(options.rounds, options.witnesses, options.depth, options.facts)
        self.axioms = self._derive_axioms()
        induction_indices = {ind.index for ind in self.signature.induction}
        self.induction = [(self.axioms[ind.index], ind) for ind in self.signature.induction]
        self.sorts = sorts_of(self.signature)
        self.induction_by_sort: dict[str, tuple[Fact, object]] = {}
        for fact, ind in self.induction:      # the first axiom over each set
            self.induction_by_sort.setdefault(ind.carrier, (fact, ind))
        # sets all of whose elements are constants (Bool: false, true): a term of one
        # has one of finitely many values, and a stuck goal may be split on which
        self.enumerated = {name for name, sort in self.sorts.items()
                           if sort.kind == INDUCTIVE and not sort.constructors
                           and name in self.induction_by_sort}
        self.splits = 0                       # case splits open around the current block
        self.root = Block(self.session, self.session.root, RuleBook(self.operators),
                          BlockLimits(rounds=4, witnesses=0, depth=0, facts=options.facts))
        for i, fact in enumerate(self.axioms):
            if i not in induction_indices:
                self.root.add(fact)
        for _ in range(4):
            if not self.root.round():
                break

    # -- root facts -------------------------------------------------------------------
    def _derive_axioms(self) -> list[Fact]:
        s = self.session
        out: list[Fact] = []

        # depth first, facts made in the order a recursive walk would make them (so the
        # proof graphs' step numbers stay put); an explicit stack, as definitions may nest
        # deeply.  An entry is (fact, next conjunct to take) once the fact is an And.
        stack: list[list] = []

        def visit(fact: Fact) -> None:
            while isinstance(fact.expr, Atom) and fact.expr.name in s.definitions:
                fact = s.expand(fact)
            if isinstance(fact.expr, And):
                stack.append([fact, 0, len(flatten_and(fact.expr))])
            else:
                out.append(fact)

        visit(s.premise(s.root, 0))
        while stack:
            top = stack[-1]
            if top[1] == top[2]:
                stack.pop()
                continue
            top[1] += 1
            visit(s.and_elim(top[0], top[1] - 1))
        if [f.expr for f in out] != list(self.signature.axioms):
            raise KernelError("derived axioms differ from the signature's axiom list")
        return out

    def add_theorem(self, name: str, statement: Expr) -> None:
        self.root.add(self.session.theorem(name))

    def adopt(self, name: str, entry: dict, broadcast: bool = True) -> None:
        """Make a theorem of a proof recorded elsewhere (a graph entry): its steps are
        replayed through the kernel first (``kernel.replay``; ReplayError if they fail)."""
        replay_theorem(self.session, entry, name)
        if broadcast:
            self.add_theorem(name, self.session.theorems[name])

    def assume(self, name: str, statement: Expr, broadcast: bool = True) -> None:
        """A worker's copy of a theorem the explorer already checked: unchecked here, which
        makes this a scratch session (its proofs are replayed where they are used)."""
        self.session.assume_theorem(name, statement)
        if broadcast:
            self.add_theorem(name, statement)

    def record(self, name: str, attempt: Attempt, broadcast: bool = True) -> None:
        """Make a proved statement a theorem; broadcast it to later blocks as a rule."""
        self.session.conclude_theorem(name, attempt.fact, attempt.statement)
        if broadcast:
            self.add_theorem(name, attempt.statement)

    # -- proving ----------------------------------------------------------------------
    def prove(self, statement: Expr, induction: bool | None = None,
              tag: str | None = None, deadline: float | None = None,
              stuck: bool = False) -> Attempt:
        """Prove a closed statement; ``tag`` (if given) names the attempt's fresh names;
        ``deadline`` (a ``time.perf_counter`` value) ends it sooner than its time limit;
        ``stuck``: keep the open equations of failed induction cases (``Attempt.stuck``)."""
        self.session.begin_scope(tag)
        self.stuck = [] if stuck or self.collect_stuck else None
        start = time.perf_counter()
        deadline = min(start + self.options.time_limit,
                       deadline if deadline is not None else float("inf"))
        if not isinstance(statement, Implies):
            raise ValueError("a statement is an implication (>[x..] P Q)")
        use_induction = self.options.induction if induction is None else induction
        attempt = Attempt(statement, StopReason.SATURATED)
        fact = self._block_proof(self.root, statement, "goal", deadline)
        attempt.tried.append("direct")
        if fact is None and use_induction:
            for var in self.induction_candidates(statement):
                if time.perf_counter() > deadline:
                    attempt.status = StopReason.TIME_LIMIT
                    break
                attempt.tried.append(f"induction on {var}")
                fact = self._induction_proof(statement, var, deadline)
                if fact is not None:
                    attempt.method = f"induction on {var}"
                    break
        attempt.seconds = time.perf_counter() - start
        attempt.stuck, self.stuck = self.stuck or [], None
        self.last_stuck = attempt.stuck
        if fact is not None:
            attempt.fact = fact
            attempt.status = StopReason.PROVED
        return attempt

    def induction_axiom(self, statement: Implies, var: str):
        """(axiom fact, InductionAxiom) for induction on ``var``: the axiom over the
        variable's sort; with a single induction axiom, also for a variable whose sort
        the statement leaves open.  None when no axiom covers it."""
        sort = variable_sorts(statement, self.signature).get(var)
        if sort is None:
            return self.induction[0] if len(self.induction) == 1 else None
        return self.induction_by_sort.get(sort)

    def induction_candidates(self, statement: Implies) -> list[str]:
        """Variables to try induction on, best first: those of an inductive sort, ranked
        by how often they occur as operator arguments, recursion positions counting more."""
        if not self.induction:
            return []
        positions = self.signature.recursion_positions
        sorts = variable_sorts(statement, self.signature)
        inductive = {v for v in statement.vars
                     if (sorts.get(v) in self.induction_by_sort
                         or (v not in sorts and len(self.induction) == 1))}
        score: dict[str, int] = {}
        for p in flatten_and(statement.premise):
            if isinstance(p, Atom) and p.name in FUNCTION_RELATIONS and p.args[-1] in self.operators:
                n_in = FUNCTION_RELATIONS[p.name]
                for i, arg in enumerate(p.args[:n_in]):
                    if arg in inductive:
                        bonus = 2 if i in positions.get(p.args[-1], ()) else 0
                        score[arg] = score.get(arg, 0) + 1 + bonus
        ranked = sorted(score, key=lambda v: (-score[v], statement.vars.index(v)))
        return ranked[:self.options.candidates]

    def _case_limits(self, hypotheses: int) -> BlockLimits:
        """Limits of an induction case: a step with k > 1 induction hypotheses (a
        constructor with k recursive arguments, node(l, x, r)) rewrites with each, so it
        gets k times the witnesses and k - 1 more levels of term depth."""
        if hypotheses <= 1:
            return self.limits
        return replace(self.limits, witnesses=self.limits.witnesses * hypotheses,
                       depth=self.limits.depth + hypotheses - 1)

    def _block_proof(self, parent: Block, statement: Implies, label: str,
                     deadline: float, level: int = 0,
                     limits: BlockLimits | None = None) -> Fact | None:
        """Prove (>[x..] P Q) in a new child block of ``parent``; the implies-intro fact."""
        s = self.session
        fresh = s.fresh_names(statement.vars)
        mapping = dict(zip(statement.vars, fresh))
        hypothesis = substitute(statement.premise, mapping)
        goal = substitute(statement.conclusion, mapping)
        ctx = s.open_block(parent.ctx, tuple(fresh), hypothesis, label)
        block = Block(s, ctx, parent.rules, limits or self.limits, parent=parent)
        for i in range(len(ctx.premises)):
            block.add(s.premise(ctx, i))
        result = self._achieve(block, goal, deadline, level)
        return s.implies_intro(ctx, result) if result is not None else None

    def _achieve(self, block: Block, goal: Expr, deadline: float, level: int = 0) -> Fact | None:
        """Prove ``goal`` in ``block``.  ``level`` counts the inductions this block lies in;
        inside one (and up to ``options.nested`` deep) an implication subgoal that does
        not follow directly is tried by induction in the block itself."""
        s = self.session
        parts = flatten_and(goal)
        atoms = [g for g in parts if isinstance(g, Atom)]
        negations = [g for g in parts if isinstance(g, Not) and isinstance(g.body, Atom)]
        existentials = [g for g in parts if isinstance(g, Not) and not isinstance(g.body, Atom)]
        for r in range(self.options.rounds):
            if block.contradiction or (all(block.holds(a) for a in atoms)
                                       and all(n in block.exact for n in negations)
                                       and (not existentials or r >= 2)):
                break
            if r == 1:
                self._seed_goal_terms(block, atoms)
            changed = block.round()
            if not changed and r >= 1 or time.perf_counter() > deadline:
                break
        if block.contradiction:
            _, negation = block.contradiction
            fact = block.exact_fact(negation.expr.body)
            return s.contradiction(fact, negation, goal, block.ctx)
        facts = []
        for part in parts:
            if isinstance(part, Atom):
                fact = block.exact_fact(part) if block.holds(part) else None
            elif isinstance(part, Implies):
                fact = self._block_proof(block, part, "subgoal", deadline, level, block.limits)
                if fact is None and 0 < level <= self.options.nested and self.induction:
                    for var in self.induction_candidates(part):
                        if time.perf_counter() > deadline:
                            break
                        fact = self._induction_proof(part, var, deadline, block, level)
                        if fact is not None:
                            break
            elif isinstance(part, Not) and isinstance(part.body, Atom):
                fact = block.exact.get(part)   # proved when a rule derived exactly it
            else:
                fact = self._exists(block, part)
            if fact is None:
                if level > 0 and isinstance(part, Atom) and self.stuck is not None:
                    self._note_stuck(block, part)
                return self._by_cases(block, goal, deadline, level)
            facts.append(fact)
        if len(facts) == 1:
            return facts[0]
        if conj(f.expr for f in facts) is goal:
            return s.and_intro(facts, block.ctx)
        return None

    def _by_cases(self, block: Block, goal: Expr, deadline: float, level: int) -> Fact | None:
        """``goal`` by cases on the value of an operator term of an enumerated set (the
        ite conditions of a definition, ``==(x, y)`` in Bool): for the term's output w,
        prove (>[b] (&(in[b,S]) op(args, b)) goal) by induction on b -- one case per
        constant -- and apply it to w.  Up to ``options.cases`` splits nest, and per
        block the first ``options.candidates`` undecided terms are tried."""
        if not self.enumerated or self.splits >= self.options.cases or \
                time.perf_counter() > deadline:
            return None
        if self._guard_terms(block):
            block.round(deadline)
        s, find = self.session, block.uf.find
        decided = {find(c) for name in self.enumerated for c in self.sorts[name].bases
                   if c in block.uf.parent}
        tried: list[str] = []
        for fact in sorted(block.canon.values(), key=lambda f: f.id):
            atom = fact.expr
            op = self.signature.operator(atom.args[-1]) \
                if atom.name in FUNCTION_RELATIONS and atom.args[-1] in self.operators else None
            if op is None or op.codomain not in self.enumerated:
                continue
            n_in = FUNCTION_RELATIONS[atom.name]
            out = atom.args[n_in]
            typed = Atom("in", (out, op.codomain))
            if find(out) in decided or find(out) in tried or not block.holds(typed):
                continue
            tried.append(find(out))
            (b,) = s.fresh_names(["b"])
            defining = Atom(atom.name, atom.args[:n_in] + (b,) + atom.args[n_in + 1:])
            statement = Implies((b,), conj([Atom("in", (b, op.codomain)), defining]), goal)
            self.splits += 1
            try:
                general = self._induction_proof(statement, b, deadline, block, level)
            finally:
                self.splits -= 1
            if general is not None:
                premises = [block.exact_fact(typed), block.exact_fact(atom)]
                try:
                    return s.modus_ponens(general, {b: out}, premises, block.ctx)
                except KernelError:
                    return None
            if len(tried) >= self.options.candidates or time.perf_counter() > deadline:
                break
        return None

    def _guard_terms(self, block: Block) -> int:
        """Build the terms the block's rules test against a constant of an enumerated
        set and cannot build themselves: for count(x, cons(y, l)) guarded by
        ==(x, y) = true, the term ==(x, y) wherever count(x, cons(y, l)) exists (the
        rule's own term and the constructor terms of its premises, joined).  Returns
        how many were built."""
        constants = {c for name in self.enumerated for c in self.sorts[name].bases}
        constructors = {c for sort in self.sorts.values() for c in sort.constructors}
        built, seen = 0, set()
        for o in block.rules.orientations:
            rule = o.rule
            if id(rule) in seen or rule.kind != "atom" or not isinstance(rule.terminal, Atom):
                continue
            seen.add(id(rule))
            head = rule.terminal
            if head.name not in FUNCTION_RELATIONS or head.args[-1] not in self.operators:
                continue
            n_out = FUNCTION_RELATIONS[head.name]
            guards = [p for p in rule.premises if p.name in FUNCTION_RELATIONS
                      and p.args[-1] in self.operators
                      and p.args[FUNCTION_RELATIONS[p.name]] in constants]
            if not guards:
                continue
            shapes = [p for p in rule.premises if p.name in FUNCTION_RELATIONS
                      and p.args[-1] in constructors]
            trigger = Atom(head.name, head.args[:n_out] + ("?t",) + head.args[n_out + 1:])
            match = tuple((a.name, tuple((is_var(x), x) for x in a.args))
                          for a in [trigger] + shapes)
            pattern = block.facts.encode(match, block.uf.find)
            if pattern is None:
                continue
            _, values = block.facts.join(pattern, False)
            names = block.facts.names
            for bound in values:
                binding = dict(zip(pattern.variables, map(names.__getitem__, bound)))
                for g in guards:
                    n_in = FUNCTION_RELATIONS[g.name]
                    ins = tuple(binding.get(x, x) if is_var(x) else x for x in g.args[:n_in])
                    if all(not is_var(x) for x in ins) and \
                            block.make_term(g.name, g.args[-1], ins) is not None:
                        built += 1
        return built

    def _note_stuck(self, block: Block, goal: Atom) -> None:
        """Keep the open goal of a failed induction case as an equation between terms of
        the case's variables (``extract.stuck_equations``), for ``Attempt.stuck``."""
        variables, ctx = set(), block.ctx
        while ctx is not None:
            variables.update(ctx.vars)
            ctx = ctx.parent
        constants = {c.name for c in self.signature.constants}
        for equation in stuck_equations(block, goal, variables - constants, constants,
                                        self.operators):
            if equation not in self.stuck:
                self.stuck.append(equation)

    def _exists(self, block: Block, goal: Expr) -> Fact | None:
        """Prove ``!(>[y] A !B)`` (A, B atoms) by naming a y: the output of the operator
        term B describes (built if needed), else any name the block knows."""
        if not (isinstance(goal, Not) and isinstance(goal.body, Implies)
                and len(goal.body.vars) == 1 and isinstance(goal.body.conclusion, Not)):
            return None
        inner = goal.body
        y, first, second = inner.vars[0], inner.premise, inner.conclusion.body
        if not (isinstance(first, Atom) and isinstance(second, Atom)):
            return None
        candidates = []
        if second.name in FUNCTION_RELATIONS and second.args[-1] in self.operators:
            n_in = FUNCTION_RELATIONS[second.name]
            if second.args[n_in] == y and y not in second.args[:n_in]:
                made = block.make_term(second.name, second.args[-1], second.args[:n_in])
                if made is not None:
                    candidates.append(made)
        candidates.extend(sorted(block.uf.parent))
        for name in candidates:
            a = substitute(first, {y: name})
            b = substitute(second, {y: name})
            if block.holds(a) and block.holds(b):
                return self.session.exists_intro(goal, {y: name}, block.exact_fact(a),
                                                 block.exact_fact(b), block.ctx)
        return None

    def _seed_goal_terms(self, block: Block, atoms: list[Atom]) -> None:
        for a in atoms:
            if a.name in FUNCTION_RELATIONS and a.args[-1] in self.operators:
                n_in = FUNCTION_RELATIONS[a.name]
                block.make_term(a.name, a.args[-1], a.args[:n_in])

    def _induction_proof(self, statement: Implies, var: str, deadline: float,
                         parent: Block | None = None, level: int = 0) -> Fact | None:
        """``statement`` by induction on ``var``, in ``parent`` (default: the root; a
        block when this is a case analysis inside another induction's case)."""
        s = self.session
        parent = parent or self.root
        chosen = self.induction_axiom(statement, var)
        if chosen is None:
            return None
        axiom, info = chosen
        rest = tuple(v for v in statement.vars if v != var)
        predicate = Implies(rest, statement.premise, statement.conclusion)
        try:
            instance = s.induction(axiom, var, predicate, parent.ctx)
        except KernelError:
            return None
        cases = []
        for part in flatten_and(instance.expr.premise):
            if not isinstance(part, Implies):
                return None
            hypotheses = sum(isinstance(p, Implies) for p in flatten_and(part.premise))
            label = "induction step" if hypotheses else "induction base"
            fact = self._block_proof(parent, part, label, deadline, level + 1,
                                     self._case_limits(hypotheses))
            if fact is None and self.stuck is None:
                return None
            cases.append(fact)        # when collecting, the other cases are still tried
        if any(c is None for c in cases):
            return None
        joined = cases[0] if len(cases) == 1 else s.and_intro(cases, parent.ctx)
        every = s.modus_ponens(instance, {}, [joined], parent.ctx)   # ∀n. n ∈ N → φ(n)
        # the statement itself, in a block: type the variable, instantiate, apply
        fresh = s.fresh_names(statement.vars)
        mapping = dict(zip(statement.vars, fresh))
        ctx = s.open_block(parent.ctx, tuple(fresh), substitute(statement.premise, mapping),
                           "by induction")
        block = Block(s, ctx, parent.rules, self.limits, parent=parent)
        hyps = [s.premise(ctx, i) for i in range(len(ctx.premises))]
        for h in hyps:
            block.add(h)
        x = mapping[var]
        typed = Atom("in", (x, info.carrier))
        for _ in range(2):
            if block.holds(typed):
                break
            block.round()
        if not block.holds(typed):
            return None
        inner = every.expr
        phi_x = s.modus_ponens(every, {inner.vars[0]: x}, [block.exact_fact(typed)], ctx)
        phi = phi_x.expr
        binding = {phi.vars[i]: mapping[v] for i, v in enumerate(rest)}
        try:
            result = s.modus_ponens(phi_x, binding, hyps, ctx)
        except KernelError:
            return None
        return s.implies_intro(ctx, result)

