"""The parts every exported Python program shares: its opening text, the rule functions'
layout and comments, and the dataset rules (plain Python over the run's counts)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rowsift._names import LINE, REASONS, ROW
from rowsift.engine.plan import ColumnPlan, Plan, RowSetStep
from rowsift.exceptions import ExportError
from rowsift.export.code.expression_tree import WRITTEN_FROM_EXPRESSIONS
from rowsift.export.code.outline import Outline
from rowsift.export.code.python_text import Names, comment, listed, literal
from rowsift.rules import (
    Between,
    ColumnRule,
    Compare,
    DatasetRule,
    DeterminedBy,
    Duplicate,
    InSet,
    Length,
    Matches,
    NotNull,
    NullRate,
    QuarantineRate,
    RowCount,
    Unique,
)
from rowsift.transforms import (
    CollapseSpaces,
    FillNull,
    Lower,
    Majority,
    Map,
    NullTokens,
    Replace,
    Strip,
    Upper,
)

DATASET_KINDS = (RowCount, QuarantineRate, NullRate)
"""Dataset rules: judged from the run's counts, the same plain Python in every program."""

EXPORTED: tuple[type, ...] = (
    Strip,
    Lower,
    Upper,
    CollapseSpaces,
    NullTokens,
    Map,
    Replace,
    FillNull,
    NotNull,
    Matches,
    Between,
    InSet,
    Length,
    Compare,
    Unique,
    Duplicate,
    DeterminedBy,
    *WRITTEN_FROM_EXPRESSIONS,
    *DATASET_KINDS,
)
"""Every rule and transform kind the programs write, in Python and in DuckDB SQL."""

HEADER_NAMES = '''
def header_names(given: list[str]) -> list[str]:
    """Names as rowsift gives them: a blank one is column_<n>, a repeat (whatever its case)
    gets _2, _3, ..., and a name starting with _rowsift_ (rowsift's own) loses its leading
    underscore."""
    seen: set[str] = set()
    names = []
    for position, text in enumerate(given, start=1):
        name = text.strip() or f"column_{position}"
        while name.startswith("_rowsift_"):
            name = name[1:]
        candidate, suffix = name, 2
        while candidate.casefold() in seen:
            candidate, suffix = f"{name}_{suffix}", suffix + 1
        seen.add(candidate.casefold())
        names.append(candidate)
    return names'''.strip("\n")
"""How a program names the columns of a header, as rowsift's reader does."""

HEADER_LINES = (
    "    # a quoted name may hold line breaks: the header's lines, which the records follow",
    '    header_lines = 1 + sum(name.count("\\n") for name in written)',
)
"""How a program counts the physical lines of its header, from the names as written."""


@dataclass(frozen=True, kw_only=True)
class RuleCode:
    """One rule as a function of the program: where a row fails it."""

    id: str
    severity: str
    says: str
    body: list[str]


def majority_steps(plan: Plan, target: str) -> list[tuple[ColumnPlan, Majority]]:
    """The columns whose last transform is `majority`, in order. A `by` column that is itself
    repaired by `majority` would read the repaired text in a program that applies them one
    after the other (rowsift reads the text before any): refused."""
    found = [
        (column, column.transforms[-1])
        for column in plan.columns
        if column.transforms and isinstance(column.transforms[-1], Majority)
    ]
    repaired = {column.name for column, _ in found}
    for column, transform in found:
        both = sorted(repaired & set(transform.by))
        if both:
            raise ExportError(
                f"the majority of {column.name!r} groups by {both[0]!r}, itself repaired by "
                f"majority: {target} cannot write that yet",
                hint="group by a column without a majority repair, or run the recipe with rowsift",
            )
    return found


def majority_call(column: ColumnPlan, transform: Majority, method: str = "pipe") -> str:
    """A `majority` repair in a Python program: the call that follows the frame of
    transformed texts (`method`: the frame's way to call a function on itself; the program's
    helper `majority` does the work)."""
    by = ", ".join(f"TEXT + {literal(name)}" for name in transform.by)
    share = ", ".join(map(str, transform.share_fraction()))
    fill = ", fill_nulls=True" if transform.fill_nulls else ""
    return (
        f".{method}(majority, TEXT + {literal(column.name)}, [{by}], share=({share}), "
        f"min_rows={transform.min_rows}{fill})"
    )


def grouped_return(grouped: list[str], texts: str = "texts") -> list[str]:
    """The lines that end a program's `transformed` with its `majority` calls."""
    lines = comment(
        "majority: a value becomes its group's most frequent one, once every other transform "
        "ran (each reads the texts before any majority)",
        indent="    ",
    )
    first = f"    return {texts}{grouped[0]}"
    if len(grouped) == 1 and len(first) <= 100:
        return [*lines, first]
    calls = [f"        {texts}{grouped[0]}", *[f"        {call}" for call in grouped[1:]]]
    return [*lines, "    return (", *calls, "    )"]


