"""Case, spacing, punctuation and accent variants of a closed set's values: one ``canonical``.

When the typos found in a closed set include variants that differ from an allowed value only
in case, spacing, punctuation or accents (``Paid``, `` paid``, ``PAID!`` for ``paid``), a
``canonical`` transform listing the allowed values maps those variants, and the ones the next
batch brings, to the listed spelling; the ``map`` keeps only the other typos (``pqid``).
"""

from __future__ import annotations

from rowsift.recipe.column_rule_args import InSetArgs
from rowsift.recipe.model import ColumnRuleSpec, Evidence, TransformSpec
from rowsift.recipe.transform_args import MapArgs
from rowsift.transforms.canonical import fingerprint

MAX_VALUES = 30
"""A longer set is not listed: every listed value is one pattern for the engine to try."""


def canonical_repair(
    in_set: ColumnRuleSpec | None, mapping: TransformSpec | None
) -> tuple[TransformSpec, Evidence, TransformSpec | None] | None:
    """The ``canonical`` transform for a closed set whose typos include spelling variants, its
    evidence, and the ``map`` left for the other typos (None when none is left).

    >>> rule = ColumnRuleSpec.model_validate({"in_set": ["paid", "new"]})
    >>> typos = TransformSpec.model_validate({"map": {"Paid": "paid", "pqid": "paid"}})
    >>> found, _, left = canonical_repair(rule, typos)
    >>> found.compact(), left.compact()
    ({'canonical': ['new', 'paid']}, {'map': {'pqid': 'paid'}})
    """
    if in_set is None or mapping is None or not isinstance(mapping.args, MapArgs):
        return None
    if not isinstance(in_set.args, InSetArgs):
        return None
    allowed = sorted(str(value) for value in in_set.args.values)
    keys = [fingerprint(value) for value in allowed]
    if len(allowed) > MAX_VALUES or not all(keys) or len(set(keys)) < len(keys):
        return None
    variants = {
        typo: value
        for typo, value in mapping.args.root.items()
        if value in allowed and fingerprint(typo) == fingerprint(value)
    }
    if not variants:
        return None
    left = {typo: value for typo, value in mapping.args.root.items() if typo not in variants}
    evidence = Evidence(
        statistic="spelling variants of the allowed values",
        observed=len(variants),
        examples=[f"{typo!r} -> {value!r}" for typo, value in list(variants.items())[:5]],
        note="case, spacing, punctuation or accents differ; mapped to the listed spelling, "
        "in this batch and the next",
    )
    remaining = TransformSpec.model_validate({"map": left}) if left else None
    return TransformSpec.model_validate({"canonical": allowed}), evidence, remaining
