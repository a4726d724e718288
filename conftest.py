"""Repository-wide pytest hooks (fixtures live in tests/conftest.py).

Notebook items collected by nbval (``pytest notebooks --nbval-lax``) carry the ``slow``
marker, so ``-m "not slow"`` skips them with the end-to-end renders.
"""

from __future__ import annotations

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every notebook cell item as slow."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)
