"""Diagnose a client against a framework: indicators → scores → bands → applicable actions.

Every number in a diagnosis can be traced back: an element keeps its indicator results, each
result keeps its value, the previous period's value, the rows behind it and its breakdown.

A big client is measured by two processes at once: a child measures the prior period and, when
done, takes a share of the current one (``FORK_ORDERS``, ``forked``); the diagnoses are the
same either way.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import partial
from typing import Literal

import numpy as np
import pandas as pd

import playbook.indicators  # noqa: F401  (registers every indicator)
from playbook.config import DEFAULT_PERIOD_DAYS
from playbook.content import Action, Band, Condition, Element, Framework, IndicatorRef
from playbook.content import common as load_common
from playbook.content import framework as load_framework
from playbook.content import frameworks as load_frameworks
from playbook.data.commentary import AddedAction
from playbook.data.contract import ClientConfig, ElementAssessment
from playbook.data.model import ClientData
from playbook.data.numbering import number_once
from playbook.diagnosis import scoring
from playbook.diagnosis.engagement import (
    Excluded,
    SetAside,
    excluded_elements,
    in_scope,
    included_elements,
    split_actions,
)
from playbook.diagnosis.forked import Forked, can_fork
from playbook.diagnosis.targets import target_for
from playbook.indicators.registry import Incident, Measurement
from playbook.indicators.registry import get as get_indicator

#: A breakdown member needs at least this many rows to be named the weakest.
MIN_ROWS_FOR_WEAKEST = 10

#: A client with this many orders or more has its prior period measured in a child process
#: while the current one is measured (``forked``); a smaller one is measured in one process
#: (a fork would cost more than it saves).
FORK_ORDERS = 500_000

#: A year earlier, in whole weeks (52), so the compared period has the same weekdays.
YEAR = pd.Timedelta(days=364)

Comparison = Literal["previous", "year"]


@dataclass(frozen=True)
class Period:
    """The analysis period [start, end) and what its trends compare with.

    ``comparison`` is "year" when the data reaches back a year before the period starts:
    trends then compare with the same period 52 weeks earlier, so a seasonal business does
    not read its season as performance; otherwise "previous", the period of the same length
    just before.
    """

    start: pd.Timestamp
    end: pd.Timestamp
    comparison: Comparison = "previous"

    @property
    def days(self) -> int:
        """Return the period's length in days."""
        return (self.end - self.start).days

    @property
    def previous(self) -> Period:
        """Return the period of the same length just before this one."""
        return Period(self.start - (self.end - self.start), self.start)

    @property
    def compared(self) -> Period:
        """Return the period the trends compare with (see ``comparison``)."""
        if self.comparison == "year":
            return Period(self.start - YEAR, self.end - YEAR)
        return self.previous


def analysis_period(data: ClientData, as_of: str | None, period_days: int) -> Period:
    """Return the period of ``period_days`` days ending on ``as_of`` (default: last order day).

    The end is exclusive and falls at midnight after the ``as_of`` day. Trends compare with
    the same period a year (52 weeks) earlier when the first order is at least that old,
    else with the period just before.
    """
    if period_days < 1:
        raise ValueError(f"period_days must be at least 1, got {period_days}")
    if as_of:
        try:
            last_day = pd.Timestamp(as_of).normalize()
        except ValueError:
            raise ValueError(f"as_of must be a date like 2025-06-30, got {as_of!r}") from None
    else:
        last_day = data.span()[1].normalize()
    end = last_day + pd.Timedelta(days=1)
    start = end - pd.Timedelta(days=period_days)
    year = data.span()[0] <= start - YEAR
    return Period(start, end, "year" if year else "previous")


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator of one element on the client's data, with its scale and score."""

    ref: IndicatorRef
    target: float
    floor: float
    value: float | None
    previous: float | None
    score: float | None
    n: int
    by: pd.Series | None
    by_n: pd.Series | None
    weakest: tuple[str, float] | None
    missing: tuple[str, ...]
    detail: pd.DataFrame | None
    #: the breakdown's unit and direction when they differ from the indicator's (registry)
    by_unit: str | None = None
    by_direction: str | None = None
    #: an estimate's confidence interval and what it can tell (see ``Measurement``)
    interval: tuple[float, float] | None = None
    reading: str | None = None
    #: the breakdown has members to compare, but no material difference between them
    even: bool = False
    #: what ``previous`` measured: the period just before, or the same period a year earlier
    comparison: Comparison = "previous"
    #: weeks in which a step fell far below its normal range (see ``Measurement``)
    incidents: tuple[Incident, ...] = ()
    #: the value itself compares with the prior period (``comparison`` says which)
    against_prior: bool = False
    #: the value per named part it blends (see ``Measurement``)
    parts: pd.Series | None = None
    parts_n: pd.Series | None = None

    @property
    def measured(self) -> bool:
        """Tell whether the indicator has a value."""
        return self.value is not None


