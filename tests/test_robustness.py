"""Issue 13 (robustness): a user mistake is one clear message and exit 2, never a traceback.

Each test feeds ``genlogic.cli.main`` one kind of bad input: theories nested very deeply
(a chain of definitions, an expression), TIP terms nested very deeply, goals that are not
implications, exploration without an induction axiom, binary (non-UTF-8) and empty files,
bad numeric options and a bad ``GENLOGIC_BACKEND``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from genlogic.cli import main
from genlogic.mpl.errors import MPLError, read_source
from genlogic.mpl.parser import MAX_DEPTH, parse_expr
from genlogic.mpl.theory import load, load_text
from genlogic.mpl.tip.reader import MAX_SEXP_DEPTH, read_sexps

ROOT = Path(__file__).resolve().parents[1]
PEANO = ROOT / "axioms" / "peano.mpl"
GOALS = ROOT / "axioms" / "peano_goals.mpl"
TIP_PROBLEM = ROOT.parent / "shared" / "external" / "tip_nat" / "benchmarks" / "isaplanner" / \
    "prop_22.smt2"
BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x80"


@pytest.fixture(autouse=True)
def in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "Traceback" not in captured.out
    return code, captured.out, captured.err


def error_line(out: str, err: str) -> str:
    lines = [line for line in (err + out).splitlines() if line.startswith("error:")]
    assert lines, (out, err)
    return lines[0]


def peano_prefix() -> str:
    text = PEANO.read_text(encoding="utf-8")
    return text[:text.index("anchor Peano")]


def chain(n: int, body: str) -> str:
    """d0 .. d{n-1}, each using the one before as ``body`` says; an anchor on the last."""
    lines = ["def d0[X] := (in[X,X])"]
    lines += [f"def d{i}[X] := " + body.format(prev=f"(d{i - 1}[X])") for i in range(1, n)]
    lines.append(f"anchor A[X] := (d{n - 1}[X])")
    return "\n".join(lines) + "\n"


def nested(n: int) -> str:
    body = "(in[X,X])"
    for _ in range(n):
        body = f"(&{body}(in[X,X]))"
    return body


# -- 1. deep theories -------------------------------------------------------------------------
@pytest.mark.parametrize("body", ["{prev}", "(&{prev}(in[X,X]))"])
def test_a_chain_of_500_definitions_just_works(tmp_path, capsys, body):
    theory = tmp_path / "chain.mpl"
    theory.write_text(chain(500, body), encoding="utf-8")
    code, out, _ = run(capsys, "check", theory)
    assert code == 0 and "definitions (500)" in out
    assert len(load(theory).signature.axioms) >= 1


def test_a_chain_of_definitions_to_a_deep_axiom_is_located(tmp_path, capsys):
    theory = tmp_path / "imp.mpl"
    theory.write_text(chain(500, "(>[](in[X,X]){prev})"), encoding="utf-8")
    code, out, err = run(capsys, "check", theory)
    assert code == 2
    line = error_line(out, err)
    assert f"{theory}:501:1: anchor 'A': axiom 1 is nested too deeply" in line


def test_definitions_that_double_are_refused(tmp_path, capsys):
    theory = tmp_path / "double.mpl"
    theory.write_text(chain(60, "(&{prev}{prev})"), encoding="utf-8")
    code, out, err = run(capsys, "check", theory)
    assert code == 2 and "expands to more than" in error_line(out, err)


def test_peano_under_a_chain_of_500_definitions(tmp_path, capsys):
    lines = [peano_prefix(), "def c0[N, z, s, a, m] := (NaturalNumbers[N,z,s,a,m])"]
    lines += [f"def c{i}[N, z, s, a, m] := (c{i - 1}[N,z,s,a,m])" for i in range(1, 500)]
    lines.append("anchor Peano[N, i0, s, +, *, i1] := (&(c499[N,i0,s,+,*])(in2[i0,i1,s]))")
    theory = tmp_path / "peano_chain.mpl"
    theory.write_text("\n".join(lines) + "\n", encoding="utf-8")
    goals = tmp_path / "goals.mpl"
    goals.write_text("theorem add_zero_left := (>[a,b](in3[i0,a,b,+])(=[b,a]))\n",
                     encoding="utf-8")
    code, out, _ = run(capsys, "check", theory, "--goals", goals)
    assert code == 0 and "induction over N" in out
    code, out, err = run(capsys, "prove", theory, "--goals", goals, "--out", tmp_path / "out",
                         "--quiet", "--goal-time-limit", "10")
    # 0 once every walk over definitions is iterative; until then, the last-resort message
    assert code == 0 or (code == 2 and "nested too deeply" in error_line(out, err))


@pytest.mark.parametrize("wrap", ["(&{e}(in[X,X]))", "!{e}", "(>[]{e}(in[X,X]))"])
def test_a_body_nested_500_deep_is_located(tmp_path, capsys, wrap):
    body = "(in[X,X])"
    for _ in range(500):
        body = wrap.format(e=body)
    theory = tmp_path / "deep.mpl"
    theory.write_text(f"anchor A[X] :=\n  {body}\n", encoding="utf-8")
    for command in (["check", theory], ["prove", theory, "--out", tmp_path / "o"]):
        code, out, err = run(capsys, *command)
        assert code == 2
        line = error_line(out, err)
        assert f"{theory}:2:" in line and f"nested too deeply (more than {MAX_DEPTH} levels)" in line


def test_depth_limit_boundary():
    assert parse_expr(nested(MAX_DEPTH - 1)) is not None
    with pytest.raises(MPLError, match="nested too deeply"):
        parse_expr(nested(MAX_DEPTH))
    theory = load_text(f"anchor A[X] := {nested(MAX_DEPTH - 1)}\n")
    assert len(theory.signature.axioms) == MAX_DEPTH


def test_last_resort_recursion_handler(monkeypatch, capsys):
    import genlogic.cli as cli

    def deep(args):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(cli, "cmd_check", deep)
    code, out, err = run(capsys, "check", PEANO)
    assert code == 2 and "nested too deeply" in error_line(out, err)


# -- 2. deep TIP terms --------------------------------------------------------------------------
def deep_tip(tmp_path, n: int) -> Path:
    term = "x"
    for _ in range(n):
        term = f"(S {term})"
    problem = tmp_path / "deep.smt2"
    problem.write_text(TIP_PROBLEM.read_text(encoding="utf-8")
                       + f"(define-fun deep ((x Nat)) Nat\n  {term})\n", encoding="utf-8")
    return problem


@pytest.mark.skipif(not TIP_PROBLEM.is_file(), reason="TIP problems not available")
def test_a_tip_term_nested_900_deep(tmp_path, capsys):
    problem = deep_tip(tmp_path, 900)
    code, out, err = run(capsys, "tip", problem, "--translate-only")
    assert code == 2
    line = error_line(out, err)
    assert f"{problem}:17:" in line and "S-expression nested too deeply" in line
    # proving reports it as the problem's status (as any malformed problem), no traceback
    code, out, _ = run(capsys, "tip", problem, "--quiet", "--time-limit", "5")
    assert code == 1 and "% SZS status InputError for deep" in out
    assert "nested too deeply" in out


@pytest.mark.skipif(not TIP_PROBLEM.is_file(), reason="TIP problems not available")
def test_a_tip_term_within_the_limit_translates(tmp_path, capsys):
    code, out, _ = run(capsys, "tip", deep_tip(tmp_path, MAX_SEXP_DEPTH - 5), "--translate-only")
    assert code == 0
    assert load_text(out).goals


def test_tip_reader_limits():
    assert read_sexps("(" * MAX_SEXP_DEPTH + ")" * MAX_SEXP_DEPTH)
    with pytest.raises(MPLError, match="nested too deeply") as info:
        read_sexps("\n  " + "(" * (MAX_SEXP_DEPTH + 1) + ")" * (MAX_SEXP_DEPTH + 1), "p.smt2")
    assert info.value.position.line == 2 and info.value.position.column == MAX_SEXP_DEPTH + 3
    wide = ("(declare-datatype Nat ((Z) (S (p Nat))))\n(define-fun b ((x Nat)) Bool (and "
            + " ".join(["true"] * 5000) + "))\n(prove (b Z))\n")
    from genlogic.mpl.tip.reader import tip_to_mpl
    with pytest.raises(MPLError, match="nested too deeply"):
        tip_to_mpl(wide, "wide.smt2")


def test_a_closed_tip_conjecture_is_an_implication():
    from genlogic.mpl.tip.reader import tip_to_mpl
    problem = tip_to_mpl("(declare-datatype Nat ((Z) (S (p Nat))))\n(prove (= Z Z))\n")
    assert "(>[](in[Z,Nat])(=[Z,Z]))" in problem.mpl
    assert load_text(problem.mpl).goals[0].name == "goal"


# -- 3. goals that are not implications -------------------------------------------------------
def test_a_goal_that_is_not_an_implication(tmp_path, capsys):
    goals = tmp_path / "goals.mpl"
    goals.write_text("# one goal\ntheorem z := (=[i0,i1])\n", encoding="utf-8")
    for command in (["check", PEANO, "--goals", goals],
                    ["prove", PEANO, "--goals", goals, "--no-induction", "--goal-time-limit",
                     "1", "--out", tmp_path / "out"]):
        code, out, err = run(capsys, *command)
        assert code == 2
        line = error_line(out, err)
        assert f"{goals}:2:14: theorem 'z' is not an implication" in line
        assert "(>[x..] P Q)" in line and "(>[] P Q)" in line


def test_a_closed_goal_is_fine(tmp_path, capsys):
    goals = tmp_path / "goals.mpl"
    goals.write_text("theorem z := (>[](in2[i0,i1,s])(in2[i0,i1,s]))\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", PEANO, "--goals", goals)
    assert code == 0 and "goal z" in out


def test_a_theorem_in_a_theory_file_must_be_an_implication():
    with pytest.raises(MPLError, match="'t' is not an implication") as info:
        load_text("anchor P[X] := (in[X,X])\ntheorem t :=\n  !(in[X,X])\n", "t.mpl")
    assert (info.value.line, info.value.column) == (3, 3)


# -- 4. exploring without an induction axiom or without operators ------------------------------
def test_explore_needs_an_operator(tmp_path, capsys):
    theory = tmp_path / "noop.mpl"
    theory.write_text("anchor A[N, z] := (in[z,N])\n", encoding="utf-8")
    code, out, err = run(capsys, "prove", theory, "--out", tmp_path / "out", "--executor",
                         "serial")
    assert code == 2
    line = error_line(out, err)
    assert "anchor 'A' has no operators" in line and "nothing to explore" in line
    assert not (tmp_path / "out" / "proof_graph.json").exists()


def test_explore_without_an_induction_axiom_uses_generic_elements(tmp_path, capsys):
    """No inductive set: the model has generic elements only, and exploration still
    proves what follows without induction (here the left unit from the right unit and
    commutativity)."""
    function2 = peano_prefix().split("# Induction")[0]
    theory = tmp_path / "comm.mpl"
    theory.write_text(function2 + """
