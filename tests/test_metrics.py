"""Tests for socialcap.metrics: hand-worked values on both paths, every NaN rule, LSNS-6 rules,
agreement with networkx, and the vectorised path agreeing with the reference on random cohorts."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialcap import vocab
from socialcap.cohort import Cohort
from socialcap.metrics import (
    METRICS,
    cohort_metrics,
    metric_names,
    register,
    snapshot_metrics,
    unregister,
    write_metrics,
)
from strategies import cohorts

DATE = "2025-03-01"

SPEC_COLUMNS = [
    "people", "informal_people", "paid_people", "paid_share", "close_informal", "groups", "places",
    "domains", "diversity", "density", "components", "isolates", "effective_size", "constraint",
    "emotional_support", "practical_support", "advice_support", "company_support", "supporters",
    "informal_supporters", "gives_support", "reciprocal", "lsns6_family", "lsns6_friends", "lsns6",
    "isolated", "ucla3", "lonely", "ons_lonely", "hopes",
]  # fmt: skip


# -- building small cohorts by hand ----------------------------------------------------------------


def make_cohort(
    connections: list[dict[str, Any]],
    ties: list[tuple[str, str]] = (),  # type: ignore[assignment]
    answers: dict[str, Any] | None = None,
    person_id: str = "P1",
) -> Cohort:
    """One person, one snapshot on DATE, with these connections, ties and answers."""
    conn = pd.DataFrame(
        [{"person_id": person_id, "date": DATE, **row} for row in connections],
        columns=["person_id", "date", "connection_id", "kind", "domain", "closeness", "contact",
                 "support_received", "support_given", "paid", "hope"],
    )  # fmt: skip
    tie = pd.DataFrame(
        [{"person_id": person_id, "date": DATE, "source": s, "target": t} for s, t in ties],
        columns=["person_id", "date", "source", "target"],
    )
    snaps = pd.DataFrame([{"person_id": person_id, "date": DATE, **(answers or {})}])
    return Cohort.from_tables(pd.DataFrame({"person_id": [person_id]}), conn, tie, snaps)


def person(cid: str, domain: str = "friend", closeness: int = 2, **extra: Any) -> dict[str, Any]:
    return {"connection_id": cid, "kind": "person", "domain": domain, "closeness": closeness, **extra}


def both_paths(cohort: Cohort) -> list[pd.Series]:
    """The single snapshot's metrics from the reference path and from the vectorised path."""
    (snap,) = [s for t in cohort.timelines() for s in t.snapshots]
    reference = snapshot_metrics(snap)
    table = cohort_metrics(cohort)
    assert len(table) == 1
    return [reference, table.iloc[0]]


def is_missing(value: Any) -> bool:
    return value is pd.NA or value is None or (isinstance(value, (float, np.floating)) and math.isnan(value))


def same(a: Any, b: Any) -> bool:
    """Equal values of the same sort: NaN equals NaN, NA equals NA, floats to 1e-9."""
    if is_missing(a) or is_missing(b):
        return is_missing(a) and is_missing(b) and (a is pd.NA) == (b is pd.NA)
    booleans = (bool, np.bool_)
    if isinstance(a, booleans) or isinstance(b, booleans):
        return isinstance(a, booleans) and isinstance(b, booleans) and bool(a) == bool(b)
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)


@pytest.fixture(params=["snapshot", "cohort"])
def path(request: pytest.FixtureRequest) -> int:
    """Run a test on the reference path (0) and the vectorised path (1)."""
    return 0 if request.param == "snapshot" else 1


# -- the worked example, worked by hand ---------------------------------------------------------------

WORKED = [
    person("A", "family", 1, contact="daily", support_received="emotional;practical", support_given="company"),
    person("B", "partner", 1, contact="weekly", support_received="emotional"),
    person("C", "friend", 2, contact="monthly", support_received="company", support_given="emotional"),
    person("D", "friend", 3, contact="less"),
    person("E", "professional", 2, contact="weekly", support_received="practical;advice"),
    {"connection_id": "G", "kind": "group", "domain": "community", "contact": "weekly", "support_given": "practical"},
    {"connection_id": "H", "kind": "place", "domain": "other"},
]
WORKED_TIES = [("A", "B"), ("B", "A"), ("A", "C"), ("A", "G")]
WORKED_ANSWERS = {"ucla_companionship": 2, "ucla_left_out": 2, "ucla_isolated": 3, "ons_lonely": "some_of_the_time"}

