"""The portfolio index ``<out>/index.html``: every rendered client, scores side by side.

Read from what renders leave on disk, so clients rendered in earlier runs appear too:
``<out>/<client>/scores.json`` and ``manifest.json`` of the published report, and
``<out>/_failed/<client>/manifest.json`` of a failed last run. For each framework a client's
position in the portfolio is its rank (1 = highest score), its percentile rank and a strip
chart of every client's score with its own marked.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from playbook.config import INDEX_PAGE, html_lang
from playbook.content import label
from playbook.diagnosis.progress import HISTORY_DIR, Change, Scored, Snapshot, read_history
from playbook.pages.html import esc as _e
from playbook.report.publish import FAILED_DIR
from playbook.report.site import site_css
from playbook.theme import BAND_COLORS, MUTED
from playbook.units import format_points

#: The portfolio page's file name, in the reports folder.
PORTFOLIO_PAGE = "index.html"


def _label(key: str, lang: str) -> str:
    return label(f"portfolio_{key}", lang)


@dataclass(frozen=True)
class ClientEntry:
    """One client as the portfolio shows it."""

    client_id: str
    name: str
    date: str
    status: str
    scores: dict | None = None
    errors: tuple[str, ...] = ()
    has_report: bool = False
    report_href: str = ""
    framework_scores: dict[str, float | None] = field(default_factory=dict)
    #: the overall score of each earlier report kept in ``<client>/history``, oldest first
    history: tuple[Snapshot, ...] = ()


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _errors(manifest: dict) -> tuple[str, ...]:
    errors = [n["error"] for n in manifest.get("notebooks", []) if n.get("error")]
    return tuple(errors + list(manifest.get("problems", [])))


def collect_clients(out_dir: Path) -> list[ClientEntry]:
    """Return every client with a published report or a failed last run, by client id."""
    out_dir = Path(out_dir)
    ids = (
        {
            p.name
            for p in out_dir.iterdir()
            if p.is_dir() and not p.name.startswith((".", "_")) and (p / "manifest.json").exists()
        }
        if out_dir.is_dir()
        else set()
    )
    failed_dir = out_dir / FAILED_DIR
    if failed_dir.is_dir():
        ids |= {p.name for p in failed_dir.iterdir() if (p / "manifest.json").exists()}
    entries = []
    for cid in sorted(ids):
        good = _read_json(out_dir / cid / "manifest.json")
        bad = _read_json(failed_dir / cid / "manifest.json")
        scores = _read_json(out_dir / cid / "scores.json") if good else None
        bad_is_last = bad and (not good or bad.get("started", "") >= good.get("started", ""))
        last = bad if bad_is_last else good
        if last is None:
            continue
        href = ""
        if good:
            site = out_dir / cid / INDEX_PAGE
            href = f"{cid}/{INDEX_PAGE}" if site.exists() else ""
            href = href or (f"{cid}/report.pdf" if (out_dir / cid / "report.pdf").exists() else "")
        fw_scores = {f["id"]: f.get("score") for f in (scores or {}).get("frameworks", [])}
        entries.append(
            ClientEntry(
                client_id=cid,
                name=(scores or {}).get("client_name") or last.get("client_name") or cid,
                date=str(last.get("started", ""))[:10],
                status=last.get("status", "failed") if last is bad else "ok",
                scores=scores,
                errors=_errors(bad) if last is bad else (),
                has_report=good is not None,
                report_href=href,
                framework_scores=fw_scores,
                history=tuple(read_history(out_dir / cid / HISTORY_DIR)) if good else (),
            )
        )
    return entries


def trend_cell(history: Sequence[Snapshot], lang: str) -> str:
    """Return a client's trend: its overall score per report as a sparkline, and the last move.

    One report (or none) says "first report" instead of drawing a line of one point.
    """
    points = [(s.as_of, s.overall.score) for s in history if s.overall.score is not None]
    if len(points) < 2:
        return f'<td class="pb-trend pb-meta">{_e(_label("first", lang))}</td>'
    width, height, pad = 90, 22, 3
    step = (width - 2 * pad) / (len(points) - 1)
    xy = [
        (pad + i * step, height - pad - (height - 2 * pad) * max(0.0, min(100.0, v)) / 100.0)
        for i, (_, v) in enumerate(points)
    ]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    svg = (
        f'<svg class="pb-spark" width="{width}" height="{height}" role="img" '
        f'viewBox="0 0 {width} {height}"><polyline points="{line}" fill="none" '
        f'stroke="#1f4e79" stroke-width="1.5"/><circle cx="{xy[-1][0]:.1f}" '
        f'cy="{xy[-1][1]:.1f}" r="2.5" fill="#1f4e79"/></svg>'
    )
    (before_day, before), (_, after) = points[-2], points[-1]
    moved = Change(Scored(before, None), Scored(after, None))
    arrow = {"up": "▲", "down": "▼", "flat": "→"}[moved.direction]
    text = f"{arrow} {format_points(moved.points, lang)}"
    since = _label("since", lang).format(date=before_day)
    return (
        f'<td class="pb-trend">{svg}<br><span class="pb-change pb-{moved.direction}">'
        f'{_e(text)}</span> <span class="pb-meta">{_e(since)}</span></td>'
    )


def rank_position(score: float | None, others: Sequence[float]) -> tuple[int, int, float] | None:
    """Return (rank, n, percentile) of a score among all scores ``others`` (which include it).

    Rank 1 is the highest score (ties share the better rank); the percentile is the share
    of the other scores strictly lower, 0–100 (100 for a portfolio of one).
    """
    if score is None:
        return None
    values = [v for v in others if v is not None]
    n = len(values)
    rank = 1 + sum(v > score for v in values)
    lower = sum(v < score for v in values)
    percentile = 100.0 if n <= 1 else 100.0 * lower / (n - 1)
    return rank, n, percentile


def strip_svg(score: float | None, others: Sequence[float], band: str | None) -> str:
    """Return a small inline SVG: every client's score on 0–100, this client's marked."""
    width, height, pad = 96, 14, 4

    def x(v: float) -> float:
        return pad + (width - 2 * pad) * max(0.0, min(100.0, v)) / 100.0

    marks = [
        f'<circle cx="{x(v):.1f}" cy="7" r="2.5" fill="{MUTED}" fill-opacity="0.7"/>'
        for v in others
        if v is not None
    ]
    if score is not None:
        colour = BAND_COLORS.get(band or "", "#1f4e79")
        marks.append(f'<circle cx="{x(score):.1f}" cy="7" r="4.5" fill="{colour}" stroke="#fff"/>')
    return (
        f'<svg class="pb-strip" width="{width}" height="{height}" role="img" '
        f'viewBox="0 0 {width} {height}"><line x1="{pad}" y1="7" x2="{width - pad}" y2="7" '
        f'stroke="#c8ced6"/>{"".join(marks)}</svg>'
    )


def _frameworks(entries: Sequence[ClientEntry]) -> list[dict]:
    seen: dict[str, dict] = {}
    for entry in entries:
        for fw in (entry.scores or {}).get("frameworks", []):
            seen.setdefault(fw["id"], fw)
    return sorted(seen.values(), key=lambda f: (f.get("order", 0), f["id"]))


def _score_cell(score: float | None, band: str | None, lang: str) -> str:
    if score is None:
        return '<td class="pb-num">—</td>'
    colour = BAND_COLORS.get(band or "", MUTED)
    return (
        f'<td class="pb-num"><span class="pb-badge" style="background:{colour}">'
        f"{score:.0f}</span></td>"
    )


def _status_cell(entry: ClientEntry, lang: str) -> str:
    if entry.status == "ok":
        return f'<td><span class="pb-ok">{_e(_label("ok", lang))}</span></td>'
    key = "invalid" if entry.status == "invalid" else "failed"
    kept = f" · {_e(_label('kept', lang))}" if entry.has_report else ""
    errors = "".join(f"<li>{_e(err)}</li>" for err in entry.errors[:5])
    return (
        f'<td><span class="pb-failed">{_e(_label(key, lang))}</span>{kept}'
        f'<ul class="pb-errors">{errors}</ul></td>'
    )


def portfolio_html(entries: Sequence[ClientEntry], lang: str, generated: str) -> str:
    """Return the portfolio page: a score table and each client's position per framework.

    Args:
        entries: The clients, from :func:`collect_clients`.
        lang: The page's language ("zh" or "en").
        generated: When the page was written (shown under the title).
    """
    fws = _frameworks(entries)
    title = _label("title", lang)
    head = "".join(
        f'<th class="pb-num">{_e(fw["title"].get(lang, fw["title"]["en"]))}</th>' for fw in fws
    )
    rows, position_rows = [], []
    for entry in entries:
        name = _e(entry.name)
        link = f'<a href="{_e(entry.report_href)}">{name}</a>' if entry.report_href else name
        by_id = {f["id"]: f for f in (entry.scores or {}).get("frameworks", [])}
        cells = "".join(
            _score_cell(
                by_id.get(fw["id"], {}).get("score"), by_id.get(fw["id"], {}).get("band"), lang
            )
            for fw in fws
        )
        overall = _score_cell(
            (entry.scores or {}).get("score"), (entry.scores or {}).get("band"), lang
        )
        rows.append(
            f'<tr data-client="{_e(entry.client_id)}"><td>{link}<br><span class="pb-id">'
            f"{_e(entry.client_id)}</span></td>{overall}{trend_cell(entry.history, lang)}"
            f'{cells}<td class="pb-date">{_e(entry.date)}</td>'
            f"{_status_cell(entry, lang)}</tr>"
        )
        pos_cells = []
        for fw in fws:
            all_scores = [e.framework_scores.get(fw["id"]) for e in entries]
            score = entry.framework_scores.get(fw["id"])
            band = by_id.get(fw["id"], {}).get("band")
            pos = rank_position(score, all_scores)
            text = (
                "—" if pos is None else f"{_label('rank', lang)} {pos[0]}/{pos[1]} · P{pos[2]:.0f}"
            )
            pos_cells.append(
                f'<td class="pb-pos">{strip_svg(score, all_scores, band)}<br>{_e(text)}</td>'
            )
        position_rows.append(f"<tr><td>{name}</td>{''.join(pos_cells)}</tr>")
    pos_head = "".join(f"<th>{_e(fw['title'].get(lang, fw['title']['en']))}</th>" for fw in fws)
    body = (
        f"<p>{_e(_label('none', lang))}</p>"
        if not entries
        else f"""<div class="pb-scroll"><table class="pb-portfolio"><thead><tr>
