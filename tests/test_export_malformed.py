"""`genlogic export` and `genlogic similar` on malformed proof graphs: each ends with one
clear line on stderr and exit code 2, never a traceback, and export writes nothing."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from genlogic.cli import main

ROOT = Path(__file__).resolve().parents[1]
SHOWCASE = ROOT / "proofs_out" / "peano" / "proof_graph.json"
COMM = "(>[a,b,c](in3[a,b,c,+])(in3[b,a,c,+]))"


@pytest.fixture(scope="module")
def base() -> dict:
    """The showcase's first two theorems, a valid graph."""
    graph = json.loads(SHOWCASE.read_text(encoding="utf-8"))
    graph["theorems"] = graph["theorems"][:2]
    graph["theory"].pop("files", None)      # no embedded theory: the graph's axioms are read
    return graph


def _theorem(doc):
    return doc["theorems"][1]


def _step(doc, index=3):
    return _theorem(doc)["steps"][index]


def _deep_contexts(doc):
    t = _theorem(doc)
    t["contexts"] = [{"id": 0, "parent": None, "vars": [], "hypothesis": None, "label": "root"}]
    t["contexts"] += [{"id": i, "parent": i - 1, "vars": [], "hypothesis": None, "label": "b"}
                      for i in range(1, 3000)]
    t["steps"] = [{"id": 1, "context": 2999, "expr": "(in[i0,N])", "rule": "premise",
                   "premises": [], "extra": {"index": 0}}]


# name -> (edit of a copy of the base graph, or the file's text; does `similar` fail too?)
JSON_TEXT = {
    "not json": ("this is not JSON {", True),
    "empty file": ("", True),
    "truncated json": ('{"theorems": [', True),
    "json list": ("[1, 2, 3]", True),
    "json null": ("null", True),
    "json string": ('"proof graph"', True),
    "deeply nested json": ("[" * 200000 + "]" * 200000, True),
    "deeply nested field": ('{"theorems": ' + "[" * 200000 + "]" * 200000 + "}", True),
    "not utf-8": (b"\xff\xfe{\x00}".decode("latin-1"), True),
}
EDITS = {
    "empty object": (lambda d: d.clear(), True),
    "theorems missing": (lambda d: d.pop("theorems"), True),
    "theorems an object": (lambda d: d.update(theorems={"T001": 1}), True),
    "theorem entry a number": (lambda d: d["theorems"].insert(0, 7), True),
    "theorem entry a list": (lambda d: d["theorems"].append(["T9"]), True),
    "theorem id missing": (lambda d: _theorem(d).pop("id"), True),
    "theorem id a number": (lambda d: _theorem(d).update(id=12), True),
    "theorem mpl missing": (lambda d: _theorem(d).pop("mpl"), True),
    "theorem mpl not MPL": (lambda d: _theorem(d).update(mpl="(>[a"), True),
    "theorem mpl too deep": (lambda d: _theorem(d).update(mpl="!" * 5000 + "(in[a,N])"), True),
    "theory a string": (lambda d: d.update(theory="peano.mpl"), False),
    "operators not strings": (lambda d: d["theory"].update(operators=[1, 2]), False),
    "axiom mpl not MPL": (lambda d: d["theory"]["axioms"].append({"mpl": "((((",
                                                                  "readable": "x"}), False),
    "axiom not an object": (lambda d: d["theory"]["axioms"].append("i0 ∈ N"), False),
    "options a list": (lambda d: d.update(options=[1]), False),
    "dependencies a string": (lambda d: _theorem(d).update(dependencies="T001"), False),
    "steps a string": (lambda d: _theorem(d).update(steps="many"), False),
    "step not an object": (lambda d: _theorem(d)["steps"].insert(2, "step"), False),
    "step id missing": (lambda d: _step(d).pop("id"), False),
    "step id a bool": (lambda d: _step(d).update(id=True), False),
    "step expr not MPL": (lambda d: _step(d).update(expr="(foo["), False),
    "step expr a number": (lambda d: _step(d).update(expr=3), False),
    "premises not ints": (lambda d: _step(d).update(premises=["1"]), False),
    "extra a list": (lambda d: _step(d).update(extra=[0]), False),
    "extra index a string": (lambda d: _step(d).update(extra={"index": "0"}), False),
    "witnesses not names": (lambda d: _step(d).update(extra={"witnesses": [[1]]}), False),
    "context not an object": (lambda d: _theorem(d)["contexts"].append(5), False),
    "context parent a string": (lambda d: _theorem(d)["contexts"][1].update(parent="0"), False),
    "contexts nested too deeply": (_deep_contexts, False),
    "failed not a list": (lambda d: d.update(failed={"a": 1}), False),
    "failed mpl not MPL": (lambda d: d["failed"].append({"id": "f", "mpl": "))",
                                                        "status": "GaveUp"}), False),
    "failed entry a string": (lambda d: d["failed"].append("f"), False),
}


def _write(folder: Path, base: dict, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if name in JSON_TEXT:
        text = JSON_TEXT[name][0]
        data = text.encode("latin-1") if name == "not utf-8" else text.encode("utf-8")
    else:
        doc = copy.deepcopy(base)
        EDITS[name][0](doc)
        data = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    (folder / "proof_graph.json").write_bytes(data)
    return folder


def _one_clear_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


CASES = sorted(JSON_TEXT) + sorted(EDITS)


@pytest.mark.parametrize("name", CASES)
def test_export_of_malformed_graph_exits_2(base, tmp_path, monkeypatch, capsys, name):
    monkeypatch.chdir(tmp_path)              # no theory file: the graph's own axioms are read
    run = _write(tmp_path / "run", base, name)
    assert main(["export", str(run)]) == 2
    line = _one_clear_line(capsys.readouterr().err)
    assert "proof_graph.json" in line
    assert sorted(p.name for p in run.iterdir()) == ["proof_graph.json"]   # nothing written
    print(name, "->", line)


@pytest.mark.parametrize("name", [n for n in CASES
                                  if (JSON_TEXT.get(n) or EDITS.get(n))[1]])
def test_similar_on_malformed_graph_exits_2(base, tmp_path, monkeypatch, capsys, name):
    monkeypatch.chdir(tmp_path)
    run = _write(tmp_path / "run", base, name)
    assert main(["similar", str(run), COMM]) == 2
    print(name, "->", _one_clear_line(capsys.readouterr().err))


def test_the_base_graph_exports_and_is_searched(base, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    run = _write(tmp_path / "run", base, "empty object")
    (run / "proof_graph.json").write_text(json.dumps(base, ensure_ascii=False), encoding="utf-8")
    assert main(["export", str(run)]) == 0
    assert main(["similar", str(run), COMM, "-k", "1"]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.endswith(("∀a. a + i0 = a", "∀a. i0 + a = a")), last


@pytest.mark.parametrize("command", ["export", "similar"])
def test_cli_process_prints_one_line_and_no_traceback(tmp_path, command):
    (tmp_path / "proof_graph.json").write_text("[" * 100000, encoding="utf-8")
    args = [sys.executable, "-m", "genlogic.cli", command, str(tmp_path)]
    args += [COMM] if command == "similar" else []
    done = subprocess.run(args, capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert "nested too deeply" in done.stderr