# Worked by hand: P = {A..E}, I = {A..D}, T = {A-B, A-C} (B-A repeats A-B; A-G is not between people).
WORKED_EXPECTED: dict[str, Any] = {
    "people": 5, "informal_people": 4, "paid_people": 1, "paid_share": 1 / 5, "close_informal": 2,
    "groups": 1, "places": 1, "domains": 4,
    "diversity": 1 - (0.2**2 + 0.2**2 + 0.4**2 + 0.2**2),       # family, partner, friend×2, professional
    "density": 2 / 10, "components": 3, "isolates": 2,          # {A,B,C} {D} {E}; D and E know nobody
    "effective_size": 5 - 2 * 2 / 5,
    # degrees t: A 2, B 1, C 1, D 0, E 0; (1/25) Σ (1 + Σ_{q~j} 1/(1+t_q))²
    # = (4 + 16/9 + 16/9 + 1 + 1) / 25 = (86/9) / 25
    "constraint": 86 / 225,
    "emotional_support": 2, "practical_support": 2, "advice_support": 1, "company_support": 1,
    "supporters": 4, "informal_supporters": 3, "gives_support": 3, "reciprocal": 2,
    # family {A, B}: monthly 2→2, emotional 2→2, practical 1→1; friends {C, D}: monthly 1→1
    "lsns6_family": 5.0, "lsns6_friends": 1.0, "lsns6": 6.0, "isolated": True,
    "ucla3": 7.0, "lonely": True, "ons_lonely": "some_of_the_time", "hopes": 0,
}  # fmt: skip


def test_worked_example_every_metric(path: int) -> None:
    got = both_paths(make_cohort(WORKED, WORKED_TIES, WORKED_ANSWERS))[path]
    assert list(got.index) == SPEC_COLUMNS
    for name, expected in WORKED_EXPECTED.items():
        assert same(got[name], expected), (name, got[name], expected)


# The awkward maps SPEC §3 settles: paid people in the closest ring (a professional, paid by
# default, and a friend marked paid) and support given and received by a group and a place.
# Only unpaid people count as close_informal; only people (P) count in supporters,
# reciprocal and the four support types; gives_support counts every kind of connection.
AWKWARD = [
    person("W", "professional", 1, contact="weekly", support_received="emotional;practical;advice;company",
           support_given="company"),
    person("T", "friend", 1, contact="weekly", support_received="company", paid=True),
    person("F", "friend", 1, contact="daily", support_received="emotional", support_given="practical"),
    person("N", "neighbour", 3),
    {"connection_id": "G", "kind": "group", "domain": "community", "closeness": 1, "contact": "weekly",
     "support_received": "emotional;practical;advice;company", "support_given": "company"},
    {"connection_id": "H", "kind": "place", "domain": "other", "closeness": 1,
     "support_received": "advice;company", "support_given": "practical"},
]
AWKWARD_EXPECTED: dict[str, Any] = {
    "people": 4, "informal_people": 2, "paid_people": 2, "paid_share": 2 / 4, "close_informal": 1,  # F only
    "groups": 1, "places": 1,
    "emotional_support": 2, "practical_support": 1, "advice_support": 1, "company_support": 2,  # W, T, F
    "supporters": 3, "informal_supporters": 1, "gives_support": 4, "reciprocal": 2,  # W and F, not G or H
}  # fmt: skip


def test_paid_people_close_in_and_support_on_groups_and_places(path: int) -> None:
    got = both_paths(make_cohort(AWKWARD))[path]
    for name, expected in AWKWARD_EXPECTED.items():
        assert same(got[name], expected), (name, got[name], expected)


# -- hopes (SPEC §11): they count in no metric but `hopes` ----------------------------------------------------

