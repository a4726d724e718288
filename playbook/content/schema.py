"""Load framework content (YAML, zh + en) into validated, typed objects.

Content is data: one YAML file per framework in ``playbook/content/`` whose name is the
framework's slug, plus ``common.yaml`` for shared wording (bands, sentence templates,
indicator labels). A broken file fails at load with the file and the field named.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from playbook.config import CONTENT_DIR
from playbook.content.params import ElementParams
from playbook.content.safe_yaml import YamlError, load_yaml

Band = Literal["gap", "developing", "strong"]
Direction = Literal["higher", "lower"]
#: index: a −100..100 index such as NPS, shown with one decimal
Unit = Literal[
    "pct", "pts", "score", "index", "number", "count", "currency", "minutes", "ratio", "days"
]


#: Content files that are not frameworks.
SHARED_FILES = frozenset({"common", "benchmarks"})


class ContentError(ValueError):
    """A content file is missing, unreadable or does not match the schema."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A piece of text in both languages; call it with a language to get one."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def __call__(self, lang: str) -> str:
        """Return the text in ``lang`` ("zh" or "en")."""
        return self.zh if lang == "zh" else self.en


class Role(Text):
    """An owner role from the glossary in ``common.yaml`` (``roles:``), named in both languages.

    Content files give the role's key (``owner: operations``), so one role is one row of the
    30/60/90-day plan however many actions it owns. ``key`` is None only for a role written
    out inline (a strategist's own action for one client).
    """

    key: str | None = None


class IndicatorRef(_Strict):
    """An indicator measuring an element, with the scale it is scored on."""

    id: str
    direction: Direction
    target: float
    floor: float
    weight: float = Field(default=1.0, gt=0)
    #: score by the measurement's reading instead of the target/floor line (e.g. a price
    #: elasticity: what its confidence interval can tell); a reading not listed is not scored
    reading_scores: dict[str, float] | None = None

    @field_validator("reading_scores")
    @classmethod
    def _scores_in_range(cls, scores: dict[str, float] | None) -> dict[str, float] | None:
        bad = sorted(k for k, v in (scores or {}).items() if not 0 <= v <= 100)
        if bad:
            raise ValueError(f"reading_scores must be within 0–100: {', '.join(bad)}")
        return scores

    @model_validator(mode="after")
    def _target_beyond_floor(self) -> IndicatorRef:
        if self.direction == "higher" and not self.target > self.floor:
            raise ValueError(f"{self.id}: direction 'higher' needs target > floor")
        if self.direction == "lower" and not self.target < self.floor:
            raise ValueError(f"{self.id}: direction 'lower' needs target < floor")
        return self


class Condition(_Strict):
    """When an action applies; every field given must hold (none given: always).

    ``band``: the element's band is one of these. ``indicator`` with ``below``/``above``:
    that indicator's value is below/above the threshold; with ``reading``: the indicator's
    reading is one of these (e.g. a price elasticity that is measurably "inelastic").
    ``no_data``: true when the element could not be measured from data.
    """

    band: list[Band] | None = None
    indicator: str | None = None
    below: float | None = None
    above: float | None = None
    reading: list[str] | None = None
    no_data: bool | None = None

    @model_validator(mode="after")
    def _threshold_needs_indicator(self) -> Condition:
        tests = (self.below, self.above, self.reading)
        if any(t is not None for t in tests) and self.indicator is None:
            raise ValueError("'below'/'above'/'reading' need 'indicator'")
        if self.indicator is not None and all(t is None for t in tests):
            raise ValueError("'indicator' needs 'below', 'above' or 'reading'")
        return self


