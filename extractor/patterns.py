"""Loads the rule data in ``patterns/``: YAML files whose entries carry a regex,
examples that must match and negatives that must not.

A pattern may use ``{name}`` placeholders; each names a vocabulary (an
alternation built from another file's entries, longest first), so a new
document type or unit is one line of data, not a code change.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import regex
import yaml
from pydantic import BaseModel, ConfigDict, Field

def _patterns_dir() -> Path:
    """patterns/ beside the package (a checkout), else where a wheel installed it."""
    if "BIENCHE_PATTERNS" in os.environ:
        return Path(os.environ["BIENCHE_PATTERNS"])
    beside = Path(__file__).resolve().parent.parent / "patterns"
    if beside.is_dir():
        return beside
    return Path(sys.prefix) / "share" / "bienche" / "patterns"


PATTERNS_DIR = _patterns_dir()
FLAGS = regex.IGNORECASE | regex.VERSION1


class PatternEntry(BaseModel):
    """One entry of a patterns/ file."""

    model_config = ConfigDict(extra="allow")

    id: str
    pattern: str
    examples: list[str] = Field(default_factory=list)
    negatives: list[str] = Field(default_factory=list)
    why: str = ""
    case_sensitive: bool = False
    anchored: bool = False
    """Used with ``match`` at a given position: examples must match at their start."""


@cache
def load_file(name: str) -> dict[str, Any]:
    """The parsed YAML file ``patterns/<name>.yaml``."""
    with (PATTERNS_DIR / f"{name}.yaml").open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # the C loader: 10x faster start-up
    if not isinstance(data, dict):
        raise ValueError(f"patterns/{name}.yaml: expected a mapping at the top level")
    return data


@cache
def entries(name: str) -> tuple[PatternEntry, ...]:
    """Every entry of ``patterns/<name>.yaml`` (the ``entries`` list)."""
    return tuple(PatternEntry.model_validate(e) for e in load_file(name).get("entries", []))


def entry(name: str, entry_id: str) -> PatternEntry:
    """The entry ``entry_id`` of ``patterns/<name>.yaml``."""
    for found in entries(name):
        if found.id == entry_id:
            return found
    raise KeyError(f"patterns/{name}.yaml has no entry {entry_id!r}")


def _alternation(pieces: list[str]) -> str:
    unique = sorted(set(pieces), key=len, reverse=True)
    return "(?:" + "|".join(unique) + ")"


@cache
def vocabulary(vocab: str) -> str:
    """The alternation a ``{vocab}`` placeholder expands to.

    ``{vocab}`` names a file; the alternation joins the patterns of its entries,
    or of those entries whose ``group`` equals the part after a dot
    (``{orgs.central}``).
    """
    if vocab in _LIBRARY_VOCABULARIES:
        return _LIBRARY_VOCABULARIES[vocab]()
    name, _, group = vocab.partition(".")
    chosen = [
        f"(?-i:{expand(e.pattern)})" if e.case_sensitive else expand(e.pattern)
        for e in entries(name)
        if not group or getattr(e, "group", None) == group
    ]
    if not chosen:
        raise KeyError(f"vocabulary {vocab!r} is empty")
    return _alternation(chosen)


def _province() -> str:
    from extractor.gazetteer import province_pattern

    return province_pattern()


def _place() -> str:
    from extractor.gazetteer import place_pattern

    return place_pattern()


_LIBRARY_VOCABULARIES: dict[str, Callable[[], str]] = {"province": _province, "place": _place}
"""Vocabularies generated from field libraries rather than patterns/ files."""

_PLACEHOLDER = regex.compile(r"\{([a-z_]+(?:\.[a-z_]+)?)\}")


def expand(pattern: str) -> str:
    """``pattern`` with every ``{vocab}`` placeholder replaced by its alternation."""
    return str(_PLACEHOLDER.sub(lambda m: vocabulary(m.group(1)), pattern))


@cache
def compiled(name: str, entry_id: str) -> regex.Pattern[str]:
    """The compiled regex of one entry, placeholders expanded."""
    found = entry(name, entry_id)
    flags = regex.VERSION1 if found.case_sensitive else FLAGS
    return regex.compile(ascii_digits(expand(found.pattern)), flags)


def ascii_digits(pattern: str) -> str:
    """``\\d`` as ASCII 0-9: directives write numbers in ASCII digits, and other
    scripts' digits must never reach int() or float()."""
    return str(regex.sub(r"(?<!\\)\\d", "[0-9]", pattern))


def compile_entry(name: str, found: PatternEntry) -> regex.Pattern[str]:
    """The compiled regex of an entry object (used by the parametrised test)."""
    return compiled(name, found.id)


def pattern_files() -> list[str]:
    """Names of every patterns/ file (without .yaml)."""
    return sorted(p.stem for p in PATTERNS_DIR.glob("*.yaml"))
