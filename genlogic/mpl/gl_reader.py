"""Reader for the earlier Generative Logic system's layout: a definitions folder
plus one of its ``Config*.json`` files.

The config maps each relation name to an entry with (among settings this reader
ignores) ``arity``, ``full_mpl`` and ``short_mpl``:

- ``short_mpl`` is one atom, ``(fXY[f,X,Y])``: the name and its parameters in order;
- ``full_mpl`` is the name of a file in the definitions folder holding one MPL
  expression (the body; its free names are the parameters), or, for the built-in
  relations ``in``, ``in2``, ``in3`` and ``=``, an inline atom (skipped here);
- entries whose name starts with ``Anchor`` are anchors.

Entries that are not objects with an ``arity`` (the global settings) are ignored.
The result is the same ``Theory`` the ``.mpl`` loader builds, run through the same
checks; every mistake is an ``MPLError`` naming file, line and column.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .ast import Atom
from .errors import MPLError, Position, error_at
from .parser import PositionMap, RawItem, parse_expr
from .theory import BUILTINS, Theory, _build

__all__ = ["load_gl"]


_COLON = re.compile(r"\s*:")


def _top_level_keys(text: str) -> list[tuple[int, str]]:
    """(offset, key) of each key of the outermost JSON object, in order (nested keys
    skipped).  Only called on text ``json`` has accepted."""
    keys: list[tuple[int, str]] = []
    depth, i, n = 0, 0, len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            start = i
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            if depth == 1 and _COLON.match(text, i + 1):
                keys.append((start, json.loads(text[start:i + 1])))
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
        i += 1
    return keys


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _value_position(text: str, entry_offset: int, field: str) -> tuple[int, int, int]:
    """(line, column, offset) of the string value of ``field`` inside an entry."""
    match = re.compile(r'"' + re.escape(field) + r'"\s*:\s*(")').search(text, entry_offset)
    if not match:
        line, column = _line_col(text, entry_offset)
        return line, column, entry_offset
    offset = match.start(1)
    return _line_col(text, offset) + (offset,)


def _read_text(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise MPLError(f"{path}: cannot read {what}: {reason}") from None


def _embedded(text: str, start: int, end: int) -> str:
    """``text`` with everything outside ``[start, end)`` blanked (newlines kept), so an
    expression parsed from it reports positions in the whole file."""
    blank = re.sub(r"[^\n]", " ", text)
    return blank[:start] + text[start:end] + blank[end:]


def load_gl(config_path: str | Path, definitions_dir: str | Path | None = None) -> Theory:
    """Load a Generative Logic config and its definitions as a checked ``Theory``.

    ``definitions_dir`` defaults to ``<config folder>/../definitions``.
    """
    config_path = Path(config_path)
    config_text = _read_text(config_path, "config file")
    config_file = str(config_path)
    try:
        config = json.loads(config_text)
    except json.JSONDecodeError as exc:
        raise error_at(f"invalid JSON: {exc.msg}", config_text, config_file, exc.lineno,
                       exc.colno) from None
    if not isinstance(config, dict):
        raise error_at("a config file holds one JSON object", config_text, config_file, 1, 1)
    key_offsets: dict[str, int] = {}
    for offset, key in _top_level_keys(config_text):
        if key in key_offsets:
            raise error_at(f"duplicate entry {key!r}", config_text, config_file,
                           *_line_col(config_text, offset))
        key_offsets[key] = offset
    folder = Path(definitions_dir) if definitions_dir is not None \
        else config_path.parent.parent / "definitions"
    if not folder.is_dir():
        raise MPLError(f"{folder}: no definitions folder (give it with --definitions)")

    sources: dict[str, str] = {config_file: config_text}
    positions: PositionMap = {}
    items: list[tuple[RawItem, str]] = []
    for name, entry in config.items():
        offset = key_offsets.get(name, 0)
        line, col = _line_col(config_text, offset)
        if not (isinstance(entry, dict) and "arity" in entry):
            continue                         # global settings, not a relation
        if name in BUILTINS:
            continue

        def fail(message: str, field: str | None = None):
            if field is None:
                return error_at(message, config_text, config_file, line, col)
            f_line, f_col, _ = _value_position(config_text, offset, field)
            return error_at(message, config_text, config_file, f_line, f_col)

        short, full, arity = entry.get("short_mpl"), entry.get("full_mpl"), entry.get("arity")
        if not isinstance(short, str):
            raise fail(f"entry {name!r} has no short_mpl")
        if not isinstance(full, str):
            raise fail(f"entry {name!r} has no full_mpl")
        s_line, s_col, s_off = _value_position(config_text, offset, "short_mpl")
        try:
            head = parse_expr(_embedded(config_text, s_off + 1, s_off + 1 + len(short)),
                              config_file)
        except MPLError as exc:
            raise fail(f"short_mpl of {name!r} is not one atom: {exc.message}",
                       "short_mpl") from None
        if not isinstance(head, Atom):
            raise fail(f"short_mpl of {name!r} is not one atom", "short_mpl")
        if len(set(head.args)) != len(head.args):
            raise fail(f"repeated parameter in {name!r}", "short_mpl")
        if head.name != name:
            raise fail(f"short_mpl of {name!r} names {head.name!r}", "short_mpl")
        if not isinstance(arity, int) or arity != len(head.args):
            raise fail(f"entry {name!r}: arity {arity!r} but short_mpl has "
                       f"{len(head.args)} parameters", "short_mpl")

        if full.endswith(".txt"):
            path = folder / full
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                raise fail(f"cannot read definition file {str(path)!r}", "full_mpl") from None
            file = str(path)
            found: PositionMap = {}
            body = parse_expr(text, file, found)
            def_pos = Position(file, 1, 1)
            nonblank = re.search(r"\S", text)
            if nonblank:
                def_pos = Position(file, *_line_col(text, nonblank.start()))
        else:                                # an inline expression inside the config
            f_line, f_col, f_off = _value_position(config_text, offset, "full_mpl")
            file, text = config_file, config_text
            found = {}
            try:
                body = parse_expr(_embedded(config_text, f_off + 1, f_off + 1 + len(full)),
                                  config_file, found)
            except MPLError as exc:
                raise fail(f"full_mpl of {name!r}: {exc.message}", "full_mpl") from None
            def_pos = Position(file, f_line, f_col + 1)
        sources[file] = text
        for node, pos in found.items():
            positions.setdefault(node, pos)
        kind = "anchor" if name.startswith("Anchor") else "def"
        items.append((RawItem(kind, name, head.args, None, body, def_pos, def_pos, found),
                      text))
    return _build(config_file, items, sources, positions)
