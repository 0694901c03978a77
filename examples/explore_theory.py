"""Explore Peano arithmetic with no goal and list the essential theorems.

SLOW: a full autonomous run takes tens of seconds; it is not run by the test suite.
Run from anywhere:  python examples/explore_theory.py [SECONDS]
(an optional time limit in seconds stops the run early with a valid partial result)
"""

import sys
from pathlib import Path

import genlogic
from genlogic.explore.explorer import ExploreOptions

ROOT = Path(__file__).resolve().parents[1]

theory = genlogic.load(ROOT / "axioms" / "peano.mpl")
limit = float(sys.argv[1]) if len(sys.argv) > 1 else None


def progress(info: dict) -> None:
    print(f"  {info['proved']:4d} proved, {info['queued']:4d} queued: {info['theorem']}",
          file=sys.stderr)


run = theory.explore(ExploreOptions(time_limit=limit), progress=progress)
print(f"{len(run.theorems)} theorems, {len(run.essential)} essential "
      f"({run.stop_reason}, {run.timings['total']:.1f}s)")
for entry in run.theorems:
    if entry["essential"]:
        print(f"  {entry['id']}  {entry['readable']}  [{entry['method']}]")
