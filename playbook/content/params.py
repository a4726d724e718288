"""Typed element parameters: the numbers an analysis reads from content, checked at load.

An element's ``params`` hold one section per analysis that reads them, e.g.::

    params:
      rfm: {bins: 5, platinum_min: 13, gold_min: 10, at_risk_max_recency: 2, at_risk_min_fm: 6}

Each section is a model with typed, bounded fields and its own consistency rules, so a wrong
parameter (a fraction where a whole number is needed, a key that does not exist, an
inconsistent pair) fails when the content loads — ``python -m playbook.content`` names the
file and the key — not inside a notebook's kernel.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RfmParams(_Params):
    """RFM band rules: R, F and M are each scored 1..``bins``; the bands need these sums.

    ``at_risk_*``: a customer whose recency score is at most ``at_risk_max_recency`` while
    F + M is at least ``at_risk_min_fm`` used to be valuable and has gone quiet.
    """

    bins: int = Field(ge=2, le=10)
    platinum_min: int
    gold_min: int
    at_risk_max_recency: int = Field(ge=1)
    at_risk_min_fm: int = Field(ge=2)

    @model_validator(mode="after")
    def _consistent(self) -> RfmParams:
        top = 3 * self.bins
        if not 3 <= self.gold_min <= self.platinum_min <= top:
            raise ValueError(f"need 3 <= gold_min <= platinum_min <= {top} (3 × bins)")
        if self.at_risk_max_recency > self.bins or self.at_risk_min_fm > 2 * self.bins:
            raise ValueError("need at_risk_max_recency <= bins and at_risk_min_fm <= 2 × bins")
        return self


class ClvParams(_Params):
    """Forward customer-lifetime-value assumptions, shown on the page with the estimate.

    ``margin_rate`` (contribution after product and serving costs) and
    ``annual_discount_rate`` have no default: the content states them.
    """

    horizon_months: int = Field(ge=1, le=120)
    monthly_retention: float = Field(ge=0, le=1)
    margin_rate: float = Field(gt=0, le=1)
    annual_discount_rate: float = Field(ge=0, lt=1)
    min_observed_days: float = Field(gt=0)


class ChurnParams(_Params):
    """Thresholds on the overdue ratio (days since the last order ÷ the usual interval)."""

    high_ratio: float = Field(gt=0)
    medium_ratio: float = Field(gt=0)
    min_interval_days: float = Field(default=1.0, gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> ChurnParams:
        if self.medium_ratio > self.high_ratio:
            raise ValueError("need medium_ratio <= high_ratio")
        return self


class PackageParams(_Params):
    """Order-value quantiles anchoring the price of each package (a package left out: none)."""

    basic_quantile: float | None = Field(default=None, ge=0, le=1)
    standard_quantile: float | None = Field(default=None, ge=0, le=1)
    premium_quantile: float | None = Field(default=None, ge=0, le=1)

    @model_validator(mode="after")
    def _increasing(self) -> PackageParams:
        given = [q for _, q in self.packages()]
        if not given:
            raise ValueError("give at least one of basic_quantile, standard_quantile, …")
        if given != sorted(given) or len(set(given)) != len(given):
            raise ValueError("quantiles must increase from basic to standard to premium")
        return self

    def packages(self) -> list[tuple[str, float]]:
        """Return (package name, quantile) for each package given, cheapest first."""
        named = (
            ("basic", self.basic_quantile),
            ("standard", self.standard_quantile),
            ("premium", self.premium_quantile),
        )
        return [(name, q) for name, q in named if q is not None]


class ElementParams(_Params):
    """The parameter sections an element may carry, one per analysis that reads them."""

    rfm: RfmParams | None = None
    clv: ClvParams | None = None
    churn: ChurnParams | None = None
    packages: PackageParams | None = None
