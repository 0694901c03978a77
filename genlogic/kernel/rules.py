"""The inference rules (DESIGN 4).  Each method checks its premises and returns a Fact.

Notation in the docstrings: premises above the line, conclusion below, ``Γ`` the
context.  A premise may come from the context or any of its ancestors.  Names that
a rule introduces (block variables, witnesses) are fresh in the whole session.
"""

from __future__ import annotations

from typing import Iterable, Mapping

from ..mpl.ast import And, Atom, Expr, Implies, Not, conj, flatten_and, free_names, substitute
from ..mpl.ast import alpha_equal, alpha_key, rename_bound
from .core import _MINT, Context, Fact, Justification, KernelError

__all__ = ["Session", "anchor_axioms", "comprehension", "is_induction_axiom"]


def anchor_axioms(definitions: Mapping[str, tuple[tuple[str, ...], Expr]],
                  anchor: Atom) -> list[Expr]:
    """The statements the anchor asserts: its body with defined atoms expanded and
    conjunctions split, left to right (iteratively: definitions may nest deeply)."""
    out: list[Expr] = []
    stack: list[Expr] = [anchor]
    while stack:
        node = stack.pop()
        if isinstance(node, Atom) and node.name in definitions:
            params, body = definitions[node.name]
            stack.append(substitute(body, dict(zip(params, node.args))))
        elif isinstance(node, And):
            stack.append(node.right)
            stack.append(node.left)
        else:
            out.append(node)
    return out


def is_induction_axiom(expr: Expr) -> bool:
    """True for ``(>[M] A B)`` whose one variable M occurs only as ``in[t,M]``."""
    if not (isinstance(expr, Implies) and len(expr.vars) == 1):
        return False
    try:
        comprehension(expr, "x", Atom("=", ("x", "x")))
    except KernelError:
        return False
    return True


def comprehension(axiom: Expr, variable: str, body: Expr) -> Expr:
    """Instantiate the set variable of ``(>[M] A B)`` by ``{variable | body}``.

    Every atom ``in[t,M]`` becomes ``body[variable := t]``; the result is the plain
    implication ``(>[] A' B')``.  Raises KernelError unless M occurs only as the
    second argument of ``in``."""
    if not (isinstance(axiom, Implies) and len(axiom.vars) == 1):
        raise KernelError("induction needs an axiom (>[M] A B) with one set variable")
    m = axiom.vars[0]
    if m in free_names(body):
        raise KernelError("the induction predicate may not mention the set variable")
    avoid = (free_names(body) - {variable}) | {variable}
    premise = rename_bound(axiom.premise, avoid)
    conclusion = rename_bound(axiom.conclusion, avoid)

    def replace(node: Expr) -> Expr:
        if isinstance(node, Atom):
            if m in node.args:
                if node.name != "in" or node.args[1] != m or node.args[0] == m:
                    raise KernelError(f"set variable {m} used outside in[_,{m}]: {node}")
                return substitute(body, {variable: node.args[0]})
            return node
        if isinstance(node, And):
            return And(replace(node.left), replace(node.right))
        if isinstance(node, Not):
            return Not(replace(node.body))
        if m in node.vars:
            raise KernelError("set variable rebound inside the axiom")
        return Implies(node.vars, replace(node.premise), replace(node.conclusion))

    return Implies((), replace(premise), replace(conclusion))


