"""Fuzzing the command line with mutated real inputs (issue 13): no traceback, ever.

Real inputs -- ``axioms/peano.mpl``, ``axioms/peano_goals.mpl``, TIP problems from
``../shared/external/tip_nat`` and a proof graph written by a real ``prove`` run -- are
mutated by hypothesis (characters and lines deleted, duplicated or swapped, brackets
inserted, deep nesting, random bytes including invalid UTF-8) and fed to
``genlogic.cli.main`` in-process: ``check``, ``prove --goals`` (tiny time limit, no
induction), ``tip --translate-only`` and ``verify``.  Whatever the input, no exception
escapes ``main`` (argparse's ``SystemExit`` only with code 2), the exit code is 0, 1 or 2,
and nothing printed mentions a traceback.  Examples are bounded and derandomized so the
file runs in well under a minute and a failure reproduces.
"""

from __future__ import annotations

import contextlib
import io
import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genlogic.cli import main

ROOT = Path(__file__).resolve().parents[1]
PEANO = ROOT / "axioms" / "peano.mpl"
GOALS = ROOT / "axioms" / "peano_goals.mpl"
TIP = ROOT.parent / "shared" / "external" / "tip_nat" / "benchmarks"
TIP_FILES = [TIP / "isaplanner" / "prop_22.smt2", TIP / "isaplanner" / "prop_17.smt2",
             TIP / "prod" / "lemma_24.smt2"]


def fuzz(examples: int):
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


# -- mutations ------------------------------------------------------------------------------
_index = st.integers(min_value=0, max_value=1 << 20)
_snippets = st.sampled_from([b"(", b")", b"[", b"]", b"!", b"(&", b"(>[]", b"(>[x]", b",",
                             b":=", b'"', b"|", b";", b"#", b"\n", b" ", b"{", b"}", b"\\",
                             b"(S ", b"(match ", b"theorem t := ", b"def ", b"anchor ",
                             b"include \"x.mpl\"", b"\x00", b"\xff", b"\xc3", b"\xe2\x88\x80",
                             b"null", b"[]", b"{}", b'"steps"', b"-1", b"1e999", b"true"])
_openers = st.sampled_from([b"(", b"!", b"(&(in[X,X])", b"(>[](in[i0,N])", b"(S ", b"[",
                            b'{"a":', b"(not "])
_closers = st.sampled_from([b")", b"", b"]", b"}", b"))"])

MUTATION = st.one_of(
    st.tuples(st.just("delete"), _index, st.integers(1, 8)),
    st.tuples(st.just("duplicate"), _index, st.integers(1, 8)),
    st.tuples(st.just("swap"), _index, _index),
    st.tuples(st.just("delete-line"), _index),
    st.tuples(st.just("duplicate-line"), _index),
    st.tuples(st.just("swap-lines"), _index, _index),
    st.tuples(st.just("insert"), _index, _snippets),
    st.tuples(st.just("nest"), _index, _index, st.integers(1, 1500), _openers, _closers),
    st.tuples(st.just("bytes"), _index, st.binary(min_size=1, max_size=12)),
    st.tuples(st.just("truncate"), _index),
)
MUTATIONS = st.lists(MUTATION, min_size=1, max_size=5)


def mutate(data: bytes, mutations) -> bytes:
    for op, *args in mutations:
        n = max(len(data), 1)
        if op == "delete":
            i = args[0] % n
            data = data[:i] + data[i + args[1]:]
        elif op == "duplicate":
            i = args[0] % n
            data = data[:i] + data[i:i + args[1]] + data[i:]
        elif op == "swap" and data:
            i, j = sorted((args[0] % n, args[1] % n))
            data = data[:i] + data[j:j + 1] + data[i + 1:j] + data[i:i + 1] + data[j + 1:]
        elif op in ("delete-line", "duplicate-line", "swap-lines"):
            lines = data.split(b"\n")
            i = args[0] % len(lines)
            if op == "delete-line":
                del lines[i]
            elif op == "duplicate-line":
                lines.insert(i, lines[i])
            else:
                j = args[1] % len(lines)
                lines[i], lines[j] = lines[j], lines[i]
            data = b"\n".join(lines)
        elif op == "insert":
            i = args[0] % (len(data) + 1)
            data = data[:i] + args[1] + data[i:]
        elif op == "nest":
            i, j = sorted((args[0] % (len(data) + 1), args[1] % (len(data) + 1)))
            depth, opener, closer = args[2], args[3], args[4]
            data = data[:i] + opener * depth + data[i:j] + closer * depth + data[j:]
        elif op == "bytes":
            i = args[0] % (len(data) + 1)
            data = data[:i] + args[1] + data[i:]
        elif op == "truncate":
            data = data[:args[0] % n]
    return data


