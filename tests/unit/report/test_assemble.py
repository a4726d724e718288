"""What a client's report holds before it is published (no kernel, no render)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from playbook.report.assemble import Assembly
from playbook.report.results import NotebookResult


def test_a_report_missing_a_notebooks_result_is_not_ok():
    notebooks = [Path("01_exceed_expectations.ipynb"), Path("90_executive_summary.ipynb")]
    assembly = Assembly("acme", None, notebooks, datetime.now(timezone.utc))  # type: ignore[arg-type]

    assembly.results["01_exceed_expectations"] = NotebookResult("01_exceed_expectations", 1.0)
    assert not assembly.ok  # the summary never reported back: not a complete report

    assembly.results["90_executive_summary"] = NotebookResult(
        "90_executive_summary", 0.0, reused=True
    )
    assert assembly.ok
