"""Decide which pages to run again and which to reuse from the last good report.

A page is re-executed only when something it depends on changed since the client's last
good report (its ``manifest.json`` records every page's inputs). A page's inputs
(:class:`PageInputs`), each a sha256:

- ``notebook``: the notebook file;
- ``code``: the package (its version and every file of it but the framework content);
- ``content``: every framework content file;
- ``parameters``: client, clients folder, language, as_of, period length, and for the
  executive summary (the one page that shows it) the report date;
- ``client``: every file of the client's folder (tables, ``client.yaml`` with its scope,
  ``assessment.yaml``, files the client's pages read, anything added later), but
  ``commentary.yaml`` and the client's page notebooks, which are counted apart:
- ``commentary``: the part of ``commentary.yaml`` the page shows: a framework's page its own
  ``frameworks.<slug>`` section (but its views) and the top-level keys but ``summary``; the
  executive summary all of it but the frameworks' and elements' views (their own pages show
  them); a client's page all of it.
- ``history``: the previous report's scores the page compares with (the latest snapshot in
  the report's ``history/`` before this ``as_of``, ``diagnosis.progress``);
- ``views``: the views a framework's page shows (its ``frameworks.<slug>.summary`` and its
  elements' ``view``), left out of its ``commentary``.

So editing one element's view runs nothing: the last page is reused with the views written
into their slots (``views.py``; the page is the same as a run would make it). Adding an
action to it re-runs that page and the summary (its plan lists the action). ``--force``
re-runs every page; ``--only`` re-runs the pages named and keeps the others as they are
(saying so in the manifest when their inputs changed).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from playbook import __version__
from playbook.config import SUMMARY_STEM
from playbook.content import frameworks
from playbook.diagnosis.progress import HISTORY_DIR, previous_snapshot

#: The strategist's commentary file and client notebooks folder, inside a client folder.
COMMENTARY = "commentary.yaml"
CLIENT_NOTEBOOKS = "notebooks"
#: Why a page whose strategist's views alone changed was not run again.
VIEWS_ONLY = "changed: views (written into the page)"
#: Top-level keys of commentary.yaml that only the pages showing all of it read.
_NOT_SHARED = ("frameworks", "summary")


def _sha(data: bytes | str) -> str:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()


def _canonical(value: object) -> str:
    return _sha(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str))


@cache
def package_digests() -> tuple[str, str]:
    """Return the sha256 of the package's code (with its version) and of its content files."""
    root = Path(str(resources.files("playbook")))
    code, content = hashlib.sha256(__version__.encode()), hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        target = content if path.parent.name == "content" and path.suffix == ".yaml" else code
        target.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return code.hexdigest(), content.hexdigest()


def _section_views(section: object) -> dict:
    """Return a framework section's views: its summary and its elements' views (the
    texts ``pages.strategist.framework_views`` shows), those written only."""
    if not isinstance(section, dict):
        return {}
    views = {"summary": section["summary"]} if "summary" in section else {}
    elements = section.get("elements")
    if isinstance(elements, dict):
        views |= {
            f"element:{el}": e["view"]
            for el, e in elements.items()
            if isinstance(e, dict) and "view" in e
        }
    return views


def _section_without_views(section: object) -> object:
    """Return a framework section without its views (emptied parts dropped; None when
    nothing is left)."""
    if not isinstance(section, dict):
        return section
    section = {k: v for k, v in section.items() if k != "summary"}
    elements = section.get("elements")
    if isinstance(elements, dict):
        elements = {
            el: {k: v for k, v in e.items() if k != "view"} if isinstance(e, dict) else e
            for el, e in elements.items()
        }
        section["elements"] = {el: e for el, e in elements.items() if e != {}}
        if not section["elements"]:
            del section["elements"]
    return section if section != {} else None


def _without_views(doc: dict) -> dict:
    """Return commentary without the frameworks' and elements' views (emptied parts dropped)."""
    out = {k: v for k, v in doc.items() if k != "frameworks"}
    sections = doc.get("frameworks")
    if not isinstance(sections, dict):
        return {**out, "frameworks": sections} if sections is not None else out
    kept = {fw: s for fw, section in sections.items() if (s := _section_without_views(section))}
    return {**out, "frameworks": kept} if kept else out


def commentary_parts(client_dir: Path, slug: str | None, *, views: bool = True) -> tuple[str, str]:
    """Return the sha256 of the part of ``commentary.yaml`` a page shows, and of its views.

    ``slug`` is a framework page's framework: its part is the top-level keys but ``summary``
    and its own ``frameworks.<slug>`` section, the views apart (a page whose views alone
    changed has them written in, ``views.py``). None for a page showing all of it (views
    included in the first digest), but the frameworks' and elements' views when ``views``
    is False (the executive summary). "" stands for nothing shown.
    """
    path = Path(client_dir) / COMMENTARY
    if not path.is_file():
        return "", ""
    raw = path.read_bytes()
    if slug is None and views:
        return _sha(raw), ""
    try:
        doc = yaml.safe_load(raw)
    except yaml.YAMLError:
        return _sha(raw), ""
    if not isinstance(doc, dict):
        return _sha(raw), ""
    if slug is None:
        part = _without_views(doc)
        return (_canonical(part) if part else ""), ""
    part = {k: v for k, v in doc.items() if k not in _NOT_SHARED}
    sections = doc.get("frameworks")
    section = sections.get(slug) if isinstance(sections, dict) else sections
    if (rest := _section_without_views(section)) is not None:
        part["frameworks"] = rest
    shown = _section_views(section)
    # nothing this page shows: the same input as no file (adding a view to one framework
    # writes it into that page and re-runs nothing; adding an action re-runs it and the
    # summary)
    return (_canonical(part) if part else ""), (_canonical(shown) if shown else "")


