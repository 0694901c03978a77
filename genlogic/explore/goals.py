"""Prove mode: the goal-directed entry point of ``prove --goals``, ``seed``,
``Theory.prove`` and ``tip``.

1. Direct pass - each goal in order, directly or by induction, with no model; a proved
   goal is a theorem for the rest, and failed goals are retried after any later goal
   succeeds, until a pass proves nothing new.
2. Lemma discovery - for the goals still open (and a theory with an induction axiom),
   an exploration of the goals' signature slice (``signature_slice``) with the open
   goals as its first conjectures, in the same prover: smallest conjectures first,
   every proved one a lemma for the rest, the goals retried whenever a new lemma is
   proved; it stops as soon as every goal is proved or refuted, or the time budget is
   spent.
3. Report - a goal refuted on the ground model is ``CounterSatisfiable``; one the
   budget ran out on is ``Timeout``; any other unproved goal ``GaveUp``.  The graph
   holds the goals (origin "goal") and only the lemmas their proofs use (origin
   "lemma"), each goal's result names its lemmas.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Callable

from ..blocks.prover import ProveOptions, Prover
from ..kernel import KernelError
from ..mpl.ast import Expr, atoms
from ..mpl.signature import Signature, horn_view
from ..mpl.printer import to_mpl
from ..mpl.readable import readable
from ..mpl.theory import Goal, Theory
from ..proof.graph import graph_document, read_graph, theorem_entry

__all__ = ["GoalResult", "RunResult", "ImportRefused", "prove_goals", "import_theorems",
           "signature_slice", "discover", "explorable", "lemmas_of", "GOAL_BUDGET"]

GOAL_BUDGET = 60.0     # seconds for a goals run when no time limit is given


@dataclass
class GoalResult:
    name: str
    mpl: str
    readable: str
    status: str                 # Theorem | GaveUp | Timeout | CounterSatisfiable
    method: str | None = None
    steps: int = 0
    seconds: float = 0.0
    counterexample: dict | None = None
    lemmas: list[str] = field(default_factory=list)   # lemmas its proof uses, in graph order


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
                          "total": len(self.goals),
                          "lemmas": sum(t.get("origin") == "lemma"
                                        for t in self.graph["theorems"])}}


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


def signature_slice(signature: Signature, statements: list[Expr]) -> frozenset[str]:
    """The operators and constants the statements mention, closed under the axioms
    that define them: an axiom whose conclusion is about an operator of the slice (the
    operator's relation atom) brings in every symbol it mentions (+ brings in s and 0
    through its recursion equations, s the constants defined with it; a constant alone
    brings in nothing).  Exploration for these statements conjectures over this slice
    only; the prover still uses every axiom."""
    operators = signature.operator_names
    names = operators | {c.name for c in signature.constants}

    def symbols(expr: Expr) -> set[str]:
        return {a for atom in atoms(expr) for a in atom.args if a in names}

    def defined(expr: Expr) -> set[str]:
        return {atom.args[-1] for atom in atoms(expr) if atom.args and atom.args[-1] in operators}

    wanted: set[str] = set()
    for statement in statements:
        wanted |= symbols(statement)
    defining = []
    for axiom in signature.axioms:
        view = horn_view(axiom)
        defining.append((defined(axiom if view is None else view.conclusion), symbols(axiom)))
    changed = True
    while changed:
        changed = False
        for head, body in defining:
            if head & wanted and not body <= wanted:
                wanted |= body
                changed = True
    return frozenset(wanted)


def prove_goals(theory: Theory, goals: list[Goal], options: ProveOptions = ProveOptions(),
                using: str | Path | None = None, refute: Callable[[Expr], dict | None] | None = None,
                progress: Callable[[str, str], None] | None = None, *, discover: bool = True,
                time_limit: float | None = GOAL_BUDGET, explore_options=None) -> RunResult:
    """Prove ``goals`` (see the module docstring).  ``options`` are the limits of each
    proof attempt (goals and lemma conjectures alike); ``time_limit`` the seconds for
    the whole run (None: until the exploration saturates); ``discover=False`` stops
    after the direct pass; ``explore_options`` (an ``ExploreOptions``) sets the lemma
    search's sizes.  ``refute`` is used on unproved goals when no exploration ran."""
    start = time.perf_counter()
    anchor = goals[0].anchor if goals else None
    prover = Prover(theory, anchor, options)
    operators = prover.operators
    entries = import_theorems(prover, using) if using else []
    results = {g.name: GoalResult(g.name, to_mpl(g.expr), readable(g.expr, operators), "GaveUp")
               for g in goals}
    deadline = None if time_limit is None else start + time_limit
    pending = _direct_pass(prover, goals, results, entries, progress, deadline)
    run = None
    if pending and discover and explorable(prover) and \
            (time_limit is None or time.perf_counter() - start < time_limit):
        run = _discover(theory, anchor, prover, pending, results, entries, progress,
                        None if time_limit is None else time_limit - (time.perf_counter() - start),
                        explore_options)
        pending = [g for g in pending if results[g.name].status != "Theorem"]
    if run is not None:
        refute = run.model.refute if run.model is not None else None
    out_of_time = run.stop_reason == "time-limit" if run is not None else \
        deadline is not None and time.perf_counter() >= deadline
    failed = []
    for goal in pending:
        result = results[goal.name]
        counterexample = refute(goal.expr) if refute else None
        if counterexample is not None:
            result.status, result.counterexample = "CounterSatisfiable", counterexample
        elif out_of_time:
            result.status = "Timeout"
        failed.append({"id": goal.name, "mpl": result.mpl, "readable": result.readable,
                       "status": result.status, "counterexample": counterexample})
    entries = _used(entries, {g.name for g in goals})
    kinds = {e["id"]: e.get("origin") for e in entries}
    for result in results.values():
        if result.status == "Theorem":
            result.lemmas = lemmas_of(entries, result.name)
    seconds = time.perf_counter() - start
    stats = {"mode": "goals", "goals": len(goals),
             "proved": sum(r.status == "Theorem" for r in results.values()),
             "lemmas": sum(kind == "lemma" for kind in kinds.values())}
    if run is not None:
        stats["discovery"] = {"stop_reason": run.stop_reason,
                              "attempts": run.graph["stats"]["attempts"],
                              "funnel": {k: v for k, v in run.funnel.items()
                                         if k != "essential"}}
    graph = graph_document(theory, prover.signature, entries, failed,
                           {"prove": asdict(options), "using": bool(using),
                            "discover": discover and run is not None}, stats)
    return RunResult(graph, [results[g.name] for g in goals], seconds)


