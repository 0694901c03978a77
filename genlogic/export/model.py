"""What the proof browser shows, computed once from ``proof_graph.json`` (and ``run.json``).

The renderers (HTML templates, SVG, TSTP, DOT) read only the objects built here, never the
raw JSON: file names of theorem pages, "used by" links, dependency depth, and each proof's
steps grouped into nested sub-proofs by context.  Everything is ordered deterministically
(proof order for theorems, step order inside a proof), so the same JSON gives the same site.

This module does not check proofs (``genlogic.verify`` does) and does not parse MPL.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Step", "Section", "TheoremView", "FailedView", "Site", "build_site", "slugify",
           "read_run_info"]

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


@dataclass
class Site:
    """Everything the renderers need, in display order."""
    theory: dict
    options: dict
    stats: dict
    run: dict
    theorems: list[TheoremView]
    failed: list[FailedView]
    schema: str

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


def _step(raw: dict, conclusion: int | None) -> Step:
    extra = raw.get("extra") or {}
    cited = extra.get("theorem") if raw.get("rule") == "theorem" else None
    return Step(
        id=int(raw["id"]), context=int(raw.get("context", 0)), expr=str(raw.get("expr", "")),
        readable=str(raw.get("readable") or raw.get("expr", "")), rule=str(raw.get("rule", "")),
        premises=tuple(int(p) for p in raw.get("premises") or ()),
        substitution=tuple(sorted((str(k), str(v)) for k, v in (raw.get("substitution") or {}).items())),
        extra=tuple(sorted((str(k), v) for k, v in extra.items())),
        cited_theorem=str(cited) if cited is not None else None,
        is_conclusion=raw.get("id") == conclusion)


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


def _depths(theorems: list[dict]) -> dict[str, int]:
    depth: dict[str, int] = {}
    for t in theorems:  # proof order: every dependency is proved earlier
        deps = [depth.get(d, 0) for d in t.get("dependencies") or ()]
        depth[t["id"]] = 1 + max(deps) if deps else 0
    return depth


def build_site(graph: dict, run: dict | None = None) -> Site:
    """The browser's view of a proof graph document (and the optional run summary)."""
    raw_theorems = list(graph.get("theorems") or [])
    depth = _depths(raw_theorems)
    used_by: dict[str, list[str]] = {t["id"]: [] for t in raw_theorems}
    for t in raw_theorems:
        for dep in t.get("dependencies") or ():
            if dep in used_by and t["id"] not in used_by[dep]:
                used_by[dep].append(t["id"])
    taken: set[str] = set()
    theorems = []
    for number, t in enumerate(raw_theorems, start=1):
        conclusion = t.get("conclusion")
        steps = tuple(_step(s, conclusion) for s in t.get("steps") or ())
        theorems.append(TheoremView(
            id=str(t["id"]), slug=slugify(str(t["id"]), taken), index=number,
            mpl=str(t.get("mpl", "")), readable=str(t.get("readable") or t.get("mpl", "")),
            status=str(t.get("status", "Theorem")), method=str(t.get("method") or ""),
            origin=str(t.get("origin") or ""),
            essential=bool(t["essential"]) if t.get("essential") is not None else None,
            dependencies=tuple(sorted(str(d) for d in t.get("dependencies") or ())),
            used_by=tuple(used_by[t["id"]]), depth=depth[t["id"]], steps=steps,
            body=_sections(steps, list(t.get("contexts") or [])), conclusion=conclusion))
    failed = [FailedView(id=str(f.get("id", "")), mpl=str(f.get("mpl", "")),
                         readable=str(f.get("readable") or f.get("mpl", "")),
                         status=str(f.get("status") or "GaveUp"),
                         counterexample=_text_or_none(f.get("counterexample")))
              for f in graph.get("failed") or []]
    return Site(theory=dict(graph.get("theory") or {}), options=dict(graph.get("options") or {}),
                stats=dict(graph.get("stats") or {}), run=dict(run or {}), theorems=theorems,
                failed=failed, schema=str(graph.get("schema", "")))


def _text_or_none(value) -> str | None:
    if value is None or value == "" or value == {}:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
