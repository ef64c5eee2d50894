"""actual_above_assigned (warning): more people in post than the quota assigned for the
same org, category and year. Not provably wrong — a unit may be over its quota while
it streamlines — but a checker wants to see it, with both figures."""

from __future__ import annotations

from extractor.check import rules
from extractor.check.numbers import vn
from extractor.check.relations import org_keys
from extractor.check.sums import unit_group
from extractor.models import Figure, Finding


def actual_above_assigned(figures: list[Figure]) -> list[Finding]:
    """A warning for each actual headcount above the assigned quota of its org × category × year."""
    orgs = org_keys(figures)
    assigned: dict[tuple[str, str | None, int, str], Figure] = {}
    for f in figures:
        if f.kind == "level" and f.basis == "assigned" and f.year is not None:
            assigned.setdefault((orgs[f.id] if f.org else "", f.category, f.year, unit_group(f.unit)), f)
    findings: list[Finding] = []
    for f in figures:
        if f.kind != "level" or f.basis != "actual" or f.year is None:
            continue
        quota = assigned.get((orgs[f.id] if f.org else "", f.category, f.year, unit_group(f.unit)))
        if quota is None or f.value <= quota.value or quota.approx != "exact":
            continue
        if not f.org and quota.sentence != f.sentence:
            continue  # of no named unit: only where one sentence states both ("… được giao là 1.250 người, có mặt 1.262 người")
        findings.append(Finding(
            rule=rules.ACTUAL_ABOVE_ASSIGNED,
            severity="warning",
            message=f"{vn(f.value)} người có mặt ({f.text}) vượt {vn(quota.value)} biên chế được giao ({quota.text}) "
                    f"{'của ' + f.org + ', ' if f.org else ''}năm {f.year}: vượt {vn(f.value - quota.value)}",
            stated=f.value,
            computed=quota.value,
            spans=[(quota.start, quota.end), (f.start, f.end)],
        ))
    return findings
