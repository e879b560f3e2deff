"""A cohort as Parquet files reads as the same cohort as from CSV files (socialcap/_parquet.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

import socialcap as sc
from socialcap.cli import main
from strategies import cohort_tables


def _as_parquet(cohort: sc.Cohort, folder: Path) -> Path:
    """The cohort's tables (typed: dates, whole numbers, true/false) as one Parquet file each."""
    folder.mkdir(parents=True)
    for name, table in cohort.tables().items():
        table.to_parquet(folder / f"{name}.parquet", index=False)
    return folder


def _csv_as_text_parquet(csv_folder: Path, folder: Path) -> Path:
    """Each CSV file's cells, as text, in a Parquet file (what an export of all-text columns gives)."""
    import pyarrow.csv as pacsv

    folder.mkdir(parents=True)
    for path in csv_folder.glob("*.csv"):
        names = path.read_text(encoding="utf-8").splitlines()[0].split(",")
        table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names}))
        pq.write_table(table, folder / f"{path.stem}.parquet")
    return folder


def _problems(path: Path) -> list[str]:
    with pytest.raises(sc.ValidationError) as caught:
        sc.read_cohort(path)
    return [str(p) for p in caught.value.problems]


def test_the_hand_made_cohort_reads_the_same_from_typed_and_from_text_parquet(cohort_dir: Path, tmp_path: Path) -> None:
    from_csv = sc.read_cohort(cohort_dir)
    typed = sc.read_cohort(_as_parquet(from_csv, tmp_path / "typed"))
    text = sc.read_cohort(_csv_as_text_parquet(cohort_dir, tmp_path / "text"))
    assert typed == from_csv
    assert text == from_csv
    # Worked by hand: P01's second map, Kai (an extra column kept), P02's empty map.
    kai = typed.connections.set_index(["person_id", "connection_id"]).loc[("P01", "C3")]
    assert (kai["name"], kai["closeness"], bool(kai["paid"]), kai["how_we_met"]) == ("Kai, my mate", 1, False, "met Kai at Boxing")
    assert kai["date"] == pd.Timestamp("2025-09-01") and kai["since"] == pd.Timestamp("2025-05-01")
    assert typed.metrics().loc[("P02", pd.Timestamp("2025-09-01")), "ucla3"] == 8


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(tables=cohort_tables(extras=True))
def test_any_cohort_reads_the_same_from_parquet_as_from_csv(tmp_path_factory: pytest.TempPathFactory, tables: dict[str, pd.DataFrame]) -> None:
    cohort = sc.Cohort.from_tables(**tables)
    folder = tmp_path_factory.mktemp("cohort")
    from_csv = sc.read_cohort(sc.write_cohort(cohort, folder / "csv"))
    from_parquet = sc.read_cohort(_as_parquet(cohort, folder / "parquet"))
    assert from_parquet == from_csv == cohort


def test_a_folder_of_parts_and_a_mixed_folder(cohort_dir: Path, tmp_path: Path) -> None:
    cohort = sc.read_cohort(cohort_dir)
    parts = _as_parquet(cohort, tmp_path / "parts")
    connections = cohort.tables()["connections"]
    (parts / "connections.parquet").unlink()
    (parts / "connections").mkdir()
    connections.iloc[:3].to_parquet(parts / "connections" / "part-0.parquet", index=False)
    connections.iloc[3:].to_parquet(parts / "connections" / "part-1.parquet", index=False)
    assert sc.read_cohort(parts) == cohort
    # Some tables as CSV, others as Parquet.
    mixed = _as_parquet(cohort, tmp_path / "mixed")
    for name in ("people", "ties"):
        (mixed / f"{name}.parquet").unlink()
        (mixed / f"{name}.csv").write_bytes((cohort_dir / f"{name}.csv").read_bytes())
    assert sc.read_cohort(mixed) == cohort


def test_a_table_both_as_csv_and_as_parquet_is_an_error_that_says_so(cohort_dir: Path, tmp_path: Path) -> None:
    _as_parquet(sc.read_cohort(cohort_dir), tmp_path / "p")
    (tmp_path / "p" / "connections.parquet").rename(cohort_dir / "connections.parquet")
    problems = _problems(cohort_dir)
    assert len(problems) == 1
    assert "both connections.csv and connections.parquet" in problems[0] and "keep one" in problems[0]


