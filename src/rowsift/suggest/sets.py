"""Allowed sets for low-cardinality columns, and typos: rare values close to a frequent one.

Close means equal once case, surrounding and repeated whitespace and accents are folded, or a
an edit distance (rapidfuzz's optimal string alignment, where swapping two neighbours is one
edit) of one, or two for values of eight characters or more. A typo is quarantined (it is left
out of the allowed set) or, with `repair`, mapped to the frequent value.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from rowsift.profile import ColumnProfile, TableProfile, is_null_like, shape_of
from rowsift.profile.columns import ODD_SHAPE_MAX, in_use
from rowsift.profile.shapes import carries_dates, reading_kind
from rowsift.recipe.model import ColumnRuleSpec, Evidence, TransformSpec
from rowsift.suggest.arrivals import Arrivals
from rowsift.suggest.entities import entity_mass
from rowsift.suggest.strictness import Thresholds

MIN_VALUES = 20
LONG_WORD = 8
"""A word this long may be misspelled by two edits, a shorter one by one."""
SHORT_VALUE = 4
"""A value shorter than this is a typo only as a dropped letter of a value one longer."""
SHORTEST_TYPO = 3
"""Shorter values are never typos (``ON`` and ``OH`` are both states); three letters only as a
dropped letter of a four-letter value."""
RARE_SET_SIZE = 20
RARE_GAP = 10
RARE_VALUE_SHARE = 0.001
RARE_ROWS_SHARE = 0.01
ODD_SHAPE_COUNT = 3
ODD_SHAPE_SHARE = 0.02
DENSE_SHARE = 0.1
"""A vocabulary is dense when this share of its established values (seen `ESTABLISHED` times
and no typo of another) lie within a typo's distance of another one (pet names: ``Molly``,
``Polly``, ``Holly``): there, one edit away is as likely another name as a slip."""
ESTABLISHED = 3
DENSE_SAMPLE = 500
"""The most frequent established values the density is measured on (a bounded cost)."""
MIN_ESTABLISHED = 10
CLOSED_CLASSES = frozenset({"categorical", "code", "boolean"})
"""Classes whose values may form a closed vocabulary (never identifiers, times or free text)."""


@dataclass(frozen=True, kw_only=True)
class Typo:
    """A rare value and the frequent value it is likely a misspelling of."""

    value: str
    count: int
    correction: str
    correction_count: int
    reason: str


def fold(text: str) -> str:
    """Case, whitespace and accents folded away.

    >>> fold("  Café  Noir ")
    'cafe noir'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


_NOT_DIGITS = re.compile(r"[^0-9]+")


def _digits(text: str) -> str:
    return _NOT_DIGITS.sub("", text)


def find_typos(values: dict[str, int], limits: Thresholds) -> list[Typo]:
    """Rare values close to a value at least `typo_ratio` times as frequent.

    >>> from rowsift.suggest.strictness import thresholds
    >>> find_typos({"Boston": 40, "Bostn": 1, "boston ": 1, "Denver": 30},
    ...            thresholds("balanced"))  # doctest: +NORMALIZE_WHITESPACE
    [Typo(value='Bostn', count=1, correction='Boston', correction_count=40, reason='edit'),
     Typo(value='boston ', count=1, correction='Boston', correction_count=40,
          reason='case, spaces or accents')]

    A slip seen more than `ODD_SHAPE_MAX` times, written the same way each time, is a typo only
    beside other slips of the same value, or when its neighbour is `typo_ratio` squared times
    as frequent: slips scatter over many spellings (``TRU``, ``TREU``, ``TRUEE`` beside
    ``TRUE``), so one close value repeated alone, and not much rarer than its neighbour, is
    another name (``mother`` 7 times beside ``other`` 70 times, ``PATH`` beside ``MATH``).

    >>> [t.value for t in find_typos({"other": 70, "mother": 7, "blood": 90},
    ...                              thresholds("balanced"))]
    []
    >>> [t.value for t in find_typos({"TRUE": 700, "TRUEE": 7, "TREU": 3},
    ...                              thresholds("balanced"))]
    ['TRUEE', 'TREU']
    """
    present = {v: c for v, c in values.items() if not is_null_like(v)}
    ordered = sorted(present.items(), key=lambda kv: (-kv[1], kv[0]))
    typos: list[Typo] = []
    folds = {value: fold(value) for value, _ in ordered}
    folded_best: dict[str, tuple[str, int]] = {}
    for value, count in ordered:
        folded_best.setdefault(folds[value], (value, count))
    total = sum(present.values())
    match_of = _edit_matcher(ordered, limits)
    dense: bool | None = None  # measured once a value has an edit typo's neighbour
    for value, count in ordered:
        best, best_count = folded_best[folds[value]]
        if best != value and best_count >= limits.typo_ratio * count:
            typos.append(
                Typo(
                    value=value,
                    count=count,
                    correction=best,
                    correction_count=best_count,
                    reason="case, spaces or accents",
                )
            )
            continue
        if in_use(count, total):
            continue
        correction = match_of(value, count)
        if correction is None or another_name(value, correction):
            continue
        if dense is None:
            dense = _dense(_established(ordered, match_of))
        if not dense:
            typos.append(
                Typo(
                    value=value,
                    count=count,
                    correction=correction,
                    correction_count=present[correction],
                    reason="edit",
                )
            )
    return _scattered_slips(typos, limits)