class Action(_Strict):
    """A recommended action, the condition under which it applies and how it is tracked."""

    id: str
    text: Text
    when: Condition = Condition()
    kpi: Text
    horizon_days: Literal[30, 60, 90]
    owner: Role

    @field_validator("owner", mode="before")
    @classmethod
    def _role_from_glossary(cls, value: Any, info: ValidationInfo) -> Any:
        """Look a role key up in the glossary given as validation context."""
        context = info.context or {}
        roles: Mapping[str, Text] | None = context.get("roles")
        if isinstance(value, str):
            if roles is None:
                raise ValueError(f"role {value!r}: no role glossary (common.yaml roles) to look up")
            if value not in roles:
                known = ", ".join(sorted(roles))
                raise ValueError(f"unknown role {value!r}; common.yaml roles has: {known}")
            return {"key": value, "zh": roles[value].zh, "en": roles[value].en}
        if context.get("role_keys_only"):
            raise ValueError("give a role key from common.yaml roles, not a name written out")
        return value


class Case(_Strict):
    """A reference case from a seed article: the facts carry over, with their source."""

    company: Text
    fact: Text
    figure: str = Field(min_length=1)
    source: Text


class Element(_Strict):
    """One element of a framework (a method, orientation, goal, definition or chapter)."""

    id: str
    title: Text
    tagline: Text
    key_points: list[Text] = Field(min_length=1)
    indicators: list[IndicatorRef] = Field(default_factory=list)
    actions: list[Action] = Field(min_length=1)
    cases: list[Case] = Field(default_factory=list)
    #: typed numbers an analysis reads from content, not code (e.g. RFM band rules)
    params: ElementParams = ElementParams()


class Introduction(_Strict):
    """Background a framework page opens with, before its elements (e.g. a deck's overview)."""

    title: Text
    points: list[Text] = Field(min_length=1)
    cases: list[Case] = Field(default_factory=list)


class Framework(_Strict):
    """A strategy framework: its text and its elements, in reading order."""

    id: str
    order: int = Field(ge=1)
    source: str
    #: the framework this one deepens (e.g. an analysis of one value-add plan chapter)
    part_of: str | None = None
    title: Text
    question: Text
    summary: Text
    #: how the framework's source is cited on the page (article title and date, deck title)
    source_title: Text | None = None
    introduction: Introduction | None = None
    elements: list[Element] = Field(min_length=1)

    @field_validator("elements")
    @classmethod
    def _unique_ids(cls, elements: list[Element]) -> list[Element]:
        ids = [e.id for e in elements]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate element ids: {', '.join(dupes)}")
        return elements

    def element(self, element_id: str) -> Element:
        """Return the element with this id."""
        for e in self.elements:
            if e.id == element_id:
                return e
        raise KeyError(f"framework {self.id!r} has no element {element_id!r}")


class IndicatorText(_Strict):
    """How an indicator is named and shown: label, unit and the dimension it is broken by."""

    label: Text
    unit: Unit
    dimension: Text | None = None
    #: what a finding says for each reading the indicator can carry (e.g. "elastic")
    readings: dict[str, Text] = Field(default_factory=dict)
    #: what the parts of a blended value are called (e.g. "per promise")
    parts: Text | None = None
    #: how the value is counted, when a reader needs it to read it right (ends the finding)
    note: Text | None = None


class Common(_Strict):
    """Shared wording: band names and thresholds, sentence templates, indicator labels."""

    bands: dict[Band, Text]
    band_thresholds: dict[Literal["developing", "strong"], float]
    assessment_weight: float = Field(ge=0, le=1)
    templates: dict[str, Text]
    labels: dict[str, Text]
    #: owner roles of the actions, by key (``owner: operations`` in a framework file)
    roles: dict[str, Text]
    #: the business wording of each data input (``table``, ``table.column``, ``config.key``)
    inputs: dict[str, Text]
    indicators: dict[str, IndicatorText]
    #: per unit, the smallest difference between breakdown members that names a "weakest"
    material_spread: dict[Unit, float] = Field(default_factory=dict)

    def describe_inputs(self, inputs: Iterable[str], lang: str) -> list[str]:
        """Return the business wording of data inputs, each phrase once, in order.

        ``inputs`` are the contract's names as indicators report them: ``orders``,
        ``orders.promised_minutes`` or ``client.yaml: digital_channels``.

        Raises:
            KeyError: for an input with no wording under ``inputs`` in common.yaml.
        """
        phrases: list[str] = []
        for name in inputs:
            key = name
            if name.startswith("client.yaml:"):
                key = f"config.{name.split(':', 1)[1].strip()}"
            if key not in self.inputs:
                raise KeyError(f"no wording for the data input {name!r} in common.yaml inputs")
            phrase = self.inputs[key](lang)
            if phrase not in phrases:
                phrases.append(phrase)
        return phrases


