"""Run the real service in a subprocess on 127.0.0.1: for tests and benchmarks.

``ServerProcess(db, api_key=..., theorems=...)`` picks a free ephemeral port,
starts ``python -m genlogic.service serve`` on 127.0.0.1, and ``start()`` waits
until ``/healthz`` answers.  ``stop()`` ends it with SIGTERM (then SIGKILL after a
grace period); ``kill()`` sends SIGKILL at once, as a crash would.  Both are safe
to call twice.  The server's stderr goes to a file next to the database so a
failed start can show why.  Nothing here is used by the service itself.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx

__all__ = ["ServerProcess", "free_port"]

HOST = "127.0.0.1"


def free_port() -> int:
    """A port that was free a moment ago (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class ServerProcess:
    """One ``genlogic serve`` subprocess bound to 127.0.0.1."""

    def __init__(self, db: str, *, api_key: str | None = None, theorems: str | None = None,
                 extra_env: dict | None = None):
        self.db = os.fspath(db)
        self.api_key = api_key
        self.theorems = theorems
        self.extra_env = dict(extra_env or {})
        self.port = 0
        self.process: subprocess.Popen | None = None
        self.log_path = f"{self.db}.server.log"

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def headers(self) -> dict:
        return {"api-key": self.api_key} if self.api_key else {}

    def client(self, **options) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers=self.headers(), timeout=30.0, **options)

    def start(self, timeout: float = 60.0) -> "ServerProcess":
        for attempt in range(3):  # the port may be taken between probing and binding
            self.port = free_port()
            command = [sys.executable, "-m", "genlogic.service", "serve", "--db", self.db,
                       "--host", HOST, "--port", str(self.port)]
            if self.api_key:
                command += ["--api-key", self.api_key]
            if self.theorems:
                command += ["--theorems", self.theorems]
            env = {**os.environ, **self.extra_env}
            env.pop("GENLOGIC_API_KEY", None)
            with open(self.log_path, "ab") as log:
                self.process = subprocess.Popen(command, stdout=log, stderr=log, env=env)
            if self._wait_healthy(timeout):
                return self
            self.stop()
        with open(self.log_path, "r", encoding="utf-8", errors="replace") as log:
            raise RuntimeError(f"the service did not start:\n{log.read()[-4000:]}")

    def _wait_healthy(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1.0).status_code == 200:
                    return True
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        return False

    def healthy(self) -> bool:
        try:
            return httpx.get(f"{self.url}/healthz", timeout=5.0).status_code == 200
        except httpx.HTTPError:
            return False

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self, grace: float = 10.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.kill()

    def __enter__(self) -> "ServerProcess":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
