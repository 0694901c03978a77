"""Find the files a run folder refers to: its proof graph and the theory file the graph names.

``find_theory`` is the one lookup ``genlogic verify`` and ``genlogic export`` share: the
file is looked for next to the graph, in ``axioms/`` of the current folder, then in
``axioms/`` of each folder above the graph; the first whose source hash matches the
graph's wins, else the first that loads.  ``read_graph_file`` reads a proof graph as a
JSON object.  Both raise ``LocateError`` with a one-line message, never anything else.
"""

from __future__ import annotations

import json
from pathlib import Path

from .errors import MPLError
from .theory import Theory, load

__all__ = ["LocateError", "GRAPH_FILE", "graph_file", "read_graph_file", "theory_candidates",
           "find_theory"]

GRAPH_FILE = "proof_graph.json"


class LocateError(Exception):
    """A file a run refers to cannot be found, read or loaded; the message says which."""


def graph_file(path: str | Path) -> Path:
    """``path/proof_graph.json`` for a run folder, ``path`` itself for a file."""
    path = Path(path)
    return path / GRAPH_FILE if path.is_dir() else path


def read_graph_file(path: str | Path) -> dict:
    """The proof graph at ``path`` (a run folder or the file) as a JSON object."""
    file = graph_file(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise LocateError(f"cannot read {file}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise LocateError(f"{file} is not UTF-8 text") from None
    try:
        graph = json.loads(text)
    except RecursionError:
        raise LocateError(f"{file}: JSON nested too deeply") from None
    except ValueError as exc:
        raise LocateError(f"{file} is not JSON: {exc}") from None
    if not isinstance(graph, dict):
        kind = {list: "a list", str: "a string", bool: "true or false", type(None): "null"}.get(
            type(graph), "a number")
        raise LocateError(f"{file} is not a proof graph: the JSON is {kind}, not an object")
    return graph


def theory_candidates(name: str, folder: str | Path) -> list[Path]:
    """Where the theory file ``name`` is looked for, for a graph in ``folder``, in order."""
    folder = Path(folder)
    name = Path(name).name
    return [folder / name, Path("axioms") / name] + [up / "axioms" / name for up in folder.parents]


def find_theory(name: str, source_hash: str | None, folder: str | Path,
                theory_path: str | Path | None = None) -> Theory:
    """Load the theory file ``name`` for a graph in ``folder`` (``theory_path`` if given).

    The first candidate whose hash is ``source_hash`` wins; when none matches, the first
    that was found (the caller compares the hash and says so).  A candidate that does not
    load, or no candidate at all, is a ``LocateError``."""
    name = Path(name).name
    candidates = [Path(theory_path)] if theory_path is not None else (
        theory_candidates(name, Path(folder)))
    seen, theories = set(), []
    for candidate in candidates:
        try:
            if not candidate.is_file() or candidate.resolve() in seen:
                continue
            seen.add(candidate.resolve())
        except (OSError, ValueError):      # unreadable folder, or a name with a NUL byte
            continue
        try:
            theories.append(load(candidate))
        except MPLError as exc:
            raise LocateError(f"cannot load theory {candidate}: {exc}") from None
        except RecursionError:
            raise LocateError(f"cannot load theory {candidate}: nested too deeply") from None
        if theories[-1].source_hash == source_hash:
            return theories[-1]
    if theories:
        return theories[0]
    tried = ", ".join(str(c) for c in candidates[:3])
    raise LocateError(f"cannot find theory file {name!r} (tried {tried}"
                      f"{', ...' * (len(candidates) > 3)}); give it with --theory")
