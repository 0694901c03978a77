"""Re-check a proof graph step by step, from its JSON and the theory file alone.

``docs/proof_graph.md`` is the specification.  Every step must follow from its
premises' expressions by the rule it names; beyond the rule table this checks the
graph's structure (root context, contexts' parents, premises cite earlier steps of
visible contexts, theorem use acyclic and in order, each conclusion in the root and
equal to its theorem, ``dependencies`` exact, the theory's source hash), freshness of
context variables and witnesses, and scope: every free name of a step is fixed where
the step stands (anchor parameters, its contexts' variables, witnesses introduced so
far), so neither a block variable nor a witness escapes its block.

It imports only ``genlogic.mpl`` and the standard library, never the kernel or the
engine that wrote the graph, and it does not repair or search: a step is valid on its
own or a failure names theorem, step, rule and what is wrong.  Malformed JSON is a
failure too, never an exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, NamedTuple, TypedDict

from ..mpl.ast import And, Atom, Expr, Implies, Not
from ..mpl.errors import MPLError
from ..mpl.parser import parse_expr
from ..mpl.theory import Theory
from .syntax import alpha_equal, atom_list, conjuncts, free, rename_binders, replace, same

__all__ = ["SCHEMA", "SHAPES", "Graph", "Theorem", "Context", "Step"]

# -- the proof format (docs/proof_graph.md) ------------------------------------------------
MPL = str                       # an expression in MPL text
StepId = int
ContextId = int
Substitution = dict[str, str]   # quantified variable -> name


class Step(TypedDict):
    id: StepId
    context: ContextId
    expr: MPL
    readable: str               # re-derived from expr and compared (graph.py)
    rule: str                   # a key of SHAPES
    premises: list[StepId]      # earlier steps
    substitution: Substitution  # modus-ponens and exists-elim only
    extra: dict[str, Any]       # the keys SHAPES lists for the rule, typed by EXTRA_TYPES


class Context(TypedDict):
    id: ContextId               # 0 is the root
    parent: ContextId | None    # an earlier context; null for the root only
    vars: list[str]             # fixed names (the anchor's parameters at the root)
    hypothesis: MPL | None      # its conjuncts are the context's premises
    label: str


class Theorem(TypedDict):       # status "Theorem"; other statuses live under "failed"
    id: str
    mpl: MPL
    status: str
    dependencies: list[str]     # theorems cited by "theorem" steps
    contexts: list[Context]
    steps: list[Step]
    conclusion: StepId


class TheoryRef(TypedDict):
    path: str                   # theory file name
    source_hash: str            # Theory.source_hash
    anchor: str
    params: list[str]


class Graph(TypedDict):
    schema: str                 # SCHEMA
    theory: TheoryRef
    theorems: list[Theorem]     # in the order they were proved
    failed: list[dict]          # not checked


SCHEMA = "genlogic-proof-graph/1"

# rule -> (number of premises, None meaning two or more; extra keys; takes a substitution)
SHAPES: dict[str, tuple[int | None, tuple[str, ...], bool]] = {
    "premise": (0, ("index",), False),           "expand": (1, (), False),
    "theorem": (0, ("theorem",), False),         "and-elim": (1, ("index",), False),
    "and-intro": (None, (), False),              "modus-ponens": (None, (), True),
    "exists-elim": (1, ("witnesses",), True),    "exists-intro": (2, (), True),
    "eq-refl": (0, ("name",), False),            "eq-symm": (1, (), False),
    "eq-trans": (2, (), False),
    "eq-subst": (2, ("position",), False),       "contradiction": (2, (), False),
    "implies-intro": (1, ("block",), False),     "induction": (1, ("predicate", "variable"), False),
}
EXTRA_TYPES = {"index": int, "theorem": str, "witnesses": list, "name": str, "position": int,
               "block": int, "variable": str, "predicate": str}


# -- reading JSON ---------------------------------------------------------------------------
class _Bad(Exception):
    """One thing wrong with the graph; the message says what."""


def _is(value, kind) -> bool:
    if isinstance(kind, tuple):
        return any(_is(value, k) for k in kind)
    if kind is None:
        return value is None
    return type(value) is int if kind is int else isinstance(value, kind)


def _get(obj, key: str, kind):
    if not isinstance(obj, dict):
        raise _Bad("is not a JSON object")
    if key not in obj:
        raise _Bad(f"missing field {key!r}")
    value = obj[key]
    if not _is(value, kind):
        kinds = kind if isinstance(kind, tuple) else (kind,)
        wanted = " or ".join("null" if k is None else k.__name__ for k in kinds)
        raise _Bad(f"field {key!r} should be {wanted}, not {_short(value)}")
    return value


# MPL names (mpl.lark).  Names from JSON fields are checked against it: a name MPL text
# cannot hold (say ``#1``, the binder names of ``syntax``) could make distinct expressions look
# alpha-equivalent.
_NAME = re.compile(r"[A-Za-z0-9_+\-*/^=<~.'$%@|]+")


def _is_name(value) -> bool:
    return isinstance(value, str) and _NAME.fullmatch(value) is not None


def _names(obj, key: str) -> tuple[str, ...]:
    value = _get(obj, key, list)
    if not all(_is_name(v) for v in value):
        raise _Bad(f"field {key!r} should be a list of MPL names, not {_short(value)}")
    return tuple(value)


@lru_cache(maxsize=1 << 16)
def _parse_text(text: str) -> Expr:
    return parse_expr(text, "<graph>")


def _parse(text: str, what: str) -> Expr:
    try:
        return _parse_text(text)
    except MPLError as exc:
        raise _Bad(f"{what} is not MPL: {exc.message}") from None
    except RecursionError:
        raise _Bad(f"{what} is nested too deeply") from None


def _short(value, limit: int = 240) -> str:
    text = str(value) if isinstance(value, (And, Atom, Implies, Not)) else repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


# -- one theorem's proof ----------------------------------------------------------------
@dataclass(frozen=True)
class _Context:
    id: int
    parent: int | None
    vars: tuple[str, ...]
    hypothesis: Expr | None
    chain: tuple[int, ...]      # itself, its parent, ..., the root: the contexts it sees


@dataclass
class _Proof:
    name: str
    theory: Theory
    proved: dict[str, Expr]     # theorems listed before this one
    listed: set[str]            # every theorem id in the graph
    contexts: dict[int, _Context] = field(default_factory=dict)
    steps: dict[int, tuple[int, Expr]] = field(default_factory=dict)   # id -> (context, expr)
    fixed: set[str] = field(default_factory=set)       # parameters, context vars, witnesses
    witnesses: dict[int, set[str]] = field(default_factory=dict)       # context -> introduced
    cited: set[str] = field(default_factory=set)
    induction_axioms: tuple[Expr, ...] | None = None   # see _induction_axioms

    def scope(self, ctx: _Context) -> set[str]:
        """The names fixed where a step of ``ctx`` stands."""
        names: set[str] = set()
        for c in ctx.chain:
            names.update(self.contexts[c].vars, self.witnesses.get(c, ()))
        return names

    def fresh(self, names, what: str) -> None:
        for name in names:
            if name in self.fixed:
                raise _Bad(f"{what} {name!r} is not fresh (an anchor parameter, another "
                           f"context variable or witness of this theorem)")
            self.fixed.add(name)


class _Step(NamedTuple):
    ctx: _Context
    expr: Expr
    premises: list[tuple[int, Expr]]  # (context, expr) of each premise
    substitution: Substitution
    extra: dict[str, Any]

    @property
    def facts(self) -> list[Expr]:
        return [expr for _, expr in self.premises]


def _check_step(proof: _Proof, raw: Step) -> None:
    """Check one step against its premises; raise ``_Bad`` saying what is wrong.

    The step is recorded (context, claimed expression) even when it fails, so later
    steps are checked against what it claims and each failure is reported once."""
    step_id = _get(raw, "id", int)
    if step_id in proof.steps:
        raise _Bad("duplicate step id")
    context_id = _get(raw, "context", int)
    ctx = proof.contexts.get(context_id)
    if ctx is None:
        raise _Bad(f"context {context_id} is not a (valid) context of this theorem")
    expr = _parse(_get(raw, "expr", str), "expr")
    try:
        rule = _get(raw, "rule", str)
        if rule not in SHAPES:
            raise _Bad(f"unknown rule {rule!r}")
        count, keys, takes_substitution = SHAPES[rule]
        premise_ids = _get(raw, "premises", list)
        if len(premise_ids) != count if count is not None else len(premise_ids) < 2:
            raise _Bad(f"needs {count if count is not None else 'two or more'} premises, "
                       f"has {len(premise_ids)}")
        premises = []
        for p in premise_ids:
            if type(p) is not int or p not in proof.steps:
                raise _Bad(f"premise {_short(p)} is not an earlier step")
            if rule != "implies-intro" and proof.steps[p][0] not in ctx.chain:
                raise _Bad(f"premise {p} is in context {proof.steps[p][0]}, which context "
                           f"{ctx.id} does not see (not itself or an ancestor)")
            premises.append(proof.steps[p])
        substitution = _get(raw, "substitution", dict)
        if not all(_is_name(v) for v in substitution.values()):
            raise _Bad(f"substitution {_short(substitution)} should map names to MPL names")
        if substitution and not takes_substitution:
            raise _Bad(f"has substitution {_short(substitution)}, but the rule takes none")
        extra = _get(raw, "extra", dict)
        if sorted(extra) != sorted(keys):
            raise _Bad(f"extra has keys {sorted(extra)}, the rule takes {sorted(keys)}")
        for key in keys:
            value = _names(extra, key) if key == "witnesses" else _get(extra, key, EXTRA_TYPES[key])
            if key in ("name", "variable") and not _is_name(value):
                raise _Bad(f"extra {key} {_short(value)} is not an MPL name")
        CHECKS[rule](proof, _Step(ctx, expr, premises, substitution, extra))
        _check_scope(proof, expr, proof.scope(ctx), f"expr {_short(expr)}", ctx.id)
    finally:
        proof.steps[step_id] = (ctx.id, expr)


def _check_scope(proof: _Proof, expr: Expr, scope: set[str], what: str, ctx: int) -> None:
    unknown = sorted(free(expr) - scope)
    if unknown:
        raise _Bad(f"{what} mentions {unknown}, not fixed in context {ctx} (anchor parameters, "
                   f"its contexts' variables, witnesses introduced so far)")
    for atom in atom_list(expr):
        arity = proof.theory.arity(atom.name)
        if arity != len(atom.args):
            why = "unknown relation" if arity is None else f"{atom.name} takes {arity} arguments"
            raise _Bad(f"{what} is ill-formed: {why} in {atom}")


# -- the rules, one function each (docs/proof_graph.md, table "Rules") -------------------
def _exactly(expr: Expr, wanted: Expr, what: str) -> None:
    if not same(expr, wanted):
        raise _Bad(f"expr should be {_short(wanted)} ({what}), not {_short(expr)}")


def _equivalent(expr: Expr, wanted: Expr, what: str) -> None:
    if not alpha_equal(expr, wanted):
        raise _Bad(f"expr should be {_short(wanted)} up to bound names ({what}), "
                   f"not {_short(expr)}")


def _equation(expr: Expr, what: str) -> tuple[str, str]:
    if not (isinstance(expr, Atom) and expr.name == "=" and len(expr.args) == 2):
        raise _Bad(f"{what} {_short(expr)} is not an equation")
    return expr.args


def _premise(proof: _Proof, s: _Step) -> None:
    parts = conjuncts(s.ctx.hypothesis) if s.ctx.hypothesis is not None else []
    index = s.extra["index"]
    if not 0 <= index < len(parts):
        raise _Bad(f"context {s.ctx.id}'s hypothesis has {len(parts)} conjuncts, no #{index}")
    _exactly(s.expr, parts[index], f"conjunct #{index} of context {s.ctx.id}'s hypothesis")


def _expand(proof: _Proof, s: _Step) -> None:
    (d,) = s.facts
    definition = proof.theory.definitions.get(d.name) if isinstance(d, Atom) else None
    if definition is None or len(definition.params) != len(d.args):
        raise _Bad(f"premise {_short(d)} is not an atom of a defined relation")
    body = replace(definition.body, dict(zip(definition.params, d.args)))
    _equivalent(s.expr, body, f"the definition of {d.name} at {d}")


def _theorem(proof: _Proof, s: _Step) -> None:
    name = s.extra["theorem"]
    proof.cited.add(name)
    if s.ctx.id != 0:
        raise _Bad(f"cites theorem {name!r} in context {s.ctx.id}, not the root")
    if name not in proof.proved:
        why = "circular or out-of-order use" if name in proof.listed else "no such theorem"
        raise _Bad(f"cites theorem {name!r}, which is not proved before {proof.name} ({why})")
    _equivalent(s.expr, proof.proved[name], f"the statement of {name}")


def _and_elim(proof: _Proof, s: _Step) -> None:
    parts, index = conjuncts(s.facts[0]), s.extra["index"]
    if len(parts) < 2 or not 0 <= index < len(parts):
        raise _Bad(f"premise has {len(parts)} conjuncts, no #{index} to take")
    _exactly(s.expr, parts[index], f"conjunct #{index} of the premise")


def _and_intro(proof: _Proof, s: _Step) -> None:
    wanted = s.facts[-1]
    for part in reversed(s.facts[:-1]):
        wanted = And(part, wanted)
    _exactly(s.expr, wanted, "the right-nested conjunction of the premises")


def _modus_ponens(proof: _Proof, s: _Step) -> None:
    rule, facts = s.facts[0], s.facts[1:]
    if not isinstance(rule, Implies):
        raise _Bad(f"first premise {_short(rule)} is not an implication")
    if len(rule.vars) == 1 and _is_induction_axiom(proof, rule):
        raise _Bad("first premise is an induction axiom: its variable is a set, which only "
                   "the induction rule instantiates")
    if set(s.substitution) != set(rule.vars):
        raise _Bad(f"substitution binds {sorted(s.substitution)}, the implication "
                   f"quantifies {list(rule.vars)}")
    premise = replace(rule.premise, s.substitution)
    wanted = conjuncts(premise)
    one_by_one = len(facts) == len(wanted) and all(alpha_equal(f, w) for f, w in zip(facts, wanted))
    if not one_by_one and not (len(facts) == 1 and alpha_equal(facts[0], premise)):
        raise _Bad(f"premises {[_short(f, 80) for f in facts]} do not match the instantiated "
                   f"premise {_short(premise)}")
    _equivalent(s.expr, replace(rule.conclusion, s.substitution), "the instantiated conclusion")


def _exists_elim(proof: _Proof, s: _Step) -> None:
    e = s.facts[0]
    if not (isinstance(e, Not) and isinstance(e.body, Implies)
            and isinstance(e.body.conclusion, Not)):
        raise _Bad(f"premise {_short(e)} is not an existence statement !(>[y] A !B)")
    inner, witnesses = e.body, s.extra["witnesses"]
    if len(witnesses) != len(inner.vars) or len(set(inner.vars)) != len(inner.vars):
        raise _Bad(f"witnesses {_short(witnesses)} do not match the variables {list(inner.vars)}")
    mapping = dict(zip(inner.vars, witnesses))
    if s.substitution != mapping:
        raise _Bad(f"substitution {s.substitution} should map the variables to the witnesses "
                   f"{mapping}")
    proof.fresh(witnesses, "witness")
    proof.witnesses.setdefault(s.ctx.id, set()).update(witnesses)
    wanted = And(replace(inner.premise, mapping), replace(inner.conclusion.body, mapping))
    _equivalent(s.expr, wanted, "the existence statement for the witnesses")


def _exists_intro(proof: _Proof, s: _Step) -> None:
    e = s.expr
    if not (isinstance(e, Not) and isinstance(e.body, Implies)
            and isinstance(e.body.conclusion, Not)):
        raise _Bad(f"{_short(e)} is not an existence statement !(>[y] A !B)")
    inner = e.body
    if set(s.substitution) != set(inner.vars):
        raise _Bad(f"substitution {s.substitution} must bind exactly {list(inner.vars)}")
    _equivalent(s.facts[0], replace(inner.premise, s.substitution), "A for the witnesses")
    _equivalent(s.facts[1], replace(inner.conclusion.body, s.substitution),
                "B for the witnesses")


def _eq_refl(proof: _Proof, s: _Step) -> None:
    name = s.extra["name"]
    _exactly(s.expr, Atom("=", (name, name)), f"reflexivity of {name}")


def _eq_symm(proof: _Proof, s: _Step) -> None:
    x, y = _equation(s.facts[0], "premise")
    _exactly(s.expr, Atom("=", (y, x)), "the premise reversed")


def _eq_trans(proof: _Proof, s: _Step) -> None:
    x, y = _equation(s.facts[0], "first premise")
    y2, z = _equation(s.facts[1], "second premise")
    if y != y2:
        raise _Bad(f"premises {s.facts[0]} and {s.facts[1]} do not chain")
    _exactly(s.expr, Atom("=", (x, z)), "the chained equation")


def _eq_subst(proof: _Proof, s: _Step) -> None:
    f, position = s.facts[0], s.extra["position"]
    u, v = _equation(s.facts[1], "second premise")
    if not isinstance(f, Atom):
        raise _Bad(f"first premise {_short(f)} is not an atom")
    if not 0 <= position < len(f.args) or f.args[position] != u:
        raise _Bad(f"argument {position} of {f} is not {u}")
    args = list(f.args)
    args[position] = v
    _exactly(s.expr, Atom(f.name, tuple(args)), f"{f} with argument {position} replaced by {v}")


def _contradiction(proof: _Proof, s: _Step) -> None:
    a, n = s.facts
    if not (isinstance(n, Not) and same(n.body, a)):
        raise _Bad(f"second premise {_short(n)} is not the negation of the first, {_short(a)}")


def _implies_intro(proof: _Proof, s: _Step) -> None:
    block_id = s.extra["block"]
    block = proof.contexts.get(block_id)
    if block is None or block.parent != s.ctx.id:
        raise _Bad(f"block {block_id} is not a child context of context {s.ctx.id}")
    if block.hypothesis is None:
        raise _Bad(f"block {block_id} has no hypothesis to discharge")
    q_context, q = s.premises[0]
    if q_context not in block.chain:
        raise _Bad(f"premise is in context {q_context}, not in block {block_id} or an ancestor")
    _exactly(s.expr, Implies(block.vars, block.hypothesis, q), f"block {block_id} discharged")


def _induction(proof: _Proof, s: _Step) -> None:
    x = s.facts[0]
    if not (isinstance(x, Implies) and len(x.vars) == 1):
        raise _Bad(f"premise {_short(x)} is not (>[M] P C) with one set variable")
    if not _is_induction_axiom(proof, x):
        raise _Bad(f"premise {_short(x)} is not an induction axiom of the anchor (only the "
                   f"theory's own induction axioms may be instantiated by comprehension)")
    predicate = _parse(s.extra["predicate"], "extra predicate")
    wanted = _comprehension(x, s.extra["variable"], predicate)
    _equivalent(s.expr, wanted, f"the instance M := {{{s.extra['variable']} | {predicate}}}")


def _induction_axioms(proof: _Proof) -> tuple[Expr, ...]:
    """The induction axioms the anchor asserts: the anchor atom (the root's hypothesis)
    with defined atoms expanded and conjunctions split, keeping each ``(>[M] P C)`` whose
    one variable occurs only as ``in[t,M]``."""
    if proof.induction_axioms is None:
        found, stack = [], [proof.contexts[0].hypothesis]
        while stack:
            node = stack.pop()
            definition = proof.theory.definitions.get(node.name) if isinstance(node, Atom) \
                else None
            if definition is not None and len(definition.params) == len(node.args):
                stack.append(replace(definition.body, dict(zip(definition.params, node.args))))
            elif isinstance(node, And):
                stack.extend((node.right, node.left))
            elif isinstance(node, Implies) and len(node.vars) == 1:
                try:
                    _comprehension(node, "x", Atom("=", ("x", "x")))
                except _Bad:
                    continue
                found.append(node)
        proof.induction_axioms = tuple(found)
    return proof.induction_axioms


def _is_induction_axiom(proof: _Proof, expr: Expr) -> bool:
    """Whether ``expr`` is, up to bound names, one of the anchor's induction axioms."""
    return any(alpha_equal(expr, axiom) for axiom in _induction_axioms(proof))


def _comprehension(axiom: Implies, variable: str, predicate: Expr) -> Expr:
    """``(>[M] P C)`` with every ``in[t,M]`` replaced by ``predicate[variable := t]``,
    as the plain implication ``(>[] P' C')``.  The axiom's binders are first renamed to
    ``#1, #2, ...`` (``syntax.rename_binders``), names MPL text cannot hold, so no free
    name of the predicate is captured and M is bound nowhere else."""
    renamed = rename_binders(axiom)
    m = renamed.vars[0]

    def instantiate(node: Expr) -> Expr:
        if isinstance(node, Atom):
            if m not in node.args:
                return node
            if node.name != "in" or len(node.args) != 2 or node.args[0] == m:
                raise _Bad(f"the set variable {axiom.vars[0]} occurs outside in[t,"
                           f"{axiom.vars[0]}] in the premise")
            return replace(predicate, {variable: node.args[0]})
        if isinstance(node, And):
            return And(instantiate(node.left), instantiate(node.right))
        if isinstance(node, Not):
            return Not(instantiate(node.body))
        return Implies(node.vars, instantiate(node.premise), instantiate(node.conclusion))

    return Implies((), instantiate(renamed.premise), instantiate(renamed.conclusion))


CHECKS: dict[str, Callable[[_Proof, _Step], None]] = {
    "premise": _premise, "expand": _expand, "theorem": _theorem, "and-elim": _and_elim,
    "and-intro": _and_intro, "modus-ponens": _modus_ponens, "exists-elim": _exists_elim,
    "exists-intro": _exists_intro, "eq-refl": _eq_refl, "eq-symm": _eq_symm,
    "eq-trans": _eq_trans, "eq-subst": _eq_subst,
    "contradiction": _contradiction, "implies-intro": _implies_intro, "induction": _induction,
}
