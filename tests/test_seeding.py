"""Conjecture seeding (genlogic.explore.seeding): the pipeline, the CLI and the LLM path
against a tiny OpenAI-compatible server run inside the test on 127.0.0.1."""

from __future__ import annotations

import argparse
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from genlogic.blocks.prover import ProveOptions, Prover
from genlogic.explore.model import GroundModel
from genlogic.explore.seeding import (LLMError, SeedResult, add_parsers, build_prompt,
                                      clean_line, llm_lines, seed)
from genlogic.mpl.infix import parse_statement
from genlogic.mpl.theory import load, load_text

REPO = Path(__file__).resolve().parents[1]
PEANO_PATH = REPO / "axioms" / "peano.mpl"

LEMMAS = ["i0 + a = a", "s(a) + b = s(a + b)", "i0 * a = i0", "s(a) * b = a * b + b"]
LAWS = ["a + b = b + a", "(a + b) + c = a + (b + c)", "a * b = b * a",
        "(a * b) * c = a * (b * c)", "a * (b + c) = a * b + a * c",
        "(a + b) * c = a * c + b * c"]
FALSE = ["a + b = a", "a * b = a + b", "s(a) = a"]
MALFORMED = ["a +", "s(a, b) = a"]


@pytest.fixture(scope="module")
def peano():
    return load(PEANO_PATH)


@pytest.fixture(scope="module")
def checker(peano):
    """A prover and model for tests that do not prove (nothing gets recorded)."""
    prover = Prover(peano)
    return prover, GroundModel.build(prover, 5)


def by_text(results):
    return {r.text: r for r in results}


# -- the pipeline ------------------------------------------------------------------------
def test_laws_proved_false_refuted_malformed_rejected(peano):
    lines = ["# the six laws, their lemmas, three false and two malformed lines", ""] + \
        LAWS + LEMMAS + FALSE + MALFORMED + ["∀x y. y + x = x + y"]
    results = seed(peano, lines)
    assert all(isinstance(r, SeedResult) for r in results)
    assert len(results) == len(lines) - 2              # comment and blank skipped
    got = by_text(results)
    for law in LAWS + LEMMAS:
        assert got[law].status == "proved", (law, got[law].reason)
        assert got[law].name and got[law].name.startswith("S")
        assert got[law].mpl == str(parse_statement(law, peano.signature))
    for text in FALSE:
        assert got[text].status == "refuted"
        assert got[text].reason.startswith("counterexample: ")
        assert got[text].counterexample
    assert "a = 0, b = 1" in got["a + b = a"].reason
    assert "a + b = 1 but a = 0" in got["a + b = a"].reason
    assert got["a +"].status == "rejected" and got["a +"].mpl is None
    assert got["a +"].reason.startswith("column 4: ")
    assert got["s(a, b) = a"].reason.startswith("column 1: ")
    duplicate = got["∀x y. y + x = x + y"]
    assert duplicate.status == "rejected"
    assert duplicate.reason.startswith("duplicate of line 3")
    assert [r.line for r in results] == sorted(r.line for r in results)
    assert results[0].to_json() == {"text": LAWS[0], "mpl": results[0].mpl,
                                    "status": "proved", "reason": results[0].reason}


def test_seeds_are_recorded_and_deduplicated_against_proved(peano):
    prover = Prover(peano, None, ProveOptions(witnesses=60, time_limit=5.0))
    first = seed(peano, ["i0 + a = a"], prover=prover)
    assert first[0].status == "proved" and first[0].name in prover.session.theorems
    again = seed(peano, ["i0 + b = b", "s(a) + b = s(a + b)"], prover=prover)
    assert again[0].status == "rejected"
    assert again[0].reason == f"duplicate: already proved as {first[0].name} " \
                              "(same statement up to renaming)"
    assert again[1].status == "proved" and again[1].name != first[0].name
    outside = seed(peano, ["a + i0 = a"], prover=prover,
                   proved=["(>[x,y](in3[x,i0,y,+])(=[y,x]))"])
    assert outside[0].status == "rejected" and "already proved" in outside[0].reason


def test_call_notation_for_a_theory_with_letter_operators():
    text = PEANO_PATH.read_text().replace(
        "anchor Peano[N, i0, s, +, *, i1] := (&(NaturalNumbers[N,i0,s,+,*])(in2[i0,i1,s]))",
        "anchor Peano[N, i0, s, add, mul, i1] := "
        "(&(NaturalNumbers[N,i0,s,add,mul])(in2[i0,i1,s]))")
    renamed = load_text(text, "renamed.mpl")
    results = seed(renamed, ["add(a, b) = add(b, a)", "add(i0, a) = a",
                             "add(s(a), b) = s(add(a, b))", "add(a, b) = a", "a + b = b + a"])
    statuses = [r.status for r in results]
    assert statuses == ["proved", "proved", "proved", "refuted", "rejected"]
    assert "unknown operator '+'" in results[4].reason
    assert results[0].readable == "∀a b. add(a, b) = add(b, a)"


