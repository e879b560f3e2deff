"""`python -m socialcap`: the same as the `socialcap` command."""

from .cli import run

if __name__ == "__main__":
    run()
