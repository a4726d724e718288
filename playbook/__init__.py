"""Service Strategy Playbook: diagnose a client's service against strategy frameworks.

The folders are the layers, top to bottom; a module imports only from the layers below it
(the import-linter ``layers`` contract in pyproject.toml): ``cli`` > ``report`` | ``demo`` >
``pages`` > ``charts`` > ``diagnosis`` > ``indicators`` > ``analytics`` > ``data`` | ``units`` |
``theme`` > ``content`` > ``config``. Each subpackage's docstring says what it owns.
"""

__version__ = "0.1.0"
