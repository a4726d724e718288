"""The report in a real browser: headless Chromium at a desktop and a phone width.

The browser is the operating system's (``chromium`` on Debian; ``.ci/run`` installs it),
driven over the DevTools protocol by tests/browser.py. Without it these tests are skipped
with the command that installs it — unless ``PLAYBOOK_REQUIRE_CHROMIUM=1`` (set by
``.ci/run``), where a missing browser fails. A small planted page checks the harness finds
each problem; the slow test walks every page of a demo client and the portfolio from the
test run's shared render (``demo_reports`` in tests/conftest.py).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser import INSTALL_HINT, Chromium, find_chromium

#: Window widths: a 1,280 px desktop and a 390 px phone.
WIDTHS = (1280, 390)
DEMO = "brewlane_coffee"
#: A 1 × 1 PNG.
DOT = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
HEAD = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>'
)


@pytest.fixture(scope="module")
def browser():
    """Start one headless Chromium for the module (skip, or fail in CI, without one)."""
    executable = find_chromium()
    if executable is None:
        message = f"Chromium is not installed; {INSTALL_HINT} to run the browser checks"
        if os.environ.get("PLAYBOOK_REQUIRE_CHROMIUM") == "1":
            pytest.fail(message)
        pytest.skip(message)
    with Chromium(executable) as chromium:
        yield chromium


def test_the_harness_finds_every_kind_of_problem(browser, tmp_path):
    page = tmp_path / "planted.html"
    page.write_text(
        HEAD + "<p>report</p><script>console.error('boom')</script>"
        '<img src="http://127.0.0.1:9/logo.png" alt="remote">'
        '<div style="width: 2000px">too wide</div>'
        '<div style="overflow-x: auto"><div style="width: 3000px">scrolls in its box</div></div>'
        '<table><tr><td style="text-align: right">Head of Operations</td><td>42.0%</td></tr>'
        f'</table><img src="{DOT}" alt="squeezed" style="width: 200px; height: 50px">'
        "</body></html>",
        encoding="utf-8",
    )

    problems = "\n".join(browser.visit(page, 390).problems())

    assert "console error: boom" in problems
    assert "request beyond the page: http://127.0.0.1:9/logo.png" in problems
    assert "in a 390 px window: div [" in problems and "too wide" in problems
    assert "scrolls in its box" not in problems
    assert 'text "Head of Operations" aligned right' in problems
    assert 'number "42.0%" aligned left' in problems
    assert "squeezed: drawn 1.00:1, shown 4.00:1" in problems


def test_a_clean_page_has_no_problem(browser, tmp_path):
    page = tmp_path / "clean.html"
    page.write_text(
        HEAD + '<p>report</p><table><tr><td>Head of Operations</td><td style="text-align: '
        f'right">42.0%</td></tr></table><img src="{DOT}" style="width: 20px"></body></html>',
        encoding="utf-8",
    )

    for width in WIDTHS:
        assert browser.visit(page, width).problems() == []


@pytest.mark.slow
def test_every_page_of_a_demo_report_and_the_portfolio_reads_in_a_browser(
    browser, demo_reports: Path
):
    pages = [demo_reports / "index.html", *sorted((demo_reports / DEMO).glob("*.html"))]
    assert len(pages) > 2, "the demo render has pages"

    problems = [
        p for width in WIDTHS for page in pages for p in browser.visit(page, width).problems()
    ]

    assert problems == [], "\n".join(problems)
