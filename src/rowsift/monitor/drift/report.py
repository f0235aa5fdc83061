"""What a drift comparison found: one `Finding` per check of a column, and their sentences."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

from rowsift.monitor.alerts import Alert

Check = Literal[
    "psi",
    "ks",
    "wasserstein",
    "chi2",
    "jensen_shannon",
    "new_category",
    "vanished_category",
    "null_rate",
    "schema",
]
CATEGORY_CHECKS = ("new_category", "vanished_category")
#: an alert names at most this many new or vanished categories, the largest first
_NAMED_CATEGORIES = 3


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One check of one column: its statistic, p-value, effect size and verdict.

    `p_value` is the raw p-value of the test behind the finding (the KS test for PSI and
    Wasserstein, chi-squared for Jensen-Shannon), `q_value` the same after Benjamini-Hochberg.
    `before` and `after` are the baseline's and the current batch's value of what moved: the
    mean (numeric checks), the null rate, or the category's share.
    """

    column: str
    check: Check
    statistic: float | None
    p_value: float | None
    effect: float | None
    threshold: float | None
    drifted: bool
    message: str
    q_value: float | None = None
    category: str | None = None
    before: float | None = None
    after: float | None = None


@dataclass(frozen=True, kw_only=True)
class DriftReport:
    """Every finding of one comparison; the drifted ones become alerts.

    >>> DriftReport().drifted
    False
    """

    findings: tuple[Finding, ...] = ()

    @property
    def drifted(self) -> bool:
        """True when at least one finding drifted (a column or the schema changed)."""
        return any(finding.drifted for finding in self.findings)

    def alerts(self) -> list[Alert]:
        """One alert per schema change and one per drifted column, in column order."""
        found: list[Alert] = []
        by_column: dict[str, list[Finding]] = {}
        for finding in self.findings:
            if not finding.drifted:
                continue
            if finding.check == "schema":
                found.append(
                    Alert(
                        kind="schema",
                        subject=finding.column,
                        message=finding.message,
                        details={"findings": [asdict(finding)]},
                    )
                )
            else:
                by_column.setdefault(finding.column, []).append(finding)
        for column, findings in by_column.items():
            every = [f for f in self.findings if f.column == column and f.check != "schema"]
            found.append(
                Alert(
                    kind="drift",
                    subject=column,
                    message=drift_sentence(column, findings),
                    details={"findings": [asdict(f) for f in every]},
                )
            )
        return found

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "drifted": self.drifted,
            "findings": [asdict(finding) for finding in self.findings],
        }


def drift_sentence(column: str, drifted: Iterable[Finding]) -> str:
    """'amount drifted: PSI 0.41 (threshold 0.2), mean 12.3 → 15.8'."""
    findings = list(drifted)
    parts = [f.message for f in findings if f.check not in ("ks", "chi2", *CATEGORY_CHECKS)]
    moved = next((f for f in findings if f.check in ("psi", "wasserstein")), None)
    if moved is not None and moved.before is not None and moved.after is not None:
        parts.append(f"mean {number(moved.before)} → {number(moved.after)}")
    # a renamed code list makes every value new and every old one vanish: name a few
    categories = sorted(
        (f for f in findings if f.check in CATEGORY_CHECKS),
        key=lambda f: -(f.effect or 0.0),
    )
    parts += [f.message for f in categories[:_NAMED_CATEGORIES]]
    if len(categories) > _NAMED_CATEGORIES:
        parts.append(f"and {len(categories) - _NAMED_CATEGORIES} more new or vanished categories")
    return f"{column} drifted: " + ", ".join(parts)


def percent(rate: float) -> str:
    """A share as a percentage with enough digits to tell small rates apart."""
    value = rate * 100
    if value == 0 or value >= 1:
        return f"{value:.1f}%"
    return f"{value:.2g}%"


def number(value: float) -> str:
    """Three significant digits, thousands separated: 12.3, 0.0412, 15,800."""
    if abs(value) >= 999.5:
        return f"{value:,.0f}"
    return f"{value:.3g}"
