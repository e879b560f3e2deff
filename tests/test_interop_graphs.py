"""Graph files (GraphML, GEXF, node-link JSON) and from_networkx: round trips through networkx and igraph."""

from __future__ import annotations

import json
import math
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

import socialcap as sc
from socialcap.interop import export_graph, from_networkx, node_link_data, node_link_schema, write_graph, write_graphs

from test_interop_egor import small_cohort


@pytest.fixture
def snap() -> sc.Snapshot:
    """P01's first map: Mum, Jo (paid), the boxing club; a tie Jo–club; answers of the day."""
    cohort = small_cohort()
    answers = cohort.snapshots.copy()
    answers.loc[answers["person_id"] == "P01", ["ucla_left_out", "mood"]] = [2, "ok"]
    cohort = sc.Cohort.from_tables(cohort.people, cohort.connections, cohort.ties, answers)
    return cohort.snapshot("P01", "2025-03-01")


def without_empty_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """A snapshot's rows without extra columns that are empty throughout (nothing to carry)."""
    keep = [c for c in frame.columns if frame[c].notna().any() or c in sc.vocab.CONNECTION_COLUMNS + sc.vocab.TIE_COLUMNS]
    return frame[keep]


def test_graphml_keeps_every_connection_tie_and_attribute_in_networkx(snap: sc.Snapshot, tmp_path: Path) -> None:
    graph = nx.read_graphml(write_graph(snap, tmp_path / "map.graphml"))
    assert graph.graph["person_id"] == "P01" and graph.graph["date"] == "2025-03-01"
    assert (graph.graph["ucla_left_out"], graph.graph["mood"]) == (2, "ok")
    assert set(graph.nodes) == {"P01", "C1", "C2", "G1"}
    assert graph.nodes["P01"] == {
        "role": "centre", "person_id": "P01", "name": "Sam", "birth_year": 2007, "ward": "Derwent",
        "start_date": "2024-09-01", "notes": "likes football",
    }
    assert graph.nodes["C1"] == {
        "role": "connection", "kind": "person", "name": "Mum", "domain": "family", "closeness": 1,
        "contact": "daily", "support_received": "emotional;practical", "support_given": "company",
        "paid": False, "since": "2007-01-01",
    }
    assert graph.nodes["C2"]["paid"] is True and graph.nodes["C2"]["how_met"] == "referral"
    assert "closeness" not in graph.nodes["G1"]  # missing values are left out, never empty
    assert graph.edges["C2", "G1"] == {"role": "tie", "kind": "member"}
    assert {tuple(sorted(e)) for e, role in nx.get_edge_attributes(graph, "role").items() if role == "centre"} == {
        ("C1", "P01"), ("C2", "P01"), ("G1", "P01"),
    }


def test_graphml_keeps_everything_in_igraph(snap: sc.Snapshot, tmp_path: Path) -> None:
    igraph = pytest.importorskip("igraph")
    graph = igraph.Graph.Read_GraphML(str(write_graph(snap, tmp_path / "map.graphml")))
    assert not graph.is_directed()
    assert graph["person_id"] == "P01" and graph["date"] == "2025-03-01" and graph["ucla_left_out"] == 2
    nodes = {v["id"]: v.attributes() for v in graph.vs}
    expected = nx.read_graphml(tmp_path / "map.graphml")
    assert set(nodes) == set(expected.nodes)
    for node, attrs in expected.nodes(data=True):
        for key, value in attrs.items():
            got = nodes[node][key]
            assert got == value or (isinstance(value, int) and math.isclose(got, value)), (node, key)
    ties = {frozenset((graph.vs[e.source]["id"], graph.vs[e.target]["id"])): e.attributes() for e in graph.es}
    assert len(ties) == graph.ecount() == expected.number_of_edges() == 4
    assert ties[frozenset(("C2", "G1"))]["kind"] == "member"
    assert ties[frozenset(("C2", "G1"))]["role"] == "tie"


