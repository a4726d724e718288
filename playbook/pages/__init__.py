"""Pages: what a report notebook shows, as HTML, in the client's language.

Owns the HTML building blocks (``html``: the ``Html`` value a section returns, the one
escaper, labels, tables, figures), the findings sentences (``findings``), the page classes
(``framework``: the ``Page`` base with the one ``open``, ``FrameworkPage``, ``AnalysisPage``),
the registry that finds a page by framework slug (``registry``: ``open_page``), one module per
deep-dive page named by its slug, and the executive summary. May import ``charts``,
``diagnosis`` and everything below; never runs notebooks or writes report files (that is
``report``).
"""

__all__ = ["open_page", "page_class", "page_from_data", "register"]


def __getattr__(name: str) -> object:
    """Return the registry's functions on first use (importing the pages draws in matplotlib
    and every page; the renderer, which only escapes with ``pages.html``, never needs them)."""
    if name in __all__:
        from playbook.pages import registry

        return getattr(registry, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
