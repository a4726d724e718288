"""The slide deck a consultant presents: ``report.pptx``, built with python-pptx.

Built in the renderer's process from the same diagnoses as the site and ``scores.json``
(never scraped from the HTML), on the firm's template or the shipped default
(``template``): title slide, agenda, executive summary (maturity, the strategist's summary,
framework scores as a native chart, the top gaps as a native table), per framework a
section header, an overview with a native chart and one slide per assessed element (its
findings, main chart as a picture, actions, the strategist's view), the 30/60/90-day plan
as a native table, and the appendix (method, data coverage, case sources). Every content
slide carries the evidence in its speaker notes. Text is measured (``fit``) and continues
on a further slide rather than overflowing or shrinking below 12 pt (10 pt in tables).

The number of slides, not counting continuations ("… (continued)"), is
``4 + Σ_frameworks (2 + assessed elements) + 1 + 3 (+ 1 with actions set aside)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from playbook.data.model import ClientData
from playbook.diagnosis import FrameworkDiagnosis
from playbook.report.pptx.back import appendix_slides, plan_slides
from playbook.report.pptx.framework import framework_slides
from playbook.report.pptx.front import agenda_slide, gaps_slide, summary_slide, title_slide
from playbook.report.pptx.model import DeckOptions, deck_data
from playbook.report.pptx.pictures import PictureFn, element_picture
from playbook.report.pptx.template import TemplateError, open_template
from playbook.report.pptx.writer import DeckError, Writer

__all__ = [
    "DeckError",
    "DeckOptions",
    "TemplateError",
    "build_deck",
    "deck_template",
    "write_pptx",
]


def build_deck(
    data: ClientData,
    diagnoses: Sequence[FrameworkDiagnosis],
    options: DeckOptions,
    picture: PictureFn = element_picture,
):
    """Build a client's deck in memory; return the python-pptx ``Presentation``.

    Args:
        data: the client's validated data: its scope and commentary, the data coverage.
        diagnoses: the client's framework diagnoses, in reading order (those outside the
            engagement's scope are left out).
        options: language, report date and template.
        picture: draws an element's main chart (tests pass a cheaper one).

    Raises:
        TemplateError: the template cannot be opened.
        DeckError: the template leaves no room for text.
    """
    deck = deck_data(data, diagnoses, options.lang, options.date)
    prs = open_template(options.template)
    w = Writer(prs, options.lang)
    title_slide(w, deck)
    agenda_slide(w, deck)
    summary_slide(w, deck)
    gaps_slide(w, deck)
    for diag in deck.diagnoses:
        framework_slides(w, deck, diag, picture)
    plan_slides(w, deck)
    appendix_slides(w, deck)
    return prs


def deck_template(data: ClientData, override: Path | None = None) -> Path | None:
    """Return a client's deck template: ``override`` (``--pptx-template``), else the
    client's ``pptx_template`` (relative to its folder), else None (the shipped default)."""
    if override is not None:
        return Path(override)
    if data.config.pptx_template and data.source is not None:
        return Path(data.source) / Path(data.config.pptx_template).expanduser()
    return None


def write_pptx(
    data: ClientData,
    diagnoses: Sequence[FrameworkDiagnosis],
    target: Path,
    options: DeckOptions,
) -> Path:
    """Build the deck and save it at ``target``; return ``target``."""
    prs = build_deck(data, diagnoses, options)
    prs.save(str(target))
    return Path(target)
