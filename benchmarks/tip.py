"""Benchmark: genlogic against CVC4 1.8 on TIP suites, problem by problem, same limit.

For every problem of the chosen suites, serially in this process:

* genlogic - ``genlogic tip`` (``explore.tip.solve``): the conjecture directly, then with
  lemmas found by an exploration with the conjecture first; every Theorem is re-checked
  by the independent verifier, and a Theorem that fails it counts as a failure;
* cvc4 - the peer (``benchmarks/tip_peer.py``): CVC4 1.8 with ``--quant-ind
  --conjecture-gen`` on the problem with each ``(prove F)`` as ``(assert (not F))`` and
  ``(check-sat)`` (monomorphised when it has parametric functions or goals), with the
  same time limit; skipped with a message when cvc4 is not installed;
* baseline (``--baseline``) - prove mode on the conjecture alone (no lemma discovery).

Prints per suite: problems, translated by the reader, proved by genlogic, verified,
proved by cvc4, the names proved by one and not the other; the statuses; the reasons of
the untranslated problems; wall times, also in units of the calibration workload
(../shared/bench/calib.py, measured before and after).  ``--json FILE`` writes one JSON
line per problem as it finishes (and a first line describing the run), so a run that is
cut short keeps what it measured.

    python benchmarks/tip.py [--suites isaplanner prod nat DIR ...] [--time-limit 20]
                             [--no-peer] [--no-genlogic] [--baseline] [--json FILE]
                             [--only NAME ...] [--nested N] [--no-calibration]
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from genlogic.explore.tip import TIP_OPTIONS, solve      # noqa: E402
from genlogic.verify import verify_path                   # noqa: E402

import tip_peer                                           # noqa: E402

SHARED = ROOT.parent / "shared"
SUITES = SHARED / "external" / "tip_suites" / "benchmarks"
NAT = SHARED / "external" / "tip_nat" / "benchmarks"
CALIB = SHARED / "bench" / "calib.py"
DEFAULT_SUITES = ("isaplanner", "prod")
UNTRANSLATED = ("Inappropriate", "InputError")


def suite_dirs(names: list[str]) -> list[tuple[str, Path]]:
    """(label, folder) for each suite named: isaplanner, prod, nat (its three folders),
    nat/NAME, or a folder of .smt2 files."""
    out = []
    for name in names:
        if name in ("isaplanner", "prod") and (SUITES / name).is_dir():
            out.append((name, SUITES / name))
        elif name == "nat":
            out.extend((f"nat/{d.name}", d) for d in sorted(NAT.iterdir()) if d.is_dir())
        elif name.startswith("nat/") and (NAT / name[4:]).is_dir():
            out.append((name, NAT / name[4:]))
        elif Path(name).is_dir():
            out.append((Path(name).name, Path(name)))
        else:
            raise SystemExit(f"tip.py: no suite '{name}' (isaplanner, prod, nat, nat/NAME "
                             "or a folder of .smt2 files)")
    return out


def calibration() -> float | None:
    """Seconds of the calibration workload (it prints its best of three)."""
    if not CALIB.is_file():
        return None
    out = subprocess.run([sys.executable, str(CALIB)], capture_output=True, text=True,
                         check=True)
    return float(out.stdout.split()[-1])


def reason_key(reason: str) -> str:
    """A refusal's reason without its file:line:col, caret lines and details in brackets."""
    first = reason.strip().splitlines()[0] if reason.strip() else "(no reason given)"
    first = re.sub(r"^\S*:\d+:\d+:\s*", "", first)
    first = re.sub(r"\s*SZS status \w+", "", first)
    return re.sub(r"'[^']*'", "'…'", first.split(" (")[0]).strip()


def baseline_proved(path: Path, time_limit: float) -> bool | None:
    """Prove mode without lemma discovery; None when the problem does not translate."""
    from genlogic.blocks.prover import ProveOptions
    from genlogic.explore.goals import prove_goals
    from genlogic.mpl.errors import MPLError
    from genlogic.mpl.theory import load_text
    from genlogic.mpl.tip.reader import load_tip
    try:
        problem = load_tip(path)
        theory = load_text(problem.mpl, f"{path.stem}.mpl")
    except MPLError:
        return None
    run = prove_goals(theory, list(theory.goals), ProveOptions(time_limit=time_limit),
                      discover=False, time_limit=time_limit)
    return bool(run.goals) and all(g.status == "Theorem" for g in run.goals)


