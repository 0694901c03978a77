"""Compile implication facts into forward rules and choose how each rule fires.

An implication fact (an axiom, a theorem, an induction hypothesis) is read as a
path of kernel operations: modus ponens per nested implication, and-elim per
conjunct of a conjunctive conclusion, ending in a terminal conclusion (an atom, a
negated atom, or an existence statement).  Binders are renamed to ``#0, #1, ...``
(``alpha_key``) so every rule variable is distinct.

Orientation (how the rule is used by a block): an equation between two terms is
fired when one side already exists in the block ("matched") and the other side is
built ("constructed") from operator atoms, creating witnesses on demand.  Rules with
no equation shape fire only on complete matches.  This module decides; it proves
nothing (firing goes through the kernel in ``block.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..kernel import Fact
from ..mpl.ast import Atom, Expr, Implies, Not, alpha_key, flatten_and
from ..mpl.signature import FUNCTION_RELATIONS

__all__ = ["Rule", "Orientation", "compile_fact", "is_var"]


def is_var(name: str) -> bool:
    return name.startswith("#") or name.startswith("?")


@dataclass(frozen=True)
class Rule:
    source: Fact
    ops: tuple[tuple, ...]            # ("mp", vars, premises) | ("and", index)
    terminal: Expr                    # conclusion in compiled variable names
    kind: str                         # "atom" | "negation" | "existence"

    @property
    def premises(self) -> list[Atom]:
        return [p for op in self.ops if op[0] == "mp" for p in op[2]]

    @property
    def variables(self) -> list[str]:
        return [v for op in self.ops if op[0] == "mp" for v in op[1]]


@dataclass
class Orientation:
    rule: Rule
    match: list[Atom]                 # joined against facts (in join order)
    construct: list[Atom] = field(default_factory=list)   # operator atoms to build
    guards: list[Atom] = field(default_factory=list)      # checked after construction
    trigger: Atom | None = None       # the term that must exist (rewrite orientation)
    label: str = ""

    @property
    def pattern(self) -> tuple:
        """The match atoms as (relation, ((is_variable, name), ...)) for the joiner."""
        cached = self.__dict__.get("_pattern")
        if cached is None:
            cached = tuple((a.name, tuple((is_var(x), x) for x in a.args)) for a in self.match)
            self.__dict__["_pattern"] = cached
        return cached


def compile_fact(fact: Fact) -> list[Rule]:
    """Every forward rule readable from an implication fact."""
    rules: list[Rule] = []

    def walk(node: Expr, ops: tuple) -> None:
        if isinstance(node, Implies):
            premises = flatten_and(node.premise)
            if not all(isinstance(p, Atom) for p in premises):
                return                                  # higher-order premise: not a forward rule
            walk(node.conclusion, ops + (("mp", node.vars, tuple(premises)),))
            return
        if not ops:
            return
        parts = flatten_and(node)
        if len(parts) > 1:
            for i, part in enumerate(parts):
                walk(part, ops + (("and", i),))
            return
        if isinstance(node, Atom):
            rules.append(Rule(fact, ops, node, "atom"))
        elif isinstance(node, Not) and isinstance(node.body, Atom):
            rules.append(Rule(fact, ops, node, "negation"))
        elif _existence_atom(node) is not None:
            rules.append(Rule(fact, ops, node, "existence"))

    walk(alpha_key(fact.expr), ())
    return rules


def _existence_atom(node: Expr) -> Atom | None:
    if isinstance(node, Not) and isinstance(node.body, Implies) and len(node.body.vars) == 1:
        inner = node.body
        if isinstance(inner.conclusion, Not) and isinstance(inner.conclusion.body, Atom):
            return inner.conclusion.body
    return None


def totality_key(rule: Rule, operators: set[str]) -> tuple[str, str] | None:
    """(relation, operator) when the rule says every input has an output."""
    if rule.kind != "existence":
        return None
    atom = _existence_atom(rule.terminal)
    var = rule.terminal.body.vars[0]
    if atom.name not in FUNCTION_RELATIONS or atom.args[-1] not in operators:
        return None
    n_in = FUNCTION_RELATIONS[atom.name]
    if atom.args[n_in] != var:
        return None
    return atom.name, atom.args[-1]


def functionality_key(rule: Rule, operators: set[str]) -> tuple[str, str] | None:
    """(relation, operator) when the rule says one input has one output."""
    if rule.kind != "atom" or rule.terminal.name != "=":
        return None
    facts = [p for p in rule.premises if p.name in FUNCTION_RELATIONS]
    others = [p for p in rule.premises if p.name not in FUNCTION_RELATIONS]
    if len(facts) != 2 or any(p.name != "in" for p in others):
        return None
    a, b = facts
    n_in = FUNCTION_RELATIONS.get(a.name)
    if a.name != b.name or a.args[-1] != b.args[-1] or a.args[-1] not in operators:
        return None
    if a.args[:n_in] != b.args[:n_in]:
        return None
    if {a.args[n_in], b.args[n_in]} != set(rule.terminal.args) or a.args[n_in] == b.args[n_in]:
        return None
    return a.name, a.args[-1]


def _is_op_atom(atom: Atom, operators: set[str]) -> bool:
    return atom.name in FUNCTION_RELATIONS and atom.args[-1] in operators


def _output(atom: Atom) -> str:
    return atom.args[FUNCTION_RELATIONS[atom.name]]


def _inputs(atom: Atom) -> tuple[str, ...]:
    return atom.args[:FUNCTION_RELATIONS[atom.name]]


def orientations(rule: Rule, operators: set[str]) -> list[Orientation]:
    """The ways a block may fire ``rule`` (empty when it cannot fire forward)."""
    if rule.kind == "existence":
        return []
    premises = rule.premises
    variables = set(rule.variables)
    op_atoms = [p for p in premises if _is_op_atom(p, operators)]
    outputs: dict[str, list[Atom]] = {}
    for p in op_atoms:
        outputs.setdefault(_output(p), []).append(p)
    defining = {v: ps[0] for v, ps in outputs.items() if len(ps) == 1 and v in variables}

    def side(names) -> list[Atom]:
        seen: list[Atom] = []
        stack = list(names)
        visited: set[str] = set()
        while stack:
            v = stack.pop()
            if v in visited or v not in defining:
                continue
            visited.add(v)
            atom = defining[v]
            if atom not in seen:
                seen.append(atom)
            stack.extend(_inputs(atom))
        return seen

    terminal = rule.terminal
    result: list[Orientation] = []
    if rule.kind == "atom" and terminal.name == "=":
        x, y = terminal.args
        for lhs, rhs in ((x, y), (y, x)):
            o = _orient(rule, side([lhs]), side([rhs]), premises, variables, None)
            if o is not None:
                o.label = f"{lhs}->{rhs}"
                result.append(o)
    elif rule.kind == "atom" and _is_op_atom(terminal, operators):
        ins, out = _inputs(terminal), _output(terminal)
        trigger = Atom(terminal.name, ins + ("?t",) + (terminal.args[-1],)) \
            if terminal.name == "in3" else Atom(terminal.name, ins + ("?t", terminal.args[-1]))
        o = _orient(rule, side(ins), side([out]), premises, variables, trigger)
        if o is not None:
            o.label = "term->value"
            result.append(o)
        if out in defining:
            o = _orient(rule, side([out]), side(ins), premises, variables, None)
            if o is not None:
                o.label = "value->term"
                result.append(o)
    if not result:
        # complete matches only: every variable of the conclusion bound by the premises
        bound = {a for p in premises for a in p.args if a in variables}
        if all(a in bound for a in _args(terminal) if is_var(a)) and premises:
            guards = [p for p in premises if p.name == "in"]
            match = [p for p in premises if p.name != "in"]
            body = _atom_of(terminal)
            if not match and len(bound) >= 2 and _is_op_atom(body, operators):
                # typing premises only, over two or more variables (cons(x, l) is never
                # nil, node(l, x, r) never leaf): joined alone they would give every pair or
                # triple of typed names, so fire only where the term op(inputs) exists
                ins = set(_inputs(body))
                trigger = Atom(body.name, _inputs(body) + ("?t", body.args[-1]))
                if all(x in ins for x in body.args if is_var(x)) and \
                        all(x in ins for g in guards for x in g.args if is_var(x)):
                    result.append(Orientation(rule, [trigger], [], guards, trigger, "term"))
                    return result
            match = match or guards
            rest = [g for g in guards if g not in match]
            result.append(Orientation(rule, _join_order(match, set()), [], rest, None, "match"))
    return result


def _atom_of(expr: Expr) -> Atom:
    return expr if isinstance(expr, Atom) else expr.body


def _args(expr: Expr) -> tuple[str, ...]:
    return expr.args if isinstance(expr, Atom) else expr.body.args


def _orient(rule: Rule, lhs_side: list[Atom], rhs_side: list[Atom], premises, variables,
            trigger: Atom | None) -> Orientation | None:
    if not lhs_side and trigger is None:
        return None                                   # a bare variable never triggers a rewrite
    construct = [a for a in rhs_side if a not in lhs_side]
    built = {_output(a) for a in construct}
    rest = [p for p in premises if p not in construct]
    for p in rest:                                    # constructed names are made here only
        if p.name != "in" and any(a in built for a in p.args):
            return None
    match = [p for p in rest if p.name != "in"]
    guards = [p for p in rest if p.name == "in"]
    bound = {a for p in match for a in p.args if is_var(a)}
    if trigger is not None:
        bound |= {a for a in trigger.args if is_var(a)}
    ordered: list[Atom] = []
    pending = list(construct)
    while pending:                                    # inputs first
        for a in pending:
            if all(not is_var(x) or x in bound for x in _inputs(a)):
                ordered.append(a)
                bound.add(_output(a))
                pending.remove(a)
                break
        else:
            return None
    for g in guards:
        if any(is_var(x) and x not in bound for x in g.args):
            return None
    needed = {a for a in _args(rule.terminal) if is_var(a)}
    if not needed <= bound:
        return None
    pattern = ([trigger] if trigger is not None else []) + match
    return Orientation(rule, _join_order(pattern, set()), ordered, guards, trigger)


def _join_order(atoms: list[Atom], bound: set[str]) -> list[Atom]:
    """Greedy order: next the atom with the most arguments already bound."""
    bound = set(bound)
    left = list(atoms)
    ordered = []
    while left:
        best = max(left, key=lambda a: (sum(1 for x in a.args if not is_var(x) or x in bound),
                                        -left.index(a)))
        ordered.append(best)
        left.remove(best)
        bound.update(x for x in best.args if is_var(x))
    return ordered