def client_digest(hashes: Mapping[str, str]) -> str:
    """Return the sha256 of a client folder's files but its commentary and page notebooks.

    Anything else in the client's notebooks folder (a helper module, a CSV a page reads)
    counts: a change to it runs the pages again.
    """
    return _canonical(
        {
            name: digest
            for name, digest in hashes.items()
            if name != COMMENTARY
            and not (name.startswith(f"{CLIENT_NOTEBOOKS}/") and name.endswith(".ipynb"))
        }
    )


@dataclass(frozen=True)
class PageInputs:
    """The sha256 of everything one page depends on (see the module's docstring)."""

    notebook: str
    code: str
    content: str
    parameters: str
    client: str
    commentary: str
    history: str = ""
    views: str = ""

    @classmethod
    def of(
        cls,
        notebook: Path,
        slug: str,
        parameters: Mapping[str, object],
        client_dir: Path,
        hashes: Mapping[str, str],
        history: str = "",
    ) -> PageInputs:
        """Return a page's inputs.

        ``hashes`` are the client folder's file hashes; ``history`` the digest of the
        previous report's scores (``previous_scores``).
        """
        code, content = package_digests()
        is_framework = slug in {fw.id for fw in frameworks()}
        commentary, views = commentary_parts(
            client_dir,
            slug if is_framework else None,
            views=Path(notebook).stem != SUMMARY_STEM,
        )
        return cls(
            notebook=_sha(Path(notebook).read_bytes()),
            code=code,
            content=content,
            parameters=_canonical(dict(parameters)),
            client=client_digest(hashes),
            commentary=commentary,
            history=history,
            views=views,
        )

    def changed(self, previous: Mapping[str, str]) -> list[str]:
        """Return the names of the inputs that differ from an earlier page's."""
        return [name for name, digest in asdict(self).items() if previous.get(name) != digest]


@dataclass(frozen=True)
class Decision:
    """Whether a page runs or is reused, and why (as the manifest says it).

    ``views``: the page is reused with the strategist's current views written in (only its
    views changed).
    """

    stem: str
    reuse: bool
    reason: str
    views: bool = False


def decide(
    stem: str,
    slug: str,
    inputs: PageInputs,
    previous: Mapping[str, object] | None,
    *,
    force: bool = False,
    only: Sequence[str] = (),
) -> Decision:
    """Decide whether a page runs again.

    Args:
        stem: The notebook's stem (``01_exceed_expectations``).
        slug: Its slug (``exceed_expectations``).
        inputs: The page's inputs now.
        previous: The page's entry in the last good report's manifest (None: no such page).
        force: Re-run every page.
        only: Re-run only these pages (slugs or stems); keep the others.
    """
    if force:
        return Decision(stem, False, "forced (--force)")
    if only and (slug in only or stem in only):
        return Decision(stem, False, "asked for (--only)")
    if previous is None:
        return Decision(stem, False, "no earlier page")
    changed = inputs.changed(previous.get("inputs") or {})
    if only:
        stale = f"; its inputs changed: {', '.join(changed)}" if changed else ""
        return Decision(stem, True, f"kept, not asked for (--only){stale}")
    if changed == ["views"]:
        return Decision(stem, True, VIEWS_ONLY, views=True)
    if changed:
        return Decision(stem, False, f"changed: {', '.join(changed)}")
    return Decision(stem, True, "unchanged")


def previous_scores(report_dir: Path, as_of: str) -> str:
    """Return the sha256 of the snapshot a page compares with ("" when there is none).

    That is the snapshot ``diagnosis.progress.previous_snapshot`` picks (the latest readable
    ``history/<as_of>.json`` of the client's report strictly before ``as_of``).
    """
    previous = previous_snapshot(Path(report_dir) / HISTORY_DIR, as_of)
    return _sha(repr(previous)) if previous is not None else ""


def previous_pages(report_dir: Path, manifest: Mapping) -> dict[str, dict]:
    """Return the pages of a client's last good report that can be reused, by stem.

    A page can be reused when the report's manifest says it ran and its executed notebook
    is still there.
    """
    return {
        entry["notebook"]: entry
        for entry in manifest.get("notebooks", [])
        if entry.get("status") == "ok"
        and (Path(report_dir) / "executed" / f"{entry['notebook']}.ipynb").is_file()
    }
