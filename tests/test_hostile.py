"""Hostile and ugly input (SPEC §7, issue 9): every case ends in a cohort or a clear
problem, never a traceback, a silent change of meaning, a lost interview or a leak.

The corpus is built here, in temporary folders, by the tests themselves.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import textwrap
from pathlib import Path

import hypothesis.strategies as st
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

import socialcap as sc
from socialcap.cli import main
from socialcap.io import read_cohort, write_cohort
from socialcap.privacy import person_pseudonym

from conftest import CONNECTIONS, PEOPLE, SNAPSHOTS, TIES, write_folder
from strategies import mutated_files

TABLES = {"people": PEOPLE, "connections": CONNECTIONS, "ties": TIES, "snapshots": SNAPSHOTS}


def cohort_folder(folder: Path, **tables: str | bytes | None) -> Path:
    """The conftest cohort with some tables replaced (text is dedented like conftest's)."""
    texts = {name: textwrap.dedent(text) for name, text in TABLES.items()}
    texts.update(tables)
    return write_folder(folder, **texts)


def problems_of(path: Path) -> list[sc.Problem]:
    with pytest.raises(sc.ValidationError) as caught:
        read_cohort(path)
    return caught.value.problems


def run(*args: str) -> tuple[int, str]:
    """The real command; a traceback would show as an exception other than SystemExit."""
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"socialcap {' '.join(args)} ended in a traceback") from result.exception
    return result.exit_code, result.output


# -- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "old", "new", "column"),
    [
        ("connections", "2007-01-01", "1025-03-01", "since"),
        ("connections", "2025-05-01", "2300-11-02", "since"),
        ("connections", "2007-01-01", "0001-01-01", "since"),
        ("people", "2024-09-01", "9999-12-31", "start_date"),
        ("connections", "P02,2025-03-01", "P02,2262-04-12", "date"),
        ("people", "2024-09-01", "1899-12-31", "start_date"),
    ],
)
def test_a_date_outside_the_range_is_reported_not_changed(tmp_path: Path, table: str, old: str, new: str, column: str) -> None:
    text = textwrap.dedent(TABLES[table]).replace(old, new, 1)
    found = problems_of(cohort_folder(tmp_path / "c", **{table: text}))
    assert any(p.column == column and new.split(",")[-1] in p.message and "1900-01-01 to 2100-12-31" in p.message for p in found)


def test_the_first_and_last_dates_of_the_range_are_read_exactly(tmp_path: Path) -> None:
    people = textwrap.dedent(PEOPLE).replace("2024-09-01", "1900-01-01").replace("2024-10-15", "2100-12-31")
    cohort = read_cohort(cohort_folder(tmp_path / "c", people=people))
    assert [d.date().isoformat() for d in cohort.people["start_date"]] == ["1900-01-01", "2100-12-31"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)), column=st.sampled_from(["since", "start_date", "date"]))
def test_any_iso_date_is_read_exactly_or_reported(tmp_path_factory: pytest.TempPathFactory, day: dt.date, column: str) -> None:
    text = day.isoformat()
    folder = tmp_path_factory.mktemp("dates")
    if column == "start_date":
        tables = {"people": textwrap.dedent(PEOPLE).replace("2024-09-01", text)}
    elif column == "since":
        tables = {"connections": textwrap.dedent(CONNECTIONS).replace("2007-01-01", text)}
    else:
        tables = {"connections": textwrap.dedent(CONNECTIONS).replace("P02,2025-03-01", f"P02,{text}")}
    cohort_folder(folder, **tables)
    try:
        cohort = read_cohort(folder)
    except sc.ValidationError as error:
        assert any(p.column == column and text in p.message for p in error.problems), error.problems
        return
    frame = cohort.people if column == "start_date" else cohort.connections
    values = {d.date().isoformat() for d in frame[column].dropna()}
    assert text in values


def test_a_wave_beyond_any_calendar_is_a_message(cohort_dir: Path, tmp_path: Path) -> None:
    code, output = run("summary", str(cohort_dir), "-o", str(tmp_path / "s.csv"), "--baseline", "99999999999999999999m")
    assert code == 1 and "1200" in output
    with pytest.raises(ValueError, match="outside the dates"):
        sc.analysis.Wave.nearest("0001-01-01")


# -- files that ended in a traceback -------------------------------------------------------------


def test_a_csv_with_old_mac_line_ends_is_read(tmp_path: Path, cohort_dir: Path) -> None:
    people = textwrap.dedent(PEOPLE).replace("\n", "\r").encode()
    cohort = read_cohort(cohort_folder(tmp_path / "c", people=people))
    assert cohort == read_cohort(cohort_dir)


def test_a_header_line_over_128_kb_is_a_problem(tmp_path: Path) -> None:
    people = ("person_id," + "y" * 140_000 + "\nP01,a\nP02,b\n").encode()
    found = problems_of(cohort_folder(tmp_path / "c", people=people))
    assert found[0].file == "people.csv" and "longer than" in found[0].message


