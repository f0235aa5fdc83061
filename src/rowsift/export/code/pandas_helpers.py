"""The helpers a pandas program defines, by name, as text: each is written into a program that
uses it (`rowsift.export.code.pandas` collects the names as it writes the steps).

They are what rowsift's pandas engine does, in pandas' terms: typed values parsed by pyarrow's
casts (a spelling Arrow does not read judged value by value, as the engine does), dates by
`pd.to_datetime`, first occurrences by `duplicated`, group counts by `groupby`.
"""

from __future__ import annotations

from rowsift.engine.parse import FLOAT_GUARD, INT_GUARD, guard
from rowsift.engine.plan import CastSpec
from rowsift.engines.protocol import BOOL_TRIM, FALSE_TOKENS, TRUE_TOKENS
from rowsift.export.code.python_expressions import python_literal
from rowsift.export.code.python_text import literal
from rowsift.transforms.canonical import ignored_run
from rowsift.transforms.text import _WHITESPACE_RUN, WHITESPACE

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
    "with_columns": '''
def with_columns(frame: pd.DataFrame, columns: dict[str, pd.Series]) -> pd.DataFrame:
    """`frame` with `columns` added after its own, in one step (`DataFrame.assign` adds them
    one at a time, which takes time growing with the square of a wide table's width)."""
    return pd.concat([frame, pd.DataFrame(columns, index=frame.index)], axis=1)''',
    "lit": '''
def lit(item: Any, like: pd.Series) -> pd.Series:
    """A column holding `item` on every row of `like`."""
    return column_like(item, like, None)''',
    "when": '''
def when(condition: pd.Series, then: Any, otherwise: Any = None) -> pd.Series:
    """`then` where the condition is true, `otherwise` where it is false or null (as Polars'
    when/then/otherwise); a plain value stands for every row."""
    if not isinstance(then, pd.Series):
        then = column_like(then, condition, otherwise)
    if not isinstance(otherwise, pd.Series):
        otherwise = column_like(otherwise, condition, then)
    return then.where(condition.fillna(False).astype(bool), otherwise)


def column_like(item: Any, like: pd.Series, other: Any) -> pd.Series:
    """`item` on every row of `like`, of the type of `other` when `item` is None."""
    if item is None and isinstance(other, pd.Series):
        dtype = other.dtype
    else:
        dtype = pd.ArrowDtype(pa.array([item if item is not None else other]).type)
    values = pa.array([item] * len(like), type=dtype.pyarrow_dtype)
    return pd.Series(values, index=like.index, dtype=dtype)''',
    "concat_str": '''
def concat_str(parts: list[Any], separator: str = "") -> pd.Series:
    """The parts joined as text; null where any part is null."""
    joined = parts[0]
    for part in parts[1:]:
        joined = joined + separator + part if separator else joined + part
    return joined''',
    "null_tokens": '''
def null_tokens(value: pd.Series, tokens: list[str]) -> pd.Series:
    """Null where the value is one of the tokens."""
    return value.where(~value.isin(tokens))''',
    "mapped": '''
def mapped(value: pd.Series, mapping: dict[str, str]) -> pd.Series:
    """The mapped value where the value is a key, the value elsewhere."""
    found = value.isin(list(mapping))
    return value.where(~found, value.map(mapping).astype(STRING))''',
    "shaped": '''
def shaped(text: pd.Series, shape: str) -> pd.Series:
    """The text where it has the shape of the type (a regular expression), else null: a
    text of another shape fails the column's `type` rule, whatever the parser would make
    of it."""
    return text.where(text.str.contains(shape).fillna(False).astype(bool))''',
    "to_int": f'''
INT_SHAPE = {literal(INT_GUARD)}


def to_int(text: pd.Series) -> pd.Series:
    """A 64-bit integer; null where it does not fit."""
    candidates = shaped(text, INT_SHAPE)
    try:
        return candidates.astype(INT64)
    except (pa.ArrowInvalid, OverflowError):  # out of range: judged value by value
        limit = 2**63
        numbers = [None if pd.isna(t) else int(t) for t in candidates]
        fitting = [n if n is not None and -limit <= n < limit else None for n in numbers]
        return pd.Series(fitting, index=text.index, dtype=INT64)''',
    "to_float": f'''
FLOAT_SHAPE = {literal(FLOAT_GUARD)}


def to_float(text: pd.Series) -> pd.Series:
    """A 64-bit float; -0.0 is read as 0.0, as on every engine rowsift runs on."""
    candidates = shaped(text, FLOAT_SHAPE)
    try:
        numbers = candidates.astype(FLOAT64)
    except pa.ArrowInvalid:  # a spelling Arrow does not read (inf, infinity): Python reads it
        parsed = [None if pd.isna(t) else float(t) for t in candidates]
        # built by pyarrow: pandas would read a NaN in a list as missing
        numbers = pd.Series(pa.array(parsed, type=pa.float64()), index=text.index, dtype=FLOAT64)
    # masked, not `numbers + 0.0`: pandas' arithmetic would make a NaN missing
    return numbers.mask((numbers == 0.0).fillna(False).astype(bool), 0.0)''',
    "to_decimal": '''
def to_decimal(text: pd.Series, shape: str, *, precision: int, scale: int) -> pd.Series:
    """A decimal; the shape admits only texts that fit without rounding."""
    numbers = [None if pd.isna(t) else Decimal(t) for t in shaped(text, shape)]
    kind = pd.ArrowDtype(pa.decimal128(precision, scale))
    return pd.Series(pa.array(numbers, type=kind.pyarrow_dtype), index=text.index, dtype=kind)''',
    "to_bool": f'''
TRUE_TOKENS = {literal(list(TRUE_TOKENS))}
FALSE_TOKENS = {literal(list(FALSE_TOKENS))}
BOOL_SHAPE = {literal(guard(CastSpec(type="bool")))}


def to_bool(text: pd.Series) -> pd.Series:
    """True or false from the tokens above, in any case, around blanks; null otherwise."""
    folded = shaped(text, BOOL_SHAPE).str.strip({literal(BOOL_TRIM)}).str.lower()
    truth = pd.Series(pd.NA, index=text.index, dtype=BOOLEAN)
    truth = truth.mask(folded.isin(TRUE_TOKENS), True)
    return truth.mask(folded.isin(FALSE_TOKENS), False)''',
    "to_date": '''
def to_date(text: pd.Series, shape: str, fmt: str) -> pd.Series:
    """A date written in the format."""
    return to_datetime(text, shape, fmt).astype(DATE)''',
    "to_datetime": '''
def to_datetime(text: pd.Series, shape: str, fmt: str) -> pd.Series:
    """A timestamp in microseconds; a UTC offset in the text is applied, giving UTC without
    a time zone."""
    stamps = pd.to_datetime(shaped(text, shape), format=fmt, errors="coerce", utc=True)
    return stamps.dt.tz_localize(None).astype(TIMESTAMP)''',
    "is_nan": '''
def is_nan(value: pd.Series) -> pd.Series:
    """True where a float is NaN (a null is not: it stays null)."""
    return value != value''',
    "found_in": '''
def found_in(value: pd.Series, members: list[Any]) -> pd.Series:
    """True where the value is one of the members (of the value's own type)."""
    return value.isin(pd.Series(members, dtype=value.dtype))''',
    "majority": '''
def majority(
    frame: pd.DataFrame,
    column: str,
    by: list[str],
    *,
    share: tuple[int, int],
    min_rows: int,
    fill_nulls: bool = False,
) -> pd.DataFrame:
    """The text of `column` becomes the most frequent text of its group (equal `by` texts)
    where one value alone has the top count, holds at least `share` (numerator, denominator)
    of the group's present values, and the group has `min_rows` of them; a null never votes,
    and is filled on those terms only with `fill_nulls`; a row with a null `by` text is left."""
    rows = frame[[*by, column]].reset_index(drop=True)
    voting = rows[rows.notna().all(axis=1)]
    keys = [voting[name] for name in by]
    pair = voting.groupby([*by, column], sort=False)[column].transform("size")
    top = pair.groupby(keys, sort=False).transform("max")
    votes = voting.groupby(by, sort=False)[column].transform("size")
    at_top = (pair == top).groupby(keys, sort=False).transform("sum")
    winner = voting[column].where(pair == top).groupby(keys, sort=False).transform("max")
    dominant = (votes >= min_rows) & (at_top == top) & (top * share[1] >= votes * share[0])
    repaired = rows[column].copy()
    repaired[dominant[dominant].index] = winner[dominant]
    if fill_nulls:  # a null takes the winner of its group, where the group's vote is dominant
        won = rows[by].merge(
            voting[by].assign(winner=winner)[dominant].drop_duplicates(by), how="left", on=by
        )["winner"]
        empty = rows[column].isna() & rows[by].notna().all(axis=1) & won.notna()
        repaired[empty] = won[empty]
    return frame.assign(**{column: repaired.array})''',
    "present": '''
def present(keys: list[pd.Series], ignore_if_null: str) -> pd.Series:
    """Rows a key rule judges: no key null (`any`), or not every key null (`all`)."""
    known = pd.concat([key.notna() for key in keys], axis=1)
    return known.all(axis=1) if ignore_if_null == "any" else known.any(axis=1)''',
    "seen_before": '''
def seen_before(keys: list[pd.Series]) -> pd.Series:
    """True where an earlier row (rows are in `_rowsift_row` order) has the same keys; null
    equals null."""
    return pd.concat(keys, axis=1, ignore_index=True).duplicated(keep="first")''',
    "per_group": '''
def per_group(column: pd.Series, keys: list[pd.Series], how: str) -> pd.Series:
    """On each row, the count of non-null values of `column` (or their maximum) over the rows
    with the same keys; null keys are one group."""
    return column.groupby(keys, dropna=False, sort=False).transform(how)''',
}