def not_exported(target: str, kind: str, item: object) -> ExportError:
    """The error for a rule or transform a target does not know (never skipped silently)."""
    name = getattr(item, "name", type(item).__name__)
    return ExportError(
        f"the {kind} {name!r} cannot be exported to {target}",
        hint="see docs/export.md for what each target can export; `rowsift run` runs the "
        "recipe as it is",
    )


def rule_says(rule: object) -> str:
    """What a rule means, in a few words (a comment above its function)."""
    if isinstance(rule, NotNull):
        return "a null value fails (the only rule that fails on null)"
    if isinstance(rule, Matches):
        return "the pattern is searched in the value; a null passes"
    if isinstance(rule, Between):
        low = "" if rule.min is None else ("[" if rule.include_min else "(") + str(rule.min)
        high = "" if rule.max is None else str(rule.max) + ("]" if rule.include_max else ")")
        return f"the value lies in {low or '(-inf'}, {high or '+inf)'}; a null passes"
    if isinstance(rule, InSet):
        return "the value is one of the listed values; a null passes"
    if isinstance(rule, Length):
        return f"the length in characters lies in [{rule.min}, {rule.max}]; a null passes"
    if isinstance(rule, Compare):
        return f"value {rule.op} {rule.column} on the same row; a null on either side passes"
    if isinstance(rule, Unique):
        return f"no two rows share the key; blame {rule.blame} (first = lowest row)"
    if isinstance(rule, Duplicate):
        return f"rows equal on every key column, null equal to null; keep {rule.keep}"
    if isinstance(rule, DeterminedBy):
        return (
            f"in each group of the determinants (with at least {rule.min_support} values), "
            "the less frequent values are blamed; ties are not"
        )
    return ""


def library_version(library: str) -> str:
    """The installed version of the library a program is written for (its metadata only: the
    library is not imported)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(library.lower())
    except PackageNotFoundError:  # pragma: no cover - rowsift depends on both
        return "(not installed here)"


def opening(plan_outline: Outline, *, library: str, run: str) -> list[str]:
    """The program's docstring (fixed text) and the recipe's own words, as comments."""
    name = plan_outline.name
    lines = [
        '"""Clean a table as a rowsift recipe does, with ' + library + " alone.",
        "",
        "Written by `rowsift export` from the recipe named below; it imports no rowsift. Usage:",
        "",
        f"    {run}",
        "",
        "reads the input as the recipe's `source:` says and writes OUT_DIR/clean.parquet (the",
        "rows that pass, transformed and typed) and OUT_DIR/quarantine.parquet (the others, with",
        f"their values as read and `{REASONS}`: the ids of the error rules they fail, in",
        f"recipe order). Both keep `{ROW}` (0-based position of the record) and `{LINE}`.",
        "It exits with 1 when a dataset rule of severity error fails, as `rowsift run` does.",
        '"""',
        "",
    ]
    lines += comment(f"Recipe: {name}" if name else "Recipe: (no name)")
    lines += comment(f"sha256 of the recipe: {plan_outline.plan.recipe_fingerprint}")
    lines += comment(f"Written for {library} {library_version(library)}, as rowsift runs it.")
    if plan_outline.description:
        lines += comment(plan_outline.description)
    lines += ["#", "# Where this program is not exact (rowsift run would answer otherwise):"]
    for note in plan_outline.reading.notes:
        lines += comment(note, prefix="# - ", then="#   ")
    return lines


def rule_functions(
    rules: list[RuleCode], plan_outline: Outline, *, signature: str = "() -> pl.Expr"
) -> tuple[list[str], str]:
    """Each rule as a function named after its id (of `signature`), and the RULES table that
    lists them."""
    names = Names("rule")
    lines: list[str] = []
    table = ["RULES = [  # (rule id, severity, where a row fails), in recipe order"]
    for rule in rules:
        function = names.make(rule.id)
        lines += ["", "", f"def {function}{signature}:"]
        lines += comment(f"{rule.id}: {rule.says}", indent="    ")
        for note in plan_outline.rule_notes.get(rule.id, []):
            lines += comment(note, indent="    ")
        lines += ["    " + line for line in rule.body]
        table.append(f"    ({literal(rule.id)}, {literal(rule.severity)}, {function}),")
    table.append("]")
    return lines, "\n".join(table)


def _judged(rule: DatasetRule) -> list[str]:
    if isinstance(rule, RowCount):
        counted = "rows_in" if rule.of == "input" else "rows_clean"
        checks = [f"{rule.min} <= observed"] if rule.min is not None else []
        checks += [f"observed <= {rule.max}"] if rule.max is not None else []
        return [f"observed = stats[{literal(counted)}]", f"return observed, {_all(checks)}"]
    if isinstance(rule, QuarantineRate):
        return [
            'observed = stats["rows_quarantined"] / stats["rows_in"] if stats["rows_in"] else 0.0',
            f"return observed, observed <= {literal(rule.max)}",
        ]
    if isinstance(rule, NullRate):
        nulls = f'stats["nulls"][{literal(rule.column)}]'
        return [
            f'observed = {nulls} / stats["rows_in"] if stats["rows_in"] else 0.0',
            f"return observed, observed <= {literal(rule.max)}",
        ]
    raise not_exported("python", "dataset rule", rule)


