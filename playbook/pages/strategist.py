"""The strategist's hand on a page: their view, their actions, the scope and the progress.

Blocks the framework pages and the executive summary share: ``markdown_html`` turns the
strategist's text into HTML through a small, safe subset of Markdown; ``view_html`` shows
it as the "Strategist's view", set apart from the machine findings, and ``view_slot`` marks
where a page shows it, so ``splice_views`` can write an edited view into a page made before
the edit (no need to run the page again); ``excluded_html`` says
an element is outside the engagement's scope and why; ``change_html`` shows a score's
change since the previous report (arrow, points, band change). Every string is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from playbook.data.commentary import FrameworkCommentary
from playbook.diagnosis.progress import Change, Scored
from playbook.pages.html import band_name, esc, label
from playbook.units import format_points

_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s()<>\"']+)\)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?=\S)([^*]+?)(?<=\S)\*(?![*\w])")
_BULLET = re.compile(r"^\s*[-*]\s+(.*)$")
_ARROWS = {"up": "▲", "down": "▼", "flat": "→"}


def _inline(text: str) -> str:
    """Escape one line, then allow **bold**, *italics* and [links](https://…)."""
    links: list[str] = []

    def keep_link(match: re.Match) -> str:
        href = esc(match[2])
        links.append(f'<a href="{href}" rel="noopener noreferrer">{esc(match[1])}</a>')
        return f"\x00{len(links) - 1}\x00"

    text = _LINK.sub(keep_link, text.replace("\x00", ""))
    text = esc(text)
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    text = _ITALIC.sub(r"<em>\1</em>", text)
    return re.sub("\x00(\\d+)\x00", lambda m: links[int(m[1])], text)


def markdown_html(text: str) -> str:
    """Return the strategist's text as HTML: paragraphs, bullet lists, bold, italics, links.

    Only ``**bold**``, ``*italics*``, lines starting with ``- `` or ``* `` (a bullet list)
    and ``[text](http(s)://…)`` links are markup; blank lines separate paragraphs. Anything
    else, HTML included, is shown as written (escaped); a link to any other scheme stays
    plain text.
    """
    blocks = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line for line in block.splitlines() if line.strip()]
        items: list[str] = []
        para: list[str] = []
        for line in lines:
            bullet = _BULLET.match(line)
            if bullet and not para:
                items.append(f"<li>{_inline(bullet[1])}</li>")
            elif bullet:
                blocks.append(f"<p>{'<br>'.join(para)}</p>")
                para, items = [], [f"<li>{_inline(bullet[1])}</li>"]
            else:
                if items:
                    blocks.append(f"<ul>{''.join(items)}</ul>")
                    items = []
                para.append(_inline(line.strip()))
        if items:
            blocks.append(f"<ul>{''.join(items)}</ul>")
        if para:
            blocks.append(f"<p>{'<br>'.join(para)}</p>")
    return "\n".join(blocks)


def view_html(text: str, lang: str, author: str = "", title_key: str = "strategist_view") -> str:
    """Return the strategist's text as a block set apart from the findings ("" when empty).

    Args:
        text: The strategist's text (safe Markdown subset).
        lang: The page's language.
        author: Who wrote it (shown after the title when given).
        title_key: The label of the block's title (``strategist_view`` or
            ``strategist_summary``).
    """
    if not text.strip():
        return ""
    title = esc(label(title_key, lang))
    if author.strip():
        by = label("strategist_by", lang).format(author=author.strip())
        title += f' <span class="pb-view-by">· {esc(by)}</span>'
    return (
        f'<aside class="pb-view"><div class="pb-kicker">{title}</div>{markdown_html(text)}</aside>'
    )


#: The slot key of a framework's own view (the strategist's summary under the overview); an
#: element's view has the slot ``element:<element id>``.
SUMMARY_SLOT = "summary"
#: A view's slot on a page: its markers hold the view's block. An HTML comment never comes out
#: of the strategist's text, whose ``<`` and ``>`` are escaped.
_SLOT = re.compile(r"<!--pb-view ([\w:.-]+)-->(.*?)<!--/pb-view-->", re.S)


def view_slot(key: str, text: str, lang: str) -> str:
    """Return the strategist's view of a framework or one of its elements, in its slot.

    Args:
        key: ``SUMMARY_SLOT`` for the framework's summary, else ``element:<element id>``.
        text: The view (safe Markdown subset; "" shows nothing but the empty slot).
        lang: The page's language.
    """
    title_key = "strategist_summary" if key == SUMMARY_SLOT else "strategist_view"
    return f"<!--pb-view {key}-->{view_html(text, lang, title_key=title_key)}<!--/pb-view-->"


def framework_views(commentary: FrameworkCommentary) -> dict[str, str]:
    """Return the view text of every slot a framework's page may show, by slot key."""
    views = {f"element:{el}": comment.view for el, comment in commentary.elements.items()}
    return {SUMMARY_SLOT: commentary.summary, **views}


def splice_views(
    html: str,
    views: dict[str, str],
    lang: str,
    finish: Callable[[str], str] = str,
) -> tuple[str, int]:
    """Write the current views into every view slot of a page's HTML.

    Args:
        html: A page, or one of its outputs, as made by a page's notebook.
        views: The view text of each slot (``framework_views``); a slot not named is emptied.
        lang: The page's language.
        finish: What the page went through after its notebook (e.g. the exporter's HTML
            serialisation), done to each slot written in.

    Returns:
        The HTML with each slot holding ``view_slot``'s block for its key, and the number
        of slots found.
    """
    found = 0

    def fill(match: re.Match) -> str:
        nonlocal found
        found += 1
        return finish(view_slot(match[1], views.get(match[1], ""), lang))

    return _SLOT.sub(fill, html), found


def tag_html(lang: str) -> str:
    """Return the tag marking an action the strategist added."""
    return f'<span class="pb-tag">{esc(label("strategist_added", lang))}</span>'


def excluded_badge(lang: str) -> str:
    """Return the "out of scope" badge of an element outside the engagement's scope."""
    return f'<span class="pb-badge pb-excluded">{esc(label("excluded", lang))}</span>'


def excluded_html(reason: str, lang: str) -> str:
    """Return the note that an element is outside the engagement's scope, with the reason."""
    text = esc(label("excluded_element", lang).format(reason=reason))
    return f'<div class="pb-callout pb-out-of-scope">{excluded_badge(lang)} {text}</div>'


def change_html(change: Change | None, lang: str) -> str:
    """Return a score's change since the previous report: arrow, points and band change.

    "—" without a previous report; "not scored last time" (or this time) when one of the
    two has no score.
    """
    if change is None:
        return "—"
    if change.points is None:
        key = "progress_new" if change.before.score is None else "progress_gone"
        return f'<span class="pb-meta">{esc(label(key, lang))}</span>'
    arrow = _ARROWS[change.direction]
    points = esc(format_points(change.points, lang))
    text = f'<span class="pb-change pb-{change.direction}">{arrow} {points}</span>'
    if change.band_changed:
        bands = f"{band_name(change.before.band, lang)} → {band_name(change.after.band, lang)}"
        text += f'<br><span class="pb-meta">{esc(bands)}</span>'
    return text


def previous_text(previous: Scored, as_of: str, lang: str) -> str:
    """Return "Previous report (data to <as_of>): 64" for an element (escaped)."""
    score = "—" if previous.score is None else f"{previous.score:.0f}"
    return esc(label("previous_score", lang).format(date=as_of, score=score))
