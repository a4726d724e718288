"""Customer value and loyalty: RFM tiers, lifetime value, churn risk, tier economics.

All functions read an orders frame with ``customer_id``, ``order_time`` (datetime) and
``amount``; one row is one order. ``as_of`` is the date the analysis looks back from and
defaults to the last order time, so the most recent customer has recency 0.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray

from playbook.analytics import require_columns
from playbook.analytics.by_code import ByCode
from playbook.data.numbering import Numbers, number

ORDER_COLUMNS = ("customer_id", "order_time", "amount")

#: Tier labels in display order (best first).
TIERS = ("platinum", "gold", "silver", "at_risk")

#: Days in an average month, for per-month rates.
DAYS_PER_MONTH = 30.4375

_DAY = pd.Timedelta(days=1)


@dataclass(frozen=True)
class TierThresholds:
    """Rules mapping RFM scores to tiers; build it from content YAML with ``TierThresholds(**d)``.

    R, F and M are each scored 1..``bins`` (higher is better); the RFM score is their sum
    (3..15 with five bins). Rules are applied in this order, first match wins:

    1. ``at_risk`` — recency score <= ``at_risk_max_recency`` and F + M >= ``at_risk_min_fm``:
       customers who used to be valuable and have gone quiet (the win-back list).
    2. ``platinum`` — RFM score >= ``platinum_min`` (default 13 of 15).
    3. ``gold`` — RFM score >= ``gold_min`` (default 10 of 15).
    4. ``silver`` — everyone else: the mass tier.
    """

    bins: int = 5
    platinum_min: int = 13
    gold_min: int = 10
    at_risk_max_recency: int = 2
    at_risk_min_fm: int = 6

    def __post_init__(self) -> None:
        if self.bins < 2:
            raise ValueError(f"TierThresholds.bins must be >= 2, got {self.bins}")
        if not 3 <= self.gold_min <= self.platinum_min <= 3 * self.bins:
            raise ValueError(
                f"TierThresholds: need 3 <= gold_min <= platinum_min <= {3 * self.bins}, "
                f"got gold_min={self.gold_min}, platinum_min={self.platinum_min}"
            )


@dataclass(frozen=True)
class CLVAssumptions:
    """Assumptions of the forward CLV estimate (returned with it, for the report).

    Attributes:
        horizon_months: How far ahead the estimate looks.
        monthly_retention: Probability a customer still buys next month, given this month.
        margin_rate: Gross margin as a share of order value (1.0 = revenue, not profit).
        annual_discount_rate: Discount rate for future money (0 = undiscounted).
        min_observed_days: Floor on a customer's observed window, so a brand-new customer's
            order rate is not inflated by a tiny denominator.
    """

    horizon_months: int = 12
    monthly_retention: float = 0.85
    margin_rate: float = 1.0
    annual_discount_rate: float = 0.0
    min_observed_days: float = 30.0

    def __post_init__(self) -> None:
        if self.horizon_months < 1:
            raise ValueError("CLVAssumptions.horizon_months must be >= 1")
        if not 0 <= self.monthly_retention <= 1:
            raise ValueError("CLVAssumptions.monthly_retention must be within [0, 1]")
        if self.margin_rate < 0 or self.annual_discount_rate < 0 or self.min_observed_days <= 0:
            raise ValueError("CLVAssumptions: margin, discount rate must be >= 0, window > 0")


CLV_METHOD = (
    "Forward CLV = average margin per order x expected orders over the horizon. Expected "
    "orders = the customer's own monthly order rate (orders / months since first order, "
    "at least min_observed_days) x sum over months m = 1..H of (r / (1 + d))^m, where r is "
    "the monthly retention and d the monthly discount rate: the customer keeps buying at "
    "their own pace for as long as they are retained."
)


@dataclass(frozen=True)
class ForwardCLV:
    """A forward CLV estimate per customer with the method and assumptions behind it."""

    customers: pd.DataFrame
    assumptions: CLVAssumptions
    method: str
    total: float

    def assumptions_table(self) -> pd.DataFrame:
        """Return the assumptions as a two-column frame (assumption, value) for reports."""
        return pd.DataFrame(list(asdict(self.assumptions).items()), columns=["assumption", "value"])


@dataclass(frozen=True)
class ChurnRules:
    """Thresholds on the overdue ratio (recency / the customer's usual inter-order interval).

    A customer is ``high`` risk when the overdue ratio >= ``high_ratio``, ``medium`` when
    >= ``medium_ratio``, ``low`` otherwise. Intervals are floored at ``min_interval_days``.
    """

    high_ratio: float = 2.0
    medium_ratio: float = 1.5
    min_interval_days: float = 1.0

    def __post_init__(self) -> None:
        if not 0 < self.medium_ratio <= self.high_ratio:
            raise ValueError("ChurnRules: need 0 < medium_ratio <= high_ratio")


@dataclass(frozen=True)
class ChurnRisk:
    """Churn risk per customer, the summary by risk level and the headline at-risk numbers.

    "At risk" means risk level ``high``; revenue at risk is those customers' revenue in the
    analysed orders (what stops if they do not come back).
    """

    customers: pd.DataFrame
    summary: pd.DataFrame
    customers_at_risk: int
    revenue_at_risk: float
    customer_share_at_risk: float
    revenue_share_at_risk: float


def _as_of(orders: pd.DataFrame, as_of: pd.Timestamp | str | None) -> pd.Timestamp:
    return orders["order_time"].max() if as_of is None else pd.Timestamp(as_of)


def customer_summary(
    orders: pd.DataFrame, as_of: pd.Timestamp | str | None = None, numbers: Numbers | None = None
) -> pd.DataFrame:
    """Summarise orders per customer: first/last order, orders, revenue, recency in days.

    Args:
        orders: Orders with customer_id, order_time, amount.
        as_of: Reference time for recency (default: the last order time).
        numbers: The customer ids' codes (``data.numbering.numbered``); numbered here when
            omitted.

    Returns:
        One row per customer_id (sorted): first_order, last_order, orders, revenue,
        recency_days (float days from last order to ``as_of``).
    """
    require_columns(orders, ORDER_COLUMNS, "orders")
    ref = _as_of(orders, as_of)
    # grouped by integer codes (customers numbered in id order): grouping millions of rows
    # by the id text directly numbers them again for every aggregate
    groups = ByCode(numbers or number(orders["customer_id"]))
    times = orders["order_time"]
    found = groups.extremes(times)
    if found is None:  # times numpy does not hold (with a time zone): grouped by pandas
        grouped = times[groups.known].groupby(groups.codes, sort=True)
        found = grouped.min().array, grouped.max().array
    s = pd.DataFrame(
        {
            "first_order": pd.array(found[0], dtype=times.dtype),
            "last_order": pd.array(found[1], dtype=times.dtype),
            "orders": groups.counts(),
            "revenue": groups.sums(orders["amount"]),
        },
        index=groups.index(),
    )
    s["recency_days"] = (ref - s["last_order"]) / _DAY
    return s.reset_index()


def _labelled(conditions: list, labels: list[str], default: str) -> ExtensionArray:
    """Return ``np.select(conditions, labels, default)`` as text (the ``str`` dtype).

    Each row takes the label of its first true condition. The few labels are made text
    once and taken per row: a column of millions of numpy strings would be converted to
    text one by one.
    """
    choice = np.select(conditions, np.arange(len(labels)), default=len(labels))
    return pd.array([*labels, default], dtype="str").take(choice)


def _score(values: pd.Series, bins: int) -> pd.Series:
    """Score 1..bins by mid-rank: 1 + floor(bins * (average rank - 0.5) / n)."""
    mid_rank = values.rank(method="average")
    score = 1 + np.floor(bins * (mid_rank - 0.5) / len(values))
    return score.clip(1, bins).astype(int)


def rfm(
    orders: pd.DataFrame,
    as_of: pd.Timestamp | str | None = None,
    thresholds: TierThresholds | None = None,
    numbers: Numbers | None = None,
) -> pd.DataFrame:
    """Score customers on recency, frequency and monetary value and assign tiers.

    Each of R, F, M is scored 1..bins by rank among the customers (more recent, more
    orders, more spend = higher): score = 1 + floor(bins x (mid-rank - 0.5) / n), where tied
    values share their average rank. With n = bins distinct values the scores are 1..bins.

    Args:
        orders: Orders with customer_id, order_time, amount.
        as_of: Reference time for recency (default: the last order time).
        thresholds: Tier rules (default ``TierThresholds()``).
        numbers: The customer ids' codes (see ``customer_summary``).

    Returns:
        One row per customer: customer_id, recency_days, frequency, monetary, r_score,
        f_score, m_score, rfm_score (sum), rfm_code (e.g. "545"), tier.
    """
    t = thresholds or TierThresholds()
    s = customer_summary(orders, as_of, numbers)
    out = pd.DataFrame(
        {
            "customer_id": s["customer_id"],
            "recency_days": s["recency_days"],
            "frequency": s["orders"],
            "monetary": s["revenue"],
        }
    )
    out["r_score"] = _score(-out["recency_days"], t.bins)
    out["f_score"] = _score(out["frequency"], t.bins)
    out["m_score"] = _score(out["monetary"], t.bins)
    out["rfm_score"] = out["r_score"] + out["f_score"] + out["m_score"]
    if t.bins <= 9:  # one digit per score: the code is the number they spell (faster)
        code = out["r_score"] * 100 + out["f_score"] * 10 + out["m_score"]
        out["rfm_code"] = code.astype(str)
    else:
        out["rfm_code"] = (
            out["r_score"].astype(str) + out["f_score"].astype(str) + out["m_score"].astype(str)
        )
    at_risk = (out["r_score"] <= t.at_risk_max_recency) & (
        out["f_score"] + out["m_score"] >= t.at_risk_min_fm
    )
    out["tier"] = _labelled(
        [at_risk, out["rfm_score"] >= t.platinum_min, out["rfm_score"] >= t.gold_min],
        ["at_risk", "platinum", "gold"],
        default="silver",
    )
    return out


def historical_clv(
    orders: pd.DataFrame, margin_rate: float = 1.0, numbers: Numbers | None = None
) -> pd.DataFrame:
    """Compute each customer's realised value so far.

    Args:
        orders: Orders with customer_id, order_time, amount.
        margin_rate: Gross margin as a share of order value (1.0 = revenue).
        numbers: The customer ids' codes (see ``customer_summary``).

    Returns:
        One row per customer: customer_id, first_order, last_order, orders, revenue,
        avg_order_value, tenure_days (first to last order), clv_historical
        (revenue x margin_rate). Sorted by clv_historical, highest first.
    """
    if margin_rate < 0:
        raise ValueError(f"margin_rate must be >= 0, got {margin_rate}")
    s = customer_summary(orders, numbers=numbers).drop(columns="recency_days")
    s["avg_order_value"] = s["revenue"] / s["orders"]
    s["tenure_days"] = (s["last_order"] - s["first_order"]) / _DAY
    s["clv_historical"] = s["revenue"] * margin_rate
    return s.sort_values("clv_historical", ascending=False, kind="stable").reset_index(drop=True)


def forward_clv(
    orders: pd.DataFrame,
    as_of: pd.Timestamp | str | None = None,
    assumptions: CLVAssumptions | None = None,
    numbers: Numbers | None = None,
) -> ForwardCLV:
    """Estimate each customer's value over the coming horizon (method in ``CLV_METHOD``).

    Args:
        orders: Orders with customer_id, order_time, amount.
        as_of: End of the observed window (default: the last order time).
        assumptions: Horizon, retention, margin, discount (default ``CLVAssumptions()``).
        numbers: The customer ids' codes (see ``customer_summary``).

    Returns:
        ``ForwardCLV`` whose ``customers`` frame has customer_id, orders,
        avg_margin_per_order, orders_per_month, expected_orders, clv_forward (sorted highest
        first); ``total`` is the sum of clv_forward.
    """
    a = assumptions or CLVAssumptions()
    require_columns(orders, ORDER_COLUMNS, "orders")
    ref = _as_of(orders, as_of)
    s = customer_summary(orders, ref, numbers)
    observed_days = ((ref - s["first_order"]) / _DAY).clip(lower=a.min_observed_days)
    rate = s["orders"] / (observed_days / DAYS_PER_MONTH)
    monthly_discount = (1 + a.annual_discount_rate) ** (1 / 12) - 1
    q = a.monthly_retention / (1 + monthly_discount)
    months = np.arange(1, a.horizon_months + 1)
    survival_sum = float(np.sum(q**months))
    out = pd.DataFrame(
        {
            "customer_id": s["customer_id"],
            "orders": s["orders"],
            "avg_margin_per_order": s["revenue"] / s["orders"] * a.margin_rate,
            "orders_per_month": rate,
            "expected_orders": rate * survival_sum,
        }
    )
    out["clv_forward"] = out["avg_margin_per_order"] * out["expected_orders"]
    out = out.sort_values("clv_forward", ascending=False, kind="stable").reset_index(drop=True)
    return ForwardCLV(out, a, CLV_METHOD, float(out["clv_forward"].sum()))


def churn_risk(
    orders: pd.DataFrame,
    as_of: pd.Timestamp | str | None = None,
    rules: ChurnRules | None = None,
    numbers: Numbers | None = None,
) -> ChurnRisk:
    """Flag customers who are overdue against their own buying rhythm.

    A repeat customer's usual interval is (last - first order) / (orders - 1); a one-order
    customer has no rhythm of their own and is measured against the median interval of the
    repeat customers (``interval_basis`` says which). The overdue ratio is recency / interval;
    ``p_silence`` = exp(-ratio) is the chance that a customer still buying at that pace (as a
    Poisson process) would have gone this long without an order.

    Args:
        orders: Orders with customer_id, order_time, amount.
        as_of: Reference time for recency (default: the last order time).
        rules: Risk thresholds (default ``ChurnRules()``).
        numbers: The customer ids' codes (see ``customer_summary``).

    Returns:
        ``ChurnRisk``: ``customers`` (customer_id, orders, revenue, recency_days,
        interval_days, interval_basis, overdue_ratio, p_silence, risk in high/medium/low/
        unknown), ``summary`` by risk level (customers, customer_share, revenue,
        revenue_share) and the high-risk headline numbers.
    """
    r = rules or ChurnRules()
    s = customer_summary(orders, as_of, numbers)
    repeat = s["orders"] >= 2
    own = (s["last_order"] - s["first_order"]) / _DAY / (s["orders"] - 1).where(repeat)
    population = float(own.median()) if repeat.any() else np.nan
    interval = own.fillna(population).clip(lower=r.min_interval_days)
    ratio = s["recency_days"] / interval
    risk = _labelled(
        [ratio.isna(), ratio >= r.high_ratio, ratio >= r.medium_ratio],
        ["unknown", "high", "medium"],
        default="low",
    )
    customers = pd.DataFrame(
        {
            "customer_id": s["customer_id"],
            "orders": s["orders"],
            "revenue": s["revenue"],
            "recency_days": s["recency_days"],
            "interval_days": interval,
            "interval_basis": _labelled([repeat], ["own"], default="population"),
            "overdue_ratio": ratio,
            "p_silence": np.exp(-ratio),
            "risk": risk,
        }
    )
    levels = ["high", "medium", "low", "unknown"]
    summary = customers.groupby("risk").agg(
        customers=("customer_id", "size"), revenue=("revenue", "sum")
    )
    summary = summary.reindex(levels, fill_value=0)
    summary = summary.loc[(summary["customers"] > 0) | (summary.index != "unknown")]
    summary["customer_share"] = summary["customers"] / len(customers)
    total_revenue = float(customers["revenue"].sum())
    summary["revenue_share"] = summary["revenue"] / total_revenue if total_revenue else np.nan
    summary = summary[["customers", "customer_share", "revenue", "revenue_share"]]
    high = summary.loc["high"]
    return ChurnRisk(
        customers=customers,
        summary=summary.rename_axis("risk").reset_index(),
        customers_at_risk=int(high["customers"]),
        revenue_at_risk=float(high["revenue"]),
        customer_share_at_risk=float(high["customer_share"]),
        revenue_share_at_risk=float(high["revenue_share"]),
    )


def tier_economics(
    orders: pd.DataFrame,
    tiers: pd.DataFrame,
    tier_column: str = "tier",
    order: tuple[str, ...] | None = None,
    numbers: Numbers | None = None,
) -> pd.DataFrame:
    """Compare tiers: share of customers vs share of revenue, and repurchase.

    Args:
        orders: Orders with customer_id, order_time, amount.
        tiers: A frame with customer_id and the tier column (the customers table, or the
            output of ``rfm``). Customers with orders but no tier are "unassigned".
        tier_column: Name of the tier column in ``tiers``.
        order: Tier display order (default: ``TIERS`` when the labels are RFM tiers,
            otherwise by revenue per customer, highest first).
        numbers: The customer ids' codes (see ``customer_summary``).

    Returns:
        One row per tier: tier, customers, customer_share, orders, revenue, revenue_share,
        revenue_per_customer, value_index (revenue_share / customer_share), repeat_customers,
        repurchase_rate (share of the tier's customers with >= 2 orders).
    """
    require_columns(tiers, ("customer_id", tier_column), "tiers")
    s = customer_summary(orders, numbers=numbers)
    lookup = tiers.drop_duplicates("customer_id").set_index("customer_id")[tier_column]
    tier = s["customer_id"].map(lookup)  # categorical when the tiers are (a client's own)
    s["tier"] = tier.astype(object).where(tier.notna(), "unassigned").astype(str)
    return _economics(s, order)


def rfm_tier_economics(scored: pd.DataFrame) -> pd.DataFrame:
    """Compare the RFM bands as ``tier_economics`` does, from the ``rfm`` frame alone.

    Its customers' frequency and monetary value are the orders and revenue that
    ``tier_economics`` would sum again from the orders it was scored on; every customer has
    a band, so none is "unassigned".
    """
    require_columns(scored, ("customer_id", "frequency", "monetary", "tier"), "rfm")
    s = pd.DataFrame(
        {
            "customer_id": scored["customer_id"],
            "orders": scored["frequency"],
            "revenue": scored["monetary"],
            "tier": scored["tier"],
        }
    )
    return _economics(s, None)


def _economics(s: pd.DataFrame, order: tuple[str, ...] | None) -> pd.DataFrame:
    """Return ``tier_economics`` from one row per customer: customer_id, orders, revenue, tier."""
    s = s.assign(repeat=s["orders"] >= 2)
    out = s.groupby("tier").agg(
        customers=("customer_id", "size"),
        orders=("orders", "sum"),
        revenue=("revenue", "sum"),
        repeat_customers=("repeat", "sum"),
    )
    out["customer_share"] = out["customers"] / out["customers"].sum()
    out["revenue_share"] = out["revenue"] / out["revenue"].sum()
    out["revenue_per_customer"] = out["revenue"] / out["customers"]
    out["value_index"] = out["revenue_share"] / out["customer_share"]
    out["repurchase_rate"] = out["repeat_customers"] / out["customers"]
    if order is None and set(out.index) <= set(TIERS) | {"unassigned"}:
        order = TIERS + ("unassigned",)
    if order is not None:
        known = [t for t in order if t in out.index]
        out = out.loc[known + [t for t in out.index if t not in known]]
    else:
        out = out.sort_values("revenue_per_customer", ascending=False)
    cols = [
        "customers",
        "customer_share",
        "orders",
        "revenue",
        "revenue_share",
        "revenue_per_customer",
        "value_index",
        "repeat_customers",
        "repurchase_rate",
    ]
    return out[cols].rename_axis("tier").reset_index()
