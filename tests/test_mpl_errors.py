"""Every kind of user mistake in MPL input is an MPLError naming file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from genlogic.mpl.errors import MPLError
from genlogic.mpl.parser import parse_expr
from genlogic.mpl.theory import load, load_text

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data" / "mpl"
PEANO = REPO / "axioms" / "peano.mpl"


def error_of(fn, *args) -> MPLError:
    with pytest.raises(MPLError) as info:
        fn(*args)
    return info.value


def located(err: MPLError, file: str, line: int, column: int, words: str) -> None:
    assert err.position is not None, str(err)
    assert (err.position.file, err.line, err.column) == (file, line, column), str(err)
    assert words in err.message, err.message
    text = str(err)
    assert text.startswith(f"{file}:{line}:{column}: ")
    if err.source_line is not None:   # the offending line and a caret under the column
        shown, caret = text.splitlines()[1:3]
        assert caret.index("^") - 4 == column - 1
        assert shown.strip() == err.source_line.strip()


# -- syntax -----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, line, column, words", [
    ("def A[X] := (in[X X])\n", 1, 19, "unexpected 'X'"),
    ("# comment\ndef A[X] := (in[X,X]) ?\n", 2, 23, "unexpected character '?'"),
    ("def A[X] := (in[X,X]\n", 1, 21, "unexpected end of input"),
    ("def A[X] :=\n  (&(in[X,X]) (in[X,X]) (in[X,X]))\n", 2, 25, "syntax error"),
    ("def A[X] = (in[X,X])\n", 1, 10, "syntax error"),
    ("theorem := (in[X,X])\n", 1, 9, "syntax error"),
    ("include peano.mpl\n", 1, 9, "syntax error"),
])
def test_syntax_errors(text, line, column, words):
    located(error_of(load_text, text, "t.mpl"), "t.mpl", line, column, words)


def test_syntax_error_in_a_single_expression():
    err = error_of(parse_expr, "(>[x](in[x,N]) in[x,N])", "stmt")
    located(err, "stmt", 1, 16, "syntax error")


# -- names, arities, variables ------------------------------------------------------------------
def test_unknown_relation():
    err = error_of(load_text, "# c\ndef A[X] := (&(in[X,X])(foo[X]))\n", "t.mpl")
    located(err, "t.mpl", 2, 24, "unknown relation 'foo'")


def test_arity_mismatch_builtin_and_definition():
    err = error_of(load_text, "def A[X] :=\n  (in3[X,X])\n", "t.mpl")
    located(err, "t.mpl", 2, 3, "'in3' takes 4 arguments, got 2")
    err = error_of(load_text, "def A[X, Y] := (in[X,Y])\ndef B[Z] := (>[y] (in[y,Z]) (A[y]))\n",
                   "t.mpl")
    located(err, "t.mpl", 2, 29, "'A' takes 2 arguments, got 1")


def test_free_variable_not_a_parameter():
    err = error_of(load_text, "def A[X] := (>[x](in[x,X])(in[y,X]))\n", "t.mpl")
    located(err, "t.mpl", 1, 27, "name 'y' is neither bound nor a parameter")


def test_free_variable_points_into_its_own_definition():
    # the same atom appears bound in A; the error must point at B's occurrence
    text = "def A[X] := (>[x](in[x,X])(in[x,X]))\ndef B[X] := (in[x,X])\n"
    located(error_of(load_text, text, "t.mpl"), "t.mpl", 2, 13, "definition 'B'")


def test_variable_bound_elsewhere_is_not_in_scope():
    text = "def A[X] := (&(>[x](in[x,X])(in[x,X]))(in[x,X]))\n"
    err = error_of(load_text, text, "t.mpl")
    assert err.line == 1 and "'x'" in err.message


def test_duplicate_names():
    text = "def A[X] := (in[X,X])\n\ndef  A[Y] := (in[Y,Y])\n"
    err = error_of(load_text, text, "t.mpl")
    located(err, "t.mpl", 3, 6, "duplicate name 'A' (first defined at t.mpl:1:5)")
    err = error_of(load_text, "def in2[X] := (in[X,X])\n", "t.mpl")
    located(err, "t.mpl", 1, 5, "a built-in relation")
    text = "anchor P[X] := (in[X,X])\ntheorem P := (in[X,X])\n"
    located(error_of(load_text, text, "t.mpl"), "t.mpl", 2, 9, "duplicate name 'P'")


def test_repeated_parameter_and_binder_variable():
    err = error_of(load_text, "def A[X, Y, X] := (in[X,Y])\n", "t.mpl")
    located(err, "t.mpl", 1, 5, "repeated parameter in 'A'")
    err = error_of(load_text, "def A[X] :=\n (>[x,x](in[x,X])(in[x,X]))\n", "t.mpl")
    located(err, "t.mpl", 2, 2, "repeated variable in binder [x,x]")


def test_cyclic_definitions():
    text = "def A[X] := (B[X])\ndef B[X] := (&(in[X,X])(A[X]))\n"
    located(error_of(load_text, text, "t.mpl"), "t.mpl", 1, 1,
            "cyclic definition: A -> B -> A")
    located(error_of(load_text, "\n  def S[X] := (S[X])\n", "t.mpl"), "t.mpl", 2, 3,
            "cyclic definition: S -> S")


# -- includes ---------------------------------------------------------------------------------
def test_missing_include_file():
    path = str(DATA / "missing_include.mpl")
    located(error_of(load, path), path, 3, 11, "cannot read included file 'no_such_file.mpl'")


def test_circular_include():
    err = error_of(load, str(DATA / "circ_a.mpl"))
    located(err, str(DATA / "circ_b.mpl"), 2, 9, "circular include of 'circ_a.mpl'")


def test_same_file_included_along_two_paths_is_read_once():
    theory = load(DATA / "diamond.mpl")
    assert list(theory.definitions) == ["fn", "pair", "S"]


def test_missing_theory_file():
    err = error_of(load, str(DATA / "nothing_here.mpl"))
    assert "cannot read theory file" in str(err)


# -- theorems and goals -------------------------------------------------------------------------
def test_theorem_with_unknown_anchor():
    text = "def D[X] := (in[X,X])\nanchor P[X] := (D[X])\ntheorem t under Q := (in[X,X])\n"
    located(error_of(load_text, text, "t.mpl"), "t.mpl", 3, 9,
            "theorem 't' names unknown anchor 'Q'")
    text = "def D[X] := (in[X,X])\nanchor P[X] := (D[X])\ntheorem t under D := (in[X,X])\n"
    located(error_of(load_text, text, "t.mpl"), "t.mpl", 3, 9, "unknown anchor 'D'")


def test_theorem_with_ambiguous_or_missing_anchor():
    text = (DATA / "two_anchors.mpl").read_text() + "theorem  t := (in[X,X])\n"
    located(error_of(load_text, text, "t.mpl"), "t.mpl", 4, 10,
            "the theory has 2 anchors; write 'under ANCHOR'")
    text = "def D[X] := (in[X,X])\ntheorem t := (in[X,X])\n"
    located(error_of(load_text, text, "t.mpl"), "t.mpl", 2, 9, "the theory has no anchor")
    # naming the anchor resolves it
    text = (DATA / "two_anchors.mpl").read_text() + "theorem t under Two := (>[](in[Y,Y])(in[Y,Y]))\n"
    assert load_text(text).goals[0].anchor == "Two"


def test_theorem_free_names_must_be_anchor_parameters():
    text = "anchor P[X] := (in[X,X])\ntheorem t :=\n    (in[Y,X])\n"
    located(error_of(load_text, text, "t.mpl"), "t.mpl", 3, 5,
            "name 'Y' is neither bound nor a parameter of theorem 't'")


def test_goals_file_with_a_non_theorem_item(tmp_path):
    theory = load(PEANO)
    goals = tmp_path / "goals.mpl"
    goals.write_text("theorem ok := (in[i0,N])\n# then a definition\n  def bad[X] := (in[X,X])\n")
    located(error_of(theory.goals_from, goals), str(goals), 3, 3,
            "a goals file holds only theorems, not 'def'")
    goals.write_text('include "peano.mpl"\n')
    located(error_of(theory.goals_from, goals), str(goals), 1, 1, "not 'include'")


def test_goals_file_errors(tmp_path):
    theory = load(PEANO)
    goals = tmp_path / "goals.mpl"
    goals.write_text("theorem a := (in[i0,N])\ntheorem  a := (in[i1,N])\n")
    located(error_of(theory.goals_from, goals), str(goals), 2, 10, "duplicate goal name 'a'")
    goals.write_text("theorem a := (in3[i0,i0,i0,+])\ntheorem b := (in3[i0,i0,+])\n")
    located(error_of(theory.goals_from, goals), str(goals), 2, 14, "'in3' takes 4 arguments")
    goals.write_text("theorem a := (in[k,N])\n")
    located(error_of(theory.goals_from, goals), str(goals), 1, 14, "name 'k'")
    err = error_of(theory.goals_from, tmp_path / "absent.mpl")
    assert "cannot read goals file" in str(err)


def test_statement_parse_errors():
    theory = load(PEANO)
    assert str(theory.parse("(>[a](in[a,N])(in3[a,i0,a,+]))")) == "(>[a](in[a,N])(in3[a,i0,a,+]))"
    err = error_of(theory.parse, "(>[a](in[a,N])(in3[a,q,a,+]))")
    located(err, "<statement>", 1, 15, "name 'q'")
    err = error_of(theory.parse, "(>[a](in[a,N])(plus[a,a]))")
    located(err, "<statement>", 1, 15, "unknown relation 'plus'")
