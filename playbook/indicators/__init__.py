"""Indicators: pure functions from a client's tables to numbers (nothing here draws).

Importing this package registers every indicator module below.
"""

from playbook.indicators.registry import IndicatorDef, Measurement, get, indicator, registered

__all__ = ["IndicatorDef", "Measurement", "get", "indicator", "registered"]
