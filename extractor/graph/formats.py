"""The graph export formats and their default file names (no networkx import,
so the CLI starts fast; ``extractor.graph.export`` does the writing)."""

from __future__ import annotations

from typing import Literal

ExportFormat = Literal["graphml", "gexf", "csv", "json"]
FORMATS: tuple[ExportFormat, ...] = ("graphml", "gexf", "csv", "json")
DEFAULT_NAMES: dict[ExportFormat, str] = {
    "graphml": "graph.graphml", "gexf": "graph.gexf", "csv": "graph-csv", "json": "graph.json",
}  # fmt: skip
"""Where ``bienche graph export -f FORMAT`` writes without ``-o`` (csv: a folder)."""
