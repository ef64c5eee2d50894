"""Graph exports that load whole: every format read back with the store's node
and edge counts and unique edge ids, GEXF 1.3 structure, default file names,
and spreadsheet-inert CSV text (the one guard shared with ``extract --csv``)."""

from __future__ import annotations

import csv
import json
import sqlite3
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.export.csv import defuse, defuse_sentence, formula_risk
from extractor.graph import store
from extractor.graph.build import build
from extractor.graph.export import DEFAULT_NAMES, EDGE_COLUMNS, FORMATS, ExportFormat, export_graph, write_csv

GEXF_NS = "{http://gexf.net/1.3}"
# Invented texts: three files, the same pair cited several times (the case
# where per-pair edge ids repeat), a back-reference, a bullet and formula-like text.
TEXTS = {
    "a.txt": (
        "- Căn cứ Nghị quyết số 18-NQ/TW của Ban Chấp hành Trung ương. "
        "Thực hiện Nghị quyết số 18-NQ/TW, tỉnh giảm 10% biên chế. "
        "Thực hiện Kết luận số 40-KL/TW của Bộ Chính trị. "
        "Tiếp tục thực hiện Kết luận số 40-KL/TW của Bộ Chính trị. Tỉnh tiếp tục thực hiện Nghị quyết trên."
    ),
    "b.txt": "Thực hiện Nghị quyết số 18-NQ/TW và Kết luận số 40-KL/TW của Bộ Chính trị. Căn cứ Nghị quyết số 18-NQ/TW.",
    "=cmd|' calc'!A0.txt": "@SUM(1+1) Căn cứ Kết luận số 40-KL/TW của Bộ Chính trị.",
}


@pytest.fixture(scope="module")
def graph_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[sqlite3.Connection, Path]]:
    base = tmp_path_factory.mktemp("graphexport")
    folder = base / "in"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    build([folder], base / "c.db", jobs=1)
    conn = store.open_existing(base / "c.db")
    yield conn, base / "c.db"
    conn.close()


def _store_counts(conn: sqlite3.Connection) -> tuple[int, int]:
    counts = store.counts(conn)
    return counts["nodes"], counts["edges"]


def test_graph_export_fixture_repeats_a_pair(graph_db: tuple[sqlite3.Connection, Path]) -> None:
    pairs = Counter((r["source"], r["target"]) for r in graph_db[0].execute("SELECT source, target FROM edges"))
    assert max(pairs.values()) >= 2  # otherwise the id tests below prove nothing


def _xml_edge_ids(path: Path, tag: str) -> list[str]:
    return [e.attrib["id"] for e in ET.parse(path).getroot().iter() if e.tag.endswith(tag)]


def test_graph_export_graphml_reads_back_whole(graph_db: tuple[sqlite3.Connection, Path], tmp_path: Path) -> None:
    conn, _db = graph_db
    (path,) = export_graph(conn, "graphml", tmp_path / "g.graphml")
    loaded = nx.read_graphml(path, force_multigraph=True)
    assert (loaded.number_of_nodes(), loaded.number_of_edges()) == _store_counts(conn)
    ids = _xml_edge_ids(path, "}edge")
    assert len(ids) == len(set(ids)) == loaded.number_of_edges()


def test_graph_export_gexf_reads_back_whole(graph_db: tuple[sqlite3.Connection, Path], tmp_path: Path) -> None:
    conn, _db = graph_db
    (path,) = export_graph(conn, "gexf", tmp_path / "g.gexf")
    loaded = nx.read_gexf(path, version="1.3")
    assert (loaded.number_of_nodes(), loaded.number_of_edges()) == _store_counts(conn)
    ids = _xml_edge_ids(path, "}edge")
    assert len(ids) == len(set(ids)) == loaded.number_of_edges()


def test_graph_export_gexf_is_1_3_in_structure(graph_db: tuple[sqlite3.Connection, Path], tmp_path: Path) -> None:
    """No GEXF schema ships offline with the repository: check what the 1.3
    RELAX NG grammar requires of what networkx writes."""
    (path,) = export_graph(graph_db[0], "gexf", tmp_path / "g.gexf")
    root = ET.parse(path).getroot()
    assert (root.tag, root.attrib) == (f"{GEXF_NS}gexf", {"version": "1.3"})
    (graph,) = root.findall(f"{GEXF_NS}graph")
    assert set(graph.attrib) <= {"defaultedgetype", "idtype", "mode", "timeformat", "start", "end", "timestamp"}
    children = [c.tag.removeprefix(GEXF_NS) for c in graph]
    assert children[-2:] == ["nodes", "edges"] and set(children[:-2]) == {"attributes"}
    declared: dict[str, set[str]] = {}
    for attributes in graph.findall(f"{GEXF_NS}attributes"):
        assert set(attributes.attrib) == {"class"}
        declared[attributes.attrib["class"]] = {a.attrib["id"] for a in attributes}
    node_ids = {n.attrib["id"] for n in graph.iter(f"{GEXF_NS}node")}
    for kind in ("node", "edge"):
        for element in graph.iter(f"{GEXF_NS}{kind}"):
            assert {v.attrib["for"] for v in element.iter(f"{GEXF_NS}attvalue")} <= declared[kind]
    for edge in graph.iter(f"{GEXF_NS}edge"):
        assert {edge.attrib["source"], edge.attrib["target"]} <= node_ids


