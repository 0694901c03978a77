"""Durable storage of collections and points in one SQLite database (WAL mode).

Tables::

    meta(key PRIMARY KEY, value)                     format, version, operations counter
    collections(name PRIMARY KEY, dim, binding, seed, created, distance)
    points(seq INTEGER PRIMARY KEY AUTOINCREMENT, collection, key, id, payload, vector,
           encoded, version)

``points.key`` is the point id's JSON text (unique per collection), ``id`` the
same id as JSON, ``payload`` JSON text or NULL, ``vector`` ``dim`` little-endian
float32 values, ``encoded`` 1 when the vector is the MBAT encoding of the payload
(it follows payload changes), ``version`` the number of the operation that last
wrote the point.  ``seq`` orders points by first insertion: an upsert of an existing
id keeps its ``seq``, so loading ``ORDER BY seq`` rebuilds the index rows in the
same order and ties between equal scores break the same way after a restart.
Every write transaction takes the next operation number (``meta.operations``) and
returns it; the service reports it as Qdrant's ``operation_id``.  A file of version
1 (before the distance, ``encoded`` and ``version`` columns) is upgraded in place
when opened: its collections are Cosine, its points keep their vectors as given.

One service at a time: the store holds an exclusive ``flock`` on ``PATH.lock``
(released by the kernel if the process dies), because each service keeps the
data in memory and two would drift apart.  Every write method runs one transaction (``BEGIN IMMEDIATE`` .. ``COMMIT``) with
``synchronous=FULL``: when it returns, the write is on disk, so the service can
acknowledge it.  One connection is shared by the service's threads behind a lock.
This module does not encode, validate or search; it stores what it is given.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import threading
from dataclasses import dataclass
from typing import Any, Iterator, Sequence

import numpy as np

__all__ = ["Store", "StoreError", "CollectionRecord", "PointRecord"]

FORMAT = "genlogic.service.store"
VERSION = "2"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS collections (
    name TEXT PRIMARY KEY,
    dim INTEGER NOT NULL,
    binding TEXT NOT NULL,
    seed INTEGER NOT NULL,
    created INTEGER NOT NULL,
    distance TEXT NOT NULL DEFAULT 'Cosine'
);
CREATE TABLE IF NOT EXISTS points (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    collection TEXT NOT NULL REFERENCES collections(name) ON DELETE CASCADE,
    key TEXT NOT NULL,
    id TEXT NOT NULL,
    payload TEXT,
    vector BLOB NOT NULL,
    encoded INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 0,
    UNIQUE (collection, key)
);
"""
UPGRADE_FROM_1 = (
    "ALTER TABLE collections ADD COLUMN distance TEXT NOT NULL DEFAULT 'Cosine'",
    "ALTER TABLE points ADD COLUMN encoded INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE points ADD COLUMN version INTEGER NOT NULL DEFAULT 0",
)


class StoreError(Exception):
    """The database file cannot be used (not ours, newer version, unreadable)."""


@dataclass(frozen=True)
class CollectionRecord:
    name: str
    dim: int
    binding: str
    seed: int
    distance: str = "Cosine"


@dataclass(frozen=True)
class PointRecord:
    key: str
    point_id: int | str
    payload: Any
    vector: np.ndarray
    encoded: bool = False
    version: int = 0


