"""The client data contract: ``client.yaml`` and the tables a client folder may hold.

This module only *describes* the data (typed column specs and the client model); reading
and validating files lives in ``tables.py`` and ``validation.py``. Everything that
produces or consumes client data (the demo generator, validation, indicators) reads its
column names from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

ColumnKind = Literal[
    "id",
    "text",
    "datetime",
    "number",
    "bool",
    "channel",
    "stage",
    "tier",
    "scene",
    "touchpoint",
    "segment",
]


@dataclass(frozen=True)
class Column:
    """A column of a client table.

    ``kind`` says how it is checked: ``datetime`` must parse; ``number`` must be numeric and
    within ``[min, max]``; ``bool`` is 0/1/true/false; ``channel``/``stage``/``tier``/``scene``/
    ``touchpoint``/``segment`` must be declared in ``client.yaml``; ``id`` must be non-empty
    (and unique when ``unique``).
    """

    name: str
    kind: ColumnKind
    required: bool = False
    min: float | None = None
    max: float | None = None
    unique: bool = False


@dataclass(frozen=True)
class TableSpec:
    """A client table: its columns, and the column that dates each row (for periods).

    ``prorated`` names amount columns of a table whose rows cover a span of time (e.g. a
    month of costs): ``time_column`` is then the start of that span, and an analysis period
    that covers part of it takes the same part of those amounts, by days.
    """

    name: str
    columns: tuple[Column, ...]
    time_column: str | None
    required: bool = False
    prefix_columns: tuple[Column, ...] = field(default=())
    prorated: tuple[str, ...] = field(default=())

    def column(self, name: str) -> Column | None:
        """Return the spec of a column by name, including prefixed families."""
        for c in self.columns:
            if c.name == name:
                return c
        for c in self.prefix_columns:
            if name.startswith(c.name):
                return Column(name, c.kind, False, c.min, c.max)
        return None


ORDERS = TableSpec(
    "orders",
    (
        Column("order_id", "id", required=True, unique=True),
        Column("customer_id", "id", required=True),
        Column("order_time", "datetime", required=True),
        Column("channel", "channel", required=True),
        Column("amount", "number", required=True, min=0),
        Column("category", "text"),
        Column("scene", "scene"),
        Column("is_premium", "bool"),
        Column("discount", "number", min=0),
        Column("promised_minutes", "number", min=0),
        Column("actual_minutes", "number", min=0),
        Column("payment", "text"),
        Column("list_price", "number", min=0),
        Column("quantity", "number", min=0),
    ),
    time_column="order_time",
    required=True,
)

CUSTOMERS = TableSpec(
    "customers",
    (
        Column("customer_id", "id", required=True, unique=True),
        Column("signup_date", "datetime", required=True),
        Column("tier", "tier", required=True),
        Column("segment", "segment"),
        Column("age", "number", min=0, max=120),
        Column("gender", "text"),
        Column("city", "text"),
        Column("is_member", "bool"),
    ),
    time_column=None,
)

JOURNEY = TableSpec(
    "journey",
    (
        Column("customer_id", "id", required=True),
        Column("event_time", "datetime", required=True),
        Column("stage", "stage", required=True),
        Column("touchpoint", "touchpoint", required=True),
        Column("channel", "channel", required=True),
        Column("session_id", "text"),
        Column("order_id", "text"),
        Column("tracked", "bool"),
    ),
    time_column="event_time",
)

SURVEY = TableSpec(
    "survey",
    (
        Column("response_id", "id", required=True, unique=True),
        Column("response_time", "datetime", required=True),
        Column("customer_id", "text"),
        Column("touchpoint", "touchpoint"),
        Column("stage", "stage"),
        Column("channel", "channel"),
        Column("nps", "number", min=0, max=10),
        Column("csat", "number", min=1, max=5),
        Column("too_cheap", "number", min=0),
        Column("cheap", "number", min=0),
        Column("expensive", "number", min=0),
        Column("too_expensive", "number", min=0),
        Column("comment", "text"),
    ),
    time_column="response_time",
    prefix_columns=(
        Column("expectation_", "number", min=1, max=7),
        Column("perception_", "number", min=1, max=7),
    ),
)

COSTS = TableSpec(
    "costs",
    (
        Column("period", "datetime", required=True),
        Column("channel", "channel", required=True),
        Column("service_cost", "number", required=True, min=0),
    ),
    time_column="period",
    prorated=("service_cost",),
)

EXPERIMENTS = TableSpec(
    "experiments",
    (
        Column("experiment_id", "id", required=True),
        Column("variant", "text", required=True),
        Column("customer_id", "text"),
        Column("converted", "bool", required=True),
        Column("assigned_time", "datetime"),
    ),
    time_column="assigned_time",
)

#: Every table a client folder may hold, by name (the file stem).
TABLES: dict[str, TableSpec] = {
    t.name: t for t in (ORDERS, CUSTOMERS, JOURNEY, SURVEY, COSTS, EXPERIMENTS)
}

#: SERVQUAL dimensions used for the expectation_*/perception_* survey columns.
SERVQUAL = ("reliability", "responsiveness", "assurance", "empathy", "tangibles")

#: File endings read for a table, in order of preference.
TABLE_SUFFIXES = (".parquet", ".xlsx", ".csv")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Promise(_Strict):
    """A service promise, e.g. delivery within 30 minutes on the delivery channel."""

    text: str
    metric: Literal["minutes"] = "minutes"
    value: float = Field(gt=0)
    channels: list[str] = Field(default_factory=list)


class Competitor(_Strict):
    """A competitor's position: price index (client = 100) and quality score (0–10)."""

    name: str
    price_index: float = Field(gt=0)
    quality_score: float = Field(ge=0, le=10)


