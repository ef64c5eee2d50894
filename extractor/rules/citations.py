"""Citations of other directives: party form ``71-QĐ/TW``, state form
``60/2021/NĐ-CP``, partial references ("Kế hoạch số 12"), with the type word,
issue date, issuer, relation word and the document's own identity."""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from typing import NamedTuple

import regex

from extractor.models import Citation, Relation, Sentence
from extractor.patterns import compiled, entries, expand, finditer_from, rx, vocabulary_starts
from extractor.regex_store import compile_pattern
from extractor.rules.dates import find_dates, iso_date
from extractor.rules.header import HEADER_CHARS, header_date
from extractor.rules.numbers import digit_runs
from extractor.rules.ocr_repair import Symbol, citation_repairs, find_repaired_symbols, merge_symbols, repaired_date_at
from extractor.rules.orgs import canonical_name, find_orgs, resolve_local
from extractor.rules.spans import Disjoint, Overlaps
from extractor.segment import sentence_at

_SYMBOL_OPENING = r"(?<![\p{L}\d/.,])(?P<number>\d"
"""How both symbol patterns open: the first digit of a run, the only offsets they are tried at."""
_PARTIAL_OPENING = r"(?P<type>{doc_types})"
"""How the partial pattern opens: a type word, found by the scan back-references share."""
_CITIES = {"Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"}
_WINDOW = 60


@cache
def _type_by_code() -> dict[str, str]:
    table: dict[str, str] = {}
    for e in entries("doc_types"):
        for code in getattr(e, "codes", []) or []:
            table.setdefault(code, getattr(e, "name"))
    return table


@cache
def _type_names() -> list[tuple[regex.Pattern[str], str]]:
    return [
        (compile_pattern(r"^" + expand(e.pattern) + r"$", regex.IGNORECASE), getattr(e, "name"))
        for e in entries("doc_types")
    ]


def type_name(word: str) -> str | None:
    """The canonical type name for a type word as written ("nghị quyết" → "Nghị quyết")."""
    cleaned = rx(r"\s+").sub(" ", word.strip())
    for pattern, name in _type_names():
        if pattern.match(cleaned):
            return name
    return None


@cache
def _issuer_levels() -> list[tuple[regex.Pattern[str], str, str]]:
    return [
        (compiled("issuer_codes", e.id), getattr(e, "group"), getattr(e, "level"))
        for e in entries("issuer_codes")
    ]


def issuer_scope(issuer_code: str | None) -> tuple[str, str]:
    """("local"|"central", level) for an issuer code; unknown codes are central."""
    if issuer_code:
        for pattern, group, level in _issuer_levels():
            if pattern.match(issuer_code):
                return group, level
    return "central", "country"


@cache
def _relations() -> list[tuple[regex.Pattern[str], Relation]]:
    return [(compiled("relations", e.id), getattr(e, "relation")) for e in entries("relations")]


def relation_before(before: str) -> Relation:
    """The relation named by the words just before a reference ("Thực hiện" → implements)."""
    for pattern, relation in _relations():
        if pattern.search(before):
            return relation
    return "cites"


def _canonical_id(m: regex.Match[str], form: str) -> tuple[str, str, str | None]:
    number = m.group("number")
    code = m.group("code")
    issuer = m.group("issuer")
    if form == "party":
        return f"{number}-{code}/{issuer}", code, issuer
    year = m.group("year")
    ident = f"{number}/{year}/{code}" if year else f"{number}/{code}"
    if issuer:
        ident += f"-{issuer}"
    return ident, code, issuer


class KeyParts(NamedTuple):
    """A graph key ``ID[@BODY][@YEAR]`` taken apart."""

    id: str
    body: str | None
    year: str | None


def symbol_year(ident: str) -> str | None:
    """The year inside a symbol (``60/2021/NĐ-CP`` → ``2021``); None for ``01/NQ-CP``."""
    m = compiled("citations", "citation.symbol_year").search(ident)
    return m.group("year") if m else None


def split_key(key: str) -> KeyParts:
    """``45-KH/TU@tỉnh Bình Định@2024`` → (``45-KH/TU``, ``tỉnh Bình Định``, ``2024``).
    The last ``@`` part is the year when it is four digits; ``file:`` keys are whole."""
    if key.startswith("file:"):
        return KeyParts(key, None, None)
    parts = key.split("@")
    year = parts.pop() if len(parts) > 1 and rx(r"\d{4}").fullmatch(parts[-1]) else None
    return KeyParts(parts[0], "@".join(parts[1:]) or None, year)


