"""The engagement's scope and the strategist's actions, applied to a diagnosis.

The rules, so every page, the summary, the plan, ``scores.json`` and the deck agree:

- **Scope.** ``diagnose_all`` diagnoses only the frameworks of ``client.yaml`` ``report:
  frameworks`` (all when absent), in the usual reading order. An excluded element is not
  diagnosed: it is listed in ``FrameworkDiagnosis.excluded`` with its reason, has no score
  and is in no average (the framework's score is the mean of its other assessed elements).
- **Hidden actions.** A generated action the strategist hides (``commentary.yaml``
  ``hide_actions``) leaves ``ElementDiagnosis.actions``, so it is on no page and in no plan;
  when its condition held (it would have been recommended) it is kept in
  ``ElementDiagnosis.set_aside`` with the reason, for the report's appendix.
- **Added actions.** The strategist's own actions are ``ElementDiagnosis.added``; the plan
  places each in the first 30/60/90-day phase not before its ``due_days``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from playbook.content import Action, Element, Framework
from playbook.data.commentary import ElementCommentary
from playbook.data.contract import ReportScope

#: The roll-out plan's phases, in days.
PHASES = (30, 60, 90)


@dataclass(frozen=True)
class SetAside:
    """A generated action that applied but that the strategist set aside, and why."""

    action: Action
    reason: str


@dataclass(frozen=True)
class Excluded:
    """An element outside the engagement's scope, and the reason the strategist gave."""

    element: Element
    reason: str


def in_scope(frameworks: Iterable[Framework], scope: ReportScope) -> list[Framework]:
    """Return the frameworks of the engagement's scope, in the order given (reading order)."""
    return [fw for fw in frameworks if scope.includes(fw.id)]


def excluded_elements(fw: Framework, scope: ReportScope) -> tuple[Excluded, ...]:
    """Return a framework's excluded elements with their reasons, in reading order."""
    reasons = scope.excluded(fw.id)
    return tuple(Excluded(el, reasons[el.id]) for el in fw.elements if el.id in reasons)


def included_elements(fw: Framework, scope: ReportScope) -> list[Element]:
    """Return a framework's elements that the engagement's scope keeps, in reading order."""
    reasons = scope.excluded(fw.id)
    return [el for el in fw.elements if el.id not in reasons]


def split_actions(
    applicable: Iterable[Action], comment: ElementCommentary
) -> tuple[tuple[Action, ...], tuple[SetAside, ...]]:
    """Split the actions whose conditions hold into those kept and those set aside.

    Args:
        applicable: The element's actions whose conditions hold, in content order.
        comment: The strategist's commentary on the element (its ``hide_actions``).

    Returns:
        The actions kept, and the hidden ones with the strategist's reason.
    """
    kept, aside = [], []
    for action in applicable:
        reason = comment.hidden_reason(action.id)
        if reason is None:
            kept.append(action)
        else:
            aside.append(SetAside(action, reason))
    return tuple(kept), tuple(aside)


def phase_of(due_days: int) -> int:
    """Return the plan phase of an action due within ``due_days``: 1–30 → 30, 31–60 → 60, …

    Raises:
        ValueError: When ``due_days`` is outside 1–90.
    """
    for phase in PHASES:
        if 1 <= due_days <= phase:
            return phase
    raise ValueError(f"due_days lies within 1–{PHASES[-1]}, got {due_days}")