anchor C[G, e, o] :=
  (&(in[e,G])
  (&(function2[o,G,G,G])
  (&(>[x](in[x,G])(in3[x,e,x,o]))
    (>[x,y,z](in3[x,y,z,o])(in3[y,x,z,o])))))
""", encoding="utf-8")
    code, out, err = run(capsys, "prove", theory, "--out", tmp_path / "out", "--executor",
                         "serial", "--json")
    assert code == 0, err
    graph = json.loads((tmp_path / "out" / "proof_graph.json").read_text(encoding="utf-8"))
    readable = {t["readable"] for t in graph["theorems"]}
    assert "∀a. o(e, a) = a" in readable
    assert all(t["method"] in ("direct", "corollary") for t in graph["theorems"])
    assert run(capsys, "verify", tmp_path / "out")[0] == 0


# -- 5. binary and empty files -----------------------------------------------------------------
def binary_file(tmp_path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(b"# ok so far\n" + BINARY)
    return path


def test_binary_files(tmp_path, capsys):
    bad = binary_file(tmp_path, "bad.mpl")
    where = f"{bad}:2:1:"
    cases = [
        (["check", bad], "theory file"),
        (["check", PEANO, "--goals", bad], "goals file"),
        (["prove", PEANO, "--goals", bad, "--out", tmp_path / "o1"], "goals file"),
        (["prove", bad, "--out", tmp_path / "o2"], "theory file"),
        (["prove", PEANO, "--seeds", bad, "--out", tmp_path / "o3"], "seeds file"),
        (["tip", bad], "TIP problem"),
        (["tip", bad, "--translate-only"], "TIP problem"),
        (["seed", PEANO, "--from", bad, "--no-prove"], "seeds file"),
    ]
    for argv, what in cases:
        code, out, err = run(capsys, *argv)
        assert code == 2, argv
        line = error_line(out, err)
        assert line.startswith(f"error: {where} {what} is not UTF-8 text"), (argv, line)
        assert "byte 0x89 at offset 12 (line 2, column 1)" in line


def test_read_source_locates_the_first_bad_byte(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes("é\nab\xc3".encode("utf-8") + b"(\xff")
    with pytest.raises(MPLError) as info:
        read_source(path, "file")
    assert info.value.position.line == 2 and info.value.position.column == 5
    assert "byte 0xff at offset 8" in str(info.value)   # é and Ã are two bytes each
    with pytest.raises(MPLError, match="cannot read file"):
        read_source(tmp_path / "absent.txt", "file")


def test_a_binary_include_is_located_in_the_included_file(tmp_path):
    binary_file(tmp_path, "lib.mpl")
    main_file = tmp_path / "main.mpl"
    main_file.write_text('include "lib.mpl"\nanchor A[X] := (in[X,X])\n', encoding="utf-8")
    with pytest.raises(MPLError, match="not UTF-8") as info:
        load(main_file)
    assert info.value.position.file.endswith("lib.mpl") and info.value.line == 2


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_an_empty_theory_is_an_error(tmp_path, capsys, text):
    theory = tmp_path / "empty.mpl"
    theory.write_text(text, encoding="utf-8")
    for command in (["check", theory], ["prove", theory, "--out", tmp_path / "o"]):
        code, out, err = run(capsys, *command)
        assert code == 2
        assert f"{theory}:1:1: empty theory" in error_line(out, err)


# -- 6. numeric options ----------------------------------------------------------------------
@pytest.mark.parametrize("option,value", [
    ("--max-vars", "-1"), ("--max-vars", "0"), ("--max-size", "-3"), ("--model-size", "0"),
    ("--workers", "0"), ("--workers", "two"), ("--time-limit", "0"), ("--time-limit", "-5"),
    ("--goal-time-limit", "-1"), ("--goal-time-limit", "nan"), ("--max-size", "1.5"),
])
def test_bad_prove_options(tmp_path, capsys, option, value):
    capsys.readouterr()
    with pytest.raises(SystemExit) as info:
        main(["prove", str(PEANO), "--goals", str(GOALS), option, value,
              "--out", str(tmp_path / "o")])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {option}:" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()


def test_bad_tip_time_limit(capsys):
    with pytest.raises(SystemExit) as info:
        main(["tip", str(TIP_PROBLEM), "--time-limit", "-1"])
    assert info.value.code == 2
    assert "argument --time-limit: must be more than 0 seconds" in capsys.readouterr().err


# -- 7. the backend ----------------------------------------------------------------------------
def test_a_bad_backend(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("GENLOGIC_BACKEND", "fortran")
    code, out, err = run(capsys, "prove", PEANO, "--goals", GOALS, "--out", tmp_path / "o",
                         "--goal-time-limit", "1")
    assert code == 2
    assert "unknown backend GENLOGIC_BACKEND='fortran'; expected one of numba, python" in \
        error_line(out, err)
    monkeypatch.setenv("GENLOGIC_BACKEND", " Python ")
    code, _, _ = run(capsys, "check", PEANO)
    assert code == 0


# -- rich markup in names is printed as it is ---------------------------------------------------
def test_names_with_brackets_are_printed_verbatim(tmp_path, capsys):
    theory = tmp_path / "t.mpl"
    theory.write_text("def f[/x, y] := (in[/x,y])\nanchor A[/x, y] := (f[/x,y])\n",
                      encoding="utf-8")
    code, out, _ = run(capsys, "check", theory)
    assert code == 0 and "anchor A[/x, y]" in out


def test_an_output_folder_inside_a_file(tmp_path, capsys):
    goals = tmp_path / "goals.mpl"
    goals.write_text("theorem add_zero_left := (>[a,b](in3[i0,a,b,+])(=[b,a]))\n",
                     encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code, out, err = run(capsys, "prove", PEANO, "--goals", goals, "--out", blocker / "out",
                         "--quiet")
    assert code == 2 and "Not a directory" in error_line(out, err)
