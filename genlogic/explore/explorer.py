"""Autonomous exploration (DESIGN 6): conjecture, filter on the model, prove, compress.

The pipeline, in order:

1. ground model  - operator tables on 0..k from the axioms (``model.py``);
2. conjecture    - equations between terms grouped by value vectors (``terms.py``);
3. canonicalise  - MPL statements up to renaming; ground equations dropped;
4. counterexample filter - three-valued refutation on the whole model;
5. prove         - smallest first; direct (a corollary when it cites theorems), else by
                   induction; every proof makes a theorem that later attempts use; failed
                   conjectures are retried after a pass that proved something new;
6. compress      - the essential set: induction theorems that do not follow directly
                   from the other essential ones; the rest are marked derivable.
"""

from __future__ import annotations

import heapq
import resource
import time
from dataclasses import asdict, dataclass, field, replace
from typing import Callable

from ..blocks.prover import ProveOptions, Prover
from ..kernel import KernelError
from ..mpl.ast import Expr, alpha_key
from ..mpl.printer import to_mpl
from ..mpl.readable import readable
from ..mpl.theory import Theory
from ..proof.graph import graph_document
from .compress import essential_set
from .executor import ExecutorError, Task, make_executor, sigint_deferred
from .journal import Journal, JournalMismatch
from .model import GroundModel
from .terms import enumerate_classes, equation_statement, is_instance, term_size, term_vars

__all__ = ["ExploreOptions", "Run", "explore"]


@dataclass(frozen=True)
class ExploreOptions:
    """The few named limits of an exploration run."""
    max_size: int = 7          # symbols per side of an equation
    max_vars: int = 3          # variables per conjecture
    model_size: int = 10       # numerals 0..k-1 in the ground model
    value_range: int = 3       # variables range over 0..r-1 when grouping terms
    pair_window: int = 2       # a new term is paired with this many earlier class members
    time_limit: float | None = None   # seconds for the whole run
    sweeps: int = 1            # direct-only passes over the waiting conjectures at the end
    until_seeds: bool = False  # stop once every seed is proved ("seeds proved") or none
                               # is left to prove ("seeds settled")
    retry_window: int = 4      # waiting conjectures retried when a new rule arrives
    prove: ProveOptions = field(default_factory=lambda: ProveOptions(time_limit=5.0))


@dataclass
class Conjecture:
    statement: Expr
    size: tuple[int, int, int]    # (larger side, constants, smaller side): the order tried
    left: tuple
    right: tuple

    @property
    def equation(self) -> tuple:
        return (self.left, self.right)


@dataclass
class Run:
    theory: Theory
    theorems: list[dict]
    essential: list[str]
    funnel: dict
    timings: dict
    graph: dict
    stop_reason: str = "saturated"
    memory: dict = field(default_factory=dict)   # phase -> peak RSS (MB) of this process so far
    model: GroundModel | None = field(default=None, repr=False)   # the run's ground model

    def to_json(self) -> dict:
        return self.graph


def constants(term: tuple) -> int:
    """How many constant leaves a term has (laws about constants are tried after the
    general laws of the same size)."""
    if term[0] == "c":
        return 1
    if term[0] == "v":
        return 0
    return sum(constants(a) for a in term[1:])


