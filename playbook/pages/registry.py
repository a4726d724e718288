"""Find a page's class by its slug: the key of a framework (its content file and notebook).

A framework without a page module of its own is shown by ``FrameworkPage``. A deep-dive page
lives in the module named by its slug (``pages/customer_value.py``) and registers its class
there with ``@register("customer_value")``; ``page_class`` imports that module on first use,
so a new page is a new module, never an ``if`` here. Notebooks call ``open_page``.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from collections.abc import Callable

from playbook.config import DEFAULT_CLIENT, DEFAULT_PERIOD_DAYS
from playbook.data.model import ClientData
from playbook.pages.framework import FrameworkPage, Page

_PAGES: dict[str, type[Page]] = {}
_SLUG = re.compile(r"^[a-z][a-z0-9_]*$")


def register(slug: str) -> Callable[[type[Page]], type[Page]]:
    """Return a class decorator that makes its page class the page of ``slug``.

    Raises:
        ValueError: another class is already registered for ``slug``.
    """

    def add(cls: type[Page]) -> type[Page]:
        known = _PAGES.get(slug)
        if known is not None and known.__qualname__ != cls.__qualname__:
            raise ValueError(f"page {slug!r} is already {known.__qualname__}")
        _PAGES[slug] = cls
        return cls

    return add


def page_class(slug: str) -> type[Page]:
    """Return the page class of ``slug``: its registered class, else ``FrameworkPage``.

    Raises:
        ValueError: ``slug`` is not a slug (lower-case letters, digits, underscores).
    """
    if not _SLUG.match(slug):
        raise ValueError(f"not a page slug: {slug!r}")
    if slug not in _PAGES and importlib.util.find_spec(f"{__package__}.{slug}") is not None:
        importlib.import_module(f"{__package__}.{slug}")
    return _PAGES.get(slug, FrameworkPage)


def registered() -> dict[str, type[Page]]:
    """Return the page classes registered so far, by slug."""
    return dict(_PAGES)


def open_page(
    slug: str,
    client_id: str = DEFAULT_CLIENT,
    clients_dir: str = "",
    lang: str = "",
    as_of: str = "",
    period_days: int = DEFAULT_PERIOD_DAYS,
    reports_dir: str = "",
) -> Page:
    """Open the page of ``slug`` for a client (arguments as ``Page.open``)."""
    return page_class(slug).open(
        slug, client_id, clients_dir, lang, as_of, period_days, reports_dir
    )


def page_from_data(
    slug: str,
    data: ClientData,
    lang: str = "",
    as_of: str = "",
    period_days: int = DEFAULT_PERIOD_DAYS,
) -> Page:
    """Prepare the page of ``slug`` from already-loaded client data (see ``Page.from_data``)."""
    return page_class(slug).from_data(slug, data, lang, as_of, period_days)
