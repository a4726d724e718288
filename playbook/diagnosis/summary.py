"""Summarise a client's diagnoses: overall maturity, top gaps and a 30/60/90-day roll-out plan.

The executive summary reads the framework diagnoses (``diagnosis.diagnose_all``), never other
notebooks. The rules, so a strategist can explain every number:

- **Overall service maturity** is the plain mean of the framework scores that exist (a
  framework with no assessed element has no score and is left out), banded with the same
  thresholds as elements (``common.yaml`` ``band_thresholds``) and named by a five-level
  ladder of 20 points each (``maturity_1`` … ``maturity_5`` labels in ``common.yaml``).
- **Priority** of an element = gap × weight, with gap = 100 − score and weight = the
  element's importance, the sum of its indicator weights (1 when it has no indicators, e.g.
  an element scored from the workshop only). So score 40 with weights 2 + 1 gives
  60 × 3 = 180 and beats score 20 with no indicators, 80 × 1 = 80. Elements that are not
  assessed have no priority: they are listed separately, never among the gaps.
- **Top gaps** are the ``top_n`` (default 5) assessed elements with the highest priority
  and a gap above zero; ties go to the lower score, then to reading order.
- **Roll-out plan**: one row per action that applies (``ElementDiagnosis.actions``) of every
  element, the phase being the action's ``horizon_days`` (30, 60 or 90). Rows are sorted by
  phase, then by the element's priority (highest first; not-assessed elements last, since
  their actions are mostly "start measuring"), then reading order. The target shown with
  the KPI is the target of the indicator the action acts on (``action_target``). An action
  id repeated within one element is kept once. Each phase keeps at most ``per_phase`` rows
  (default 6, so at most 18 actions: what a client team can own in a quarter); the full
  list stays in each framework's page.
- **The strategist's hand** (``engagement``): actions the strategist added
  (``commentary.yaml``) join the plan in the first phase not before their ``due_days``,
  ahead of the generated ones of that phase and never cut by ``per_phase``; hidden actions
  are in no plan (``set_aside`` lists them with the reason). Elements outside the scope
  are in no score, gap or plan (``excluded`` lists them with the reason).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from playbook.config import LANGS, notebook_stem, page_href
from playbook.content import Action, Band, Element, Framework, label
from playbook.content import common as load_common
from playbook.data.commentary import AddedAction
from playbook.diagnosis import ElementDiagnosis, FrameworkDiagnosis, IndicatorResult, scoring
from playbook.diagnosis.engagement import PHASES, phase_of
from playbook.units import format_value

#: Number of gaps the summary ranks by default.
TOP_GAPS = 5
#: Most actions kept in each 30/60/90-day phase of the roll-out plan.
ACTIONS_PER_PHASE = 6
#: Width of a maturity level on the 0–100 scale (five levels).
MATURITY_STEP = 20

FRAMEWORK_COLUMNS = [
    "framework_id",
    "order",
    "title",
    "title_zh",
    "title_en",
    "score",
    "band",
    "assessed",
    "total",
    "page",
]
ELEMENT_COLUMNS = [
    "framework_id",
    "framework_order",
    "framework",
    "element_id",
    "position",
    "title",
    "title_zh",
    "title_en",
    "score",
    "band",
    "basis",
    "weight",
    "gap",
    "priority",
    "page",
]
GAP_COLUMNS = [
    "rank",
    "framework_id",
    "framework",
    "element_id",
    "title",
    "score",
    "band",
    "weight",
    "gap",
    "priority",
    "page",
]
NOT_ASSESSED_COLUMNS = ["framework_id", "framework", "element_id", "title", "page"]
EXCLUDED_COLUMNS = ["framework_id", "framework", "element_id", "title", "reason", "page"]
SET_ASIDE_COLUMNS = [
    "framework_id",
    "framework",
    "element_id",
    "element",
    "action_id",
    "action",
    "reason",
    "page",
]
#: ``PLAN_COLUMNS`` ``source`` of an action: the firm's content, or the strategist.
SOURCE_PLAYBOOK, SOURCE_STRATEGIST = "playbook", "strategist"
PLAN_COLUMNS = [
    "phase",
    "phase_label",
    "due_days",
    "source",
    "action_id",
    "action",
    "kpi",
    "target",
    "owner",
    "framework_id",
    "framework_order",
    "framework",
    "element_id",
    "element",
    "priority",
    "page",
]


@dataclass(frozen=True, eq=False)
class Summary:
    """The executive summary of one client, with its text in one language.

    Attributes:
        lang: the language of every text field ("zh" or "en").
        score: overall service maturity 0–100 (None when no framework has a score).
        band: the band of ``score`` (None without a score).
        level: maturity level 1–5 (None without a score).
        level_name: the level's name, or "not assessed", in ``lang``.
        frameworks: one row per framework (``FRAMEWORK_COLUMNS``), in reading order.
        elements: one row per element of every framework (``ELEMENT_COLUMNS``), in reading
            order; unassessed elements have NaN score, gap and priority.
        top_gaps: the highest-priority gaps (``GAP_COLUMNS``), rank 1 first.
        not_assessed: the elements with neither data nor workshop score.
        plan: the roll-out plan (``PLAN_COLUMNS``), by phase then priority.
        excluded: the elements outside the engagement's scope, with the reason
            (``EXCLUDED_COLUMNS``), in reading order.
        set_aside: the generated actions the strategist set aside, with the reason
            (``SET_ASIDE_COLUMNS``), in reading order.
    """

    lang: str
    score: float | None
    band: Band | None
    level: int | None
    level_name: str
    frameworks: pd.DataFrame
    elements: pd.DataFrame
    top_gaps: pd.DataFrame
    not_assessed: pd.DataFrame
    plan: pd.DataFrame
    excluded: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=EXCLUDED_COLUMNS))
    set_aside: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SET_ASIDE_COLUMNS))


def page_name(fw: Framework) -> str:
    """Return the report page of a framework: ``NN_<slug>.html``, NN its two-digit order."""
    return page_href(notebook_stem(fw.order, fw.id))


def maturity_score(diagnoses: Sequence[FrameworkDiagnosis]) -> float | None:
    """Return the overall service maturity: the mean of the framework scores that exist."""
    return scoring.mean_score(d.score for d in diagnoses)


def element_weight(element: Element) -> float:
    """Return an element's importance: the sum of its indicator weights (1 without any)."""
    return float(sum(ref.weight for ref in element.indicators)) if element.indicators else 1.0


