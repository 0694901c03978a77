"""What the proof browser shows, computed once from ``proof_graph.json`` (and ``run.json``).

The renderers (HTML templates, SVG, TSTP, DOT) read only the objects built here, never the
raw JSON: file names of theorem pages, "used by" links, dependency depth, and each proof's
steps grouped into nested sub-proofs by context.  Everything is ordered deterministically
(proof order for theorems, step order inside a proof), so the same JSON gives the same site.

No stored ``readable`` string and no stored axiom list is shown as it is: every readable
text (theorems, steps, hypotheses, failed goals, axioms) is derived again here from the MPL,
with the operators of the theory's derived signature when the theory is found (a file, or
the text the graph embeds: ``theory_signature``, the lookup ``genlogic verify`` uses), else
with the operator names the graph lists, and the site says so (``Site.theory_note``).

The graph is read defensively: a field the renderers need that is missing, of the wrong
type, or MPL that does not parse is a ``GraphError`` with a one-line message.  This module
does not check proofs (``genlogic.verify`` does).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..mpl.ast import Expr
from ..mpl.errors import MPLError
from ..mpl.locate import (BadManifest, LocateError, TheoryEdited, hash_matches,
                          locate_theory)
from ..mpl.parser import parse_expr
from ..mpl.printer import to_mpl
from ..mpl.readable import readable
from ..mpl.signature import Signature, derive_signature

__all__ = ["GraphError", "Step", "Section", "TheoremView", "FailedView", "AxiomView", "Site",
           "build_site", "slugify", "read_run_info", "theory_signature", "derived_operators",
           "parse_mpl"]


class GraphError(ValueError):
    """The graph cannot be exported; the message (one line) says where and what is wrong."""


@lru_cache(maxsize=1 << 16)
def _parse_cached(text: str) -> Expr:
    return parse_expr(text, "<graph>")


def parse_mpl(text: str, where: str = "expression") -> Expr:
    """``text`` parsed as MPL (cached: proofs repeat expressions); a ``GraphError`` if it
    is not MPL."""
    try:
        return _parse_cached(text)
    except MPLError as exc:
        raise GraphError(f"{where} is not MPL: {exc.message}") from None
    except RecursionError:
        raise GraphError(f"{where} is nested too deeply") from None

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def slugify(name: str, taken: set[str]) -> str:
    """A file-name-safe, case-insensitively unique slug for a theorem id.

    Ids that are already safe are kept as they are; any other id gets its unsafe runs
    replaced by ``-`` and a short hash of the original id, so two ids never share a page.
    ``taken`` holds the lower-cased slugs given so far and is updated.
    """
    slug = _UNSAFE.sub("-", name).strip("-")[:80] or "theorem"
    if slug != name or slug.lower() in taken:
        slug = f"{slug}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"
    while slug.lower() in taken:  # a hash collision with a hand-picked id; stay deterministic
        slug += "-"
    taken.add(slug.lower())
    return slug


@dataclass(frozen=True)
class Step:
    """One proof step as shown: its statement, rule and the links it needs."""
    id: int
    context: int
    expr: str
    readable: str
    rule: str
    premises: tuple[int, ...]
    substitution: tuple[tuple[str, str], ...]
    extra: tuple[tuple[str, object], ...]
    cited_theorem: str | None       # for rule "theorem": the id of the theorem it cites
    is_conclusion: bool


@dataclass
class Section:
    """A sub-proof: the steps made in one context (and its child contexts), in order."""
    context: int
    label: str
    fixes: tuple[str, ...]
    assumes: tuple[str, ...]        # readable hypothesis conjuncts, from its premise steps
    hypothesis: str | None          # the hypothesis in MPL
    continued: bool                 # the context was opened earlier and is resumed here
    items: list = field(default_factory=list)   # Step | Section

    @property
    def anchor(self) -> str:
        return f"ctx-{self.context}" + ("-more" if self.continued else "")

    @property
    def title(self) -> str:
        return self.label[:1].upper() + self.label[1:] if self.label else f"Context {self.context}"


@dataclass(frozen=True)
class OutlineItem:
    """One sub-proof in a theorem's outline: what it fixes and assumes, how long it is."""
    depth: int
    title: str
    fixes: tuple[str, ...]
    assumes: tuple[str, ...]
    anchor: str
    steps: int                      # steps in it and in its own sub-proofs


