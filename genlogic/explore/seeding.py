"""Conjecture seeding from outside (DESIGN 9, issue 9): a file, stdin or an LLM.

A seed is one line of text: a statement in readable form (``a + b = b + a``, see
``genlogic.mpl.infix``) or in MPL.  No seed is ever trusted.  ``seed`` runs every line
through the same pipeline:

1. parse      - readable or MPL; a syntax error rejects the line with its column;
2. type check - relations, arities, free names (the anchor's parameters only), operators
                used with their own relation (``in2``/``in3``) and one set per name;
3. model      - a counterexample on the ground model refutes the seed (shown in the
                reason with the user's own variable names);
4. de-dupe    - against the proved theorems and the earlier seeds, up to renaming of
                bound variables (``alpha_key``);
5. rank       - MBAT cosine similarity to the proved theorems (and failed goals), minus
                a size penalty: ``score = similarity - 0.1 * atoms``, best first;
6. prove      - in rank order with the kernel-backed ``Prover``; every proof is recorded as
                a theorem so later seeds may use it; open seeds get another pass after a
                pass that proved something.  A seed is ``proved`` or stays ``open``.

``llm_lines`` asks an OpenAI-compatible chat-completions endpoint for lines (urllib,
timeouts, retries with exponential backoff, bounded tokens and lines); ``build_prompt``
writes the prompt from the theory's axioms in readable form.  ``add_parsers`` registers
the ``genlogic seed`` command.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from ..mpl.ast import Atom, Expr, Implies, alpha_key, atoms, size
from ..mpl.errors import MPLError
from ..mpl.infix import ParsedStatement, is_mpl_text, parse_readable
from ..mpl.parser import parse_expr
from ..mpl.printer import to_mpl
from ..mpl.readable import readable, term_text
from ..mpl.signature import FUNCTION_RELATIONS

__all__ = ["SeedResult", "LLMError", "seed", "llm_lines", "build_prompt", "clean_line",
           "add_parsers", "SIZE_WEIGHT", "MODEL_SIZE"]

STATUSES = ("proved", "refuted", "rejected", "open")
SIZE_WEIGHT = 0.1          # rank score = similarity - SIZE_WEIGHT * atoms
MODEL_SIZE = 6             # numerals 0..5 in the ground model built when none is given
MAX_LINE = 1000            # characters; longer lines are rejected
SWEEPS = 2                 # extra proving passes over open seeds after progress


@dataclass
class SeedResult:
    """What became of one seed line.

    ``status`` is ``proved`` | ``refuted`` | ``rejected`` | ``open``; ``reason`` says why
    (the parse error with its column, the counterexample, the duplicate, the method).
    ``readable`` is the statement in readable form once it parsed.  ``rank`` is the
    seed's place in the proving order (0 first; None when it never got there).
    """

    text: str
    mpl: str | None
    status: str
    reason: str
    readable: str | None = None
    line: int = 0                                  # 1-based line number in the input
    rank: int | None = None
    score: float | None = None
    name: str | None = None                        # theorem name when proved
    method: str | None = None
    counterexample: dict | None = None
    expr: Expr | None = field(default=None, repr=False, compare=False)

    @property
    def theorem(self) -> str | None:
        """The readable statement (alias of ``readable``)."""
        return self.readable

    def to_json(self) -> dict:
        return {"text": self.text, "mpl": self.mpl, "status": self.status,
                "reason": self.reason}


class LLMError(Exception):
    """The LLM endpoint could not be reached or gave no usable answer."""


# -- type check -------------------------------------------------------------------------
def _type_check(expr: Expr, signature) -> None:
    """Operators with their own relation and one set per name; raises MPLError."""
    if not isinstance(expr, Implies):
        raise MPLError("type error: a statement is an implication (>[x..] P Q)")
    ops = {op.name: op for op in signature.operators}
    sorts: dict[str, str] = {c.name: c.type for c in signature.constants}
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    def shown(x: str) -> str:
        return x.replace("#", "bound variable ") if x.startswith("#") else repr(x)

    def assign(x: str, sort: str) -> None:
        root = find(x)
        have = sorts.get(root)
        if have is not None and have != sort:
            raise MPLError(f"type error: {shown(x)} is used in {have} and in {sort}")
        sorts[root] = sort

    def unify(x: str, y: str) -> None:
        rx, ry = find(x), find(y)
        if rx == ry:
            return
        sx, sy = sorts.get(rx), sorts.get(ry)
        if sx is not None and sy is not None and sx != sy:
            raise MPLError(f"type error: {shown(x)} (in {sx}) equated with {shown(y)} (in {sy})")
        if sx is not None:
            rx, ry = ry, rx                       # keep the sorted root
        parent[rx] = ry

    keyed = alpha_key(expr)                       # every binder gets a name of its own
    for atom in atoms(keyed):
        if atom.name in FUNCTION_RELATIONS:
            f = atom.args[-1]
            op = ops.get(f)
            if op is None:
                if f in signature.relations:
                    continue
                raise MPLError(f"type error: {atom.name}[...] needs an operator of the theory "
                               f"as its last argument, got {shown(f)}")
            if op.relation != atom.name:
                raise MPLError(f"type error: {f!r} takes {op.arity} argument(s); "
                               f"use {op.relation}, not {atom.name}")
            n_in = FUNCTION_RELATIONS[atom.name]
            for arg, dom in zip(atom.args[:n_in], op.domain):
                assign(arg, dom)
            assign(atom.args[n_in], op.codomain)
        elif atom.name == "in" and atom.args[1] in signature.sets:
            assign(atom.args[0], atom.args[1])
        elif atom.name == "=":
            unify(*atom.args)


def _check(theory, text: str, expr: Expr, anchor: str | None, signature) -> None:
    if is_mpl_text(text):
        theory.parse(text, anchor)                # relations, arity, free names, with column
    else:
        theory.parse(to_mpl(expr), anchor)
    _type_check(expr, signature)


def _reject_reason(exc: MPLError) -> str:
    where = f"column {exc.column}: " if exc.column else ""
    return f"{where}{exc.message}"


# -- counterexamples --------------------------------------------------------------------
def _plain(term):
    """A term of ``genlogic.explore.terms`` in ``readable.term_text``'s format."""
    if term[0] in ("v", "c"):
        return term[1]
    return (term[0], tuple(_plain(a) for a in term[1:]))