def explore(theory: Theory, anchor: str | None = None,
            options: ExploreOptions = ExploreOptions(),
            progress: Callable[[dict], None] | None = None,
            seeds: list[str] | None = None, journal: Journal | None = None,
            executor_kind: str = "serial", workers: int | None = None,
            dask_address: str | None = None, prover: Prover | None = None,
            seed_names: list[str] | None = None, focus: frozenset[str] | None = None) -> Run:
    """Explore with no goal.  ``seeds`` are conjectures from outside (MPL or readable
    lines); each is parsed, filtered on the model and queued ahead of enumeration, and
    the run's ``stats["seeds"]`` says what became of it.  ``executor_kind`` ("serial" or
    "processes" or "dask", with ``workers``) changes only the speed.  ``journal`` records every
    attempt durably (and replays recorded ones when resuming).  Ctrl-C ends the proof
    loop early; the theorems proved so far are kept and the run is marked interrupted.

    Goal-directed use (``explore.goals``): ``prover`` continues in an existing prover
    (its options and theorems apply; serial executor only), and ``seed_names`` names
    the seeds, one per seed line: a proved seed becomes the theorem of that name
    (origin "goal") and every other theorem a lemma ``L001``, ``L002``, ...
    (origin "lemma").  ``focus`` restricts the model's tables and the conjectures to
    these operators and constants (a goal's signature slice)."""
    timings: dict[str, float] = {}
    start = time.perf_counter()
    deadline = start + options.time_limit if options.time_limit else None

    memory: dict[str, float] = {}

    def phase(name: str, since: float) -> float:
        now = time.perf_counter()
        timings[name] = round(timings.get(name, 0.0) + now - since, 4)
        memory[name] = peak_memory_mb()
        return now

    if prover is None:
        prover = Prover(theory, anchor, options.prove)
    elif executor_kind != "serial" or journal is not None:
        raise ValueError("an existing prover is explored serially and without a journal")
    signature = prover.signature
    operators = prover.operators
    conjecturing = signature if focus is None else replace(
        signature, operators=[op for op in signature.operators if op.name in focus],
        constants=[c for c in signature.constants if c.name in focus])
    t = time.perf_counter()
    # with a time limit, the model may take a third of it (then unknown entries stay unknown)
    model = GroundModel.build(prover, options.model_size,
                              start + options.time_limit / 3 if options.time_limit else None,
                              focus)
    t = phase("model", t)
    enumeration = enumerate_classes(conjecturing, model, options.max_size, options.max_vars,
                                    options.value_range, options.pair_window)
    candidates: list[Conjecture] = []
    seen: set = set()
    for number, (left, right) in enumerate(enumeration.equations):
        if deadline and number % 256 == 0 and time.perf_counter() > deadline:
            break                         # out of time: the conjectures made so far
        if not term_vars(left) and not term_vars(right):
            continue                      # ground facts about numerals are not laws
        statement = equation_statement(left, right, signature)
        if statement is None:
            continue
        key = alpha_key(statement)
        if key in seen:
            continue
        seen.add(key)
        sizes = sorted((term_size(left), term_size(right)))
        candidates.append(Conjecture(statement, (sizes[1], constants(left) + constants(right),
                                                 sizes[0]), left, right))
    t = phase("conjecture", t)
    survivors = []
    for number, c in enumerate(candidates):
        if deadline and number % 256 == 0 and time.perf_counter() > deadline:
            break                         # out of time: the ones filtered so far
        if model.refute(c.statement) is None:
            survivors.append(c)
    survivors.sort(key=lambda c: (c.size, to_mpl(c.statement)))
    seed_results, queued_seeds = [], []
    if seeds:      # outside conjectures go first, in their rank order
        from .seeding import seed as check_seeds
        seed_results = check_seeds(theory, seeds, anchor=anchor, prove=False, prover=prover,
                                   model=model)
        queued_seeds = sorted((r for r in seed_results if r.status == "open" and r.expr is not None),
                              key=lambda r: (r.rank if r.rank is not None else 0, r.line))
        front = [Conjecture(r.expr, (0, 0, i), None, None) for i, r in enumerate(queued_seeds)]
        taken = {alpha_key(c.statement) for c in front}
        survivors = front + [c for c in survivors if alpha_key(c.statement) not in taken]
    t = phase("counterexample filter", t)
    funnel = {"terms enumerated": enumeration.terms,
              "equations generated": len(enumeration.equations),
              "canonical conjectures": len(candidates),
              "type-correct": len(candidates),
              "survived counterexamples": len(survivors)}

    entries: list[dict] = []
    methods: dict[str, str] = {}
    stop_reason = "saturated"
    # smallest first.  A conjecture that fails waits.  Each new induction theorem (a new
    # rule) sends the smallest waiting conjectures - the most general laws - back into the
    # queue ahead of larger ones; when the queue runs dry, every waiting conjecture gets
    # another, direct attempt (a sweep for corollaries), at most ``options.sweeps`` times
    # and only after progress.
    queue = [(c.size, to_mpl(c.statement), i) for i, c in enumerate(survivors)]
    heapq.heapify(queue)
    waiting: list[tuple] = []
    given_up: list[tuple] = []
    blocked: dict[int, list[tuple]] = {}      # failed conjecture -> instances waiting on it
    proved_laws: list[tuple] = []
    proved_names: dict[int, str] = {}
    instances = 0
    counter = 0
    attempts = 0
    sweeps = 0
    proved_since_sweep = False
    tries: dict[int, int] = {}

    def task_for(queued: tuple, induction: bool | None) -> Task:
        index = queued[2]
        return Task(index, survivors[index].statement, induction, f"{index}_{tries.get(index, 0)}")

    # a proved seed takes its given name; every other theorem a fresh one (never a name
    # the session already holds, so a prover that proved goals before can continue)
    goal_names = {i: seed_names[r.line - 1] for i, r in enumerate(queued_seeds)} \
        if seed_names is not None else {}
    lemma_count = [0]

    def name_for(index: int) -> str:
        if index in goal_names:
            return goal_names[index]
        if seed_names is None:          # T + the theorem's number (journal replays included)
            number = counter + 1
            while f"T{number:03d}" in prover.session.theorems:
                number += 1
            return f"T{number:03d}"
        while True:
            lemma_count[0] += 1
            name = f"L{lemma_count[0]:03d}"
            if name not in prover.session.theorems and name not in seed_names:
                return name

    index_of = {alpha_key(c.statement): i for i, c in enumerate(survivors)}

    def stuck_conjectures(equations) -> list[tuple]:
        """Queue items for the open equations of a goal's failed induction cases, each
        generalised (its variables universally quantified) and kept when the model does
        not refute it; an equation already among the conjectures is moved up."""
        items = []
        for left, right in equations:
            if not term_vars(left) and not term_vars(right):
                continue
            statement = equation_statement(left, right, signature)
            if statement is None:
                continue
            key = alpha_key(statement)
            if key not in index_of:
                if key in seen or model.refute(statement) is not None:
                    continue                  # refuted, now or when it was enumerated
                seen.add(key)
                index_of[key] = len(survivors)
                sizes = sorted((term_size(left), term_size(right)))
                survivors.append(Conjecture(statement, (sizes[1], constants(left) + constants(right),
                                                        sizes[0]), left, right))
            index = index_of[key]
            if index in proved_names or tries.get(index, 0) > 0:
                continue
            # ahead of the enumerated conjectures one size larger, not of everything
            larger, consts, smaller = survivors[index].size
            items.append(((max(larger - 1, 1), consts, smaller), to_mpl(statement), index))
        return items

    if options.until_seeds and seeds and not queued_seeds:
        # every seed was refuted or rejected up front: nothing left to prove
        stop_reason = "seeds settled"
        given_up.extend(queue)
        queue = []
    executor = make_executor(executor_kind, prover, theory, anchor, options.prove, workers,
                             dask_address, deadline)
    try:
        while True:
            if not queue:
                if not (waiting and proved_since_sweep and sweeps < options.sweeps):
                    break
                # the sweep also gives blocked instances a try of their own
                everything = waiting + [i for items in blocked.values() for i in items]
                queue, waiting, blocked, proved_since_sweep = sorted(everything), [], {}, False
                heapq.heapify(queue)
                sweeps += 1
            item = heapq.heappop(queue)
            conjecture = survivors[item[2]]
            # an instance of a conjecture that failed waits for it: once the general law is
            # proved the instance is a corollary, and until then attempts are wasted
            blocker = None if conjecture.left is None else next(
                (w for w in waiting if survivors[w[2]].left is not None
                 and is_instance(survivors[w[2]].equation, conjecture.equation)), None)
            if blocker is not None:
                blocked.setdefault(blocker[2], []).append(item)
                continue
            # a plain substitution instance of a proved theorem says nothing new: counted
            if conjecture.left is not None and \
                    any(is_instance(law, conjecture.equation) for law in proved_laws):
                instances += 1
                continue
            if deadline and time.perf_counter() > deadline:
                stop_reason = "time-limit"
                given_up.append(item)
                given_up.extend(queue)
                break
            attempts += 1
            mpl = to_mpl(conjecture.statement)
            recorded = journal.recorded(attempts, mpl) if journal else None
            attempt = None
            if recorded is not None:
                entry = recorded.get("entry")
                if entry is not None and not (isinstance(entry, dict)
                                              and isinstance(entry.get("id"), str)):
                    raise JournalMismatch(f"{journal.path}: attempt {attempts}: malformed entry")
            else:
                induction = None if sweeps == 0 else False
                upcoming = [task_for(other, induction) for other in heapq.nsmallest(
                    2 * executor.workers, queue)] if executor.workers > 1 else []
                # a goal's failed induction cases suggest lemmas (serial, same prover)
                collecting = item[2] in goal_names and executor.workers == 1
                prover.collect_stuck = collecting
                try:
                    task = task_for(item, induction)
                    # ExecutorMismatch (an internal error) if the outcome answers another
                    # task: nothing is recorded from it
                    entry = executor.run(task, upcoming).entry_for(task)
                finally:
                    prover.collect_stuck = False
                if entry is None and collecting:
                    for queued in stuck_conjectures(prover.last_stuck):
                        heapq.heappush(queue, queued)
            tries[item[2]] = tries.get(item[2], 0) + 1
            if recorded is None:
                if entry is not None:
                    attempt = entry.pop("_fact", None)
                    entry["id"] = name_for(item[2])
                    if seed_names is not None:
                        entry["origin"] = "goal" if item[2] in goal_names else "lemma"
                    if entry["method"] == "direct" and entry["dependencies"]:
                        entry["method"] = "corollary"
                if journal:
                    journal.record(attempts, mpl, entry)
            if entry is None:
                waiting.append(item)
                continue
            counter += 1
            name = entry["id"]
            # a corollary followed directly from the rules blocks already have: recorded
            # (with its proof) but not broadcast, since as a rule it would add nothing new
            broadcast = entry["method"] != "corollary"
            # a theorem enters the session, the workers and the entries whole: Ctrl-C
            # waits until it has (and then ends the loop as anywhere else)
            with sigint_deferred():
                if attempt is not None:
                    prover.record(name, attempt, broadcast=broadcast)
                else:   # proved elsewhere (a worker, or the journal): the kernel replays it
                    try:
                        prover.adopt(name, entry, broadcast)
                    except KernelError as exc:
                        if recorded is None:
                            raise              # a worker's proof that does not replay: a bug
                        raise JournalMismatch(f"{journal.path}: attempt {attempts} does not "
                                              f"replay ({exc}); not used") from None
                executor.publish(name, mpl, broadcast)
                methods[name] = entry["method"]
                entries.append(entry)
            if conjecture.left is not None:
                proved_laws.append(conjecture.equation)
            proved_names[item[2]] = name
            proved_since_sweep = True
            for released in blocked.pop(item[2], []):
                heapq.heappush(queue, released)
            if entry["method"].startswith("induction"):
                waiting.sort()
                for waiting_item in waiting[:options.retry_window]:
                    heapq.heappush(queue, waiting_item)
                waiting = waiting[options.retry_window:]
            if progress:
                progress({"proved": counter, "queued": len(queue), "waiting": len(waiting),
                          "theorem": entry["readable"], "method": entry["method"]})
            if options.until_seeds and queued_seeds and \
                    all(i in proved_names for i in range(len(queued_seeds))):
                stop_reason = "seeds proved"
                given_up.extend(queue)
                break
    except KeyboardInterrupt:
        stop_reason = "interrupted"
        given_up.extend(queue)
    finally:
        executor.close()
    given_up.extend(i for items in blocked.values() for i in items)
    pending = [survivors[i[2]] for i in sorted(waiting + given_up)]
    t = phase("prove", t)
    # a goal-directed run keeps only what its goals use, so it has no essential set
    essential = set() if seed_names is not None else \
        essential_set(theory, anchor, entries, options.prove, prover.session)
    for entry in entries:
        entry["essential"] = entry["id"] in essential
    t = phase("compress", t)
    funnel.update({
        "instances of proved theorems": instances,
        "proved": len(entries),
        "proved by induction": sum(m.startswith("induction") for m in methods.values()),
        "proved directly": sum(not m.startswith("induction") for m in methods.values()),
        "essential": len(essential),
        "open": len(pending),
    })
    # goal-directed runs list only their goals as failed (explore.goals does that)
    failed_entries = [] if seed_names is not None else [
        {"id": f"C{i + 1:03d}", "mpl": to_mpl(c.statement),
         "readable": readable(c.statement, operators), "status": "GaveUp",
         "counterexample": None} for i, c in enumerate(pending)]
    stats = {"mode": "explore", "funnel": funnel, "stop_reason": stop_reason,
             "attempts": attempts, "sweeps": sweeps}
    if seed_results:
        queue_index = {id(r): i for i, r in enumerate(queued_seeds)}
        stats["seeds"] = []
        for r in seed_results:
            entry = {"text": r.text, "mpl": r.mpl, "status": r.status, "reason": r.reason}
            if id(r) in queue_index:
                name = proved_names.get(queue_index[id(r)])
                entry["status"], entry["reason"] = ("proved", f"theorem {name}") if name else \
                    ("open", "not proved within the run's limits")
            stats["seeds"].append(entry)
    opts = asdict(options)
    graph = graph_document(theory, signature, entries, failed_entries, opts, stats)
    timings["total"] = round(time.perf_counter() - start, 4)
    return Run(theory, entries, [e["id"] for e in entries if e["essential"]], funnel, timings,
               graph, stop_reason, memory, model)


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def resume_command(args, out_dir) -> str:
    """The command that continues an interrupted ``genlogic prove`` from its journal: the
    same theory, output folder and options (the journal refuses others), with --resume."""
    import shlex
    words = ["genlogic", "prove", str(args.theory), "--out", str(out_dir)]
    for flag, value in (("--max-size", args.max_size), ("--max-vars", args.max_vars),
                        ("--model-size", args.model_size), ("--time-limit", args.time_limit),
                        ("--goal-time-limit", args.goal_time_limit),
                        ("--nested", args.nested or None), ("--seeds", getattr(args, "seeds", None)),
                        ("--executor", getattr(args, "executor", "processes")),
                        ("--workers", getattr(args, "workers", None)),
                        ("--dask-address", getattr(args, "dask_address", None))):
        if value is not None and not (flag == "--executor" and value == "processes"):
            words += [flag, str(value)]
    if args.no_induction:
        words.append("--no-induction")
    return shlex.join(words + ["--resume"])


