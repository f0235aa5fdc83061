"""The small functions and constants a PySpark program defines when its steps use them."""

from __future__ import annotations

from rowsift.export.code.python_expressions import python_literal
from rowsift.export.code.python_text import literal
from rowsift.export.code.spark_expressions import HELPERS as REPAIR_HELPERS
from rowsift.transforms.canonical import ignored_run
from rowsift.transforms.text import _WHITESPACE_RUN, WHITESPACE

Step = tuple[str, list[str], bool]
"""One step of a column's chain: the function, its arguments after the value, and whether it
takes and gives the frame too (a repair, whose parts are held in columns)."""

HELPERS: dict[str, str] = {
    "WHITESPACE": f'''
WHITESPACE = {literal(WHITESPACE)}
"""What `strip` removes: ASCII whitespace and the Unicode space separators."""''',
    "WHITESPACE_RUN": f'''
WHITESPACE_RUN = {literal(_WHITESPACE_RUN)}
"""A run of whitespace, which `collapse_spaces` makes one space."""''',
    "IGNORED_RUN": f'''
IGNORED_RUN = {python_literal(ignored_run())}
"""What `canonical` ignores between the letters of a value: whitespace, punctuation and
combining marks (a pattern)."""''',
    "null_tokens": '''
def null_tokens(value: Column, tokens: list[str]) -> Column:
    """Null where the value is one of the tokens."""
    return F.when(~value.isin(tokens), value)''',
    "mapped": '''
def mapped(value: Column, mapping: dict[str, str]) -> Column:
    """The mapped value where the whole value is a key, the value elsewhere."""
    pairs = [F.lit(text) for pair in mapping.items() for text in pair]
    return F.coalesce(F.try_element_at(F.create_map(*pairs), value), value)''',
    "shaped": '''
def shaped(text: Column, shape: str) -> Column:
    """The text where it has the shape of the type (a regular expression), else null: a
    text of another shape fails the column's `type` rule, whatever the parser would make
    of it."""
    return F.when(text.rlike(shape), text)''',
    "present": '''
def present(keys: list[Column], ignore_if_null: str) -> Column:
    """Rows a key rule judges: no key null (`any`), or not every key null (`all`)."""
    known = [key.isNotNull() for key in keys]
    return functools.reduce(operator.and_ if ignore_if_null == "any" else operator.or_, known)''',
    "majority": '''
GROUP = "_rowsift_group:"  # + a count `majority` works with


def majority(
    frame: DataFrame,
    column: str,
    by: list[str],
    *,
    share: tuple[int, int],
    min_rows: int,
    fill_nulls: bool = False,
) -> DataFrame:
    """The text of `column` becomes the most frequent text of its group (equal `by` texts)
    where one value alone has the top count, holds at least `share` (numerator, denominator)
    of the group's present values, and the group has `min_rows` of them; a null never votes,
    and is filled on those terms only with `fill_nulls`; a row with a null `by` text is left."""
    value, keys = col(column), [col(name) for name in by]
    group = Window.partitionBy(*keys)
    pair, top, votes = col(GROUP + "pair"), col(GROUP + "top"), col(GROUP + "votes")
    at_top, winner = col(GROUP + "at_top"), col(GROUP + "winner")
    candidate = F.when(pair == top, value)
    judged = [] if fill_nulls else [value.isNotNull()]
    present = functools.reduce(operator.and_, [*judged, *[k.isNotNull() for k in keys]])
    dominant = (votes >= min_rows) & (at_top == top) & (top * share[1] >= votes * share[0])
    return (
        frame.withColumn(GROUP + "pair", F.count(value).over(Window.partitionBy(*keys, value)))
        .withColumns(
            {GROUP + "top": F.max(pair).over(group), GROUP + "votes": F.count(value).over(group)}
        )
        .withColumns(
            {
                GROUP + "at_top": F.count(candidate).over(group),
                GROUP + "winner": F.max(candidate).over(group),
            }
        )
        .withColumn(column, F.when(present & dominant, winner).otherwise(value))
        .drop(*[GROUP + name for name in ("pair", "top", "votes", "at_top", "winner")])
    )''',
    **REPAIR_HELPERS,
}
"""Each helper's text, by the name a step notes it needs under."""


def helper_texts(wanted: set[str]) -> list[str]:
    """The texts of the `wanted` helpers, in `HELPERS` order."""
    return [text.strip("\n") for name, text in HELPERS.items() if name in wanted]
