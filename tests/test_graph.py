"""The citation graph: nodes and edges on the seeds, the incremental store,
kill-safety, queries, exports and drawing."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from typer.testing import CliRunner

import extractor.graph.build as build_module
import extractor.settings as settings_module
from extractor.document import DEFAULT_MAX_BYTES
from extractor.document import document_from_text
from extractor.graph import store
from extractor.graph.build import build, citation_title
from extractor.graph.export import EDGE_COLUMNS, EDGE_FIELDS, NODE_FIELDS, GEXF_NAMES, export_graph, to_networkx
from extractor.graph.query import conflicts, find_keys, load_edges, load_nodes, show, top
from extractor.models import DocumentResult
from extractor.pipeline import extract_document, extract_path
from extractor.rules.citations import split_key

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"  # ../shared beside the checkout
SEEDS = SHARED / "seeds"
GOLD = SHARED / "gold" / "seeds.json"
PLAN = "123-KH/TU@tỉnh Long An@2023"
PLAN_FILE = "001_02c0c7e95a57206c.txt"

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="seed texts not present")


def _copy_seeds(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for f in sorted(SEEDS.glob("*.txt")):
        shutil.copyfile(f, folder / f.name)
    return folder


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    if not SEEDS.is_dir():
        pytest.skip("seed texts not present")
    base = tmp_path_factory.mktemp("seedgraph")
    build([_copy_seeds(base / "seeds")], base / "corpus.db", jobs=1)
    conn = store.open_existing(base / "corpus.db")
    yield conn
    conn.close()


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Replace the extraction function with one that records every call."""
    calls: list[str] = []

    def counting(path: Path, **options: Any) -> DocumentResult:
        calls.append(str(path))
        return extract_path(path, **options)

    monkeypatch.setattr(build_module, "extract_path", counting)
    return calls


@needs_seeds
def test_graph_18_nq_tw_is_cited_by_three_documents_across_its_keys(seed_db: sqlite3.Connection) -> None:
    keys = [r[0] for r in seed_db.execute("SELECT key FROM nodes") if split_key(r[0]).id == "18-NQ/TW"]
    assert keys == ["18-NQ/TW"]  # party-central symbols are numbered per term: one key, dated or not
    citing = {e.source for k in keys for e in load_edges(seed_db, target=k)}
    assert len(citing) == 3
    assert PLAN in {e.source for e in load_edges(seed_db, target="18-NQ/TW")}


@needs_seeds
@pytest.mark.parametrize(
    ("target", "relation"),
    [
        ("75-QĐ/BTCTW", "according_to"),
        ("4208-CV/BTCTW", "implements"),
        ("81-KH/TU@tỉnh Long An@2022", "implements"),
        ("60/2021/NĐ-CP", "according_to"),
        ("60/2021/NĐ-CP", "implements"),
        ("18-NQ/TW", "implements"),
        ("19-NQ/TW", "cites"),
        ("1864-CV/TU@tỉnh Long An@2023", "cites"),
        ("04-KH/TU@tỉnh Long An@2020", "implements"),
        ("158-TB/TW", "implements"),
        ("102-KL/TW", "continues"),
    ],
)
def test_graph_long_an_plan_edges(seed_db: sqlite3.Connection, target: str, relation: str) -> None:
    edges = [e for e in load_edges(seed_db, source=PLAN) if e.target == target]
    assert relation in {e.relation for e in edges}
    for e in edges:
        assert e.source_file.endswith(PLAN_FILE)
        assert e.text in e.sentence and e.start < e.end


@needs_seeds
def test_graph_long_an_plan_cites_every_gold_citation(seed_db: sqlite3.Connection) -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["documents"][PLAN_FILE]["citations"]
    wanted = {c["id"] for c in gold} - {"123-KH/TU"}
    cited = {split_key(e.target).id for e in load_edges(seed_db, source=PLAN)}
    assert wanted <= cited


@needs_seeds
def test_graph_self_identity_is_the_source_never_a_self_loop(seed_db: sqlite3.Connection) -> None:
    assert all(e.source != e.target for e in load_edges(seed_db))
    assert {e.source for e in load_edges(seed_db) if e.source_file.endswith(PLAN_FILE)} == {PLAN}


