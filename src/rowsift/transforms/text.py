"""Value-to-value transforms on text, applied before the cast."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, ClassVar

# narwhals is imported where an expression is built: compiling a recipe (`rowsift check`)
# builds none
if TYPE_CHECKING:
    import narwhals.stable.v2 as nw


WHITESPACE = (
    " \t\n\r\x0b\x0c\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""What `strip` and `collapse_spaces` treat as whitespace, on every engine: ASCII whitespace and
the Unicode space separators (no-break space included), spelled out because engines disagree."""

_WHITESPACE_RUN = "[ \\t\\n\\r\\x0B\\x0C" + WHITESPACE[6:] + "]+"


@dataclass(frozen=True)
class Strip:
    """Removes leading and trailing whitespace (`WHITESPACE`)."""

    name: ClassVar[str] = "strip"

    def apply(self, value: nw.Expr) -> nw.Expr:
        """The value without surrounding whitespace."""
        return value.str.strip_chars(WHITESPACE)

    def apply_guarded(self, value: nw.Expr) -> nw.Expr:
        """The same, stripping only the values that start or end with whitespace: for an
        engine whose strip by a set of characters is slow on every value (DuckDB's: 0.9 CPU s
        a million values, against 0.08 with this guard). A value whose first and last code
        points are not whitespace has nothing to strip, so the result is the same."""
        import narwhals.stable.v2 as nw

        edge = _WHITESPACE_RUN.removesuffix("+")
        padded = value.str.contains(f"^{edge}|{edge}$")
        return nw.when(padded).then(self.apply(value)).otherwise(value)


@dataclass(frozen=True)
class Lower:
    """Lower-cases the value by Unicode's full case mapping (``İ`` → ``i̇``, final ``Σ`` → ``ς``)."""

    name: ClassVar[str] = "lower"

    def apply(self, value: nw.Expr) -> nw.Expr:
        """The value in lower case, by the engine's own function (Polars', Spark's: full)."""
        return value.str.to_lowercase()

    def apply_full(self, value: nw.Expr) -> nw.Expr:
        """The same on an engine whose own function maps each code point to one (pyarrow's,
        DuckDB's): İ is expanded and a final sigma marked first, on the rows that hold one."""
        import narwhals.stable.v2 as nw

        special = value.str.contains(LOWER_SPECIAL)
        expanded = _expand(nw.when(special).then(value), LOWER_EXPANSIONS)
        final = expanded.str.replace_all(*FINAL_SIGMA)
        # the common case is the `then` branch: pandas' `where` on Arrow text then replaces
        # the few special rows, not every other row (0.12 CPU s a million rows, against 0.01)
        return nw.when(~special).then(value.str.to_lowercase()).otherwise(final.str.to_lowercase())


@dataclass(frozen=True)
class Upper:
    """Upper-cases the value by Unicode's full case mapping (``ß`` → ``SS``, ``ﬁ`` → ``FI``)."""

    name: ClassVar[str] = "upper"

    def apply(self, value: nw.Expr) -> nw.Expr:
        """The value in upper case, by the engine's own function (Polars', Spark's: full)."""
        return value.str.to_uppercase()

    def apply_full(self, value: nw.Expr) -> nw.Expr:
        """The same on an engine whose own function maps each code point to one (pyarrow's,
        DuckDB's): letters whose upper case is several code points are expanded first, on the
        rows that hold one."""
        import narwhals.stable.v2 as nw

        expansions = upper_expansions()
        special = value.str.contains("[" + "".join(expansions) + "]")
        expanded = _expand(nw.when(special).then(value), expansions)
        # the common case first, as in `Lower.apply_full`
        return nw.when(~special).then(value).otherwise(expanded).str.to_uppercase()


def _expand(value: nw.Expr, expansions: dict[str, str]) -> nw.Expr:
    for letter, replacement in expansions.items():
        value = value.str.replace_all(letter, replacement, literal=True)
    return value


