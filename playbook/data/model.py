"""``ClientData``: one client's validated tables, typed, with period slicing.

A table whose rows cover a span of time (``TableSpec.prorated``, e.g. monthly costs) is cut
to a period by days: a period holding 10 of April's 30 days takes 10/30 of April's cost.

Cutting a period copies nothing when a table is in time order (validation puts it so):
the rows of a period are then one contiguous stretch, found by binary search, and the cut
is a view of the whole table (pandas copy-on-write keeps the whole table safe from
changes made to it). A table out of order is cut with a mask (a copy), with the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

import pandas as pd

from playbook.data.commentary import Commentary
from playbook.data.contract import TABLES, Assessment, ClientConfig

T = TypeVar("T")


@dataclass(frozen=True)
class ClientData:
    """A client's configuration, validated tables, workshop assessment and commentary.

    Tables are typed: datetime columns are ``datetime64``, numbers are floats, booleans are
    ``bool``. A table the client did not supply is absent from ``tables``. The engagement's
    scope is ``config.report``; the strategist's words are ``commentary`` (empty when the
    client folder has no ``commentary.yaml``).
    """

    config: ClientConfig
    tables: Mapping[str, pd.DataFrame]
    assessment: Assessment | None = None
    source: Path | None = None
    files: Mapping[str, Path] = field(default_factory=dict)
    prior: ClientData | None = None
    #: the unsliced data this period was cut from, and the period [start, end)
    whole: ClientData | None = None
    window: tuple[pd.Timestamp, pd.Timestamp] | None = None
    #: tables cut by ``history``, kept so indicators sharing a table cut it once
    _history: dict[str, pd.DataFrame | None] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    #: analyses several indicators share, made once per data (``shared``)
    _shared: dict[str, object] = field(default_factory=dict, init=False, repr=False, compare=False)
    commentary: Commentary = field(default_factory=Commentary)

    def table(self, name: str) -> pd.DataFrame | None:
        """Return a table, or None when the client has not supplied it."""
        return self.tables.get(name)

    def has(self, name: str, *columns: str) -> bool:
        """Tell whether a table is present, non-empty, and has these columns with values."""
        df = self.tables.get(name)
        if df is None or df.empty:
            return False
        return all(c in df.columns and df[c].notna().any() for c in columns)

    @property
    def orders(self) -> pd.DataFrame:
        """The orders table (always present after validation)."""
        return self.tables["orders"]

    def span(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """Return the first and last order time."""
        t = self.orders["order_time"]
        return t.min(), t.max()

    def between(
        self, start: pd.Timestamp, end: pd.Timestamp, prior: ClientData | None = None
    ) -> ClientData:
        """Return a copy whose dated tables keep only rows with start <= time < end.

        Tables whose rows cover a span (``TableSpec.prorated``) keep the rows overlapping the
        period, their amounts scaled to the days inside it. ``prior`` is attached as the
        previous period, for growth indicators; the copy remembers the data it was cut from
        (``history``).
        """
        whole = self.whole or self
        sliced = Tables(whole.tables, lambda name, df: _slice(name, df, start, end))
        return replace(self, tables=sliced, prior=prior, whole=whole, window=(start, end))

    def shared(self, key: str, make: Callable[[], T]) -> T:
        """Return ``make()``, made once for this data under ``key``.

        For an analysis several indicators read (e.g. the period's churn risk): the second
        one reuses it. A cut to another period is other data, with nothing shared yet.
        """
        if key not in self._shared:
            self._shared[key] = make()
        return self._shared[key]  # type: ignore[return-value]

    def history(self, name: str) -> pd.DataFrame | None:
        """Return a table's rows up to the end of this period (earlier periods included).

        For data that was not cut to a period, the table as it is. None when absent.
        """
        if self.whole is None or self.window is None:
            return self.table(name)
        if name not in self._history:
            df = self.whole.table(name)
            self._history[name] = None if df is None else _slice(name, df, None, self.window[1])
        return self._history[name]


class Tables(Mapping[str, pd.DataFrame]):
    """Tables made on first use, each once: what a page does not read is never made.

    ``Tables(source, make)`` holds ``make(name, source[name])`` for every name of
    ``source`` (a period's cut of the whole tables, say); ``Tables(names, load)`` with a
    mapping of names to anything calls ``load(name, value)`` (a table read from a file).
    """

    def __init__(
        self,
        source: Mapping[str, object],
        make: Callable[[str, object], pd.DataFrame],
    ) -> None:
        self._source, self._make, self._made = source, make, {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._made:
            self._made[name] = self._make(name, self._source[name])
        return self._made[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._source)

    def __len__(self) -> int:
        return len(self._source)

    def __contains__(self, name: object) -> bool:
        return name in self._source


def as_labels(values: pd.Series) -> pd.Series:
    """Return text values as a categorical: the values present, sorted, as its categories.

    Sorted categories keep every order the text had: sorting, grouping (``groupby`` sorts
    groups by category) and picking the first of equals give the same result as on text.
    """
    if not isinstance(values.dtype, pd.CategoricalDtype):
        return values.astype("category")
    present = values.cat.remove_unused_categories()
    ordered = sorted(present.cat.categories)
    if ordered == list(present.cat.categories):
        return present
    return present.cat.reorder_categories(ordered)


def _slice(
    name: str, df: pd.DataFrame, start: pd.Timestamp | None, end: pd.Timestamp
) -> pd.DataFrame:
    """Return the rows of a table dated in [start, end) (no lower bound when start is None)."""
    spec = TABLES.get(name)
    tcol = spec.time_column if spec else None
    if not tcol or tcol not in df.columns:
        return df
    if spec.prorated:
        return _prorate(df, tcol, [c for c in spec.prorated if c in df.columns], start, end)
    return time_slice(df, tcol, start, end)


def in_time_order(df: pd.DataFrame, column: str) -> bool:
    """Tell whether a table's rows are in time order (no missing time, never going back)."""
    times = df[column]
    return bool(times.is_monotonic_increasing) and not bool(times.isna().any())


def time_slice(
    df: pd.DataFrame, column: str, start: pd.Timestamp | None, end: pd.Timestamp | None
) -> pd.DataFrame:
    """Return the rows dated in [start, end) (no bound where None), in their order.

    A table in time order gives a view of one stretch of rows (nothing is copied); any
    other table is cut with a mask.
    """
    times = df[column]
    if in_time_order(df, column):
        values = times.to_numpy()
        lo = 0 if start is None else int(values.searchsorted(_same_unit(start, values), "left"))
        hi = len(df) if end is None else int(values.searchsorted(_same_unit(end, values), "left"))
        return df.iloc[lo:hi]
    mask = pd.Series(True, index=df.index)
    if end is not None:
        mask &= times < end
    if start is not None:
        mask &= times >= start
    return df.loc[mask]


def _same_unit(moment: pd.Timestamp, values) -> object:
    """Return a bound as a numpy datetime64 of the column's unit (for ``searchsorted``)."""
    return pd.Timestamp(moment).to_datetime64().astype(values.dtype)


def period_ends(starts: pd.Series) -> pd.Series:
    """Return the (exclusive) end of each period, given when each period starts.

    When every start is the first of a month at midnight, periods are calendar months.
    Otherwise each period lasts the usual gap between consecutive distinct starts (their
    median: a week for weekly rows); a single start that is not a month's first day is taken
    as a month too.

    Args:
        starts: the start of each row's period (datetime; NaT stays NaT).

    Returns:
        The end of each row's period, aligned with ``starts``.
    """
    known = starts.dropna()
    distinct = pd.Series(known.unique()).sort_values()
    monthly = bool((known.dt.day == 1).all() and (known == known.dt.normalize()).all())
    if monthly or len(distinct) < 2:
        return starts + pd.offsets.MonthBegin(1) if monthly else starts + pd.DateOffset(months=1)
    return starts + distinct.diff().dropna().median()


def _prorate(
    df: pd.DataFrame,
    tcol: str,
    columns: list[str],
    start: pd.Timestamp | None,
    end: pd.Timestamp,
) -> pd.DataFrame:
    """Keep the rows whose period overlaps [start, end), amounts scaled to the overlap."""
    begins = df[tcol]
    ends = period_ends(begins)
    lo = begins if start is None else begins.clip(lower=start)
    share = ((ends.clip(upper=end) - lo) / (ends - begins)).clip(lower=0).fillna(0.0)
    keep = share > 0
    kept = df.loc[keep]
    return kept.assign(**{c: kept[c] * share[keep] for c in columns})
