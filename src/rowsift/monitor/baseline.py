"""Which runs a batch is judged against, and how they become one robust baseline.

The rule (docs/monitoring.md, "The baseline"):

1. A pinned run (``monitor.baseline.run`` in the recipe, else ``rowsift baseline pin``) is the
   baseline, alone.
2. Otherwise the baseline is the ``window`` most recent **clean** runs of the dataset. A run is
   clean when it did not fail and raised no alert; a run a person accepted is clean whatever
   it raised, and so is a run judged against fewer than `WARM_UP` clean runs (the first runs
   of a dataset, or the first after an accepted change: too few to know the feed's usual
   variation). Runs older than the newest accepted run are left out: the accepted change is the
   new normal from that run on. A run recorded after the accepted one but before the
   acceptance, whose alerts were all about what was accepted, is clean too (it saw the same
   change).
3. The window's runs are merged column by column, leaving out of each column the runs whose
   column drifts from most other runs of the window (when they are a minority): one outlying
   batch cannot move the baseline.
4. A check's effect threshold is raised to how much recent batches differ among themselves
   (`window_baseline`), so a feed whose batches vary more than sampling noise (real days do)
   alerts on what stands out of its usual variation. Those batches (`Selection.spread`) are
   the ``window`` most recent runs that did not fail, counting a run that raised an alert once
   a later run came back (raised none of its alerts): a one-day excursion that passed is part
   of the feed's usual variation, a change that persists is not. Judged on the clean runs
   alone, the variation of a feed with real ups and downs was underestimated (the runs that
   vary most are the ones left out), and its ordinary days kept alerting.

The anomaly history (row counts, quarantine and failure rates) is made of the same clean runs.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from rowsift.monitor.drift import compare, merge
from rowsift.monitor.metrics import BatchMetrics
from rowsift.monitor.settings import DriftSettings, MonitorSettings
from rowsift.monitor.store import Mark, RunRecord

#: a run judged against fewer clean runs than this is not left out for its alerts: until a
#: feed has shown how much its batches vary, its alerts are not a verdict on the batch
WARM_UP = 3


@dataclass(frozen=True, kw_only=True)
class Selection:
    """The runs a batch is judged against, and the runs left out of them and why."""

    window: tuple[RunRecord, ...]
    history: tuple[RunRecord, ...]
    left_out: tuple[tuple[str, str], ...] = ()
    since: str | None = None
    #: the runs whose differences set the tolerance (rule 4), newest first
    spread: tuple[RunRecord, ...] = ()


def pinned_run(marks: Sequence[Mark]) -> str | None:
    """The run pinned by the newest pin or unpin mark (None after an unpin)."""
    latest = max(
        (mark for mark in marks if mark.action in ("pin", "unpin")),
        key=lambda mark: mark.marked_at,
        default=None,
    )
    return latest.run_id if latest is not None and latest.action == "pin" else None


def select(
    runs: Sequence[RunRecord], marks: Sequence[Mark], settings: MonitorSettings
) -> Selection:
    """The clean runs of `runs` (newest first) for the drift window and the anomaly history."""
    accepts = {mark.run_id: mark for mark in marks if mark.action == "accept"}
    position = {run.run_id: i for i, run in enumerate(runs)}
    newest_accept = min(
        (position[run_id] for run_id in accepts if run_id in position), default=None
    )
    anchor = runs[newest_accept] if newest_accept is not None else None
    considered = runs if newest_accept is None else runs[: newest_accept + 1]
    clean: list[RunRecord] = []
    left_out: list[tuple[str, str]] = []
    for run in reversed(considered):  # oldest first: the warm-up is a feed's first runs
        why = _why_left_out(run, accepts, anchor, settings)
        if why == "raised an alert" and len(clean) < WARM_UP:
            why = None
        if why is None:
            clean.append(run)
        else:
            left_out.append((run.run_id, why))
    clean.reverse()
    left_out.reverse()
    window = tuple(clean[: settings.baseline_window])
    oldest = position[window[-1].run_id] if window else len(runs)
    return Selection(
        window=window,
        history=tuple(clean[: settings.anomalies.history]),
        # say why the runs among the window's were left out, not every older one
        left_out=tuple((run_id, why) for run_id, why in left_out if position[run_id] < oldest),
        since=anchor.run_id if anchor is not None else None,
        spread=_spread(considered, {run.run_id for run in clean}, settings.baseline_window),
    )


def _spread(runs: Sequence[RunRecord], clean: set[str], size: int) -> tuple[RunRecord, ...]:
    """The `size` newest runs (of `runs`, newest first) that are clean, or raised alerts that a
    later run no longer raised: the batches a feed's usual variation is learned from."""
    chosen: list[RunRecord] = []
    later: list[set[tuple[str, str]]] = []  # the alerts of each newer run
    for run in runs:
        raised = {(str(a["kind"]), str(a["subject"])) for a in run.alerts}
        came_back = any(not raised & newer for newer in later)
        if run.run_id in clean or (run.status != "fail" and came_back):
            chosen.append(run)
            if len(chosen) == size:
                break
        later.append(raised)
    return tuple(chosen)


def _why_left_out(
    run: RunRecord,
    accepts: dict[str, Mark],
    anchor: RunRecord | None,
    settings: MonitorSettings,
) -> str | None:
    if run.run_id in accepts or not settings.exclude_alerted:
        return None
    if run.status == "fail":
        return "failed"
    if not run.alerts:
        return None
    if anchor is not None and run.finished_at > anchor.finished_at:
        seen = {(str(a["kind"]), str(a["subject"])) for a in anchor.alerts}
        mine = {(str(a["kind"]), str(a["subject"])) for a in run.alerts}
        if mine <= seen and run.finished_at <= accepts[anchor.run_id].marked_at:
            return None
    return "raised an alert"


