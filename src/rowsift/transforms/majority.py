"""`majority`: a value is replaced by the most frequent value of its group, where it looks like
noise.

The group is the rows of the batch with equal values in the `by` columns (one or two declared
columns, read after their own transforms). Unlike every other transform, the new value depends on
other rows: the engine computes the group's counts (`rowsift.engine.majority`) and this class
only says, from those counts, which rows change. A row changes when all of these hold:

- every `by` value is present, and so is its value, unless `fill_nulls` (a null never votes;
  with `fill_nulls` it takes its group's majority on the same terms);
- the group has at least `min_rows` present values;
- one value is the most frequent alone (a tie changes nothing);
- that value holds at least `min_share` of the group's present values.

The share is compared in integers (`share_fraction`), so every engine draws the line at the
same row.

>>> Majority(by=("zip",), min_share=0.6).share_fraction()
(3, 5)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, ClassVar

# narwhals is imported where an expression is built: compiling a recipe (`rowsift check`)
# builds none
if TYPE_CHECKING:
    import narwhals.stable.v2 as nw


MAX_DETERMINANTS = 2
"""The most `by` columns a majority is taken over."""
SHARE_DECIMALS = 6
"""The most decimals of `min_share`: its fraction's denominator then divides 10 ** 6, so the
products compared stay within 64 bits for groups of up to 9 * 10 ** 12 values."""


@dataclass(frozen=True)
class Majority:
    """A value becomes its group's most frequent value when that value clearly dominates."""

    name: ClassVar[str] = "majority"
    by: tuple[str, ...]
    min_share: float = 0.6
    min_rows: int = 3
    fill_nulls: bool = False

    def share_fraction(self) -> tuple[int, int]:
        """`min_share` as an exact fraction (numerator, denominator) of its decimal text."""
        share = Fraction(repr(self.min_share))
        return share.numerator, share.denominator

    def replaced(
        self,
        value: nw.Expr,
        keys: list[nw.Expr],
        *,
        votes: nw.Expr,
        top: nw.Expr,
        at_top: nw.Expr,
        winner: nw.Expr,
    ) -> nw.Expr:
        """The value, or the group's majority `winner` where the guard allows.

        `votes` is the group's count of present values, `top` the count of its most frequent
        value, `at_top` how many present values have that count (equal to `top` when one value
        has it alone), `winner` the largest value with that count.
        """
        import narwhals.stable.v2 as nw

        numerator, denominator = self.share_fraction()
        judged = [] if self.fill_nulls else [~value.is_null()]
        present = nw.all_horizontal(*judged, *(~key.is_null() for key in keys), ignore_nulls=False)
        dominant = (
            (votes >= self.min_rows) & (at_top == top) & (top * denominator >= votes * numerator)
        )
        return nw.when(present & dominant).then(winner).otherwise(value)


MajorityTransform = Majority
"""The transforms of this module; `rowsift.transforms.Transform` joins every module's."""
