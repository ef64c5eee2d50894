"""Units, bodies and organisations: the gazetteer plus general shapes
("Ban Thường vụ Tỉnh ủy", "Ủy ban nhân dân tỉnh X", "Sở Nội vụ"), resolved to the
body in context (a provincial plan's "Tỉnh ủy" is that province's)."""

from __future__ import annotations

from collections import Counter
from functools import cache

import regex

from extractor.gazetteer import canonical_province, province_pattern
from extractor.models import OrgMention
from extractor.patterns import compiled, entries, rx
from extractor.rules.spans import Disjoint
from extractor.text import fold

_LOCAL_WITHOUT_PLACE = regex.compile(
    r"^(?:Ban\s+Thường\s+vụ\s+|BTV\s+|Ban\s+\p{Lu}\p{L}*(?:\s+\p{L}+)?\s+|Ủy\s+ban\s+Kiểm\s+tra\s+|Văn\s+phòng\s+)?(?:Tỉnh|Thành)\s+ủy$"
    r"|^(?:Ủy\s+ban\s+[Nn]hân\s+dân|UBND|Hội\s+đồng\s+[Nn]hân\s+dân|HĐND)(?:\s+(?:tỉnh|thành\s+phố))?$"
    r"|^Sở\s+.+$|^[Hh]ệ\s+thống\s+chính\s+trị(?:\s+tỉnh)?$"
)


@cache
def _org_entries() -> list[tuple[str, str]]:
    return [(e.id, getattr(e, "group", "")) for e in entries("orgs")]


def canonical_name(text: str) -> str:
    """An org name as written, with abbreviations expanded and brackets dropped."""
    name: str = rx(r"\s+").sub(" ", text).strip()
    # each rewrite only where its literal is (most names have none of them)
    if "(" in name:
        name = rx(r"\(\s*(khóa\s+[IVXL]+)\s*\)").sub(r"\1", name)
    if name.startswith("BCH"):
        name = rx(r"^BCH\b").sub("Ban Chấp hành", name)
    if name.startswith("BTV"):
        name = rx(r"^BTV\b").sub("Ban Thường vụ", name)
    if "TW" in name or "T.Ư" in name:
        name = rx(r"\b(?:TW|T\.Ư)(?=\s|$)").sub("Trung ương", name)
    return name


def resolve_local(name: str, province: str | None) -> str:
    """Add the document's province to a local body named without a place."""
    if not province or not _LOCAL_WITHOUT_PLACE.match(name):
        return name
    if rx(r"(?:tỉnh|thành\s+phố)$").search(name):
        return f"{name} {province}"
    if name.endswith(("Tỉnh ủy", "Thành ủy")):
        return f"{name} {province}"
    if rx(r"^(?:Ủy ban nhân dân|UBND|Hội đồng nhân dân|HĐND)$").match(name):
        return f"{name} tỉnh {province}"
    if rx(r"^[Hh]ệ thống chính trị(?: tỉnh)?$").match(name):
        return f"hệ thống chính trị tỉnh {province}"
    return name


def find_orgs(text: str, province: str | None = None) -> list[OrgMention]:
    """Org mentions in ``text``, longest first, never overlapping."""
    candidates: list[tuple[int, int, str, str]] = []
    for entry_id, group in _org_entries():
        for m in compiled("orgs", entry_id).finditer(text):
            if m.end() > m.start():
                candidates.append((m.start(), m.end(), entry_id, group))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    taken = Disjoint()
    found: list[OrgMention] = []
    for start, end, _entry_id, group in candidates:
        if taken.any(start, end):
            continue
        while end > start and text[end - 1] in " ,":
            end -= 1
        taken.add(start, end)
        name = resolve_local(canonical_name(text[start:end]), province)
        label = "LOC" if group == "place" else "ORG"
        found.append(OrgMention(start=start, end=end, text=text[start:end], name=name, label=label))
    return sorted(found, key=lambda o: o.start)


def document_province(text: str) -> str | None:
    """The province a document is about: the one named most often, if any."""
    pattern = rx(r"(?<!\p{L})" + province_pattern() + r"(?!\p{L})")
    counts: Counter[str] = Counter()
    table = canonical_province()
    for m in pattern.finditer(text):
        before = text[max(0, m.start() - 25):m.start()]
        weight = 3 if rx(r"(?:tỉnh|[Tt]hành\s+phố|[Tt]ỉnh\s+ủy|[Tt]hành\s+ủy|TP\.?)\s*$").search(before) else 1
        counts[table.get(fold(m.group(0)), m.group(0))] += weight
    if not counts:
        return None
    best, score = counts.most_common(1)[0]
    return best if score >= 2 else None