@pytest.mark.parametrize("suffix", [".graphml", ".json"])
def test_from_networkx_gives_the_snapshot_back(snap: sc.Snapshot, tmp_path: Path, suffix: str) -> None:
    path = write_graph(snap, tmp_path / f"map{suffix}")
    if suffix == ".json":
        graph = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
    else:
        graph = nx.read_graphml(path)
    back = from_networkx(graph, centre="P01")
    assert back == snap
    assert from_networkx(export_graph(snap), snap.person_id) == snap  # straight from the model too
    # Snapshot.graph itself carries no answers of the day: everything else comes back.
    plain = from_networkx(snap.graph, snap.person_id)
    assert plain.connections.equals(snap.connections) and plain.ties.equals(snap.ties) and not plain.answers


def test_a_repeated_tie_is_one_edge(tmp_path: Path) -> None:
    cohort = sc.Cohort.from_tables(
        pd.DataFrame({"person_id": ["P01"]}),
        pd.DataFrame({"person_id": ["P01"] * 2, "date": ["2025-03-01"] * 2, "connection_id": ["A", "B"],
                      "kind": ["group", "place"], "domain": ["community"] * 2}),
        pd.DataFrame({"person_id": ["P01"] * 2, "date": ["2025-03-01"] * 2, "source": ["A", "B"], "target": ["B", "A"]}),
    )
    graph = nx.read_graphml(write_graph(cohort.snapshot("P01"), tmp_path / "m.graphml"))
    assert graph.number_of_edges() == 3  # two to the centre, one tie
    assert len(from_networkx(graph, "P01").ties) == 1


def test_gexf_opens_in_networkx_with_labels(snap: sc.Snapshot, tmp_path: Path) -> None:
    graph = nx.read_gexf(write_graph(snap, tmp_path / "map.gexf"))
    assert graph.nodes["C1"]["label"] == "Mum" and graph.nodes["P01"]["label"] == "Sam"
    assert graph.nodes["C1"]["closeness"] == 1 and graph.nodes["C1"]["paid"] is False
    assert graph.number_of_edges() == 4


def test_node_link_json_follows_its_schema(snap: sc.Snapshot) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = node_link_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    data = node_link_data(snap)
    jsonschema.validate(data, schema)
    for breaking in (
        lambda d: d["nodes"][1].update(closeness=4),
        lambda d: d["nodes"][1].pop("domain"),
        lambda d: d["nodes"][1].update(name=None),  # missing values are left out, never null
        lambda d: d["graph"].update(date="1 March 2025"),
        lambda d: d["edges"][0].update(role="friend"),
    ):
        broken = json.loads(json.dumps(data))
        breaking(broken)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, schema)


def test_mixed_types_become_text_so_graphml_can_declare_them(tmp_path: Path) -> None:
    # A people.csv extra column "closeness" (text) meets the connections' closeness (numbers).
    cohort = sc.Cohort.from_tables(
        pd.DataFrame({"person_id": ["P01"], "closeness": ["very"]}),
        pd.DataFrame({"person_id": ["P01"], "date": ["2025-03-01"], "connection_id": ["C1"],
                      "kind": ["person"], "domain": ["friend"], "closeness": [2]}),
    )
    graph = nx.read_graphml(write_graph(cohort.snapshot("P01"), tmp_path / "m.graphml"))
    assert (graph.nodes["P01"]["closeness"], graph.nodes["C1"]["closeness"]) == ("very", "2")


def test_a_cohort_is_one_file_per_snapshot_with_an_index(tmp_path: Path) -> None:
    cohort = small_cohort()
    odd = sc.Cohort.from_tables(
        pd.DataFrame({"person_id": ["a/b"]}),
        pd.DataFrame({"person_id": ["a/b"], "date": ["2025-03-01"], "connection_id": ["C"], "kind": ["place"], "domain": ["other"]}),
    )
    paths = write_graphs(cohort, tmp_path / "out", "graphml")
    index = pd.read_csv(tmp_path / "out" / "index.csv", dtype=str)
    assert index.values.tolist() == [
        ["P01", "2025-03-01", "P01_2025-03-01.graphml"],
        ["P01", "2025-09-01", "P01_2025-09-01.graphml"],
        ["P02", "2025-09-01", "P02_2025-09-01.graphml"],
    ]
    assert [p.name for p in paths] == index["file"].tolist()
    assert nx.read_graphml(paths[2]).number_of_nodes() == 1  # an empty map: just the person
    [path] = write_graphs(odd, tmp_path / "odd", "json")
    assert "/" not in path.name and path.name.startswith("a-b-") and path.name.endswith("_2025-03-01.json")


