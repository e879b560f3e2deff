"""`python -m socialcap`: the same as the `socialcap` command."""

from .cli import run

run()