def _scattered_slips(typos: list[Typo], limits: Thresholds) -> list[Typo]:
    """The typos without a close value repeated alone (see `find_typos`)."""
    slips = Counter(typo.correction for typo in typos)
    return [
        typo
        for typo in typos
        if typo.reason != "edit"
        or typo.count <= ODD_SHAPE_MAX
        or slips[typo.correction] > 1
        or typo.correction_count >= limits.typo_ratio**2 * typo.count
    ]


def _edit_matcher(
    ordered: list[tuple[str, int]], limits: Thresholds
) -> Callable[[str, int], str | None]:
    """A function giving, for a value and its count, the value `typo_ratio` times as frequent
    that it is one edit from (two for a value of `LONG_WORD` characters), if any; values are
    compared with the values holding the same digits only (``AMI-2`` is no typo of ``AMI-1``).
    `ordered` is most frequent first."""
    by_digits: dict[str, tuple[list[str], list[int]]] = {}
    for value, count in ordered:
        texts, counts = by_digits.setdefault(_digits(value), ([], []))
        texts.append(value)
        counts.append(-count)

    def match_of(value: str, count: int) -> str | None:
        if len(value) < SHORTEST_TYPO or not any(c.isalpha() for c in value):
            return None
        texts, counts = by_digits[_digits(value)]
        frequent = bisect.bisect_right(counts, -limits.typo_ratio * count)
        if not frequent:
            return None
        limit = limits.typo_distance if len(value) >= LONG_WORD else 1
        choices = texts[:frequent]
        if len(value) < SHORT_VALUE:  # only a dropped letter: ``TRU`` for ``TRUE``, not ``Jun``
            choices = [text for text in choices if len(text) == len(value) + 1]
        match = process.extractOne(value, choices, scorer=OSA.distance, score_cutoff=limit)
        return None if match is None else str(match[0])

    return match_of


def _established(
    ordered: list[tuple[str, int]], match_of: Callable[[str, int], str | None]
) -> list[str]:
    """The `DENSE_SAMPLE` most frequent values seen `ESTABLISHED` times and no typo of another,
    of `SHORT_VALUE` characters or more (short codes are near each other by nature, and their
    slips are matched by a dropped letter only)."""
    found: list[str] = []
    for value, count in ordered:
        if count < ESTABLISHED or len(found) >= DENSE_SAMPLE:
            break
        if len(value.strip()) >= SHORT_VALUE and match_of(value, count) is None:
            found.append(value)
    return found


def _dense(established: list[str]) -> bool:
    """Whether `DENSE_SHARE` of `established` values lie a typo's distance from another one
    holding the same digits (at least `MIN_ESTABLISHED` values, else a vocabulary says nothing).

    >>> _dense(["Molly", "Polly", "Holly", "Max", "Maxi", "Bella", "Luna", "Lena", "Milo",
    ...         "Mila", "Toby", "Moby"])
    True
    >>> _dense(["Boston", "Denver", "Austin", "Chicago", "Seattle", "Portland", "Miami",
    ...         "Dallas", "Houston", "Phoenix"])
    False
    """
    if len(established) < MIN_ESTABLISHED:
        return False
    import numpy as np  # rapidfuzz's distance matrix is a NumPy array

    distances = process.cdist(established, established, scorer=OSA.distance, score_cutoff=2)
    limits = np.array([2 if len(value) >= LONG_WORD else 1 for value in established])
    groups: dict[str, int] = {}
    digits = np.array([groups.setdefault(_digits(value), len(groups)) for value in established])
    close = (distances <= limits[:, None]) & (digits[:, None] == digits[None, :])
    np.fill_diagonal(close, False)
    return int(close.any(axis=1).sum()) > DENSE_SHARE * len(established)


_WORDS = re.compile(r"[\s_]+")
_ROMAN = re.compile(r"^[IVXLC]+$")


def _label(word: str) -> bool:
    """A word that labels one of a series: one character, or a Roman numeral."""
    return len(word) == 1 or bool(_ROMAN.match(word))