def test_mpl_seeds_and_type_errors(peano, checker):
    prover, model = checker
    lines = ["(>[a,b](in3[i0,a,b,+])(=[b,a]))",                 # fine
             "(>[a,b,c](in3[a,b,c,s])(=[a,c]))",                 # s is unary
             "(>[a,b](in2[a,b,+])(=[a,b]))",                     # + is binary
             "(>[a,b](in3[a,i0,b,+])(=[b,q]))",                  # q is free
             "(>[a,b](in3[a,i0,b,+])(=[b,a])",                   # unbalanced
             "(in[i0,N])",                                       # not an implication
             "(>[a,b,f](in3[a,i0,b,f])(=[b,a]))"]                # not an operator
    results = seed(peano, lines, prover=prover, model=model, prove=False)
    assert [r.status for r in results] == ["open"] + ["rejected"] * 6
    assert results[0].reason == "not attempted (survived the model)"
    assert "'s' takes 1 argument" in results[1].reason
    assert "'+' takes 2 argument" in results[2].reason
    assert results[3].reason.startswith("column ") and "'q'" in results[3].reason
    assert results[4].reason.startswith("column ")
    assert "implication" in results[5].reason
    assert "operator of the theory" in results[6].reason


def test_ranking_prefers_small_and_similar(peano, checker):
    prover, model = checker
    lines = ["(a + b) * c = a * c + b * c", "i0 * a = i0", "a * b = b * a"]
    results = seed(peano, lines, prover=prover, model=model, prove=False)
    assert [r.rank for r in results] == [2, 0, 1]
    assert results[1].score > results[2].score > results[0].score
    # similarity to proved theorems lifts a seed over a same-size one
    near = seed(peano, ["i0 + a = a", "i1 * a = a"], prover=prover, model=model, prove=False,
                proved=["(>[x,y](in3[x,i1,y,*])(=[y,x]))"])
    assert near[1].rank == 0 and near[1].score > near[0].score


def test_nothing_is_trusted_garbage_only_rejected(peano, checker):
    prover, model = checker
    lines = ["Sure! Here are some conjectures:", "1. a + b", "a + b = b + a because",
             "\x00\x01", "a" * 5000, "=", "((((", "a = b", "forall. a = a", "s(a) = s(a)",
             "a + b = c * ", "a ≠ b", "a < b", "x + y = y + x"]
    results = seed(peano, lines, prover=prover, model=model, prove=False)
    assert [r.status for r in results[:-1]] == ["rejected"] * (len(lines) - 1)
    assert all(r.reason for r in results)
    assert "too long" in results[4].reason
    assert results[-1].status == "open"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet="abs01i+*()=, ->∀.#x", max_size=25), max_size=4))
def test_random_lines_never_crash(lines):
    theory = _PEANO_FOR_HYPOTHESIS
    prover, model = _CHECKER_FOR_HYPOTHESIS
    results = seed(theory, lines, prover=prover, model=model, prove=False)
    assert all(r.status in ("rejected", "refuted", "open") for r in results)
    assert all(r.reason for r in results)


_PEANO_FOR_HYPOTHESIS = load(PEANO_PATH)
_CHECKER_FOR_HYPOTHESIS = (lambda p: (p, GroundModel.build(p, 4)))(Prover(_PEANO_FOR_HYPOTHESIS))


def test_prompt_holds_axioms_proved_and_failed(peano):
    prompt = build_prompt(peano, ["∀a. i0 + a = a"], ["∀a b. a + b = b + a"])
    assert "∀a. a ∈ N → a + i0 = a" in prompt
    assert "Operators: s: N -> N; +: N x N -> N; *: N x N -> N" in prompt
    assert "i1 = s(i0)" in prompt
    assert "Proved so far:\n  ∀a. i0 + a = a" in prompt
    assert "∀a b. a + b = b + a" in prompt
    assert "one per line" in prompt


def test_clean_line():
    assert clean_line("  1. a + b = b + a ") == "a + b = b + a"
    assert clean_line("- `i0 + a = a`") == "i0 + a = a"
    assert clean_line("* s(a) = a") == "s(a) = a"
    assert clean_line("a * b = b * a") == "a * b = b * a"


