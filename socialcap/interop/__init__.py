"""Meet users in the tools they already use: egor (R), Gephi, web tools, Network Canvas, networkx.

::

    from socialcap.interop import (
        write_egor, read_egor,            # egor's three files, for R
        write_graph, write_graphs,        # GraphML, GEXF, node-link JSON
        from_networkx,                    # any networkx graph around one person
        read_networkcanvas,               # Network Canvas CSV or GraphML exports
    )
"""

from __future__ import annotations

from .egor import read_egor, write_egor
from .graphs import FORMATS, export_graph, node_link_data, node_link_schema, write_graph, write_graphs
from .networkcanvas import NetworkCanvasMapping, read_networkcanvas
from .networkx_graph import from_networkx

__all__ = [
    "FORMATS",
    "NetworkCanvasMapping",
    "export_graph",
    "from_networkx",
    "node_link_data",
    "node_link_schema",
    "read_egor",
    "read_networkcanvas",
    "write_egor",
    "write_graph",
    "write_graphs",
]
