"""The Starlette application of ``bienche serve``: the page, its assets and the JSON API.

API (the page uses it; scripts may too):

- ``POST /api/jobs`` (multipart, field ``files``, many; ``.zip`` archives are
  unpacked) → 201 ``{"id": …, "url": …}``; 400 bad input, 413 too large or too
  many, 429 too many jobs waiting;
- ``GET /api/jobs/{id}`` → status, per-file progress and results, download links;
- ``GET /api/jobs/{id}/files/{name}`` → ``bienche.xlsx``, ``figures.csv``,
  ``citations.csv``, ``results.jsonl`` or ``report.html`` of a finished job;
- ``GET /api/jobs/{id}/documents/{n}`` → the report page of document ``n``;
- ``GET /api/limits`` → the upload limits.

Every request's Host header must name the served address (else 421: no DNS
rebinding), a POST from another origin is refused (403), and every response
carries a Content-Security-Policy. Handlers are thin: the work is in
:mod:`extractor.web.jobs` and :mod:`extractor.web.uploads`.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from functools import lru_cache
from html import unescape
from importlib import resources
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from extractor.ingest import SUPPORTED_SUFFIXES
from extractor.web.jobs import Busy, JobStore
from extractor.web.multipart import Body, read_upload
from extractor.web.uploads import Intake, Limits, UploadError

PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
"""The page's Content-Security-Policy: its own script and style only, no inline code."""
_ASSETS = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}
_MEDIA = {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".csv": "text/csv; charset=utf-8",
          ".jsonl": "application/x-ndjson; charset=utf-8", ".html": "text/html; charset=utf-8"}  # fmt: skip
_LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
_MULTIPART_OVERHEAD = 1_000_000
_DRAIN_LIMIT = 50_000_000


def allowed_hosts(host: str, port: int, extra: Iterable[str] = ()) -> frozenset[str]:
    """The Host header values accepted for a server bound to ``host:port`` (lower case):
    the loopback names for a loopback or any-address bind, else the host itself, plus ``extra``."""
    bare = host.strip("[]").lower()
    if bare in ("127.0.0.1", "localhost", "::1", "0.0.0.0", "::"):
        names = set(_LOOPBACK)
    else:
        names = {f"[{bare}]" if ":" in bare else bare}
    names.update(name.lower() for name in extra)
    values = {f"{name}:{port}" for name in names}
    if port == 80:
        values |= names
    return frozenset(values)


def _asset(name: str) -> str:
    return resources.files("extractor.web").joinpath("static", name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def _cached_asset(name: str) -> str:
    return _asset(name)


def report_policy(page: str) -> str:
    """The CSP header for a report page: the policy in its own meta tag, framed only by this site."""
    found = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    policy = unescape(found.group(1)) if found else "default-src 'none'"
    return f"{policy}; frame-ancestors 'self'; base-uri 'none'; form-action 'none'"


class Guard:
    """ASGI middleware: Host header check (421), same-origin POSTs (403), security headers."""

    def __init__(self, app: ASGIApp, hosts: frozenset[str]) -> None:
        self.app = app
        self.hosts = hosts
        self.origins = frozenset(f"http://{h}" for h in hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse a foreign Host or Origin; add the security headers to every response."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = self._refusal(scope["method"], headers)
        if refusal is not None:
            status, message = refusal
            await JSONResponse({"detail": message}, status_code=status, headers=_SECURITY)(scope, receive, send)
            return

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.encode(), v.encode()) for k, v in _SECURITY.items() if k.lower().encode() not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, secured)

    def _refusal(self, method: str, headers: dict[str, str]) -> tuple[int, str] | None:
        host = headers.get("host", "").lower()
        if host not in self.hosts:
            return 421, f"Host {host!r} không phải địa chỉ của máy chủ này (chống DNS rebinding)"
        origin = headers.get("origin")
        if method not in ("GET", "HEAD") and origin is not None and origin.lower() not in self.origins:
            return 403, f"không nhận yêu cầu gửi từ trang khác ({origin})"
        return None


_SECURITY = {
    "Content-Security-Policy": PAGE_POLICY, "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer", "Cache-Control": "no-store", "Cross-Origin-Resource-Policy": "same-origin",
}  # fmt: skip


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"detail": message}, status_code=status)


