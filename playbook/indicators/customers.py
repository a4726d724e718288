"""Customer-level indicators: tiers, membership, repurchase and breadth of buying.

A customer counts when they ordered in the period. Indicators that need a customer's tier
(or membership) join orders to ``customers`` on customer_id; customers without one are
dropped and not counted. "Repeat" means >= 2 orders in the period. Breakdowns of customer
shares are by each customer's main (most-used) channel, so every customer counts once.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from playbook.data.model import ClientData
from playbook.data.numbering import Numbers, numbered
from playbook.indicators.aggregate import (
    by_time,
    main_value,
    per_customer,
    ratio_by,
    usable,
    with_customer,
)
from playbook.indicators.registry import Measurement, indicator

#: Orders (or distinct channels, categories, scenes) that make a customer "repeat"/"multi".
AT_LEAST = 2


def _revenue_share(data: ClientData, column: str, values: list) -> Measurement | None:
    """Measure the revenue share of customers whose ``column`` is one of ``values``."""
    o = usable(data, "orders", "customer_id", "amount", "channel")
    o = with_customer(data, o, column)
    return ratio_by(o["amount"].where(o[column].isin(values), 0.0), o["amount"], o["channel"])


def _breadth_share(data: ClientData, column: str | None) -> Measurement | None:
    """Measure the share of customers with >= 2 orders (or distinct ``column`` values).

    The breakdown is by the customer's most-used channel.
    """
    columns = ("customer_id", "channel") if column is None else ("customer_id", "channel", column)
    o = usable(data, "orders", *columns)
    if o.empty:
        return None
    ids = numbered(data, o)
    return ratio_by(per_customer(o, column, ids) >= AT_LEAST, dim=main_value(o, "channel", ids))


def _rate_ratio(flag: pd.Series, group: pd.Series) -> float | None:
    """Return mean(flag | group) / mean(flag | not group); None if a side is empty or 0."""
    inside, outside = flag[group], flag[~group]
    if inside.empty or outside.empty or outside.mean() == 0:
        return None
    return float(inside.mean() / outside.mean())


def _repeaters(data: ClientData) -> tuple[pd.DataFrame, Numbers]:
    """Return one row per customer who ordered (customer_id, orders, repeat) and their codes.

    The codes are those of the rows' customer ids in the orders' numbering (``numbered``).
    """
    o = usable(data, "orders", "customer_id")
    ids = numbered(data, o)
    counts = per_customer(o, numbers=ids).rename("orders").reset_index()
    return counts.assign(repeat=counts["orders"] >= AT_LEAST), ids.present()


def _first_values(rows: pd.DataFrame, column: str, numbers: Numbers, of: Numbers) -> np.ndarray:
    """Return, for each customer of ``of``, ``column`` of their first row (NaN: none).

    ``numbers``: the codes of ``rows``' customer ids (numbered alike or not).
    """
    codes = numbers.codes
    if numbers.ids is not of.ids:  # numbered apart: the codes of ``of`` looked up by id
        to = pd.Index(of.ids).get_indexer(numbers.ids)
        codes = np.where(codes >= 0, to[codes], -1)
    found, first = np.unique(codes, return_index=True)  # the first row of each code
    values = np.full(len(of.ids), np.nan)
    values[found[found >= 0]] = rows[column].to_numpy(dtype=float, na_value=np.nan)[
        first[found >= 0]
    ]
    return values[of.codes]


@indicator(
    "top_tier_revenue_share",
    requires={"orders": ("customer_id", "amount", "channel"), "customers": ("customer_id", "tier")},
    dimension="channel",
    needs_config=("premium_tiers",),
)
def top_tier_revenue_share(data: ClientData) -> Measurement | None:
    """Measure the revenue share of premium-tier customers, by channel."""
    return _revenue_share(data, "tier", data.config.premium_tiers)


@indicator(
    "member_sales_share",
    requires={
        "orders": ("customer_id", "amount", "channel"),
        "customers": ("customer_id", "is_member"),
    },
    dimension="channel",
)
def member_sales_share(data: ClientData) -> Measurement | None:
    """Measure the revenue share of member customers (KFC: 62 % in 2022), by channel."""
    return _revenue_share(data, "is_member", [True])


@indicator("repurchase_rate", requires={"orders": ("customer_id", "channel")}, dimension="channel")
def repurchase_rate(data: ClientData) -> Measurement | None:
    """Measure the share of customers with >= 2 orders, by their most-used channel."""
    return _breadth_share(data, None)


@indicator(
    "cross_category_share",
    requires={"orders": ("customer_id", "category", "channel")},
    dimension="channel",
)
def cross_category_share(data: ClientData) -> Measurement | None:
    """Measure the share of customers buying >= 2 categories, by their most-used channel."""
    return _breadth_share(data, "category")


@indicator(
    "multi_scene_customer_share",
    requires={"orders": ("customer_id", "scene", "channel")},
    dimension="channel",
)
def multi_scene_customer_share(data: ClientData) -> Measurement | None:
    """Measure the share of customers ordering in >= 2 scenes, by their most-used channel."""
    return _breadth_share(data, "scene")


@indicator(
    "multichannel_customer_share",
    requires={"orders": ("customer_id", "channel")},
    dimension="channel",
)
def multichannel_customer_share(data: ClientData) -> Measurement | None:
    """Measure the share of customers using >= 2 channels, by their most-used channel.

    Each customer counts once, under their main channel, so the breakdown decomposes the
    headline (its customer-weighted mean is the overall share).
    """
    return _breadth_share(data, "channel")


@indicator(
    "tier_repurchase_lift",
    requires={"orders": ("customer_id",), "customers": ("customer_id", "tier")},
    dimension="tier",
    needs_config=("premium_tiers",),
    by_unit="pct",
)
def tier_repurchase_lift(data: ClientData) -> Measurement | None:
    """Measure premium-tier repurchase rate / other tiers' rate; break down the rate by tier."""
    repeaters, customers = _repeaters(data)
    c = with_customer(data, repeaters, "tier", customers)
    lift = _rate_ratio(c["repeat"], c["tier"].isin(data.config.premium_tiers))
    if lift is None:
        return None
    return replace(ratio_by(c["repeat"], dim=c["tier"]), value=lift)


