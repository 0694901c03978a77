"""The reader for the earlier system's layout (definitions folder + Config*.json).

The sample data lives in the shared folder beside the repository
(``<repo>/../shared/external/gl``); tests that need it skip when it is absent.  The
error tests build their own tiny layouts in a temporary folder.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from genlogic.mpl.errors import MPLError
from genlogic.mpl.gl_reader import load_gl
from genlogic.mpl.printer import to_mpl
from genlogic.mpl.signature import derive_signature
from genlogic.mpl.theory import Theory, load

REPO = Path(__file__).resolve().parents[1]
GL = Path(__file__).resolve().parents[2] / "shared" / "external" / "gl"
needs_gl = pytest.mark.skipif(not (GL / "config").is_dir(),
                              reason=f"sample data of the earlier system not found at {GL}")


# -- the shared sample data ------------------------------------------------------------------
@pytest.fixture(scope="module")
def gl_peano():
    return load_gl(GL / "config" / "ConfigPeano.json")


@needs_gl
def test_peano_config_loads_as_a_theory(gl_peano):
    assert isinstance(gl_peano, Theory)
    assert [a.name for a in gl_peano.anchors] == ["AnchorPeano"]
    assert set(gl_peano.definitions) == {"fXY", "fXYZ", "NaturalNumbers", "AnchorPeano"}
    anchor = gl_peano.anchor()
    assert anchor.params == ("N", "i0", "s", "+", "*", "i1")
    assert Path(anchor.position.file).name == "AnchorPeano.txt"
    assert gl_peano.definitions["fXY"].params == ("f", "X", "Y")
    assert gl_peano.goals == []
    assert str(GL / "config" / "ConfigPeano.json") in gl_peano.sources


@needs_gl
def test_peano_config_signature(gl_peano):
    sig = derive_signature(gl_peano, "AnchorPeano")
    assert [str(op) for op in sig.operators] == ["s: N -> N", "+: N x N -> N", "*: N x N -> N"]
    assert [str(c) for c in sig.constants] == ["i0 : N", "i1 = s(i0) : N"]
    assert sig.sets == ["N"]
    assert sig.induction == []      # that system trusts induction in code, not as an axiom


@needs_gl
def test_peano_config_agrees_with_peano_mpl(gl_peano):
    ours = derive_signature(load(REPO / "axioms" / "peano.mpl"))
    theirs = derive_signature(gl_peano)
    assert theirs.operators == ours.operators
    assert theirs.constants == ours.constants


@needs_gl
def test_gauss_config_loads():
    theory = load_gl(GL / "config" / "ConfigGauss.json", GL / "definitions")
    assert [a.name for a in theory.anchors] == ["AnchorPeano", "AnchorGauss"]
    sig = derive_signature(theory, "AnchorGauss")
    assert sig.params == ("N", "i0", "s", "+", "*", "i1", "i2", "id")
    assert [str(op) for op in sig.operators] == ["s: N -> N", "+: N x N -> N", "*: N x N -> N"]
    assert [str(c) for c in sig.constants] == ["i0 : N", "i1 = s(i0) : N", "i2 = s(i1) : N"]
    assert sig.relations == ["id"]  # identity is stated as a relation, not total+single-valued
    assert sig.induction == []
    # only the config's entries are read: other files in the folder are not definitions
    assert "AnchorFTA" not in theory.definitions


@needs_gl
def test_definitions_hold_no_builtins(gl_peano):
    assert not {"in", "in2", "in3", "="} & set(gl_peano.definitions)


# -- our own layouts -------------------------------------------------------------------------
def _layout(tmp_path: Path, entries: dict, files: dict[str, str], raw: str | None = None) -> Path:
    (tmp_path / "definitions").mkdir(exist_ok=True)
    (tmp_path / "config").mkdir(exist_ok=True)
    for name, text in files.items():
        (tmp_path / "definitions" / name).write_text(text)
    config = tmp_path / "config" / "Config.json"
    config.write_text(raw if raw is not None else json.dumps(entries, indent=2))
    return config


def _entry(short: str, full: str, arity: int) -> dict:
    return {"arity": arity, "full_mpl": full, "short_mpl": short, "input_args": []}


BUILTIN_ENTRIES = {
    "in": _entry("(in[1,2])", "(in[1,2])", 2),
    "in2": _entry("(in2[1,2,3])", "(in2[1,2,3])", 3),
    "=": _entry("(=[1,2])", "(=[1,2])", 2),
}


def test_round_trip_of_peano_mpl_through_the_layout(tmp_path):
    """Write axioms/peano.mpl in the earlier layout; reading it back gives the same theory."""
    ours = load(REPO / "axioms" / "peano.mpl")
    entries = dict(BUILTIN_ENTRIES)
    files = {}
    for d in ours.definitions.values():
        name = ("Anchor" + d.name) if d.is_anchor else d.name
        entries[name] = _entry(f"({name}[{','.join(d.params)}])", f"{name}.txt", len(d.params))
        files[f"{name}.txt"] = to_mpl(d.body) + "\n"
    entries["settings"] = {"max": 3}
    theory = load_gl(_layout(tmp_path, entries, files))
    assert [d.name for d in theory.definitions.values()] == [
        ("Anchor" + d.name) if d.is_anchor else d.name for d in ours.definitions.values()]
    for d in ours.definitions.values():
        other = theory.definitions[("Anchor" + d.name) if d.is_anchor else d.name]
        assert other.params == d.params and other.body is d.body
        assert other.is_anchor == d.is_anchor
    sig, ref = derive_signature(theory), derive_signature(ours)
    assert (sig.operators, sig.constants, sig.recursion_positions) == \
        (ref.operators, ref.constants, ref.recursion_positions)
    assert [(i.bases, i.constructors) for i in sig.induction] == [(("i0",), ("s",))]


def test_inline_definition_and_explicit_folder(tmp_path):
    entries = dict(BUILTIN_ENTRIES)
    entries["sub"] = _entry("(sub[x,X])", "(in[x,X])", 2)
    entries["AnchorS"] = _entry("(AnchorS[X,c])", "anchor.txt", 2)
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "anchor.txt").write_text("(sub[c,X])")
    config = _layout(tmp_path, entries, {})
    theory = load_gl(config, other)
    assert str(theory.definitions["sub"].body) == "(in[x,X])"
    assert [str(c) for c in derive_signature(theory).constants] == ["c : X"]


def error_of(*args) -> MPLError:
    with pytest.raises(MPLError) as info:
        load_gl(*args)
    return info.value


def _where(err: MPLError):
    return (Path(err.position.file).name, err.line, err.column)


def test_missing_definition_file(tmp_path):
    entries = {"in": BUILTIN_ENTRIES["in"], "AnchorA": _entry("(AnchorA[X])", "gone.txt", 1)}
    config = _layout(tmp_path, entries, {})
    err = error_of(config)
    assert "cannot read definition file" in err.message
    line = config.read_text().splitlines()[err.line - 1]
    assert line[err.column - 1:].startswith('"gone.txt"')
    assert _where(err)[0] == "Config.json"


def test_entry_located_past_nested_keys_of_the_same_name(tmp_path):
    entries = {"A": dict(_entry("(A[x])", "a.txt", 1), B={"B": 1}),
               "B": _entry("(B[x])", "gone.txt", 1)}
    config = _layout(tmp_path, entries, {"a.txt": "(in[x,x])"})
    err = error_of(config)
    lines = config.read_text().splitlines()
    assert lines[err.line - 1][err.column - 1:].startswith('"gone.txt"')


def test_invalid_json(tmp_path):
    config = _layout(tmp_path, {}, {}, raw='{\n  "A": {"arity": 1,,}\n}\n')
    err = error_of(config)
    assert _where(err) == ("Config.json", 2, 20) and "invalid JSON" in err.message


def test_duplicate_entry(tmp_path):
    raw = ('{\n "A": {"arity": 1, "full_mpl": "a.txt", "short_mpl": "(A[x])"},\n'
           ' "A": {"arity": 1, "full_mpl": "a.txt", "short_mpl": "(A[x])"}\n}\n')
    err = error_of(_layout(tmp_path, {}, {"a.txt": "(in[x,x])"}, raw=raw))
    assert _where(err) == ("Config.json", 3, 2) and "duplicate entry 'A'" in err.message


def test_arity_and_short_mpl_mistakes(tmp_path):
    files = {"a.txt": "(in[x,X])"}
    config = _layout(tmp_path, {"A": _entry("(A[x,X])", "a.txt", 3)}, files)
    err = error_of(config)
    assert "arity 3 but short_mpl has 2 parameters" in err.message
    assert config.read_text().splitlines()[err.line - 1][err.column - 1:].startswith('"(A[x,X])"')
    err = error_of(_layout(tmp_path, {"A": _entry("(B[x,X])", "a.txt", 2)}, files))
    assert "names 'B'" in err.message
    err = error_of(_layout(tmp_path, {"A": _entry("(A[x,x])", "a.txt", 2)}, files))
    assert "repeated parameter" in err.message
    err = error_of(_layout(tmp_path, {"A": _entry("(A[x,X]", "a.txt", 2)}, files))
    assert "short_mpl of 'A'" in err.message and _where(err)[0] == "Config.json"
    err = error_of(_layout(tmp_path, {"A": {"arity": 2, "full_mpl": "a.txt"}}, files))
    assert "no short_mpl" in err.message


def test_errors_inside_definition_files_point_into_them(tmp_path):
    entries = {"A": _entry("(A[X])", "A.txt", 1), "B": _entry("(B[X])", "B.txt", 1)}
    err = error_of(_layout(tmp_path, entries, {"A.txt": "(in[X,X])", "B.txt": "(&\n  (in[X,X])\n  (C[X]))"}))
    assert _where(err) == ("B.txt", 3, 3) and "unknown relation 'C'" in err.message
    err = error_of(_layout(tmp_path, entries, {"A.txt": "(in[X,X])", "B.txt": "\n (in[y,X])"}))
    assert _where(err) == ("B.txt", 2, 2) and "name 'y'" in err.message
    err = error_of(_layout(tmp_path, entries, {"A.txt": "(in[X,X])", "B.txt": "(in2[X,X])"}))
    assert _where(err) == ("B.txt", 1, 1) and "'in2' takes 3 arguments" in err.message
    err = error_of(_layout(tmp_path, entries, {"A.txt": "(in[X,X])", "B.txt": "(&(in[X,X])"}))
    assert _where(err) == ("B.txt", 1, 12) and "syntax error" in err.message
    err = error_of(_layout(tmp_path, entries, {"A.txt": "(B[X])", "B.txt": "\n(A[X])"}))
    assert "cyclic definition: A -> B -> A" in err.message and _where(err) == ("A.txt", 1, 1)


def test_missing_folders_and_files(tmp_path):
    err = error_of(tmp_path / "nope.json")
    assert "cannot read config file" in str(err)
    config = tmp_path / "c.json"
    config.write_text("{}")
    err = error_of(config, tmp_path / "no_definitions")
    assert "no definitions folder" in str(err)
    config.write_text("[1, 2]")
    err = error_of(config, tmp_path)
    assert "one JSON object" in err.message