def _all(checks: list[str]) -> str:
    return " and ".join(checks) if checks else "True"


def dataset_functions(plan_outline: Outline) -> tuple[list[str], str]:
    """Each dataset rule as a function of the run's counts, and the DATASET table."""
    names = Names("dataset")
    lines: list[str] = []
    table = ["DATASET = [  # (rule id, severity, judge), in recipe order"]
    for step in plan_outline.plan.dataset:
        function = names.make(step.id.removeprefix("dataset."))
        lines += ["", "", f"def {function}(stats: dict[str, Any]) -> tuple[float, bool]:"]
        lines += comment(f"{step.id}: judged on the run's counts", indent="    ")
        for note in plan_outline.rule_notes.get(step.id, []):
            lines += comment(note, indent="    ")
        lines += ["    " + line for line in _judged(step.rule)]
        table.append(f"    ({literal(step.id)}, {literal(step.rule.severity)}, {function}),")
    table.append("]")
    return lines, "\n".join(table)


def null_counted(plan_outline: Outline) -> list[str]:
    """The columns whose nulls (after transforms) a dataset rule counts."""
    wanted = {getattr(step.rule, "column", None) for step in plan_outline.plan.dataset}
    return [column.name for column in plan_outline.plan.columns if column.name in wanted]


def rule_codes(
    plan_outline: Outline,
    *,
    type_rule: Callable[[ColumnPlan], list[str]],
    column_rule: Callable[[ColumnPlan, ColumnRule], list[str]],
    rowset_rule: Callable[[RowSetStep], list[str]],
) -> tuple[list[RuleCode], list[object]]:
    """The plan walked in recipe order: per column its type rule (when it is not text) then
    its rules, then the row rules, each with the body the target writes for it; and the
    values their bodies hold as literals (bounds, set members: the imports they need)."""
    rules: list[RuleCode] = []
    literals: list[object] = []
    for column in plan_outline.plan.columns:
        if column.cast.type != "string":
            says = f"a value that does not parse as {column.cast.type} fails"
            rules.append(
                RuleCode(
                    id=column.type_rule_id, severity="error", says=says, body=type_rule(column)
                )
            )
        for step in column.rules:
            literals += [getattr(step.rule, key, None) for key in ("min", "max", "values")]
            rules.append(
                RuleCode(
                    id=step.id,
                    severity=step.rule.severity,
                    says=rule_says(step.rule),
                    body=column_rule(column, step.rule),
                )
            )
    for rowset in plan_outline.plan.rowset:
        rules.append(
            RuleCode(
                id=rowset.id,
                severity=rowset.rule.severity,
                says=rule_says(rowset.rule),
                body=rowset_rule(rowset),
            )
        )
    return rules, literals


def head(plan_outline: Outline, *, library: str, imports: set[str], libraries: list[str]) -> str:
    """The program's opening (`opening`) and its imports: the standard library's, sorted,
    then the libraries'."""
    ordered = sorted(imports)
    return "\n".join(
        [
            *opening(plan_outline, library=library, run="python THIS_FILE.py INPUT [OUT_DIR]"),
            "",
            "from __future__ import annotations",
            "",
            *[line for line in ordered if line.startswith("import ")],
            *[line for line in ordered if line.startswith("from ")],
            "from pathlib import Path",
            "from typing import Any",
            "",
            *libraries,
        ]
    )


def declarations(plan_outline: Outline) -> str:
    """DECLARED, REQUIRED and NULL_COUNTED: the column lists every program reads."""
    plan = plan_outline.plan
    declared = [column.name for column in plan.columns]
    required = [column.name for column in plan.columns if column.required]
    return "\n".join(
        [
            "# the recipe's columns, in its order; those the input must have; those whose",
            "# nulls a dataset rule counts",
            f"DECLARED = {listed([literal(c) for c in declared], indent='')}",
            f"REQUIRED = {listed([literal(c) for c in required], indent='')}",
            "NULL_COUNTED = " + listed([literal(c) for c in null_counted(plan_outline)], indent=""),
        ]
    )


def assembled(
    parts: list[str],
    rules: list[RuleCode],
    plan_outline: Outline,
    *,
    signature: str,
    ending: list[str],
) -> str:
    """The program: `parts` (the head first), the rule functions and RULES, the dataset
    functions and DATASET, then `ending` (split, main); one blank line after the imports,
    two between definitions."""
    rule_lines, rule_table = rule_functions(rules, plan_outline, signature=signature)
    dataset_lines, dataset_table = dataset_functions(plan_outline)
    text = parts[0] + "\n\n" + "\n\n\n".join(parts[1:])
    text += "\n" + "\n".join(rule_lines) + "\n\n\n" + rule_table
    text += "\n" + "\n".join(dataset_lines) + ("\n\n\n" if dataset_lines else "\n\n")
    text += dataset_table + "\n\n\n"
    return text + "\n\n\n".join(part.strip("\n") for part in ending) + "\n"
