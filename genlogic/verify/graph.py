"""Verify a whole proof graph: find the theory, then check theorems, contexts and steps.

``verify_path`` reads ``proof_graph.json`` and the theory file it names, checks the
source hash, the theorem order (acyclic, earlier theorems only) and every theorem
with ``checker``; it returns a ``Report`` and never raises on bad input.
"""

from __future__ import annotations

import json
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

from ..mpl.ast import Atom, Expr, alpha_key
from ..mpl.errors import MPLError
from ..mpl.theory import Theory, load
from .checker import SCHEMA, Graph, Theorem, _Bad, _check_scope, _check_step, _Context
from .checker import _get, _names, _parse, _Proof, _short
from .report import Report

__all__ = ["verify_path", "verify_graph"]


def verify_path(path: str | Path, theory_path: str | Path | None = None) -> Report:
    """Verify ``path`` (a run folder holding ``proof_graph.json``, or the file itself).

    The theory is ``theory_path`` when given; otherwise the file the graph names is
    looked for next to the graph, in ``axioms/`` of the current folder, then in
    ``axioms/`` of each folder above the graph (the first whose hash matches wins)."""
    path = Path(path)
    file = path / "proof_graph.json" if path.is_dir() else path
    report = Report(str(file))
    try:
        graph = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        report.fail(f"graph: cannot read {file}: {exc}")
        return report
    try:
        theory = _find_theory(graph, file.resolve().parent, theory_path)
    except _Bad as bad:
        report.fail(f"graph: {bad}")
        return report
    report.theory = theory.path
    return verify_graph(graph, theory, report)


def _find_theory(graph: Graph, folder: Path, theory_path: str | Path | None) -> Theory:
    reference = _get(graph, "theory", dict)
    name = Path(_get(reference, "path", str)).name
    candidates = [Path(theory_path)] if theory_path is not None else (
        [folder / name, Path("axioms") / name] + [up / "axioms" / name for up in folder.parents])
    seen, theories = set(), []
    for candidate in candidates:
        if not candidate.is_file() or candidate.resolve() in seen:
            continue
        seen.add(candidate.resolve())
        try:
            theories.append(load(candidate))
        except MPLError as exc:
            raise _Bad(f"cannot load theory {candidate}: {exc}") from None
        if theories[-1].source_hash == reference.get("source_hash"):
            return theories[-1]
    if theories:
        return theories[0]              # verify_graph reports the hash mismatch
    tried = ", ".join(str(c) for c in candidates[:3])
    raise _Bad(f"cannot find theory file {name!r} (tried {tried}{', ...' * (len(candidates) > 3)})"
               f"; give it with --theory")


def verify_graph(graph: Graph, theory: Theory, report: Report | None = None) -> Report:
    """Check a parsed proof graph against a loaded theory (``verify_path`` without files)."""
    report = report if report is not None else Report("<graph>", theory.path)
    try:
        _verify(graph, theory, report)
    except Exception as exc:  # a checker bug must still reject, never crash the caller
        report.fail(f"graph: internal error while checking ({type(exc).__name__}: {exc})")
    return report


def _verify(graph: Graph, theory: Theory, report: Report) -> None:
    try:
        schema = _get(graph, "schema", str)
        if schema != SCHEMA:
            raise _Bad(f"schema is {schema!r}, expected {SCHEMA!r}")
        ref = _get(graph, "theory", dict)
        if _get(ref, "source_hash", str) != theory.source_hash:
            report.fail(f"graph: source hash mismatch: the graph was made from a theory with "
                        f"hash {ref['source_hash'][:16]}..., {theory.path} has "
                        f"{theory.source_hash[:16]}...")
        anchor = theory.anchor(_get(ref, "anchor", str))
        if _names(ref, "params") != anchor.params:
            raise _Bad(f"theory params {ref['params']} are not anchor {anchor.name}'s "
                       f"{list(anchor.params)}")
        theorems = _get(graph, "theorems", list)
        _get(graph, "failed", list)
    except (_Bad, MPLError) as bad:
        report.fail(f"graph: {bad}")
        return
    listed = {t["id"] for t in theorems if isinstance(t, dict) and isinstance(t.get("id"), str)}
    proved: dict[str, Expr] = {}
    dependencies: dict[str, list[str]] = {}
    for position, raw in enumerate(theorems):
        result = _check_theorem(report, theory, anchor, proved, listed, raw, position)
        if result is not None and result[0] not in proved:
            proved[result[0]] = result[1]
            dependencies[result[0]] = [d for d in raw["dependencies"] if d in listed]
    try:
        TopologicalSorter(dependencies).prepare()
    except CycleError as exc:
        report.fail(f"graph: circular theorem use: {' -> '.join(exc.args[1])}")


