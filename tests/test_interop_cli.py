"""``socialcap export`` and ``socialcap import`` from the command line."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
from click.testing import CliRunner

import socialcap as sc
from socialcap.cli import main

from test_interop_egor import small_cohort

DATA = Path(__file__).parent / "data" / "networkcanvas"


#: The real `socialcap` command, so export or import left unregistered fails here.
cli = main


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_export_egor_and_import_it_back(tmp_path: Path) -> None:
    cohort = small_cohort()
    sc.write_cohort(cohort, tmp_path / "cohort")
    code, out, _ = run("export", tmp_path / "cohort", "--format", "egor", "-o", tmp_path / "r")
    assert code == 0 and "threefiles_to_egor" in out
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == ["aaties.csv", "alters.csv", "egos.csv"]
    code, out, _ = run("import", "egor", tmp_path / "r", "-o", tmp_path / "back")
    assert code == 0 and "3 people, 3 snapshots and 5 connection rows" in out
    assert sc.read_cohort(tmp_path / "back") == cohort


def test_export_graphs_for_a_cohort_or_one_person(tmp_path: Path) -> None:
    sc.write_cohort(small_cohort(), tmp_path / "cohort")
    code, out, _ = run("export", tmp_path / "cohort", "--format", "gexf", "-o", tmp_path / "gephi")
    assert code == 0 and "Wrote 3 gexf files" in out
    assert (tmp_path / "gephi" / "index.csv").exists()
    code, out, _ = run("export", tmp_path / "cohort", "--format", "graphml", "--person", "P01", "-o", tmp_path / "p01.graphml")
    assert code == 0 and "2025-09-01" in out  # the latest map by default
    assert set(nx.read_graphml(tmp_path / "p01.graphml").nodes) == {"P01", "C1", "C3"}
    code, _, err = run("export", tmp_path / "cohort", "--format", "json", "--person", "P09", "-o", tmp_path / "x.json")
    assert code == 1 and "no person 'P09'" in err and "Traceback" not in err
    code, _, err = run("export", tmp_path / "cohort", "--format", "egor", "--person", "P01", "-o", tmp_path / "x")
    assert code == 2 and "--person works with graphml" in err


def test_import_network_canvas(tmp_path: Path) -> None:
    code, out, _ = run("import", "networkcanvas", DATA / "csv", "--mapping", DATA / "mapping.toml", "-o", tmp_path / "nc")
    assert code == 0 and "2 people, 3 snapshots and 12 connection rows" in out
    assert len(sc.read_cohort(tmp_path / "nc").timeline("P01")) == 2


def test_import_lists_every_problem_without_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[connections]\ndomian = "relationship"\n')
    code, _, err = run("import", "networkcanvas", DATA / "csv", "--mapping", bad, "-o", tmp_path / "nc")
    assert code == 1 and "bad.toml" in err and "did you mean 'domain'?" in err and "Traceback" not in err
    assert not (tmp_path / "nc").exists()  # nothing is written until there are no problems
    code, _, err = run("import", "egor", DATA / "csv", "--mapping", bad, "-o", tmp_path / "x")
    assert code == 2 and "--mapping is for networkcanvas" in err
    code, _, err = run("import", "egor", DATA / "csv", "-o", tmp_path / "x")
    assert code == 1 and "egos.csv is missing" in err
