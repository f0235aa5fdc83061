"""Numbers written with a currency, a unit, a percent sign or thousands separators: repaired.

``$1,200``, ``66.07 usd``, ``12.0 oz`` and ``0.05%`` are numbers in clothing. When nearly every
value of a text column is a number once one kind of clothing is taken off, a
``normalize_number`` transform takes it off before the cast, and the column gets a number
type; values that are not numbers even then (``1.29%today's change``) still fail
``<column>.type``. Parentheses around a value are an accounting negative (``(1,234.56)``),
unless values inside them carry their own sign (``(-1.29%)`` beside ``(1.29%)``): then they
only wrap.

Which separator is the thousands mark is decided for the whole column from the values that
show it (``1,234,567``, ``1,234.5``), never value by value; a column that uses ``,`` as a decimal
mark is `rowsift.suggest.decimal_comma`'s.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, replace

from rowsift.profile import ColumnProfile, SampledTexts, present_strings
from rowsift.profile.columns import in_use, numeric_stats
from rowsift.recipe.model import Evidence, TransformSpec
from rowsift.recipe.transform_args import ReplaceArgs

_SIGNS = "$€£¥"
_CODES = ("usd", "eur", "gbp", "jpy", "chf", "cad", "aud", "inr", "cny")
_NUMBER = r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)?(?:\.[0-9]+)?"
# a word before a number is clothing only when it is a currency code (``USD 12``): any other
# (``src12``, ``INV001``, ``SKU123``) makes a code, not a number
_CLOTHED = re.compile(
    rf"^(?P<pre>[{_SIGNS}]|(?i:{'|'.join(_CODES)})(?=\s*[0-9]))?\s*(?P<num>{_NUMBER})\s*"
    rf"(?P<post>%|[{_SIGNS}]|[A-Za-z]{{1,6}}\.?)?$"
)
_WRAPPED = re.compile(r"^\(\s*(?P<inner>.*?)\s*\)$")
"""A value in parentheses: an accounting negative, or a value that carries its own sign."""
_SIGNED = "wrap:signed"
_UNSIGNED = "wrap:bare"
"""Keys of a value in parentheses, with and without a sign inside (not affixes)."""
_GROUPED = re.compile(r"[0-9],[0-9]{3}")
_COMMA_DECIMAL = re.compile(r"^[+-]?[0-9]+,[0-9]{1,2}$|,[0-9]{4,}|,[0-9]{1,2}$")
MIN_CLOTHED = 2
"""Values that must show the clothing before a repair is suggested."""
EXPLAINED_SHARE = 0.9
"""Share of present values that must be numbers, bare or once unclothed."""
MAX_AFFIXES = 2
"""At most this many different affixes (a sign before and a code after: ``$5``, ``5 usd``)."""


@dataclass(frozen=True, kw_only=True)
class NumberRepair:
    """The ``normalize_number`` arguments that unclothe the column's numbers (`clothing`),
    its type after them, and why; `transforms` are the same repair as ``replace`` steps, used
    to compute the column's statistics here."""

    transforms: list[TransformSpec]
    type: str
    evidence: Evidence
    clothing: dict[str, object]


def normalize_number_args(
    affixes: list[str], *, grouped: bool, wrapped: bool = False
) -> dict[str, object]:
    """The arguments of a ``normalize_number`` transform taking off the affixes found
    (``pre:$``, ``post:usd``, ``post:%``, ``post:oz``) and ``,`` between thousands.

    A currency sign or code goes to `currency`, ``%`` keeps the number (``88%`` reads 88), and
    any other word is a unit of factor 1: one unit only, so nothing is converted. `wrapped`:
    parentheses only enclose a value that carries its own sign.

    >>> normalize_number_args(["pre:$", "post:usd"], grouped=True)
    {'decimal': '.', 'thousands': ',', 'currency': ['$', 'usd']}
    >>> normalize_number_args(["post:%"], grouped=False)
    {'decimal': '.', 'percent': 'keep'}
    >>> normalize_number_args(["post:oz"], grouped=False)
    {'decimal': '.', 'units': {'oz': 1}}
    """
    args: dict[str, object] = {"decimal": "."}
    if grouped:
        args["thousands"] = ","
    tokens = sorted({key.split(":", 1)[1] for key in affixes})
    currency = [token for token in tokens if token in _SIGNS or token in _CODES]
    if currency:
        args["currency"] = currency
    if "%" in tokens:
        args["percent"] = "keep"
    units = [token for token in tokens if token not in currency and token != "%"]
    if units:
        args["units"] = dict.fromkeys(units, 1)
    if wrapped:
        args["parentheses"] = "wrap"
    return args


