"""The graph out of the store: a networkx ``MultiDiGraph`` (one edge per
mention) written as GraphML or GEXF 1.3 (Gephi), CSV (nodes.csv, edges.csv) or
node-link JSON.

Every edge has its own id (``e0``, ``e1``, … in store order), unique across the
whole file: Gephi drops an edge whose id it has already seen, so ids that are
unique only between one pair of nodes (networkx's default) lose most mentions.
Text cells of the CSV tables are made inert for spreadsheets the same way as
``bienche extract``'s CSV (``extractor.export.csv.defuse``).

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
from networkx.readwrite.gexf import GEXFWriter

from extractor.export.csv import defuse, defuse_sentence
from extractor.graph.formats import DEFAULT_NAMES, FORMATS, ExportFormat
from extractor.graph.query import GraphEdge, GraphNode, load_edges, load_nodes

GEXF_VERSION = "1.3"

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
    """The stored graph: nodes keyed by document key, one edge per mention,
    keyed ``e0``, ``e1``, … (unique in the whole graph: the edge ids of GraphML
    and GEXF)."""
    graph: nx.MultiDiGraph = nx.MultiDiGraph(name="bienche citation graph")
    for node in load_nodes(conn):
        graph.add_node(node.key, label=node.key, **node_attributes(node))
    for index, edge in enumerate(load_edges(conn)):
        graph.add_edge(edge.source, edge.target, key=f"e{index}", **edge_attributes(edge))
    return graph


def _clean_xml(value: Any) -> Any:
    """Strings without the control characters XML 1.0 forbids."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 0x20)
    return value


GEXF_NAMES = {"id": "doc_id", "key": "doc_key", "start": "char_start", "end": "char_end"}
"""Attributes renamed in GEXF, where the original names are reserved."""


def _xml_ready(graph: nx.MultiDiGraph, rename: dict[str, str] | None = None, *, gexf: bool = False) -> nx.MultiDiGraph:
    """A copy with XML-safe strings, attributes renamed, edge keys kept (GEXF:
    also given as ``id``, which its writer takes as the edge id), and no graph
    ``name`` in GEXF (its schema has no such attribute)."""
    names = rename or {}
    clean: nx.MultiDiGraph = nx.MultiDiGraph() if gexf else nx.MultiDiGraph(name=graph.graph.get("name", ""))
    for key, data in graph.nodes(data=True):
        clean.add_node(_clean_xml(key), **{names.get(k, k): _clean_xml(v) for k, v in data.items()})
    for u, v, edge_key, data in graph.edges(keys=True, data=True):
        attributes = {names.get(k, k): _clean_xml(x) for k, x in data.items()}
        if gexf:
            attributes["id"] = edge_key
        clean.add_edge(_clean_xml(u), _clean_xml(v), key=edge_key, **attributes)
    return clean


def write_gexf(graph: nx.MultiDiGraph, out: Path) -> None:
    """GEXF 1.3 as its RELAX NG schema has it: networkx's writer, less what the
    schema does not allow (the graph's ``name``, ``mode`` on ``<attributes>``,
    and the ``xsi`` attributes, which networkx puts in a misspelt namespace)."""
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version=GEXF_VERSION)
    writer.add_graph(graph)
    root = writer.xml
    for name in [n for n in root.attrib if "xsi" in n or "schemaLocation" in n]:
        del root.attrib[name]
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "graph":
            element.attrib.pop("name", None)
        elif tag == "attributes":
            element.attrib.pop("mode", None)
    with out.open("wb") as handle:
        writer.write(handle)


def export_graph(conn: sqlite3.Connection, fmt: ExportFormat, out: Path) -> list[Path]:
    """Write the graph as ``fmt`` to ``out`` (a folder for csv); the paths written."""
    graph = to_networkx(conn)
    if fmt == "csv":
        return write_csv(graph, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "graphml":
        nx.write_graphml(_xml_ready(graph), out, encoding="utf-8", prettyprint=True)
    elif fmt == "gexf":
        write_gexf(_xml_ready(graph, GEXF_NAMES, gexf=True), out)
    elif fmt == "json":
        data = nx.node_link_data(graph, edges="edges")
        out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return [out]


def write_csv(graph: nx.MultiDiGraph, folder: Path) -> list[Path]:
    """nodes.csv and edges.csv (UTF-8 with BOM, so spreadsheets read the
    diacritics); every text cell inert (no formula), the edge id first."""
    folder.mkdir(parents=True, exist_ok=True)
    nodes_path, edges_path = folder / "nodes.csv", folder / "edges.csv"
    with nodes_path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(NODE_FIELDS)
        for _key, data in graph.nodes(data=True):
            writer.writerow([_csv_cell(data[f]) for f in NODE_FIELDS])
    with edges_path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(EDGE_COLUMNS)
        for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: int(str(e[2])[1:])):
            cells = [_csv_cell(key), _csv_cell(u), _csv_cell(v)]
            cells += [defuse_sentence(data[f]) if f == "sentence" else _csv_cell(data[f]) for f in EDGE_FIELDS]
            writer.writerow(cells)
    return [nodes_path, edges_path]


EDGE_COLUMNS = ("id", "source", "target", *EDGE_FIELDS)
"""The columns of edges.csv."""


def _csv_cell(value: object) -> object:
    return defuse(value) if isinstance(value, str) else value
