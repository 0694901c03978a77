"""Benchmark: the autonomous Peano run (`genlogic prove axioms/peano.mpl`).

Runs the exploration with the serial executor and with processes(2) in the same
process, and prints for each the wall time per phase (model, conjecture,
counterexample filter, prove, compress) and in total, then the processes/serial ratio,
whether the graphs are byte-identical, the peak resident memory, whether the six laws
were found, and the ratio against the stated reference: the earlier C++ system's 366 s
for its Peano batch on a 2-core machine (DESIGN section 10).

    python benchmarks/peano_explore.py [--runs 1]
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import statistics
from pathlib import Path

import genlogic
from genlogic.explore.explorer import explore

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_SECONDS = 366.0
LAWS = [("a + b", "b + a"), ("a * b", "b * a"), ("a + b + c", "a + (b + c)"),
        ("a * b * c", "a * (b * c)"), ("a * (b + c)", "a * b + a * c"),
        ("(a + b) * c", "a * c + b * c")]


def found(theorems: list[dict], left: str, right: str) -> bool:
    bodies = {t["readable"].split(". ", 1)[-1] for t in theorems}
    for perm in itertools.permutations("abc"):
        rename = dict(zip("abc", perm))
        l, r = ("".join(rename.get(ch, ch) for ch in side) for side in (left, right))
        if f"{l} = {r}" in bodies or f"{r} = {l}" in bodies:
            return True
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    theory = genlogic.load(ROOT / "axioms" / "peano.mpl")
    medians, graphs = {}, {}
    for kind, workers in (("serial", None), ("processes", 2)):
        totals = []
        for _ in range(args.runs):
            run = explore(theory, executor_kind=kind, workers=workers)
            totals.append(run.timings["total"])
        print(f"{kind}{'' if workers is None else f'({workers})'}:")
        for phase, seconds in run.timings.items():
            print(f"  {phase:>22}: {seconds:8.2f} s")
        medians[kind] = statistics.median(totals)
        graphs[kind] = json.dumps(run.graph, ensure_ascii=False)
    median = medians["processes"]
    print(f"processes(2) / serial: {medians['processes'] / medians['serial']:.2f}"
          f" (graphs identical: {graphs['serial'] == graphs['processes']})")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("funnel: " + " -> ".join(f"{k} {v}" for k, v in run.funnel.items()))
    for left, right in LAWS:
        print(f"  {left} = {right}: {'found' if found(run.theorems, left, right) else 'MISSING'}")
    print(f"wall time: median {median:.1f} s over {args.runs} run(s) with processes(2),"
          f" {medians['serial']:.1f} s serial")
    print(f"peak memory (process RSS): {peak_mb:.0f} MB")
    print(f"ratio to the C++ reference (366 s): {median / REFERENCE_SECONDS:.3f}"
          f" ({REFERENCE_SECONDS / median:.1f}x faster)")


if __name__ == "__main__":
    main()