def another_name(value: str, correction: str) -> bool:
    """Whether a rare `value` close to `correction` is another name rather than a misspelling:
    it differs in one whole word shorter than `LONG_WORD` by two edits (a short word is
    misspelled by one edit, as a short value is: ``North Carolina``, ``South Carolina``), or
    by whole words added or left out (``Taco King V`` beside ``Taco King``).

    >>> another_name("North Carolina", "South Carolina")
    True
    >>> another_name("Nroth Carolina", "North Carolina"), another_name("Teh Kooks", "The Kooks")
    (False, False)
    >>> another_name("Taco King V", "Taco King")
    True

    Words are also cut at ``_`` (``Very_Poor``, ``Very_Good``), and two values that differ in
    labels of a series (one character each, or Roman numerals) are two names: ``Ward R`` is no
    typo of ``Ward A``, nor ``Park II`` of ``Park III``.

    >>> another_name("Very_Poor", "Very_Good"), another_name("ward r", "ward a")
    (True, True)
    >>> another_name("Polo Grounds II", "Polo Grounds III")
    True
    """
    mine, theirs = _WORDS.split(value.strip()), _WORDS.split(correction.strip())
    if len(mine) == len(theirs):
        differing = [
            (word, other) for word, other in zip(mine, theirs, strict=True) if word != other
        ]
        if len(differing) != 1:
            return False
        word, other = differing[0]
        if _label(word) and _label(other):
            return True
        return min(len(word), len(other)) < LONG_WORD and OSA.distance(word, other) > 1
    shorter, longer = sorted((mine, theirs), key=len)
    rest = iter(longer)
    return all(word in rest for word in shorter)  # the shorter's words in order in the longer


def _rare(values: dict[str, int], typos: dict[str, str], limits: Thresholds) -> set[str]:
    """Rare outsiders among a few frequent values: the values below a clear gap.

    The frequent values are at most `RARE_SET_SIZE`, their median seen at least
    `rare_value_typical` times, and the least of them at least `RARE_GAP` times as often as the
    most frequent value below; the values below are each seen at most `rare_value_count` times
    or `RARE_VALUE_SHARE` of the rows, and make up at most `RARE_ROWS_SHARE` of them (a long tail
    of categories is natural, a few outsiders among a few values are not: ``xGA`` twice beside
    ``LGA`` 1,500 times).

    >>> from rowsift.suggest.strictness import thresholds
    >>> sorted(_rare({"a": 90, "b": 80, "zz": 1}, {}, thresholds("balanced")))
    ['zz']
    >>> sorted(_rare({"EWR": 1869, "LGA": 1511, "ExR": 2, "xGA": 1}, {}, thresholds("balanced")))
    ['ExR', 'xGA']
    >>> _rare({"a": 90, "b": 30, "c": 2}, {}, thresholds("balanced"))  # 2 of 122 is no outsider
    set()
    """
    if limits.rare_value_count <= 0:
        return set()
    counted = sorted(((c, v) for v, c in values.items() if v not in typos), reverse=True)
    present = sum(c for c, _ in counted)
    cap = max(limits.rare_value_count, RARE_VALUE_SHARE * present)
    for size in range(1, min(RARE_SET_SIZE, len(counted) - 1) + 1):
        lowest, below = counted[size - 1][0], counted[size][0]
        if lowest < RARE_GAP * below or below > cap:
            continue
        frequent = sorted(c for c, _ in counted[:size])
        rows = sum(c for c, _ in counted[size:])
        if frequent[len(frequent) // 2] >= limits.rare_value_typical and (
            rows <= RARE_ROWS_SHARE * present
        ):
            return {v for _, v in counted[size:]}
    return set()


def _odd_shapes(values: dict[str, int]) -> set[str]:
    """Values with digits whose run kinds are rare (under 2% of values) in a column where others
    are frequent (``7x%`` among ``75%``, ``80%``).

    >>> sorted(_odd_shapes({"75%": 9, "80%": 7, "7x%": 1, "n/a": 1}))
    ['7x%']
    """
    from rowsift.suggest.patterns import skeleton

    counts: dict[tuple[str, ...], int] = {}
    for value, count in values.items():
        kinds = skeleton(shape_of(value.strip()))
        counts[kinds] = counts.get(kinds, 0) + count
    total = sum(counts.values())
    usual = {
        kinds
        for kinds, count in counts.items()
        if count >= ODD_SHAPE_COUNT and count >= ODD_SHAPE_SHARE * total
    }
    if not usual or len(values) > RARE_SET_SIZE * 2:  # a long tail of shapes is natural
        return set()
    return {
        value
        for value, count in values.items()
        if count <= ODD_SHAPE_MAX
        and any(c.isdigit() for c in value)
        and skeleton(shape_of(value.strip())) not in usual
    }


