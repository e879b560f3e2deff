"""The store (SPEC §9), on a real SQLite file and a real PostgreSQL: exact round trips,
history, as_of, conflicts, invalid saves, erasure and the schema's own upgrades."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from strategies import cohort_tables

import socialcap as sc
from socialcap.graph import _records
from socialcap.store import _schema, display_url, is_store

SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _map(person_id: str = "P01", date: str = "2025-03-01", closeness: object = 1, **extra: object) -> dict[str, object]:
    return {
        "person_id": person_id,
        "date": date,
        "connections": [
            {"connection_id": "mum", "kind": "person", "domain": "family", "closeness": closeness, **extra},
            {"connection_id": "club", "kind": "group", "domain": "community"},
        ],
        "ties": [{"source": "mum", "target": "club"}],
        "answers": {"ucla_left_out": 2},
    }


@pytest.fixture
def store(store_url: str) -> sc.store.Store:
    with sc.open_store(store_url) as opened:
        opened.save_person({"person_id": "P01", "name": "Sam", "birth_year": 2007})
        yield opened


# -- round trips ---------------------------------------------------------------------


@SETTINGS
@given(tables=cohort_tables(extras=True))
def test_folder_to_store_to_folder_is_exact(
    new_store_url: Callable[[], str], tmp_path_factory: pytest.TempPathFactory, tables: dict[str, pd.DataFrame]
) -> None:
    cohort = sc.read_cohort(sc.write_cohort(sc.Cohort.from_tables(**tables), tmp_path_factory.mktemp("in")))
    url = new_store_url()
    sc.write_cohort(cohort, url)
    from_store = sc.read_cohort(url)
    assert from_store == cohort
    again = sc.read_cohort(sc.write_cohort(from_store, tmp_path_factory.mktemp("out")))
    assert again == cohort
    # Writing the same cohort again adds no version.
    with sc.open_store(url) as store:
        assert store.write_cohort(again) == {"people": 0, "snapshots": 0}


def test_the_hand_made_cohort_and_its_metrics(cohort_dir: Path, store_url: str) -> None:
    cohort = sc.read_cohort(cohort_dir)
    sc.write_cohort(cohort, store_url)
    from_store = sc.read_cohort(store_url)
    assert from_store == cohort
    assert list(from_store.people.columns)[-1] == "notes"  # the extra column is kept
    pd.testing.assert_frame_equal(from_store.metrics(["ward"]), cohort.metrics(["ward"]))
    with sc.open_store(store_url) as store:
        assert store.timeline("P01") == cohort.timeline("P01")
        for snap in cohort.timeline("P01"):  # the JSON of one map is typed as the validator types it
            stored = store.snapshot("P01", snap.date)
            assert stored["connections"] == _records(snap.connections, drop=("person_id", "date"))
            assert stored["ties"] == _records(snap.ties, drop=("person_id", "date"))
            assert stored["answers"] == dict(snap.answers)


def test_a_column_empty_everywhere_is_kept(store_url: str) -> None:
    cohort = sc.Cohort.from_tables(
        people=pd.DataFrame({"person_id": ["P01"], "notes": [None]}),
        connections=pd.DataFrame({"person_id": ["P01"], "date": ["2025-03-01"], "connection_id": ["mum"],
                                  "kind": ["person"], "domain": ["family"], "closeness": [1], "colour": [None]}),
    )
    sc.write_cohort(cohort, store_url)
    assert sc.read_cohort(store_url) == cohort


def test_writing_a_smaller_cohort_removes_the_rest_but_keeps_its_history(store_url: str) -> None:
    cohort = sc.datasets.synthetic(people=4, waves=2, seed=3)
    with sc.open_store(store_url) as store:
        store.write_cohort(cohort, saved_by="first")
        between = dt.datetime.now(dt.timezone.utc)
        time.sleep(0.01)
        smaller = cohort.select(cohort.person_ids[:2])
        added = store.write_cohort(smaller, saved_by="second")
        assert added == {"people": 2, "snapshots": len(cohort.snapshots) - len(smaller.snapshots)}
        assert store.read_cohort() == smaller
        assert store.read_cohort(as_of=between) == cohort
        gone = cohort.person_ids[3]
        date = cohort.timeline(gone).dates[0]
        assert [h["deleted"] for h in store.history(gone, date)] == [False, True]
        with pytest.raises(sc.NotFoundError):
            store.snapshot(gone, date)
        assert store.snapshot(gone, date, as_of=between)["version"] == 1


# -- one map at a time -------------------------------------------------------------------


def test_save_read_and_history(store: sc.store.Store, store_url: str) -> None:
    first = store.save_snapshot(_map(), saved_by="jo")
    time.sleep(0.01)
    between = dt.datetime.now()  # local time, no zone
    time.sleep(0.01)
    second = store.save_snapshot(_map(closeness=3, colour="green"), expected_version=1, saved_by="kim")
    assert (first, second) == (1, 2)
    snapshot = store.snapshot("P01", "2025-03-01")
    assert snapshot["version"] == 2
    assert snapshot["connections"][0] == {"connection_id": "mum", "kind": "person", "domain": "family",
                                          "closeness": 3, "paid": False, "hope": False, "colour": "green"}
    assert snapshot["ties"] == [{"source": "mum", "target": "club"}]
    assert snapshot["answers"] == {"ucla_left_out": 2}
    assert store.snapshot("P01", "2025-03-01", as_of=between)["connections"][0]["closeness"] == 1
    assert store.snapshot("P01", "2025-03-01", version=1)["version"] == 1
    history = store.history("P01", "2025-03-01")
    assert [(h["version"], h["saved_by"]) for h in history] == [(1, "jo"), (2, "kim")]
    assert all(h["saved_at"].tzinfo is not None for h in history)
    assert history[0]["saved_at"] < history[1]["saved_at"]
    assert store.snapshots("P01") == [{"date": "2025-03-01", "version": 2}]
    old = sc.read_cohort(store_url, as_of=between)
    assert old.snapshot("P01").connections["closeness"].tolist() == [1, pd.NA]
    assert old.people["name"].tolist() == ["Sam"]


def test_a_snapshot_object_saves_and_an_empty_map_is_a_map(store: sc.store.Store) -> None:
    cohort = sc.datasets.synthetic(people=1, waves=1, seed=5)
    snap = cohort.timeline(cohort.person_ids[0]).snapshots[0]
    store.save_person({"person_id": snap.person_id})
    assert store.save_snapshot(snap) == 1
    assert store.timeline(snap.person_id).snapshots[0].connections.equals(snap.connections)
    assert store.save_snapshot({"person_id": "P01", "date": "2025-04-01", "connections": []}) == 1
    assert store.snapshot("P01", "2025-04-01")["connections"] == []


def test_a_stale_version_is_a_conflict_and_stores_nothing(store: sc.store.Store) -> None:
    store.save_snapshot(_map())
    store.save_snapshot(_map(closeness=2), expected_version=1)
    with pytest.raises(sc.ConflictError) as stale:
        store.save_snapshot(_map(closeness=3), expected_version=1)
    assert (stale.value.expected, stale.value.current) == (1, 2)
    with pytest.raises(sc.ConflictError) as new:
        store.save_snapshot(_map(closeness=3))  # "this map is new", but it is not
    assert (new.value.expected, new.value.current) == (None, 2)
    with pytest.raises(sc.ConflictError):
        store.save_snapshot(_map(date="2025-05-01"), expected_version=1)  # there is nothing to update
    assert len(store.history("P01", "2025-03-01")) == 2
    assert store.snapshot("P01", "2025-03-01")["connections"][0]["closeness"] == 2


def test_an_invalid_map_lists_every_problem_and_stores_nothing(store: sc.store.Store) -> None:
    bad = _map(closeness=5)
    bad["connections"].append({"connection_id": "mum", "kind": "pet", "domain": "family", "closeness": 1})
    bad["ties"].append({"source": "mum", "target": "nobody"})
    bad["answers"] = {"ons_lonely": "sometimes"}
    with pytest.raises(sc.ValidationError) as error:
        store.save_snapshot(bad)
    where = {(p.file, p.row, p.column) for p in error.value.problems}
    assert ("connections", 2, "closeness") in where  # the first row sent is row 2, as in a spreadsheet
    assert ("connections", 4, "kind") in where
    assert ("connections", 4, "connection_id") in where  # mum twice
    assert ("ties", 3, "target") in where
    assert ("snapshots", 2, "ons_lonely") in where
    with pytest.raises(sc.NotFoundError):
        store.history("P01", "2025-03-01")
    assert store.snapshots("P01") == []


def test_rows_naming_another_person_or_date_are_problems(store: sc.store.Store) -> None:
    bad = _map()
    bad["connections"][1]["person_id"] = "P02"
    bad["ties"][0]["date"] = "2025-03-02"
    with pytest.raises(sc.ValidationError) as error:
        store.save_snapshot(bad)
    assert {(p.file, p.row, p.column) for p in error.value.problems} == {("connections", 3, "person_id"), ("ties", 2, "date")}


def test_a_map_needs_its_person(store: sc.store.Store) -> None:
    with pytest.raises(sc.NotFoundError):
        store.save_snapshot(_map(person_id="P99"))
    with pytest.raises(sc.NotFoundError):
        store.snapshots("P99")


def test_people_are_versioned_and_checked(store: sc.store.Store) -> None:
    assert store.save_person({"person_id": "P01", "name": "Sam", "birth_year": 2007}) == 1  # unchanged: no version
    assert store.save_person({"person_id": "P01", "name": "Sam", "birth_year": "2008", "pronouns": "they"}, saved_by="jo") == 2
    assert store.people() == [{"person_id": "P01", "name": "Sam", "birth_year": 2008, "ward": None,
                               "start_date": None, "pronouns": "they"}]
    with pytest.raises(sc.ValidationError) as error:
        store.save_person({"person_id": "P02", "birth_year": "soon"})
    assert [(p.file, p.row, p.column) for p in error.value.problems] == [("people", 2, "birth_year")]
    assert [p["person_id"] for p in store.people()] == ["P01"]
    with store.engine.connect() as connection:  # the old row is still there
        rows = connection.execute(sa.select(_schema.people.c.version, _schema.people.c.birth_year)).all()
    assert sorted(rows) == [(1, 2007), (2, 2008)]


def test_erasing_a_person_removes_them_and_their_history(store_url: str) -> None:
    cohort = sc.datasets.synthetic(people=3, waves=2, seed=9)
    with sc.open_store(store_url) as store:
        store.write_cohort(cohort)
        person = cohort.person_ids[1]
        name = cohort.timeline(person).person["name"]
        snap = cohort.timeline(person).snapshots[0]
        store.save_snapshot(sc.Snapshot(person, snap.date, snap.connections.iloc[:1], snap.ties.iloc[:0]), expected_version=1)
        assert store.erase_person(person) >= 4
        assert store.read_cohort() == cohort.select([p for p in cohort.person_ids if p != person])
        assert store.read_cohort(as_of=dt.datetime(2000, 1, 1)).people.empty
        with pytest.raises(sc.NotFoundError):
            store.history(person, snap.date)
        with pytest.raises(sc.NotFoundError):
            store.erase_person(person)
        with store.engine.connect() as connection:
            for table in (_schema.people, _schema.snapshots):
                assert connection.execute(sa.select(sa.func.count()).where(table.c.person_id == person)).scalar() == 0
    if not store_url.startswith("postgresql"):  # nothing of them is left in the file either
        data = b"".join(p.read_bytes() for p in Path(store_url).parent.iterdir())
        assert name.encode() not in data


# -- addresses, files and the schema ---------------------------------------------------------


def test_what_is_a_store() -> None:
    assert is_store("maps.db") and is_store(Path("x/maps.sqlite")) and is_store("sqlite:///maps.db")
    assert is_store("postgresql://me@host/maps") and is_store("postgres://me@host/maps")
    assert not is_store("cohort") and not is_store("cohort.xlsx") and not is_store("cohort.csv")


def test_passwords_are_never_shown() -> None:
    assert display_url("postgresql://maps:s3cret@db.example:5432/maps") == "postgresql://maps:***@db.example:5432/maps"
    with pytest.raises(sc.SocialcapError) as error:
        sc.open_store("postgresql://maps:s3cret@127.0.0.1:1/maps")  # nothing listens on port 1
    assert "s3cret" not in str(error.value) and "***" in str(error.value)


def test_reading_a_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        sc.read_cohort(tmp_path / "nothing.db")
    assert not (tmp_path / "nothing.db").exists()
    with pytest.raises(ValueError, match="as_of"):
        sc.read_cohort(tmp_path, as_of=dt.datetime.now())


def test_the_sqlite_file_follows_the_umask(tmp_path: Path) -> None:
    script = "import os, socialcap as sc; os.umask(0o077); sc.open_store(os.environ['STORE']).close()"
    subprocess.run([sys.executable, "-c", script], env={**os.environ, "STORE": str(tmp_path / "maps.db")}, check=True)
    assert (tmp_path / "maps.db").stat().st_mode & 0o777 == 0o600


def test_sqlite_is_in_wal_mode(tmp_path: Path) -> None:
    with sc.open_store(tmp_path / "maps.db") as store, store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_the_schema_is_created_versioned_and_upgraded(store_url: str) -> None:
    with sc.open_store(store_url) as store:
        with store.engine.begin() as connection:
            assert _schema.current_version(connection) == _schema.SCHEMA_VERSION
            connection.execute(sa.update(_schema.schema_version).values(version=_schema.SCHEMA_VERSION + 1))
    with pytest.raises(sc.SocialcapError, match="newer socialcap"):
        sc.open_store(store_url)


@SETTINGS
@given(tables=cohort_tables(extras=True))
def test_both_ways_of_writing_a_map_as_text_agree(tables: dict[str, pd.DataFrame]) -> None:
    # One save writes its map cell by cell, write_cohort a whole cohort column by column;
    # the same map must give the same text (else write_cohort would add needless versions).
    from socialcap.store._store import _snapshot_rows

    cohort = sc.Cohort.from_tables(**tables)
    assert _snapshot_rows(cohort, small=True) == _snapshot_rows(cohort, small=False)


# -- hopes (SPEC §11) ------------------------------------------------------------------------


def test_a_hope_is_kept_and_it_happened_turns_it_into_a_connection_in_place(store: sc.store.Store) -> None:
    hoping = _map()
    hoping["connections"].append({"connection_id": "job", "kind": "place", "domain": "education_work", "hope": True})
    store.save_snapshot(hoping, saved_by="jo")
    saved = store.snapshot("P01", "2025-03-01")
    job = saved["connections"][-1]
    assert job == {"connection_id": "job", "kind": "place", "domain": "education_work", "paid": False, "hope": True}
    # "It happened": the same row, hope false, now with contact; saved as the next version.
    job.update(hope=False, contact="weekly")
    saved.pop("version")
    assert store.save_snapshot(saved, expected_version=1, saved_by="jo") == 2
    assert store.snapshot("P01", "2025-03-01")["connections"][-1]["hope"] is False
    cohort = store.read_cohort()
    assert cohort.snapshot("P01").metrics()["hopes"] == 0 and store.read_cohort(as_of=None).connections["hope"].sum() == 0
    # A tie to a hope is refused like any other breach, with its row and column.
    hoping["ties"].append({"source": "mum", "target": "job"})
    with pytest.raises(sc.ValidationError) as info:
        store.save_snapshot(hoping, expected_version=2)
    assert [(p.file, p.row, p.column) for p in info.value.problems] == [("ties", 3, "target")]


def _with_assets() -> sc.Cohort:
    people = pd.DataFrame({"person_id": ["P01", "P02"]})
    connections = pd.DataFrame({
        "person_id": ["P01", "P01", "P02"], "date": ["2025-03-01"] * 3, "connection_id": ["mum", "club", "gym"],
        "kind": ["person", "group", "place"], "domain": ["family", "community", "community"],
        "closeness": [1, None, None], "asset_id": [None, "A1", "A2"]})
    assets = pd.DataFrame({"asset_id": ["A1", "A2", "A3"], "name": ["Boxing club", "Gym", "Library"],
                           "kind": ["group", "place", "place"], "funded_by": ["council", None, None]})
    return sc.Cohort.from_tables(people, connections, assets=assets)


def test_the_assets_table_is_kept_versioned_and_checked(store_url: str) -> None:
    cohort = _with_assets()
    with sc.open_store(store_url) as store:
        store.write_cohort(cohort)
        between = dt.datetime.now(dt.timezone.utc)
        time.sleep(0.01)
        assert store.read_cohort() == cohort
        assert store.read_cohort().tables()["assets"]["funded_by"].tolist()[0] == "council"
        # a saved map may only name a stored asset
        bad = {"person_id": "P01", "date": "2025-09-01", "connections": [
            {"connection_id": "club", "kind": "group", "domain": "community", "asset_id": "A9"}]}
        with pytest.raises(sc.ValidationError) as error:
            store.save_snapshot(bad)
        assert [(p.file, p.row, p.column) for p in error.value.problems] == [("connections", 2, "asset_id")]
        bad["connections"][0]["asset_id"] = "A3"
        assert store.save_snapshot(bad) == 1
        # a new assets table is a new version; the old one is still there at as_of
        fewer = sc.Cohort(cohort.people, cohort.connections, cohort.ties, cohort.snapshots, assets=cohort.assets.iloc[:2])
        store.write_cohort(store.read_cohort().select(["P02"]))
        assert "assets" in store.read_cohort().tables()
        store.write_cohort(fewer)
        assert store.read_cohort() == fewer
        assert store.read_cohort(as_of=between) == cohort


def test_a_store_of_schema_1_is_upgraded_when_opened(store_url: str, cohort_dir: Path) -> None:
    cohort = sc.read_cohort(cohort_dir)  # no assets: schema 1 had nowhere to keep them
    with sc.open_store(store_url) as store:
        store.write_cohort(cohort)
        with store.engine.begin() as connection:  # as socialcap before schema 2 left it
            _schema.cohort_tables.drop(connection)
            connection.execute(sa.update(_schema.schema_version).values(version=1))
    with sc.open_store(store_url) as store:
        with store.engine.connect() as connection:
            assert _schema.current_version(connection) == _schema.SCHEMA_VERSION == 2
        assert store.read_cohort() == cohort
        store.write_cohort(_with_assets())
        assert store.read_cohort() == _with_assets()
