"""The ``socialcap serve`` command: draw maps together in a local web app.

Thin: it refuses a folder or workbook (the app saves every change as a new version,
which only a store keeps), then hands the store to `socialcap.app.serve`.
"""

from __future__ import annotations

import click

from .._exceptions import SocialcapError

__all__ = ["serve_command"]


@click.command("serve")
@click.argument("store")
@click.option("--port", type=click.IntRange(min=0, max=65535), default=0, show_default=True,
              help="Port to listen on (on 127.0.0.1 only); 0 picks a free one.")
@click.option("--no-browser", is_flag=True, help="Print the address but do not open a browser.")
def serve_command(store: str, port: int, no_browser: bool) -> None:
    """Draw and change young people's maps together, in the browser, saving every change.

    STORE is a store (a .db file, sqlite:///... or postgresql://...).  The address
    printed holds a secret key: open it on this computer.  Stop with Ctrl+C.
    """
    from ..app import serve
    from ..store import is_store

    if not is_store(store):
        raise SocialcapError(
            f"{store} is not a store, and the app saves every change as a new version, which only a store keeps. "
            f"Copy it into one first, then serve that:\n"
            f"    socialcap copy {store} maps.db\n"
            f"    socialcap serve maps.db"
        )
    serve(store, port=port, open_browser=not no_browser)