def test_a_header_of_100000_columns_ends_with_a_message(tmp_path: Path) -> None:
    people = ("person_id," + ",".join(f"x{i}" for i in range(100_000)) + "\nP01" + "," * 100_000 + "\n").encode()
    found = problems_of(cohort_folder(tmp_path / "c", people=people))
    assert "100,001 columns" in found[0].message and "1,000" in found[0].message


def _workbook(path: Path, people_header: list[object], people_rows: list[list[object]] | None = None, sheet: str = "people") -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    people = book.active
    people.title = sheet
    people.append(people_header)
    for row in people_rows or [["P01"] + [None] * (len(people_header) - 1)]:
        people.append(row)
    connections = book.create_sheet("connections")
    connections.append(["person_id", "date", "connection_id", "kind", "domain", "closeness"])
    connections.append(["P01", "2025-01-01", "C1", "person", "family", 1])
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["person_id", "name", "name"], "'name' appears twice"),
        (["person_id", None, None, "ward"], "no name (column 3)"),
    ],
)
def test_a_workbook_header_repeating_a_name_or_with_blanks_is_a_problem(tmp_path: Path, header: list[object], expected: str) -> None:
    found = problems_of(_workbook(tmp_path / "c.xlsx", header, [["P01", "a", "b", "c"][: len(header)]]))
    assert any(expected in p.message for p in found)


def test_a_formula_cell_in_a_workbook_is_a_problem(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "c.xlsx", ["person_id", "name"], [["P01", '=HYPERLINK("http://example.org","Sam")']])
    found = problems_of(path)
    assert [(p.row, p.column) for p in found] == [(2, "name")] and "formula" in found[0].message


def test_a_sheet_named_People_gets_a_hint(tmp_path: Path) -> None:
    found = problems_of(_workbook(tmp_path / "c.xlsx", ["person_id"], sheet="People"))
    assert any("there is 'People'" in p.message for p in found)


def _raw_workbook(path: Path, sheet_xml: bytes) -> Path:
    """A minimal xlsx whose people sheet is ``sheet_xml`` (for sheets openpyxl would not write)."""
    import zipfile

    parts = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        b'<Default Extension="xml" ContentType="application/xml"/>'
        b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="people" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_a_workbook_of_two_million_empty_rows_ends_fast_with_a_message(tmp_path: Path) -> None:
    rows = b"".join(b'<row r="%d"/>' % i for i in range(2, 2_000_002))
    sheet = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             b'<row r="1"><c r="A1" t="inlineStr"><is><t>person_id</t></is></c></row>' + rows + b"</sheetData></worksheet>")
    found = problems_of(_raw_workbook(tmp_path / "empty.xlsx", sheet))
    assert any("2,000,001 rows" in p.message for p in found)


def test_a_workbook_with_a_300_mb_cell_is_refused_without_reading_it(tmp_path: Path) -> None:
    sheet = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             b'<row r="1"><c r="A1" t="inlineStr"><is><t>person_id</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c></row>'
             b'<row r="2"><c r="A2" t="inlineStr"><is><t>P01</t></is></c><c r="B2" t="inlineStr"><is><t>' + b"A" * 30_000_000
             + b"</t></is></c></row></sheetData></worksheet>")
    found = problems_of(_raw_workbook(tmp_path / "long.xlsx", sheet))
    assert any("archive bomb" in p.message for p in found)


def test_a_long_cell_is_a_problem(tmp_path: Path) -> None:
    people = textwrap.dedent(PEOPLE).replace("Sam", "S" * 40_000)
    found = problems_of(cohort_folder(tmp_path / "c", people=people))
    assert [(p.row, p.column) for p in found] == [(2, "name")] and "32,767" in found[0].message


@pytest.mark.parametrize("character", ["\x1b", "\x00", "\x07", "\x9b", "\x7f", "\ufffe"])
def test_control_characters_in_text_are_problems(tmp_path: Path, character: str) -> None:
    people = textwrap.dedent(PEOPLE).replace("likes football", f"likes{character}football")
    found = problems_of(cohort_folder(tmp_path / "c", people=people.encode("utf-8")))
    assert [(p.file, p.row, p.column) for p in found] == [("people.csv", 2, "notes")] and "control character" in found[0].message


def test_bad_cells_in_columns_checked_once_per_distinct_value_are_found_in_every_row(tmp_path: Path) -> None:
    """The columns the checks factorise are checked per distinct value; every row holding it is still named."""
    connections = textwrap.dedent(CONNECTIONS).replace("P01,2025-09-01,C1", "P01,2025-09-01,C\x1b1").replace("P01,2025-03-01,C1,", "P01,2025-03-01,C\x1b1,")
    connections = connections.replace(",community,", "," + "c" * 40_000 + ",")
    ties = textwrap.dedent(TIES).replace("C1,C3", "C1,C\x073")
    found = problems_of(cohort_folder(tmp_path / "c", connections=connections.encode(), ties=ties.encode()))
    assert [(p.file, p.row, p.column) for p in found] == [
        ("connections.csv", 2, "connection_id"), ("connections.csv", 4, "domain"), ("connections.csv", 5, "connection_id"),
        ("ties.csv", 3, "target"),
    ]
    assert "control character (U+001B)" in found[0].message and "32,767" in found[1].message
    assert "control character (U+0007)" in found[3].message


