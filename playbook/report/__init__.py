"""The report: run the notebooks for each client and publish the deliverable.

Owns rendering (``render``: one client or many, staging and progress), running a notebook
(``execute``, papermill), exporting it to a page without code (``export``, through the
nbconvert template in ``templates/client_page``), dressing the pages as one site (``site``),
the PDF (``pdf``), the slide deck (``pptx``), atomic publishing (``publish``),
``manifest.json``/``scores.json`` (``manifest``) and the portfolio index (``portfolio``).
May import every layer below it (``pages`` for the escaper, ``diagnosis`` for the scores);
only ``cli`` imports it.
"""