def _step_count(section: Section) -> int:
    return sum(_step_count(i) if isinstance(i, Section) else 1 for i in section.items)


def outline(body: list, limit: int = 3, depth: int = 0) -> list[OutlineItem]:
    """The sub-proofs of a proof body, nested up to ``limit`` deep, in proof order: the
    reading a mathematician starts from (induction base, step with its hypothesis, ...)."""
    out = []
    for item in body:
        if isinstance(item, Section) and not item.continued:
            out.append(OutlineItem(depth, item.title, item.fixes, item.assumes, item.anchor,
                                   _step_count(item)))
            if depth + 1 < limit:
                out.extend(outline(item.items, limit, depth + 1))
    return out


@dataclass
class TheoremView:
    id: str
    slug: str
    index: int                      # position in proof order, from 1
    mpl: str
    readable: str
    status: str
    method: str
    origin: str
    essential: bool | None
    dependencies: tuple[str, ...]
    used_by: tuple[str, ...]
    depth: int                      # 0 if it cites no theorem, else 1 + max over dependencies
    steps: tuple[Step, ...]
    body: list                      # Step | Section, the root context's items
    conclusion: int | None

    @property
    def href(self) -> str:
        return f"theorems/{self.slug}.html"

    @property
    def outline(self) -> list[OutlineItem]:
        return outline(self.body)

    @property
    def kind(self) -> str:
        if self.essential is None:
            return ""
        return "essential" if self.essential else "derivable"


@dataclass(frozen=True)
class FailedView:
    id: str
    mpl: str
    readable: str
    status: str
    counterexample: str | None


@dataclass(frozen=True)
class AxiomView:
    mpl: str
    readable: str


@dataclass
class Site:
    """Everything the renderers need, in display order.

    ``theory`` holds the graph's theory reference (path, anchor, source hash, params);
    ``axioms`` and ``operators`` are the signature's when the theory file was found, else
    the graph's (axioms re-read from their MPL), and then ``theory_note`` says so."""
    theory: dict
    options: dict
    stats: dict
    run: dict
    theorems: list[TheoremView]
    failed: list[FailedView]
    schema: str
    axioms: list[AxiomView] = field(default_factory=list)
    operators: list[str] = field(default_factory=list)
    theory_note: str | None = None

    def by_id(self) -> dict[str, TheoremView]:
        return {t.id: t for t in self.theorems}

    @property
    def has_essential(self) -> bool:
        return any(t.essential is not None for t in self.theorems)

    @property
    def total_steps(self) -> int:
        return sum(len(t.steps) for t in self.theorems)


def read_run_info(run_dir: Path) -> dict:
    """``run.json`` if the run wrote one and it is a JSON object, else ``{}``."""
    path = run_dir / "run.json"
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _sections(steps: tuple[Step, ...], contexts: list[dict]) -> list:
    """Group steps into nested sections by context, keeping step order.

    Walking the steps in order, the open sections always form the path from the root to
    the current step's context; leaving a context closes its section, and coming back to
    it later opens a "continued" section.
    """
    by_id = {int(c["id"]): c for c in contexts}
    assumes: dict[int, list[str]] = {}
    for s in steps:
        if s.rule == "premise":
            assumes.setdefault(s.context, []).append(s.readable)

    def path(ctx: int) -> list[int]:
        out, seen = [], set()
        while ctx in by_id and ctx not in seen and by_id[ctx].get("parent") is not None:
            seen.add(ctx)
            out.append(ctx)
            ctx = int(by_id[ctx]["parent"])
        return out[::-1]

    root: list = []
    stack: list[Section] = []
    opened: set[int] = set()
    for s in steps:
        want = path(s.context)
        keep = 0
        while keep < len(stack) and keep < len(want) and stack[keep].context == want[keep]:
            keep += 1
        del stack[keep:]
        for ctx in want[keep:]:
            c = by_id[ctx]
            section = Section(context=ctx, label=str(c.get("label") or ""),
                              fixes=tuple(str(v) for v in c.get("vars") or ()),
                              assumes=tuple(assumes.get(ctx, ())),
                              hypothesis=c.get("hypothesis"), continued=ctx in opened)
            opened.add(ctx)
            (stack[-1].items if stack else root).append(section)
            stack.append(section)
        (stack[-1].items if stack else root).append(s)
    return root


