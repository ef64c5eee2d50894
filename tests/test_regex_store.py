"""The on-disk store of compiled pattern-data regexes (extractor/regex_store.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

from extractor import regex_store
from extractor.patterns import FLAGS

CASES = [
    (r"(?P<type>nghị\s+định|quyết\s+định)\s+số\s+(?P<n>[0-9]+)", FLAGS, "Căn cứ Nghị định số 62/2020/NĐ-CP và quyết định số 12"),
    (r"(?<!\p{L})(?-i:UBND|HĐND)(?!\p{L})", regex.VERSION1, "UBND tỉnh, ubnd huyện, HĐND"),
    (r"biên\s+chế|công\s+chức", FLAGS, "giao 120 BIÊN CHẾ công chức"),
]


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh store in ``tmp_path``, nothing loaded yet."""
    monkeypatch.setenv("BIENCHE_REGEX_CACHE", str(tmp_path))
    monkeypatch.setattr(regex_store, "_known", None)
    monkeypatch.setattr(regex_store, "_added", False)
    return tmp_path


def _found(pattern: regex.Pattern[str], text: str) -> list[tuple[int, int, dict[str, str | None]]]:
    return [(m.start(), m.end(), m.groupdict()) for m in pattern.finditer(text, overlapped=True)]


@pytest.mark.parametrize(("pattern", "flags", "text"), CASES)
def test_regex_store_pattern_from_the_file_matches_as_compiled(store: Path, monkeypatch: pytest.MonkeyPatch, pattern: str, flags: int, text: str) -> None:
    fresh = regex.compile(pattern, flags)
    regex_store.compile_pattern(pattern, flags)
    regex_store.save()
    assert regex_store.store_path() is not None and regex_store.store_path().is_file()  # type: ignore[union-attr]
    monkeypatch.setattr(regex_store, "_known", None)  # a later process: only the file
    kept = regex_store.compile_pattern(pattern, flags)
    assert (pattern, flags, int(regex.DEFAULT_VERSION)) in regex_store._table()
    assert (kept.pattern, kept.flags, kept.groupindex) == (fresh.pattern, fresh.flags, fresh.groupindex)
    assert _found(kept, text) == _found(fresh, text)
    assert _found(kept, text)


@pytest.mark.parametrize("setting", ["0", "off", ""])
def test_regex_store_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str) -> None:
    monkeypatch.setenv("BIENCHE_REGEX_CACHE", setting)
    monkeypatch.setattr(regex_store, "_known", None)
    monkeypatch.setattr(regex_store, "_added", False)
    monkeypatch.chdir(tmp_path)
    assert regex_store.store_path() is None
    assert regex_store.compile_pattern(r"số\s+[0-9]+", FLAGS).search("Văn bản SỐ 12") is not None
    regex_store.save()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("junk", [b"", b"not marshal data", b"\xff" * 64])
def test_regex_store_damaged_file_falls_back_to_compiling(store: Path, junk: bytes) -> None:
    path = regex_store.store_path()
    assert path is not None
    path.write_bytes(junk)
    assert regex_store.compile_pattern(r"(?P<y>20[0-9]{2})", FLAGS).search("năm 2025")["y"] == "2025"  # type: ignore[index]
    regex_store.save()
    regex_store._known = None
    assert (r"(?P<y>20[0-9]{2})", FLAGS, int(regex.DEFAULT_VERSION)) in regex_store._table()


def test_regex_store_save_merges_what_another_process_wrote(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    regex_store.compile_pattern(r"chỉ\s+tiêu", FLAGS)
    regex_store.save()
    monkeypatch.setattr(regex_store, "_known", {})  # another process, which read nothing
    regex_store.compile_pattern(r"định\s+mức", FLAGS)
    regex_store.save()
    monkeypatch.setattr(regex_store, "_known", None)
    patterns = {key[0] for key in regex_store._table()}
    assert {r"chỉ\s+tiêu", r"định\s+mức"} <= patterns
