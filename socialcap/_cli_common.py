"""What every command shares: reading a cohort with every problem listed, never a traceback."""

from __future__ import annotations

from pathlib import Path

import click

from ._exceptions import ValidationError

__all__ = ["load_cohort"]


def load_cohort(path: str | Path) -> object:
    """Read a cohort for a command; on bad input print every problem and exit 1."""
    from .io import read_cohort

    try:
        return read_cohort(path)
    except ValidationError as error:
        click.echo(str(error), err=True)
        raise SystemExit(1) from None
    except FileNotFoundError as error:
        click.echo(f"socialcap: {error}", err=True)
        raise SystemExit(1) from None
