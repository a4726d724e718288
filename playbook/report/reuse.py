"""A client whose pages are all reused: its report assembled again without reading a table.

A render after the strategist edited a view (or nothing at all) runs no notebook. Preparing
the client would then be most of its cost: validating or reading back its tables, diagnosing,
and importing pandas to do so. When the client's last good report was made from the same
files but ``commentary.yaml``, by the same package, with the same settings asked for
(``RenderOptions.asked``, kept in the manifest), a new preparation would resolve the same
settings and make the same scores: they are taken from that report. The commentary is read
and checked anew (``data.yaml_files``): the views written into the pages come from it.

Whether every page is indeed reused is then decided as for any render (``incremental``:
the files, package and settings are among each page's inputs, and the executive summary's
inputs cover all of the commentary but the views). If one page must run, the client is
prepared in full.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from pathlib import Path

from playbook.data.settings import Settings
from playbook.data.yaml_files import read_client_config, read_commentary
from playbook.report.options import RenderOptions
from playbook.report.prepared import Prepared

#: A client's scores in its report folder.
SCORES = "scores.json"


def reused_client(
    client_id: str, options: RenderOptions, report_date: str, manifest: Mapping[str, object]
) -> Prepared | None:
    """Return the client as its last good report left it, without its tables.

    None when the client must be prepared in full: a render that forces or picks pages, or
    makes a deck (drawn from the tables); no last good report, or one asked for other
    settings, or without its scores; a ``client.yaml`` or ``commentary.yaml`` with problems
    (the full preparation reports them).

    Args:
        client_id: The client's folder name.
        options: The render's options (paths absolute).
        report_date: Today's report date (the summary, which shows it, runs on a new day).
        manifest: The manifest of the client's last good report ({} when none:
            ``publish.last_good``).
    """
    if options.force or options.only or "pptx" in options.formats:
        return None
    t0 = time.perf_counter()
    if manifest.get("asked") != options.asked():
        return None
    parameters = manifest.get("parameters")
    try:
        scores = json.loads((Path(options.out_dir) / client_id / SCORES).read_text("utf-8"))
        settings = Settings.of(
            client_id,
            options.clients_dir,
            str(parameters["lang"]),
            str(parameters["as_of"]),
            parameters["period_days"],
            report_date,
            options.out_dir,
        )
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if not isinstance(scores, dict):
        return None
    # the client's folder as load_client finds it (its own pages are found there)
    client_dir = Path(settings.clients_dir) / client_id
    problems: list = []
    config = read_client_config(client_dir, problems)
    commentary = read_commentary(client_dir, config, problems)
    if problems or config is None:
        return None
    seconds = {"load": time.perf_counter() - t0}
    return Prepared(settings, config, commentary, client_dir, seconds=seconds, scores=scores)