def run_genlogic(path: Path, time_limit: float, out: Path, options) -> dict:
    start = time.perf_counter()
    try:
        result = solve(path, time_limit, out, options)
    except Exception as exc:                              # a crash is a result too
        return {"status": "Error", "seconds": time.perf_counter() - start,
                "reason": f"{type(exc).__name__}: {exc}", "verified": False}
    row = {"status": result.status, "seconds": result.seconds, "reason": result.reason,
           "theorems": result.theorems, "verified": False}
    if result.status == "Theorem":
        report = verify_path(out)
        row["verified"] = report.ok
        if not report.ok:
            row["verify_failures"] = report.failures[:5]
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suites", nargs="+", default=list(DEFAULT_SUITES),
                        metavar="SUITE", help="isaplanner, prod, nat, nat/NAME or folders "
                                              "(default: isaplanner prod)")
    parser.add_argument("--time-limit", type=float, default=20.0, metavar="S",
                        help="seconds per problem for each prover (default 20)")
    parser.add_argument("--no-peer", action="store_true", help="do not run cvc4")
    parser.add_argument("--no-genlogic", action="store_true",
                        help="run only the peer (its figures alone)")
    parser.add_argument("--baseline", action="store_true",
                        help="also prove mode without lemma discovery")
    parser.add_argument("--keep-asserts", action="store_true",
                        help="give cvc4 the background (assert ...) lemmas genlogic leaves out")
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        help="only problems whose file name (without .smt2) is listed")
    parser.add_argument("--nested", type=int, default=TIP_OPTIONS.prove.nested,
                        help="inductions inside an induction's cases (genlogic)")
    parser.add_argument("--no-calibration", action="store_true",
                        help="do not run the calibration workload")
    parser.add_argument("--json", type=Path, metavar="FILE",
                        help="write one JSON line per problem here, flushed as it goes")
    args = parser.parse_args()

    suites = suite_dirs(args.suites)
    peer = not args.no_peer
    if peer and tip_peer.cvc4_path() is None:
        print("*** cvc4 is not installed (apt-get install -y cvc4): the peer column is "
              "skipped ***", flush=True)
        peer = False
    version = tip_peer.cvc4_version() if peer else None
    genlogic = not args.no_genlogic
    options = replace(TIP_OPTIONS, prove=replace(TIP_OPTIONS.prove, nested=args.nested))
    log = args.json.open("w", encoding="utf-8") if args.json else None

    def record(entry: dict) -> None:
        if log is not None:
            log.write(json.dumps(entry, sort_keys=True) + "\n")
            log.flush()

    measure = (lambda: None) if args.no_calibration else calibration
    calib_before = measure()
    record({"run": {"suites": [label for label, _ in suites], "time_limit": args.time_limit,
                    "genlogic": genlogic, "peer": version, "baseline": args.baseline,
                    "nested": args.nested, "calibration_before": calib_before,
                    "python": platform.python_version(), "started": time.time()}})
    print(f"time limit {args.time_limit:g} s per problem and prover; "
          f"peer: {version or 'none'}; calibration workload {calib_before} s", flush=True)

    rows: dict[str, Counter] = {}
    only_genlogic: dict[str, list[str]] = {}
    only_peer: dict[str, list[str]] = {}
    statuses = {"genlogic": Counter(), "cvc4": Counter()}
    reasons: Counter = Counter()
    peer_refusals: Counter = Counter()
    unverified: list[str] = []
    seconds = {"genlogic": 0.0, "cvc4": 0.0, "baseline": 0.0}
    proved_times: dict[str, list[float]] = {"genlogic": [], "cvc4": []}
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tip-bench-") as scratch:
        for label, folder in suites:
            row = rows.setdefault(label, Counter())
            only_genlogic[label], only_peer[label] = [], []
            for path in sorted(folder.glob("*.smt2")):
                if args.only and path.stem not in args.only:
                    continue
                name = f"{label}/{path.stem}"
                row["problems"] += 1
                entry: dict = {"suite": label, "problem": path.stem, "path": str(path)}
                line = []
                ok_genlogic = ok_peer = False
                if genlogic:
                    if args.baseline:
                        t0 = time.perf_counter()
                        base = baseline_proved(path, args.time_limit)
                        seconds["baseline"] += time.perf_counter() - t0
                        entry["baseline"] = base
                        row["baseline"] += bool(base)
                    out = Path(scratch) / label / path.stem
                    g = run_genlogic(path, args.time_limit, out, options)
                    entry["genlogic"] = g
                    seconds["genlogic"] += g["seconds"]
                    statuses["genlogic"][g["status"]] += 1
                    if g["status"] in UNTRANSLATED:
                        reasons[reason_key(g["reason"])] += 1
                    else:
                        row["translated"] += 1
                    if g["status"] == "Theorem":
                        row["genlogic"] += 1
                        if g["verified"]:
                            row["verified"] += 1
                            ok_genlogic = True
                            proved_times["genlogic"].append(g["seconds"])
                        else:
                            unverified.append(name)
                            print(f"!!! {name}: genlogic's proof FAILED VERIFICATION: "
                                  f"{g.get('verify_failures')}", flush=True)
                    shown = g["status"] + ("" if g["verified"] or g["status"] != "Theorem"
                                           else " (NOT VERIFIED)")
                    line.append(f"genlogic {shown} {g['seconds']:.1f} s")
                if peer:
                    p = tip_peer.run_cvc4(path, args.time_limit, args.keep_asserts)
                    entry["cvc4"] = {"status": p.status, "seconds": p.seconds,
                                     "reason": p.reason, "answers": p.answers}
                    seconds["cvc4"] += p.seconds
                    statuses["cvc4"][p.status] += 1
                    if p.status == "InputError":
                        peer_refusals[reason_key(p.reason)] += 1
                    if p.status == "Theorem":
                        row["cvc4"] += 1
                        ok_peer = True
                        proved_times["cvc4"].append(p.seconds)
                    line.append(f"cvc4 {p.status} {p.seconds:.1f} s")
                if genlogic and peer and ok_genlogic != ok_peer:
                    (only_genlogic if ok_genlogic else only_peer)[label].append(path.stem)
                record(entry)
                print(f"{name}: " + "; ".join(line), flush=True)
    wall = time.perf_counter() - start
    calib_after = measure()
    calib = None
    if calib_before is not None and calib_after is not None:
        calib = (calib_before + calib_after) / 2

    columns = ["problems"]
    if genlogic:
        columns += ["translated"] + (["baseline"] if args.baseline else []) \
            + ["genlogic", "verified"]
    if peer:
        columns.append("cvc4")
    print()
    print(f"{'suite':<16}" + "".join(f"{c:>11}" for c in columns))
    total: Counter = Counter()
    for label, row in rows.items():
        total.update(row)
        print(f"{label:<16}" + "".join(f"{row[c]:>11}" for c in columns))
    if len(rows) > 1:
        print(f"{'total':<16}" + "".join(f"{total[c]:>11}" for c in columns))
    if genlogic and peer:
        for label in rows:
            print(f"{label}: proved by genlogic only ({len(only_genlogic[label])}): "
                  f"{' '.join(only_genlogic[label]) or '-'}")
            print(f"{label}: proved by cvc4 only ({len(only_peer[label])}): "
                  f"{' '.join(only_peer[label]) or '-'}")
    for who, counter in statuses.items():
        if counter:
            print(f"statuses ({who}): " + ", ".join(f"{k} {v}" for k, v in sorted(counter.items())))
    if reasons:
        print("not translated by the reader:")
        for reason, count in reasons.most_common():
            print(f"  {count:4}  {reason}")
    if peer_refusals:
        print("not read by cvc4:")
        for reason, count in peer_refusals.most_common():
            print(f"  {count:4}  {reason}")
    for who, times in proved_times.items():
        if times:
            print(f"median time of a problem proved by {who}: {statistics.median(times):.2f} s")
    units = (lambda s: f" = {s / calib:.0f} calibration units") if calib else (lambda s: "")
    print(f"wall time: {wall:.0f} s{units(wall)}")
    for who, s in seconds.items():
        if s:
            print(f"  {who}: {s:.0f} s{units(s)}")
    if calib:
        print(f"calibration workload: {calib:.3f} s (before {calib_before:.3f}, "
              f"after {calib_after:.3f})")
    record({"summary": {"rows": {k: dict(v) for k, v in rows.items()}, "wall": wall,
                        "seconds": seconds, "calibration": calib,
                        "unverified": unverified,
                        "only_genlogic": only_genlogic, "only_cvc4": only_peer}})
    if log is not None:
        log.close()
    if unverified:
        print(f"!!! {len(unverified)} genlogic Theorem(s) FAILED VERIFICATION: "
              f"{' '.join(unverified)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
