"""Place names from field libraries: the 63 pre-2025 provinces (vietnamadminunits)
and the 34 current ones (vietnam-provinces). Directives from 2022-2024 use the old
names, later ones the new; both are recognised."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from functools import cache
from pathlib import Path

import regex

from extractor import regex_store
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


_SOURCES = (("vietnamadminunits", "data/parser_legacy.json"), ("vietnam_provinces", "data/nested-divisions.json"))
"""The libraries' data files the names are read from."""


@cache
def province_names() -> tuple[str, ...]:
    """Every province name (old and current), short form, longest first.

    The names are kept in a small file beside the regex cache (``regex_store``), keyed
    by the data files' sizes and times and by this module's prefixes and aliases:
    parsing the libraries' 3 MB of JSON cost every process a tenth of a second."""
    where = _names_path(_names_key())
    if where is not None:
        try:
            kept = json.loads(where.read_text(encoding="utf-8"))
            if isinstance(kept, list) and all(isinstance(name, str) for name in kept):
                return tuple(kept)
        except (OSError, ValueError):
            pass
    names = _read_province_names()
    if where is not None:
        _keep(where, names)
    return names


def _names_key() -> str | None:
    """What the names depend on: the data files as they are on disk and the code's
    tables (None, and nothing kept, when a data file is not where it is looked for)."""
    parts = [repr((_PREFIXES, sorted(_ALIASES.items())))]
    for package, name in _SOURCES:
        try:
            stat = _package_file(package, name).stat()
        except (OSError, ImportError, ValueError):
            return None
        parts.append(f"{package}/{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]


def _names_path(key: str | None) -> Path | None:
    store = regex_store.store_path()
    return None if store is None or key is None else store.parent / f"provinces-{key}.json"


def _keep(path: Path, names: tuple[str, ...]) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(list(names), ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)


def _read_province_names() -> tuple[str, ...]:
    """The names as the libraries' data files give them."""
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
