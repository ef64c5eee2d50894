"""Numbers that are conditions, not figures: thresholds and norms of legal texts
("từ 15 biên chế trở lên", "dưới 10 biên chế", "tối thiểu 07 biên chế đối với
phòng …", "từ 20 người đến 40 người", "cứ 50 biên chế"), and counts of people
in a sentence that does not speak of staff. Read through patterns/figures.yaml."""

from __future__ import annotations

from extractor.patterns import compiled

WINDOW = 60


def is_threshold(text: str, sentence_start: int, sentence_end: int, start: int, end: int, kind: str) -> bool:
    """Whether the number at ``start``-``end`` (unit included) states a condition or a norm."""
    before = text[max(sentence_start, start - WINDOW):start]
    after = text[end:min(sentence_end, end + WINDOW)]
    if compiled("figures", "figure.threshold_before").search(before):
        return True
    if compiled("figures", "figure.range_end").search(before):
        return True
    if compiled("figures", "figure.threshold_after").match(after) and kind != "change":
        return True
    if kind in ("level", "count") and compiled("figures", "figure.norm_before").search(before):
        return compiled("figures", "figure.norm_clause").search(text, sentence_start, sentence_end) is not None
    return False


def speaks_of_staff(text: str, sentence_start: int, sentence_end: int) -> bool:
    """Whether the sentence holds a staffing cue (biên chế, công chức, tinh giản, tuyển dụng …)."""
    return compiled("figures", "figure.staff_context").search(text, sentence_start, sentence_end) is not None