def element_priority(diag: ElementDiagnosis) -> float | None:
    """Return an element's priority, gap × weight with gap = 100 − score (None unassessed)."""
    if diag.score is None:
        return None
    return (100.0 - diag.score) * element_weight(diag.element)


def maturity_level(score: float) -> int:
    """Return the maturity level 1–5 of a 0–100 score (20 points per level; 100 is level 5)."""
    if not 0 <= score <= 100:
        raise ValueError(f"a maturity score lies within 0–100, got {score}")
    return min(5, int(score // MATURITY_STEP) + 1)


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")


def framework_scores(diagnoses: Sequence[FrameworkDiagnosis], lang: str) -> pd.DataFrame:
    """Return one row per framework: titles, score, band and elements assessed of total."""
    _check_lang(lang)
    rows = []
    for d in diagnoses:
        fw = d.framework
        rows.append(
            {
                "framework_id": fw.id,
                "order": fw.order,
                "title": fw.title(lang),
                "title_zh": fw.title.zh,
                "title_en": fw.title.en,
                "score": math.nan if d.score is None else float(d.score),
                "band": d.band,
                "assessed": d.assessed,
                "total": len(d.elements),
                "page": page_name(fw),
            }
        )
    return pd.DataFrame(rows, columns=FRAMEWORK_COLUMNS)


def element_scores(diagnoses: Sequence[FrameworkDiagnosis], lang: str) -> pd.DataFrame:
    """Return one row per element of every framework with its score, weight and priority."""
    _check_lang(lang)
    rows = []
    for d in diagnoses:
        fw = d.framework
        for position, e in enumerate(d.elements):
            priority = element_priority(e)
            rows.append(
                {
                    "framework_id": fw.id,
                    "framework_order": fw.order,
                    "framework": fw.title(lang),
                    "element_id": e.element.id,
                    "position": position,
                    "title": e.element.title(lang),
                    "title_zh": e.element.title.zh,
                    "title_en": e.element.title.en,
                    "score": math.nan if e.score is None else float(e.score),
                    "band": e.band,
                    "basis": e.basis,
                    "weight": element_weight(e.element),
                    "gap": math.nan if e.score is None else 100.0 - e.score,
                    "priority": math.nan if priority is None else priority,
                    "page": page_name(fw),
                }
            )
    return pd.DataFrame(rows, columns=ELEMENT_COLUMNS)


def rank_gaps(elements: pd.DataFrame, top_n: int = TOP_GAPS) -> pd.DataFrame:
    """Return the ``top_n`` assessed elements with a gap, highest priority first.

    Args:
        elements: the frame of ``element_scores``.
        top_n: how many gaps to keep (at least 1).
    """
    if top_n < 1:
        raise ValueError(f"top_n must be at least 1, got {top_n}")
    gaps = elements[elements["score"].notna() & (elements["gap"] > 0)]
    gaps = gaps.sort_values(
        ["priority", "score", "framework_order", "position"],
        ascending=[False, True, True, True],
        kind="stable",
    ).head(top_n)
    gaps = gaps.assign(rank=range(1, len(gaps) + 1))
    return gaps[GAP_COLUMNS].reset_index(drop=True)


def not_assessed(elements: pd.DataFrame) -> pd.DataFrame:
    """Return the elements with no score (neither data nor workshop), in reading order."""
    return elements[elements["score"].isna()][NOT_ASSESSED_COLUMNS].reset_index(drop=True)


def action_target(
    diag: ElementDiagnosis, action: Action | None, lang: str, currency: str = ""
) -> str:
    """Return the target of an action's KPI, formatted like the findings, or "—".

    The target is that of the first of the element's measured indicators to match:

    1. the indicator in the action's condition (``when.indicator``), the one it acts on;
    2. an indicator whose label (in ``lang``) appears in the action's KPI text;
    3. otherwise the element's first measured indicator.

    "—" when no indicator of the element was measured.
    """
    measured = [r for r in diag.indicators if r.measured]
    if not measured:
        return "—"
    labels = load_common().indicators
    kpi = action.kpi(lang).casefold() if action is not None else ""

    def named_in_kpi(result: IndicatorResult) -> bool:
        text = labels.get(result.ref.id)
        return text is not None and text.label(lang).casefold() in kpi

    condition = action.when.indicator if action is not None else None
    result = (
        next((r for r in measured if r.ref.id == condition), None)
        or next((r for r in measured if kpi and named_in_kpi(r)), None)
        or measured[0]
    )
    text = labels.get(result.ref.id)
    return format_value(result.target, text.unit if text else "number", lang, currency)


def phase_label(phase: int, lang: str) -> str:
    """Return a phase's label, e.g. "Days 31–60" for the 60-day phase."""
    if phase not in PHASES:
        raise ValueError(f"a phase is one of {PHASES}, got {phase}")
    start = PHASES[PHASES.index(phase) - 1] + 1 if phase != PHASES[0] else 1
    return label("phase_days", lang).format(start=start, end=phase)


def rollout_plan(
    diagnoses: Sequence[FrameworkDiagnosis], lang: str, per_phase: int = ACTIONS_PER_PHASE
) -> pd.DataFrame:
    """Return the 30/60/90-day plan from the actions that apply, by phase then priority.

    Args:
        diagnoses: the client's framework diagnoses.
        lang: language of the text fields.
        per_phase: most rows kept per phase (at least 1).
    """
    _check_lang(lang)
    if per_phase < 1:
        raise ValueError(f"per_phase must be at least 1, got {per_phase}")
    rows = []
    for d in diagnoses:
        fw = d.framework
        for position, e in enumerate(d.elements):
            priority = element_priority(e)
            where = {
                "framework_id": fw.id,
                "framework_order": fw.order,
                "framework": fw.title(lang),
                "element_id": e.element.id,
                "element": e.element.title(lang),
                "priority": math.nan if priority is None else priority,
                "page": page_name(fw),
                "_position": position,
            }
            rows += [_strategist_row(e, i, a, lang, where) for i, a in enumerate(e.added)]
            seen: set[str] = set()
            for a in e.actions:
                if a.id in seen:
                    continue
                seen.add(a.id)
                rows.append(
                    {
                        "phase": a.horizon_days,
                        "phase_label": phase_label(a.horizon_days, lang),
                        "due_days": a.horizon_days,
                        "source": SOURCE_PLAYBOOK,
                        "action_id": a.id,
                        "action": a.text(lang),
                        "kpi": a.kpi(lang),
                        "target": action_target(e, a, lang, d.client.currency),
                        "owner": a.owner(lang),
                        **where,
                    }
                )
    if not rows:
        return pd.DataFrame(columns=PLAN_COLUMNS)
    plan = pd.DataFrame(rows)
    plan = plan.assign(_generated=plan["source"] != SOURCE_STRATEGIST).sort_values(
        ["phase", "_generated", "priority", "framework_order", "_position"],
        ascending=[True, True, False, True, True],
        na_position="last",
        kind="stable",
    )
    keep = ~plan["_generated"] | (plan.groupby("phase").cumcount() < per_phase)
    return plan.loc[keep, PLAN_COLUMNS].reset_index(drop=True)


def _strategist_row(
    diag: ElementDiagnosis, index: int, action: AddedAction, lang: str, where: dict
) -> dict:
    """Return a plan row of an action the strategist added ("—" for what they left blank)."""
    phase = phase_of(action.due_days)
    return {
        "phase": phase,
        "phase_label": phase_label(phase, lang),
        "due_days": action.due_days,
        "source": SOURCE_STRATEGIST,
        "action_id": f"{diag.element.id}.strategist_{index + 1}",
        "action": action.text,
        "kpi": action.kpi or "—",
        "target": action.target or "—",
        "owner": action.owner or "—",
        **where,
    }


def excluded_elements(diagnoses: Sequence[FrameworkDiagnosis], lang: str) -> pd.DataFrame:
    """Return the elements outside the engagement's scope with their reasons (reading order)."""
    rows = [
        {
            "framework_id": d.framework.id,
            "framework": d.framework.title(lang),
            "element_id": x.element.id,
            "title": x.element.title(lang),
            "reason": x.reason,
            "page": page_name(d.framework),
        }
        for d in diagnoses
        for x in d.excluded
    ]
    return pd.DataFrame(rows, columns=EXCLUDED_COLUMNS)


def set_aside_actions(diagnoses: Sequence[FrameworkDiagnosis], lang: str) -> pd.DataFrame:
    """Return the generated actions the strategist set aside, with the reason (reading order)."""
    rows = [
        {
            "framework_id": d.framework.id,
            "framework": d.framework.title(lang),
            "element_id": e.element.id,
            "element": e.element.title(lang),
            "action_id": s.action.id,
            "action": s.action.text(lang),
            "reason": s.reason,
            "page": page_name(d.framework),
        }
        for d in diagnoses
        for e in d.elements
        for s in e.set_aside
    ]
    return pd.DataFrame(rows, columns=SET_ASIDE_COLUMNS)


def summarise(
    diagnoses: Sequence[FrameworkDiagnosis],
    lang: str = "zh",
    top_n: int = TOP_GAPS,
    per_phase: int = ACTIONS_PER_PHASE,
) -> Summary:
    """Summarise a client's framework diagnoses for the executive summary.

    Args:
        diagnoses: the client's diagnoses, e.g. ``diagnosis.diagnose_all(data)``.
        lang: language of every text field ("zh" or "en").
        top_n: number of top gaps to rank.
        per_phase: most actions per 30/60/90-day phase of the plan.

    Raises:
        ValueError: on an unknown language, a non-positive ``top_n``/``per_phase``, or
            diagnoses of more than one client.
    """
    _check_lang(lang)
    clients = {d.client.id for d in diagnoses}
    if len(clients) > 1:
        raise ValueError(f"diagnoses of several clients: {', '.join(sorted(clients))}")
    shared = load_common()
    score = maturity_score(diagnoses)
    band = scoring.band_of(score)
    level = maturity_level(score) if score is not None else None
    level_name = shared.labels[f"maturity_{level}" if level else "not_assessed"](lang)
    elements = element_scores(diagnoses, lang)
    return Summary(
        lang=lang,
        score=score,
        band=band,
        level=level,
        level_name=level_name,
        frameworks=framework_scores(diagnoses, lang),
        elements=elements,
        top_gaps=rank_gaps(elements, top_n),
        not_assessed=not_assessed(elements),
        plan=rollout_plan(diagnoses, lang, per_phase),
        excluded=excluded_elements(diagnoses, lang),
        set_aside=set_aside_actions(diagnoses, lang),
    )