def _check_theorem(report: Report, theory: Theory, anchor, proved: dict[str, Expr],
                   listed: set[str], raw: Theorem, position: int) -> tuple[str, Expr] | None:
    """Check one theorem; return its id and statement when it can be cited later."""
    name = raw.get("id") if isinstance(raw, dict) else None
    where = f"theorem {name}" if isinstance(name, str) else f"theorem at position {position}"
    proof = _Proof(str(name), theory, dict(proved), listed, fixed=set(anchor.params))
    try:
        _get(raw, "id", str)
        if name in proved:
            raise _Bad("duplicate theorem id")
        status = _get(raw, "status", str)
        if status != "Theorem":
            raise _Bad(f"status {status!r}: only proved theorems belong under 'theorems'")
        statement = _parse(_get(raw, "mpl", str), "mpl")
        _check_scope(proof, statement, set(anchor.params), f"statement {_short(statement)}", 0)
        contexts, steps = _get(raw, "contexts", list), _get(raw, "steps", list)
        conclusion, declared = _get(raw, "conclusion", int), _get(raw, "dependencies", list)
        if not all(isinstance(d, str) for d in declared):
            raise _Bad(f"dependencies {_short(declared)} should be theorem ids")
    except _Bad as bad:
        report.fail(f"{where}: {bad}")
        return None
    report.theorems += 1
    for i, context in enumerate(contexts):
        try:
            ctx = _read_context(proof, anchor, context, first=i == 0)
            proof.contexts[ctx.id] = ctx
        except _Bad as bad:
            cid = context.get("id") if isinstance(context, dict) else None
            report.fail(f"{where}, context {cid if type(cid) is int else f'#{i}'}: {bad}")
    for i, step in enumerate(steps):
        sid = step.get("id") if isinstance(step, dict) else None
        rule = step.get("rule") if isinstance(step, dict) else None
        rule = rule if isinstance(rule, str) else "?"
        label = f"{where}, step {sid if type(sid) is int else f'at position {i}'} ({rule})"
        try:
            _check_step(proof, step)
            message = None
        except _Bad as bad:
            message = f"{label}: {bad}"
        except Exception as exc:  # malformed input must be a failure, not a crash
            message = f"{label}: malformed step ({type(exc).__name__}: {exc})"
        report.count(rule, message)
    for ctx in proof.contexts.values():
        if ctx.parent is not None and ctx.hypothesis is not None:
            scope = proof.scope(proof.contexts[ctx.parent]) | set(ctx.vars)
            try:
                _check_scope(proof, ctx.hypothesis, scope, "hypothesis", ctx.id)
            except _Bad as bad:
                report.fail(f"{where}, context {ctx.id}: {bad}")
    if conclusion not in proof.steps:
        report.fail(f"{where}: conclusion {conclusion} is not a step")
    elif proof.steps[conclusion][0] != 0:
        report.fail(f"{where}: conclusion step {conclusion} is in context "
                    f"{proof.steps[conclusion][0]}, not the root")
    elif alpha_key(proof.steps[conclusion][1]) is not alpha_key(statement):
        report.fail(f"{where}: conclusion step {conclusion} proves "
                    f"{_short(proof.steps[conclusion][1])}, not the theorem {_short(statement)}")
    if set(declared) != proof.cited:
        report.fail(f"{where}: dependencies {sorted(declared)} but its steps cite "
                    f"{sorted(proof.cited)}")
    return name, statement


def _read_context(proof: _Proof, anchor, raw, first: bool) -> _Context:
    cid, parent = _get(raw, "id", int), _get(raw, "parent", (int, None))
    names = _names(raw, "vars")
    text = _get(raw, "hypothesis", (str, None))
    hypothesis = _parse(text, "hypothesis") if text is not None else None
    if cid in proof.contexts:
        raise _Bad("duplicate context id")
    if first:
        root = Atom(anchor.name, anchor.params)
        if cid != 0 or parent is not None:
            raise _Bad("the first context must be the root: id 0, parent null")
        if names != anchor.params or hypothesis is not root:
            raise _Bad(f"the root must fix the anchor's parameters {list(anchor.params)} "
                       f"and assume {root}, not {list(names)} and {text}")
        return _Context(0, None, names, hypothesis, (0,))
    if cid == 0 or parent not in proof.contexts:
        raise _Bad(f"parent {parent} is not an earlier context (only the first is the root)")
    proof.fresh(names, "context variable")
    return _Context(cid, parent, names, hypothesis, (cid,) + proof.contexts[parent].chain)
