"""An engagement end to end: new client, workbook, scope, commentary, client page, history.

One small client (ten rows per sheet, outside the repo) is rendered a few times by a
module-scoped fixture, each render with only the notebooks it needs:

1. as of 2024-01-05 (five-day periods), HTML and PDF: the two frameworks of its scope, its
   own page (``02_channel_orders``) and the summary;
2. its own page swapped for a failing one: reported by client, notebook and cell; the
   report stays;
3. as of 2024-01-10: framework 01 and the summary (progress since render 1);
4. as of 2024-01-10 again: the summary only (no second snapshot of the same day).
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from nbformat.v4 import new_code_cell, new_notebook

from playbook.cli import main
from playbook.config import NOTEBOOKS_DIR

pytestmark = pytest.mark.slow

FIRST, SECOND = "2024-01-05", "2024-01-10"
SCOPE = {
    "frameworks": ["journey_goals", "exceed_expectations"],
    "exclude_elements": {"journey_goals": {"refreshed_scenes": "Store visits only this round"}},
}
COMMENTARY = {
    "author": "Engagement team",
    "summary": "CANARY-SUMMARY steady service. <script>alert('x')</script>",
    "frameworks": {
        "exceed_expectations": {
            "elements": {
                "omnichannel_service": {
                    "view": "CANARY-VIEW delivery and store feel like two brands.",
                    "actions": [
                        {
                            "text": "CANARY-ACTION one loyalty card for both channels",
                            "kpi": "Two-channel customers",
                            "target": "30%",
                            "owner": "Head of CRM",
                            "due_days": 30,
                        }
                    ],
                    "hide_actions": [
                        {"id": "cross_channel_offer", "reason": "CANARY-REASON not now"}
                    ],
                }
            }
        }
    },
}


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def notebooks_only(folder: Path, *names: str) -> Path:
    """Return a notebooks folder holding copies of some shared notebooks."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(NOTEBOOKS_DIR / name, folder / name)
    return folder


def visible(page: Path) -> str:
    """Return a page's text: no styles or scripts, tags dropped, entities decoded."""
    text = re.sub(r"<(style|script)\b.*?</\1>", " ", page.read_text("utf-8"), flags=re.S)
    text = re.sub(r"</?(strong|em|span|a|b)\b[^>]*>", "", text)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def render(root: Path, as_of: str, notebooks: Path, fmt: str = "html"):
    return run(
        "render", "acme", "--clients-dir", root / "clients", "--out", root / "reports",
        "--notebooks-dir", notebooks, "--as-of", as_of, "--period-days", 5, "--format", fmt,
    )  # fmt: skip


