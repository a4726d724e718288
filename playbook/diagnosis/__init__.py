"""Diagnosis: indicators scored against targets, blended into element and framework scores.

Owns ``core`` (the analysis period, measuring each indicator once, element and framework
diagnoses, the actions whose conditions hold), ``scoring`` (0-100 scores, blending with the
workshop assessment, bands: ``band_of``, means of the scores that exist: ``mean_score``) and
``summary`` (the executive summary's computations: maturity, top gaps, the 30/60/90-day plan,
each framework's page name). May import ``indicators``, ``data``, ``content``, ``units`` and
``config``; never draws, presents or renders.
"""

from playbook.diagnosis.core import (
    ElementDiagnosis,
    FrameworkDiagnosis,
    IndicatorResult,
    Period,
    analysis_period,
    diagnose,
    diagnose_all,
    iter_diagnoses,
)

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
