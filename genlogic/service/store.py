"""Durable storage of collections and points in one SQLite database (WAL mode).

Tables::

    meta(key PRIMARY KEY, value)                     format and version of the file
    collections(name PRIMARY KEY, dim, binding, seed, created)
    points(seq INTEGER PRIMARY KEY AUTOINCREMENT, collection, key, id, payload, vector)

``points.key`` is the point id's JSON text (unique per collection), ``id`` the
same id as JSON, ``payload`` JSON text or NULL, ``vector`` ``dim`` little-endian
float32 values.  ``seq`` orders points by first insertion: an upsert of an existing
id keeps its ``seq``, so loading ``ORDER BY seq`` rebuilds the index rows in the
same order and ties between equal scores break the same way after a restart.

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
VERSION = "1"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS collections (
    name TEXT PRIMARY KEY,
    dim INTEGER NOT NULL,
    binding TEXT NOT NULL,
    seed INTEGER NOT NULL,
    created INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS points (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    collection TEXT NOT NULL REFERENCES collections(name) ON DELETE CASCADE,
    key TEXT NOT NULL,
    id TEXT NOT NULL,
    payload TEXT,
    vector BLOB NOT NULL,
    UNIQUE (collection, key)
);
"""


class StoreError(Exception):
    """The database file cannot be used (not ours, newer version, unreadable)."""


@dataclass(frozen=True)
class CollectionRecord:
    name: str
    dim: int
    binding: str
    seed: int


@dataclass(frozen=True)
class PointRecord:
    key: str
    point_id: int | str
    payload: Any
    vector: np.ndarray


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
                db.executemany("INSERT INTO meta VALUES (?, ?)", [("format", FORMAT), ("version", VERSION)])
            elif found.get("format") != FORMAT:
                raise StoreError(f"{self.path}: not a genlogic service database")
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

    def close(self) -> None:
        with self._lock:
            self._db.close()
            self._lock_file.close()

    # -- reads (at start-up) -----------------------------------------------------------
    def collections(self) -> list[CollectionRecord]:
        with self._lock:
            rows = self._db.execute(
                "SELECT name, dim, binding, seed FROM collections ORDER BY created, name").fetchall()
        return [CollectionRecord(*row) for row in rows]

    def points(self, collection: str, dim: int) -> Iterator[PointRecord]:
        """The collection's points in insertion order (``seq``)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT key, id, payload, vector FROM points WHERE collection = ? ORDER BY seq",
                (collection,)).fetchall()
        for key, point_id, payload, blob in rows:
            vector = np.frombuffer(blob, dtype="<f4")
            if vector.shape != (dim,):
                raise StoreError(f"{self.path}: point {key} of {collection!r} has "
                                 f"{vector.shape[0]} numbers, not {dim}")
            yield PointRecord(key, json.loads(point_id),
                              None if payload is None else json.loads(payload),
                              vector.astype(np.float32))

    # -- writes ------------------------------------------------------------------------
    def create_collection(self, record: CollectionRecord) -> None:
        with self._transaction() as db:
            created = db.execute("SELECT COALESCE(MAX(created), 0) + 1 FROM collections").fetchone()[0]
            db.execute("INSERT INTO collections VALUES (?, ?, ?, ?, ?)",
                       (record.name, record.dim, record.binding, record.seed, created))

    def delete_collection(self, name: str) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM points WHERE collection = ?", (name,))
            db.execute("DELETE FROM collections WHERE name = ?", (name,))

    def upsert_points(self, collection: str, keys: Sequence[str], ids: Sequence[int | str],
                      payloads: Sequence[Any], vectors: np.ndarray) -> None:
        """Insert or replace points; a replaced point keeps its place (``seq``)."""
        vectors = np.ascontiguousarray(vectors, dtype="<f4")
        rows = [(collection, key, json.dumps(point_id),
                 None if payload is None else json.dumps(payload, ensure_ascii=False),
                 vectors[i].tobytes())
                for i, (key, point_id, payload) in enumerate(zip(keys, ids, payloads))]
        with self._transaction() as db:
            db.executemany(
                "INSERT INTO points (collection, key, id, payload, vector) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (collection, key) DO UPDATE SET payload = excluded.payload, "
                "vector = excluded.vector", rows)

    def delete_points(self, collection: str, keys: Sequence[str]) -> None:
        with self._transaction() as db:
            db.executemany("DELETE FROM points WHERE collection = ? AND key = ?",
                           [(collection, key) for key in keys])