def _counterexample_text(found: dict, expr: Implies, parsed: ParsedStatement | None,
                         model, operators) -> str:
    if parsed is not None:
        back = {canon: user for user, canon in parsed.variables.items()}
        shown = ", ".join(f"{back[k]} = {v}" for k, v in found.items() if k in back)
        concl = expr.conclusion
        if len(parsed.conclusions) == 1 and isinstance(concl, Atom) and concl.name == "=":
            values = [found.get(x, model.constants.get(x)) for x in concl.args]
            if None not in values:
                left, right = parsed.conclusions[0]
                lt, rt = term_text(_plain(left), operators), term_text(_plain(right), operators)
                detail = f"{lt} = {values[0]} but {rt} = {values[1]}"
                return f"counterexample: {shown}: {detail}" if shown else \
                    f"counterexample: {detail}"
        return f"counterexample: {shown}" if shown else "counterexample found on the model"
    return "counterexample: " + ", ".join(f"{k} = {v}" for k, v in found.items())


# -- the pipeline -----------------------------------------------------------------------
def _as_expr(item) -> Expr:
    return parse_expr(item) if isinstance(item, str) else item


def seed(theory, lines: Iterable[str], *, anchor: str | None = None, prove: bool = True,
         prover=None, model=None, proved: Sequence = (), failed: Sequence = (),
         lemmas: bool = True, time_limit: float | None = 60.0) -> list[SeedResult]:
    """Parse, check, refute, de-duplicate, rank and (optionally) prove seed lines.

    Proving is goal-directed (``explore.goals``): each seed directly or by induction
    first, then (``lemmas``) the open ones with lemmas found by exploring their
    signature slice, within ``time_limit`` seconds for that search.

    ``theory`` is a loaded theory (``genlogic.load`` or ``genlogic.mpl.theory.load``);
    ``prover`` a ``genlogic.blocks.prover.Prover`` to use (and to record proved seeds
    in), else one is made; ``model`` a ``GroundModel`` (else built with MODEL_SIZE
    numerals); ``proved`` statements already proved (Expr or MPL text) and ``failed``
    goals that failed, both used for de-duplication (proved) and ranking (both).
    Returns one result per non-blank, non-comment line, in input order.

    >>> import genlogic                                                   # doctest: +SKIP
    >>> theory = genlogic.load("axioms/peano.mpl")                        # doctest: +SKIP
    >>> [r.status for r in seed(theory, ["i0 + a = a", "a + b = a", "a +"])]  # doctest: +SKIP
    ['proved', 'refuted', 'rejected']
    """
    from ..blocks.prover import ProveOptions, Prover
    from .model import GroundModel

    if isinstance(lines, str):
        lines = lines.splitlines()
    if prover is None:
        prover = Prover(theory, anchor, ProveOptions(witnesses=60, time_limit=5.0))
    signature = prover.signature
    anchor_name = anchor if anchor is not None else signature.anchor
    operators = signature.operator_names
    if model is None:
        try:
            model = GroundModel.build(prover, MODEL_SIZE)
        except ValueError:
            model = None                          # no induction axiom: no ground model

    results: list[SeedResult] = []
    parsed_of: dict[int, ParsedStatement | None] = {}
    for number, raw in enumerate(lines, start=1):
        text = raw.strip() if isinstance(raw, str) else ""
        if not isinstance(raw, str):
            results.append(SeedResult(repr(raw), None, "rejected", "not a line of text",
                                      line=number))
            continue
        if not text or text.startswith("#"):
            continue
        result = SeedResult(text, None, "rejected", "", line=number)
        results.append(result)
        if len(text) > MAX_LINE:
            result.reason = f"line too long ({len(text)} characters, at most {MAX_LINE})"
            continue
        try:
            if is_mpl_text(text):
                expr, parsed = parse_expr(text, "<statement>"), None
            else:
                parsed = parse_readable(text, signature)
                expr = parsed.expr
            _check(theory, text, expr, anchor_name, signature)
        except MPLError as exc:
            result.reason = _reject_reason(exc)
            continue
        except RecursionError:
            result.reason = "statement nested too deeply"
            continue
        result.expr, result.mpl = expr, to_mpl(expr)
        result.readable = readable(expr, operators)
        parsed_of[id(result)] = parsed
        found = model.refute(expr) if model is not None else None
        if found is not None:
            result.status, result.counterexample = "refuted", found
            result.reason = _counterexample_text(found, expr, parsed, model, operators)

    # de-duplicate against proved theorems and earlier seeds
    known: dict[Expr, str] = {}
    for name, statement in getattr(getattr(prover, "session", None), "theorems", {}).items():
        known.setdefault(alpha_key(statement), f"already proved as {name}")
    references = [_as_expr(p) for p in proved]
    for statement in references:
        known.setdefault(alpha_key(statement), "already proved")
    references += list(getattr(getattr(prover, "session", None), "theorems", {}).values())
    references += [_as_expr(f) for f in failed]
    seen: dict[Expr, SeedResult] = {}
    candidates: list[SeedResult] = []
    for result in results:
        if result.expr is None or result.status == "refuted":
            continue
        key = alpha_key(result.expr)
        if key in known:
            result.reason = f"duplicate: {known[key]} (same statement up to renaming)"
            continue
        if key in seen:
            result.reason = f"duplicate of line {seen[key].line} (same statement up to renaming)"
            continue
        seen[key] = result
        candidates.append(result)

    _rank(candidates, references)
    for result in candidates:
        result.status = "open"
        result.reason = "not attempted (survived the model)" if not prove else ""
    if prove:
        _prove_all(prover, candidates)
        still = [r for r in candidates if r.status == "open"]
        if still and lemmas:
            _prove_with_lemmas(theory, anchor, prover, still, time_limit)
    for result in results:
        if result.status == "refuted" and not result.reason:
            result.reason = "counterexample found on the model"
    return results