class Benchmark(_Strict):
    """A client-specific target and floor for one indicator, replacing the content's."""

    target: float
    floor: float


#: A reason or other short text a strategist writes in a client file (non-empty, bounded).
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class ReportScope(_Strict):
    """``report:`` in ``client.yaml``: which frameworks and elements this engagement covers.

    ``frameworks`` lists the framework ids in scope (None: every framework); pages keep
    their usual reading order whatever the order written here. ``exclude_elements`` maps a
    framework id to ``{element id: reason}``: an excluded element is listed with its reason,
    never scored (not as zero, not in any average). Ids are checked against the content by
    ``validation.check_scope_ids``.
    """

    frameworks: list[str] | None = Field(default=None, min_length=1)
    exclude_elements: dict[str, dict[str, Reason]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _no_repeats(self) -> ReportScope:
        if self.frameworks is not None:
            repeated = sorted({f for f in self.frameworks if self.frameworks.count(f) > 1})
            if repeated:
                raise ValueError(f"frameworks listed more than once: {', '.join(repeated)}")
        return self

    def includes(self, framework_id: str) -> bool:
        """Tell whether a framework is in the engagement's scope."""
        return self.frameworks is None or framework_id in self.frameworks

    def excluded(self, framework_id: str) -> dict[str, str]:
        """Return the excluded elements of a framework: element id -> reason."""
        return dict(self.exclude_elements.get(framework_id, {}))


class ClientConfig(_Strict):
    """The contents of ``client.yaml``: who the client is and what its data may contain."""

    id: str
    name: str
    industry: str
    language: Literal["zh", "en"]
    currency: str
    channels: list[str] = Field(min_length=1)
    digital_channels: list[str] = Field(default_factory=list)
    journey_stages: list[str] = Field(default_factory=list)
    #: the journey stages that make up the purchase funnel, in order (the stages after them,
    #: e.g. delivery and review, are post-purchase); default: see indicators.experience
    purchase_stages: list[str] = Field(default_factory=list)
    touchpoints: list[str] = Field(default_factory=list)
    scenes: list[str] = Field(default_factory=list)
    core_scene: str | None = None
    tiers: list[str] = Field(default_factory=list)
    premium_tiers: list[str] = Field(default_factory=list)
    segments: list[str] = Field(default_factory=list)
    promises: list[Promise] = Field(default_factory=list)
    own_quality_score: float | None = Field(default=None, ge=0, le=10)
    competitors: list[Competitor] = Field(default_factory=list)
    #: the industry profile the targets come from (content/benchmarks.yaml; None: the default)
    benchmark_profile: str | None = None
    benchmarks: dict[str, Benchmark] = Field(default_factory=dict)
    report: ReportScope = Field(default_factory=ReportScope)
    #: the firm's PowerPoint template for the deck (relative to the client folder)
    pptx_template: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _declared_subsets(self) -> ClientConfig:
        for name, subset, full in (
            ("digital_channels", self.digital_channels, self.channels),
            ("premium_tiers", self.premium_tiers, self.tiers),
        ):
            extra = sorted(set(subset) - set(full))
            if extra:
                raise ValueError(f"{name} not declared in the parent list: {', '.join(extra)}")
        order = [s for s in self.journey_stages if s in set(self.purchase_stages)]
        if self.purchase_stages and self.purchase_stages != order:
            raise ValueError(
                "purchase_stages must be journey_stages, in the same order: "
                f"got {self.purchase_stages}, journey_stages {self.journey_stages}"
            )
        if self.core_scene is not None and self.core_scene not in self.scenes:
            raise ValueError(f"core_scene {self.core_scene!r} is not one of scenes")
        for p in self.promises:
            extra = sorted(set(p.channels) - set(self.channels))
            if extra:
                raise ValueError(f"promise {p.text!r} names undeclared channels: {extra}")
        return self

    def declared(self, kind: ColumnKind) -> list[str] | None:
        """Return the declared values for a categorical column kind (None: not restricted)."""
        return {
            "channel": self.channels,
            "stage": self.journey_stages,
            "tier": self.tiers,
            "scene": self.scenes,
            "touchpoint": self.touchpoints,
            "segment": self.segments,
        }.get(kind)


class ElementAssessment(_Strict):
    """A workshop score (1–5) for one framework element, with its evidence."""

    score: float = Field(ge=1, le=5)
    evidence: str = ""


class Assessment(_Strict):
    """``assessment.yaml``: workshop scores per framework and element."""

    assessed_on: str | None = None
    assessor: str | None = None
    frameworks: dict[str, dict[str, ElementAssessment]] = Field(default_factory=dict)

    def get(self, framework_id: str, element_id: str) -> ElementAssessment | None:
        """Return the workshop score of one element, if there is one."""
        return self.frameworks.get(framework_id, {}).get(element_id)
