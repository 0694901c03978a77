"""Replay: a recorded proof re-derived through the kernel's rules, the one door for theorems
that were proved somewhere else (an earlier run's graph, the journal of a killed run, a
worker process).

``replay_theorem`` reads one theorem entry of the proof-graph format
(``docs/proof_graph.md``), opens its contexts in this session and re-makes every step
with the rule it names; each rule checks its own premises as it would for the prover.
The recorded expression of each step must agree (up to bound names) with what the rule
produces, and the conclusion must be the theorem's statement; only then does
``Session.conclude_theorem`` record it.  Nothing here creates a fact by itself.
"""

from __future__ import annotations

from typing import Any

from ..mpl.ast import Expr, alpha_key
from ..mpl.errors import MPLError
from ..mpl.parser import parse_expr
from .core import Context, Fact, KernelError
from .rules import Session

__all__ = ["ReplayError", "replay_theorem"]


class ReplayError(KernelError):
    """A recorded proof does not replay: the message names the theorem and step."""


def _expr(text: Any, what: str) -> Expr:
    if not isinstance(text, str):
        raise ReplayError(f"{what} is not MPL text")
    try:
        return parse_expr(text, "<graph>")
    except (MPLError, RecursionError) as exc:
        raise ReplayError(f"{what} is not MPL: {getattr(exc, 'message', exc)}") from None


def _field(obj: Any, key: str, kind: type | tuple) -> Any:
    if not isinstance(obj, dict) or key not in obj:
        raise ReplayError(f"missing field {key!r}")
    value = obj[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ReplayError(f"field {key!r} has the wrong type")
    return value


def replay_theorem(session: Session, entry: dict, name: str | None = None) -> Fact:
    """Re-derive ``entry``'s proof in ``session`` and record it as theorem ``name``
    (default: the entry's id).  Returns the conclusion fact; raises ReplayError."""
    label = name or (entry.get("id") if isinstance(entry, dict) else None) or "?"
    try:
        statement = _expr(_field(entry, "mpl", str), "mpl")
        fact = _replay(session, entry)
        session.conclude_theorem(str(label), fact, statement)
        return fact
    except ReplayError as exc:
        raise ReplayError(f"theorem {label}: {exc}") from None
    except KernelError as exc:
        raise ReplayError(f"theorem {label}: {exc}") from None


def _replay(session: Session, entry: dict) -> Fact:
    contexts: dict[int, Context] = {}
    for raw in _field(entry, "contexts", list):
        cid, parent = _field(raw, "id", int), raw.get("parent") if isinstance(raw, dict) else None
        names = tuple(_field(raw, "vars", list))
        text = raw.get("hypothesis")
        if not contexts:
            if cid != 0 or parent is not None or names != session.root.vars or \
                    text is None or _expr(text, "root hypothesis") is not session.anchor:
                raise ReplayError("the first context is not this session's root")
            contexts[0] = session.root
            continue
        if cid in contexts or parent not in contexts:
            raise ReplayError(f"context {cid}: parent {parent} is not an earlier context")
        if not all(isinstance(n, str) for n in names):
            raise ReplayError(f"context {cid}: vars are not names")
        hypothesis = _expr(text, f"context {cid} hypothesis") if text is not None else None
        contexts[cid] = session.open_block(contexts[parent], names, hypothesis,
                                           str(raw.get("label", "block")))
    facts: dict[int, Fact] = {}
    for raw in _field(entry, "steps", list):
        sid = _field(raw, "id", int)
        try:
            facts[sid] = _step(session, raw, contexts, facts)
        except KernelError as exc:
            raise ReplayError(f"step {sid} ({raw.get('rule')}): {exc}") from None
    conclusion = _field(entry, "conclusion", int)
    if conclusion not in facts:
        raise ReplayError(f"conclusion {conclusion} is not a step")
    return facts[conclusion]


def _step(s: Session, raw: dict, contexts: dict[int, Context], facts: dict[int, Fact]) -> Fact:
    cid = _field(raw, "context", int)
    if cid not in contexts:
        raise ReplayError(f"no context {cid}")
    ctx = contexts[cid]
    expr = _expr(_field(raw, "expr", str), "expr")
    rule = _field(raw, "rule", str)
    ids = _field(raw, "premises", list)
    if not all(type(i) is int and i in facts for i in ids):
        raise ReplayError(f"premises {ids} are not earlier steps")
    p = [facts[i] for i in ids]
    sub = _field(raw, "substitution", dict)
    extra = _field(raw, "extra", dict)

    def one() -> Fact:
        if len(p) != 1:
            raise ReplayError(f"{rule} takes one premise")
        return p[0]

    def two() -> tuple[Fact, Fact]:
        if len(p) != 2:
            raise ReplayError(f"{rule} takes two premises")
        return p[0], p[1]

    if rule == "premise":
        made = s.premise(ctx, _field(extra, "index", int))
    elif rule == "expand":
        made = s.expand(one(), ctx)
    elif rule == "theorem":
        if ctx is not s.root:
            raise ReplayError("a theorem is cited in the root only")
        made = s.theorem(_field(extra, "theorem", str))
    elif rule == "and-elim":
        made = s.and_elim(one(), _field(extra, "index", int), ctx)
    elif rule == "and-intro":
        made = s.and_intro(p, ctx)
    elif rule == "modus-ponens":
        if not p:
            raise ReplayError("modus-ponens needs its implication")
        made = s.modus_ponens(p[0], sub, p[1:], ctx)
    elif rule == "exists-elim":
        made = s.exists_elim(one(), tuple(_field(extra, "witnesses", list)), ctx)
    elif rule == "exists-intro":
        made = s.exists_intro(expr, sub, *two(), ctx)
    elif rule == "eq-refl":
        made = s.eq_refl(_field(extra, "name", str), ctx)
    elif rule == "eq-symm":
        made = s.eq_symm(one(), ctx)
    elif rule == "eq-trans":
        made = s.eq_trans(*two(), ctx)
    elif rule == "eq-subst":
        made = s.eq_subst(*two(), _field(extra, "position", int), ctx)
    elif rule == "contradiction":
        made = s.contradiction(*two(), expr, ctx)
    elif rule == "implies-intro":
        block = _field(extra, "block", int)
        if block not in contexts or contexts[block].parent is not ctx:
            raise ReplayError(f"block {block} is not a child of context {cid}")
        made = s.implies_intro(contexts[block], one())
    elif rule == "induction":
        made = s.induction(one(), _field(extra, "variable", str),
                           _expr(_field(extra, "predicate", str), "predicate"), ctx)
    else:
        raise ReplayError(f"unknown rule {rule!r}")
    if made.expr is not expr and alpha_key(made.expr) is not alpha_key(expr):
        raise ReplayError(f"the rule gives {made.expr}, the record says {expr}")
    if made.context is not ctx:
        raise ReplayError(f"the rule's fact stands in {made.context.label}, not context {cid}")
    return made

