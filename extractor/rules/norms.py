"""Numbers that are conditions, not figures: thresholds and norms of legal texts
("từ 15 biên chế trở lên", "dưới 10 biên chế", "tối thiểu 07 biên chế đối với
phòng …", "từ 20 người đến 40 người", "cứ 50 biên chế"), rates of money, single seats, and
counts of people in a sentence that does not speak of staff (``is_figure`` decides for one
number). Read through patterns/figures.yaml."""

from __future__ import annotations

from functools import lru_cache

from extractor.models import NumberMention, Sentence
from extractor.patterns import closing_scan, compiled, rx
from extractor.rules.spans import bounded_match
from extractor.rules.units import canonical_unit

WINDOW = 60
_AFTER_CLOSING = r"(?:trở\s+lên|trở\s+xuống|(?:đến|tới|-|–)\s*(?:dưới\s+)?\d)"
"""How figure.threshold_after ends; its opening (up to five words, each split any
way) backtracks long on text that lacks this ending, so that is searched first."""


FACILITY = "cơ sở"
"""The canonical unit of facilities (patterns/units.yaml unit.facilities)."""


@lru_cache(maxsize=16)
def _sentence_has(pattern_id: str, text: str, sentence_start: int, sentence_end: int) -> bool:
    """Whether the sentence holds a match of ``figures/pattern_id``: asked once per
    number, searched once per sentence (a search per number is quadratic in a long
    sentence of numbers). The text is hashed once, then compared by identity."""
    return compiled("figures", pattern_id).search(text, sentence_start, sentence_end) is not None


def states_norm(line: str) -> bool:
    """Whether ``line`` states a condition or norm ("… được bố trí theo loại … như sau:")."""
    return compiled("figures", "figure.norm_clause").search(line) is not None


def is_threshold(text: str, sentence_start: int, sentence_end: int, start: int, end: int, kind: str,
                 norm_lead: bool = False) -> bool:
    """Whether the number at ``start``-``end`` (unit included) states a condition or a norm;
    ``norm_lead``: the line opening its list states a norm ("a) Loại I: tối đa 23 người")."""
    before = text[max(sentence_start, start - WINDOW):start]
    after = text[end:min(sentence_end, end + WINDOW)]
    if compiled("figures", "figure.threshold_before").search(before):
        return True
    if compiled("figures", "figure.conditioned_grant").search(text, max(sentence_start, start - 2 * WINDOW), start):
        return True  # "… từ 300 km² trở lên được bố trí thêm 02 công chức": what a condition grants
    ranged = compiled("figures", "figure.range_end").search(before)
    if ranged:
        lead = before[:ranged.start()]
        changed_range = kind == "rate" and (compiled("figures", "figure.change_verb").search(lead) is not None
                                            or compiled("figures", "figure.share_left").search(lead) is not None)
        return not changed_range  # "giảm 60 - 70% đơn vị": a range of a change is its figure, a range alone a condition
    one = text[start:end].strip().lower() in ("1", "01", "một") and bounded_match(rx(r"\s*trong\s+(?:số\s+)?\d"), text, end)
    if one or compiled("figures", "figure.one_of").search(before):
        return True  # "là 1 trong 15 tỉnh": neither number counts units
    if kind != "change" and _threshold_after(after):
        return True
    if kind in ("level", "count") and compiled("figures", "figure.per_unit_norm").search(before):
        return True  # "mỗi thôn có 3 người": a norm per unit
    number_end = rx(r"[\d.,/]+").match(text, start)
    if kind in ("level", "count") and number_end is not None and end <= number_end.end() \
            and bounded_match(compiled("figures", "figure.per_unit_after"), text, number_end.end()):
        return True  # "2 giáo viên/nhóm trẻ", "5 biên chế/xã": per unit (not "34 tỉnh/ thành phố", a unit read whole)
    if kind in ("level", "count") and compiled("figures", "figure.class_before").search(before):
        return norm_lead or _sentence_has("figure.norm_clause", text, sentence_start, sentence_end)  # "loại I là 23 người"
    if kind in ("level", "count") and compiled("figures", "figure.norm_before").search(before):
        return norm_lead or _sentence_has("figure.norm_clause", text, sentence_start, sentence_end)
    if kind in ("level", "count") and _sentence_has("figure.limit_subject", text, sentence_start, sentence_end):
        return _sentence_has("figure.norm_clause", text, sentence_start, sentence_end)  # "Số lượng tối đa … là 23 người đối với xã loại 1, 21 …"
    return False