_ENCODER: list = []


def _encoder():
    """One shared MBAT encoder (default dimension): vectors are the same in any process."""
    if not _ENCODER:
        from ..vsa import Encoder
        _ENCODER.append(Encoder())
    return _ENCODER[0]


def _rank(candidates: list[SeedResult], references: list[Expr]) -> None:
    import numpy as np

    if not candidates:
        return
    similarity = [0.0] * len(candidates)
    if references:
        encoder = _encoder()
        ref = np.stack([encoder.encode_mpl(r) for r in references])
        for i, result in enumerate(candidates):
            vec = encoder.encode_mpl(result.expr)
            similarity[i] = float(np.max(ref @ vec))
    for i, result in enumerate(candidates):
        result.score = round(similarity[i] - SIZE_WEIGHT * size(result.expr), 6)
    order = sorted(range(len(candidates)), key=lambda i: (-candidates[i].score, i))
    ranked = [candidates[i] for i in order]
    for rank, result in enumerate(ranked):
        result.rank = rank
    candidates[:] = ranked


def _fresh_name(prover, counter: list[int]) -> str:
    taken = getattr(prover.session, "theorems", {})
    while True:
        counter[0] += 1
        name = f"S{counter[0]:03d}"
        if name not in taken:
            return name


def _prove_all(prover, candidates: list[SeedResult]) -> None:
    counter = [0]
    pending = list(candidates)
    tried: dict[int, list[str]] = {}
    for sweep in range(SWEEPS + 1):
        progress = False
        still = []
        for result in pending:
            try:
                attempt = prover.prove(result.expr)
            except Exception as exc:              # an untrusted seed may upset the prover
                result.reason = f"prover error: {type(exc).__name__}: {exc}"
                continue
            tried[id(result)] = attempt.tried
            if attempt.fact is None:
                still.append(result)
                continue
            name = _fresh_name(prover, counter)
            try:
                prover.record(name, attempt)
            except Exception as exc:
                result.reason = f"proved but not recorded: {exc}"
                result.status = "open"
                continue
            result.status, result.name, result.method = "proved", name, attempt.method
            result.reason = f"proved ({attempt.method}) as {name} in {attempt.seconds:.2f}s"
            progress = True
        pending = still
        if not progress or not pending:
            break
    for result in pending:
        how = ", ".join(tried.get(id(result), [])) or "nothing"
        result.reason = f"not proved within the limits (tried: {how})"


