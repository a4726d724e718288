"""What a deck is built from: the diagnoses, their summary, the strategist's hand, the data.

Everything here is computed once per deck from the same in-process diagnoses the site and
``scores.json`` come from (never read back from the HTML). The strategist's part — the
engagement's scope and ``commentary.yaml`` — is applied by the diagnosis (frameworks in
scope, excluded elements, views, added and set-aside actions, the plan); without it the
deck is the machine's diagnosis alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from playbook.content import label
from playbook.data.commentary import Commentary
from playbook.data.contract import TABLES, ClientConfig
from playbook.data.model import ClientData
from playbook.diagnosis import ElementDiagnosis, FrameworkDiagnosis, Period
from playbook.diagnosis.summary import Summary, summarise
from playbook.pages.html import band_name, template


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
    lang: str
    date: str

    @property
    def period(self) -> Period:
        """Return the analysis period (the same for every framework)."""
        return self.diagnoses[0].period

    def assessed(self, diag: FrameworkDiagnosis) -> list[tuple[int, ElementDiagnosis]]:
        """Return a framework's assessed elements (each gets a slide), with their numbers."""
        return [(number(diag, e.element.id), e) for e in diag.elements if e.score is not None]


def number(diag: FrameworkDiagnosis, element_id: str) -> int:
    """Return an element's number, as on the site: its place in the framework's content."""
    return [el.id for el in diag.framework.elements].index(element_id) + 1


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

    The diagnoses carry the engagement's scope and the strategist's word on frameworks and
    elements (``diagnosis.engagement``); the author and the overall summary come from
    ``commentary.yaml`` (``ClientData.commentary``).

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
        commentary=data.commentary,
        lang=lang,
        date=date,
    )


def word(key: str, lang: str, **values: object) -> str:
    """Return a label from common.yaml in ``lang``, filled with ``values``."""
    return label(key, lang, **values)


def score_text(score: float | None, band: str | None, lang: str) -> str:
    """Return "Score 72/100 · Developing" (or "Not assessed")."""
    if score is None:
        return word("not_assessed", lang)
    return template("element_score", lang, score=f"{score:.0f}", band=band_name(band, lang))
