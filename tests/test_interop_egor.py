"""egor's three files: exact layout, round trips, files coming back from R, and bad input."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import socialcap as sc
from socialcap.interop import read_egor, write_egor


def table(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(textwrap.dedent(text)), dtype=str, keep_default_na=False)


def small_cohort() -> sc.Cohort:
    """P01 with two maps (one tie each), P02 with an empty map and answers, P03 not mapped yet."""
    return sc.Cohort.from_tables(
        people=table("""\
            person_id,name,birth_year,ward,start_date,notes
            P01,Sam,2007,Derwent,2024-09-01,likes football
            P02,Alex,2006,Sinfin,2024-10-15,
            P03,,,,,
            """),
        connections=table("""\
            person_id,date,connection_id,kind,name,domain,closeness,contact,support_received,support_given,paid,since,how_met
            P01,2025-03-01,C1,person,Mum,family,1,daily,emotional;practical,company,,2007-01-01,
            P01,2025-03-01,C2,person,Jo (personal adviser),professional,2,weekly,advice,,,,referral
            P01,2025-03-01,G1,group,Boxing club,community,,weekly,,,,,
            P01,2025-09-01,C1,person,Mum,family,1,daily,emotional,,,,
            P01,2025-09-01,C3,person,"Kai, my mate",friend,1,weekly,company,company,false,2025-05-01,boxing
            """),
        ties=table("""\
            person_id,date,source,target,kind
            P01,2025-03-01,C2,G1,member
            P01,2025-09-01,C1,C3,
            """),
        snapshots=table("""\
            person_id,date,ucla_companionship,ucla_left_out,ucla_isolated,ons_lonely,mood
            P02,2025-09-01,3,3,2,often_always,low
            """),
    )


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_egor_files_have_egors_default_id_columns(tmp_path: Path) -> None:
    write_egor(small_cohort(), tmp_path)
    egos, alters, aaties = (read(tmp_path / f) for f in ("egos.csv", "alters.csv", "aaties.csv"))
    assert list(egos.columns) == [
        "egoID", "person_id", "date", "name", "birth_year", "ward", "start_date", "notes",
        "ucla_companionship", "ucla_left_out", "ucla_isolated", "ons_lonely", "snapshot.mood",
    ]
    assert egos["egoID"].tolist() == ["P01@2025-03-01", "P01@2025-09-01", "P02@2025-09-01", "P03@"]
    assert egos.loc[2, ["ucla_isolated", "ons_lonely", "snapshot.mood"]].tolist() == ["2", "often_always", "low"]
    assert egos.loc[1, ["name", "notes"]].tolist() == ["Sam", "likes football"]  # repeated on each row
    assert list(alters.columns) == [
        "egoID", "alterID", "person_id", "date", "kind", "name", "domain", "closeness", "contact",
        "support_received", "support_given", "paid", "since", "hope", "how_met",
    ]
    assert alters[["egoID", "alterID"]].values.tolist() == [
        ["P01@2025-03-01", "C1"], ["P01@2025-03-01", "C2"], ["P01@2025-03-01", "G1"],
        ["P01@2025-09-01", "C1"], ["P01@2025-09-01", "C3"],
    ]
    assert alters["paid"].tolist() == ["false", "true", "false", "false", "false"]
    assert alters.loc[4, "name"] == "Kai, my mate"
    assert list(aaties.columns) == ["egoID", "Source", "Target", "person_id", "date", "kind"]
    assert aaties.values.tolist() == [
        ["P01@2025-03-01", "C2", "G1", "P01", "2025-03-01", "member"],
        ["P01@2025-09-01", "C1", "C3", "P01", "2025-09-01", ""],
    ]


def test_round_trip_keeps_everything(tmp_path: Path) -> None:
    cohort = small_cohort()
    assert read_egor(write_egor(cohort, tmp_path)) == cohort


def test_reads_what_r_writes_back(tmp_path: Path) -> None:
    # write.csv(row.names = TRUE, na = "NA"): an unnamed row-name column and NA for missing;
    # mean_tie_strength was added in R (one value per snapshot), region too (one per person).
    (tmp_path / "egos.csv").write_text(textwrap.dedent("""\
        "","egoID","person_id","date","name","ucla_companionship","region","mean_tie_strength"
        "1","P01@2025-03-01","P01","2025-03-01","Sam",NA,"East Midlands",1.5
        "2","P01@2025-09-01","P01","2025-09-01","Sam",2,"East Midlands",1
        """))
    (tmp_path / "alters.csv").write_text(textwrap.dedent("""\
        "","egoID","alterID","kind","domain","closeness","paid"
        "1","P01@2025-03-01","C1","person","family",1,NA
        "2","P01@2025-09-01","C1","person","family",2,TRUE
        """))
    cohort = read_egor(tmp_path)
    assert cohort.people.loc[0, "region"] == "East Midlands"
    assert "region" not in cohort.snapshots.columns
    assert cohort.snapshots["mean_tie_strength"].tolist() == ["1.5", "1"]
    assert cohort.snapshots["ucla_companionship"].tolist()[1] == 2
    assert pd.isna(cohort.snapshots["ucla_companionship"].tolist()[0])
    assert cohort.connections["paid"].tolist() == [False, True]
    assert cohort.connections["closeness"].tolist() == [1, 2]
    assert len(cohort.ties) == 0  # aaties.csv may be left out


def test_ego_ids_alone_say_whose_map_it_is(tmp_path: Path) -> None:
    (tmp_path / "egos.csv").write_text("egoID\nP01@2025-03-01\n")
    (tmp_path / "alters.csv").write_text("egoID,alterID,kind,domain,closeness\nP01@2025-03-01,C1,person,friend,3\n")
    cohort = read_egor(tmp_path)
    assert cohort.person_ids == ["P01"]
    assert cohort.snapshot("P01").connections["connection_id"].tolist() == ["C1"]


def problems_of(folder: Path) -> list[sc.Problem]:
    with pytest.raises(sc.ValidationError) as caught:
        read_egor(folder)
    return caught.value.problems


def test_missing_files_and_columns_are_named(tmp_path: Path) -> None:
    (tmp_path / "egos.csv").write_text("person_id,date\nP01,2025-03-01\n")
    assert [(p.file, p.column) for p in problems_of(tmp_path)] == [("alters.csv", None)]
    (tmp_path / "alters.csv").write_text("egoID,kind\nP01@2025-03-01,person\n")
    assert [(p.file, p.row, p.column) for p in problems_of(tmp_path)] == [
        ("alters.csv", 1, "alterID"), ("egos.csv", 1, "egoID"),
    ]


def test_problems_point_at_egor_files_rows_and_columns(tmp_path: Path) -> None:
    (tmp_path / "egos.csv").write_text(textwrap.dedent("""\
        egoID,person_id,date,name
        A,P01,2025-03-01,Sam
        B,P01,2025-09-01,Samuel
        B,P01,2025-10-01,Sam
        """))
    (tmp_path / "alters.csv").write_text(textwrap.dedent("""\
        egoID,alterID,kind,domain,closeness
        A,C1,person,family,1
        Z,C2,person,family,1
        """))
    (tmp_path / "aaties.csv").write_text("egoID,Source,Target\nA,C1,C9\n")
    found = {(p.file, p.row, p.column) for p in problems_of(tmp_path)}
    assert found == {
        ("egos.csv", 3, "name"),  # a person has one name
        ("egos.csv", 4, "egoID"),  # B is used twice
        ("alters.csv", 3, "egoID"),  # Z is not in egos.csv
    }
    # Problems found by socialcap's validator still name the egor file and its column.
    (tmp_path / "egos.csv").write_text("egoID,person_id,date\nA,P01,2025-03-01\n")
    (tmp_path / "alters.csv").write_text("egoID,alterID,kind,domain,closeness\nA,C1,person,famly,1\n")
    tie, domain = problems_of(tmp_path)
    assert (tie.file, tie.row, tie.column) == ("aaties.csv", 2, "Target")
    assert "'C9' is not a connection_id" in tie.message
    assert (domain.file, domain.row, domain.column) == ("alters.csv", 2, "domain")
    assert "did you mean 'family'?" in domain.message


# -- property: any valid cohort survives the trip -------------------------------------

ids = st.text(alphabet="ABCXYZ019_-@ ", min_size=1, max_size=5).filter(lambda s: s.strip() == s)
words = st.one_of(st.none(), st.text(alphabet="abc ,;\"'é=", min_size=1, max_size=6))


@st.composite
def cohorts(draw: st.DrawFn) -> sc.Cohort:
    people = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
    dates = ["2025-01-01", "2025-06-30", "2026-02-28"]
    person_rows, connection_rows, tie_rows, snapshot_rows = [], [], [], []
    for pid in people:
        person_rows.append({"person_id": pid, "name": draw(words), "birth_year": draw(st.sampled_from(["", "2006"])), "hobby": draw(words)})
        for date in draw(st.lists(st.sampled_from(dates), max_size=2, unique=True)):
            cids = draw(st.lists(ids.filter(lambda c, pid=pid: c != pid), max_size=4, unique=True))
            for cid in cids:
                kind = draw(st.sampled_from(sc.vocab.KINDS))
                connection_rows.append({
                    "person_id": pid, "date": date, "connection_id": cid, "kind": kind,
                    "name": draw(words), "domain": draw(st.sampled_from(sc.vocab.DOMAINS)),
                    "closeness": str(draw(st.sampled_from(sc.vocab.CLOSENESS))) if kind == "person" else "",
                    "support_received": draw(st.sampled_from(["", "emotional", "advice;company"])),
                    "paid": draw(st.sampled_from(["", "true", "false"])), "note": draw(words),
                })
            for a, b in draw(st.lists(st.tuples(st.sampled_from(cids), st.sampled_from(cids)), max_size=3)) if cids else []:
                if a != b:
                    tie_rows.append({"person_id": pid, "date": date, "source": a, "target": b, "kind": draw(words)})
            if draw(st.booleans()):
                snapshot_rows.append({"person_id": pid, "date": date, "ucla_isolated": draw(st.sampled_from(["", "1", "3"])), "mood": draw(words)})
    frame = lambda rows, cols: pd.DataFrame(rows, columns=cols, dtype=object)  # noqa: E731
    return sc.Cohort.from_tables(
        frame(person_rows, ["person_id", "name", "birth_year", "hobby"]),
        frame(connection_rows, ["person_id", "date", "connection_id", "kind", "name", "domain", "closeness", "support_received", "paid", "note"]),
        frame(tie_rows, ["person_id", "date", "source", "target", "kind"]),
        frame(snapshot_rows, ["person_id", "date", "ucla_isolated", "mood"]),
    )


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cohort=cohorts())
def test_any_cohort_survives_egor_files(cohort: sc.Cohort, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("egor")
    assert read_egor(write_egor(cohort, folder)) == cohort