@indicator(
    "mass_discount_repurchase_lift",
    requires={
        "orders": ("customer_id", "order_time", "discount"),
        "customers": ("customer_id", "tier"),
    },
    dimension="tier",
)
def mass_discount_repurchase_lift(data: ClientData) -> Measurement | None:
    """Measure, in non-premium tiers, how much a discounted first order lifts repurchase.

    Value: repurchase rate of customers whose first order in the period had a discount,
    divided by that of customers whose first order had none (first orders with an unknown
    discount are left out). Breakdown: the same lift per non-premium tier.
    """
    o = usable(data, "orders", "customer_id", "order_time")
    if "discount" not in o.columns:
        return None
    repeaters, customers = _repeaters(data)
    ordered = by_time(o, "order_time")
    discount = _first_values(ordered, "discount", numbered(data, ordered), customers)
    known = ~np.isnan(discount)  # a repeater with no order here, or a first order's unknown
    c = repeaters[known].reset_index(drop=True).assign(discount=discount[known])
    c = with_customer(data, c, "tier", Numbers(customers.codes[known], customers.ids))
    c = c[~c["tier"].isin(data.config.premium_tiers)]
    c = c.assign(discounted=c["discount"] > 0)
    lift = _rate_ratio(c["repeat"], c["discounted"])
    if lift is None:
        return None
    groups = c.groupby(["tier", "discounted"])["repeat"]
    rates = groups.mean().unstack().reindex(columns=[False, True])
    by = (rates[True] / rates[False].where(rates[False] != 0)).dropna().rename_axis("tier")
    by_n = groups.size().groupby(level="tier").sum()[by.index].astype(int)
    return Measurement(lift, len(c), by.sort_index(), by_n.sort_index())
