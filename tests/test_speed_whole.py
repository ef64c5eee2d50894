"""The whole-process speed-ups change no answer: normalisation tried only where its
patterns can start gives what the plain scans gave, the OCR symbol scan tried at its
opening characters finds what the overlapped scan found, the batch hands the largest
waiting file out first yet returns results in input order, the province names kept on
disk are the libraries' names, and the start-up shortcuts (warm-up, quiet progress,
lazy writers) leave the commands as they were."""

from __future__ import annotations

import os
import random
import signal
import sys
import threading
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
import regex

from extractor import batch, gazetteer, text
from extractor.cli_support import QuietProgress, console, file_progress
from extractor.extract_run import warm_up
from extractor.interrupts import Interrupted, catch_interrupts, signals_held
from extractor.models import DocumentResult
from extractor.patterns import match_starts
from extractor.rules.ocr_scan import _literal_chars, symbol_scan, symbol_starts
from extractor.rules.orgs import canonical_name

_ALPHABET = [
    " ", " ", " ", "\n", "\n", "a", "o", "u", "O", "U", "q", "á", "à", "ý", "Ỳ", "ẻ", "ề", "\u0301", "\u0323", "\t", "\r",
    "\r\n", "\u00a0", "\u2002", "\u2028", "\x85", "\x1c", "\x01", "\u200b", "\u00ad", "-", "1", "K", "|", ".", ":", "Đ",
    "\u00d0", "\u01a3", "\ufeff", "\f", "\x0b", "y", "e", "A", "Y", "ạ", "/", "l", "I", "_", "…", "QĐ", "TW",
]


def _random_texts(seed: int, n: int = 400) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 50))) for _ in range(n)]


def _plain_joins(lines: list[str], full: int) -> Callable[[regex.Match[str]], str]:
    """The line-join rule as a ``sub`` callback, as it was written before the loop."""
    line_of: dict[int, int] = {}
    pos = 0
    for i, line in enumerate(lines):
        pos += len(line)
        line_of[pos] = i
        pos += 1

    def replace(match: regex.Match[str]) -> str:
        i = line_of[match.start()]
        return text._line_join(lines[i].rstrip(), lines[i + 1].lstrip(), full)

    return replace


def _plain_normalise(raw: str, wrapped: bool) -> tuple[str, text.Anchors]:
    """``normalise`` with every pattern scanned over the whole text (no prefilter)."""
    out, anchors = text.sub_with_anchors(raw, text._CHARS, text._char)
    out = str(text._OLD_STYLE.sub(text._move_tone, out))
    if wrapped:
        lines = out.split("\n")
        widths = sorted(len(line) for line in lines if line.strip())
        if widths:
            full = widths[int(len(widths) * 0.9)] if len(widths) > 3 else widths[-1]
            out, joined = text.sub_with_anchors(out, regex.compile(r"\n"), _plain_joins(lines, full))
            anchors = text.compose(joined, anchors)
    out, spaced = text.sub_with_anchors(out, text._SPACES, text._space)
    return out, text._dedupe(text.compose(spaced, anchors))


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("wrapped", [False, True])
def test_speed_whole_normalise_equals_plain_scans(seed: int, wrapped: bool) -> None:
    for raw in _random_texts(seed):
        assert text.normalise(raw, wrapped_lines=wrapped) == _plain_normalise(raw, wrapped), repr(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("hoá học", "hóa học"),
        ("Uỷ ban", "Ủy ban"),
        ("quý", "quý"),
        ("hoà  bình ", "hòa bình"),
        ("\u00a0a\u0301\r\nb", "á\nb"),
        ("  x\n\n\n\n y  ", "x\n\ny"),
    ],
)
def test_speed_whole_normalise_examples(raw: str, expected: str) -> None:
    assert text.normalise(raw)[0] == expected


def test_speed_whole_tone_candidates_are_every_toned_vowel() -> None:
    toned = {c for c in map(chr, range(0x80, 0x2000)) if len(unicodedata.normalize("NFD", c)) == 2
             and unicodedata.normalize("NFD", c)[0].lower() in "aey" and unicodedata.normalize("NFD", c)[1] in text._TONES}
    assert toned == set(text._TONED)


@pytest.mark.parametrize("seed", [3, 4])
def test_speed_whole_symbol_starts_equal_overlapped_scan(seed: int) -> None:
    pieces = ["7l-QĐ/TW ", "6O/2O21/NĐ-CP ", "Số: ....45.../QĐ-UBND ", "| 12 | 3 |", "là ", "I. ", "…12-KH/TU ", "x1/", "a", " "]
    rng = random.Random(seed)
    for _ in range(300):
        sample = "".join(rng.choice(pieces + _ALPHABET) for _ in range(rng.randint(0, 30)))
        assert symbol_starts(sample) == match_starts(symbol_scan(), sample), repr(sample)