#: Hopes of every kind, wished close and far, one of them a professional (paid left empty: still not paid).
HOPES = [
    {"connection_id": "K", "kind": "person", "domain": "friend", "closeness": 1, "hope": "true"},
    {"connection_id": "L", "kind": "person", "domain": "family", "hope": "true"},
    {"connection_id": "M", "kind": "person", "domain": "professional", "closeness": 2, "hope": "true"},
    {"connection_id": "N", "kind": "group", "domain": "community", "hope": "true"},
    {"connection_id": "O", "kind": "place", "domain": "education_work", "closeness": 3, "hope": "true", "paid": "false"},
]


def test_hopes_count_only_as_hopes(path: int) -> None:
    without = both_paths(make_cohort(WORKED, WORKED_TIES, WORKED_ANSWERS))[path]
    with_hopes = both_paths(make_cohort(WORKED + HOPES, WORKED_TIES, WORKED_ANSWERS))[path]
    assert with_hopes["hopes"] == 5 and without["hopes"] == 0
    for name in SPEC_COLUMNS:
        if name != "hopes":
            assert same(with_hopes[name], without[name]), (name, with_hopes[name], without[name])


def test_a_map_of_hopes_only_is_an_empty_map(path: int) -> None:
    # No contact anywhere among real connections: LSNS-6 stays undefined, as on an empty map.
    got = both_paths(make_cohort(HOPES))[path]
    assert got["hopes"] == 5
    for name, expected in EMPTY_EXPECTED.items():
        assert same(got[name], expected), (name, got[name], expected)


def test_hope_values_are_read_as_true_or_false(path: int) -> None:
    rows = [person("A", hope="false"), person("B", hope=None), {**person("C"), "hope": "TRUE", "closeness": None}]
    got = both_paths(make_cohort(rows))[path]
    assert (got["people"], got["hopes"]) == (2, 1)



def test_borgatti_published_values(path: int) -> None:
    # Borgatti (1997), as in networkx's tests: G's ego network, alters A-F, 4 ties among them.
    alters = [person(c) for c in "ABCDEF"]
    got = both_paths(make_cohort(alters, [("A", "B"), ("A", "F"), ("A", "E"), ("B", "D")], person_id="G"))[path]
    assert got["constraint"] == pytest.approx(0.400, abs=1e-3)
    assert got["effective_size"] == pytest.approx(4.67, abs=1e-2)


# -- NaN and empty maps -----------------------------------------------------------------------------------


EMPTY_EXPECTED: dict[str, Any] = {
    "people": 0, "informal_people": 0, "paid_people": 0, "paid_share": math.nan, "close_informal": 0,
    "groups": 0, "places": 0, "domains": 0, "diversity": math.nan, "density": math.nan, "components": 0,
    "isolates": 0, "effective_size": math.nan, "constraint": math.nan, "emotional_support": 0,
    "practical_support": 0, "advice_support": 0, "company_support": 0, "supporters": 0,
    "informal_supporters": 0, "gives_support": 0, "reciprocal": 0, "lsns6_family": math.nan,
    "lsns6_friends": math.nan, "lsns6": math.nan, "isolated": pd.NA, "ucla3": math.nan, "lonely": pd.NA,
    "ons_lonely": math.nan,
}  # fmt: skip


def test_empty_snapshot(path: int) -> None:
    got = both_paths(make_cohort([]))[path]
    for name, expected in EMPTY_EXPECTED.items():
        assert same(got[name], expected), (name, got[name], expected)


def test_only_groups_and_places(path: int) -> None:
    rows = [
        {"connection_id": "G", "kind": "group", "domain": "community", "contact": "weekly", "support_given": "company"},
        {"connection_id": "H", "kind": "place", "domain": "other"},
    ]
    got = both_paths(make_cohort(rows, [("G", "H")]))[path]
    assert (got["people"], got["groups"], got["places"], got["components"], got["gives_support"]) == (0, 1, 1, 0, 1)
    for name in ("paid_share", "diversity", "density", "effective_size", "constraint"):
        assert math.isnan(got[name]), name
    # contact is filled in (on the group), so LSNS-6 is defined: nobody counts, 0.
    assert (got["lsns6_family"], got["lsns6_friends"], got["lsns6"]) == (0, 0, 0)
    assert same(got["isolated"], True)


