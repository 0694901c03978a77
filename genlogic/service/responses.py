"""Qdrant's answer envelope and the one way route handlers read a body.

Answers are ``{"result": ..., "status": "ok", "time": seconds}``; errors are
``{"status": {"error": message, "problems": [...]}, "time": seconds}`` with a 4xx
code (``problems`` only for structured bodies).  :func:`run_with_body` reads the
request body as JSON (see :func:`~.validation.parse_json_body`) and runs the
handler's work in the thread pool, so encoding, searching and SQLite commits never
block the event loop.  This module builds answers; it decides nothing about them.
"""

from __future__ import annotations

import time
from typing import Any, Callable

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from .validation import parse_json_body

__all__ = ["ok", "error_response", "run_with_body"]


def error_response(status: int, message: str, problems=(), started: float | None = None) -> JSONResponse:
    body: dict[str, Any] = {"status": {"error": message}}
    if problems:
        body["status"]["problems"] = list(problems)
    body["time"] = round(time.perf_counter() - started, 6) if started is not None else 0.0
    return JSONResponse(body, status_code=status)


def ok(result: Any, started: float, **extra) -> JSONResponse:
    return JSONResponse({"result": result, "status": "ok", **extra,
                         "time": round(time.perf_counter() - started, 6)})


async def run_with_body(request: Request, work: Callable[[Any], Any], *, empty: Any = ...) -> Any:
    """``work(parsed JSON body)`` in the thread pool; ``empty`` stands for no body."""
    data = parse_json_body(await request.body(), empty=empty)
    return await run_in_threadpool(work, data)
