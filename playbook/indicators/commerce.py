"""Order-level indicators: promises, channel and product mix, pricing, cost and position.

Each function is registered with ``@indicator`` and returns None when no row can be used.
Customer-level indicators (tiers, repurchase, multi-channel buyers) live in ``customers.py``.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from playbook.data.model import ClientData, time_slice
from playbook.indicators.aggregate import ratio_by, usable
from playbook.indicators.registry import Measurement, indicator

#: A channel counts as active when it carries at least this share of orders.
ACTIVE_CHANNEL_SHARE = 0.05


def months(times: pd.Series) -> pd.Series:
    """Return each time's month (its first day), as ``dt.to_period("M").dt.to_timestamp()``.

    Named "month". Plain numpy times are floored to the month by numpy: pandas' periods
    cost a second per million orders.
    """
    if not (isinstance(times.dtype, np.dtype) and times.dtype.kind == "M"):
        return times.dt.to_period("M").dt.to_timestamp().rename("month")
    monthly = times.iloc[:0].dt.to_period("M").dt.to_timestamp().dtype  # pandas' own type
    floored = times.to_numpy().astype("datetime64[M]").astype(monthly)
    return pd.Series(floored, index=times.index, name="month")


def _with_prior(data: ClientData, *columns: str) -> pd.DataFrame:
    """Return the usable orders of this period and of the period of the same length before it.

    The column ``current`` tells the orders of this period from the earlier period's. The
    earlier orders come from the client's history, so a monthly chart stays continuous when
    trends compare with the same period a year earlier; data not cut to a period falls
    back to ``data.prior``.
    """
    if data.window is not None:
        start, end = data.window
        history = data.history("orders")
        o = time_slice(history, "order_time", start - (end - start), None)
        o = o.dropna(subset=["order_time", *[c for c in columns if c in o.columns]])
        if any(c not in o.columns for c in columns):
            return pd.DataFrame(columns=["order_time", *columns, "current"])
        return o.assign(current=o["order_time"] >= start)
    frames = [
        usable(d, "orders", "order_time", *columns).assign(current=d is data)
        for d in (data.prior, data)
        if d is not None
    ]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=["order_time", *columns, "current"])
    return pd.concat(frames, ignore_index=True)


def monthly_mix(orders: pd.DataFrame, column: str) -> pd.DataFrame | None:
    """Return each month's order count and share per value of ``column`` (e.g. scene).

    Args:
        orders: orders with ``order_time`` and ``column``; rows missing either are ignored.
        column: the mix to follow, e.g. "scene".

    Returns:
        A long frame: month (first day), <column>, orders, share (of the month's orders),
        sorted by month and value; months without orders are absent. None without rows.
    """
    o = orders.dropna(subset=["order_time", column])
    if o.empty:
        return None
    month = months(o["order_time"])
    counts = o.groupby([month, o[column]]).size().rename("orders").reset_index()
    totals = counts.groupby("month")["orders"].transform("sum")
    counts["share"] = counts["orders"] / totals
    return counts.sort_values(["month", column]).reset_index(drop=True)


@indicator(
    "promise_kept_rate",
    requires={"orders": ("promised_minutes", "actual_minutes", "channel")},
    dimension="channel",
)
def promise_kept_rate(data: ClientData) -> Measurement | None:
    """Measure the share of orders delivered within the promised minutes, by channel.

    ``parts`` holds the rate per service promise declared in client.yaml (``promises``): an
    order belongs to the first promise whose minutes equal its promised minutes and whose
    channels include its channel (a promise without channels covers every channel), so a
    30-minute delivery promise and a 5-minute pickup promise are also read apart.
    """
    o = usable(data, "orders", "promised_minutes", "actual_minutes", "channel")
    kept = o["actual_minutes"] <= o["promised_minutes"]
    m = ratio_by(kept, dim=o["channel"])
    if m is None or not data.config.promises:
        return m
    promise = pd.Series(pd.NA, index=o.index, dtype="object")
    for p in data.config.promises:  # a handful of declared promises, not rows
        covers = o["channel"].isin(p.channels) if p.channels else True
        promise = promise.mask(promise.isna() & covers & (o["promised_minutes"] == p.value), p.text)
    per = ratio_by(kept, dim=promise.rename("promise"))
    if per is None or per.by is None or per.by.empty:
        return m
    order = [p.text for p in data.config.promises if p.text in per.by.index]
    return replace(m, parts=per.by.reindex(order), parts_n=per.by_n.reindex(order))


@indicator(
    "lead_time_p90_ratio",
    requires={"orders": ("promised_minutes", "actual_minutes", "channel")},
    dimension="channel",
)
def lead_time_p90_ratio(data: ClientData) -> Measurement | None:
    """Measure the 90th percentile of actual / promised minutes, by channel."""
    o = usable(data, "orders", "promised_minutes", "actual_minutes", "channel")
    o = o[o["promised_minutes"] > 0]
    if o.empty:
        return None
    ratio = o["actual_minutes"] / o["promised_minutes"]
    by_channel = ratio.groupby(o["channel"], sort=True)
    return Measurement(
        float(ratio.quantile(0.9)), len(o), by_channel.quantile(0.9), by_channel.size()
    )


@indicator("active_channels", requires={"orders": ("channel",)}, dimension="channel", by_unit="pct")
def active_channels(data: ClientData) -> Measurement | None:
    """Count declared channels carrying >= 5 % of orders; break down the order share."""
    o = usable(data, "orders", "channel")
    if o.empty:
        return None
    declared = pd.Index(sorted(data.config.channels), name="channel")
    counts = o["channel"].value_counts().reindex(declared, fill_value=0)
    share = counts / len(o)
    return Measurement(
        float((share >= ACTIVE_CHANNEL_SHARE).sum()), len(o), share, counts.astype(int)
    )


@indicator(
    "premium_share", requires={"orders": ("amount", "is_premium", "channel")}, dimension="channel"
)
def premium_share(data: ClientData) -> Measurement | None:
    """Measure the share of revenue from premium orders, by channel."""
    o = usable(data, "orders", "amount", "is_premium", "channel")
    return ratio_by(o["amount"].where(o["is_premium"].astype(bool), 0.0), o["amount"], o["channel"])


@indicator(
    "discount_rate", requires={"orders": ("amount", "discount", "channel")}, dimension="channel"
)
def discount_rate(data: ClientData) -> Measurement | None:
    """Measure discount / (amount + discount), i.e. the share of list value given away."""
    o = usable(data, "orders", "amount", "discount", "channel")
    return ratio_by(o["discount"], o["amount"] + o["discount"], o["channel"])


@indicator(
    "digital_share",
    requires={"orders": ("channel",)},
    dimension="scene",
    needs_config=("digital_channels",),
)
def digital_share(data: ClientData) -> Measurement | None:
    """Measure the share of orders placed through digital channels, by scene when known.

    ``detail`` follows the digital share by month over the previous and current period:
    month, orders, digital (the month's share of digital orders), current (most of the
    month's orders fall in the current period).
    """
    o = usable(data, "orders", "channel")
    scene = o["scene"] if "scene" in o.columns else None
    m = ratio_by(o["channel"].isin(data.config.digital_channels), dim=scene)
    if m is None:
        return None
    both = _with_prior(data, "channel")
    both = both.assign(digital=both["channel"].isin(data.config.digital_channels))
    if both.empty:
        return m
    month = months(both["order_time"])
    grouped = both.groupby(month)
    detail = pd.DataFrame(
        {
            "orders": grouped.size(),
            "digital": grouped["digital"].mean(),
            "current": grouped["current"].mean() >= 0.5,
        }
    ).reset_index()
    return replace(m, detail=detail.astype({"orders": int}))


@indicator(
    "core_scene_share",
    requires={"orders": ("scene", "channel")},
    dimension="channel",
    needs_config=("core_scene",),
)
def core_scene_share(data: ClientData) -> Measurement | None:
    """Measure the share of orders (with a scene) placed in the core scene, by channel.

    ``detail`` is the scene mix by month over the previous and current period (see
    ``monthly_mix``: month, scene, orders, share).
    """
    o = usable(data, "orders", "scene", "channel")
    m = ratio_by(o["scene"] == data.config.core_scene, dim=o["channel"])
    if m is None or "order_time" not in o.columns:
        return m
    return replace(m, detail=monthly_mix(_with_prior(data, "scene"), "scene"))


@indicator(
    "aov_growth",
    requires={"orders": ("amount", "channel")},
    dimension="channel",
    against_prior=True,
)
def aov_growth(data: ClientData) -> Measurement | None:
    """Measure average order value against the prior period (AOV / prior AOV - 1).

    The prior period is the one trends compare with: the same period a year earlier when
    the data reaches back that far, else the period just before (``diagnosis.Period``).
    """
    if data.prior is None:
        return None
    o = usable(data, "orders", "amount", "channel")
    p = usable(data.prior, "orders", "amount", "channel")
    now, before = ratio_by(o["amount"], dim=o["channel"]), ratio_by(p["amount"], dim=p["channel"])
    if now is None or before is None or before.value == 0:
        return None
    by = (now.by / before.by.where(before.by != 0) - 1).dropna()
    return replace(now, value=now.value / before.value - 1, by=by, by_n=now.by_n[by.index])


@indicator(
    "cost_to_serve_ratio",
    requires={"orders": ("amount", "channel"), "costs": ("channel", "service_cost")},
    dimension="channel",
)
def cost_to_serve_ratio(data: ClientData) -> Measurement | None:
    """Measure service cost as a share of revenue, by channel.

    ``detail`` has one row per channel with revenue: channel, revenue, service_cost, orders,
    order_share (of all orders), cost_to_serve (cost / revenue), cost_per_order.
    """
    o = usable(data, "orders", "amount", "channel")
    c = usable(data, "costs", "channel", "service_cost")
    if o.empty or c.empty or o["amount"].sum() == 0:
        return None
    revenue = o.groupby("channel", sort=True)["amount"].agg(["sum", "size"])
    revenue = revenue[revenue["sum"] != 0]
    cost = c.groupby("channel")["service_cost"].sum().reindex(revenue.index, fill_value=0.0)
    detail = pd.DataFrame(
        {
            "channel": revenue.index,
            "revenue": revenue["sum"].to_numpy(),
            "service_cost": cost.to_numpy(),
            "orders": revenue["size"].astype(int).to_numpy(),
            "order_share": (revenue["size"] / len(o)).to_numpy(),
            "cost_to_serve": (cost / revenue["sum"]).to_numpy(),
            "cost_per_order": (cost / revenue["size"]).to_numpy(),
        }
    )
    return Measurement(
        float(c["service_cost"].sum() / o["amount"].sum()),
        len(o),
        cost / revenue["sum"],
        revenue["size"].astype(int),
        detail,
    )


def _own_quality(data: ClientData) -> float | None:
    """Return the client's quality score (0–10): client.yaml, else mean survey CSAT mapped."""
    if data.config.own_quality_score is not None:
        return data.config.own_quality_score
    csat = usable(data, "survey", "csat")["csat"]
    return None if csat.empty else float((csat.mean() - 1) / 4 * 10)


@indicator(
    "price_quality_position", requires={}, dimension="competitor", needs_config=("competitors",)
)
def price_quality_position(data: ClientData) -> Measurement | None:
    """Measure the client's value for money against the competitors' mean.

    Value for money is quality score per 100 of price index (the client's price index is
    100, so its value for money is its quality score). ``detail`` holds the price/quality
    map: name, price_index, quality_score, value_for_money, is_client. ``by`` holds the
    client's position against each competitor (client value for money / theirs).
    """
    quality = _own_quality(data)
    if quality is None:
        return None
    rivals = pd.DataFrame([c.model_dump() for c in data.config.competitors])
    client = pd.DataFrame(
        {"name": [data.config.name], "price_index": [100.0], "quality_score": [quality]}
    )
    detail = pd.concat(
        [client.assign(is_client=True), rivals.assign(is_client=False)], ignore_index=True
    )
    detail["value_for_money"] = detail["quality_score"] / detail["price_index"] * 100
    rival_vfm = detail.loc[~detail["is_client"]].set_index("name")["value_for_money"]
    if rival_vfm.mean() == 0:
        return None
    # the breakdown is the client's position against each competitor, so the weakest member
    # is the competitor that offers the most value for money relative to the client
    per_rival = (quality / rival_vfm).rename_axis("competitor").groupby(level=0, sort=True)
    detail = detail[["name", "price_index", "quality_score", "value_for_money", "is_client"]]
    return Measurement(
        float(quality / rival_vfm.mean()),
        len(rival_vfm),
        per_rival.mean(),
        per_rival.size(),
        detail,
    )
