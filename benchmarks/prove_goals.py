"""Benchmark: prove mode on the Peano goals (axioms/peano_goals.mpl).

Prints the median wall time over runs, the peak resident memory of the process, and the
ratio to the design target for this job (5 s on a 2-core machine, DESIGN section 10).

    python benchmarks/prove_goals.py [--runs 5]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from pathlib import Path

import genlogic
from genlogic.explore.goals import prove_goals

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    theory = genlogic.load(ROOT / "axioms" / "peano.mpl")
    goals = theory.goals_from(ROOT / "axioms" / "peano_goals.mpl")
    times = []
    proved = 0
    for _ in range(args.runs):
        start = time.perf_counter()
        result = prove_goals(theory, goals)
        times.append(time.perf_counter() - start)
        proved = sum(g.status == "Theorem" for g in result.goals)
    median = statistics.median(times)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"goals proved: {proved}/{len(goals)}")
    print(f"wall time: median {median:.3f} s over {args.runs} runs (min {min(times):.3f} s)")
    print(f"peak memory (process RSS): {peak_mb:.0f} MB")
    print(f"ratio to the 5 s target: {median / TARGET_SECONDS:.3f}")


if __name__ == "__main__":
    main()
