"""One test per rule of SPEC §2 and §7: every problem named by file, spreadsheet row and column."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import socialcap as sc
from conftest import CONNECTIONS, PEOPLE, SNAPSHOTS, TIES, write_folder

CONN_HEADER = "person_id,date,connection_id,kind,name,domain,closeness,contact,support_received,support_given,paid,since\n"


def read(tmp_path: Path, **tables: str | bytes | None) -> sc.Cohort:
    defaults: dict[str, str | bytes | None] = {"people": PEOPLE, "connections": CONNECTIONS, "ties": TIES, "snapshots": SNAPSHOTS}
    defaults.update(tables)
    return sc.read_cohort(write_folder(tmp_path / "c", **defaults))


def problems(tmp_path: Path, **tables: str | bytes | None) -> list[sc.Problem]:
    with pytest.raises(sc.ValidationError) as info:
        read(tmp_path, **tables)
    return info.value.problems


def only(tmp_path: Path, **tables: str | bytes | None) -> sc.Problem:
    found = problems(tmp_path, **tables)
    assert len(found) == 1, found
    return found[0]


def conn(*rows: str) -> str:
    return CONN_HEADER + "".join(r + "\n" for r in rows)


GOOD = "P01,2025-03-01,C1,person,Mum,family,1,daily,,,,"


def test_the_fixture_is_valid(tmp_path: Path) -> None:
    cohort = read(tmp_path)
    assert len(cohort) == 2 and len(cohort.connections) == 6


def test_people_table_is_required(tmp_path: Path) -> None:
    p = only(tmp_path, people=None)
    assert p.file == "people.csv" and p.row is None and "missing" in p.message


def test_connections_table_is_required(tmp_path: Path) -> None:
    found = problems(tmp_path, connections=None, ties=None)
    assert [(p.file, p.row) for p in found] == [("connections.csv", None)]


def test_an_empty_file_is_a_problem(tmp_path: Path) -> None:
    p = only(tmp_path, ties=b"")
    assert (p.file, p.row, p.column) == ("ties.csv", None, None) and "empty" in p.message


def test_a_missing_required_column_is_named(tmp_path: Path) -> None:
    text = "person_id,date,connection_id,kind,closeness\nP01,2025-03-01,C1,person,1\n"
    p = only(tmp_path, connections=text, ties=None)
    assert (p.file, p.row, p.column) == ("connections.csv", 1, "domain")


def test_a_misspelt_required_column_gets_a_hint(tmp_path: Path) -> None:
    p = only(tmp_path, people="person_id ,name\nP01,Sam\nP02,Alex\n")
    assert p.column == "person_id" and "'person_id '" in p.message


def test_a_column_named_twice_is_a_problem(tmp_path: Path) -> None:
    p = only(tmp_path, people="person_id,name,name\nP01,Sam,Sammy\nP02,Alex,Al\n")
    assert (p.file, p.row, p.column) == ("people.csv", 1, "name")


def test_an_empty_required_value_is_named_by_row(tmp_path: Path) -> None:
    p = only(tmp_path, connections=conn(GOOD, "P01,2025-03-01,,person,Jo,friend,2,,,,,"), ties=None)
    assert (p.file, p.row, p.column) == ("connections.csv", 3, "connection_id")


def test_kind_must_be_person_group_or_place(tmp_path: Path) -> None:
    p = only(tmp_path, connections=conn(GOOD, "P01,2025-03-01,C2,persn,Jo,friend,2,,,,,"), ties=None)
    assert (p.row, p.column) == (3, "kind") and "did you mean 'person'" in p.message


def test_domain_must_be_in_the_vocabulary(tmp_path: Path) -> None:
    p = only(tmp_path, connections=conn(GOOD, "P01,2025-03-01,C2,person,Jo,Friend,2,,,,,"), ties=None)
    assert (p.row, p.column) == (3, "domain") and "'friend'" in p.message


def test_a_space_around_a_value_is_pointed_out(tmp_path: Path) -> None:
    p = only(tmp_path, connections=conn(GOOD, "P01,2025-03-01,C2,person,Jo,friend,2 ,,,,,"), ties=None)
    assert p.column == "closeness" and "space" in p.message


@pytest.mark.parametrize("value", ["0", "4", "one", "1.5"])
def test_closeness_is_1_2_or_3(tmp_path: Path, value: str) -> None:
    p = only(tmp_path, connections=conn(GOOD, f"P01,2025-03-01,C2,person,Jo,friend,{value},,,,,"), ties=None)
    assert (p.row, p.column) == (3, "closeness")


def test_people_need_a_closeness_but_groups_and_places_do_not(tmp_path: Path) -> None:
    rows = conn(GOOD, "P01,2025-03-01,C2,person,Jo,friend,,,,,,", "P01,2025-03-01,G1,group,Club,community,,,,,,")
    p = only(tmp_path, connections=rows, ties=None)
    assert (p.row, p.column) == (3, "closeness")


def test_contact_must_be_in_the_vocabulary(tmp_path: Path) -> None:
    p = only(tmp_path, connections=conn(GOOD, "P01,2025-03-01,C2,person,Jo,friend,2,fortnightly,,,,"), ties=None)
    assert (p.row, p.column) == (3, "contact")


def test_support_lists_use_the_vocabulary(tmp_path: Path) -> None:
    p = only(tmp_path, connections=conn(GOOD, "P01,2025-03-01,C2,person,Jo,friend,2,,emotional;money,,,"), ties=None)
    assert (p.row, p.column) == (3, "support_received") and "'money'" in p.message


def test_support_lists_are_read_in_a_canonical_spelling(tmp_path: Path) -> None:
    cohort = read(tmp_path, connections=conn("P01,2025-03-01,C1,person,Mum,family,1,,company; emotional,,,"), ties=None)
    assert cohort.connections["support_received"].tolist() == ["emotional;company"]


def test_paid_is_true_or_false(tmp_path: Path) -> None:
    p = only(tmp_path, connections=conn(GOOD, "P01,2025-03-01,C2,person,Jo,friend,2,,,,yes,"), ties=None)
    assert (p.row, p.column) == (3, "paid")


def test_paid_defaults_by_domain_and_accepts_excel_capitals(tmp_path: Path) -> None:
    rows = conn(
        "P01,2025-03-01,C1,person,Jo,professional,2,,,,,",
        "P01,2025-03-01,C2,person,Mo,friend,2,,,,,",
        "P01,2025-03-01,C3,person,Vol,professional,2,,,,FALSE,",
        "P01,2025-03-01,C4,person,Coach,community,2,,,,TRUE,",
    )
    cohort = read(tmp_path, connections=rows, ties=None)
    assert cohort.connections["paid"].tolist() == [True, False, False, True]


@pytest.mark.parametrize("value", ["01/03/2025", "2025-02-30", "2025-3-1", "March 2025"])
def test_dates_are_iso(tmp_path: Path, value: str) -> None:
    p = only(tmp_path, connections=conn(GOOD, f"P01,{value},C2,person,Jo,friend,2,,,,,"), ties=None)
    assert (p.row, p.column) == (3, "date") and "YYYY-MM-DD" in p.message


def test_since_is_an_iso_date(tmp_path: Path) -> None:
    p = only(tmp_path, connections=conn(GOOD, "P01,2025-03-01,C2,person,Jo,friend,2,,,,,last year"), ties=None)
    assert (p.row, p.column) == (3, "since")


def test_person_ids_are_unique(tmp_path: Path) -> None:
    p = only(tmp_path, people="person_id,name\nP01,Sam\nP02,Alex\nP01,Sam again\n")
    assert (p.file, p.row, p.column) == ("people.csv", 4, "person_id") and "row 2" in p.message


def test_birth_year_is_a_year(tmp_path: Path) -> None:
    p = only(tmp_path, people="person_id,birth_year\nP01,2007\nP02,07/2006\n")
    assert (p.row, p.column) == (3, "birth_year")


def test_start_date_is_an_iso_date(tmp_path: Path) -> None:
    p = only(tmp_path, people="person_id,start_date\nP01,2024-09-01\nP02,soon\n")
    assert (p.row, p.column) == (3, "start_date")


def test_connection_ids_are_unique_within_a_snapshot(tmp_path: Path) -> None:
    rows = conn(GOOD, "P01,2025-03-01,C2,person,Jo,friend,2,,,,,", "P01,2025-03-01,C1,person,Dad,family,2,,,,,")
    p = only(tmp_path, connections=rows, ties=None)
    assert (p.row, p.column) == (4, "connection_id") and "first in row 2" in p.message


def test_the_same_connection_id_on_another_date_or_person_is_fine(tmp_path: Path) -> None:
    rows = conn(GOOD, "P01,2025-09-01,C1,person,Mum,family,1,,,,,", "P02,2025-03-01,C1,person,Dee,friend,2,,,,,")
    assert len(read(tmp_path, connections=rows, ties=None).connections) == 3


def test_a_connection_cannot_have_the_persons_own_id(tmp_path: Path) -> None:
    p = only(tmp_path, connections=conn(GOOD, "P01,2025-03-01,P01,person,Me,friend,2,,,,,"), ties=None)
    assert (p.row, p.column) == (3, "connection_id")


def test_connections_belong_to_known_people(tmp_path: Path) -> None:
    p = only(tmp_path, connections=conn(GOOD, "P99,2025-03-01,C1,person,Jo,friend,2,,,,,"), ties=None)
    assert (p.file, p.row, p.column) == ("connections.csv", 3, "person_id") and "P99" in p.message


def test_ties_join_connections_of_their_own_snapshot(tmp_path: Path) -> None:
    ties = "person_id,date,source,target\nP01,2025-03-01,C1,C2\nP01,2025-03-01,C1,C3\nP01,2025-09-01,C9,C1\n"
    found = problems(tmp_path, ties=ties)
    assert [(p.file, p.row, p.column) for p in found] == [("ties.csv", 3, "target"), ("ties.csv", 4, "source")]


def test_a_tie_from_a_connection_to_itself_is_a_problem(tmp_path: Path) -> None:
    p = only(tmp_path, ties="person_id,date,source,target\nP01,2025-03-01,C1,C1\n")
    assert (p.file, p.row, p.column) == ("ties.csv", 2, "target")


def test_ties_of_unknown_people_are_problems(tmp_path: Path) -> None:
    found = problems(tmp_path, ties="person_id,date,source,target\nP77,2025-03-01,C1,C2\n")
    assert ("ties.csv", 2, "person_id") in [(p.file, p.row, p.column) for p in found]


def test_repeated_and_reversed_ties_are_kept_as_given(tmp_path: Path) -> None:
    ties = "person_id,date,source,target\nP01,2025-03-01,C1,C2\nP01,2025-03-01,C2,C1\nP01,2025-03-01,C1,C2\n"
    cohort = read(tmp_path, ties=ties)
    assert len(cohort.ties) == 3
    assert cohort.snapshot("P01", "2025-03-01").graph.number_of_edges() == 3 + 1  # 3 spokes + 1 tie


def test_loneliness_answers_are_checked(tmp_path: Path) -> None:
    text = "person_id,date,ucla_companionship,ucla_left_out,ucla_isolated,ons_lonely\nP02,2025-09-01,4,1,1,sometimes\n"
    found = problems(tmp_path, snapshots=text)
    assert [(p.row, p.column) for p in found] == [(2, "ons_lonely"), (2, "ucla_companionship")]


def test_a_snapshot_is_listed_once(tmp_path: Path) -> None:
    text = "person_id,date\nP02,2025-09-01\nP02,2025-09-01\n"
    p = only(tmp_path, snapshots=text)
    assert (p.file, p.row) == ("snapshots.csv", 3)


def test_a_row_with_too_many_values_is_named(tmp_path: Path) -> None:
    p = only(tmp_path, people="person_id,name\nP01,Sam\nP02,Alex,extra\n")
    assert (p.file, p.row, p.column) == ("people.csv", 3, None) and "3 values" in p.message


def test_a_row_with_too_few_values_is_named(tmp_path: Path) -> None:
    p = only(tmp_path, people="person_id,name,ward\nP01,Sam,Derwent\nP02\n")
    assert (p.file, p.row) == ("people.csv", 3)


def test_a_file_that_is_not_utf8_is_named_with_its_row(tmp_path: Path) -> None:
    text = "person_id,name\nP01,Sam\nP02,Zo\u00eb\n".encode("latin-1")
    p = only(tmp_path, people=text)
    assert (p.file, p.row) == ("people.csv", 3) and "UTF-8" in p.message


def test_excels_bom_is_accepted(tmp_path: Path) -> None:
    cohort = read(tmp_path, people=b"\xef\xbb\xbf" + PEOPLE.encode())
    assert cohort.people.columns[0] == "person_id"


def test_rows_keep_their_spreadsheet_numbers_after_blank_rows_and_multiline_values(tmp_path: Path) -> None:
    rows = CONN_HEADER + GOOD + "\n\n" + 'P01,2025-03-01,C2,person,"Jo\nthe coach",friend,2,,,,,\n' + "P01,2025-03-01,C3,person,Al,friend,9,,,,,\n"
    p = only(tmp_path, connections=rows, ties=None)
    assert (p.row, p.column) == (5, "closeness")  # header 1, C1 2, blank 3, C2 4 (two lines), C3 5


def test_every_problem_is_listed_not_just_the_first(tmp_path: Path) -> None:
    rows = conn("P01,2025-03-01,C1,persn,Mum,family,1,,,,,", "P01,03/01/2025,C2,person,Jo,friend,7,,,,,")
    found = problems(tmp_path, connections=rows, ties=None, people="person_id\nP01\nP01\nP02\n")
    assert {(p.file, p.row, p.column) for p in found} == {
        ("connections.csv", 2, "kind"),
        ("connections.csv", 3, "date"),
        ("connections.csv", 3, "closeness"),
        ("people.csv", 3, "person_id"),
    }


def test_formula_like_text_is_just_text(tmp_path: Path) -> None:
    rows = conn('P01,2025-03-01,C1,person,"=HYPERLINK(""http://x"",""Mum"")",family,1,,,,,')
    cohort = read(tmp_path, connections=rows, ties=None)
    assert cohort.connections["name"][0] == '=HYPERLINK("http://x","Mum")'


def test_extra_columns_are_kept(tmp_path: Path) -> None:
    cohort = read(tmp_path)
    assert cohort.people.loc[0, "notes"] == "likes football"


def test_a_workbook_missing_a_sheet_is_named(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "people"
    book["people"].append(["person_id"])
    path = tmp_path / "cohort.xlsx"
    book.save(path)
    with pytest.raises(sc.ValidationError) as info:
        sc.read_cohort(path)
    assert [(p.file, p.message) for p in info.value.problems] == [("cohort.xlsx", "the workbook has no sheet named 'connections'")]


def test_workbook_problems_name_the_sheet_and_row(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "people"
    book["people"].append(["person_id", "birth_year"])
    book["people"].append(["P01", 2007])
    sheet = book.create_sheet("connections")
    sheet.append(["person_id", "date", "connection_id", "kind", "domain", "closeness"])
    sheet.append(["P01", "2025-03-01", "C1", "person", "family", 1])
    sheet.append(["P01", "2025-03-01", "C2", "person", "pals", 2])
    path = tmp_path / "cohort.xlsx"
    book.save(path)
    with pytest.raises(sc.ValidationError) as info:
        sc.read_cohort(path)
    [p] = info.value.problems
    assert (p.file, p.row, p.column) == ("cohort.xlsx [sheet connections]", 3, "domain")


def test_workbook_numbers_and_dates_are_read_as_written(tmp_path: Path) -> None:
    import datetime as dt

    book = openpyxl.Workbook()
    book.active.title = "people"
    book["people"].append(["person_id", "birth_year"])
    book["people"].append([101, 2007])
    sheet = book.create_sheet("connections")
    sheet.append(["person_id", "date", "connection_id", "kind", "domain", "closeness"])
    sheet.append([101, dt.datetime(2025, 3, 1), "C1", "person", "family", 1.0])
    path = tmp_path / "cohort.xlsx"
    book.save(path)
    cohort = sc.read_cohort(path)
    assert cohort.person_ids == ["101"]
    assert cohort.timeline("101").dates == (dt.date(2025, 3, 1),)


def test_a_file_that_is_not_a_cohort_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    with pytest.raises(sc.ValidationError):
        sc.read_cohort(path)


def test_the_error_message_lists_every_problem(tmp_path: Path) -> None:
    with pytest.raises(sc.ValidationError) as info:
        read(tmp_path, people="person_id\nP01\nP01\n")
    text = str(info.value)
    assert "problem" in text and "people.csv, row 3, column 'person_id'" in text


def test_blank_rows_and_excels_empty_rows_are_passed_over_keeping_row_numbers(tmp_path: Path) -> None:
    people = "person_id,name,ward\nP01,Sam,Derwent\n\n,,\nP02,Alex,Sinfin\nP02,Again,Abbey\n"
    p = only(tmp_path, people=people)
    assert (p.file, p.row, p.column) == ("people.csv", 6, "person_id")


# -- hopes (SPEC §11): wished for, not there yet ------------------------------------------------------

HOPE_HEADER = CONN_HEADER.rstrip("\n") + ",hope\n"


def hopes(*rows: str) -> str:
    return HOPE_HEADER + "".join(r + "\n" for r in rows)


GOOD_HOPE = "P01,2025-03-01,C1,person,Mum,family,1,daily,,,,,"


def test_hope_is_true_false_or_empty(tmp_path: Path) -> None:
    rows = hopes(
        GOOD_HOPE,
        "P01,2025-03-01,H1,group,Boxing club,community,,,,,,,true",
        "P01,2025-03-01,H2,place,Café job,education_work,,,,,,,TRUE",
        "P01,2025-03-01,C2,person,Jo,friend,2,,,,,,false",
    )
    cohort = read(tmp_path, connections=rows, ties=None)
    assert cohort.connections["hope"].tolist() == [False, True, True, False]
    p = only(tmp_path, connections=hopes(GOOD_HOPE, "P01,2025-03-01,H1,group,Club,community,,,,,,,maybe"), ties=None)
    assert (p.file, p.row, p.column) == ("connections.csv", 3, "hope") and "'maybe' is not true or false" in p.message


def test_without_a_hope_column_nothing_is_a_hope(tmp_path: Path) -> None:
    assert not read(tmp_path).connections["hope"].any()


def test_a_hope_needs_a_kind_and_a_domain(tmp_path: Path) -> None:
    rows = hopes(GOOD_HOPE, "P01,2025-03-01,H1,,Boxing,community,,,,,,,true", "P01,2025-03-01,H2,group,Club,,,,,,,,true")
    found = problems(tmp_path, connections=rows, ties=None)
    assert [(p.file, p.row, p.column) for p in found] == [("connections.csv", 3, "kind"), ("connections.csv", 4, "domain")]


def test_a_hopes_closeness_is_optional_even_for_a_person(tmp_path: Path) -> None:
    rows = hopes(GOOD_HOPE, "P01,2025-03-01,H1,person,A friend nearby,friend,,,,,,,true",
                 "P01,2025-03-01,H2,person,My sister,family,1,,,,,,true")
    cohort = read(tmp_path, connections=rows, ties=None)
    closeness = cohort.connections["closeness"]
    assert closeness.isna().tolist() == [False, True, False] and closeness.iloc[2] == 1
    # ...but a real person still needs one.
    p = only(tmp_path, connections=hopes(GOOD_HOPE, "P01,2025-03-01,C2,person,Jo,friend,,,,,,,false"), ties=None)
    assert (p.row, p.column) == (3, "closeness")


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("P01,2025-03-01,H1,person,A mate,friend,2,weekly,,,,,true", "contact"),
        ("P01,2025-03-01,H1,person,A mate,friend,2,,company,,,,true", "support_received"),
        ("P01,2025-03-01,H1,person,A mate,friend,2,,,emotional,,,true", "support_given"),
        ("P01,2025-03-01,H1,person,A mentor,professional,2,,,,true,,true", "paid"),
    ],
)
def test_a_hope_has_no_contact_support_or_paid(tmp_path: Path, row: str, column: str) -> None:
    p = only(tmp_path, connections=hopes(GOOD_HOPE, row), ties=None)
    assert (p.file, p.row, p.column) == ("connections.csv", 3, column)
    assert "is given for a hope" in p.message


def test_every_breach_of_a_hope_is_its_own_problem(tmp_path: Path) -> None:
    row = "P01,2025-03-01,H1,person,A mate,friend,2,weekly,company,emotional,TRUE,,true"
    found = problems(tmp_path, connections=hopes(GOOD_HOPE, row), ties=None)
    assert sorted((p.row, p.column) for p in found) == [
        (3, "contact"), (3, "paid"), (3, "support_given"), (3, "support_received")
    ]


def test_a_hope_is_never_paid_and_false_is_accepted(tmp_path: Path) -> None:
    # socialcap writes "false" for every unpaid row, so a hope read back from its own files stays valid;
    # a professional hope (a mentor) is not paid either: nobody is there yet.
    rows = hopes(GOOD_HOPE, "P01,2025-03-01,H1,person,A mentor,professional,,,,,,,true",
                 "P01,2025-03-01,H2,person,A mate,friend,,,,,false,,true")
    cohort = read(tmp_path, connections=rows, ties=None)
    assert cohort.connections["paid"].tolist() == [False, False, False]


def test_no_tie_may_touch_a_hope(tmp_path: Path) -> None:
    rows = hopes(GOOD_HOPE, "P01,2025-03-01,C2,person,Jo,friend,2,,,,,,",
                 "P01,2025-03-01,H1,group,Boxing club,community,,,,,,,true")
    ties = "person_id,date,source,target\nP01,2025-03-01,C1,C2\nP01,2025-03-01,C1,H1\nP01,2025-03-01,H1,C2\n"
    found = problems(tmp_path, connections=rows, ties=ties)
    assert [(p.file, p.row, p.column) for p in found] == [("ties.csv", 3, "target"), ("ties.csv", 4, "source")]
    assert all("'H1' is a hope" in p.message for p in found)


def test_a_hope_on_one_date_may_be_tied_once_it_came_true(tmp_path: Path) -> None:
    rows = hopes(GOOD_HOPE, "P01,2025-03-01,H1,group,Boxing club,community,,,,,,,true",
                 "P01,2025-09-01,C1,person,Mum,family,1,daily,,,,,", "P01,2025-09-01,H1,group,Boxing club,community,,weekly,,,,,false")
    ties = "person_id,date,source,target\nP01,2025-09-01,C1,H1\n"
    cohort = read(tmp_path, connections=rows, ties=ties)
    assert cohort.connections["hope"].tolist() == [False, True, False, False]


def test_hopes_round_trip_through_csv_and_workbook(tmp_path: Path) -> None:
    rows = hopes(GOOD_HOPE, "P01,2025-03-01,H1,person,A mentor,professional,,,,,,,true",
                 "P01,2025-03-01,H2,group,Boxing club,community,3,,,,false,,TRUE")
    cohort = read(tmp_path, connections=rows, ties=None)
    for target in (tmp_path / "out", tmp_path / "out.xlsx"):
        assert sc.read_cohort(sc.write_cohort(cohort, target)) == cohort
    header = (tmp_path / "out" / "connections.csv").read_text().splitlines()[0]
    assert header.endswith('"hope"') or header.endswith("hope")


def test_a_connection_listed_twice_in_one_snapshot_is_a_problem_and_other_snapshots_are_not(tmp_path: Path) -> None:
    rows = [
        GOOD,
        GOOD.replace(",C1,", ",C2,"),
        GOOD.replace("2025-03-01", "2025-09-01"),  # the same connection at another date
        GOOD.replace("P01,", "P02,"),  # the same connection_id for another person
        GOOD.replace("Mum", "Mum again"),  # row 6: C1 again in P01's map of 2025-03-01
    ]
    found = only(tmp_path, connections=conn(*rows), ties=None, snapshots=None)
    assert (found.row, found.column) == (6, "connection_id")
    assert "'C1' appears twice in the same snapshot (first in row 2)" in found.message
    assert read(tmp_path / "ok", connections=conn(*rows[:4]), ties=None, snapshots=None).connections.shape[0] == 4


@pytest.mark.parametrize("limit", [0, 2**26])
def test_the_quick_repeat_test_agrees_with_pandas_whether_it_counts_or_sorts(limit: int, monkeypatch: pytest.MonkeyPatch) -> None:
    import pandas as pd
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from socialcap import _validate

    monkeypatch.setattr(_validate, "_COUNT_TABLE_LIMIT", limit)
    cells = st.lists(st.tuples(st.sampled_from(["P1", "P2", None]), st.sampled_from(["d1", "d2", None]), st.sampled_from(["C1", "C2", "C3", None])), max_size=12)

    @settings(max_examples=150, deadline=None)
    @given(cells)
    def agrees(rows: list[tuple[str | None, str | None, str | None]]) -> None:
        frame = pd.DataFrame(rows, columns=["p", "d", "c"], dtype="str")
        complete = frame.notna().all(axis=1).to_numpy()
        expected = bool(frame[complete].duplicated().any())
        factorised = [_validate._factorize(frame[column]) for column in frame.columns]
        assert _validate._may_repeat(complete, *factorised) == expected

    agrees()


def test_factorised_long_columns_are_kept_while_their_data_lives_and_never_confused(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    import numpy as np
    import pandas as pd

    from socialcap import _validate

    monkeypatch.setattr(_validate, "_KEEP_FROM_ROWS", 3)
    column = pd.Series(["b", "a", None, "b"], dtype="str")
    codes, uniques = _validate._factorize(column)
    assert codes.tolist() == [0, 1, -1, 0] and uniques.tolist() == ["b", "a"]
    again = _validate._factorize(column.astype("str"))  # the same Arrow data: the kept codes
    assert again[0] is codes and not codes.flags.writeable
    changed = column.copy()
    changed.iloc[0] = "c"  # new data, never the old codes
    assert _validate._factorize(changed)[1].tolist() == ["c", "a", "b"]
    kept = len(_validate._FACTORISED_ARRAYS)
    del column, again, changed
    gc.collect()
    assert len(_validate._FACTORISED_ARRAYS) < kept
    short = pd.Series(["x", "y"], dtype="str")  # shorter than _KEEP_FROM_ROWS: nothing kept
    before = len(_validate._FACTORISED_ARRAYS)
    assert np.array_equal(_validate._factorize(short)[0], [0, 1]) and len(_validate._FACTORISED_ARRAYS) == before


def test_ties_of_a_cohort_with_no_connections_are_problems_not_a_crash(tmp_path: Path) -> None:
    found = problems(tmp_path, connections=CONN_HEADER, ties="person_id,date,source,target\nP01,2025-03-01,C1,C2\n", snapshots=None)
    assert [(p.file, p.row, p.column) for p in found] == [("ties.csv", 2, "source"), ("ties.csv", 2, "target")]
    assert "is not a connection_id of this person's snapshot" in found[0].message


def test_a_snapshot_whose_rows_are_apart_in_the_file_is_one_snapshot(tmp_path: Path) -> None:
    rows = [GOOD, GOOD.replace("P01,", "P02,"), GOOD.replace(",C1,", ",C2,"), GOOD.replace("2025-03-01", "2024-03-01")]
    cohort = read(tmp_path, connections=conn(*rows), ties=None, snapshots=None)
    assert cohort.snapshots[["person_id", "date"]].astype(str).values.tolist() == [
        ["P01", "2024-03-01"], ["P01", "2025-03-01"], ["P02", "2025-03-01"]
    ]
