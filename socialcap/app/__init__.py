"""``socialcap serve``: a local web app where a coordinator and a young person draw a map together.

`create_app(store, token=..., port=...)` builds the ASGI application: the JSON API
of SPEC §10 (routes in `socialcap.app._api`, described at ``/openapi.json``), the
page and its static files (``socialcap/app/static/``), all behind one guard
(`socialcap.app._security.Guard`: Host, token, Origin, body size, and a
Content-Security-Policy on every answer).  `serve(url)` opens the store, picks the
port, prints the address with its secret token and runs the server on 127.0.0.1.

Examples
--------
>>> import socialcap as sc, tempfile
>>> from starlette.testclient import TestClient  # doctest: +SKIP
>>> app = create_app(sc.open_store(tempfile.mkdtemp() + "/maps.db"), token="t" * 32, port=8765)  # doctest: +SKIP
"""

from __future__ import annotations

import secrets
import socket
import sys
import threading
import webbrowser
from collections.abc import Callable
from importlib import resources
from typing import Any, TextIO

__all__ = ["create_app", "serve", "address"]

#: Where the page and its scripts live, inside the package.
STATIC = "static"


def create_app(store: Any, *, token: str, port: int) -> Any:
    """The ASGI application serving ``store`` on ``127.0.0.1:port`` to whoever holds ``token``.

    Parameters
    ----------
    store
        An open `socialcap.store.Store`.
    token
        The secret every request must carry (at least 16 characters).
    port
        The port it is served on: only ``Host: 127.0.0.1:port`` (or ``localhost:port``) is answered.

    Returns
    -------
    starlette.applications.Starlette
        Wrapped in the guard.
    """
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import FileResponse, JSONResponse, Response
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    from ._api import Api
    from ._openapi import openapi
    from ._security import Guard

    if len(token) < 16:
        raise ValueError("the token must be at least 16 characters")
    api = Api(store)
    folder = resources.files("socialcap.app") / STATIC
    spec = openapi()

    async def page(request: Request) -> Response:
        return FileResponse(str(folder / "index.html"), media_type="text/html; charset=utf-8")

    async def description(request: Request) -> Response:
        return JSONResponse(spec)

    routes = [
        Route("/", page, methods=["GET"]),
        Route("/openapi.json", description, methods=["GET"]),
        Route("/api/people", api.people, methods=["GET"]),
        Route("/api/people/{person_id}", api.person, methods=["GET"]),
        Route("/api/people/{person_id}", api.save_person, methods=["PUT"]),
        Route("/api/people/{person_id}/snapshots", api.snapshots, methods=["GET"]),
        Route("/api/people/{person_id}/snapshots/{date}", api.snapshot, methods=["GET"]),
        Route("/api/people/{person_id}/snapshots/{date}", api.save_snapshot, methods=["PUT"]),
        Route("/api/people/{person_id}/snapshots/{date}/history", api.history, methods=["GET"]),
        Route("/api/people/{person_id}/snapshots/{date}/map.{ending}", api.map_picture, methods=["GET"]),
        Route("/api/people/{person_id}/change.{ending}", api.change_picture, methods=["GET"]),
        Route("/api/layout", api.layout, methods=["POST"]),
        Route("/api/map-style", api.map_style, methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=str(folder)), name="static"),
    ]
    return Guard(Starlette(routes=routes), token=token, port=port)


def _warm_up() -> None:
    from ._model import layout_answer

    layout_answer({"connections": [{"connection_id": "A", "kind": "person", "domain": "family", "closeness": 1},
                                   {"connection_id": "B", "kind": "group", "domain": "community"}],
                   "ties": [{"source": "A", "target": "B"}]})


def address(port: int, token: str) -> str:
    """The address to open: the token sets the cookie, then leaves the address bar.

    >>> address(8765, "abc")
    'http://127.0.0.1:8765/?token=abc'
    """
    return f"http://127.0.0.1:{port}/?token={token}"


def serve(
    url: Any,
    *,
    port: int = 0,
    open_browser: bool = True,
    out: TextIO | None = None,
    opener: Callable[[str], Any] = webbrowser.open,
) -> None:
    """Serve the store at ``url`` on 127.0.0.1 until interrupted.

    Parameters
    ----------
    url
        A store (SPEC §9): a ``.db`` path, ``sqlite:///...`` or ``postgresql://...``.
    port
        The port; 0 picks a free one.
    open_browser
        Open the printed address in the default browser.
    out
        Where to print the address (standard output by default).
    opener
        What opens the browser (`webbrowser.open`).
    """
    import uvicorn

    from ..store import open_store

    out = out or sys.stdout
    store = open_store(url)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError:
        sock.close()
        store.close()
        raise
    # Listening before the address is printed: a request that comes at once waits in
    # the queue until the server is ready, instead of being refused.
    sock.listen(128)
    port = sock.getsockname()[1]
    token = secrets.token_urlsafe(32)
    app = create_app(store, token=token, port=port)
    config = uvicorn.Config(app, log_level="warning", access_log=False, server_header=False,
                            date_header=False, lifespan="off", timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    link = address(port, token)
    print(f"socialcap is serving {store.url_for_display}", file=out)
    print("Open this address in a browser on this computer (it holds the key, keep it to yourself):", file=out)
    print(f"    {link}", file=out)
    print("Press Ctrl+C to stop.", file=out, flush=True)
    # The first layout imports the maps (matplotlib): do it now, not on the first drag.
    threading.Thread(target=_warm_up, daemon=True).start()
    if open_browser:
        threading.Timer(0.5, opener, args=(link,)).start()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        store.close()
