"""Running the web application under uvicorn on a socket bound first (so a port in use is a clear error)."""

from __future__ import annotations

import socket
from collections.abc import Iterable
from importlib.util import find_spec

from extractor.web.jobs import JobStore, Settings
from extractor.web.uploads import Limits

PACKAGES = {"starlette": "starlette", "uvicorn": "uvicorn", "python_multipart": "python-multipart"}
"""The modules ``bienche serve`` needs, and the packages that provide them."""


def missing_packages() -> list[str]:
    """The packages ``bienche serve`` needs that are not installed."""
    return [package for module, package in PACKAGES.items() if find_spec(module) is None]


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: any free one); ``OSError`` if it cannot be had."""
    family, _type, _proto, _name, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    """The page's address for a bound socket (IPv6 in brackets; any-address shown as loopback)."""
    host, port = sock.getsockname()[:2]
    if host in ("0.0.0.0", "::"):
        host = "127.0.0.1" if host == "0.0.0.0" else "::1"
    return f"http://{f'[{host}]' if ':' in host else host}:{port}/"


def serve(sock: socket.socket, settings: Settings, limits: Limits, *, host: str, extra_hosts: Iterable[str] = ()) -> None:
    """Serve the page and API on ``sock`` until interrupted; job folders are deleted on exit."""
    import uvicorn

    from extractor.web.app import create_app

    port = int(sock.getsockname()[1])
    store = JobStore(settings)
    app = create_app(store, limits, host=host, port=port, extra_hosts=extra_hosts)
    config = uvicorn.Config(app, log_level="warning", access_log=False, server_header=False)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        store.close()