def _prove_with_lemmas(theory, anchor, prover, pending: list[SeedResult],
                       time_limit: float | None) -> None:
    from .goals import discover, explorable, lemmas_of

    if not explorable(prover):
        return
    counter = [0]
    names = {}
    for result in pending:
        name = _fresh_name(prover, counter)
        while name in names:
            name = _fresh_name(prover, counter)
        names[name] = result
    run = discover(theory, anchor, prover, [(n, r.expr) for n, r in names.items()], time_limit)
    readable_of = {e["id"]: e["readable"] for e in run.theorems}
    for entry in run.theorems:
        result = names.get(entry["id"])
        if result is None or entry["origin"] != "goal":
            continue
        used = lemmas_of(run.theorems, entry["id"])
        result.status, result.name, result.method = "proved", entry["id"], entry["method"]
        result.reason = f"proved ({entry['method']}) as {entry['id']}" + (
            " with lemmas " + "; ".join(f"{n}: {readable_of[n]}" for n in used) if used else "")
    for result in pending:
        if result.status == "open":
            result.reason += f"; lemma search: {run.stop_reason}"


# -- LLM ------------------------------------------------------------------------------------
_BULLET = re.compile(r"^\s*(?:[-*•]\s+|\d{1,3}[.)]\s+|\[\d{1,3}\]\s+)")


def clean_line(line: str) -> str:
    """Strip list bullets, numbering and surrounding backticks from one answer line."""
    line = line.strip()
    line = _BULLET.sub("", line, count=1)
    line = line.strip()
    if len(line) >= 2 and line[0] == line[-1] == "`":
        line = line.strip("`").strip()
    return line


def _endpoint(url: str) -> str:
    url = url.rstrip("/")
    return url if url.endswith("/chat/completions") else url + "/chat/completions"


