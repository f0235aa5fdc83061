"""The layout of a PySpark program: imports, reading, the column steps, the split and `run`.

`rowsift.export.code.pyspark` writes each column's and rule's expression; this module puts them
in order around the parts every PySpark program has.
"""

from __future__ import annotations

import codecs

from rowsift._names import FIELDS, RAW
from rowsift.engine.plan import ColumnPlan
from rowsift.export.code import program
from rowsift.export.code.outline import Outline
from rowsift.export.code.pyspark_helpers import Step
from rowsift.export.code.python_text import Names, call, comment, literal, needs_imports

_WORKING = """
ROW = "_rowsift_row"  # 0-based position of the record among the file's records
LINE = "_rowsift_line"  # 1-based line on which the record starts
REASONS = "_rowsift_reasons"  # the error rules a quarantined row fails
TEXT = "_rowsift_text:"  # + column: its value after the transforms, still text
VALUE = "_rowsift_value:"  # + column: its typed value (null where the text does not parse)
FAILED = "_rowsift_failed:"  # + rule id: true where the row fails the rule
QUARANTINED = "_rowsift_quarantined"  # true where the row fails a rule of severity error
HELD = "_rowsift_held:"  # + column and step: a part of a repair, held in a column of its own"""

_NUMBERED = '''
def numbered(frame: DataFrame, first_line: int, skipped: int = 0) -> DataFrame:
    """The rows with ROW, their 0-based position in file order, and LINE; the first `skipped`
    rows (lines above the header) left out.

    monotonically_increasing_id() holds the partition in its upper bits and the position
    within the partition in the lower 33; one small count per partition gives each
    partition's first row number (a file's partitions are in file order)."""
    tagged = frame.withColumns(
        {"__partition": F.spark_partition_id(), "__id": F.monotonically_increasing_id()}
    )
    offsets, total = [], 0
    for partition, count in sorted(tagged.groupBy("__partition").count().collect()):
        offsets.append((partition, total))
        total += count
    starts = frame.sparkSession.createDataFrame(
        offsets or [(0, 0)], "__partition INT, __offset BIGINT"
    )
    position = F.col("__id") - F.shiftleft(F.col("__partition").cast("bigint"), 33)
    number = F.col("__offset") + position - skipped
    return (
        tagged.join(F.broadcast(starts), on="__partition", how="left")
        .withColumn(ROW, number)
        .withColumn(LINE, number + first_line)
        .filter(F.col(ROW) >= 0)
        .select(ROW, LINE, *[col(name) for name in frame.columns])
    )'''

_SHARED = '''
def col(name: str) -> Column:
    """A column by its name as it is (F.col reads dots and backticks in a name)."""
    return F.col("`" + name.replace("`", "``") + "`")


def text(column: str) -> Column:
    """A declared column's value after its transforms."""
    return col(TEXT + column)


def value(column: str) -> Column:
    """A declared column's typed value."""
    return col(VALUE + column)


def fails(value: Column, passes: Column) -> Column:
    """The null policy: every rule but not_null passes on null."""
    return value.isNotNull() & ~F.coalesce(passes, F.lit(True))


class InputError(Exception):
    """The input cannot be used (rowsift's exit code 3)."""


def check_columns(names: list[str]) -> None:
    """Stop, as rowsift does, when a required column is missing."""
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise InputError(f"the input lacks required column(s) {missing}")'''

