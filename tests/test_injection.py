"""Every export is inert whatever the documents and their file names hold:
no spreadsheet formula (CSV, XLSX), no live markup or script (HTML report, SVG),
no character that breaks XML (GraphML, GEXF), no output path chosen by a file name.

The real command runs once on a folder of hostile documents (module fixture);
each test checks one export.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
CONTROL = "".join(chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
FORBIDDEN_XML = re.compile(f"[{re.escape(CONTROL)}]")
PAYLOADS = (
    "=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+1", "-1+1", "\t=1", "   =1", '"=1"',
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "Ctrl" + CONTROL.replace("\x00", ""),
)  # fmt: skip
SENTENCES = (
    "Thực hiện Kết luận số 40-KL/TW, ngày 18/7/2022 của Bộ Chính trị, tổng biên chế năm 2024 là 1.250 biên chế.",
    "Căn cứ Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương về {p}, giao 300 biên chế.",
    "Theo Quyết định số 72-QĐ/TW ngày 18/7/2022 của Bộ Chính trị, năm 2025 có 1.200 biên chế.",
)
NAMES = ("=1+1.txt", "<img src=x onerror=alert(1)>.txt", "@SUM(1+1).md", "-2+3.html", "+cmd.docx", "<b>x<\\b>.txt")
BAD = "=HYPERLINK(1)<script>alert(7)<\\script>.txt"
"""A file that fails (NUL bytes): its name goes into error messages."""


def _body() -> str:
    lines = []
    for i, payload in enumerate(PAYLOADS):
        sentence = SENTENCES[i % len(SENTENCES)].replace("{p}", payload)
        lines.append(f"{payload} {sentence}")
    return "\n".join(lines) + "\n"


def _html(body: str) -> str:
    from html import escape

    paras = "".join(f"<p>{escape(line)}</p>" for line in body.splitlines())
    raw = "<p>=1+1 <script>alert(5)</script><img src=x onerror=alert(6)> " + SENTENCES[2] + "</p>"
    title = "=HYPERLINK(\"http://x\")<script>alert(4)</script>"
    head = "<p>BỘ CHÍNH TRỊ</p><p>Số 99-KL/TW</p><p>Hà Nội, ngày 1 tháng 2 năm 2024</p><p>KẾT LUẬN</p>"
    return f"<html><head><title>{escape(title)}</title></head><body>{head}<p>{escape(title)}</p>{paras}{raw}</body></html>"


def _docx(path: Path, body: str) -> None:
    import docx

    document = docx.Document()
    document.core_properties.title = "=cmd|' /C calc'!A0"
    for line in body.splitlines():
        document.add_paragraph("".join(ch for ch in line if ch in "\t\n\r" or ord(ch) >= 0x20))
    document.save(str(path))


def _write_inputs(folder: Path) -> None:
    folder.mkdir()
    body = _body()
    for name in NAMES:
        path = folder / name
        if name.endswith(".html"):
            path.write_text(_html(body), encoding="utf-8")
        elif name.endswith(".docx"):
            _docx(path, body)
        else:
            path.write_text(body, encoding="utf-8")
    (folder / BAD).write_bytes(b"\x00NUL " + SENTENCES[0].encode("utf-8"))


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "extractor", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    return proc


@dataclass(frozen=True)
class Run:
    """Where the hostile run wrote: the extract folder, the graph exports."""

    base: Path
    out: Path
    graph: Path


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """``bienche extract`` (file names as given by a shell: relative, after ``--``),
    ``graph build`` and ``graph export`` in every format, and ``graph draw``."""
    base = tmp_path_factory.mktemp("injection")
    inputs = base / "in"
    _write_inputs(inputs)
    proc = _run("extract", "-o", str(base / "out"), "-q", "--", *NAMES, BAD, cwd=inputs)
    assert proc.returncode == 1, proc.stderr  # BAD failed
    graph = base / "graph"
    graph.mkdir()
    db = str(graph / "g.db")
    assert _run("graph", "build", str(inputs), "--db", db, "-q", cwd=base).returncode == 0
    for fmt, name in (("graphml", "g.graphml"), ("gexf", "g.gexf"), ("csv", "csv"), ("json", "g.json")):
        assert _run("graph", "export", "--db", db, "-f", fmt, "-o", str(graph / name), cwd=base).returncode == 0
    _run("graph", "draw", "--db", db, "-o", str(graph / "g.svg"), cwd=base)
    return Run(base=base, out=base / "out", graph=graph)


def _results(run: Run) -> list[dict[str, object]]:
    lines = (run.out / "results.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_injection_payloads_reach_the_outputs(run: Run) -> None:
    results = _results(run)
    assert sorted(str(r["source"]) for r in results) == sorted([*NAMES, BAD])
    failed = [r["source"] for r in results if r["errors"]]
    assert failed == [BAD], failed
    sentences = [str(c["sentence"]) for r in results for c in r["citations"]]  # type: ignore[attr-defined]
    for payload in ("=cmd|", "@SUM(1+1)", "+1+1", "-1+1", "<script>"):
        assert any(payload in s for s in sentences), payload  # else the other tests prove nothing


def _formula(cell: str) -> bool:
    stripped = cell.lstrip(" ")
    if not stripped.startswith(FORMULA_LEADS):
        return False
    try:
        float(stripped)
    except ValueError:
        return True
    return False  # a plain negative number is data, not a formula


def _csv_cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


@pytest.mark.parametrize("name", ["out/figures.csv", "out/citations.csv", "graph/csv/nodes.csv", "graph/csv/edges.csv"])
def test_injection_csv_cells_have_no_formula(run: Run, name: str) -> None:
    cells = _csv_cells(run.base / name)
    assert len(cells) > 20
    bad = [cell for cell in cells if _formula(cell)]
    assert not bad, bad[:5]
    defused = [cell for cell in cells if cell.startswith("'") and _formula(cell[1:])]
    assert defused, "the payloads should appear, defused with a leading quote"


def _xlsx_text_cells(path: Path) -> list[tuple[str, object]]:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(path)
    cells: list[tuple[str, object]] = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    cells.append((cell.value, cell))
    return cells


def test_injection_xlsx_has_no_formula_cell(run: Run) -> None:
    cells = _xlsx_text_cells(run.out / "bienche.xlsx")
    assert any("=cmd|" in value for value, _ in cells)


@pytest.mark.xfail(strict=True, reason="the workbook stores formula-like text as plain strings without Excel's quote prefix; editing such a cell in Excel turns it into a formula (reported to the lead)")
def test_injection_xlsx_formula_text_is_quote_prefixed(run: Run) -> None:
    cells = _xlsx_text_cells(run.out / "bienche.xlsx")
    bad = [value for value, cell in cells if _formula(str(value)) and not cell.quotePrefix]  # type: ignore[attr-defined]
    assert not bad, bad[:5]


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside each script."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False if tag == "script" else self._in_script

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def test_injection_html_report_has_no_live_markup(run: Run) -> None:
    page = (run.out / "report.html").read_text(encoding="utf-8")
    assert "alert(1)" in page  # the payloads are shown, as text
    parser = _Tags()
    parser.feed(page)
    assert len(parser.scripts) == 1 and "alert(" not in parser.scripts[0]
    handlers = [(tag, name) for tag, attrs in parser.tags for name in attrs if name.startswith("on")]
    assert not handlers
    images = [attrs.get("src") or "" for tag, attrs in parser.tags if tag == "img"]
    assert all(src.startswith("data:") for src in images), images
    assert not [tag for tag, _ in parser.tags if tag in ("iframe", "object", "embed", "svg", "math")]
    assert "&lt;b&gt;x&lt;" in page and "<b>x<" not in page  # the file name, shown as text


@pytest.mark.parametrize("name", ["g.graphml", "g.gexf"])
def test_injection_graph_xml_parses_clean(run: Run, name: str) -> None:
    import networkx as nx

    path = run.graph / name
    raw = path.read_text(encoding="utf-8")
    assert not FORBIDDEN_XML.search(raw)
    assert not re.search(r"&#(?:x0*(?:[0-8bcBC]|1[0-9a-fA-F])|0*(?:[0-8]|1[124-9]|2[0-9]|3[01]));", raw)
    values = [v for element in ET.parse(path).iter() for v in [element.text or "", *element.attrib.values()]]
    assert any("<script>" in v for v in values) and not any(FORBIDDEN_XML.search(v) for v in values)
    graph = nx.read_graphml(path) if name.endswith("graphml") else nx.read_gexf(path)
    assert graph.number_of_edges() > 5


def test_injection_graph_json_parses(run: Run) -> None:
    data = json.loads((run.graph / "g.json").read_text(encoding="utf-8"))
    assert len(data["edges"]) > 5


def test_injection_svg_has_no_script(run: Run) -> None:
    path = run.graph / "g.svg"
    if not path.exists():
        pytest.skip("graph draw wrote no picture here")
    for element in ET.parse(path).iter():
        assert element.tag.rsplit("}", 1)[-1] not in ("script", "foreignObject")
        assert not [k for k in element.attrib if k.startswith("on")]


def test_injection_file_names_never_steer_output_paths(run: Run) -> None:
    written = sorted(p.relative_to(run.base).as_posix() for p in run.base.rglob("*") if p.is_file())
    inputs = sorted(f"in/{name}" for name in [*NAMES, BAD])
    outputs = ["out/.bienche-journal.jsonl", "out/bienche.xlsx", "out/citations.csv", "out/figures.csv", "out/report.html", "out/results.jsonl"]
    graph = ["graph/csv/edges.csv", "graph/csv/nodes.csv", "graph/g.db", "graph/g.gexf", "graph/g.graphml", "graph/g.json"]
    extra = [p for p in written if p not in inputs + outputs + graph and p != "graph/g.svg"]
    assert not extra, extra
    assert set(outputs + graph) <= set(written)