def test_one_person(path: int) -> None:
    got = both_paths(make_cohort([person("A", "family", 1)]))[path]
    assert math.isnan(got["density"])
    assert (got["components"], got["isolates"], got["domains"]) == (1, 1, 1)
    assert got["diversity"] == 0.0
    assert got["effective_size"] == 1.0
    assert got["constraint"] == 1.0


def test_everyone_tied_together(path: int) -> None:
    # A triangle: density 1, one component, effective size 3 - 2·3/3 = 1,
    # constraint 3 · (1/3 + 2 · (1/3)(1/3))² = 3 · (5/9)² = 25/27.
    got = both_paths(make_cohort([person("A"), person("B"), person("C")], [("A", "B"), ("B", "C"), ("C", "A")]))[path]
    assert (got["density"], got["components"], got["isolates"], got["effective_size"]) == (1.0, 1, 0, 1.0)
    assert got["constraint"] == pytest.approx(25 / 27)


def test_no_contact_anywhere_makes_lsns_nan(path: int) -> None:
    rows = [person("A", "family", 1, support_received="emotional;practical"), person("B", support_received="emotional")]
    got = both_paths(make_cohort(rows))[path]
    assert math.isnan(got["lsns6_family"]) and math.isnan(got["lsns6_friends"]) and math.isnan(got["lsns6"])
    assert got["isolated"] is pd.NA
    assert got["emotional_support"] == 2  # support still counts


def test_missing_contact_counts_as_less_than_monthly(path: int) -> None:
    # A has contact; B has none, so B is not counted as seen monthly.
    rows = [person("A", "family", contact="weekly"), person("B", "family")]
    got = both_paths(make_cohort(rows))[path]
    assert got["lsns6_family"] == 1.0  # one seen monthly → 1; no emotional, no practical


@pytest.mark.parametrize(
    ("items", "ucla", "lonely"),
    [
        ({"ucla_companionship": 1, "ucla_left_out": 2, "ucla_isolated": 2}, 5.0, False),
        ({"ucla_companionship": 2, "ucla_left_out": 2, "ucla_isolated": 2}, 6.0, True),
        ({"ucla_companionship": 3, "ucla_left_out": 3, "ucla_isolated": 3}, 9.0, True),
        ({"ucla_companionship": 3, "ucla_left_out": 3}, math.nan, pd.NA),
        ({}, math.nan, pd.NA),
    ],
)
def test_ucla3_and_lonely(path: int, items: dict[str, int], ucla: float, lonely: Any) -> None:
    got = both_paths(make_cohort([person("A")], answers=items))[path]
    assert same(got["ucla3"], ucla)
    assert same(got["lonely"], lonely)


def test_ons_lonely_as_given(path: int) -> None:
    got = both_paths(make_cohort([person("A")], answers={"ons_lonely": "often_always"}))[path]
    assert got["ons_lonely"] == "often_always"


# -- LSNS-6 rules --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "score"),
    [(0, 0), (1, 1), (2, 2), (3, 3), (4, 3), (5, 4), (8, 4), (9, 5), (12, 5)],
)
def test_lsns_bins(path: int, count: int, score: int) -> None:
    # `count` family members seen daily who are also someone to talk to and to call on:
    # each of the three counts scores `score`, plus one friend so the map is never empty.
    ids = [f"F{i:02d}" for i in range(count)]
    rows = [person(c, "family", 1, contact="daily", support_received="emotional;practical") for c in ids]
    rows.append(person("X", "friend", 2, contact="less"))
    got = both_paths(make_cohort(rows))[path]
    assert got["lsns6_family"] == 3 * score
    assert got["lsns6_friends"] == 0
    assert got["lsns6"] == 3 * score