# -- reading the graph: every field the renderers use, type-checked -------------------------
_REQUIRED = object()
_KIND_NAMES = {str: "a string", int: "an integer", bool: "true or false", list: "a list",
               dict: "an object"}
_PLURALS = {str: "strings", int: "integers"}


def _short(value, limit: int = 80) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = repr(type(value).__name__)
    return text if len(text) <= limit else text[:limit] + "..."


def _is(value, kind) -> bool:
    return type(value) is int if kind is int else isinstance(value, kind)


def _field(obj: dict, key: str, kind, where: str, default=_REQUIRED):
    """``obj[key]`` when it is of ``kind``; ``default`` when absent or null (if optional)."""
    value = obj.get(key)
    if value is None:
        if default is _REQUIRED:
            raise GraphError(f"{where}: missing field {key!r}")
        return default
    if not _is(value, kind):
        raise GraphError(f"{where}: field {key!r} should be {_KIND_NAMES[kind]}, "
                         f"not {_short(value)}")
    return value


def _object(value, where: str) -> dict:
    if not isinstance(value, dict):
        raise GraphError(f"{where} should be a JSON object, not {_short(value)}")
    return value


def _list_of(obj: dict, key: str, kind, where: str) -> list:
    values = _field(obj, key, list, where, [])
    for value in values:
        if not _is(value, kind):
            raise GraphError(f"{where}: field {key!r} should hold only {_PLURALS[kind]}, "
                             f"not {_short(value)}")
    return values


# extra keys the renderers read, and their types (others are shown as JSON)
_EXTRA_TYPES = {"index": int, "position": int, "block": int, "theorem": str, "variable": str,
                "name": str, "predicate": str}


class _Text:
    """Readable forms derived from MPL with one set of operator names (cached per expression)."""

    def __init__(self, operators: set[str] | None):
        self.operators = operators
        self._cache: dict[Expr, str] = {}

    def __call__(self, expr: Expr, where: str) -> str:
        text = self._cache.get(expr)
        if text is None:
            try:
                text = readable(expr, self.operators)
            except RecursionError:
                raise GraphError(f"{where} is nested too deeply") from None
            self._cache[expr] = text
        return text


def _step(raw, where: str, conclusion: int | None, text: _Text) -> Step:
    raw = _object(raw, where)
    step_id = _field(raw, "id", int, where)
    where = f"{where.rsplit(', ', 1)[0]}, step {step_id}"
    expr = _field(raw, "expr", str, where)
    extra = _field(raw, "extra", dict, where, {})
    for key, kind in _EXTRA_TYPES.items():
        _field(extra, key, kind, f"{where}: extra", None)
    _list_of(extra, "witnesses", str, f"{where}: extra")
    rule = _field(raw, "rule", str, where, "")
    cited = extra.get("theorem") if rule == "theorem" else None
    substitution = _field(raw, "substitution", dict, where, {})
    return Step(
        id=step_id, context=_field(raw, "context", int, where, 0), expr=expr,
        readable=text(parse_mpl(expr, f"{where}: expr"), f"{where}: expr"), rule=rule,
        premises=tuple(_list_of(raw, "premises", int, where)),
        substitution=tuple(sorted((str(k), v if isinstance(v, str) else _short(v))
                                  for k, v in substitution.items())),
        extra=tuple(sorted((str(k), v) for k, v in extra.items())),
        cited_theorem=cited, is_conclusion=step_id == conclusion)


