"""Shared aggregation helpers: stage matrices and time order."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from playbook.analytics import by_code
from playbook.data.numbering import Numbers
from playbook.indicators.aggregate import among, by_time, main_value, per_customer, reached_stages

# ids a, c1, b, c2, c3: rows hold c2, c1, (none), c2, c3, c1 -> codes 3, 1, -1, 3, 4, 1
NUMBERS = Numbers(np.array([3, 1, -1, 3, 4, 1]), pd.Index(["a", "c1", "b", "c2", "c3"]))


def test_reached_stages_marks_each_unit_at_its_declared_stages_only():
    # unit 0: visit, cart; unit 1: visit twice and an undeclared "chat"; unit 2: no event
    unit = np.array([0, 0, 1, 1, 1])
    stage = pd.Series(["visit", "cart", "visit", "visit", "chat"])
    reached = reached_stages(unit, 3, stage, ["visit", "cart", "pay"])
    assert reached.tolist() == [
        [True, True, False],
        [True, False, False],
        [False, False, False],
    ]
    # an event without a stage reaches nothing; unit 1's "pay" counts
    stage = pd.Series(["pay", None, "pay"], dtype="str")
    reached = reached_stages(np.array([1, 0, 1]), 2, stage, ["visit", "pay"])
    assert reached.tolist() == [[False, False], [False, True]]


def test_by_time_sorts_stably_and_leaves_ordered_rows_alone():
    t = pd.to_datetime(["2025-01-02", "2025-01-01", "2025-01-02"])
    df = pd.DataFrame({"t": t, "n": [1, 2, 3]})
    assert by_time(df, "t")["n"].tolist() == [2, 1, 3]  # 1 before 3: same time, file order
    ordered = df.sort_values("t", kind="stable")
    assert by_time(ordered, "t") is ordered


def test_among_tells_which_rows_hold_one_of_the_chosen_values():
    ids = pd.Series(["c1", "c3", None, "c2", "c1"], index=[5, 6, 7, 8, 9])
    for values in (ids, ids.astype(object), ids.astype("category")):
        got = among(values, pd.Index(["c1", "c2"]))
        # c1 yes, c3 no, missing no, c2 yes, c1 yes; the rows keep their index
        assert got.tolist() == [True, False, False, True, True]
        assert got.index.tolist() == [5, 6, 7, 8, 9]
        assert among(values, {"c3"}).tolist() == [False, True, False, False, False]
        assert not among(values, set()).any()


def test_customer_values_take_each_rows_customers_first_row_as_a_map_would():
    from playbook.data.model import ClientData
    from playbook.indicators.aggregate import customer_values
    from tests.conftest import client_config

    def data(dtype: str) -> ClientData:
        # c1 twice: first without a tier, then gold; c2 silver and a member; c3 no member flag
        customers = pd.DataFrame(
            {
                "customer_id": pd.array(["c1", "c1", "c2", "c3"], dtype=dtype),
                "tier": pd.Categorical([None, "gold", "silver", "gold"]),
                "is_member": [True, False, True, None],
            }
        )
        survey = pd.DataFrame({"customer_id": pd.array(["c2", "c9", "c1", None], dtype=dtype)})
        return ClientData(client_config(), {"customers": customers, "survey": survey})

    for dtype in ("str", "object"):  # Arrow text looked up by Arrow; other ids by a map
        d = data(dtype)
        tier = customer_values(d, "survey", "tier")
        # c2 silver, c9 unknown, c1's first row has no tier, no id
        assert tier.tolist()[:1] == ["silver"] and tier.isna().tolist() == [False, True, True, True]
        assert isinstance(tier.dtype, pd.CategoricalDtype)
        assert tier.name == "customer_id"
        kept = customer_values(d, "survey", "tier", ("customer_id", "tier"))
        assert kept.tolist()[0] == "silver" and kept.tolist()[2] == "gold"
        member = customer_values(d, "survey", "is_member")
        assert member.tolist()[0] is True and member.tolist()[2] is True
        assert member.dtype == object  # a bool column with unknown customers, as map gives
        ids = d.table("survey")["customer_id"]
        lookup = d.table("customers").drop_duplicates("customer_id").set_index("customer_id")
        pd.testing.assert_series_equal(member, ids.map(lookup["is_member"]))
        pd.testing.assert_series_equal(tier, ids.map(lookup["tier"]))


def test_customers_are_keyed_once_and_their_first_row_with_an_attribute_found_per_key():
    from playbook.data.model import ClientData
    from playbook.indicators.aggregate import customer_keys, first_customers, with_customer
    from tests.conftest import client_config

    # c1 twice (row 0 without a tier, row 2 silver), c2 gold, c3 basic
    customers = pd.DataFrame(
        {
            "customer_id": pd.array(["c1", "c2", "c1", "c3"], dtype="str"),
            "tier": ["", "gold", "silver", "basic"],
        }
    ).replace({"tier": {"": None}})
    d = ClientData(client_config(), {"customers": customers})
    keys, ids = customer_keys(d)
    assert keys.tolist() == [0, 1, 0, 2] and ids.tolist() == ["c1", "c2", "c3"]
    assert first_customers(d).tolist() == [0, 1, 3]  # c1's first row is row 0
    assert first_customers(d, ("customer_id", "tier")).tolist() == [2, 1, 3]  # row 2: a tier
    # rows that are not orders: each row's customer by id; c9 unknown, dropped
    frame = pd.DataFrame({"customer_id": ["c3", "c1", "c9"], "n": [1, 2, 3]}, index=[5, 6, 7])
    joined = with_customer(d, frame, "tier")
    assert joined["customer_id"].tolist() == ["c3", "c1"]
    assert joined["tier"].tolist() == ["basic", "silver"]
    assert joined.index.tolist() == [0, 1]

    # distinct ids are their rows' own keys
    distinct = customers.iloc[[1, 2, 3]].reset_index(drop=True)
    d = ClientData(client_config(), {"customers": distinct})
    keys, ids = customer_keys(d)
    assert keys.tolist() == [0, 1, 2] and ids.tolist() == ["c2", "c1", "c3"]
    assert first_customers(d, ("customer_id", "tier")).tolist() == [0, 1, 2]


@pytest.mark.parametrize("cells", [1 << 16, 0])  # a count matrix; the pairs sorted instead
def test_per_customer_and_main_value_count_alike_either_way(monkeypatch, cells):
    monkeypatch.setattr(by_code, "MIN_CELLS", cells)
    monkeypatch.setattr(by_code, "CELLS_PER_ROW", 2 if cells else 0)
    orders = pd.DataFrame(
        {
            "customer_id": ["c2", "c1", None, "c2", "c3", "c1"],
            "channel": pd.Categorical(["web", "app", "app", "app", None, "app"]),
        }
    )
    # c1: app, app -> 1 distinct, main app; c2: web, app -> 2, tie -> app (first in order);
    # c3: no channel -> 0 distinct and no main channel
    assert per_customer(orders, "channel", NUMBERS).to_dict() == {"c1": 1, "c2": 2, "c3": 0}
    assert per_customer(orders, numbers=NUMBERS).to_dict() == {"c1": 2, "c2": 2, "c3": 1}
    main = main_value(orders, "channel", NUMBERS)
    assert main.to_dict() == {"c1": "app", "c2": "app"}
    assert main.index.name == "customer_id" and main.name == "channel"


def test_customer_values_of_a_period_take_the_whole_tables_keys_found_once():
    from playbook.data.model import ClientData
    from playbook.indicators.aggregate import customer_values
    from tests.conftest import client_config

    customers = pd.DataFrame(
        {
            "customer_id": pd.array(["c1", "c2", "c3"], dtype="str"),
            "tier": ["gold", "silver", "gold"],
        }
    )
    # answers of c3, c1, c9 (no such customer), c2 on days 1..4 (in time order)
    survey = pd.DataFrame(
        {
            "response_id": ["r1", "r2", "r3", "r4"],
            "response_time": pd.Timestamp("2025-01-01") + pd.to_timedelta(range(4), unit="D"),
            "customer_id": pd.array(["c3", "c1", "c9", "c2"], dtype="str"),
        }
    )
    data = ClientData(client_config(), {"customers": customers, "survey": survey})
    period = data.between(pd.Timestamp("2025-01-02"), pd.Timestamp("2025-01-04"))
    tier = customer_values(period, "survey", "tier")  # the answers of days 2 and 3
    assert tier.index.tolist() == [1, 2]
    assert tier.tolist()[0] == "gold" and pd.isna(tier.tolist()[1])
    # the whole survey's keys (c3, c1, none, c2 -> 2, 0, -1, 1), kept for every period
    assert data._shared["aggregate.customer_key.survey.whole"].tolist() == [2, 0, -1, 1]
    later = data.between(pd.Timestamp("2025-01-04"), pd.Timestamp("2025-01-05"))
    assert customer_values(later, "survey", "tier").tolist() == ["silver"]
