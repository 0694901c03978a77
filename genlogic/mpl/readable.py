"""Readable form (DESIGN 3.5): relational chains shown as terms.

``(>[a,b,c](in3[a,b,c,+])(in3[b,a,c,+]))`` prints as ``∀a b. a + b = b + a``.
A premise ``in2[x,y,f]`` / ``in3[x,y,z,f]`` over an operator whose output is a
quantified variable defined exactly once names a term; such variables are replaced
by their terms everywhere.  What remains is printed as conditions (``∧``, ``→``).
Operators with symbolic names are infix; others are applied ``f(x, y)``.
"""

from __future__ import annotations

from .ast import And, Atom, Expr, Implies, Not, atoms, flatten_and
from .signature import FUNCTION_RELATIONS, horn_view

__all__ = ["readable", "term_text"]

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "^": 3}


def _is_symbolic(name: str) -> bool:
    return not any(ch.isalnum() or ch == "_" for ch in name)


def _prec(op: str) -> int:
    return _PRECEDENCE.get(op, 0)     # unknown symbols bind loosest (as the infix parser reads them)


def term_text(term, operators: set[str]) -> str:
    """Render a term tree: a name, or (operator, (subterms...))."""
    if isinstance(term, str):
        return term
    op, args = term
    if len(args) == 2 and _is_symbolic(op):
        left, right = args
        lt, rt = term_text(left, operators), term_text(right, operators)
        if _needs_parens(left, op, right_side=False):
            lt = f"({lt})"
        if _needs_parens(right, op, right_side=True):
            rt = f"({rt})"
        return f"{lt} {op} {rt}"
    return f"{op}({', '.join(term_text(a, operators) for a in args)})"


def _needs_parens(child, op: str, right_side: bool) -> bool:
    if isinstance(child, str):
        return False
    child_op, child_args = child
    if not (len(child_args) == 2 and _is_symbolic(child_op)):
        return False
    if _prec(child_op) < _prec(op):
        return True
    if _prec(child_op) == _prec(op):
        return right_side if op != "^" else not right_side
    return False


def readable(expr: Expr, operators: set[str] | None = None) -> str:
    """The readable form of a statement; ``operators`` are the function relations'
    names (defaults to every name used as the last argument of in2/in3).

    >>> from genlogic.mpl.parser import parse_expr
    >>> readable(parse_expr("(>[a,b,c](in3[a,b,c,+])(in3[b,a,c,+]))"))
    '∀a b. a + b = b + a'
    """
    if operators is None:
        operators = {a.args[-1] for a in atoms(expr) if a.name in FUNCTION_RELATIONS}
    return _statement(expr, operators, {})


def _names_of(term) -> set[str]:
    if isinstance(term, str):
        return {term}
    return {n for arg in term[1] for n in _names_of(arg)}


def _unshadowed(env: dict, bound) -> dict:
    """``env`` inside a scope that binds ``bound``: a bound name means itself there, and
    a term that mentions one would be captured, so both are dropped."""
    bound = set(bound)
    if not bound:
        return env
    return {k: v for k, v in env.items() if k not in bound and not (_names_of(v) & bound)}


def _statement(expr: Expr, operators: set[str], env: dict) -> str:
    view = horn_view(expr)
    if view is None:
        return _formula(expr, operators, env)
    env = _unshadowed(env, view.vars)
    conclusions = flatten_and(view.conclusion)
    defined: dict[str, object] = {}
    rest: list[Expr] = []
    counts: dict[str, int] = {}
    for p in view.premises:
        if isinstance(p, Atom) and p.name in FUNCTION_RELATIONS and p.args[-1] in operators:
            out = p.args[FUNCTION_RELATIONS[p.name]]
            counts[out] = counts.get(out, 0) + 1
    seen_terms: set = set()
    for p in view.premises:
        if isinstance(p, Atom) and p.name in FUNCTION_RELATIONS and p.args[-1] in operators:
            n_in = FUNCTION_RELATIONS[p.name]
            out = p.args[n_in]
            key = (p.args[-1], tuple(p.args[:n_in]))
            if out in view.vars and counts[out] == 1 and out not in defined \
                    and out not in p.args[:n_in] and key not in seen_terms:
                defined[out] = key
                seen_terms.add(key)
                continue
        rest.append(p)
    # a conclusion fact f(x..) = v whose v is defined by the premises reads as an equation
    inner = dict(env)
    resolving: set[str] = set()

    def resolve(name):
        if name in inner:
            return inner[name]
        if name not in defined or name in resolving:
            return name
        resolving.add(name)
        op, args = defined[name]
        value = (op, tuple(resolve(a) for a in args))
        resolving.discard(name)
        inner[name] = value
        return value

    for name in list(defined):
        resolve(name)
    shown_vars = [v for v in view.vars if v not in defined]
    # variables that only appear inside definitions still need to be shown as quantified
    cond = [_formula(p, operators, inner) for p in rest]
    concl = " ∧ ".join(_formula(c, operators, inner) for c in conclusions)
    body = concl if not cond else f"{' ∧ '.join(cond)} → {concl}"
    return f"∀{' '.join(shown_vars)}. {body}" if shown_vars else body


def _formula(expr: Expr, operators: set[str], env: dict) -> str:
    def t(name):
        return term_text(env.get(name, name), operators)

    if isinstance(expr, Atom):
        if expr.name == "=":
            return f"{t(expr.args[0])} = {t(expr.args[1])}"
        if expr.name in FUNCTION_RELATIONS and expr.args[-1] in operators:
            n_in = FUNCTION_RELATIONS[expr.name]
            lhs = term_text((expr.args[-1], tuple(env.get(a, a) for a in expr.args[:n_in])),
                            operators)
            out = expr.args[n_in]
            if not isinstance(env.get(out, out), str):   # a named term reads first
                return f"{t(out)} = {lhs}"
            return f"{lhs} = {t(out)}"
        if expr.name == "in":
            return f"{t(expr.args[0])} ∈ {t(expr.args[1])}"
        return f"{expr.name}({', '.join(t(a) for a in expr.args)})"
    if isinstance(expr, And):
        return " ∧ ".join(_formula(p, operators, env) for p in flatten_and(expr))
    if isinstance(expr, Not):
        body = expr.body
        if isinstance(body, Implies) and isinstance(body.conclusion, Not):
            inner = _formula(And(body.premise, body.conclusion.body), operators,
                             _unshadowed(env, body.vars))
            return f"∃{' '.join(body.vars)}. {inner}"
        if isinstance(body, Atom) and body.name == "=":
            return f"{t(body.args[0])} ≠ {t(body.args[1])}"
        return f"¬({_formula(body, operators, env)})"
    return f"({_statement(expr, operators, env)})"