def test_a_file_that_is_not_parquet_is_named(cohort_dir: Path, tmp_path: Path) -> None:
    folder = _as_parquet(sc.read_cohort(cohort_dir), tmp_path / "p")
    (folder / "ties.parquet").write_bytes((cohort_dir / "ties.csv").read_bytes())  # CSV text under a Parquet name
    problems = _problems(folder)
    assert problems[0].startswith("ties.parquet: cannot be read as a Parquet file")
    half = (folder / "people.parquet").read_bytes()
    (folder / "people.parquet").write_bytes(half[: len(half) // 2])  # cut short
    assert any(p.startswith("people.parquet: cannot be read as a Parquet file") for p in _problems(folder))


def test_a_wrong_column_type_is_named_by_file_row_and_column(cohort_dir: Path, tmp_path: Path) -> None:
    cohort = sc.read_cohort(cohort_dir)
    folder = _as_parquet(cohort, tmp_path / "p")
    connections = cohort.tables()["connections"]
    # Closeness as a fraction and dates as numbers: each cell is reported where it is.
    wrong = connections.assign(closeness=[1.0, 2.5, None, 1.0, 1.0, 2.0])
    wrong["date"] = wrong["date"].dt.strftime("%Y%m%d").astype(int)
    wrong.to_parquet(folder / "connections.parquet", index=False)
    problems = _problems(folder)
    assert any(p.startswith("connections.parquet, row 2, column 'closeness'") and "2.5" in p for p in problems)
    assert any(p.startswith("connections.parquet, row 1, column 'date'") and "20250301" in p for p in problems)
    # A time of day is not dropped: the cell is read as written, and reported.
    timed = connections.assign(since=connections["since"] + pd.Timedelta(hours=10))
    timed.to_parquet(folder / "connections.parquet", index=False)
    assert any(p.startswith("connections.parquet, row 1, column 'since'") and "T10:00" in p for p in _problems(folder))
    # A column of lists has no spelling as one cell.
    people = cohort.tables()["people"].assign(wards=[["Derwent"], ["Sinfin", "Arboretum"]])
    people.to_parquet(folder / "people.parquet", index=False)
    assert any(p.startswith("people.parquet, column 'wards'") and "lists" in p for p in _problems(folder))


def test_a_control_character_in_a_parquet_cell_is_reported(cohort_dir: Path, tmp_path: Path) -> None:
    cohort = sc.read_cohort(cohort_dir)
    folder = _as_parquet(cohort, tmp_path / "p")
    people = cohort.tables()["people"]
    people.assign(name=["Sam", "Al\x07ex"]).to_parquet(folder / "people.parquet", index=False)
    assert any(p.startswith("people.parquet, row 2, column 'name'") for p in _problems(folder))


def test_socialcap_metrics_from_parquet_writes_the_same_file_as_from_csv(cohort_dir: Path, tmp_path: Path) -> None:
    folder = _as_parquet(sc.read_cohort(cohort_dir), tmp_path / "parquet")
    runner = CliRunner()
    for source, out in ((cohort_dir, tmp_path / "from-csv.csv"), (folder, tmp_path / "from-parquet.csv")):
        result = runner.invoke(main, ["metrics", str(source), "-o", str(out), "--quiet"])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "from-parquet.csv").read_bytes() == (tmp_path / "from-csv.csv").read_bytes()


def test_socialcap_metrics_of_a_broken_parquet_file_is_a_message(cohort_dir: Path, tmp_path: Path) -> None:
    folder = _as_parquet(sc.read_cohort(cohort_dir), tmp_path / "parquet")
    (folder / "connections.parquet").write_bytes(b"PAR1 not really")
    result = CliRunner().invoke(main, ["metrics", str(folder), "-o", str(tmp_path / "out.csv"), "--quiet"])
    assert result.exit_code == 1
    assert "connections.parquet: cannot be read as a Parquet file" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out.csv").exists()
