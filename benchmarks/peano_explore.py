"""Benchmark: the autonomous Peano run (`genlogic prove axioms/peano.mpl`).

Runs the exploration in the same process with the serial executor, with processes(2),
and serially again on the Python twins of the numba kernels (GENLOGIC_BACKEND=python).
Prints for each the wall time and the peak resident memory (of this process, so far)
per phase (model, conjecture, counterexample filter, prove, compress) and in total;
then the processes/serial ratio, each numba kernel's time against its twin's (block
joins; counterexample search on the model) and the whole run's, whether the graphs are
byte-identical, whether the six laws were found, and the ratio against the stated
reference: the earlier C++ system's 366 s for its Peano batch on a 2-core machine
(DESIGN section 10).  Kernel times are summed over the calls made in this process, so
they are reported for the serial runs.

    python benchmarks/peano_explore.py [--runs 1]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import statistics
from pathlib import Path

import genlogic
from genlogic.blocks import join
from genlogic.explore import evaluate
from genlogic.explore.explorer import ExploreOptions, explore

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


KERNELS = {"block joins": join.STATS, "model evaluation": evaluate.STATS}


def run_once(theory, kind: str, workers: int | None, backend: str):
    os.environ["GENLOGIC_BACKEND"] = backend
    for stats in KERNELS.values():
        stats.update(calls=0, seconds=0.0)
    try:
        run = explore(theory, executor_kind=kind, workers=workers)
    finally:
        del os.environ["GENLOGIC_BACKEND"]
    return run, {name: dict(stats) for name, stats in KERNELS.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    theory = genlogic.load(ROOT / "axioms" / "peano.mpl")
    explore(theory, options=ExploreOptions(max_size=4, max_vars=2))   # compile the kernels
    medians, graphs, kernels = {}, {}, {}
    for label, kind, workers, backend in (("serial", "serial", None, "numba"),
                                          ("processes(2)", "processes", 2, "numba"),
                                          ("serial, Python twins", "serial", None, "python")):
        totals = []
        for _ in range(args.runs):
            run, stats = run_once(theory, kind, workers, backend)
            totals.append(run.timings["total"])
            kernels.setdefault(label, []).append(stats)
        print(f"{label}:")
        for phase, seconds in run.timings.items():
            memory = run.memory.get(phase)
            print(f"  {phase:>22}: {seconds:8.2f} s" + (f"   peak {memory:6.0f} MB" if memory else ""))
        medians[label] = statistics.median(totals)
        graphs[label] = json.dumps(run.graph, ensure_ascii=False)
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory of the largest worker process: {children_mb:.0f} MB")
    median = medians["processes(2)"]
    print(f"processes(2) / serial: {median / medians['serial']:.2f}")
    print("numba kernel vs its Python twin (serial runs, medians of summed time):")
    for name in KERNELS:
        fast = statistics.median(s[name]["seconds"] for s in kernels["serial"])
        slow = statistics.median(s[name]["seconds"] for s in kernels["serial, Python twins"])
        calls = kernels["serial"][0][name]["calls"]
        print(f"  {name:>17}: {fast:6.2f} s numba, {slow:6.2f} s twin over {calls:,} calls"
              f" -> {slow / fast:4.1f}x")
    twins = medians["serial, Python twins"]
    print(f"  {'whole run':>17}: {medians['serial']:6.2f} s numba, {twins:6.2f} s twins"
          f" -> {twins / medians['serial']:4.2f}x")
    print("graphs identical: " + ", ".join(
        f"{label} {graphs[label] == graphs['serial']}" for label in graphs if label != "serial"))
    print("funnel: " + " -> ".join(f"{k} {v}" for k, v in run.funnel.items()))
    for left, right in LAWS:
        print(f"  {left} = {right}: {'found' if found(run.theorems, left, right) else 'MISSING'}")
    print(f"wall time: median {median:.1f} s over {args.runs} run(s) with processes(2),"
          f" {medians['serial']:.1f} s serial")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (this process): {peak_mb:.0f} MB")
    print(f"ratio to the C++ reference (366 s): {median / REFERENCE_SECONDS:.3f}"
          f" ({REFERENCE_SECONDS / median:.1f}x faster)")


if __name__ == "__main__":
    main()
