"""Print a client's report site to one PDF with WeasyPrint: every page, summary first.

The pages' content (nbconvert's ``<main>``: the report fragments with their inline styles
and base64 charts) is laid out as one document, each page starting on a new sheet, with the
site header once at the top. Chinese text needs a CJK font: Noto Sans CJK SC, shipped by
the ``mplfonts`` package, is given to WeasyPrint through ``@font-face`` as a ``file://``
URL, so no system font is needed. WeasyPrint itself needs the Pango library from the
operating system (Debian's base images ship it). Nothing is fetched from the network.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from pathlib import Path

from playbook.config import html_lang
from playbook.pages.html import esc
from playbook.report.site import Site, SitePage, header_html, reading_order, site_css
from playbook.theme import CJK_FAMILY, cjk_font_path

#: Page set-up and print rules of the PDF (on top of the site's ``@media print`` rules).
PDF_CSS = """
@font-face {{ font-family: "{family}"; src: url("{font_url}") format("opentype"); }}
@page {{ size: A4; margin: 16mm 14mm 18mm;
  @bottom-right {{ content: counter(page) " / " counter(pages); font-size: 8pt;
                   color: #7f8a96; font-family: "{family}"; }}
  @bottom-left {{ content: "{footer}"; font-size: 8pt; color: #7f8a96;
                  font-family: "{family}"; }} }}
html, body, .pb, .pb * {{ font-family: "{family}", sans-serif !important; }}
/* the font has one upright face: a slanted copy would be embedded (and subset) once more */
* {{ font-style: normal !important; }}
body {{ margin: 0; font-size: 10pt; color: #2b2b2b; }}
section.pb-pdf-page {{ break-before: page; }}
section.pb-pdf-page:first-of-type {{ break-before: auto; }}
.pb {{ max-width: none; }}
img {{ max-width: 100% !important; height: auto; }}
.pb-charts img {{ flex: 1 1 45%; }}
.jp-Collapser, .jp-InputPrompt, .jp-OutputPrompt {{ display: none; }}
"""

_MAIN = re.compile(r"<main\b[^>]*>(.*)</main>", re.S)
_BODY = re.compile(r"<body\b[^>]*>(.*)</body>", re.S)


def page_content(document: str) -> str:
    """Return a page's content: nbconvert's ``<main>``, else the ``<body>``, else all."""
    for pattern in (_MAIN, _BODY):
        match = pattern.search(document)
        if match:
            return match.group(1)
    return document


def _anchor(page: SitePage) -> str:
    return "pb-" + re.sub(r"[^A-Za-z0-9_-]", "-", page.href.removesuffix(".html"))


def link_within(content: str, pages: Sequence[SitePage]) -> str:
    """Point links to the site's pages (``01_x.html``) at their section in the PDF."""
    for page in pages:
        content = content.replace(f'href="{page.href}"', f'href="#{_anchor(page)}"')
    return content


def pdf_document(site: Site, documents: dict[str, str], font_url: str) -> str:
    """Return the single HTML document printed to PDF.

    Args:
        site: The client's site; its pages give the reading order (summary first).
        documents: Each page's HTML by href; pages missing here are skipped.
        font_url: The ``file://`` URL of the CJK font.
    """
    footer = f"{site.client_name} · {site.date}".replace('"', "'").replace("\\", "")
    css = PDF_CSS.format(family=CJK_FAMILY, font_url=font_url, footer=footer)
    pages = reading_order(site.pages)
    sections = [
        f'<section class="pb-pdf-page" id="{_anchor(p)}">'
        f"{link_within(page_content(documents[p.href]), pages)}</section>"
        for p in pages
        if p.href in documents
    ]
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang(site.lang)}">\n<head>\n'
        f'<meta charset="utf-8">\n<title>{esc(site.client_name)}</title>\n'
        f"<style>{site_css()}</style>\n<style>{css}</style>\n</head>\n<body>\n"
        f"{header_html(site)}\n" + "\n".join(sections) + "\n</body>\n</html>\n"
    )


def write_pdf(site: Site, documents: dict[str, str], target: Path) -> Path:
    """Print the site's pages to one PDF at ``target``, in reading order (summary first).

    Args:
        site: The client's site (name, date, language, pages in order).
        documents: Each page's HTML (as written to the site) by href.
        target: The PDF file to write.

    Returns:
        ``target``.

    Raises:
        FileNotFoundError: The CJK font (mplfonts) is missing.
        OSError: WeasyPrint cannot load Pango from the operating system.
    """
    with warnings.catch_warnings():  # "HarfBuzz-Subset will be required": fontTools subsets
        warnings.simplefilter("ignore", DeprecationWarning)
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher

    font_url = cjk_font_path().resolve().as_uri()
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    document = pdf_document(site, documents, font_url)
    # hinting=True keeps the font's hints: dropping them from the large CJK font is slow
    HTML(string=document, base_url=str(Path(target).parent), url_fetcher=fetcher).write_pdf(
        target, hinting=True
    )
    return Path(target)