#: Largest content file read (the biggest is about 50 KB).
MAX_CONTENT_BYTES = 1024 * 1024


def _read_yaml(path: Path) -> object:
    try:
        return load_yaml(path, max_bytes=MAX_CONTENT_BYTES, trusted=True)
    except FileNotFoundError as exc:
        raise ContentError(f"{path}: file not found") from exc
    except YamlError as exc:
        raise ContentError(f"{path}: not valid YAML: {exc}") from exc


def _validate(model: type[BaseModel], path: Path, context: dict | None = None) -> BaseModel:
    raw = _read_yaml(path)
    try:
        return model.model_validate(raw, context=context)
    except ValidationError as exc:
        lines = [
            f"{path.name}: field {'.'.join(str(p) for p in err['loc']) or '(root)'}: {err['msg']}"
            for err in exc.errors()
        ]
        raise ContentError(f"{path}: invalid content\n  " + "\n  ".join(lines)) from None


def load_framework_file(path: Path, roles: Mapping[str, Text] | None = None) -> Framework:
    """Load and validate one framework file; the file's stem must equal its ``id``.

    Action owners are keys of ``roles`` (default: the ``common.yaml`` beside the file).
    """
    if roles is None:
        roles = load_common_file(path.parent / "common.yaml").roles
    fw = _validate(Framework, path, {"roles": roles, "role_keys_only": True})
    assert isinstance(fw, Framework)
    if fw.id != path.stem:
        raise ContentError(f"{path}: field id: {fw.id!r} must equal the file name {path.stem!r}")
    return fw


def load_common_file(path: Path) -> Common:
    """Load and validate the shared wording file."""
    common = _validate(Common, path)
    assert isinstance(common, Common)
    return common


def common(content_dir: Path = CONTENT_DIR) -> Common:
    """Return the shared wording (cached per folder)."""
    return _common(Path(content_dir))


@cache  # by folder: common() and common(CONTENT_DIR) must not read the file twice
def _common(content_dir: Path) -> Common:
    return load_common_file(content_dir / "common.yaml")


def frameworks(content_dir: Path = CONTENT_DIR) -> tuple[Framework, ...]:
    """Return every framework in the content folder, in reading order (cached per folder)."""
    return _frameworks(Path(content_dir))


@cache  # by folder, as _common
def _frameworks(content_dir: Path) -> tuple[Framework, ...]:
    paths = sorted(p for p in content_dir.glob("*.yaml") if p.stem not in SHARED_FILES)
    roles = common(content_dir).roles
    loaded = sorted((load_framework_file(p, roles) for p in paths), key=lambda f: f.order)
    orders = [f.order for f in loaded]
    if len(set(orders)) != len(orders):
        raise ContentError(f"{content_dir}: two frameworks share an order number: {orders}")
    ids = {f.id for f in loaded}
    for fw in loaded:
        if fw.part_of is not None and fw.part_of not in ids:
            path = content_dir / f"{fw.id}.yaml"
            raise ContentError(f"{path}: field part_of: unknown framework {fw.part_of!r}")
    known = common(content_dir).indicators
    for fw in loaded:
        for el in fw.elements:
            for ref in el.indicators:
                if ref.id not in known:
                    raise ContentError(
                        f"{content_dir / (fw.id + '.yaml')}: elements.{el.id}.indicators: "
                        f"{ref.id!r} has no entry under 'indicators' in common.yaml"
                    )
    return tuple(loaded)


def framework(framework_id: str, content_dir: Path = CONTENT_DIR) -> Framework:
    """Return one framework by its slug."""
    for fw in frameworks(content_dir):
        if fw.id == framework_id:
            return fw
    known = ", ".join(f.id for f in frameworks(content_dir))
    raise KeyError(f"unknown framework {framework_id!r}; known: {known}")
