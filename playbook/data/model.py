"""``ClientData``: one client's validated tables, typed, with period slicing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from playbook.data.commentary import Commentary
from playbook.data.contract import TABLES, Assessment, ClientConfig


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

        ``prior`` is attached as the previous period, for growth indicators.
        """
        sliced: dict[str, pd.DataFrame] = {}
        for name, df in self.tables.items():
            tcol = TABLES[name].time_column if name in TABLES else None
            if tcol and tcol in df.columns:
                mask = (df[tcol] >= start) & (df[tcol] < end)
                sliced[name] = df.loc[mask]
            else:
                sliced[name] = df
        return replace(self, tables=sliced, prior=prior)
