"""Find the files a run folder refers to: its proof graph and the theory the graph names.

``locate_theory`` is the one lookup ``genlogic verify`` and ``genlogic export`` share.
The theory file is looked for next to the graph, in ``axioms/`` of the current folder,
then in ``axioms/`` of each folder above the graph.  A graph that embeds its theory (the
``files`` manifest of its ``theory`` object) is checkable anywhere: the first candidate
whose files all have the recorded sha256 is used; a candidate that differs is an error
(``TheoryEdited``: the file was edited since the run); with no candidate at all, the
theory is loaded from the embedded text.  A graph without a manifest (written before
it existed) keeps the older rule: the first candidate whose source hash matches, else
the first that loads.  ``read_graph_file`` reads a proof graph as a JSON object.  All
raise ``LocateError`` with a one-line message, never anything else.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
from dataclasses import dataclass
from pathlib import Path

from .errors import MPLError
from .theory import Theory, load, load_files, text_sha256

__all__ = ["LocateError", "BadManifest", "TheoryEdited", "Located", "GRAPH_FILE", "graph_file",
           "read_graph_file", "theory_candidates", "embedded_files", "hash_matches",
           "locate_theory", "find_theory"]

GRAPH_FILE = "proof_graph.json"


class LocateError(Exception):
    """A file a run refers to cannot be found, read or loaded; the message says which."""


class BadManifest(LocateError):
    """The theory a graph embeds (its ``files``) is malformed or does not hash right."""


class TheoryEdited(LocateError):
    """A theory file was found, but it is not the file the run was made from."""

    def __init__(self, message: str, file: str):
        super().__init__(message)
        self.file = file


@dataclass(frozen=True)
class Located:
    """The theory a graph is checked against and where it came from (for messages)."""

    theory: Theory
    where: str                  # the file's path, or "NAME (embedded in the graph)"
    embedded: bool


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


def embedded_files(reference: dict) -> dict[str, str] | None:
    """The theory files a graph's ``theory`` object embeds (relative name -> text, the
    main file first), checked; None when it embeds none (a graph from before)."""
    if not isinstance(reference, dict) or "files" not in reference:
        return None
    entries = reference["files"]
    what = "the proof graph's theory field 'files'"
    if not isinstance(entries, list) or not entries:
        raise BadManifest(f"{what} should be a non-empty list of {{path, sha256, text}} "
                          f"objects")
    files: dict[str, str] = {}
    for i, entry in enumerate(entries):
        if not (isinstance(entry, dict) and all(isinstance(entry.get(k), str)
                                                for k in ("path", "sha256", "text"))):
            raise BadManifest(f"{what}: entry {i} should be an object with the strings "
                              f"'path', 'sha256' and 'text'")
        path, text = entry["path"], entry["text"]
        if not path or posixpath.normpath(path) != path or "\0" in path:
            raise BadManifest(f"{what}: entry {i}: {path!r} is not a normalized relative "
                              f"path")
        if path in files:
            raise BadManifest(f"{what}: {path!r} is listed twice")
        try:
            digest = text_sha256(text)
        except UnicodeEncodeError:          # a lone surrogate: no file holds that text
            raise BadManifest(f"{what}: the embedded text of {path} is not UTF-8 text"
                              ) from None
        if digest != entry["sha256"]:
            raise BadManifest(f"{what}: the embedded text of {path} does not have its "
                              f"recorded sha256 (the graph was altered)")
        files[path] = text
    main = next(iter(files))
    name = reference.get("path")
    if "/" in main or (isinstance(name, str) and Path(name).name != main):
        raise BadManifest(f"{what}: the first entry should be the main theory file "
                          f"{name!r}, not {main!r}")
    return files


def hash_matches(theory: Theory, source_hash: str | None, embedded: bool) -> bool:
    """Whether ``theory`` is the one a graph with ``source_hash`` was made from.  A graph
    without a manifest (``embedded`` false) may carry the older, folder-blind hash."""
    if source_hash is None:
        return False
    return theory.source_hash == source_hash or (
        not embedded and theory.legacy_source_hash == source_hash)


def locate_theory(reference: dict, folder: str | Path,
                  theory_path: str | Path | None = None) -> Located:
    """The theory for a graph in ``folder`` whose ``theory`` object is ``reference``.

    ``theory_path`` wins when given (the caller compares the source hash).  Otherwise
    the candidates are tried in order (``theory_candidates``): see the module text."""
    name = reference.get("path") if isinstance(reference, dict) else None
    if not isinstance(name, str) or not Path(name).name:
        raise LocateError("the proof graph's theory names no file (field 'path')")
    name = Path(name).name
    source_hash = reference.get("source_hash")
    source_hash = source_hash if isinstance(source_hash, str) else None
    if theory_path is not None:             # given: used as it is, whatever the manifest
        files, candidates = None, [Path(theory_path)]
    else:
        files, candidates = embedded_files(reference), theory_candidates(name, Path(folder))
    found = _existing(candidates)
    if files is None:
        theories = []
        for candidate in found:
            theories.append(_load(candidate))
            if hash_matches(theories[-1], source_hash, False):
                return Located(theories[-1], str(candidate), False)
        if theories:                        # none matches: the caller reports the hash
            return Located(theories[0], str(found[0]), False)
        tried = ", ".join(str(c) for c in candidates[:3])
        raise LocateError(f"cannot find theory file {name!r} (tried {tried}"
                          f"{', ...' * (len(candidates) > 3)}); give it with --theory")
    edited: TheoryEdited | None = None
    for candidate in found:
        problem = _differs(candidate, files)
        if problem is None:
            return Located(_load(candidate), str(candidate), False)
        edited = edited or problem
    if edited is not None:
        raise edited
    try:
        theory = load_files(files, next(iter(files)))
    except MPLError as exc:
        raise BadManifest(f"cannot load the theory embedded in the proof graph: {exc}"
                          ) from None
    except RecursionError:
        raise BadManifest("cannot load the theory embedded in the proof graph: nested too "
                          "deeply") from None
    return Located(theory, f"{name} (embedded in the proof graph)", True)


def find_theory(name: str, source_hash: str | None, folder: str | Path,
                theory_path: str | Path | None = None) -> Theory:
    """Load the theory file ``name`` for a graph in ``folder`` (``theory_path`` if given),
    by the rule for graphs without a manifest (``locate_theory`` is the full lookup)."""
    return locate_theory({"path": name, "source_hash": source_hash}, folder,
                         theory_path).theory


def _existing(candidates: list[Path]) -> list[Path]:
    """The candidates that are files, each file once (by its resolved path)."""
    seen, out = set(), []
    for candidate in candidates:
        try:
            if not candidate.is_file() or candidate.resolve() in seen:
                continue
            seen.add(candidate.resolve())
        except (OSError, ValueError):      # unreadable folder, or a name with a NUL byte
            continue
        out.append(candidate)
    return out


def _load(candidate: Path) -> Theory:
    try:
        return load(candidate)
    except MPLError as exc:
        raise LocateError(f"cannot load theory {candidate}: {exc}") from None
    except RecursionError:
        raise LocateError(f"cannot load theory {candidate}: nested too deeply") from None


def _differs(candidate: Path, files: dict[str, str]) -> TheoryEdited | None:
    """Why the theory tree at ``candidate`` is not the embedded one (None if it is): the
    first of its files, main file first, that is missing or has another sha256."""
    folder = candidate.parent
    for i, (rel, text) in enumerate(files.items()):
        disk = candidate if i == 0 else Path(os.path.normpath(folder / rel))
        try:
            data = disk.read_bytes()
        except OSError:
            return TheoryEdited(f"theory file {candidate} is found, but {disk}, which it "
                                f"included when the run was made, cannot be read: the "
                                f"theory changed since the run (restore it, or give the "
                                f"theory with --theory)", str(disk))
        if hashlib.sha256(data).hexdigest() != text_sha256(text):
            return TheoryEdited(f"theory file {disk} was edited since the run: its sha256 "
                                f"differs from the one the proof graph records (restore "
                                f"the file, or give the theory with --theory)", str(disk))
    return None

