"""The verifier's report: per-rule counts and every failure as a precise message.

A ``Report`` is data until the last moment: ``lines()`` renders it as text for the
terminal and ``to_json()`` as a JSON-ready dict.  It does no checking itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["RULES", "Report"]

# The rules of docs/proof_graph.md, in the order of its table (the order of lines()).
RULES = ("premise", "expand", "theorem", "and-elim", "and-intro", "modus-ponens",
         "exists-elim", "exists-intro", "eq-refl", "eq-symm", "eq-trans", "eq-subst",
         "contradiction", "implies-intro", "induction")
UNKNOWN_RULE = "unknown rule"


@dataclass
class Report:
    """What ``verify_path`` found: ``ok`` iff there is no failure at all."""

    graph: str
    theory: str | None = None
    theorems: int = 0
    checked: dict[str, int] = field(default_factory=dict)   # rule -> steps checked
    failed: dict[str, int] = field(default_factory=dict)    # rule -> steps rejected
    failures: list[str] = field(default_factory=list)
    theory_changed: str | None = None   # a theory file edited since the run (not checked)

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def exit_code(self) -> int:
        """0 when everything verified, 2 when nothing could be checked because a theory
        file was edited since the run, 1 for any other failure."""
        if self.ok:
            return 0
        return 2 if self.theory_changed is not None else 1

    @property
    def steps(self) -> int:
        return sum(self.checked.values())

    def count(self, rule: str, message: str | None) -> None:
        """Record one checked step of ``rule``; ``message`` says why it failed, if it did."""
        rule = rule if rule in RULES else UNKNOWN_RULE
        self.checked[rule] = self.checked.get(rule, 0) + 1
        if message is not None:
            self.failed[rule] = self.failed.get(rule, 0) + 1
            self.failures.append(message)

    def fail(self, message: str) -> None:
        """Record a failure that is not one step's (graph, theorem or context level)."""
        self.failures.append(message)

    def _rules(self) -> list[str]:
        extra = [UNKNOWN_RULE] if UNKNOWN_RULE in self.checked else []
        return list(RULES) + extra

    def lines(self) -> list[str]:
        out = [f"{rule}: checked {self.checked.get(rule, 0)}, failed {self.failed.get(rule, 0)}"
               for rule in self._rules()]
        what = f"{self.theorems} theorems, {self.steps} steps"
        if self.ok:
            out.append(f"OK: {what} verified ({self.graph})")
        else:
            out.append(f"FAILED: {len(self.failures)} failures in {what} ({self.graph})")
        out.extend(self.failures)
        return out

    def to_json(self) -> dict:
        return {"ok": self.ok, "graph": self.graph, "theory": self.theory,
                "theorems": self.theorems, "steps": self.steps,
                "rules": {rule: {"checked": self.checked.get(rule, 0),
                                 "failed": self.failed.get(rule, 0)} for rule in self._rules()},
                "failures": list(self.failures)}