@needs_seeds
@pytest.mark.parametrize(
    ("key", "field", "value"),
    [
        (PLAN, "kind", "document"),
        (PLAN, "date", "2023-08-11"),
        (PLAN, "issuer", "Ban Thường vụ Tỉnh ủy Long An"),
        (PLAN, "is_local", True),
        ("file:000_2f29880d7c86bee3.txt", "kind", "file"),
        ("file:004_931564639493688c.txt", "type", None),
        ("18-NQ/TW", "kind", "cited"),
        ("81-KH/TU@tỉnh Long An@2022", "type", "Kế hoạch"),
        ("81-KH/TU@tỉnh Long An@2022", "date", "2022-11-11"),
        ("81-KH/TU@tỉnh Long An@2022", "title", "quản lý biên chế trong hệ thống chính trị tỉnh giai đoạn 2022 -2026"),
        ("75-QĐ/BTCTW", "issuer", "Ban Tổ chức Trung ương"),
        ("75-QĐ/BTCTW", "is_local", False),
        ("18-NQ/TW", "date", "2017-10-25"),
        ("03-HD/TW", "title", "Thí điểm sinh hoạt đảng trực tuyến ở đảng bộ cơ sở, chi bộ có tính chất đặc thù hoặc trong hoàn cảnh đặc biệt và sinh hoạt đảng theo tổ đảng ở chi bộ đông đảng viên"),
        (PLAN, "title", "quản lý biên chế trong hệ thống chính trị giai đoạn 2024 - 2026"),
    ],
)
def test_graph_node_attributes(seed_db: sqlite3.Connection, key: str, field: str, value: object) -> None:
    (node,) = load_nodes(seed_db, [key])
    assert getattr(node, field) == value and node.files


@needs_seeds
def test_graph_seed_counts(seed_db: sqlite3.Connection) -> None:
    sizes = store.counts(seed_db)
    assert (sizes["files"], sizes["nodes"], sizes["edges"]) == (5, 29, 46)


@pytest.mark.parametrize(
    ("text", "ident", "title"),
    [
        ("Thực hiện Kế hoạch số 81-KH/TU, ngày 11/11/2022 của Ban Thường vụ Tỉnh ủy về quản lý biên chế giai đoạn 2022-2026; trên cơ sở đó",
         "81-KH/TU", "quản lý biên chế giai đoạn 2022-2026"),
        ("Hướng dẫn số 03-HD/TW về “Thí điểm sinh hoạt đảng trực tuyến”.", "03-HD/TW", "Thí điểm sinh hoạt đảng trực tuyến"),
        ("Thông báo số 158-TB/TW của Ban Bí thư về tiếp tục thực hiện Kết luận số 102-KL/TW của Bộ Chính trị khóa XI về hội quần chúng.",
         "158-TB/TW", "tiếp tục thực hiện Kết luận số 102-KL/TW của Bộ Chính trị khóa XI về hội quần chúng"),
        ("Công văn số 4208-CV/BTCTW, ngày 04/10/2022 của Ban Tổ chức Trung ương về quản lý biên chế, Ban Thường vụ Tỉnh ủy Long An đã có Công văn số 1864-CV/TU",
         "4208-CV/BTCTW", "quản lý biên chế"),
        ("Thực hiện Nghị quyết số 18-NQ/TW, Nghị quyết số 19-NQ/TW của Ban Chấp hành Trung ương.", "18-NQ/TW", None),
        ("Thông báo số 16-TB/TW của Bộ Chính trị kết luận về việc thực hiện thí điểm.", "16-TB/TW", None),
    ],
)
def test_graph_citation_title_from_the_sentence(text: str, ident: str, title: str | None) -> None:
    result = extract_document(document_from_text(text))
    (citation,) = [c for c in result.citations if c.id == ident]
    assert citation_title(citation) == title


@needs_seeds
def test_graph_rerun_on_unchanged_corpus_processes_nothing(tmp_path: Path, counted: list[str]) -> None:
    corpus = _copy_seeds(tmp_path / "seeds")
    first = build([corpus], tmp_path / "c.db", jobs=1)
    assert (first.processed, first.skipped, len(counted)) == (5, 0, 5)
    counted.clear()
    again = build([corpus], tmp_path / "c.db", jobs=1)
    assert (again.processed, again.skipped, again.removed) == (0, 5, 0)
    assert counted == []
    assert (again.nodes, again.edges) == (first.nodes, first.edges)


@needs_seeds
def test_graph_one_changed_file_is_the_only_one_extracted(tmp_path: Path, counted: list[str]) -> None:
    corpus = _copy_seeds(tmp_path / "seeds")
    db = tmp_path / "c.db"
    build([corpus], db, jobs=1)
    changed = corpus / "002_b492399a474e869d.txt"
    head, _, rest = changed.read_text(encoding="utf-8").partition("\n")
    changed.write_text(f"{head}\nThực hiện Kết luận số 99-KL/TW của Bộ Chính trị.\n{rest}", encoding="utf-8")
    counted.clear()
    report = build([corpus], db, jobs=1)
    assert (report.processed, report.skipped) == (1, 4)
    assert counted == [str(changed.resolve())] and report.processed_files == counted
    conn = store.open_existing(db)
    assert {e.source for e in load_edges(conn, target="99-KL/TW")} == {"file:002_b492399a474e869d.txt"}
    conn.close()


