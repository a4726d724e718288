"""Framework content: the firm's method as data (YAML, zh + en), validated at load.

Owns the YAML files beside this module (one per framework, named by its slug, plus
``common.yaml`` for shared wording), their schema (``schema.py``, element parameters in
``params.py``, benchmark profiles in ``profiles.py``): typed, frozen objects, so a broken
file fails at load naming the file and field, and ``label()``, the one way code reads a
label. ``python -m playbook.content`` validates every file. Imports nothing of the package
but ``config``.
"""

from playbook.content.params import (
    ChurnParams,
    ClvParams,
    ElementParams,
    PackageParams,
    RfmParams,
)
from playbook.content.profiles import BenchmarkProfile, Benchmarks, ProfileTarget, benchmarks
from playbook.content.schema import (
    Action,
    Band,
    Case,
    Common,
    Condition,
    ContentError,
    Direction,
    Element,
    Framework,
    IndicatorRef,
    IndicatorText,
    Introduction,
    Role,
    Text,
    Unit,
    common,
    framework,
    frameworks,
    load_common_file,
    load_framework_file,
)


def label(key: str, lang: str, /, **values: object) -> str:
    """Return a label from common.yaml in ``lang``, filled with ``values`` when there are any.

    The one way code reads a label.
    """
    text = common().labels[key](lang)
    return text.format(**values) if values else text


__all__ = [
    "Action",
    "Band",
    "BenchmarkProfile",
    "Benchmarks",
    "Case",
    "ChurnParams",
    "ClvParams",
    "Common",
    "Condition",
    "ContentError",
    "Direction",
    "Element",
    "ElementParams",
    "Framework",
    "IndicatorRef",
    "IndicatorText",
    "Introduction",
    "PackageParams",
    "ProfileTarget",
    "RfmParams",
    "Role",
    "Text",
    "Unit",
    "benchmarks",
    "common",
    "framework",
    "frameworks",
    "label",
    "load_common_file",
    "load_framework_file",
]
