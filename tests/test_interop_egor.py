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


# -- files as R writes them: write.csv and write.csv2 ------------------------------------


def r_csv(frame: pd.DataFrame, path: Path, csv2: bool = False, row_names: bool = True) -> Path:
    """Write a table as R's ``write.csv`` (or ``write.csv2``) does: a quoted header with an
    unnamed column of row names, text quoted, numbers bare, ``NA`` for missing, and for
    ``write.csv2`` semicolons with decimal commas."""
    sep = ";" if csv2 else ","

    def numeric(column: pd.Series) -> bool:
        values = column.dropna().astype(str)
        return bool(len(values)) and values.str.fullmatch(r"[+-]?\d+(\.\d+)?").all()

    kinds = {c: numeric(frame[c].replace("", None)) for c in frame.columns}
    lines = [sep.join((['""'] if row_names else []) + ['"' + c.replace('"', '""') + '"' for c in frame.columns])]
    for i, (_, row) in enumerate(frame.iterrows(), start=1):
        cells = [f'"{i}"'] if row_names else []
        for column in frame.columns:
            value = row[column]
            if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
                cells.append("NA")
            elif kinds[column]:
                cells.append(str(value).replace(".", ",") if csv2 else str(value))
            else:
                cells.append('"' + str(value).replace('"', '""') + '"')
        lines.append(sep.join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("csv2", [False, True], ids=["write.csv", "write.csv2"])
def test_socialcaps_files_come_back_from_either_r_dialect(tmp_path: Path, csv2: bool) -> None:
    cohort = small_cohort()
    written = write_egor(cohort, tmp_path / "out")
    back = tmp_path / "back"
    back.mkdir()
    for name in ("egos.csv", "alters.csv", "aaties.csv"):
        r_csv(read(written / name), back / name, csv2=csv2)
    notes: list[str] = []
    assert read_egor(back, notes=notes) == cohort
    dialect = "semicolon-separated" if csv2 else "comma-separated"
    assert notes == [f"Read egos.csv, alters.csv and aaties.csv as {dialect}" + (
        " (R's write.csv2), with no decimal numbers in them." if csv2 else " with decimal points (R's write.csv).")]


def test_decimal_commas_are_read_as_numbers_and_said(tmp_path: Path) -> None:
    # egor's own example data: semicolons, an unnamed row-name column, integer ids.
    (tmp_path / "egos.csv").write_text(textwrap.dedent('''\
        "";"egoID";"person_id";"date";"netsize";"mean_weight"
        "1";"P01@2025-03-01";"P01";"2025-03-01";2;1,5
        "2";"P02@2025-03-01";"P02";"2025-03-01";1;2
        '''))
    (tmp_path / "alters.csv").write_text(textwrap.dedent('''\
        "";"egoID";"alterID";"kind";"domain";"closeness";"label"
        "1";"P01@2025-03-01";1;"person";"family";1;"1,5"
        "2";"P01@2025-03-01";2;"person";"friend";2;"two, three"
        "3";"P02@2025-03-01";1;"person";"friend";3;NA
        '''))
    notes: list[str] = []
    cohort = read_egor(tmp_path, notes=notes)
    assert notes == ["Read egos.csv and alters.csv as semicolon-separated (R's write.csv2), with decimal commas (in egos.csv)."]
    assert cohort.people["mean_weight"].tolist() == ["1.5", "2"]  # one value a person: people.csv
    # A text column is left as written, even where one value looks like a decimal comma.
    assert cohort.connections["label"].tolist()[:2] == ["1,5", "two, three"]
    assert cohort.connections["connection_id"].tolist() == ["1", "2", "1"]


def test_a_separator_socialcap_does_not_read_is_named(tmp_path: Path) -> None:
    (tmp_path / "egos.csv").write_text("egoID|person_id|date\nP01@2025-03-01|P01|2025-03-01\n")
    (tmp_path / "alters.csv").write_text("egoID|alterID|kind|domain|closeness\nP01@2025-03-01|C1|person|family|1\n")
    found = problems_of(tmp_path)
    assert {(p.file, p.row, p.column) for p in found} == {("egos.csv", 1, "egoID"), ("alters.csv", 1, "egoID"), ("alters.csv", 1, "alterID")}
    assert all("separated by something other than a comma or a semicolon" in p.message for p in found)


# -- a study's own egor files, through a mapping ------------------------------------------
#
# Shaped as egor's inst/extdata examples (integer egoIDs, an unnamed row-name column,
# the study's own variables) and as R users write as_alters_df()/as_aaties_df() with
# .egoID, .altID, .srcID and .tgtID.  Two participants; P01 interviewed twice.

STUDY_EGOS = pd.DataFrame({
    "egoID": ["1", "2", "3"], "participant": ["P01", "P02", "P01"],
    "interview": ["2025-03-01", "2025-03-04", "2025-09-01"], "sex": ["w", "m", "w"],
    "age": ["18 - 25", "0 - 17", "18 - 25"], "netsize": ["3", "1", "2"],
})
STUDY_ALTERS = pd.DataFrame({
    ".egoID": ["1", "1", "1", "2", "3", "3"], ".altID": ["1", "2", "3", "1", "1", "2"],
    "relation": ["Mother", "Friend", "Youth worker", "Friend", "Mother", "Friend"],
    "tie_strength": ["very close", "somewhat close", "not so close", "very close", "very close", "very close"],
    "alter.age": ["36 - 45", "18 - 25", "26 - 35", "18 - 25", "36 - 45", "18 - 25"],
})
STUDY_AATIES = pd.DataFrame({".egoID": ["1", "1", "3"], ".srcID": ["1", "1", "1"], ".tgtID": ["2", "3", "2"], "weight": ["0.5", "1", "1.5"]})
STUDY_MAPPING = """\
person_id = "participant"
date = "interview"

[connections]
domain = "relation"
closeness = "tie_strength"

[values.domain]
Mother = "family"
Friend = "friend"
"Youth worker" = "professional"

[values.closeness]
"very close" = 1
"somewhat close" = 2
"not so close" = 3
"""


def study(folder: Path, csv2: bool) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    r_csv(STUDY_EGOS, folder / "egos.csv", csv2=csv2)
    r_csv(STUDY_ALTERS, folder / "alters.csv", csv2=csv2, row_names=False)
    r_csv(STUDY_AATIES, folder / "aaties.csv", csv2=csv2)
    return folder


@pytest.mark.parametrize("csv2", [False, True], ids=["write.csv", "write.csv2"])
def test_a_study_imports_through_a_mapping(tmp_path: Path, csv2: bool) -> None:
    (tmp_path / "mapping.toml").write_text(STUDY_MAPPING)
    cohort = read_egor(study(tmp_path / "study", csv2), tmp_path / "mapping.toml")
    assert cohort.person_ids == ["P01", "P02"]
    assert [d.isoformat() for d in cohort.timeline("P01").dates] == ["2025-03-01", "2025-09-01"]
    # egoID 3 is P01's second map: alters 1 and 2 of ego 3, not of ego 1.
    first = cohort.snapshot("P01", "2025-03-01").connections
    assert first[["connection_id", "kind", "domain", "closeness", "paid"]].values.tolist() == [
        ["1", "person", "family", 1, False], ["2", "person", "friend", 2, False], ["3", "person", "professional", 3, True],
    ]
    assert first["alter.age"].tolist() == ["36 - 45", "18 - 25", "26 - 35"]  # the study's other variables are kept
    assert not {"relation", "tie_strength"} & set(first.columns)
    ties = cohort.snapshot("P01", "2025-03-01").ties
    assert ties[["source", "target", "weight"]].values.tolist() == [["1", "2", "0.5"], ["1", "3", "1"]]  # decimal commas read
    assert cohort.people[["person_id", "sex", "age"]].values.tolist() == [["P01", "w", "18 - 25"], ["P02", "m", "0 - 17"]]
    assert cohort.snapshots["egoID"].tolist() == ["1", "3", "2"]  # egor's id stays with each map
    metrics = cohort.metrics()  # indexed by person_id and date
    assert metrics.loc[("P01", pd.Timestamp("2025-03-01")), ["people", "informal_people", "paid_people"]].tolist() == [3, 2, 1]
    assert metrics.loc[("P01", pd.Timestamp("2025-03-01")), "density"] == pytest.approx(2 / 3)  # ties among the 3 people
    assert metrics.loc[("P02", pd.Timestamp("2025-03-04")), "people"] == 1
    change = sc.compare(*cohort.timeline("P01").snapshots)
    assert change.lost == ("3",) and change.moved_closer == ("2",)


def test_one_date_for_every_map_and_ids_that_collide(tmp_path: Path) -> None:
    # egor's own example: the egoID is the person, alters numbered 1, 2, 3 as the egos are.
    folder = tmp_path / "egor"
    folder.mkdir()
    r_csv(STUDY_EGOS.drop(columns=["participant", "interview"]).rename(columns={"egoID": "egoID"}), folder / "egos.csv", csv2=True)
    r_csv(STUDY_ALTERS.rename(columns={".egoID": "egoID", ".altID": "alterID"}), folder / "alters.csv", csv2=True)
    r_csv(STUDY_AATIES.rename(columns={".egoID": "egoID", ".srcID": "Source", ".tgtID": "Target"}), folder / "aaties.csv", csv2=True)
    mapping = sc.interop.EgorMapping.from_dict({
        "connections": {"domain": "relation", "closeness": "tie_strength"},
        "values": {"domain": {"Mother": "family", "Friend": "friend", "Youth worker": "professional"},
                   "closeness": {"very close": 1, "somewhat close": 2, "not so close": 3}}})
    notes: list[str] = []
    cohort = read_egor(folder, mapping, date="2024-11-30", notes=notes)
    assert cohort.person_ids == ["1", "2", "3"]
    assert {d.isoformat() for d in cohort.snapshots["date"].dt.date} == {"2024-11-30"}
    # Alter 1 of ego 1 cannot share the young person's id "1": every connection id says alter.
    assert cohort.snapshot("1").connections["connection_id"].tolist() == ["alter1", "alter2", "alter3"]
    assert any("alter<id>" in note for note in notes)
    assert cohort.snapshot("1").ties[["source", "target"]].values.tolist() == [["alter1", "alter2"], ["alter1", "alter3"]]
    assert cohort.snapshot("3").ties[["source", "target", "weight"]].values.tolist() == [["alter1", "alter2", "1.5"]]
    # A --date that is not YYYY-MM-DD is refused before anything is read.
    with pytest.raises(sc.ValidationError, match="'30/11/2024' is not a date written YYYY-MM-DD"):
        read_egor(folder, mapping, date="30/11/2024")


def test_what_the_files_cannot_give_is_said_once_per_column(tmp_path: Path) -> None:
    folder = study(tmp_path / "study", csv2=True)
    # No mapping: egoIDs 1, 2, 3 say nothing of a date.
    [problem] = problems_of(folder)
    assert (problem.file, problem.column) == ("egos.csv", "egoID")
    assert "does not say when each map was drawn" in problem.message and "--write-mapping" in problem.message
    # With the person and date but no domain or ring: one problem for each, not one a row.
    found = problems_of_mapping(folder, 'person_id = "participant"\ndate = "interview"\n', tmp_path)
    assert [(p.file, p.row, p.column) for p in found] == [("alters.csv", 2, "closeness"), ("alters.csv", 2, "domain")]
    assert all("(6 rows, the first here)" in p.message and "--write-mapping mapping.toml" in p.message for p in found)
    # A value the mapping does not translate: once, with every value and how often.
    [problem] = problems_of_mapping(folder, STUDY_MAPPING.replace('Friend = "friend"\n', ""), tmp_path)
    assert (problem.file, problem.row, problem.column) == ("alters.csv", 3, "relation")
    assert "3 rows cannot be read: 'Friend' (3 rows)" in problem.message and "[values.domain]" in problem.message


def problems_of_mapping(folder: Path, mapping: str, tmp_path: Path) -> list[sc.Problem]:
    (tmp_path / "m.toml").write_text(mapping)
    with pytest.raises(sc.ValidationError) as caught:
        read_egor(folder, tmp_path / "m.toml")
    return caught.value.problems


def test_mapping_mistakes_name_the_mapping_and_the_columns(tmp_path: Path) -> None:
    folder = study(tmp_path / "study", csv2=False)
    found = problems_of_mapping(folder, STUDY_MAPPING.replace('"relation"', '"relatoin"') + '[kinds]\nx = "person"\n', tmp_path)
    assert {(p.file, p.column) for p in found} == {("m.toml", "kinds")}  # not part of an egor mapping
    [problem] = problems_of_mapping(folder, STUDY_MAPPING.replace('"relation"', '"relatoin"'), tmp_path)
    assert (problem.file, problem.column) == ("m.toml", "connections.domain")
    assert "alters.csv has no such column (did you mean 'relation'?)" in problem.message


# -- property: a starting mapping is always a valid mapping, and never a traceback --------

names = st.one_of(
    st.sampled_from(["relation", "tie_strength", "contact", "interview_date", 'say "hi"']),  # names a mapping guesses from
    st.text(alphabet='abcXYZ._ 1é"', min_size=1, max_size=8).filter(lambda s: s.strip() == s and not s.startswith(("Unnamed", "."))),
)
cells = st.text(alphabet='ab "\';,=#[]\\é\t1.', max_size=6)


@st.composite
def studies(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame]:
    ego_vars = draw(st.lists(names, max_size=3, unique=True).filter(lambda v: not {"egoID", "person_id", "date"} & set(v)))
    alter_vars = draw(st.lists(names, max_size=3, unique=True).filter(lambda v: not {"egoID", "alterID", "person_id", "date"} & set(v)))
    egos = pd.DataFrame({"egoID": ["1", "2"], **{v: [draw(cells), draw(cells)] for v in ego_vars}})
    n = draw(st.integers(0, 4))
    alters = pd.DataFrame({"egoID": [draw(st.sampled_from(["1", "2"])) for _ in range(n)], "alterID": [str(i) for i in range(n)],
                           **{v: [draw(cells) for _ in range(n)] for v in alter_vars}})
    return egos, alters


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=studies(), csv2=st.booleans())
def test_any_study_gets_a_valid_starting_mapping(files: tuple[pd.DataFrame, pd.DataFrame], csv2: bool, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("study")
    r_csv(files[0], folder / "egos.csv", csv2=csv2)
    r_csv(files[1], folder / "alters.csv", csv2=csv2)
    mapping = sc.interop.write_egor_mapping(folder, folder / "mapping.toml")
    parsed = sc.interop.EgorMapping.from_file(mapping)  # valid TOML, a valid mapping
    left = parsed.to_choose()
    if not left:  # a guessed date column of nothing but dates, and nothing else to choose
        return
    with pytest.raises(sc.ValidationError) as caught:
        read_egor(folder, mapping)
    assert sorted(p.column for p in caught.value.problems) == sorted(p.column for p in left)


def test_a_column_the_mapping_fills_from_elsewhere_is_not_overwritten(tmp_path: Path) -> None:
    folder = tmp_path / "study"
    folder.mkdir()
    r_csv(STUDY_EGOS, folder / "egos.csv")
    r_csv(STUDY_ALTERS.assign(domain="other", kind="group"), folder / "alters.csv")
    found = problems_of_mapping(folder, STUDY_MAPPING + '[fixed]\nkind = "person"\n', tmp_path)
    assert {(p.file, p.column) for p in found} == {("m.toml", "connections.domain"), ("m.toml", "fixed.kind")}
    assert "alters.csv also has a column named 'domain'" in next(p.message for p in found if p.column == "connections.domain")


def test_community_assets_travel_beside_egors_files(tmp_path: Path) -> None:
    cohort = sc.datasets.synthetic(people=3, waves=2, seed=2)
    assert len(cohort.assets) and cohort.connections["asset_id"].notna().any()
    folder = write_egor(cohort, tmp_path / "r")
    assert sorted(p.name for p in folder.iterdir()) == ["aaties.csv", "alters.csv", "assets.csv", "egos.csv"]
    assert read_egor(folder) == cohort
    # An asset named in alters.csv but no longer in assets.csv is named where it is used.
    used = cohort.connections["asset_id"].dropna().iloc[0]
    assets = read(folder / "assets.csv")
    assets[assets["asset_id"] != used].to_csv(folder / "assets.csv", index=False)
    found = problems_of(folder)
    assert found and all((p.file, p.column) == ("alters.csv", "asset_id") for p in found)


def test_egors_example_file_names_get_a_hint(tmp_path: Path) -> None:
    r_csv(STUDY_EGOS, tmp_path / "egos_32.csv", csv2=True)
    r_csv(STUDY_ALTERS, tmp_path / "alteri_32.csv", csv2=True)
    r_csv(STUDY_AATIES, tmp_path / "edges_32.csv", csv2=True)
    messages = {p.file: p.message for p in problems_of(tmp_path)}
    assert "there is egos_32.csv: rename it egos.csv" in messages["egos.csv"]
    assert "there is alteri_32.csv: rename it alters.csv" in messages["alters.csv"]
    assert "there is edges_32.csv: rename it aaties.csv" in messages["aaties.csv"]
