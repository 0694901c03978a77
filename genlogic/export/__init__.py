"""Exports of a proof graph: the static HTML proof browser, TSTP derivation and DOT graph.

``export_all(run_dir)`` regenerates everything from ``run_dir/proof_graph.json`` alone.
The modules, in dependency order: ``model`` (the view of the graph), ``glossary`` (the
rules in words), ``svg``, ``tstp`` and ``dot`` (renderers), ``site`` (templates, files).
"""

from .model import GraphError
from .site import export_all

__all__ = ["export_all", "GraphError"]
