"""`rowsift convert INPUT OUTPUT`: a robust load, written as standard CSV or Parquet."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from rowsift._cli.console import err, out, print_json
from rowsift.exceptions import UsageError
from rowsift.io.convert import Ragged, convert
from rowsift.io.formulas import FormulaPolicy
from rowsift.recipe import SourceSpec


def _source(overrides: dict[str, Any]) -> SourceSpec:
    given = {key: value for key, value in overrides.items() if value is not None}
    if given.get("delimiter") == "\\t":
        given["delimiter"] = "\t"
    try:
        return SourceSpec.model_validate({"detect": True, **given})
    except ValidationError as exc:
        errors = exc.errors()
        # of a union's errors (`delimiter`: the word `whitespace`, or a few characters), the
        # one about what was given rather than the literal it is not
        first = next((e for e in errors if e["type"] != "literal_error"), errors[0])
        option = "--" + str(first["loc"][0]).replace("_", "-") if first["loc"] else "an option"
        raise UsageError(
            f"bad option {option}: {first['msg']}",
            hint="--delimiter takes one to four characters or 'whitespace', --quote one "
            "character; --header-row a line number from 0",
        ) from None


@contextmanager
def progress_bar(*, enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A transient bar of the bytes read, on an interactive stderr."""
    if not enabled or not err.is_terminal:
        yield None
        return
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    with Progress(
        TextColumn("reading"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("reading", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def convert_report(
    input_path: str | Path,
    output: Path,
    *,
    ragged: str,
    overrides: dict[str, Any],
    formulas: FormulaPolicy = "escape",
    json_output: bool,
    quiet: bool,
) -> int:
    """Convert and say how many rows were written and where the parse failures went."""
    if ragged not in ("quarantine", "keep"):
        raise UsageError(f"unknown --ragged {ragged!r}", hint="use quarantine or keep")
    mode: Ragged = "keep" if ragged == "keep" else "quarantine"
    with progress_bar(enabled=not (quiet or json_output)) as advance:
        done = convert(
            input_path,
            output,
            source=_source(overrides),
            ragged=mode,
            formulas=formulas,
            on_progress=advance,
        )
    if json_output:
        print_json(
            {
                "output": str(done.output),
                "rows": done.rows,
                "parse_failures": done.failures,
                "quarantine": str(done.quarantine) if done.quarantine else None,
                **({"loading": done.loading.to_dict()} if done.loading else {}),
            }
        )
    elif not quiet:
        out.print(f"wrote {done.rows} rows to {done.output}")
        if done.quarantine is not None:
            err.print(f"{done.failures} records could not be split: see {done.quarantine}")
        elif done.failures:
            err.print(f"{done.failures} records of another length were kept as split")
        if done.loading is not None and done.loading.joined:
            err.print(
                f"{done.loading.joined} records read back to the header's width (a run flags "
                "them row.joined; docs/loading.md): kept"
            )
    return 0