def test_family_and_friends_sides(path: int) -> None:
    rows = [
        person("PA", "partner", 1, contact="daily", support_received="emotional"),  # partner: family side
        person("FA", "family", 2, contact="monthly"),
        person("PAIDFAM", "family", 1, contact="daily", support_received="emotional", paid=True),  # paid: never
        person("WORK", "professional", 2, contact="weekly", support_received="practical"),  # paid by default: never
        person("UNPAID", "professional", 2, contact="weekly", support_received="practical", paid=False),  # friends side
        person("NB", "neighbour", 3, contact="weekly", support_received="emotional"),
        person("ON", "online", 3, contact="less", support_received="emotional;practical"),
        {"connection_id": "G", "kind": "group", "domain": "community", "contact": "daily", "support_received": "emotional"},
    ]
    got = both_paths(make_cohort(rows))[path]
    # family {PA, FA}: monthly 2→2, emotional 1→1, practical 0→0 = 3
    assert got["lsns6_family"] == 3
    # friends {UNPAID, NB, ON}: monthly 2→2, emotional 2→2, practical 2→2 = 6 (the group never counts)
    assert got["lsns6_friends"] == 6
    assert got["lsns6"] == 9
    assert same(got["isolated"], True)
    assert (got["people"], got["informal_people"], got["paid_people"]) == (7, 5, 2)


def test_isolated_threshold_is_twelve(path: int) -> None:
    # Family: 5 people, each seen daily, emotional and practical → 4+4+4 = 12 → not isolated.
    rows = [person(f"F{i}", "family", 1, contact="daily", support_received="emotional;practical") for i in range(5)]
    assert same(both_paths(make_cohort(rows))[path]["isolated"], False)
    # Drop practical from everyone: 4+4+0 = 8 → isolated.
    rows = [person(f"F{i}", "family", 1, contact="daily", support_received="emotional") for i in range(5)]
    assert same(both_paths(make_cohort(rows))[path]["isolated"], True)


# -- agreement with networkx on random graphs ----------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 9).flatmap(lambda n: st.tuples(st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=30))))
def test_constraint_and_effective_size_agree_with_networkx(graph: tuple[int, list[tuple[int, int]]]) -> None:
    n, edges = graph
    ids = [f"C{i}" for i in range(n)]
    ties = [(ids[a], ids[b]) for a, b in edges if a != b]
    table = cohort_metrics(make_cohort([person(c) for c in ids], ties))
    # Built independently of socialcap: the centre tied to everyone, plus the ties.
    g = nx.Graph()
    g.add_edges_from(("centre", c) for c in ids)
    g.add_edges_from(ties)
    assert table["constraint"].iloc[0] == pytest.approx(nx.constraint(g)["centre"], rel=1e-9)
    assert table["effective_size"].iloc[0] == pytest.approx(nx.effective_size(g)["centre"], rel=1e-9)


# -- the vectorised path agrees with the reference on random cohorts ---------------------------------------------


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cohorts())
def test_vectorised_agrees_with_reference(cohort: Cohort) -> None:
    table = cohort_metrics(cohort)
    snapshots = [s for t in cohort.timelines() for s in t.snapshots]
    assert len(table) == len(snapshots) == len(cohort.snapshots)
    for snap in snapshots:
        reference = snapshot_metrics(snap)
        row = table.loc[reference.name]
        for name in metric_names():
            assert same(reference[name], row[name]), (snap, name, reference[name], row[name])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cohorts(), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(cohort: Cohort, random: Any) -> None:
    # Shuffled connection and tie rows take the general (unsorted) path; the answer is the same.
    shuffled = Cohort(
        people=cohort.people,
        connections=cohort.connections.sample(frac=1, random_state=random.randint(0, 10**6)).reset_index(drop=True),
        ties=cohort.ties.sample(frac=1, random_state=random.randint(0, 10**6)).reset_index(drop=True),
        snapshots=cohort.snapshots,
    )
    pd.testing.assert_frame_equal(cohort_metrics(shuffled), cohort_metrics(cohort))


# -- the table ------------------------------------------------------------------------------------------------


def two_people() -> Cohort:
    people = pd.DataFrame({"person_id": ["P2", "P1"], "name": ["Alex", "Sam"], "ward": ["South", "North"], "birth_year": [2006, 2007]})
    conn = pd.DataFrame(
        [
            ("P1", "2025-06-01", "A", "person", "friend", 1),
            ("P1", "2025-01-01", "A", "person", "friend", 2),
            ("P2", "2025-02-01", "B", "group", "community", None),
        ],
        columns=["person_id", "date", "connection_id", "kind", "domain", "closeness"],
    )
    snaps = pd.DataFrame({"person_id": ["P2"], "date": ["2025-09-01"]})  # an empty map
    return Cohort.from_tables(people, conn, snapshots=snaps)


