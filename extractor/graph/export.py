"""The graph out of the store: a networkx ``MultiDiGraph`` (one edge per
mention) written as GraphML or GEXF (Gephi), CSV (nodes.csv, edges.csv) or
node-link JSON.

GraphML and GEXF take scalar attributes only, so a missing value is written as
an empty string (``page`` as 0: unpaged) and a node's files are joined by "; ".
GEXF gives ``id``, ``start`` and ``end`` meanings of its own (the XML node id, a
time interval), so there these attributes are named ``doc_id``, ``doc_key``,
``char_start`` and ``char_end``.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any, Literal

import networkx as nx

from extractor.graph.query import GraphEdge, GraphNode, load_edges, load_nodes

ExportFormat = Literal["graphml", "gexf", "csv", "json"]
FORMATS: tuple[ExportFormat, ...] = ("graphml", "gexf", "csv", "json")

NODE_FIELDS = ("key", "id", "type", "date", "issuer", "title", "files", "is_local", "kind")
EDGE_FIELDS = ("relation", "via", "source_file", "sentence", "start", "end", "text", "page")
FILES_JOINER = "; "


def node_attributes(node: GraphNode) -> dict[str, str | bool]:
    """A node's attributes as scalars: strings ('' for unknown) and ``is_local``."""
    return {
        "key": node.key,
        "id": node.id or "",
        "type": node.type or "",
        "date": node.date or "",
        "issuer": node.issuer or "",
        "title": node.title or "",
        "files": FILES_JOINER.join(node.files),
        "is_local": node.is_local,
        "kind": node.kind,
    }


def edge_attributes(edge: GraphEdge) -> dict[str, str | int]:
    """An edge's attributes as scalars (``page`` 0 when the source has no pages)."""
    return {
        "relation": edge.relation,
        "via": edge.via,
        "source_file": edge.source_file,
        "sentence": edge.sentence,
        "start": edge.start,
        "end": edge.end,
        "text": edge.text,
        "page": edge.page or 0,
    }


def to_networkx(conn: sqlite3.Connection) -> nx.MultiDiGraph:
    """The stored graph: nodes keyed by document key, one edge per mention."""
    graph: nx.MultiDiGraph = nx.MultiDiGraph(name="bienche citation graph")
    for node in load_nodes(conn):
        graph.add_node(node.key, label=node.key, **node_attributes(node))
    for edge in load_edges(conn):
        graph.add_edge(edge.source, edge.target, **edge_attributes(edge))
    return graph


def _clean_xml(value: Any) -> Any:
    """Strings without the control characters XML 1.0 forbids."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 0x20)
    return value


GEXF_NAMES = {"id": "doc_id", "key": "doc_key", "start": "char_start", "end": "char_end"}
"""Attributes renamed in GEXF, where the original names are reserved."""


def _xml_ready(graph: nx.MultiDiGraph, rename: dict[str, str] | None = None) -> nx.MultiDiGraph:
    names = rename or {}
    clean: nx.MultiDiGraph = nx.MultiDiGraph(name=graph.graph.get("name", ""))
    for key, data in graph.nodes(data=True):
        clean.add_node(_clean_xml(key), **{names.get(k, k): _clean_xml(v) for k, v in data.items()})
    for u, v, data in graph.edges(data=True):
        clean.add_edge(_clean_xml(u), _clean_xml(v), **{names.get(k, k): _clean_xml(x) for k, x in data.items()})
    return clean


def export_graph(conn: sqlite3.Connection, fmt: ExportFormat, out: Path) -> list[Path]:
    """Write the graph as ``fmt`` to ``out`` (a folder for csv); the paths written."""
    graph = to_networkx(conn)
    if fmt == "csv":
        return write_csv(graph, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "graphml":
        nx.write_graphml(_xml_ready(graph), out, encoding="utf-8", prettyprint=True)
    elif fmt == "gexf":
        nx.write_gexf(_xml_ready(graph, GEXF_NAMES), out, encoding="utf-8", prettyprint=True, version="1.2draft")
    elif fmt == "json":
        data = nx.node_link_data(graph, edges="edges")
        out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return [out]


def write_csv(graph: nx.MultiDiGraph, folder: Path) -> list[Path]:
    """nodes.csv and edges.csv (UTF-8 with BOM, so spreadsheets read the diacritics)."""
    folder.mkdir(parents=True, exist_ok=True)
    nodes_path, edges_path = folder / "nodes.csv", folder / "edges.csv"
    with nodes_path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(NODE_FIELDS)
        for _key, data in graph.nodes(data=True):
            writer.writerow([data[f] for f in NODE_FIELDS])
    with edges_path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("source", "target", *EDGE_FIELDS))
        for u, v, data in graph.edges(data=True):
            writer.writerow([u, v, *(data[f] for f in EDGE_FIELDS)])
    return [nodes_path, edges_path]
