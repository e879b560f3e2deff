"""The commands on a store (SPEC §9): copy, erase, and reading commands given a store,
on a real SQLite file and a real PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

import socialcap as sc
from socialcap.cli import main


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_copy_folder_to_store_to_workbook_and_back(cohort_dir: Path, store_url: str, tmp_path: Path) -> None:
    code, out, _ = run("copy", str(cohort_dir), store_url, "--saved-by", "jo")
    assert code == 0 and "Copied 2 people and 4 maps" in out and "(6 new versions)" in out
    assert sc.read_cohort(store_url) == sc.read_cohort(cohort_dir)
    with sc.open_store(store_url) as store:
        assert store.history("P01", "2025-03-01")[0]["saved_by"] == "jo"
    code, out, _ = run("copy", store_url, str(tmp_path / "back.xlsx"))
    assert code == 0 and sc.read_cohort(tmp_path / "back.xlsx") == sc.read_cohort(cohort_dir)
    code, out, _ = run("copy", store_url, str(tmp_path / "back"))
    assert code == 0 and sc.read_cohort(tmp_path / "back") == sc.read_cohort(cohort_dir)
    code, out, _ = run("copy", str(cohort_dir), store_url)  # nothing changed: nothing added
    assert code == 0 and "(0 new versions)" in out


def test_commands_read_a_store(cohort_dir: Path, store_url: str, tmp_path: Path) -> None:
    sc.write_cohort(sc.read_cohort(cohort_dir), store_url)
    code, out, _ = run("validate", store_url)
    assert code == 0 and "All is well" in out and "2 people" in out
    code, _, _ = run("metrics", store_url, "-o", str(tmp_path / "from-store.csv"))
    assert code == 0
    code, _, _ = run("metrics", str(cohort_dir), "-o", str(tmp_path / "from-folder.csv"))
    assert code == 0
    assert (tmp_path / "from-store.csv").read_bytes() == (tmp_path / "from-folder.csv").read_bytes()
    code, out, _ = run("change", store_url, "--person", "P01")
    assert code == 0 and "From" in out
    code, _, _ = run("export", store_url, "--format", "egor", "-o", str(tmp_path / "egor"))
    assert code == 0 and (tmp_path / "egor" / "egos.csv").exists()


def test_one_persons_map_reads_only_their_rows_from_a_store(cohort_dir: Path, store_url: str, tmp_path: Path,
                                                            monkeypatch) -> None:
    """`socialcap map` and `socialcap change` on a store ask it for one person's maps
    (`Store.timeline`), never the whole cohort, and draw what the folder gives."""
    from socialcap.store._store import Store

    sc.write_cohort(sc.read_cohort(cohort_dir), store_url)

    def whole(*args: object, **kwargs: object) -> None:
        raise AssertionError("read the whole cohort for one person's map")

    monkeypatch.setattr(Store, "read_cohort", whole)
    for ending in (".png", ".html"):
        from_store, from_folder = tmp_path / f"store{ending}", tmp_path / f"folder{ending}"
        code, out, err = run("map", store_url, "--person", "P01", "-o", str(from_store))
        assert code == 0 and out.startswith("Wrote the map of P01 on 2025-09-01"), err
        assert run("map", str(cohort_dir), "--person", "P01", "-o", str(from_folder))[0] == 0
        assert from_store.read_bytes() == from_folder.read_bytes()
    code, out, _ = run("map", store_url, "--person", "P01", "--date", "2025-03-01", "-o", str(tmp_path / "early.png"))
    assert code == 0 and "on 2025-03-01" in out
    code, out, _ = run("change", store_url, "--person", "P01")
    assert code == 0 and out.startswith("From 1 March 2025 to 1 September 2025")
    code, _, err = run("map", store_url, "--person", "P09", "-o", str(tmp_path / "x.png"))
    assert code == 1 and "no person 'P09'" in err and "Traceback" not in err
    code, _, err = run("map", store_url, "--person", "P01", "--date", "2025-01-02", "-o", str(tmp_path / "x.png"))
    assert code == 1 and "no snapshot on 2025-01-02" in err


def test_copy_as_of_a_moment(cohort_dir: Path, store_url: str, tmp_path: Path) -> None:
    run("copy", str(cohort_dir), store_url)
    code, _, err = run("copy", store_url, str(tmp_path / "old"), "--as-of", "2000-01-01")
    assert code == 0, err
    assert len(sc.read_cohort(tmp_path / "old")) == 0


def test_erase_asks_first_and_then_erases(cohort_dir: Path, store_url: str) -> None:
    sc.write_cohort(sc.read_cohort(cohort_dir), store_url)
    code, out, err = run("erase", store_url, "--person", "P01", input="n\n")
    assert code == 1 and "cannot be undone" in out
    assert "P01" in sc.read_cohort(store_url).person_ids
    code, out, _ = run("erase", store_url, "--person", "P01", input="y\n")
    assert code == 0 and "Erased P01" in out and "3 saved versions" in out
    assert sc.read_cohort(store_url).person_ids == ["P02"]
    code, _, err = run("erase", store_url, "--person", "P01", "--yes")
    assert code == 1 and "no person 'P01'" in err and "Traceback" not in err


def test_erase_refuses_a_folder(cohort_dir: Path) -> None:
    code, _, err = run("erase", str(cohort_dir), "--person", "P01", "--yes")
    assert code == 2 and "is not a store" in err


def test_a_password_is_never_printed(tmp_path: Path) -> None:
    url = "postgresql://maps:s3cret@127.0.0.1:1/maps"  # nothing listens on port 1
    for args in (("validate", url), ("copy", url, str(tmp_path / "x")), ("metrics", url, "-o", str(tmp_path / "m.csv"))):
        code, out, err = run(*args)
        assert code == 1 and "s3cret" not in out + err and "maps:***@" in err and "Traceback" not in err


def test_a_missing_store_is_a_clear_message(tmp_path: Path) -> None:
    code, _, err = run("metrics", str(tmp_path / "nothing.db"), "-o", str(tmp_path / "m.csv"))
    assert code == 2 and "does not exist" in err
    assert not (tmp_path / "nothing.db").exists()


def test_the_demo_writes_a_store(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "socialcap", "demo", "-o", str(tmp_path / "demo"), "--people", "6", "--waves", "2"],
        capture_output=True, text=True, check=True,
    )
    assert "maps.db" in done.stdout
    from_store = sc.read_cohort(tmp_path / "demo" / "maps.db")
    assert from_store == sc.read_cohort(tmp_path / "demo" / "cohort")
    metrics = pd.read_csv(tmp_path / "demo" / "metrics.csv")
    assert len(metrics) == len(from_store.snapshots)
