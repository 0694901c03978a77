"""The exploration journal: every proof attempt, appended and fsynced as it happens.

``journal.jsonl`` in a run's output folder starts with a header (theory hash and
options) and then holds one line per attempt, in order: the conjecture's MPL and,
when it was proved, the theorem's proof-graph entry.  A crash loses at most the
attempt in flight.  ``--resume`` replays the recorded attempts instead of redoing
them; since every attempt names its fresh variables after its own number, the
resumed run continues exactly as the uninterrupted one would have, and writes the
same proof graph.  A torn last line (a crash mid-write) is ignored.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

__all__ = ["Journal", "JournalMismatch"]

VERSION = 1


class JournalMismatch(ValueError):
    """The journal on disk belongs to another theory, other options or another order."""


class Journal:
    def __init__(self, path: str | Path, header: dict, resume: bool = False):
        self.path = Path(path)
        self.header = {"journal": VERSION, **header}
        self.replay: list[dict] = []
        if resume and self.path.exists():
            self.replay = self._read()
            self._handle = open(self.path, "a", encoding="utf-8")
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = open(self.path, "w", encoding="utf-8")
            self._write(self.header)
        self.replayed = 0

    def _read(self) -> list[dict]:
        lines = self.path.read_text(encoding="utf-8").splitlines()
        records = []
        for number, line in enumerate(lines):
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                if number == len(lines) - 1:
                    break                     # torn by a crash mid-write: that attempt reruns
                raise JournalMismatch(f"{self.path}:{number + 1}: unreadable journal line")
        if not records or records[0] != self.header:
            raise JournalMismatch(f"{self.path}: written for another theory or other options")
        if lines and not lines[-1].endswith("}"):
            # drop the torn tail so appended records start on a clean line
            with open(self.path, "w", encoding="utf-8") as handle:
                handle.write("\n".join(lines[:len(records)]) + "\n")
        return records[1:]

    def _write(self, record: dict) -> None:
        self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def recorded(self, attempt: int, mpl: str) -> dict | None:
        """The recorded outcome of attempt number ``attempt`` (1-based), if replaying."""
        if attempt > len(self.replay):
            return None
        record = self.replay[attempt - 1]
        if record.get("attempt") != attempt or record.get("mpl") != mpl:
            raise JournalMismatch(f"{self.path}: attempt {attempt} was {record.get('mpl')}, "
                                  f"now {mpl}")
        self.replayed += 1
        return record

    def record(self, attempt: int, mpl: str, entry: dict | None) -> None:
        self._write({"attempt": attempt, "mpl": mpl, "entry": entry})

    def close(self) -> None:
        self._handle.close()