# -- a tiny OpenAI-compatible server -------------------------------------------------------
class StubLLM:
    """Chat-completions on 127.0.0.1:<ephemeral>; scripted failures and delays."""

    def __init__(self, content: str, fail_first: int = 0, status: int = 500,
                 delay: float = 0.0, raw: bytes | None = None):
        self.content, self.fail_first, self.status = content, fail_first, status
        self.delay, self.raw = delay, raw
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                stub.requests.append(body)
                stub.headers.append(dict(self.headers))
                if self.path != "/v1/chat/completions":
                    return self._send(404, b'{"error": "not found"}')
                if len(stub.requests) <= stub.fail_first:
                    return self._send(stub.status, b'{"error": "try later"}')
                if stub.delay:
                    time.sleep(stub.delay)
                if stub.raw is not None:
                    return self._send(200, stub.raw)
                answer = {"id": "x", "object": "chat.completion", "model": body.get("model"),
                          "choices": [{"index": 0, "finish_reason": "stop",
                                       "message": {"role": "assistant",
                                                   "content": stub.content}}]}
                self._send(200, json.dumps(answer).encode())

            def _send(self, code, data):
                try:
                    self.send_response(code)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


ANSWER = "\n".join(["Here are conjectures:", "```"] +
                   [f"{i + 1}. {law}" for i, law in enumerate(LEMMAS + LAWS)] +
                   ["- " + f for f in FALSE] + MALFORMED + ["```", "I hope this helps!"])


def test_llm_lines_and_seed_through_the_stub(peano, monkeypatch):
    monkeypatch.setenv("GENLOGIC_TEST_KEY", "sekrit")
    with StubLLM(ANSWER) as stub:
        lines = llm_lines(stub.url, "stub-model", "prompt text", api_key_env="GENLOGIC_TEST_KEY",
                          timeout=5, max_tokens=77)
    assert lines[0] == "Here are conjectures:" and lines[1:len(LEMMAS) + 1] == LEMMAS
    assert "a + b = a" in lines and "a +" in lines
    request = stub.requests[0]
    assert request["model"] == "stub-model" and request["max_tokens"] == 77
    assert request["messages"][-1] == {"role": "user", "content": "prompt text"}
    assert stub.headers[0].get("Authorization") == "Bearer sekrit"
    results = by_text(seed(peano, lines))
    assert all(results[t].status == "proved" for t in LEMMAS + LAWS)
    assert all(results[t].status == "refuted" for t in FALSE)
    assert all(results[t].status == "rejected" for t in MALFORMED)
    assert results["Here are conjectures:"].status == "rejected"
    assert results["I hope this helps!"].status == "rejected"


