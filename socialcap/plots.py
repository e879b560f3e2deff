"""Cohort plots: isolation per wave, a metric before and after, and everyone's trajectories.

Each function returns a `matplotlib.figure.Figure` (built without pyplot, so nothing
is left open and nothing is shown unless asked); save it with
``fig.savefig("isolation.png")``.  A "wave" is a map's number in its person's
timeline (1 = everyone's first map; `socialcap.analysis.wave_numbers`).

Colours are the Okabe–Ito palette (Okabe & Ito 2008), safe for colour-blind
readers, and every pair of series also differs by marker, line or hatch, so the
plots read in grey too.  Anything resting on fewer than ``min_count`` people is
left out of the picture, as in the tables (`socialcap.privacy.suppress`).

Examples
--------
>>> import pandas as pd
>>> index = pd.MultiIndex.from_product([[f"P{i}" for i in range(6)],
...     pd.to_datetime(["2025-01-01", "2025-07-01"])], names=["person_id", "date"])
>>> metrics = pd.DataFrame({"people": [2, 3] * 6, "isolated": [True, False] * 6}, index=index)
>>> fig = isolation_by_wave(metrics)
>>> fig.axes[0].get_title()
'Isolated and lonely: two different things, by map'
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .analysis import CohortChange, _as_float, wave_numbers, wave_summary
from .metrics import LONELY_FROM, MetricLabels

__all__ = [
    "OKABE_ITO",
    "METRIC_LABELS",
    "isolation_by_wave",
    "distribution",
    "trajectories",
    "paid_by_wave",
]

#: The Okabe–Ito colours (Okabe & Ito 2008, "Color Universal Design").
OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}

#: How each metric is named on an axis, in plain words: read from the metric registry
#: (`socialcap.metrics.register`'s ``label``).
METRIC_LABELS: Mapping[str, str] = MetricLabels()

_BASELINE, _FOLLOWUP = OKABE_ITO["orange"], OKABE_ITO["blue"]


def _label(metric: str) -> str:
    return METRIC_LABELS.get(metric, metric.replace("_", " ").capitalize())


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix} map"


def _figure(width: float = 7.0, height: float = 4.2) -> tuple[Figure, Axes]:
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _done(fig: Figure) -> Figure:
    """Lay the figure out once and freeze it, so every render gives the same pixels."""
    # Constrained layout moves things by a hair each time it runs; run it once.
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    return fig


def _too_few(ax: object, min_count: int) -> None:
    ax.text(  # type: ignore[attr-defined]
        0.5, 0.5, f"Fewer than {min_count} people: not shown",
        ha="center", va="center", transform=ax.transAxes, color="0.3",  # type: ignore[attr-defined]
    )
    ax.set_xticks([])  # type: ignore[attr-defined]
    ax.set_yticks([])  # type: ignore[attr-defined]


def _wilson(k: float, n: float, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score interval of a proportion (Wilson 1927): honest near 0 and 1 and for small n."""
    if not n:
        return math.nan, math.nan
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def isolation_by_wave(metrics: pd.DataFrame, *, min_count: int = 5) -> Figure:
    """The share isolated (LSNS-6 under 12) and, beside it, the share lonely (UCLA-3 of 6 or more), per map.

    Two lines, never one figure: isolation is about how many people are around,
    loneliness about how the young person feels.  Bars show 95% Wilson intervals;
    the x-axis says how many maps each share rests on.  A wave with fewer than
    ``min_count`` maps that could be scored is left out.

    Examples
    --------
    >>> import socialcap as sc
    >>> metrics = sc.datasets.synthetic(people=30, waves=2, seed=1).metrics()
    >>> ax = isolation_by_wave(metrics).axes[0]
    >>> [label.get_text().splitlines() for label in ax.get_xticklabels()]
    [['1st map', '30 maps'], ['2nd map', '25 maps']]
    >>> ax.get_ylabel(), [text.get_text() for text in ax.get_legend().get_texts()]
    ('Share of young people (%)', ['Isolated (LSNS-6 under 12)', 'Feel lonely (UCLA-3 of 6 or more)'])
    """
    table = wave_summary(metrics, min_count=min_count)
    fig, ax = _figure()
    ax.set_title("Isolated and lonely: two different things, by map", pad=28)
    drawn = False
    styles = (
        ("isolated", METRIC_LABELS["isolated"], OKABE_ITO["vermillion"], "o", "-"),
        ("lonely", f"Feel lonely (UCLA-3 of {LONELY_FROM} or more)", OKABE_ITO["sky_blue"], "s", "--"),
    )
    for offset, (flag, label, colour, marker, line) in zip((-0.06, 0.06), styles):
        shown = table[table[f"{flag}_share"].notna()]
        if shown.empty:
            continue
        x = shown["wave"].to_numpy(dtype=float) + offset
        share = shown[f"{flag}_share"].to_numpy(dtype=float)
        known = shown[f"{flag}_known"].to_numpy(dtype=float)
        low, high = np.array([_wilson(s * n, n) for s, n in zip(share, known)]).T
        ax.errorbar(
            x, share * 100, yerr=np.clip([(share - low) * 100, (high - share) * 100], 0, None),
            color=colour, marker=marker, linestyle=line, capsize=3, label=label,
        )
        drawn = True
    if not drawn:
        _too_few(ax, min_count)
        return _done(fig)
    waves = table["wave"].tolist()
    ax.set_xticks(waves, [f"{_ordinal(w)}\n{'n < ' + str(min_count) if pd.isna(m) else f'{int(m)} maps'}"
                          for w, m in zip(waves, table["maps"])])
    ax.set_ylim(0, 100)
    ax.set_ylabel("Share of young people (%)")
    ax.set_xlabel("Each young person's maps in order (1st map = when they started)")
    ax.legend(frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2)
    return _done(fig)