def llm_lines(url: str, model: str, prompt: str, *, api_key_env: str = "OPENAI_API_KEY",
              timeout: float = 30, retries: int = 3, max_tokens: int = 512,
              max_lines: int = 50, backoff: float = 0.5) -> list[str]:
    """Ask an OpenAI-compatible chat-completions endpoint; the answer's lines.

    ``url`` is the API base (``http://host:port/v1``) or the full
    ``.../chat/completions`` address.  The API key, when the environment variable
    ``api_key_env`` is set, goes in an ``Authorization: Bearer`` header.  A failed
    request (connection error, timeout, HTTP 429 or 5xx) is retried ``retries`` times
    after ``backoff * 2**i`` seconds; other HTTP errors and unreadable answers raise
    :class:`LLMError` at once.  At most ``max_lines`` non-empty lines come back (code
    fences dropped, bullets stripped); they are not trusted: ``seed`` checks each.
    """
    body = json.dumps({
        "model": model,
        "messages": [
            {"role": "system", "content": "You propose mathematical conjectures, one per "
                                          "line, with no commentary."},
            {"role": "user", "content": prompt},
        ],
        "max_tokens": int(max_tokens),
        "temperature": 0,
    }).encode("utf-8")
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    key = os.environ.get(api_key_env) if api_key_env else None
    if key:
        headers["Authorization"] = f"Bearer {key}"
    endpoint = _endpoint(url)
    if not endpoint.startswith(("http://", "https://")):
        raise LLMError(f"{url}: the LLM address must start with http:// or https://")
    last = "no attempt made"
    for attempt in range(int(retries) + 1):
        if attempt:
            time.sleep(backoff * 2 ** (attempt - 1))
        request = urllib.request.Request(endpoint, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                raw = response.read(2_000_000)
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code} {exc.reason}"
            if exc.code == 429 or exc.code >= 500:
                continue
            raise LLMError(f"{endpoint}: {last}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            last = f"timed out after {timeout}s" if "timed out" in str(reason) \
                else f"cannot connect: {reason}"
            continue
        return _answer_lines(raw, endpoint, max_lines)
    raise LLMError(f"{endpoint}: {last} (after {int(retries) + 1} attempts)")


def _answer_lines(raw: bytes, endpoint: str, max_lines: int) -> list[str]:
    try:
        data = json.loads(raw.decode("utf-8"))
        content = data["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError, UnicodeDecodeError):
        raise LLMError(f"{endpoint}: not a chat-completions answer") from None
    if not isinstance(content, str):
        raise LLMError(f"{endpoint}: the answer has no text content")
    out: list[str] = []
    for line in content.splitlines():
        if line.strip().startswith("```"):
            continue
        line = clean_line(line)
        if line:
            out.append(line)
        if len(out) >= max_lines:
            break
    return out


def build_prompt(theory, proved_readable: Sequence[str] = (),
                 failed_readable: Sequence[str] = (), *, limit: int = 40) -> str:
    """The prompt for an LLM: the theory's axioms in readable form, the syntax to answer
    in, the theorems proved so far and the goals that failed (at most ``limit`` each)."""
    signature = theory.signature
    ops = signature.operator_names
    lines = [f"Structure {signature.anchor}. Axioms:"]
    lines += [f"  {readable(axiom, ops)}" for axiom in signature.axioms]
    lines.append("Operators: " + "; ".join(str(op) for op in signature.operators))
    if signature.constants:
        lines.append("Constants: " + "; ".join(str(c) for c in signature.constants))
    if proved_readable:
        lines.append("Proved so far:")
        lines += [f"  {t}" for t in list(proved_readable)[:limit]]
    if failed_readable:
        lines.append("Not yet proved (lemmas that would help are welcome):")
        lines += [f"  {t}" for t in list(failed_readable)[:limit]]
    lines += [
        "Propose new conjectures about this structure that are likely true, simplest first.",
        "Write exactly one per line, no numbering, no explanation, in this syntax:",
        "  equations between terms, infix for symbolic binary operators: x + y = y + x",
        "  calls for any operator: s(x), f(x, y); constants by name; other names are variables",
        "  conditional laws: x + z = y + z -> x = y",
    ]
    return "\n".join(lines)


# -- command line ---------------------------------------------------------------------------
def add_parsers(subparsers) -> None:
    """Register ``genlogic seed THEORY --from FILE|- [--llm URL --model NAME] [--json]``."""
    p = subparsers.add_parser(
        "seed", help="check and prove conjectures from a file, stdin or an LLM",
        description="Every seed is parsed (readable or MPL), type-checked, tried on the "
                    "ground model, de-duplicated, ranked and proved; the report says "
                    "proved, refuted (counterexample), rejected (why) or open.")
    p.add_argument("theory", help="theory file (.mpl)")
    p.add_argument("--from", dest="source", metavar="FILE",
                   help="one conjecture per line ('-' reads stdin)")
    p.add_argument("--llm", metavar="URL",
                   help="OpenAI-compatible API base, e.g. http://127.0.0.1:8000/v1")
    p.add_argument("--model", help="model name for --llm")
    p.add_argument("--api-key-env", default="OPENAI_API_KEY", metavar="VAR",
                   help="environment variable holding the API key (default OPENAI_API_KEY)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds per LLM request")
    p.add_argument("--retries", type=int, default=3, help="LLM retries after a failure")
    p.add_argument("--max-lines", type=int, default=50, help="LLM answer lines taken")
    p.add_argument("--max-tokens", type=int, default=512, help="LLM answer token bound")
    p.add_argument("--using", metavar="DIR",
                   help="start from the theorems of an earlier run (its output folder): "
                        "they are rules, duplicates of them are rejected, the LLM sees them")
    p.add_argument("--no-prove", action="store_true", help="check and rank only")
    p.add_argument("--json", action="store_true", help='print {"seeds": [...]} as JSON')
    p.set_defaults(func=cmd_seed)


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def cmd_seed(args) -> int:
    from pathlib import Path

    from ..mpl.theory import load

    if not args.source and not args.llm:
        return _fail("seed: give --from FILE (or - for stdin) and/or --llm URL --model NAME")
    if args.llm and not args.model:
        return _fail("seed: --llm needs --model NAME")
    if args.max_lines < 1 or args.retries < 0 or args.timeout <= 0 or args.max_tokens < 1:
        return _fail("seed: --max-lines, --max-tokens and --timeout must be positive, "
                     "--retries at least 0")
    if not Path(args.theory).is_file():
        return _fail(f"{args.theory}: no such theory file")
    if args.using and not (Path(args.using) / "proof_graph.json").is_file():
        return _fail(f"--using {args.using}: no proof_graph.json there")
    try:
        from ..blocks.prover import ProveOptions, Prover

        theory = load(args.theory)
        prover = Prover(theory, None, ProveOptions(witnesses=60, time_limit=5.0))
        proved_readable: list[str] = []
        failed: list[dict] = []
        if args.using:
            from ..proof.graph import read_graph
            from .goals import import_theorems
            try:
                entries = import_theorems(prover, args.using)
                failed = list(read_graph(args.using).get("failed", []))
            except (ValueError, KeyError, OSError) as exc:
                return _fail(f"--using {args.using}: {exc}")
            proved_readable = [e.get("readable", e["mpl"]) for e in entries]
        lines: list[str] = []
        if args.source == "-":
            lines += sys.stdin.read().splitlines()
        elif args.source:
            from ..mpl.errors import read_source
            lines += read_source(args.source, "seeds file").splitlines()   # MPLError below
        if args.llm:
            prompt = build_prompt(theory, proved_readable,
                                  [f.get("readable", f.get("mpl", "")) for f in failed])
            lines += llm_lines(args.llm, args.model, prompt, api_key_env=args.api_key_env,
                               timeout=args.timeout, retries=args.retries,
                               max_tokens=args.max_tokens, max_lines=args.max_lines)
        results = seed(theory, lines, prove=not args.no_prove, prover=prover,
                       failed=[f["mpl"] for f in failed if "mpl" in f])
    except MPLError as exc:
        return _fail(str(exc))
    except LLMError as exc:
        return _fail(f"llm: {exc}")
    if args.json:
        print(json.dumps({"seeds": [r.to_json() for r in results]}, indent=1,
                         ensure_ascii=False))
        return 0
    for r in results:
        print(f"{r.status:<8}  {r.text}")
        if r.readable and r.readable != r.text:
            print(f"{'':<8}  = {r.readable}")
        print(f"{'':<8}  {r.reason}")
    counts = {s: sum(r.status == s for r in results) for s in STATUSES}
    print(f"{len(results)} seeds: " + ", ".join(f"{n} {s}" for s, n in counts.items()))
    return 0
