"""The agreement tests/peers measures, printed after the run: cases agreeing per check, engine."""

from __future__ import annotations

from collections import defaultdict
from typing import Literal, get_args

import pytest

Result = Literal["agrees", "differs"]
"""`differs`: a deliberate difference (docs/peers.md)."""

Key = tuple[str, str, str]
"""(peer, peer's check, engine)."""

_LOG: dict[Key, dict[str, Result]] = defaultdict(dict)


class AgreementLog:
    """What each case gave on each engine, kept for the summary at the end of the run."""

    def record(self, key: Key, case: str, result: Result) -> None:
        """Note one case's result on one engine."""
        _LOG[key][case] = result


@pytest.fixture(scope="session")
def agreement_log() -> AgreementLog:
    """Where tests/peers/test_agreement.py records each case's result."""
    return AgreementLog()


def figure(results: dict[str, Result]) -> str:
    """``agreeing/total``, with the deliberate differences after it."""
    counts = {kind: sum(1 for r in results.values() if r == kind) for kind in get_args(Result)}
    text = f"{counts['agrees']}/{len(results)}"
    if counts["differs"]:
        text += f" ({counts['differs']} differ)"
    return text


def summary_lines() -> list[str]:
    """One line per peer and check, one column per engine that ran."""
    engines = sorted({engine for _, _, engine in _LOG}, key=_engine_order)
    checks = sorted({(peer, check) for peer, check, _ in _LOG})
    width = max(len(f"{peer} {check}") for peer, check in checks)
    lines = [f"{'peer check':<{width}}  " + "  ".join(f"{e:<18}" for e in engines)]
    for peer, check in checks:
        cells = [figure(_LOG.get((peer, check, engine), {})) for engine in engines]
        lines.append(f"{peer + ' ' + check:<{width}}  " + "  ".join(f"{c:<18}" for c in cells))
    return lines


def _engine_order(name: str) -> int:
    order = ("polars-eager", "polars-lazy", "pandas", "duckdb", "dask", "spark")
    return order.index(name) if name in order else len(order)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the agreement table when tests/peers ran."""
    if not _LOG:
        return
    terminalreporter.section("agreement with peer tools (cases agreeing / cases)")
    for line in summary_lines():
        terminalreporter.write_line(line)
