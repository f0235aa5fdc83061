"""The layout of a pandas program: imports, reading, the column steps, the split and `main`.

`rowsift.export.code.pandas` writes each column's and rule's code; this module puts them in
order around the parts every pandas program has.
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

# Every column is Arrow-backed, as in rowsift's pandas engine: one type per kind of value (a
# null is a null, a NaN a number), and string methods run pyarrow's kernels, whose regular
# expressions (RE2) read the recipe's patterns as rowsift does.
STRING = pd.ArrowDtype(pa.string())
INT32 = pd.ArrowDtype(pa.int32())
INT64 = pd.ArrowDtype(pa.int64())
FLOAT64 = pd.ArrowDtype(pa.float64())
BOOLEAN = pd.ArrowDtype(pa.bool_())
DATE = pd.ArrowDtype(pa.date32())
TIMESTAMP = pd.ArrowDtype(pa.timestamp("us"))
REASON_LIST = pd.ArrowDtype(pa.list_(pa.string()))"""

_SHARED = '''
def text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A declared column's value after its transforms."""
    return frame[TEXT + column]


def value(frame: pd.DataFrame, column: str) -> pd.Series:
    """A declared column's typed value."""
    return frame[VALUE + column]


def fails(values: pd.Series, passes: pd.Series) -> pd.Series:
    """The null policy: every rule but not_null passes on null."""
    return values.notna() & ~passes.fillna(True).astype(bool)


class InputError(Exception):
    """The input cannot be used (rowsift's exit code 3)."""


def check_columns(names: list[str]) -> None:
    """Stop, as rowsift does, when a required column is missing."""
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise InputError(f"the input lacks required column(s) {missing}")'''

_SPLIT = '''
def split(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Clean rows, quarantined rows, and the counts the dataset rules judge.

    `frame` holds the input as text (Arrow-backed), in record order, with ROW (and LINE).
    """
    names = [str(name) for name in frame.columns]
    check_columns(names)
    identity = [name for name in (ROW, LINE) if name in names]
    inputs = [name for name in names if name not in identity]
    undeclared = [name for name in inputs if name not in DECLARED]
    judged = typed(transformed(frame))
    flags = pd.DataFrame(
        {rule_id: failed(judged).fillna(False).astype(bool) for rule_id, _, failed in RULES},
        index=judged.index,
    )
    errors = [rule_id for rule_id, kind, _ in RULES if kind == "error"]
    quarantined = flags[errors].any(axis=1).to_numpy(dtype=bool)
    # the ids of the error rules each quarantined row fails, in recipe order
    reasons = [
        [rule_id for rule_id, failed in zip(errors, row, strict=True) if failed]
        for row in flags.loc[quarantined, errors].itertuples(index=False)
    ]
    clean = judged.loc[~quarantined, [VALUE + name for name in DECLARED] + undeclared + identity]
    clean.columns = [*DECLARED, *undeclared, *identity]
    quarantine = judged.loc[quarantined, identity + inputs]
    quarantine.insert(len(identity), REASONS, pd.Series(reasons, dtype=REASON_LIST).array)
    stats = {
        "rows_in": len(judged),
        "rows_clean": len(clean),
        "rows_quarantined": len(quarantine),
        "nulls": {name: int(text(judged, name).isna().sum()) for name in NULL_COUNTED},
        "failures": {rule_id: int(flags[rule_id].sum()) for rule_id, _, _ in RULES},
    }
    return clean.reset_index(drop=True), quarantine.reset_index(drop=True), stats'''

