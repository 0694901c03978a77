"""Terms for a block's classes: the cheapest term over its variables and constants.

A block's memory is an e-graph (``block.py``): an operator atom ``in3[x,y,z,f]`` is the
node f(x, y) in class z.  ``stuck_equations`` turns an open goal atom of a failed case
into an equation between two terms of the block's *variables* (its context chain's
variables) and the theory's constants, the cheapest term per class by size.  A
variable that some node also describes (m with m = s(n) in an induction step) costs
more than that node, so it is read as s(n): the equation is stated about the case's
original variables, ready to be generalised back into a conjecture (the way CCLemma
and TheSy take lemmas from stuck proof goals).  Nothing here makes a fact; the
equation is a conjecture for the explorer to filter and prove.
"""

from __future__ import annotations

from ..mpl.ast import Atom
from ..mpl.signature import FUNCTION_RELATIONS

__all__ = ["cheapest_terms", "stuck_equations"]

Term = tuple    # ("v", name) | ("c", name) | (operator, arg, ...), as explore.terms
DEFINED_VARIABLE = 5      # a variable's cost when a node describes its class too
ROUNDS = 8                # relaxation rounds: terms up to about this depth
ALTERNATIVES = 3          # terms per side of a stuck equation


def _nodes(block) -> list[tuple]:
    """(output class, operator, input classes) per operator atom, in a fixed order."""
    find = block.uf.find
    nodes = []
    for key in sorted(block.table):           # keys are tuples of names: sortable
        atom = block.table[key].expr
        n_in = FUNCTION_RELATIONS[atom.name]
        nodes.append((find(atom.args[n_in]), atom.args[-1],
                      tuple(find(a) for a in atom.args[:n_in])))
    return nodes


def cheapest_terms(block, variables: set[str], constants: set[str],
                   nodes: list[tuple] | None = None) -> dict[str, tuple]:
    """class -> (cost, term) for every class with a term over ``variables`` and
    ``constants``; ties broken by the term's text, so the result is deterministic."""
    find = block.uf.find
    nodes = _nodes(block) if nodes is None else nodes
    described = {out for out, _, inputs in nodes if out not in inputs}   # not a + 0 = a
    best: dict[str, tuple] = {}

    def offer(cls: str, cost: int, term: Term) -> bool:
        old = best.get(cls)
        if old is None or (cost, repr(term)) < (old[0], repr(old[1])):
            best[cls] = (cost, term)
            return True
        return False

    for name in sorted(variables):
        offer(find(name), DEFINED_VARIABLE if find(name) in described else 1, ("v", name))
    for name in sorted(constants):
        offer(find(name), 1, ("c", name))
    for _ in range(ROUNDS):
        changed = False
        for out, op, inputs in nodes:
            if all(i in best for i in inputs):
                cost = 1 + sum(best[i][0] for i in inputs)
                changed |= offer(out, cost, (op,) + tuple(best[i][1] for i in inputs))
        if not changed:
            break
    return best


def stuck_equations(block, goal: Atom, variables: set[str], constants: set[str],
                    operators: set[str], alternatives: int = ALTERNATIVES) -> list[tuple]:
    """The open goal ``goal`` (an equation, or an operator atom f(x..) = y) of ``block``
    as equations (left term, right term): the cheapest term of each side's class against
    the cheapest terms of the other (each node of the class over its inputs' cheapest
    terms, up to ``alternatives`` per side), so that a step case's goal gives both
    s(n) * a = a * s(n) and s(n) * a = a * n + a.  Empty when a side has no term."""
    nodes = _nodes(block)
    terms = cheapest_terms(block, variables, constants, nodes)
    find = block.uf.find

    def options(cls: str) -> list[Term]:
        """Terms for a class: its cheapest first, then one per node of it."""
        found = []
        if cls in terms:
            found.append(terms[cls])
        for out, op, inputs in nodes:
            if out == cls and all(i in terms for i in inputs):
                found.append((1 + sum(terms[i][0] for i in inputs),
                              (op,) + tuple(terms[i][1] for i in inputs)))
        out: list[Term] = []
        for _, term in sorted(found, key=lambda x: (x[0], repr(x[1]))):
            if term not in out:
                out.append(term)
        return out[:alternatives]

    if goal.name == "=":
        lefts, rights = options(find(goal.args[0])), options(find(goal.args[1]))
    elif goal.name in FUNCTION_RELATIONS and goal.args[-1] in operators:
        n_in = FUNCTION_RELATIONS[goal.name]
        node = block.table.get((goal.name, goal.args[-1]) + tuple(find(a) for a in goal.args[:n_in]))
        if node is not None:                 # f(x..) is known: its class against y's
            lefts = options(find(node.expr.args[n_in]))
        else:
            inputs = [terms.get(find(a)) for a in goal.args[:n_in]]
            lefts = [] if any(i is None for i in inputs) else \
                [(goal.args[-1],) + tuple(i[1] for i in inputs)]
        rights = options(find(goal.args[n_in]))
    else:
        return []
    pairs = []
    for i, left in enumerate(lefts):
        for j, right in enumerate(rights):
            if (i == 0 or j == 0) and left != right and (left, right) not in pairs:
                pairs.append((left, right))
    return pairs
