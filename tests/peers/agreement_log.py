"""The agreement tests/peers measures, printed after the run: cases agreeing per check and
engine. With parallel workers (pytest-xdist), each worker hands its part to the controller,
which prints the whole table (tests/conftest.py)."""

from __future__ import annotations

from collections import defaultdict
from typing import Literal, get_args

Result = Literal["agrees", "differs"]
"""`differs`: a deliberate difference (docs/peers.md)."""

Key = tuple[str, str, str]
"""(peer, peer's check, engine)."""

Row = tuple[str, str, str, str, Result]
"""(peer, check, engine, case, result): one result as it travels from a worker."""

_LOG: dict[Key, dict[str, Result]] = defaultdict(dict)


class AgreementLog:
    """What each case gave on each engine, kept for the summary at the end of the run."""

    def record(self, key: Key, case: str, result: Result) -> None:
        """Note one case's result on one engine."""
        _LOG[key][case] = result


def rows() -> list[Row]:
    """Every result noted in this process."""
    return [(*key, case, result) for key, cases in _LOG.items() for case, result in cases.items()]


def merge(received: list[Row]) -> None:
    """Add the results another process noted."""
    for peer, check, engine, case, result in received:
        _LOG[(peer, check, engine)][case] = result


def figure(results: dict[str, Result]) -> str:
    """``agreeing/total``, with the deliberate differences after it."""
    counts = {kind: sum(1 for r in results.values() if r == kind) for kind in get_args(Result)}
    text = f"{counts['agrees']}/{len(results)}"
    if counts["differs"]:
        text += f" ({counts['differs']} differ)"
    return text


def summary_lines() -> list[str]:
    """One line per peer and check, one column per engine that ran; none when no peer test
    ran."""
    if not _LOG:
        return []
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
