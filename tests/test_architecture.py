"""The package's layers (DESIGN.md) hold and the code is formatted: the checks `make lint` runs."""

import subprocess
import sys
from pathlib import Path

from playbook.config import REPO_DIR

BIN = Path(sys.executable).parent


def test_import_contracts_are_kept():
    run = subprocess.run([str(BIN / "lint-imports")], cwd=REPO_DIR, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_every_module_is_formatted():
    run = subprocess.run(
        [str(BIN / "ruff"), "format", "--check", "playbook", "tests", "benchmarks"],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
