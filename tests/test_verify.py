"""genlogic.verify on the real Peano graph: it verifies, the theory is found, the report
reads right, malformed input is a failure (never an exception), and the package imports
nothing of genlogic but genlogic.mpl."""

from __future__ import annotations

import ast
import copy
import json
import shutil
from pathlib import Path

import pytest

from genlogic.mpl.theory import load
from genlogic.verify import RULES, verify_graph, verify_path

ROOT = Path(__file__).resolve().parents[1]
THEORY = ROOT / "axioms" / "peano.mpl"
GOALS = ROOT / "axioms" / "peano_goals.mpl"


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory) -> Path:
    """A folder holding proof_graph.json of the real Peano goals run (no theory file)."""
    from genlogic.explore.goals import prove_goals
    from genlogic.proof.graph import write_graph
    theory = load(THEORY)
    result = prove_goals(theory, theory.goals_from(GOALS))
    folder = tmp_path_factory.mktemp("peano_run")
    write_graph(folder / "proof_graph.json", result.graph)
    return folder


@pytest.fixture(scope="session")
def graph(run_dir) -> dict:
    return json.loads((run_dir / "proof_graph.json").read_text(encoding="utf-8"))


def test_real_peano_graph_verifies(run_dir, graph):
    report = verify_path(run_dir, theory_path=THEORY)
    assert report.ok, "\n".join(report.failures)
    assert report.failures == []
    assert report.theorems == len(graph["theorems"]) == 10
    assert report.steps == sum(len(t["steps"]) for t in graph["theorems"])
    for rule in ("premise", "expand", "and-elim", "modus-ponens", "exists-elim",
                 "implies-intro", "induction", "theorem", "eq-subst"):
        assert report.checked[rule] > 0, rule


def test_report_lines_and_json(run_dir):
    report = verify_path(run_dir / "proof_graph.json", theory_path=THEORY)
    lines = report.lines()
    assert lines[:len(RULES)] == [f"{rule}: checked {report.checked.get(rule, 0)}, failed 0"
                                  for rule in RULES]
    assert lines[len(RULES)].startswith("OK: 10 theorems, ")
    assert len(lines) == len(RULES) + 1
    data = json.loads(json.dumps(report.to_json()))
    assert data["ok"] is True and data["failures"] == [] and data["theorems"] == 10
    assert data["rules"]["modus-ponens"]["checked"] == report.checked["modus-ponens"]


def test_theory_found_next_to_graph(run_dir, tmp_path, monkeypatch):
    folder = tmp_path / "run"
    shutil.copytree(run_dir, folder)
    shutil.copy(THEORY, folder / "peano.mpl")
    monkeypatch.chdir(tmp_path)
    report = verify_path(folder)
    assert report.ok, report.failures
    assert report.theory == str(folder / "peano.mpl")