def test_graph_export_csv_reads_back_whole(graph_db: tuple[sqlite3.Connection, Path], tmp_path: Path) -> None:
    conn, _db = graph_db
    nodes_csv, edges_csv = export_graph(conn, "csv", tmp_path / "graph-csv")
    with nodes_csv.open(encoding="utf-8-sig", newline="") as handle:
        nodes = list(csv.DictReader(handle))
    with edges_csv.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == EDGE_COLUMNS
        edges = list(reader)
    assert (len(nodes), len(edges)) == _store_counts(conn)
    assert len({e["id"] for e in edges}) == len(edges)
    keys = {n["key"] for n in nodes}
    assert all(e["source"] in keys and e["target"] in keys for e in edges)


def test_graph_export_json_reads_back_whole(graph_db: tuple[sqlite3.Connection, Path], tmp_path: Path) -> None:
    conn, _db = graph_db
    (path,) = export_graph(conn, "json", tmp_path / "g.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert (len(data["nodes"]), len(data["edges"])) == _store_counts(conn)
    assert len({e["key"] for e in data["edges"]}) == len(data["edges"])


def test_graph_export_csv_text_is_inert(graph_db: tuple[sqlite3.Connection, Path], tmp_path: Path) -> None:
    nodes_csv, edges_csv = export_graph(graph_db[0], "csv", tmp_path / "csv")
    cells = []
    for path in (nodes_csv, edges_csv):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            cells += [cell for row in csv.reader(handle) for cell in row]
    assert any(cell.startswith("'") for cell in cells)  # the formula-named file was met
    assert not [cell for cell in cells if formula_risk(cell)]
    with edges_csv.open(encoding="utf-8-sig", newline="") as handle:
        sentences = [row["sentence"] for row in csv.DictReader(handle)]
    assert not [s for s in sentences if s.startswith(("- ", "'- "))]


def test_graph_export_csv_defuses_hand_made_attributes(tmp_path: Path) -> None:
    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    node = {"key": "=A", "id": "@SUM(1+1)", "type": "+x", "date": "", "issuer": "-1", "title": "=cmd|' /C calc'!A0", "files": " =1", "is_local": False, "kind": "cited"}
    graph.add_node("=A", **node)
    graph.add_node("B", **{**node, "key": "B"})
    edge = {"relation": "cites", "via": "citation", "source_file": "\tf", "sentence": "• =HYPERLINK(1)", "start": 0, "end": 1, "text": "\rx", "page": 0}
    graph.add_edge("=A", "B", key="e0", **edge)
    nodes_csv, edges_csv = write_csv(graph, tmp_path)
    with nodes_csv.open(encoding="utf-8-sig", newline="") as handle:
        row = next(csv.DictReader(handle))
    assert (row["key"], row["id"], row["title"], row["files"]) == ("'=A", "'@SUM(1+1)", "'=cmd|' /C calc'!A0", "' =1")
    with edges_csv.open(encoding="utf-8-sig", newline="") as handle:
        edge_row = next(csv.DictReader(handle))
    assert (edge_row["source"], edge_row["sentence"], edge_row["source_file"], edge_row["start"]) == ("'=A", "'=HYPERLINK(1)", "'\tf", "0")


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("+84 912", "'+84 912"),
        ("-12 biên chế", "'-12 biên chế"),
        ("  =1+1", "'  =1+1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("tổng biên chế", "tổng biên chế"),
        ("• tổng", "• tổng"),
        ("", ""),
    ],
)
def test_graph_export_defuse_prefixes_only_formula_risks(text: str, cell: str) -> None:
    assert defuse(text) == cell


@pytest.mark.parametrize(
    ("sentence", "cell"),
    [
        ("- Tổng biên chế năm 2024 là 1.250.", "Tổng biên chế năm 2024 là 1.250."),
        ("+ Giảm 10% biên chế.", "Giảm 10% biên chế."),
        ("• Giao 25 biên chế.", "Giao 25 biên chế."),
        ("  – Giao 25 biên chế.", "Giao 25 biên chế."),
        ("- =SUM(A1)", "'=SUM(A1)"),
        ("-12 biên chế", "'-12 biên chế"),
        ("Tỉnh giảm - 5 biên chế.", "Tỉnh giảm - 5 biên chế."),
    ],
)
def test_graph_export_sentence_loses_its_bullet(sentence: str, cell: str) -> None:
    assert defuse_sentence(sentence) == cell


@pytest.mark.parametrize("fmt", FORMATS)
def test_graph_export_default_names(graph_db: tuple[sqlite3.Connection, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: ExportFormat) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["graph", "export", "--db", str(graph_db[1]), "-f", fmt])
    assert result.exit_code == 0, result.output
    target = tmp_path / DEFAULT_NAMES[fmt]
    assert (target / "edges.csv").is_file() if fmt == "csv" else target.is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [DEFAULT_NAMES[fmt]]


def test_graph_export_top_refuses_an_unknown_relation(graph_db: tuple[sqlite3.Connection, Path]) -> None:
    from extractor.graph.query import top

    with pytest.raises(ValueError, match="according_to"):
        top(graph_db[0], "foo")
    assert top(graph_db[0], "implements")
