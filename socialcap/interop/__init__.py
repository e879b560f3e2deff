"""Meet users in the tools they already use: egor (R), Gephi, web tools, Network Canvas, networkx.

::

    from socialcap.interop import (
        write_egor, read_egor,            # egor's three files, for R
        EgorMapping, write_egor_mapping,  # a study's own egor files, through a mapping
        write_graph, write_graphs,        # GraphML, GEXF, node-link JSON
        from_networkx,                    # any networkx graph around one person
        read_networkcanvas,               # Network Canvas CSV or GraphML exports
        write_networkcanvas_mapping,      # a starting mapping for an export
    )
"""

from __future__ import annotations

from .egor import EgorMapping, read_egor, write_egor, write_egor_mapping
from .graphs import FORMATS, export_graph, node_link_data, node_link_schema, write_graph, write_graphs
from .networkcanvas import NetworkCanvasMapping, read_networkcanvas, write_networkcanvas_mapping
from .networkx_graph import from_networkx

__all__ = [
    "EgorMapping",
    "FORMATS",
    "NetworkCanvasMapping",
    "export_graph",
    "from_networkx",
    "node_link_data",
    "node_link_schema",
    "read_egor",
    "read_networkcanvas",
    "write_egor",
    "write_egor_mapping",
    "write_graph",
    "write_graphs",
    "write_networkcanvas_mapping",
]
