"""socialcap: map a young person's relationships, groups and places as a personal network.

The public names live here, in one flat namespace::

    import socialcap as sc
    cohort = sc.read_cohort("folder/")
    table = cohort.metrics()
"""

from __future__ import annotations

from . import datasets, vocab
from ._exceptions import NotFoundError, Problem, SocialcapError, ValidationError
from .change import Change, compare
from .cohort import Cohort
from .graph import Snapshot, Timeline
from .io import read_cohort, write_cohort

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
    "compare",
    "datasets",
    "read_cohort",
    "vocab",
    "write_cohort",
]