def _change_table(change: CohortChange | pd.DataFrame) -> pd.DataFrame:
    return change.table if isinstance(change, CohortChange) else change


def distribution(change: CohortChange | pd.DataFrame, metric: str, *, min_count: int = 5) -> Figure:
    """How a metric is spread at baseline and at follow-up (the same people, side by side bars).

    Whole-number metrics get one pair of bars per value; others share ten bins.
    The follow-up bars are hatched so the two read apart without colour.

    Examples
    --------
    >>> import socialcap as sc
    >>> change = sc.analysis.cohort_change(sc.datasets.synthetic(people=30, waves=2, seed=1))
    >>> ax = distribution(change, "people").axes[0]
    >>> ax.get_title(), ax.get_xlabel(), ax.get_ylabel()
    ('People in the map: first and latest map', 'People in the map', 'Young people (of 25)')
    >>> distribution(change, "people", min_count=30).axes[0].texts[0].get_text()
    'Fewer than 30 people: not shown'
    """
    table = _change_table(change)
    for column in (f"{metric}_baseline", f"{metric}_followup"):
        if column not in table.columns:
            raise KeyError(f"the change table has no column {column!r}")
    both = table[[f"{metric}_baseline", f"{metric}_followup"]].apply(_as_float).dropna()
    fig, ax = _figure()
    ax.set_title(f"{_label(metric)}: first and latest map")
    if len(both) < min_count:
        _too_few(ax, min_count)
        return _done(fig)
    values = both.to_numpy()
    whole = np.all(values == np.round(values))
    if whole:
        low, high = int(values.min()), int(values.max())
        step = max(1, math.ceil((high - low + 1) / 12))  # at most about a dozen pairs of bars
        edges = np.arange(low, high + step + 1, step) - 0.5
    else:
        edges = np.histogram_bin_edges(values, bins=10)
    width = np.diff(edges)
    centres = edges[:-1] + width / 2
    for column, colour, hatch, shift, label in (
        (f"{metric}_baseline", _BASELINE, None, -0.2, "Baseline"),
        (f"{metric}_followup", _FOLLOWUP, "//", 0.2, "Follow-up"),
    ):
        counts, _ = np.histogram(both[column], bins=edges)
        ax.bar(centres + shift * width, counts, width=width * 0.4, color=colour, hatch=hatch,
               edgecolor="white", label=label)
    if whole and step == 1:
        ax.set_xticks(range(low, high + 1))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(_label(metric))
    ax.set_ylabel(f"Young people (of {len(both)})")
    ax.legend(frameon=False, loc="upper right")
    return _done(fig)