@pytest.mark.parametrize(
    ("pattern", "chars"),
    [("[lI|]", "lI|"), ("A", "A"), ("[Oo]", "Oo"), ("|", None), ("[a-z]", None), ("(?:x)", None), ("ab", None), ("[^a]", None), (r"[\d]", None)],
)
def test_speed_whole_literal_chars(pattern: str, chars: str | None) -> None:
    assert _literal_chars(pattern) == chars


@pytest.mark.parametrize(
    ("written", "name"),
    [("BCH TW", "Ban Chấp hành Trung ương"), ("BTV Tỉnh ủy", "Ban Thường vụ Tỉnh ủy"), ("Ban Chấp hành (khóa XIII)", "Ban Chấp hành khóa XIII"),
     ("Sở  Nội\nvụ", "Sở Nội vụ"), ("BCHX", "BCHX"), ("T.Ư", "Trung ương")],
)
def test_speed_whole_canonical_name(written: str, name: str) -> None:
    assert canonical_name(written) == name


def test_speed_whole_queue_hands_out_the_largest_of_the_next_files(tmp_path: Path) -> None:
    sizes = [1, 5, 3, 9, 2]
    paths = []
    for i, size in enumerate(sizes):
        path = tmp_path / f"{i}.txt"
        path.write_bytes(b"x" * size)
        paths.append(path)
    queue = batch._Queue(paths)
    order = []
    while queue:
        order.append(queue.pop()[0])
    assert order == [3, 1, 2, 4, 0]


def test_speed_whole_queue_looks_only_so_far_ahead(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "LOOKAHEAD", 2)
    paths = []
    for i, size in enumerate([1, 2, 3, 9]):
        path = tmp_path / f"{i}.txt"
        path.write_bytes(b"x" * size)
        paths.append(path)
    queue = batch._Queue(paths + [tmp_path / "missing.txt"])
    assert [queue.pop()[0] for _ in range(5)] == [1, 0, 3, 2, 4]


def test_speed_whole_batch_results_stay_in_input_order(tmp_path: Path) -> None:
    paths = []
    for i, size in enumerate([1, 40, 3, 20, 2, 30]):
        path = tmp_path / f"{i}.txt"
        path.write_bytes(b"x" * size)
        paths.append(path)

    def work(path: Path) -> DocumentResult:
        return DocumentResult(source=str(path), sha256=None)

    results = list(batch.extract_many(paths, jobs=2, timeout=30.0, work=work))
    assert [r.source for r in results] == [str(p) for p in paths]


def test_speed_whole_province_names_kept_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIENCHE_REGEX_CACHE", str(tmp_path))
    gazetteer.province_names.cache_clear()
    try:
        first = gazetteer.province_names()
        kept = list(tmp_path.glob("provinces-*.json"))
        gazetteer.province_names.cache_clear()
        assert len(kept) == 1 and gazetteer.province_names() == first == gazetteer._read_province_names()
        kept[0].write_text("{not json", encoding="utf-8")
        gazetteer.province_names.cache_clear()
        assert gazetteer.province_names() == first
    finally:
        gazetteer.province_names.cache_clear()


def test_speed_whole_province_names_without_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIENCHE_REGEX_CACHE", "0")
    gazetteer.province_names.cache_clear()
    try:
        assert gazetteer.province_names() == gazetteer._read_province_names()
    finally:
        gazetteer.province_names.cache_clear()


def test_speed_whole_quiet_progress_takes_the_bar_calls() -> None:
    err = console(stderr=True)
    progress = file_progress(err, show=False)
    assert isinstance(progress, QuietProgress) and progress.console is err
    with progress:
        task = progress.add_task("extracting", total=3, file="")
        progress.update(task, advance=1, file="a.txt")


def test_speed_whole_warm_up_imports_the_readers_asked_for() -> None:
    warm_up([Path("a.pdf"), Path("b.md")], "rules")
    assert "extractor.ingest.pdf" in sys.modules and "extractor.ingest.txt" in sys.modules


@pytest.mark.parametrize("helper_thread", [False, True])
def test_speed_whole_signal_waits_for_the_end_of_a_record(helper_thread: bool) -> None:
    stop = threading.Event()
    helper = threading.Thread(target=stop.wait, daemon=True)  # a pool's helper thread may take the signal
    if helper_thread:
        helper.start()
    done: list[str] = []
    try:
        with pytest.raises(Interrupted), catch_interrupts():
            with signals_held():
                os.kill(os.getpid(), signal.SIGINT)
                for step in ("journal", "index"):
                    time.sleep(0.01)  # the handler has had its chance to run half-way
                    done.append(step)
            done.append("after")
    finally:
        stop.set()
    assert done == ["journal", "index"]
