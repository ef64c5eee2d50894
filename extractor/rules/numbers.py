"""Vietnamese numbers: ``1.234.567``, ``1,94``, ``05``, ``trên 25 nghìn``, ``khoảng 400``."""

from __future__ import annotations

from functools import cache, lru_cache

import regex

from extractor.models import Approx, NumberMention
from extractor.patterns import compiled, entries, expand, finditer_from, rx
from extractor.regex_store import compile_pattern


def parse_number(token: str) -> float | None:
    """The value of a Vietnamese-written number token, or None if it is malformed."""
    if not compiled("numbers", "number.value").fullmatch(token):
        return None
    return float(token.replace(".", "").replace(",", "."))


_COMMA_THOUSANDS = regex.compile(r"\d{1,3}(?:,\d{3})+")


def as_count(value: float, written: str) -> float:
    """The value of a count of people or units: "1,250" with a comma grouping thousands is
    1.250 (no one counts 1,25 people); any other value as read."""
    if value.is_integer() or not _COMMA_THOUSANDS.fullmatch(written.strip()):
        return value
    return float(written.strip().replace(",", ""))


@cache
def _qualifiers() -> list[tuple[regex.Pattern[str], Approx]]:
    out: list[tuple[regex.Pattern[str], Approx]] = []
    for e in entries("numbers"):
        if getattr(e, "group", None) == "qualifier":
            out.append((compile_pattern(r"(?<!\p{L})" + expand(e.pattern) + r"\s+$", regex.IGNORECASE), getattr(e, "approx")))
    return out


@cache
def _multipliers() -> list[tuple[regex.Pattern[str], int]]:
    return [
        (compile_pattern(r"^\s+" + expand(e.pattern) + r"(?!\p{L})", regex.IGNORECASE), int(getattr(e, "factor")))
        for e in entries("numbers")
        if getattr(e, "group", None) == "multiplier"
    ]


@cache
def _any_qualifier() -> regex.Pattern[str]:
    """All qualifiers in one pattern: most numbers have none, and one search says so.
    Qualifiers and multipliers are words, so a number with no letter just before
    (after) it and a space between needs no search at all."""
    return compile_pattern("|".join(f"(?:{p.pattern})" for p, _ in _qualifiers()), regex.IGNORECASE)


@cache
def _any_multiplier() -> regex.Pattern[str]:
    """All multipliers in one pattern (see ``_any_qualifier``)."""
    return compile_pattern("|".join(f"(?:{p.pattern})" for p, _ in _multipliers()), regex.IGNORECASE)


_RUN_START = regex.compile(r"(?<![0-9])[0-9]")
_OPENING = r"(?<![\d.,/\p{L}])(?<!\p{L}-)(?P<num>\d"
"""How the number patterns open: the first digit of a run, the only offsets they are tried at."""


def digit_runs(text: str) -> list[int]:
    """Where each run of ASCII digits begins: the only offsets where a pattern that
    opens with a digit after a lookbehind that rules out a digit can match (``finditer_at``)."""
    return list(_digit_runs(text))


@lru_cache(maxsize=4)
def _digit_runs(text: str) -> tuple[int, ...]:
    """``digit_runs``, kept for the last texts asked: numbers, dates and citations all
    scan the same document."""
    return tuple(m.start() for m in _RUN_START.finditer(text))


_RANK_BEFORE = regex.compile(r"(?<!\p{L})(?:thứ|hạng|trí|số|bằng|khoảng)\s*+$", regex.IGNORECASE)


def _of_a_whole(text: str, start: int, written: str, value: float) -> bool:
    """"52/63 tỉnh" (52 of 63) is 52; a rank ("đứng thứ 12/63 tỉnh"), a fraction ("bằng
    1/2 tổ chức") or an address ("Số 174/1") is no count."""
    if "/" not in written:
        return True
    whole = float(written.split("/", 1)[1].replace(".", ""))
    return whole == value or whole > value and not _RANK_BEFORE.search(text, max(0, start - 12), start)


def find_numbers(text: str, offset: int = 0) -> list[NumberMention]:
    """Every number in ``text`` with its qualifier, multiplier and percent sign."""
    found: list[NumberMention] = []
    percent = compiled("numbers", "number.percent")
    any_qualifier, any_multiplier = _any_qualifier(), _any_multiplier()
    for match in finditer_from("numbers", "number.value", text, _OPENING, lambda: digit_runs(text)):
        num_start, end = match.start("num"), match.end()  # "34/34 tỉnh": all 34 of them
        value = float(match.group("num").replace(".", "").replace(",", "."))
        if not _of_a_whole(text, num_start, match.group(0), value):
            continue
        start = num_start
        approx: Approx = "exact"
        before = text[max(0, num_start - 30):num_start]
        qualified = before[-1:].isspace() and before.rstrip()[-1:].isalpha() and any_qualifier.search(before)
        for pattern, kind in _qualifiers() if qualified else ():
            q = pattern.search(before)
            if q:
                approx = kind
                start = num_start - (len(before) - q.start())
                # a second qualifier before the first ("tối thiểu bình quân")
                break
        after = text[end:end + 20]
        multiplied = after[:1].isspace() and after.lstrip()[:1].isalpha() and any_multiplier.match(after)
        for pattern, factor in _multipliers() if multiplied else ():
            m = pattern.match(after)
            if m:
                value *= factor
                end += m.end()
                break
        is_percent = False
        p = percent.match(text[end:end + 12])
        if p:
            is_percent = True
            end += p.end()
        found.append(
            NumberMention.trusted(  # own spans and a parsed float: unvalidated (a page has hundreds)
                start=offset + start,
                end=offset + end,
                text=text[start:end],
                value=float(value),
                approx=approx,
                percent=is_percent,
                number_start=offset + num_start,
            )
        )
    return found


def find_malformed_numbers(text: str) -> list[tuple[int, int, str]]:
    """Digit tokens of no valid shape (``1.2.3``) followed by a counted unit."""
    unit = rx(r"^\s*(?:%|" + expand("{units}") + ")", regex.IGNORECASE)
    out: list[tuple[int, int, str]] = []
    for match in finditer_from("numbers", "number.malformed", text, _OPENING, lambda: digit_runs(text)):
        token = match.group("num")
        if parse_number(token) is None and unit.match(text[match.end():match.end() + 40]):
            out.append((match.start(), match.end(), token))
    return out
