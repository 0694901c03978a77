"""Benchmark: the autonomous runs of the datatype theories against the Peano run.

Explores axioms/lists.mpl and axioms/trees.mpl, then axioms/peano.mpl, serially in this
process, and prints for each the wall time and the peak resident memory per phase, the
funnel, which of the issue's target laws were found, and the ratio of each datatype run
to the Peano run of the same process; with the calibration workload's time
(../shared/bench/calib.py, measured beside the runs) every wall time is also given in
calibration units.

    python benchmarks/lists_explore.py
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import genlogic
from genlogic.explore.explorer import ExploreOptions, explore

ROOT = Path(__file__).resolve().parents[1]
CALIB = ROOT.parent / "shared" / "bench" / "calib.py"

TARGETS = {
    "lists.mpl": ["app(app(a, b), c) = app(a, app(b, c))", "app(a, nil) = a",
                  "len(a) + len(b) = len(app(a, b))", "rev(rev(a)) = a",
                  "len(rev(a)) = len(a)", "app(rev(a), rev(b)) = rev(app(b, a))",
                  "app(map(a, b), map(a, c)) = map(a, app(b, c))", "len(map(a, b)) = len(b)"],
    "trees.mpl": ["mirror(mirror(a)) = a", "size(mirror(a)) = size(a)",
                  "flatten(mirror(a)) = rev(flatten(a))"],
}


def calibration() -> float | None:
    """Seconds of the calibration workload (it prints its best of three)."""
    if not CALIB.is_file():
        return None
    out = subprocess.run([sys.executable, str(CALIB)], capture_output=True, text=True, check=True)
    return float(out.stdout.split()[-1])


def found(theorems: list[dict], law: str) -> bool:
    left, right = law.split(" = ")
    bodies = {t["readable"].split(". ", 1)[-1] for t in theorems}
    return f"{left} = {right}" in bodies or f"{right} = {left}" in bodies


def run(name: str) -> float:
    theory = genlogic.load(ROOT / "axioms" / name)
    result = explore(theory)
    print(f"{name}: {len(result.theorems)} theorems, {len(result.essential)} essential, "
          f"stop: {result.stop_reason}")
    for phase, seconds in result.timings.items():
        memory = result.memory.get(phase)
        print(f"  {phase:>22}: {seconds:8.2f} s" + (f"   peak {memory:6.0f} MB" if memory else ""))
    print("  funnel: " + " -> ".join(f"{k} {v}" for k, v in result.funnel.items()))
    for law in TARGETS.get(name, []):
        print(f"  {law}: {'found' if found(result.theorems, law) else 'MISSING'}")
    return result.timings["total"]


def main() -> None:
    explore(genlogic.load(ROOT / "axioms" / "peano.mpl"),
            options=ExploreOptions(max_size=4, max_vars=2))      # compile the kernels first
    calib = calibration()
    totals = {name: run(name) for name in ("lists.mpl", "trees.mpl", "peano.mpl")}
    after = calibration()
    if calib is not None and after is not None:
        calib = (calib + after) / 2
    peano = totals["peano.mpl"]
    for name, seconds in totals.items():
        units = f", {seconds / calib:.1f} calibration units" if calib else ""
        print(f"{name}: {seconds:.1f} s{units}; ratio to the Peano run {seconds / peano:.2f}")
    if calib:
        print(f"calibration workload: {calib:.2f} s")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (this process): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
