"""The one error type for user mistakes in MPL input, with file:line:col and a caret."""

from __future__ import annotations

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


def error_at(message: str, text: str, file: str, line: int, column: int) -> MPLError:
    lines = text.splitlines()
    source_line = lines[line - 1] if 0 < line <= len(lines) else None
    return MPLError(message, Position(file, line, column), source_line)


def read_source(path, what: str = "file") -> str:
    """The text of ``path`` as UTF-8; an ``MPLError`` naming the file otherwise.

    A file that cannot be opened says why; bytes that are not UTF-8 are located by
    byte offset and by line and column (``f.mpl:3:7: not UTF-8 text: byte 0xff at
    offset 41``), so a binary or mis-encoded file is one clear message.
    """
    try:
        with open(path, "rb") as handle:
            data = handle.read()
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
