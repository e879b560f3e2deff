"""The file endings a map can be saved as: known before any drawing code is imported
(``socialcap map -o`` checks the ending as soon as it reads the option)."""

from __future__ import annotations

__all__ = ["FORMATS"]

#: File endings `socialcap.maps.save` understands.
FORMATS: tuple[str, ...] = (".png", ".svg", ".pdf", ".html")