def test_table_shape_index_and_types() -> None:
    table = two_people().metrics()
    assert list(table.columns) == SPEC_COLUMNS
    assert table.index.names == ["person_id", "date"]
    assert table.index.get_level_values("date").dtype == "datetime64[ns]"
    assert [(p, d.strftime("%Y-%m-%d")) for p, d in table.index] == [
        ("P1", "2025-01-01"), ("P1", "2025-06-01"), ("P2", "2025-02-01"), ("P2", "2025-09-01"),
    ]  # fmt: skip
    assert table["people"].tolist() == [1, 1, 0, 0]
    assert table["groups"].tolist() == [0, 0, 1, 0]
    assert table["people"].dtype == "int64" and table["components"].dtype == "int64"
    assert table["density"].dtype == "float64" and table["lsns6"].dtype == "float64"
    assert table["isolated"].dtype == "boolean" and table["lonely"].dtype == "boolean"
    assert table["ons_lonely"].dtype == "str"


def test_people_columns_joined() -> None:
    table = cohort_metrics(two_people(), columns="ward, birth_year")
    assert list(table.columns[-2:]) == ["ward", "birth_year"]
    assert table["ward"].tolist() == ["North", "North", "South", "South"]
    assert table["birth_year"].tolist() == [2007, 2007, 2006, 2006]
    assert table["birth_year"].dtype == "Int64"


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        (["name"], "never carry"),
        (["nickname"], "no column 'nickname'.*birth_year, ward, start_date"),
        (["person_id"], "already"),
        (["people"], "name of a metric"),
    ],
)
def test_people_columns_refused(columns: list[str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        cohort_metrics(two_people(), columns=columns)


def test_empty_cohort() -> None:
    cohort = Cohort.from_tables(pd.DataFrame({"person_id": ["P1"]}), pd.DataFrame(columns=["person_id", "date", "connection_id", "kind", "domain"]))
    table = cohort_metrics(cohort)
    assert len(table) == 0 and list(table.columns) == SPEC_COLUMNS


def test_snapshot_metrics_named_like_table_row() -> None:
    cohort = two_people()
    snap = cohort.snapshot("P1", "2025-06-01")
    reference = snap.metrics()
    assert reference.name == ("P1", pd.Timestamp("2025-06-01"))
    assert cohort.metrics().loc[reference.name, "close_informal"] == reference["close_informal"] == 1


# -- the registry -----------------------------------------------------------------------------------------------


@pytest.fixture
def clean_registry() -> Any:
    before = dict(METRICS)
    yield
    METRICS.clear()
    METRICS.update(before)


def test_register_snapshot_only_metric_falls_back_to_a_loop(clean_registry: None) -> None:
    @register("friends_closest", dtype="int64")
    def friends_closest(snapshot: Any) -> int:
        c = snapshot.connections
        return int(((c["domain"] == "friend") & (c["closeness"] == 1)).sum())

    table = two_people().metrics()
    assert table.columns[-1] == "friends_closest"
    assert table["friends_closest"].tolist() == [0, 1, 0, 0]
    assert table["friends_closest"].dtype == "int64"
    assert two_people().snapshot("P1", "2025-06-01").metrics()["friends_closest"] == 1


def test_register_with_vectorised_twin(clean_registry: None) -> None:
    def reference(snapshot: Any) -> float:
        return float(len(snapshot.connections))

    def vectorised(arrays: Any) -> np.ndarray:
        return arrays.count(np.ones(len(arrays.connections), dtype=bool)).astype(float)

    register("rows", reference, cohort=vectorised)
    table = two_people().metrics()
    assert table["rows"].tolist() == [1.0, 1.0, 1.0, 0.0]


def test_register_errors(clean_registry: None) -> None:
    with pytest.raises(ValueError, match="already registered"):
        register("people", lambda s: 0, dtype="int64")
    with pytest.raises(ValueError, match="dtype"):
        register("x", lambda s: 0, dtype="complex")
    with pytest.raises(ValueError, match="word"):
        register("two words", lambda s: 0)
    register("people", lambda s: 0, dtype="int64", replace=True)
    assert two_people().metrics()["people"].tolist() == [0, 0, 0, 0]
    unregister("people")
    assert "people" not in metric_names()


def test_count_metric_giving_missing_is_refused(clean_registry: None) -> None:
    register("bad", lambda s: None, dtype="int64")
    with pytest.raises(ValueError, match="float64"):
        two_people().metrics()


# -- writing ---------------------------------------------------------------------------------------------------


def test_write_csv_round_trip(tmp_path: Path) -> None:
    table = cohort_metrics(make_cohort(WORKED, WORKED_TIES, WORKED_ANSWERS))
    path = write_metrics(table, tmp_path / "m.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].replace('"', "").split(",")[:3] == ["person_id", "date", "people"]
    back = pd.read_csv(path, parse_dates=["date"]).set_index(["person_id", "date"])
    assert back["constraint"].iloc[0] == pytest.approx(86 / 225, rel=1e-15)
    assert back["isolated"].iloc[0] == True  # noqa: E712
    assert back["ons_lonely"].iloc[0] == "some_of_the_time"
    assert ",true," in lines[1] and "2025-03-01" in lines[1]


def test_write_csv_missing_values_are_empty(tmp_path: Path) -> None:
    path = write_metrics(cohort_metrics(make_cohort([])), tmp_path / "m.csv")
    row = path.read_text().splitlines()[1].split(",")
    header = path.read_text().splitlines()[0].replace('"', "").split(",")
    values = dict(zip(header, row))
    assert values["density"] == "" and values["isolated"] == "" and values["people"] == "0"


def test_write_parquet_round_trip(tmp_path: Path) -> None:
    table = cohort_metrics(two_people(), columns=["ward"])
    back = pd.read_parquet(write_metrics(table, tmp_path / "m.parquet")).set_index(["person_id", "date"])
    assert back["people"].tolist() == table["people"].tolist()
    assert back["ward"].tolist() == table["ward"].tolist()
    assert back["isolated"].isna().tolist() == table["isolated"].isna().tolist()


def test_write_excel(tmp_path: Path) -> None:
    import openpyxl

    path = write_metrics(cohort_metrics(make_cohort(WORKED, WORKED_TIES, WORKED_ANSWERS)), tmp_path / "m.xlsx")
    sheet = openpyxl.load_workbook(path)["metrics"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("person_id", "date", "people")
    assert rows[1][0] == "P1" and rows[1][2] == 5
    assert rows[1][rows[0].index("isolated")] is True


def test_write_refuses_unknown_ending_and_names(tmp_path: Path) -> None:
    table = cohort_metrics(two_people())
    with pytest.raises(ValueError, match=r"\.csv, \.parquet, \.xlsx"):
        write_metrics(table, tmp_path / "m.json")
    with pytest.raises(ValueError, match="never carry names"):
        write_metrics(table.assign(name="Sam"), tmp_path / "m.csv")
    assert not list(tmp_path.iterdir())


def test_language() -> None:
    import socialcap.metrics as module
    import socialcap._metrics_arrays as arrays

    for source in (Path(module.__file__).read_text(), Path(arrays.__file__).read_text(), Path(__file__).read_text()):
        for word in ("cli" + "ent", "service " + "user", "care " + "leaver", "ca" + "se"):
            assert word not in source.lower()
    assert all(v in vocab.DOMAINS for v in ("family", "partner"))


# -- the command line -------------------------------------------------------------------------------------------


def run_metrics(*args: str) -> Any:
    from click.testing import CliRunner

    from socialcap.cli import main

    return CliRunner().invoke(main, ["metrics", *args])


@pytest.fixture
def cohort_folder(tmp_path: Path) -> Path:
    from socialcap.io import write_cohort

    return write_cohort(two_people(), tmp_path / "cohort")


@pytest.mark.parametrize("ending", [".csv", ".parquet", ".xlsx"])
def test_cli_writes_by_ending(cohort_folder: Path, tmp_path: Path, ending: str) -> None:
    out = tmp_path / f"metrics{ending}"
    result = run_metrics(str(cohort_folder), "-o", str(out), "--with", "ward,birth_year")
    assert result.exit_code == 0, result.output
    assert "Wrote 4 snapshots" in result.output
    if ending == ".csv":
        back = pd.read_csv(out)
    elif ending == ".parquet":
        back = pd.read_parquet(out)
    else:
        back = pd.read_excel(out, sheet_name="metrics")
    assert list(back.columns) == ["person_id", "date", *SPEC_COLUMNS, "ward", "birth_year"]
    assert back["people"].tolist() == [1, 1, 0, 0]
    assert back["ward"].tolist() == ["North", "North", "South", "South"]
    assert "name" not in back.columns
    if ending == ".csv":
        assert "Sam" not in out.read_text() and "Alex" not in out.read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "m.json"], "ending in .csv, .parquet, .xlsx"),
        (["-o", "m.csv", "--with", "name"], "never carry"),
        (["-o", "m.csv", "--with", "ward,shoe_size"], "no column 'shoe_size'"),
    ],
)
def test_cli_clear_errors(cohort_folder: Path, tmp_path: Path, args: list[str], message: str) -> None:
    args = [a if not a.startswith("m.") else str(tmp_path / a) for a in args]
    result = run_metrics(str(cohort_folder), *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "m.csv").exists()


