"""Proofs that Coq checks: proof graphs exported to Coq scripts (genlogic/export/coq.py).

The prove-mode Peano graph must compile with coqc, every theorem closed under the global
context (``Print Assumptions``: nothing but the theory's own hypotheses); the script is
deterministic and uses neither search tactics nor Admitted; corrupted graphs are refused
by the export or rejected by coqc, naming the theorem.  These tests need coqc (Debian
package ``coq``; ``.ci/run`` installs it) and fail, not skip, without it.
"""

from __future__ import annotations

import copy
import json
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from genlogic.cli import main
from genlogic.export.coq import CoqExportError, coq_script, export_coq, load_run
from genlogic.export.coq_check import CLOSED, check_coq, find_coqc, run_coqc
from genlogic.mpl.ast import alpha_key
from genlogic.mpl.parser import parse_expr
from genlogic.mpl.printer import to_mpl

ROOT = Path(__file__).resolve().parents[1]
THEORY = ROOT / "axioms" / "peano.mpl"
GOALS = ROOT / "axioms" / "peano_goals.mpl"
TIP = ROOT.parent / "shared" / "external" / "tip_nat" / "benchmarks"


def coqc() -> str:
    found = find_coqc()
    if found is None:
        pytest.fail("coqc is not installed: the Coq tests need it (Debian: apt-get install "
                    "coq; .ci/run installs it)")
    return found


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Path:
    """A folder with the prove-mode Peano graph (axioms/peano_goals.mpl)."""
    out = tmp_path_factory.mktemp("coq") / "peano_goals"
    assert main(["prove", str(THEORY), "--goals", str(GOALS), "--out", str(out),
                 "--quiet"]) == 0
    return out


@pytest.fixture(scope="module")
def loaded(run):
    return load_run(run)


def check(graph, theory):
    """coqc's report on ``graph``, or the export's refusal (a string)."""
    try:
        script = coq_script(graph, theory)
    except CoqExportError as exc:
        return str(exc)
    return run_coqc(script, coqc())


def upto(graph, tid):
    """The graph cut after theorem ``tid`` (a smaller script to compile)."""
    out = copy.deepcopy(graph)
    ids = [t["id"] for t in out["theorems"]]
    out["theorems"] = out["theorems"][:ids.index(tid) + 1]
    return out


def theorem(graph, tid):
    return next(t for t in graph["theorems"] if t["id"] == tid)


def assert_rejected(result, tid, phrase=""):
    if isinstance(result, str):                 # refused by the export
        assert tid in result and phrase in result, result
        return
    assert not result.ok
    statuses = dict(result.theorems)
    assert statuses[tid] == "rejected", result.lines()
    before = [t for t, _ in result.theorems][:[t for t, _ in result.theorems].index(tid)]
    assert all(statuses[t] == "accepted" for t in before)
    assert "coqc rejected theorem" in result.error


# -- the real graphs compile -------------------------------------------------------------
def test_prove_mode_peano_graph_compiles_with_coqc(run, loaded):
    graph, _ = loaded
    report = check_coq(run, coqc())
    assert report.ok, report.lines()
    assert [t for t, _ in report.theorems] == [t["id"] for t in graph["theorems"]]
    assert {status for _, status in report.theorems} == {"accepted"}
    assert report.steps == sum(len(t["steps"]) for t in graph["theorems"])
    assert report.coqc.startswith("The Coq Proof Assistant")


def test_every_theorem_rests_on_the_theory_alone(run, tmp_path):
    # coqc run directly, not through check_coq: after the Section, Print Assumptions
    # says "Closed under the global context" for each theorem, and nothing else
    path, script = export_coq(run, tmp_path / "peano.v")
    done = subprocess.run([coqc(), "-q", path.name], cwd=tmp_path, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:-1] == [CLOSED] * len(script.theorems)
    assert done.stderr == ""


FORBIDDEN = ("Admitted", "admit", "Axiom", "Parameter", "Conjecture", "auto", "eauto",
             "firstorder", "congruence", "tauto", "intuition", "lia", "omega", "trivial",
             "easy", "assumption", "Abort", "Require", "Import", "Classical")


def test_script_is_deterministic_and_uses_only_small_tactics(run, loaded, tmp_path):
    graph, theory = loaded
    first = coq_script(graph, theory).text
    assert coq_script(json.loads(json.dumps(graph)), theory).text == first
    copied = tmp_path / "elsewhere" / "run"
    shutil.copytree(run, copied)
    path, _ = export_coq(copied)
    assert path == copied / "proof.v" and path.read_bytes() == first.encode("utf-8")
    assert str(run) not in first and str(tmp_path) not in first
    proofs = re.findall(r"\nProof\.\n(.*?)\nQed\.", first, re.S)
    assert len(proofs) == len(graph["theorems"])
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_']*", "\n".join(proofs)))
    assert words.isdisjoint(FORBIDDEN), words & set(FORBIDDEN)
    tactics = {line.strip().lstrip("{ ").split(" ", 1)[0]
               for proof in proofs for line in proof.splitlines()}
    assert tactics <= {"assert", "pose", "intros", "exact", "destruct"}, tactics
    assert re.search(r"\b(Admitted|Axiom|Parameter)\b", first) is None
    assert first.count("\nTheorem ") == len(graph["theorems"])
    assert first.count("\nQed.") == len(graph["theorems"])
    # later theorems cite earlier ones by name
    assert "by exact thm_add_zero_left." in first


