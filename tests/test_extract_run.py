"""A whole `bienche extract` run: journal, interrupts (SIGINT, SIGTERM, kill -9) and --resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extractor.journal import JOURNAL_NAME, Journal, compact, entries
from extractor.models import DocumentResult, FileError

BIENCHE = str(Path(sys.executable).with_name("bienche"))

_PARAGRAPH = (
    "Thực hiện Quyết định số 71-QĐ/TW ngày 18/7/2022 của Bộ Chính trị, Ban Thường vụ Tỉnh ủy giao "
    "tổng biên chế năm {year} của hệ thống chính trị tỉnh là {total} biên chế, gồm {a} biên chế cấp tỉnh "
    "và {b} biên chế cấp huyện; giảm {cut} biên chế so với năm {prev}.\n"
)


def _write_folder(folder: Path, n_files: int, paragraphs: int) -> list[Path]:
    """``n_files`` directive-like texts (numbers differ per file), a broken PDF among them."""
    folder.mkdir()
    paths = []
    for i in range(n_files):
        a, b = 1000 + i, 2000 + 3 * i
        body = "".join(_PARAGRAPH.format(year=2022 + k % 3, prev=2021 + k % 3, total=a + b + k, a=a + k, b=b, cut=k + 1) for k in range(paragraphs))
        path = folder / f"kh-{i:03d}.txt"
        path.write_text(f"KẾ HOẠCH số {i + 1}-KH/TU\n" + body, encoding="utf-8")
        paths.append(path)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7 not really")
    return paths


def _run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([BIENCHE, "extract", *args], capture_output=True, text=True, timeout=300, **kwargs)  # type: ignore[call-overload, no-any-return]


def _start(args: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen([BIENCHE, "extract", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def _wait_for_records(journal: Path, at_least: int, proc: subprocess.Popen[str], limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if journal.is_file() and journal.read_bytes().count(b"\n") >= at_least:
            return
        if proc.poll() is not None:
            pytest.fail(f"the run ended before {at_least} records: {proc.stderr.read() if proc.stderr else ''}")
        time.sleep(0.05)
    pytest.fail("no records in the journal")


def _xlsx_cells(path: Path) -> list[list[tuple[object, ...]]]:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(path, read_only=True)
    return [list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets]


def _same_outputs(a: Path, b: Path) -> None:
    for name in ("results.jsonl", "figures.csv", "citations.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert _xlsx_cells(a / "bienche.xlsx") == _xlsx_cells(b / "bienche.xlsx")


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A folder of 41 files and the outputs of one uninterrupted run over it."""
    root = tmp_path_factory.mktemp("run")
    _write_folder(root / "in", 40, 150)
    done = _run([str(root / "in"), "-o", str(root / "clean"), "-q", "-j", "2"])
    assert done.returncode == 1, done.stderr  # the broken PDF fails, the rest is read
    return root / "in", root / "clean"


def test_extract_run_kill9_then_resume_gives_the_uninterrupted_outputs(batch: tuple[Path, Path], tmp_path: Path) -> None:
    folder, clean = batch
    out = tmp_path / "out"
    proc = _start([str(folder), "-o", str(out), "-q", "-j", "2"])
    _wait_for_records(out / JOURNAL_NAME, 8, proc)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert not (out / "results.jsonl").exists()  # nothing half-written under the real name
    resumed = _run([str(folder), "-o", str(out), "-j", "2", "--resume"])
    assert resumed.returncode == 1, resumed.stderr
    assert "kept from the earlier run" in resumed.stderr
    _same_outputs(clean, out)
    assert not list(out.glob("*.tmp*")) and not list(out.glob(".*.part*"))


