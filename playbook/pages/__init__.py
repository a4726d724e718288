"""Pages: what a report notebook shows, as HTML, in the client's language.

Owns the HTML building blocks, the findings sentences, the framework page every notebook
opens, and one module per deep-dive page named by its framework slug (plus the executive
summary). May import ``charts``, ``diagnosis`` and everything below; never runs notebooks
or writes report files (that is ``report``).
"""
