"""Reading and writing: read_cohort(write_cohort(c)) == c, for any cohort; writes are atomic."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import socialcap as sc
from socialcap.io import atomic_write

# Text a coordinator might type: any letters, commas, quotes, tabs, newlines, formula-like text
# (control characters are problems, SPEC §7: tests/test_hostile.py).
names = st.one_of(
    st.none(),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="".join(map(chr, [*range(0, 9), 11, 12, *range(14, 32), *range(0x7F, 0xA0), 0xFFFE, 0xFFFF]))), min_size=1, max_size=12),
    st.sampled_from(['=HYPERLINK("x")', 'Kai, "K" Smith', "Zoë\nline two", "  spaced  ", "\u5c0f\u660e", "\U0001f600"]),
)
ids = st.text("ABCDEFGHJK0123456789-_ ", min_size=1, max_size=5).filter(lambda s: s.strip() == s)
dates = st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)).map(dt.date.isoformat)
support = st.lists(st.sampled_from(sc.vocab.SUPPORT_TYPES), unique=True, max_size=4).map(
    lambda items: ";".join(t for t in sc.vocab.SUPPORT_TYPES if t in items) or None
)


@st.composite
def raw_cohorts(draw: st.DrawFn, text: st.SearchStrategy = names) -> dict[str, pd.DataFrame]:
    person_ids = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
    people = pd.DataFrame(
        {
            "person_id": person_ids,
            "name": [draw(text) for _ in person_ids],
            "birth_year": [draw(st.one_of(st.none(), st.integers(1990, 2015))) for _ in person_ids],
            "notes": [draw(text) for _ in person_ids],  # an extra column
        }
    )
    conn_rows, tie_rows, snap_rows = [], [], []
    for pid in person_ids:
        for date in draw(st.lists(dates, max_size=2, unique=True)):
            cids = draw(st.lists(ids.filter(lambda c, pid=pid: c != pid), max_size=4, unique=True))
            for cid in cids:
                kind = draw(st.sampled_from(sc.vocab.KINDS))
                closeness = draw(st.sampled_from([1, 2, 3])) if kind == "person" else draw(st.sampled_from([None, 1, 3]))
                conn_rows.append(
                    {
                        "person_id": pid, "date": date, "connection_id": cid, "kind": kind, "name": draw(text),
                        "domain": draw(st.sampled_from(sc.vocab.DOMAINS)), "closeness": closeness,
                        "contact": draw(st.sampled_from([None, *sc.vocab.CONTACT])),
                        "support_received": draw(support), "support_given": draw(support),
                        "paid": draw(st.sampled_from([None, "true", "false"])),
                        "since": draw(st.one_of(st.none(), dates)), "colour": draw(text),
                    }
                )
            if len(cids) >= 2:
                for _ in range(draw(st.integers(0, 3))):
                    s, t = draw(st.lists(st.sampled_from(cids), min_size=2, max_size=2, unique=True))
                    tie_rows.append({"person_id": pid, "date": date, "source": s, "target": t})
        for date in draw(st.lists(dates, max_size=1)):
            snap_rows.append({"person_id": pid, "date": date, "ucla_left_out": draw(st.sampled_from([None, 1, 2, 3]))})
    snap_rows = list({(r["person_id"], r["date"]): r for r in snap_rows}.values())
    conn_cols = [*sc.vocab.CONNECTION_COLUMNS, "colour"]
    return {
        "people": people,
        "connections": pd.DataFrame(conn_rows, columns=conn_cols),
        "ties": pd.DataFrame(tie_rows, columns=["person_id", "date", "source", "target"]),
        "snapshots": pd.DataFrame(snap_rows, columns=["person_id", "date", "ucla_left_out"]),
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(tables=raw_cohorts())
def test_csv_round_trip_keeps_everything(tmp_path_factory: pytest.TempPathFactory, tables: dict[str, pd.DataFrame]) -> None:
    cohort = sc.Cohort.from_tables(**tables)
    folder = sc.write_cohort(cohort, tmp_path_factory.mktemp("out"))
    again = sc.read_cohort(folder)
    assert again == cohort
    assert sc.read_cohort(sc.write_cohort(again, tmp_path_factory.mktemp("out2"))) == cohort


# Excel cells cannot hold control characters, so the workbook round trip uses printable text.
printable = st.one_of(st.none(), st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")), min_size=1, max_size=10))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(tables=raw_cohorts(text=printable))
def test_workbook_round_trip_keeps_everything(tmp_path_factory: pytest.TempPathFactory, tables: dict[str, pd.DataFrame]) -> None:
    cohort = sc.Cohort.from_tables(**tables)
    path = sc.write_cohort(cohort, tmp_path_factory.mktemp("out") / "cohort.xlsx")
    assert sc.read_cohort(path) == cohort


def test_round_trip_of_the_hand_made_cohort(cohort_dir: Path, tmp_path: Path) -> None:
    cohort = sc.read_cohort(cohort_dir)
    assert sc.read_cohort(sc.write_cohort(cohort, tmp_path / "out")) == cohort


def test_a_formula_in_a_name_is_written_to_excel_as_text(cohort_dir: Path, tmp_path: Path) -> None:
    import openpyxl

    cohort = sc.read_cohort(cohort_dir)
    connections = cohort.connections.copy()
    connections.loc[0, "name"] = "=1+1"
    cohort = sc.Cohort(cohort.people, connections, cohort.ties, cohort.snapshots)
    path = sc.write_cohort(cohort, tmp_path / "c.xlsx")
    cell = openpyxl.load_workbook(path)["connections"]["E2"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")
    assert sc.read_cohort(path) == cohort


def test_written_files_are_plain_utf8_csv(cohort_dir: Path, tmp_path: Path) -> None:
    folder = sc.write_cohort(sc.read_cohort(cohort_dir), tmp_path / "out")
    frame = pd.read_csv(folder / "connections.csv", dtype=str, keep_default_na=False)
    assert list(frame.columns[:3]) == ["person_id", "date", "connection_id"]
    assert frame.loc[4, "name"] == "Kai, my mate" and frame.loc[1, "paid"] == "true"
    assert sorted(p.name for p in folder.iterdir()) == ["connections.csv", "people.csv", "snapshots.csv", "ties.csv"]


def test_an_interrupted_write_leaves_the_old_file_and_no_half_file(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_text("old\n")
    with pytest.raises(RuntimeError):
        with atomic_write(path) as handle:
            handle.write(b"new, half")
            raise RuntimeError("power cut")
    assert path.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["table.csv"]


def test_a_snapshot_with_nobody_is_kept(cohort_dir: Path) -> None:
    cohort = sc.read_cohort(cohort_dir)
    empty = cohort.snapshot("P02", "2025-09-01")
    assert len(empty.connections) == 0 and empty.answers["ucla_companionship"] == 3
    assert [n for n, d in empty.graph.nodes(data=True)] == ["P02"]