_SPLIT = '''
def split(frame: DataFrame) -> tuple[DataFrame, DataFrame, dict[str, Any]]:
    """Clean rows, quarantined rows, and the counts the dataset rules judge.

    `frame` holds the input as text with ROW (and LINE). The judged rows are cached: the
    counts, then each output, read them without running every step again. Column names are
    data: Spark does not expand ${...} in the SQL text built from them meanwhile."""
    conf = frame.sparkSession.conf
    substitute = conf.get("spark.sql.variable.substitute", "true")
    conf.set("spark.sql.variable.substitute", "false")
    try:
        return _split(frame)
    finally:
        conf.set("spark.sql.variable.substitute", substitute)


def _split(frame: DataFrame) -> tuple[DataFrame, DataFrame, dict[str, Any]]:
    names = frame.columns
    check_columns(names)
    identity = [name for name in (ROW, LINE) if name in names]
    inputs = [col(name) for name in names if name not in identity]
    undeclared = [col(name) for name in names if name not in (*identity, *DECLARED)]
    judged = counted(typed(transformed(frame)))
    judged = judged.withColumns(
        {FAILED + rule_id: F.coalesce(failed(), F.lit(False)) for rule_id, _, failed in RULES}
    )
    errors = [(rule_id, col(FAILED + rule_id)) for rule_id, kind, _ in RULES if kind == "error"]
    quarantined = functools.reduce(operator.or_, [flag for _, flag in errors], F.lit(False))
    judged = judged.withColumn(QUARANTINED, quarantined).persist()
    named = [F.when(flag, F.lit(rule_id)) for rule_id, flag in errors]
    reasons = F.filter(F.array(*named), lambda reason: reason.isNotNull())
    clean = judged.filter(~col(QUARANTINED)).select(
        *[value(name).alias(name) for name in DECLARED],
        *undeclared,
        *[col(name) for name in identity],
    )
    quarantine = judged.filter(col(QUARANTINED)).select(
        *[col(name) for name in identity],
        reasons.cast("array<string>").alias(REASONS),
        *inputs,
    )
    counts = [
        F.count(F.lit(1)),
        F.count_if(col(QUARANTINED)),
        *[F.count_if(text(name).isNull()) for name in NULL_COUNTED],
        *[F.count_if(col(FAILED + rule_id)) for rule_id, _, _ in RULES],
    ]
    totals = list(judged.select(*counts).first() or [])
    rows_in, rows_quarantined = totals[0], totals[1]
    nulls = totals[2 : 2 + len(NULL_COUNTED)]
    stats = {
        "rows_in": rows_in,
        "rows_clean": rows_in - rows_quarantined,
        "rows_quarantined": rows_quarantined,
        "nulls": dict(zip(NULL_COUNTED, nulls, strict=True)),
        "failures": {
            rule_id: count
            for (rule_id, _, _), count in zip(RULES, totals[2 + len(nulls) :], strict=True)
        },
    }
    return clean, quarantine, stats'''

_MAIN = f'''
def write(frame: DataFrame, target: Path) -> None:
    """Write a folder of Parquet parts beside the target, then move it in place: never half
    an output."""
    staging = target.with_name(f".{{target.name}}.partial")
    frame.write.mode("overwrite").parquet(str(staging))
    if target.exists():
        shutil.rmtree(target)
    os.replace(staging, target)


def run(spark: SparkSession, path: str, out_dir: str) -> int:
    """Read, clean, write both outputs; 1 when a dataset rule of severity error fails."""
    clean, quarantine, stats = split(read(spark, path))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    # rowsift's quarantine of a text file also has the raw text of records it could not split
    unsplit = {{
        {literal(RAW)}: F.lit(None).cast("string"),
        {literal(FIELDS)}: F.lit(None).cast("array<string>"),
    }}
    write(clean, out / "clean.parquet")
    write(quarantine.withColumns(unsplit), out / "quarantine.parquet")
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


def main(argv: list[str] | None = None) -> int:
    """The command: a local Spark session (or the one spark-submit gives), stopped at the end."""
    parser = argparse.ArgumentParser(description="Split a table into clean rows and quarantine.")
    parser.add_argument("input", help="the file to clean")
    parser.add_argument("out_dir", nargs="?", default="out", help="where the outputs go")
    args = parser.parse_args(argv)
    spark = SparkSession.builder.appName("rowsift recipe").getOrCreate()
    try:
        return run(spark, args.input, args.out_dir)
    except (InputError, OSError, PySparkException) as exc:
        # as `rowsift run`: a file that cannot be read or used is exit code 3
        print(f"error: {{args.input}}: {{exc}}", file=sys.stderr)
        return 3
    finally:
        spark.stop()


if __name__ == "__main__":
    sys.exit(main())'''


