"""End-to-end tests of the foundation's commands: validate, template, demo."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner

import socialcap as sc
from conftest import write_folder
from socialcap.cli import main


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_validate_says_all_is_well(cohort_dir: Path) -> None:
    code, out, _ = run("validate", str(cohort_dir))
    assert code == 0 and "All is well" in out and "2 people" in out


def test_validate_lists_every_problem_and_exits_1(cohort_dir: Path) -> None:
    (cohort_dir / "people.csv").write_text("person_id,name\nP01,Sam\nP01,Sam\nP02,Alex\n")
    (cohort_dir / "ties.csv").write_text("person_id,date,source,target\nP01,2025-03-01,C1,C9\nP01,2025-03-01,C2,C2\n")
    code, out, err = run("validate", str(cohort_dir))
    assert code == 1 and out == ""
    assert "3 problems" in err
    assert "people.csv, row 3, column 'person_id'" in err
    assert "ties.csv, row 2, column 'target'" in err
    assert "ties.csv, row 3, column 'target'" in err
    assert "Traceback" not in err


def test_validate_a_missing_folder_is_a_clear_message(tmp_path: Path) -> None:
    code, _, err = run("validate", str(tmp_path / "nowhere"))
    assert code == 2 and "does not exist" in err


def test_template_writes_tables_and_a_workbook_with_drop_downs(tmp_path: Path) -> None:
    code, out, _ = run("template", "-o", str(tmp_path / "t"))
    assert code == 0 and "socialcap validate" in out
    book = openpyxl.load_workbook(tmp_path / "t" / "socialcap-template.xlsx")
    assert book.sheetnames == ["guide", "people", "connections", "ties", "snapshots", "assets"]
    lists = {
        next(iter(dv.sqref.ranges)).coord.split(":")[0][:-1]: dv.formula1
        for dv in book["connections"].data_validations.dataValidation
        if dv.type == "list"
    }
    header = [c.value for c in book["connections"][1]]
    by_column = {header[openpyxl.utils.column_index_from_string(k) - 1]: v for k, v in lists.items()}
    assert by_column["kind"] == '"person,group,place"'
    assert by_column["domain"] == '"' + ",".join(sc.vocab.DOMAINS) + '"'
    assert by_column["closeness"] == '"1,2,3"'
    assert by_column["contact"] == '"daily,weekly,monthly,less"'
    assert by_column["asset_id"] == "assets!$A$2:$A$2000"  # the asset_ids listed on the assets sheet
    assert len(sc.read_cohort(tmp_path / "t")) == 0


def test_a_filled_in_template_reads_back(tmp_path: Path) -> None:
    run("template", "-o", str(tmp_path / "t"))
    path = tmp_path / "t" / "socialcap-template.xlsx"
    book = openpyxl.load_workbook(path)
    book["people"].append(["P01", "Sam"])
    book["connections"].append(["P01", "2025-03-01", "C1", "person", "Mum", "family", 1, "daily"])
    book.save(path)
    cohort = sc.read_cohort(path)
    assert cohort.person_ids == ["P01"] and cohort.connections["closeness"].tolist() == [1]
    code, out, _ = run("validate", str(path))
    assert code == 0 and "1 people" in out


def test_help_is_everywhere() -> None:
    for command in ([], ["validate"], ["template"], ["demo"]):
        code, out, _ = run(*command, "--help")
        assert code == 0 and "Usage" in out


def test_bad_input_written_by_hand_never_shows_a_traceback(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "c", people=b"person_id\n\xff\xfe\n", connections="oops\n")
    code, _, err = run("validate", str(folder))
    assert code == 1 and "UTF-8" in err and "connections.csv, row 1" in err


def test_demo_writes_everything_and_its_cohort_validates(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    code, text, _ = run("demo", "-o", str(out), "--people", "12", "--waves", "2", "--seed", "3")
    assert code == 0 and f"Everything is in {out}/" in text
    for part in ("cohort/people.csv", "cohort/connections.csv", "cohort/assets.csv", "metrics.csv", "report/report.html",
                 "egor/egos.csv", "assets.png", "assets.html"):
        assert (out / part).stat().st_size > 0, part
    maps = sorted(p.suffix for p in (out / "maps").iterdir())
    assert maps == [".html", ".pdf", ".png", ".png"]
    code, text, _ = run("validate", str(out / "cohort"))
    assert code == 0 and "All is well" in text and "12 people" in text
    names = set(sc.read_cohort(out / "cohort").people["name"])
    report = (out / "report" / "report.html").read_text()
    assert not any(f">{name}<" in report for name in names)


def test_the_command_runs_as_a_program(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-m", "socialcap", "validate", str(tmp_path)], cwd=root, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert "people.csv: the people table is missing" in done.stderr and "Traceback" not in done.stderr


def test_the_program_leaves_quickly_yet_flushes_its_output_and_runs_its_exit_functions(tmp_path: Path) -> None:
    """`socialcap.cli.run` ends with os._exit (no slow teardown): nothing said or cleaned up may be lost."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    program = (
        "import atexit, sys, tempfile\n"
        "from socialcap.cli import run\n"
        f"leftover = tempfile.TemporaryDirectory(dir={str(tmp_path)!r})\n"  # cleaned up by a weakref finalizer at exit
        "atexit.register(lambda: print('exit functions ran', file=sys.stderr))\n"
        "sys.argv = ['socialcap', *sys.argv[1:]]\n"
        "run()\n"
    )
    folder = tmp_path / "c"
    from conftest import CONNECTIONS, PEOPLE, write_folder

    write_folder(folder, people=PEOPLE, connections=CONNECTIONS)
    done = subprocess.run([sys.executable, "-c", program, "metrics", str(folder), "-o", str(tmp_path / "m.csv")],
                          cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"Wrote 3 snapshots × 30 columns to {tmp_path / 'm.csv'}."]  # flushed to the pipe
    assert done.stderr == "exit functions ran\n"
    assert (tmp_path / "m.csv").read_text().count("\n") == 4  # the header and three snapshots, all written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c", "m.csv"]  # the temporary folder was cleaned up
    done = subprocess.run([sys.executable, "-c", program, "validate", str(tmp_path / "nothing")], cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "does not exist" in done.stderr and done.stderr.endswith("exit functions ran\n")
    done = subprocess.run([sys.executable, "-c", program, "validate", str(tmp_path)], cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "people table is missing" in done.stderr


def test_the_program_asks_numpy_for_no_huge_pages_and_the_library_leaves_them_alone(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    folder = tmp_path / "c"
    from conftest import CONNECTIONS, PEOPLE, write_folder

    write_folder(folder, people=PEOPLE, connections=CONNECTIONS)
    report = "print('huge pages:', __import__('numpy')._core.multiarray._get_madvise_hugepage(), file=sys.stderr)"
    program = f"import atexit, sys\nfrom socialcap.cli import run\natexit.register(lambda: {report})\nsys.argv = ['socialcap', *sys.argv[1:]]\nrun()\n"
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    done = subprocess.run([sys.executable, "-c", program, "metrics", str(folder), "-o", str(tmp_path / "m.csv")],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0 and "huge pages: False" in done.stderr, done.stderr
    library = subprocess.run([sys.executable, "-c", f"import socialcap as sc, sys\nsc.read_cohort({str(folder)!r})\n{report}"],
                             capture_output=True, text=True, timeout=120, env=env)
    assert "huge pages: True" in library.stderr, library.stderr


#: Every command the README lists, each of which must be on the real `socialcap` command.
README_COMMANDS = ("demo", "template", "validate", "map", "change", "metrics", "report", "summary",
                   "pseudonymise", "export", "import")


def test_every_command_is_registered_on_the_installed_program() -> None:
    import shutil
    import subprocess
    import sys

    # The console script pip installed (pyproject's [project.scripts]), else the module.
    script = Path(sys.executable).with_name("socialcap")
    program = [str(script)] if script.exists() else [shutil.which("socialcap") or sys.executable, "-m", "socialcap"]
    done = subprocess.run([*program, "--help"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    listed = {line.split()[0] for line in done.stdout.split("Commands:")[1].splitlines() if line.strip()}
    assert set(README_COMMANDS) <= listed
    for command in README_COMMANDS:
        code, out, _ = run(command, "--help")
        assert code == 0 and "Usage:" in out, command


def test_one_option_name_for_output_and_progress_everywhere(tmp_path: Path) -> None:
    for command in README_COMMANDS:
        code, out, _ = run(command, "--help")
        if "--out" in out.replace("--output", ""):
            raise AssertionError(f"{command} lists --out; it is -o/--output everywhere")
        assert "--no-progress" not in out and "--quiet  " not in out.replace("--progress / --quiet", ""), command
    # The old spelling still works, unlisted.
    code, out, _ = run("template", "--out", str(tmp_path / "blank"))
    assert code == 0 and (tmp_path / "blank" / "people.csv").exists()


def test_the_error_policy_is_the_groups_for_every_command(cohort_dir: Path, tmp_path: Path) -> None:
    cases = [
        (["summary", str(cohort_dir), "--baseline", "someday", "-o", str(tmp_path / "s.csv")], "'someday' is not a way"),
        (["summary", str(cohort_dir), "--by", "postcode", "-o", str(tmp_path / "s.csv"), "--quiet"], "'postcode'"),
        (["report", str(cohort_dir), "--followup", "soon", "-o", str(tmp_path / "r"), "--quiet"], "'soon' is not a way"),
        (["change", str(cohort_dir), "--person", "P01", "--from", "2025-09-01", "--to", "2025-03-01"], "earlier one first"),
        (["map", str(cohort_dir), "--person", "P09", "-o", str(tmp_path / "m.png")], "no person 'P09'"),
        (["export", str(cohort_dir), "--format", "egor", "--person", "P01", "-o", str(tmp_path / "x")], "whole cohort"),
        (["pseudonymise", str(cohort_dir), "--key-file", str(cohort_dir / "people.csv"), "-o", str(cohort_dir)],
         "key file is inside the output folder"),
        (["metrics", str(tmp_path / "nowhere"), "-o", str(tmp_path / "m.csv")], "nowhere"),
    ]
    for argv, message in cases:
        code, _, err = run(*argv)
        assert code in (1, 2) and message in err and "Traceback" not in err, (argv, code, err)


def test_every_command_is_listed_with_its_own_help_and_runs_its_own_module() -> None:
    import click

    from socialcap.cli import COMMANDS

    code, out, _ = run("--help")
    listed = out.split("Commands:")[1]
    ctx = click.Context(main)
    for name, where, text in COMMANDS:
        command = main.get_command(ctx, name)
        assert command is not None and command.name == name
        assert command.callback.__module__ == f"socialcap.cli.{where.partition(':')[0]}"
        # The help listed without importing the module is the command's own first sentence.
        assert text == command.get_short_help_str(limit=10**6)
        assert f"\n  {name} " in listed
        code, out, _ = run(name, "--help")
        assert code == 0 and f"Usage: main {name}" in out


def test_help_starts_without_pandas_and_lists_the_same_as_after_every_command_is_imported() -> None:
    import subprocess
    import sys

    program = (
        "import sys; sys.argv = ['socialcap', '--help']\n"
        "from socialcap.cli import COMMANDS, main, run\n"
        "if len(sys.orig_argv) > 3:  # import every command first\n"
        "    for name, _, _ in COMMANDS:\n"
        "        main.get_command(None, name)\n"
        "import atexit  # run() ends the process itself: report from an exit function\n"
        "atexit.register(lambda: print('loaded:', sorted(m for m in ('pandas', 'numpy', 'pyarrow', 'networkx') if m in sys.modules)))\n"
        "run()\n"
    )
    lazy = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True).stdout
    eager = subprocess.run([sys.executable, "-c", program, "all"], capture_output=True, text=True, check=True).stdout
    lazy_help, loaded = lazy.rsplit("loaded:", 1)
    assert loaded.strip() == "[]"
    assert eager.rsplit("loaded:", 1)[0] == lazy_help and "metrics " in lazy_help


def test_the_console_script_spares_the_garbage_collector_and_idle_threads_and_the_library_never() -> None:
    """`run` (the console script) lets a full collection wait for 100 younger ones, so a
    short command does not walk every imported object twice, freezes what is alive
    when the command is done, so that shutting down does not walk it all again, and
    asks OpenBLAS for no idle worker threads; importing socialcap.cli, as another
    program would, changes none of these."""
    import ast
    import os
    import subprocess
    import sys

    program = (
        "import gc, sys; sys.argv = ['socialcap', '--help']\n"
        "from socialcap.cli import run\n"
        "import os\n"
        "print('imported:', (gc.get_threshold(), gc.get_freeze_count(), os.environ.get('OPENBLAS_NUM_THREADS')))\n"
        "import atexit  # run() ends the process itself: report from an exit function\n"
        "atexit.register(lambda: print('after run:', (gc.get_threshold(), gc.get_freeze_count(), os.environ.get('OPENBLAS_NUM_THREADS'))))\n"
        "run()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True, env=env).stdout
    imported = ast.literal_eval(out.split("imported:")[1].splitlines()[0].strip())
    ran = ast.literal_eval(out.split("after run:")[1].strip())
    assert imported == ((700, 10, 10), 0, None)  # Python's own; numpy's matrix library left alone
    assert ran[0] == (700, 10, 100) and ran[1] > 1000 and ran[2] == "1"
    # A setting of the user's wins.
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True,
                         env={**env, "OPENBLAS_NUM_THREADS": "2"}).stdout
    assert ast.literal_eval(out.split("after run:")[1].strip())[2] == "2"