LOWER_SPECIAL = "[İΣ]"
"""The rows `Lower.apply_full` expands: those holding İ or a capital sigma."""

LOWER_EXPANSIONS = {"İ": "i\u0307"}
"""What `Lower.apply_full` expands before the case mapping (a final sigma is `FINAL_SIGMA`)."""

FINAL_SIGMA = ("(\\pL)Σ(\\PL|$)", "\\1ς\\2")
"""A capital sigma after a letter and not before one ends a word: it becomes ς (a pattern and
its replacement)."""


@cache
def upper_expansions() -> dict[str, str]:
    """The letters whose full upper case is more than one code point (Unicode's
    SpecialCasing: ß, ŉ, ǰ, ﬁ, Greek with iota subscript, ...), all in the first plane."""
    return {
        letter: letter.upper()
        for letter in map(chr, range(0x10000))
        if not 0xD800 <= ord(letter) <= 0xDFFF and len(letter.upper()) > 1
    }


@dataclass(frozen=True)
class CollapseSpaces:
    """Replaces every run of whitespace by a single space (it does not strip the ends)."""

    name: ClassVar[str] = "collapse_spaces"

    def apply(self, value: nw.Expr) -> nw.Expr:
        """The value with whitespace runs collapsed."""
        return value.str.replace_all(_WHITESPACE_RUN, " ")


@dataclass(frozen=True)
class NullTokens:
    """Values equal to one of the tokens become null."""

    name: ClassVar[str] = "null_tokens"
    tokens: tuple[str, ...]

    def apply(self, value: nw.Expr) -> nw.Expr:
        """Null where the value is a token, the value elsewhere."""
        import narwhals.stable.v2 as nw

        return nw.when(~value.is_in(list(self.tokens))).then(value)


@dataclass(frozen=True)
class Map:
    """Replaces whole values found in the mapping; other values are kept."""

    name: ClassVar[str] = "map"
    mapping: tuple[tuple[str, str], ...]

    def apply(self, value: nw.Expr) -> nw.Expr:
        """The mapped value where the value is a key, the value elsewhere.

        Up to `MAP_CHAIN_LIMIT` keys, one comparison per key: Polars' streaming engine runs a
        `replace_strict` by collecting the whole frame first (2.5 GB of a 10M-row run, against
        0.45 GB for the rest of it), while comparisons stream. Longer mappings keep
        `replace_strict`, whose cost does not grow with the number of keys.

        The column is the branch taken where the value is no key, and the literal the other:
        pandas gives the result the type of the first branch, and a literal alone makes
        NaN-missing text, where the column is Arrow text whose missing values stay null.
        """
        import narwhals.stable.v2 as nw

        if len(self.mapping) > MAP_CHAIN_LIMIT:
            old = [key for key, _ in self.mapping]
            new = [target for _, target in self.mapping]
            return value.replace_strict(old, new, default=value, return_dtype=nw.String())
        mapped = value
        for key, target in reversed(self.mapping):
            not_key = value.is_null() | (value != key)
            mapped = nw.when(not_key).then(mapped).otherwise(nw.lit(target))
        return mapped


MAP_CHAIN_LIMIT = 32
"""The most keys `Map` compares one by one (see `Map.apply`)."""


@dataclass(frozen=True)
class Replace:
    """Replaces every match of a regular expression by literal text."""

    name: ClassVar[str] = "replace"
    pattern: str
    replacement: str

    def apply(self, value: nw.Expr) -> nw.Expr:
        """The value with every match replaced."""
        return value.str.replace_all(self.pattern, self.replacement)


@dataclass(frozen=True)
class FillNull:
    """Replaces null by a fixed value."""

    name: ClassVar[str] = "fill_null"
    value: str

    def apply(self, value: nw.Expr) -> nw.Expr:
        """The value, or the fill value where it is null."""
        return value.fill_null(self.value)


TextTransform = Strip | Lower | Upper | CollapseSpaces | NullTokens | Map | Replace | FillNull
"""The transforms of this module; `rowsift.transforms.Transform` joins every module's."""
