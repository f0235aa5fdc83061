"""`rowsift dashboard`: a local, read-only web app over the metric store (Starlette under uvicorn).

It binds to 127.0.0.1 by default. Bound to any other address it requires a token, given or
generated at start: a request shows it once as ``?token=…`` (then a cookie keeps it) or sends
``Authorization: Bearer …``. The store is opened read-only and only GET and HEAD are answered.
"""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

from rowsift.exceptions import RowsiftError, UsageError
from rowsift.report.history import (
    LISTED_RUNS,
    Window,
    alerts_page,
    check_days,
    dataset_page,
    datasets_page,
    stored_run_page,
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

COOKIE = "rowsift_token"


def _security_headers() -> dict[str, str]:
    from rowsift.report.html import script_hash

    return {
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
        f"script-src '{script_hash()}'; img-src data:; form-action 'none'; "
        "frame-ancestors 'none'; base-uri 'none'",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Cache-Control": "no-store",
    }


HEADERS = _security_headers()


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, kw_only=True)
class DashboardSettings:
    """Where the dashboard reads and how it is reached."""

    store: str
    host: str = "127.0.0.1"
    port: int = 8765
    days: int = 90
    token: str | None = None

    def checked(self) -> DashboardSettings:
        """The settings with a token wherever one is required (generated when not given)."""
        check_days(self.days)
        if self.token is not None and len(self.token) < 16:
            raise UsageError(
                "the dashboard token is too short (fewer than 16 characters)",
                hint="leave --token out to have one generated",
            )
        if self.token is None and not is_loopback(self.host):
            return DashboardSettings(
                store=self.store,
                host=self.host,
                port=self.port,
                days=self.days,
                token=secrets.token_urlsafe(24),
            )
        return self

    @property
    def url(self) -> str:
        """The address to open, with the token when there is one."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        query = f"/?{urlencode({'token': self.token})}" if self.token else "/"
        return f"http://{host}:{self.port}{query}"


def create_app(settings: DashboardSettings) -> ASGIApp:
    """The dashboard's ASGI application (read-only; token-guarded when the settings have one)."""
    try:
        from starlette.applications import Starlette
        from starlette.requests import Request
        from starlette.responses import HTMLResponse, PlainTextResponse, Response
        from starlette.routing import Route
    except ImportError:
        raise UsageError(
            "the dashboard needs starlette and uvicorn", hint="pip install 'rowsift[dashboard]'"
        ) from None

    from rowsift.monitor.store import open_store
    from rowsift.report.html import render

    store = open_store(settings.store, read_only=True)
    window_days = check_days(settings.days)

    def link(run_id: str) -> str:
        return f"/run/{quote(run_id, safe='')}"

    def page(template: str, build: Callable[[], dict[str, Any]]) -> Response:
        try:
            data = build()
        except RowsiftError as exc:
            return PlainTextResponse(exc.render(), status_code=404, headers=HEADERS)
        data["footer"] = f"rowsift dashboard · read-only · {store.url}"
        return HTMLResponse(render(template, data), headers=HEADERS)

    def window() -> Window:
        return Window(days=window_days)

    async def datasets(request: Request) -> Response:
        return page("datasets.html.j2", lambda: datasets_page(store, window()))

    async def dataset(request: Request) -> Response:
        name = request.query_params.get("name")
        if name is None:
            return PlainTextResponse(
                "which dataset? /dataset?name=NAME", status_code=400, headers=HEADERS
            )
        try:
            start = int(request.query_params.get("start", "0"))
        except ValueError:
            start = 0

        def build() -> dict[str, Any]:
            data = dataset_page(store, name, window(), link, listed=LISTED_RUNS, start=start)
            data["key"] = name
            return data

        return page("dataset.html.j2", build)

    async def alerts(request: Request) -> Response:
        return page("alerts.html.j2", lambda: alerts_page(store, window(), link))

    async def run(request: Request) -> Response:
        run_id = request.path_params["run_id"]
        return page("run.html.j2", lambda: stored_run_page(store, run_id))

    routes = [
        Route("/", datasets, methods=["GET", "HEAD"]),
        Route("/dataset", dataset, methods=["GET", "HEAD"]),
        Route("/alerts", alerts, methods=["GET", "HEAD"]),
        Route("/run/{run_id:str}", run, methods=["GET", "HEAD"]),
    ]
    app = Starlette(routes=routes)
    return _read_only(_guarded(app, settings.token) if settings.token else app)


def _read_only(app: ASGIApp) -> ASGIApp:
    """Answer GET and HEAD only: the dashboard never changes anything."""

    async def guard(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD"):
            await _plain(send, 405, "the dashboard is read-only", [(b"allow", b"GET, HEAD")])
            return
        await app(scope, receive, send)

    return guard


def _guarded(app: ASGIApp, token: str) -> ASGIApp:
    """Let through requests that carry the token (query, cookie or bearer header)."""
    expected = token.encode()

    async def guard(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        given = query.get("token", "").encode()
        if given and secrets.compare_digest(given, expected):
            # keep the token in a cookie and take it out of the address bar
            rest = urlencode({k: v for k, v in query.items() if k != "token"})
            location = scope["path"] + (f"?{rest}" if rest else "")
            cookie = f"{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/"
            await _plain(
                send,
                303,
                "",
                [(b"location", location.encode()), (b"set-cookie", cookie.encode())],
            )
            return
        if _bearer(headers) == expected or _cookie(headers) == expected:
            await app(scope, receive, send)
            return
        await _plain(send, 401, "a token is required: open the address the dashboard printed")

    return guard


def _bearer(headers: dict[bytes, bytes]) -> bytes | None:
    value = headers.get(b"authorization", b"")
    return value[7:] if value[:7].lower() == b"bearer " else None


def _cookie(headers: dict[bytes, bytes]) -> bytes | None:
    for part in headers.get(b"cookie", b"").split(b";"):
        name, _, value = part.strip().partition(b"=")
        if name == COOKIE.encode():
            return value
    return None


async def _plain(
    send: Send, status: int, text: str, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    body = text.encode()
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        *[(k.lower().encode(), v.encode()) for k, v in HEADERS.items()],
        *(extra or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def serve(settings: DashboardSettings, *, on_ready: Callable[[str], None] | None = None) -> None:
    """Serve the dashboard until interrupted (uvicorn, one process)."""
    try:
        import uvicorn
    except ImportError:
        raise UsageError(
            "the dashboard needs starlette and uvicorn",
            hint="pip install 'rowsift[dashboard]'",
        ) from None
    app = create_app(settings)
    config = uvicorn.Config(
        app, host=settings.host, port=settings.port, log_level="warning", access_log=False
    )
    server = uvicorn.Server(config)
    if on_ready is not None:
        on_ready(settings.url)
    server.run()
