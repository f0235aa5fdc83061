"""normalize_number against a Python reference: numbers dressed at random, read back exactly."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import narwhals.stable.v2 as nw
import pandas as pd
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import examples

from rowsift.transforms.numbers import NormalizeNumber

CANONICAL = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?")
UNITS = {"oz": "28.3495", "lb": "453.59237", "g": "1", "kg": "1000"}


def canonical_text(number: Decimal) -> str:
    """The reference: canonical number text of an exact decimal."""
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    text = text.lstrip("-").lstrip("0") or "0"
    text = "0" + text if text.startswith(".") else text
    return "-" + text if number < 0 and text != "0" else text


def grouped(digits: str, mark: str) -> str:
    """Integer digits with a thousands mark every three digits from the right."""
    head = len(digits) % 3 or 3
    return mark.join([digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)])


@st.composite
def dressed(draw: Any, parentheses: str = "negative") -> tuple[str, str, dict[str, Any]]:
    """(value as written, expected canonical text, transform arguments), parentheses read as
    `parentheses` says."""
    decimal, thousands = draw(st.sampled_from([(".", ","), (",", "."), (".", None), (",", " ")]))
    whole = str(draw(st.integers(0, 10**11)))
    fraction = draw(st.text("0123456789", max_size=9))
    negative = draw(st.booleans())
    written = grouped(whole, thousands) if thousands and draw(st.booleans()) else whole
    written += (decimal + fraction) if fraction or draw(st.booleans()) else ""
    number = Decimal(whole + "." + (fraction or "0"))
    suffix = draw(st.sampled_from(["", "%", " %", "$", " USD", *UNITS, " OZ.", " kg"]))
    factor = Decimal(1)
    if suffix.strip() == "%":
        factor = Decimal("0.01")
    elif suffix.strip().rstrip(".").lower() in UNITS:
        factor = Decimal(UNITS[suffix.strip().rstrip(".").lower()])
    prefix = "$" if not suffix.strip() and draw(st.booleans()) else ""
    if parentheses == "wrap":  # the sign is written inside, and the parentheses say nothing
        sign = "-" if negative else draw(st.sampled_from(["", "+"]))
        value = sign + prefix + written + suffix
        value = f"({value})" if draw(st.booleans()) else value
    elif negative and draw(st.booleans()):
        value = f"({prefix}{written}{suffix})"
    else:
        value = ("-" if negative else "") + prefix + written + suffix
    space = draw(st.sampled_from(["", " ", "\u00a0"]))
    expected = canonical_text((-number if negative else number) * factor)
    if factor != 1 and len(whole.lstrip("0")) + len(str(scaled_factor(factor))) > 18:
        expected = space + value + space  # beyond exact 64-bit multiplication: left as it is
    arguments = {
        "decimal": decimal,
        "thousands": thousands,
        "currency": ("$", "USD"),
        "percent": "ratio",
        "units": tuple(UNITS.items()),
        "parentheses": parentheses,
    }
    return space + value + space, expected, arguments


def scaled_factor(factor: Decimal) -> int:
    """The factor's digits over the common scale of every factor (5 decimals, lb's)."""
    return int(factor * 10**5)


def normalized(values: list[str | None], transform: NormalizeNumber, kind: str) -> list[Any]:
    frame: Any = pd.DataFrame({"v": pd.Series(values, dtype=object)})
    if kind == "polars":
        frame = pl.DataFrame({"v": values}, schema={"v": pl.String})
    out = nw.from_native(frame).select(transform.apply(nw.col("v")))
    return [v if isinstance(v, str) else None for v in out["v"].to_list()]


@settings(max_examples=examples(80), deadline=None)
@given(
    st.sampled_from(["negative", "wrap"]).flatmap(
        lambda parentheses: st.lists(dressed(parentheses), min_size=1, max_size=20)
    ),
    st.sampled_from(["polars", "pandas"]),
)
def test_dressed_numbers_read_back_exactly(cases: list[Any], kind: str) -> None:
    for arguments in {repr(c[2]): c[2] for c in cases}.values():
        chosen = [c for c in cases if c[2] == arguments]
        transform = NormalizeNumber(**arguments)
        got = normalized([c[0] for c in chosen], transform, kind)
        assert got == [c[1] for c in chosen], [c[0] for c in chosen]


@settings(max_examples=examples(50), deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.text(max_size=12)), min_size=1, max_size=20),
    st.sampled_from(["negative", "wrap"]),
)
def test_any_text_becomes_canonical_or_stays_as_it_is(
    values: list[str | None], parentheses: str
) -> None:
    transform = NormalizeNumber(
        thousands=",",
        currency=("$",),
        percent="keep",
        units=tuple(UNITS.items()),
        parentheses=parentheses,  # type: ignore[arg-type]
    )
    got = normalized(values, transform, "polars")
    for value, result in zip(values, got, strict=True):
        assert result == value or (result is not None and CANONICAL.fullmatch(result)), value
    assert got == normalized(values, transform, "pandas")


def test_parentheses_negate_or_only_wrap_as_the_recipe_says() -> None:
    values = ["(1.29%)", "(-1.29%)", "( + 0.5 % )", "(-$5)", "(1.2", "-(3)"]
    negative = NormalizeNumber(currency=("$",), percent="keep")
    wrap = NormalizeNumber(currency=("$",), percent="keep", parentheses="wrap")
    # an accounting negative holds no sign: the others are left as written
    assert normalized(values, negative, "polars") == ["-1.29", *values[1:]]
    assert normalized(values, wrap, "polars") == ["1.29", "-1.29", "0.5", "-5", "(1.2", "-(3)"]
