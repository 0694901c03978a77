"""A picture of the theorem dependency graph as SVG, laid out here without external tools.

The picture shows all theorems (``graph.svg``) or a chosen few (``overview``: the
essential theorems on the index page), an arrow from A to B when B's proof uses A,
directly or through theorems left out of the picture.

Layout: a theorem's layer is its depth among the theorems drawn (0 if it uses none of
them, else one more than the deepest one it uses), drawn top to bottom.  Inside a layer the
theorems are ordered by the mean horizontal position of the theorems they cite
(barycentre), ties by proof order, then each layer is centred.  Edges run from a cited
theorem down to the theorems citing it; a citation already implied by a chain of others
is not drawn (``theorems.dot`` keeps every one).  An edge spanning several layers passes
through a narrow waypoint in each, so it goes around the nodes, not through them.  Each
node is an ``<a>`` to the theorem's page, relative to the run folder.  Text widths are
estimated from character counts: no font metrics, the same output on every machine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from .model import Site, TheoremView

__all__ = ["graph_svg", "overview", "OVERVIEW_LIMIT"]

OVERVIEW_LIMIT = 40      # theorems a picture shows at once before it stops being readable

_CHAR_TITLE = 7.6        # estimated width of one character of the 13px bold title
_CHAR_TEXT = 6.6         # ... of the 12px statement
_PAD = 12
_NODE_HEIGHT = 44
_LAYER_GAP = 56
_NODE_GAP = 18
_MARGIN = 16
_MAX_STATEMENT = 44
_WAYPOINT = 6
_WAYPOINT_GAP = 3

_STYLE = (
    ".depgraph text{font-family:system-ui,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;fill:#1d2433}"
    ".depgraph .title{font-size:13px;font-weight:600}"
    ".depgraph .statement{font-size:12px;fill:#4a5368}"
    ".depgraph rect{fill:#ffffff;stroke:#8a94a8;stroke-width:1.2}"
    ".depgraph .induction rect{fill:#f3f0ff;stroke:#7b68c8}"
    ".depgraph .corollary rect{fill:#eef7f1;stroke:#5f9a73}"
    ".depgraph a:hover rect,.depgraph a:focus rect{stroke:#c2410c;stroke-width:2.2}"
    ".depgraph .edge{fill:none;stroke:#9aa3b5;stroke-width:1.2}"
    ".depgraph .arrowhead{fill:#9aa3b5}"
)


@dataclass
class _Box:
    """A theorem's node, or (``theorem`` None) a point where a long edge crosses a layer."""
    theorem: TheoremView | None
    statement: str
    width: float
    order: tuple[int, int]              # tie-break: proof order, then edge order
    above: list["_Box"] = field(default_factory=list)   # neighbours in the layer above
    x: float = 0.0
    y: float = 0.0

    @property
    def centre(self) -> float:
        return self.x + self.width / 2


def _shorten(text: str) -> str:
    return text if len(text) <= _MAX_STATEMENT else text[:_MAX_STATEMENT - 1] + "…"


def overview(site: Site) -> list[TheoremView]:
    """The theorems the index page draws: the essential ones when the run marked some;
    else all of them when they are few; else those the most others use, at most
    ``OVERVIEW_LIMIT`` (in proof order)."""
    essential = [t for t in site.theorems if t.essential]
    if essential:
        return essential
    if len(site.theorems) <= OVERVIEW_LIMIT:
        return list(site.theorems)
    most = sorted(site.theorems, key=lambda t: (-len(t.used_by), t.index))[:OVERVIEW_LIMIT]
    return sorted(most, key=lambda t: t.index)


def _direct_citations(site: Site, shown: set[str]) -> dict[str, list[str]]:
    """The dependencies to draw between the ``shown`` theorems: B uses A when a chain of
    citations leads from B to A, minus the uses implied by a longer chain through other
    shown theorems (the transitive reduction), so hubs do not flood the picture."""
    below: dict[str, set[str]] = {}          # every theorem reachable through citations
    drawn: dict[str, list[str]] = {}
    for t in site.theorems:                  # proof order: dependencies come first
        deps = [d for d in t.dependencies if d in below]
        reach = set(deps).union(*(below[d] for d in deps))
        below[t.id] = reach
        if t.id in shown:
            used = [d.id for d in site.theorems if d.id in reach and d.id in shown]
            implied = set().union(*(below[d] for d in used)) if used else set()
            keep = {d for d in used if d not in implied}
            # the order of the proof's own citations first (the picture of every theorem
            # is then the same as before), then those reached through left-out theorems
            drawn[t.id] = [d for d in t.dependencies if d in keep] + \
                [d for d in used if d in keep and d not in t.dependencies]
    return drawn


def _depths(theorems: list[TheoremView], drawn: dict[str, list[str]]) -> dict[str, int]:
    depth: dict[str, int] = {}
    for t in theorems:                       # proof order
        depth[t.id] = 1 + max((depth[d] for d in drawn[t.id]), default=-1)
    return depth


