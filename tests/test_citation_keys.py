"""Citation keys of symbols without a year inside (``01/NQ-CP``): the year of issue
joins the key when the text states it, so documents of different years are
different keys, different graph nodes and never a citation_conflict."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

from extractor.check import check_corpus
from extractor.check.citations import corpus_citation_conflicts
from extractor.document import document_from_text
from extractor.graph import store
from extractor.graph.build import build
from extractor.graph.export import export_graph
from extractor.graph.query import conflicts, find_keys, load_nodes, show, top
from extractor.models import DocumentResult
from extractor.pipeline import extract_document
from extractor.rules.citations import KeyParts, citation_key, split_key, symbol_year


def _extract(text: str, source: str = "doc.txt") -> DocumentResult:
    return extract_document(document_from_text(text, source=source), "rules")


def _keys(text: str) -> list[tuple[str | None, str | None]]:
    return [(c.id, c.key) for c in _extract(text).citations]


def _conflicts(result: DocumentResult) -> list[str]:
    return [f.message for f in result.findings if f.rule == "citation_conflict"]


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("Thực hiện Nghị quyết số 01/NQ-CP ngày 08/01/2025 của Chính phủ về nhiệm vụ năm mới.",
         [("01/NQ-CP", "01/NQ-CP@2025")]),
        ("Căn cứ Nghị định số 60/2021/NĐ-CP ngày 21/6/2021 của Chính phủ.", [("60/2021/NĐ-CP", "60/2021/NĐ-CP")]),
        ("Theo Quyết định số 1234/QĐ-TTg của Thủ tướng Chính phủ, các bộ rà soát biên chế.",
         [("1234/QĐ-TTg", "1234/QĐ-TTg")]),
        ("Thực hiện Kế hoạch số 123-KH/TU ngày 11/8/2023 của Ban Thường vụ Tỉnh ủy Long An về sắp xếp bộ máy.",
         [("123-KH/TU", "123-KH/TU@tỉnh Long An@2023")]),
        ("Căn cứ Kế hoạch số 512/KH-UBND ngày 20/5/2024 của Ủy ban nhân dân tỉnh Bình Định về tuyển dụng.",
         [("512/KH-UBND", "512/KH-UBND@tỉnh Bình Định@2024")]),
        ("Thực hiện Thông báo số 15-TB/TU ngày 03/02/2024 về chủ trương sáp nhập.", [("15-TB/TU", "15-TB/TU@2024")]),
        ("Thực hiện Kết luận số 40-KL/TW ngày 18/7/2022 của Bộ Chính trị.", [("40-KL/TW", "40-KL/TW")]),
    ],
)
def test_citation_keys_carry_the_year_of_issue_when_stated(text: str, keys: list[tuple[str, str]]) -> None:
    assert _keys(text) == keys


@pytest.mark.parametrize(
    ("key", "parts"),
    [
        ("01/NQ-CP@2025", KeyParts("01/NQ-CP", None, "2025")),
        ("01/NQ-CP", KeyParts("01/NQ-CP", None, None)),
        ("60/2021/NĐ-CP", KeyParts("60/2021/NĐ-CP", None, None)),
        ("123-KH/TU@tỉnh Long An@2023", KeyParts("123-KH/TU", "tỉnh Long An", "2023")),
        ("123-KH/TU@tỉnh Long An", KeyParts("123-KH/TU", "tỉnh Long An", None)),
        ("file:a@2023.txt", KeyParts("file:a@2023.txt", None, None)),
    ],
)
def test_citation_keys_split_key(key: str, parts: KeyParts) -> None:
    assert split_key(key) == parts


@pytest.mark.parametrize(
    ("ident", "issuer_code", "issuer", "province", "date", "key"),
    [
        ("512/KH-UBND", "UBND", "Ủy ban nhân dân tỉnh Bình Định", None, "2024-05-20", "512/KH-UBND@tỉnh Bình Định@2024"),
        ("512/KH-UBND", "UBND", None, None, None, "512/KH-UBND"),
        ("28/2025/TT-BTC", "BTC", None, None, "2025-03-01", "28/2025/TT-BTC"),
        ("28/2025/TT-BTC", "BTC", None, None, "2024-12-30", "28/2025/TT-BTC"),  # the symbol's year rules
        ("1234/QĐ-TTg", "TTg", None, None, "2024-03-02", "1234/QĐ-TTg@2024"),
    ],
)
def test_citation_keys_citation_key(
    ident: str, issuer_code: str, issuer: str | None, province: str | None, date: str | None, key: str
) -> None:
    assert citation_key(ident, issuer_code, issuer, province, date) == key
    assert split_key(key).id == ident


@pytest.mark.parametrize(("ident", "year"), [("60/2021/NĐ-CP", "2021"), ("01/NQ-CP", None), ("18-NQ/TW", None)])
def test_citation_keys_symbol_year(ident: str, year: str | None) -> None:
    assert symbol_year(ident) == year


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        # the same document states the year once: its undated repeats are that document
        ("Căn cứ Quyết định số 1234/QĐ-TTg ngày 02/3/2024 của Thủ tướng Chính phủ. "
         "Các bộ thực hiện nghiêm Quyết định số 1234/QĐ-TTg trong quý II.",
         ["1234/QĐ-TTg@2024", "1234/QĐ-TTg@2024"]),
        # two years stated: an undated repeat could be either, so it keeps the yearless key
        ("Quyết định số 1234/QĐ-TTg ngày 02/3/2024 và Quyết định số 1234/QĐ-TTg ngày 05/4/2025 của Thủ tướng Chính phủ "
         "cùng bàn về biên chế. Quyết định số 1234/QĐ-TTg được nhắc lại.",
         ["1234/QĐ-TTg@2024", "1234/QĐ-TTg@2025", "1234/QĐ-TTg"]),
        # no year stated anywhere: none is invented
        ("Theo Nghị quyết số 01/NQ-CP của Chính phủ và Nghị quyết số 01/NQ-CP nói trên.", ["01/NQ-CP", "01/NQ-CP"]),
    ],
)
def test_citation_keys_undated_repeat_takes_the_one_stated_year(text: str, keys: list[str]) -> None:
    assert [k for _, k in _keys(text)] == keys


def test_citation_keys_self_key_takes_the_header_year() -> None:
    text = (
        "TỈNH ỦY BÌNH ĐỊNH\n*\nSố 77-KH/TU\nĐẢNG CỘNG SẢN VIỆT NAM\nBình Định, ngày 05 tháng 6 năm 2024\n"
        "KẾ HOẠCH\nvề sắp xếp tổ chức bộ máy\nCác cơ quan triển khai Kế hoạch số 77-KH/TU đúng tiến độ.\n"
    )
    result = _extract(text)
    assert result.self_ is not None
    assert (result.self_.key, result.self_.date) == ("77-KH/TU@tỉnh Bình Định@2024", "2024-06-05")
    assert {c.key for c in result.citations if c.id == "77-KH/TU"} == {"77-KH/TU@tỉnh Bình Định@2024"}


def test_citation_keys_backref_resolves_to_the_dated_key() -> None:
    result = _extract("Căn cứ Quyết định số 1234/QĐ-TTg ngày 02/3/2024 của Thủ tướng Chính phủ. Quyết định nêu trên giao biên chế.")
    assert [(b.resolved_id, b.resolved_key) for b in result.backrefs] == [("1234/QĐ-TTg", "1234/QĐ-TTg@2024")]


@pytest.mark.parametrize(
    ("text", "conflict"),
    [
        ("Căn cứ Nghị quyết số 01/NQ-CP ngày 08/01/2024 của Chính phủ và Nghị quyết số 01/NQ-CP ngày 06/01/2025 của Chính phủ.", None),
        ("Căn cứ Nghị quyết số 01/NQ-CP ngày 08/01/2025 của Chính phủ và Nghị quyết số 01/NQ-CP ngày 09/01/2025 của Chính phủ.",
         "01/NQ-CP@2025 được ghi ngày khác nhau"),
    ],
)
def test_citation_keys_conflict_only_within_one_year(text: str, conflict: str | None) -> None:
    messages = _conflicts(_extract(text))
    if conflict is None:
        assert messages == []
    else:
        assert len(messages) == 1 and conflict in messages[0]


@pytest.mark.parametrize(
    ("first", "second", "found"),
    [
        ("Thực hiện Nghị quyết số 01/NQ-CP ngày 08/01/2024 của Chính phủ.", "Thực hiện Nghị quyết số 01/NQ-CP ngày 06/01/2025 của Chính phủ.", False),
        ("Thực hiện Nghị quyết số 01/NQ-CP ngày 08/01/2025 của Chính phủ.", "Thực hiện Nghị quyết số 01/NQ-CP ngày 09/01/2025 của Chính phủ.", True),
        ("Thực hiện Nghị định số 60/2021/NĐ-CP ngày 21/6/2021 của Chính phủ.", "Thực hiện Nghị định số 60/2021/NĐ-CP ngày 22/6/2021 của Chính phủ.", True),
    ],
)
def test_citation_keys_corpus_conflict_only_within_one_year(first: str, second: str, found: bool) -> None:
    results = [_extract(first, "a.txt"), _extract(second, "b.txt")]
    assert bool(corpus_citation_conflicts(results)) is found
    assert bool(check_corpus(results)) is found


def test_citation_keys_unscoped_local_conflict_is_a_warning() -> None:
    result = _extract("Theo Thông báo số 15-TB/TU ngày 03/02/2024 và Thông báo số 15-TB/TU ngày 04/02/2024 về sáp nhập.")
    (finding,) = [f for f in result.findings if f.rule == "citation_conflict"]
    assert finding.severity == "warning" and "15-TB/TU@2024" in finding.message


@pytest.fixture
def year_db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    folder = tmp_path / "in"
    folder.mkdir()
    texts = {
        "a.txt": "Triển khai Nghị quyết số 01/NQ-CP ngày 08/01/2024 của Chính phủ về nhiệm vụ năm 2024.",
        "b.txt": "Triển khai Nghị quyết số 01/NQ-CP ngày 06/01/2025 của Chính phủ về nhiệm vụ năm 2025.",
        "c.txt": "Căn cứ Quyết định số 1234/QĐ-TTg ngày 02/3/2024 của Thủ tướng Chính phủ về biên chế.",
    }
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    build([folder], tmp_path / "c.db", jobs=1)
    conn = store.open_existing(tmp_path / "c.db")
    yield conn
    conn.close()


def test_citation_keys_graph_years_are_two_nodes_without_conflict(year_db: sqlite3.Connection) -> None:
    keys = {n.key: n for n in load_nodes(year_db)}
    assert {"01/NQ-CP@2024", "01/NQ-CP@2025", "1234/QĐ-TTg@2024"} <= set(keys)
    assert keys["01/NQ-CP@2025"].date == "2025-01-06" and not keys["01/NQ-CP@2025"].is_local
    assert conflicts(year_db) == []
    assert {e.key for e in top(year_db)} >= {"01/NQ-CP@2024", "01/NQ-CP@2025"}


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ("01/NQ-CP", ["01/NQ-CP@2024", "01/NQ-CP@2025"]),
        ("01/nq-cp@2025", ["01/NQ-CP@2025"]),
        ("1234/QĐ-TTg", ["1234/QĐ-TTg@2024"]),
        ("1234/QĐ-TTg@2024", ["1234/QĐ-TTg@2024"]),
    ],
)
def test_citation_keys_graph_show_by_plain_id(year_db: sqlite3.Connection, query: str, keys: list[str]) -> None:
    assert find_keys(year_db, query) == keys
    report = show(year_db, query)
    if len(keys) == 1:
        assert report.node is not None and report.node.key == keys[0] and report.cited_by
    else:
        assert report.node is None and report.candidates == keys


def test_citation_keys_graph_show_names_the_other_years(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Triển khai Nghị quyết số 01/NQ-CP ngày 08/01/2024 của Chính phủ.", encoding="utf-8")
    (folder / "b.txt").write_text("Triển khai Nghị quyết số 01/NQ-CP của Chính phủ.", encoding="utf-8")
    build([folder], tmp_path / "c.db", jobs=1)
    conn = store.open_existing(tmp_path / "c.db")
    report = show(conn, "01/NQ-CP")
    conn.close()
    assert report.node is not None and report.node.key == "01/NQ-CP"  # the undated mention is its own node
    assert report.also == ["01/NQ-CP@2024"]


def test_citation_keys_graph_export_keeps_year_keys(year_db: sqlite3.Connection, tmp_path: Path) -> None:
    export_graph(year_db, "graphml", tmp_path / "g.graphml")
    loaded = nx.read_graphml(tmp_path / "g.graphml")
    assert {"01/NQ-CP@2024", "01/NQ-CP@2025"} <= set(loaded.nodes)
    assert loaded.nodes["01/NQ-CP@2024"]["id"] == "01/NQ-CP"
