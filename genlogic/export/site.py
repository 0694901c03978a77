"""Write the proof browser and the text exports of a run folder from its ``proof_graph.json``.

``export_all(run_dir)`` is the one entry point: it reads the graph (and ``run.json`` when
the run left one), builds the view model once, then renders, in this order,

    index.html            theorems (a filter by name, law or statement), failed goals, the
                          dependencies of the essential theorems, axioms, run summary
    theorems/<slug>.html  one page per theorem: its neighbourhood (the theorems it uses
                          and those that use it), the proof step by step
    glossary.html         the kernel's rules in plain words
    graph.svg             the dependency picture of every theorem
    static/               style.css and browser.js, copied from the package
    proof.tstp            TSTP-style derivation with SZS status lines
    theorems.dot          Graphviz DOT of the theorem dependencies

The site works from ``file://`` with no network: every link is relative, nothing is
fetched, and the pages read fine with JavaScript off (it only adds search, hover
highlighting and expand/collapse-all).  Same JSON, same bytes: nothing depends on the
clock, the machine or dictionary order of unsorted data.
"""

from __future__ import annotations

import json
import math
import os
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .dot import dot_text
from .glossary import RULES, rule_anchor
from ..mpl.locate import LocateError, read_graph_file
from .model import GraphError, Site, build_site, read_run_info, theory_signature
from .search import ASCII_SPELLINGS, fixed_names, law_names, statement_keys
from .svg import OVERVIEW_LIMIT, graph_svg, overview
from .tstp import tstp_text

__all__ = ["export_all", "render_site", "GraphError"]

