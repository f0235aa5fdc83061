"""The layout of a Polars program: imports, reading, the column steps, the split and `main`.

`rowsift.export.code.polars` writes each column's and rule's expression; this module puts them
in order around the parts every Polars program has.
"""

from __future__ import annotations

from rowsift._names import FIELDS, RAW
from rowsift.engine.plan import ColumnPlan
from rowsift.export.code import program
from rowsift.export.code.outline import Outline
from rowsift.export.code.python_text import comment, literal, needs_imports

_WORKING = """
ROW = "_rowsift_row"  # 0-based position of the record among the file's records
LINE = "_rowsift_line"  # 1-based line on which the record starts
REASONS = "_rowsift_reasons"  # the error rules a quarantined row fails
TEXT = "_rowsift_text:"  # + column: its value after the transforms, still text
VALUE = "_rowsift_value:"  # + column: its typed value (null where the text does not parse)
FAILED = "_rowsift_failed:"  # + rule id: true where the row fails the rule"""

_SHARED = '''
def text(column: str) -> pl.Expr:
    """A declared column's value after its transforms."""
    return pl.col(TEXT + column)


def value(column: str) -> pl.Expr:
    """A declared column's typed value."""
    return pl.col(VALUE + column)


def fails(value: pl.Expr, passes: pl.Expr) -> pl.Expr:
    """The null policy: every rule but not_null passes on null."""
    return value.is_not_null() & ~passes.fill_null(True)


class InputError(Exception):
    """The input cannot be used (rowsift's exit code 3)."""


def check_columns(names: list[str]) -> None:
    """Stop, as rowsift does, when a required column is missing."""
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise InputError(f"the input lacks required column(s) {missing}")'''

_SPLIT = '''
def split(
    frame: pl.DataFrame | pl.LazyFrame,
) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, Any]]:
    """Clean rows, quarantined rows, and the counts the dataset rules judge.

    `frame` holds the input as text, in record order, with ROW (and LINE). Every step is
    lazy: both outputs and the counts are computed together, in one pass over the input.
    """
    frame = frame.lazy()
    names = frame.collect_schema().names()
    check_columns(names)
    identity = [name for name in (ROW, LINE) if name in names]
    # input columns by position: pl.col and select read a name such as * or ^a$ as a pattern
    inputs = [pl.nth(at) for at, name in enumerate(names) if name not in identity]
    undeclared = [pl.nth(at) for at, name in enumerate(names) if name not in (*identity, *DECLARED)]
    judged = typed(transformed(frame)).with_columns(
        [failed().fill_null(False).alias(FAILED + rule_id) for rule_id, _, failed in RULES]
    )
    errors = [(rule_id, pl.col(FAILED + rule_id)) for rule_id, kind, _ in RULES if kind == "error"]
    quarantined = pl.any_horizontal([flag for _, flag in errors]) if errors else pl.lit(False)
    if errors:
        named = [pl.when(flag).then(pl.lit(rule_id)) for rule_id, flag in errors]
        reasons = pl.concat_list(named).list.drop_nulls()
    else:
        reasons = pl.lit([], dtype=pl.List(pl.String))
    clean = judged.filter(~quarantined).select(
        *[value(name).alias(name) for name in DECLARED],
        *undeclared,
        *identity,
    )
    quarantine = judged.filter(quarantined).select(*identity, reasons.alias(REASONS), *inputs)
    counts = judged.select(
        pl.len().alias("rows_in"),
        *[text(name).null_count().alias(f"nulls:{name}") for name in NULL_COUNTED],
        *[pl.col(FAILED + rule_id).sum().alias(rule_id) for rule_id, _, _ in RULES],
    )
    clean_rows, quarantined_rows, counted = pl.collect_all([clean, quarantine, counts])
    totals = counted.row(0, named=True)
    stats = {
        "rows_in": totals["rows_in"],
        "rows_clean": clean_rows.height,
        "rows_quarantined": quarantined_rows.height,
        "nulls": {name: totals[f"nulls:{name}"] for name in NULL_COUNTED},
        "failures": {rule_id: totals[rule_id] for rule_id, _, _ in RULES},
    }
    return clean_rows, quarantined_rows, stats'''

