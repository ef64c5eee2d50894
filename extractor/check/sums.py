"""sum: parts against their whole — "Trong đó:" lists, "bao gồm" and bracketed
breakdowns ("(1.137 cán bộ, công chức, 126 viên chức)"), table total rows, for
levels, changes and counts.

A failing sum is an ``error`` only where it is provable: every part counts what
the whole counts (compatible units, no assigned quota added to a headcount), and
no other figure of the same measure stands between the whole and its parts, so
the parts can only belong to that whole. Otherwise it is a ``warning``."""

from __future__ import annotations

from collections import defaultdict

import regex

from extractor.check import rules
from extractor.check.relations import Relation
from extractor.models import Figure
from extractor.rules.units import canonical_unit

_AREA_UNITS = {"đơn vị hành chính", "đơn vị hành chính cấp xã", "đơn vị hành chính cấp huyện",
               "đơn vị hành chính cấp tỉnh", "xã", "phường", "thị trấn", "đặc khu", "huyện", "tỉnh, thành phố", "đơn vị", "phủ", "châu"}
_STAFF_UNITS = {"biên chế", "người làm việc", "người", "cán bộ", "công chức", "viên chức", "lao động", "hợp đồng", "chỉ tiêu"}
_STAFF_NOUN = regex.compile(r"(?:" + "|".join(sorted(map(regex.escape, _STAFF_UNITS), key=len, reverse=True)) + r")[\s,]")


def unit_group(unit: str) -> str:
    """staff, area (administrative units) or the (canonical) unit itself."""
    unit = canonical_unit(unit)
    if unit in _STAFF_UNITS or _STAFF_NOUN.match(unit):
        return "staff"  # "cán bộ, công chức", "người hoạt động không chuyên trách": staff nouns as written
    if unit in _AREA_UNITS:
        return "area"
    return unit


def compatible(whole: Figure, part: Figure) -> bool:
    """Whether ``part`` counts the same kind of thing as ``whole`` on the same basis."""
    if unit_group(whole.unit) != unit_group(part.unit):
        return False
    bases = {whole.basis, part.basis} - {None}
    return len(bases) <= 1 or bases <= {"assigned", "planned"}


def _descends(f: Figure, whole: Figure, by_id: dict[str, Figure]) -> bool:
    seen = 0
    while f.parent and seen < 20:
        if f.parent == whole.id:
            return True
        f = by_id.get(f.parent, f)
        seen += 1
    return False


LIST_GLUE = regex.compile(r"\s*+(?:[,;]\s*+)?(?:và\s++)?")
"""What parts two items of one list: ", ", "; ", " và "."""

LIST_GOES_ON = regex.compile(r"[^.:;()\d\n]{0,40}?(?<=\p{L}|\s)(?:[,;]\s*+(?:và\s++)?|(?<=\s)và\s++)[^.:;()\d\n]{0,30}")
"""Between the last part and a next figure, what says the list goes on: the last
part's own label, a list glue, the next item's label ("… 22.980 biên chế viên chức
và 50 chỉ tiêu hợp đồng", "… 900 và các hội 40")."""


def provable(whole: Figure, parts: list[Figure], figures: list[Figure], by_id: dict[str, Figure]) -> bool:
    """No competing whole: between the whole and its last part stands no figure of
    the same kind, unit group and year that is not in the whole's own breakdown; and
    the list does not go on past its last part ("… 233 viên chức và 12 người …" with the
    12 not read as a part: the sum is then not the whole one)."""
    lo, hi = min(whole.start, *(p.start for p in parts)), max(whole.end, *(p.end for p in parts))
    own = {whole.id, *(p.id for p in parts)}  # by id: comparing models field by field is costly
    last = max(parts, key=lambda p: p.end)
    at = last.sentence.find(last.text)
    for f in figures:
        if f.id not in own and f.start > last.start and at >= 0 and _goes_on(last.sentence, at + len(last.text), f.start - last.end):
            return False
        if not (lo <= f.start < hi) or f.kind not in ("level", "count") or f.id in own:
            continue
        same = (unit_group(f.unit) == unit_group(whole.unit) and f.year == whole.year and f.category == whole.category
                and (f.basis == "actual") == (whole.basis == "actual"))
        if same and not _descends(f, whole, by_id) and not any(_descends(f, p, by_id) for p in parts):
            return False
    return True


