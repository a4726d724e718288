"""Turn a client's exported pages into one report site: header, navigation, print styles.

Each page exported by ``export.export_html`` gets a header (client name, render date,
language) and a navigation bar linking every page, the current one marked; the
executive summary is the site's ``index.html``, so the folder opens on it. The page
template already leaves out the scripts nbconvert would load from a CDN, so the folder
works offline, zipped and mailed.

Pure functions on strings; ``render.py`` decides what gets written where.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from playbook.config import INDEX_PAGE, html_lang
from playbook.content import label as common_label
from playbook.pages.html import esc as _e


def label(key: str, lang: str) -> str:
    """Return a site label ("report date", "contents", …) in the report language."""
    return common_label(f"site_{key}", lang)


@dataclass(frozen=True)
class SitePage:
    """One page of a client's report site."""

    stem: str
    href: str
    title: str


@dataclass(frozen=True)
class Site:
    """A client's report site: who, when, in which language, and its pages in reading order."""

    client_name: str
    date: str
    lang: str
    pages: tuple[SitePage, ...]


def reading_order(pages: Sequence[SitePage]) -> list[SitePage]:
    """Return the pages with the front page (``index.html``) first, the rest in order."""
    return [p for p in pages if p.href == INDEX_PAGE] + [p for p in pages if p.href != INDEX_PAGE]


@cache
def site_css() -> str:
    """Return the stylesheet of the site chrome, including its ``@media print`` rules."""
    return resources.files("playbook").joinpath("report/static/site.css").read_text("utf-8")


def header_html(site: Site) -> str:
    """Return the site header: client name, report title, render date and language."""
    meta = f"{label('date', site.lang)} {site.date} · {label('language', site.lang)}"
    return (
        '<header class="pb-site-header">'
        f'<div class="pb-site-client">{_e(site.client_name)}</div>'
        f'<div class="pb-site-title">{_e(label("report", site.lang))}</div>'
        f'<div class="pb-site-meta">{_e(meta)}</div>'
        "</header>"
    )


def nav_html(site: Site, current: str) -> str:
    """Return the navigation bar linking every page; ``current`` (an href) is marked."""
    items = []
    for page in reading_order(site.pages):
        if page.href == current:
            items.append(
                f'<li><a class="pb-current" aria-current="page" href="{_e(page.href)}">'
                f"{_e(page.title)}</a></li>"
            )
        else:
            items.append(f'<li><a href="{_e(page.href)}">{_e(page.title)}</a></li>')
    return (
        f'<nav class="pb-nav" aria-label="{_e(label("nav", site.lang))}">'
        f"<ul>{''.join(items)}</ul></nav>"
    )


#: Where the page template wants the site's header and navigation.
CHROME_MARK = "<!-- pb-site-chrome -->"


def decorate_page(document: str, site: Site, current: str) -> str:
    """Return an exported page with the site's header and navigation in their place.

    The page template (``templates/client_page``) already carries the site's stylesheet and
    marks the place (``CHROME_MARK``) right after ``<body>``.

    Args:
        document: A page from ``export.export_html``.
        site: The client's site (every page, for the navigation).
        current: The href of this page, marked in the navigation.

    Raises:
        ValueError: The document is not a page exported with the report's template.
    """
    if CHROME_MARK not in document:
        raise ValueError("not a page exported by export_html: no place for the site's header")
    return document.replace(CHROME_MARK, header_html(site) + nav_html(site, current), 1)


_INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style id="pb-site">
{css}</style>
</head>
<body>
{chrome}
<main class="pb-site-main">
<h1>{contents}</h1>
<ol>
{items}
</ol>
</main>
</body>
</html>
"""


def contents_page(site: Site) -> str:
    """Return a front page listing every page, for a report without an executive summary."""
    items = "\n".join(
        f'<li><a href="{_e(p.href)}">{_e(p.title)}</a></li>'
        for p in site.pages
        if p.href != INDEX_PAGE
    )
    return _INDEX_TEMPLATE.format(
        lang=html_lang(site.lang),
        title=_e(f"{site.client_name} — {label('report', site.lang)}"),
        css=site_css(),
        chrome=header_html(site) + nav_html(site, INDEX_PAGE),
        contents=_e(label("contents", site.lang)),
        items=items,
    )