def _layout(site: Site, theorems: list[TheoremView]
            ) -> tuple[list[_Box], list[list[_Box]], float, float]:
    """Place the nodes; return them, each edge's chain of boxes, and the picture's size.

    An edge spanning several layers gets a narrow waypoint in every layer it crosses, so
    it is routed around the nodes instead of through them (the usual layered drawing).
    """
    boxes: dict[str, _Box] = {}
    for t in theorems:
        statement = _shorten(t.readable)
        width = max(len(t.id) * _CHAR_TITLE, len(statement) * _CHAR_TEXT, 60) + 2 * _PAD
        boxes[t.id] = _Box(t, statement, round(width, 1), (t.index, 0))
    drawn = _direct_citations(site, set(boxes))
    depth_of = _depths(theorems, drawn)
    layers: dict[int, list[_Box]] = {}
    for t in theorems:
        layers.setdefault(depth_of[t.id], []).append(boxes[t.id])
    edges: list[list[_Box]] = []
    for t in theorems:
        for dep in drawn[t.id]:
            chain = [boxes[dep]]
            for depth in range(depth_of[dep] + 1, depth_of[t.id]):
                waypoint = _Box(None, "", _WAYPOINT, (t.index, len(edges) + 1))
                waypoint.above.append(chain[-1])
                layers.setdefault(depth, []).append(waypoint)
                chain.append(waypoint)
            boxes[t.id].above.append(chain[-1])
            chain.append(boxes[t.id])
            edges.append(chain)
    rows = [layers[d] for d in sorted(layers)]
    for row in rows:   # barycentre order from the layer above, which is already placed
        def key(box: _Box) -> tuple[float, tuple[int, int]]:
            cited = [b.centre for b in box.above]
            return (sum(cited) / len(cited) if cited else 0.0, box.order)
        row.sort(key=key)
        x, previous = 0.0, None
        for box in row:
            if previous is not None:   # waypoints side by side pack tightly
                both = previous.theorem is None and box.theorem is None
                x += _WAYPOINT_GAP if both else _NODE_GAP
            box.x = x
            x += box.width
            previous = box
    widest = max((row[-1].x + row[-1].width for row in rows), default=0.0)
    for depth, row in enumerate(rows):
        shift = (widest - (row[-1].x + row[-1].width)) / 2 + _MARGIN
        for box in row:
            box.x = round(box.x + shift, 1)
            box.y = _MARGIN + depth * (_NODE_HEIGHT + _LAYER_GAP)
    height = _MARGIN * 2 + len(rows) * _NODE_HEIGHT + max(len(rows) - 1, 0) * _LAYER_GAP
    nodes = [box for row in rows for box in row if box.theorem is not None]
    return nodes, edges, round(widest + 2 * _MARGIN, 1), float(height)


def _edge_path(chain: list[_Box]) -> str:
    """Smooth vertical curves from the cited node's bottom, through waypoints, to the top."""
    first = chain[0]
    x, y = first.centre, first.y + _NODE_HEIGHT
    parts = [f"M{x:.1f},{y:.1f}"]
    for box in chain[1:]:
        x2, y2 = box.centre, box.y
        bend = (y2 - y) / 2
        parts.append(f"C{x:.1f},{y + bend:.1f} {x2:.1f},{y2 - bend:.1f} {x2:.1f},{y2:.1f}")
        x, y = x2, y2
        if box.theorem is None:         # pass straight down through the waypoint's layer
            y = box.y + _NODE_HEIGHT
            parts.append(f"L{x:.1f},{y:.1f}")
    return " ".join(parts)


def graph_svg(site: Site, standalone: bool, theorems: list[TheoremView] | None = None,
              root: str = "") -> str:
    """The SVG text of ``theorems`` (default: all); ``standalone`` adds what a ``.svg``
    file needs (XML namespace).  Links are relative to ``root``, the run folder.

    Embedded in HTML the namespace is implied, so the pages carry no URL at all.
    """
    boxes, edges, width, height = _layout(site, site.theorems if theorems is None else theorems)
    ns = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    out = [f'<svg{ns} class="depgraph" viewBox="0 0 {width:g} {max(height, 1):g}" '
           f'width="{width:g}" height="{height:g}" role="img" aria-labelledby="depgraph-title">',
           '<title id="depgraph-title">Theorem dependencies: an arrow from A to B means '
           'the proof of B cites A</title>',
           f"<style>{_STYLE}</style>",
           '<defs><marker id="depgraph-arrow" viewBox="0 0 8 8" refX="8" refY="4" '
           'markerWidth="8" markerHeight="8" orient="auto">'
           '<path class="arrowhead" d="M0,0 L8,4 L0,8 z"/></marker></defs>',
           '<g class="edges">']
    for chain in edges:
        source, target = chain[0].theorem, chain[-1].theorem
        out.append(f'<path class="edge" data-from="{escape(source.id)}" data-to="{escape(target.id)}" '
                   f'd="{_edge_path(chain)}" marker-end="url(#depgraph-arrow)"/>')
    out.append("</g>")
    out.append('<g class="nodes">')
    for box in boxes:
        t = box.theorem
        method = t.method.split(" ")[0] if t.method else "direct"
        out.append(
            f'<a class="node {escape(method)}" href="{escape(root + t.href)}" data-theorem="{escape(t.id)}">'
            f"<title>{escape(t.id)}: {escape(t.readable)} ({escape(t.method or 'direct')})</title>"
            f'<rect x="{box.x:g}" y="{box.y:g}" width="{box.width:g}" height="{_NODE_HEIGHT}" rx="6"/>'
            f'<text class="title" x="{box.centre:.1f}" y="{box.y + 18:g}" text-anchor="middle">'
            f"{escape(t.id)}</text>"
            f'<text class="statement" x="{box.centre:.1f}" y="{box.y + 35:g}" text-anchor="middle">'
            f"{escape(box.statement)}</text></a>")
    out.append("</g></svg>")
    return "\n".join(out) + "\n"