#: how far above the usual difference between two of the window's batches an effect must
#: be, for a check whose effect grows like the difference (power 1); PSI grows like its square
#: (power 2). With normal noise the usual (median) pairwise difference is 0.674 sqrt(2) sigma,
#: and 3.29 sigma is the two-sided 0.1% point of one batch against the merged window.
TOLERANCE_FACTOR = 3.29 / (0.674 * math.sqrt(2))
_POWER = {"psi": 2}


@dataclass(frozen=True, kw_only=True)
class WindowBaseline:
    """A window of batches merged into one baseline, with what the merge learned about them.

    `trimmed`: per column, how many batches were left out as outliers there. `tolerance`: per
    ``(column, check)``, the effect an ordinary batch may show given how much the window's
    own batches differ from each other (raises, never lowers, the configured thresholds).
    """

    metrics: BatchMetrics
    trimmed: dict[str, int] = field(default_factory=dict)
    tolerance: dict[tuple[str, str], float] = field(default_factory=dict)


def window_baseline(
    batches: Sequence[BatchMetrics],
    settings: DriftSettings,
    *,
    spread: Sequence[BatchMetrics] | None = None,
) -> WindowBaseline:
    """Merge a window of batches, leaving out of each column the batches that are outliers there.

    Every pair of batches is compared. A batch is an outlier on a column where it drifts from
    more than half of the other batches; a column leaves its outliers out when they are fewer
    than half of the window (else the window itself moved, and every batch counts). Pairs of
    the `spread` batches (default: the window's) give each check its `tolerance`: the median
    effect of a pair times `TOLERANCE_FACTOR` (squared for PSI). Real feeds differ from batch
    to batch by more than sampling noise (a stormy day's delays); a change is what stands out
    of that. A pair of batches both lists hold is compared once.
    """
    spread = batches if spread is None else spread
    effects_of = _PairEffects(settings)
    if len(batches) < 3:
        merged = WindowBaseline(metrics=merge(batches))
    else:
        against: dict[tuple[str, int], int] = {}
        for i in range(len(batches)):
            for j in range(i + 1, len(batches)):
                for column in effects_of.drifted(batches[i], batches[j]):
                    against[column, i] = against.get((column, i), 0) + 1
                    against[column, j] = against.get((column, j), 0) + 1
        outliers: dict[str, set[int]] = {}
        for (column, i), count in against.items():
            if count > (len(batches) - 1) / 2:
                outliers.setdefault(column, set()).add(i)
        dropped = {c: found for c, found in outliers.items() if len(found) < len(batches) / 2}
        merged = WindowBaseline(
            metrics=_trimmed_merge(batches, dropped),
            trimmed={column: len(found) for column, found in sorted(dropped.items())},
        )
    if len(spread) < 3:
        return merged
    pairs = [(a, b) for i, a in enumerate(spread) for b in spread[i + 1 :]]
    keys = {key for a, b in pairs for key in effects_of.effects(a, b)}
    tolerance: dict[tuple[str, str], float] = {}
    for column, check in keys:
        # over every pair: the median stays with the ordinary pairs while the outliers are a
        # minority, and leaving the outliers out would keep only the batches most alike
        usual = statistics.median(
            effects_of.effects(a, b).get((column, check), 0.0) for a, b in pairs
        )
        tolerance[column, check] = usual * TOLERANCE_FACTOR ** _POWER.get(check, 1)
    return replace(merged, tolerance={key: value for key, value in tolerance.items() if value > 0})


class _PairEffects:
    """The comparison of two batches, made once however often it is asked for."""

    def __init__(self, settings: DriftSettings) -> None:
        self.settings = settings
        self.found: dict[tuple[int, int], tuple[set[str], dict[tuple[str, str], float]]] = {}

    def _compared(
        self, a: BatchMetrics, b: BatchMetrics
    ) -> tuple[set[str], dict[tuple[str, str], float]]:
        key = (id(a), id(b)) if id(a) < id(b) else (id(b), id(a))
        if key not in self.found:
            report = compare(a, b, settings=self.settings)
            effects: dict[tuple[str, str], float] = {}
            for finding in report.findings:
                if finding.threshold is not None and finding.effect is not None:
                    pair = (finding.column, finding.check)
                    effects[pair] = max(effects.get(pair, 0.0), finding.effect)
            drifted = {finding.column for finding in report.findings if finding.drifted}
            self.found[key] = (drifted, effects)
        return self.found[key]

    def drifted(self, a: BatchMetrics, b: BatchMetrics) -> set[str]:
        return self._compared(a, b)[0]

    def effects(self, a: BatchMetrics, b: BatchMetrics) -> dict[tuple[str, str], float]:
        return self._compared(a, b)[1]


def _trimmed_merge(batches: Sequence[BatchMetrics], dropped: dict[str, set[int]]) -> BatchMetrics:
    merged = merge(batches)
    if not dropped:
        return merged
    columns = dict(merged.columns)
    groups: dict[frozenset[int], list[str]] = {}
    for column, found in dropped.items():
        if column in columns:
            groups.setdefault(frozenset(found), []).append(column)
    for left_out, names in groups.items():
        kept = [
            BatchMetrics(
                rows=batch.rows,
                columns={name: batch.columns[name] for name in names if name in batch.columns},
            )
            for j, batch in enumerate(batches)
            if j not in left_out
        ]
        trimmed = merge(kept)
        columns.update({name: trimmed.columns[name] for name in names if name in trimmed.columns})
    return BatchMetrics(rows=merged.rows, columns=columns)
