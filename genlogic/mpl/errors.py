"""The one error type for user mistakes in MPL input, with file:line:col and a caret."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Position:
    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class MPLError(Exception):
    """A mistake in MPL text: syntax, unknown name, arity, free variable, cycle, include.

    ``str(error)`` is the full message a user sees::

        peano.mpl:3:14: unknown relation 'fXX'
            def Bad[f] := (fXX[f])
                           ^
    """

    def __init__(self, message: str, position: Position | None = None,
                 source_line: str | None = None):
        self.message = message
        self.position = position
        self.source_line = source_line
        super().__init__(self.render())

    @property
    def line(self) -> int | None:
        return self.position.line if self.position else None

    @property
    def column(self) -> int | None:
        return self.position.column if self.position else None

    def render(self) -> str:
        head = f"{self.position}: {self.message}" if self.position else self.message
        if self.source_line is None or self.position is None:
            return head
        text = self.source_line.rstrip("\n").expandtabs(1)
        caret = " " * (max(self.position.column, 1) - 1) + "^"
        return f"{head}\n    {text}\n    {caret}"


class TooLarge(MPLError):
    """Input larger than a configured limit (``MPLError``'s message and position)."""


def error_at(message: str, text: str, file: str, line: int, column: int) -> MPLError:
    lines = text.splitlines()
    source_line = lines[line - 1] if 0 < line <= len(lines) else None
    return MPLError(message, Position(file, line, column), source_line)


def read_source(path, what: str = "file", max_bytes: int | None = None,
                limit_name: str | None = None) -> str:
    """The text of ``path`` as UTF-8; an ``MPLError`` naming the file otherwise.

    A file that cannot be opened says why; bytes that are not UTF-8 are located by
    byte offset and by line and column (``f.mpl:3:7: not UTF-8 text: byte 0xff at
    offset 41``), so a binary or mis-encoded file is one clear message.  A file of more
    than ``max_bytes`` bytes is refused before it is read whole (``limit_name`` names
    the setting that raises the limit).
    """
    try:
        with open(path, "rb") as handle:
            data = handle.read() if max_bytes is None else handle.read(max_bytes + 1)
            if max_bytes is not None and len(data) > max_bytes:
                size = os.fstat(handle.fileno()).st_size      # 0 for a pipe or device
                held = f" ({size:,} bytes)" if size > max_bytes else ""
                setting = f"; set {limit_name} to allow more" if limit_name else ""
                raise TooLarge(f"{what} is larger than the limit of {max_bytes:,} bytes"
                               f"{held}{setting}", Position(str(path), 1, 1))
    except OSError as exc:
        raise MPLError(f"{path}: cannot read {what}: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start
        before = data[:offset]
        line = before.count(b"\n") + 1
        start = before.rfind(b"\n") + 1
        column = len(before[start:].decode("utf-8", errors="replace")) + 1
        raise MPLError(f"{what} is not UTF-8 text: byte 0x{data[offset]:02x} at offset "
                       f"{offset} (line {line}, column {column}) cannot be decoded",
                       Position(str(path), line, column)) from None