STATIC_FILES = ("style.css", "browser.js")
NEIGHBOURS_SHOWN = 12     # of the theorems that use one: the rest are in its "Used by" list


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("genlogic.export", "templates"),
                      autoescape=select_autoescape(["html", "xml"], default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters["rule_anchor"] = rule_anchor
    env.filters["rule_words"] = lambda name: name.replace("-", " ")
    titles = {rule.name: rule.title for rule in RULES}
    env.filters["rule_title"] = lambda name: titles.get(name, name)
    env.filters["number"] = _number
    env.filters["label"] = lambda key: str(key).replace("_", " ")
    return env


def _number(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if value < 100 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


# -- run summary: funnel, timings and the other counters, in whatever shape the run wrote --
def _pairs(value) -> list[tuple[str, object]]:
    """``{"a": 1}``, ``[["a", 1]]`` or ``[{"stage": "a", "count": 1}]`` as label/value pairs."""
    if isinstance(value, dict):
        return [(str(k), v) for k, v in value.items()]
    pairs = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, (list, tuple)) and len(item) == 2:
            pairs.append((str(item[0]), item[1]))
        elif isinstance(item, dict):
            label = next((item[k] for k in ("stage", "name", "label", "phase") if k in item), None)
            number = next((item[k] for k in ("count", "value", "n", "seconds") if k in item), None)
            if label is not None:
                pairs.append((str(label), number))
    return pairs


def _bars(pairs: list[tuple[str, object]], log: bool = False) -> list[dict]:
    """Rows with a bar length in percent of the largest value (log scale: a funnel narrows
    by orders of magnitude)."""
    def size(value) -> float:
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
            return 0.0
        return math.log1p(value) if log else float(value)
    top = max((size(v) for _, v in pairs), default=0.0) or 1.0
    return [{"label": label, "value": value, "percent": round(100 * size(value) / top, 1)}
            for label, value in pairs]


def _flat(value, prefix: str = "") -> list[tuple[str, object]]:
    if isinstance(value, dict):
        rows = []
        for key, inner in value.items():
            rows.extend(_flat(inner, f"{prefix}{key} · " if isinstance(inner, dict) else f"{prefix}{key}"))
        return rows
    return [(prefix.rstrip(" ·"), value)]


def run_summary(site: Site) -> dict:
    """Funnel, timings and other counters from ``stats`` and ``run.json`` (both optional)."""
    sources = [site.stats, site.run]
    funnel = next((s["funnel"] for s in sources if s.get("funnel")), None)
    timings = next((s[k] for s in sources for k in ("timings", "phases", "times") if s.get(k)), None)
    used = {"funnel", "timings", "phases", "times"}
    counters = []
    for source in sources:
        counters.extend(_flat({k: v for k, v in source.items() if k not in used}))
    seen, unique = set(), []
    for label, value in counters:
        if label not in seen:
            seen.add(label)
            unique.append((label, value))
    return {"funnel": _bars(_pairs(funnel), log=True) if funnel else [],
            "timings": _bars(_pairs(timings)) if isinstance(timings, (dict, list)) else [],
            "counters": unique}


# -- rendering ---------------------------------------------------------------------------
def search_data(site: Site, signature=None) -> tuple[list[str], dict[str, dict]]:
    """The fixed names of the theory and, per theorem id, its law names and statement
    keys (``search.py``), for the index page's filter."""
    fixed = fixed_names(signature, site.operators)
    return fixed, {t.id: {"laws": law_names(t.readable, signature),
                          "keys": statement_keys(t.readable, fixed)} for t in site.theorems}


def _users_shown(theorem, by_id) -> list[str]:
    """The theorems using ``theorem`` that its neighbourhood shows: essential ones first,
    then the most used, at most ``NEIGHBOURS_SHOWN``, in proof order."""
    users = [by_id[u] for u in theorem.used_by if u in by_id]
    ranked = sorted(users, key=lambda u: (not u.essential, -len(u.used_by), u.index))
    return [u.id for u in sorted(ranked[:NEIGHBOURS_SHOWN], key=lambda u: u.index)]


def render_site(site: Site, signature=None) -> dict[str, str]:
    """Relative path -> text of every generated file except the copied static ones.
    ``signature`` (the theory's, when found) lets the filter name the algebraic laws."""
    env = _environment()
    by_id = site.by_id()
    fixed, search = search_data(site, signature)
    common = {"site": site, "theory": site.theory, "by_id": by_id, "search": search}
    files: dict[str, str] = {}
    shown = overview(site)
    inline_graph = Markup(graph_svg(site, standalone=False, theorems=shown))
    files["index.html"] = env.get_template("index.html").render(
        root="", graph=inline_graph, shown=shown, overview_limit=OVERVIEW_LIMIT,
        run=run_summary(site), page="index",
        fixed=json.dumps(fixed, ensure_ascii=False),
        spellings=json.dumps(ASCII_SPELLINGS, ensure_ascii=False), **common)
    template = env.get_template("theorem.html")
    for position, theorem in enumerate(site.theorems):
        previous = site.theorems[position - 1] if position > 0 else None
        following = site.theorems[position + 1] if position + 1 < len(site.theorems) else None
        step_text = {s.id: s.readable for s in theorem.steps}
        files[theorem.href] = template.render(
            root="../", t=theorem, previous=previous, following=following,
            step_text=step_text, page="theorem", users=_users_shown(theorem, by_id),
            **common)
    files["glossary.html"] = env.get_template("glossary.html").render(
        root="", rules=RULES, page="glossary", **common)
    files["graph.svg"] = graph_svg(site, standalone=True)
    files["proof.tstp"] = tstp_text(site)
    files["theorems.dot"] = dot_text(site)
    return files


def _write(path: Path, text: str | bytes) -> None:
    data = text.encode("utf-8") if isinstance(text, str) else text
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def export_all(run_dir: str | Path, theory_path: str | Path | None = None) -> list[Path]:
    """Write the site, ``proof.tstp`` and ``theorems.dot`` into ``run_dir``; return the paths.

    Reads ``run_dir/proof_graph.json`` (required), ``run_dir/run.json`` (optional) and the
    theory file the graph names, found as ``genlogic verify`` finds it (or ``theory_path``):
    every readable text is derived from the MPL with its operators.  Theorem pages left over
    from an earlier export of a different graph are removed.  A graph that cannot be read
    or shown is a ``GraphError`` (one line), raised before any file is written.
    """
    run_dir = Path(run_dir)
    try:
        graph = read_graph_file(run_dir / "proof_graph.json")
    except LocateError as exc:
        raise GraphError(str(exc)) from None
    try:
        signature, note = theory_signature(graph, run_dir, theory_path)
        site = build_site(graph, read_run_info(run_dir), signature, note)
        files = render_site(site, signature)
    except RecursionError:
        raise GraphError(f"{run_dir / 'proof_graph.json'}: nested too deeply to show "
                         f"(expressions or sub-proofs)") from None
    except GraphError as exc:
        raise GraphError(f"{run_dir / 'proof_graph.json'}: {exc}") from None
    written: list[Path] = []
    for relative, text in files.items():
        _write(run_dir / relative, text)
        written.append(run_dir / relative)
    static = resources.files("genlogic.export").joinpath("static")
    for name in STATIC_FILES:
        _write(run_dir / "static" / name, static.joinpath(name).read_bytes())
        written.append(run_dir / "static" / name)
    pages = {p for p in written if p.parent == run_dir / "theorems"}
    for old in sorted((run_dir / "theorems").glob("*.html")):
        if old not in pages:
            old.unlink()
    return sorted(written)
