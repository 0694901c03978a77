"""TIP problems end to end: translate, explore for lemmas with the goal first, report.

``solve(path)`` reads a problem with ``mpl.tip.reader``, writes the MPL theory, and proves
its conjectures as goals (``explore.goals.prove_goals``: directly first, then with lemmas
found by an exploration of the goals' signature slice, the goals retried whenever a new
lemma is proved) until they are all proved or the time limit passes.
Proofs may use inductions inside another's cases (``ProveOptions.nested``, 2 here).
The status follows the SZS ontology: ``Theorem`` (every conjecture proved),
``CounterSatisfiable`` (the ground model refutes one: the translation or the problem
is wrong), ``GaveUp`` / ``Timeout`` (not proved within the limits), ``Inappropriate``
(outside the fragment the reader takes) and ``InputError`` (not a well-formed problem);
the reason of the last two names file, line and column.
With an output folder the run's proof graph is written next to its theory with the
HTML site, TSTP and DOT files (``genlogic export``), ready for ``genlogic verify``.

    genlogic tip PROBLEM.smt2 ... [--out DIR] [--time-limit S] [--nested N] [--translate-only]
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from ..mpl.errors import MPLError, read_source
from ..mpl.theory import load
from ..mpl.tip.reader import TipUnsupported, load_tip
from ..export import export_all
from ..proof.graph import write_graph
from .explorer import ExploreOptions
from .goals import prove_goals
from .model import refuter

__all__ = ["TipResult", "TIP_OPTIONS", "solve", "add_parsers"]

# exploration as for Peano, plus up to two inductions inside an induction's cases: the
# case analysis that definitions matching on two arguments (max, min, leq) need.  On the
# 119-problem subset at 20 s each, nesting 1 proved 59 problems and nesting 2 proved 65.
TIP_OPTIONS = ExploreOptions(prove=replace(ExploreOptions().prove, nested=2))


@dataclass
class TipResult:
    name: str
    status: str                       # an SZS status (see the module docstring)
    seconds: float = 0.0
    reason: str = ""
    theorems: int = 0                 # the goals and the lemmas their proofs use
    goals: list[dict] = field(default_factory=list)
    out_dir: Path | None = None


def solve(path: str | Path, time_limit: float = 60.0, out_dir: str | Path | None = None,
          options: ExploreOptions | None = None) -> TipResult:
    """Translate and prove one problem (see the module docstring)."""
    path = Path(path)
    start = time.perf_counter()
    try:
        problem = load_tip(path)
    except TipUnsupported as exc:
        return TipResult(path.stem, "Inappropriate", time.perf_counter() - start, str(exc))
    except MPLError as exc:
        return TipResult(path.stem, "InputError", time.perf_counter() - start, str(exc))
    scratch = None
    if out_dir is None:
        scratch = tempfile.TemporaryDirectory(prefix="genlogic-tip-")
        folder = Path(scratch.name)
    else:
        folder = Path(out_dir)
        folder.mkdir(parents=True, exist_ok=True)
    try:
        theory_path = folder / f"{path.stem}.mpl"
        theory_path.write_text(problem.mpl, encoding="utf-8")
        theory = load(theory_path)
        chosen = options or TIP_OPTIONS
        run = prove_goals(theory, list(theory.goals), chosen.prove,
                          refute=refuter(theory, seconds=time_limit / 4), time_limit=time_limit,
                          explore_options=chosen)
        if out_dir is not None:
            write_graph(folder / "proof_graph.json", run.graph)
            export_all(folder)
    finally:
        if scratch is not None:
            scratch.cleanup()
    goals = run.goals
    refuted = next((g for g in goals if g.status == "CounterSatisfiable"), None)
    if goals and run.all_proved:
        status, reason = "Theorem", ""
    elif refuted is not None:
        status = "CounterSatisfiable"
        reason = "counterexample: " + ", ".join(f"{k} = {v}"
                                                for k, v in refuted.counterexample.items())
    elif any(g.status == "Timeout" for g in goals):
        status, reason = "Timeout", f"not proved within {time_limit:g} s"
    else:
        status, reason = "GaveUp", "not proved; lemma search saturated"
    if problem.skipped_asserts:
        reason = (reason + "; " if reason else "") + \
            f"{problem.skipped_asserts} background assertion(s) left out"
    return TipResult(path.stem, status, time.perf_counter() - start, reason,
                     len(run.graph["theorems"]), [asdict(g) for g in goals],
                     folder if out_dir is not None else None)


# -- command line ----------------------------------------------------------------------

def _positive_seconds(text: str) -> float:
    import argparse
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, not {text}")
    return value


def add_parsers(sub) -> None:
    p = sub.add_parser("tip", help="prove TIP benchmark problems (SMT-LIB with datatypes)")
    p.add_argument("files", nargs="+", metavar="PROBLEM.smt2")
    p.add_argument("--out", help="output folder: one subfolder per problem (theory, proof "
                                 "graph, site)")
    p.add_argument("--time-limit", type=_positive_seconds, default=60.0, metavar="S",
                   help="seconds per problem (default 60)")
    p.add_argument("--translate-only", action="store_true",
                   help="print each problem's MPL translation instead of proving it")
    p.add_argument("--nested", type=int, default=TIP_OPTIONS.prove.nested, metavar="N",
                   help="inductions allowed inside an induction's cases "
                        f"(default {TIP_OPTIONS.prove.nested})")
    p.add_argument("--quiet", action="store_true", help="print only the SZS status lines")
    p.set_defaults(func=cmd_tip)


def cmd_tip(args) -> int:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(highlight=False, soft_wrap=True)
    missing = [f for f in args.files if not Path(f).is_file()]
    if missing:
        console.print(f"error: {missing[0]}: no such file", style="red", markup=False)
        return 2
    for f in args.files:          # unreadable or not UTF-8 (binary): not a problem file at all
        try:
            read_source(f, "TIP problem")
        except MPLError as exc:
            console.print(f"error: {exc}", style="red", markup=False)
            return 2
    if args.translate_only:
        for f in args.files:
            try:
                print(load_tip(f).mpl, end="")
            except MPLError as exc:
                console.print(f"error: {exc}", style="red", markup=False)
                return 2
        return 0
    if args.nested < 0:
        console.print("error: --nested must be 0 or more", style="red")
        return 2
    options = replace(TIP_OPTIONS, prove=replace(TIP_OPTIONS.prove, nested=args.nested))
    results = []
    for f in args.files:
        out = Path(args.out) / Path(f).stem if args.out else None
        result = solve(f, args.time_limit, out, options)
        results.append(result)
        print(f"% SZS status {result.status} for {result.name}"
              + (f" : {result.reason.splitlines()[0]}" if result.reason else ""), flush=True)
    if not args.quiet and len(results) > 1:
        table = Table(title="TIP problems")
        for column in ("problem", "status", "seconds", "theorems"):
            table.add_column(column)
        for r in results:
            table.add_row(escape(r.name), r.status, f"{r.seconds:.1f}", str(r.theorems))
        console.print(table)
        solved = sum(r.status == "Theorem" for r in results)
        console.print(f"{solved}/{len(results)} proved")
    return 0 if all(r.status == "Theorem" for r in results) else 1
