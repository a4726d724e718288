"""Diagnosis: indicators scored against targets, blended into element and framework scores.

Owns ``core`` (the analysis period, measuring each indicator once, element and framework
diagnoses, the actions whose conditions hold), ``scoring`` (0-100 scores, blending with the
workshop assessment, bands: ``band_of``, means of the scores that exist: ``mean_score``) and
``summary`` (the executive summary's computations: maturity, top gaps, the 30/60/90-day plan,
each framework's page name). May import ``indicators``, ``data``, ``content``, ``units`` and
``config``; never draws, presents or renders.
"""

from importlib import import_module

#: The names this package exports, all from ``core``: imported when first asked for (the
#: renderer reads ``progress`` and ``summary`` without the indicators, pandas and numpy).
__all__ = [
    "ElementDiagnosis",
    "FrameworkDiagnosis",
    "IndicatorResult",
    "Period",
    "analysis_period",
    "diagnose",
    "diagnose_all",
    "iter_diagnoses",
]


def __getattr__(name: str) -> object:
    """Return an exported name, importing ``core`` on first use."""
    if name in __all__:
        return getattr(import_module("playbook.diagnosis.core"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