_MAIN = f'''
def write(frame: pl.DataFrame, target: Path) -> None:
    """Write to a temporary file beside the target, then rename: never half a file."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{{target.name}}.")
    os.close(handle)
    try:
        frame.write_parquet(temporary)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def main(argv: list[str] | None = None) -> int:
    """Read, clean, write both outputs; exit 1 when a dataset rule of severity error fails."""
    parser = argparse.ArgumentParser(description="Split a table into clean rows and quarantine.")
    parser.add_argument("input", help="the file to clean")
    parser.add_argument("out_dir", nargs="?", default="out", help="where the outputs go")
    args = parser.parse_args(argv)
    try:
        clean, quarantine, stats = split(read(args.input))
    except (InputError, OSError, pl.exceptions.PolarsError) as exc:
        # as `rowsift run`: a file that cannot be read or used is exit code 3
        print(f"error: {{args.input}}: {{exc}}", file=sys.stderr)
        return 3
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    # rowsift's quarantine of a text file also has the raw text of records it could not split
    unsplit = [
        pl.lit(None, dtype=pl.String).alias({literal(RAW)}),
        pl.lit(None, dtype=pl.List(pl.String)).alias({literal(FIELDS)}),
    ]
    write(clean, out / "clean.parquet")
    write(quarantine.with_columns(unsplit), out / "quarantine.parquet")
    print(
        f"{{stats['rows_in']}} rows: {{stats['rows_clean']}} clean, "
        f"{{stats['rows_quarantined']}} quarantined"
    )
    failed = False
    for rule_id, severity, judge in DATASET:
        observed, passed = judge(stats)
        print(f"{{rule_id}}: {{observed:g}} {{'passed' if passed else 'FAILED'}} ({{severity}})")
        failed = failed or (severity == "error" and not passed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())'''


def _read(plan_outline: Outline) -> str:
    reading = plan_outline.reading
    options = [
        f"separator={literal(reading.delimiter)}",
        f"quote_char={literal(reading.quote)}",
        "infer_schema=False",
        "empty_string_is_null=False",
        "raise_if_empty=False",
    ]
    if reading.utf8:
        source = ["    source: Any = path"]
    else:
        source = [
            f"    # the file is {reading.encoding}; Polars reads UTF-8, so Python decodes it first",
            "    decoded = Path(path).read_bytes().decode("
            f"{literal(reading.encoding)}).encode('utf-8')",
            "    source: Any = io.BytesIO(decoded)",
        ]
    if reading.header:
        names = [
            f"    header = pl.read_csv(source, has_header=False, skip_lines={reading.header_row}, "
            "n_rows=1, **options)",
            '    written = ["" if name is None else name for name in header.row(0)]',
            "    names = header_names(written)",
            *program.HEADER_LINES,
        ]
        body_skip = f"{reading.header_row} + header_lines" if reading.header_row else "header_lines"
        first_line = f"{reading.header_row + 1} + header_lines"
    else:
        names = [
            f"    first = pl.read_csv(source, has_header=False, skip_lines={reading.header_row}, "
            "n_rows=1, **options)",
            '    names = [f"column_{number}" for number in range(1, first.width + 1)]',
        ]
        body_skip, first_line = str(reading.header_row), str(reading.first_line)
    rewind = [] if reading.utf8 else ["    source.seek(0)"]
    return "\n".join(
        [
            "def read(path: str | Path) -> pl.LazyFrame:",
            '    """The records as text (an empty field is "", never null), numbered in file',
            '    order; the source\'s null tokens are applied later, as a transform."""',
            *source,
            "    options: dict[str, Any] = {",
            *[f"        {_keyword(option)}," for option in options],
            "    }",
            *names,
            *rewind,
            f"    frame = {'pl.scan_csv' if reading.utf8 else 'pl.read_csv'}(",
            "        source,",
            "        has_header=False,",
            f"        skip_lines={body_skip},",
            "        schema={name: pl.String for name in names},",
            "        **options,",
            "    )",
            "    number = pl.col(ROW).cast(pl.Int64)",
            *([] if reading.utf8 else ["    frame = frame.lazy()"]),
            f"    return frame.with_row_index(ROW).with_columns(number, (number + "
            f"{first_line}).alias(LINE))",
        ]
    )


