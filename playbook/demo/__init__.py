"""Demo clients: the deterministic generator of the clients shipped in ``data/clients/``.

Owns the profiles (``profiles/<id>.yaml``, data loaded into the typed ``spec``), the
generator (``generate`` with ``commerce``, ``experience``, ``timeline``) and the writer
(``writer``: tables, client.yaml, assessment.yaml, byte-stable files). Run ``python -m
playbook.demo`` to regenerate them; see ``data/README.md``. May import ``data`` (the
contract it writes to) and ``config``; nothing imports it but the tests.
"""

from playbook.demo.generate import DemoClient, client_config, generate
from playbook.demo.profiles import PROFILES, profile
from playbook.demo.writer import write_client

__all__ = ["PROFILES", "DemoClient", "client_config", "generate", "profile", "write_client"]
