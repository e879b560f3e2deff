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
from typing import TYPE_CHECKING, Any

from . import datasets, metrics, vocab
from ._exceptions import ConflictError, NotFoundError, Problem, SocialcapError, ValidationError
from .change import Change, compare, describe
from .cohort import Cohort
from .graph import Snapshot, Timeline
from .io import read_cohort, write_cohort
from .metrics import register
from .store import open_store

if TYPE_CHECKING:  # pragma: no cover
    from . import analysis, community, interop, maps, plots, privacy, report
    from .interop import from_networkx
    from .privacy import pseudonymise

# Maps, plots and statistics pull in matplotlib, pyvis and scipy.stats (seconds of
# start-up); they are imported on first use, so a command that needs none of them,
# such as `socialcap metrics`, starts quickly (PEP 562).
_LAZY_MODULES = ("analysis", "community", "interop", "maps", "plots", "privacy", "report")
_LAZY_NAMES = {"from_networkx": "interop", "pseudonymise": "privacy"}


def __getattr__(name: str) -> Any:
    if name in _LAZY_MODULES:
        value: Any = importlib.import_module(f".{name}", __name__)
    elif name in _LAZY_NAMES:
        value = getattr(importlib.import_module(f".{_LAZY_NAMES[name]}", __name__), name)
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
