"""Cohort change tables, summaries and suppression, on hand-built metrics tables."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import socialcap as sc
from socialcap.analysis import (
    TOTAL,
    Wave,
    age_band,
    change_table,
    cohort_change,
    paired_statistics,
    signed_rank_test,
    summarise,
    suppress,
    wave_numbers,
    wave_summary,
)

T0, T1 = pd.Timestamp("2025-01-01"), pd.Timestamp("2025-07-01")


def metrics_table(rows: list[tuple]) -> pd.DataFrame:
    """(person_id, date, people, isolated, lonely) rows as a metrics table."""
    frame = pd.DataFrame(rows, columns=["person_id", "date", "people", "isolated", "lonely"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["isolated"] = frame["isolated"].astype("boolean")
    frame["lonely"] = frame["lonely"].astype("boolean")
    return frame.set_index(["person_id", "date"])


# North: 5 people, worked by hand below.  South: 4 people.  East: 6 people.
NORTH = [  # people before, after; isolated before, after; lonely before, after
    (1, 2, True, False, True, False),
    (2, 4, True, True, False, False),
    (3, 3, False, False, False, False),
    (4, 3, True, False, False, False),
    (5, 9, False, False, False, False),
]
SOUTH = [(2, 3, True, True, True, True)] * 2 + [(4, 4, False, False, False, True)] * 2
EAST = [(3, 5, False, False, False, False)] * 3 + [(1, 1, True, True, True, False)] * 3


def ward_cohort() -> tuple[pd.DataFrame, pd.DataFrame]:
    rows, people = [], []
    for ward, members in (("North", NORTH), ("South", SOUTH), ("East", EAST)):
        for i, (p0, p1, i0, i1, l0, l1) in enumerate(members):
            pid = f"{ward[0]}{i}"
            people.append((pid, ward, 2005 + i))
            rows += [(pid, T0, p0, i0, l0), (pid, T1, p1, i1, l1)]
    frame = pd.DataFrame(people, columns=["person_id", "ward", "birth_year"])
    frame["birth_year"] = frame["birth_year"].astype("Int64")
    return metrics_table(rows), frame


# -- the change table ------------------------------------------------------------------


def test_change_table_sets_baseline_and_followup_side_by_side() -> None:
    metrics, people = ward_cohort()
    result = change_table(metrics, people)
    assert result.people == 15 and result.excluded.empty
    row = result.table.loc["N4"]
    assert (row["baseline_date"], row["followup_date"]) == (T0, T1)
    assert (row["people_baseline"], row["people_followup"], row["people_change"]) == (5.0, 9.0, 4.0)
    assert result.table.loc["N0", "isolated_change"] == -1.0  # a yes/no change is -1, 0 or 1
    assert row["ward"] == "North"
    assert row["age_band"] == "under 18"  # born 2005 + 4 = 2009: 16 in the baseline year
    assert result.table.loc["N0", "age_band"] == "18-20"  # born 2005: 20
    assert list(result.table.columns[:4]) == ["baseline_date", "followup_date", "ward", "age_band"]


def test_age_band_uses_the_baseline_year() -> None:
    years = pd.Series([2009, 2007, 2004, 1999, None], dtype="Int64")
    assert age_band(years, 2025).tolist() == ["under 18", "18-20", "21-25", "26 and over", np.nan]
    assert age_band(years[:1], 2027).tolist() == ["18-20"]


def test_people_without_two_maps_are_counted_with_a_reason() -> None:
    metrics = metrics_table(
        [("A", "2025-01-01", 1, None, None), ("A", "2025-06-01", 2, None, None), ("B", "2025-02-01", 3, None, None)]
    )
    people = pd.DataFrame({"person_id": ["A", "B", "C"]})
    result = change_table(metrics, people, columns=[])
    assert result.table.index.tolist() == ["A"]
    assert result.excluded.to_dict("list") == {"person_id": ["B", "C"], "reason": ["only one map", "no maps"]}
    assert result.reasons().to_dict() == {"only one map": 1, "no maps": 1}
    assert str(result).splitlines() == [
        "1 of 3 people have a baseline (the first map) and a later follow-up (the latest map).",
        "- 1 left out: only one map",
        "- 1 left out: no maps",
    ]


def test_baseline_nearest_a_date_within_a_window() -> None:
    metrics = metrics_table(
        [
            ("A", "2025-01-10", 1, None, None),  # 9 days from 1 Jan: chosen
            ("A", "2024-12-01", 7, None, None),  # 31 days: further
            ("A", "2025-09-01", 2, None, None),
            ("B", "2025-03-15", 3, None, None),  # 73 days: outside 60
            ("B", "2025-09-01", 4, None, None),
        ]
    )
    result = change_table(metrics, baseline="2025-01-01", followup="last")
    assert result.table.loc["A", "baseline_date"] == pd.Timestamp("2025-01-10")
    assert result.table.loc["A", "people_change"] == 1.0
    reason = result.excluded.set_index("person_id")["reason"]
    assert reason["B"] == "no baseline: no map nearest 1 January 2025 (within 60 days)"
    wider = change_table(metrics, baseline=Wave.nearest("2025-01-01", within_days=80))
    assert wider.table.loc["B", "baseline_date"] == pd.Timestamp("2025-03-15")


def test_followup_by_months_since_start() -> None:
    metrics = metrics_table(
        [
            ("A", "2024-09-10", 1, None, None),
            ("A", "2025-03-01", 5, None, None),
            ("A", "2025-08-20", 2, None, None),  # 12 days before 1 Sep 2025
            ("B", "2024-09-10", 1, None, None),
            ("B", "2025-08-20", 2, None, None),
        ]
    )
    people = pd.DataFrame(
        {"person_id": ["A", "B"], "start_date": pd.to_datetime(["2024-09-01", None])}
    )
    result = change_table(metrics, people, baseline="0m", followup="12m", columns=[])
    assert result.table.loc["A", ["baseline_date", "followup_date"]].tolist() == [
        pd.Timestamp("2024-09-10"),
        pd.Timestamp("2025-08-20"),
    ]
    assert result.excluded.to_dict("list") == {"person_id": ["B"], "reason": ["no start_date"]}


def test_same_map_twice_is_not_a_change() -> None:
    metrics = metrics_table([("A", "2025-01-01", 1, None, None), ("A", "2025-02-01", 1, None, None)])
    result = change_table(metrics, baseline="2025-01-20", followup="2025-01-25")
    assert result.excluded["reason"].tolist() == ["the baseline and the follow-up are the same map"]


def test_wave_parse() -> None:
    assert Wave.parse("first") == Wave.first()
    assert Wave.parse(" 6 months ") == Wave.after_start(6)
    assert Wave.parse("2025-01-01", within_days=30) == Wave.nearest("2025-01-01", 30)
    with pytest.raises(ValueError, match="not a way to choose a map"):
        Wave.parse("soon")


def test_unknown_columns_are_named() -> None:
    metrics, people = ward_cohort()
    with pytest.raises(KeyError, match="'postcode'"):
        change_table(metrics, people, columns=["postcode"])
    with pytest.raises(KeyError, match="no column 'ward'"):
        summarise(change_table(metrics, people, columns=[]), by="ward")


# -- statistics --------------------------------------------------------------------------


def test_paired_statistics_by_hand_and_against_scipy() -> None:
    before, after = [1, 2, 3, 4, 5], [2, 4, 3, 3, 9]  # the North ward's people
    s = paired_statistics(before, after)
    d = np.subtract(after, before)  # 1, 2, 0, -1, 4
    assert (s["n"], s["baseline_mean"], s["followup_mean"], s["mean_change"]) == (5, 3.0, 4.2, pytest.approx(1.2))
    low, high = stats.t.interval(0.95, df=4, loc=d.mean(), scale=stats.sem(d))
    assert (s["ci_low"], s["ci_high"]) == (pytest.approx(low), pytest.approx(high))
    assert s["ci_low"] == pytest.approx(1.2 - 2.7764451 * math.sqrt(3.7 / 5))  # sd² = 14.8 / 4
    # Ties (two |d| of 1), so scipy's exact reference is its permutation test over all 2^4 signs.
    test = stats.wilcoxon(after, before, method=stats.PermutationMethod())
    assert (s["wilcoxon_statistic"], s["p_value"]) == (test.statistic, pytest.approx(test.pvalue))
    # non-zero differences 1, 2, -1, 4: ranks of |d| 1.5, 3, 1.5, 4; T+ = 8.5, T- = 1.5
    assert s["wilcoxon_statistic"] == 1.5
    # Of the 16 sign patterns, 3 give T+ >= 8.5 (all four positive, or either 1.5 negative):
    # p = 2 * 3/16.
    assert s["p_value"] == 0.375
    assert signed_rank_test(d) == (1.5, 0.375, "exact")
    assert s["effect_size"] == pytest.approx((8.5 - 1.5) / 10)


def test_paired_statistics_leave_out_incomplete_pairs_and_no_change() -> None:
    s = paired_statistics([1, np.nan, 3], [1, 5, 3])
    assert s["n"] == 2 and s["mean_change"] == 0 and (s["ci_low"], s["ci_high"]) == (0, 0)
    assert math.isnan(s["p_value"]) and math.isnan(s["effect_size"])
    one = paired_statistics([1], [2])
    assert one["n"] == 1 and math.isnan(one["ci_low"])
    assert paired_statistics([], [])["n"] == 0


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20)), min_size=2, max_size=12))
def test_paired_statistics_agree_with_scipy(pairs: list[tuple[int, int]]) -> None:
    before, after = map(np.array, zip(*pairs))
    s = paired_statistics(before, after)
    d = after - before
    assert s["mean_change"] == pytest.approx(d.mean())
    nonzero = d[d != 0]
    if len(nonzero):
        if _no_ties(nonzero):
            test = stats.wilcoxon(nonzero, method="exact")
            statistic, p = test.statistic, test.pvalue
        else:
            # What scipy's PermutationMethod does (all 2^n signs), with a vectorised statistic: quicker.
            statistic = min(_t_plus(nonzero, 0), _t_plus(-nonzero, 0))
            p = stats.permutation_test(
                (nonzero,), _t_plus, vectorized=True, permutation_type="samples", n_resamples=np.inf
            ).pvalue
        assert s["wilcoxon_statistic"] == pytest.approx(statistic)
        assert s["p_value"] == pytest.approx(p)
        assert signed_rank_test(d)[2] == "exact"
        assert -1 <= s["effect_size"] <= 1
        assert np.sign(s["effect_size"]) == np.sign(
            stats.rankdata(abs(d[d != 0])) @ np.sign(d[d != 0])
        )


def _no_ties(d: np.ndarray) -> bool:
    return len(np.unique(np.abs(d))) == len(d)


def _t_plus(x: np.ndarray, axis: int) -> np.ndarray:
    """T+: the sum of the ranks of |x| over the positive x."""
    return (stats.rankdata(np.abs(x), axis=axis) * (x > 0)).sum(axis=axis)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 1000), min_size=1, max_size=50, unique=True), st.data())
def test_signed_rank_test_is_scipys_exact_test_without_ties(sizes: list[int], data: st.DataObject) -> None:
    signs = data.draw(st.lists(st.sampled_from([-1, 1]), min_size=len(sizes), max_size=len(sizes)))
    d = np.array(sizes, dtype=float) * signs
    statistic, p, method = signed_rank_test(d)
    test = stats.wilcoxon(d, method="exact")
    assert method == "exact"
    assert (statistic, p) == (test.statistic, pytest.approx(test.pvalue))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(-6, 6), min_size=51, max_size=300))
def test_signed_rank_test_above_fifty_is_the_corrected_normal_approximation(d: list[int]) -> None:
    nonzero = np.array([x for x in d if x], dtype=float)
    statistic, p, method = signed_rank_test(d)
    if len(nonzero) <= 50:
        assert method == ("exact" if len(nonzero) else "")
        return
    # scipy's asymptotic method with its continuity correction (off by default) and tie correction.
    test = stats.wilcoxon(nonzero, method="asymptotic", correction=True)
    assert method == "normal"
    assert (statistic, p) == (test.statistic, pytest.approx(test.pvalue))


def test_signed_rank_test_with_ties_on_more_than_thirteen() -> None:
    # 16 differences with ties: scipy's "auto" would use its uncorrected normal approximation;
    # here the test stays exact.  Reference: the permutation test over all 2^16 signs.
    d = np.array([1, -1, 2, 2, 3, -3, 3, 4, 5, 5, 6, -7, 7, 8, -9, 9], dtype=float)
    statistic, p, method = signed_rank_test(d)
    reference = stats.permutation_test(
        (d,), _t_plus, vectorized=True, permutation_type="samples", n_resamples=np.inf, batch=2**16
    )
    assert method == "exact"
    assert statistic == min(_t_plus(d, 0), _t_plus(-d, 0))
    assert p == pytest.approx(reference.pvalue)


# -- summaries and suppression ---------------------------------------------------------------


def test_summary_boundary_four_hidden_five_shown() -> None:
    metrics, people = ward_cohort()
    result = change_table(metrics, people)
    table = summarise(result, by="ward", metrics=["people"], total=False)
    rows = table.set_index("ward")
    assert rows.loc["North", "n"] == 5 and not rows.loc["North", "suppressed"]
    assert rows.loc["South", "suppressed"]
    assert pd.isna(rows.loc["South", "n"])
    south = rows.loc["South", ["baseline_mean", "followup_mean", "mean_change", "ci_low", "ci_high",
                               "wilcoxon_statistic", "p_value", "effect_size", "isolated_baseline",
                               "lonely_followup"]]
    assert south.isna().all()
    north = rows.loc["North"]
    assert (north["baseline_mean"], north["followup_mean"]) == (3.0, 4.2)
    assert north["effect_size"] == pytest.approx(0.7)
    # Isolation and loneliness shares sit side by side, each from its own row.
    assert (north["isolated_baseline"], north["isolated_followup"]) == (0.6, 0.2)
    assert (north["lonely_baseline"], north["lonely_followup"]) == (0.2, 0.0)


def test_secondary_suppression_hides_the_next_smallest_group() -> None:
    metrics, people = ward_cohort()
    table = summarise(change_table(metrics, people), by="ward", metrics=["people", "isolated"])
    people_rows = table[table["metric"] == "people"].set_index("ward")
    assert people_rows["suppressed"].to_dict() == {"East": False, "North": True, "South": True, TOTAL: False}
    assert people_rows.loc[TOTAL, "n"] == 15
    assert people_rows.loc["East", "mean_change"] == pytest.approx(1.0)  # three +2, three 0
    assert people_rows.loc[TOTAL, "isolated_baseline"] == pytest.approx(8 / 15)  # 3 North, 2 South, 3 East
    assert list(table.columns[:3]) == ["ward", "metric", "n"]


def test_min_count_is_configurable() -> None:
    metrics, people = ward_cohort()
    table = summarise(change_table(metrics, people), by="ward", metrics=["people"], min_count=10)
    assert table.set_index("ward")["suppressed"].to_dict() == {
        "East": True, "North": True, "South": True, TOTAL: False
    }
    everyone = summarise(change_table(metrics, people), metrics=["people"], min_count=16)
    assert everyone["group"].tolist() == [TOTAL] and everyone["suppressed"].tolist() == [True]


def test_round_counts_to_nearest_five() -> None:
    metrics, people = ward_cohort()
    table = summarise(change_table(metrics, people), by="ward", metrics=["people"], round_counts=True)
    n = table.set_index("ward")["n"]  # East 6 -> 5; the total 15 stays 15
    assert (n["East"], n[TOTAL]) == (5, 15) and n[["North", "South"]].isna().all()


def test_missing_group_value_is_its_own_group() -> None:
    metrics, people = ward_cohort()
    people.loc[people["ward"] == "East", "ward"] = None
    table = summarise(change_table(metrics, people), by="ward", metrics=["people"], total=False)
    assert table["ward"].tolist() == ["North", "South", "not recorded"]


def test_summarise_by_age_band() -> None:
    metrics, people = ward_cohort()
    table = summarise(change_table(metrics, people), by="age_band", metrics=["people"])
    # born 2005 + i, baseline 2025: North 20, 19, 18 | 17, 16; South 20, 19, 18 | 17;
    # East 20, 19, 18 | 17, 16, 15.
    counts = change_table(metrics, people).table["age_band"].value_counts().to_dict()
    assert counts == {"18-20": 9, "under 18": 6}
    assert table.set_index("age_band")["n"].to_dict() == {"18-20": 9, "under 18": 6, TOTAL: 15}


@settings(max_examples=80, deadline=None)
@given(
    counts=st.lists(st.integers(0, 12), min_size=1, max_size=6),
    min_count=st.integers(1, 10),
)
def test_suppression_never_leaves_one_hidden_group_beside_a_total(counts: list[int], min_count: int) -> None:
    frame = pd.DataFrame({"ward": [f"W{i}" for i in range(len(counts))] + [TOTAL], "n": counts + [sum(counts)]})
    frame["value"] = frame["n"] * 1.5
    out = suppress(frame, "ward", min_count=min_count, within=None)
    assert (out.loc[~out["suppressed"], "n"] >= min_count).all()
    assert out.loc[out["suppressed"], "value"].isna().all()
    if not out["suppressed"].iloc[-1]:
        assert out["suppressed"].iloc[:-1].sum() != 1


# -- waves ----------------------------------------------------------------------------------


def test_wave_numbers_and_summary() -> None:
    rows = []
    for i in range(6):
        rows.append((f"P{i}", "2025-01-01", 2, i < 3, i < 1))  # wave 1: 3 of 6 isolated, 1 lonely
        if i < 5:
            rows.append((f"P{i}", f"2025-0{i + 2}-01", 4, i < 1, False))  # wave 2: 5 maps
        if i < 4:
            rows.append((f"P{i}", "2025-12-01", 5, False, False))  # wave 3: 4 maps
    metrics = metrics_table(rows)
    waves = wave_numbers(metrics)
    assert waves.loc[("P1", pd.Timestamp("2025-12-01"))] == 3
    table = wave_summary(metrics).set_index("wave")
    assert table.loc[1, ["maps", "isolated_share", "lonely_share", "people_mean"]].tolist() == [6, 0.5, 1 / 6, 2.0]
    assert table.loc[2, ["maps", "isolated_share"]].tolist() == [5, 0.2]
    assert table.loc[3, "suppressed"] and pd.isna(table.loc[3, "maps"]) and pd.isna(table.loc[3, "people_mean"])
    assert math.isnan(table.loc[1, "paid_share_mean"])  # not in this metrics table


# -- with a cohort ----------------------------------------------------------------------------


def test_cohort_change_counts_with_compare(cohort_dir) -> None:
    cohort = sc.read_cohort(cohort_dir)
    # P01: maps on 1 Mar and 1 Sep 2025; P02: 1 Mar and an empty map on 1 Sep.
    index = pd.MultiIndex.from_arrays(
        [cohort.snapshots["person_id"], cohort.snapshots["date"]], names=["person_id", "date"]
    )
    metrics = pd.DataFrame({"people": [2, 2, 1, 0]}, index=index)
    result = cohort_change(cohort, metrics=metrics)
    assert result.table["people_change"].to_dict() == {"P01": 0.0, "P02": -1.0}
    p01 = result.table.loc["P01"]
    assert (p01["gained"], p01["lost"], p01["kept"], p01["newcomers_linked"]) == (1, 2, 1, 1)
    assert p01["turnover"] == pytest.approx(3 / 4)
    assert result.table.loc["P02", "lost"] == 1
    assert "name" not in result.table.columns
    assert result.table.loc["P01", "age_band"] == "18-20"  # born 2007, baseline 2025


# -- hopes (SPEC §11): held and realised, suppressed like the rest ----------------------------------


def hopes_cohort(people: int = 7) -> sc.Cohort:
    """Each young person hopes for a club and a job on 1 January; by 1 July the first three
    joined the club (a hope that came true), the fourth also got the job, the rest still hope."""
    ids = [f"P{i}" for i in range(people)]
    rows = []
    for i, pid in enumerate(ids):
        rows += [(pid, "2025-01-01", "mum", "person", "family", 1, None),
                 (pid, "2025-01-01", "club", "group", "community", None, "true"),
                 (pid, "2025-01-01", "job", "place", "education_work", None, "true"),
                 (pid, "2025-07-01", "mum", "person", "family", 1, None),
                 (pid, "2025-07-01", "club", "group", "community", None, None if i < 3 else "true"),
                 (pid, "2025-07-01", "job", "place", "education_work", None, None if i == 3 else "true")]
    connections = pd.DataFrame(rows, columns=["person_id", "date", "connection_id", "kind", "domain", "closeness", "hope"])
    ward = ["North"] * 5 + ["South"] * (people - 5)
    return sc.Cohort.from_tables(pd.DataFrame({"person_id": ids, "ward": ward}), connections)


def test_summarise_counts_hopes_held_and_realised() -> None:
    result = cohort_change(hopes_cohort(), columns=["ward"])
    assert result.table["hopes_realised"].tolist() == [1, 1, 1, 1, 0, 0, 0]
    everyone = summarise(result, metrics=["hopes"]).iloc[0]
    # Held: 2 hopes each at baseline; at follow-up 1 each for the first four, 2 for the rest.
    assert (everyone["baseline_mean"], everyone["followup_mean"]) == (2.0, pytest.approx(10 / 7))
    assert (everyone["hopes_realised"], everyone["people_with_hopes_realised"]) == (4, 4)
    by_ward = summarise(result, by="ward", metrics=["people", "hopes"], total=False).set_index(["ward", "metric"])
    assert by_ward.loc[("North", "hopes"), "hopes_realised"] == 4
    # South has 2 young people: hidden.
    south = by_ward.loc[("South", "hopes")]
    assert south["suppressed"] and pd.isna(south["hopes_realised"]) and pd.isna(south["people_with_hopes_realised"])
    # With a total, North is hidden too: South's figures could be worked out from it.
    with_total = summarise(result, by="ward", metrics=["hopes"]).set_index("ward")
    assert with_total.loc["North", "suppressed"] and pd.isna(with_total.loc["North", "hopes_realised"])
    assert with_total.loc[TOTAL, "hopes_realised"] == 4
    # Hopes change no other metric: people stay 1 at both maps.
    assert (everyone["n"], summarise(result, metrics=["people"]).iloc[0]["mean_change"]) == (7, 0.0)


def test_without_change_counts_hopes_realised_is_blank() -> None:
    result = cohort_change(hopes_cohort(), counts=False)
    row = summarise(result, metrics=["hopes"]).iloc[0]
    assert pd.isna(row["hopes_realised"]) and row["baseline_mean"] == 2.0
