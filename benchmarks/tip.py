"""Benchmark: the natural-number subset of TIP (119 problems in ../shared/external/tip_nat).

For every problem: translate it (or record why it is outside the fragment the reader
takes), then prove it twice in the same process:

* baseline - prove mode on the conjecture alone (direct, then induction; no lemmas);
* genlogic - ``genlogic tip``: the conjecture directly, then with lemmas found by an
  exploration with the conjecture first, until it is proved or the time limit passes.

Every proof found by the second is re-checked with the independent verifier.  Prints,
per suite and in total: problems, translated, proved by the baseline, proved by
genlogic, verified; the unsupported reasons; and the median time of a proved problem.

    python benchmarks/tip.py [--time-limit 60] [--suite isaplanner] [--nested 1]
"""

from __future__ import annotations

import argparse
import statistics
from dataclasses import replace
import tempfile
import time
from collections import Counter
from pathlib import Path

from genlogic.blocks.prover import ProveOptions
from genlogic.explore.goals import prove_goals
from genlogic.explore.tip import TIP_OPTIONS, solve
from genlogic.mpl.errors import MPLError
from genlogic.mpl.theory import load_text
from genlogic.mpl.tip.reader import load_tip
from genlogic.verify import verify_path

ROOT = Path(__file__).resolve().parents[1]
TIP = ROOT.parent / "shared" / "external" / "tip_nat" / "benchmarks"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--suite", default=None, help="isaplanner, prod or tip2015")
    parser.add_argument("--nested", type=int, default=TIP_OPTIONS.prove.nested,
                        help="inductions inside an induction's cases (genlogic side)")
    args = parser.parse_args()
    files = sorted(TIP.glob(f"{args.suite or '*'}/*.smt2"))
    rows: dict[str, Counter] = {}
    reasons: Counter = Counter()
    times = []
    options = replace(TIP_OPTIONS, prove=replace(TIP_OPTIONS.prove, nested=args.nested))
    statuses: Counter = Counter()
    with tempfile.TemporaryDirectory() as scratch:
        for path in files:
            suite = path.parent.name
            row = rows.setdefault(suite, Counter())
            row["problems"] += 1
            try:
                problem = load_tip(path)
            except MPLError as exc:
                reasons[exc.message.split(" (")[0]] += 1
                continue
            row["translated"] += 1
            theory = load_text(problem.mpl, f"{path.stem}.mpl")
            baseline = prove_goals(theory, list(theory.goals),
                                   ProveOptions(time_limit=args.time_limit), discover=False,
                                   time_limit=args.time_limit)
            if all(g.status == "Theorem" for g in baseline.goals):
                row["baseline"] += 1
            out = Path(scratch) / suite / path.stem
            result = solve(path, args.time_limit, out, options)
            status = result.status
            statuses[status] += 1
            if status == "Theorem":
                row["proved"] += 1
                times.append(result.seconds)
                if verify_path(out).ok:
                    row["verified"] += 1
            print(f"{suite}/{path.stem}: {status} ({result.seconds:.1f} s, "
                  f"{result.theorems} theorems)", flush=True)
    columns = ("problems", "translated", "baseline", "proved", "verified")
    print()
    print(f"{'suite':<12}" + "".join(f"{c:>12}" for c in columns))
    total = Counter()
    for suite, row in sorted(rows.items()):
        total.update(row)
        print(f"{suite:<12}" + "".join(f"{row[c]:>12}" for c in columns))
    print(f"{'total':<12}" + "".join(f"{total[c]:>12}" for c in columns))
    ratio = total["proved"] / total["baseline"] if total["baseline"] else float("inf")
    print(f"proved with lemma discovery / without: {total['proved']} / {total['baseline']}"
          f" = {ratio:.2f}x")
    if times:
        print(f"median time of a proved problem: {statistics.median(times):.1f} s"
              f" (limit {args.time_limit:g} s)")
    print("statuses (genlogic): " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())))
    print("outside the fragment:")
    for reason, count in reasons.most_common():
        print(f"  {count:4}  {reason}")


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"benchmark wall time: {time.perf_counter() - start:.0f} s")
