"""The model: snapshots as graphs, timelines oldest first, cohorts that hand them out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import networkx as nx
import pytest

import socialcap as sc


@pytest.fixture
def cohort(cohort_dir: Path) -> sc.Cohort:
    return sc.read_cohort(cohort_dir)


def test_the_centre_is_the_person_and_connections_carry_their_columns(cohort: sc.Cohort) -> None:
    graph = cohort.snapshot("P01", "2025-03-01").graph
    assert isinstance(graph, nx.Graph)
    assert graph.nodes["P01"]["role"] == "centre" and graph.nodes["P01"]["name"] == "Sam"
    mum = graph.nodes["C1"]
    assert mum == {
        "kind": "person", "name": "Mum", "domain": "family", "closeness": 1, "contact": "daily",
        "support_received": "emotional;practical", "support_given": "company", "paid": False,
        "since": "2007-01-01", "role": "connection",
    }
    assert graph.nodes["G1"]["kind"] == "group" and "closeness" not in graph.nodes["G1"]
    assert graph.edges["P01", "C1"]["role"] == "centre"
    assert graph.edges["C1", "C2"]["role"] == "tie"
    assert graph.number_of_nodes() == 4 and graph.number_of_edges() == 4
    assert graph.graph == {"person_id": "P01", "date": "2025-03-01"}


def test_a_timeline_is_oldest_first_and_looks_up_dates(cohort: sc.Cohort) -> None:
    timeline = cohort.timeline("P01")
    assert timeline.dates == (dt.date(2025, 3, 1), dt.date(2025, 9, 1))
    assert timeline.snapshot("2025-09-01") is timeline.snapshots[1]
    assert timeline.snapshot(dt.date(2025, 3, 1)).date == dt.date(2025, 3, 1)
    assert len(timeline) == 2 and list(timeline)[0] is timeline[0]
    with pytest.raises(sc.NotFoundError, match="no snapshot on 2025-01-01"):
        timeline.snapshot("2025-01-01")


def test_an_unknown_person_is_a_clear_error(cohort: sc.Cohort) -> None:
    with pytest.raises(sc.NotFoundError, match="no person 'P99'"):
        cohort.timeline("P99")
    with pytest.raises(KeyError):  # NotFoundError is also a KeyError
        cohort.timeline("P99")


def test_a_bad_date_is_a_clear_error(cohort: sc.Cohort) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        cohort.snapshot("P01", "1 March")


def test_the_latest_snapshot_is_the_default(cohort: sc.Cohort) -> None:
    assert cohort.snapshot("P01").date == dt.date(2025, 9, 1)


def test_snapshots_of_connections_and_of_the_snapshots_table_are_all_there(cohort: sc.Cohort) -> None:
    listed = [(p, d.date().isoformat()) for p, d in zip(cohort.snapshots["person_id"], cohort.snapshots["date"])]
    assert listed == [("P01", "2025-03-01"), ("P01", "2025-09-01"), ("P02", "2025-03-01"), ("P02", "2025-09-01")]


def test_select_keeps_just_those_people(cohort: sc.Cohort) -> None:
    one = cohort.select(["P02"])
    assert one.person_ids == ["P02"] and set(one.connections["person_id"]) == {"P02"}
    assert len(one.timeline("P02")) == 2


def test_equality_looks_at_every_table(cohort: sc.Cohort) -> None:
    other = cohort.select(cohort.person_ids)
    assert other == cohort
    assert cohort.select(["P01"]) != cohort


def test_from_tables_accepts_typed_values(cohort: sc.Cohort) -> None:
    again = sc.Cohort.from_tables(**cohort.tables())
    assert again == cohort


def test_snapshot_equality_and_repr(cohort: sc.Cohort) -> None:
    a = cohort.snapshot("P01", "2025-03-01")
    b = sc.read_cohort  # noqa: F841 - only the snapshot matters here
    assert a == cohort.timeline("P01").snapshots[0]
    assert a != cohort.snapshot("P01", "2025-09-01")
    assert repr(a) == "<Snapshot P01 2025-03-01: 3 connections, 1 ties>"


def test_the_graph_is_frozen_and_a_copy_is_not(cohort_dir: Path) -> None:
    snap = sc.read_cohort(cohort_dir).snapshot("P01")
    assert nx.is_frozen(snap.graph)
    with pytest.raises(nx.NetworkXError, match="Frozen"):
        snap.graph.add_node("intruder")
    with pytest.raises(nx.NetworkXError, match="Frozen"):
        snap.graph.remove_edge(*next(iter(snap.graph.edges)))
    mine = snap.graph.copy()
    mine.add_node("mine")
    assert "mine" not in snap.graph and snap.metrics()["people"] == 2
