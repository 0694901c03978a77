"""The elements a ground model is built on: a bounded slice of the theory's initial model.

Per sort (``mpl.sorts``):

- an *inductive* sort gets its constructor terms by size: the bases, then every
  constructor applied to elements already built, whole sizes at a time
  (``constructor_terms``);
- a *parameter* or *function* sort gets ``GENERIC`` generic elements: fresh names the
  model's block fixes, assumed in the set and pairwise different (its constants that
  the axioms leave free count among them; other constants stay terms of the theory);
- a *free* operator (``mpl.sorts.free_symbols``) whose sets are all parameter or
  function sorts gets a fixed table over the generic elements, assumed too: with two
  elements of E, ``ap`` makes one function of F constant and the other a swap.

The assumptions are a hypothesis of the model's block, so every table entry is still a
fact the kernel derives, now under "E has these different elements and these functions
exist".  A theory consistent with that has a model with exactly those facts, so a
counterexample found on it is a real one; a theory that contradicts it shows the
contradiction in the block, and then the model refutes nothing (``Distinctness``).

Only the plan is made here (names, hypotheses, the order of construction); ``model.py``
builds it in a block.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations, product

from ..mpl.ast import Atom, Expr, Not
from ..mpl.signature import Signature
from ..mpl.sorts import INDUCTIVE, Sort, free_symbols

__all__ = ["GENERIC", "Universe", "plan_universe", "constructor_terms"]

GENERIC = 2          # generic elements per parameter or function sort
ELEMENTS = 40        # most elements of an inductive sort


@dataclass
class Universe:
    """What the model's block fixes and assumes, and the elements' names per sort.

    ``generic``: sort -> its generic names (fixed by the block or free constants);
    ``hypotheses``: the block's assumptions; ``shown``: name -> how it reads."""
    fixed: tuple[str, ...] = ()
    hypotheses: list[Expr] = field(default_factory=list)
    generic: dict[str, list[str]] = field(default_factory=dict)
    constants: dict[str, list[str]] = field(default_factory=dict)   # other constants per sort
    shown: dict[str, str] = field(default_factory=dict)


def used_sorts(signature: Signature, operators) -> set[str]:
    """Sets that operators or constants live in (a set nothing uses needs no elements)."""
    used = {c.type for c in signature.constants}
    for op in operators:
        used.update(op.domain)
        used.add(op.codomain)
    return used


def plan_universe(signature: Signature, sorts: dict[str, Sort], operators,
                  fresh_names) -> Universe:
    """Generic elements and the assumptions about them.  ``fresh_names(bases)`` gives
    names the session has not used (``Session.fresh_names``)."""
    universe = Universe()
    free = free_symbols(signature)
    used = used_sorts(signature, operators)
    fixed: list[str] = []
    for sort in sorts.values():
        if sort.kind == INDUCTIVE or sort.name not in used:
            continue
        own = [c.name for c in signature.constants if c.type == sort.name and c.definition is None]
        free_own = [c for c in own if c in free]
        universe.constants[sort.name] = [c for c in own if c not in free]
        count = max(GENERIC - len(free_own), 0)
        base = sort.name.lower() if sort.name.isidentifier() else "g"
        names = list(fresh_names([base] * count)) if count else []
        fixed.extend(names)
        members = free_own + names
        universe.generic[sort.name] = members
        for i, name in enumerate(names):
            universe.hypotheses.append(Atom("in", (name, sort.name)))
        for a, b in combinations(members, 2):
            universe.hypotheses.append(Not(Atom("=", (a, b))))
        for i, name in enumerate(members):
            universe.shown[name] = name if name in free_own else f"{base}{i + 1}"
    for op in operators:
        if op.name not in free:
            continue
        pools = [universe.generic.get(s) for s in op.domain + (op.codomain,)]
        if any(not p for p in pools):
            continue                  # a set without generic elements: no table to choose
        out = pools[-1]
        for index in product(*(range(len(p)) for p in pools[:-1])):
            args = tuple(pools[k][i] for k, i in enumerate(index))
            universe.hypotheses.append(
                Atom(op.relation, args + (out[_choose(index, len(out))], op.name)))
    universe.fixed = tuple(fixed)
    return universe


def _choose(index: tuple[int, ...], size: int) -> int:
    """The chosen table of a free operator: with a function argument first,
    f_i(x_j) = x_(i * (j + 1)) mod k (constant, shift, reflection, ...); unary: a shift."""
    if len(index) == 1:
        return (index[0] + 1) % size
    return (index[0] * (index[1] + 1) + sum(index[2:])) % size


def constructor_terms(signature: Signature, sorts: dict[str, Sort], pools: dict[str, list],
                      size: int, make, shown: dict[str, str], depth: dict[str, int]) -> None:
    """Build constructor applications by size (symbols in the term, the smallest first;
    of one size in the order of the sorts, their constructors and the arguments' order).
    Each inductive sort gets whole size levels only, while it has at most ``ELEMENTS``
    elements and no element nests more than ``size - 1`` constructors: the numerals
    0..size-1, or for lists over two elements every list of length at most four.  An
    argument of another sort (the element of a list) is one of that sort's elements of
    depth at most 1.  ``pools`` maps each sort to its element names so far (bases and
    generic names) and is extended with each term built; ``make(op, args)`` builds one
    and returns its name (None when it cannot); ``shown`` gets how each reads, e.g.
    ``cons(e1, nil)``, and ``depth`` its nesting of constructors (0 for bases and
    generic elements)."""
    measure = {name: 1 for names in pools.values() for name in names}
    inductive = [s for s in sorts.values() if s.kind == INDUCTIVE]
    builders = [(s.name, signature.operator(c)) for s in inductive for c in s.constructors]
    builders = [(s, op) for s, op in builders if op is not None and op.codomain == s]
    if not builders:
        return
    widest = max(op.arity for _, op in builders)
    closed: set[str] = set()
    n = 1
    while len(closed) < len(inductive):
        n += 1
        if n - 1 > widest * max(measure.values(), default=1):
            return                    # no argument sizes add up to n - 1 any more
        for sort in [s.name for s in inductive if s.name not in closed]:
            level = []
            for built, op in builders:
                if built != sort:
                    continue
                choices = [[x for x in pools.get(d, []) if measure[x] < n
                            and (d == sort or depth.get(x, 0) <= 1)] for d in op.domain]
                for args in product(*choices):
                    if sum(measure[a] for a in args) == n - 1 and \
                            1 + max((depth.get(a, 0) for a in args), default=0) < size:
                        level.append((op, args))
            if len(pools[sort]) + len(level) > ELEMENTS:
                closed.add(sort)      # a level that does not fit whole is left out
                continue
            for op, args in level:
                made = make(op, args)
                if made is None or made in measure:
                    continue
                measure[made] = n
                depth[made] = 1 + max((depth.get(a, 0) for a in args), default=0)
                pools[sort].append(made)
                shown[made] = f"{op.name}({', '.join(shown.get(a, a) for a in args)})"
