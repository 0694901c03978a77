"""`genlogic similar`: the nearest proved theorems of a run to a statement."""

from pathlib import Path

from genlogic.cli import main

SHOWCASE = Path(__file__).resolve().parents[1] / "proofs_out" / "peano"


def test_similar_ranks_the_alpha_variant_first(capsys):
    # the same law with other variable names is the nearest theorem, at cosine 1
    code = main(["similar", str(SHOWCASE), "(>[x,y,u,v](&(in3[x,y,u,*])(in3[y,x,v,*]))(=[u,v]))",
                 "-k", "3"])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out[0].split()[0] == "1.000"
    assert out[0].endswith("a * b = b * a")
    assert len(out) == 3


def test_similar_bad_statement_is_a_located_error(capsys):
    # a malformed statement is a user error: exit 2, position shown, no traceback
    code = main(["similar", str(SHOWCASE), "(>[a"])
    err = capsys.readouterr().err
    assert code == 2
    assert "<statement>:1:" in err and "Traceback" not in err


def test_similar_takes_the_readable_form_and_ranks_the_same_law_first(capsys):
    # issue 22: "a * b = b * a" was a syntax error; now the law itself comes first
    for query, law in (("x * y = y * x", "a * b = b * a"), ("a + b = b + a", "a + b = b + a")):
        code = main(["similar", str(SHOWCASE), query, "-k", "3"])
        out = capsys.readouterr().out.splitlines()
        assert code == 0
        assert out[0].split()[0] == "1.000" and out[0].endswith(law), out
        assert all(not line.startswith(" 1.000") for line in out[1:])


def test_similar_matches_a_goal_shaped_statement_by_meaning(capsys):
    # the --help example: commutativity with the sum as a shared name
    code = main(["similar", str(SHOWCASE), "(>[a,b,c](in3[a,b,c,+])(in3[b,a,c,+]))", "-k", "1"])
    out = capsys.readouterr().out.splitlines()
    assert code == 0 and out[0].endswith("a + b = b + a") and out[0].startswith(" 1.000")


def test_similar_malformed_readable_query_is_a_located_error(capsys):
    code = main(["similar", str(SHOWCASE), "a + = b"])
    err = capsys.readouterr().err
    assert code == 2 and "<statement>:1:5" in err and "Traceback" not in err