def _goes_on(sentence: str, pos: int, gap: int) -> bool:
    """Whether the ``gap`` characters at ``pos`` of ``sentence`` go on with the list."""
    if gap < 0 or gap > 80 or pos + gap > len(sentence):
        return False
    return bool(LIST_GLUE.fullmatch(sentence, pos, pos + gap) or LIST_GOES_ON.fullmatch(sentence, pos, pos + gap))


_MEMBERS = regex.compile(r"(?<![\d.,])(\d{1,3})\s+\p{L}+(?:\s+\p{L}+)?\s+và\s+$")


_NAMED_MEMBER = regex.compile(r"(?<!\d\s)(?<!\p{L})(?:thị\s+xã|thị\s+trấn|huyện|xã|phường|thành\s+phố|quận|tỉnh)\s+(?-i:\p{Lu})",
                              regex.IGNORECASE)


def named_members(whole: Figure, parts: list[Figure]) -> int:
    """How many members the list names with no count of their own before its first
    counted part ("7 đơn vị hành chính, gồm thị xã Sóc Trăng (tỉnh lỵ), 2 thị trấn và 4
    huyện": one); each is one of the whole besides the counted parts."""
    first = min(parts, key=lambda p: p.start)
    at = whole.sentence.find(whole.text)
    to = whole.sentence.find(first.text, at + len(whole.text)) if at >= 0 else -1
    return len(_NAMED_MEMBER.findall(whole.sentence, at + len(whole.text), to)) if to > at >= 0 else 0


def lists_all_members(whole: Figure, parts: list[Figure]) -> bool:
    """False where the sentence counts the groups the parts are listed by and lists
    fewer or more of them ("với 7 tổng và 110 thôn: tổng A (14 thôn), …" with six
    listed): the breakdown is then not the whole one."""
    at = whole.sentence.find(whole.text)
    m = _MEMBERS.search(whole.sentence[:at]) if at > 0 else None
    return m is None or int(m.group(1)) == len(parts)


def sum_relations(figures: list[Figure]) -> list[Relation]:
    """whole − Σ parts = 0 for every figure with two or more compatible parts of its own kind."""
    by_id = {f.id: f for f in figures}
    children: dict[tuple[str, str], list[Figure]] = defaultdict(list)
    shares: dict[tuple[str, str], list[Figure]] = defaultdict(list)
    left_out: set[tuple[str, str]] = set()
    for f in figures:
        for link, whole_id in (("parent", f.parent), ("row", f.row_total)):
            if not whole_id or whole_id not in by_id:
                continue
            if by_id[whole_id].kind == f.kind and f.kind in ("level", "change", "count") and not f.partial:
                children[(whole_id, link)].append(f)  # a table row's total is its own sum
            else:
                left_out.add((whole_id, link))  # a listed part not added: the rest cannot prove the sum wrong
                if by_id[whole_id].kind == f.kind and f.kind in ("level", "change", "count"):
                    shares[(whole_id, link)].append(f)
    relations: list[Relation] = []
    for key, parts in children.items():
        whole = by_id[key[0]]
        listed = sorted(parts + shares[key], key=lambda p: p.start)
        if shares[key] and sum(p.value for p in parts) != whole.value and sum(p.value for p in listed) == whole.value:
            parts = listed  # "… 356 người, trong đó 48 công chức, 290 viên chức và 18 người …": the share completes the list
        if len(parts) < 2 or whole.approx != "exact" or any(p.approx != "exact" for p in parts):
            continue
        if not all(compatible(whole, p) for p in parts):
            continue
        named = named_members(whole, parts) if unit_group(whole.unit) == "area" else 0
        if named and sum(p.value for p in parts) + named == whole.value:
            continue  # the named members make up the rest
        sure = key not in left_out and provable(whole, parts, figures, by_id) and lists_all_members(whole, parts) and not named
        severity = "error" if sure else "warning"
        relations.append(
            Relation(
                rule=rules.SUM,
                terms=[(whole.id, 1.0)] + [(p.id, -1.0) for p in parts],
                figures=[whole, *parts],
                extra={"severity": severity},
            )
        )
    return relations
