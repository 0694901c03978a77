"""`genlogic check` on .mpl theories and on the earlier system's layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from genlogic.cli import main

REPO = Path(__file__).resolve().parents[1]
PEANO = str(REPO / "axioms" / "peano.mpl")
GOALS = str(REPO / "axioms" / "peano_goals.mpl")
GL = Path(__file__).resolve().parents[2] / "shared" / "external" / "gl"
needs_gl = pytest.mark.skipif(not (GL / "config").is_dir(),
                              reason=f"sample data of the earlier system not found at {GL}")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_peano_with_goals(capsys):
    code, out, err = run(capsys, "check", PEANO, "--goals", GOALS)
    assert code == 0, err
    assert "anchor Peano[N, i0, s, +, *, i1]" in out
    for text in ("s: N -> N", "+: N x N -> N", "*: N x N -> N", "i1 = s(i0) : N",
                 "induction axiom: induction over N: base i0; step s",
                 "goal add_comm: ∀a b. a + b = b + a",
                 "goal add_succ_left: ∀a b. s(a) + b = s(a + b)",
                 "goal left_distrib: ∀a b c. a * (b + c) = a * b + a * c"):
        assert text in out, text
    assert out.count("  goal ") == 10


def test_check_peano_without_goals_and_with_axioms(capsys):
    code, out, _ = run(capsys, "check", PEANO, "--axioms")
    assert code == 0
    assert "goal " not in out
    assert out.count("axiom: ") >= 18


def test_bad_file_exits_2_with_location_and_no_traceback(capsys, tmp_path):
    bad = tmp_path / "bad.mpl"
    bad.write_text("def A[X] := (in[X,X])\ndef B[X] := (A[X,X])\n")
    code, out, err = run(capsys, "check", str(bad))
    assert code == 2
    assert f"{bad}:2:13:" in err and "'A' takes 1 arguments, got 2" in err
    assert "Traceback" not in err + out
    bad.write_text("def A[X] := (in[X,X]\n")
    code, _, err = run(capsys, "check", str(bad))
    assert code == 2 and f"{bad}:1:21: syntax error" in err and "Traceback" not in err


def test_bad_goals_file_exits_2(capsys, tmp_path):
    goals = tmp_path / "goals.mpl"
    goals.write_text("def x[a] := (in[a,a])\n")
    code, _, err = run(capsys, "check", PEANO, "--goals", str(goals))
    assert code == 2 and f"{goals}:1:1:" in err and "Traceback" not in err


def test_missing_file_exits_2(capsys, tmp_path):
    code, _, err = run(capsys, "check", str(tmp_path / "absent.mpl"))
    assert code == 2 and "absent.mpl" in err and "Traceback" not in err


@needs_gl
def test_check_gl_peano_config(capsys):
    code, out, err = run(capsys, "check", "--gl-config", str(GL / "config" / "ConfigPeano.json"))
    assert code == 0, err
    assert "anchor AnchorPeano[N, i0, s, +, *, i1]" in out
    for text in ("s: N -> N", "+: N x N -> N", "*: N x N -> N", "i1 = s(i0) : N",
                 "induction axiom: none"):
        assert text in out, text


@needs_gl
def test_check_gl_peano_config_with_our_goals(capsys):
    # our goals name Peano's parameters, which AnchorPeano shares; they read against it
    code, out, err = run(capsys, "check", "--gl-config", str(GL / "config" / "ConfigPeano.json"),
                         "--goals", GOALS)
    assert code == 0, err
    assert "goal mul_comm: ∀a b. a * b = b * a" in out


@needs_gl
def test_check_gl_gauss_config(capsys):
    code, out, err = run(capsys, "check", "--gl-config", str(GL / "config" / "ConfigGauss.json"),
                         "--definitions", str(GL / "definitions"))
    assert code == 0, err
    assert "anchor AnchorGauss[N, i0, s, +, *, i1, i2, id]" in out
    assert "i2 = s(i1) : N" in out


def test_bad_gl_config_exits_2(capsys, tmp_path):
    (tmp_path / "definitions").mkdir()
    (tmp_path / "config").mkdir()
    config = tmp_path / "config" / "Config.json"
    config.write_text('{\n  "AnchorA": {"arity": 1, "short_mpl": "(AnchorA[X])",\n'
                      '              "full_mpl": "missing.txt"}\n}\n')
    code, out, err = run(capsys, "check", "--gl-config", str(config))
    assert code == 2
    assert f"{config}:3:27:" in err and "Traceback" not in err + out