def _context(raw, where: str) -> dict:
    raw = _object(raw, where)
    return {"id": _field(raw, "id", int, where),
            "parent": _field(raw, "parent", int, where, None),
            "vars": [str(v) for v in _list_of(raw, "vars", str, where)],
            "hypothesis": _field(raw, "hypothesis", str, where, None),
            "label": _field(raw, "label", str, where, "")}


def _depths(theorems: list[dict]) -> dict[str, int]:
    depth: dict[str, int] = {}
    for t in theorems:  # proof order: every dependency is proved earlier
        deps = [depth.get(d, 0) for d in t["dependencies"]]
        depth[t["id"]] = 1 + max(deps) if deps else 0
    return depth


def _theorem(raw, position: int) -> dict:
    """The fields of a theorem entry that the site uses, checked (steps still raw)."""
    where = f"theorem at position {position}"
    raw = _object(raw, where)
    name = _field(raw, "id", str, where)
    where = f"theorem {name!r}"
    return {"id": name, "mpl": _field(raw, "mpl", str, where),
            "status": _field(raw, "status", str, where, "Theorem"),
            "method": _field(raw, "method", str, where, ""),
            "origin": _field(raw, "origin", str, where, ""),
            "essential": _field(raw, "essential", bool, where, None),
            "dependencies": _list_of(raw, "dependencies", str, where),
            "contexts": [_context(c, f"{where}, context at position {i}")
                         for i, c in enumerate(_field(raw, "contexts", list, where, []))],
            "steps": _field(raw, "steps", list, where, []),
            "conclusion": _field(raw, "conclusion", int, where, None), "where": where}


# -- the theory: found as genlogic verify finds it ---------------------------------------
def theory_signature(graph: dict, folder: str | Path,
                     theory_path: str | Path | None = None) -> tuple[Signature | None, str | None]:
    """The derived signature of the graph's anchor, from the theory found for a graph in
    ``folder`` (``genlogic.mpl.locate``: a file, or the text the graph embeds); else None
    and a note saying why (no file paths in it, so the site does not depend on where it
    was exported)."""
    reference = graph.get("theory")
    name = reference.get("path") if isinstance(reference, dict) else None
    if not isinstance(name, str) or not Path(name).name:
        return None, "The graph names no theory file"
    name = Path(name).name
    source_hash = reference.get("source_hash")
    try:
        found = locate_theory(reference, Path(folder).resolve(), theory_path)
    except TheoryEdited:
        return None, f"The theory file {name} was edited since the run"
    except BadManifest:
        return None, "The theory embedded in the graph could not be loaded"
    except LocateError as exc:
        why = "could not be loaded" if str(exc).startswith("cannot load") else "was not found"
        return None, f"The theory file {name} {why}"
    theory = found.theory
    if not hash_matches(theory, source_hash if isinstance(source_hash, str) else None,
                        "files" in reference):
        return None, (f"The theory file {name} that was found is not the one the graph was "
                      f"made from (its source hash differs)")
    anchor = reference.get("anchor")
    try:
        return derive_signature(theory, anchor if isinstance(anchor, str) else None), None
    except MPLError:
        return None, f"The theory file {name} has no anchor {anchor!r}"


def _graph_operators(theory: dict) -> tuple[list[str], set[str] | None]:
    """The operator lines the graph lists and their names (None when it lists none)."""
    lines = _list_of(theory, "operators", str, "theory")
    if "operators" not in theory or theory["operators"] is None:
        return lines, None
    return lines, {line.split(":", 1)[0].strip() for line in lines}


def derived_operators(graph: dict, folder: str | Path) -> set[str] | None:
    """The operator names readable text of ``graph`` is derived with: the anchor's
    signature's when its theory file is found, else those the graph lists (None when it
    lists none, or not as a list of strings)."""
    signature, _ = theory_signature(graph, folder)
    if signature is not None:
        return signature.operator_names
    reference = graph.get("theory")
    try:
        return _graph_operators(reference if isinstance(reference, dict) else {})[1]
    except GraphError:
        return None