@dataclass(frozen=True)
class ElementDiagnosis:
    """An element's indicators, scores, band and the actions whose conditions hold."""

    element: Element
    indicators: tuple[IndicatorResult, ...]
    data_score: float | None
    assessment: ElementAssessment | None
    score: float | None
    band: Band | None
    basis: scoring.Basis
    actions: tuple[Action, ...]
    #: the strategist's view (raw text, safe Markdown subset), their own actions, and the
    #: generated actions that applied but were set aside (see ``engagement``)
    view: str = ""
    added: tuple[AddedAction, ...] = ()
    set_aside: tuple[SetAside, ...] = ()


@dataclass(frozen=True)
class FrameworkDiagnosis:
    """A client's diagnosis against one framework (its in-scope elements).

    ``excluded`` lists the elements outside the engagement's scope with their reasons; they
    are not in ``elements`` and not in ``score``. ``view`` is the strategist's summary of
    the framework (raw text, safe Markdown subset; "" when none).
    """

    framework: Framework
    client: ClientConfig
    period: Period
    elements: tuple[ElementDiagnosis, ...]
    score: float | None
    excluded: tuple[Excluded, ...] = ()
    view: str = ""

    @property
    def band(self) -> Band | None:
        """Return the band of the framework's score (None when no element is assessed)."""
        return scoring.band_of(self.score)

    @property
    def assessed(self) -> int:
        """Return how many of the framework's elements have a score (data or workshop)."""
        return sum(e.score is not None for e in self.elements)

    def element(self, element_id: str) -> ElementDiagnosis:
        """Return the diagnosis of one element by id.

        Raises:
            KeyError: For an element the framework does not have, or one excluded from
                the scope (``excluded_reason`` says why).
        """
        for e in self.elements:
            if e.element.id == element_id:
                return e
        reason = self.excluded_reason(element_id)
        if reason is not None:
            raise KeyError(f"element {element_id!r} is outside the scope: {reason}")
        raise KeyError(f"framework {self.framework.id!r} has no element {element_id!r}")

    def excluded_reason(self, element_id: str) -> str | None:
        """Return why an element is outside the engagement's scope (None: it is in it)."""
        return next((x.reason for x in self.excluded if x.element.id == element_id), None)


def _compared_members(
    by: pd.Series | None, by_n: pd.Series | None
) -> tuple[np.ndarray, pd.Index] | None:
    """Return the values and labels of the breakdown members worth comparing (enough rows;
    missing values left out), or None below two (in numpy: a diagnosis asks this of every
    indicator, and a pandas mask, reindex and drop cost more than the breakdown itself)."""
    if by is None:
        return None
    values = by.to_numpy(dtype=float, na_value=np.nan)
    known = ~np.isnan(values)
    if known.sum() < 2:
        return None
    values, labels = values[known], by.index[known]
    if by_n is not None:
        same = by_n.index.equals(by.index)  # as a breakdown and its row counts mostly are
        rows = (by_n.to_numpy(dtype=float, na_value=np.nan)[known] if same else
                by_n.reindex(labels).to_numpy(dtype=float, na_value=np.nan))  # fmt: skip
        enough = np.nan_to_num(rows, nan=0.0) >= MIN_ROWS_FOR_WEAKEST
        if enough.sum() >= 2:
            values, labels = values[enough], labels[enough]
    return values, labels


def weakest_member(
    by: pd.Series | None, by_n: pd.Series | None, direction: str, material: float = 0.0
) -> tuple[str, float] | None:
    """Return the worst member of a breakdown (ignoring members with too few rows).

    None when fewer than two members compare, when the best and the worst differ by no
    more than ``material`` (then no member is weaker than the others), or when another
    member is as bad as the worst (equals: no one of them is "the" weakest).
    """
    compared = _compared_members(by, by_n)
    if compared is None:
        return None
    values, labels = compared
    if values.max() - values.min() <= material:
        return None
    at = int(values.argmin() if direction == "higher" else values.argmax())
    worst = float(values[at])
    if (values == worst).sum() > 1:
        return None
    return str(labels[at]), worst


