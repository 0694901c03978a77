"""Derived text is re-derived, never trusted (issue 13): ``genlogic verify`` compares each
theorem's and step's ``readable`` and the graph's axiom and operator lists with what the
theory's signature gives, and ``genlogic export`` shows only text derived from the MPL."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest
from markupsafe import escape

from genlogic.cli import main
from genlogic.export import export_all
from genlogic.mpl.theory import load
from genlogic.verify import verify_graph, verify_path

ROOT = Path(__file__).resolve().parents[1]
THEORY = ROOT / "axioms" / "peano.mpl"
SHOWCASE = ROOT / "proofs_out" / "peano" / "proof_graph.json"
TRUE_COMM = "∀a b. a + b = b + a"
FORGED_COMM = "∀a b. a * b = a + b"


@pytest.fixture(scope="module")
def theory():
    return load(THEORY)


@pytest.fixture(scope="module")
def small() -> dict:
    """The showcase's first nine theorems (each cites only earlier ones): T008 is a + b = b + a."""
    graph = json.loads(SHOWCASE.read_text(encoding="utf-8"))
    graph["theorems"] = graph["theorems"][:9]
    assert graph["theorems"][7]["id"] == "T008" and graph["theorems"][7]["readable"] == TRUE_COMM
    return graph


def _comm(doc: dict) -> dict:
    return doc["theorems"][7]


def forged_theorem(doc):
    _comm(doc)["readable"] = FORGED_COMM
    return ["theorem T008:", repr(FORGED_COMM), "not the readable form of its statement",
            repr(TRUE_COMM)]


def forged_step(doc):
    step = _comm(doc)["steps"][-1]
    step["readable"] = FORGED_COMM
    return [f"theorem T008, step {step['id']} ({step['rule']})", repr(FORGED_COMM),
            "not the readable form of its expr"]


def invented_axiom(doc):
    doc["theory"]["axioms"].append({"mpl": "(=[i0,i1])", "readable": "i0 = i1"})
    return ["theory axiom at position 18", "'i0 = i1'", "(=[i0,i1])", "not an axiom of anchor Peano"]


def dropped_axiom(doc):
    gone = doc["theory"]["axioms"].pop(5)
    return ["axiom 5 of anchor Peano", repr(gone["readable"]), gone["mpl"],
            "missing from the theory's axiom list"]


def relabelled_axiom(doc):
    doc["theory"]["axioms"][0]["readable"] = "i1 ∈ N"
    return ["theory axiom at position 0", "'i1 ∈ N'", "not its readable form", "'i0 ∈ N'"]


def reordered_axioms(doc):
    axioms = doc["theory"]["axioms"]
    axioms[0], axioms[1] = axioms[1], axioms[0]
    return ["theory axioms are not in anchor Peano's order: position 0"]


def forged_operators(doc):
    doc["theory"]["operators"] = ["s: N -> N", "+: N x N -> N", "*: N x N -> N", "-: N x N -> N"]
    return ["graph: theory: operators", "'-: N x N -> N'", "not the operators derived from anchor Peano"]


def missing_readable(doc):
    del _comm(doc)["readable"]
    return ["theorem T008: missing field 'readable'"]


FORGERIES = [forged_theorem, forged_step, invented_axiom, dropped_axiom, relabelled_axiom,
             reordered_axioms, forged_operators, missing_readable]


def test_small_graph_verifies(small, theory):
    report = verify_graph(small, theory)
    assert report.ok, report.failures


@pytest.mark.parametrize("forge", FORGERIES, ids=lambda f: f.__name__)
def test_forged_derived_text_is_a_failure(small, theory, forge):
    doc = copy.deepcopy(small)
    fragments = forge(doc)
    report = verify_graph(doc, theory)
    assert not report.ok
    assert len(report.failures) == 1, report.failures        # exactly the forged field
    assert all(f in report.failures[0] for f in fragments), report.failures[0]
    assert "internal error" not in report.failures[0]


def test_forged_step_is_counted_as_a_failed_step(small, theory):
    doc = copy.deepcopy(small)
    forged_step(doc)
    report = verify_graph(doc, theory)
    rule = _comm(doc)["steps"][-1]["rule"]
    assert report.failed == {rule: 1}
    assert report.steps == sum(len(t["steps"]) for t in doc["theorems"])


def test_cli_verify_rejects_a_forged_label(small, tmp_path, capsys):
    doc = copy.deepcopy(small)
    forged_theorem(doc)
    (tmp_path / "proof_graph.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert main(["verify", str(tmp_path), "--theory", str(THEORY)]) == 1
    out = capsys.readouterr().out
    assert "FAILED: 1 failures" in out and "theorem T008: readable" in out


def test_committed_showcase_verifies_with_derived_text(tmp_path):
    shutil.copy(SHOWCASE, tmp_path / "proof_graph.json")
    report = verify_path(tmp_path, theory_path=THEORY)
    assert report.ok, report.failures[:5]
    assert report.theorems == 348


# -- export: the shown text is derived again, whatever the graph says -----------------------
def _forged_site(small: dict, folder: Path) -> Path:
    doc = copy.deepcopy(small)
    forged_theorem(doc)
    step = _comm(doc)["steps"][-1]
    step["readable"] = "FORGED STEP"
    doc["theory"]["axioms"][0]["readable"] = "FORGED AXIOM"
    doc["theory"]["axioms"].append({"mpl": "(=[i0,i1])", "readable": "INVENTED AXIOM"})
    doc["theory"]["operators"].append("-: N x N -> N")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "proof_graph.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return folder


def _site_text(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*"))
                     if p.is_file() and p.suffix in (".html", ".svg", ".tstp", ".dot"))


def test_export_shows_the_true_text_not_the_forged(small, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)                          # found next to the graph only
    run = _forged_site(small, tmp_path / "run")
    shutil.copy(THEORY, run / "peano.mpl")
    export_all(run)
    index = (run / "index.html").read_text(encoding="utf-8")
    page = (run / "theorems" / "T008.html").read_text(encoding="utf-8")
    everything = _site_text(run)
    assert str(escape(TRUE_COMM)) in index and str(escape(TRUE_COMM)) in page
    for forged in (FORGED_COMM, "FORGED STEP", "FORGED AXIOM", "INVENTED AXIOM", "-: N x N"):
        assert forged not in everything and str(escape(forged)) not in everything, forged
    assert "i0 ∈ N" in index                             # the true first axiom
    assert index.count('<li><span class="formula">') == 18
    assert "theory-note" not in index and "not found" not in index
    assert f"T008: {TRUE_COMM}" in (run / "proof.tstp").read_text(encoding="utf-8")
    assert TRUE_COMM in (run / "theorems.dot").read_text(encoding="utf-8")


def test_export_without_the_theory_derives_text_and_says_so(small, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)                          # no theory anywhere it is looked for
    bare = {**small, "theory": {k: v for k, v in small["theory"].items() if k != "files"}}
    run = _forged_site(bare, tmp_path / "run")           # nor embedded in the graph
    export_all(run)
    index = (run / "index.html").read_text(encoding="utf-8")
    assert "The theory file peano.mpl was not found" in index
    assert "not checked against the theory" in index
    everything = _site_text(run)
    assert str(escape(TRUE_COMM)) in index
    for forged in (FORGED_COMM, "FORGED STEP", "FORGED AXIOM", "INVENTED AXIOM"):
        assert forged not in everything and str(escape(forged)) not in everything, forged
    # the axioms are the graph's (one invented), shown with their MPL-derived text
    assert index.count('<li><span class="formula">') == 19
    assert "i0 = i1" in index and "i0 ∈ N" in index
