"""`socialcap demo`: everything socialcap makes, on a fictional cohort, in one folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .datasets import synthetic
from .interop import write_egor
from .io import write_cohort
from .metrics import write_metrics
from .report import write_report

__all__ = ["run_demo"]


def run_demo(folder: Path, *, people: int = 40, waves: int = 3, seed: int = 1) -> Iterator[str]:
    """Write the demo into ``folder``, yielding one line of news per step."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    cohort = synthetic(people=people, waves=waves, seed=seed)
    tables = write_cohort(cohort, folder / "cohort")
    yield f"A fictional cohort of {len(cohort)} young people and {len(cohort.snapshots)} maps: {tables}/"
    table = cohort.metrics()
    yield f"Metrics of every map (no names): {write_metrics(table, folder / 'metrics.csv')}"
    report = write_report(cohort, folder / "report", metrics=table)
    yield f"A report with no names and small groups hidden: {report}"
    yield f"The same cohort as egor's three files, for R: {write_egor(cohort, folder / 'egor')}/"
    yield f"Done. Everything is in {folder}/"
