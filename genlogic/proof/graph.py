"""The proof graph: kernel facts to the versioned JSON of DESIGN 7, deterministically.

``theorem_entry`` walks a theorem's final fact back through its justifications,
keeps the steps it needs, and numbers steps and contexts in order of creation, so
the same proof gives the same JSON whatever process made it.  ``write_graph``
writes ``proof_graph.json`` atomically (temporary file, fsync, rename).

Step fields: ``id``, ``context``, ``expr`` (canonical MPL), ``readable``, ``rule``,
``premises`` (step ids), ``substitution`` ({variable: name}) and ``extra``
(rule-specific: ``index``, ``position``, ``witnesses``, ``name``, ``block``,
``variable`` and ``predicate``, ``theorem``).  The schema is
``genlogic/proof/proof_graph.schema.json``.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from ..kernel import Context, Fact
from ..mpl.ast import Expr
from ..mpl.printer import to_mpl
from ..mpl.readable import readable

__all__ = ["SCHEMA", "theorem_entry", "graph_document", "write_graph", "read_graph"]

SCHEMA = "genlogic-proof-graph/1"


def _extra_json(extra: dict, context_ids: dict[int, int]) -> dict:
    out = {}
    for key, value in extra.items():
        if key == "block":
            out[key] = context_ids[value]
        elif key == "predicate":
            out[key] = to_mpl(value)
        elif isinstance(value, tuple):
            out[key] = list(value)
        else:
            out[key] = value
    return out


def theorem_entry(name: str, statement: Expr, fact: Fact, operators: set[str], *,
                  method: str, origin: str, seconds: float | None = None) -> dict:
    """The JSON object of one proved theorem with every step its proof uses."""
    needed: dict[int, Fact] = {}
    stack = [fact]
    while stack:
        f = stack.pop()
        if f.id in needed:
            continue
        needed[f.id] = f
        stack.extend(f.justification.premises)
    facts = sorted(needed.values(), key=lambda f: f.id)
    contexts: dict[int, Context] = {}

    def note(ctx: Context) -> None:
        chain = []
        while ctx is not None and ctx.id not in contexts:
            chain.append(ctx)
            ctx = ctx.parent
        for c in reversed(chain):
            contexts[c.id] = c

    for f in facts:
        note(f.context)
    # blocks referenced by implies-intro are the contexts of some fact in them or a child
    for f in facts:
        if f.justification.rule == "implies-intro":
            block_id = f.justification.extra_dict()["block"]
            if block_id not in contexts:
                ctx = f.justification.premises[0].context
                while ctx is not None and ctx.id != block_id:
                    ctx = ctx.parent
                if ctx is None:
                    raise ValueError("implies-intro cites a block outside its fact's chain")
                note(ctx)
    ordered = sorted(contexts.values(), key=lambda c: c.id)
    context_ids = {c.id: i for i, c in enumerate(ordered)}
    step_ids = {f.id: i + 1 for i, f in enumerate(facts)}
    steps = []
    theorems_used = set()
    for f in facts:
        j = f.justification
        extra = j.extra_dict()
        if j.rule == "theorem":
            theorems_used.add(extra["theorem"])
        steps.append({
            "id": step_ids[f.id],
            "context": context_ids[f.context.id],
            "expr": to_mpl(f.expr),
            "readable": readable(f.expr, operators),
            "rule": j.rule,
            "premises": [step_ids[p.id] for p in j.premises],
            "substitution": dict(j.substitution),
            "extra": _extra_json(extra, context_ids),
        })
    entry = {
        "id": name,
        "mpl": to_mpl(statement),
        "readable": readable(statement, operators),
        "status": "Theorem",
        "method": method,
        "origin": origin,
        "dependencies": sorted(theorems_used),
        "contexts": [{
            "id": context_ids[c.id],
            "parent": context_ids[c.parent.id] if c.parent is not None else None,
            "vars": list(c.vars),
            "hypothesis": to_mpl(c.hypothesis) if c.hypothesis is not None else None,
            "label": c.label,
        } for c in ordered],
        "steps": steps,
        "conclusion": step_ids[fact.id],
    }
    if seconds is not None:
        entry["seconds"] = round(seconds, 4)
    return entry


def graph_document(theory, signature, theorems: list[dict], failed: list[dict], options: dict,
                   stats: dict) -> dict:
    """The whole proof graph: theory reference, options, theorems, failures, statistics.

    The theory object embeds every file the theory was read from (``files``: relative
    name, sha256, text; ``Theory.manifest``), so the folder verifies anywhere."""
    operators = signature.operator_names
    return {
        "schema": SCHEMA,
        "theory": {
            "path": Path(theory.path).name,
            "source_hash": theory.source_hash,
            "anchor": signature.anchor,
            "params": list(signature.params),
            "operators": [str(op) for op in signature.operators],
            "axioms": [{"mpl": to_mpl(a), "readable": readable(a, operators)}
                       for a in signature.axioms],
            "files": theory.manifest(),
        },
        "options": options,
        "theorems": theorems,
        "failed": failed,
        "stats": stats,
    }


def write_graph(path: str | Path, graph: dict) -> None:
    """Write JSON atomically: a crash leaves the old file or the new one, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(graph, indent=1, ensure_ascii=False, sort_keys=False) + "\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".proof_graph.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def read_graph(path: str | Path) -> dict:
    path = Path(path)
    if path.is_dir():
        path = path / "proof_graph.json"
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)
