"""The subject of a figure: the org phrase before "là / được giao / có" in its clause."""

from __future__ import annotations

import regex

from extractor.patterns import compiled, rx

LIST_MARKER = regex.compile(r"^\s*(?P<m>[-+•*]|[a-zđ]\)|\d{1,2}(?:\.\d{1,2})*+[.)])\s+")
REACH = 200
"""Characters before a number the tail-anchored cue patterns read ("… và", "là:"); text is
normalised, so no cue ending at the number starts further back."""
_SUBJECT_END = regex.compile(r"\s+(?:giai\s+đoạn|năm|\(|đến)", regex.IGNORECASE)


def subject_of(text: str, start: int, number_start: int) -> str:
    """The org phrase before "là" (list marker, connectors, brackets and years removed)."""
    clause = text[start:number_start]
    verb = compiled("figures", "figure.subject_verb").search(text, max(start, number_start - REACH), number_start)
    if not verb:
        if not _SUBJECT_END.search(clause):
            return ""  # the pattern below would try every "biên chế" to the clause's end
        m = rx(r"(?:tổng\s+)?biên\s+chế\s+(?:của\s+)?(?P<org>[^()]+?)\s+(?:giai\s+đoạn|năm|\(|đến)", regex.IGNORECASE).search(clause)
        return clean_subject(m.group("org")) if m else ""
    return clean_subject(text[start:verb.start()])


def clean_subject(raw: str) -> str:
    """``raw`` without list marker, brackets, a Q&A label, leading year or period and "biên chế
    của"; "" if over 160 characters."""
    s = LIST_MARKER.sub("", raw, count=1)
    s = s.split("(")[0]
    s = compiled("figures", "figure.answer_label").sub("", s, count=1)  # "Trả lời: Theo …, huyện X được giao"
    s = compiled("figures", "figure.subject_source").sub("", s, count=1)  # "Theo Quyết định số 15/QĐ-UBND, …"
    s = compiled("figures", "figure.subject_lead").sub("", s, count=1)  # "Đến ngày 31/12/2024, số …": the date is no subject
    place = compiled("figures", "figure.place_lead").match(s)
    if place is not None:  # "Tại Sở Nội vụ, số công chức có mặt": the measure of that place
        s = f"{place.group('rest')} của {place.group('org')}"
    s = rx(r"^\W*(?:trong\s+đó|cụ\s+thể|bao\s+gồm|gồm)\s*:\s*", regex.IGNORECASE).sub("", s)  # "Trong đó: cấp tỉnh được giao"
    s = s.split(":")[0]
    measure = list(rx(r",\s+(?=(?:tổng\s+)?số\s)", regex.IGNORECASE).finditer(s))
    if measure:  # "… người làm việc hưởng lương từ ngân sách nhà nước, số có mặt là": the last clause's measure
        s = s[measure[-1].end():]
    share = list(rx(r"[,;]\s*trong\s+đó\s+", regex.IGNORECASE).finditer(s))
    if share:  # "… của tỉnh X năm 2026, trong đó khối chính quyền là": the share's own subject
        s = s[share[-1].end():]
    s = rx(r"\s+năm\s+(?:19|20)\d{2}(?=\s+(?:của|thuộc|trong|tại)\s)").sub("", s)  # "… công chức năm 2025 của X"
    inner = list(rx(r"(?<!\p{L})biên\s+chế\s+(?:của|cho|trong)\s+", regex.IGNORECASE).finditer(s))
    if inner:
        s = s[inner[-1].end():]
    s = s.strip(" ,;)")  # "(có mặt 1.259 người), cấp huyện được giao": the bracket before closes there
    prefix = compiled("figures", "figure.subject_prefix").match(s)
    s = s[prefix.end():] if prefix else s
    s = rx(r"(?:^|\s+)(?:năm\s+(?:19|20)\d{2}|giai\s+đoạn\s+\S+(?:\s*-\s*\S+)?)\b.*$").sub("", s)
    s = compiled("figures", "figure.subject_suffix").sub("", s)  # "UBND tỉnh dự kiến (giao)": the org before the modal
    s = compiled("figures", "figure.basis_tail").sub("", s)  # "… các đơn vị sự nghiệp công lập được giao": the basis
    s = rx(r"\s+").sub(" ", s).strip(" ,;.-")
    return s if len(s) <= 160 else ""


def change_subject(text: str, start: int, number_start: int) -> str:
    """"Năm 2024, tỉnh Hòa An đã tinh giản 720 người": the org phrase before a change's verb
    (a source it is quoted from, "Theo báo cáo của Bộ Nội vụ,", and a leading year removed)."""
    verb = compiled("figures", "figure.change_verb").search(text, max(start, number_start - REACH), number_start)
    if verb is None:
        return ""
    raw = text[start:verb.start()]
    raw = raw[max(raw.rfind("|"), raw.rfind("\n")) + 1:]  # a table cell's own text, a line's own
    raw = compiled("figures", "figure.subject_source").sub("", raw, count=1)
    lead = compiled("figures", "figure.subject_prefix").match(raw.strip())  # "Như vậy, trong năm 2025 …"
    raw = raw.strip()[lead.end():] if lead else raw
    raw = compiled("figures", "figure.time_lead").sub("", raw, count=1)
    return clean_subject(raw)
