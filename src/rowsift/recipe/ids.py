"""Rule ids: one name per rule of a recipe, never shared, from which the failing cell is found.

A rule id is a scope, a dot and the rule's name: ``amount.between`` (a column's rule),
``row.duplicate`` (a row rule), ``dataset.row_count`` and ``dataset.null_rate.<column>``
(dataset rules). A column whose name could be read as another scope (``row``, ``dataset``,
``columns``, or a name starting with one of them and a dot) has its rules under
``columns.<name>``: a column named ``row`` has ``columns.row.unique``, never ``row.unique``.
Rule names are lower-case words without digits, so ``_2``, ``_3`` can only mean "the second,
third rule of the same id"; an id already taken (which only a dataset rule's column can cause,
``null_rate`` on columns ``a`` and ``a_2``) takes the next free number.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from rowsift._names import JOINED_RULE_ID, PARSE_RULE_ID
from rowsift.recipe.model import Recipe
from rowsift.recipe.yaml_text import Location

ROW_SCOPE = "row"
DATASET_SCOPE = "dataset"
COLUMNS_SCOPE = "columns"
RESERVED_SCOPES = frozenset({ROW_SCOPE, DATASET_SCOPE, COLUMNS_SCOPE})


def column_scope(name: str) -> str:
    """The scope of a column's rule ids: its name, or ``columns.<name>`` when the name could be
    read as another scope.

    >>> column_scope("amount"), column_scope("row"), column_scope("dataset.size")
    ('amount', 'columns.row', 'columns.dataset.size')
    """
    first = name.split(".", 1)[0]
    return f"{COLUMNS_SCOPE}.{name}" if first in RESERVED_SCOPES else name


def type_rule_id(column: str) -> str:
    """The id of the rule a column's value fails when it does not cast (``amount.type``)."""
    return f"{column_scope(column)}.type"


class _Ids:
    """Hands out ids in recipe order: a repeated id gets ``_2``, ``_3``; none is given twice."""

    def __init__(self, taken: set[str]) -> None:
        self._taken = taken
        self._seen: Counter[str] = Counter()

    def next(self, base: str) -> str:
        self._seen[base] += 1
        count = self._seen[base]
        rule_id = base if count == 1 else f"{base}_{count}"
        while rule_id in self._taken:
            count += 1
            rule_id = f"{base}_{count}"
        self._taken.add(rule_id)
        return rule_id


def rule_ids(recipe: Recipe) -> list[tuple[Location, str]]:
    """Each rule's location in the recipe and its id, in recipe order: every column's rules,
    then ``rows:``, then ``dataset:``.

    >>> from rowsift.recipe import load_recipe_text
    >>> recipe = load_recipe_text('''
    ... version: 1
    ... columns: {row: {rules: [unique]}}
    ... rows: [{unique: {columns: [row]}}]
    ... ''')
    >>> [rule_id for _, rule_id in rule_ids(recipe)]
    ['columns.row.unique', 'row.unique']
    """
    ids = _Ids({PARSE_RULE_ID, JOINED_RULE_ID, *(type_rule_id(name) for name in recipe.columns)})
    found: list[tuple[Location, str]] = []
    for name, column in recipe.columns.items():
        for index, entry in enumerate(column.rules):
            rule_id = ids.next(f"{column_scope(name)}.{entry.kind}")
            found.append((("columns", name, "rules", index), rule_id))
    found.extend(_table_ids("rows", ROW_SCOPE, recipe.rows, ids))
    found.extend(_table_ids("dataset", DATASET_SCOPE, recipe.dataset, ids))
    return found


def _table_ids(
    key: str, scope: str, entries: list[Any], ids: _Ids
) -> Iterator[tuple[Location, str]]:
    for index, entry in enumerate(entries):
        detail = entry.args.id_detail()
        base = f"{scope}.{entry.kind}" + ("" if detail is None else f".{detail}")
        yield (key, index), ids.next(base)
