"""``commentary.yaml``: the strategist's own words and actions in a client's report.

The file sits in the client folder next to ``client.yaml``; everything in it is optional::

    author: 项目组顾问
    summary: three to five sentences at the top of the executive summary
    frameworks:
      exceed_expectations:
        summary: the strategist's judgement of the framework (under the page's overview)
        elements:
          fulfil_promise:
            view: shown as "顾问观点 / Strategist's view" in the element's section
            actions:        # added to the element's actions and to the 30/60/90-day plan
              - {text: …, kpi: …, target: "95%", owner: …, due_days: 30}
            hide_actions:   # generated actions set aside, listed in the report's appendix
              - {id: reset_promise, reason: …}

Text is the strategist's, in the language they write in; it may use a small Markdown
subset (bold, italics, bullet lists, http(s) links), turned into HTML by the pages and
escaped otherwise. This module only describes the file; ``validation`` reads it, checks
every id against the content and the engagement's scope, and attaches it to
``ClientData.commentary``; ``clients.load_commentary`` reads it on its own (e.g. for the deck).
"""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from playbook.data.contract import Reason

#: The file's name in a client folder.
COMMENTARY_FILE = "commentary.yaml"

#: Most characters of one text (a view, a summary); a page, not a report.
MAX_TEXT = 4000

#: Free text a strategist writes: stripped, bounded, possibly empty.
Prose = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_TEXT)]
#: A short label (KPI, target, owner): numbers written bare in YAML are taken as text.
Short = Annotated[
    str,
    BeforeValidator(lambda v: _bare_number(v) if isinstance(v, int | float) else v),
    StringConstraints(strip_whitespace=True, max_length=200),
]


def _bare_number(value: float) -> object:
    """Write a number given bare in YAML as a person would (1500000, 0.25; never 1.5e+06)."""
    if isinstance(value, bool) or not math.isfinite(value):
        return value  # refused as not text
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return format(value, "f").rstrip("0")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AddedAction(_Strict):
    """An action the strategist adds to an element and to the 30/60/90-day plan.

    ``due_days`` (1–90) places it in the plan: the first phase (30, 60, 90) not before it.
    """

    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    kpi: Short = ""
    target: Short = ""
    owner: Short = ""
    due_days: int = Field(ge=1, le=90)


class HiddenAction(_Strict):
    """A generated action the strategist sets aside, and why (shown in the appendix)."""

    id: str
    reason: Reason


class ElementCommentary(_Strict):
    """The strategist's view of one element, the actions added and those hidden."""

    view: Prose = ""
    actions: list[AddedAction] = Field(default_factory=list)
    hide_actions: list[HiddenAction] = Field(default_factory=list)

    def hidden_reason(self, action_id: str) -> str | None:
        """Return why an action is hidden (None: it is not)."""
        return next((h.reason for h in self.hide_actions if h.id == action_id), None)


class FrameworkCommentary(_Strict):
    """The strategist's summary of one framework and their word on its elements."""

    summary: Prose = ""
    elements: dict[str, ElementCommentary] = Field(default_factory=dict)


class Commentary(_Strict):
    """The whole of ``commentary.yaml``; an absent or empty file is an empty commentary."""

    author: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    summary: Prose = ""
    frameworks: dict[str, FrameworkCommentary] = Field(default_factory=dict)

    def framework(self, framework_id: str) -> FrameworkCommentary:
        """Return the commentary of one framework (empty when there is none)."""
        return self.frameworks.get(framework_id) or FrameworkCommentary()

    def element(self, framework_id: str, element_id: str) -> ElementCommentary:
        """Return the commentary of one element (empty when there is none)."""
        return self.framework(framework_id).elements.get(element_id) or ElementCommentary()

    @property
    def empty(self) -> bool:
        """Tell whether the strategist has written nothing."""
        return self == Commentary()
