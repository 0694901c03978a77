"""Independent proof checking: re-check every step of a ``proof_graph.json``.

Uses only the JSON, the theory (its file, or the text the graph embeds) and
``genlogic.mpl``; never the kernel or the
engine (a test scans the imports).  ``verify_path(dir)`` returns a ``Report``.
"""

from .graph import verify_graph, verify_path
from .report import RULES, Report

__all__ = ["verify_path", "verify_graph", "Report", "RULES"]
