"""Loads the rule data in ``patterns/``: YAML files whose entries carry a regex,
examples that must match and negatives that must not.

A pattern may use ``{name}`` placeholders; each names a vocabulary (an
alternation built from another file's entries, longest first), so a new
document type or unit is one line of data, not a code change.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import regex
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from extractor.regex_store import compile_pattern

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

    model_config = ConfigDict(extra="forbid")
    """An unknown key (a typo such as ``negative:``) is an error naming the entry's file."""

    id: str
    pattern: str
    examples: list[str] = Field(default_factory=list)
    negatives: list[str] = Field(default_factory=list)
    why: str = ""
    case_sensitive: bool = False
    anchored: bool = False
    """Used with ``match`` at a given position: examples must match at their start."""
    # What an entry gives the code that reads its file (None where a file has no such field):
    group: str | None = None
    unit: str | None = None
    category: str | None = None
    basis: str | None = None
    name: str | None = None
    named: bool = False
    codes: list[str] | None = None
    level: str | None = None
    approx: str | None = None
    factor: int | None = None
    canonical: str | None = None
    prefer: bool = False
    listed: bool = False
    relation: str | None = None
    written: bool = False
    """units: the figure's unit is the noun as written ("phòng"), ``unit`` its canonical unit."""


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
    """Every entry of ``patterns/<name>.yaml`` (the ``entries`` list); an entry with
    an unknown or mistyped key raises ValueError naming the file and the entry."""
    out: list[PatternEntry] = []
    for raw in load_file(name).get("entries", []):
        try:
            out.append(PatternEntry.model_validate(raw))
        except ValidationError as exc:
            ident = raw.get("id", "?") if isinstance(raw, dict) else "?"
            raise ValueError(f"patterns/{name}.yaml: entry {ident}: {exc}") from exc
    return tuple(out)


def entry(name: str, entry_id: str) -> PatternEntry:
    """The entry ``entry_id`` of ``patterns/<name>.yaml``."""
    for found in entries(name):
        if found.id == entry_id:
            return found
    raise KeyError(f"patterns/{name}.yaml has no entry {entry_id!r}")


def _alternation(pieces: list[str]) -> str:
    unique = sorted(set(pieces), key=lambda piece: (-len(piece), piece))  # the same text in every process
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
    return compile_pattern(ascii_digits(expand(found.pattern)), flags)


@lru_cache(maxsize=2048)
def rx(pattern: str, flags: int = 0) -> regex.Pattern[str]:
    """``regex.compile(pattern, flags)``, once: the module-level ``regex.sub``/``search``
    look their pattern up in a cache that costs more than a search of a short string.
    Built from the on-disk cache (``regex_store``) when it holds the pattern."""
    return compile_pattern(pattern, flags)


@cache
def vocabulary_scan(name: str, entry_id: str, vocab: str) -> regex.Pattern[str]:
    """``{vocab}`` alone, compiled as the entry ``entry_id`` of ``name`` is: wherever
    that entry's pattern matches, starting with ``(?<!…)({vocab})``, this one does."""
    flags = regex.VERSION1 if entry(name, entry_id).case_sensitive else FLAGS
    return compile_pattern(ascii_digits(vocabulary(vocab)), flags)


def scan_offsets(scan: regex.Pattern[str], text: str) -> list[int]:
    """Every offset where ``scan`` matches, in order: the starts of its
    non-overlapping matches and every offset inside one (where another may start)."""
    offsets: list[int] = []
    for m in scan.finditer(text):
        offsets.extend(range(m.start(), max(m.end(), m.start() + 1)))
    return offsets


def match_starts(scan: regex.Pattern[str], text: str) -> list[int]:
    """Every offset where ``scan`` matches, in order (an overlapped scan: a match
    inside or overlapping another counts too); fewer offsets than ``scan_offsets``
    when the scan spells out more of the patterns it stands for."""
    return [m.start() for m in scan.finditer(text, overlapped=True)]


@cache
def _vocabulary_scan_any_case(vocab: str) -> regex.Pattern[str]:
    return compile_pattern(ascii_digits(vocabulary(vocab)), FLAGS)


