"""What a render reports: per notebook, per client, and one progress line per notebook."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from playbook.report.execute import Failure


@dataclass(frozen=True)
class NotebookResult:
    """The outcome of one notebook (or step) for one client.

    ``reused``: the page was taken from the last good report; ``reason`` says why it ran or
    was reused (see ``incremental.decide``).
    """

    notebook: str
    seconds: float
    failure: Failure | None = None
    reused: bool = False
    reason: str = ""

    @property
    def ok(self) -> bool:
        """Tell whether the notebook ran and exported."""
        return self.failure is None


@dataclass(frozen=True)
class ClientResult:
    """The outcome for one client: invalid data, or the notebooks' results."""

    client_id: str
    problems: tuple[str, ...] = ()
    notebooks: tuple[NotebookResult, ...] = ()
    report_dir: Path | None = None

    @property
    def ok(self) -> bool:
        """Tell whether the client's report was published."""
        return not self.problems and all(n.ok for n in self.notebooks)

    @property
    def failures(self) -> list[Failure]:
        """The failed notebooks, in order."""
        return [n.failure for n in self.notebooks if n.failure is not None]


@dataclass(frozen=True)
class ProgressEvent:
    """One finished notebook (or a skipped client), for the progress display."""

    done: int
    total: int
    client_id: str
    notebook: str
    seconds: float
    ok: bool
    reused: bool = False


Progress = Callable[[ProgressEvent], None]


def print_progress(event: ProgressEvent) -> None:
    """Print one progress line to stderr, e.g. "[3/15] brewlane_coffee · 01_x · 6.2 s"."""
    status = "" if event.ok else " · FAILED"
    took = "reused" if event.reused else f"{event.seconds:.1f} s"
    print(
        f"[{event.done}/{event.total}] {event.client_id} · {event.notebook} · {took}{status}",
        file=sys.stderr,
        flush=True,
    )


class Counter:
    """Counts finished notebooks across worker threads and reports each one."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total, self.done, self.progress = total, 0, progress
        self._lock = threading.Lock()

    def resize(self, delta: int) -> None:
        """Change the expected number of notebooks (a client's scope and own pages)."""
        with self._lock:
            self.total += delta

    def tick(
        self,
        client_id: str,
        notebook: str,
        seconds: float,
        ok: bool,
        n: int = 1,
        reused: bool = False,
    ) -> None:
        """Count ``n`` finished notebooks (0 for a step such as the PDF) and report them."""
        with self._lock:
            self.done += n
            if self.progress is not None:
                event = ProgressEvent(self.done, self.total, client_id, notebook, seconds, ok)
                self.progress(replace(event, reused=reused))
