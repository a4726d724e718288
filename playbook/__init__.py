"""Service Strategy Playbook: diagnose a client's service against strategy frameworks."""

__version__ = "0.1.0"
