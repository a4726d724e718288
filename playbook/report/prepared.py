"""A client as the renderer keeps it once prepared: settings, diagnoses, configuration.

``prepare.Preparation`` makes one by validating, loading and diagnosing the client;
``reuse.reused_client`` makes one without reading a table, for a report whose pages are all
reused (it carries the last report's scores instead of diagnoses). Neither keeps the tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from playbook.data.commentary import Commentary
from playbook.data.contract import ClientConfig
from playbook.data.settings import Settings

if TYPE_CHECKING:
    from playbook.data.prepared import PreparedClient
    from playbook.diagnosis import FrameworkDiagnosis

#: The prepared client's folder inside a client's staging folder (removed before publishing).
PREPARED_DIR = ".prepared"


class InvalidClient(Exception):
    """A client that cannot be rendered: unknown, or data that failed validation."""

    def __init__(self, problems: tuple[str, ...]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Prepared:
    """A prepared client as the renderer keeps it.

    ``diagnoses`` are empty, and ``folder`` (the tables handed to the kernels) None, for a
    client whose pages are all reused: ``scores`` then holds its last report's
    ``scores.json``, which the same inputs would make again.
    """

    settings: Settings
    config: ClientConfig
    commentary: Commentary
    #: the client's folder (its own pages are found there)
    source: Path | None
    diagnoses: tuple[FrameworkDiagnosis, ...] = ()
    folder: PreparedClient | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    scores: dict | None = None

    @property
    def client_name(self) -> str:
        """Return the client's display name."""
        return self.config.name

    @property
    def parameters(self) -> dict:
        """Return the parameters every notebook of this client runs with."""
        return self.settings.parameters()
