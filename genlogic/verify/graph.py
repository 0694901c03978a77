"""Verify a whole proof graph: find the theory, then check theorems, contexts and steps.

``verify_path`` reads ``proof_graph.json`` and the theory it names (found by
``genlogic.mpl.locate``: a file on disk, or the text the graph embeds; a file edited
since the run is a failure), checks the source hash, the theorem order (acyclic, earlier
theorems only) and every theorem with ``checker``; it returns a ``Report`` and never
raises on bad input.

The derived text is checked too, against the theory's derived signature for the
graph's anchor: the operator list, the axiom list (MPL and readable form, in order),
and the ``readable`` of every theorem and step, each of which must be
``genlogic.mpl.readable.readable`` of its checked MPL with the signature's operators.
Entries under ``failed`` carry no proof and are not checked.
"""

from __future__ import annotations

import json
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

from ..mpl.ast import Atom, Expr
from ..mpl.errors import MPLError
from ..mpl.locate import LocateError, TheoryEdited, hash_matches, locate_theory
from ..mpl.printer import to_mpl
from ..mpl.readable import readable
from ..mpl.signature import Signature, derive_signature
from ..mpl.theory import Theory
from .checker import SCHEMA, Graph, Theorem, _Bad, _check_scope, _check_step, _Context
from .checker import _get, _names, _parse, _Proof, _short
from .report import Report
from .syntax import alpha_equal, same

__all__ = ["verify_path", "verify_graph"]


def verify_path(path: str | Path, theory_path: str | Path | None = None) -> Report:
    """Verify ``path`` (a run folder holding ``proof_graph.json``, or the file itself).

    The theory is ``theory_path`` when given; otherwise the file the graph names is
    looked for next to the graph, in ``axioms/`` of the current folder, then in
    ``axioms/`` of each folder above the graph; when none is there, the text the graph
    embeds is used (``genlogic.mpl.locate.locate_theory`` has the whole rule)."""
    path = Path(path)
    file = path / "proof_graph.json" if path.is_dir() else path
    report = Report(str(file))
    try:
        graph = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        report.fail(f"graph: cannot read {file}: {exc}")
        return report
    try:
        theory, report.theory = _find_theory(graph, file.resolve().parent, theory_path)
    except TheoryEdited as exc:
        report.theory_changed = exc.file
        report.fail(f"graph: {exc}")
        return report
    except _Bad as bad:
        report.fail(f"graph: {bad}")
        return report
    return verify_graph(graph, theory, report)


def _find_theory(graph: Graph, folder: Path, theory_path: str | Path | None
                 ) -> tuple[Theory, str]:
    reference = _get(graph, "theory", dict)
    _get(reference, "path", str)
    try:
        found = locate_theory(reference, folder, theory_path)
    except TheoryEdited:
        raise
    except LocateError as exc:
        raise _Bad(str(exc)) from None
    return found.theory, found.where             # verify_graph reports a hash mismatch


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
        if not hash_matches(theory, _get(ref, "source_hash", str), "files" in ref):
            report.fail(f"graph: source hash mismatch: the graph was made from a theory with "
                        f"hash {ref['source_hash'][:16]}..., {theory.path} has "
                        f"{theory.source_hash[:16]}...")
        anchor = theory.anchor(_get(ref, "anchor", str))
        if _names(ref, "params") != anchor.params:
            raise _Bad(f"theory params {ref['params']} are not anchor {anchor.name}'s "
                       f"{list(anchor.params)}")
        theorems = _get(graph, "theorems", list)
        _get(graph, "failed", list)
        derived = _Derived(derive_signature(theory, anchor.name))
    except (_Bad, MPLError) as bad:
        report.fail(f"graph: {bad}")
        return
    _check_signature_text(report, ref, derived)
    listed = {t["id"] for t in theorems if isinstance(t, dict) and isinstance(t.get("id"), str)}
    proved: dict[str, Expr] = {}
    dependencies: dict[str, list[str]] = {}
    for position, raw in enumerate(theorems):
        result = _check_theorem(report, theory, anchor, derived, proved, listed, raw, position)
        if result is not None and result[0] not in proved:
            proved[result[0]] = result[1]
            dependencies[result[0]] = [d for d in raw["dependencies"] if d in listed]
    try:
        TopologicalSorter(dependencies).prepare()
    except CycleError as exc:
        report.fail(f"graph: circular theorem use: {' -> '.join(exc.args[1])}")


