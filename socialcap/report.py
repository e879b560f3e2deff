"""The cohort report: one self-contained HTML page for analysts and commissioners.

`write_report` writes ``report.html`` (plots inline as PNG data URIs, CSS inline,
no script, no remote anything, and a Content-Security-Policy that forbids them) and
``summary.csv`` (the same suppressed summaries as a table) into a folder.

What the report holds: a cohort overview; the share isolated and the share
lonely per map; change between baseline and follow-up by ward and by age band;
hopes held at baseline and follow-up and hopes that came true; reliance on paid
people over time; and how each figure is defined.  It carries
no name, no note and no person id, and every figure resting on fewer than
``min_count`` young people is blanked (`socialcap.privacy.suppress`).
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import analysis, plots
from .analysis import TOTAL, Wave
from ._words import month_year
from .metrics import METRICS
from .io import atomic_write, write_frame

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from .cohort import Cohort

__all__ = ["build_report", "write_report", "REPORT_METRICS", "DEFINITIONS"]

#: The metrics whose change the report breaks down by ward and age band.
REPORT_METRICS: tuple[str, ...] = (
    "people",
    "informal_people",
    "close_informal",
    "paid_share",
    "lsns6",
    "isolated",
    "ucla3",
    "lonely",
    "hopes",
)

#: How each figure of the report is defined, in plain words (SPEC §3): the metric
#: registry's ``meaning`` of each (`socialcap.metrics.register`).
DEFINITIONS: dict[str, str] = {
    name: METRICS[name].meaning
    for name in ("people", "informal_people", "paid_people", "paid_share", "close_informal", "lsns6", "isolated",
                 "ucla3", "lonely", "hopes")
}

_STATISTICS = (
    "Change is the follow-up minus the baseline, for the same young people. The interval around the mean "
    "change is a 95% t-interval of the mean paired difference. The p-value is from the Wilcoxon signed-rank "
    "test (two-sided; young people with no change are left out of the test): exact when 50 or fewer young "
    "people changed (ties included), otherwise the normal approximation with tie and continuity corrections. "
    "The effect size is the "
    "matched-pairs rank-biserial correlation: +1 when everyone went up, -1 when everyone went down, 0 when ups "
    "and downs balance. For yes/no figures (isolated, lonely) the means are shares."
)


def _figure_uri(fig: Figure) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _number(value: Any, kind: str = "mean") -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if kind == "count":
        return f"{int(value):,}"
    if kind == "share":
        return f"{value:.0%}"
    if kind == "p":
        return "< 0.001" if value < 0.001 else f"{value:.3f}"
    return f"{value:.2f}"


def _count(n: int, round_counts: bool) -> str:
    return f"{int(5 * math.floor(n / 5 + 0.5)) if round_counts else n:,}"


def _is_share(metric: str) -> bool:
    return metric in ("isolated", "lonely", "paid_share")


def _summary_rows(summary: pd.DataFrame, by: str, min_count: int) -> list[dict[str, Any]]:
    rows = []
    for record in summary.to_dict("records"):
        metric = record["metric"]
        share = _is_share(metric)
        change_kind = "share" if share else "mean"
        rows.append(
            {
                "group": record[by],
                "total": record[by] == TOTAL,
                "metric": plots.METRIC_LABELS.get(metric, metric),
                "suppressed": bool(record["suppressed"]),
                "cells": (
                    [f"fewer than {min_count}", *["–"] * 6]
                    if record["suppressed"]
                    else [
                        _number(record["n"], "count"),
                        _number(record["baseline_mean"], "share" if share else "mean"),
                        _number(record["followup_mean"], "share" if share else "mean"),
                        _signed(record["mean_change"], change_kind),
                        f"{_signed(record['ci_low'], change_kind)} to {_signed(record['ci_high'], change_kind)}"
                        if not pd.isna(record["ci_low"])
                        else "–",
                        _number(record["p_value"], "p"),
                        _signed(record["effect_size"], "mean"),
                    ]
                ),
            }
        )
    return rows


def _signed(value: Any, kind: str) -> str:
    # A change of a share is in percentage points, not per cent of the share.
    if kind == "share" and not (value is None or value is pd.NA or math.isnan(float(value))):
        text = f"{float(value) * 100:.0f} pts"
        return ("+" + text if float(value) > 0 and text[0] != "-" else text).replace("-", "−")
    text = _number(value, kind)
    if text != "–" and not text.startswith("-") and float(value) > 0:
        text = "+" + text
    return text.replace("-", "−")


def _community_section(cohort: Cohort, baseline: Wave | str, followup: Wave | str, min_count: int) -> dict[str, Any] | None:
    """The community assets (SPEC §12): the chart and its table, or None when no map names an asset."""
    if "asset_id" not in cohort.connections.columns or cohort.connections["asset_id"].isna().all():
        return None
    from . import community, maps

    table = community.assets(cohort, baseline=baseline, followup=followup, min_count=min_count)
    under = f"fewer than {min_count}"

    def shown(value: Any) -> str:
        return under if pd.isna(value) else _number(value, "count")

    rows = [
        {
            "cells": [
                "" if pd.isna(r["name"]) else " ".join(str(r["name"]).split()) or str(r["asset_id"]),
                "" if pd.isna(r["kind"]) else str(r["kind"]),
                "" if pd.isna(r["ward"]) else str(r["ward"]),
                shown(r["young_people"]),
                shown(r["joined"]),
                shown(r["left"]),
            ],
            "suppressed": bool(r["suppressed"]),
        }
        for r in table.to_dict("records")
    ]
    return {
        "figure": _figure_uri(maps.assets_chart(table)),
        "rows": rows,
        "assets": len(table),
        "change": table.attrs.get("change_words", ""),
    }


def _with_hope_counts(cohort: Cohort, change: analysis.CohortChange) -> analysis.CohortChange:
    """The change table with how many hopes were added, came true and were let go per person."""
    import dataclasses

    from .change import change_counts

    table = change.table
    columns = ["hopes_added", "hopes_realised", "hopes_let_go"]
    connections = cohort.connections
    if "hope" not in connections.columns or not connections["hope"].to_numpy(dtype=bool, na_value=False).any():
        # No map holds a hope (many cohorts record none): every count is 0, without comparing maps.
        hopes = pd.DataFrame({c: np.zeros(len(table), dtype="int64") for c in columns}, index=table.index)
        return dataclasses.replace(change, table=pd.concat([table, hopes], axis=1))
    pairs = pd.DataFrame(
        {"person_id": table.index, "before": table["baseline_date"].to_numpy(), "after": table["followup_date"].to_numpy()}
    )
    counts = change_counts(connections, cohort.ties, pairs)
    hopes = counts[columns].set_axis(table.index)
    return dataclasses.replace(change, table=pd.concat([table, hopes], axis=1))


def _hopes_overview(overall: pd.DataFrame, min_count: int, round_counts: bool) -> dict[str, Any] | None:
    """The hopes held at baseline and follow-up and those that came true, for everyone (suppressed alike)."""
    rows = overall[overall["metric"] == "hopes"]
    if rows.empty:
        return None
    row = rows.iloc[0]
    if row["suppressed"]:
        return {"suppressed": True, "cells": [f"fewer than {min_count}", *["–"] * 4]}
    people = row["people_with_hopes_realised"]
    return {
        "suppressed": False,
        "any": bool(row["baseline_mean"] > 0 or row["followup_mean"] > 0 or row["hopes_realised"] > 0),
        "cells": [
            _number(row["n"], "count"),
            _number(row["baseline_mean"]),
            _number(row["followup_mean"]),
            _number(row["hopes_realised"], "count"),
            _count(int(people), round_counts) if not pd.isna(people) else "–",
        ],
    }


def build_report(
    cohort: Cohort,
    *,
    metrics: pd.DataFrame | None = None,
    min_count: int = 5,
    round_counts: bool = False,
    baseline: Wave | str = "first",
    followup: Wave | str = "last",
    by: Sequence[str] = ("ward", "age_band"),
    title: str = "How connected are the young people?",
    verbose: bool = False,
) -> tuple[str, pd.DataFrame]:
    """The report's HTML text and its summaries table (both suppressed).

    ``metrics`` reuses a metrics table already computed (default:
    ``cohort.metrics()``); the other arguments are those of `write_report`.

    Examples
    --------
    >>> import socialcap as sc
    >>> cohort = sc.datasets.synthetic(people=30, waves=2, seed=1)
    >>> html, summaries = build_report(cohort)
    >>> html.startswith("<!DOCTYPE html>"), "<script" in html
    (True, False)
    >>> "P001" in html, "Content-Security-Policy" in html
    (False, True)
    >>> summaries["breakdown"].unique().tolist()
    ['everyone', 'ward', 'age_band']
    >>> summaries[["breakdown", "group", "metric", "n"]].head(2)
      breakdown       group           metric   n
    0  everyone  All people           people  25
    1  everyone  All people  informal_people  25
    """
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from tqdm.auto import tqdm

    # One step per piece of work (each breakdown, each figure), named as it starts,
    # so that the bar moves steadily on a large cohort.
    steps = tqdm(total=5 + len(by) + 6, disable=not verbose, desc="Report", unit="step")

    def step(doing: str) -> None:
        steps.set_postfix_str(doing, refresh=False)
        steps.update()

    if metrics is None:
        metrics = cohort.metrics(verbose=verbose)
    step("metrics")
    change = analysis.change_table(
        metrics, cohort.people, baseline=baseline, followup=followup,
        columns=[c for c in by if c in cohort.people.columns or c == "age_band"],
    )
    change = _with_hope_counts(cohort, change)
    present = [m for m in REPORT_METRICS if f"{m}_change" in change.table.columns]
    step("baseline and follow-up")
    breakdowns = []
    tables = []
    for column in by:
        if column not in change.table.columns:
            continue
        summary = analysis.summarise(
            change, by=column, metrics=present, min_count=min_count, round_counts=round_counts
        )
        tables.append(summary.rename(columns={column: "group"}).assign(breakdown=column))
        breakdowns.append(
            {"name": column.replace("_", " "), "rows": _summary_rows(summary, column, min_count)}
        )
        step(f"change by {column.replace('_', ' ')}")
    steps.update(sum(column not in change.table.columns for column in by))
    overall = analysis.summarise(change, metrics=present, min_count=min_count, round_counts=round_counts)
    tables.insert(0, overall.assign(breakdown="everyone"))
    summaries = pd.concat(tables, ignore_index=True)
    summaries = summaries[["breakdown", "group", *[c for c in summaries.columns if c not in ("breakdown", "group")]]]
    step("change for everyone")

    waves = analysis.wave_summary(metrics, min_count=min_count, round_counts=round_counts)
    wave_rows = [
        {
            "wave": plots._ordinal(int(r["wave"])),
            "suppressed": bool(r["suppressed"]),
            "cells": [
                _number(r["maps"], "count") if not r["suppressed"] else f"fewer than {min_count}",
                _number(r["isolated_share"], "share"),
                _number(r["lonely_share"], "share"),
                _number(r["people_mean"]),
                _number(r["informal_people_mean"]),
                _number(r["paid_people_mean"]),
                _number(r["paid_share_mean"], "share"),
            ],
        }
        for r in waves.to_dict("records")
    ]
    step("maps in order")
    figures = {"isolation": _figure_uri(plots.isolation_by_wave(metrics, min_count=min_count))}
    step("plot: isolated and lonely")
    figures["paid"] = _figure_uri(plots.paid_by_wave(metrics, min_count=min_count))
    step("plot: paid and unpaid")
    for metric, name in (("lsns6", "distribution"), ("people", "distribution_people")):
        if f"{metric}_baseline" in change.table.columns:
            figures[name] = _figure_uri(plots.distribution(change, metric, min_count=min_count))
        step(f"plot: {metric} before and after")
    for metric in ("people", "lsns6"):
        if metric in metrics.columns:
            figures[f"trajectories_{metric}"] = _figure_uri(plots.trajectories(metrics, metric, min_count=min_count))
        step(f"plot: {metric} map by map")

    community = _community_section(cohort, baseline, followup, min_count)
    hopes = _hopes_overview(overall, min_count, round_counts)
    dates = cohort.snapshots["date"]
    overview = {
        "people": _count(len(cohort.people), round_counts),
        "maps": _count(len(cohort.snapshots), round_counts),
        "most_maps": int(analysis.wave_numbers(metrics).max()) if len(metrics) else 0,
        "from": month_year(dates.min()) if len(dates) else "–",
        "to": month_year(dates.max()) if len(dates) else "–",
        "compared": _count(change.people, round_counts),
        "baseline": change.baseline.describe(),
        "followup": change.followup.describe(),
        "left_out": [(reason, _count(int(n), round_counts)) for reason, n in change.reasons().items()],
    }
    environment = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    html = environment.get_template("report.html.j2").render(
        title=title,
        made=dt.date.today().isoformat(),
        min_count=min_count,
        round_counts=round_counts,
        overview=overview,
        wave_rows=wave_rows,
        breakdowns=breakdowns,
        hopes=hopes,
        figures=figures,
        community=community,
        definitions=[(plots.METRIC_LABELS.get(k, k), v) for k, v in DEFINITIONS.items()],
        statistics=_STATISTICS,
    )
    step("page")
    steps.close()
    return html, summaries


def write_report(
    cohort: Cohort,
    folder: str | os.PathLike[str],
    *,
    metrics: pd.DataFrame | None = None,
    min_count: int = 5,
    round_counts: bool = False,
    baseline: Wave | str = "first",
    followup: Wave | str = "last",
    by: Sequence[str] = ("ward", "age_band"),
    title: str = "How connected are the young people?",
    verbose: bool = False,
) -> Path:
    """Write ``report.html`` and ``summary.csv`` into ``folder``; return the report's path.

    Parameters
    ----------
    cohort
        The cohort (a pseudonymised one works the same: the report uses no ids).
    metrics
        A metrics table already computed (default: ``cohort.metrics()``).
    min_count
        Smallest group shown (default 5; ONS publishes with 10).
    round_counts
        Round counts of people to the nearest 5.
    baseline, followup
        How to choose each person's two maps (`socialcap.analysis.Wave`).
    by
        people.csv columns to break change down by (``age_band`` is derived).
    verbose
        Show progress.

    Both files are written atomically: an interrupted run leaves the old ones.

    Examples
    --------
    >>> import tempfile
    >>> import socialcap as sc
    >>> folder = Path(tempfile.mkdtemp())
    >>> path = write_report(sc.datasets.synthetic(people=30, waves=2, seed=1), folder, by=["age_band"])
    >>> path == folder / "report.html", sorted(p.name for p in folder.iterdir())
    (True, ['report.html', 'summary.csv'])
    >>> summary = pd.read_csv(folder / "summary.csv")
    >>> summary.loc[summary["metric"] == "people", ["breakdown", "group", "n", "suppressed"]]
       breakdown       group     n  suppressed
    0   everyone  All people  25.0       False
    9   age_band       18-20  16.0       False
    18  age_band       21-25   NaN        True
    27  age_band    under 18   NaN        True
    36  age_band  All people  25.0       False
    """
    html, summaries = build_report(
        cohort, metrics=metrics, min_count=min_count, round_counts=round_counts,
        baseline=baseline, followup=followup, by=by, title=title, verbose=verbose,
    )
    folder = Path(folder)
    write_frame(summaries, folder / "summary.csv")
    path = folder / "report.html"
    with atomic_write(path, "w", encoding="utf-8") as handle:
        handle.write(html)
    return path
