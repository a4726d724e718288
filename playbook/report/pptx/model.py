"""What a deck is built from: the diagnoses, their summary, the strategist's hand, the data.

Everything here is computed once per deck from the same in-process diagnoses the site and
``scores.json`` come from (never read back from the HTML). The strategist's part — the
engagement's scope (``client.yaml`` ``report:``) and ``commentary.yaml`` (author, summaries,
views, added and hidden actions) — comes with the client's data; without it the deck is
the machine's diagnosis alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from playbook.content import common as load_common
from playbook.content import label
from playbook.data.commentary import Commentary, ElementCommentary
from playbook.data.contract import TABLES, ClientConfig, ReportScope
from playbook.data.model import ClientData
from playbook.diagnosis import ElementDiagnosis, FrameworkDiagnosis, Period
from playbook.diagnosis.summary import Summary, summarise
from playbook.pages.html import template


@dataclass(frozen=True)
class DeckOptions:
    """How to build a deck: language, the report's date and the template (None: default)."""

    lang: str
    date: str
    template: Path | None = None


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
    commentary: Commentary
    scope: ReportScope
    lang: str
    date: str

    @property
    def period(self) -> Period:
        """Return the analysis period (the same for every framework)."""
        return self.diagnoses[0].period

    def shown(self, diag: FrameworkDiagnosis) -> list[tuple[int, ElementDiagnosis]]:
        """Return a framework's elements in scope, numbered as on the site."""
        excluded = self.scope.excluded(diag.framework.id)
        numbered = enumerate(diag.elements, start=1)
        return [(i, e) for i, e in numbered if e.element.id not in excluded]

    def assessed(self, diag: FrameworkDiagnosis) -> list[tuple[int, ElementDiagnosis]]:
        """Return a framework's assessed elements in scope (each gets a slide), numbered."""
        return [(i, e) for i, e in self.shown(diag) if e.score is not None]

    def notes(self, diag: FrameworkDiagnosis, element: ElementDiagnosis) -> ElementCommentary:
        """Return the strategist's word on an element (empty when none)."""
        return self.commentary.element(diag.framework.id, element.element.id)


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
    data: ClientData, diagnoses: Sequence[FrameworkDiagnosis], lang: str, date: str
) -> DeckData:
    """Gather what a deck shows from a client's data and its diagnoses.

    Only the frameworks in the engagement's scope (``client.yaml`` ``report:``) are shown;
    the strategist's words come from ``commentary.yaml`` (``ClientData.commentary``).

    Raises:
        ValueError: no diagnosis in scope, or an unknown language.
    """
    scope = data.config.report
    diagnoses = [d for d in diagnoses if scope.includes(d.framework.id)]
    if not diagnoses:
        raise ValueError("a deck needs at least one framework diagnosis in scope")
    summary = summarise(list(diagnoses), lang)
    workshop = sum(e.assessment is not None for d in diagnoses for e in d.elements)
    return DeckData(
        client=data.config,
        diagnoses=tuple(diagnoses),
        summary=summary,
        coverage=coverage(data, diagnoses[0].period),
        workshop_scores=workshop,
        commentary=data.commentary,
        scope=scope,
        lang=lang,
        date=date,
    )


def word(key: str, lang: str, **values: object) -> str:
    """Return a label from common.yaml in ``lang``, filled with ``values``."""
    text = label(key, lang)
    return text.format(**values) if values else text


def band_name(band: str | None, lang: str) -> str:
    """Return a band's name, or "not assessed"."""
    return load_common().bands[band](lang) if band else word("not_assessed", lang)


def score_text(score: float | None, band: str | None, lang: str) -> str:
    """Return "Score 72/100 · Developing" (or "Not assessed")."""
    if score is None:
        return word("not_assessed", lang)
    return template("element_score", lang, score=f"{score:.0f}", band=band_name(band, lang))