def _keyword(option: str) -> str:
    key, value = option.split("=", 1)
    return f"{literal(key)}: {value}"


def layout(
    plan_outline: Outline,
    texts: list[tuple[ColumnPlan, list[str]]],
    casts: list[tuple[ColumnPlan, str]],
    rules: list[program.RuleCode],
    helpers: list[str],
    literals: list[object],
    grouped: list[str] | None = None,
) -> str:
    """The whole program text; `grouped` are the `majority` calls, after every other transform."""
    imports = {"import argparse", "import os", "import sys", "import tempfile"}
    imports |= {"import io"} if not plan_outline.reading.utf8 else set()
    parts = [
        program.head(
            plan_outline,
            library="Polars",
            imports=imports | needs_imports(literals),
            libraries=["import polars as pl"],
        ),
        _WORKING.strip("\n"),
        program.declarations(plan_outline),
        *helpers,
        program.HEADER_NAMES,
        _read(plan_outline),
        _SHARED.strip("\n"),
        _transformed(plan_outline, texts, grouped or []),
        _typed(casts),
    ]
    return program.assembled(
        parts, rules, plan_outline, signature="() -> pl.Expr", ending=[_SPLIT, _MAIN]
    )


def _transformed(
    plan_outline: Outline, texts: list[tuple[ColumnPlan, list[str]]], grouped: list[str]
) -> str:
    lines = [
        "def transformed(frame: pl.LazyFrame) -> pl.LazyFrame:",
        '    """Each declared column\'s value after the source\'s null tokens and its',
        '    transforms."""',
        "",
        "    names = frame.collect_schema().names()",
        "",
        "    def column(name: str) -> pl.Expr:",
        "        # an optional column the input lacks is all null; a present one is taken by",
        "        # position, since pl.col reads a name such as * or ^a$ as a pattern",
        "        if name not in names:",
        "            return pl.lit(None, dtype=pl.String)",
        "        return pl.nth(names.index(name))",
        "",
    ]
    if not texts:
        return "\n".join([*lines, "    return frame"])
    lines.append("    texts = frame.with_columns(" if grouped else "    return frame.with_columns(")
    for column, chain in texts:
        about = ", ".join(t.name for t in column.transforms) or "no transforms"
        lines += comment(f"{column.name}: {about}", indent="        ")
        for note in plan_outline.column_notes.get(column.name, []):
            lines += comment(note, indent="        ")
        steps = [
            f"column({literal(column.name)})",
            *chain,
            f".alias(TEXT + {literal(column.name)}),",
        ]
        if 8 + sum(map(len, steps)) <= 100:
            lines.append("        " + "".join(steps))  # short enough for one line
        else:
            lines += [f"        {step}" for step in steps]
    lines.append("    )")
    if grouped:
        lines += program.grouped_return(grouped)
    return "\n".join(lines)


def _typed(casts: list[tuple[ColumnPlan, str]]) -> str:
    lines = [
        "def typed(frame: pl.LazyFrame) -> pl.LazyFrame:",
        '    """Each declared column\'s typed value; a text that does not parse gives null."""',
    ]
    if not casts:
        return "\n".join([*lines, "    return frame"])
    lines.append("    return frame.with_columns(")
    for column, expression in casts:
        lines.append(f"        {expression}.alias(VALUE + {literal(column.name)}),")
    lines.append("    )")
    return "\n".join(lines)
