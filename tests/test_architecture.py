"""The package's layers (DESIGN.md) hold: import-linter checks the contracts in pyproject.toml."""

import subprocess
import sys
from pathlib import Path

from playbook.config import REPO_DIR


def test_import_contracts_are_kept():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    run = subprocess.run([str(lint_imports)], cwd=REPO_DIR, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout
