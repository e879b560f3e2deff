"""``socialcap export`` and ``socialcap import`` from the command line."""

from __future__ import annotations

from pathlib import Path

import click
import networkx as nx
import pandas as pd
from click.testing import CliRunner

import socialcap as sc
from socialcap.cli.interop import export, import_

from test_interop_egor import small_cohort

DATA = Path(__file__).parent / "data" / "networkcanvas"


@click.group()
def cli() -> None:
    """A local group, as the lead registers the commands on `socialcap.cli.main`."""


cli.add_command(export)
cli.add_command(import_)


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
    assert code == 1 and "did you mean 'domain'?" in err and "Traceback" not in err
    code, _, err = run("import", "egor", DATA / "csv", "-o", tmp_path / "x")
    assert code == 1 and "egos.csv is missing" in err


def test_import_egor_says_which_r_dialect_it_read(tmp_path: Path) -> None:
    from test_interop_egor import r_csv

    written = sc.interop.write_egor(small_cohort(), tmp_path / "out")
    (tmp_path / "r").mkdir()
    for name in ("egos.csv", "alters.csv", "aaties.csv"):
        r_csv(pd.read_csv(written / name, dtype=str, keep_default_na=False), tmp_path / "r" / name, csv2=True)
    code, out, _ = run("import", "egor", tmp_path / "r", "-o", tmp_path / "back")
    assert code == 0 and "as semicolon-separated (R's write.csv2" in out
    assert sc.read_cohort(tmp_path / "back") == small_cohort()


def socialcap(*args: object) -> tuple[int, str, str]:
    """The real command, as a user runs it."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "socialcap", *map(str, args)], capture_output=True, text=True)
    return done.returncode, done.stdout, done.stderr


def fill(mapping: str, value: str, word: str) -> str:
    """Choose ``word`` for ``value`` where the starting mapping left it as "" (a bare or quoted key)."""
    import re

    return re.sub(rf'^("?){re.escape(value)}\1 = ""', lambda m: f'{m.group(1)}{value}{m.group(1)} = "{word}"', mapping, flags=re.M)


def test_a_starting_mapping_for_egor_lists_what_is_left_then_imports(tmp_path: Path) -> None:
    from test_interop_egor import study

    folder = study(tmp_path / "study", csv2=True)
    code, _, err = socialcap("import", "egor", folder, "--write-mapping", tmp_path / "mapping.toml", "-o", tmp_path / "x")
    assert code == 2 and "imports nothing" in err
    code, _, err = socialcap("import", "egor", folder, "--write-mapping", tmp_path / "mapping.csv")
    assert code == 2 and "name it mapping.toml" in err
    code, out, _ = socialcap("import", "egor", folder, "--write-mapping", tmp_path / "mapping.toml")
    assert code == 0 and "5 choices are still to make" in out
    text = (tmp_path / "mapping.toml").read_text()
    sc.interop.EgorMapping.from_file(tmp_path / "mapping.toml")  # a valid mapping as written
    for value in ('Mother = ""', '"Youth worker" = ""', '"very close" = ""', "#   sex: 2 values:"):
        assert value in text
    code, out, err = socialcap("import", "egor", folder, "--mapping", tmp_path / "mapping.toml", "-o", tmp_path / "cohort")
    assert code == 1 and "Traceback" not in err and not (tmp_path / "cohort").exists()
    left = [line.split("column ")[1].split(":")[0] for line in err.splitlines() if "still to choose" in line]
    assert 'date = "interview"' in text  # the column of dates, guessed
    assert left == ["'values.closeness.not so close'", "'values.closeness.somewhat close'",
                    "'values.closeness.very close'", "'values.domain.Mother'", "'values.domain.Youth worker'"]
    assert 'Friend = "friend"' in text  # a value that is socialcap's word but for case is filled in
    filled = text.replace('person_id = "egoID"', 'person_id = "participant"')
    for value, word in (("Mother", "family"), ("Friend", "friend"), ("Youth worker", "professional"),
                        ("very close", "1"), ("somewhat close", "2"), ("not so close", "3")):
        filled = fill(filled, value, word)
    (tmp_path / "mapping.toml").write_text(filled)
    code, out, err = socialcap("import", "egor", folder, "--mapping", tmp_path / "mapping.toml", "-o", tmp_path / "cohort")
    assert code == 0, err
    assert "Read egos.csv, alters.csv and aaties.csv as semicolon-separated (R's write.csv2), with decimal commas (in aaties.csv)." in out
    assert "Imported 2 people, 3 snapshots and 6 connection rows" in out
    assert sc.read_cohort(tmp_path / "cohort").snapshot("P01", "2025-03-01").connections["domain"].tolist() == ["family", "friend", "professional"]


def test_a_starting_mapping_for_network_canvas_with_its_own_names(tmp_path: Path) -> None:
    code, out, _ = socialcap("import", "networkcanvas", DATA / "csv", "--write-mapping", tmp_path / "mapping.toml")
    assert code == 0
    text = (tmp_path / "mapping.toml").read_text()
    sc.interop.NetworkCanvasMapping.from_file(tmp_path / "mapping.toml")
    assert 'domain = "relationship"' in text and 'Worker = ""' in text and "Venue" not in text
    assert '#   relationship: options "Family", "Partner", "Friend"' in text
    code, _, err = socialcap("import", "networkcanvas", DATA / "csv", "--mapping", tmp_path / "mapping.toml", "-o", tmp_path / "nc")
    assert code == 1 and "Traceback" not in err and "values.domain.Worker': still to choose" in err
    # Without any mapping, the domain the protocol asks as 'relationship' is said to be missing, once.
    code, _, err = socialcap("import", "networkcanvas", DATA / "csv", "-o", tmp_path / "nc")
    assert code == 1 and err.count("domain is empty") == 1 and "--write-mapping mapping.toml" in err
    # Guessed from the names: each node type's own domain variable, the ward, the young person's answers.
    for line in ('domain = "group_type"', 'domain = "place_type"', 'ward = "home_ward"', 'ons_lonely = "lonely"',
                 'ucla_companionship = "companionship"', "Education_work = \"education_work\""):
        assert line in text
    # Filled in, it imports the sample as the hand-written mapping does.
    filled = text
    for value, word in (("Worker", "professional"), ("Talk", "emotional"), ("Help", "practical"), ("Every_week", "weekly"),
                        ("Every_day", "daily"), ("Every_month", "monthly"), ("1", "often_always"), ("2", "some_of_the_time"),
                        ("4", "hardly_ever")):
        filled = fill(filled, value, word)
    filled = filled.replace('date = "sessionStart"', 'date = "interview_date"').replace('part_of = "part_of"', 'part_of = "belongs"')
    filled = filled.replace('# connection_id = "name"', 'connection_id = "name"')
    (tmp_path / "mapping.toml").write_text(filled)
    code, out, err = socialcap("import", "networkcanvas", DATA / "csv", "--mapping", tmp_path / "mapping.toml", "-o", tmp_path / "nc")
    assert code == 0, err
    by_hand = sc.interop.read_networkcanvas(DATA / "csv", DATA / "mapping.toml")
    assert sc.read_cohort(tmp_path / "nc") == by_hand
