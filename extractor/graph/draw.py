"""A picture of the graph (SVG or PNG, by the output's suffix): the whole corpus
or one document's neighbourhood, edges coloured by relation with a legend.

Parallel mentions with the same relation are drawn as one arrow labelled with
their count. matplotlib is imported only here, only when drawing.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx

from extractor.graph.query import GraphNode, load_edges, load_nodes

RELATION_COLOURS: dict[str, str] = {
    "implements": "#1b9e77",
    "continues": "#66a61e",
    "amends": "#d95f02",
    "replaces": "#e7298a",
    "according_to": "#7570b3",
    "cites": "#8c8c8c",
}
KIND_COLOURS: dict[str, str] = {"document": "#fdb863", "cited": "#b2abd2", "file": "#e0e0e0"}
MAX_LABELS = 60
"""In a large picture only the most connected nodes are labelled."""


class DrawError(Exception):
    """Nothing to draw (an empty store, an unknown key)."""


def _label(node: GraphNode) -> str:
    key = node.key.removeprefix("file:")
    ident, _, body = key.partition("@")
    label = ident if not body else f"{ident}\n@{body}"
    if node.type and node.kind != "file":
        label = f"{node.type}\n{label}"
    return label


def neighbourhood(conn: sqlite3.Connection, key: str | None, depth: int) -> nx.MultiDiGraph:
    """The graph to draw: everything, or nodes within ``depth`` steps of ``key``
    (either direction)."""
    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    for edge in load_edges(conn):
        graph.add_edge(edge.source, edge.target, relation=edge.relation)
    for node in load_nodes(conn):
        graph.add_node(node.key, node=node)
    if key is None:
        return graph
    if key not in graph:
        raise DrawError(f"{key}: no such node in the store")
    keep = nx.ego_graph(graph.to_undirected(as_view=True), key, radius=depth).nodes
    return graph.subgraph(keep).copy()


def _layout(graph: nx.MultiDiGraph, centre: str | None) -> dict[Any, Any]:
    if centre is not None and graph.number_of_nodes() <= 40:
        rings = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), centre)
        shells = [[n for n, d in rings.items() if d == level] for level in range(max(rings.values()) + 1)]
        return dict(nx.shell_layout(graph, nlist=[s for s in shells if s]))
    k = 3.5 / max(1, graph.number_of_nodes()) ** 0.5
    return dict(nx.spring_layout(graph, k=k, seed=7, iterations=200))


def _relations_by_pair(edges: Counter[tuple[str, str, str]]) -> dict[tuple[str, str], list[str]]:
    """Relations drawn between each ordered pair, in a fixed order (one arc each)."""
    order = list(RELATION_COLOURS)
    pairs: dict[tuple[str, str], list[str]] = {}
    for u, v, relation in edges:
        pairs.setdefault((u, v), []).append(relation)
    return {pair: sorted(rels, key=lambda r: order.index(r) if r in order else len(order)) for pair, rels in pairs.items()}


def draw(conn: sqlite3.Connection, out: Path, key: str | None = None, depth: int = 1) -> Path:
    """Draw the whole graph, or ``key``'s neighbourhood to ``depth``, to ``out``
    (.svg or .png); returns ``out``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    graph = neighbourhood(conn, key, depth)
    if graph.number_of_nodes() == 0:
        raise DrawError("the store holds no nodes; run `bienche graph build` first")
    n = graph.number_of_nodes()
    side = min(40.0, max(9.0, 1.6 * n ** 0.5 + 4))
    fig, ax = plt.subplots(figsize=(side * 1.25, side))
    pos = _layout(graph, key)
    degree = dict(graph.degree())
    nodes: dict[str, GraphNode] = {k: d["node"] for k, d in graph.nodes(data=True) if "node" in d}
    sizes = [300 + 120 * min(degree[k], 20) for k in graph.nodes]
    colours = [KIND_COLOURS.get(nodes[k].kind if k in nodes else "cited", "#cccccc") for k in graph.nodes]
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_size=sizes, node_color=colours, edgecolors="#444444", linewidths=0.6)
    edges = Counter((u, v, d["relation"]) for u, v, d in graph.edges(data=True))
    batches: dict[tuple[str, float], list[tuple[str, str]]] = {}
    labels_by_rad: dict[float, dict[tuple[str, str], str]] = {}
    for (u, v), relations in _relations_by_pair(edges).items():
        for i, relation in enumerate(relations):
            rad = round(0.08 + 0.2 * i, 2)
            batches.setdefault((relation, rad), []).append((u, v))
            if edges[(u, v, relation)] > 1:
                labels_by_rad.setdefault(rad, {})[(u, v)] = f"×{edges[(u, v, relation)]}"
    for (relation, rad), chosen in sorted(batches.items()):
        nx.draw_networkx_edges(
            graph, pos, edgelist=chosen, ax=ax, edge_color=RELATION_COLOURS.get(relation, "#000000"), width=1.6,
            arrowsize=14, node_size=sizes, connectionstyle=f"arc3,rad={rad}", arrows=True,
        )
    if n <= 80:
        for rad, edge_labels in labels_by_rad.items():
            nx.draw_networkx_edge_labels(
                graph, pos, edge_labels=edge_labels, ax=ax, font_size=7, rotate=False,
                connectionstyle=f"arc3,rad={rad}", node_size=sizes,
            )
    labelled = sorted(graph.nodes, key=lambda k: -degree[k])[:MAX_LABELS]
    labels = {k: _label(nodes[k]) if k in nodes else k for k in labelled}
    if key is not None:
        labels[key] = labels.get(key, key)
    nx.draw_networkx_labels(
        graph, pos, labels=labels, ax=ax, font_size=8 if n <= 60 else 6,
        bbox={"facecolor": "white", "alpha": 0.75, "edgecolor": "none", "pad": 0.6},
    )
    used = sorted({r for (_u, _v, r) in edges})
    handles: list[Any] = [Line2D([0], [0], color=RELATION_COLOURS[r], lw=2.5, label=r) for r in used]
    handles += [Patch(facecolor=c, edgecolor="#444444", label=f"node: {k}") for k, c in KIND_COLOURS.items()]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=9, title="legend")
    title = f"{key}: neighbourhood, depth {depth}" if key else "citation graph"
    ax.set_title(f"{title} ({n} documents, {graph.number_of_edges()} mentions)", fontsize=11)
    ax.axis("off")
    ax.margins(0.12)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, bbox_inches="tight", dpi=150 if out.suffix.lower() == ".png" else 100)
    plt.close(fig)
    return out
