"""Benchmark: Coq's check of the Peano showcase beside genlogic's own verifier.

For a run folder (default ``proofs_out/peano``, the committed showcase; when it is
missing, ``genlogic prove axioms/peano.mpl`` makes one in a scratch folder, about a
minute), measured in this process:

* ``genlogic verify`` - the independent checker (``genlogic.verify.verify_path``);
* the Coq export - writing the script (``genlogic.export.coq``);
* coqc - compiling the script (``coqc -q``, every theorem closed under the global
  context), which is what ``genlogic verify --coq`` adds.

Each is the best of ``--runs`` wall times, also in calibration units (the time of
``../shared/bench/calib.py``'s workload, measured in the same run).  Without coqc the
Coq row says so and the benchmark exits 1.

    python benchmarks/coq_verify.py [--dir proofs_out/peano] [--runs 1]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from genlogic.export.coq import coq_script, load_run
from genlogic.export.coq_check import find_coqc, run_coqc
from genlogic.verify import verify_path

ROOT = Path(__file__).resolve().parents[1]
CALIB = ROOT.parent / "shared" / "bench" / "calib.py"
SHOWCASE = ROOT / "proofs_out" / "peano"


def calibration() -> float:
    """Seconds of the calibration workload (it prints its own best of three)."""
    if not CALIB.is_file():
        return float("nan")
    done = subprocess.run([sys.executable, str(CALIB)], check=True, capture_output=True,
                          text=True)
    return float(done.stdout.split()[-1])


def best(runs: int, work) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def showcase(scratch: Path) -> Path:
    if (SHOWCASE / "proof_graph.json").is_file():
        return SHOWCASE
    out = scratch / "peano"
    print(f"{SHOWCASE} is missing: exploring axioms/peano.mpl into {out} ...", flush=True)
    subprocess.run([sys.executable, "-m", "genlogic.cli", "prove",
                    str(ROOT / "axioms" / "peano.mpl"), "--out", str(out), "--quiet"],
                   check=True)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=None, help="run folder (default: showcase)")
    parser.add_argument("--runs", type=int, default=1, help="runs of each, best taken")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.dir or showcase(Path(scratch))
        calib = calibration()
        graph, theory = load_run(folder)
        steps = sum(len(t["steps"]) for t in graph["theorems"])
        print(f"{folder}: {len(graph['theorems'])} theorems, {steps} steps")

        verify_s, report = best(args.runs, lambda: verify_path(folder))
        export_s, script = best(args.runs, lambda: coq_script(graph, theory))
        rows = [("genlogic verify", verify_s, "OK" if report.ok else "FAILED"),
                ("Coq export (script)", export_s, f"{len(script.text) / 1e6:.1f} MB")]
        coqc = find_coqc()
        code = 0
        if coqc is None:
            rows.append(("coqc", float("nan"), "not installed (apt-get install coq)"))
            code = 1
        else:
            reports = [run_coqc(script, coqc, str(folder)) for _ in range(args.runs)]
            coq_s = min(r.seconds for r in reports)
            ok = all(r.ok for r in reports)
            accepted = sum(status == "accepted" for _, status in reports[-1].theorems)
            rows.append(("coqc", coq_s, f"{accepted}/{len(script.theorems)} accepted "
                                        f"({reports[-1].coqc})" + ("" if ok else " FAILED")))
            rows.append(("verify --coq (all three)", verify_s + export_s + coq_s, ""))
            code = 0 if ok and report.ok else 1
        print(f"{'':26} {'seconds':>9} {'units':>8}")
        for name, seconds, note in rows:
            print(f"{name:26} {seconds:9.2f} {seconds / calib:8.2f}  {note}")
        if coqc is not None:
            print(f"coqc / genlogic verify: {rows[2][1] / verify_s:.1f}x")
        print(f"calibration: {calib:.3f} s")
    return code


if __name__ == "__main__":
    sys.exit(main())
