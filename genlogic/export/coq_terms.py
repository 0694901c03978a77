"""MPL expressions as Coq propositions: the names and the translation the Coq export uses.

Every MPL name becomes a Coq identifier by an injective spelling (``coq_name``): letters,
digits and ``_`` stay, every other character becomes a short word between quotes (``+`` is
``'plus'``, MPL's own ``'`` is ``'quote'``; Coq allows ``'`` inside identifiers), and a
prefix keeps the kinds apart, so no translated name can be a Coq keyword, a name of Coq's
prelude or a name the export makes up:

    individuals (anchor parameters, bound variables, witnesses)   v_...
    defined relations                                              def_...
    theorems                                                       thm_...

The translation of an expression (``prop``):

    in[x,X]              in_ x X          (U -> U -> Prop; in2, in3, in4 likewise)
    in[t,M], M a set     M t              (see below)
    =[x,y]               x = y            (Coq's eq on U)
    R[a,b], R defined    def_R a b
    (&A B)               A /\\ B
    !A                   ~ A
    !(>[y..] A !B)       exists y.., A /\\ B   (existence; with no variable, A /\\ B)
    (>[x..] A B)         forall x.. : U, A -> B

Existence is read classically, as MPL means it: ``!(>[y] A !B)`` is rendered as the
``exists`` it abbreviates (the two are equivalent in classical logic; Coq's ``exists`` is
the stronger reading, so nothing is gained by it), which lets a proof take the witness
apart with ``destruct`` without a classical axiom.

A set variable is the variable of a one-variable implication in which it occurs (at
least once, free) only as the second argument of ``in``: the shape of an induction
axiom.  It is quantified over predicates, ``forall M : U -> Prop``, and ``in[t,M]`` is
``M t``.  Nothing here decides what is provable; a wrong reading only makes coqc reject.
"""

from __future__ import annotations

from ..mpl.ast import And, Atom, Expr, Implies, Not

__all__ = ["BUILTIN_PREDICATES", "coq_name", "prop", "is_existence", "is_set_binder",
           "conjunct_paths", "atom_prop"]

# MPL's built-in relations -> (Coq name, number of arguments)
BUILTIN_PREDICATES = {"in": ("in_", 2), "in2": ("in2", 3), "in3": ("in3", 4),
                      "in4": ("in4", 5)}

_SYMBOLS = {"+": "plus", "-": "minus", "*": "star", "/": "slash", "^": "hat", "=": "eq",
            "<": "lt", "~": "tilde", ".": "dot", "'": "quote", "$": "dollar", "%": "pct",
            "@": "at", "|": "bar"}


def _spell(name: str) -> str:
    out = []
    for ch in name:
        if ch.isascii() and (ch.isalnum() or ch == "_"):
            out.append(ch)
        else:
            word = _SYMBOLS.get(ch) or "x" + "".join(f"{b:02x}" for b in ch.encode("utf-8"))
            out.append(f"'{word}'")
    return "".join(out)


def coq_name(name: str, kind: str = "v") -> str:
    """The Coq identifier of an MPL name: ``kind`` is ``v`` (an individual or set
    variable), ``def`` (a defined relation) or ``thm`` (a theorem id)."""
    if not name:
        raise ValueError("an empty name has no Coq spelling")
    return f"{kind}_{_spell(name)}"


def is_existence(expr: Expr) -> bool:
    """``!(>[y..] A !B)``: there are y.. with A and B."""
    return (isinstance(expr, Not) and isinstance(expr.body, Implies)
            and isinstance(expr.body.conclusion, Not))


def _uses(expr: Expr, name: str, found: list[bool]) -> bool:
    """Whether ``name`` occurs free in ``expr`` only as ``in[_, name]``; ``found[0]``
    records whether it occurs at all."""
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Atom):
            for i, arg in enumerate(node.args):
                if arg == name:
                    if node.name != "in" or i != 1 or len(node.args) != 2:
                        return False
                    found[0] = True
        elif isinstance(node, And):
            stack += (node.left, node.right)
        elif isinstance(node, Not):
            stack.append(node.body)
        elif name not in node.vars:
            stack += (node.premise, node.conclusion)
    return True


def is_set_binder(expr: Expr) -> bool:
    """A one-variable implication whose variable is a set (the induction shape)."""
    if not (isinstance(expr, Implies) and len(expr.vars) == 1):
        return False
    found = [False]
    name = expr.vars[0]
    return (_uses(expr.premise, name, found) and _uses(expr.conclusion, name, found)
            and found[0])


def prop(expr: Expr, sets: frozenset[str] = frozenset()) -> str:
    """``expr`` as a Coq proposition; ``sets`` are the names bound as set variables
    where ``expr`` stands (free names are individuals otherwise)."""
    if isinstance(expr, Atom):
        return _atom(expr, sets)
    if isinstance(expr, And):
        return f"({prop(expr.left, sets)} /\\ {prop(expr.right, sets)})"
    if isinstance(expr, Not):
        if is_existence(expr):
            inner = expr.body
            scope = sets - set(inner.vars)
            body = f"{prop(inner.premise, scope)} /\\ {prop(inner.conclusion.body, scope)}"
            if not inner.vars:
                return f"({body})"
            return f"(exists {_binders(inner.vars)}, {body})"
        return f"(~ {prop(expr.body, sets)})"
    if is_set_binder(expr):
        name = expr.vars[0]
        scope = sets | {name}
        return (f"(forall {coq_name(name)} : U -> Prop, {prop(expr.premise, scope)} -> "
                f"{prop(expr.conclusion, scope)})")
    scope = sets - set(expr.vars)
    body = f"{prop(expr.premise, scope)} -> {prop(expr.conclusion, scope)}"
    if not expr.vars:
        return f"({body})"
    return f"(forall {_binders(expr.vars)}, {body})"


def _binders(names) -> str:
    return " ".join(f"({coq_name(n)} : U)" for n in names)


def _atom(atom: Atom, sets: frozenset[str]) -> str:
    if atom.name == "in" and len(atom.args) == 2 and atom.args[1] in sets:
        return f"({coq_name(atom.args[1])} {coq_name(atom.args[0])})"
    return atom_prop(atom)


def atom_prop(atom: Atom, holes: dict[int, str] | None = None) -> str:
    """An atom over individuals as a Coq proposition; ``holes`` puts the given Coq
    names at some argument positions instead of the atom's own arguments."""
    holes = holes or {}
    args = [holes.get(i, coq_name(a)) for i, a in enumerate(atom.args)]
    if atom.name == "=":
        return f"({args[0]} = {args[1]})"
    head = BUILTIN_PREDICATES[atom.name][0] if atom.name in BUILTIN_PREDICATES \
        else coq_name(atom.name, "def")
    return f"({' '.join([head, *args])})" if args else head


def conjunct_paths(expr: Expr) -> list[tuple[str, ...]]:
    """For each conjunct of ``flatten(expr)``, left to right, the projections that take
    a proof of ``expr`` to it (``("proj2", "proj1")``: first proj2, then proj1)."""
    out: list[tuple[str, ...]] = []
    stack: list[tuple[Expr, tuple[str, ...]]] = [(expr, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, And):
            stack.append((node.right, path + ("proj2",)))
            stack.append((node.left, path + ("proj1",)))
        else:
            out.append(path)
    return out
