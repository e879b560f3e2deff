"""socialcap: map a young person's relationships, groups and places as a personal network.

The public names live here, in one flat namespace::

    import socialcap as sc

    cohort = sc.read_cohort("folder/")       # or "cohort.xlsx"
    table = cohort.metrics()                 # one row per snapshot
    snap = cohort.timeline("P01").snapshots[-1]
    change = sc.compare(cohort.timeline("P01").snapshots[0], snap)
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

from ._exceptions import ArgumentError, ConflictError, NotFoundError, Problem, SocialcapError, ValidationError

if TYPE_CHECKING:  # pragma: no cover
    from . import analysis, community, datasets, interop, maps, metrics, plots, privacy, report, vocab
    from .change import Change, compare, describe
    from .cohort import Cohort
    from .graph import Snapshot, Timeline
    from .interop import from_networkx
    from .io import read_cohort, write_cohort
    from .metrics import register
    from .privacy import pseudonymise
    from .store import open_store

# Every name but the exceptions is imported on first use (PEP 562): `import socialcap`
# costs almost nothing, so `socialcap --help` starts without pandas, and maps, plots
# and statistics (matplotlib, pyvis, scipy.stats: seconds of start-up) are imported
# only by what draws or tests.  `sc.Cohort` imports socialcap.cohort when first named.
_LAZY_MODULES = ("analysis", "community", "datasets", "interop", "maps", "metrics", "plots", "privacy", "report", "vocab")
_LAZY_NAMES = {
    "Change": "change",
    "compare": "change",
    "describe": "change",
    "Cohort": "cohort",
    "Snapshot": "graph",
    "Timeline": "graph",
    "read_cohort": "io",
    "write_cohort": "io",
    "register": "metrics",
    "open_store": "store",
    "from_networkx": "interop",
    "pseudonymise": "privacy",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY_MODULES:
        value: Any = importlib.import_module(f".{name}", __name__)
    elif name in _LAZY_NAMES:
        value = getattr(importlib.import_module(f".{_LAZY_NAMES[name]}", __name__), name)
    elif not name.startswith("__") and importlib.util.find_spec(f"{__name__}.{name}") is not None:
        value = importlib.import_module(f".{name}", __name__)  # any other module: sc.io, sc.graph, ...
    else:
        raise AttributeError(f"module 'socialcap' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

__version__ = "0.1.0"

__all__ = [
    "Change",
    "Cohort",
    "ArgumentError",
    "ConflictError",
    "NotFoundError",
    "Problem",
    "Snapshot",
    "SocialcapError",
    "Timeline",
    "ValidationError",
    "__version__",
    "analysis",
    "community",
    "compare",
    "datasets",
    "describe",
    "from_networkx",
    "interop",
    "maps",
    "metrics",
    "open_store",
    "plots",
    "privacy",
    "pseudonymise",
    "read_cohort",
    "register",
    "report",
    "vocab",
    "write_cohort",
]