def _direct_pass(prover: Prover, goals: list[Goal], results: dict, entries: list[dict],
                 progress, deadline: float | None) -> list[Goal]:
    """Prove the goals in order, retrying the failed ones after any success; the open ones."""
    pending = list(goals)
    progressed = True
    while pending and progressed:
        progressed = False
        still = []
        for goal in pending:
            if progress:
                progress(goal.name, "proving")
            attempt = prover.prove(goal.expr, deadline=deadline)
            result = results[goal.name]
            result.seconds += attempt.seconds
            if attempt.fact is None:
                still.append(goal)
                continue
            prover.record(goal.name, attempt)
            entry = theorem_entry(goal.name, goal.expr, attempt.fact, prover.operators,
                                  method=attempt.method, origin="goal")
            entries.append(entry)
            result.status, result.method, result.steps = "Theorem", attempt.method, len(entry["steps"])
            progressed = True
            if progress:
                progress(goal.name, "proved")
        pending = still
    return pending


def explorable(prover: Prover) -> bool:
    """Lemma discovery conjectures equations between operator terms on the ground model."""
    return bool(prover.signature.operators)


def discover(theory, anchor, prover: Prover, named: list[tuple[str, Expr]],
             budget: float | None, explore_options=None, progress=None):
    """Explore for lemmas with the statements ``named`` (name, statement) as the first
    conjectures, in ``prover``, until all are proved or refuted or the budget is spent
    (module docstring, step 2).  The exploration's ``Run``: its theorems are the proved
    statements (by their names, origin "goal") and the lemmas (origin "lemma")."""
    from .explorer import ExploreOptions, explore

    chosen = replace(explore_options or ExploreOptions(), time_limit=budget, until_seeds=True)
    focus = signature_slice(prover.signature, [e for _, e in named])
    if progress:
        progress("lemmas", f"searching for lemmas over {', '.join(sorted(focus))}")

    def report(info: dict) -> None:
        if progress:
            progress("lemmas", f"{info['proved']} proved: {info['theorem']}")

    # conjectures get the exploration's (shorter) time per attempt; goals had theirs
    full = prover.options
    prover.options = replace(full, time_limit=min(full.time_limit, chosen.prove.time_limit))
    try:
        return explore(theory, anchor, chosen, report, [to_mpl(e) for _, e in named],
                       prover=prover, seed_names=[n for n, _ in named], focus=focus)
    finally:
        prover.options = full


def _discover(theory, anchor, prover: Prover, pending: list[Goal], results: dict,
              entries: list[dict], progress, budget: float | None, explore_options):
    started = time.perf_counter()
    run = discover(theory, anchor, prover, [(g.name, g.expr) for g in pending], budget,
                   explore_options, progress)
    spent = time.perf_counter() - started
    for entry in run.theorems:
        entry.pop("essential", None)
        entries.append(entry)
        result = results.get(entry["id"]) if entry["origin"] == "goal" else None
        if result is not None:
            result.status, result.method, result.steps = "Theorem", entry["method"], len(entry["steps"])
    for goal in pending:
        results[goal.name].seconds += spent / len(pending)
    return run


def _closure(entries: list[dict], name: str) -> list[str]:
    """The theorems ``name``'s proof rests on, transitively, in graph order."""
    by_id = {e["id"]: e for e in entries}
    seen, stack = set(), list(by_id[name]["dependencies"])
    while stack:
        n = stack.pop()
        if n not in seen and n in by_id:
            seen.add(n)
            stack.extend(by_id[n]["dependencies"])
    return [e["id"] for e in entries if e["id"] in seen]


def lemmas_of(entries: list[dict], name: str) -> list[str]:
    """The lemmas (origin "lemma") ``name``'s proof rests on, in graph order."""
    kinds = {e["id"]: e.get("origin") for e in entries}
    return [n for n in _closure(entries, name) if kinds[n] == "lemma"]


def _used(entries: list[dict], goals: set[str]) -> list[dict]:
    """Goals and imported theorems, and the lemmas some goal's proof rests on."""
    keep = {e["id"] for e in entries if e.get("origin") != "lemma"}
    for e in entries:
        if e["id"] in goals:
            keep.update(_closure(entries, e["id"]))
    return [e for e in entries if e["id"] in keep]