_JAVA_NAMES = {"utf-8": "UTF-8", "iso8859-1": "ISO-8859-1", "cp1252": "windows-1252"}


def _java_encoding(encoding: str) -> str:
    """The encoding's name as Java (Spark's reader) knows it."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return encoding
    return _JAVA_NAMES.get(name, name.upper())


def _read(plan_outline: Outline) -> str:
    reading = plan_outline.reading
    quote = literal(reading.quote or "\x00")
    quoting = f"quotechar={literal(reading.quote)}" if reading.quote else "quoting=csv.QUOTE_NONE"
    # a byte-order mark is not part of the first name
    python_encoding = "utf-8-sig" if reading.utf8 else reading.encoding
    header_line = [
        "    # the header's names, made unique as rowsift makes them (Spark's reader would not)",
        f'    with open(path, encoding={literal(python_encoding)}, newline="") as handle:',
        *(
            [f"        for _ in range({reading.header_row}):", "            handle.readline()"]
            if reading.header_row
            else []
        ),
        f"        first = next(csv.reader(handle, delimiter={literal(reading.delimiter)}, "
        + quoting
        + "), [])",
    ]
    if reading.header:
        header_line.append("    names = header_names(first)")
    else:
        header_line.append(
            '    names = [f"column_{number}" for number in range(1, len(first) + 1)]'
        )
    skipped = reading.header_row + (1 if reading.header else 0)
    if reading.header_row:
        mode = [
            "        # the lines above the header are read as records too (and left out below), so",
            "        # a record of another width is not stopped: it gets nulls or loses fields",
            '        .option("mode", "PERMISSIVE")',
        ]
    else:  # a record of another width stops the program, as a library's reader does
        mode = ['        .option("mode", "FAILFAST")']
    return "\n".join(
        [
            "def read(spark: SparkSession, path: str) -> DataFrame:",
            '    """The records as text (an empty field is "", never null), numbered in file',
            '    order; the source\'s null tokens are applied later, as a transform."""',
            *header_line,
            "    frame = (",
            '        spark.read.option("header", False)',
            f'        .option("sep", {literal(reading.delimiter)})',
            f'        .option("quote", {quote})',
            f'        .option("escape", {quote})',
            f'        .option("encoding", {literal(_java_encoding(reading.encoding))})',
            *mode,
            "        .schema(StructType([StructField(name, StringType()) for name in names]))",
            "        .csv(path)",
            "    )",
            "    # Spark reads an empty field as null, which a delimited file cannot hold",
            "    frame = frame.select("
            '*[F.coalesce(col(name), F.lit("")).alias(name) for name in names])',
            f"    return numbered(frame, first_line={reading.first_line}, skipped={skipped})",
        ]
    )


def layout(
    plan_outline: Outline,
    texts: list[tuple[ColumnPlan, list[Step]]],
    casts: list[tuple[ColumnPlan, Step, str | None]],
    counts: list[tuple[str, str, list[str]]],
    rules: list[program.RuleCode],
    helpers: list[str],
    literals: list[object],
    grouped: list[str] | None = None,
) -> str:
    """The whole program text; `grouped` are the `majority` calls, after every other transform."""
    imports = {"argparse", "csv", "functools", "operator", "os", "shutil", "sys"}
    parts = [
        program.head(
            plan_outline,
            library="PySpark",
            imports={f"import {module}" for module in imports} | needs_imports(literals),
            libraries=[
                "from pyspark.errors import PySparkException",
                "from pyspark.sql import Column, DataFrame, SparkSession, Window",
                "from pyspark.sql import functions as F",
                "from pyspark.sql.types import StringType, StructField, StructType",
            ],
        ),
        _WORKING.strip("\n"),
        program.declarations(plan_outline),
        *helpers,
        _SHARED.strip("\n"),
        program.HEADER_NAMES,
        _NUMBERED.strip("\n"),
        _read(plan_outline),
        _transformed(plan_outline, texts, grouped or []),
        _typed(casts),
        _counted(counts),
    ]
    text = program.assembled(
        parts, rules, plan_outline, signature="() -> Column", ending=[_SPLIT, _MAIN]
    )
    if "Window." not in text:
        text = text.replace(", SparkSession, Window\n", ", SparkSession\n", 1)
    return text