def trajectories(metrics: pd.DataFrame, metric: str, *, min_count: int = 5) -> Figure:
    """Every young person's metric over their maps (thin lines, one `LineCollection`), with the median on top.

    The median of a map number is drawn only where at least ``min_count`` people
    have that map; with fewer than ``min_count`` people in all, nothing is drawn.

    Examples
    --------
    >>> import socialcap as sc
    >>> metrics = sc.datasets.synthetic(people=30, waves=2, seed=1).metrics()
    >>> ax = trajectories(metrics, "lsns6").axes[0]
    >>> ax.get_title()
    'Social network score (LSNS-6, 0-30), map by map'
    >>> ax.get_xlabel(), [label.get_text() for label in ax.get_xticklabels()]
    ("Each young person's maps in order (30 young people)", ['1st map', '2nd map'])
    """
    if metric not in metrics.columns:
        raise KeyError(f"the metrics table has no column {metric!r}")
    values = _as_float(metrics[metric])
    frame = pd.DataFrame({"value": values.to_numpy(), "wave": wave_numbers(metrics).to_numpy()},
                         index=metrics.index.get_level_values("person_id"))
    frame = frame.dropna()
    fig, ax = _figure()
    ax.set_title(f"{_label(metric)}, map by map", pad=28)
    people = frame.index.unique()
    if len(people) < min_count:
        _too_few(ax, min_count)
        return _done(fig)
    # One collection of lines, not one line per person: thousands of people draw in
    # a second instead of a minute, and the lines still darken where they overlap.
    ordered = frame.rename_axis("person_id").reset_index().sort_values(["person_id", "wave"])
    points = ordered[["wave", "value"]].to_numpy(dtype=float)
    person = ordered["person_id"].to_numpy()
    starts = np.flatnonzero(person[1:] != person[:-1]) + 1
    ax.add_collection(
        LineCollection(np.split(points, starts), colors="0.6", alpha=0.35, linewidths=0.8),
        autolim=True,
    )
    sizes = frame.groupby("wave")["value"].size()
    median = frame.groupby("wave")["value"].median()[sizes >= min_count]
    ax.plot(median.index, median.to_numpy(), color=OKABE_ITO["blue"], linewidth=3, marker="o",
            label="Median of everyone with that map")
    ax.plot([], [], color="0.6", linewidth=0.8, label="One young person")
    # A legend placed by "best" moves between renders; above the plot it stays put.
    ax.set_xticks(sizes.index.tolist(), [_ordinal(int(w)) for w in sizes.index])
    ax.set_ylabel(_label(metric))
    ax.set_xlabel(f"Each young person's maps in order ({len(people)} young people)")
    ax.legend(frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2)
    return _done(fig)


def paid_by_wave(metrics: pd.DataFrame, *, min_count: int = 5) -> Figure:
    """Reliance on paid people over time: on average, how many unpaid and paid people each map holds.

    Stacked bars per map number (paid hatched), with the mean share of paid people
    written above.  Waves with fewer than ``min_count`` maps are left out.

    Examples
    --------
    >>> import socialcap as sc
    >>> metrics = sc.datasets.synthetic(people=30, waves=2, seed=1).metrics()
    >>> ax = paid_by_wave(metrics).axes[0]
    >>> ax.get_title(), ax.get_ylabel()
    ('Paid and unpaid people in the maps, by map', 'People per map (mean)')
    >>> [text.get_text() for text in ax.texts]
    ['76% paid', '58% paid']
    """
    table = wave_summary(metrics, min_count=min_count)
    shown = table[table["informal_people_mean"].notna() & table["paid_people_mean"].notna()]
    fig, ax = _figure()
    ax.set_title("Paid and unpaid people in the maps, by map", pad=28)
    if shown.empty:
        _too_few(ax, min_count)
        return _done(fig)
    x = shown["wave"].to_numpy()
    informal = shown["informal_people_mean"].to_numpy(dtype=float)
    paid = shown["paid_people_mean"].to_numpy(dtype=float)
    ax.bar(x, informal, color=OKABE_ITO["bluish_green"], label="Not paid to be there (family, friends...)")
    ax.bar(x, paid, bottom=informal, color=OKABE_ITO["reddish_purple"], hatch="//", edgecolor="white",
           label="Paid (professionals)")
    for xi, top, share in zip(x, informal + paid, shown["paid_share_mean"]):
        if not pd.isna(share):
            ax.annotate(f"{share:.0%} paid", (xi, top), textcoords="offset points", xytext=(0, 3),
                        ha="center", fontsize=9)
    ax.set_xticks(x, [_ordinal(int(w)) for w in x])
    ax.set_ylabel("People per map (mean)")
    ax.set_ylim(0, float((informal + paid).max()) * 1.1 or 1)
    ax.legend(frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2)
    return _done(fig)
