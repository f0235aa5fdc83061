"""`rowsift sniff FILE`: print the detected layout of a file, or its recipe `source:` section."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from rowsift._cli.console import out, print_json
from rowsift.io import detect_format, sniff
from rowsift.io.inputs import input_file
from rowsift.recipe import SourceSpec


def sniff_report(file: Path, *, as_yaml: bool, as_json: bool) -> int:
    """Sniff `file` and print what was found; the YAML form pastes into a recipe."""
    spec = SourceSpec(detect=True)
    input_file(file)
    kind = detect_format(file, spec)
    if kind == "excel":  # the first sheet's table, as detection finds it
        from rowsift.io.excel import sniff_sheet

        found: dict[str, Any] = sniff_sheet(file, spec)
        source: dict[str, Any] = found["source"]
    elif kind not in ("csv", "tsv", "arff"):
        source = {"format": kind}
        found = {"source": source}
    else:
        dialect = sniff(file, spec)
        source = dialect.to_source(format="arff" if kind == "arff" else "csv")
        found = {
            "source": source,
            "columns": list(dialect.names),
            "line_terminator": dialect.line_terminator,
            "confidence": dialect.confidence,
        }
    if as_yaml:
        out.print(yaml.safe_dump({"source": source}, sort_keys=False, allow_unicode=True), end="")
    elif as_json:
        print_json({"file": str(file), **found})
    else:
        for key, value in source.items():
            out.print(f"{key:<12} {value!r}")
        if "columns" in found:
            out.print(f"{'columns':<12} {', '.join(found['columns'])}")
        if "line_terminator" in found:
            out.print(f"{'line ends':<12} {found['line_terminator']!r}")
            out.print(f"{'confidence':<12} {found['confidence']:.2f}")
    return 0