_MAIN = f'''
def write(frame: pd.DataFrame, target: Path) -> None:
    """Write to a temporary file beside the target, then rename: never half a file."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{{target.name}}.")
    os.close(handle)
    try:
        frame.to_parquet(temporary, index=False)
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
    # as `rowsift run`: a file that cannot be read (or lacks a required column) is exit code 3
    unreadable = (
        InputError,
        OSError,
        UnicodeError,
        pd.errors.ParserError,
        pd.errors.EmptyDataError,
    )
    try:
        clean, quarantine, stats = split(read(args.input))
    except unreadable as exc:
        print(f"error: {{args.input}}: {{exc}}", file=sys.stderr)
        return 3
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    # rowsift's quarantine of a text file also has the raw text of records it could not split
    unsplit = {{
        {literal(RAW)}: pd.Series(pd.NA, index=quarantine.index, dtype=STRING),
        {literal(FIELDS)}: pd.Series(pd.NA, index=quarantine.index, dtype=REASON_LIST),
    }}
    write(clean, out / "clean.parquet")
    write(quarantine.assign(**unsplit), out / "quarantine.parquet")
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
    encoding = "utf-8-sig" if reading.utf8 else reading.encoding
    options = [
        f'"sep": {literal(reading.delimiter)}',
        f'"quotechar": {literal(reading.quote or chr(34))}',
        f'"quoting": csv.{"QUOTE_MINIMAL" if reading.quote else "QUOTE_NONE"}',
        f'"encoding": {literal(encoding)}',
        '"header": None',
        '"dtype": STRING',
        '"keep_default_na": False',
        '"na_filter": False',
    ]
    if reading.header:
        names = [
            f"    header = pd.read_csv(path, skiprows={reading.header_row}, nrows=1, **options)",
            "    written = [str(name) for name in header.iloc[0]]",
            "    names = header_names(written)",
            *program.HEADER_LINES,
        ]
        body_skip = reading.header_row + 1  # pandas skips records, line breaks in quotes kept
        first_line = f"{reading.header_row + 1} + header_lines"
    else:
        names = [
            f"    first = pd.read_csv(path, skiprows={reading.header_row}, nrows=1, **options)",
            '    names = [f"column_{number}" for number in range(1, first.shape[1] + 1)]',
        ]
        body_skip = reading.header_row
        first_line = str(reading.first_line)
    return "\n".join(
        [
            "def read(path: str | Path) -> pd.DataFrame:",
            '    """The records as text (an empty field is "", never null), numbered in file',
            '    order; the source\'s null tokens are applied later, as a transform."""',
            "    options: dict[str, Any] = {",
            *[f"        {option}," for option in options],
            "    }",
            *names,
            f"    frame = pd.read_csv(path, skiprows={body_skip}, names=names, **options)",
            "    number = pd.Series(range(len(frame)), index=frame.index, dtype=INT64)",
            f"    return frame.assign(**{{ROW: number, LINE: number + {first_line}}})",
        ]
    )


def layout(
    plan_outline: Outline,
    texts: list[tuple[ColumnPlan, list[str]]],
    casts: list[tuple[ColumnPlan, str]],
    rules: list[program.RuleCode],
    helpers: list[str],
    literals: list[object],
    grouped: list[str] | None = None,
) -> str:
    """The whole program text."""
    imports = {"import argparse", "import csv", "import os", "import sys", "import tempfile"}
    parts = [
        program.head(
            plan_outline,
            library="pandas",
            imports=imports | needs_imports(literals),
            libraries=["import pandas as pd", "import pyarrow as pa"],
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
    signature = "(frame: pd.DataFrame) -> pd.Series"
    return program.assembled(
        parts, rules, plan_outline, signature=signature, ending=[_SPLIT, _MAIN]
    )


def _transformed(
    plan_outline: Outline, texts: list[tuple[ColumnPlan, list[str]]], grouped: list[str]
) -> str:
    lines = [
        "def transformed(frame: pd.DataFrame) -> pd.DataFrame:",
        '    """Each declared column\'s value after the source\'s null tokens and its',
        '    transforms."""',
        "",
        "    def column(name: str) -> pd.Series:",
        "        # an optional column the input lacks is all null",
        "        if name not in frame.columns:",
        "            return pd.Series(pd.NA, index=frame.index, dtype=STRING)",
        "        return frame[name]",
        "",
    ]
    if not texts:
        return "\n".join([*lines, "    return frame"])
    opening = "    texts = with_columns(" if grouped else "    return with_columns("
    lines += [opening, "        frame,", "        {"]
    for column, chain in texts:
        about = ", ".join(t.name for t in column.transforms) or "no transforms"
        lines += comment(f"{column.name}: {about}", indent="            ")
        for note in plan_outline.column_notes.get(column.name, []):
            lines += comment(note, indent="            ")
        key = f"TEXT + {literal(column.name)}: "
        steps = [f"column({literal(column.name)})", *chain]
        if 12 + len(key) + sum(map(len, steps)) + 1 <= 99:
            lines.append("            " + key + "".join(steps) + ",")  # fits on one line
        else:
            lines += [f"            {key}(", *[f"                {step}" for step in steps]]
            lines.append("            ),")
    lines += ["        },", "    )"]
    if grouped:
        lines += program.grouped_return(grouped)
    return "\n".join(lines)


def _typed(casts: list[tuple[ColumnPlan, str]]) -> str:
    lines = [
        "def typed(frame: pd.DataFrame) -> pd.DataFrame:",
        '    """Each declared column\'s typed value; a text that does not parse gives null."""',
    ]
    if not casts:
        return "\n".join([*lines, "    return frame"])
    lines += ["    return with_columns(", "        frame,", "        {"]
    for column, expression in casts:
        lines.append(f"            VALUE + {literal(column.name)}: {expression},")
    lines += ["        },", "    )"]
    return "\n".join(lines)
