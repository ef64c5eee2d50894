"""Place names from field libraries: the 63 pre-2025 provinces (vietnamadminunits)
and the 34 current ones (vietnam-provinces). Directives from 2022-2024 use the old
names, later ones the new; both are recognised."""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path

import regex

from extractor.patterns import rx
from extractor.text import fold

_PREFIXES = ("Thành phố ", "Tỉnh ", "Tp. ", "TP. ")
_ALIASES = {
    "Hồ Chí Minh": ["TP.HCM", "TP. HCM", "TPHCM", "TP.Hồ Chí Minh", "Sài Gòn"],
    "Thừa Thiên Huế": ["Thừa Thiên - Huế", "Huế"],
    "Bà Rịa - Vũng Tàu": ["Bà Rịa-Vũng Tàu", "Bà Rịa Vũng Tàu"],
}


def _package_file(package: str, name: str) -> Path:
    """A data file inside an installed package, found without importing the package
    (vietnamadminunits imports pandas: over a second at start-up for one JSON file)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"the package {package!r} is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / name


def _strip(name: str) -> str:
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


@cache
def province_names() -> tuple[str, ...]:
    """Every province name (old and current), short form, longest first."""
    names: set[str] = set()
    data = json.loads(_package_file("vietnamadminunits", "data/parser_legacy.json").read_text(encoding="utf-8"))
    for item in data["DICT_PROVINCE"].values():
        names.add(_strip(item["province"]))
    names.update(_strip(name) for name in _current_provinces())
    for name in list(names):
        names.update(_ALIASES.get(name, []))
    return tuple(sorted(names, key=lambda name: (-len(name), name)))  # the same order in every process


def _current_provinces() -> list[str]:
    """The 34 current provinces' names, read from vietnam-provinces' data file: its
    modules build every ward as an object, a tenth of a second at start-up."""
    try:
        data = json.loads(_package_file("vietnam_provinces", "data/nested-divisions.json").read_text(encoding="utf-8"))
        return [str(item["name"]) for item in data]
    except (OSError, ValueError, KeyError, TypeError):  # another layout: ask the package
        from vietnam_provinces import Province

        return [province.name for province in Province.iter_all()]


@cache
def canonical_province() -> dict[str, str]:
    """Folded alias → canonical short province name."""
    table: dict[str, str] = {}
    for name in province_names():
        table[fold(name)] = name
    for name, aliases in _ALIASES.items():
        for alias in aliases:
            table[fold(alias)] = name
    return table


@cache
def province_pattern() -> str:
    """Regex alternation of province names (case-sensitive)."""
    return "(?-i:" + "|".join(regex.escape(n).replace("\\ ", r"\s+") for n in province_names()) + ")"


@cache
def place_pattern() -> str:
    """A province, or a capitalised place name of one to four syllables."""
    return (
        "(?-i:" + province_pattern()
        + r"|\p{Lu}\p{Ll}*(?:\s(?!Ủy|Sở|Ban|Bộ|Đảng|Hội|Tỉnh|Thành|Huyện)\p{Lu}\p{Ll}*){0,3}(?!\p{L}))"
    )


def find_province(text: str) -> str | None:
    """The canonical province named in ``text`` (first found), if any."""
    match = rx(r"(?<!\p{L})" + province_pattern() + r"(?!\p{L})").search(text)
    if not match:
        return None
    found: str = match.group(0)
    return canonical_province().get(fold(found), found)
