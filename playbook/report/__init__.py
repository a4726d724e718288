"""The report: run the notebooks for each client and publish the deliverable.

Owns rendering (``render``: one client or many, staging and progress), running a notebook
(``execute``, papermill), exporting it to a page without code (``export``), dressing the
pages as one site (``site``), the PDF (``pdf``), the slide deck (``pptx``), atomic
publishing (``publish``), ``manifest.json``/``scores.json`` (``manifest``) and the portfolio
index (``portfolio``).
May import every layer below it; only ``cli`` imports it.
"""
