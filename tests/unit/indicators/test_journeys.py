"""Journey customers on integer codes: numbering, first values, channel pairs (by hand)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook.data.model import ClientData
from playbook.data.numbering import Numbers
from playbook.indicators.experience import _reached, channels_used
from playbook.indicators.journeys import (
    channel_pairs,
    first_rows,
    first_values,
    held,
    journey_numbers,
)
from tests.conftest import client_config

# rows: 0 c2 09:00 web | 1 c1 10:00 (no channel) | 2 None 08:00 app | 3 c1 08:00 app
#       4 c2 08:00 (no channel) | 5 c1 11:00 web | 6 c3 12:00 (no channel)
JOURNEY = pd.DataFrame(
    {
        "customer_id": pd.array(["c2", "c1", None, "c1", "c2", "c1", "c3"], dtype="str"),
        "event_time": pd.to_datetime(
            ["2024-01-01 09:00", "2024-01-01 10:00", "2024-01-01 08:00", "2024-01-01 08:00",
             "2024-01-01 08:00", "2024-01-01 11:00", "2024-01-01 12:00"]
        ),
        "stage": ["visit", "cart", "visit", "visit", "cart", "pay", None],
        "channel": pd.Categorical(["web", None, "app", "app", None, "web", None]),
    }
)  # fmt: skip
# numbered with codes that skip values, as a period's rows of a larger table are:
# ids a, c1, c2, c3, z -> c1 = 1, c2 = 2, c3 = 3
NUMBERS = Numbers(
    np.array([2, 1, -1, 1, 2, 1, 3], dtype=np.int32), pd.Index(["a", "c1", "c2", "c3", "z"])
)


def test_held_lists_each_code_some_row_has_once_in_order():
    assert held(NUMBERS).tolist() == [1, 2, 3]
    with_channel = JOURNEY["channel"].notna().to_numpy()
    assert held(NUMBERS, with_channel).tolist() == [1, 2]  # c3's only event has no channel


def test_first_rows_follow_time_order_not_row_order():
    # among rows with a channel: c1 rows 3 (08:00) and 5 (11:00) -> 3; c2 row 0 only
    rows = first_rows(JOURNEY, NUMBERS, JOURNEY["channel"].notna().to_numpy())
    assert rows.tolist() == [-1, 3, 0, -1, -1]
    # every row: c1 row 3 (08:00); c2 row 4 (08:00, before row 0's 09:00); c3 row 6
    everything = np.ones(len(JOURNEY), dtype=bool)
    assert first_rows(JOURNEY, NUMBERS, everything).tolist() == [-1, 3, 4, 6, -1]


def test_first_rows_of_equal_times_keep_row_order_and_rows_without_time_come_last():
    journey = pd.DataFrame(
        {"event_time": pd.to_datetime([None, "2024-01-02", "2024-01-02", "2024-01-01"])}
    )
    same = Numbers(np.array([0, 0, 1, 1]), pd.Index(["c1", "c2"]))
    # c1: row 1 (the row without a time comes last); c2: row 3 (01-01 before 01-02)
    assert first_rows(journey, same, np.ones(4, dtype=bool)).tolist() == [1, 3]
    tied = Numbers(np.array([0, 1, 1, 0]), pd.Index(["c1", "c2"]))
    # c2: rows 1 and 2 at the same time -> the first row, 1
    assert first_rows(journey, tied, np.ones(4, dtype=bool)).tolist() == [3, 1]


def test_first_values_skip_missing_values_as_groupby_first():
    entry = first_values(JOURNEY, NUMBERS)
    # c1 app (row 3, 08:00); c2 web (row 4 at 08:00 has no channel); c3 none at all
    assert entry.index.tolist() == ["c1", "c2", "c3"]
    assert entry.index.name == "customer_id" and entry.name == "channel"
    assert entry.tolist()[:2] == ["app", "web"] and pd.isna(entry.iloc[2])
    assert entry.dtype == JOURNEY["channel"].dtype


def test_channel_pairs_are_each_customers_distinct_channels():
    customer, used, channels = channel_pairs(JOURNEY, NUMBERS)
    got = sorted(zip(customer.tolist(), channels.take(used).tolist(), strict=True))
    # c1: app, web; c2: web; the event of no customer (app) and events without channel left out
    assert got == [(1, "app"), (1, "web"), (2, "web")]


def test_channels_used_by_codes_that_skip_values():
    out = channels_used(JOURNEY, NUMBERS)
    # c1 enters by app and uses app and web; c2 enters by web and uses web; c3 has no channel
    assert out[["entry_channel", "channel", "customers", "entry_customers"]].astype(
        {"entry_channel": str, "channel": str}
    ).values.tolist() == [["app", "app", 1, 1], ["app", "web", 1, 1], ["web", "web", 1, 1]]
    assert out["share"].tolist() == [1.0, 1.0, 1.0]
    assert str(out["channel"].dtype) == "category"


def test_reached_stages_per_customer_by_codes():
    reached = _reached(JOURNEY, ["visit", "cart", "pay"], NUMBERS)
    # c1: cart, visit, pay; c2: visit, cart; c3's only event has no stage: not a row
    assert reached.index.tolist() == ["c1", "c2"]
    assert reached.to_numpy().tolist() == [[True, True, True], [True, True, False]]


def test_journey_numbers_of_a_period_reuse_the_whole_tables_codes():
    # the whole journey's ids sorted: c1, c2, c3 -> period rows c2, c1, c1, c3 (in time order)
    whole = JOURNEY.sort_values("event_time", kind="stable", ignore_index=True)
    data = ClientData(config=client_config(), tables={"journey": whole})
    period = data.between(pd.Timestamp("2024-01-01 09:00"), pd.Timestamp("2024-01-02"))
    numbers = journey_numbers(period, period.table("journey"))
    assert numbers.ids.tolist() == ["c1", "c2", "c3"]
    assert numbers.codes.tolist() == [1, 0, 0, 2]