def missing_mass(values: dict[str, int], typos: dict[str, str]) -> float:
    """An upper estimate of the chance that the next value is one not seen yet: Good-Turing's
    share of values seen once, f1 / n, with a rough Poisson margin and a prior,
    (f1 + 2·√f1 + 1) / n. Typos count toward the value they are a slip of.

    >>> round(missing_mass({"a": 500, "b": 499, "c": 1}, {}), 4)
    0.004
    >>> missing_mass({"a": 5, "b": 4, "c": 1}, {}) > 0.1
    True
    """
    counts: dict[str, int] = {}
    for value, count in values.items():
        key = typos.get(value, value)
        counts[key] = counts.get(key, 0) + count
    present = sum(counts.values())
    once = sum(1 for count in counts.values() if count == 1)
    return (once + 2 * math.sqrt(once) + 1) / present if present else 1.0


def suggest_set(
    column: ColumnProfile,
    limits: Thresholds,
    *,
    repair: bool,
    profile: TableProfile | None = None,
    cut: Arrivals | None = None,
) -> tuple[ColumnRuleSpec | None, TransformSpec | None, Evidence | None]:
    """An ``in_set`` rule without the typos, and (with `repair`) a ``map`` of typo → value.

    Columns with many distinct values get no set, but their typos still get the map with
    `repair`. With the table's `profile`, a set whose values each belong to few entities
    (`rowsift.suggest.entities`) only warns when the entities' estimate says it is open; with
    the table `cut` at its latest moments (`rowsift.suggest.arrivals`), so does a set whose
    values keep arriving.
    """
    values = {v: c for v, c in column.values.items() if not is_null_like(v)}
    present = sum(values.values())
    closed_class = column.semantic in CLOSED_CLASSES
    # dates and times as text, or keys that carry a date: tomorrow is new, and no date is a
    # typo of another
    if (
        present < MIN_VALUES
        or len(values) < 2
        or not closed_class
        or reading_kind(column.shapes)
        or carries_dates(values)
    ):
        return None, None, None
    typos = find_typos(values, limits)
    closes = missing_mass(values, {t.value: t.correction for t in typos})
    if column.semantic == "code" and closes > limits.set_missing_mass:
        # codes of an open set differ by a letter on purpose (N501AA, N501AB): fold only
        typos = [t for t in typos if t.reason != "edit"]
    mapping = {t.value: t.correction for t in typos}
    examples = [f"{t.value!r} -> {t.correction!r} ({t.reason})" for t in typos[:5]]
    map_spec = map_evidence = None
    if repair and typos:
        map_spec = TransformSpec.model_validate({"map": mapping})
        map_evidence = Evidence(
            statistic="rare values close to a frequent one",
            observed=sum(t.count for t in typos),
            threshold=limits.typo_ratio,
            examples=examples,
            note="likely typos, repaired to the frequent value",
        )
    rare = _rare(values, mapping, limits) | _odd_shapes(values)
    allowed = sorted(v for v in values if v not in mapping and v not in rare)
    mass = missing_mass(values, mapping)
    if mass > limits.set_missing_mass:
        return None, map_spec, map_evidence
    note = f"{len(allowed)} values; a closed vocabulary"
    if typos and not repair:
        note += f"; {len(typos)} likely typo(s) left out: " + "; ".join(examples)
    if rare:
        shown = ", ".join(repr(v) for v in sorted(rare)[:3])
        note += f"; {len(rare)} rare value(s) of an odd shape or frequency left out: {shown}"
    entity = entity_mass(profile, column.name, allowed) if profile is not None else None
    warn = entity is not None and entity[0] > limits.set_missing_mass
    if entity is not None and warn:
        note += (
            f"; warn only: its values belong to few `{entity[1]}` values each, and over those"
            f" the chance that the next one is new is {entity[0]:.2f}"
        )
    elif (
        cut is not None
        and (arrived := cut.share(column.name, mapping)) is not None
        and (arrived > limits.set_missing_mass)
    ):
        warn = True
        note += (
            f"; warn only: its values keep arriving: {arrived:.1%} of the rows from "
            f"`{cut.time}` {cut.since} on hold a value no earlier row holds"
        )
    elif mass > limits.set_error_mass:
        warn = True
        note += (
            f"; warn only: about {mass:.1%} of the next batch's values may be new ones, "
            f"more than the {limits.set_error_mass:.1%} a quarantine allows"
        )
    evidence = Evidence(
        statistic="chance that the next value is new (Good-Turing, with a margin)",
        observed=round(mass, 6),
        threshold=limits.set_missing_mass,
        note=note,
    )
    args: dict[str, object] = {"values": allowed, "evidence": evidence}
    if warn:
        args["severity"] = "warn"
    rule = ColumnRuleSpec.model_validate({"in_set": args})
    return rule, map_spec, map_evidence