def test_control_characters_given_to_from_tables_are_problems() -> None:
    import pandas as pd

    people = pd.DataFrame({"person_id": ["P1"], "name": ["Sam\x1b[2J"]})
    connections = pd.DataFrame({"person_id": ["P1"], "date": ["2025-01-01"], "connection_id": ["C1"], "kind": ["group"], "domain": ["community"]})
    with pytest.raises(sc.ValidationError, match="control character"):
        sc.Cohort.from_tables(people, connections)


def test_escape_sequences_in_names_never_reach_the_terminal(tmp_path: Path) -> None:
    connections = textwrap.dedent(CONNECTIONS).replace("Kai, my mate", "Kai\x1b]0;owned\x07\x1b[2J")
    folder = cohort_folder(tmp_path / "c", connections=connections)
    code, output = run("change", str(folder), "--person", "P01", "-o", str(tmp_path / "change.png"))
    assert code == 1 and "\x1b" not in output and "control character" in output


@pytest.mark.parametrize(("old", "new"), [("contact", "Contact"), ("paid", "Paid"), ("support_received", "support_received ")])
def test_an_optional_column_spelt_by_case_or_spaces_is_a_problem_with_a_hint(tmp_path: Path, old: str, new: str) -> None:
    connections = textwrap.dedent(CONNECTIONS).replace(old, new, 1)
    found = problems_of(cohort_folder(tmp_path / "c", connections=connections))
    assert [(p.row, p.column) for p in found] == [(1, new)] and f"rename it {old!r}" in found[0].message


def test_utf16_without_a_bom_is_named_as_such(tmp_path: Path) -> None:
    found = problems_of(cohort_folder(tmp_path / "c", people=textwrap.dedent(PEOPLE).encode("utf-16-le")))
    assert len(found) == 1 and "UTF-16" in found[0].message


def test_a_semicolon_separated_file_gets_a_hint(tmp_path: Path) -> None:
    found = problems_of(cohort_folder(tmp_path / "c", people=textwrap.dedent(PEOPLE).replace(",", ";")))
    assert "separated by ';'" in found[0].message


# -- imports -------------------------------------------------------------------------------------

EXPORT = Path(__file__).parent / "data" / "networkcanvas"


def _zip_export(path: Path, method: int | None = None, flags: int = 0, extra: tuple[str, bytes] | None = None) -> Path:
    """The CSV test export as a zip; ``method``/``flags`` patched into every member's headers."""
    import struct
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted((EXPORT / "csv").iterdir()):
            archive.writestr(file.name, file.read_bytes())
        if extra:
            archive.writestr(*extra)
    if method is None and not flags:
        return path
    data = bytearray(path.read_bytes())
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at >= 0:
            old_flags, old_method = struct.unpack_from("<HH", data, at + flag_at)
            struct.pack_into("<HH", data, at + flag_at, old_flags | flags, old_method if method is None else method)
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(
    ("method", "flags", "expected"),
    [(None, 1, "password"), (99, 1, "password"), (99, 0, "AES"), (9, 0, "Deflate64"), (14, 0, "LZMA")],
)
def test_encrypted_or_exotic_zip_members_are_clear_problems(tmp_path: Path, method: int | None, flags: int, expected: str) -> None:
    archive = _zip_export(tmp_path / "export.zip", method, flags)
    code, output = run("import", "networkcanvas", str(archive), "-o", str(tmp_path / "out"))
    assert code == 1 and expected in output and not (tmp_path / "out").exists()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    import tracemalloc

    archive = _zip_export(tmp_path / "export.zip", extra=("P09_x_ego.csv", b"0" * (200 << 20)))
    assert archive.stat().st_size < 1 << 20
    tracemalloc.start()
    try:
        with pytest.raises(sc.ValidationError, match="archive bomb"):
            sc.interop.read_networkcanvas(archive)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50 << 20


def test_a_zip_member_lying_about_its_size_is_cut_off(tmp_path: Path) -> None:
    import zipfile

    from socialcap._safe import read_member

    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a_ego.csv", b"x" * 5000)
    with zipfile.ZipFile(path) as archive:
        info = archive.infolist()[0]
        info.file_size = 10  # what a hostile archive claims
        with pytest.raises(sc.ValidationError, match="cannot be unpacked|more than 1,000 bytes"):
            read_member(archive, info, "a.zip", limit=1000)


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("m.json", "[]", "not a list"),
    ("m.json", "null", "not empty"),
    ("m.json", "[" * 5000 + "]" * 5000, "nests more than"),
    ("m.json", '{"people": ' * 3000 + "1" + "}" * 3000, "nests more than"),
    ("m.toml", "a = " + "[" * 5000 + "]" * 5000, "nests more than"),
])
def test_hostile_mapping_files_are_clear_problems(tmp_path: Path, name: str, text: str, expected: str) -> None:
    (tmp_path / name).write_text(text)
    code, output = run("import", "networkcanvas", str(EXPORT / "csv"), "--mapping", str(tmp_path / name), "-o", str(tmp_path / "out"))
    assert code == 1 and expected in output


