"""TSTP-style derivation text: one ``fof`` line per proof step, SZS status per goal.

Each step becomes ``fof(NAME_sN, plain, FORMULA, SOURCE).`` where FORMULA is the step's
MPL expression written in TPTP first-order syntax (bound names become upper-case
variables, every other name a constant) and SOURCE is
``inference(rule,[status(thm)],[parents])`` - or ``introduced(assumption,[...])`` for a
``premise`` step, an assumption of its context.  A ``theorem`` step names the conclusion of
the theorem it cites as its parent, so the file is one connected derivation.  Proved
theorems get ``% SZS status Theorem for NAME``; failed goals ``GaveUp`` or
``CounterSatisfiable``.

Steps inside a sub-proof depend on the hypotheses of their context; TSTP has no notation
for that, so the assumption lines carry ``context(k)`` and the discharge is the
``implies_intro`` inference.  The readable comments are the model's, derived from the MPL
with the theory's operators.  This module renders; it does not check.
"""

from __future__ import annotations

import hashlib
import re

from ..mpl.ast import And, Atom, Implies, Not
from .model import Site, _parse_cached

__all__ = ["tstp_text", "tptp_formula", "tptp_name"]

_LOWER_WORD = re.compile(r"[a-z][A-Za-z0-9_]*\Z")


def tptp_name(name: str) -> str:
    """A TPTP lower word for a theorem id (the id itself when it already is one)."""
    if _LOWER_WORD.match(name):
        return name
    base = re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_").lower() or "t"
    if not base[0].isalpha():
        base = "t_" + base
    return f"{base}_{hashlib.sha256(name.encode()).hexdigest()[:6]}"


def _constant(name: str) -> str:
    if _LOWER_WORD.match(name):
        return name
    return "'" + name.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _variable(name: str, in_use: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9_]+", "_", name)
    base = base[:1].upper() + base[1:] if base[:1].isalpha() else "X" + base
    candidate, n = base, 1
    while candidate in in_use:
        candidate, n = f"{base}_{n}", n + 1
    return candidate


def tptp_formula(mpl: str) -> str:
    """An MPL expression in TPTP ``fof`` syntax.

    >>> tptp_formula("(>[a,b,c](in3[a,b,c,+])(in3[b,a,c,+]))")
    "! [A,B,C] : (in3(A,B,C,'+') => in3(B,A,C,'+'))"
    >>> tptp_formula("!(>[z](in[z,N])!(in3[x,y,z,+]))")
    "? [Z] : (in(Z,'N') & in3(x,y,Z,'+'))"
    """
    return _emit(_parse_cached(mpl), {})     # parsed once per text, shared with the model


def _emit(expr, scope: dict[str, str]) -> str:
    if isinstance(expr, Atom):
        args = [scope.get(a) or _constant(a) for a in expr.args]
        if expr.name == "=" and len(args) == 2:
            return f"{args[0]} = {args[1]}"
        return f"{_constant(expr.name)}({','.join(args)})" if args else _constant(expr.name)
    if isinstance(expr, And):
        return f"({_emit(expr.left, scope)} & {_emit(expr.right, scope)})"
    if isinstance(expr, Not):
        inner = expr.body
        if isinstance(inner, Implies) and inner.vars and isinstance(inner.conclusion, Not):
            inner_scope = _bind(inner.vars, scope)
            names = ",".join(inner_scope[v] for v in inner.vars)
            return (f"? [{names}] : ({_emit(inner.premise, inner_scope)} & "
                    f"{_emit(inner.conclusion.body, inner_scope)})")
        return f"~ ({_emit(inner, scope)})"
    if isinstance(expr, Implies):
        inner_scope = _bind(expr.vars, scope)
        body = f"({_emit(expr.premise, inner_scope)} => {_emit(expr.conclusion, inner_scope)})"
        if not expr.vars:
            return body
        return f"! [{','.join(inner_scope[v] for v in expr.vars)}] : {body}"
    raise TypeError(f"not an MPL expression: {expr!r}")


def _bind(names, scope: dict[str, str]) -> dict[str, str]:
    inner = dict(scope)
    for name in names:
        inner.pop(name, None)
    in_use = set(inner.values())
    for name in names:
        inner[name] = _variable(name, in_use)
        in_use.add(inner[name])
    return inner


def tstp_text(site: Site) -> str:
    """The whole derivation file."""
    theory = site.theory
    lines = [f"% genlogic derivation, schema {site.schema}",
             f"% theory {theory.get('path', '?')} (anchor {theory.get('anchor', '?')}), "
             f"source hash {theory.get('source_hash', '?')}",
             "% Each theorem T is proved under the anchor's hypothesis: "
             "for all parameters, anchor -> T.", ""]
    names = {t.id: tptp_name(t.id) for t in site.theorems}
    conclusions = {t.id: t.conclusion for t in site.theorems}
    for theorem in site.theorems:
        name = names[theorem.id]
        lines.append(f"% SZS status Theorem for {name}")
        lines.append(f"% {theorem.id}: {theorem.readable}  ({theorem.method or 'direct'})")
        lines.append(f"% SZS output start Proof for {name}")
        for step in theorem.steps:
            lines.append(_step_line(name, step, names, conclusions))
        lines.append(f"% SZS output end Proof for {name}")
        lines.append("")
    for goal in site.failed:
        status = goal.status if goal.status in ("GaveUp", "CounterSatisfiable") else "GaveUp"
        lines.append(f"% SZS status {status} for {tptp_name(goal.id)}")
        lines.append(f"% {goal.id}: {goal.readable}")
        if goal.counterexample:
            lines.append(f"% counterexample: {' '.join(goal.counterexample.split())}")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _step_line(name: str, step, names: dict[str, str], conclusions: dict) -> str:
    formula = tptp_formula(step.expr)
    label = f"{name}_s{step.id}"
    extra = dict(step.extra)
    if step.rule == "premise":
        source = f"introduced(assumption,[context({step.context}),index({extra.get('index', 0)})])"
    else:
        parents = [f"{name}_s{p}" for p in step.premises]
        info = ["status(thm)"]
        if step.rule == "theorem" and step.cited_theorem in names:
            cited = step.cited_theorem
            parents.append(f"{names[cited]}_s{conclusions[cited]}")
            info.append(f"theorem({names[cited]})")
        elif step.rule == "implies-intro" and "block" in extra:
            info.append(f"discharge(context({extra['block']}))")
        elif step.rule == "exists-elim" and extra.get("witnesses"):
            info.append(f"new_symbols(skolem,[{','.join(_constant(w) for w in extra['witnesses'])}])")
        source = f"inference({step.rule.replace('-', '_')},[{','.join(info)}],[{','.join(parents)}])"
    return f"fof({label}, plain, {formula}, {source})."
