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
