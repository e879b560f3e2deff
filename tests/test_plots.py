"""Cohort plots: drawn (not blank), deterministic, Okabe–Ito colours, small groups left out."""

from __future__ import annotations

import io

import matplotlib.colors as mcolors
import matplotlib.image as mimage
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from socialcap.analysis import change_table
from socialcap.plots import (
    OKABE_ITO,
    _wilson,
    distribution,
    isolation_by_wave,
    paid_by_wave,
    trajectories,
)


def random_metrics(people: int = 30, waves: int = 3, seed: int = 2) -> pd.DataFrame:
    """A made-up metrics table: everyone has ``waves`` maps, a few have one fewer."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(people):
        for w in range(waves - (i % 7 == 0)):
            informal = int(rng.integers(0, 9))
            paid = int(rng.integers(0, 4))
            lsns = float(rng.integers(0, 25))
            ucla = float(rng.integers(3, 10)) if rng.random() > 0.2 else np.nan
            rows.append((f"P{i:02}", pd.Timestamp(2025, 1 + 4 * w, 1), informal + paid, informal, paid,
                         paid / (informal + paid) if informal + paid else np.nan, lsns, lsns < 12,
                         ucla, pd.NA if np.isnan(ucla) else ucla >= 6))
    frame = pd.DataFrame(rows, columns=["person_id", "date", "people", "informal_people", "paid_people",
                                        "paid_share", "lsns6", "isolated", "ucla3", "lonely"])
    frame["isolated"] = frame["isolated"].astype("boolean")
    frame["lonely"] = frame["lonely"].astype("boolean")
    return frame.set_index(["person_id", "date"])


def png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def inked(fig: Figure | bytes) -> float:
    """The share of pixels that are not white (of a figure or of its PNG)."""
    pixels = mimage.imread(io.BytesIO(fig if isinstance(fig, bytes) else png(fig)))[..., :3]
    return float((pixels < 0.98).any(axis=2).mean())


@pytest.fixture(scope="module")
def metrics() -> pd.DataFrame:
    return random_metrics()


def all_figures(metrics: pd.DataFrame) -> dict[str, Figure]:
    change = change_table(metrics)
    return {
        "isolation": isolation_by_wave(metrics),
        "distribution": distribution(change, "lsns6"),
        "trajectories": trajectories(metrics, "people"),
        "paid": paid_by_wave(metrics),
    }


def test_figures_are_drawn_and_deterministic(metrics: pd.DataFrame) -> None:
    first, second = all_figures(metrics), all_figures(metrics)
    for name, fig in first.items():
        assert isinstance(fig, Figure)
        image = png(fig)
        assert inked(image) > 0.03, name
        assert image == png(second[name]), name


def test_isolation_by_wave_shares_and_colours(metrics: pd.DataFrame) -> None:
    fig = isolation_by_wave(metrics)
    ax = fig.axes[0]
    isolated, lonely = (container.lines[0] for container in ax.containers)
    expected = metrics.groupby(level="date")["isolated"].mean().to_numpy(dtype=float) * 100
    assert np.allclose(isolated.get_ydata(), expected)
    assert mcolors.to_hex(isolated.get_color()).upper() == OKABE_ITO["vermillion"]
    # Loneliness is its own line, in another colour and another line style.
    assert mcolors.to_hex(lonely.get_color()).upper() == OKABE_ITO["sky_blue"]
    assert lonely.get_linestyle() != isolated.get_linestyle()
    assert [t.get_text() for t in ax.get_xticklabels()][0] == "1st map\n30 maps"
    assert ax.get_ylabel() == "Share of young people (%)"


def test_small_waves_are_left_out() -> None:
    metrics = random_metrics(people=8, waves=3)  # P00 and P07 lack a 3rd map: 6 left
    fig = isolation_by_wave(metrics, min_count=7)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1st map\n8 maps", "2nd map\n8 maps", "3rd map\nn < 7"]
    assert all(len(line.get_xdata()) <= 2 for line in ax.get_lines())


def test_too_few_people_draws_nothing_but_says_so() -> None:
    metrics = random_metrics(people=4, waves=2)
    for fig in all_figures(metrics).values():
        texts = [t.get_text() for t in fig.axes[0].texts]
        assert texts == ["Fewer than 5 people: not shown"]
        assert not fig.axes[0].get_lines() or all(len(l.get_xdata()) == 0 for l in fig.axes[0].get_lines())


def test_trajectories_median_on_top(metrics: pd.DataFrame) -> None:
    fig = trajectories(metrics, "lsns6")
    median_line = fig.axes[0].get_lines()[-2]  # the last is the legend's sample line
    waves = metrics.groupby(level="person_id").cumcount() + 1
    expected = metrics["lsns6"].groupby(waves.to_numpy()).median()
    assert median_line.get_linewidth() == 3
    assert np.allclose(median_line.get_ydata(), expected.to_numpy())
    (people,) = fig.axes[0].collections  # one thin line per young person, in one collection
    assert people.get_linewidth()[0] == 0.8
    segments = people.get_segments()
    assert len(segments) == 30
    by_person = [rows for _, rows in metrics["lsns6"].groupby(level="person_id", sort=True)]
    for segment, rows in zip(segments, by_person):
        assert segment[:, 0].tolist() == list(range(1, len(rows) + 1))
        assert np.allclose(segment[:, 1], rows.to_numpy(dtype=float))
    assert sum(line.get_linewidth() == 0.8 for line in fig.axes[0].get_lines()) == 1  # the legend's sample


def test_distribution_counts_the_same_people(metrics: pd.DataFrame) -> None:
    change = change_table(metrics)
    fig = distribution(change, "people")
    ax = fig.axes[0]
    heights = [p.get_height() for p in ax.patches]
    assert sum(heights) == 2 * len(change.table)  # every person once at baseline, once at follow-up
    assert ax.get_ylabel() == f"Young people (of {len(change.table)})"
    assert ax.patches[-1].get_hatch() == "//"
    with pytest.raises(KeyError, match="people_baseline|nothing_baseline"):
        distribution(change, "nothing")


def test_wilson_interval() -> None:
    low, high = _wilson(0, 10)
    assert low == pytest.approx(0, abs=1e-12) and high == pytest.approx(0.2775, abs=1e-4)
    low, high = _wilson(5, 10)
    assert (low, high) == (pytest.approx(0.2366, abs=1e-4), pytest.approx(0.7634, abs=1e-4))
