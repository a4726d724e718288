"""The indicator registry: an indicator id maps to the pure function that computes it.

Adding an indicator means adding an entry (with the ``@indicator`` decorator), never an
``if``. Each entry declares the tables and columns it reads, so a missing input is reported
as "which table would measure it" instead of raising.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from playbook.data.model import ClientData


@dataclass(frozen=True)
class Incident:
    """A stretch of weeks in which a purchase step converted far below its normal range.

    ``weeks`` are the flagged weeks' first days; ``rate`` the step's conversion over them;
    ``normal`` the usual weekly range (low, high); ``channel`` the channel that lost most
    (None when none stands out); ``lost`` the conversions lost against the step's median
    week; ``share`` lost / (the period's conversions at the step + lost).
    """

    step: tuple[str, str]
    weeks: tuple[pd.Timestamp, ...]
    rate: float
    normal: tuple[float, float]
    channel: str | None
    lost: float
    share: float

    @property
    def step_name(self) -> str:
        """Return the step as "first → second"."""
        return f"{self.step[0]} → {self.step[1]}"


@dataclass(frozen=True)
class Measurement:
    """An indicator's value on some data, with the rows behind it and a breakdown.

    ``by`` holds the value per member of the indicator's dimension (e.g. per channel) and
    ``by_n`` the rows behind each; ``detail`` is an optional frame for charts. An estimate
    may carry its confidence ``interval`` (low, high) and a ``reading``: what the estimate
    can tell (e.g. "elastic", "unclear"), which content can score and act on. ``incidents``
    are the weeks a finding should name (see ``indicators.incidents``).
    """

    value: float
    n: int
    by: pd.Series | None = None
    by_n: pd.Series | None = None
    detail: pd.DataFrame | None = None
    interval: tuple[float, float] | None = None
    reading: str | None = None
    incidents: tuple[Incident, ...] = ()
    #: the value per named part it blends (e.g. per declared service promise), when a
    #: headline mixes things a reader should also see apart; ``parts_n``: rows behind each
    parts: pd.Series | None = None
    parts_n: pd.Series | None = None


IndicatorFn = Callable[[ClientData], "Measurement | None"]

#: Columns that measure nothing when every value is zero: orders exported from a clickstream
#: carry amount 0 throughout, and a revenue share of 0 / 0 is not a measurement.
VALUE_COLUMNS = {"orders": ("amount",)}


def _all_zero(data: ClientData, table: str, column: str) -> bool:
    """Tell whether a value column holds nothing but zeros (and missing values)."""
    if column not in VALUE_COLUMNS.get(table, ()):
        return False
    return not (data.table(table)[column].fillna(0) != 0).any()


@dataclass(frozen=True)
class IndicatorDef:
    """A registered indicator: its function, inputs and breakdown dimension."""

    id: str
    fn: IndicatorFn
    requires: Mapping[str, tuple[str, ...]]
    dimension: str | None = None
    needs_config: tuple[str, ...] = field(default=())
    by_direction: str | None = None
    by_unit: str | None = None
    #: the value itself compares with the prior period (e.g. AOV growth)
    against_prior: bool = False

    def missing_inputs(self, data: ClientData) -> list[str]:
        """Return the inputs (``table.column`` or ``client.yaml: key``) that are absent.

        A value column (``VALUE_COLUMNS``) whose every value is zero counts as absent.
        """
        missing: list[str] = []
        for table, columns in self.requires.items():
            if not data.has(table):
                missing.append(table)
                continue
            missing.extend(
                f"{table}.{c}"
                for c in columns
                if not data.has(table, c) or _all_zero(data, table, c)
            )
        missing.extend(
            f"client.yaml: {k}" for k in self.needs_config if not getattr(data.config, k)
        )
        return missing

    def measure(self, data: ClientData) -> Measurement | None:
        """Compute on ``data``; None when inputs are missing or there are no rows to use."""
        if self.missing_inputs(data):
            return None
        return self.fn(data)


_REGISTRY: dict[str, IndicatorDef] = {}


def indicator(
    indicator_id: str,
    *,
    requires: Mapping[str, tuple[str, ...]],
    dimension: str | None = None,
    needs_config: tuple[str, ...] = (),
    by_direction: str | None = None,
    by_unit: str | None = None,
    against_prior: bool = False,
) -> Callable[[IndicatorFn], IndicatorFn]:
    """Register a function as the indicator ``indicator_id``.

    Args:
        indicator_id: the id content files use to refer to it.
        requires: tables and the columns of each that the function reads.
        dimension: the breakdown the function returns in ``Measurement.by`` (e.g. "channel").
        needs_config: ``client.yaml`` keys that must be non-empty (e.g. "competitors").
        by_direction: how to read the breakdown when it measures something else than the
            value (a CSAT spread is better lower, but its breakdown is mean CSAT per member,
            better higher); None: the indicator's own direction.
        by_unit: the breakdown's unit when it differs from the indicator's (e.g. "score").
        against_prior: the value compares this period with the prior one (a growth), so a
            finding says which period that is.
    """

    def register(fn: IndicatorFn) -> IndicatorFn:
        if indicator_id in _REGISTRY:
            raise ValueError(f"indicator {indicator_id!r} registered twice")
        _REGISTRY[indicator_id] = IndicatorDef(
            indicator_id,
            fn,
            dict(requires),
            dimension,
            tuple(needs_config),
            by_direction,
            by_unit,
            against_prior,
        )
        return fn

    return register


def get(indicator_id: str) -> IndicatorDef:
    """Return a registered indicator by id."""
    try:
        return _REGISTRY[indicator_id]
    except KeyError:
        raise KeyError(f"no indicator registered as {indicator_id!r}") from None


def missing_by_input(data: ClientData, indicator_ids: Iterable[str]) -> dict[str, list[str]]:
    """Return each absent input (``table.column``, ``client.yaml: key``) with what it measures.

    For the strategist's data request: the inputs in the order first met, each with the ids
    of the indicators among ``indicator_ids`` that stay unmeasured without it.
    """
    needed: dict[str, list[str]] = {}
    for indicator_id in dict.fromkeys(indicator_ids):
        for name in get(indicator_id).missing_inputs(data):
            needed.setdefault(name, []).append(indicator_id)
    return needed


def registered() -> dict[str, IndicatorDef]:
    """Return a copy of the registry."""
    return dict(_REGISTRY)