def test_tip_problem_output_compiles(tmp_path):
    problem = TIP / "isaplanner" / "prop_06.smt2"
    if not problem.is_file():
        pytest.fail(f"{problem} is missing (the TIP subset of ../shared/external)")
    out = tmp_path / "tip"
    assert main(["tip", str(problem), "--out", str(out), "--time-limit", "30",
                 "--quiet"]) == 0
    folder = out / "prop_06"
    report = check_coq(folder, coqc())
    assert report.ok and report.theorems, report.lines()


# -- corrupted graphs are refused or rejected ------------------------------------------------
def _first(entry, rule, where=lambda s: True):
    return next(s for s in entry["steps"] if s["rule"] == rule and where(s))


def wrong_substitution(graph):
    entry = theorem(graph, "add_comm")
    step = _first(entry, "modus-ponens", lambda s: len(s["substitution"]) >= 2)
    values = list(step["substitution"].values())
    key = next(k for k, v in step["substitution"].items() if v != values[-1])
    step["substitution"][key] = values[-1]
    return "add_comm"


def missing_premise(graph):
    entry = theorem(graph, "add_assoc")
    step = _first(entry, "modus-ponens", lambda s: len(s["premises"]) >= 3)
    step["premises"].pop()
    return "add_assoc"


def swapped_rule(graph):
    entry = theorem(graph, "add_succ_left")
    _first(entry, "eq-trans")["rule"] = "and-intro"
    return "add_succ_left"


def wrong_induction_base(graph):
    entry = theorem(graph, "add_comm")
    step = _first(entry, "induction")
    step["extra"]["predicate"] = step["extra"]["predicate"].replace("in3[a,b,c,+]",
                                                                    "in3[b,b,c,+]", 1)
    return "add_comm"


def false_statement(graph):
    entry = theorem(graph, "add_comm")
    wrong = "(>[a,b,c](in3[a,b,c,+])(in3[a,a,c,+]))"
    entry["mpl"] = wrong
    step = next(s for s in entry["steps"] if s["id"] == entry["conclusion"])
    step["expr"] = to_mpl(parse_expr(wrong))
    return "add_comm"


def wrong_premise_cited(graph):
    entry = theorem(graph, "mul_zero_left")
    step = _first(entry, "and-elim", lambda s: s["premises"][0] > 3)
    step["premises"] = [step["premises"][0] - 1]
    return "mul_zero_left"


def circular_theorem_use(graph):
    entry = theorem(graph, "add_comm")
    _first(entry, "theorem")["extra"]["theorem"] = "add_assoc"   # proved after add_comm
    return "add_comm"


def unknown_rule(graph):
    entry = theorem(graph, "add_zero_left")
    _first(entry, "expand")["rule"] = "magic"
    return "add_zero_left"


CORRUPTIONS = [wrong_substitution, missing_premise, swapped_rule, wrong_induction_base,
               false_statement, wrong_premise_cited, circular_theorem_use, unknown_rule]


@pytest.mark.parametrize("corrupt", CORRUPTIONS, ids=[c.__name__ for c in CORRUPTIONS])
def test_corrupted_graph_is_refused_or_rejected(loaded, corrupt):
    graph, theory = loaded
    bad = copy.deepcopy(graph)
    tid = corrupt(bad)
    assert_rejected(check(upto(bad, tid), theory), tid)


def test_refusals_say_what_is_wrong(loaded):
    graph, theory = loaded
    bad = copy.deepcopy(graph)
    circular_theorem_use(bad)
    with pytest.raises(CoqExportError, match=r"theorem add_comm, step \d+ \(theorem\): cites "
                                             r"theorem 'add_assoc', which is not proved before"):
        coq_script(bad, theory)
    bad = copy.deepcopy(graph)
    unknown_rule(bad)
    with pytest.raises(CoqExportError, match=r"theorem add_zero_left, step \d+ \(magic\): "
                                             r"unknown rule"):
        coq_script(bad, theory)


def test_edited_embedded_theory_is_refused(run, tmp_path):
    folder = tmp_path / "edited"
    shutil.copytree(run, folder)
    graph = json.loads((folder / "proof_graph.json").read_text())
    entry = graph["theory"]["files"][0]
    entry["text"] = entry["text"].replace("(in3[a,z,a,add])", "(in3[a,z,z,add])")
    (folder / "proof_graph.json").write_text(json.dumps(graph))
    with pytest.raises(CoqExportError, match="sha256|source hash|edited"):
        load_run(folder)