def test_two_exports_sharing_file_names_in_subfolders_lose_no_interview(tmp_path: Path) -> None:
    import shutil

    first, second = tmp_path / "exports" / "march", tmp_path / "exports" / "may"
    shutil.copytree(EXPORT / "csv", first)
    shutil.copytree(EXPORT / "csv", second)
    # The second export: the same file names, other interviews (new session ids inside).
    for file in second.iterdir():
        text = file.read_text(encoding="utf-8")
        file.write_text(text.replace("-4", "-5").replace("P01", "P11").replace("P02", "P12"), encoding="utf-8")
    # Read through the sample's mapping, every interview of both exports comes in.
    one = sc.interop.read_networkcanvas(first, EXPORT / "mapping.toml")
    both = sc.interop.read_networkcanvas(tmp_path / "exports", EXPORT / "mapping.toml")
    assert len(both.snapshots) == 2 * len(one.snapshots)
    assert both.person_ids == ["P01", "P02", "P11", "P12"]
    # And a problem in the second export names the file by its folder.
    bad = second / next(p.name for p in second.iterdir() if p.name.endswith("_attributeList_Person.csv"))
    bad.write_text(bad.read_text(encoding="utf-8").replace(",Every_week,", ",Every_fortnight,", 1), encoding="utf-8")
    with pytest.raises(sc.ValidationError) as caught:
        sc.interop.read_networkcanvas(tmp_path / "exports", EXPORT / "mapping.toml")
    assert [p.file.split("/")[0] for p in caught.value.problems] == ["may"]