@pytest.fixture(scope="module")
def engagement(tmp_path_factory, ten_rows, fill_workbook) -> dict:
    root = tmp_path_factory.mktemp("engagement")
    clients = root / "clients"
    made = run(
        "new", "acme", "--name", "Acme Coffee", "--industry", "coffee", "--lang", "en",
        "--currency", "USD", "--channels", "store,delivery", "--clients-dir", clients,
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    folder = clients / "acme"
    config = yaml.safe_load((folder / "client.yaml").read_text("utf-8"))
    config.update(
        journey_stages=["aware", "visit", "order"],
        touchpoints=["app", "counter"],
        tiers=["gold", "basic"],
        report=SCOPE,
    )
    (folder / "client.yaml").write_text(yaml.safe_dump(config), "utf-8")
    assert run("workbook", "acme", "--clients-dir", clients, "--force").exit_code == 0
    tables = ("orders", "customers", "journey", "survey", "costs", "experiments")
    fill_workbook(folder / "acme_data_request.xlsx", {t: ten_rows(t) for t in tables})
    (folder / "commentary.yaml").write_text(yaml.safe_dump(COMMENTARY), "utf-8")
    starter = folder / "notebooks" / "example_client_page.ipynb"
    shutil.copy(starter, folder / "notebooks" / "02_channel_orders.ipynb")
    out = {"root": root, "validate": run("validate", "acme", "--clients-dir", clients)}

    out["first"] = render(root, FIRST, NOTEBOOKS_DIR, "html,pdf")
    report = root / "reports" / "acme"
    out["first_pages"] = sorted(p.name for p in report.glob("*.html"))
    out["first_scores"] = json.loads((report / "scores.json").read_text("utf-8"))
    out["first_index"] = (report / "index.html").read_bytes()
    for name in ("index.html", "01_exceed_expectations.html", "03_journey_goals.html"):
        out[name] = visible(report / name)
    out["client_page"] = (report / "02_channel_orders.html").read_text("utf-8")
    pypdf = pytest.importorskip("pypdf")
    out["pdf"] = "".join(p.extract_text() for p in pypdf.PdfReader(report / "report.pdf").pages)

    broken = new_notebook(cells=[new_code_cell("1 / 0")])
    broken.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    (folder / "notebooks" / "02_channel_orders.ipynb").unlink()
    (folder / "notebooks" / "04_broken.ipynb").write_text(json.dumps(broken), "utf-8")
    out["failed"] = render(root, FIRST, notebooks_only(root / "none"))
    out["index_after_failure"] = (report / "index.html").read_bytes()
    (folder / "notebooks" / "04_broken.ipynb").unlink()

    summary_only = notebooks_only(root / "summary", "90_executive_summary.ipynb")
    two = notebooks_only(root / "two", "01_exceed_expectations.ipynb", "90_executive_summary.ipynb")
    out["second"] = render(root, SECOND, two)
    out["second_scores"] = json.loads((report / "scores.json").read_text("utf-8"))
    out["second_index"] = visible(report / "index.html")
    out["second_01"] = visible(report / "01_exceed_expectations.html")
    out["third"] = render(root, SECOND, summary_only)
    out["history"] = sorted(p.name for p in (report / "history").iterdir())
    out["portfolio"] = visible(root / "reports" / "index.html")
    return out


def test_the_filled_workbook_validates_and_renders(engagement):
    assert engagement["validate"].exit_code == 0, engagement["validate"].output
    assert "orders 10 · customers 10 · journey 10 · survey 10 · costs 10 · experiments 10" in (
        engagement["validate"].output
    )
    assert engagement["first"].exit_code == 0, engagement["first"].output


def test_only_the_scope_and_the_client_page_are_rendered_and_linked(engagement):
    assert engagement["first_pages"] == [
        "01_exceed_expectations.html",
        "02_channel_orders.html",
        "03_journey_goals.html",
        "index.html",
    ]
    page = engagement["client_page"]
    nav = page[page.index('<nav class="pb-nav"') : page.index("</nav>")]
    assert re.findall(r'href="([^"]+)"', nav) == [
        "index.html",
        "01_exceed_expectations.html",
        "02_channel_orders.html",  # placed by its number among the framework pages
        "03_journey_goals.html",
    ]
    assert "Deep dive: orders by channel" in nav
    assert '<header class="pb-site-header"' in page and "Acme Coffee" in page


def test_maturity_is_the_mean_of_the_two_frameworks_and_exclusions_are_listed(engagement):
    scores = engagement["first_scores"]
    by_id = {f["id"]: f for f in scores["frameworks"]}

    assert list(by_id) == ["exceed_expectations", "journey_goals"]
    mean = (by_id["exceed_expectations"]["score"] + by_id["journey_goals"]["score"]) / 2
    assert scores["score"] == pytest.approx(mean, abs=1e-6)
    assert f"Service maturity: {scores['score']:.0f}/100" in engagement["index.html"]
    journey = by_id["journey_goals"]
    assert "refreshed_scenes" not in [e["id"] for e in journey["elements"]]
    assert [(x["id"], x["reason"]) for x in journey["excluded"]] == [
        ("refreshed_scenes", "Store visits only this round")
    ]
    assert (
        "Not assessed in this engagement: Store visits only this round"
        in (engagement["03_journey_goals.html"])
    )


def test_the_strategist_view_reaches_the_page_and_the_pdf_escaped(engagement):
    page, index = engagement["01_exceed_expectations.html"], engagement["index.html"]

    assert "Strategist's view CANARY-VIEW delivery and store feel like two brands." in page
    assert "CANARY-VIEW delivery and store feel like two brands." in engagement["pdf"]
    assert "CANARY-SUMMARY steady service. <script>alert('x')</script>" in index
    assert "<script>alert" not in engagement["first_index"].decode("utf-8")


def test_added_action_in_the_plan_hidden_action_in_the_appendix(engagement):
    index, page = engagement["index.html"], engagement["01_exceed_expectations.html"]

    assert (
        "Days 1–30 within 30 days CANARY-ACTION one loyalty card for both channels "
        "Added by the strategist Two-channel customers 30% Head of CRM"
    ) in index
    hidden = "Create hand-over offers"
    assert hidden not in page and hidden not in index.split("Appendix")[0]
    assert "CANARY-REASON not now" in index.split("Appendix")[1]
    assert index.count("No earlier report to compare with yet") == 1


def test_a_failing_client_page_is_reported_and_the_report_stays(engagement):
    failed = engagement["failed"]

    assert failed.exit_code == 1
    assert re.search(r"acme · 04_broken · cell \d+: ZeroDivisionError", failed.output)
    assert engagement["index_after_failure"] == engagement["first_index"]


def test_progress_since_the_previous_report_equals_the_scores_difference(engagement):
    assert engagement["second"].exit_code == 0, engagement["second"].output
    before, after = engagement["first_scores"], engagement["second_scores"]
    index = engagement["second_index"]

    overall = after["score"] - before["score"]
    assert f"Previous report: data to {FIRST}" in index
    assert f"{abs(overall):.1f} pts" in index.split("Change since the last report")[1][:40]
    for fw_before, fw_after in zip(before["frameworks"], after["frameworks"], strict=True):
        moved = fw_after["score"] - fw_before["score"]
        sign = "" if f"{abs(moved):.1f}" == "0.0" else ("+" if moved > 0 else "−")
        row = f"{fw_before['score']:.0f} {'▲▼→'[0 if moved >= 0.5 else 1 if moved <= -0.5 else 2]}"
        assert f"{row} {sign}{abs(moved):.1f} pts" in index
    element = next(e for e in before["frameworks"][0]["elements"] if e["score"] is not None)
    assert f"Previous report (data to {FIRST}): {element['score']:.0f}" in engagement["second_01"]


def test_a_rerender_of_the_same_day_adds_no_snapshot(engagement):
    assert engagement["third"].exit_code == 0, engagement["third"].output
    assert engagement["history"] == [f"{FIRST}.json", f"{SECOND}.json"]
    assert f"since {FIRST}" in engagement["portfolio"]
