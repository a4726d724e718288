"""Analytics for the value-add plan: pure statistical functions over client tables.

Modules, by role:

- ``loyalty`` — RFM scores and tiers, historical and forward customer lifetime value, churn
  risk, tier economics.
- ``pricing`` — price elasticity, discount effectiveness, Van Westendorp price-sensitivity
  meter, tiered package suggestions.
- ``marketing`` — conversion funnel, channel attribution (first, last, linear, Markov),
  A/B test read-out.
- ``wom`` — NPS with promoter / passive / detractor shares by segment.

Every function takes frames and returns a frame or a frozen dataclass; nothing here draws,
reads files or knows about notebooks. Bad input (no rows, a missing column) raises
``ValueError`` naming what was expected; data that cannot support an estimate is reported
in the result (e.g. ``Elasticity.estimable`` with a reason) rather than raised. Imports no
other part of the package (numpy, pandas, scipy only); ``indicators`` and the pages use it.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def require_columns(df: pd.DataFrame | None, columns: Iterable[str], what: str) -> None:
    """Raise ``ValueError`` unless ``df`` has rows and every one of ``columns``.

    Args:
        df: The frame to check.
        columns: Column names the caller needs.
        what: What the frame is, for the message (e.g. ``"orders"``).

    Raises:
        ValueError: The frame is missing, empty, or lacks a column (all missing ones named).
    """
    if df is None or len(df) == 0:
        raise ValueError(f"{what}: no rows to analyse")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(
            f"{what}: missing column(s) {', '.join(missing)} "
            f"(has: {', '.join(map(str, df.columns))})"
        )
