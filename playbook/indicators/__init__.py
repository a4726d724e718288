"""Indicators: one number per indicator from a client's tables, with its breakdown.

Owns the registry (``registry``: ``@indicator`` with the tables and columns each needs) and
the indicator modules by subject (``commerce``, ``customers``, ``experience``, ``value``,
``value_pricing``, ``value_marketing``, ``word_of_mouth``, ``incidents``; shared helpers in
``aggregate``). Importing this package registers every indicator module. May import
``analytics``, ``data`` and ``content``; nothing here scores, draws or renders.
"""

import playbook.indicators.commerce  # noqa: F401  (registers its indicators)
import playbook.indicators.customers  # noqa: F401
import playbook.indicators.experience  # noqa: F401
import playbook.indicators.incidents  # noqa: F401
import playbook.indicators.value  # noqa: F401
import playbook.indicators.value_marketing  # noqa: F401
import playbook.indicators.value_pricing  # noqa: F401
import playbook.indicators.word_of_mouth  # noqa: F401
from playbook.indicators.registry import (
    Incident,
    IndicatorDef,
    Measurement,
    get,
    indicator,
    registered,
)

__all__ = ["IndicatorDef", "Incident", "Measurement", "get", "indicator", "registered"]
