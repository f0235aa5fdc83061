"""Time dashboard pages served for real (uvicorn on a free loopback port)."""

from __future__ import annotations

import socket
import threading
import time
import urllib.request
from collections.abc import Mapping

from rowsift.report.dashboard import DashboardSettings, create_app


def fetch_times(store: str, pages: Mapping[str, str], *, repeat: int) -> dict[str, list[float]]:
    """Seconds per request of each page (after one untimed request each): wall-clock time,
    and as "NAME (cpu)" the CPU time of this process (server and client threads, DuckDB's
    too), which a loaded machine inflates far less than the wall clock."""
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    app = create_app(DashboardSettings(store=store, port=port))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    base = f"http://127.0.0.1:{port}"
    found: dict[str, list[float]] = {}
    try:
        for name, path in pages.items():
            with urllib.request.urlopen(base + path, timeout=60) as response:
                response.read()
            found[name] = []
            found[f"{name} (cpu)"] = []
            for _ in range(repeat):
                clock, cpu = time.perf_counter(), time.process_time()
                with urllib.request.urlopen(base + path, timeout=60) as response:
                    response.read()
                found[name].append(time.perf_counter() - clock)
                found[f"{name} (cpu)"].append(time.process_time() - cpu)
    finally:
        server.should_exit = True
        thread.join(timeout=20)
    return found
