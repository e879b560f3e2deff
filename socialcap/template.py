"""Blank tables for a coordinator to fill in: CSV files and a workbook with drop-down lists.

The workbook has one sheet per table (people, connections, ties, snapshots, assets)
whose cells offer drop-down lists for kind, domain, closeness, contact, paid, hope, the
loneliness questions and the community assets listed on the assets sheet, a sheet
of short guidance, and nothing else; socialcap reads it
back directly with `socialcap.read_cohort("socialcap-template.xlsx")`.

Examples
--------
>>> import tempfile, socialcap as sc
>>> from socialcap.template import write_template
>>> folder = write_template(tempfile.mkdtemp())
>>> sorted(p.name for p in folder.iterdir())
['assets.csv', 'connections.csv', 'people.csv', 'snapshots.csv', 'socialcap-template.xlsx', 'ties.csv']
>>> len(sc.read_cohort(folder / "socialcap-template.xlsx"))
0
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from . import vocab
from .io import atomic_write, write_table

__all__ = ["write_template", "WORKBOOK_NAME"]

WORKBOOK_NAME = "socialcap-template.xlsx"
ROWS_WITH_LISTS = 2000  # how far down the drop-down lists reach

#: A short help text per column, shown when a cell of that column is selected.
HELP: dict[str, str] = {
    "person_id": "The young person's id, the same in every table (for example P01).",
    "name": "A name or label to show on the map. Never put in analyst outputs.",
    "birth_year": "Year of birth, for example 2007.",
    "ward": "The ward the young person lives in.",
    "start_date": "When coordination started, as YYYY-MM-DD.",
    "date": "The date the map was drawn, as YYYY-MM-DD. One date = one snapshot.",
    "connection_id": "An id for this connection; use the same id on later dates for the same connection.",
    "kind": "person, group or place.",
    "domain": "Which part of life: " + ", ".join(vocab.DOMAINS) + ".",
    "closeness": "For people: 1 closest, 2 close, 3 further out.",
    "contact": "How often they see or hear from each other: " + ", ".join(vocab.CONTACT) + ".",
    "support_received": "What the young person gets: any of " + "; ".join(vocab.SUPPORT_TYPES) + ", separated by ;",
    "support_given": "What the young person gives: any of " + "; ".join(vocab.SUPPORT_TYPES) + ", separated by ;",
    "paid": "true for a paid, formal relationship; left empty means true for professionals, false otherwise.",
    "since": "When the relationship began, as YYYY-MM-DD (optional).",
    "hope": "true for someone or something the young person would like in their life and does not have yet "
    "(a team, a job, a friend nearby); leave contact, support and paid empty. Empty means false.",
    "source": "The connection_id at one end of the tie.",
    "target": "The connection_id at the other end of the tie.",
    "ucla_companionship": "How often do you feel that you lack companionship? 1 hardly ever, 2 some of the time, 3 often.",
    "ucla_left_out": "How often do you feel left out? 1 hardly ever, 2 some of the time, 3 often.",
    "ucla_isolated": "How often do you feel isolated from others? 1 hardly ever, 2 some of the time, 3 often.",
    "ons_lonely": "How often do you feel lonely? " + ", ".join(vocab.ONS_LONELY) + ".",
    "asset_id": "For a group or place that other young people share too: its asset_id from the assets sheet.",
    "openreferral_id": "The asset's id in the council's Open Referral UK service directory, if it has one.",
}

#: Drop-down lists, by column.
CHOICES: dict[str, tuple[str, ...]] = {
    "kind": vocab.KINDS,
    "domain": vocab.DOMAINS,
    "closeness": tuple(str(c) for c in vocab.CLOSENESS),
    "contact": vocab.CONTACT,
    "paid": ("true", "false"),
    "hope": ("true", "false"),
    **{item: tuple(str(v) for v in vocab.UCLA_VALUES) for item in vocab.UCLA_ITEMS},
    "ons_lonely": vocab.ONS_LONELY,
}

DATE_COLUMNS = ("date", "start_date", "since")
#: Drop-down lists that differ on one sheet: an asset is a group or a place.
SHEET_CHOICES: dict[tuple[str, str], tuple[str, ...]] = {("assets", "kind"): vocab.ASSET_KINDS}
#: Drop-down lists drawn from another sheet: the asset_ids listed on the assets sheet.
SHEET_LISTS: dict[tuple[str, str], str] = {("connections", "asset_id"): f"assets!$A$2:$A${ROWS_WITH_LISTS}"}

GUIDE = [
    "How to fill in this workbook",
    "",
    "people: one row per young person. connections: one row per person, group or place in their life, "
    "for each date a map is drawn. ties: who knows whom (optional). snapshots: what the young person says "
    "of themselves on a date, and maps with nobody in them (optional).",
    "Pick values from the drop-down lists. Write dates as YYYY-MM-DD.",
    "Use the same connection_id for the same connection on every date, so changes over time can be seen.",
    "hope: set it to true for someone or something the young person would like in their life and does not have "
    "yet. A hope is drawn on the map but never counted as a connection. When it comes true, keep its "
    "connection_id and set hope to false on that date's row.",
    "assets: the groups and places several young people share (optional). List each once with an asset_id, "
    "then pick that asset_id on the group or place in connections. Leave the assets sheet empty if you do not use it.",
    "Check the workbook with:  socialcap validate socialcap-template.xlsx",
]


def _tables() -> dict[str, tuple[str, ...]]:
    """Each table's columns as the template offers them: optional known columns included."""
    return {name: columns + vocab.OPTIONAL_COLUMNS.get(name, ()) for name, columns in vocab.TABLES.items()}


def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype="str") for c in columns})


def _workbook(path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    guide = book.active
    guide.title = "guide"
    for line in GUIDE:
        guide.append([line])
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 110
    header_fill = PatternFill("solid", fgColor="E8F1F8")
    for name, columns in _tables().items():
        sheet = book.create_sheet(name)
        sheet.append(list(columns))
        sheet.freeze_panes = "A2"
        for i, column in enumerate(columns, start=1):
            letter = get_column_letter(i)
            cell = sheet.cell(row=1, column=i)
            cell.font = Font(bold=True)
            cell.fill = header_fill
            sheet.column_dimensions[letter].width = max(12, len(column) + 4)
            cells = f"{letter}2:{letter}{ROWS_WITH_LISTS}"
            choices = SHEET_CHOICES.get((name, column), CHOICES.get(column))
            if (name, column) in SHEET_LISTS:
                rule = DataValidation(
                    type="list",
                    formula1=SHEET_LISTS[(name, column)],
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle=f"{column}",
                    error="Please pick an asset_id listed on the assets sheet (add the asset there first).",
                )
            elif choices:
                rule = DataValidation(
                    type="list",
                    formula1='"' + ",".join(choices) + '"',
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle=f"{column}",
                    error=f"Please pick one of: {', '.join(choices)}",
                )
            else:
                rule = DataValidation(allow_blank=True)
            rule.promptTitle = column[:32]
            rule.prompt = HELP.get(column, "")[:255]
            rule.showInputMessage = True
            sheet.add_data_validation(rule)
            rule.add(cells)
            if column in DATE_COLUMNS:
                for row in range(2, ROWS_WITH_LISTS + 1):
                    sheet.cell(row=row, column=i).number_format = "yyyy-mm-dd"
    with atomic_write(path) as handle:
        book.save(handle)


def write_template(folder: str | os.PathLike[str]) -> Path:
    """Write blank CSV tables and a workbook with drop-down lists into ``folder``.

    ``folder`` is made when it does not exist yet; returns it as a `pathlib.Path`.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> folder = write_template(tempfile.mkdtemp())
    >>> pd.read_csv(folder / "people.csv").columns.tolist()
    ['person_id', 'name', 'birth_year', 'ward', 'start_date']
    >>> (folder / WORKBOOK_NAME).exists()
    True
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, columns in _tables().items():
        write_table(_empty(columns), folder / f"{name}.csv")
    _workbook(folder / WORKBOOK_NAME)
    return folder
