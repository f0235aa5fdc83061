"""`rowsift dashboard`: serve the read-only dashboard over a metric store until interrupted."""

from __future__ import annotations

from typing import Annotated

import typer


def dashboard_command(
    store: Annotated[
        str | None,
        typer.Option(
            "--store",
            help="The metric store (DuckDB file, duckdb:///path or postgresql://…); "
            "default: [store] url in rowsift.toml.",
        ),
    ] = None,
    host: Annotated[
        str, typer.Option("--host", help="Address to bind; anything but loopback needs a token.")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)
    ] = 8765,
    days: Annotated[
        int, typer.Option("--days", help="Show runs of the last DAYS days.", min=1)
    ] = 90,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="ROWSIFT_DASHBOARD_TOKEN",
            help="Required from every client (default: none on loopback, generated elsewhere).",
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
) -> int:
    """Serve a read-only dashboard of the metric store: datasets, timelines, alerts, drift."""
    from rich.text import Text

    from rowsift._cli.console import err, out
    from rowsift.report.dashboard import DashboardSettings, is_loopback, serve
    from rowsift.report.history import store_url

    settings = DashboardSettings(
        store=store_url(store), host=host, port=port, days=days, token=token
    ).checked()

    def ready(url: str) -> None:
        out.print(Text(f"rowsift dashboard on {url} (read-only; Ctrl-C stops it)"))
        if not is_loopback(host):
            err.print(
                Text(
                    f"warning: bound to {host}: anyone who can reach it needs the token above",
                    style="yellow",
                )
            )

    serve(settings, on_ready=ready)
    return 0