@pytest.mark.parametrize(("signum", "group", "code"), [
    (signal.SIGINT, False, 130), (signal.SIGINT, True, 130), (signal.SIGTERM, False, 143), (signal.SIGTERM, True, 143),
])  # fmt: skip
def test_extract_run_signal_stops_promptly_with_partial_outputs(batch: tuple[Path, Path], tmp_path: Path, signum: int, group: bool, code: int) -> None:
    folder, clean = batch
    out = tmp_path / "out"
    proc = _start([str(folder), "-o", str(out), "-q", "-j", "2"])
    _wait_for_records(out / JOURNAL_NAME, 5, proc)
    (os.killpg if group else os.kill)(proc.pid, signum)
    started = time.monotonic()
    _, stderr = proc.communicate(timeout=30)
    assert time.monotonic() - started < 15
    assert proc.returncode == code, stderr
    assert "--resume" in stderr
    lines = (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
    reference = (clean / "results.jsonl").read_text(encoding="utf-8").splitlines()
    assert 5 <= len(lines) < len(reference)
    assert lines == reference[: len(lines)]  # the files done so far, in input order, as a full run writes them
    assert (out / "bienche.xlsx").is_file() and (out / "figures.csv").is_file()


def test_extract_run_resume_rereads_changed_files_only(batch: tuple[Path, Path], tmp_path: Path) -> None:
    folder, _clean = batch
    copy = tmp_path / "in"
    copy.mkdir()
    for path in sorted(folder.iterdir())[:6]:
        (copy / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "out"
    assert _run([str(copy), "-o", str(out), "-q"]).returncode == 1
    changed = copy / "kh-002.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "Giao 77 biên chế cấp xã năm 2025.\n", encoding="utf-8")
    again = _run([str(copy), "-o", str(out), "--resume"])
    assert "4 kept from the earlier run" in again.stderr, again.stderr  # the broken PDF (no sha256) is read again
    records = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert any(f["value"] == 77 for r in records for f in r["figures"] if r["source"].endswith("kh-002.txt"))


def test_journal_entries_skip_a_line_cut_short(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    journal = Journal(path, fresh=True)
    first = journal.append(DocumentResult(source="a.txt", sha256="1", settings="s"))
    second = journal.append(DocumentResult(source="b.txt", sha256=None, errors=[FileError(code="E_TIMEOUT", message="b.txt: slow")]))
    journal.close()
    with path.open("ab") as handle:
        handle.write(b'{"source": "c.txt", "sha')
    found = list(entries(path))
    assert [(e.offset, e.source, e.codes) for e in found] == [(first, "a.txt", ()), (second, "b.txt", ("E_TIMEOUT",))]


def test_journal_compact_keeps_the_given_records_in_order(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    journal = Journal(path, fresh=True)
    offsets = [journal.append(DocumentResult(source=f"{name}.txt", sha256=name)) for name in "abc"]
    journal.close()
    compact(path, [offsets[2], offsets[0]])
    assert [e.source for e in entries(path)] == ["c.txt", "a.txt"]


def test_extract_run_scheduler_local_gives_the_local_jsonl(batch: tuple[Path, Path], tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    folder, _clean = batch
    files = [str(p) for p in sorted(folder.iterdir())[:5]]
    local = _run([*files, "--jsonl", str(tmp_path / "local.jsonl"), "-q", "-j", "1"])
    cluster = _run([*files, "--jsonl", str(tmp_path / "cluster.jsonl"), "-q", "--scheduler", "local:2"])
    assert (local.returncode, cluster.returncode) == (1, 1), cluster.stderr
    assert (tmp_path / "local.jsonl").read_bytes() == (tmp_path / "cluster.jsonl").read_bytes()


def test_extract_run_limit_options_reach_the_workers(tmp_path: Path) -> None:
    pdf = Path(__file__).resolve().parent.parent / "corpus" / "kh-123-longan.pdf"
    done = _run([str(pdf), "--jsonl", str(tmp_path / "r.jsonl"), "--max-pages", "3", "-j", "1"])
    record = json.loads((tmp_path / "r.jsonl").read_text(encoding="utf-8"))
    assert done.returncode == 1
    assert [e["code"] for e in record["errors"]] == ["E_LIMIT_PAGES"]
    assert "--max-pages" in record["errors"][0]["message"] and "limits=" in record["settings"]
    assert "limits=default" not in record["settings"]


def _session_members(sid: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getsid(int(entry.name)) == sid:
                    members.append(int(entry.name))
            except OSError:
                continue
    return members


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_extract_run_workers_exit_when_the_parent_alone_is_killed(batch: tuple[Path, Path], tmp_path: Path) -> None:
    folder, _clean = batch
    out = tmp_path / "out"
    proc = _start([str(folder), "-o", str(out), "-q", "-j", "2"])
    _wait_for_records(out / JOURNAL_NAME, 3, proc)
    assert len(_session_members(proc.pid)) >= 2  # the parent and its workers
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    deadline = time.monotonic() + 15
    while _session_members(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _session_members(proc.pid) == []  # no orphaned worker left waiting on a dead parent
