"""Canonical MPL text: ``parse_expr(to_mpl(e)) is e`` for every expression."""

from __future__ import annotations

from .ast import And, Atom, Expr, Implies, Not

__all__ = ["to_mpl"]


def to_mpl(expr: Expr) -> str:
    """Print ``expr`` in canonical MPL (no spaces, binary conjunctions).

    >>> from genlogic.mpl.parser import parse_expr
    >>> to_mpl(parse_expr("(>[a] (in[a,N]) (in3[a, i0, a, +]))"))
    '(>[a](in[a,N])(in3[a,i0,a,+]))'
    """
    parts: list[str] = []
    _emit(expr, parts)
    return "".join(parts)


def _emit(expr: Expr, out: list[str]) -> None:
    if isinstance(expr, Atom):
        out.append(f"({expr.name}[{','.join(expr.args)}])")
    elif isinstance(expr, And):
        out.append("(&")
        _emit(expr.left, out)
        _emit(expr.right, out)
        out.append(")")
    elif isinstance(expr, Not):
        out.append("!")
        _emit(expr.body, out)
    elif isinstance(expr, Implies):
        out.append(f"(>[{','.join(expr.vars)}]")
        _emit(expr.premise, out)
        _emit(expr.conclusion, out)
        out.append(")")
    else:  # pragma: no cover - the AST has four node kinds
        raise TypeError(f"not an MPL expression: {expr!r}")
