"""Run coqc on a run's Coq script and say, per theorem, what it made of it.

``check_coq(run_dir)`` writes the script (``coq.coq_script``) into a scratch folder,
runs ``coqc -q`` on it and returns a ``CoqReport``.  coqc stops at the first error, so
the theorems before it are accepted, the one holding the error line is rejected (with
coqc's message) and the later ones are not reached.  A script that compiles must also
print, after the Section, one ``Closed under the global context`` per theorem (``Print
Assumptions``): each theorem rests on the theory's hypotheses alone, no axiom.
``CoqUnavailable`` says coqc is not installed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .coq import COQ_FILE, CoqScript, coq_script, load_run

__all__ = ["CoqUnavailable", "CoqReport", "find_coqc", "check_coq", "run_coqc"]

CLOSED = "Closed under the global context"
DEFAULT_TIMEOUT = 3600.0
_LOCATION = re.compile(r'File "[^"]*", line (\d+), characters')


class CoqUnavailable(RuntimeError):
    """coqc cannot be run (not installed, or it does not start)."""


@dataclass
class CoqReport:
    """What coqc said about a script: ``ok`` iff every theorem was accepted and closed."""

    graph: str
    coqc: str = ""                   # coqc's version line
    seconds: float = 0.0             # coqc's wall time
    theorems: list[tuple[str, str]] = field(default_factory=list)   # (id, status)
    error: str | None = None         # coqc's message, or why the run failed
    steps: int = 0
    unused: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None and all(status == "accepted" for _, status in self.theorems)

    def lines(self) -> list[str]:
        out = [f"coq: {tid}: {status}" for tid, status in self.theorems]
        accepted = sum(status == "accepted" for _, status in self.theorems)
        what = (f"{accepted}/{len(self.theorems)} theorems, {self.steps} steps, "
                f"coqc {self.seconds:.1f} s ({self.coqc})")
        if self.unused:
            what += f"; {self.unused} steps of undischarged blocks not exported"
        out.append(f"coq: OK: {what}" if self.ok else f"coq: FAILED: {what}")
        if self.error:
            out.append(f"coq: {self.error}")
        return out

    def to_json(self) -> dict:
        return {"ok": self.ok, "graph": self.graph, "coqc": self.coqc,
                "seconds": round(self.seconds, 3), "steps": self.steps, "unused": self.unused,
                "theorems": [{"id": tid, "status": status} for tid, status in self.theorems],
                "error": self.error}


def find_coqc() -> str | None:
    """The coqc on PATH (``GENLOGIC_COQC`` names another), or None."""
    named = os.environ.get("GENLOGIC_COQC")
    if named:
        return shutil.which(named) or (named if Path(named).is_file() else None)
    return shutil.which("coqc")


def _version(coqc: str) -> str:
    try:
        done = subprocess.run([coqc, "--version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        raise CoqUnavailable(f"{coqc} does not run: {exc}") from None
    first = done.stdout.strip().splitlines()
    return first[0] if first else coqc


def check_coq(run_dir: str | Path, coqc: str | None = None,
              timeout: float = DEFAULT_TIMEOUT) -> CoqReport:
    """Export the run's Coq script and check it with coqc (``coq.CoqExportError`` when
    the graph cannot be written as a script, ``CoqUnavailable`` when coqc is missing)."""
    coqc = coqc or find_coqc()
    if coqc is None:
        raise CoqUnavailable("coqc is not installed (Debian: apt-get install coq), so the "
                             "Coq check did not run")
    graph, theory = load_run(run_dir)
    return run_coqc(coq_script(graph, theory), coqc, str(run_dir), timeout)


def run_coqc(script: CoqScript, coqc: str, graph: str = "<graph>",
             timeout: float = DEFAULT_TIMEOUT) -> CoqReport:
    """Compile ``script`` with ``coqc`` in a scratch folder and read its output."""
    report = CoqReport(graph, _version(coqc), steps=script.steps, unused=script.unused)
    with tempfile.TemporaryDirectory(prefix="genlogic-coq-") as scratch:
        (Path(scratch) / COQ_FILE).write_text(script.text, encoding="utf-8")
        start = time.perf_counter()
        try:
            done = subprocess.run([coqc, "-q", COQ_FILE], cwd=scratch, capture_output=True,
                                  text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            report.seconds = time.perf_counter() - start
            report.theorems = [(tid, "not checked") for tid, *_ in script.theorems]
            report.error = f"coqc did not finish within {timeout:g} s"
            return report
        except OSError as exc:
            raise CoqUnavailable(f"{coqc} does not run: {exc}") from None
        report.seconds = time.perf_counter() - start
    output = done.stdout + done.stderr
    if done.returncode != 0:
        _read_failure(report, script, output)
        return report
    closed = sum(line.strip() == CLOSED for line in output.splitlines())
    report.theorems = [(tid, "accepted") for tid, *_ in script.theorems]
    if closed != len(script.theorems) or "Axioms:" in output:
        report.error = (f"Print Assumptions reported {closed} of {len(script.theorems)} "
                        f"theorems closed under the global context: {output.strip()[:400]}")
    return report


def _read_failure(report: CoqReport, script: CoqScript, output: str) -> None:
    found = _LOCATION.search(output)
    line = int(found.group(1)) if found else None
    failed = script.theorem_at(line) if line is not None else None
    message = " ".join(output[found.start():].split()) if found else " ".join(output.split())
    status = "accepted"
    for tid, *_ in script.theorems:
        if tid == failed:
            status = "rejected"
            report.theorems.append((tid, status))
            status = "not reached"
            continue
        report.theorems.append((tid, status if failed is not None else "not checked"))
    where = f"theorem {failed}" if failed is not None else \
        ("the theory section" if line is not None else "the script")
    report.error = f"coqc rejected {where}: {message[:1500]}"
