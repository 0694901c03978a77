"""Prove mode: prove the given goals in order, each proved goal a theorem for the rest.

Goals that fail are retried after any later goal succeeds, until a pass proves
nothing new.  A goal refuted on the ground model is ``CounterSatisfiable``; one that
is neither proved nor refuted is ``GaveUp``.  The result is a proof-graph document.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from ..blocks.prover import ProveOptions, Prover
from ..kernel import KernelError
from ..mpl.ast import Expr
from ..mpl.printer import to_mpl
from ..mpl.readable import readable
from ..mpl.theory import Goal, Theory
from ..proof.graph import graph_document, read_graph, theorem_entry

__all__ = ["GoalResult", "RunResult", "ImportRefused", "prove_goals", "import_theorems"]


@dataclass
class GoalResult:
    name: str
    mpl: str
    readable: str
    status: str                 # Theorem | GaveUp | CounterSatisfiable
    method: str | None = None
    steps: int = 0
    seconds: float = 0.0
    counterexample: dict | None = None


@dataclass
class RunResult:
    graph: dict
    goals: list[GoalResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def all_proved(self) -> bool:
        return all(g.status == "Theorem" for g in self.goals)

    def summary(self) -> dict:
        return {"goals": [asdict(g) for g in self.goals],
                "stats": {"seconds": round(self.seconds, 3),
                          "proved": sum(g.status == "Theorem" for g in self.goals),
                          "total": len(self.goals)}}


class ImportRefused(ValueError):
    """An earlier run's graph cannot be used: unreadable, another theory, or a theorem
    whose proof does not replay through the kernel.  The message says which."""


def import_theorems(prover: Prover, directory: str | Path) -> list[dict]:
    """Adopt the theorems of an earlier run: each proof is replayed through this
    session's kernel (``kernel.replay``) before the theorem is used, so a graph edited
    by hand or made from another theory is refused, never trusted."""
    where = f"--using {directory}"
    try:
        graph = read_graph(directory)
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ImportRefused(f"{where}: cannot read proof_graph.json: {exc}") from None
    theory_ref = graph.get("theory") if isinstance(graph, dict) else None
    theorems = graph.get("theorems") if isinstance(graph, dict) else None
    if not isinstance(theory_ref, dict) or not isinstance(theorems, list):
        raise ImportRefused(f"{where}: not a proof graph (no 'theory' object or 'theorems' list)")
    if theory_ref.get("source_hash") != prover.theory.source_hash:
        raise ImportRefused(f"{where}: that run was made from a different theory file")
    if theory_ref.get("anchor") != prover.session.anchor.name:
        raise ImportRefused(f"{where}: that run is about anchor {theory_ref.get('anchor')!r}, "
                            f"not {prover.session.anchor.name!r}")
    entries = []
    for position, entry in enumerate(theorems):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise ImportRefused(f"{where}: theorem entry #{position + 1} is malformed")
        try:
            # corollaries are recorded but add nothing as rules
            prover.adopt(entry["id"], entry, broadcast=entry.get("method") != "corollary")
        except KernelError as exc:
            raise ImportRefused(f"{where}: {exc}; not used (check it with genlogic verify)") \
                from None
        imported = dict(entry)
        imported["origin"] = "imported"
        entries.append(imported)
    return entries


def prove_goals(theory: Theory, goals: list[Goal], options: ProveOptions = ProveOptions(),
                using: str | Path | None = None, refute: Callable[[Expr], dict | None] | None = None,
                progress: Callable[[str, str], None] | None = None) -> RunResult:
    start = time.perf_counter()
    anchor = goals[0].anchor if goals else None
    prover = Prover(theory, anchor, options)
    operators = prover.operators
    entries = import_theorems(prover, using) if using else []
    results = {g.name: GoalResult(g.name, to_mpl(g.expr), readable(g.expr, operators), "GaveUp")
               for g in goals}
    pending = list(goals)
    progressed = True
    while pending and progressed:
        progressed = False
        still = []
        for goal in pending:
            if progress:
                progress(goal.name, "proving")
            attempt = prover.prove(goal.expr)
            result = results[goal.name]
            result.seconds += attempt.seconds
            if attempt.fact is None:
                still.append(goal)
                continue
            prover.record(goal.name, attempt)
            entry = theorem_entry(goal.name, goal.expr, attempt.fact, operators,
                                  method=attempt.method, origin="goal")
            entries.append(entry)
            result.status, result.method, result.steps = "Theorem", attempt.method, len(entry["steps"])
            progressed = True
            if progress:
                progress(goal.name, "proved")
        pending = still
    failed = []
    for goal in pending:
        result = results[goal.name]
        counterexample = refute(goal.expr) if refute else None
        if counterexample is not None:
            result.status, result.counterexample = "CounterSatisfiable", counterexample
        failed.append({"id": goal.name, "mpl": result.mpl, "readable": result.readable,
                       "status": result.status, "counterexample": counterexample})
    seconds = time.perf_counter() - start
    stats = {"mode": "goals", "goals": len(goals),
             "proved": sum(r.status == "Theorem" for r in results.values())}
    graph = graph_document(theory, prover.signature, entries, failed,
                           {"prove": asdict(options), "using": bool(using)}, stats)
    return RunResult(graph, [results[g.name] for g in goals], seconds)
