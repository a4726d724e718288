"""Deterministic generator of the demo clients shipped in ``data/clients/``.

Run ``python -m playbook.demo`` to regenerate them; see ``data/README.md``.
"""

from playbook.demo.generate import DemoClient, client_config, generate
from playbook.demo.profiles import PROFILES, profile
from playbook.demo.writer import write_client

__all__ = ["PROFILES", "DemoClient", "client_config", "generate", "profile", "write_client"]
