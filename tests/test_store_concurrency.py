"""Saving at once and dying mid-save (SPEC §9), with real processes, on a real SQLite file
and a real PostgreSQL: two writers lose nothing, a stale save is a conflict, and
``kill -9`` during a save leaves the store as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import socialcap as sc

# A map of P01 on a given date; `closeness` tells the versions apart.
SAVER = textwrap.dedent(
    """
    import os, sys, time
    import socialcap as sc

    def snapshot(date, closeness):
        return {"person_id": "P01", "date": date, "connections": [
            {"connection_id": "mum", "kind": "person", "domain": "family", "closeness": closeness}]}

    store = sc.open_store(os.environ["STORE"])
    while time.time() < float(os.environ["START"]):  # both processes start together
        time.sleep(0.001)
    job, who = os.environ["JOB"], os.environ["WHO"]
    if job == "different":  # each process its own dates
        for day in range(1, 13):
            store.save_snapshot(snapshot(f"2025-{day:02d}-{10 + int(who)}", 1), saved_by=who)
    elif job == "same":  # the same map, from the same version
        try:
            store.save_snapshot(snapshot("2025-01-01", 1 + int(who)), expected_version=1, saved_by=who)
            print("saved")
        except sc.ConflictError:
            print("conflict")
    elif job == "retry":  # change the same map ten times, reading again after each conflict
        done = 0
        while done < 10:
            version = store.snapshot("P01", "2025-01-01")["version"]
            try:
                store.save_snapshot(snapshot("2025-01-01", 1 + version % 3), expected_version=version, saved_by=who)
                done += 1
            except sc.ConflictError:
                pass
    store.close()
    """
)


def _together(url: str, job: str, processes: int = 2) -> list[str]:
    start = time.time() + 3.0  # time for both to start Python and open the store
    running = [
        subprocess.Popen(
            [sys.executable, "-c", SAVER],
            env={**os.environ, "STORE": url, "START": str(start), "JOB": job, "WHO": str(who)},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for who in range(processes)
    ]
    outputs = []
    for process in running:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
        outputs.append(out.strip())
    return outputs


@pytest.fixture
def store_with_p01(store_url: str) -> str:
    with sc.open_store(store_url) as store:
        store.save_person({"person_id": "P01"})
        store.save_snapshot({"person_id": "P01", "date": "2025-01-01", "connections": []})
    return store_url


def test_two_processes_saving_different_maps_both_succeed(store_with_p01: str) -> None:
    _together(store_with_p01, "different")
    with sc.open_store(store_with_p01) as store:
        saved = store.snapshots("P01")
    assert len(saved) == 1 + 2 * 12
    assert all(s["version"] == 1 for s in saved)


def test_two_processes_saving_the_same_map_one_wins_one_is_told(store_with_p01: str) -> None:
    outputs = _together(store_with_p01, "same")
    assert sorted(outputs) == ["conflict", "saved"]
    winner = str(outputs.index("saved"))
    with sc.open_store(store_with_p01) as store:
        history = store.history("P01", "2025-01-01")
        assert [(h["version"], h["saved_by"]) for h in history] == [(1, None), (2, winner)]
        assert store.snapshot("P01", "2025-01-01")["connections"][0]["closeness"] == 1 + int(winner)


def test_writers_that_retry_after_a_conflict_lose_nothing(store_with_p01: str) -> None:
    _together(store_with_p01, "retry")
    with sc.open_store(store_with_p01) as store:
        history = store.history("P01", "2025-01-01")
    assert [h["version"] for h in history] == list(range(1, 22))
    assert sorted(h["saved_by"] for h in history[1:]) == ["0"] * 10 + ["1"] * 10


# Waits inside the save's transaction, after its first rows are written, until killed.
DIES = textwrap.dedent(
    """
    import os, time
    from sqlalchemy import event
    import socialcap as sc

    store = sc.open_store(os.environ["STORE"])

    @event.listens_for(store.engine, "after_cursor_execute")
    def hold(connection, cursor, statement, parameters, context, executemany):
        if statement.lstrip().lower().startswith("insert into snapshots"):
            open(os.environ["MARKER"], "w").close()
            time.sleep(600)

    if os.environ["JOB"] == "cohort":
        store.write_cohort(sc.datasets.synthetic(people=12, waves=3, seed=8), saved_by="killed")
    else:
        store.save_snapshot({"person_id": "P001", "date": "2030-01-01", "connections": []}, saved_by="killed")
    """
)


@pytest.mark.parametrize("job", ["cohort", "snapshot"])
def test_kill_9_mid_save_leaves_the_store_as_it_was(store_url: str, tmp_path: Path, job: str) -> None:
    before = sc.datasets.synthetic(people=6, waves=2, seed=4)
    sc.write_cohort(before, store_url)
    marker = tmp_path / "in-the-middle"
    process = subprocess.Popen(
        [sys.executable, "-c", DIES],
        env={**os.environ, "STORE": store_url, "MARKER": str(marker), "JOB": job},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    deadline = time.time() + 120
    while not marker.exists():
        assert process.poll() is None, process.communicate()[1].decode()
        assert time.time() < deadline, "the save never started"
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert sc.read_cohort(store_url) == before
    with sc.open_store(store_url) as store:
        assert all(h["saved_by"] != "killed" for h in store.history("P001", before.timeline("P001").dates[0]))
        # and the store takes the next save as usual
        assert store.save_snapshot({"person_id": "P001", "date": "2030-01-01", "connections": []}) == 1
