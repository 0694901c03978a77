"""The ``genlogic`` command line: check, prove, verify, export, similar, seed, tip, serve, vsa.

Every user mistake (bad MPL, missing file, bad option) prints one clear message and
exits 2; no traceback reaches the user.  ``prove`` exits 0 when every goal (or, in
exploration, every run) succeeded and 1 otherwise; ``verify`` exits 1 on any failure, 2 when a theory file was edited since the run.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .mpl.errors import MPLError

__all__ = ["main"]


class UserError(Exception):
    """A mistake in what the user asked for (exit code 2)."""


def _positive_int(text: str) -> int:
    """argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _positive_seconds(text: str) -> float:
    """argparse type: a number of seconds greater than 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0:                       # also refuses nan
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, not {text}")
    return value


def _console(markup: bool = True):
    from rich.console import Console
    return Console(highlight=False, soft_wrap=True, markup=markup)


def _load(path: str):
    from .mpl.theory import load
    if not Path(path).exists():
        raise UserError(f"{path}: no such theory file")
    return load(path)


# -- check -------------------------------------------------------------------------------
def cmd_check(args) -> int:
    from .mpl.readable import readable
    if args.gl_config:
        from .mpl.gl_reader import load_gl
        theory = load_gl(args.gl_config, args.definitions)
    elif args.file:
        theory = _load(args.file)
    else:
        raise UserError("check: give a theory FILE or --gl-config CONFIG.json")
    goals = list(theory.goals)
    if args.goals:
        goals += theory.goals_from(args.goals)
    from .mpl.signature import derive_signature
    from .mpl.sorts import sorts_of
    signatures = {a.name: derive_signature(theory, a.name) for a in theory.anchors}
    out = _console(markup=False)          # names may hold '[' and '/': print them as they are
    defs = [d for d in theory.definitions.values() if not d.is_anchor]
    out.print(f"{theory.path}", style="bold")
    out.print(f"definitions ({len(defs)}): {', '.join(d.name for d in defs)}")
    for anchor in theory.anchors:
        sig = signatures[anchor.name]
        ops = sig.operator_names
        out.print(f"anchor {anchor.name}[{', '.join(anchor.params)}]: {len(sig.axioms)} axioms")
        out.print("  sets: " + (", ".join(str(sort) for sort in sorts_of(sig).values()) or "-"))
        out.print("  operators: " + ("; ".join(str(op) for op in sig.operators) or "-"))
        out.print("  constants: " + ("; ".join(str(c) for c in sig.constants) or "-"))
        out.print("  relations: " + (", ".join(sig.relations) or "-"))
        if sig.induction:
            for ind in sig.induction:
                out.print(f"  induction axiom: {ind}")
                out.print(f"    {readable(ind.expr, ops)}")
        else:
            out.print("  induction axiom: none")
        if args.axioms:
            for axiom in sig.axioms:
                out.print(f"    axiom: {readable(axiom, ops)}")
        for goal in goals:
            if goal.anchor == anchor.name:
                out.print(f"  goal {goal.name}: {readable(goal.expr, ops)}")
    return 0


# -- prove -------------------------------------------------------------------------------
def _prove_options(args):
    from .blocks.prover import ProveOptions
    if args.nested < 0:
        raise UserError("--nested must be 0 or more")
    limit = args.goal_time_limit if args.goal_time_limit is not None else ProveOptions().time_limit
    return ProveOptions(induction=not args.no_induction, time_limit=limit, nested=args.nested)


def _print_goal_table(result, out) -> None:
    from rich.markup import escape
    from rich.table import Table
    table = Table(title="genlogic prove")
    for col in ("goal", "statement", "status", "method", "lemmas", "steps", "time"):
        table.add_column(col, no_wrap=col in ("goal", "status"),
                         overflow="fold" if col == "lemmas" else "ellipsis")
    for g in result.goals:
        style = {"Theorem": "green", "CounterSatisfiable": "red"}.get(g.status, "yellow")
        table.add_row(escape(g.name), escape(g.readable), f"[{style}]{g.status}[/{style}]",
                      escape(g.method or "-"), escape(", ".join(g.lemmas) or "-"),
                      str(g.steps), f"{g.seconds:.2f}s")
    out.print(table)


def cmd_prove(args) -> int:
    theory = _load(args.theory)
    out_dir = Path(args.out) if args.out else Path("proofs_out") / Path(args.theory).stem
    if args.using and not (Path(args.using) / "proof_graph.json").exists():
        raise UserError(f"--using {args.using}: no proof_graph.json there")
    if args.goals or theory.goals:
        from .explore.goals import prove_goals
        from .explore.model import refuter
        goals = list(theory.goals) + (theory.goals_from(args.goals) if args.goals else [])
        if not goals:
            raise UserError(f"{args.goals}: no goals")
        from .explore.goals import GOAL_BUDGET, ImportRefused
        try:
            result = prove_goals(theory, goals, _prove_options(args), using=args.using,
                                 refute=refuter(theory, goals[0].anchor),
                                 discover=not args.no_lemmas,
                                 time_limit=args.time_limit or GOAL_BUDGET)
        except ImportRefused as exc:
            raise UserError(str(exc)) from None
        _write_outputs(out_dir, result.graph, args)
        if args.json:
            print(json.dumps(result.summary(), indent=1, ensure_ascii=False))
        elif not args.quiet:
            out = _console()
            _print_goal_table(result, out)
            out.print(f"{sum(g.status == 'Theorem' for g in result.goals)}/{len(result.goals)} "
                      f"goals proved in {result.seconds:.2f}s; proof graph: {out_dir}/proof_graph.json")
        return 0 if result.all_proved else 1
    _check_explorable(theory, args.theory)
    if args.seeds:
        from .mpl.errors import read_source
        read_source(args.seeds, "seeds file")     # unreadable or not UTF-8: a located error
    from .explore.explorer import explore_cli
    return explore_cli(theory, out_dir, args, _prove_options(args))


def _check_explorable(theory, path: str) -> None:
    """Exploration conjectures equations between operator terms: it needs an operator."""
    sig = theory.signature
    if not sig.operators:
        raise UserError(f"{path}: anchor {sig.anchor!r} has no operators (functions written as "
                        "total single-valued relations, as in axioms/peano.mpl): nothing to "
                        "explore (give goals with --goals instead)")


def _write_outputs(out_dir: Path, graph: dict, args) -> None:
    from .proof.graph import write_graph
    write_graph(out_dir / "proof_graph.json", graph)
    try:
        from .export import export_all
    except ImportError:
        return
    export_all(out_dir)


# -- verify ------------------------------------------------------------------------------
def cmd_verify(args) -> int:
    from .verify import verify_path
    target = Path(args.dir)
    if not target.exists():
        raise UserError(f"{target}: no such proof folder or file")
    report = verify_path(target, theory_path=args.theory)
    coq, coq_problem, coq_code = _verify_coq(target) if args.coq else (None, None, 0)
    if args.json:
        out = report.to_json()
        if args.coq:
            out["coq"] = coq.to_json() if coq is not None else {"ok": False,
                                                                "error": coq_problem}
        print(json.dumps(out, indent=1))
    else:
        for line in report.lines():
            print(line)
        if coq is not None:
            for line in coq.lines():
                print(line)
    if coq_problem is not None:
        print(f"error: {coq_problem}", file=sys.stderr)
    return report.exit_code or coq_code


def _verify_coq(target: Path):
    """(report, problem, exit code) of the Coq check: exit 1 when coqc rejects or the
    graph cannot be exported, 3 when coqc is not installed."""
    from .export.coq import CoqExportError
    from .export.coq_check import CoqUnavailable, check_coq
    try:
        coq = check_coq(target)
    except CoqUnavailable as exc:
        return None, f"coq: {exc}", 3
    except CoqExportError as exc:
        return None, f"coq: the graph cannot be exported to Coq: {exc}", 1
    return coq, None, 0 if coq.ok else 1


# -- export ------------------------------------------------------------------------------
def cmd_export(args) -> int:
    from .export import GraphError, export_all
    target = Path(args.dir)
    if not (target / "proof_graph.json").exists():
        raise UserError(f"{target}: no proof_graph.json there")
    if args.coq:
        from .export.coq import CoqExportError, export_coq
        try:
            path, script = export_coq(target)
        except CoqExportError as exc:
            raise UserError(f"{target}: cannot export to Coq: {exc}") from None
        except OSError as exc:
            raise UserError(f"{target}: cannot write the Coq script: {exc}") from None
        unused = f"; {script.unused} steps of undischarged blocks left out" \
            if script.unused else ""
        print(f"wrote {path}: {len(script.theorems)} theorems, {script.steps} steps{unused}")
        return 0
    try:
        written = export_all(target)
    except GraphError as exc:               # malformed graph: one line, nothing written
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(f"{target}: cannot write the site: {exc}") from None
    print(f"wrote {len(written)} files to {target}")
    return 0


# -- similar -----------------------------------------------------------------------------
def cmd_similar(args) -> int:
    """The proved theorems of a run nearest to a statement (MPL or readable form): the
    same statement up to renaming first (score 1), then by MBAT cosine."""
    import numpy as np

    from .export.model import derived_operators, theory_signature
    from .mpl.infix import is_mpl_text, parse_statement
    from .mpl.locate import LocateError, read_graph_file
    from .mpl.meaning import meaning_key
    from .mpl.parser import parse_expr
    from .mpl.readable import readable
    from .vsa import Encoder, Index
    target = Path(args.dir)
    if not (target / "proof_graph.json").exists():
        raise UserError(f"{target}: no proof_graph.json there")
    if args.k < 1 or args.dim < 1:
        raise UserError("-k and --dim must be 1 or more")
    try:
        graph = read_graph_file(target)
    except LocateError as exc:
        raise UserError(str(exc)) from None
    theorems = graph.get("theorems")
    if not isinstance(theorems, list):
        raise UserError(f"{target}: the proof graph's field 'theorems' should be a list")
    if not theorems:
        raise UserError(f"{target}: the run has no theorems")
    if is_mpl_text(args.statement.strip()):
        query = parse_expr(args.statement, "<statement>")
    else:
        signature, why = theory_signature(graph, target)
        if signature is None:
            raise UserError(f"a readable statement needs the run's theory ({why}); "
                            f"give the statement in MPL")
        query = parse_statement(args.statement, signature)
    statements = []
    for position, t in enumerate(theorems):
        where = f"{target}: theorem at position {position}"
        if not isinstance(t, dict):
            raise UserError(f"{where} is not a JSON object")
        for key in ("id", "mpl"):
            if not isinstance(t.get(key), str):
                raise UserError(f"{where}: field {key!r} should be a string")
        try:
            statements.append(parse_expr(t["mpl"], "<graph>"))
        except MPLError as exc:
            raise UserError(f"{where} ({t['id']}): mpl is not MPL: {exc.message}") from None
    operators = derived_operators(graph, target)      # readable text is derived, not stored
    encoder = Encoder(dim=args.dim)
    index = Index(args.dim)
    vectors = np.stack([encoder.encode_mpl(s) for s in statements])
    index.add(list(range(len(theorems))), vectors)
    ids, scores = index.search(encoder.encode_mpl(query)[None, :], min(args.k, len(theorems)))
    key = meaning_key(query)
    same = [i for i, statement in enumerate(statements) if meaning_key(statement) == key]
    ranked = [(i, 1.0) for i in same] + [(int(i), float(score)) for i, score in
                                        zip(ids[0], scores[0]) if int(i) not in same]
    for i, score in ranked[:args.k]:
        t = theorems[i]
        print(f"{score:6.3f}  {t['id']:>6}  {readable(statements[i], operators)}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="genlogic",
                                     description="A deterministic reasoning engine for MPL theories.")
    parser.add_argument("--version", action="version", version=f"genlogic {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("check", help="read a theory and print its derived signature")
    p.add_argument("file", nargs="?", help="theory file (.mpl)")
    p.add_argument("--goals", help="a goals file to check against the theory")
    p.add_argument("--gl-config", help="a Config*.json of the earlier system's layout")
    p.add_argument("--definitions", help="its definitions folder (default: ../definitions)")
    p.add_argument("--axioms", action="store_true", help="also list every axiom")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("prove", help="prove goals, or explore a theory when none are given")
    p.add_argument("theory", help="theory file (.mpl)")
    p.add_argument("--goals", help="goals file (theorem lines); without it: explore")
    p.add_argument("--out", help="output folder (default proofs_out/THEORY)")
    p.add_argument("--using", help="use the theorems of an earlier run (its output folder)")
    p.add_argument("--no-induction", action="store_true", help="forbid induction")
    p.add_argument("--nested", type=int, default=0, metavar="N",
                   help="inductions allowed inside an induction's cases (case analysis; "
                        "default 0)")
    p.add_argument("--json", action="store_true", help="print a JSON summary instead of tables")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    p.add_argument("--goal-time-limit", type=_positive_seconds, default=None, metavar="S",
                   help="seconds per proof attempt of a goal or conjecture (default 20 with "
                        "goals, 5 when exploring)")
    p.add_argument("--time-limit", type=_positive_seconds, default=None, metavar="S",
                   help="seconds for the whole run (default 60 with goals; no limit when "
                        "exploring); a valid partial graph is written")
    p.add_argument("--no-lemmas", action="store_true",
                   help="with goals: prove each goal from the axioms and the other goals only, "
                        "with no search for lemmas")
    p.add_argument("--max-size", type=_positive_int, default=None,
                   help="largest term size to conjecture")
    p.add_argument("--max-vars", type=_positive_int, default=None, help="variables per conjecture")
    p.add_argument("--model-size", type=_positive_int, default=None,
                   help="numerals in the ground model")
    p.add_argument("--seeds", help="conjectures to try first, one per line (MPL or readable)")
    p.add_argument("--executor", choices=["serial", "processes", "dask"], default="processes",
                   help="where exploration attempts run: the results are byte-identical "
                        "(default processes, one worker per core)")
    p.add_argument("--workers", type=_positive_int, default=None,
                   help="worker processes for --executor processes or dask (default: cores)")
    p.add_argument("--dask-address", default=None, metavar="tcp://HOST:PORT",
                   help="scheduler of a running dask cluster (default: a LocalCluster)")
    p.add_argument("--resume", action="store_true",
                   help="continue an interrupted exploration from OUT/journal.jsonl")
    p.set_defaults(func=cmd_prove)

    p = sub.add_parser("verify", help="re-check every step of a proof graph")
    p.add_argument("dir", help="output folder of a run (or a proof_graph.json)")
    p.add_argument("--theory", help="theory file (default: found from the graph)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--coq", action="store_true",
                   help="also check every theorem with Coq: export the proofs as a Coq script "
                        "and run coqc on it (exit 1 when coqc rejects it, 3 when coqc is not "
                        "installed)")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("export", help="regenerate the HTML site, TSTP and DOT from proof_graph.json")
    p.add_argument("dir", help="output folder of a run")
    p.add_argument("--coq", action="store_true",
                   help="write only the Coq script DIR/proof.v (one Theorem per theorem, "
                        "checked by coqc; see genlogic verify --coq)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("similar", help="proved theorems of a run nearest to a statement")
    p.add_argument("dir", help="output folder of a run")
    p.add_argument("statement", help="a statement in readable form, e.g. \"a + b = b + a\", "
                                     "or in MPL, e.g. (>[a,b,c](in3[a,b,c,+])(in3[b,a,c,+]))")
    p.add_argument("-k", type=int, default=10, help="how many theorems to list")
    p.add_argument("--dim", type=int, default=1024, help="vector dimension")
    p.set_defaults(func=cmd_similar)

    from .explore.seeding import add_parsers as add_seed
    add_seed(sub)
    from .explore.tip import add_parsers as add_tip
    add_tip(sub)
    from .service.cli import add_parsers as add_serve
    add_serve(sub)

    try:
        from .vsa.cli import add_parsers as add_vsa
    except ImportError:
        add_vsa = None
    if add_vsa is not None:
        add_vsa(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from .backend import BackendError, resolve_backend
    from .mpl.theory import theory_byte_limit
    try:
        resolve_backend()                   # a bad GENLOGIC_BACKEND is a message, up front
        theory_byte_limit()                 # and so is a bad GENLOGIC_MAX_THEORY_BYTES
        return args.func(args)
    except MPLError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (UserError, BackendError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:                  # e.g. --out names a file, or a folder not writable
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except RecursionError:                  # last resort: some walk met a very deep input
        print("error: the input is nested too deeply (a chain of definitions, or an "
              "expression, deeper than genlogic's walks can follow); write it flatter",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