def explore_cli(theory: Theory, out_dir, args, prove_options: ProveOptions) -> int:
    """``genlogic prove THEORY`` without goals: explore, print the run table, write outputs."""
    import json
    from pathlib import Path

    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from ..proof.graph import write_graph

    defaults = ExploreOptions()
    options = ExploreOptions(
        max_size=args.max_size or defaults.max_size,
        max_vars=args.max_vars or defaults.max_vars,
        model_size=args.model_size or defaults.model_size,
        time_limit=args.time_limit,
        prove=replace(defaults.prove, induction=prove_options.induction,
                      nested=prove_options.nested,
                      time_limit=args.goal_time_limit or defaults.prove.time_limit),
    )
    console = Console(stderr=True, highlight=False)
    quiet = args.quiet or args.json
    with Progress(TextColumn("[bold]exploring[/bold]"), BarColumn(), TextColumn("{task.description}"),
                  TimeElapsedColumn(), console=console, disable=quiet, transient=True) as bar:
        task = bar.add_task("", total=None)

        def progress(info: dict) -> None:
            bar.update(task, description=f"{info['proved']} proved, {info['queued']} queued"
                                         f" - {info['theorem']}")

        seeds = None
        if getattr(args, "seeds", None):
            try:
                seeds = Path(args.seeds).read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                console.print(f"error: {args.seeds}: {exc.strerror}")
                return 2
        header = {"theory": theory.source_hash, "seeds": seeds,
                  "options": {k: v for k, v in asdict(options).items() if k != "time_limit"}}
        try:
            journal = Journal(Path(out_dir) / "journal.jsonl", header,
                              resume=getattr(args, "resume", False))
        except (JournalMismatch, OSError) as exc:
            console.print(f"error: {exc}")
            return 2
        try:
            run = explore(theory, None, options, progress, seeds, journal,
                          getattr(args, "executor", "serial"), getattr(args, "workers", None),
                          getattr(args, "dask_address", None))
        except JournalMismatch as exc:
            console.print(f"error: {exc}; remove the journal or run without --resume")
            return 2
        except ExecutorError as exc:           # the dask cluster failed, or an internal error
            console.print(f"error: {exc}", soft_wrap=True, markup=False, highlight=False)
            return 2
        finally:
            journal.close()
        if journal.replayed:
            console.print(f"resumed: {journal.replayed} recorded attempts replayed")
    out_dir = Path(out_dir)
    write_graph(out_dir / "proof_graph.json", run.graph)
    write_graph(out_dir / "run.json", {"timings": run.timings, "funnel": run.funnel,
                                       "stop_reason": run.stop_reason})
    try:
        from ..export import export_all
        export_all(out_dir)
    except ImportError:  # pragma: no cover - export is part of the package
        pass
    if run.stop_reason == "interrupted":       # on stderr, so also with --quiet and --json
        console.print(f"interrupted: a partial proof graph of {len(run.theorems)} theorems is "
                      f"in {out_dir}/; continue the run with:\n  {resume_command(args, out_dir)}",
                      markup=False, highlight=False, soft_wrap=True)
    if args.json:
        print(json.dumps({"theorems": [{k: e[k] for k in ("id", "mpl", "readable", "method",
                                                          "essential", "dependencies")}
                                       for e in run.theorems],
                          "funnel": run.funnel, "timings": run.timings,
                          "seeds": run.graph["stats"].get("seeds", []),
                          "stop_reason": run.stop_reason}, indent=1, ensure_ascii=False))
        return 0
    if args.quiet:
        return 0
    out = Console(highlight=False)
    table = Table(title=f"essential theorems of {Path(theory.path).name}")
    for col in ("id", "theorem", "method", "uses"):
        table.add_column(col)
    for e in run.theorems:
        if e["essential"]:
            table.add_row(e["id"], e["readable"], e["method"], ", ".join(e["dependencies"]) or "-")
    out.print(table)
    funnel = run.funnel
    out.print(" -> ".join(f"{k} {v}" for k, v in funnel.items()))
    out.print("time: " + ", ".join(f"{k} {v:.2f}s" for k, v in run.timings.items()))
    for seed in run.graph["stats"].get("seeds", []):
        out.print(f"seed {seed['status']:>8}: {seed['text']}  ({seed['reason']})")
    out.print(f"{len(run.theorems)} theorems ({len(run.essential)} essential) written to "
              f"{out_dir}/ (proof_graph.json, index.html); check them with "
              f"`genlogic verify {out_dir}`")
    return 0
