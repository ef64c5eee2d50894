"""Every entry of every patterns/ file matches its examples and none of its negatives."""

from __future__ import annotations

import pytest

from extractor.patterns import PatternEntry, compiled, entries, pattern_files

CASES = [
    (name, entry, text, expected)
    for name in pattern_files()
    for entry in entries(name)
    for text, expected in [(e, True) for e in entry.examples] + [(n, False) for n in entry.negatives]
]


def _finds(name: str, entry: PatternEntry, text: str) -> bool:
    pattern = compiled(name, entry.id)
    return bool(pattern.match(text) if entry.anchored else pattern.search(text))


@pytest.mark.parametrize(
    ("name", "entry", "text", "expected"),
    CASES,
    ids=[f"{n}:{e.id}:{'+' if x else '-'}{t[:30]}" for n, e, t, x in CASES],
)
def test_patterns_entry_matches_examples_not_negatives(name: str, entry: PatternEntry, text: str, expected: bool) -> None:
    assert _finds(name, entry, text) is expected


@pytest.mark.parametrize("name", [n for n in pattern_files() if entries(n)])
def test_patterns_every_entry_has_examples_and_negatives(name: str) -> None:
    for entry in entries(name):
        assert entry.examples, f"{name}:{entry.id} has no examples"
        if entry.id != "figure.subject_prefix":
            assert entry.negatives, f"{name}:{entry.id} has no negatives"


ENTRIES = [(name, entry) for name in pattern_files() for entry in entries(name)]


@pytest.mark.parametrize(("name", "entry"), ENTRIES, ids=[f"{n}:{e.id}" for n, e in ENTRIES])
def test_patterns_every_entry_has_a_why(name: str, entry: PatternEntry) -> None:
    assert entry.why.strip(), f"{name}:{entry.id} has no why"


@pytest.mark.parametrize(("name", "entry"), ENTRIES, ids=[f"{n}:{e.id}" for n, e in ENTRIES])
def test_patterns_capital_classes_stay_case_sensitive(name: str, entry: PatternEntry) -> None:
    """Under IGNORECASE ``\\p{Lu}`` matches every letter: an entry that is not case-sensitive
    scopes each capital class with ``(?-i:…)`` so "a capital follows" still means one."""
    if entry.case_sensitive:
        return
    bare = entry.pattern.replace("(?-i:\\p{Lu})", "").replace("(?-i:[\\p{Lu}", "")
    assert "\\p{Lu}" not in bare, f"{name}:{entry.id} uses \\p{{Lu}} unscoped in a case-insensitive pattern"


def test_patterns_ids_are_unique() -> None:
    for name in pattern_files():
        ids = [e.id for e in entries(name)]
        assert len(ids) == len(set(ids)), name


@pytest.mark.parametrize("key", ["negative", "exmaples", "unit_name"])
def test_patterns_schema_rejects_unknown_keys(key: str) -> None:
    with pytest.raises(Exception, match=key):
        PatternEntry.model_validate({"id": "x.y", "pattern": "a", key: "b"})