@needs_seeds
def test_graph_new_extractor_version_re_extracts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _copy_seeds(tmp_path / "seeds")
    build([corpus], tmp_path / "c.db", jobs=1)
    monkeypatch.setattr(settings_module, "__version__", "999")
    assert build([corpus], tmp_path / "c.db", jobs=1).processed == 5


@needs_seeds
@pytest.mark.parametrize("change", ["patterns", "extractor"])
def test_graph_changed_settings_key_re_reads_an_unchanged_file(
    tmp_path: Path, counted: list[str], monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    corpus = tmp_path / "one"
    corpus.mkdir()
    shutil.copyfile(SEEDS / PLAN_FILE, corpus / PLAN_FILE)
    db = tmp_path / "c.db"
    build([corpus], db, jobs=1, extractor="rules")
    assert build([corpus], db, jobs=1, extractor="rules").skipped == 1  # same file, same settings: skipped
    counted.clear()
    if change == "patterns":
        monkeypatch.setattr(settings_module, "patterns_hash", lambda: "0123456789ab")
        again = build([corpus], db, jobs=1, extractor="rules")
    else:
        monkeypatch.setattr(settings_module, "settings_key", lambda mode, max_bytes: f"other; extractor={mode}")
        again = build([corpus], db, jobs=1, extractor="rules")
    assert (again.processed, again.skipped) == (1, 0)
    assert counted == [str((corpus / PLAN_FILE).resolve())]
    conn = store.open_existing(db)
    stored = conn.execute("SELECT extractor_version FROM files").fetchone()[0]
    conn.close()
    assert stored == settings_module.settings_key("rules", DEFAULT_MAX_BYTES)


@needs_seeds
def test_graph_deleted_file_rows_are_removed(tmp_path: Path) -> None:
    corpus = _copy_seeds(tmp_path / "seeds")
    db = tmp_path / "c.db"
    build([corpus], db, jobs=1)
    gone = corpus / "002_b492399a474e869d.txt"
    gone.unlink()
    report = build([corpus], db, jobs=1)
    assert (report.processed, report.skipped, report.removed) == (0, 4, 1)
    conn = store.open_existing(db)
    for table in ("documents", "citations", "backrefs", "figures", "findings"):
        assert conn.execute(f"SELECT COUNT(*) FROM {table} WHERE file = ?", (str(gone.resolve()),)).fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM files").fetchone()[0] == 4
    assert find_keys(conn, "16-TB/TW") == []  # cited only by the deleted article
    assert len({e.source for e in load_edges(conn, target="18-NQ/TW")}) == 2
    conn.close()


def _landed(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(str(db), timeout=1)
        try:
            return int(conn.execute("SELECT COUNT(*) FROM files").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return 0


def _assert_consistent(conn: sqlite3.Connection) -> None:
    files = {r[0] for r in conn.execute("SELECT path FROM files")}
    assert files == {r[0] for r in conn.execute("SELECT file FROM documents")}
    for table in ("citations", "backrefs", "figures", "findings"):
        assert {r[0] for r in conn.execute(f"SELECT DISTINCT file FROM {table} WHERE file IS NOT NULL")} <= files


@needs_seeds
def test_graph_killed_build_resumes_to_the_same_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIENCHE_EXTRACTOR", "rules")  # the store's consistency, not the model, is under test
    corpus = tmp_path / "corpus"
    for i in range(30):
        _copy_seeds(corpus / f"copy{i:02d}")
    total = 30 * 5
    reference = build([corpus], tmp_path / "reference.db", jobs=1)
    assert reference.processed == total
    db = tmp_path / "killed.db"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "extractor", "graph", "build", str(corpus), "--db", str(db), "--jobs", "1", "-q", "--extractor", "rules"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    deadline = time.monotonic() + 300
    try:
        while _landed(db) < 1 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the build finished before it could be killed"
    conn = store.open_existing(db)
    landed = int(conn.execute("SELECT COUNT(*) FROM files").fetchone()[0])
    assert 1 <= landed < total
    _assert_consistent(conn)
    conn.close()
    resumed = build([corpus], db, jobs=1)
    assert (resumed.processed, resumed.skipped) == (total - landed, landed)
    dumps = []
    for path in (db, tmp_path / "reference.db"):
        conn = store.open_existing(path)
        dumps.append(store.canonical_dump(conn))
        conn.close()
    assert dumps[0] == dumps[1]


@needs_seeds
@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("81-KH/TU", "81-KH/TU@tỉnh Long An@2022"),
        ("81-KH/TU@2022", "81-KH/TU@tỉnh Long An@2022"),
        ("18-nq/tw", "18-NQ/TW"),
        ("18-NQ/TW", "18-NQ/TW"),
        ("19-NQ/TW", "19-NQ/TW"),
        ("123 - KH/TU", PLAN),
        (PLAN_FILE, PLAN),
        ("000_2f29880d7c86bee3.txt", "file:000_2f29880d7c86bee3.txt"),
    ],
)
def test_graph_show_finds_the_key(seed_db: sqlite3.Connection, query: str, key: str) -> None:
    report = show(seed_db, query)
    assert report.node is not None and report.node.key == key


@needs_seeds
def test_graph_show_lists_cites_and_cited_by(seed_db: sqlite3.Connection) -> None:
    report = show(seed_db, "81-KH/TU@tỉnh Long An@2022")
    assert [(e.source, e.relation) for e in report.cited_by] == [(PLAN, "implements")]
    assert report.cites == []
    assert show(seed_db, "KL/TW").candidates  # several keys: no node, the candidates


@needs_seeds
def test_graph_top_most_cited(seed_db: sqlite3.Connection) -> None:
    first = top(seed_db, limit=3)[0]
    assert (first.key, first.documents) == ("18-NQ/TW", 3)
    assert all(e.by_relation.keys() == {"implements"} for e in top(seed_db, relation="implements"))


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("first", "second", "word"),
    [
        ("Thực hiện Kết luận số 40-KL/TW, ngày 18/7/2022 của Bộ Chính trị.", "Thực hiện Kết luận số 40-KL/TW, ngày 19/7/2022 của Bộ Chính trị.", "ghi ngày khác nhau"),
        ("Thực hiện Kết luận số 40-KL/TW của Bộ Chính trị.", "Thực hiện Kết luận số 40-KL/TW của Ban Bí thư.", "cơ quan ban hành khác nhau"),
    ],
)
def test_graph_conflicts_across_files(tmp_path: Path, first: str, second: str, word: str) -> None:
    _write(tmp_path / "in", "a.txt", first)
    _write(tmp_path / "in", "b.txt", second)
    build([tmp_path / "in"], tmp_path / "c.db", jobs=1)
    conn = store.open_existing(tmp_path / "c.db")
    found = conflicts(conn)
    assert [f.rule for f in found] == ["citation_conflict"]
    assert word in found[0].message and "a.txt" in found[0].message and "b.txt" in found[0].message
    assert [f.message for f in store.load_findings(conn, "corpus")] == [found[0].message]
    conn.close()


