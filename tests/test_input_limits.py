"""Issue 22 (input limits): what a theory file may be, and what the environment may say.

A theory needs an anchor; its files together hold at most ``GENLOGIC_MAX_THEORY_BYTES``
bytes (default 1 MB); bytes that are not UTF-8 are located; a bad value of either
environment variable is one line and exit 2.  Never a traceback.
"""

from __future__ import annotations

import contextlib
import io
import os
import time
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from genlogic.cli import main
from genlogic.mpl.errors import MPLError, TooLarge, read_source
from genlogic.mpl.theory import (DEFAULT_MAX_THEORY_BYTES, LIMIT_VARIABLE, load, load_files,
                                 load_text, theory_byte_limit)

ROOT = Path(__file__).resolve().parents[1]
PEANO = ROOT / "axioms" / "peano.mpl"
PEANO_BYTES = PEANO.stat().st_size
ANCHOR = "anchor A[X] := (in[X,X])\n"


def run(*argv) -> tuple[int, str]:
    """``genlogic ARGV`` in this process: the exit code and everything printed."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    text = err.getvalue() + out.getvalue()
    assert "Traceback" not in text
    return code, text


def error_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("error:")]


@pytest.fixture
def limit(monkeypatch):
    def set_limit(value):
        monkeypatch.setenv(LIMIT_VARIABLE, str(value))
    monkeypatch.delenv(LIMIT_VARIABLE, raising=False)
    return set_limit


# -- a theory needs an anchor ---------------------------------------------------------------
def test_a_theory_without_an_anchor_fails_check(tmp_path):
    theory = tmp_path / "defs.mpl"
    theory.write_text("def Foo[x] := (in[x,x])\ndef Bar[x] := (Foo[x])\n", encoding="utf-8")
    code, text = run("check", theory)
    assert code == 2
    assert error_lines(text)[0].startswith(f"error: {theory}:1:1: no anchor: the theory "
                                           "defines Foo, Bar but no structure")


def test_a_file_of_definitions_is_still_fine_to_include(tmp_path):
    (tmp_path / "defs.mpl").write_text("def Foo[x] := (in[x,x])\n", encoding="utf-8")
    main_file = tmp_path / "main.mpl"
    main_file.write_text('include "defs.mpl"\nanchor A[X] := (Foo[X])\n', encoding="utf-8")
    assert [a.name for a in load(main_file).anchors] == ["A"]
    assert run("check", main_file)[0] == 0


def test_every_loader_asks_for_an_anchor():
    with pytest.raises(MPLError, match="no anchor"):
        load_text("def Foo[x] := (in[x,x])\n", "t.mpl")
    with pytest.raises(MPLError, match="no anchor"):
        load_files({"t.mpl": "def Foo[x] := (in[x,x])\n"}, "t.mpl")


@pytest.mark.parametrize("text", ["", "   \n", "# nothing here\n"])
def test_an_empty_theory_fails_check(tmp_path, text):
    theory = tmp_path / "empty.mpl"
    theory.write_text(text, encoding="utf-8")
    code, out = run("check", theory)
    assert code == 2
    assert error_lines(out)[0].startswith(f"error: {theory}:1:1: empty theory")


# -- the size limit -------------------------------------------------------------------------
def test_the_limit_defaults_to_a_megabyte(limit):
    assert theory_byte_limit() == DEFAULT_MAX_THEORY_BYTES == 1_000_000
    limit("")
    assert theory_byte_limit() == DEFAULT_MAX_THEORY_BYTES


@pytest.mark.parametrize("value,expected", [
    ("1", 1), ("4096", 4096), ("500kB", 500_000), ("2MB", 2_000_000), ("2 mb", 2_000_000),
    (" 3k ", 3000), ("1G", 1_000_000_000), ("7b", 7),
])
def test_limit_values(value, expected):
    assert theory_byte_limit(value) == expected


def test_a_theory_over_the_limit_is_refused_by_check_and_prove(tmp_path, limit):
    limit(PEANO_BYTES - 1)
    for argv in (["check", PEANO], ["prove", PEANO, "--out", tmp_path / "o"]):
        code, text = run(*argv)
        assert code == 2
        assert error_lines(text) == [
            f"error: {PEANO}:1:1: theory file is larger than the limit of "
            f"{PEANO_BYTES - 1:,} bytes ({PEANO_BYTES:,} bytes); set {LIMIT_VARIABLE} to "
            "allow more"]
    assert not (tmp_path / "o").exists()
    limit(PEANO_BYTES)                              # exactly at the limit is fine
    assert run("check", PEANO)[0] == 0


def test_a_large_file_is_refused_at_once(tmp_path, limit):
    # issue 22: a 5 MB theory took 4 minutes and 1.2 GB with no warning
    big = tmp_path / "big.mpl"
    with big.open("w", encoding="utf-8") as handle:
        for i in range(100_000):
            handle.write(f"def D{i}[X,Y] := (>[a,b](&(in[a,X])(in[b,Y]))(in[a,X]))\n")
    assert big.stat().st_size > 5_000_000
    start = time.monotonic()
    code, text = run("check", big)
    assert code == 2 and "larger than the limit of 1,000,000 bytes" in text
    assert time.monotonic() - start < 2
    with pytest.raises(TooLarge):
        read_source(big, "theory file", 1000)


def test_includes_count_towards_the_limit(tmp_path, limit):
    (tmp_path / "lib.mpl").write_text("".join(f"def Foo{i}[x] := (in[x,x])\n" for i in range(40)),
                                      encoding="utf-8")
    main_file = tmp_path / "main.mpl"
    main_file.write_text('include "lib.mpl"\nanchor A[X] := (Foo0[X])\n', encoding="utf-8")
    total = main_file.stat().st_size + (tmp_path / "lib.mpl").stat().st_size
    limit(total - 1)               # each file alone is under the limit, both are not
    with pytest.raises(MPLError) as info:
        load(main_file)
    assert (info.value.position.file, info.value.line, info.value.column) == \
        (str(main_file), 1, 9)
    assert info.value.message == (f"including 'lib.mpl' takes the theory's files past the "
                                  f"limit of {total - 1:,} bytes; set {LIMIT_VARIABLE} to "
                                  "allow more")
    limit(total)
    assert load(main_file).anchors


def test_text_and_goals_files_are_held_to_the_limit(tmp_path, limit):
    theory = load(PEANO)
    goals = ROOT / "axioms" / "peano_goals.mpl"
    limit(goals.stat().st_size - 1)
    with pytest.raises(MPLError, match="goals file is larger than the limit"):
        theory.goals_from(goals)
    limit(10)
    with pytest.raises(TooLarge, match="theory text is larger than the limit of 10 bytes"):
        load_text(ANCHOR, "t.mpl")
    with pytest.raises(TooLarge):
        load_files({"t.mpl": ANCHOR}, "t.mpl")


# -- the environment: a clear line, exit 2 ---------------------------------------------------
@pytest.mark.parametrize("value", ["abc", "0", "-5", "1.5MB", "10 TB", "0x10", "1e6", "١٢"])
def test_a_bad_limit_value_is_one_line(monkeypatch, tmp_path, value):
    monkeypatch.setenv(LIMIT_VARIABLE, value)
    for argv in (["check", PEANO], ["export", tmp_path]):      # up front, for any command
        code, text = run(*argv)
        assert code == 2
        assert text.strip() == (f"error: {LIMIT_VARIABLE}={value!r} is not a size in bytes; "
                                "give a whole number of at least 1, optionally with kB, MB "
                                "or GB (default 1,000,000)")


env_values = st.text(st.characters(blacklist_characters="\0", blacklist_categories=("Cs",)),
                     max_size=12)


@settings(max_examples=60, deadline=None)
@given(variable=st.sampled_from([LIMIT_VARIABLE, "GENLOGIC_BACKEND"]), value=env_values)
def test_no_environment_value_gives_a_traceback(variable, value):
    saved = os.environ.get(variable)
    os.environ[variable] = value
    try:
        code, text = run("check", PEANO)
    finally:
        if saved is None:
            os.environ.pop(variable, None)
        else:
            os.environ[variable] = saved
    if code == 0:
        assert "induction axiom" in text
        return
    assert code == 2 and len(text.strip().splitlines()) == 1
    assert text.startswith("error: ")
    try:
        small = variable == LIMIT_VARIABLE and theory_byte_limit(value) < PEANO_BYTES
    except MPLError:
        small = False
    if small:                                   # a valid limit below the theory's size
        assert "theory file is larger than the limit" in text
    else:
        assert f"{variable}={value!r}" in text


@given(env_values)
def test_the_limit_is_a_positive_whole_number_or_a_clear_error(value):
    try:
        limit = theory_byte_limit(value)
    except MPLError as exc:
        assert exc.position is None and "\n" not in str(exc)
        assert str(exc).startswith(f"{LIMIT_VARIABLE}={value!r} is not a size in bytes")
    else:
        assert isinstance(limit, int) and limit >= 1


@given(st.integers(1, 10 ** 6), st.sampled_from(["", "b", "k", "kB", "MB", "mb", "G"]),
       st.sampled_from(["", " "]))
def test_limit_values_with_units(number, unit, space):
    scale = {"": 1, "b": 1, "k": 1000, "kb": 1000, "mb": 10 ** 6, "g": 10 ** 9}[unit.lower()]
    assert theory_byte_limit(f"{number}{space}{unit}") == number * scale


# -- encoding errors are located -------------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=60))
def test_read_source_decodes_or_locates_the_first_bad_byte(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("bytes") / "x.mpl"
    path.write_bytes(data)
    try:
        expected = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        with pytest.raises(MPLError) as info:
            read_source(path, "theory file")
        before = data[:exc.start]
        line = before.count(b"\n") + 1
        assert info.value.position.file == str(path)
        assert info.value.line == line
        assert f"byte 0x{data[exc.start]:02x} at offset {exc.start} (line {line}," in \
            info.value.message
        assert "codec" not in str(info.value)          # not Python's decoding message
    else:
        assert read_source(path, "theory file") == expected


def test_a_binary_theory_names_the_file_and_the_byte(tmp_path):
    binary = tmp_path / "image.mpl"
    binary.write_bytes(ANCHOR.encode() + b"\x89PNG\r\n\x1a\n")
    code, text = run("check", binary)
    assert code == 2
    assert error_lines(text) == [f"error: {binary}:2:1: theory file is not UTF-8 text: byte "
                                 "0x89 at offset 25 (line 2, column 1) cannot be decoded"]
