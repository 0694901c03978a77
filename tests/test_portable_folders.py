"""A proof folder is self-contained: its graph embeds the theory's files (``theory.files``),
the source hash does not depend on the current folder or on where the theory lies, and
``genlogic verify`` / ``genlogic export`` work after the folder is moved, from any current
folder, even with the theory files gone; a theory file edited since the run is refused."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from genlogic.cli import main
from genlogic.mpl.theory import load
from genlogic.verify import verify_path

ROOT = Path(__file__).resolve().parents[1]
PEANO = ROOT / "axioms" / "peano.mpl"
GOAL = "theorem add_zero_left := (>[a,b](in3[i0,a,b,+])(=[b,a]))\n"
MAIN_TEXT = ('include "../lib/base.mpl"\n\n'
             "# The structure the theorems are about; i1 names s(i0).\n"
             "anchor Peano[N, i0, s, +, *, i1] := (&(NaturalNumbers[N,i0,s,+,*])(in2[i0,i1,s]))\n")


def _write_theory(src: Path) -> Path:
    """axioms/peano.mpl split in two: src/lib/base.mpl (the definitions) and
    src/theory/arith.mpl (the anchor), which includes the first from a sibling folder."""
    lines = PEANO.read_text(encoding="utf-8").splitlines(keepends=True)
    anchor_at = next(i for i, line in enumerate(lines) if line.startswith("anchor "))
    (src / "lib").mkdir(parents=True)
    (src / "theory").mkdir()
    (src / "lib" / "base.mpl").write_text("".join(lines[:anchor_at - 1]), encoding="utf-8")
    main_file = src / "theory" / "arith.mpl"
    main_file.write_text(MAIN_TEXT, encoding="utf-8")
    return main_file


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    """A folder holding src/ (the theory, outside any axioms/) and out/ (a proved run)."""
    base = tmp_path_factory.mktemp("portable")
    theory = _write_theory(base / "src")
    (base / "goals.mpl").write_text(GOAL, encoding="utf-8")
    code = main(["prove", str(theory), "--goals", str(base / "goals.mpl"),
                 "--out", str(base / "out"), "--quiet"])
    assert code == 0
    return base


@pytest.fixture
def work(made, tmp_path) -> Path:
    """A private copy of ``made`` (tests move and delete things in it)."""
    shutil.copytree(made, tmp_path / "w")
    return tmp_path / "w"


def _graph(run: Path) -> dict:
    return json.loads((run / "proof_graph.json").read_text(encoding="utf-8"))


def _move(folder: Path, to: Path) -> Path:
    to.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(folder), str(to))
    return to


def _verify(run: Path, capsys, *extra: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["verify", str(run), *extra])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.out + captured.err


def test_the_graph_embeds_every_theory_file(work):
    theory = _graph(work / "out")["theory"]
    src = work / "src"
    assert theory["path"] == "arith.mpl"
    assert [f["path"] for f in theory["files"]] == ["arith.mpl", "../lib/base.mpl"]
    for entry, file in zip(theory["files"], [src / "theory" / "arith.mpl",
                                             src / "lib" / "base.mpl"]):
        assert entry["text"] == file.read_text(encoding="utf-8")
        assert entry["sha256"] == hashlib.sha256(file.read_bytes()).hexdigest()
    assert theory["source_hash"] == load(src / "theory" / "arith.mpl").source_hash
    assert {"anchor", "params", "operators", "axioms"} <= set(theory)


def test_source_hash_depends_on_neither_current_folder_nor_place(work, tmp_path, monkeypatch):
    hashes = []
    for cwd, path in [(work / "src" / "theory", "arith.mpl"),
                      (work / "src", "theory/arith.mpl"),
                      (work, "src/theory/../theory/arith.mpl"),
                      (tmp_path, str(work / "src" / "theory" / "arith.mpl"))]:
        monkeypatch.chdir(cwd)
        hashes.append(load(path).source_hash)
    shutil.copytree(work / "src", tmp_path / "deep" / "copy")
    monkeypatch.chdir(tmp_path / "deep")
    hashes.append(load("copy/theory/arith.mpl").source_hash)
    assert len(set(hashes)) == 1
    assert hashes[0] == _graph(work / "out")["theory"]["source_hash"]


def test_single_folder_theory_keeps_its_hash():
    # the committed showcase was made before the manifest: its hash still matches
    showcase = json.loads((ROOT / "proofs_out" / "peano" / "proof_graph.json")
                          .read_text(encoding="utf-8"))
    assert load(PEANO).source_hash == showcase["theory"]["source_hash"]


def test_moved_folder_verifies_from_another_folder(work, tmp_path, monkeypatch, capsys):
    run = tmp_path / "far" / "away" / "run"
    _move(work / "out", run)
    monkeypatch.chdir(tmp_path / "far")
    code, out = _verify(run, capsys)
    assert code == 0, out
    assert "OK: 1 theorems" in out
    assert verify_path(run).theory == "arith.mpl (embedded in the proof graph)"


def test_deleted_theory_files_verify_from_the_embedded_text(work, tmp_path, monkeypatch,
                                                             capsys):
    shutil.rmtree(work / "src")
    monkeypatch.chdir(tmp_path)
    code, out = _verify(work / "out", capsys)
    assert code == 0, out
    assert "OK: 1 theorems" in out


def _restore_next_to(run: Path, src: Path) -> tuple[Path, Path]:
    """The theory files placed where the lookup finds them: the main file next to the
    graph, its include at the same relative place ("../lib/base.mpl")."""
    main_file, lib = run / "arith.mpl", run.parent / "lib" / "base.mpl"
    lib.parent.mkdir(exist_ok=True)
    shutil.copy(src / "theory" / "arith.mpl", main_file)
    shutil.copy(src / "lib" / "base.mpl", lib)
    return main_file, lib


def test_restored_theory_files_are_used(work, tmp_path, monkeypatch):
    run = tmp_path / "moved" / "run"
    _move(work / "out", run)
    main_file, _ = _restore_next_to(run, work / "src")
    monkeypatch.chdir(tmp_path)
    report = verify_path(run)
    assert report.ok, report.failures
    assert report.theory == str(main_file)


@pytest.mark.parametrize("edited", ["main", "include"])
def test_edited_theory_file_is_refused(work, tmp_path, monkeypatch, capsys, edited):
    run = tmp_path / "moved" / "run"
    _move(work / "out", run)
    main_file, lib = _restore_next_to(run, work / "src")
    file = main_file if edited == "main" else lib
    with open(file, "a", encoding="utf-8") as handle:
        handle.write("\n# edited after the run\ndef extra[x] := (in[x,x])\n")
    monkeypatch.chdir(tmp_path)
    code, out = _verify(run, capsys)
    assert code != 0
    assert "OK:" not in out and "FAILED" in out
    assert str(file) in out and "edited since the run" in out
    report = verify_path(run)
    assert not report.ok and report.theory_changed == str(file)
    assert report.exit_code == 2
    # the site is still written, from the graph's own text, and says why
    assert main(["export", str(run)]) == 0
    assert "was edited since the run" in (run / "index.html").read_text(encoding="utf-8")


def test_edited_include_under_axioms_of_a_folder_above(work, tmp_path, monkeypatch, capsys):
    # proj/axioms/arith.mpl includes ../lib/base.mpl; the run lies in proj/runs/one
    proj = tmp_path / "proj"
    (proj / "axioms").mkdir(parents=True)
    shutil.copytree(work / "src" / "lib", proj / "lib")
    shutil.copy(work / "src" / "theory" / "arith.mpl", proj / "axioms" / "arith.mpl")
    run = proj / "runs" / "one"
    _move(work / "out", run)
    monkeypatch.chdir(tmp_path)
    assert verify_path(run).theory == str(proj / "axioms" / "arith.mpl")
    base = proj / "lib" / "base.mpl"
    base.write_text(base.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    code, out = _verify(run, capsys)
    assert code != 0 and str(base) in out and "edited since the run" in out


def test_theory_option_still_overrides(work, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    run = work / "out"
    code, out = _verify(run, capsys, "--theory", str(work / "src" / "theory" / "arith.mpl"))
    assert code == 0, out
    changed = work / "src" / "lib" / "base.mpl"
    changed.write_text(changed.read_text(encoding="utf-8") + "# x\n", encoding="utf-8")
    code, out = _verify(run, capsys, "--theory", str(work / "src" / "theory" / "arith.mpl"))
    assert code == 1 and "source hash mismatch" in out


def test_export_works_after_the_move(work, tmp_path, monkeypatch, capsys):
    run = tmp_path / "elsewhere" / "run"
    _move(work / "out", run)
    for item in run.iterdir():                   # only the graph travels
        if item.name != "proof_graph.json":
            shutil.rmtree(item) if item.is_dir() else item.unlink()
    shutil.rmtree(work / "src")
    monkeypatch.chdir(tmp_path)
    assert main(["export", str(run)]) == 0
    index = (run / "index.html").read_text(encoding="utf-8")
    assert "theory-note" not in index            # derived from the embedded theory
    assert "add_zero_left" in index and (run / "proof.tstp").is_file()


def test_tampered_embedded_text_is_a_failure(work, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    run = work / "out"
    graph = _graph(run)
    entry = graph["theory"]["files"][1]
    entry["text"] += "def extra[x] := (in[x,x])\n"
    (run / "proof_graph.json").write_text(json.dumps(graph), encoding="utf-8")
    code, out = _verify(run, capsys)
    assert code == 1 and "../lib/base.mpl" in out and "sha256" in out
    entry["sha256"] = hashlib.sha256(entry["text"].encode()).hexdigest()  # consistent forgery
    (run / "proof_graph.json").write_text(json.dumps(graph), encoding="utf-8")
    code, out = _verify(run, capsys)
    assert code == 1 and "source hash mismatch" in out
    graph["theory"]["files"] = "arith.mpl"
    (run / "proof_graph.json").write_text(json.dumps(graph), encoding="utf-8")
    code, out = _verify(run, capsys)
    assert code == 1 and "'files'" in out
    assert main(["export", str(run)]) == 0      # the site says the theory was not used
    index = (run / "index.html").read_text(encoding="utf-8")
    assert "The theory embedded in the graph could not be loaded" in index


def test_graph_without_manifest_verifies_as_before(work, tmp_path, monkeypatch, capsys):
    run = work / "out"
    graph = _graph(run)
    del graph["theory"]["files"]
    (run / "proof_graph.json").write_text(json.dumps(graph), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out = _verify(run, capsys)
    assert code == 1 and "cannot find theory file 'arith.mpl'" in out
    code, out = _verify(run, capsys, "--theory", str(work / "src" / "theory" / "arith.mpl"))
    assert code == 0, out


def test_committed_showcase_still_verifies_without_theory_option(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    code, out = _verify(Path("proofs_out") / "peano", capsys)
    assert code == 0, out[-2000:]
