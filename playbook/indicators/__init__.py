"""Indicators: pure functions from a client's tables to numbers (nothing here draws).

Importing this package registers every indicator module below.
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