class Store:
    """The SQLite file behind the service; every write is committed before returning."""

    def __init__(self, path: str | os.PathLike):
        self.path = os.fspath(path)
        self._lock = threading.Lock()
        directory = os.path.dirname(os.path.abspath(self.path))
        if not os.path.isdir(directory):
            raise StoreError(f"{self.path}: directory {directory} does not exist")
        try:
            self._lock_file = open(f"{self.path}.lock", "a+b")
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot create the lock file: {exc.strerror or exc}") from None
        try:
            fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._lock_file.close()
            raise StoreError(f"{self.path}: another service is using this database") from None
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._check_format()
        except sqlite3.DatabaseError as exc:
            self._lock_file.close()
            raise StoreError(f"{self.path}: not a usable SQLite database ({exc})") from None
        except StoreError:
            self._lock_file.close()
            raise

    def _check_format(self) -> None:
        tables = {row[0] for row in self._db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")}
        if tables and "meta" not in tables:
            raise StoreError(f"{self.path}: a SQLite database of something else "
                             f"(tables {', '.join(sorted(tables))})")
        with self._transaction() as db:
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            found = dict(db.execute("SELECT key, value FROM meta").fetchall())
            if not found:
                db.executemany("INSERT INTO meta VALUES (?, ?)",
                               [("format", FORMAT), ("version", VERSION), ("operations", "0")])
            elif found.get("format") != FORMAT:
                raise StoreError(f"{self.path}: not a genlogic service database")
            elif found.get("version") == "1":
                for statement in UPGRADE_FROM_1:
                    db.execute(statement)
                db.execute("UPDATE meta SET value = ? WHERE key = 'version'", (VERSION,))
                db.execute("INSERT OR IGNORE INTO meta VALUES ('operations', '0')")
            elif found.get("version") != VERSION:
                raise StoreError(f"{self.path}: database version {found.get('version')} "
                                 f"is not supported (this service reads version {VERSION})")

    class _Transaction:
        def __init__(self, store: "Store"):
            self.store = store

        def __enter__(self) -> sqlite3.Connection:
            self.store._lock.acquire()
            try:
                self.store._db.execute("BEGIN IMMEDIATE")
            except BaseException:
                self.store._lock.release()
                raise
            return self.store._db

        def __exit__(self, kind, value, traceback) -> None:
            try:
                self.store._db.execute("COMMIT" if kind is None else "ROLLBACK")
            finally:
                self.store._lock.release()

    def _transaction(self) -> "Store._Transaction":
        return Store._Transaction(self)

    @staticmethod
    def _next_operation(db: sqlite3.Connection) -> int:
        db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'operations'")
        return int(db.execute("SELECT value FROM meta WHERE key = 'operations'").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()
            self._lock_file.close()

    # -- reads (at start-up) -----------------------------------------------------------
    def collections(self) -> list[CollectionRecord]:
        with self._lock:
            rows = self._db.execute(
                "SELECT name, dim, binding, seed, distance FROM collections ORDER BY created, name").fetchall()
        return [CollectionRecord(*row) for row in rows]

    def points(self, collection: str, dim: int) -> Iterator[PointRecord]:
        """The collection's points in insertion order (``seq``)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT key, id, payload, vector, encoded, version FROM points WHERE collection = ? "
                "ORDER BY seq", (collection,)).fetchall()
        for key, point_id, payload, blob, encoded, version in rows:
            vector = np.frombuffer(blob, dtype="<f4")
            if vector.shape != (dim,):
                raise StoreError(f"{self.path}: point {key} of {collection!r} has "
                                 f"{vector.shape[0]} numbers, not {dim}")
            yield PointRecord(key, json.loads(point_id),
                              None if payload is None else json.loads(payload),
                              vector.astype(np.float32), bool(encoded), int(version))

    # -- writes ------------------------------------------------------------------------
    def create_collection(self, record: CollectionRecord) -> None:
        with self._transaction() as db:
            created = db.execute("SELECT COALESCE(MAX(created), 0) + 1 FROM collections").fetchone()[0]
            db.execute("INSERT INTO collections (name, dim, binding, seed, created, distance) "
                       "VALUES (?, ?, ?, ?, ?, ?)",
                       (record.name, record.dim, record.binding, record.seed, created, record.distance))

    def delete_collection(self, name: str) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM points WHERE collection = ?", (name,))
            db.execute("DELETE FROM collections WHERE name = ?", (name,))

    def upsert_points(self, collection: str, keys: Sequence[str], ids: Sequence[int | str],
                      payloads: Sequence[Any], vectors: np.ndarray,
                      encoded: Sequence[bool] | None = None) -> int:
        """Insert or replace points; a replaced point keeps its place (``seq``).
        ``encoded`` (default: none) marks vectors that encode their payload.
        Returns the operation number, which becomes every written point's version."""
        encoded = [False] * len(keys) if encoded is None else encoded
        vectors = np.ascontiguousarray(vectors, dtype="<f4")
        rows = [(collection, key, json.dumps(point_id),
                 None if payload is None else json.dumps(payload, ensure_ascii=False),
                 vectors[i].tobytes(), int(bool(flag)))
                for i, (key, point_id, payload, flag) in enumerate(zip(keys, ids, payloads, encoded))]
        with self._transaction() as db:
            operation = self._next_operation(db)
            db.executemany(
                "INSERT INTO points (collection, key, id, payload, vector, encoded, version) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (collection, key) DO UPDATE SET payload = excluded.payload, "
                "vector = excluded.vector, encoded = excluded.encoded, version = excluded.version",
                [row + (operation,) for row in rows])
        return operation

    def delete_points(self, collection: str, keys: Sequence[str]) -> int:
        """Delete points by key; returns the operation number."""
        with self._transaction() as db:
            operation = self._next_operation(db)
            db.executemany("DELETE FROM points WHERE collection = ? AND key = ?",
                           [(collection, key) for key in keys])
        return operation