def test_mutated_steps_are_all_rejected(loaded):
    """Random steps of the first four theorems, each with one name of its expression
    changed (so it is no longer the same statement up to bound names): coqc rejects
    every one, blaming that theorem."""
    graph, theory = loaded
    rng = random.Random(18)
    candidates = [(t["id"], s["id"]) for t in graph["theorems"][:4] for s in t["steps"]
                  if s["rule"] != "contradiction"]
    rejected = 0
    for tid, sid in rng.sample(candidates, 10):
        bad = upto(graph, tid)
        step = next(s for s in theorem(bad, tid)["steps"] if s["id"] == sid)
        old = parse_expr(step["expr"])
        names = sorted(set(re.findall(r"[\[,]([^\[\],()]+)(?=[,\]])", step["expr"])))
        for new in ("i1", "N", "s", "i0"):
            text = re.sub(r"([\[,])" + re.escape(names[0]) + r"(?=[,\]])",
                          lambda m: m.group(1) + new, step["expr"], count=1)
            if alpha_key(parse_expr(text)) is not alpha_key(old):
                break
        step["expr"] = text
        assert_rejected(check(bad, theory), tid)
        rejected += 1
    assert rejected == 10


def test_curry_forgery_is_rejected_by_coq(loaded):
    """The naive-comprehension forgery of tests/test_soundness.py: the genlogic verifier
    refuses its induction step; in Coq the set variable is a predicate, so the block
    that treats it as an individual does not type-check."""
    from test_soundness import forged_graph
    graph, theory = loaded
    forged = forged_graph(upto(graph, "add_zero_left"), "(=[i0,i1])")
    result = check(forged, theory)
    assert_rejected(result, "forged")


# -- the command line --------------------------------------------------------------------------
def test_cli_export_and_verify_with_coq(run, capsys, monkeypatch):
    coqc()
    assert main(["export", str(run), "--coq"]) == 0
    out = capsys.readouterr().out
    assert f"wrote {run / 'proof.v'}: 10 theorems" in out
    assert main(["verify", str(run), "--coq"]) == 0
    out = capsys.readouterr().out
    assert "OK: 10 theorems" in out and "coq: add_comm: accepted" in out
    assert re.search(r"coq: OK: 10/10 theorems, \d+ steps, coqc [\d.]+ s", out)
    assert main(["verify", str(run), "--coq", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["coq"]["ok"] and len(report["coq"]["theorems"]) == 10


def test_cli_verify_coq_reports_the_rejected_theorem(run, tmp_path, capsys):
    coqc()
    folder = tmp_path / "bad"
    shutil.copytree(run, folder)
    graph = json.loads((folder / "proof_graph.json").read_text())
    wrong_induction_base(graph)
    (folder / "proof_graph.json").write_text(json.dumps(graph))
    assert main(["verify", str(folder), "--coq"]) == 1
    out = capsys.readouterr().out
    assert "coq: add_zero_left: accepted" in out and "coq: add_comm: rejected" in out
    assert "coq: add_assoc: not reached" in out and "coqc rejected theorem add_comm" in out


def test_cli_without_coqc_says_so(run, capsys, monkeypatch):
    monkeypatch.setenv("GENLOGIC_COQC", "/nonexistent/coqc")
    assert main(["verify", str(run)]) == 0          # not asked: nothing about Coq
    assert "coq" not in capsys.readouterr().err
    assert main(["verify", str(run), "--coq"]) == 3
    captured = capsys.readouterr()
    assert "coqc is not installed" in captured.err and "apt-get install coq" in captured.err
    assert "OK: 10 theorems" in captured.out        # the verifier's own check still ran


def test_malformed_graphs_are_refused_with_a_message(loaded):
    """Fields of the wrong type or missing, anywhere: a CoqExportError, never a crash."""
    graph, theory = loaded
    small = upto(graph, "add_zero_left")
    rng = random.Random(7)
    entry = small["theorems"][0]
    spots = [(entry, key) for key in ("id", "mpl", "status", "contexts", "steps",
                                      "conclusion")]
    spots += [(c, key) for c in entry["contexts"] for key in ("id", "parent", "vars",
                                                              "hypothesis")]
    spots += [(s, key) for s in rng.sample(entry["steps"], 12)
              for key in ("id", "context", "expr", "rule", "premises", "substitution", "extra")]
    spots += [(s["extra"], key) for s in entry["steps"] for key in s["extra"]][:10]
    for obj, key in spots:
        for value in (None, "", -1, [], {}, "(in[", [None], {"x": 3}):
            bad = copy.deepcopy(small)
            target = _same_place(bad, small, obj)
            target[key] = value
            try:
                coq_script(bad, theory)
            except CoqExportError as exc:
                assert str(exc)
        bad = copy.deepcopy(small)
        del _same_place(bad, small, obj)[key]
        with pytest.raises(CoqExportError):
            coq_script(bad, theory)


def _same_place(copied, original, obj):
    """The object of ``copied`` at the place ``obj`` has in ``original``."""
    def walk(a, b):
        if b is obj:
            return a
        items = b.items() if isinstance(b, dict) else enumerate(b) if isinstance(b, list) \
            else ()
        for k, v in items:
            if isinstance(v, (dict, list)):
                found = walk(a[k], v)
                if found is not None:
                    return found
        return None
    return walk(copied, original)