def _escape(text: str) -> str:
    return "".join("\\" + c if c in "\\.^$|?*+()[]{}" else c for c in text)


def _caseless(word: str) -> str:
    """``usd`` → ``[Uu][Ss][Dd]`` (no inline flags: every engine reads this the same)."""
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else _escape(c) for c in word)


def number_repair(values: Counter[str]) -> NumberRepair | None:
    """Transforms that make a text column's values plain numbers, if nearly all become one.

    >>> found = number_repair(Counter({"66.07": 50, "66.07 usd": 9, "$49.30": 4, "n/a": 1}))
    >>> found.clothing, found.type
    ({'decimal': '.', 'currency': ['$', 'usd']}, 'float')
    >>> number_repair(Counter({"12 oz": 5, "7 oz": 3, "14": 8})).type
    'int'
    >>> number_repair(Counter({"AB12": 5, "CD7": 5})) is None
    True
    >>> number_repair(Counter({f"src{i}": 60 for i in range(38)})) is None
    True
    >>> number_repair(Counter({"USD 12": 5, "12": 5})).clothing
    {'decimal': '.', 'currency': ['usd']}
    """
    present = sum(values.values())
    read = _clothed_numbers(values, present)
    if read is None:
        return None
    parsed, bare, seen = read
    # an affix is clothing when it is frequent; a rare one is part of an odd value
    frequent = {key for key, count in seen.items() if count >= max(MIN_CLOTHED, 0.01 * present)}
    affixes: Counter[str] = Counter()
    wraps: Counter[str] = Counter()
    grouped = clothed = 0
    integral = True
    # clothing without a number is a missing number, an error of this column, not another
    # kind of value: it is explained (and fails the type once unclothed)
    explained = sum(count for keys, count in bare if frequent.issuperset(keys))
    for number, keys, count in parsed:
        if keys and not frequent.issuperset(keys):
            continue
        explained += count
        if integral and "." in number:
            integral = False
        if keys:
            clothed += count
            for key in keys:
                (wraps if key in (_SIGNED, _UNSIGNED) else affixes)[key] += count
        if "," in number and _GROUPED.search(number):
            grouped += count
    if _comma_decimal(values):
        return None
    if clothed < MIN_CLOTHED and grouped < MIN_CLOTHED:
        return None
    if explained < EXPLAINED_SHARE * present or len(affixes) > MAX_AFFIXES:
        return None
    if any(not _known(key) for key in affixes) and len(affixes) > 1:
        return None  # two different units: converting needs factors, not a strip
    if not wraps[_SIGNED] and 2 * wraps[_UNSIGNED] > explained:
        return None  # most numbers in parentheses, none signed: no accounting, and unclear
    transforms = []
    if affixes:
        transforms.append(_strip_affixes(list(affixes)))
    if grouped:
        transforms.append(TransformSpec.model_validate({"replace": {"pattern": ",", "with": ""}}))
    shown = ", ".join(sorted(key.split(":", 1)[1] for key in affixes)) or "none"
    wrapped = wraps[_SIGNED] > 0
    evidence = Evidence(
        statistic="share of values that are numbers once unclothed",
        observed=round(explained / present, 6),
        threshold=EXPLAINED_SHARE,
        note=f"{clothed} value(s) carry {shown}; {grouped} use ',' between thousands; "
        f"{_parentheses_note(wraps)}rewritten as plain numbers before the cast",
    )
    clothing = normalize_number_args(list(affixes), grouped=bool(grouped), wrapped=wrapped)
    if clothing.get("percent") and percent_is_ratio(*_scales(parsed, frequent)):
        clothing["percent"] = "ratio"
        integral = False
        evidence = evidence.model_copy(
            update={
                "note": f"{evidence.note}; percentages are read as ratios (5% → 0.05), "
                "the scale of the column's bare numbers"
            }
        )
    return NumberRepair(
        transforms=transforms,
        type="int" if integral else "float",
        evidence=evidence,
        clothing=clothing,
    )