# -- running main ---------------------------------------------------------------------------
def run_main(argv: list[str]) -> int:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exc:          # argparse only
            assert exc.code == 2, (argv, exc.code, err.getvalue())
            code = 2
    text = out.getvalue() + err.getvalue()
    assert "Traceback" not in text, (argv, text[-3000:])
    assert code in (0, 1, 2), (argv, code, text[-3000:])
    return code


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def real_graph(work):
    """A real proof graph: a prove run of two Peano goals."""
    goals = work / "two_goals.mpl"
    text = GOALS.read_text(encoding="utf-8")
    goals.write_text(text[:text.index("# a + b = b + a")], encoding="utf-8")
    out = work / "run"
    assert run_main(["prove", PEANO, "--goals", goals, "--out", out, "--quiet",
                     "--goal-time-limit", "10"]) == 0
    return (out / "proof_graph.json").read_bytes()


@pytest.fixture(autouse=True)
def in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)     # verify finds axioms/peano.mpl from here


_counter = itertools.count()


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / f"{next(_counter)}_{name}"
    path.write_bytes(data)
    return path


# -- the fuzz tests -----------------------------------------------------------------------------
@fuzz(150)
@given(MUTATIONS)
def test_check_mutated_theory(work, mutations):
    theory = write(work, "peano.mpl", mutate(PEANO.read_bytes(), mutations))
    run_main(["check", theory])


@fuzz(100)
@given(MUTATIONS)
def test_check_mutated_goals(work, mutations):
    goals = write(work, "goals.mpl", mutate(GOALS.read_bytes(), mutations))
    run_main(["check", PEANO, "--goals", goals])


@fuzz(40)
@given(MUTATIONS, st.booleans())
def test_prove_mutated_goals(work, mutations, theory_too):
    goals = write(work, "goals.mpl", mutate(GOALS.read_bytes(), mutations))
    theory = write(work, "peano.mpl", mutate(PEANO.read_bytes(), mutations[:1])) \
        if theory_too else PEANO
    run_main(["prove", theory, "--goals", goals, "--no-induction", "--goal-time-limit", "0.05",
              "--quiet", "--out", work / "prove_out"])


@pytest.mark.skipif(not TIP_FILES[0].is_file(), reason="TIP problems not available")
@fuzz(150)
@given(st.sampled_from(TIP_FILES), MUTATIONS)
def test_tip_translate_mutated_problem(work, problem, mutations):
    path = write(work, problem.name, mutate(problem.read_bytes(), mutations))
    run_main(["tip", path, "--translate-only"])


@fuzz(80)
@given(MUTATIONS)
def test_verify_mutated_graph(work, real_graph, mutations):
    folder = work / f"graph{next(_counter)}"
    folder.mkdir()
    (folder / "proof_graph.json").write_bytes(mutate(real_graph, mutations))
    run_main(["verify", folder])


def test_the_unmutated_inputs_pass(work, real_graph):
    assert run_main(["check", PEANO, "--goals", GOALS]) == 0
    if TIP_FILES[0].is_file():
        assert run_main(["tip", TIP_FILES[0], "--translate-only"]) == 0
    folder = work / "graph_ok"
    folder.mkdir()
    (folder / "proof_graph.json").write_bytes(real_graph)
    assert run_main(["verify", folder]) == 0
