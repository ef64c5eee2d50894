"""A directive's own header: the issuing body printed in capitals ("TỈNH ỦY LONG AN")
and the place and date line ("Bình Định, ngày 20 tháng 9 năm 2023")."""

from __future__ import annotations

from functools import cache

import regex

from extractor.gazetteer import find_province
from extractor.models import DateMention
from extractor.patterns import compiled, entries, rx
from extractor.rules.dates import find_dates

HEADER_CHARS = 1500


@cache
def _bodies() -> list[tuple[regex.Pattern[str], str, bool]]:
    return [(compiled("header_bodies", e.id), str(getattr(e, "name")), bool(getattr(e, "named", False)))
            for e in entries("header_bodies")]


def _is_capitals(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _named_place(rest: str) -> str | None:
    """The place a capitals header names after TỈNH / THÀNH PHỐ when no gazetteer knows it."""
    m = rx(r"^(?:TỈNH|THÀNH\s+PHỐ)\s+(\p{Lu}[\p{Lu}\s]{1,40})$").match(rest.strip())
    return " ".join(w.capitalize() for w in m.group(1).split()) if m else None


def _body_at(rest: str) -> tuple[regex.Match[str], str, bool] | None:
    for pattern, name, named in _bodies():
        m = pattern.match(rest)
        if m is not None:
            return m, name, named
    return None


def _own_name(rest: str) -> tuple[str, str]:
    """A named body's own name ("THỦY LỢI VÀ …" → "Thủy lợi và …") up to the next
    body or place on the line, and what is left after it."""
    words = rest.split(" ")
    for i in range(len(words)):
        tail = " ".join(words[i:])
        if _body_at(tail) or rx(r"^(?:TỈNH|THÀNH\s+PHỐ)\s+\p{Lu}").match(tail):
            break
    else:
        i = len(words)
    own = " ".join(words[:i]).lower()
    return own[:1].upper() + own[1:], " ".join(words[i:])


def _read_body(line: str) -> tuple[list[str], str]:
    """The bodies a capitals line names, in running-text spelling, and the rest of the line."""
    rest, names = line.strip(), []
    while rest:
        found = _body_at(rest)
        if found is None:
            break
        m, name, named = found
        rest = rest[m.end():].strip()
        if named:
            own, rest = _own_name(rest)
            name = f"{name} {own}".strip()
        names.append(name)
    return names, rest


_LOCAL_COMMITTEES = ("Huyện ủy", "Quận ủy", "Thị ủy")
"""Party committees below a province: the place after them is a district's or a town's."""


def _local_place(rest: str) -> str | None:
    """"huyện Tân Lập" for "HUYỆN TÂN LẬP" (likewise QUẬN, THỊ XÃ) after a people's committee."""
    m = rx(r"^(HUYỆN|QUẬN|THỊ\s+XÃ)\s+(\p{Lu}[\p{Lu}\s-]{1,40})$").match(rest.strip())
    if m is None:
        return None
    return f"{m.group(1).lower()} {' '.join(w.capitalize() for w in m.group(2).split())}"


def _with_place(names: list[str], rest: str) -> str:
    place = find_province(" ".join(w.capitalize() for w in rest.split())) or _named_place(rest)
    kind = "thành phố" if rest.startswith("THÀNH") else "tỉnh"
    bare = rx(r"^\p{Lu}[\p{Lu}\s-]{1,40}$").match(rest) is not None and len(rest.split()) <= 4
    if place and names[-1] in ("Tỉnh ủy", "Thành ủy", *_LOCAL_COMMITTEES):
        names = [*names, place]
    elif bare and names[-1] in _LOCAL_COMMITTEES:
        names = [*names, " ".join(w.capitalize() for w in rest.split())]  # "HUYỆN ỦY NAM ĐÀN": no gazetteer of districts
    elif place and (names[-1] in ("Ủy ban nhân dân", "Hội đồng nhân dân") or rest.startswith(("TỈNH", "THÀNH"))):
        names = [*names, f"{kind} {place}"]
    elif names[-1] in ("Ủy ban nhân dân", "Hội đồng nhân dân") and (local := _local_place(rest)) is not None:
        names = [*names, local]
    return " ".join(names)


def header_issuer(text: str) -> str | None:
    """The issuing body named in capitals in the first lines, in running-text spelling.

    Where a parent body's line comes first ("ỦY BAN NHÂN DÂN TỈNH X" over "SỞ NỘI
    VỤ", "TỈNH ỦY X" over "BAN TỔ CHỨC"), the issuer is the second line's body, of
    the first line's place or body; a place alone on the next line completes the first."""
    lines = [line.strip() for line in text[:HEADER_CHARS].split("\n")[:15] if line.strip()]
    for i, line in enumerate(lines):
        if not _is_capitals(line):
            continue
        names, rest = _read_body(line)
        if not names:
            continue
        below = lines[i + 1] if i + 1 < len(lines) and _is_capitals(lines[i + 1]) else ""
        if not rest and (_named_place(below) or _local_place(below)):
            rest, below = below, ""
        parent = _with_place(names, rest)
        sub, sub_rest = _read_body(below)
        if sub and sub_rest and sub[-1] in _LOCAL_COMMITTEES:
            return _with_place(sub, sub_rest)  # "TỈNH ỦY X" over "HUYỆN ỦY Y": the district's committee issues
        if not sub or sub_rest:
            return parent
        if names[-1] in ("Ủy ban nhân dân", "Hội đồng nhân dân"):
            return _with_place(sub, rest)
        return f"{' '.join(sub)} {parent}"
    return None


def header_date(text: str) -> DateMention | None:
    """The first full date in the header ("…, ngày 11 tháng 8 năm 2023")."""
    return next((d for d in find_dates(text[:HEADER_CHARS]) if d.precision == "day"), None)