def _parentheses_note(wraps: Counter[str]) -> str:
    """What the values in parentheses say, for the evidence (empty when there are none).

    >>> _parentheses_note(Counter({"wrap:signed": 226, "wrap:bare": 151}))
    '377 in parentheses, 226 of them with a sign inside: the parentheses only wrap; '
    """
    total = wraps[_SIGNED] + wraps[_UNSIGNED]
    if not total:
        return ""
    if wraps[_SIGNED]:
        return (
            f"{total} in parentheses, {wraps[_SIGNED]} of them with a sign inside: "
            "the parentheses only wrap; "
        )
    return f"{total} in parentheses, read as accounting negatives; "


def _scales(
    parsed: list[tuple[str, list[str], int]], frequent: set[str]
) -> tuple[Counter[float], Counter[float]]:
    """The numbers written with a percent sign and those written bare, counted."""
    percents: Counter[float] = Counter()
    bare: Counter[float] = Counter()
    for number, all_keys, count in parsed:
        keys = [key for key in all_keys if key not in (_SIGNED, _UNSIGNED)]
        if keys == ["post:%"] and "post:%" in frequent:
            percents[abs(float(number.replace(",", "")))] += count
        elif not keys:
            bare[abs(float(number.replace(",", "")))] += count
    return percents, bare


def _clothed_numbers(
    values: Counter[str], present: int
) -> tuple[list[tuple[str, list[str], int]], list[tuple[list[str], int]], Counter[str]] | None:
    """The values read as clothed numbers: (number, affixes, count) of each, the affixes that
    come without a number (``$`` alone) with their counts, and how often each affix is seen;
    None as soon as too few values can be numbers (fewer than `EXPLAINED_SHARE`), or when a
    value that can be no number and holds a letter is one in use (`rowsift.profile.columns.in_use`:
    ``4 or less hours`` beside ``7 hours`` is a second kind of value, not an error, and the
    column stays text).

    >>> _clothed_numbers(Counter({"7 hours": 90, "4 or less hours": 6, "8 hours": 4}), 100)
    >>> len(_clothed_numbers(Counter({"7 hours": 95, "7 hours or": 1, "8 hours": 4}), 100)[0])
    2
    """
    if present == 0:
        return None
    parsed = []
    bare: list[tuple[list[str], int]] = []
    seen: Counter[str] = Counter()
    missed = 0  # values that can be no number, however they are unclothed
    for value, count in values.items():
        text = value.strip()
        wrapped = _WRAPPED.match(text)
        found = _CLOTHED.match(text if wrapped is None else wrapped["inner"])
        keys = [] if found is None else _keys(found)
        if wrapped is not None and found is not None and found["num"]:
            keys.append(_SIGNED if found["num"][0] in "+-" else _UNSIGNED)
        if found is None or not any(c.isdigit() for c in found["num"]):
            if found is not None and keys and not found["num"]:
                bare.append((keys, count))  # ``$`` alone: clothing without its number
                continue
            missed += count
            worded = any(c.isalpha() for c in value)
            if present - missed < EXPLAINED_SHARE * present or (worded and in_use(count, present)):
                return None
            continue
        parsed.append((found["num"], keys, count))
        for key in keys:
            seen[key] += count
    return parsed, bare, seen


