"""target (warning): a plan's reductions against the minimums the text states for
the period ("tinh giản ít nhất 5% biên chế cán bộ, công chức")."""

from __future__ import annotations

from extractor.check import rules
from extractor.check.numbers import vn
from extractor.models import DocumentResult, Finding


def target_findings(result: DocumentResult) -> list[Finding]:
    """Warnings where the final stated reduction rate of a category falls short of its minimum."""
    findings: list[Finding] = []
    minimums = [f for f in result.figures if f.kind == "rate" and f.approx == "at_least" and f.value < 0 and f.category]
    for target in minimums:
        changes = [
            c for c in result.figures
            if c.kind == "change" and c.category == target.category and c.rate_percent is not None and c.year is not None
            and (target.base_year is None or c.base_year == target.base_year) and c.parent is None
        ]
        if not changes:
            continue
        last_year = max(c.year for c in changes if c.year is not None)
        for c in changes:
            if c.year == last_year and c.rate_percent is not None and abs(c.rate_percent) + 1e-9 < abs(target.value):
                findings.append(
                    Finding(
                        rule=rules.TARGET,
                        severity="warning",
                        message=f"{c.text} đến năm {last_year} là giảm {vn(abs(c.rate_percent))}%, thấp hơn mức tối thiểu {vn(abs(target.value))}% đã nêu ({target.text})",
                        stated=abs(c.rate_percent),
                        computed=abs(target.value),
                        spans=[(c.start, c.end), (target.start, target.end)],
                    )
                )
    return findings