def test_the_same_interview_exported_twice_is_reported(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(EXPORT / "csv", tmp_path / "exports" / "a")
    shutil.copytree(EXPORT / "csv", tmp_path / "exports" / "b")
    with pytest.raises(sc.ValidationError, match="is also in a/"):
        sc.interop.read_networkcanvas(tmp_path / "exports")


def _graphml() -> str:
    return next((EXPORT / "graphml").glob("*.graphml")).read_text(encoding="utf-8")


def test_a_graphml_file_without_its_namespace_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "e.graphml"
    path.write_text(_graphml().replace('xmlns="http://graphml.graphdrawing.org/xmlns"', ""), encoding="utf-8")
    with pytest.raises(sc.ValidationError, match="has no namespace"):
        sc.interop.read_networkcanvas(path)


def test_an_edge_to_a_missing_node_is_not_reported_as_none(tmp_path: Path) -> None:
    import re

    text = _graphml().replace('<edge id="6" source="1" target="2">', '<edge id="6" source="1" target="99">')
    text = re.sub(r'<data key="networkCanvasTargetUUID">[^<]*</data>', "", text, count=1)
    path = tmp_path / "e.graphml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(sc.ValidationError) as caught:
        sc.interop.read_networkcanvas(path)
    edge = [p for p in caught.value.problems if p.file.endswith("edge 6")]
    assert edge and all("None" not in p.message for p in edge) and "names no node" in edge[0].message


def test_xml_with_entities_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "e.graphml"
    path.write_text('<?xml version="1.0"?><!DOCTYPE g [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><graphml>&b;</graphml>')
    with pytest.raises(sc.ValidationError, match="document type"):
        sc.interop.read_networkcanvas(path)


# -- what socialcap writes -----------------------------------------------------------------------

RISKY = ["=1+1", "+SUM(A1)", "-x", "@cmd", "\tTAB", "\rCR", "'=already", "''+two", "'plain", "-5", "+3.5", "=", "'", "Sam"]


def test_no_csv_cell_socialcap_writes_starts_a_formula_and_the_round_trip_is_exact(tmp_path: Path) -> None:
    import csv

    import pandas as pd

    people = pd.DataFrame({"person_id": [f"P{i}" for i in range(len(RISKY))], "name": RISKY, "ward": RISKY})
    connections = pd.DataFrame({"person_id": ["P0"], "date": ["2025-01-01"], "connection_id": ["=C1"], "kind": ["group"],
                                "domain": ["community"], "name": ["@club"]})
    cohort = sc.Cohort.from_tables(people, connections)
    folder = write_cohort(cohort, tmp_path / "out")
    assert read_cohort(folder) == cohort
    for file in folder.iterdir():
        for row in csv.reader(io.StringIO(file.read_text(encoding="utf-8"), newline="")):
            for cell in row:
                assert not re.match(r"[=+\-@\t\r]", cell) or re.fullmatch(r"[+-][0-9.]+", cell), (file.name, cell)
    text = (folder / "people.csv").read_text(encoding="utf-8")
    assert "'=1+1" in text and "'''+two" in text and ",-5," in text.replace('"', "")


def test_every_analyst_csv_marks_formula_like_text(tmp_path: Path) -> None:
    people = textwrap.dedent(PEOPLE).replace("Derwent", "=HYPERLINK(1)").replace("Sinfin", "=HYPERLINK(1)")
    folder = cohort_folder(tmp_path / "c", people=people)
    assert run("metrics", str(folder), "-o", str(tmp_path / "m.csv"), "--with", "ward")[0] == 0
    assert "'=HYPERLINK(1)" in (tmp_path / "m.csv").read_text()
    assert run("summary", str(folder), "-o", str(tmp_path / "s.csv"), "--by", "ward", "--quiet")[0] == 0
    assert "'=HYPERLINK(1)" in (tmp_path / "s.csv").read_text() and '"=HYPERLINK' not in (tmp_path / "s.csv").read_text()
    assert run("export", str(folder), "--format", "egor", "-o", str(tmp_path / "egor"))[0] == 0
    assert "'=HYPERLINK(1)" in (tmp_path / "egor" / "egos.csv").read_text()
    assert sc.interop.read_egor(tmp_path / "egor").people["ward"].tolist() == ["=HYPERLINK(1)"] * 2


def test_an_export_index_marks_formula_like_ids(tmp_path: Path) -> None:
    people = textwrap.dedent(PEOPLE).replace("P01", "=P01")
    tables = {name: textwrap.dedent(text).replace("P01,", "=P01,") for name, text in TABLES.items() if name != "people"}
    folder = cohort_folder(tmp_path / "c", people=people, **tables)
    assert run("export", str(folder), "--format", "json", "-o", str(tmp_path / "graphs"))[0] == 0
    assert "'=P01" in (tmp_path / "graphs" / "index.csv").read_text()


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_written_files_respect_the_umask_and_keep_an_existing_mode(tmp_path: Path, cohort_dir: Path) -> None:
    import os

    old = os.umask(0o077)
    try:
        folder = write_cohort(read_cohort(cohort_dir), tmp_path / "private")
        assert {_mode(p) for p in folder.iterdir()} == {0o600} and _mode(folder) == 0o700
        assert run("metrics", str(cohort_dir), "-o", str(tmp_path / "m.csv"))[0] == 0
        assert _mode(tmp_path / "m.csv") == 0o600
    finally:
        os.umask(old)
    (tmp_path / "m.csv").chmod(0o640)
    assert run("metrics", str(cohort_dir), "-o", str(tmp_path / "m.csv"))[0] == 0
    assert _mode(tmp_path / "m.csv") == 0o640


@pytest.mark.parametrize("command", [
    ["metrics", "{src}", "-o", "{src}/people.csv"],
    ["summary", "{src}", "-o", "{src}/connections.csv", "--quiet"],
    ["report", "{src}", "-o", "{src}", "--quiet"],
    ["pseudonymise", "{src}", "--key-file", "{key}", "-o", "{src}"],
    ["export", "{src}", "--format", "egor", "-o", "{src}"],
])
def test_an_output_that_would_overwrite_an_input_is_refused(tmp_path: Path, cohort_dir: Path, command: list[str]) -> None:
    key = tmp_path / "key.txt"
    key.write_text("k" * 32)
    before = {p.name: p.read_bytes() for p in cohort_dir.iterdir()}
    code, output = run(*(part.format(src=cohort_dir, key=key) for part in command))
    assert code == 1 and ("inputs" in output or "another folder" in output)
    assert {p.name: p.read_bytes() for p in cohort_dir.iterdir()} == before


def test_an_import_cannot_overwrite_its_source(tmp_path: Path, cohort_dir: Path) -> None:
    assert run("export", str(cohort_dir), "--format", "egor", "-o", str(tmp_path / "egor"))[0] == 0
    before = (tmp_path / "egor" / "egos.csv").read_bytes()
    code, output = run("import", "egor", str(tmp_path / "egor"), "-o", str(tmp_path / "egor"))
    assert code == 1 and "inputs" in output and (tmp_path / "egor" / "egos.csv").read_bytes() == before


@pytest.mark.parametrize("command", [
    ["metrics", "{src}", "-o", "{bad}/m.csv"],
    ["report", "{src}", "-o", "{bad}", "--quiet"],
    ["summary", "{src}", "-o", "{bad}/s.csv", "--quiet"],
    ["export", "{src}", "--format", "egor", "-o", "{bad}"],
    ["export", "{src}", "--format", "graphml", "-o", "{bad}"],
    ["import", "egor", "{egor}", "-o", "{bad}"],
    ["pseudonymise", "{src}", "--key-file", "{key}", "-o", "{bad}"],
    ["template", "-o", "{bad}"],
    ["demo", "-o", "{bad}", "--people", "3", "--waves", "1"],
])
def test_an_output_that_cannot_be_written_is_a_message(tmp_path: Path, cohort_dir: Path, command: list[str]) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    key = tmp_path / "key.txt"
    key.write_text("k" * 32)
    egor = tmp_path / "egor"
    assert run("export", str(cohort_dir), "--format", "egor", "-o", str(egor))[0] == 0
    code, output = run(*(p.format(src=cohort_dir, bad=tmp_path / "a-file" / "out", key=key, egor=egor) for p in command))
    assert code == 1 and "a-file" in output


def test_a_300_character_person_id_exports_to_graphml(tmp_path: Path) -> None:
    long_id = "P" * 300
    tables = {name: textwrap.dedent(text).replace("P01", long_id) for name, text in TABLES.items()}
    folder = cohort_folder(tmp_path / "c", **tables)
    code, output = run("export", str(folder), "--format", "graphml", "-o", str(tmp_path / "graphs"))
    assert code == 0, output
    assert all(len(p.name) < 255 for p in (tmp_path / "graphs").iterdir())
    assert len(list((tmp_path / "graphs").glob("*.graphml"))) == 4


def test_a_byte_order_mark_in_a_name_can_be_saved_as_pdf(tmp_path: Path) -> None:
    people = textwrap.dedent(PEOPLE).replace("Sam", "Sa\ufeffm")
    connections = textwrap.dedent(CONNECTIONS).replace("Mum", "M\ufeffum")
    folder = cohort_folder(tmp_path / "c", people=people, connections=connections)
    code, output = run("map", str(folder), "--person", "P01", "-o", str(tmp_path / "map.pdf"))
    assert code == 0, output
    assert (tmp_path / "map.pdf").read_bytes().startswith(b"%PDF")


def test_a_right_to_left_override_in_a_name_is_isolated_in_the_html_title(tmp_path: Path) -> None:
    people = textwrap.dedent(PEOPLE).replace("Sam", "Sam\u202eevil")
    folder = cohort_folder(tmp_path / "c", people=people)
    assert run("map", str(folder), "--person", "P01", "-o", str(tmp_path / "map.html"))[0] == 0
    html = (tmp_path / "map.html").read_text(encoding="utf-8")
    title = html.split("<title>")[1].split("</title>")[0]
    assert "\u2068Sam\u202eevil\u2069" in title


# -- privacy ----------------------------------------------------------------------------------------


def test_a_key_under_16_bytes_is_refused(tmp_path: Path, cohort_dir: Path) -> None:
    cohort = read_cohort(cohort_dir)
    with pytest.raises(ValueError, match="at least 16"):
        sc.pseudonymise(cohort, b"k")
    with pytest.raises(ValueError, match="at least 16"):
        sc.pseudonymise(cohort, "fifteen bytes!!")
    (tmp_path / "key.txt").write_text("k\n")
    code, output = run("pseudonymise", str(cohort_dir), "--key-file", str(tmp_path / "key.txt"), "-o", str(tmp_path / "out"))
    assert code == 1 and "at least 16" in output and not (tmp_path / "out").exists()


def test_a_bom_in_a_key_file_does_not_change_the_pseudonyms(tmp_path: Path, cohort_dir: Path) -> None:
    key = "a long secret key kept elsewhere"
    (tmp_path / "plain.txt").write_text(key + "\n", encoding="utf-8")
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + key.encode() + b"\r\n")
    for name in ("plain", "bom"):
        assert run("pseudonymise", str(cohort_dir), "--key-file", str(tmp_path / f"{name}.txt"), "-o", str(tmp_path / name))[0] == 0
    assert read_cohort(tmp_path / "plain") == read_cohort(tmp_path / "bom")
    assert person_pseudonym("P01", key.encode()) in read_cohort(tmp_path / "bom").person_ids


