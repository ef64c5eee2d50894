"""citation_conflict: the same document key with different dates or issuers,
within a document and across all documents of one run.

A symbol without a year inside (``01/NQ-CP``) carries its year of issue in the key
(``01/NQ-CP@2025``), so two such documents of different years are two keys and
never a conflict; the same key dated on two days of one year still is."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import NamedTuple, Protocol

import regex

from extractor.check import rules
from extractor.models import Citation, DocumentResult, Finding
from extractor.rules.citations import issuer_scope, split_key, symbol_year
from extractor.text import fold


def issuer_key(issuer: str) -> str:
    """An issuer name folded for comparison: no "khóa …", no "Đảng", no brackets."""
    name = fold(issuer)
    name = regex.sub(r"\(?\s*khoa\s+[ivxl]+\s*\)?", " ", name)
    name = regex.sub(r"\bdang\b|\bcong san viet nam\b", " ", name)
    return str(regex.sub(r"\s+", " ", name)).strip()


def _same_issuer(a: str, b: str) -> bool:
    ka, kb = issuer_key(a), issuer_key(b)
    return ka in kb or kb in ka


def _conflicts(cites: Sequence[tuple[str, CiteLike]]) -> tuple[list[str], list[str]]:
    dates = sorted({c.date for _, c in cites if c.date})
    issuers: list[str] = []
    for _, c in cites:
        if c.issuer and not any(_same_issuer(c.issuer, seen) for seen in issuers):
            issuers.append(c.issuer)
    return dates, issuers


def _severity(c: CiteLike) -> str:
    local, _ = issuer_scope(c.issuer_code)
    unscoped = c.key is None or split_key(c.key).body is None
    return "warning" if local == "local" and unscoped else "error"


def citation_conflicts(result: DocumentResult) -> list[Finding]:
    """Conflicting dates or issuers for one key inside one document, and state
    symbols whose year differs from their stated issue date (60/2021/NĐ-CP of 2025)."""
    by_key: dict[str, list[tuple[str, CiteLike]]] = defaultdict(list)
    findings: list[Finding] = []
    for c in result.citations:
        if c.key and not c.partial:
            by_key[c.key].append((result.source, c))
        year = symbol_year(c.id or "")
        if year and c.date and c.date[:4] != year:
            findings.append(
                Finding(
                    rule=rules.CITATION_CONFLICT,
                    severity="error",
                    message=f"{c.id} mang năm {year} trong số hiệu nhưng ghi ngày {c.date}",
                    stated=c.date,
                    computed=year,
                    spans=[(c.start, c.end)],
                )
            )
    return findings + [f for key, cites in by_key.items() for _, f in _findings(key, cites, within=True)]


class CiteLike(Protocol):
    """What the conflict rule reads of a citation: a ``Citation`` or an index's
    compact :class:`CiteRef`."""

    @property
    def key(self) -> str | None: ...
    @property
    def date(self) -> str | None: ...
    @property
    def issuer(self) -> str | None: ...
    @property
    def issuer_code(self) -> str | None: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


class CiteRef(NamedTuple):
    """The fields of one citation that the corpus conflict rule needs, nothing else."""

    key: str | None
    date: str | None
    issuer: str | None
    issuer_code: str | None
    start: int
    end: int


CitesByKey = Mapping[str, Sequence[tuple[str, CiteLike]]]
"""Key → (source, citation) in run order, full citations only (keyed, not partial)."""


def corpus_cites(result: DocumentResult) -> Iterator[tuple[str, Citation]]:
    """The citations of ``result`` that take part in the corpus rule: keyed and not partial."""
    for c in result.citations:
        if c.key and not c.partial:
            yield c.key, c


def corpus_citation_conflicts(results: list[DocumentResult]) -> dict[str, list[Finding]]:
    """Conflicts for keys cited in several documents with different dates or issuers."""
    by_key: dict[str, list[tuple[str, CiteLike]]] = defaultdict(list)
    for r in results:
        for key, c in corpus_cites(r):
            by_key[key].append((r.source, c))
    return key_conflicts(by_key)


def key_conflicts(by_key: CitesByKey) -> dict[str, list[Finding]]:
    """The corpus conflicts of ``by_key`` (as :func:`corpus_citation_conflicts` collects
    it from results, or a run index from compact copies), keyed by source."""
    out: dict[str, list[Finding]] = defaultdict(list)
    for key, cites in by_key.items():
        by_source: dict[str, list[tuple[str, CiteLike]]] = defaultdict(list)
        for cite in cites:
            by_source[cite[0]].append(cite)
        if len(by_source) < 2:
            continue
        findings = _findings(key, cites, within=False)
        if not findings:
            continue  # most keys: one date, one issuer, however many documents cite them
        per_doc = {s: _conflicts(mine) for s, mine in by_source.items()}
        for kind, f in findings:
            for source, mine in by_source.items():
                dates, issuers = per_doc[source]
                if kind == "date" and len(dates) > 1 or kind == "issuer" and len(issuers) > 1:
                    continue  # already reported inside that document
                out[source].append(f.model_copy(update={"spans": [(c.start, c.end) for _, c in mine]}))
    return out


_NAMED = 5
"""Files named per date in a corpus conflict message; the rest are counted."""


def _names(sources: set[str]) -> str:
    """Up to ``_NAMED`` file names (sorted), then how many more: a popular key's message stays short."""
    names = sorted({s.rsplit("/", 1)[-1] for s in sources})
    more = f" và {len(names) - _NAMED} văn bản khác" if len(names) > _NAMED else ""
    return ", ".join(names[:_NAMED]) + more


def _findings(key: str, cites: Sequence[tuple[str, CiteLike]], within: bool) -> list[tuple[str, Finding]]:
    """The conflicts of one key, each with its kind ("date" or "issuer")."""
    dates, issuers = _conflicts(cites)
    where = "trong văn bản này" if within else "giữa các văn bản"
    found: list[tuple[str, Finding]] = []
    severity = _severity(cites[0][1])
    if len(dates) > 1:
        places = "; ".join(f"{d} ({_names({s for s, c in cites if c.date == d})})" for d in dates)
        found.append(("date", Finding(rule=rules.CITATION_CONFLICT, severity=severity, message=f"{key} được ghi ngày khác nhau {where}: {places}", stated=dates[0], computed=dates[1], spans=[(c.start, c.end) for _, c in cites if c.date])))
    if len(issuers) > 1:
        # an issuer is read from wording around the reference, so a mismatch is suspicious, not proof
        found.append(("issuer", Finding(rule=rules.CITATION_CONFLICT, severity="warning", message=f"{key} được ghi cơ quan ban hành khác nhau {where}: {' / '.join(issuers)}", stated=issuers[0], computed=issuers[1], spans=[(c.start, c.end) for _, c in cites if c.issuer])))
    return found