def _store(request: Request) -> JobStore:
    store: JobStore = request.app.state.store
    return store


async def index(request: Request) -> Response:
    """The page."""
    return HTMLResponse(_cached_asset("index.html"))


async def asset(request: Request) -> Response:
    """The page's script and style sheet."""
    name = request.path_params["name"]
    if name not in _ASSETS:
        return _error(404, "không có tệp này")
    return Response(_cached_asset(name), media_type=_ASSETS[name])


async def limits(request: Request) -> Response:
    """The upload limits and accepted suffixes."""
    bounds: Limits = request.app.state.limits
    return JSONResponse({
        "max_files": bounds.max_files, "max_file_bytes": bounds.max_file_bytes,
        "max_total_bytes": bounds.max_total_bytes, "suffixes": [*SUPPORTED_SUFFIXES, ".zip"],
    })  # fmt: skip


async def create_job(request: Request) -> Response:
    """Store the uploaded files and queue their job."""
    store, bounds = _store(request), request.app.state.limits
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > bounds.max_total_bytes + _MULTIPART_OVERHEAD:
        return _error(413, f"dữ liệu gửi lên lớn hơn {bounds.max_total_bytes / 1_000_000:g} MB")
    try:
        job_id, folder = store.new_folder()
    except Busy as busy:
        return _error(429, str(busy))
    intake, body = Intake(folder / "in", bounds), Body(request.receive)
    try:
        await read_upload(request.headers.get("content-type"), body.chunks(), intake)
        if not intake.files:
            raise UploadError(400, "không có tệp nào để xử lý" + (f" (bỏ qua: {'; '.join(intake.skipped[:5])})" if intake.skipped else ""))
    except UploadError as refused:
        store.discard(folder)
        await body.drain(_DRAIN_LIMIT)
        return _error(refused.status, refused.message)
    except ClientDisconnect:
        store.discard(folder)
        return _error(400, "kết nối bị ngắt khi đang gửi tệp")
    store.submit(job_id, folder, intake.files, intake.skipped)
    return JSONResponse({"id": job_id, "url": f"/api/jobs/{job_id}"}, status_code=201)


async def job_status(request: Request) -> Response:
    """Status and per-file progress of one job."""
    snapshot = _store(request).snapshot(request.path_params["job_id"])
    if snapshot is None:
        return _error(404, "không có lượt xử lý này (có thể đã hết hạn và bị xoá)")
    return JSONResponse(snapshot)


async def job_file(request: Request) -> Response:
    """One output file of a finished job, as a download."""
    job_id, name = request.path_params["job_id"], request.path_params["name"]
    path = _store(request).output(job_id, name)
    if path is None:
        return _error(404, f"không có tệp {name!r} cho lượt xử lý này (chưa xong, đã hết hạn, hoặc tên sai)")
    return FileResponse(path, media_type=_MEDIA[path.suffix], filename=name, content_disposition_type="attachment")


async def document_report(request: Request) -> Response:
    """The report page (highlighted text and findings) of one document of a job."""
    job_id, index = request.path_params["job_id"], request.path_params["index"]
    page = await run_in_threadpool(_store(request).document_report, job_id, index)
    if page is None:
        return _error(404, "không có văn bản này (chưa xử lý xong, hoặc đã hết hạn)")
    return HTMLResponse(page, headers={"Content-Security-Policy": report_policy(page)})


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    return _error(status, "không có địa chỉ này" if status == 404 else "yêu cầu không hợp lệ")


def create_app(store: JobStore, bounds: Limits, *, host: str = "127.0.0.1", port: int = 8000, extra_hosts: Iterable[str] = ()) -> ASGIApp:
    """The application serving ``store`` on ``host:port``; the store is closed at shutdown."""

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            store.close()

    routes = [
        Route("/", index), Route("/static/{name}", asset), Route("/api/limits", limits),
        Route("/api/jobs", create_job, methods=["POST"]), Route("/api/jobs/{job_id}", job_status),
        Route("/api/jobs/{job_id}/files/{name}", job_file),
        Route("/api/jobs/{job_id}/documents/{index:int}", document_report),
    ]  # fmt: skip
    handlers: dict[Any, Any] = {HTTPException: _http_error}
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers=handlers)
    app.state.store = store
    app.state.limits = bounds
    return Guard(app, allowed_hosts(host, port, extra_hosts))