<th>{_e(_label("client", lang))}</th>
<th class="pb-num">{_e(_label("overall", lang))}</th><th>{_e(_label("trend", lang))}</th>{head}
<th>{_e(_label("date", lang))}</th>
<th>{_e(_label("status", lang))}</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>
<h2>{_e(_label("position", lang))}</h2>
<p class="pb-meta">{_e(_label("note", lang))}</p>
<div class="pb-scroll"><table class="pb-positions"><thead><tr>
<th>{_e(_label("client", lang))}</th>{pos_head}</tr>
</thead><tbody>{"".join(position_rows)}</tbody></table></div>"""
    )
    return f"""<!DOCTYPE html>
<html lang="{html_lang(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<style id="pb-site">
{site_css()}</style>
<style>
.pb-site-main {{ max-width: none; }}
.pb-site-main table {{ border-collapse: collapse; margin: .5rem 0 1.2rem; font-size: .88rem; }}
.pb-site-main th, .pb-site-main td {{ padding: .35rem .55rem; border-bottom: 1px solid #e6e9ed;
  vertical-align: top; text-align: left; }}
.pb-site-main th {{ background: #f4f7fa; }}
.pb-num {{ text-align: right !important; white-space: nowrap; }}
.pb-site-main th {{ max-width: 8rem; font-size: .8rem; font-weight: 600; hyphens: auto; }}
.pb-site-main th.pb-num {{ white-space: normal; }}
.pb-date {{ white-space: nowrap; }}
.pb-badge {{ display: inline-block; min-width: 2.2rem; text-align: center; padding: .05rem .4rem;
  border-radius: .8rem; color: #fff; font-weight: 600; }}
.pb-id, .pb-meta {{ color: #7f8a96; font-size: .8rem; }}
.pb-ok {{ color: {BAND_COLORS["strong"]}; font-weight: 600; }}
.pb-failed {{ color: {BAND_COLORS["gap"]}; font-weight: 600; }}
.pb-errors {{ margin: .2rem 0 0; padding-left: 1rem; font-size: .8rem; color: #5f6b7a; }}
.pb-pos {{ font-size: .8rem; white-space: nowrap; }}
.pb-trend {{ font-size: .8rem; white-space: nowrap; }}
.pb-change {{ font-weight: 600; }}
.pb-up {{ color: {BAND_COLORS["strong"]}; }}
.pb-down {{ color: {BAND_COLORS["gap"]}; }}
</style>
</head>
<body>
<header class="pb-site-header"><div class="pb-site-client">{_e(title)}</div>
<div class="pb-site-meta">{_e(generated)}</div></header>
<main class="pb-site-main">
{body}
</main>
</body>
</html>
"""


def write_portfolio(out_dir: Path, lang: str = "", generated: str = "") -> Path:
    """Rebuild ``<out>/index.html`` from every client's files; return its path.

    Args:
        out_dir: The reports folder.
        lang: The page's language; empty: the language most clients' reports use.
        generated: The time shown on the page.
    """
    out_dir = Path(out_dir)
    entries = collect_clients(out_dir)
    if not lang:
        langs = [(e.scores or {}).get("lang") for e in entries]
        langs = [x for x in langs if x]
        lang = max(sorted(set(langs)), key=langs.count) if langs else "en"
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / PORTFOLIO_PAGE
    tmp = out_dir / f".{PORTFOLIO_PAGE}.tmp"
    tmp.write_text(portfolio_html(entries, lang, generated), encoding="utf-8")
    tmp.replace(target)
    return target