def _even(by: pd.Series | None, by_n: pd.Series | None, material: float) -> bool:
    """Tell whether a breakdown's members compare but differ by no more than ``material``."""
    compared = _compared_members(by, by_n)
    return compared is not None and compared[0].max() - compared[0].min() <= material


def material_spread(indicator_id: str, by_unit: str | None = None) -> float:
    """Return the smallest difference between breakdown members that counts (common.yaml)."""
    shared = load_common()
    text = shared.indicators.get(indicator_id)
    unit = by_unit or (text.unit if text else None)
    return shared.material_spread.get(unit, 0.0) if unit else 0.0


Measured = tuple[tuple[str, ...], "Measurement | None", "Measurement | None"]

#: What a diagnosis measures in two processes, by key ``"now:<indicator id>"``: the inputs
#: missing and the current period's measurement (``_now``); ``"prior:<id>"``: the prior
#: period's value and rows (``_prior``; None: not measured there)
Now = tuple[tuple[str, ...], "Measurement | None"]
Prior = tuple[float, int] | None


def _measure(
    indicator_id: str, current: ClientData, split: Forked[Now | Prior] | None = None
) -> Measured:
    """Measure an indicator on the current period (its breakdowns' labels as text) and on
    the prior one, of which only the value is used: a measurement of value and rows only
    (``_prior``). ``split``: the measurements shared with a child process (``_split``)."""
    if split is not None:
        missing, now = split.get(f"now:{indicator_id}")
    else:
        missing, now = _now(indicator_id, current)
    value = None
    if current.prior is not None and not missing:
        key = f"prior:{indicator_id}"
        value = split.get(key) if split is not None else _prior(indicator_id, current)
    return missing, now, Measurement(*value) if value is not None else None


def _now(indicator_id: str, current: ClientData) -> Now:
    """Return the inputs an indicator misses and its measurement on the current period."""
    defn = get_indicator(indicator_id)
    missing = tuple(defn.missing_inputs(current))
    now = _finite(defn.measure(current))
    return missing, _as_text(now) if now is not None else None


def _prior(indicator_id: str, current: ClientData) -> Prior:
    """Return an indicator's value and rows on the prior period (None: no prior period,
    inputs missing, or no number measured)."""
    defn = get_indicator(indicator_id)
    if current.prior is None or defn.missing_inputs(current):
        return None
    before = _finite(defn.measure(current.prior))
    return None if before is None else (before.value, before.n)


def _task(key: str, current: ClientData) -> Now | Prior:
    """Return the measurement ``key`` names: ``_now`` for "now:<id>", ``_prior`` for
    "prior:<id>" (see ``Now``)."""
    kind, indicator_id = key.split(":", 1)
    return _now(indicator_id, current) if kind == "now" else _prior(indicator_id, current)


def _is_result(key: str, x: object) -> bool:
    """Tell whether ``x`` is what ``_task(key)`` returns."""
    if key.startswith("now:"):
        return (
            isinstance(x, tuple)
            and len(x) == 2
            and isinstance(x[0], tuple)
            and all(isinstance(m, str) for m in x[0])
            and (x[1] is None or isinstance(x[1], Measurement))
        )
    return x is None or (
        isinstance(x, tuple)
        and len(x) == 2
        and isinstance(x[0], numbers.Real)
        and isinstance(x[1], numbers.Integral)
    )


def _split(
    data: ClientData, current: ClientData, fws: list[Framework], memo: dict[str, Measured]
) -> Forked[Now | Prior] | None:
    """Start a child process measuring what a big client's diagnosis needs, beside this one.

    The child measures the prior values first, then current periods from the last indicator
    backwards, while this process measures current periods from the first one on. None (all
    measured here) for a client below ``FORK_ORDERS`` orders, without a prior period, with
    nothing left to measure, or where processes do not fork. The whole tables' customer
    numberings are made first, so that both processes reuse them.
    """
    if current.prior is None or len(data.orders) < FORK_ORDERS or not can_fork():
        return None
    scope = data.config.report
    ids = [r.id for fw in fws for el in included_elements(fw, scope) for r in el.indicators]
    ids = [i for i in dict.fromkeys(ids) if i not in memo]
    if not ids:
        return None
    number_once(current, {t for i in ids for t in get_indicator(i).requires})
    priors, nows = [f"prior:{i}" for i in ids], [f"now:{i}" for i in ids]
    return Forked(partial(_task, current=current), priors, _is_result, shared=nows)


def _finite(m: Measurement | None) -> Measurement | None:
    """Return a measurement only when its value is a number (NaN or inf: not measured).

    E.g. a ratio of two zero sums: it must neither score 0 nor be printed as "nan".
    """
    if m is None or m.value is None or not math.isfinite(float(m.value)):
        return None
    return m


