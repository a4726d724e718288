"""Pages by slug: the registry finds each page's class; a section is an ``Html`` value."""

from __future__ import annotations

import pytest

from playbook.content import frameworks
from playbook.pages import page_class, register
from playbook.pages.customer_value import CustomerValuePage
from playbook.pages.executive_summary import SummaryPage
from playbook.pages.framework import FrameworkPage, Page
from playbook.pages.html import Html
from playbook.pages.marketing_decisions import MarketingPage
from playbook.pages.pricing_revenue import PricingPage
from playbook.pages.registry import registered
from playbook.pages.word_of_mouth_risk import WordOfMouthRiskPage

DEEP_DIVES = {
    "customer_value": CustomerValuePage,
    "pricing_revenue": PricingPage,
    "marketing_decisions": MarketingPage,
    "word_of_mouth_risk": WordOfMouthRiskPage,
    "executive_summary": SummaryPage,
}


@pytest.mark.parametrize("slug", sorted(DEEP_DIVES))
def test_a_page_module_registers_its_class_under_its_slug(slug):
    assert page_class(slug) is DEEP_DIVES[slug]


def test_a_framework_without_a_page_module_gets_the_framework_page():
    assert page_class("exceed_expectations") is FrameworkPage
    assert page_class("journey_goals") is FrameworkPage


def test_every_registered_page_is_a_framework_or_the_summary():
    for fw in frameworks():
        page_class(fw.id)  # imports every page module there is

    slugs = {fw.id for fw in frameworks()} | {"executive_summary"}
    assert set(registered()) == set(DEEP_DIVES)
    assert set(registered()) <= slugs


def test_a_slug_cannot_name_a_path_or_a_second_class():
    with pytest.raises(ValueError, match="not a page slug"):
        page_class("../etc")
    with pytest.raises(ValueError, match="already CustomerValuePage"):
        register("customer_value")(type("Other", (Page,), {}))


def test_a_section_is_html_for_the_notebook_and_markup_as_text():
    section = Html("<p>1 &lt; 2</p>")

    assert str(section) == "<p>1 &lt; 2</p>"
    assert section._repr_html_() == "<p>1 &lt; 2</p>"
    assert repr(section) == "<Html: 15 characters>"  # the notebook's text/plain stays short