def test_cli_bad_cohort_lists_problems(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "people.csv").write_text("person_id\nP1\n")
    (folder / "connections.csv").write_text("person_id,date,connection_id,kind,domain\nP1,2025-13-01,A,persn,friend\n")
    result = run_metrics(str(folder), "-o", str(tmp_path / "m.csv"))
    assert result.exit_code == 1
    assert "connections.csv, row 2, column 'date'" in result.output
    assert "connections.csv, row 2, column 'kind'" in result.output
    assert not (tmp_path / "m.csv").exists()


def test_cli_progress(cohort_folder: Path, tmp_path: Path) -> None:
    result = run_metrics(str(cohort_folder), "-o", str(tmp_path / "m.csv"), "--progress")
    assert result.exit_code == 0, result.output
    assert "writing" in result.output or "measuring" in result.output  # tqdm on stderr, mixed in by CliRunner


# -- one registry: names, labels, meanings, thresholds --------------------------------------------------


def test_docs_list_every_registered_metric() -> None:
    page = (Path(__file__).resolve().parents[1] / "docs" / "metrics.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `(\w+)` \|", page, flags=re.MULTILINE))
    assert set(metric_names()) <= documented, sorted(set(metric_names()) - documented)


def test_labels_and_meanings_are_read_from_the_registry(clean_registry: None) -> None:
    from socialcap import change, plots, report

    assert METRICS["isolated"].threshold == 12 and METRICS["lonely"].threshold == 6
    assert dict(change.NUMBERS) == {name: METRICS[name].label for name in change.NUMBERS}
    assert {k: plots.METRIC_LABELS[k] for k in metric_names()} == {k: m.label for k, m in METRICS.items()}
    assert report.DEFINITIONS["isolated"] == METRICS["isolated"].meaning
    register("online_people", lambda s: 0, dtype="int64", label="People met online", meaning="Online.")
    assert plots.METRIC_LABELS["online_people"] == "People met online"
    assert METRICS["online_people"].meaning == "Online."
    assert all(m.label and m.meaning for m in METRICS.values())


def test_the_whole_cohort_metrics_need_no_networkx(tmp_path: Path) -> None:
    """`socialcap metrics` and `cohort.metrics()` are vectorised: importing networkx (0.16 s) is left to the per-snapshot reference."""
    import subprocess
    import sys

    from conftest import CONNECTIONS, PEOPLE, TIES, write_folder

    folder = write_folder(tmp_path / "c", people=PEOPLE, connections=CONNECTIONS, ties=TIES)
    program = (
        "import sys, socialcap as sc\n"
        f"table = sc.read_cohort({str(folder)!r}).metrics()\n"
        "assert len(table) == 3\n"
        "print(sorted(m for m in ('networkx', 'matplotlib', 'scipy.stats') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