def _threshold_after(after: str) -> bool:
    closing = closing_scan("figures", "figure.threshold_after", _AFTER_CLOSING)
    if closing is not None and closing.search(after) is None:
        return False
    return compiled("figures", "figure.threshold_after").match(after) is not None


def speaks_of_staff(text: str, sentence_start: int, sentence_end: int) -> bool:
    """Whether the sentence holds a staffing cue (biên chế, công chức, tinh giản, tuyển dụng …)."""
    return _sentence_has("figure.staff_context", text, sentence_start, sentence_end)


def is_figure(text: str, sentence: Sentence, n: NumberMention, end: int, kind: str, group: str, changed: bool,
               staff_heading: bool = False, norm_lead: bool = False, unit: str = "", listed: bool = False) -> bool:
    """False for thresholds and norms, for a percentage that is no staffing change or
    share (in a sentence that does not speak of staff or reorganisation: the economy's
    growth, a budget's), and for a count of people in a sentence that does not speak of staff."""
    if kind == "rate" and not (changed or group in ("quota", "person", "thing")):
        return False
    if kind == "rate" and not changed and n.value == 100 and group == "thing":
        return False  # "100% đơn vị hành chính cấp xã mới đã đi vào hoạt động": all of them did, no staffing figure
    if kind == "rate" and group == "rate" and bounded_match(compiled("figures", "figure.rate_of_money"), text, end):
        return False  # "được tính giảm 1,5% chi phí đền bù": a rate of money, not of staff
    if kind == "rate" and (group == "rate" or group in ("thing", "person") and not changed) \
            and not (staff_heading or speaks_of_staff(text, sentence.start, sentence.end)
                     or _sentence_has("figure.reorganisation_context", text, sentence.start, sentence.end)):
        return False  # "Tổng thu ngân sách … tăng 12,1%", "100% xã đạt chuẩn …": no staff, no reorganisation
    if group == "thing" and canonical_unit(unit) == FACILITY and not listed and not compiled("figures", "figure.facility_cue").search(
            text, max(sentence.start, n.start - WINDOW), min(sentence.end, end + 40)):
        return False  # "cải tạo 100 trường": facilities count only where they are reorganised or listed as units
    if group == "person" and n.value == 1 and not changed:
        return False  # "cho 01 người tham gia", "b) 01 công chức phụ trách …": a per-person norm or a seat
    if is_threshold(text, sentence.start, sentence.end, n.number_start, end, kind, norm_lead):
        return False
    if kind == "rate":
        return True
    if compiled("figures", "figure.unit_name_before").search(text, max(0, n.number_start - 24), n.number_start):
        return False  # "Phường 1 Phường 2": names, not counts
    padded = text[n.number_start:n.number_start + 2].startswith("0") and text[n.number_start + 1:n.number_start + 2].isdigit()
    if group == "thing" and not padded and compiled("figures", "figure.name_number").match(text, end, min(len(text), end + 60)):
        return False  # "Thuế cơ sở 1 tỉnh Đồng Tháp" names; "08 Chi nhánh Văn phòng …", zero-padded, counts
    if group == "thing" and compiled("figures", "figure.incident_unit").match(text, n.end, end) \
            and _sentence_has("figure.incident_context", text, sentence.start, sentence.end):
        return False  # "… 89 vụ tai nạn giao thông (đường bộ 87 vụ, …)": incidents, no departments
    share = text[n.number_start:n.end].split("/")
    if len(share) == 2 and share[0] != share[1] and not changed and not (
            staff_heading or speaks_of_staff(text, sentence.start, sentence.end)
            or _sentence_has("figure.reorganisation_context", text, sentence.start, sentence.end)):
        return False  # "131/262 xã có nhà thờ": a share of units with some trait; "52/63 tỉnh thực hiện sắp xếp" counts, "34/34" is all
    if group == "person" and compiled("figures", "figure.population_before").search(text, max(sentence.start, n.number_start - 80), n.number_start):
        return False  # "(trong đó, dân số thị xã Bạc Liêu là 40.000 người)": inhabitants, no staff
    if group == "person" and kind == "count" and not changed:
        return staff_heading or speaks_of_staff(text, sentence.start, sentence.end)  # under "2. Số lượng người làm việc"
    if group == "person" and changed and rx(r"\s*(?i:người)").fullmatch(text, n.end, end) \
            and compiled("figures", "figure.not_staff_people").search(text, sentence.start, sentence.end):
        return staff_heading or speaks_of_staff(text, sentence.start, sentence.end)  # "Dân số … tăng 5.240 người"
    return True
