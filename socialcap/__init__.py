"""socialcap: map a young person's relationships, groups and places as a personal network.

The public names live here, in one flat namespace::

    import socialcap as sc

    cohort = sc.read_cohort("folder/")       # or "cohort.xlsx"
    table = cohort.metrics()                 # one row per snapshot
    snap = cohort.timeline("P01").snapshots[-1]
    change = sc.compare(cohort.timeline("P01").snapshots[0], snap)
"""

from __future__ import annotations

from . import analysis, datasets, interop, maps, metrics, plots, privacy, report, vocab
from ._exceptions import NotFoundError, Problem, SocialcapError, ValidationError
from .change import Change, compare, describe
from .cohort import Cohort
from .graph import Snapshot, Timeline
from .interop import from_networkx
from .io import read_cohort, write_cohort
from .metrics import register
from .privacy import pseudonymise

__version__ = "0.1.0"

__all__ = [
    "Change",
    "Cohort",
    "NotFoundError",
    "Problem",
    "Snapshot",
    "SocialcapError",
    "Timeline",
    "ValidationError",
    "__version__",
    "analysis",
    "compare",
    "datasets",
    "describe",
    "from_networkx",
    "interop",
    "maps",
    "metrics",
    "plots",
    "privacy",
    "pseudonymise",
    "read_cohort",
    "register",
    "report",
    "vocab",
    "write_cohort",
]
