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

from .blocks.prover import ProveOptions, Prover
from .explore.explorer import ExploreOptions, Run, explore
from .mpl import theory as _theory
from .mpl.ast import Expr
from .mpl.printer import to_mpl
from .mpl.readable import readable
from .proof.graph import theorem_entry

__all__ = ["Theory", "ProofResult", "load", "load_text"]


@dataclass
class ProofResult:
    """The outcome of ``Theory.prove``: status, method and the proof's steps."""

    statement: Expr
    status: str                        # "Theorem" | "GaveUp" | "CounterSatisfiable"
    method: str | None
    proof: list[dict] = field(default_factory=list)     # steps, as in proof_graph.json
    counterexample: dict | None = None
    entry: dict | None = None

    def to_json(self) -> dict:
        return {"mpl": to_mpl(self.statement), "status": self.status, "method": self.method,
                "steps": self.proof, "counterexample": self.counterexample}


class Theory(_theory.Theory):
    """A checked theory with ``prove`` and ``explore``."""

    def prove(self, goal: str | Expr, options: ProveOptions = ProveOptions(),
              anchor: str | None = None) -> ProofResult:
        """Prove one statement (MPL text or expression) about the anchor's structure."""
        statement = self.parse(goal, anchor) if isinstance(goal, str) else goal
        prover = Prover(self, anchor, options)
        attempt = prover.prove(statement)
        if attempt.fact is None:
            from .explore.model import refuter
            counterexample = refuter(self, anchor)(statement)
            status = "CounterSatisfiable" if counterexample is not None else "GaveUp"
            return ProofResult(statement, status, None, [], counterexample)
        entry = theorem_entry("goal", statement, attempt.fact, prover.operators,
                              method=attempt.method, origin="goal")
        return ProofResult(statement, "Theorem", attempt.method, entry["steps"], None, entry)

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