def percent_is_ratio(percents: Counter[float], bare: Counter[float]) -> bool:
    """Whether a column's percentages mean ratios: its bare numbers are about a hundredth of
    them (medians 10 to 1,000 times apart: ``0.042`` beside ``4.2%``). When they are of one
    scale (``0.05`` beside ``0.05%``, a sign added to the same number) or there are too few of
    either, ``5%`` reads 5. Both are counts of numbers.

    >>> percent_is_ratio(Counter([4.2, 5.0, 6.1]), Counter([0.042, 0.05, 0.061]))
    True
    >>> percent_is_ratio(Counter([0.05, 0.06]), Counter([0.05, 0.061, 0.07]))
    False
    """
    if percents.total() < MIN_CLOTHED or bare.total() < MIN_CLOTHED:
        return False
    middle_percent, middle_bare = _median(percents), _median(bare)
    if middle_percent <= 0 or middle_bare <= 0:
        return False
    return 1 <= math.log10(middle_percent / middle_bare) <= 3


def _median(counted: Counter[float]) -> float:
    """The (lower) median of counted numbers.

    >>> _median(Counter({1.0: 1, 2.0: 5, 9.0: 1}))
    2.0
    """
    half, seen = counted.total() / 2, 0
    for number, count in sorted(counted.items()):
        seen += count
        if seen >= half:
            return number
    return math.nan


def _hundredth(text: str) -> str:
    """``4.2`` → ``0.042``; a text that is no number is left as it is."""
    try:
        return repr(float(text.replace(",", "")) / 100)
    except ValueError:
        return text


def _keys(found: re.Match[str]) -> list[str]:
    """The affixes of a clothed number, as ``pre:$`` or ``post:usd``."""
    pre, post = found["pre"], found["post"]
    if not pre and not post:
        return []
    return [
        f"{where}:{_affix_key(affix)}" for affix, where in ((pre, "pre"), (post, "post")) if affix
    ]


def _affix_key(affix: str) -> str:
    return affix.rstrip(".").lower()


def _known(key: str) -> bool:
    token = key.split(":", 1)[1]
    return token in _SIGNS or token in _CODES or token == "%"


def _comma_decimal(values: Counter[str]) -> bool:
    return any("," in v and "." not in v and _COMMA_DECIMAL.search(v.strip()) for v in values)


def _strip_affixes(keys: list[str]) -> TransformSpec:
    """One `replace` that removes every affix found, anchored where it was found."""
    parts = []
    for key in sorted(keys, key=lambda k: (not k.startswith("pre"), k)):
        where, token = key.split(":", 1)
        if token in _SIGNS:
            body = f"[{token}]"
        elif token == "%":
            body = "%"
        else:
            body = _caseless(token) + r"\.?"
        parts.append(rf"^\s*{body}\s*" if where == "pre" else rf"\s*{body}\s*$")
    return TransformSpec.model_validate({"replace": {"pattern": "|".join(parts), "with": ""}})


def unclothed(
    column: ColumnProfile, sampled: SampledTexts
) -> tuple[NumberRepair, ColumnProfile] | None:
    """The repair of a text column of clothed numbers, and the column's profile as the numbers
    it holds once repaired (a measure, with number statistics for its range)."""
    if column.values:
        counted = Counter({v: column.values[v] for v in present_strings(column.values)})
    else:
        counted = Counter(sampled.present)
    from rowsift.suggest.decimal_comma import decimal_comma_repair  # it builds on this module

    found = number_repair(counted) or decimal_comma_repair(counted)
    if found is None:
        return None
    replaces = [
        (re.compile(t.args.pattern), t.args.with_)
        for t in found.transforms
        if isinstance(t.args, ReplaceArgs)
    ]
    ratio = found.clothing.get("percent") == "ratio"
    negative = found.clothing.get("parentheses") != "wrap"
    bare = []
    for value in sampled.values:
        text = value.strip()
        wrapped = _WRAPPED.match(text)
        text = text if wrapped is None else wrapped["inner"]
        percent = text.endswith("%")
        for pattern, with_ in replaces:
            text = pattern.sub(with_, text)
        text = text.strip()
        if ratio and percent:
            text = _hundredth(text)
        if wrapped is not None and negative and text[:1] not in ("+", "-"):
            text = "-" + text  # an accounting negative
        bare.append(text)
    numbers = numeric_stats(bare)
    return found, replace(column, numeric=numbers, semantic="measure")