def test_graph_agreeing_files_have_no_conflict(tmp_path: Path) -> None:
    text = "Thực hiện Kết luận số 40-KL/TW, ngày 18/7/2022 của Bộ Chính trị."
    _write(tmp_path / "in", "a.txt", text)
    _write(tmp_path / "in", "b.txt", text.replace("Bộ Chính trị", "Bộ Chính trị khóa XIII"))
    build([tmp_path / "in"], tmp_path / "c.db", jobs=1)
    conn = store.open_existing(tmp_path / "c.db")
    assert conflicts(conn) == []
    conn.close()


def test_graph_unreadable_file_is_reported_not_a_node(tmp_path: Path) -> None:
    _write(tmp_path / "in", "empty.txt", "")
    _write(tmp_path / "in", "a.txt", "Thực hiện Kết luận số 40-KL/TW của Bộ Chính trị.")
    first = build([tmp_path / "in"], tmp_path / "c.db", jobs=1)
    assert (first.processed, first.failed, first.nodes) == (2, 1, 2)
    assert build([tmp_path / "in"], tmp_path / "c.db", jobs=1).skipped == 2


def test_graph_resolved_back_reference_is_an_edge(tmp_path: Path) -> None:
    _write(tmp_path / "in", "a.txt", "Căn cứ Nghị quyết số 18-NQ/TW của Ban Chấp hành Trung ương. Tỉnh tiếp tục thực hiện Nghị quyết trên.")
    build([tmp_path / "in"], tmp_path / "c.db", jobs=1)
    conn = store.open_existing(tmp_path / "c.db")
    edges = load_edges(conn, target="18-NQ/TW")
    assert [(e.via, e.relation) for e in edges] == [("citation", "according_to"), ("backref", "continues")]
    conn.close()


