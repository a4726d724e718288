"""What a deck is built from: the diagnoses, their summary, the strategist's hand, the data.

Everything here is computed once per deck from the same in-process diagnoses the site and
``scores.json`` come from (never read back from the HTML). The strategist's part —
author, summaries, views, added and hidden actions, excluded elements — is optional:
without it the deck is the machine's diagnosis alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from playbook.charts.style import label
from playbook.content import common as load_common
from playbook.data.contract import TABLES, ClientConfig
from playbook.data.model import ClientData
from playbook.diagnosis import ElementDiagnosis, FrameworkDiagnosis, Period
from playbook.diagnosis.summary import Summary, summarise


@dataclass(frozen=True)
class DeckOptions:
    """How to build a deck: language, the report's date and the template (None: default)."""

    lang: str
    date: str
    template: Path | None = None


@dataclass(frozen=True)
class OwnAction:
    """An action the strategist added to an element."""

    text: str
    kpi: str = ""
    target: str = ""
    owner: str = ""
    days: int = 30


@dataclass(frozen=True)
class Strategist:
    """The strategist's hand in the deck; every field is optional.

    Element-level fields are keyed by ``(framework_id, element_id)``.
    """

    author: str = ""
    summary: str = ""
    framework_summaries: Mapping[str, str] = field(default_factory=dict)
    views: Mapping[tuple[str, str], str] = field(default_factory=dict)
    added: Mapping[tuple[str, str], tuple[OwnAction, ...]] = field(default_factory=dict)
    #: action id -> the strategist's reason for setting it aside
    hidden: Mapping[tuple[str, str], Mapping[str, str]] = field(default_factory=dict)
    #: element id -> why it is out of this engagement's scope, per framework
    excluded: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Coverage:
    """One contract table: supplied or not, its rows (all and in the period), its columns."""

    table: str
    supplied: bool
    rows: int
    period_rows: int
    columns: tuple[str, ...]


@dataclass(frozen=True)
class DeckData:
    """Everything one deck shows, in one language."""

    client: ClientConfig
    diagnoses: tuple[FrameworkDiagnosis, ...]
    summary: Summary
    coverage: tuple[Coverage, ...]
    workshop_scores: int
    strategist: Strategist
    lang: str
    date: str

    @property
    def period(self) -> Period:
        """Return the analysis period (the same for every framework)."""
        return self.diagnoses[0].period

    def assessed(self, diag: FrameworkDiagnosis) -> list[ElementDiagnosis]:
        """Return a framework's assessed elements (each gets a slide), in reading order."""
        return [e for e in diag.elements if e.score is not None]


def coverage(data: ClientData, period: Period) -> tuple[Coverage, ...]:
    """Return which contract tables the client supplied, with rows and non-empty columns."""
    current = data.between(period.start, period.end)
    rows = []
    for name in TABLES:
        df = data.tables.get(name)
        if df is None:
            rows.append(Coverage(name, False, 0, 0, ()))
            continue
        columns = tuple(c for c in df.columns if df[c].notna().any())
        rows.append(Coverage(name, True, len(df), len(current.tables[name]), columns))
    return tuple(rows)


def deck_data(
    data: ClientData,
    diagnoses: Sequence[FrameworkDiagnosis],
    lang: str,
    date: str,
    strategist: Strategist | None = None,
) -> DeckData:
    """Gather what a deck shows from a client's data and its diagnoses.

    Raises:
        ValueError: no diagnosis, or an unknown language.
    """
    if not diagnoses:
        raise ValueError("a deck needs at least one framework diagnosis")
    summary = summarise(list(diagnoses), lang)
    workshop = sum(e.assessment is not None for d in diagnoses for e in d.elements)
    return DeckData(
        client=data.config,
        diagnoses=tuple(diagnoses),
        summary=summary,
        coverage=coverage(data, diagnoses[0].period),
        workshop_scores=workshop,
        strategist=strategist or Strategist(),
        lang=lang,
        date=date,
    )


def word(key: str, lang: str, **values: object) -> str:
    """Return a label from common.yaml in ``lang``, filled with ``values``."""
    text = label(key, lang)
    return text.format(**values) if values else text


def template(key: str, lang: str, **values: object) -> str:
    """Return a sentence template from common.yaml in ``lang``, filled with ``values``."""
    return load_common().templates[key](lang).format(**values)


def band_name(band: str | None, lang: str) -> str:
    """Return a band's name, or "not assessed"."""
    return load_common().bands[band](lang) if band else word("not_assessed", lang)


def score_text(score: float | None, band: str | None, lang: str) -> str:
    """Return "Score 72/100 · Developing" (or "Not assessed")."""
    if score is None:
        return word("not_assessed", lang)
    return template("element_score", lang, score=f"{score:.0f}", band=band_name(band, lang))