def build_site(graph: dict, run: dict | None = None, signature: Signature | None = None,
               theory_note: str | None = None) -> Site:
    """The browser's view of a proof graph document (and the optional run summary).

    With the anchor's ``signature`` every readable text is derived with its operators
    and the axioms and operators shown are its own; without it they come from the MPL and
    the operator names the graph lists, and ``theory_note`` (default: the theory was not
    given) is shown with them.  A malformed graph is a ``GraphError``."""
    graph = _object(graph, "the proof graph")
    reference = _field(graph, "theory", dict, "graph", {})
    theory = {key: _field(reference, key, str, "theory", None)
              for key in ("path", "anchor", "source_hash")}
    theory = {key: value for key, value in theory.items() if value is not None}
    params = _list_of(reference, "params", str, "theory")
    listed_lines, listed_ops = _graph_operators(reference)
    if signature is not None:
        text = _Text(signature.operator_names)
        params = list(signature.params)
        operators = [str(op) for op in signature.operators]
        axioms = [AxiomView(to_mpl(a), text(a, "axiom")) for a in signature.axioms]
        theory_note = None
    else:
        text = _Text(listed_ops)
        operators = listed_lines
        axioms = []
        for i, raw in enumerate(_field(reference, "axioms", list, "theory", [])):
            where = f"theory: axiom at position {i}"
            mpl = _field(_object(raw, where), "mpl", str, where)
            expr = parse_mpl(mpl, f"{where}: mpl")
            axioms.append(AxiomView(to_mpl(expr), text(expr, where)))
        theory_note = theory_note or "The theory file was not given"
    if params:
        theory["params"] = params
    raw_theorems = [_theorem(t, i) for i, t in enumerate(_field(graph, "theorems", list, "graph"))]
    depth = _depths(raw_theorems)
    used_by: dict[str, list[str]] = {t["id"]: [] for t in raw_theorems}
    for t in raw_theorems:
        for dep in t["dependencies"]:
            if dep in used_by and t["id"] not in used_by[dep]:
                used_by[dep].append(t["id"])
    taken: set[str] = set()
    theorems = []
    for number, t in enumerate(raw_theorems, start=1):
        where = t["where"]
        steps = tuple(_step(s, f"{where}, step at position {i}", t["conclusion"], text)
                      for i, s in enumerate(t["steps"]))
        statement = parse_mpl(t["mpl"], f"{where}: mpl")
        theorems.append(TheoremView(
            id=t["id"], slug=slugify(t["id"], taken), index=number, mpl=t["mpl"],
            readable=text(statement, f"{where}: mpl"), status=t["status"], method=t["method"],
            origin=t["origin"], essential=t["essential"],
            dependencies=tuple(sorted(t["dependencies"])),
            used_by=tuple(used_by[t["id"]]), depth=depth[t["id"]], steps=steps,
            body=_sections(steps, t["contexts"]), conclusion=t["conclusion"]))
    failed = []
    for i, f in enumerate(_field(graph, "failed", list, "graph", [])):
        where = f"failed entry at position {i}"
        f = _object(f, where)
        mpl = _field(f, "mpl", str, where)
        failed.append(FailedView(
            id=_field(f, "id", str, where, ""), mpl=mpl,
            readable=text(parse_mpl(mpl, f"{where}: mpl"), f"{where}: mpl"),
            status=_field(f, "status", str, where, "GaveUp"),
            counterexample=_text_or_none(f.get("counterexample"))))
    return Site(theory=theory, options=dict(_field(graph, "options", dict, "graph", {})),
                stats=dict(_field(graph, "stats", dict, "graph", {})), run=dict(run or {}),
                theorems=theorems, failed=failed,
                schema=_field(graph, "schema", str, "graph", ""), axioms=axioms,
                operators=operators, theory_note=theory_note)


def _text_or_none(value) -> str | None:
    if value is None or value == "" or value == {}:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
