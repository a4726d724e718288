"""Show the customer-value deep dive: the framework page plus its analyses.

``CustomerValuePage`` is an ``AnalysisPage`` (header, overview, element sections) with the
analyses the value-add plan calls for: RFM tiers, lifetime value, churn risk and tier
economics (the word-of-mouth page is ``word_of_mouth_risk``). Each analysis is a function
here (frames in, ``Html`` out, client strings escaped, every word from common.yaml) that a
page method calls with the page's data. Without the data an analysis needs, it says which
tables and columns would feed it instead of failing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from functools import cached_property

import pandas as pd

from playbook.analytics.loyalty import (
    ChurnRules,
    CLVAssumptions,
    TierThresholds,
    churn_risk,
    forward_clv,
    historical_clv,
    rfm,
    rfm_tier_economics,
    tier_economics,
)
from playbook.charts.value import (
    risk_by_tier_chart,
    tier_name,
    tier_share_chart,
    value_distribution_chart,
)
from playbook.content import label as _label
from playbook.data.model import ClientData
from playbook.data.numbering import Numbers, numbered
from playbook.indicators.value import (
    HIGH_VALUE_TIERS,
    churn_rules,
    clv_assumptions,
    rfm_thresholds,
    scored_history,
)
from playbook.pages.framework import AnalysisPage
from playbook.pages.html import Html, page_html, table_html
from playbook.pages.html import charts_html as _charts
from playbook.pages.html import esc as _e
from playbook.pages.html import needs_data_html as _needs
from playbook.pages.registry import register
from playbook.units import format_value

ORDER_COLUMNS = ("customer_id", "order_time", "amount")
#: The columns of the ``rfm`` frame the page reads (the band table and its tier economics).
BAND_COLUMNS = ("customer_id", "frequency", "monetary", "tier")


def _orders(data: ClientData) -> pd.DataFrame:
    """Return the orders usable for customer analyses (rows with customer, time and amount)."""
    o = data.orders
    if any(c not in o.columns for c in ORDER_COLUMNS):
        return o.iloc[0:0]
    return o.dropna(subset=list(ORDER_COLUMNS))


def _pct(value: float, lang: str) -> str:
    return format_value(value, "pct", lang)


def _money(value: float, lang: str, currency: str) -> str:
    return format_value(value, "currency", lang, currency)


def _basis(
    o: pd.DataFrame, lang: str, key: str = "analysis_period_note", customers: int | None = None
) -> str:
    """Say how many orders and customers an analysis reads (``customers``: when counted)."""
    if customers is None:
        customers = o["customer_id"].nunique()
    text = _label(key, lang).format(orders=f"{len(o):,}", customers=f"{customers:,}")
    return f'<p class="pb-meta">{_e(text)}</p>'


def _index(value: float) -> str:
    """Format a value index (revenue share / customer share); "—" when there is no revenue."""
    return "—" if pd.isna(value) else f"{value:.2f}"


def _no_amounts(orders: pd.DataFrame) -> bool:
    """Tell whether the orders carry no amount at all (every amount zero or missing)."""
    return not (orders["amount"].fillna(0) != 0).any()


def _amounts_note(lang: str) -> str:
    return f'<p class="pb-meta">{_e(_label("value_needs_amounts", lang))}</p>'


# --- customer value ------------------------------------------------------------------------


def _rule_text(tier: str, t: TierThresholds, lang: str) -> str:
    values = {**asdict(t), "max": 3 * t.bins}
    return _label(f"rfm_rule_{tier}", lang).format(**values)


def rfm_tiers_html(
    orders: pd.DataFrame,
    thresholds: TierThresholds,
    lang: str,
    currency: str,
    as_of: pd.Timestamp | None = None,
    scored: pd.DataFrame | None = None,
) -> Html:
    """Return the RFM band table (rule, customers, revenue, value index) and the share chart.

    Args:
        orders: every order up to the end of the analysis period (each customer's whole
            history), with customer_id, order_time, amount.
        thresholds: the band rules (from the content).
        lang: "zh" or "en".
        currency: the client's currency code.
        as_of: the end of the analysis period, recency is measured to it (default: the last
            order).
        scored: the ``rfm`` frame of ``orders`` (as_of and thresholds as given; at least
            ``BAND_COLUMNS``), when already scored; scored here otherwise.
    """
    title = f"<h3>{_e(_label('rfm_tiers_detail', lang))}</h3>"
    if orders.empty:
        return page_html(title + _needs(["orders." + c for c in ORDER_COLUMNS], lang), lang)
    if scored is None:
        scored = rfm(orders, as_of=as_of, thresholds=thresholds)
    econ = rfm_tier_economics(scored)
    rows = [
        [
            _e(tier_name(r.tier, lang)),
            _e(_rule_text(r.tier, thresholds, lang)) if r.tier != "unassigned" else "—",
            f"{r.customers:,}",
            _pct(r.customer_share, lang),
            _pct(r.revenue_share, lang),
            _e(_money(r.revenue_per_customer, lang, currency)),
            _index(r.value_index),
            _pct(r.repurchase_rate, lang),
        ]
        for r in econ.itertuples()
    ]
    headers = [
        (_e(_label(k, lang)), k not in ("tier", "tier_rule"))
        for k in (
            "tier",
            "tier_rule",
            "customers",
            "customer_share",
            "revenue_share",
            "revenue_per_customer",
            "value_index",
            "repurchase_rate",
        )
    ]
    scoring = _label("rfm_scoring", lang).format(bins=thresholds.bins)
    body = [
        title,
        _basis(orders, lang, "rfm_history_note", customers=len(scored)),
        f"<p>{_e(scoring)}</p>",
        _amounts_note(lang) if _no_amounts(orders) else "",
        table_html(headers, rows),
        _charts(tier_share_chart(econ, lang)),
    ]
    return page_html("\n".join(b for b in body if b), lang)


def _assumption_rows(a: CLVAssumptions, lang: str) -> list[list[str]]:
    rows = []
    for key, value in asdict(a).items():
        shown = (
            _pct(value, lang)
            if key in ("monthly_retention", "margin_rate", "annual_discount_rate")
            else (f"{value:g}")
        )
        rows.append([_e(_label(f"assumption_{key}", lang)), shown])
    return rows


def lifetime_value_html(
    orders: pd.DataFrame,
    assumptions: CLVAssumptions,
    thresholds: TierThresholds,
    lang: str,
    currency: str,
    bands: pd.Series | None = None,
    numbers: Numbers | None = None,
) -> Html:
    """Return historical value (distribution, top-decile share) and the forward estimate.

    The forward estimate is shown with its method and every assumption, in ``lang``.
    ``bands`` maps customer_id to RFM band (``indicators.value.rfm_bands``, scored on each
    customer's history); without it the bands are scored on ``orders``. ``numbers``: the
    codes of ``orders``' customer ids, when made. Orders without amounts have no value to
    show: the block says so.
    """
    title = f"<h3>{_e(_label('clv_detail', lang))}</h3>"
    if orders.empty:
        return page_html(title + _needs(["orders." + c for c in ORDER_COLUMNS], lang), lang)
    if _no_amounts(orders):
        return page_html(title + _amounts_note(lang), lang)
    # historical value is the revenue realised (as its label says); the stated margin applies
    # to the forward estimate, whose method line says "average margin per order"
    hist = historical_clv(orders, numbers=numbers)
    fwd = forward_clv(orders, assumptions=assumptions, numbers=numbers)
    values = hist["clv_historical"]
    top_n = max(1, int(round(len(values) * 0.1)))
    top_share = values.nlargest(top_n).sum() / values.sum() if values.sum() else 0.0
    tiers = bands if bands is not None else _rfm_bands(orders, thresholds)
    high = fwd.customers["customer_id"].map(tiers).isin(HIGH_VALUE_TIERS)
    high_share = fwd.customers.loc[high, "clv_forward"].sum() / fwd.total if fwd.total else 0.0
    months = assumptions.horizon_months
    summary = [
        [_e(_label("clv_mean", lang)), _e(_money(values.mean(), lang, currency))],
        [_e(_label("clv_median", lang)), _e(_money(values.median(), lang, currency))],
        [_e(_label("clv_top10_share", lang)), _pct(top_share, lang)],
        [
            _e(_label("clv_forward_total", lang).format(months=months)),
            _e(_money(fwd.total, lang, currency)),
        ],
        [
            _e(_label("clv_forward_per_customer", lang).format(months=months)),
            _e(_money(fwd.total / len(fwd.customers), lang, currency)),
        ],
        [_e(_label("clv_forward_top_tier", lang)), _pct(high_share, lang)],
    ]
    method = _label("clv_method", lang).format(
        months=months, min_days=f"{assumptions.min_observed_days:g}"
    )
    body = [
        title,
        _basis(orders, lang, customers=len(hist)),
        f"<p><strong>{_e(_label('clv_historical', lang))}</strong> · "
        f"<strong>{_e(_label('clv_forward', lang))}</strong></p>",
        table_html(
            [(_e(_label("indicator", lang)), False), (_e(_label("value", lang)), True)], summary
        ),
        _charts(value_distribution_chart(values, lang, currency)),
        f"<h3>{_e(_label('clv_method_title', lang))}</h3>",
        f"<p>{_e(method)}</p>",
        table_html(
            [(_e(_label("assumption", lang)), False), (_e(_label("value", lang)), True)],
            _assumption_rows(assumptions, lang),
        ),
        f'<p class="pb-meta">{_e(_label("clv_caveat", lang))}</p>',
    ]
    return page_html("\n".join(body), lang)


def _rfm_bands(orders: pd.DataFrame, thresholds: TierThresholds) -> pd.Series:
    """Return each customer's RFM band scored on ``orders`` (customer_id -> band)."""
    return rfm(orders, thresholds=thresholds).set_index("customer_id")["tier"]


def _tiers_for(
    orders: pd.DataFrame,
    customers: pd.DataFrame | None,
    thresholds: TierThresholds,
    bands: pd.Series | None = None,
) -> tuple[pd.DataFrame, str]:
    """Return (customer_id, tier) — the client's tiers when supplied, else RFM — and its source.

    The RFM bands are ``bands`` when given (scored on each customer's history), else scored
    on ``orders``.
    """
    if customers is not None and {"customer_id", "tier"} <= set(customers.columns):
        known = customers.dropna(subset=["customer_id", "tier"])
        if not known.empty:
            return known[["customer_id", "tier"]].drop_duplicates("customer_id"), "client"
    scored = bands if bands is not None else _rfm_bands(orders, thresholds)
    return scored.rename("tier").rename_axis("customer_id").reset_index(), "rfm"


def churn_risk_html(
    orders: pd.DataFrame,
    customers: pd.DataFrame | None,
    rules: ChurnRules,
    thresholds: TierThresholds,
    lang: str,
    currency: str,
    bands: pd.Series | None = None,
    numbers: Numbers | None = None,
) -> Html:
    """Return the churn headline, the table by risk level and customers/revenue at risk by tier.

    Tiers are the client's own (``customers.tier``) when supplied, else the RFM bands
    (``bands`` when given, see ``_tiers_for``). ``numbers``: the codes of ``orders``'
    customer ids, when made.
    """
    title = f"<h3>{_e(_label('churn_detail', lang))}</h3>"
    if orders.empty:
        return page_html(title + _needs(["orders." + c for c in ORDER_COLUMNS], lang), lang)
    risk = churn_risk(orders, rules=rules, numbers=numbers)
    if (risk.customers["risk"] == "unknown").all():
        return page_html(title + _needs(["orders.repeat_history"], lang), lang)
    headline = _label("churn_headline", lang).format(
        customers=f"{risk.customers_at_risk:,}",
        customer_share=_pct(risk.customer_share_at_risk, lang),
        ratio=f"{rules.high_ratio:g}",
        revenue=_money(risk.revenue_at_risk, lang, currency),
        revenue_share=_pct(risk.revenue_share_at_risk, lang),
    )
    rule = _label("churn_rule", lang).format(
        high=f"{rules.high_ratio:g}", medium=f"{rules.medium_ratio:g}"
    )
    levels = [
        [
            _e(_label(f"risk_{r.risk}", lang)),
            f"{r.customers:,}",
            _pct(r.customer_share, lang),
            _e(_money(r.revenue, lang, currency)),
            _pct(r.revenue_share, lang),
        ]
        for r in risk.summary.itertuples()
    ]
    level_headers = [
        (_e(_label(k, lang)), k != "risk_level")
        for k in ("risk_level", "customers", "customer_share", "revenue", "revenue_share")
    ]
    tiers, source = _tiers_for(orders, customers, thresholds, bands)
    c = risk.customers.merge(tiers, on="customer_id", how="left")
    c["tier"] = c["tier"].astype(str).fillna("unassigned")
    c["high"] = c["risk"] == "high"
    c["high_revenue"] = c["revenue"].where(c["high"], 0.0)
    by_tier = c.groupby("tier", sort=False).agg(
        customers=("customer_id", "size"),
        customers_at_risk=("high", "sum"),
        revenue=("revenue", "sum"),
        revenue_at_risk=("high_revenue", "sum"),
    )
    by_tier["at_risk_customer_share"] = by_tier["customers_at_risk"] / by_tier["customers"]
    by_tier["at_risk_revenue_share"] = by_tier["revenue_at_risk"] / by_tier["revenue"].where(
        by_tier["revenue"] > 0
    )
    by_tier = by_tier.sort_values("revenue", ascending=False).reset_index()
    rfm_names = source == "rfm"
    tier_rows = [
        [
            _e(tier_name(r.tier, lang, rfm_names)),
            f"{int(r.customers_at_risk):,}",
            _pct(r.at_risk_customer_share, lang),
            _e(_money(r.revenue_at_risk, lang, currency)),
            _pct(r.at_risk_revenue_share, lang),
        ]
        for r in by_tier.itertuples()
    ]
    tier_headers = [
        (_e(_label(k, lang)), k != "tier")
        for k in (
            "tier",
            "customers_at_risk",
            "at_risk_customer_share",
            "revenue_at_risk",
            "at_risk_revenue_share",
        )
    ]
    body = [
        title,
        _basis(orders, lang, customers=len(risk.customers)),
        f"<p><strong>{_e(headline)}</strong></p>",
        f'<p class="pb-meta">{_e(rule)}</p>',
        table_html(level_headers, levels),
        f"<h3>{_e(_label('at_risk_by_tier', lang))}</h3>",
        f'<p class="pb-meta">{_e(_label(f"tier_source_{source}", lang))}</p>',
        table_html(tier_headers, tier_rows),
        _charts(risk_by_tier_chart(by_tier, lang, rfm_names)),
    ]
    return page_html("\n".join(body), lang)


def tier_economics_html(
    orders: pd.DataFrame,
    customers: pd.DataFrame | None,
    tier_order: Sequence[str],
    thresholds: TierThresholds,
    lang: str,
    currency: str,
    bands: pd.Series | None = None,
    numbers: Numbers | None = None,
) -> Html:
    """Return each tier's customers, revenue, value index and repurchase, with the share chart.

    Uses the client's own tiers (``customers.tier``, ordered as client.yaml lists them) when
    supplied; otherwise the RFM bands (``bands`` when given), and says so. ``numbers``: the
    codes of ``orders``' customer ids, when made.
    """
    title = f"<h3>{_e(_label('tier_economics_detail', lang))}</h3>"
    if orders.empty:
        return page_html(title + _needs(["orders." + c for c in ORDER_COLUMNS], lang), lang)
    tiers, source = _tiers_for(orders, customers, thresholds, bands)
    order = tuple(tier_order) if source == "client" and tier_order else None
    econ = tier_economics(orders, tiers, order=order, numbers=numbers)
    rfm_names = source == "rfm"
    rows = [
        [
            _e(tier_name(r.tier, lang, rfm_names)),
            f"{r.customers:,}",
            _pct(r.customer_share, lang),
            _e(_money(r.revenue, lang, currency)),
            _pct(r.revenue_share, lang),
            _e(_money(r.revenue_per_customer, lang, currency)),
            _index(r.value_index),
            _pct(r.repurchase_rate, lang),
        ]
        for r in econ.itertuples()
    ]
    headers = [
        (_e(_label(k, lang)), k != "tier")
        for k in (
            "tier",
            "customers",
            "customer_share",
            "revenue",
            "revenue_share",
            "revenue_per_customer",
            "value_index",
            "repurchase_rate",
        )
    ]
    body = [title, f'<p class="pb-meta">{_e(_label(f"tier_source_{source}", lang))}</p>']
    if source == "rfm":
        body.append(_needs(["customers.tier"], lang))
    if _no_amounts(orders):
        body.append(_amounts_note(lang))
    body += [table_html(headers, rows), _charts(tier_share_chart(econ, lang, rfm_names))]
    return page_html("\n".join(body), lang)


# --- the page ------------------------------------------------------------------------------


@register("customer_value")
@dataclass(frozen=True)
class CustomerValuePage(AnalysisPage):
    """The customer value and loyalty page: RFM, lifetime value, churn risk, tier economics."""

    # At millions of orders each scoring of the bands and each numbering of the customer ids
    # takes seconds: the page scores the history once and numbers the period's orders once
    # (with the client's whole numbering), and every section reads them.

    @cached_property
    def _history(self) -> tuple[pd.DataFrame, pd.DataFrame] | None:
        """Return the history's usable orders and their customers' RFM bands, scored once.

        Of the bands only the columns the page reads are kept: at millions of customers the
        scores and codes take hundreds of megabytes.
        """
        scored = scored_history(self.current)
        return None if scored is None else (scored.orders, scored.bands[list(BAND_COLUMNS)])

    @cached_property
    def _period(self) -> tuple[pd.DataFrame, Numbers | None]:
        """Return the period's usable orders and their customer ids' codes."""
        orders = _orders(self.current)
        return orders, numbered(self.current, orders) if not orders.empty else None

    @cached_property
    def _bands(self) -> pd.Series | None:
        """Return each customer's RFM band, scored on their history up to the period's end."""
        history = self._history
        return None if history is None else history[1].set_index("customer_id")["tier"]

    def rfm_tiers(self) -> Html:
        """Show the RFM band table (every customer's history) and the share chart."""
        as_of = self.current.window[1] if self.current.window is not None else None
        history = self._history
        if history is None:  # no usable order: the section says what it needs
            orders = _orders(
                replace(self.current, tables={"orders": self.current.history("orders")})
            )
            return rfm_tiers_html(orders, rfm_thresholds(), self.lang, self.currency, as_of)
        orders, bands = history
        return rfm_tiers_html(orders, rfm_thresholds(), self.lang, self.currency, as_of, bands)

    def lifetime_value(self) -> Html:
        """Show historical and forward lifetime value with the method and assumptions."""
        orders, numbers = self._period
        return lifetime_value_html(
            orders,
            clv_assumptions(),
            rfm_thresholds(),
            self.lang,
            self.currency,
            self._bands,
            numbers,
        )

    def churn_risk(self) -> Html:
        """Show customers and revenue at churn risk, by risk level and by tier."""
        orders, numbers = self._period
        return churn_risk_html(
            orders,
            self.current.table("customers"),
            churn_rules(),
            rfm_thresholds(),
            self.lang,
            self.currency,
            self._bands,
            numbers,
        )

    def tier_economics(self) -> Html:
        """Show each tier's share of customers and revenue, value index and repurchase."""
        orders, numbers = self._period
        return tier_economics_html(
            orders,
            self.current.table("customers"),
            self.current.config.tiers,
            rfm_thresholds(),
            self.lang,
            self.currency,
            self._bands,
            numbers,
        )
