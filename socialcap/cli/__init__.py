"""The ``socialcap`` command: thin wrappers that parse arguments, call the library and print.

Each group of commands is one module of this package (``socialcap/cli/<topic>.py``)
and is registered here, in `COMMANDS`: a command's module is imported only when that
command runs, so ``socialcap --help`` starts in a fraction of a second.  One error policy serves them all (:class:`SocialcapGroup`):
bad input is reported as a list of problems and exit code 1, never a traceback.
"""

from __future__ import annotations

import atexit
import importlib
import os
import sys
import threading
from pathlib import Path
from typing import NoReturn

import click
from click.utils import make_default_short_help

from ._common import (COHORT, collect_garbage_less_often, keep_freed_memory, leave_quickly, load_cohort,
                      no_idle_matrix_threads, output_option)
from .._exceptions import SocialcapError, ValidationError

__all__ = ["COMMANDS", "SocialcapGroup", "main", "load_cohort", "run"]

#: Every command kept in its own module: (name, "module:attribute" in socialcap/cli/,
#: the first sentence of its help).  The help is what ``socialcap --help`` lists
#: without importing the module; tests/test_cli.py checks it against the command.
#: Add a command with one line here.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("map", "maps:map_command", "Draw one person's relationship map (circles map) from a cohort folder or .xlsx file."),
    ("change", "maps:change_command", "Show what changed between two snapshots of one person, and draw it with -o."),
    ("metrics", "metrics:metrics", "Measure every snapshot of a cohort and write one row per snapshot to a file."),
    ("report", "report:report_command", "Write an offline HTML report of a cohort: isolation per map, change by ward and age band."),
    ("summary", "report:summary_command", "Write baseline, follow-up and change per group as CSV, small groups blanked."),
    ("pseudonymise", "report:pseudonymise_command", "Replace ids by keyed pseudonyms and remove names and free text, for an analyst."),
    ("export", "interop:export", "Write a cohort (a folder of CSV files or an .xlsx workbook) for another tool."),
    ("import", "interop:import_", "Read another tool's files and write them as a socialcap cohort."),
    ("copy", "store:copy_command", "Copy a cohort between a folder of CSV files, an .xlsx workbook and a store."),
    ("erase", "store:erase_command", "Erase one person, every map of theirs and all its history from a store, for good."),
    ("assets", "community:assets_command", "The groups and places young people share: how many young people's maps hold each."),
    ("serve", "serve:serve_command", "Draw and change young people's maps together, in the browser, saving every change."),
)


class SocialcapGroup(click.Group):
    """The one error policy of every command: a :class:`SocialcapError` (bad input, a
    conflict, something not found) or an output that cannot be written becomes a message
    on standard error and exit code 1, never a traceback.

    Commands listed in `COMMANDS` are imported when first asked for by name.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *(name for name, _, _ in COMMANDS)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            for name, where, _ in COMMANDS:
                if name == cmd_name:
                    module, _, attribute = where.partition(":")
                    self.add_command(getattr(importlib.import_module(f".{module}", __name__), attribute), name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The list of commands, as click writes it, from `COMMANDS` for those not yet imported."""
        lazy = {name: text for name, _, text in COMMANDS}
        rows: list[tuple[str, click.Command | str]] = []
        for name in self.list_commands(ctx):
            command = self.commands.get(name)
            if command is None:
                rows.append((name, lazy[name]))
            elif not command.hidden:
                rows.append((name, command))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section("Commands"):
                formatter.write_dl(
                    [(name, make_default_short_help(c, limit) if isinstance(c, str) else c.get_short_help_str(limit))
                     for name, c in rows]
                )

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except SocialcapError as error:
            click.echo(f"socialcap: {error}" if not isinstance(error, ValidationError) else str(error), err=True)
            ctx.exit(1)
        except OSError as error:
            click.echo(f"socialcap: {_os_message(error)}", err=True)
            ctx.exit(1)


def _os_message(error: OSError) -> str:
    """An operating system's refusal in plain words, naming the file."""
    where = f" {error.filename}" if error.filename else ""
    reason = error.strerror or str(error)
    return f"cannot use{where}: {reason}"


@click.group(
    cls=SocialcapGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    invoke_without_command=True,
)
@click.version_option(package_name="socialcap")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Map a young person's people, groups and places, measure isolation and connectedness,
    and see how both change over time.

    Start with `socialcap demo` to see everything on a fictional cohort.
    """
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


@main.command()
@click.argument("folder", type=COHORT)
def validate(folder: Path) -> None:
    """Check a cohort (a folder of CSV files, an .xlsx workbook or a store) and list every problem.

    Each problem names the file, the row as a spreadsheet shows it (the header is
    row 1) and the column.  Exits with 1 when there is anything to fix.
    """
    from ..store import display_url

    cohort = load_cohort(folder)
    click.echo(
        f"All is well: {display_url(folder)} holds {len(cohort.people)} people, "
        f"{len(cohort.snapshots)} snapshots and {len(cohort.connections)} connection rows."
    )


@main.command()
@output_option("folder", type=click.Path(file_okay=False, path_type=Path), required=True,
               help="Folder to write the blank tables and the workbook into.")
def template(folder: Path) -> None:
    """Write blank tables to fill in: CSV files, and an .xlsx workbook with drop-down lists."""
    from ..template import WORKBOOK_NAME, write_template

    write_template(folder)
    click.echo(f"Wrote blank tables to {folder}/ - fill in {folder / WORKBOOK_NAME} or the CSV files,")
    click.echo(f"then check them with: socialcap validate {folder / WORKBOOK_NAME}")


@main.command()
@output_option("folder", type=click.Path(file_okay=False, path_type=Path),
               default=Path("socialcap-demo"), show_default=True, help="Folder to write everything into.")
@click.option("--people", type=click.IntRange(min=1), default=40, show_default=True,
              help="How many fictional young people.")
@click.option("--waves", type=click.IntRange(min=1), default=3, show_default=True,
              help="How many times each map is drawn.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed: the same seed gives the same cohort.")
def demo(folder: Path, people: int, waves: int, seed: int) -> None:
    """Show everything socialcap does, on a fictional cohort: its tables, metrics, maps and a report."""
    from .._demo import run_demo

    for line in run_demo(folder, people=people, waves=waves, seed=seed):
        click.echo(line)


def run() -> None:  # pragma: no cover - the console script
    no_idle_matrix_threads()
    keep_freed_memory()
    collect_garbage_less_often()
    try:
        main()
    except SocialcapError as error:
        click.echo(f"socialcap: {error}", err=True)
        code: object = 1
    except SystemExit as done:  # click ends every command this way
        code = done.code
    else:
        code = 0
    _leave(code)


def _leave(code: object) -> NoReturn:
    """End the command's process without taking its memory apart piece by piece.

    After a large cohort, Python's own shutdown (freeing every table and module, then
    handing the memory back) took 0.3-1 s on a two-core virtual machine: a tenth to a
    quarter of ``socialcap metrics``.  The exit functions still run (``atexit``, and
    with them ``weakref.finalize`` clean-ups such as temporary folders) and the
    standard streams are flushed; every file a command writes is closed before it
    returns.  When another thread is still running, Python's usual exit waits for it.
    """
    if isinstance(code, str):  # sys.exit("message")
        print(code, file=sys.stderr)
        code = 1
    status = 0 if code is None else code if isinstance(code, int) else 1
    leave_quickly()  # for the exit below, or Python's own when a thread still runs
    if threading.active_count() > 1:
        sys.exit(status)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed or broken pipe: nothing more to say
            pass
    os._exit(status)