def test_theory_found_in_axioms_of_current_folder(run_dir, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert verify_path(run_dir).ok


def test_missing_theory_is_a_failure(run_dir, graph, tmp_path, monkeypatch):
    # a graph written before the embedded manifest ("files") needs the theory file
    old = copy.deepcopy(graph)
    del old["theory"]["files"]
    (tmp_path / "proof_graph.json").write_text(json.dumps(old), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    report = verify_path(tmp_path)
    assert not report.ok
    assert "cannot find theory file 'peano.mpl'" in report.failures[0]
    assert verify_path(run_dir).ok          # with the manifest: the embedded text is used


def test_theory_with_other_source_hash_is_rejected(run_dir, tmp_path):
    changed = tmp_path / "peano.mpl"
    changed.write_text(THEORY.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    report = verify_path(run_dir, theory_path=changed)
    assert not report.ok
    assert any("source hash mismatch" in m for m in report.failures)


def test_cli_verify_exit_codes(run_dir, tmp_path, capsys):
    from genlogic.cli import main
    assert main(["verify", str(run_dir), "--theory", str(THEORY)]) == 0
    assert "modus-ponens: checked" in capsys.readouterr().out
    bad = json.loads((run_dir / "proof_graph.json").read_text(encoding="utf-8"))
    bad["theorems"][0]["steps"][2]["extra"]["index"] = 1
    (tmp_path / "proof_graph.json").write_text(json.dumps(bad), encoding="utf-8")
    assert main(["verify", str(tmp_path), "--theory", str(THEORY)]) == 1
    assert "failed 1" in capsys.readouterr().out


def test_graph_with_imported_theorems_verifies(tmp_path):
    """A run --using an earlier run carries the earlier proofs; they verify too."""
    from genlogic.explore.goals import prove_goals
    from genlogic.proof.graph import write_graph
    theory = load(THEORY)
    goals = theory.goals_from(GOALS)
    write_graph(tmp_path / "first" / "proof_graph.json", prove_goals(theory, goals[:3]).graph)
    second = prove_goals(theory, goals[3:5], using=tmp_path / "first").graph
    assert [t["origin"] for t in second["theorems"]][:3] == ["imported"] * 3
    report = verify_graph(second, theory)
    assert report.ok, report.failures


def test_failed_entries_are_not_checked(graph):
    doc = copy.deepcopy(graph)
    doc["failed"].append({"id": "nonsense", "mpl": "((((", "status": "GaveUp"})
    assert verify_graph(doc, load(THEORY)).ok


def _theorem0(doc):
    return doc["theorems"][0]


def _set(field, value, where=_theorem0):
    return lambda doc: where(doc).update({field: value})


def _step(index, field, value):
    return lambda doc: _theorem0(doc)["steps"][index].update({field: value})


def _set_witnesses(doc):
    for step in _theorem0(doc)["steps"]:
        if step["rule"] == "exists-elim":
            step["extra"]["witnesses"] = [[1]]


# structurally broken graphs: name -> in-place edit of a copy of the real graph
MALFORMED = {
    "wrong schema": _set("schema", "other/9", where=lambda d: d),
    "theory not an object": _set("theory", "peano.mpl", where=lambda d: d),
    "unknown anchor": _set("anchor", "Nope", where=lambda d: d["theory"]),
    "theorems not a list": _set("theorems", {"a": 1}, where=lambda d: d),
    "theorem entries junk": lambda doc: doc["theorems"].extend([1, None, {}, []]),
    "duplicate theorem": lambda doc: doc["theorems"].append(copy.deepcopy(_theorem0(doc))),
    "steps not a list": _set("steps", "many"),
    "contexts missing": lambda doc: _theorem0(doc).pop("contexts"),
    "context junk": lambda doc: _theorem0(doc)["contexts"].extend([7, {"id": "x"}]),
    "context parent later": lambda doc: _theorem0(doc)["contexts"][1].update(parent=3),
    "step junk": lambda doc: _theorem0(doc)["steps"].insert(3, ["not", "a", "step"]),
    "step id a bool": _step(0, "id", True),
    "duplicate step id": _step(5, "id", 3),
    "premises not ints": _step(3, "premises", ["2"]),
    "premises not a list": _step(3, "premises", 2),
    "substitution a list": _step(25, "substitution", [1]),
    "substitution to ints": _step(25, "substitution", {"a": 1}),
    "extra a list": _step(2, "extra", [0]),
    "witnesses not names": _set_witnesses,
    "deep expression": _step(4, "expr", "!" * 5000 + "(in[a,N])"),
    "unknown relation": _step(2, "expr", "(foo[i0])"),
    "conclusion a string": _set("conclusion", "57"),
    "statement free name": _set("mpl", "(=[q,q])"),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_graph_is_a_failure_not_an_exception(graph, name):
    doc = copy.deepcopy(graph)
    MALFORMED[name](doc)
    report = verify_graph(doc, load(THEORY))
    assert not report.ok
    assert not any("internal error" in m or "malformed step" in m for m in report.failures), \
        report.failures
    print(name, "->", report.failures[0])


@pytest.mark.parametrize("doc", [[], {}, None, "graph", {"schema": "genlogic-proof-graph/1"}])
def test_graph_that_is_no_graph_is_a_failure(doc):
    report = verify_graph(doc, load(THEORY))
    assert not report.ok and report.failures[0].startswith("graph: ")


@pytest.mark.parametrize("text", ["", "{", "not json", "[1, 2", '{"schema": 1}'])
def test_unreadable_file_is_a_failure(tmp_path, text):
    (tmp_path / "proof_graph.json").write_text(text, encoding="utf-8")
    report = verify_path(tmp_path, theory_path=THEORY)
    assert not report.ok and report.failures


def test_missing_file_is_a_failure(tmp_path):
    report = verify_path(tmp_path / "nowhere", theory_path=THEORY)
    assert not report.ok and "cannot read" in report.failures[0]


def test_verify_imports_nothing_of_genlogic_but_mpl():
    """The verifier must not trust the code it checks: only genlogic.mpl and itself."""
    package = ROOT / "genlogic" / "verify"
    files = sorted(package.glob("*.py"))
    assert files
    for file in files:
        tree = ast.parse(file.read_text(encoding="utf-8"), str(file))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = ["genlogic", "verify"][:max(0, 3 - node.level)]
                    modules = [".".join(base + ([node.module] if node.module else []))]
                    if not node.module:
                        modules = [f"{modules[0]}.{a.name}" for a in node.names]
                else:
                    modules = [node.module]
            elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__":
                raise AssertionError(f"{file.name}:{node.lineno}: dynamic import")
            else:
                continue
            for module in modules:
                assert module != "importlib" and not module.startswith("importlib."), \
                    f"{file.name}:{node.lineno}: imports {module}"
                if module == "genlogic" or module.startswith("genlogic."):
                    allowed = module.startswith(("genlogic.mpl", "genlogic.verify"))
                    assert allowed, f"{file.name}:{node.lineno}: imports {module}"


def test_report_lists_every_rule_the_checker_knows():
    from genlogic.verify.checker import CHECKS, SHAPES
    assert list(RULES) == list(SHAPES) == list(CHECKS)
