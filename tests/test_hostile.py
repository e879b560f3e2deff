"""Hostile and ugly input (SPEC §7, issue 9): every case ends in a cohort or a clear
problem, never a traceback, a silent change of meaning, a lost interview or a leak.

The corpus is built here, in temporary folders, by the tests themselves.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import hypothesis.strategies as st
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

import socialcap as sc
from socialcap.cli import main
from socialcap.io import read_cohort, write_cohort

from conftest import CONNECTIONS, PEOPLE, SNAPSHOTS, TIES, write_folder

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
