"""The embedding API: a loaded theory that can prove and explore.

``genlogic.load(path)`` returns this ``Theory`` (the checked MPL theory of
``genlogic.mpl.theory`` plus ``prove`` and ``explore``), so a program needs nothing
but the top-level package:

>>> import genlogic
>>> theory = genlogic.load("axioms/peano.mpl")                  # doctest: +SKIP
>>> result = theory.prove("(>[a,b](in3[i0,a,b,+])(=[b,a]))")    # doctest: +SKIP
>>> result.status, result.method                                # doctest: +SKIP
('Theorem', 'induction on a')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .blocks.prover import ProveOptions
from .explore.explorer import ExploreOptions, Run, explore
from .explore.goals import GOAL_BUDGET
from .mpl import theory as _theory
from .mpl.ast import Expr
from .mpl.errors import Position
from .mpl.printer import to_mpl
from .mpl.readable import readable

__all__ = ["Theory", "ProofResult", "load", "load_text"]


@dataclass
class ProofResult:
    """The outcome of ``Theory.prove``: status, method and the proof's steps."""

    statement: Expr
    status: str                        # "Theorem" | "GaveUp" | "Timeout" | "CounterSatisfiable"
    method: str | None
    proof: list[dict] = field(default_factory=list)     # steps, as in proof_graph.json
    counterexample: dict | None = None
    entry: dict | None = None
    lemmas: list[dict] = field(default_factory=list)   # theorem entries of the lemmas used
    graph: dict | None = None          # the proof graph (goal and lemmas), as prove --goals

    def to_json(self) -> dict:
        return {"mpl": to_mpl(self.statement), "status": self.status, "method": self.method,
                "steps": self.proof, "counterexample": self.counterexample,
                "lemmas": [{"id": e["id"], "mpl": e["mpl"], "readable": e["readable"]}
                           for e in self.lemmas]}


class Theory(_theory.Theory):
    """A checked theory with ``prove`` and ``explore``."""

    def prove(self, goal: str | Expr, options: ProveOptions = ProveOptions(),
              anchor: str | None = None, *, lemmas: bool = True,
              time_limit: float | None = GOAL_BUDGET) -> ProofResult:
        """Prove one statement (MPL text or expression) about the anchor's structure:
        directly or by induction first, then (``lemmas``) with lemmas found by a search
        of the statement's signature slice, within ``time_limit`` seconds; the goal
        entry of ``prove --goals`` (``explore.goals.prove_goals``)."""
        from .explore.goals import prove_goals
        from .explore.model import refuter

        statement = self.parse(goal, anchor) if isinstance(goal, str) else goal
        name = self.anchor(anchor).name
        run = prove_goals(self, [_theory.Goal("goal", name, statement,
                                              Position("<statement>", 1, 1))],
                          options, refute=refuter(self, anchor), discover=lemmas,
                          time_limit=time_limit)
        result = run.goals[0]
        entries = {e["id"]: e for e in run.graph["theorems"]}
        if result.status != "Theorem":
            return ProofResult(statement, result.status, None, [], result.counterexample,
                               graph=run.graph)
        entry = entries["goal"]
        return ProofResult(statement, "Theorem", result.method, entry["steps"], None, entry,
                           [entries[n] for n in result.lemmas], run.graph)

    def explore(self, options: ExploreOptions = ExploreOptions(),
                progress: Callable[[dict], None] | None = None,
                anchor: str | None = None) -> Run:
        """Explore the theory with no goal: ``Run`` with ``.theorems``, ``.essential``,
        ``.funnel`` and ``.to_json()`` (the proof graph)."""
        return explore(self, anchor, options, progress)

    def readable(self, expr: Expr) -> str:
        return readable(expr, self.signature.operator_names)


def _adopt(theory: _theory.Theory) -> Theory:
    theory.__class__ = Theory
    return theory


def load(path: str | Path) -> Theory:
    """Load and check a theory file (following includes)."""
    return _adopt(_theory.load(path))


def load_text(text: str, name: str = "<theory>") -> Theory:
    """Load a theory from text."""
    return _adopt(_theory.load_text(text, name))
