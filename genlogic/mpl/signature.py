"""The derived signature: operators, constants, sets and induction axioms of an anchor.

Nothing here is configured.  The anchor is expanded into its list of axioms
(top-level conjuncts of the fully expanded body) and the axioms are read by shape:

- an operator ``f: X -> Y`` (or ``X x Y -> Z``) is a relation ``in2[x,y,f]``
  (``in3[x,y,z,f]``) with a totality axiom (every input in X has an output in Y)
  and a single-valuedness axiom (two outputs of one input are equal);
- a constant is an anchor parameter ``c`` with an axiom ``in[c,X]``, or one named by
  a ground operator fact such as ``in2[i0,i1,s]`` (i1 = s(i0));
- an induction axiom is ``(>[M] ... )`` whose set variable M occurs only as the
  second argument of ``in`` and whose conclusion says every element of N is in M;
  its premises name the base constants and the constructors (DESIGN 3.4).

This module reads axioms; it proves nothing and trusts nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .ast import And, Atom, Expr, Implies, Not, atoms, flatten_and
from .errors import MPLError
from .parser import MAX_DEPTH
from .theory import Theory, expand_fully

__all__ = ["Operator", "Constant", "InductionAxiom", "Signature", "HornView",
           "horn_view", "derive_signature", "anchor_axioms"]

FUNCTION_RELATIONS = {"in2": 1, "in3": 2, "in4": 3}   # relation -> number of inputs


@dataclass(frozen=True)
class HornView:
    """``(>[x](A)(>[y](&B C)(D)))`` read as: for all x y, A and B and C imply D."""

    vars: tuple[str, ...]
    premises: tuple[Expr, ...]
    conclusion: Expr


def horn_view(expr: Expr) -> HornView | None:
    """Uncurry nested implications; None when ``expr`` is not an implication."""
    if not isinstance(expr, Implies):
        return None
    vars: list[str] = []
    premises: list[Expr] = []
    node: Expr = expr
    while isinstance(node, Implies):
        vars.extend(node.vars)
        premises.extend(flatten_and(node.premise))
        node = node.conclusion
    return HornView(tuple(vars), tuple(premises), node)


@dataclass(frozen=True)
class Operator:
    name: str
    relation: str                  # "in2", "in3" or "in4"
    domain: tuple[str, ...]        # argument sets
    codomain: str

    @property
    def arity(self) -> int:
        return len(self.domain)

    def __str__(self) -> str:
        return f"{self.name}: {' x '.join(self.domain)} -> {self.codomain}"


@dataclass(frozen=True)
class Constant:
    name: str
    type: str
    definition: tuple[str, tuple[str, ...]] | None = None   # (operator, args) when named

    def __str__(self) -> str:
        if self.definition:
            op, args = self.definition
            return f"{self.name} = {op}({', '.join(args)}) : {self.type}"
        return f"{self.name} : {self.type}"


@dataclass(frozen=True)
class InductionAxiom:
    index: int                     # position in the anchor's axiom list
    set_var: str                   # the quantified set variable (M)
    carrier: str                   # the set it covers (N)
    bases: tuple[str, ...]         # constants required in M
    constructors: tuple[str, ...]  # operators M must be closed under
    expr: Expr

    def __str__(self) -> str:
        parts = [f"induction over {self.carrier}: base {', '.join(self.bases)}"]
        if self.constructors:
            parts.append(f"step {', '.join(self.constructors)}")
        return "; ".join(parts)


@dataclass
class Signature:
    anchor: str
    params: tuple[str, ...]
    axioms: list[Expr]
    sets: list[str]
    operators: list[Operator]
    constants: list[Constant]
    relations: list[str]
    induction: list[InductionAxiom]
    recursion_positions: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def operator(self, name: str) -> Operator | None:
        for op in self.operators:
            if op.name == name:
                return op
        return None

    @property
    def operator_names(self) -> set[str]:
        return {op.name for op in self.operators}


MAX_AXIOMS = 10_000   # an anchor expanding to more is a mistake (definitions used twice
                      # in each of a chain of definitions double at every step)


def anchor_axioms(theory: Theory, anchor: str | None = None) -> list[Expr]:
    """The anchor's fully expanded body split at top-level conjunctions.

    Every axiom must nest at most ``MAX_DEPTH`` levels once its definitions are expanded
    (the walks over axioms recurse over their depth), and an anchor has at most
    ``MAX_AXIOMS`` axioms; otherwise an ``MPLError`` at the anchor says so."""
    definition = theory.default_anchor() if anchor is None else theory.anchor(anchor)
    body = expand_fully(theory, definition.body)
    axioms: list[Expr] = []
    stack = [body]
    while stack:                              # flatten_and, with a bound on the count
        node = stack.pop()
        if isinstance(node, And):
            stack.append(node.right)
            stack.append(node.left)
            continue
        axioms.append(node)
        if len(axioms) > MAX_AXIOMS:
            raise MPLError(f"anchor {definition.name!r} expands to more than {MAX_AXIOMS} "
                           "axioms", definition.position)
    depths: dict[Expr, int] = {}
    for number, axiom in enumerate(axioms, 1):
        if _depth(axiom, depths) > MAX_DEPTH:
            raise MPLError(f"anchor {definition.name!r}: axiom {number} is nested too deeply "
                           f"once its definitions are expanded (more than {MAX_DEPTH} levels)",
                           definition.position)
    return axioms


def _depth(expr: Expr, depths: dict[Expr, int]) -> int:
    """Nesting depth of ``expr`` (an atom is 1), without recursion; ``depths`` memoizes."""
    stack = [expr]
    while stack:
        node = stack[-1]
        if node in depths:
            stack.pop()
            continue
        if isinstance(node, Atom):
            depths[node] = 1
            stack.pop()
            continue
        if isinstance(node, And):
            children = (node.left, node.right)
        elif isinstance(node, Not):
            children = (node.body,)
        else:
            children = (node.premise, node.conclusion)
        missing = [c for c in children if c not in depths]
        if missing:
            stack.extend(missing)
            continue
        stack.pop()
        depths[node] = 1 + max(depths[c] for c in children)
    return depths[expr]


def _total(view: HornView) -> tuple[str, str, tuple[str, ...], str] | None:
    """(relation, name, domain sets, codomain) for a totality axiom."""
    concl = view.conclusion
    if not (isinstance(concl, Not) and isinstance(concl.body, Implies)):
        return None
    inner = concl.body
    if len(inner.vars) != 1 or not isinstance(inner.conclusion, Not):
        return None
    out = inner.vars[0]
    fact = inner.conclusion.body
    guard = inner.premise
    if not (isinstance(fact, Atom) and fact.name in FUNCTION_RELATIONS):
        return None
    if not (isinstance(guard, Atom) and guard.name == "in" and guard.args[0] == out):
        return None
    n_in = FUNCTION_RELATIONS[fact.name]
    inputs, output, f = fact.args[:n_in], fact.args[n_in], fact.args[-1]
    if output != out or tuple(inputs) != tuple(view.vars) or f in view.vars:
        return None
    sets = {}
    for premise in view.premises:
        if isinstance(premise, Atom) and premise.name == "in" and premise.args[0] in inputs:
            sets[premise.args[0]] = premise.args[1]
    if len(sets) != len(inputs):
        return None
    return fact.name, f, tuple(sets[x] for x in inputs), guard.args[1]


def _single_valued(view: HornView) -> tuple[str, str] | None:
    concl = view.conclusion
    if not (isinstance(concl, Atom) and concl.name == "="):
        return None
    facts = [p for p in view.premises if isinstance(p, Atom) and p.name in FUNCTION_RELATIONS]
    guards = [p for p in view.premises if isinstance(p, Atom) and p.name == "in"]
    if len(facts) != 2 or len(facts) + len(guards) != len(view.premises):
        return None
    a, b = facts
    if a.name != b.name:
        return None
    n_in = FUNCTION_RELATIONS[a.name]
    if a.args[:n_in] != b.args[:n_in] or a.args[-1] != b.args[-1]:
        return None
    if {a.args[n_in], b.args[n_in]} != set(concl.args) or a.args[n_in] == b.args[n_in]:
        return None
    return a.name, a.args[-1]


def _induction(index: int, expr: Expr) -> InductionAxiom | None:
    if not (isinstance(expr, Implies) and len(expr.vars) == 1):
        return None
    m = expr.vars[0]
    for atom in atoms(expr):
        if m in atom.args and not (atom.name == "in" and atom.args[1] == m and atom.args[0] != m):
            return None
    concl = expr.conclusion
    if not (isinstance(concl, Implies) and len(concl.vars) == 1
            and isinstance(concl.premise, Atom) and concl.premise.name == "in"
            and concl.conclusion == Atom("in", (concl.vars[0], m))
            and concl.premise.args[0] == concl.vars[0]):
        return None
    carrier = concl.premise.args[1]
    bases, constructors = [], []
    for part in flatten_and(expr.premise):
        if isinstance(part, Atom) and part.name == "in" and part.args[1] == m:
            bases.append(part.args[0])
            continue
        view = horn_view(part)
        if view is None or not (isinstance(view.conclusion, Atom) and view.conclusion.name == "in"):
            return None
        made = view.conclusion.args[0]
        builders = [p for p in view.premises if isinstance(p, Atom) and p.name in FUNCTION_RELATIONS
                    and p.args[FUNCTION_RELATIONS[p.name]] == made]
        if len(builders) != 1:
            return None
        constructors.append(builders[0].args[-1])
    return InductionAxiom(index, m, carrier, tuple(bases), tuple(constructors), expr)


def derive_signature(theory: Theory, anchor: str | None = None) -> Signature:
    definition = theory.default_anchor() if anchor is None else theory.anchor(anchor)
    axioms = anchor_axioms(theory, definition.name)
    params = definition.params
    totals: dict[str, tuple[str, tuple[str, ...], str]] = {}
    singles: set[tuple[str, str]] = set()
    induction: list[InductionAxiom] = []
    for index, axiom in enumerate(axioms):
        ind = _induction(index, axiom)
        if ind is not None:
            induction.append(ind)
            continue
        view = horn_view(axiom)
        if view is None:
            continue
        total = _total(view)
        if total is not None:
            relation, f, domain, codomain = total
            totals[f] = (relation, domain, codomain)
        single = _single_valued(view)
        if single is not None:
            singles.add(single)
    operators = [Operator(f, rel, dom, cod) for f, (rel, dom, cod) in totals.items()
                 if (rel, f) in singles and f in params]
    operators.sort(key=lambda op: params.index(op.name))
    op_names = {op.name for op in operators}
    sets = sorted({a.args[1] for a in _atoms_of(axioms) if a.name == "in" and a.args[1] in params},
                  key=params.index)
    constants: list[Constant] = []
    for axiom in axioms:
        if isinstance(axiom, Atom) and axiom.name == "in" and axiom.args[0] in params \
                and axiom.args[0] not in op_names:
            constants.append(Constant(axiom.args[0], axiom.args[1]))
    known = {c.name for c in constants}
    for axiom in axioms:
        if isinstance(axiom, Atom) and axiom.name in FUNCTION_RELATIONS and axiom.args[-1] in op_names:
            op = next(o for o in operators if o.name == axiom.args[-1])
            n_in = op.arity
            out = axiom.args[n_in]
            if out in params and out not in known and all(a in known for a in axiom.args[:n_in]):
                constants.append(Constant(out, op.codomain, (op.name, tuple(axiom.args[:n_in]))))
                known.add(out)
    relations = sorted({a.args[-1] for a in _atoms_of(axioms)
                        if a.name in FUNCTION_RELATIONS and a.args[-1] in params
                        and a.args[-1] not in op_names}, key=params.index)
    signature = Signature(definition.name, params, axioms, sets, operators, constants, relations,
                          induction)
    signature.recursion_positions = _recursion_positions(signature)
    return signature


def _atoms_of(axioms: list[Expr]):
    for axiom in axioms:
        yield from atoms(axiom)


def _recursion_positions(signature: Signature) -> dict[str, tuple[int, ...]]:
    """For each operator, the argument positions its defining axioms take apart.

    An axiom whose conclusion is an operator fact f(.., t, ..) = r, where t is a base
    constant or the output of a constructor, recurses on that position."""
    bases = {b for ind in signature.induction for b in ind.bases}
    constructors = {c for ind in signature.induction for c in ind.constructors}
    ops = signature.operator_names
    found: dict[str, set[int]] = {}
    for axiom in signature.axioms:
        view = horn_view(axiom)
        if view is None or not isinstance(view.conclusion, Atom):
            continue
        concl = view.conclusion
        if concl.name not in FUNCTION_RELATIONS or concl.args[-1] not in ops:
            continue
        made_by_constructor = {p.args[FUNCTION_RELATIONS[p.name]] for p in view.premises
                               if isinstance(p, Atom) and p.name in FUNCTION_RELATIONS
                               and p.args[-1] in constructors}
        n_in = FUNCTION_RELATIONS[concl.name]
        for i, arg in enumerate(concl.args[:n_in]):
            if arg in bases or arg in made_by_constructor:
                found.setdefault(concl.args[-1], set()).add(i)
    return {name: tuple(sorted(pos)) for name, pos in found.items()}
