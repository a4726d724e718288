"""Renders of corpus cases: nothing leaks into what a consultant mails or the portfolio shows.

Refused cases render fast (validation fails before any kernel starts): the portfolio and
the failed run's manifest must hold no secret read through a link and no local path. Two
accepted cases — markup, formulas and dollar signs in client text; canary ids and a secret
in an unknown column — render every notebook (slow, orders-only, six rows each): no page,
JSON or executed notebook may hold raw markup, a canary id, the secret or a local path.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from playbook.report.render import RenderOptions, render_clients
from tests.hostile import make_corpus as corpus

HERE = Path(__file__).parent
ENV_SECRET = "sk_env_CANARY_SECRET_d41d"


RAW_MARKUP = ("<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "<b>home</b>")


def everything_written(out: Path) -> dict[str, str]:
    """Return every text file under the output folder, by relative path."""
    return {
        str(p.relative_to(out)): p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.suffix in (".html", ".json", ".ipynb", ".css", ".js", "")
    }


def assert_no_leaks(out: Path, *local: Path) -> None:
    for name, text in everything_written(out).items():
        for secret in (corpus.SECRET, ENV_SECRET, corpus.CANARY_ORDER, corpus.CANARY_CUSTOMER):
            assert secret not in text, f"{secret} in {name}"
        for folder in local:
            assert str(folder) not in text, f"{folder} in {name}"
        for markup in RAW_MARKUP:
            assert markup not in text, f"raw {markup} in {name}"


def test_refused_cases_leave_no_secret_in_the_portfolio_or_the_failed_run(tmp_path, monkeypatch):
    monkeypatch.setenv("HOSTILE_CANARY_TOKEN", ENV_SECRET)
    clients = corpus.write_corpus(tmp_path / "corpus")
    cases = (
        "link_table_to_proc_environ",
        "link_table_to_secret_outside",
        "markup_undeclared_channel_with_controls",
        "canary_in_refused_cell",
        "yaml_billion_laughs",
    )
    out = tmp_path / "reports"
    results = render_clients(RenderOptions(cases, clients_dir=clients, out_dir=out), progress=None)
    assert [r.ok for r in results] == [False] * len(cases)
    assert all(r.problems for r in results)
    portfolio = (out / "index.html").read_text(encoding="utf-8")
    for case in cases:
        assert f'data-client="{case}"' in portfolio
        manifest = json.loads((out / "_failed" / case / "manifest.json").read_text("utf-8"))
        assert manifest["status"] == "invalid" and manifest["problems"]
    assert "&lt;b&gt;web&lt;/b&gt;" in portfolio  # the refused value, shown as text
    assert_no_leaks(out, tmp_path, Path.home())


@pytest.mark.slow
def test_two_accepted_cases_render_without_leaking_markup_ids_or_secrets(tmp_path):
    clients = corpus.write_corpus(tmp_path / "corpus")
    cases = ("markup_in_values", "canary_ids_and_secret_column")
    out = tmp_path / "reports"

    options = RenderOptions(cases, clients_dir=clients, out_dir=out, workers=2)
    results = render_clients(options, progress=None)

    for result in results:
        assert result.ok, (result.problems, [str(f) for f in result.failures])
        assert (out / result.client_id / "index.html").is_file()
        for page in (out / result.client_id).glob("*.html"):
            assert "Traceback" not in page.read_text(encoding="utf-8"), page.name
    assert_no_leaks(out, tmp_path, Path.home(), Path(sys.prefix))
