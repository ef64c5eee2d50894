"""The speed-ups give the answers the plain scans gave: patterns tried only at the
offsets a cheap scan finds match exactly where ``finditer`` matches, the opening each
prefilter relies on is still how its pattern starts, the growing span sets answer
as a scan of the list did, and ``rx`` compiles as ``regex.compile``."""

from __future__ import annotations

import random
from functools import partial

import pytest
import regex

from extractor.patterns import FLAGS, compiled, finditer_at, finditer_from, match_starts, opens_with, rx, scan_offsets, vocabulary, vocabulary_starts
from extractor.rules import backrefs, citations, dates, numbers, ocr_repair
from extractor.rules.numbers import digit_runs
from extractor.rules.spans import Disjoint
from extractor.segment import split_sentences

_PIECES = [
    "Nghị quyết số 18-NQ/TW ngày 25/10/2017 ", "Kế hoạch này ", "nghị quyết trên ", "Quyết định 71 ", "Kế hoạch số 12 ",
    "71-QĐ/TW ", "60/2021/NĐ-CP ", "7l-QĐ/TW ", "6O/2O21/NĐ-CP ", "Số: ....45.../QĐ-UBND ", "1.234,5 ", "1.2.3 ", "12% ",
    "ngày 18/7/2022 ", "18.07.2022 ", "2022-2026 ", "chỉ thị ", "Thông báo kết luận nói trên ", "a1 ", "Ol ", "…12-KH/TU ",
    "x", " ", "\n", ",", "/", ".", "-", "_", "xKế hoạch số 3 ", "45 ~ KH/TU ", "6O l 2O21 l NĐ-CP ", "Thông tư liên tịch số 7 ",
    "giai đoạn 2022 - 2026 ", "Khóa  2020-2025", "2016-2021-2030 ", "nhiệm kỳ\n2026 -2031",
]

_PREFILTERED = [
    ("backrefs", "backref.demonstrative", backrefs._OPENING),
    ("backrefs", "backref.numbered", backrefs._OPENING),
    ("ocr", "ocr.party", ocr_repair._SYMBOL_OPENINGS["party"]),
    ("ocr", "ocr.state", ocr_repair._SYMBOL_OPENINGS["state"]),
    ("citations", "citation.partial", citations._PARTIAL_OPENING),
    ("citations", "citation.party", citations._SYMBOL_OPENING),
    ("citations", "citation.state", citations._SYMBOL_OPENING),
    ("numbers", "number.value", numbers._OPENING),
    ("numbers", "number.malformed", numbers._OPENING),
    ("dates", "date.numeric", r"(?<![\d/.,-])(?P<d>[0-3]?\d)"),
    ("dates", "period.range", dates._RANGE_OPENING),
]


def _texts(seed: int, n: int = 60) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 40))) for _ in range(n)]


def _offsets(name: str, entry_id: str, text: str) -> list[int]:
    if name == "backrefs" or entry_id == "citation.partial":
        return list(vocabulary_starts("doc_types", text))
    if entry_id == "period.range":
        return dates._range_starts(text)
    if name == "ocr":
        return match_starts(ocr_repair._symbol_scan(), text)
    return digit_runs(text)


@pytest.mark.parametrize(("name", "entry_id", "opening"), _PREFILTERED)
def test_speed_prefilter_pattern_still_opens_as_its_prefilter_assumes(name: str, entry_id: str, opening: str) -> None:
    assert opens_with(name, entry_id, opening)


@pytest.mark.parametrize(("name", "entry_id", "opening"), _PREFILTERED)
def test_speed_prefilter_matches_equal_plain_finditer(name: str, entry_id: str, opening: str) -> None:
    pattern = compiled(name, entry_id)
    for text in _texts(len(entry_id)):
        plain = [(m.span(), m.groupdict()) for m in pattern.finditer(text)]
        at = [(m.span(), m.groupdict()) for m in finditer_at(pattern, text, _offsets(name, entry_id, text))]
        via = [(m.span(), m.groupdict()) for m in finditer_from(name, entry_id, text, opening, partial(_offsets, name, entry_id, text))]
        assert plain == at == via, (entry_id, text)


def test_speed_prefilter_falls_back_when_the_opening_changed() -> None:
    pattern = compiled("numbers", "number.value")
    text = "12 và 1.234"
    got = [m.span() for m in finditer_from("numbers", "number.value", text, "no such opening", lambda: [])]
    assert got == [m.span() for m in pattern.finditer(text)] and got