def citation_key(
    ident: str, issuer_code: str | None, issuer: str | None, province: str | None, date: str | None
) -> str:
    """The graph key: the id, ``@body`` for a local issuer whose body is known, and
    ``@year`` of the issue date for a symbol without a year inside it — except the
    Party Central Committee's (``/TW``, and its departments: ``/BTCTW``, ``/VPTW`` …), numbered per congress term, never per year,
    and mostly cited without a date: a year would split one document in two."""
    key = _scoped_key(ident, issuer_code, issuer, province)
    if date and not symbol_year(ident) and not rx(r"TW$").search(ident):
        key += f"@{date[:4]}"
    return key


def _scoped_key(ident: str, issuer_code: str | None, issuer: str | None, province: str | None) -> str:
    group, level = issuer_scope(issuer_code)
    if group != "local":
        return ident
    body = _body(issuer, province, level)
    return f"{ident}@{body}" if body else ident


def _body(issuer: str | None, province: str | None, level: str) -> str | None:
    if issuer:
        place = rx(r"(?:(?:Tỉnh|Thành|Huyện|Quận|Thị)\s+ủy|tỉnh|thành\s+phố|huyện|quận|thị\s+xã)\s+(\p{Lu}[\p{L} -]*)$").search(issuer)
        if place:
            kind = place.group(0).split()[0].lower()
            name = place.group(1).strip()
            if kind in ("huyện", "quận", "thị"):
                return f"{'huyện' if kind == 'huyện' else kind} {name}"
            return f"{'thành phố' if name in _CITIES or kind == 'thành' else 'tỉnh'} {name}"
    if province and level == "province":
        return f"{'thành phố' if province in _CITIES else 'tỉnh'} {province}"
    return None


def _date_after(text: str, pos: int) -> tuple[str | None, int]:
    link = compiled("citations", "citation.date_after").match(text, pos, min(len(text), pos + 40))
    if not link:
        return None, pos
    at = link.end()
    for entry_id in ("date.numeric", "date.words"):
        m = compiled("dates", entry_id).match(text, at if entry_id == "date.numeric" else link.start() + link.group(0).lower().rfind("ngày"))
        if m:
            iso = iso_date(m.group("d"), m.group("m"), m.group("y"))
            if iso:
                return iso, m.end()
    word = rx(r"ng\p{L}y\s+$", regex.IGNORECASE).search(link.group(0))
    for at_ in (at, link.start() + word.start() if word else at):
        repaired = repaired_date_at(text, at_)
        if repaired:
            return repaired.date, repaired.end
    return None, pos


def _issuer_after(text: str, pos: int, province: str | None) -> str | None:
    link = compiled("citations", "citation.issuer_link").match(text, pos, min(len(text), pos + 20))
    if not link:
        return None
    tail = text[link.end():link.end() + 160]
    for org in find_orgs(tail, province):
        if org.start == 0 and org.label == "ORG":
            return org.name
        break
    return None


def _issuer_before(before: str, province: str | None) -> str | None:
    m = compiled("citations", "citation.issuer_before").search(before)
    if not m:
        return None
    return resolve_local(canonical_name(m.group("issuer")), province)


def find_citations(text: str, sentences: list[Sentence], province: str | None) -> list[Citation]:
    """Every citation in ``text`` (offsets into it), sorted by position."""
    clean: list[Symbol] = []
    clean_spans = Disjoint()
    runs = digit_runs(text)
    for form in ("party", "state"):
        for m in finditer_from("citations", f"citation.{form}", text, _SYMBOL_OPENING, lambda: runs):
            if clean_spans.any(m.start(), m.end()):
                continue
            clean_spans.add(m.start(), m.end())
            ident, code, issuer_code = _canonical_id(m, form)
            clean.append(Symbol(form, m.start(), m.end(), ident, m.group("number"), code, issuer_code))
    symbols = merge_symbols(clean, find_repaired_symbols(text))
    symbol_spans, taken = Overlaps([(s.start, s.end) for s in symbols]), Disjoint()
    found = [_build(text, sentences, province, s.start, s.end, s.ident, s.number, s.code, s.issuer) for s in symbols]
    for m in finditer_from("citations", "citation.partial", text, _PARTIAL_OPENING, lambda: vocabulary_starts("doc_types", text)):
        if symbol_spans.any(m.start(), m.end()) or taken.any(m.start(), m.end()):
            continue
        taken.add(*m.span())
        found.append(_build(text, sentences, province, m.start(), m.end(), None, m.group("number"), None, None, type_word=m.group("type")))
    found.sort(key=lambda c: c.start)
    _share_issuers(text, found)
    _mark_self(text, found)
    _date_self(text, sentences, found)
    _share_years(found)
    return found


