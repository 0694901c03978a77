"""Statements compared by meaning: one key for every way of writing the same law.

``meaning_key(expr)`` is the key that ``genlogic similar`` and the service's theorem
search compare before any vector similarity.  Two statements get the same key when
they differ only in the names of their bound variables (``alpha_key``) and in how a
conclusion about an operator's value is written: ``f(x..) = y`` as the relation atom
itself, or as a fresh value ``d`` with ``f(x..) = d`` among the premises and ``y = d``
as the conclusion.  So the goal-shaped ``(>[a,b,c](in3[a,b,c,+])(in3[b,a,c,+]))`` and
the explored ``(>[a,b,c,d](&(in3[a,b,c,+])(in3[b,a,d,+]))(=[c,d]))`` agree.

This module only builds keys; it does not parse, encode or rank.
"""

from __future__ import annotations

from .ast import And, Atom, Expr, Implies, alpha_key
from .signature import FUNCTION_RELATIONS

__all__ = ["meaning_key"]

FRESH_VALUE = "\0d"  # no user can write this name


def meaning_key(expr: Expr) -> Expr:
    """``expr`` up to renaming, with an operator-valued conclusion ``f(x..) = y``
    written as ``f(x..) = d, d = y``.

    >>> from genlogic.mpl.parser import parse_expr
    >>> goal = parse_expr("(>[a,b,c](in3[a,b,c,+])(in3[b,a,c,+]))")
    >>> explored = parse_expr("(>[x,y,u,v](&(in3[x,y,u,+])(in3[y,x,v,+]))(=[u,v]))")
    >>> meaning_key(goal) is meaning_key(explored)
    True
    """
    if isinstance(expr, Implies) and isinstance(expr.conclusion, Atom) and \
            expr.conclusion.name in FUNCTION_RELATIONS:
        conclusion = expr.conclusion
        n_in = FUNCTION_RELATIONS[conclusion.name]
        args = conclusion.args
        premise = And(expr.premise, Atom(conclusion.name, args[:n_in] + (FRESH_VALUE,) + args[n_in + 1:]))
        expr = Implies(expr.vars + (FRESH_VALUE,), premise, Atom("=", (args[n_in], FRESH_VALUE)))
    return alpha_key(expr)
