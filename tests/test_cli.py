"""The CLI end to end: a batch of good and bad files, the outputs, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from extractor.export.jsonl import read_jsonl

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
GOOD = "Thực hiện Kết luận số 40-KL/TW, ngày 18/7/2022 của Bộ Chính trị, tổng biên chế của tỉnh năm 2024 là 1.250 biên chế.\n"


def _tcvn3(text: str) -> bytes:
    from viparse.normalize.tcvn3 import TCVN3

    reverse: dict[str, str] = {}
    for legacy, letter in TCVN3.pairs:
        reverse.setdefault(letter, legacy)
    return "".join(reverse.get(ch, ch) for ch in unicodedata.normalize("NFC", text)).encode("latin-1")


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "extractor", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_cli_batch_of_bad_files_loses_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "random.pdf").write_bytes(os.urandom(4096))
    pdf = (CORPUS / "kh-123-longan.pdf").read_bytes()
    (folder / "truncated.pdf").write_bytes(pdf[: len(pdf) // 3])
    (folder / "notzip.docx").write_bytes(b"this is not a zip file at all")
    with (folder / "big.txt").open("wb") as handle:
        line = GOOD.encode("utf-8")
        for _ in range(50_000_000 // len(line) + 1):
            handle.write(line)
    (folder / "tcvn3.txt").write_bytes(_tcvn3(GOOD * 3))
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    proc = _run("extract", str(folder), "-o", str(out), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    results = {Path(r.source).name: r for r in read_jsonl(out / "results.jsonl")}
    assert set(results) == {"empty.txt", "random.pdf", "truncated.pdf", "notzip.docx", "big.txt", "tcvn3.txt", "good.txt"}
    codes = {name: [e.code for e in r.errors] for name, r in results.items()}
    assert codes["empty.txt"] == ["E_EMPTY"]
    assert codes["random.pdf"] == ["E_PDF_CORRUPT"]
    assert codes["notzip.docx"] == ["E_DOCX_CORRUPT"]
    assert codes["big.txt"] == ["E_TOO_LARGE"]
    assert codes["truncated.pdf"] in (["E_PDF_CORRUPT"], [])
    for name in ("empty.txt", "random.pdf", "notzip.docx", "big.txt"):
        message = results[name].errors[0].message
        assert message.startswith(name) and name in proc.stderr
    for name in ("good.txt", "tcvn3.txt"):
        r = results[name]
        assert r.errors == []
        assert [c.id for c in r.citations][:1] == ["40-KL/TW"]
        assert any(f.value == 1250 and f.year == 2024 for f in r.figures)
    assert any(w.code == "W_LEGACY_ENCODING" for w in results["tcvn3.txt"].warnings)
    assert (out / "bienche.xlsx").stat().st_size > 0
    assert (out / "figures.csv").read_text(encoding="utf-8-sig").count("1250") >= 2


def test_cli_corpus_exit_zero_and_all_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = _run("extract", str(CORPUS), "-o", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for name in ("results.jsonl", "figures.csv", "citations.csv", "bienche.xlsx"):
        assert (out / name).exists(), name
    lines = (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 8
    first = json.loads(lines[0])
    scan = next(json.loads(line) for line in lines if "ban-scan-004.pdf" in line)
    assert scan["errors"] == [] and scan["citations"]  # the scanned sample read by OCR
    assert {"source", "sha256", "errors", "self", "citations", "figures", "findings"} <= set(first)


@pytest.mark.parametrize(
    ("args", "code"),
    [(["extract", "no-such-folder"], 2), (["extract", "--bogus", "x"], 2), (["schema"], 0)],
)
def test_cli_exit_codes(tmp_path: Path, args: list[str], code: int) -> None:
    assert _run(*args, cwd=tmp_path).returncode == code


def test_cli_jsonl_to_stdout(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text(GOOD, encoding="utf-8")
    proc = _run("extract", str(src), "--jsonl", "-", cwd=tmp_path)
    assert proc.returncode == 0
    record = json.loads(proc.stdout.strip())
    assert (record["citations"][0]["id"], record["citations"][0]["key"]) == ("40-KL/TW", "40-KL/TW")
