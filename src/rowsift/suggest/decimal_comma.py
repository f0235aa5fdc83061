"""Numbers written with a decimal comma (``1.234,5``, ``12,75``, ``1 234,5``): repaired.

A text column is read this way only when nearly every present value is such a number and some
values show the comma as a decimal mark beyond doubt (one or two digits after it, four or more,
or a ``.``/space group before it); a value with a decimal point then (``1.5``) is no such number,
and a column where ``,`` could only be a thousands mark is left to `rowsift.suggest.numbers`.

The repair is ``normalize_number: {decimal: ',', thousands: …}``, which reads only numbers
written that way: ``1,234.5`` in the next batch is left as it is and fails the cast instead of
being misread. (`NumberRepair.transforms` are the same repair as ``replace`` steps, used here
to compute the column's statistics.)
"""

from __future__ import annotations

import re
from collections import Counter

from rowsift.recipe.model import Evidence, TransformSpec
from rowsift.suggest.numbers import EXPLAINED_SHARE, MIN_CLOTHED, NumberRepair

_NUMBER = re.compile(
    r"^[+-]?(?:[0-9]{1,3}(?P<mark>[. ])[0-9]{3}(?:(?P=mark)[0-9]{3})*|[0-9]+)(?:,[0-9]+)?$"
)
_SURE = re.compile(r",[0-9]{1,2}$|,[0-9]{4,}$|[. ][0-9]{3},[0-9]+$")


def decimal_comma_repair(values: Counter[str]) -> NumberRepair | None:
    """The repair of a column of decimal-comma numbers, if nearly every value is one.

    >>> found = decimal_comma_repair(Counter({"1.234,5": 4, "12,75": 30, "7": 5, "n/a": 1}))
    >>> found.clothing, found.type
    ({'decimal': ',', 'thousands': '.'}, 'float')
    >>> decimal_comma_repair(Counter({"1,234": 40, "2,500": 9})) is None  # thousands, surely
    True
    """
    present = sum(values.values())
    if present == 0:
        return None
    explained = sure = missed = 0
    marks: Counter[str] = Counter()
    integral = True
    for value, count in values.items():
        text = value.strip()
        found = _NUMBER.match(text)
        if found is None:
            missed += count
            if present - missed < EXPLAINED_SHARE * present:
                return None  # too few are numbers: the test below would fail
            continue
        explained += count
        if found["mark"]:
            marks[found["mark"]] += count
        if "," in text:
            integral = False
        if _SURE.search(text):
            sure += count
    if sure < MIN_CLOTHED or explained < EXPLAINED_SHARE * present or len(marks) > 1:
        return None
    mark = next(iter(marks), None)
    transforms = []
    if mark is not None:
        pattern = r"\." if mark == "." else " "
        dropped = {"replace": {"pattern": pattern, "with": ""}}
        transforms.append(TransformSpec.model_validate(dropped))
    transforms.append(TransformSpec.model_validate({"replace": {"pattern": ",", "with": "."}}))
    evidence = Evidence(
        statistic="share of values that are numbers with a decimal comma",
        observed=round(explained / present, 6),
        threshold=EXPLAINED_SHARE,
        note=f"{sure} value(s) show ',' as the decimal mark"
        + (f" and {mark!r} between thousands" if mark else "")
        + "; rewritten as plain numbers before the cast",
    )
    clothing: dict[str, object] = {"decimal": ","}
    if mark is not None:
        clothing["thousands"] = mark
    return NumberRepair(
        transforms=transforms,
        type="int" if integral else "float",
        evidence=evidence,
        clothing=clothing,
    )