class Session:
    """One proof session: the theory's definitions, its theorems, the names in use."""

    def __init__(self, definitions: Mapping[str, tuple[tuple[str, ...], Expr]],
                 anchor: Atom):
        self.definitions = dict(definitions)
        self.anchor = anchor
        self.theorems: dict[str, Expr] = {}
        self.used_names: set[str] = set(anchor.args)
        self._suffix: dict[str, int] = {}
        self.tag: str | None = None
        self.scratch = False          # set by assume_theorem: then no theorem is recorded
        self.root = Context(None, anchor.args, anchor, "root", _token=_MINT)
        # the induction axioms the anchor asserts: the only premises the induction rule
        # takes, and implications no other rule may instantiate (their variable is a set)
        self.induction_axioms = frozenset(
            alpha_key(a) for a in anchor_axioms(self.definitions, anchor) if is_induction_axiom(a))
        self._induction_memo: dict[Expr, bool] = {}

    # -- helpers ---------------------------------------------------------------
    def _induction_axiom(self, expr: Expr) -> bool:
        known = self._induction_memo.get(expr)
        if known is None:
            known = self._induction_memo[expr] = alpha_key(expr) in self.induction_axioms
        return known

    def _make(self, expr: Expr, ctx: Context, rule: str, premises: Iterable[Fact] = (),
              substitution: Mapping[str, str] | None = None, visible: bool = True,
              **extra) -> Fact:
        premises = tuple(premises)
        for p in premises:
            if visible and not ctx.sees(p.context):
                raise KernelError(f"{rule}: premise #{p.id} is not visible in {ctx.label}")
        subst = tuple(sorted((substitution or {}).items()))
        return Fact(expr, ctx, Justification(rule, premises, subst, tuple(sorted(extra.items()))),
                    _token=_MINT)

    def _fresh(self, names: Iterable[str]) -> None:
        names = list(names)
        if len(set(names)) != len(names):
            raise KernelError(f"names introduced twice: {names}")
        for name in names:
            if name in self.used_names:
                raise KernelError(f"name {name!r} is not fresh")
        self.used_names.update(names)

    def begin_scope(self, tag: str | None) -> None:
        """Name fresh variables and witnesses after ``tag`` from now on (an attempt's
        number), so the names an attempt uses do not depend on what came before it."""
        self.tag = tag

    def fresh_name(self, base: str, taken: Iterable[str] = ()) -> str:
        """A name not yet used in this session nor in ``taken`` (a suggestion; the rules
        still check freshness)."""
        stem = f"{base}_{self.tag}" if self.tag else base
        taken = set(taken)
        if stem not in self.used_names and stem not in taken:
            return stem
        i = self._suffix.get(stem, 1)
        while f"{stem}_{i}" in self.used_names or f"{stem}_{i}" in taken:
            i += 1
        self._suffix[stem] = i
        return f"{stem}_{i}"

    def fresh_names(self, bases: Iterable[str]) -> tuple[str, ...]:
        """Distinct fresh names, one per base."""
        names: list[str] = []
        for base in bases:
            names.append(self.fresh_name(base, names))
        return tuple(names)

    # -- contexts --------------------------------------------------------------
    def open_block(self, parent: Context, vars: tuple[str, ...], hypothesis: Expr | None,
                   label: str = "block") -> Context:
        """Open a child context that fixes fresh ``vars`` and assumes ``hypothesis``."""
        self._fresh(vars)
        return Context(parent, vars, hypothesis, label, _token=_MINT)

    # -- rules -----------------------------------------------------------------
    def premise(self, ctx: Context, index: int) -> Fact:
        """    ──────────  (the index-th conjunct of Γ's hypothesis)
                 Γ ⊢ H_i"""
        parts = ctx.premises
        if not 0 <= index < len(parts):
            raise KernelError(f"premise: context has no hypothesis #{index}")
        return self._make(parts[index], ctx, "premise", index=index)

    def expand(self, fact: Fact, ctx: Context | None = None) -> Fact:
        """ Γ ⊢ D[a1..an]
            ─────────────────────  (D defined by params p1..pn := body)
            Γ ⊢ body[p := a]"""
        expr = fact.expr
        if not (isinstance(expr, Atom) and expr.name in self.definitions):
            raise KernelError(f"expand: {expr} is not a defined relation")
        params, body = self.definitions[expr.name]
        return self._make(substitute(body, dict(zip(params, expr.args))), ctx or fact.context,
                          "expand", [fact])

    def theorem(self, name: str) -> Fact:
        """ ──────────  (a theorem proved earlier in the session, in the root context)"""
        if name not in self.theorems:
            raise KernelError(f"theorem: no proved theorem {name!r}")
        return self._make(self.theorems[name], self.root, "theorem", theorem=name)

    def and_elim(self, fact: Fact, index: int, ctx: Context | None = None) -> Fact:
        """ Γ ⊢ A1 ∧ ... ∧ An
            ─────────────────  (conjunction flattened)
                 Γ ⊢ Ai"""
        parts = flatten_and(fact.expr)
        if len(parts) < 2 or not 0 <= index < len(parts):
            raise KernelError(f"and-elim: no conjunct #{index} in {fact.expr}")
        return self._make(parts[index], ctx or fact.context, "and-elim", [fact], index=index)

    def and_intro(self, facts: list[Fact], ctx: Context) -> Fact:
        """ Γ ⊢ A1  ...  Γ ⊢ An
            ───────────────────  (right-nested)
             Γ ⊢ A1 ∧ ... ∧ An"""
        if len(facts) < 2:
            raise KernelError("and-intro needs two or more facts")
        return self._make(conj(f.expr for f in facts), ctx, "and-intro", facts)

    def modus_ponens(self, rule: Fact, substitution: Mapping[str, str], facts: list[Fact],
                     ctx: Context) -> Fact:
        """ Γ ⊢ ∀x̄. P → Q     Γ ⊢ P[x̄ := ā]  (one fact, or one per conjunct; up to
            ──────────────────────────────────  renaming of bound variables)
                      Γ ⊢ Q[x̄ := ā]"""
        impl = rule.expr
        if not isinstance(impl, Implies):
            raise KernelError(f"modus-ponens: {impl} is not an implication")
        if len(impl.vars) == 1 and self._induction_axiom(impl):
            raise KernelError("modus-ponens: an induction axiom's variable is a set; "
                              "only the induction rule instantiates it")
        if set(substitution) != set(impl.vars):
            raise KernelError(f"modus-ponens: substitution must bind exactly {impl.vars}")
        premise = substitute(impl.premise, substitution)
        given = [alpha_key(f.expr) for f in facts]
        wanted = [alpha_key(p) for p in flatten_and(premise)]
        if not (given == wanted or (len(given) == 1 and given[0] is alpha_key(premise))):
            raise KernelError(f"modus-ponens: facts do not match premise {premise}")
        return self._make(substitute(impl.conclusion, substitution), ctx, "modus-ponens",
                          [rule, *facts], substitution)

    def exists_elim(self, fact: Fact, witnesses: tuple[str, ...], ctx: Context) -> Fact:
        """ Γ ⊢ ¬∀x̄. A → ¬B
            ──────────────────  (w̄ fresh)
            Γ ⊢ A[x̄:=w̄] ∧ B[x̄:=w̄]"""
        expr = fact.expr
        if not (isinstance(expr, Not) and isinstance(expr.body, Implies)
                and isinstance(expr.body.conclusion, Not)):
            raise KernelError(f"exists-elim: {expr} is not an existence statement")
        inner = expr.body
        if len(witnesses) != len(inner.vars):
            raise KernelError("exists-elim: one witness per quantified variable")
        self._fresh(witnesses)
        ctx._names.update(witnesses)
        mapping = dict(zip(inner.vars, witnesses))
        result = And(substitute(inner.premise, mapping), substitute(inner.conclusion.body, mapping))
        return self._make(result, ctx, "exists-elim", [fact], mapping,
                          witnesses=tuple(witnesses))

    def exists_intro(self, statement: Expr, substitution: Mapping[str, str], first: Fact,
                     second: Fact, ctx: Context) -> Fact:
        """ Γ ⊢ A[ȳ := t̄]    Γ ⊢ B[ȳ := t̄]
            ─────────────────────────────  (up to renaming of bound variables)
                 Γ ⊢ ¬∀ȳ. A → ¬B"""
        if not (isinstance(statement, Not) and isinstance(statement.body, Implies)
                and isinstance(statement.body.conclusion, Not)):
            raise KernelError(f"exists-intro: {statement} is not an existence statement")
        inner = statement.body
        if set(substitution) != set(inner.vars):
            raise KernelError(f"exists-intro: substitution must bind exactly {inner.vars}")
        for fact, part in ((first, inner.premise), (second, inner.conclusion.body)):
            if alpha_key(fact.expr) is not alpha_key(substitute(part, substitution)):
                raise KernelError(f"exists-intro: {fact.expr} is not {part} for {substitution}")
        return self._make(statement, ctx, "exists-intro", [first, second], substitution)

    def eq_refl(self, name: str, ctx: Context) -> Fact:
        """ ─────────── \n Γ ⊢ x = x"""
        return self._make(Atom("=", (name, name)), ctx, "eq-refl", name=name)

    def eq_symm(self, fact: Fact, ctx: Context | None = None) -> Fact:
        """ Γ ⊢ x = y \n ───────── \n Γ ⊢ y = x"""
        e = fact.expr
        if not (isinstance(e, Atom) and e.name == "="):
            raise KernelError(f"eq-symm: {e} is not an equation")
        return self._make(Atom("=", (e.args[1], e.args[0])), ctx or fact.context, "eq-symm", [fact])

    def eq_trans(self, first: Fact, second: Fact, ctx: Context) -> Fact:
        """ Γ ⊢ x = y    Γ ⊢ y = z \n ─────────────────────── \n       Γ ⊢ x = z"""
        a, b = first.expr, second.expr
        if not (isinstance(a, Atom) and a.name == "=" and isinstance(b, Atom) and b.name == "="
                and a.args[1] == b.args[0]):
            raise KernelError(f"eq-trans: {a} and {b} do not chain")
        return self._make(Atom("=", (a.args[0], b.args[1])), ctx, "eq-trans", [first, second])

    def eq_subst(self, fact: Fact, equation: Fact, position: int, ctx: Context) -> Fact:
        """ Γ ⊢ R[.., u, ..]    Γ ⊢ u = v
            ──────────────────────────────  (at argument ``position``)
                  Γ ⊢ R[.., v, ..]"""
        atom, eq = fact.expr, equation.expr
        if not (isinstance(atom, Atom) and isinstance(eq, Atom) and eq.name == "="):
            raise KernelError("eq-subst needs an atom and an equation")
        if not 0 <= position < len(atom.args) or atom.args[position] != eq.args[0]:
            raise KernelError(f"eq-subst: argument {position} of {atom} is not {eq.args[0]}")
        args = list(atom.args)
        args[position] = eq.args[1]
        return self._make(Atom(atom.name, tuple(args)), ctx, "eq-subst", [fact, equation],
                          position=position)

    def contradiction(self, fact: Fact, negation: Fact, goal: Expr, ctx: Context) -> Fact:
        """ Γ ⊢ A    Γ ⊢ ¬A \n ───────────────── \n      Γ ⊢ G"""
        if negation.expr is not Not(fact.expr):
            raise KernelError("contradiction: the second fact must negate the first")
        return self._make(goal, ctx, "contradiction", [fact, negation])

    def implies_intro(self, block: Context, fact: Fact) -> Fact:
        """ Γ, x̄, H ⊢ Q
            ─────────────────  (x̄ fixed by the block, H its hypothesis)
            Γ ⊢ ∀x̄. H → Q"""
        if block.parent is None or block.hypothesis is None:
            raise KernelError("implies-intro: needs a block context")
        if not block.sees(fact.context):
            raise KernelError("implies-intro: the fact is not visible in the block")
        result = Implies(block.vars, block.hypothesis, fact.expr)
        escaped = sorted(n for n in free_names(result) if not block.parent.in_scope(n))
        if escaped:   # a witness of the block (or below) may not leave it
            raise KernelError(f"implies-intro: {', '.join(escaped)} would escape the block")
        return self._make(result, block.parent, "implies-intro", [fact], visible=False,
                          block=block.id)

    def induction(self, axiom: Fact, variable: str, body: Expr, ctx: Context) -> Fact:
        """ Γ ⊢ ∀M. A(M) → B(M)   (an induction axiom the anchor asserts)
            ─────────────────────────────────────────────  (comprehension M := {x | φ})
            Γ ⊢ A(φ) → B(φ)

        The premise must be, up to bound names, one of the anchor's induction axioms as
        the theory states them: comprehension into a derived statement would be naive
        comprehension (Curry's paradox proves anything from it)."""
        if not self._induction_axiom(axiom.expr):
            raise KernelError("induction: the premise is not an induction axiom of the "
                              f"anchor {self.anchor.name}")
        result = comprehension(axiom.expr, variable, body)
        return self._make(result, ctx, "induction", [axiom], variable=variable, predicate=body)

    def conclude_theorem(self, name: str, fact: Fact, statement: Expr) -> None:
        """Record a root-context fact as theorem ``name`` (usable by later proofs): the one
        door for theorems (``replay.replay_theorem`` brings proofs made elsewhere to it)."""
        if self.scratch:
            raise KernelError("a scratch session (one that assumed theorems) records none")
        if fact.context is not self.root:
            raise KernelError("a theorem must be a fact of the root context")
        if not alpha_equal(fact.expr, statement):
            raise KernelError(f"theorem {name}: proved {fact.expr}, stated {statement}")
        if name in self.theorems:
            raise KernelError(f"theorem {name} already recorded")
        self.theorems[name] = statement

    def assume_theorem(self, name: str, statement: Expr) -> None:
        """Take ``statement`` as theorem ``name`` unchecked, which makes this a scratch
        session: it can still prove (a worker's speculative attempt, whose proof the
        explorer replays in its own session before using it) but records no theorem."""
        if name in self.theorems:
            raise KernelError(f"theorem {name} already recorded")
        self.scratch = True
        self.theorems[name] = statement
