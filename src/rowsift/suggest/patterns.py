"""Patterns for identifier-like columns, synthesised from the dominant value shapes.

A shape is cut into runs (``AAA-99999999`` → ``A*3, -, 9*8``); shapes with the same sequence of
run kinds merge into one regex whose run lengths cover every frequent shape. Rare shapes are the
deviants the pattern rejects; when most deviants are only in the wrong case, an ``upper`` (or
``lower``) transform repairs them instead.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import groupby

from rapidfuzz.distance import OSA

from rowsift.profile import ColumnProfile, ShapeCount, shape_of
from rowsift.recipe.model import ColumnRuleSpec, Evidence, TransformSpec
from rowsift.suggest.strictness import Thresholds

_CLASSES = {"A": "[A-Z]", "a": "[a-z]", "9": "[0-9]"}
_UNICODE_CLASSES = {"A": r"\p{Lu}", "a": r"\p{Ll}", "9": "[0-9]"}
MAX_SKELETONS = 2
MIN_LITERAL_VALUES = 10
LITERAL_SHARE = 0.9
RARE_SLIP_SHARE = 0.02
OTHER_SKELETON_SHARE = 0.01
"""A second skeleton must cover this share of values (a typo repeated is not a format)."""
MIN_VALUES = 20

Run = tuple[str, int]


@dataclass(frozen=True, kw_only=True)
class PatternChoice:
    """A suggested ``matches`` rule and the case transform that repairs deviants, if any."""

    rule: ColumnRuleSpec
    transform: TransformSpec | None


_META = set("\\.^$|?*+()[]{}")


def _escape(text: str) -> str:
    """Escape only what regex syntax needs, so patterns stay readable (``ORD-``, not ``ORD\\-``)."""
    return "".join("\\" + c if c in _META else c for c in text)


def runs(shape: str) -> tuple[Run, ...]:
    """A shape as runs of one character kind.

    >>> runs("AAA-9999")
    (('A', 3), ('-', 1), ('9', 4))
    """
    return tuple((char, len(list(group))) for char, group in groupby(shape))


def skeleton(shape: str) -> tuple[str, ...]:
    """The kinds of a shape's runs, without their lengths.

    >>> skeleton("AAA-9999")
    ('A', '-', '9')
    """
    return tuple(char for char, _ in runs(shape))


def synthesise(
    shapes: list[str],
    prefix: str = "",
    *,
    unicode: bool = False,
    literals: dict[int, str] | None = None,
) -> str:
    """One anchored regex for shapes that share a skeleton; `prefix` letters are literal, and
    so are the letter runs in `literals` (run index → text).

    >>> synthesise(["999 aaaaaaaa"], literals={2: "patients"})
    '^[0-9]{3} patients$'

    >>> synthesise(["AAA-9999", "AAA-99999"], prefix="ORD")
    '^ORD-[0-9]{4,5}$'
    >>> synthesise(["99"])
    '^[0-9]{2}$'
    """
    classes = _UNICODE_CLASSES if unicode else _CLASSES
    lengths = [[length for _, length in runs(shape)] for shape in shapes]
    kinds = skeleton(shapes[0])
    parts: list[str] = []
    remaining = prefix
    for index, kind in enumerate(kinds):
        low = min(row[index] for row in lengths)
        high = max(row[index] for row in lengths)
        fixed = (literals or {}).get(index)
        if fixed is not None and low == high == len(fixed):
            parts.append(_escape(fixed))
            remaining = ""
            continue
        if kind in ("A", "a") and low == high and len(remaining) >= low:
            literal, remaining = remaining[:low], remaining[low:]
            if re.fullmatch(f"{_CLASSES[kind]}{{{low}}}", literal):  # ASCII letters only
                parts.append(_escape(literal))
                continue
            remaining = ""
        else:
            remaining = remaining[high:] if kind not in _CLASSES else ""
        if kind in _CLASSES:
            count = "" if low == high == 1 else f"{{{low}}}" if low == high else f"{{{low},{high}}}"
            parts.append(classes[kind] + count)
        else:
            parts.append(_escape(kind * low) if low == high else f"{_escape(kind)}{{{low},{high}}}")
    return "^" + "".join(parts) + "$"


def _without_case_variants(
    ranked: list[tuple[tuple[str, ...], list[ShapeCount]]],
) -> list[tuple[tuple[str, ...], list[ShapeCount]]]:
    """Drop a skeleton that is only a rarer case variant of a bigger one (``aaa-9`` of ``AAA-9``):
    its values are deviants, for the case repair to fix."""
    kept: list[tuple[tuple[str, ...], list[ShapeCount]]] = []
    for kinds, members in ranked:
        size = sum(s.count for s in members)
        folded = {tuple(k.upper() for k in kinds), tuple(k.lower() for k in kinds)}
        bigger = [
            sum(s.count for s in other)
            for other_kinds, other in kept
            if other_kinds in folded and other_kinds != kinds
        ]
        if any(size * 10 < count for count in bigger):
            continue
        kept.append((kinds, members))
    return kept


def _common_prefix(first: str, last: str) -> str:
    size = 0
    for a, b in zip(first, last, strict=False):
        if a != b:
            break
        size += 1
    return first[:size]


def _id_like(kinds: tuple[str, ...]) -> bool:
    """Codes: a digit run somewhere, or a single run of capitals (``AL``, ``USD``)."""
    return "9" in kinds or kinds == ("A",)


def constant_runs(values: list[str], kinds: tuple[str, ...]) -> dict[int, str]:
    """Letter runs that hold the same text in nearly every sampled value of a skeleton, the
    rest being rare slips of it.

    >>> constant_runs(["12 patients", "7 patients", "9 days"] + ["3 patients"] * 9, ("9", " ", "a"))
    {}
    >>> constant_runs(["12 patients", "7 patients"] * 5, ("9", " ", "a"))
    {2: 'patients'}
    >>> constant_runs(["M"] * 25 + ["F"] * 2, ("A",))
    {}
    """
    if "A" not in kinds and "a" not in kinds:
        return {}  # no letter run to hold a constant word (and no pass over the values)
    texts: dict[int, Counter[str]] = {}
    seen = 0
    by_shape: dict[str, list[tuple[str, int]]] = {}
    for text, count in Counter(value.strip() for value in values).items():  # each value once
        by_shape.setdefault(shape_of(text), []).append((text, count))
    for shape, counted in by_shape.items():  # runs found once per shape, not per value
        if skeleton(shape) != kinds:
            continue
        spans = []
        position = 0
        for index, (kind, length) in enumerate(runs(shape)):
            if kind in ("A", "a"):
                spans.append((index, position, position + length))
            position += length
        for text, count in counted:
            seen += count
            for index, start, end in spans:
                texts.setdefault(index, Counter())[text[start:end]] += count
    if seen < MIN_LITERAL_VALUES:
        return {}
    constant: dict[int, str] = {}
    for index, found in texts.items():
        (top, top_count), *others = found.most_common()
        if top_count < LITERAL_SHARE * seen:
            continue
        # the other texts must look like slips of the same word, not other words; a word of
        # one or two letters is within two edits of every other (`M` and `F`): it has none
        rare = max(2, RARE_SLIP_SHARE * seen)
        slip = 2 if len(top) > 2 else 0
        if all(n <= rare and OSA.distance(text, top) <= slip for text, n in others):
            constant[index] = top
    return constant


def suggest_pattern(
    column: ColumnProfile, limits: Thresholds, sample: list[str] | None = None
) -> PatternChoice | None:
    """A ``matches`` rule when a few skeletons cover nearly every value of an ID-like column.

    >>> from rowsift.profile import profile_table
    >>> from rowsift.suggest.strictness import thresholds
    >>> import polars as pl
    >>> ids = [f"ORD-{i:06d}" for i in range(100)] + ["ORD-12x456"]
    >>> col = profile_table(pl.DataFrame({"id": ids})).column("id")
    >>> suggest_pattern(col, thresholds("balanced")).rule.args.pattern
    '^ORD-[0-9]{6}$'
    """
    present = column.shape_total
    # one value is a constant, not a shape: its pattern would be the value itself, and a value
    # set is never learned from one value either (a sample of 27 rows, all `M`)
    if present < MIN_VALUES or not column.shapes or column.distinct < 2:
        return None
    frequent = [s for s in column.shapes if s.count >= max(2, limits.rare_shape_share * present)]
    by_skeleton: dict[tuple[str, ...], list[ShapeCount]] = {}
    for shape in frequent:
        by_skeleton.setdefault(skeleton(shape.shape), []).append(shape)
    for shape in column.shapes:  # less frequent shapes of a frequent skeleton widen its lengths
        members = by_skeleton.get(skeleton(shape.shape))
        if members is not None and shape not in members and shape.count >= limits.keep_shape_count:
            members.append(shape)
    ranked = sorted(by_skeleton.items(), key=lambda kv: -sum(s.count for s in kv[1]))
    chosen = _without_case_variants(ranked)[:MAX_SKELETONS]
    chosen = chosen[:1] + [
        (kinds, members)
        for kinds, members in chosen[1:]
        if sum(s.count for s in members) >= OTHER_SKELETON_SHARE * present
    ]
    if not chosen or not all(_id_like(kinds) for kinds, _ in chosen):
        return None
    patterns = []
    for _, members in chosen:
        prefix = _common_prefix(min(s.first for s in members), max(s.last for s in members))
        kinds = skeleton(members[0].shape)
        patterns.append(
            synthesise(
                [s.shape for s in members],
                prefix.strip(),
                unicode=column.non_ascii > 0,
                literals=constant_runs(sample or [], kinds),
            )
        )
    shape_set = {s.shape for _, members in chosen for s in members}
    deviants = [s for s in column.shapes if s.shape not in shape_set]
    transform = _case_repair(deviants, shape_set)
    covered = sum(s.count for s in column.shapes if s.shape in shape_set)
    if transform is not None:  # the deviants the case repair fixes are covered too
        fold = str.upper if transform.kind == "upper" else str.lower
        covered += sum(s.count for s in deviants if fold(s.shape) in shape_set)
    share = covered / present
    if share < limits.pattern_share:
        return None
    pattern = patterns[0] if len(patterns) == 1 else "|".join(patterns)
    evidence = Evidence(
        statistic="share of values with the pattern's shapes",
        observed=round(share, 6),
        threshold=limits.pattern_share,
        note=f"{len(shape_set)} frequent shape(s), e.g. {chosen[0][1][0].shape}",
    )
    rule = ColumnRuleSpec.model_validate({"matches": {"pattern": pattern, "evidence": evidence}})
    return PatternChoice(rule=rule, transform=transform)


def _case_repair(deviants: list[ShapeCount], accepted: set[str]) -> TransformSpec | None:
    """``upper`` or ``lower`` when that turns most deviants into accepted shapes."""
    wrong = sum(s.count for s in deviants)
    if not wrong:
        return None
    for name, fold in (("upper", str.upper), ("lower", str.lower)):
        fixed = sum(s.count for s in deviants if fold(s.shape) in accepted)
        if fixed * 2 > wrong:
            return TransformSpec.model_validate(name)
    return None
