"""Sorts: the sets of a signature read as datatypes, and the sorts of a statement's variables.

A theory's sets are its sorts, and each is one of three kinds, read from the axioms:

- *inductive*: the carrier of an induction axiom; its bases (constants) and
  constructors (operators into it) build every element;
- *function*: a set with no constructors that no operator produces, used as an argument
  of an operator whose result is in another set (an apply operator ``ap: F x E -> E``);
  its elements behave as functions, which is how ``map f`` is an ordinary operator;
- *parameter*: any other set without an induction axiom (the elements of a list).

``variable_sorts`` infers the sort of each variable of a statement from where it occurs:
an operator argument has the operator's domain set, an operator's output its codomain,
``in[x, S]`` says S, and an equation gives both sides one sort.  One inference serves
the prover (the induction axiom of the variable's sort), the model and the enumerator.

This module reads the signature; it proves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from .ast import And, Atom, Expr, Implies, Not, flatten_and
from .signature import (FUNCTION_RELATIONS, InductionAxiom, Signature, _single_valued, _total,
                        horn_view)

__all__ = ["Sort", "INDUCTIVE", "PARAMETER", "FUNCTION", "sorts_of", "variable_sorts",
           "free_symbols"]

INDUCTIVE, PARAMETER, FUNCTION = "inductive", "parameter", "function"


@dataclass(frozen=True)
class Sort:
    name: str
    kind: str                                  # INDUCTIVE, PARAMETER or FUNCTION
    induction: InductionAxiom | None = None    # the first induction axiom over this set
    bases: tuple[str, ...] = ()                # constants of the set every element builds on
    constructors: tuple[str, ...] = ()         # operators into the set that build elements

    def __str__(self) -> str:
        if self.kind != INDUCTIVE:
            return f"{self.name} ({self.kind})"
        made = ", ".join(self.bases + self.constructors)
        return f"{self.name} (inductive: {made})"


def sorts_of(signature: Signature) -> dict[str, Sort]:
    """Every set of the signature as a sort, in the signature's order of sets."""
    produced = {op.codomain for op in signature.operators}
    consumed_by_apply = {op.domain[0] for op in signature.operators
                         if op.arity >= 2 and op.codomain != op.domain[0]}
    out: dict[str, Sort] = {}
    carriers = [ind.carrier for ind in signature.induction]
    for name in list(signature.sets) + [c for c in carriers if c not in signature.sets]:
        induction = next((ind for ind in signature.induction if ind.carrier == name), None)
        if induction is not None:
            out[name] = Sort(name, INDUCTIVE, induction, induction.bases, induction.constructors)
        elif name not in produced and name in consumed_by_apply:
            out[name] = Sort(name, FUNCTION)
        else:
            out[name] = Sort(name, PARAMETER)
    return out


def variable_sorts(statement: Expr, signature: Signature) -> dict[str, str]:
    """The sort of every name of ``statement`` that its atoms determine (bound variables
    of any depth and free names alike; constants keep their declared set)."""
    ops = {op.name: op for op in signature.operators}
    sorts: dict[str, str] = {c.name: c.type for c in signature.constants}
    equations: list[tuple[str, str]] = []
    stack = [statement]
    while stack:
        node = stack.pop()
        if isinstance(node, Atom):
            if node.name in FUNCTION_RELATIONS and node.args[-1] in ops:
                op = ops[node.args[-1]]
                n_in = FUNCTION_RELATIONS[node.name]
                if n_in == op.arity:
                    for arg, dom in zip(node.args[:n_in], op.domain):
                        sorts.setdefault(arg, dom)
                    sorts.setdefault(node.args[n_in], op.codomain)
            elif node.name == "in" and len(node.args) == 2 and node.args[1] in signature.sets:
                sorts.setdefault(node.args[0], node.args[1])
            elif node.name == "=" and len(node.args) == 2:
                equations.append(tuple(node.args))
        elif isinstance(node, Not):
            stack.append(node.body)
        elif isinstance(node, Implies):
            stack.extend((node.conclusion, node.premise))
        elif isinstance(node, And):
            stack.extend((node.right, node.left))
    changed = True
    while changed:                           # an equation gives both sides one sort
        changed = False
        for a, b in equations:
            if a in sorts and b not in sorts:
                sorts[b] = sorts[a]
                changed = True
            elif b in sorts and a not in sorts:
                sorts[a] = sorts[b]
                changed = True
    return sorts


def free_symbols(signature: Signature) -> set[str]:
    """Operators and constants the axioms say nothing about beyond their type: an
    operator whose axioms are its function definition (results typed, total,
    single-valued) and recursion equations of *other* operators that use it (``map``'s
    equations use ``ap``), a constant whose only axiom is ``in[c, S]``.  Any
    interpretation of a free symbol within its sets extends to a model, as long as the
    recursion equations that use it define their operators (the model checks: an
    interpretation the axioms contradict shows up as a contradiction, and then nothing
    is refuted)."""
    names = signature.operator_names | {c.name for c in signature.constants
                                        if c.definition is None}
    mentions: dict[str, list[Expr]] = {name: [] for name in names}
    for axiom in signature.axioms:
        for name in {a for atom in _atoms(axiom) for a in atom.args if a in mentions}:
            mentions[name].append(axiom)
    free = set()
    for name, axioms in mentions.items():
        if all(_definitional(axiom, name, signature) for axiom in axioms):
            free.add(name)
    return free


def _atoms(expr: Expr):
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Atom):
            yield node
        elif isinstance(node, Not):
            stack.append(node.body)
        elif isinstance(node, Implies):
            stack.extend((node.premise, node.conclusion))
        elif isinstance(node, And):
            stack.extend((node.left, node.right))


def _definitional(axiom: Expr, name: str, signature: Signature) -> bool:
    """``axiom`` only types ``name``: ``in[name, S]``, or one of the three clauses of the
    function definition of the operator ``name``."""
    if isinstance(axiom, Atom):
        return axiom.name == "in" and axiom.args[0] == name
    view = horn_view(axiom)
    if view is None:
        return False
    concl = view.conclusion
    if isinstance(concl, Atom) and concl.name in FUNCTION_RELATIONS \
            and concl.args[-1] != name and concl.args[-1] in signature.operator_names \
            and name not in concl.args and all(isinstance(p, Atom) and name not in p.args[:-1]
                                               for p in view.premises):
        return True                   # a recursion equation of another operator
    total = _total(view)
    if total is not None:
        return total[1] == name
    single = _single_valued(view)
    if single is not None:
        return single[1] == name
    # the graph clause: f(x..) = y implies x.. and y are in their sets
    return (len(view.premises) == 1 and isinstance(view.premises[0], Atom)
            and view.premises[0].name in FUNCTION_RELATIONS
            and view.premises[0].args[-1] == name
            and all(isinstance(c, Atom) and c.name == "in" and name not in c.args
                    for c in flatten_and(view.conclusion)))