@needs_seeds
def test_graph_graphml_loads_back_with_every_attribute(seed_db: sqlite3.Connection, tmp_path: Path) -> None:
    export_graph(seed_db, "graphml", tmp_path / "g.graphml")
    original = to_networkx(seed_db)
    loaded = nx.read_graphml(tmp_path / "g.graphml")
    assert (loaded.number_of_nodes(), loaded.number_of_edges()) == (original.number_of_nodes(), original.number_of_edges())
    for key, data in loaded.nodes(data=True):
        assert set(NODE_FIELDS) <= set(data)
        assert all(data[f] == original.nodes[key][f] for f in NODE_FIELDS)
    for _u, _v, data in loaded.edges(data=True):
        assert set(EDGE_FIELDS) <= set(data)
        assert isinstance(data["start"], int) and isinstance(data["end"], int)
    assert loaded.nodes[PLAN]["is_local"] is True


@needs_seeds
def test_graph_gexf_loads_in_networkx(seed_db: sqlite3.Connection, tmp_path: Path) -> None:
    export_graph(seed_db, "gexf", tmp_path / "g.gexf")
    loaded = nx.read_gexf(tmp_path / "g.gexf", version="1.3")
    original = to_networkx(seed_db)
    assert set(loaded.nodes) == set(original.nodes)
    assert loaded.number_of_edges() == original.number_of_edges()
    node = loaded.nodes["18-NQ/TW"]
    assert node[GEXF_NAMES["key"]] == "18-NQ/TW" and node["type"] == "Nghị quyết"
    _u, _v, edge = next(iter(loaded.edges(data=True)))
    assert {"relation", "source_file", "sentence", GEXF_NAMES["start"], GEXF_NAMES["end"]} <= set(edge)


@needs_seeds
def test_graph_csv_and_json_exports(seed_db: sqlite3.Connection, tmp_path: Path) -> None:
    nodes_csv, edges_csv = export_graph(seed_db, "csv", tmp_path / "csv")
    assert len(nodes_csv.read_text(encoding="utf-8-sig").splitlines()) == 1 + 29
    assert edges_csv.read_text(encoding="utf-8-sig").splitlines()[0] == ",".join(EDGE_COLUMNS)
    assert EDGE_COLUMNS == ("id", "source", "target", *EDGE_FIELDS)
    (json_path,) = export_graph(seed_db, "json", tmp_path / "g.json")
    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert len(data["nodes"]) == 29 and len(data["edges"]) == 46


@needs_seeds
@pytest.mark.parametrize(("key", "suffix"), [(None, ".svg"), (PLAN, ".svg"), ("18-NQ/TW", ".png")])
def test_graph_draw_writes_a_picture(seed_db: sqlite3.Connection, tmp_path: Path, key: str | None, suffix: str) -> None:
    pytest.importorskip("matplotlib")
    from extractor.graph.draw import draw

    out = draw(seed_db, tmp_path / f"g{suffix}", key, depth=1)
    data = out.read_bytes()
    if suffix == ".svg":
        assert b"<svg" in data and b"implements" in data  # the legend
    else:
        assert data[:8] == b"\x89PNG\r\n\x1a\n"


@needs_seeds
def test_graph_cli_commands(tmp_path: Path) -> None:
    from extractor.cli import app

    runner = CliRunner()
    corpus = _copy_seeds(tmp_path / "seeds")
    db = str(tmp_path / "c.db")
    assert runner.invoke(app, ["graph", "build", str(corpus), "--db", db, "--jobs", "1", "-q"]).exit_code == 0
    report = json.loads(runner.invoke(app, ["graph", "build", str(corpus), "--db", db, "--json"]).stdout)
    assert (report["processed"], report["skipped"]) == (0, 5)
    shown = runner.invoke(app, ["graph", "show", "81-KH/TU", "--db", db])
    assert shown.exit_code == 0 and f"[implements] {PLAN}" in shown.stdout
    assert "18-NQ/TW" in runner.invoke(app, ["graph", "top", "--db", db, "-n", "3"]).stdout
    assert runner.invoke(app, ["graph", "conflicts", "--db", db, "--json"]).stdout.strip() == "[]"
    assert runner.invoke(app, ["graph", "export", "--db", db, "--format", "graphml", "-o", str(tmp_path / "g.graphml")]).exit_code == 0
    assert runner.invoke(app, ["graph", "show", "nothing-here", "--db", db]).exit_code == 1
    assert runner.invoke(app, ["graph", "top", "--db", str(tmp_path / "missing.db")]).exit_code == 2