@lru_cache(maxsize=2)
def vocabulary_starts(vocab: str, text: str) -> tuple[int, ...]:
    """Every offset where ``{vocab}`` matches ``text``, case-insensitively (so also
    where a case-sensitive pattern opening with it can), in order. Kept for the last
    texts asked: rules of different components opening with ``{vocab}`` (partial
    citations, back-references) share one scan of the document."""
    return tuple(match_starts(_vocabulary_scan_any_case(vocab), text))


class Offsets:
    """``scan_offsets(scan(), text)``, found when first asked and kept: one scan
    shared by the patterns that open alike (``finditer_from``)."""

    def __init__(self, scan: Callable[[], regex.Pattern[str]], text: str, overlapped: bool = False) -> None:
        self._scan = scan
        self._text = text
        self._overlapped = overlapped
        self._offsets: list[int] | None = None

    def __call__(self) -> list[int]:
        if self._offsets is None:
            find = match_starts if self._overlapped else scan_offsets
            self._offsets = find(self._scan(), self._text)
        return self._offsets


MATCH_REACH = 2000
"""How far past its offset a prefiltered match may look. The regex module may scan
the whole rest of the text for a literal the pattern needs before each match (a
full-case-folding pattern does), which makes matching at every offset quadratic;
no mention or its lookarounds reach this far."""


def finditer_at(pattern: regex.Pattern[str], text: str, offsets: Sequence[int],
                reach: int | None = MATCH_REACH) -> Iterator[regex.Match[str]]:
    """``pattern.finditer(text)`` when ``pattern`` can only match (non-empty) at one
    of the sorted ``offsets``: a literal prefilter, one cheap scan shared by
    costly patterns instead of each trying every position of the text; a match looks
    at most ``reach`` characters past its offset (None: no bound)."""
    last = 0
    for pos in offsets:
        if pos < last:
            continue
        m = pattern.match(text, pos, len(text) if reach is None else min(len(text), pos + reach))
        if m is not None:
            yield m
            last = m.end()


@cache
def closing_scan(name: str, entry_id: str, closing: str) -> regex.Pattern[str] | None:
    """``closing`` compiled as the entry is, when the entry's pattern (as written)
    ends with it: every match of the entry holds a match of it, so a text without
    one needs no try of a costly pattern. None if someone changed the ending."""
    if not entry(name, entry_id).pattern.endswith(closing):
        return None
    return compile_pattern(ascii_digits(expand(closing)), compiled(name, entry_id).flags)


@cache
def opens_with(name: str, entry_id: str, opening: str) -> bool:
    """Whether the entry's pattern (as written in patterns/) starts with ``opening``."""
    return entry(name, entry_id).pattern.startswith(opening)


def finditer_from(
    name: str, entry_id: str, text: str, opening: str, offsets: Callable[[], Sequence[int]]
) -> Iterator[regex.Match[str]]:
    """``compiled(name, entry_id).finditer(text)``, tried only at ``offsets()`` when the
    pattern opens with ``opening`` (the caller's proof that every match starts at
    one of them); the plain scan if someone changed the pattern's opening."""
    pattern = compiled(name, entry_id)
    if not opens_with(name, entry_id, opening):
        plain: Iterator[regex.Match[str]] = pattern.finditer(text)
        return plain
    return finditer_at(pattern, text, offsets())


def ascii_digits(pattern: str) -> str:
    """``\\d`` as ASCII 0-9: directives write numbers in ASCII digits, and other
    scripts' digits must never reach int() or float()."""
    return str(rx(r"(?<!\\)\\d").sub("[0-9]", pattern))


def compile_entry(name: str, found: PatternEntry) -> regex.Pattern[str]:
    """The compiled regex of an entry object (used by the parametrised test)."""
    return compiled(name, found.id)


def pattern_files() -> list[str]:
    """Names of every patterns/ file (without .yaml)."""
    return sorted(p.stem for p in PATTERNS_DIR.glob("*.yaml"))
