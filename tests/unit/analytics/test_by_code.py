"""Per-customer aggregates by integer code (analytics.by_code), expected values by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook.analytics import by_code
from playbook.analytics.by_code import ByCode
from playbook.analytics.loyalty import customer_summary
from playbook.data.numbering import Numbers

# ids a, c1, b, c2, c3: rows hold c2, c1, (none), c2, c3, c1 -> codes 3, 1, -1, 3, 4, 1
NUMBERS = Numbers(np.array([3, 1, -1, 3, 4, 1]), pd.Index(["a", "c1", "b", "c2", "c3"]))
TIMES = pd.Series(
    pd.to_datetime(["2024-01-05", "2024-01-03", "2024-01-01", "2024-01-02", None, "2024-01-09"])
)
AMOUNTS = pd.Series([1.5, 2.0, 100.0, np.nan, 4.0, 0.25])


def test_groups_are_the_codes_held_in_order_with_their_rows():
    groups = ByCode(NUMBERS)
    assert groups.held.tolist() == [1, 3, 4]
    assert groups.index().tolist() == ["c1", "c2", "c3"]
    assert groups.index().name == "customer_id"
    assert groups.counts().tolist() == [2, 2, 1]  # the row without a customer in none
    assert groups.counts().dtype == np.int64


def test_sums_skip_missing_values_as_groupby_sum():
    # c1 2.0 + 0.25; c2 1.5 + NaN -> 1.5; c3 4.0; the 100.0 of no customer is nobody's
    assert ByCode(NUMBERS).sums(AMOUNTS).tolist() == [2.25, 1.5, 4.0]


def test_extremes_skip_missing_times_and_a_customer_without_any_gets_none():
    first, last = ByCode(NUMBERS).extremes(TIMES)
    # c1: 01-03, 01-09; c2: 01-02, 01-05; c3: its only time is missing
    assert pd.Series(first).tolist()[:2] == [pd.Timestamp("2024-01-03"), pd.Timestamp("2024-01-02")]
    assert pd.Series(last).tolist()[:2] == [pd.Timestamp("2024-01-09"), pd.Timestamp("2024-01-05")]
    assert np.isnat(first[2]) and np.isnat(last[2])
    assert first.dtype == TIMES.dtype


def test_extremes_leave_times_with_a_zone_to_pandas():
    assert ByCode(NUMBERS).extremes(TIMES.dt.tz_localize("UTC")) is None


def test_customer_summary_by_codes_matches_the_hand_count():
    orders = pd.DataFrame(
        {
            "customer_id": ["c2", "c1", None, "c2", "c3", "c1"],
            "order_time": TIMES,
            "amount": AMOUNTS,
        }
    )
    for zone in (None, "UTC"):
        times, as_of = TIMES.dt.tz_localize(zone), pd.Timestamp("2024-01-10", tz=zone)
        s = customer_summary(orders.assign(order_time=times), as_of, NUMBERS)
        assert s["customer_id"].tolist() == ["c1", "c2", "c3"]
        assert s["orders"].tolist() == [2, 2, 1]
        assert s["revenue"].tolist() == [2.25, 1.5, 4.0]
        assert s["recency_days"].tolist()[:2] == [1.0, 5.0]  # to 01-10 from 01-09, 01-05
        assert pd.isna(s["last_order"].iloc[2]) and s["last_order"].dtype == times.dtype


def test_table_counts_rows_per_group_and_value_number():
    # values per row: c2 0, c1 1, (none) 0, c2 0, c3 -1 (no value), c1 1
    table = ByCode(NUMBERS).table(np.array([0, 1, 0, 0, -1, 1]), 2)
    assert table.tolist() == [[0, 2], [2, 0], [0, 0]]  # c1, c2, c3 (its row has no value)


def test_table_is_none_when_it_would_have_more_cells_than_allowed(monkeypatch):
    monkeypatch.setattr(by_code, "MIN_CELLS", 0)
    monkeypatch.setattr(by_code, "CELLS_PER_ROW", 2)
    # 3 groups x 2 values = 6 cells > 2 per row x 5 rows with a customer? 6 <= 10: made
    assert ByCode(NUMBERS).table(np.zeros(6, dtype=np.int64), 2) is not None
    # 3 groups x 4 values = 12 cells > 10: not made
    assert ByCode(NUMBERS).table(np.zeros(6, dtype=np.int64), 4) is None
