"""The second core: independent work side by side, with the same results and errors as one after the other."""

from __future__ import annotations

import textwrap
import threading
from pathlib import Path

import pandas as pd
import pytest

import socialcap as sc
from socialcap import _threads
from conftest import CONNECTIONS, PEOPLE, SNAPSHOTS, TIES, write_folder


@pytest.fixture(params=[True, False], ids=["two threads", "one thread"])
def cores(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    monkeypatch.setattr(_threads, "spare_core", lambda: request.param)
    return bool(request.param)


def test_side_by_side_returns_both_results_in_order_on_the_threads_it_says(cores: bool) -> None:
    here = threading.get_ident()
    first, second = _threads.side_by_side(lambda: ("a", threading.get_ident()), lambda: ("b", threading.get_ident()))
    assert (first[0], second[0]) == ("a", "b")
    assert first[1] == here and (second[1] != here) == cores


def test_side_by_side_raises_the_first_error_and_waits_for_the_second(cores: bool) -> None:
    finished = []

    def slow() -> int:
        threading.Event().wait(0.05)
        finished.append("second")
        raise KeyError("second")

    with pytest.raises(ValueError, match="first"):
        _threads.side_by_side(lambda: (_ for _ in ()).throw(ValueError("first")), slow)
    assert finished == ["second"] or not cores  # on one thread the first error stops before the second starts
    with pytest.raises(KeyError, match="second"):
        _threads.side_by_side(lambda: 1, slow)


def test_spare_core_reads_the_running_tasks(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import builtins
    import os

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    real_open = builtins.open
    for line, spare in ((b"0.1 0.1 0.1 1/200 1\n", True), (b"9.0 9.0 9.0 2/200 1\n", True), (b"0.1 0.1 0.1 3/200 1\n", False)):
        (tmp_path / "loadavg").write_bytes(line)
        monkeypatch.setattr(builtins, "open", lambda path, *a, **k: real_open(tmp_path / "loadavg", *a, **k) if path == "/proc/loadavg" else real_open(path, *a, **k))
        assert _threads.spare_core() is spare, line
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert _threads.spare_core() is False


def test_a_cohort_reads_and_fails_the_same_on_one_thread_and_on_two(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = write_folder(tmp_path / "good", people=PEOPLE, connections=CONNECTIONS, ties=TIES, snapshots=SNAPSHOTS)
    bad_ties = textwrap.dedent(TIES).replace("C1,C3", "C1,C9")
    bad_people = textwrap.dedent(PEOPLE).replace("P02", "P01", 1)  # P01 twice
    bad = write_folder(tmp_path / "bad", people=bad_people, connections=textwrap.dedent(CONNECTIONS).replace("family,1", "family,7"), ties=bad_ties, snapshots=SNAPSHOTS)
    seen = {}
    for spare in (True, False):
        monkeypatch.setattr(_threads, "spare_core", lambda: spare)
        cohort = sc.read_cohort(good)
        with pytest.raises(sc.ValidationError) as info:
            sc.read_cohort(bad)
        seen[spare] = ([t.to_dict("list") for t in (cohort.people, cohort.connections, cohort.ties, cohort.snapshots)], info.value.problems)
    assert seen[True] == seen[False]
    assert {(p.file, p.column) for p in seen[True][1]} >= {("connections.csv", "closeness"), ("ties.csv", "target"), ("people.csv", "person_id")}


def test_a_large_file_read_in_several_blocks_equals_one_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from socialcap import io

    header, *rows = textwrap.dedent(CONNECTIONS).strip().splitlines()
    people = "person_id,name\n" + "".join(f"P{i:05d},Name {i}\n" for i in range(9000))
    body = [f"P{i:05d}" + row[3:] for i in range(9000) for row in rows[:3]]  # P01's first snapshot, for everyone
    body[8] = body[8].replace(",community,", ",commun\x01ity,")  # one bad cell, in the middle of a block
    connections = (header + "\n" + "\n".join(body) + "\n").encode()
    assert len(connections) > 2**20 * 1.5  # more than one block of pyarrow's
    seen = {}
    for spare in (True, False):
        monkeypatch.setattr(_threads, "spare_core", lambda: spare)
        options = io._read_options(len(connections))
        chunks = io.read_csv_text(connections, "connections", "connections.csv").frame["person_id"].array.__arrow_array__().num_chunks
        assert (options.use_threads, chunks > 1) == (spare, spare)
        good = sc.read_cohort(write_folder(tmp_path / f"good{spare}", people=people, connections=connections.replace(b"\x01", b"")))
        with pytest.raises(sc.ValidationError) as info:
            sc.read_cohort(write_folder(tmp_path / f"bad{spare}", people=people, connections=connections))
        seen[spare] = (good.connections, good.snapshots, good.metrics(), info.value.problems)
    for two, one in zip(seen[True][:3], seen[False][:3]):
        pd.testing.assert_frame_equal(two, one)
    assert seen[True][3] == seen[False][3]
    assert [(p.row, p.column) for p in seen[True][3]] == [(10, "domain")]


def test_whole_cohort_work_asks_numpy_for_no_huge_pages_and_gives_the_setting_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from numpy._core import multiarray

    from socialcap import _metrics_arrays, _validate
    from socialcap._pages import small_pages

    seen: list[tuple[str, bool]] = []
    prepare, check = _metrics_arrays.SnapshotArrays.prepare, _validate._check_connections

    def spying_prepare(self: _metrics_arrays.SnapshotArrays, threads: int = 2) -> _metrics_arrays.SnapshotArrays:
        seen.append(("metrics", multiarray._get_madvise_hugepage()))
        return prepare(self, threads)

    def spying_check(table: _validate.RawTable, problems: list[sc.Problem]) -> pd.DataFrame:
        seen.append(("reading", multiarray._get_madvise_hugepage()))
        return check(table, problems)

    monkeypatch.setattr(_metrics_arrays.SnapshotArrays, "prepare", spying_prepare)
    monkeypatch.setattr(_validate, "_check_connections", spying_check)
    folder = write_folder(tmp_path / "c", people=PEOPLE, connections=CONNECTIONS, ties=TIES, snapshots=SNAPSHOTS)
    try:
        for setting in (True, False):
            multiarray._set_madvise_hugepage(setting)
            sc.read_cohort(folder).metrics()
            assert seen[-2:] == [("reading", False), ("metrics", False)]
            assert multiarray._get_madvise_hugepage() is setting  # given back
        multiarray._set_madvise_hugepage(True)
        with pytest.raises(ValueError):
            with small_pages():
                raise ValueError("even after an error")
        assert multiarray._get_madvise_hugepage() is True
    finally:
        multiarray._set_madvise_hugepage(True)