@pytest.mark.parametrize("column", ["name", "person_id", "notes", "school_id"])
def test_analyst_outputs_cannot_be_grouped_by_names_or_ids(tmp_path: Path, cohort_dir: Path, column: str) -> None:
    people = textwrap.dedent(PEOPLE).replace("notes\n", "notes,school_id\n").replace("football\n", "football,S1\n").replace("2024-10-15,\n", "2024-10-15,,S2\n")
    folder = cohort_folder(tmp_path / "c", people=people)
    code, output = run("summary", str(folder), "-o", str(tmp_path / "s.csv"), "--by", column, "--quiet")
    assert code == 1 and "cannot break down by" in output and not (tmp_path / "s.csv").exists()
    code, output = run("report", str(folder), "-o", str(tmp_path / "r"), "--by", column, "--quiet")
    assert code == 1 and "cannot break down by" in output and not (tmp_path / "r" / "summary.csv").exists()


def test_a_column_unique_to_every_person_cannot_group_an_analyst_output(tmp_path: Path) -> None:
    cohort = sc.datasets.synthetic(people=8, waves=2, seed=3)
    people = cohort.people.assign(locker=[f"L{i}" for i in range(8)])
    folder = write_cohort(sc.Cohort(people, cohort.connections, cohort.ties, cohort.snapshots), tmp_path / "c")
    code, output = run("summary", str(folder), "-o", str(tmp_path / "s.csv"), "--by", "locker", "--quiet")
    assert code == 1 and "differ for every person" in output


