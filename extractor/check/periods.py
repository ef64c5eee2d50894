"""period, period_gap and missing_year: periods that run backwards or collapse,
gaps or overlaps between consecutive target periods, and "đến hết năm" with no year."""

from __future__ import annotations

import regex

from extractor.check import rules
from extractor.models import DocumentResult, Finding, Period
from extractor.rules.dates import find_missing_years
from extractor.segment import sentence_at, split_sentences


def period_findings(result: DocumentResult, text: str) -> list[Finding]:
    """Findings about the document's periods."""
    sentences = split_sentences(text)
    findings: list[Finding] = []
    ranged = [p for p in result.periods if p.start_year is not None and p.end_year is not None]
    for p in ranged:
        assert p.start_year is not None and p.end_year is not None
        if p.end_year > p.start_year:
            continue
        shape = "bắt đầu và kết thúc cùng một năm" if p.end_year == p.start_year else "kết thúc trước khi bắt đầu"
        sentence = sentence_at(sentences, p.start)
        keys = {c.key for c in result.citations if c.key and sentence and sentence.start <= c.start < sentence.end}
        others = []
        for c in result.citations:
            if c.key in keys:
                s = sentence_at(sentences, c.start)
                others += [q for q in ranged if s and s.start <= q.start < s.end and q.label != p.label and q is not p]
        if others:
            other = others[0]
            key = sorted(k for k in keys if k)[0]
            message = f"{key} được ghi giai đoạn {other.label} ở một câu và {p.label} ở câu khác: \"{p.text}\" {shape}"
            severity = "error"
            spans = [(p.start, p.end), (other.start, other.end)]
        else:
            elsewhere = [q for q in ranged if q is not p and q.end_year and q.start_year and q.end_year > q.start_year]
            message = f"giai đoạn \"{p.text}\" {shape}" + (f"; văn bản cũng có giai đoạn {elsewhere[0].label}" if elsewhere else "")
            severity = "warning"
            spans = [(p.start, p.end)]
        findings.append(Finding(rule=rules.PERIOD, severity=severity, message=message, stated=p.label, spans=spans))
    findings += _gaps(result, text, sentences)
    for start, end in find_missing_years(text):
        following = regex.split(r"[;\n]|\.(?!\d)", text[end:end + 40])[0]
        findings.append(
            Finding(
                rule=rules.MISSING_YEAR,
                severity="warning",
                message=f"sau \"{text[start:end]}\" là \"{following.strip()}\", không phải một năm: thiếu năm",
                stated=(text[start:end] + following).strip(),
                spans=[(start, end)],
            )
        )
    return findings


def _gaps(result: DocumentResult, text: str, sentences: list) -> list[Finding]:  # type: ignore[type-arg]
    """Consecutive target periods in one sentence (each followed by a figure) must meet."""
    findings: list[Finding] = []
    targets: list[Period] = []
    for p in result.periods:
        nxt = [q for q in result.periods if q.start > p.start]
        limit = nxt[0].start if nxt else len(text)
        s = sentence_at(sentences, p.start)
        if s and any(p.end <= f.start < min(limit, s.end) for f in result.figures):
            targets.append(p)
    for a, b in zip(targets, targets[1:]):
        sa, sb = sentence_at(sentences, a.start), sentence_at(sentences, b.start)
        if sa is None or sa != sb or a.end_year is None or b.start_year is None:
            continue
        if b.start_year > a.end_year + 1:
            gap = f"{a.end_year + 1}-{b.start_year - 1}" if b.start_year - 1 > a.end_year + 1 else str(a.end_year + 1)
            message = f"hai mục tiêu liên tiếp \"{a.text}\" … \"{b.text}\" bỏ trống {gap} (khoảng hở)"
        elif b.start_year <= a.end_year and (a.start_year is None or b.start_year > a.start_year):
            message = f"hai mục tiêu liên tiếp \"{a.text}\" … \"{b.text}\" chồng lên nhau trong {b.start_year}-{a.end_year}"
        else:
            continue
        findings.append(Finding(rule=rules.PERIOD_GAP, severity="warning", message=message, stated=f"{a.text} ... {b.text}", spans=[(a.start, a.end), (b.start, b.end)]))
    return findings