def _as_text(m: Measurement) -> Measurement:
    """Return a measurement whose breakdowns and detail hold labels as text, not categories.

    Label columns are categoricals (``data.contract``); what a diagnosis hands on to pages
    and reports keeps the plain text they always had.
    """
    return replace(
        m,
        by=_plain(m.by),
        by_n=_plain(m.by_n),
        parts=_plain(m.parts),
        parts_n=_plain(m.parts_n),
        detail=_plain(m.detail),
    )


def _plain(x: pd.Series | pd.DataFrame | None) -> pd.Series | pd.DataFrame | None:
    """Turn a categorical index or column back into its categories' type."""
    if x is None:
        return None
    if isinstance(x.index, pd.CategoricalIndex):
        x = x.set_axis(x.index.astype(x.index.categories.dtype), axis=0)
    if isinstance(x, pd.Series):
        return x.astype(x.dtype.categories.dtype) if _is_label(x.dtype) else x
    labels = {c: t.categories.dtype for c, t in x.dtypes.items() if _is_label(t)}
    return x.astype(labels) if labels else x


def _is_label(dtype: object) -> bool:
    return isinstance(dtype, pd.CategoricalDtype)


def measure_indicator(
    ref: IndicatorRef,
    current: ClientData,
    memo: dict[str, Measured] | None = None,
    comparison: Comparison = "previous",
    split: Forked[Now | Prior] | None = None,
) -> IndicatorResult:
    """Measure one indicator on the current period (and its prior) and score it.

    ``memo`` keeps measurements by indicator id, so an indicator that several elements or
    frameworks share is computed once per period; pass the same dict only for the same data.
    ``comparison`` says which period ``current.prior`` is (see ``Period``). ``split``: the
    measurements shared with a child process (``_split``).
    """
    goal = target_for(ref, current.config)
    target, floor = goal.target, goal.floor
    defn = get_indicator(ref.id)
    if memo is None:
        missing, now, before = _measure(ref.id, current, split)
    else:
        if ref.id not in memo:
            memo[ref.id] = _measure(ref.id, current, split)
        missing, now, before = memo[ref.id]
    if now is None:
        return IndicatorResult(
            ref, target, floor, None, None, None, 0, None, None, None, missing, None,
            comparison=comparison, against_prior=defn.against_prior,
        )  # fmt: skip
    material = material_spread(ref.id, defn.by_unit)
    if ref.reading_scores is not None:
        score = ref.reading_scores.get(now.reading) if now.reading is not None else None
    else:
        score = scoring.indicator_score(now.value, target, floor, ref.direction)
    return IndicatorResult(
        ref=ref,
        target=target,
        floor=floor,
        value=float(now.value),
        previous=float(before.value) if before is not None else None,
        score=score,
        n=now.n,
        by=now.by,
        by_n=now.by_n,
        weakest=weakest_member(now.by, now.by_n, defn.by_direction or ref.direction, material),
        missing=missing,
        detail=now.detail,
        by_unit=defn.by_unit,
        by_direction=defn.by_direction,
        interval=now.interval,
        reading=now.reading,
        even=_even(now.by, now.by_n, material),
        incidents=now.incidents,
        against_prior=defn.against_prior,
        parts=now.parts,
        parts_n=now.parts_n,
        comparison=comparison,
    )


def condition_holds(cond: Condition, diag: ElementDiagnosis) -> bool:
    """Tell whether an action's condition holds for an element's diagnosis."""
    if cond.band is not None and (diag.band is None or diag.band not in cond.band):
        return False
    if cond.no_data is not None:
        has_data = any(r.measured for r in diag.indicators)
        if cond.no_data == has_data:
            return False
    if cond.indicator is not None:
        result = next((r for r in diag.indicators if r.ref.id == cond.indicator), None)
        if result is None or result.value is None:
            return False
        if cond.below is not None and not result.value < cond.below:
            return False
        if cond.above is not None and not result.value > cond.above:
            return False
        if cond.reading is not None and result.reading not in cond.reading:
            return False
    return True