# -- atomic folders ---------------------------------------------------------------------------------


def test_a_folder_is_replaced_whole_and_other_files_are_kept(tmp_path: Path, cohort_dir: Path) -> None:
    folder = write_cohort(read_cohort(cohort_dir), tmp_path / "out")
    (folder / "README.txt").write_text("mine")
    smaller = sc.datasets.synthetic(people=3, waves=1, seed=2)
    write_cohort(smaller, folder)
    assert read_cohort(folder) == smaller and (folder / "README.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cohort", "out"]  # no temporary folder left beside it


def test_an_interrupted_folder_write_leaves_the_old_cohort(tmp_path: Path, cohort_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socialcap.io as scio

    before = read_cohort(cohort_dir)
    folder = write_cohort(before, tmp_path / "out")
    calls = []
    real = scio.write_table

    def dying(frame: object, path: Path) -> Path:
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt  # as if killed after the first table
        return real(frame, path)  # type: ignore[arg-type]

    monkeypatch.setattr(scio, "write_table", dying)
    with pytest.raises(KeyboardInterrupt):
        write_cohort(sc.datasets.synthetic(people=3, waves=1, seed=2), folder)
    monkeypatch.undo()
    assert read_cohort(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cohort", "out"]


def test_a_killed_write_leaves_nothing_that_reads_as_a_table(tmp_path: Path, cohort_dir: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    before = read_cohort(cohort_dir)
    folder = write_cohort(before, tmp_path / "out")
    script = (
        "import socialcap as sc, sys\n"
        "big = sc.datasets.synthetic(people=400, waves=3, seed=1)\n"
        "print('ready', flush=True)\n"
        "while True: sc.write_cohort(big, sys.argv[1])\n"
    )
    process = subprocess.Popen([sys.executable, "-c", script, str(folder)], stdout=subprocess.PIPE)
    assert process.stdout is not None and process.stdout.readline().strip() == b"ready"
    seen = set()
    for _ in range(15):  # read while the other process rewrites the folder
        cohort = read_cohort(folder)
        seen.add(len(cohort.people))
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    process.stdout.close()
    assert seen <= {len(before.people), 400}
    assert len(read_cohort(folder).people) in (len(before.people), 400)
    # Only tables (the synthetic cohort has community assets, so assets.csv too): no temporary file is visible.
    names = sorted(p.name for p in folder.iterdir())
    assert names in (["connections.csv", "people.csv", "snapshots.csv", "ties.csv"],
                     ["assets.csv", "connections.csv", "people.csv", "snapshots.csv", "ties.csv"])


def test_concurrent_writers_leave_a_valid_cohort(tmp_path: Path) -> None:
    import threading

    cohorts = [sc.datasets.synthetic(people=n, waves=2, seed=n) for n in (5, 9, 13)]
    folder = tmp_path / "out"
    errors: list[BaseException] = []

    def write(cohort: sc.Cohort) -> None:
        try:
            for _ in range(3):
                write_cohort(cohort, folder)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(c,)) for c in cohorts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert read_cohort(folder) in cohorts
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


# -- fuzzing -----------------------------------------------------------------------------------------


def _only_cohort_or_problems(read: object, *args: object) -> None:
    try:
        result = read(*args)  # type: ignore[operator]
    except sc.ValidationError as error:
        assert error.problems
    else:
        assert isinstance(result, sc.Cohort)


VALID = {name: textwrap.dedent(text).encode() for name, text in TABLES.items()}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(tables=st.one_of(mutated_files(VALID), st.dictionaries(st.sampled_from(sorted(TABLES)), st.binary(max_size=200), min_size=1)))
def test_fuzz_read_cohort_gives_a_cohort_or_problems(tmp_path_factory: pytest.TempPathFactory, tables: dict[str, bytes]) -> None:
    folder = write_folder(tmp_path_factory.mktemp("fuzz"), **tables)
    _only_cohort_or_problems(read_cohort, folder)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.binary(max_size=400), at=st.integers(0, 10_000), cut=st.booleans())
def test_fuzz_workbooks_give_a_cohort_or_problems(tmp_path_factory: pytest.TempPathFactory, data: bytes, at: int, cut: bool) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    valid = write_cohort(sc.datasets.synthetic(people=2, waves=1, seed=1), folder / "valid.xlsx").read_bytes()
    at %= len(valid)
    mutated = valid[:at] + data + (b"" if cut else valid[at + len(data):])
    (folder / "bad.xlsx").write_bytes(mutated)
    _only_cohort_or_problems(read_cohort, folder / "bad.xlsx")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(tables=mutated_files(VALID), as_zip=st.booleans())
def test_fuzz_imports_give_a_cohort_or_problems(tmp_path_factory: pytest.TempPathFactory, tables: dict[str, bytes], as_zip: bool) -> None:
    import zipfile

    folder = tmp_path_factory.mktemp("fuzz")
    # egor's files made from mutated tables, and a Network Canvas export of the same bytes
    names = {"people": "egos.csv", "connections": "alters.csv", "ties": "aaties.csv", "snapshots": "P1_x_ego.csv"}
    for name, data in tables.items():
        (folder / names[name]).write_bytes(data)
    _only_cohort_or_problems(sc.interop.read_egor, folder)
    if as_zip:
        with zipfile.ZipFile(folder / "export.zip", "w") as archive:
            for name, data in tables.items():
                archive.writestr(f"P1_x_attributeList_{name}.csv" if name != "snapshots" else names[name], data)
        _only_cohort_or_problems(sc.interop.read_networkcanvas, folder / "export.zip")
    else:
        _only_cohort_or_problems(sc.interop.read_networkcanvas, folder)


@settings(max_examples=30, deadline=None)
@given(data=st.binary(max_size=300))
def test_fuzz_graphml_gives_a_cohort_or_problems(data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.graphml"
        text = _graphml().encode()
        path.write_bytes(text[: len(text) // 2] + data + text[len(text) // 2 + len(data):])
        _only_cohort_or_problems(sc.interop.read_networkcanvas, path)


def _outcome(folder: Path) -> object:
    try:
        cohort = read_cohort(folder)
    except sc.ValidationError as error:
        return [(p.file, p.row, p.column, p.message) for p in error.problems]
    return {name: table.to_dict("list") for name, table in cohort.tables().items()}


MAPPED_CASES = {
    "plain": VALID,
    "BOM": {**VALID, "connections": b"\xef\xbb\xbf" + VALID["connections"]},
    "old Mac line ends": {**VALID, "connections": VALID["connections"].replace(b"\n", b"\r")},
    "Windows line ends": {**VALID, "ties": VALID["ties"].replace(b"\n", b"\r\n")},
    "UTF-16": {**VALID, "people": VALID["people"].decode().encode("utf-16")},
    "control character": {**VALID, "connections": VALID["connections"].replace(b"Boxing", b"Box\x1bing")},
    "U+0085": {**VALID, "connections": VALID["connections"].replace(b"Boxing", "Box\u0085ing".encode())},
    "formula marks": {**VALID, "connections": VALID["connections"].replace(b"Boxing club", b"'=Boxing club")},
    "ragged row": {**VALID, "connections": VALID["connections"] + b"P01,2025-03-01\n"},
    "a value over two lines": {**VALID, "connections": VALID["connections"].replace(b"Boxing club", b'"Boxing\nclub"')},
    "no line end at the end": {**VALID, "ties": VALID["ties"].rstrip(b"\n")},
    "only spaces": {**VALID, "snapshots": b"   \n  "},
    "not UTF-8": {**VALID, "connections": VALID["connections"].replace(b"Boxing", b"Box\xffing")},
}


@pytest.mark.parametrize("case", sorted(MAPPED_CASES))
def test_a_file_mapped_into_memory_reads_exactly_as_one_read_into_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    """Large files are mapped (io.MAP_FROM_BYTES); every repair and problem is the same as for bytes."""
    import mmap

    from socialcap import io as sio

    folder = write_folder(tmp_path / "c", **MAPPED_CASES[case])
    read = _outcome(folder)
    mapped: list[int] = []

    class Counting(mmap.mmap):
        def __new__(cls, *args: object, **kwargs: object) -> Counting:
            mapped.append(1)
            return super().__new__(cls, *args, **kwargs)  # type: ignore[misc]

    monkeypatch.setattr(sio, "MAP_FROM_BYTES", 1)
    monkeypatch.setattr(sio, "_PIECE", 7)  # scanned in many small pieces
    monkeypatch.setattr(sio.mmap, "mmap", Counting)
    assert _outcome(folder) == read
    assert mapped  # the mapped path was taken


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(tables=mutated_files(VALID))
def test_fuzz_mapped_files_read_as_bytes_do(tmp_path_factory: pytest.TempPathFactory, tables: dict[str, bytes]) -> None:
    from socialcap import io as sio

    folder = write_folder(tmp_path_factory.mktemp("mapped"), **tables)
    read = _outcome(folder)
    before = sio.MAP_FROM_BYTES
    sio.MAP_FROM_BYTES = 1
    try:
        assert _outcome(folder) == read
    finally:
        sio.MAP_FROM_BYTES = before


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(min_size=1, max_size=300) | st.text(max_size=100).map(lambda t: (t or "x").encode()), piece=st.integers(1, 64))
def test_a_mapped_file_is_scanned_piece_by_piece_exactly_as_bytes_are(tmp_path_factory: pytest.TempPathFactory, data: bytes, piece: int) -> None:
    import mmap

    from socialcap import io as sio

    path = tmp_path_factory.mktemp("scan") / "f.csv"
    path.write_bytes(data)
    with path.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        before = sio._PIECE
        sio._PIECE = piece
        try:
            assert b"".join(sio._pieces(mapped)) == data
            assert sio._has_control_bytes(mapped) == sio._has_control_bytes(data)
        finally:
            sio._PIECE = before
