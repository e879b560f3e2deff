"""What stands between the app and everyone else on the machine (and on the web).

The maps hold personal data about young people, so every request passes one ASGI
layer (`Guard`) before any route sees it, in this order:

1. **Host** must be the served address (``127.0.0.1:PORT`` or ``localhost:PORT``):
   a web page on another site cannot reach the app by pointing its own domain name
   at 127.0.0.1 (DNS rebinding).
2. **The token**: ``Authorization: Bearer <token>``, or the cookie set when the
   printed address (``/?token=...``) is opened; that address then redirects to
   ``/``, so the token leaves the address bar and the history.  The cookie is
   HttpOnly (no script can read it) and SameSite=Strict (no other site's page can
   send it).  Anything else gets 401.
3. **Origin**: a request that changes something (PUT, POST, ...) from a page of
   another origin is refused (cross-site request forgery), whatever it carries.
4. **Body size**: a body over `MAX_BODY` bytes is refused (413) before it is read
   whole.

Every answer, refusals included, carries a Content-Security-Policy that lets the
page load only the app's own scripts, styles and pictures and send requests only to
the app, plus headers that keep it out of frames, caches and referrers.  Nothing
here logs a request: paths and bodies can hold names.
"""

from __future__ import annotations

import hmac
import json
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

__all__ = ["CSP", "MAX_BODY", "BodyTooLarge", "Guard", "cookie_name"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Only the app's own files, and requests only to the app.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; object-src 'none'; "
    "frame-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
#: Largest request body accepted: a 150-connection map is about 40 kB.
MAX_BODY = 1_000_000
#: Requests that only read.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]


def cookie_name(port: int) -> str:
    """The cookie holding the token (cookies are shared across ports, so the port is in the name)."""
    return f"socialcap-token-{port}"


class Guard:
    """ASGI middleware: Host, token, Origin and body size checks, and the security headers.

    Parameters
    ----------
    app
        The application behind the guard.
    token
        The secret every request must carry.
    port
        The port served on: the allowed ``Host`` and ``Origin`` name it.
    """

    def __init__(self, app: ASGIApp, token: str, port: int) -> None:
        self.app = app
        self.token = token
        self.port = port
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.origins = {f"http://{host}" for host in self.hosts}
        self.cookie = cookie_name(port)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan: nothing to guard
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}

        started = False

        async def send_secured(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = dict(message)
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in _HEADERS if k not in present
                ]
            await send(message)

        if headers.get("host", "").lower() not in self.hosts:
            await _refuse(send_secured, 400, "This app answers only at the address socialcap serve printed.")
            return
        method = scope["method"].upper()
        if method not in SAFE_METHODS and not self._same_origin(headers):
            await _refuse(send_secured, 403, "A change can only come from the app's own page.")
            return
        if scope["path"] == "/" and method == "GET":
            offered = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token", [])
            if offered:
                if self._is_token(offered[0]):
                    await self._welcome(send_secured)
                else:
                    await _refuse(send_secured, 401, _TOKEN_HINT)
                return
        if not self._authorised(headers):
            await _refuse(send_secured, 401, _TOKEN_HINT)
            return
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            await _refuse(send_secured, 413, f"The request is larger than {MAX_BODY} bytes.")
            return
        try:
            await self.app(scope, _bounded(receive), send_secured)
        except Exception as error:  # noqa: BLE001 - the one place that answers what nothing else caught
            # The message could quote a name from the data, so only the kind of error is logged.
            print(f"socialcap serve: an unexpected {type(error).__name__} while answering a request",
                  file=sys.stderr, flush=True)
            if not started:
                await _refuse(send_secured, 500, "Something went wrong in socialcap; nothing was stored.")

    def _is_token(self, offered: str) -> bool:
        return hmac.compare_digest(offered.encode("utf-8", "replace"), self.token.encode("utf-8"))

    def _authorised(self, headers: dict[str, str]) -> bool:
        auth = headers.get("authorization", "")
        if auth[:7].lower() == "bearer " and self._is_token(auth[7:].strip()):
            return True
        if "cookie" in headers:
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(headers["cookie"])
            except Exception:  # a malformed cookie header is simply no token
                return False
            morsel = jar.get(self.cookie)
            return morsel is not None and self._is_token(morsel.value)
        return False

    def _same_origin(self, headers: dict[str, str]) -> bool:
        # Browsers send Origin with every state-changing request and Sec-Fetch-Site with
        # most; tools such as httpx send neither (and must carry the token themselves).
        origin = headers.get("origin")
        if origin is not None and origin.lower() not in self.origins:
            return False
        site = headers.get("sec-fetch-site")
        return site is None or site in ("same-origin", "none")

    async def _welcome(self, send: Send) -> None:
        cookie = f"{self.cookie}={self.token}; Path=/; HttpOnly; SameSite=Strict"
        await send({"type": "http.response.start", "status": 303,
                    "headers": [(b"location", b"/"), (b"set-cookie", cookie.encode()),
                                (b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})


_TOKEN_HINT = ("Open the address that socialcap serve printed (it ends with ?token=...), "
               "or send the token as 'Authorization: Bearer <token>'.")


class BodyTooLarge(Exception):
    """A request body went past `MAX_BODY` bytes while it was being read."""


def _bounded(receive: Receive) -> Receive:
    """``receive`` that stops a body (chunked, without a length) at `MAX_BODY` bytes."""
    seen = 0

    async def inner() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > MAX_BODY:
                raise BodyTooLarge
        return message

    return inner


async def _refuse(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