def test_from_any_networkx_graph() -> None:
    graph = nx.MultiDiGraph(date="2025-03-01", ucla_isolated=3)
    graph.add_node(0, name="Robin", ward="Derwent")
    graph.add_node(1, kind="person", domain="friend", closeness=2, support_received=["company", "emotional"])
    graph.add_node(2, kind="group", domain="community", meets="Fridays")
    graph.add_edges_from([(0, 1), (1, 2), (2, 1), (1, 2)])
    snap = from_networkx(graph, centre=0, person_id="P09")
    assert (snap.person_id, snap.date.isoformat(), snap.name, snap.answers["ucla_isolated"]) == ("P09", "2025-03-01", "Robin", 3)
    assert snap.connections["connection_id"].tolist() == ["1", "2"]
    assert snap.connections["support_received"].tolist()[0] == "emotional;company"
    assert snap.connections["meets"].tolist()[1] == "Fridays"
    assert snap.ties[["source", "target"]].values.tolist() == [["1", "2"]]


def test_from_networkx_says_what_is_missing() -> None:
    graph = nx.Graph()
    graph.add_node("me")
    graph.add_node("mum", kind="person", domain="family")  # no closeness
    graph.add_node("x", kind="person")  # no domain, no closeness
    with pytest.raises(sc.ValidationError) as caught:
        from_networkx(graph, "me")
    assert [(p.file, p.column) for p in caught.value.problems] == [("graph", "date")]
    with pytest.raises(sc.ValidationError) as caught:
        from_networkx(graph, "me", date="2025-03-01")
    assert {(p.file, p.column) for p in caught.value.problems} == {("node 'x'", "domain")}
    graph.nodes["x"]["domain"] = "friend"
    with pytest.raises(sc.ValidationError) as caught:
        from_networkx(graph, "me", date="2025-03-01")
    assert {(p.file, p.column) for p in caught.value.problems} == {("node 'mum'", "closeness"), ("node 'x'", "closeness")}
    with pytest.raises(sc.ValidationError, match="'nobody' is not a node"):
        from_networkx(graph, "nobody", date="2025-03-01")


def hopeful() -> sc.Snapshot:
    """Mum, and two hopes: a boxing club (wished close) and a friend nearby (no closeness)."""
    cohort = sc.Cohort.from_tables(
        pd.DataFrame({"person_id": ["P01"]}),
        pd.DataFrame({"person_id": ["P01"] * 3, "date": ["2025-03-01"] * 3, "connection_id": ["C1", "H1", "H2"],
                      "kind": ["person", "group", "person"], "domain": ["family", "community", "friend"],
                      "closeness": [1, 2, None], "name": ["Mum", "Boxing club", "A friend nearby"],
                      "hope": [None, "true", "true"]}),
    )
    return cohort.snapshot("P01")


@pytest.mark.parametrize("suffix", [".graphml", ".gexf", ".json"])
def test_hopes_travel_through_every_graph_format(tmp_path: Path, suffix: str) -> None:
    snap = hopeful()
    path = write_graph(snap, tmp_path / f"map{suffix}")
    if suffix == ".json":
        graph = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
    elif suffix == ".gexf":
        graph = nx.read_gexf(path)
        for _, data in graph.nodes(data=True):  # GEXF adds a label of its own
            data.pop("label", None)
    else:
        graph = nx.read_graphml(path)
    assert graph.nodes["H1"]["hope"] is True and "hope" not in graph.nodes["C1"]
    assert graph.edges["P01", "H1"]["role"] == "hope" and graph.edges["P01", "C1"]["role"] == "centre"
    back = from_networkx(graph, centre="P01", date="2025-03-01")  # GEXF has no graph attributes
    assert back.connections["hope"].tolist() == [False, True, True]
    assert back.connections.equals(snap.connections)


def test_node_link_json_of_hopes_follows_its_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = node_link_schema()
    data = node_link_data(hopeful())
    jsonschema.validate(data, schema)  # a hoped-for person needs no closeness
    broken = json.loads(json.dumps(data))
    for node in broken["nodes"]:
        node.pop("hope", None)  # without hope, a person with no closeness breaks the schema
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)
