"""Network Canvas: the hand-written sample export becomes the expected timelines; bad input is named."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import socialcap as sc
from socialcap.interop import NetworkCanvasMapping, read_networkcanvas

DATA = Path(__file__).parent / "data" / "networkcanvas"
MAPPING = DATA / "mapping.toml"
FIRST = "P01_a1f0c2d4-5b6e-4f70-8a91-b2c3d4e5f601"


@pytest.fixture(scope="module")
def cohort() -> sc.Cohort:
    return read_networkcanvas(DATA / "csv", MAPPING)


def rows(snapshot: sc.Snapshot, *columns: str) -> list[list[object]]:
    frame = snapshot.connections.sort_values("connection_id")
    return [[None if pd.isna(v) else v for v in row] for row in frame[list(columns)].itertuples(index=False)]


def test_sample_imports_as_two_timelines(cohort: sc.Cohort) -> None:
    assert cohort.person_ids == ["P01", "P02"]
    assert [d.isoformat() for d in cohort.timeline("P01").dates] == ["2025-01-14", "2025-04-15"]
    assert cohort.people[["person_id", "ward", "birth_year"]].values.tolist() == [["P01", "Derwent", 2007], ["P02", "Sinfin", 2006]]
    answers = cohort.snapshots[["person_id", "ucla_companionship", "ucla_left_out", "ucla_isolated", "ons_lonely"]]
    assert answers.values.tolist() == [
        ["P01", 2, 3, 2, "some_of_the_time"],
        ["P01", 1, 2, 1, "hardly_ever"],
        ["P02", 3, 3, 3, "often_always"],
    ]
    assert cohort.snapshots["networkCanvasSessionID"].tolist()[0] == "a1f0c2d4-5b6e-4f70-8a91-b2c3d4e5f601"
    assert len(cohort.snapshot("P02")) == 0  # mapped with nobody yet: an empty map, still a snapshot


def test_first_interview_connections_and_ties(cohort: sc.Cohort) -> None:
    first = cohort.snapshot("P01", "2025-01-14")
    assert rows(first, "connection_id", "kind", "domain", "closeness", "contact", "support_received", "support_given", "paid") == [
        ["Boxing club", "group", "community", None, None, None, None, False],
        ["Jo", "person", "professional", 2, "weekly", "advice", None, True],
        ["Kai", "person", "friend", 1, "weekly", "company", "company", False],
        ["Mum", "person", "family", 1, "daily", "emotional;practical", "company", False],
        ["Youth centre", "place", "community", None, None, None, None, False],
    ]
    assert first.ties[["source", "target", "kind"]].values.tolist() == [
        ["Mum", "Jo", "knows"], ["Kai", "Boxing club", "belongs"], ["Boxing club", "Youth centre", "belongs"],
    ]
    # Variables the mapping does not use are kept; Network Canvas's bookkeeping is not.
    assert rows(first, "connection_id", "meets", "circle_x") == [
        ["Boxing club", "Tuesdays", None], ["Jo", None, "0.6875"], ["Kai", None, "0.3902"],
        ["Mum", None, "0.4521"], ["Youth centre", None, None],
    ]
    assert not {"nodeID", "networkCanvasUUID", "networkCanvasEgoUUID", "relationship_Family"} & set(first.connections.columns)


def test_the_timeline_tells_what_changed(cohort: sc.Cohort) -> None:
    change = sc.compare(*cohort.timeline("P01").snapshots)
    assert change.gained == ("College", "Nan")
    assert change.lost == ()
    assert change.moved_closer == () and change.moved_away == ()
    assert change.newcomers_linked == ("Nan",)  # Nan knows Mum


def test_graphml_export_reads_the_same_as_csv(cohort: sc.Cohort) -> None:
    from_graphml = read_networkcanvas(DATA / "graphml", MAPPING).snapshot("P01")
    from_csv = cohort.snapshot("P01", "2025-01-14")
    order = lambda s: s.connections.sort_values("connection_id").reset_index(drop=True)  # noqa: E731
    assert order(from_graphml).equals(order(from_csv)[list(from_graphml.connections.columns)])
    assert set(from_graphml.connections.columns) == set(from_csv.connections.columns)
    assert from_graphml.ties.equals(from_csv.ties)
    assert dict(from_graphml.answers) == dict(from_csv.answers)


def test_the_zip_network_canvas_writes_reads_too(tmp_path: Path, cohort: sc.Cohort) -> None:
    archive = tmp_path / "networkCanvasExport.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in sorted((DATA / "csv").iterdir()):
            z.write(path, f"networkCanvasExport/{path.name}")
    assert read_networkcanvas(archive, MAPPING) == cohort


def test_a_protocol_using_socialcaps_names_needs_no_mapping(tmp_path: Path) -> None:
    ego = "networkCanvasEgoUUID,networkCanvasCaseID,networkCanvasSessionID,sessionStart,ward,ucla_isolated\r\n" \
          "e1,P07,s1,2025-05-02T08:00:00.000Z,Derwent,2\r\n"
    nodes = "nodeID,networkCanvasEgoUUID,networkCanvasUUID,name,domain_friend,domain_family,closeness,contact\r\n" \
            "1,e1,u1,Bea,true,false,1,weekly\r\n"
    (tmp_path / "P07_s1_ego.csv").write_text(ego)
    (tmp_path / "P07_s1_attributeList_Person.csv").write_text(nodes)
    snap = read_networkcanvas(tmp_path).snapshot("P07")
    assert snap.date.isoformat() == "2025-05-02" and snap.answers["ucla_isolated"] == 2 and snap.person["ward"] == "Derwent"
    assert rows(snap, "connection_id", "name", "domain", "closeness", "contact") == [["u1", "Bea", "friend", 1, "weekly"]]


def copy_sample(tmp_path: Path) -> Path:
    folder = tmp_path / "export"
    shutil.copytree(DATA / "csv", folder)
    return folder


def problems(path: Path, mapping: object = MAPPING) -> list[sc.Problem]:
    with pytest.raises(sc.ValidationError) as caught:
        read_networkcanvas(path, mapping)  # type: ignore[arg-type]
    return caught.value.problems


def test_bad_values_are_traced_to_the_export_file_row_and_variable(tmp_path: Path) -> None:
    folder = copy_sample(tmp_path)
    person = folder / f"{FIRST}_attributeList_Person.csv"
    text = person.read_text().replace(",2,Every_week,", ",5,Every_week,").replace("Kai,false,false,true,false,false", "Kai,false,false,true,true,false")
    person.write_text(text)
    found = {(p.file, p.row, p.column) for p in problems(folder)}
    assert found == {
        (person.name, 3, "closeness"),  # Jo: closeness 5
        (person.name, 4, "relationship"),  # Kai: Friend and Neighbour both ticked
    }


def test_a_value_with_no_socialcap_meaning_names_the_mapping_column(tmp_path: Path) -> None:
    folder = copy_sample(tmp_path)
    mapping = MAPPING.read_text().replace('Worker = "professional"\n', "")
    (tmp_path / "m.toml").write_text(mapping)
    [first] = problems(folder, tmp_path / "m.toml")  # Jo, in both interviews: said once
    assert (first.file, first.row, first.column) == (f"{FIRST}_attributeList_Person.csv", 3, "relationship")
    assert "2 rows in 2 files cannot be read: 'Worker' (2 rows)" in first.message
    assert "'Worker' is not one of" in first.message and "under [values.domain]" in first.message
    assert "socialcap import networkcanvas SRC --write-mapping" in first.message


def test_mapping_mistakes_are_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('date = "interview_date"\n[connections]\ndomian = "relationship"\n[kinds]\nPerson = "human"\n[colour]\n')
    found = {(p.file, p.column) for p in problems(DATA / "csv", bad)}
    assert found == {("bad.toml", "connections.domian"), ("bad.toml", "kinds.Person"), ("bad.toml", "colour")}
    message = next(p.message for p in problems(DATA / "csv", bad) if p.column == "connections.domian")
    assert "did you mean 'domain'?" in message
    unknown = tmp_path / "unknown.toml"
    unknown.write_text(MAPPING.read_text().replace('domain = "relationship"', 'domain = "relation"'))
    [problem] = problems(DATA / "csv", unknown)
    assert (problem.file, problem.column) == ("unknown.toml", "connections.domain")
    assert "'relation'" in problem.message
    (tmp_path / "broken.toml").write_text("[kinds\n")
    [problem] = problems(DATA / "csv", tmp_path / "broken.toml")
    assert problem.file == "broken.toml" and "not valid TOML" in problem.message


def test_unknown_node_types_and_missing_columns_are_named(tmp_path: Path) -> None:
    folder = copy_sample(tmp_path)
    (folder / f"{FIRST}_attributeList_Place.csv").rename(folder / f"{FIRST}_attributeList_Venue.csv")
    edges = folder / f"{FIRST}_edgeList_knows.csv"
    edges.write_text(edges.read_text().replace("networkCanvasSourceUUID", "sourceUUID"))
    assert [(p.file, p.row, p.column) for p in problems(folder)] == [(edges.name, 1, "networkCanvasSourceUUID")]
    edges.write_text(edges.read_text().replace("sourceUUID", "networkCanvasSourceUUID"))
    [venue] = problems(folder)
    assert (venue.file, venue.row, venue.column) == (f"{FIRST}_attributeList_Venue.csv", 2, None)
    assert "map it under [kinds]" in venue.message
    skip = NetworkCanvasMapping.from_dict({**_toml(MAPPING), "kinds": {"Venue": "skip", "Person": "person", "Group": "group"}})
    (folder / f"{FIRST}_edgeList_knows.csv").unlink()
    snap = read_networkcanvas(folder, skip).snapshot("P01", "2025-01-14")
    assert "Youth centre" not in snap.connections["connection_id"].tolist()
    assert snap.ties[["source", "target"]].values.tolist() == [["Kai", "Boxing club"]]  # the tie to the skipped place goes too


def test_two_interviews_on_one_day_are_refused(tmp_path: Path) -> None:
    folder = copy_sample(tmp_path)
    second = next(folder.glob("P01_b7e6*_ego.csv"))
    second.write_text(second.read_text().replace(",2025-04-15,Derwent", ",2025-01-14,Derwent"))
    [problem] = problems(folder)
    assert (problem.file, problem.row, problem.column) == (second.name, 2, "interview_date")
    assert "two interviews on 2025-01-14" in problem.message


def test_fixed_values_and_nothing_to_read(tmp_path: Path) -> None:
    mapping = NetworkCanvasMapping.from_dict({**_toml(MAPPING), "fixed": {"Place": {"domain": "other"}}})
    snap = read_networkcanvas(DATA / "csv", mapping).snapshot("P01", "2025-01-14")
    assert rows(snap, "connection_id", "domain")[-1] == ["Youth centre", "other"]
    empty = tmp_path / "empty"
    empty.mkdir()
    [problem] = problems(empty)
    assert "no Network Canvas session here" in problem.message


def _toml(path: Path) -> dict[str, object]:
    import tomllib

    return tomllib.loads(path.read_text())


def test_a_mapping_that_is_not_a_table_is_named(tmp_path: Path) -> None:
    for text in ("[]", "null", '"relationship"'):
        (tmp_path / "m.json").write_text(text)
        [problem] = problems(DATA / "csv", tmp_path / "m.json")
        assert problem.file == "m.json" and "should be a table of names" in problem.message


def test_one_date_for_every_interview() -> None:
    graphml = read_networkcanvas(DATA / "graphml", MAPPING, date="2025-06-01")  # P01's first interview only
    assert [d.isoformat() for d in graphml.snapshots["date"].dt.date] == ["2025-06-01"]
    # Two interviews of P01 given one date are two maps on one day: refused, not merged.
    [problem] = problems_with_date(DATA / "csv", "2025-06-01")
    assert "two interviews on 2025-06-01" in problem.message


def problems_with_date(path: Path, date: str) -> list[sc.Problem]:
    with pytest.raises(sc.ValidationError) as caught:
        read_networkcanvas(path, MAPPING, date=date)
    return caught.value.problems
