"""`socialcap demo`: everything socialcap makes, on a fictional cohort, in one folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from . import community
from .cohort import Cohort
from .datasets import synthetic
from .interop import write_egor
from .io import write_cohort
from .maps import change, html, save
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
    store = folder / "maps.db"
    write_cohort(cohort, store)
    yield f"The same cohort in a store that keeps every version of every map: {store}"
    yield from _maps(cohort, folder / "maps")
    table = cohort.metrics()
    yield f"Metrics of every map (no names): {write_metrics(table, folder / 'metrics.csv')}"
    assets = community.assets(cohort, baseline="first", followup="last")
    chart, page = community.write(assets, folder / "assets.png"), community.write(assets, folder / "assets.html")
    yield f"The community assets young people share (small counts hidden): {chart} and {page}"
    report = write_report(cohort, folder / "report", metrics=table)
    yield f"A report with no names and small groups hidden: {report}"
    yield f"The same cohort as egor's three files, for R: {write_egor(cohort, folder / 'egor')}/"
    yield f"Done. Everything is in {folder}/"


def _maps(cohort: Cohort, folder: Path) -> Iterator[str]:
    """Maps of a young person with at least two maps (one whose hope came true, if anyone's did)."""
    from .change import compare

    several = [t for t in cohort.timelines() if len(t) >= 2]
    if not several:
        return
    timeline = next((t for t in several if compare(t.snapshots[0], t.snapshots[-1]).hopes_realised), several[0])
    first, last = timeline.snapshots[0], timeline.snapshots[-1]
    person = timeline.person_id
    printable = save(last, folder / f"{person}-map.pdf")
    picture = save(last, folder / f"{person}-map.png")
    interactive = html(last, folder / f"{person}-map.html")
    changed = save(change(first, last), folder / f"{person}-change.png")
    yield f"Maps of {last.name or person} ({person}): {picture}, {printable} (for printing),"
    yield f"  {interactive} (interactive, works offline) and what changed: {changed}"
