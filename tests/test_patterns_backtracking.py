"""Every compiled pattern of patterns/ against adversarial text, under a time bound:
long runs of digits, dots, slashes, spaces, "số", Vietnamese words and near-miss
citations. A pattern that backtracks catastrophically times out; one whose time
grows with the square of the input grows about 16 times for 4 times the text."""

from __future__ import annotations

import time

import pytest
import regex

from extractor.patterns import compiled, entries, pattern_files

ADVERSARIAL = {
    "digits": "1234567890",
    "dots": "1.",
    "slashes": "1/",
    "spaces": "1 ",
    "whitespace": "  \n",
    "so": "số ",
    "so_number": "số 1 ",
    "words": "biên chế công chức ",
    "capitals": "Ủy Ban Nhân Dân ",
    "commas": "1, ",
    "dashes": "2024-",
    "percent": "1% ",
    "brackets": "(1 ",
    "near_citation": "Nghị quyết số 01/NQ-",
    "citation_prefix": "Quyết định số 12/QĐ-UBND ngày ",
}
SHORT, LONG = 1000, 4000
LIMIT_S = 5.0
"""Seconds one search may take on LONG characters before the pattern counts as runaway."""


def _all_patterns() -> list[tuple[str, str, bool]]:
    return [(name, e.id, e.anchored) for name in pattern_files() for e in entries(name)]


def _seconds(pattern: regex.Pattern[str], text: str, anchored: bool, limit: float = LIMIT_S) -> float:
    started = time.process_time()
    if anchored:  # used with match at one position: try the first few
        for pos in range(3):
            pattern.match(text, pos, timeout=limit)
    else:
        for _ in pattern.finditer(text, timeout=limit):
            pass
    return time.process_time() - started


@pytest.mark.parametrize(("name", "entry_id", "anchored"), _all_patterns())
def test_patterns_backtracking_linear_on_adversarial_text(name: str, entry_id: str, anchored: bool) -> None:
    pattern = compiled(name, entry_id)
    slow: list[str] = []
    for label, unit in ADVERSARIAL.items():
        try:
            short = min(_seconds(pattern, unit * (SHORT // len(unit)), anchored) for _ in range(2))
            long = _seconds(pattern, unit * (LONG // len(unit)), anchored)
        except TimeoutError:
            slow.append(f"{label}: over {LIMIT_S} s")
            continue
        if long > 0.05 and long > 8 * short:
            long = min(long, _seconds(pattern, unit * (LONG // len(unit)), anchored))  # once more: a busy machine
            if long > 0.05 and long > 8 * short:
                slow.append(f"{label}: {short:.3f} s for {SHORT} chars, {long:.3f} s for {LONG}")
    assert not slow, f"patterns/{name}.yaml {entry_id}: " + "; ".join(slow)


def test_patterns_backtracking_catches_a_runaway_pattern() -> None:
    runaway = regex.compile(r"(?:1|11)+x")
    with pytest.raises(TimeoutError):
        _seconds(runaway, "1" * 60, anchored=False, limit=0.2)
