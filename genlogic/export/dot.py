"""The theorem dependency graph in Graphviz DOT: one node per theorem, an edge from each
theorem to every theorem that cites it (so the basic facts come first).

Node ``URL`` attributes point at the theorem pages, relative to the run folder, so
``dot -Tsvg theorems.dot`` gives a clickable picture beside the site.
"""

from __future__ import annotations

from .model import Site

__all__ = ["dot_text"]


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def dot_text(site: Site) -> str:
    lines = ["digraph theorems {",
             "  rankdir=TB;",
             '  node [shape=box, style="rounded", fontname="sans-serif"];']
    for t in site.theorems:
        attrs = [f"label={_quote(t.id + chr(10) + t.readable)}", f"URL={_quote(t.href)}",
                 f"tooltip={_quote(t.method or 'direct')}"]
        lines.append(f"  {_quote(t.id)} [{', '.join(attrs)}];")
    for t in site.theorems:
        for dep in t.dependencies:
            lines.append(f"  {_quote(dep)} -> {_quote(t.id)};")
    lines.append("}")
    return "\n".join(lines) + "\n"
