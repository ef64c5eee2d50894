"""Document numbers and dates as OCR reads them: ``7l-QĐ/TVV``, ``123-KHlTU``,
``01/ 2020/NĐ- CP``, ``Số: ...45.../QĐ-UBND``, ``ngày 1 8 tháng 7 năm 2O22``.

The confusions live in ``patterns/ocr.yaml``; each applies only in its slot
(digits in number, year, day and month slots; a slash between known codes;
letters inside codes). A repaired symbol must consist of codes the patterns
already know (``doc_types`` codes, ``issuer_codes``), else nothing is found:
a symbol is never invented. A mention keeps the OCR'd text as its ``text``;
its canonical id or date is the repaired one, and :func:`citation_repairs` /
:func:`date_repairs` say which repairs made it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from functools import cache
from itertools import product
from typing import NamedTuple

import regex

from extractor.patterns import compiled, entries, finditer_from, rx
from extractor.regex_store import compile_pattern
from extractor.rules.ocr_scan import SYMBOL_OPENINGS as _SYMBOL_OPENINGS
from extractor.rules.ocr_scan import symbol_scan as _symbol_scan  # noqa: F401 - the prefilter test's name for it
from extractor.rules.ocr_scan import symbol_starts

_STRAY = "._…,"


class Symbol(NamedTuple):
    """A document number found in a text, clean or repaired."""

    form: str
    """party (71-QĐ/TW) or state (60/2021/NĐ-CP)."""
    start: int
    end: int
    ident: str
    number: str
    code: str
    issuer: str | None
    repairs: tuple[str, ...] = ()


class Confusion(NamedTuple):
    """One OCR confusion of ``patterns/ocr.yaml``."""

    group: str
    glyph: regex.Pattern[str]
    canonical: str
    prefer: bool
    listed: bool
    """Kept only where the patterns spell the repaired code that way (D → Đ)."""


class RepairedDate(NamedTuple):
    """A calendar date read through OCR damage."""

    start: int
    end: int
    date: str
    year: int
    repairs: tuple[str, ...]


@cache
def confusions(group: str) -> tuple[Confusion, ...]:
    """The confusions of one ``group`` (digit, slash, state_slash, dash, letter)."""
    return tuple(
        Confusion(
            group, compiled("ocr", e.id), str(getattr(e, "canonical")),
            bool(getattr(e, "prefer", False)), bool(getattr(e, "listed", False)),
        )
        for e in entries("ocr")
        if getattr(e, "group", None) == group and getattr(e, "canonical", None) is not None
    )


@cache
def type_codes() -> frozenset[str]:
    """Every type code ``patterns/doc_types.yaml`` knows (QĐ, NQ, KH …)."""
    return frozenset(str(c) for e in entries("doc_types") for c in getattr(e, "codes", []) or [])


@cache
def _issuer_patterns() -> tuple[regex.Pattern[str], ...]:
    return tuple(compile_pattern(compiled("issuer_codes", e.id).pattern) for e in entries("issuer_codes"))


@cache
def listed_codes() -> frozenset[str]:
    """Codes spelt out letter by letter in the pattern data: the type codes and
    the alternatives written in ``issuer_codes`` (not its catch-all classes)."""
    spelt = {t for e in entries("issuer_codes") for t in rx(r"(?<![\\{])\b\p{Lu}[\p{L}]*").findall(e.pattern)}
    return type_codes() | frozenset(spelt)


def _listed(raw: str, text: str) -> bool:
    """Every dash part the repairs changed is a listed code."""
    before, after = raw.split("-"), text.split("-")
    if len(before) != len(after):
        return False
    return all(a == b or a in listed_codes() for a, b in zip(after, before))


def is_known_issuer(code: str) -> bool:
    """Whether ``patterns/issuer_codes.yaml`` knows ``code`` (TW, TU, UBND, CP …), case as written."""
    return any(p.match(code) for p in _issuer_patterns())


def is_known_symbol(form: str, code: str, issuer: str | None) -> bool:
    """Whether a symbol's codes are known: a type code and an issuer (party form);
    a type or issuer code and, when given, an issuer (state form)."""
    if form == "party":
        return code in type_codes() and issuer is not None and is_known_issuer(issuer)
    return (code in type_codes() or is_known_issuer(code)) and (issuer is None or is_known_issuer(issuer))


def repair_digits(raw: str, slot: str) -> tuple[str, list[str]] | None:
    """``raw`` with digit confusions repaired (``2O2l`` → ``2021``) and spaces
    dropped; None when a character is neither a digit nor a digit confusion."""
    out: list[str] = []
    repairs: list[str] = []
    for ch in raw:
        if ch in "0123456789":
            out.append(ch)
        elif ch.isspace():
            repairs.append(f"{slot}: space")
        else:
            hit = next((c for c in confusions("digit") if c.glyph.fullmatch(ch)), None)
            if hit is None:
                return None
            out.append(hit.canonical)
            repairs.append(f"{slot}: {ch}→{hit.canonical}")
    return "".join(out), repairs


def _letter_spots(raw: str) -> list[tuple[int, int, Confusion]]:
    spots: list[tuple[int, int, Confusion]] = []
    for conf in confusions("letter"):
        spots += [(m.start(), m.end(), conf) for m in conf.glyph.finditer(raw)]
    return sorted(spots, key=lambda s: s[0])[:6]


def repair_code(raw: str, known: Callable[[str], bool], slot: str) -> tuple[str, list[str], int] | None:
    """The known code ``raw`` was read from, with its repairs and a score (lower is
    better: fewer plain repairs, then more preferred ones); None when no reading,
    or more than one equally good, is known."""
    best: list[tuple[int, str, list[str]]] = []
    spots = _letter_spots(raw)
    for choice in product((False, True), repeat=len(spots)):
        text, repairs, score, last, listed = raw, [], 0, len(raw), False
        for (s, e, conf), use in sorted(zip(spots, choice), key=lambda x: -x[0][0]):
            if use and e <= last:
                text = text[:s] + conf.canonical + text[e:]
                repairs.append(f"{slot}: {raw[s:e]}→{conf.canonical}")
                score += -1 if conf.prefer else 100
                last, listed = s, listed or conf.listed
        if known(text) and (not listed or _listed(raw, text)):
            best.append((score, text, repairs[::-1]))
    if not best:
        return None
    top = min(b[0] for b in best)
    winners = {b[1] for b in best if b[0] == top}
    if len(winners) != 1:
        return None
    score, text, repairs = next(b for b in best if b[0] == top)
    return text, repairs, score


def _splits(body: str) -> Iterator[tuple[str, str, list[str], int]]:
    """(code, issuer, repairs, score) for every place the party body may split."""
    if "/" in body:
        code, _, issuer = body.partition("/")
        yield code, issuer, [], 0
        return
    for conf in confusions("slash"):
        for m in conf.glyph.finditer(body):
            yield body[:m.start()], body[m.end():], [f"slash: {m.group(0)}→/"], 100


def _party_parts(body: str) -> tuple[str, str, list[str]] | None:
    results: list[tuple[int, str, str, list[str]]] = []
    for code_raw, issuer_raw, repairs, score in _splits(body):
        code = repair_code(rx(r"\s").sub("", code_raw), lambda c: c in type_codes(), "code")
        issuer = repair_code(rx(r"\s").sub("", issuer_raw), is_known_issuer, "issuer")
        if code and issuer:
            results.append((score + code[2] + issuer[2], code[0], issuer[0], repairs + code[1] + issuer[1]))
    if not results:
        return None
    top = min(r[0] for r in results)
    winners = {(r[1], r[2]) for r in results if r[0] == top}
    if len(winners) != 1:
        return None
    _, code_text, issuer_text, repairs = next(r for r in results if r[0] == top)
    return code_text, issuer_text, repairs


@cache
def _so_label() -> regex.Pattern[str]:
    return compile_pattern(r"(?:(?<!\p{L})[Ss]ố\s*[:.]?|" + compiled("ocr", "ocr.so_label").pattern + r")\s*$")


def _number(text: str, m: regex.Match[str]) -> tuple[str, list[str]] | None:
    """The repaired number slot; stray dots or an all-letter number only after a Số: label."""
    fixed = repair_digits(m.group("number"), "number")
    if fixed is None:
        return None
    labelled = bool(_so_label().search(text[max(0, m.start() - 12):m.start()]))
    plain = any(ch.isdigit() for ch in m.group("number"))
    if not labelled and (m.group("lead") or m.group("trail") or not plain):
        return None
    number, repairs = fixed
    if m.group("lead") or m.group("trail"):
        repairs.append("number: stray punctuation")
    return number, repairs


def _spacing(raw: str, ident: str) -> list[str]:
    return ["spacing"] if rx(r"\s").sub("", raw) != raw and " " not in ident else []


def _party(text: str, m: regex.Match[str]) -> Symbol | None:
    number = _number(text, m)
    parts = _party_parts(m.group("body").rstrip())
    if number is None or parts is None:
        return None
    code, issuer, repairs = parts
    dash = [] if m.group("dash") == "-" else [f"dash: {m.group('dash')}→-"]
    ident = f"{number[0]}-{code}/{issuer}"
    start, end = m.start("number"), m.start("body") + len(m.group("body").rstrip())
    repairs = number[1] + dash + repairs + _spacing(text[start:end], ident)
    return Symbol("party", start, end, ident, number[0], code, issuer, tuple(repairs))


def _state_issuer(raw: str | None) -> tuple[str | None, list[str]] | None:
    if raw is None:
        return None, []
    fixed = repair_code(rx(r"\s").sub("", raw), is_known_issuer, "issuer")
    return (fixed[0], fixed[1]) if fixed else None


def _state(text: str, m: regex.Match[str]) -> Symbol | None:
    number = _number(text, m)
    year = repair_digits(m.group("year"), "year") if m.group("year") else ("", [])
    code = repair_code(m.group("code"), lambda c: c in type_codes() or is_known_issuer(c), "code")
    issuer = _state_issuer(m.group("issuer"))
    if number is None or year is None or code is None or issuer is None:
        return None
    if (year[0] and not rx(r"(?:19|20)\d\d").fullmatch(year[0])) or (not year[0] and issuer[0] is None):
        return None
    ident = f"{number[0]}/{year[0]}/{code[0]}" if year[0] else f"{number[0]}/{code[0]}"
    ident += f"-{issuer[0]}" if issuer[0] else ""
    start = m.start("number")
    seps = [_separator(m, g) for g in ("s1", "s2", "dash")]
    repairs = number[1] + year[1] + [r for r in seps if r] + code[1] + issuer[1]
    return Symbol("state", start, m.end(), ident, number[0], code[0], issuer[0], tuple(repairs + _spacing(text[start:m.end()], ident)))


def _separator(m: regex.Match[str], group: str) -> str | None:
    written = m.group(group)
    canonical = "-" if group == "dash" else "/"
    if written is None or written == canonical:
        return None
    return f"{'dash' if group == 'dash' else 'slash'}: {written}→{canonical}"


def find_repaired_symbols(text: str) -> list[Symbol]:
    """Document numbers that only parse once OCR confusions are repaired; each
    carries at least one repair and only known codes."""
    found: list[Symbol] = []
    starts = cache(lambda: symbol_starts(text))
    for form, build in (("party", _party), ("state", _state)):
        for m in finditer_from("ocr", f"ocr.{form}", text, _SYMBOL_OPENINGS[form], starts):
            symbol = build(text, m)
            if symbol and symbol.repairs and is_known_symbol(form, symbol.code, symbol.issuer):
                found.append(symbol)
    return found


def merge_symbols(clean: list[Symbol], repaired: list[Symbol]) -> list[Symbol]:
    """``clean`` with a repaired symbol added where no clean one overlaps it, or
    in place of clean ones it overlaps that are unknown or that it extends
    (``01/2020/NĐ`` read from ``01/2020/NĐ- CP``)."""
    result = list(clean)
    for sym in sorted(repaired, key=lambda s: (s.start, -(s.end - s.start))):
        hits = [c for c in result if c.start < sym.end and sym.start < c.end]
        if all(_yields(c, sym) for c in hits):
            result = [c for c in result if c not in hits] + [sym]
    return sorted(result, key=lambda s: s.start)


def _yields(clean: Symbol, sym: Symbol) -> bool:
    if clean.repairs:
        return False
    unknown = not is_known_symbol(clean.form, clean.code, clean.issuer)
    extends = sym.start <= clean.start and clean.end <= sym.end and sym.end - sym.start > clean.end - clean.start
    return unknown or extends


_WORDS = {"word": "ngày", "tw": "tháng", "nw": "năm"}


def _real_date(day: str, month: str, year: str) -> str | None:
    if not rx(r"(?:19|20)\d\d").fullmatch(year):
        return None
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _date(m: regex.Match[str], kind: str) -> RepairedDate | None:
    parts = [repair_digits(m.group(g), slot) for g, slot in (("d", "day"), ("m", "month"), ("y", "year"))]
    if any(p is None for p in parts):
        return None
    (day, r_day), (month, r_month), (year, r_year) = [p for p in parts if p is not None]
    if kind == "numeric" and not all(any(ch.isdigit() for ch in m.group(g)) for g in ("d", "m")):
        return None
    iso = _real_date(day, month, year)
    if iso is None:
        return None
    repairs = r_day + r_month + r_year
    if kind == "words":
        repairs += [f"word: {m.group(g)}→{w}" for g, w in _WORDS.items() if m.group(g).lower() != w]
    return RepairedDate(m.start(), m.end(), iso, int(year), tuple(repairs))


@cache
def _numeric_candidates() -> regex.Pattern[str] | None:
    """A fast case-sensitive pre-scan for numeric dates with a confusion or a
    space in them, built from the digit confusions' character classes; None
    when one is not a plain class (then the full pattern scans the text)."""
    chars = ""
    for confusion in confusions("digit"):
        pattern = confusion.glyph.pattern
        if not (pattern.startswith("[") and pattern.endswith("]") and "]" not in pattern[1:-1]):
            return None
        chars += pattern[1:-1]
    d = f"[0-9{chars}]"
    return compile_pattern(rf"{d}{{1,2}}\s?[/.-]\s?{d}{{1,2}}\s?[/.-]\s?{d}{{4}}")


def _numeric_matches(text: str) -> list[regex.Match[str]]:
    full = compiled("ocr", "ocr.date_numeric")
    scan = _numeric_candidates()
    if scan is None:
        return list(full.finditer(text))
    out: list[regex.Match[str]] = []
    for candidate in scan.finditer(text):
        if rx(r"[0-9/.-]+").fullmatch(candidate.group()):
            continue  # a date as printed: the clean rules read it
        m = full.match(text, candidate.start())
        if m is not None:
            out.append(m)
    return out


def find_repaired_dates(text: str) -> list[RepairedDate]:
    """Day-precision dates that only parse once OCR confusions are repaired
    (``18/07/2O22``, ``ngày 1 8 tháng 7 năm 2O22``); each carries a repair."""
    found: list[RepairedDate] = []
    for kind in ("words", "numeric"):
        matches = compiled("ocr", "ocr.date_words").finditer(text) if kind == "words" else _numeric_matches(text)
        for m in matches:
            date = _date(m, kind)
            if date and date.repairs and not any(date.start < f.end and f.start < date.end for f in found):
                found.append(date)
    return sorted(found, key=lambda d: d.start)


def repaired_date_at(text: str, pos: int) -> RepairedDate | None:
    """A repaired date starting at ``pos`` (its ``ngày`` word or its digits), if any."""
    for kind in ("words", "numeric"):
        m = compiled("ocr", f"ocr.date_{kind}").match(text, pos)
        date = _date(m, kind) if m else None
        if date and date.repairs:
            return date
    return None


def citation_repairs(written: str) -> list[str]:
    """The repairs that turned ``written`` (a citation's ``text``) into its id;
    empty for a symbol the clean patterns read as it stands."""
    for form in ("party", "state"):
        m = compiled("citations", f"citation.{form}").fullmatch(written)
        if m and is_known_symbol(form, m.group("code"), m.group("issuer")):
            return []
    labelled = "Số: " + written
    found = [s for s in find_repaired_symbols(labelled) if s.start == 4 and s.end == len(labelled)]
    return list(found[0].repairs) if found else []


def date_repairs(written: str) -> list[str]:
    """The repairs that turned ``written`` (a date's ``text``) into its date; empty for a clean date."""
    if any(compiled("dates", e).fullmatch(written) for e in ("date.words", "date.numeric")):
        return []
    found = repaired_date_at(written, 0)
    return list(found.repairs) if found and found.end == len(written) else []