def test_llm_bounds_lines(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with StubLLM("\n".join(f"s(a) = a{i}" for i in range(100))) as stub:
        lines = llm_lines(stub.url + "/chat/completions", "m", "p", max_lines=7)
    assert len(lines) == 7
    assert "Authorization" not in stub.headers[0]


def test_llm_retries_with_backoff():
    with StubLLM("i0 + a = a", fail_first=2) as stub:
        start = time.perf_counter()
        lines = llm_lines(stub.url, "m", "p", retries=3, backoff=0.1, timeout=5)
        elapsed = time.perf_counter() - start
    assert lines == ["i0 + a = a"]
    assert len(stub.requests) == 3
    assert elapsed >= 0.1 + 0.2 - 0.01                      # 0.1 then 0.2 seconds


def test_llm_gives_up_after_retries():
    with StubLLM("x", fail_first=10, status=503) as stub:
        with pytest.raises(LLMError, match="HTTP 503.*after 3 attempts"):
            llm_lines(stub.url, "m", "p", retries=2, backoff=0.01, timeout=5)
    assert len(stub.requests) == 3


def test_llm_client_errors_are_not_retried():
    with StubLLM("x", fail_first=10, status=401) as stub:
        with pytest.raises(LLMError, match="HTTP 401"):
            llm_lines(stub.url, "m", "p", retries=3, backoff=0.01, timeout=5)
    assert len(stub.requests) == 1


def test_llm_timeout():
    with StubLLM("i0 + a = a", delay=1.5) as stub:
        start = time.perf_counter()
        with pytest.raises(LLMError, match="timed out"):
            llm_lines(stub.url, "m", "p", timeout=0.3, retries=1, backoff=0.01)
        assert time.perf_counter() - start < 1.4
    assert len(stub.requests) == 2


def test_llm_unreadable_answer():
    with StubLLM("", raw=b"<html>nope</html>") as stub:
        with pytest.raises(LLMError, match="not a chat-completions answer"):
            llm_lines(stub.url, "m", "p", timeout=5, retries=0)


# -- the command ---------------------------------------------------------------------------
def run_cli(argv, capsys):
    parser = argparse.ArgumentParser(prog="genlogic")
    add_parsers(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    code = args.func(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_from_file_json(tmp_path, capsys):
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("\n".join(["# seeds"] + LEMMAS[:2] + ["a + b = b + a", "a + b = a", "a +",
                                                          "b + a = a + b"]) + "\n")
    code, out, err = run_cli(["seed", str(PEANO_PATH), "--from", str(seeds), "--json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert [s["status"] for s in data["seeds"]] == ["proved", "proved", "proved", "refuted",
                                                    "rejected", "rejected"]
    assert all(set(s) == {"text", "mpl", "status", "reason"} for s in data["seeds"])
    assert data["seeds"][4]["mpl"] is None and "column 4" in data["seeds"][4]["reason"]
    assert "counterexample" in data["seeds"][3]["reason"]


def test_cli_text_report_from_stdin(monkeypatch, capsys):
    import io
    monkeypatch.setattr("sys.stdin", io.StringIO("i0 + a = a\ns(a) = a\n"))
    code, out, _ = run_cli(["seed", str(PEANO_PATH), "--from", "-"], capsys)
    assert code == 0
    assert "proved    i0 + a = a" in out
    assert "refuted   s(a) = a" in out and "counterexample: a = 0" in out
    assert "2 seeds: 1 proved, 1 refuted, 0 rejected, 0 open" in out


def test_cli_llm(capsys):
    with StubLLM(ANSWER) as stub:
        code, out, err = run_cli(["seed", str(PEANO_PATH), "--llm", stub.url, "--model", "m",
                                  "--json"], capsys)
    assert code == 0, err
    statuses = {s["text"]: s["status"] for s in json.loads(out)["seeds"]}
    assert all(statuses[t] == "proved" for t in LEMMAS + LAWS)
    assert all(statuses[t] == "refuted" for t in FALSE)
    assert all(statuses[t] == "rejected" for t in MALFORMED)
    assert "Axioms:" in stub.requests[0]["messages"][-1]["content"]


def test_cli_using_an_earlier_run(capsys):
    run = REPO / "proofs_out" / "peano"
    if not (run / "proof_graph.json").exists():
        pytest.skip("no committed Peano run")
    with StubLLM("a + b = b + a\ni0 + a = a") as stub:
        code, out, err = run_cli(["seed", str(PEANO_PATH), "--llm", stub.url, "--model", "m",
                                  "--using", str(run), "--json", "--no-prove"], capsys)
    assert code == 0, err
    seeds = json.loads(out)["seeds"]
    assert all(s["status"] == "rejected" and "already proved as T" in s["reason"] for s in seeds)
    assert "Proved so far:" in stub.requests[0]["messages"][-1]["content"]


@pytest.mark.parametrize("argv, message", [
    (["seed", "nope.mpl", "--from", "-"], "no such theory file"),
    (["seed", str(PEANO_PATH)], "give --from"),
    (["seed", str(PEANO_PATH), "--llm", "http://127.0.0.1:9/v1"], "needs --model"),
    (["seed", str(PEANO_PATH), "--from", "/nonexistent/seeds.txt"], "cannot read seeds"),
    (["seed", str(PEANO_PATH), "--from", "-", "--using", "/nonexistent"], "no proof_graph.json"),
    (["seed", str(PEANO_PATH), "--llm", "ftp://x", "--model", "m"], "http://"),
])
def test_cli_user_errors_exit_2(argv, message, capsys, monkeypatch):
    import io
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, out, err = run_cli(argv, capsys)
    assert code == 2
    assert err.startswith("error: ") and message in err
    assert "Traceback" not in err


def test_cli_unreachable_llm_exits_2(capsys):
    with StubLLM("x") as stub:
        url = stub.url
    code, _, err = run_cli(["seed", str(PEANO_PATH), "--llm", url, "--model", "m",
                            "--retries", "1", "--timeout", "2"], capsys)
    assert code == 2 and err.startswith("error: llm: ")


def test_cli_bad_theory_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.mpl"
    bad.write_text("def broken[a] := (in[a,b]\n")
    code, _, err = run_cli(["seed", str(bad), "--from", "-"], capsys)
    assert code == 2 and "bad.mpl:" in err and "Traceback" not in err