def test_speed_prefilter_scan_offsets_include_starts_inside_a_match() -> None:
    scan = regex.compile(r"ab|b")
    assert scan_offsets(scan, "xabx") == [1, 2]
    assert scan_offsets(regex.compile(r"(?=a)"), "aa") == [0, 1]


@pytest.mark.parametrize(("pattern", "text"), [(r"ab|b", "xabx"), (r"aa", "aaaa"), (r"(?=a)", "aa"), (r"\d+/", "12/3/")])
def test_speed_prefilter_match_starts_are_every_offset_a_scan_matches_at(pattern: str, text: str) -> None:
    scan = regex.compile(pattern)
    assert match_starts(scan, text) == [i for i in range(len(text) + 1) if scan.match(text, i)]


def test_speed_prefilter_vocabulary_starts_are_every_offset_a_type_word_starts_at() -> None:
    any_case = regex.compile(vocabulary("doc_types"), FLAGS)
    for text in _texts(7):
        assert list(vocabulary_starts("doc_types", text)) == [i for i in range(len(text)) if any_case.match(text, i)]
    assert vocabulary_starts("doc_types", "Thông báo kết luận") == (0, 10)


def test_speed_prefilter_digit_runs_are_run_starts() -> None:
    assert digit_runs("a12 3.45/6") == [1, 4, 6, 9]


def test_speed_prefilter_disjoint_matches_a_scan_of_the_list() -> None:
    rng = random.Random(3)
    for _ in range(200):
        spans = Disjoint()
        kept: list[tuple[int, int]] = []
        for _ in range(30):
            a = rng.randint(0, 60)
            b = a + rng.randint(0, 6)
            expected = any(a < e and s < b for s, e in kept)
            assert spans.any(a, b) == expected
            if not expected:
                spans.add(a, b)
                kept.append((a, b))
            if rng.random() < 0.1:
                lo = rng.randint(0, 60)
                hi = lo + rng.randint(0, 8)
                spans.remove_overlapping(lo, hi)
                kept = [(s, e) for s, e in kept if not (s < hi and lo < e)]
        assert spans.spans() == sorted(kept)


def test_speed_prefilter_partials_match_the_scan() -> None:
    rng = random.Random(5)
    for _ in range(100):
        raw = {(a, a + rng.randint(0, 9)) for a in (rng.randint(0, 80) for _ in range(rng.randint(0, 12)))}
        partials = backrefs._Partials(raw)
        for _ in range(40):
            lo = rng.randint(0, 90)
            hi = lo + rng.randint(1, 9)
            assert partials.hit(lo, hi) == any(s <= lo and hi <= e or lo <= s < hi for s, e in raw)


@pytest.mark.parametrize(("pattern", "flags"), [(r"\s+", 0), (r"biên\s+chế", regex.IGNORECASE), (r"(?<!\p{L})x", regex.IGNORECASE | regex.MULTILINE)])
def test_speed_prefilter_rx_compiles_once_as_regex_compile(pattern: str, flags: int) -> None:
    assert rx(pattern, flags) is rx(pattern, flags)
    assert rx(pattern, flags).pattern == pattern and rx(pattern, flags).flags == regex.compile(pattern, flags).flags


def test_speed_prefilter_split_sentences_gives_each_caller_its_own_sentences() -> None:
    text = "Câu một. Câu hai.\nDòng ba"
    first = split_sentences(text)
    first[0].text = "changed"
    second = split_sentences(text)
    assert [(s.start, s.end, s.text) for s in second] == [(0, 8, "Câu một."), (9, 17, "Câu hai."), (18, 25, "Dòng ba")]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [("Lộ gồm 2 huyện Siêu Loại và Gia Lâm. Châu Gia Lâm gồm 3 huyện.", 2), ("Trụ sở tại TP. Hồ Chí Minh.", 1),
     ("Ông Ng. Văn A làm Giám đốc. Bà B làm Phó Giám đốc.", 2), ("Tỉnh Hà Nam. Tỉnh Nam Định.", 2)],
)
def test_speed_prefilter_a_short_capitalised_word_ends_a_sentence_an_abbreviation_does_not(text: str, sentences: int) -> None:
    assert len(split_sentences(text)) == sentences