class _Derived:
    """The text a graph derives from its anchor's signature; readable forms are cached per
    expression (expressions are hash-consed, and most steps repeat earlier ones)."""

    def __init__(self, signature: Signature):
        self.signature = signature
        self.operators = signature.operator_names
        self._readable: dict[Expr, str] = {}

    def readable(self, expr: Expr) -> str:
        text = self._readable.get(expr)
        if text is None:
            try:
                text = readable(expr, self.operators)
            except RecursionError:
                raise _Bad("its readable form cannot be derived: nested too deeply") from None
            self._readable[expr] = text
        return text

    def mismatch(self, raw: dict, expr: Expr, what: str) -> str | None:
        """Why ``raw["readable"]`` is not the readable form of ``expr``, or None."""
        try:
            stored, wanted = _get(raw, "readable", str), self.readable(expr)
        except _Bad as bad:
            return str(bad)
        if stored == wanted:
            return None
        return f"readable {_short(stored)} is not the readable form of {what}, {_short(wanted)}"


def _check_signature_text(report: Report, ref: dict, derived: _Derived) -> None:
    """The graph's operator and axiom lists must be the anchor's derived signature's."""
    signature = derived.signature
    name = signature.anchor
    try:
        operators = _get(ref, "operators", list)
        wanted_ops = [str(op) for op in signature.operators]
        if operators != wanted_ops:
            raise _Bad(f"operators {_short(operators)} are not the operators derived from "
                       f"anchor {name}, {_short(wanted_ops)}")
    except _Bad as bad:
        report.fail(f"graph: theory: {bad}")
    try:
        axioms = _get(ref, "axioms", list)
    except _Bad as bad:
        report.fail(f"graph: theory: {bad}")
        return
    wanted = []
    for axiom in signature.axioms:
        try:
            wanted.append((to_mpl(axiom), derived.readable(axiom)))
        except _Bad as bad:
            report.fail(f"graph: axiom {_short(axiom)} of anchor {name}: {bad}")
            return
    position_of = {mpl: i for i, (mpl, _) in enumerate(wanted)}
    listed, clean = [], True
    for i, entry in enumerate(axioms):
        where = f"graph: theory axiom at position {i}"
        try:
            mpl, text = _get(entry, "mpl", str), _get(entry, "readable", str)
        except _Bad as bad:
            report.fail(f"{where}: {bad}")
            clean = False
            continue
        listed.append(mpl)
        if mpl not in position_of:
            report.fail(f"{where}, {_short(text)} ({_short(mpl)}), is not an axiom of anchor "
                        f"{name}")
            clean = False
        elif text != wanted[position_of[mpl]][1]:
            report.fail(f"{where} ({_short(mpl)}): readable {_short(text)} is not its readable "
                        f"form, {_short(wanted[position_of[mpl]][1])}")
    present = set(listed)
    for i, (mpl, text) in enumerate(wanted):
        if mpl not in present:
            report.fail(f"graph: axiom {i} of anchor {name}, {_short(text)} ({_short(mpl)}), "
                        f"is missing from the theory's axiom list")
            clean = False
    order = [mpl for mpl, _ in wanted]
    if clean and len(listed) != len(order):
        report.fail(f"graph: theory axioms: {len(listed)} entries for anchor {name}'s "
                    f"{len(order)} axioms (some are repeated)")
    elif clean and listed != order:
        i = next(i for i, (a, b) in enumerate(zip(listed, order)) if a != b)
        report.fail(f"graph: theory axioms are not in anchor {name}'s order: position {i} is "
                    f"{_short(listed[i])}, the theory's axiom {i} is {_short(order[i])}")


def _check_theorem(report: Report, theory: Theory, anchor, derived: _Derived,
                   proved: dict[str, Expr], listed: set[str], raw: Theorem,
                   position: int) -> tuple[str, Expr] | None:
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
    why = derived.mismatch(raw, statement, "its statement")
    if why is not None:
        report.fail(f"{where}: {why}")
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
            why = derived.mismatch(step, proof.steps[step["id"]][1], "its expr")
            message = None if why is None else f"{label}: {why}"
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
    elif not alpha_equal(proof.steps[conclusion][1], statement):
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
        if names != anchor.params or hypothesis is None or not same(hypothesis, root):
            raise _Bad(f"the root must fix the anchor's parameters {list(anchor.params)} "
                       f"and assume {root}, not {list(names)} and {text}")
        return _Context(0, None, names, hypothesis, (0,))
    if cid == 0 or parent not in proof.contexts:
        raise _Bad(f"parent {parent} is not an earlier context (only the first is the root)")
    proof.fresh(names, "context variable")
    return _Context(cid, parent, names, hypothesis, (cid,) + proof.contexts[parent].chain)
