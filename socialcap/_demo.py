"""`socialcap demo`: everything socialcap makes, on a fictional cohort, in one folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .datasets import synthetic
from .io import write_cohort

__all__ = ["run_demo"]


def run_demo(folder: Path, *, people: int = 40, waves: int = 3, seed: int = 1) -> Iterator[str]:
    """Write the demo into ``folder``, yielding one line of news per step."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    cohort = synthetic(people=people, waves=waves, seed=seed)
    tables = write_cohort(cohort, folder / "cohort")
    yield f"A fictional cohort of {len(cohort)} young people, {len(cohort.snapshots)} maps: {tables}/"
    yield f"Done. Everything is in {folder}/"