def _build(
    text: str,
    sentences: list[Sentence],
    province: str | None,
    start: int,
    end: int,
    ident: str | None,
    number: str,
    code: str | None,
    issuer_code: str | None,
    type_word: str | None = None,
) -> Citation:
    sentence = sentence_at(sentences, start)
    s_start = sentence.start if sentence else max(0, start - 200)
    before = text[max(s_start, start - _WINDOW):start]
    type_start = start
    if type_word is None:
        t = compiled("citations", "citation.type_before").search(before)
        if t:
            type_word = t.group("type")
            type_start = start - (len(before) - t.start())
    doc_type = type_name(type_word) if type_word else None
    if doc_type is None and code:
        doc_type = _type_by_code().get(code)
    date, after = _date_after(text, end)
    issuer = _issuer_after(text, after, province)
    prefix = text[s_start:type_start]
    if issuer is None:
        issuer = _issuer_before(prefix[-160:], province)
    key = citation_key(ident, issuer_code, issuer, province, date) if ident else None
    return Citation(
        start=start,
        end=end,
        text=text[start:end],
        id=ident,
        key=key,
        number=number.lstrip() if number else None,
        type=doc_type,
        type_code=code,
        issuer_code=issuer_code,
        date=date,
        issuer=issuer,
        relation=relation_before(prefix[-80:]),
        partial=ident is None,
        repairs=citation_repairs(text[start:end]) if ident else [],
        sentence=sentence.around(start, end) if sentence else "",
    )


def _share_issuers(text: str, citations: list[Citation]) -> None:
    """"Nghị quyết số 18-NQ/TW, Nghị quyết số 19-NQ/TW của BCH ..." share the issuer."""
    joiner = compiled("citations", "citation.list_joiner")
    for i in range(len(citations) - 2, -1, -1):
        current, nxt = citations[i], citations[i + 1]
        if current.issuer or not nxt.issuer or nxt.date or current.issuer_code != nxt.issuer_code:
            continue
        between = text[current.end:nxt.start]
        if joiner.match(between):
            current.issuer = nxt.issuer
            if current.id and current.key and split_key(current.key).body is None:
                current.key = citation_key(current.id, current.issuer_code, current.issuer, None, current.date)


def _mark_self(text: str, citations: list[Citation]) -> None:
    signed = compiled("citations", "citation.self_signed")
    header = compiled("citations", "citation.header_number")
    type_before = compiled("citations", "citation.type_before")
    for c in citations:
        if c.partial:
            continue
        before = text[max(0, c.start - _WINDOW):c.start]
        t = type_before.search(before)
        head = before[:t.start()] if t else before
        if signed.search(head) or (c.start < 1500 and header.search(before)):
            c.is_self = True
            return


def _date_self(text: str, sentences: list[Sentence], citations: list[Citation]) -> None:
    """The document's own date, when its identity states none: a date opening the
    sentence that reports it, or the header's date line; its key then gets the year."""
    own = next((c for c in citations if c.is_self and c.id), None)
    if own is None or own.id is None or own.date is not None:
        return
    sentence = sentence_at(sentences, own.start)
    first = next((d for d in find_dates(sentence.text) if d.precision == "day"), None) if sentence else None
    if first is not None and first.start < 12:
        own.date = first.date
    elif own.start < HEADER_CHARS:
        dated = header_date(text)
        own.date = dated.date if dated else None
    if own.date and own.key:
        parts = split_key(own.key)
        if parts.year is None and not symbol_year(own.id):
            own.key = f"{own.key}@{own.date[:4]}"


def _share_years(citations: list[Citation]) -> None:
    """An undated mention of a yearless symbol takes the year that the same
    document states for that symbol, when it states exactly one."""
    years: dict[str, set[str]] = defaultdict(set)
    for c in citations:
        if c.key and not c.partial:
            parts = split_key(c.key)
            if parts.year:
                years[c.key.removesuffix(f"@{parts.year}")].add(parts.year)
    for c in citations:
        if c.key and not c.partial and c.date is None and len(years.get(c.key, ())) == 1:
            c.key = f"{c.key}@{next(iter(years[c.key]))}"
