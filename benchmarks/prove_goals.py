"""Benchmark: prove mode, with and without lemmas in the goals file, beside cvc4.

1. The Peano goals (axioms/peano_goals.mpl, helper lemmas included): median wall time
   over runs and the ratio to the design target (5 s on a 2-core machine).
2. The six laws of arithmetic alone (tests/data/six_laws.mpl): all six in one run (the
   lemmas are found by the goal-directed search), then each goal alone; per goal the
   time, the status and the lemmas used.
3. The peer, in the same run: cvc4 (Debian package ``cvc4``) with ``--quant-ind
   --conjecture-gen`` on each of the six laws written in SMT-LIB over a Nat datatype with
   the same recursion equations, the TIP way: ``(assert (not F))`` then ``(check-sat)``,
   unsat = proved.  Skipped with a note when cvc4 is not installed.

Times are also printed in calibration units (wall time / the time of
``../shared/bench/calib.py``'s workload, measured in this process).

    python benchmarks/prove_goals.py [--runs 3] [--time-limit 20]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import genlogic
from genlogic.explore.goals import prove_goals

ROOT = Path(__file__).resolve().parents[1]
CALIB = ROOT.parent / "shared" / "bench" / "calib.py"
TARGET_SECONDS = 5.0

# the same definitions as axioms/peano.mpl: a + 0 = a, a + s(b) = s(a + b),
# a * 0 = 0, a * s(b) = a * b + a
SMT_THEORY = """(set-logic ALL)
(declare-datatypes ((Nat 0)) (((Z) (S (p Nat)))))
(define-fun-rec plus ((x Nat) (y Nat)) Nat (match y ((Z x) ((S z) (S (plus x z))))))
(define-fun-rec mult ((x Nat) (y Nat)) Nat (match y ((Z Z) ((S z) (plus (mult x z) x)))))
"""
SMT_LAWS = {
    "add_comm": "(forall ((a Nat) (b Nat)) (= (plus a b) (plus b a)))",
    "add_assoc": "(forall ((a Nat) (b Nat) (c Nat)) (= (plus (plus a b) c) (plus a (plus b c))))",
    "mul_comm": "(forall ((a Nat) (b Nat)) (= (mult a b) (mult b a)))",
    "left_distrib": "(forall ((a Nat) (b Nat) (c Nat)) "
                    "(= (mult a (plus b c)) (plus (mult a b) (mult a c))))",
    "right_distrib": "(forall ((a Nat) (b Nat) (c Nat)) "
                     "(= (mult (plus a b) c) (plus (mult a c) (mult b c))))",
    "mul_assoc": "(forall ((a Nat) (b Nat) (c Nat)) (= (mult (mult a b) c) (mult a (mult b c))))",
}


def calibration() -> float:
    """Seconds of the calibration workload (it prints its own best of three)."""
    if not CALIB.is_file():
        return float("nan")
    done = subprocess.run([sys.executable, str(CALIB)], check=True, capture_output=True,
                          text=True)
    return float(done.stdout.split()[-1])


def cvc4(law: str, time_limit: float, folder: Path) -> tuple[str, float]:
    path = folder / "goal.smt2"
    path.write_text(SMT_THEORY + f"(assert (not {law}))\n(check-sat)\n")
    start = time.perf_counter()
    try:
        done = subprocess.run(["cvc4", "--lang", "smt2", "--quant-ind", "--conjecture-gen",
                               f"--tlimit={int(time_limit * 1000)}", str(path)],
                              capture_output=True, text=True, timeout=time_limit + 10)
        answer = (done.stdout.strip().splitlines() or ["(no answer)"])[-1]
    except subprocess.TimeoutExpired:
        answer = "timeout"
    seconds = time.perf_counter() - start
    return ("proved" if answer == "unsat" else answer), seconds


def timed(run, runs: int):
    """The last result of ``runs`` calls and the median wall time of a call."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return result, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=20.0,
                        help="seconds per goal for the single-goal runs and for cvc4")
    args = parser.parse_args()
    calib = calibration()
    theory = genlogic.load(ROOT / "axioms" / "peano.mpl")

    goals = theory.goals_from(ROOT / "axioms" / "peano_goals.mpl")
    result, median = timed(lambda: prove_goals(theory, goals), args.runs)
    proved = sum(g.status == "Theorem" for g in result.goals)
    print(f"peano_goals.mpl: {proved}/{len(goals)} proved; median {median:.3f} s over "
          f"{args.runs} runs ({median / calib:.2f} units); ratio to the 5 s target "
          f"{median / TARGET_SECONDS:.3f}")

    laws = theory.goals_from(ROOT / "tests" / "data" / "six_laws.mpl")
    together, median = timed(lambda: prove_goals(theory, laws), args.runs)
    lemmas = sum(t["origin"] == "lemma" for t in together.graph["theorems"])
    print(f"six laws together: {sum(g.status == 'Theorem' for g in together.goals)}/6 proved "
          f"with {lemmas} lemmas; median {median:.2f} s ({median / calib:.2f} units)")

    have_cvc4 = shutil.which("cvc4") is not None
    print()
    print(f"{'goal':<14}{'genlogic':>10}{'s':>8}{'lemmas':>8}{'cvc4':>12}{'s':>8}")
    ours, theirs, ours_proved, theirs_proved = 0.0, 0.0, 0, 0
    with tempfile.TemporaryDirectory() as scratch:
        for goal in laws:
            start = time.perf_counter()
            alone = prove_goals(theory, [goal], time_limit=args.time_limit).goals[0]
            seconds = time.perf_counter() - start
            ours += seconds
            ours_proved += alone.status == "Theorem"
            status, peer = cvc4(SMT_LAWS[goal.name], args.time_limit, Path(scratch)) \
                if have_cvc4 else ("-", 0.0)
            theirs += peer
            theirs_proved += status == "proved"
            print(f"{goal.name:<14}{alone.status:>10}{seconds:>8.2f}{len(alone.lemmas):>8}"
                  f"{status:>12}{peer:>8.2f}")
    print(f"each goal alone: genlogic {ours_proved}/6 in {ours:.2f} s ({ours / calib:.2f} "
          f"units)", end="")
    if have_cvc4:
        print(f"; cvc4 {theirs_proved}/6 in {theirs:.2f} s; time ratio cvc4 / genlogic "
              f"{theirs / ours:.2f}")
    else:
        print("; cvc4 not installed (apt-get install cvc4), no peer figures")
    print(f"calibration: {calib:.3f} s; peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
