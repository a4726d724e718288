"""Validate every content file: ``python -m playbook.content`` (exit 1 naming file and field)."""

import sys

from playbook.content.profiles import benchmarks
from playbook.content.schema import ContentError, common, frameworks


def main() -> int:
    """Load every framework and common.yaml; print a summary or the first error."""
    try:
        loaded = frameworks()
        common()
        profiles = benchmarks().profiles
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return 1
    counts = ", ".join(f"{f.id} ({len(f.elements)})" for f in loaded)
    print(f"content ok: {len(loaded)} frameworks: {counts}; benchmark profiles: {len(profiles)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