def _transformed(
    plan_outline: Outline, texts: list[tuple[ColumnPlan, list[Step]]], grouped: list[str]
) -> str:
    lines = [
        "def transformed(frame: DataFrame) -> DataFrame:",
        '    """Each declared column\'s value after the source\'s null tokens and its',
        '    transforms."""',
        "",
        "    def column(name: str) -> Column:",
        "        # an optional column the input lacks is all null",
        '        return col(name) if name in frame.columns else F.lit(None).cast("string")',
        "",
    ]
    if not texts:
        return "\n".join([*lines, "    return frame"])
    names = Names("text")
    results = []
    for column, steps in texts:
        start = f"column({literal(column.name)})"
        if not steps:
            results.append((column.name, start))
            continue
        about = ", ".join(t.name for t in column.transforms) or "no transforms"
        lines += comment(f"{column.name}: {about}", indent="    ")
        for note in plan_outline.column_notes.get(column.name, []):
            lines += comment(note, indent="    ")
        variable = names.make(column.name)
        for function, arguments, framed in steps:
            head = f"    frame, {variable} = " if framed else f"    {variable} = "
            given = ["frame", start, *arguments] if framed else [start, *arguments]
            width = 99 - len(head) + 4
            lines.append(head + call(function, given, indent="    ", width=width))
            start = variable
        results.append((column.name, variable))
    lines += [
        "    texts = frame.withColumns(" if grouped else "    return frame.withColumns(",
        "        {",
    ]
    lines += [f"            TEXT + {literal(name)}: {result}," for name, result in results]
    lines += ["        }", "    )"]
    if grouped:
        lines += program.grouped_return(grouped)
    return "\n".join(lines)


def _typed(casts: list[tuple[ColumnPlan, Step, str | None]]) -> str:
    lines = [
        "def typed(frame: DataFrame) -> DataFrame:",
        '    """Each declared column\'s typed value: the text where it has the shape of its type,',
        "    parsed by the Spark SQL rowsift's Spark engine runs; a text that does not parse",
        '    gives null."""',
    ]
    if not casts:
        return "\n".join([*lines, "    return frame"])
    lines += ["    shaped_texts = frame.withColumns(", "        {"]
    for column, (function, arguments, _), _ in casts:
        lines.append(_entry(f"VALUE + {literal(column.name)}", function, arguments))
    lines += ["        }", "    )"]
    parsed = [(column, expression) for column, _, expression in casts if expression]
    if not parsed:
        return "\n".join([*lines, "    return shaped_texts"])
    lines += ["    return shaped_texts.withColumns(", "        {"]
    for column, expression in parsed:
        lines.append(_entry(f"VALUE + {literal(column.name)}", "F.expr", [literal(expression)]))
    lines += ["        }", "    )"]
    return "\n".join(lines)


def _entry(key: str, function: str, arguments: list[str]) -> str:
    """``key: function(arguments),`` in a dict literal of `withColumns`: on one line, or one
    argument per line when it does not fit."""
    flat = f"            {key}: {function}({', '.join(arguments)}),"
    if len(flat) <= 99:
        return flat
    inner = "".join(f"                {argument},\n" for argument in arguments)
    return f"            {key}: {function}(\n{inner}            ),"


def _counted(counts: list[tuple[str, str, list[str]]]) -> str:
    lines = [
        "def counted(frame: DataFrame) -> DataFrame:",
        '    """The group counts a functional dependency compares (a window cannot read another',
        '    window, so they are columns of their own)."""',
    ]
    if not counts:
        return "\n".join([*lines, "    return frame"])
    lines += ["    return frame.withColumns(", "        {"]
    for name, counted, keys in counts:
        window = f"Window.partitionBy({', '.join(keys)})"
        lines.append(_entry(literal(name), f"F.count({counted}).over", [window]))
    lines += ["        }", "    )"]
    return "\n".join(lines)