def diagnose_element(
    fw: Framework,
    element: Element,
    current: ClientData,
    memo: dict[str, Measured] | None = None,
    comparison: Comparison = "previous",
    split: Forked[Now | Prior] | None = None,
) -> ElementDiagnosis:
    """Diagnose one element: measure, score, blend with the workshop, band, pick actions.

    The strategist's commentary on the element (``current.commentary``) adds their view and
    actions, and sets aside the generated actions they hide. ``memo``, ``comparison``,
    ``split``: see ``measure_indicator``.
    """
    shared = load_common()
    results = tuple(
        measure_indicator(ref, current, memo, comparison, split) for ref in element.indicators
    )
    scored = [r for r in results if r.score is not None]
    data_score = scoring.weighted_mean([r.score for r in scored], [r.ref.weight for r in scored])
    workshop = current.assessment.get(fw.id, element.id) if current.assessment else None
    workshop_score = scoring.assessment_score(workshop.score) if workshop else None
    score, basis = scoring.blend(data_score, workshop_score, shared.assessment_weight)
    band = scoring.band_of(score)
    draft = ElementDiagnosis(element, results, data_score, workshop, score, band, basis, ())
    comment = current.commentary.element(fw.id, element.id)
    actions, set_aside = split_actions(
        (a for a in element.actions if condition_holds(a.when, draft)), comment
    )
    return ElementDiagnosis(
        element,
        results,
        data_score,
        workshop,
        score,
        band,
        basis,
        actions,
        view=comment.view,
        added=tuple(comment.actions),
        set_aside=set_aside,
    )


def diagnose(
    framework_id: str,
    data: ClientData,
    as_of: str | None = None,
    period_days: int = DEFAULT_PERIOD_DAYS,
) -> FrameworkDiagnosis:
    """Diagnose a client's data against one framework over the analysis period.

    Elements excluded by the client's scope are left out (listed in ``excluded``); a
    framework outside the scope is still diagnosed when asked for by name.

    Args:
        framework_id: the framework's slug, e.g. "exceed_expectations".
        data: the client's validated data.
        as_of: last day of the analysis period (YYYY-MM-DD); default the last order day.
        period_days: length of the analysis period; the trend compares with the one before.
    """
    return next(_iter_diagnoses(data, as_of, period_days, [load_framework(framework_id)]))


def _iter_diagnoses(
    data: ClientData,
    as_of: str | None,
    period_days: int,
    fws: list[Framework],
    measured: dict[str, Measured] | None = None,
) -> Iterator[FrameworkDiagnosis]:
    period = analysis_period(data, as_of, period_days)
    prev = period.compared
    prior = data.between(prev.start, prev.end)
    current = data.between(period.start, period.end, prior=prior)
    if current.orders.empty:
        first, last = data.span()
        raise ValueError(
            f"{data.config.id}: no orders between {period.start.date()} and "
            f"{(period.end - pd.Timedelta(days=1)).date()}; the data runs from "
            f"{first.date()} to {last.date()} — choose as_of within it"
        )
    memo = {} if measured is None else measured
    split = _split(data, current, fws, memo)
    try:
        for fw in fws:
            elements = tuple(
                diagnose_element(fw, el, current, memo, period.comparison, split)
                for el in included_elements(fw, data.config.report)
            )
            score = scoring.mean_score(e.score for e in elements)
            view = data.commentary.framework(fw.id).summary
            excluded = excluded_elements(fw, data.config.report)
            yield FrameworkDiagnosis(fw, data.config, period, elements, score, excluded, view)
    finally:
        if split is not None:
            split.close()


def iter_diagnoses(
    data: ClientData,
    as_of: str | None = None,
    period_days: int = DEFAULT_PERIOD_DAYS,
    *,
    measured: dict[str, Measured] | None = None,
) -> Iterator[FrameworkDiagnosis]:
    """Yield ``diagnose_all``'s diagnoses one by one, as each framework is diagnosed.

    The renderer hands each framework's page to a kernel as soon as its diagnosis is there.
    ``measured``: indicator measurements already made on this data, ``as_of`` and period
    (by indicator id; the renderer keeps them between renders, ``report.tables_cache``),
    filled with the ones made now. A measurement never depends on the commentary.

    Raises:
        ValueError: On the first ``next``, as ``diagnose_all``.
    """
    fws = in_scope(load_frameworks(), data.config.report)
    yield from _iter_diagnoses(data, as_of, period_days, fws, measured)


def diagnose_all(
    data: ClientData, as_of: str | None = None, period_days: int = DEFAULT_PERIOD_DAYS
) -> list[FrameworkDiagnosis]:
    """Diagnose a client against every framework of its scope, in reading order.

    The scope is ``client.yaml`` ``report:`` (every framework when absent; see
    ``engagement``). The period is sliced once and every indicator is measured once,
    however many frameworks use it.
    """
    return list(iter_diagnoses(data, as_of, period_days))
