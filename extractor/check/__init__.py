"""Stage 4: the consistency checker. Every figure that does not add up becomes a
``Finding`` with the arithmetic shown and, where the other figures pin it down,
the likely correction. One module per rule family; this one assembles them."""

from __future__ import annotations

from collections import Counter

from extractor.check import rules
from extractor.check.basis import actual_above_assigned
from extractor.check.changes import alternative_base_years, change_relations
from extractor.check.citations import citation_conflicts, corpus_citation_conflicts
from extractor.check.gaps import gap_relations
from extractor.check.corrections import Candidate, best_for, candidates
from extractor.check.numbers import vn
from extractor.check.ocr import low_confidence_findings
from extractor.check.periods import period_findings
from extractor.check.rates import rate_relations
from extractor.check.relations import Relation, Values, figure_values
from extractor.check.sums import sum_relations
from extractor.check.targets import target_findings
from extractor.models import DocumentResult, Figure, Finding

__all__ = ["check_document", "check_corpus", "check_figures"]


def check_figures(figures: list[Figure], text: str) -> list[Finding]:
    """Findings for the sum, change, base_year and rate rules over one document's figures."""
    sums = sum_relations(figures)
    changes, findings, table = change_relations(figures)
    rates = rate_relations(figures, table, text)
    relations = sums + changes + rates + gap_relations(figures)
    values = figure_values(figures)
    stated = Counter(abs(f.value) for f in figures if f.kind in ("level", "count", "change"))
    ranked = candidates(relations, values, stated)
    by_id = {f.id: f for f in figures}
    roots: dict[tuple[str, float], Finding] = {}
    for relation in relations:
        if relation.holds(values):
            continue
        finding = _describe(relation, values, by_id)
        fix = best_for(relation, ranked)
        if fix is not None:
            finding.suggestion = _suggest(fix, relations, values, by_id)
            root = roots.get((fix.variable, fix.new))
            if root is not None and fix.repaired > 1:
                if finding.severity == "error" and root.severity != "error":  # the provable one leads
                    finding.related, root.related = [*root.related, root], []
                    findings[findings.index(root)] = roots[(fix.variable, fix.new)] = finding
                else:
                    root.related.append(finding)  # the same typo breaks this relation too
                continue
            roots.setdefault((fix.variable, fix.new), finding)
        if relation.rule == rules.CHANGE and "key" in relation.extra:
            change = relation.figures[0]
            key = relation.extra["key"]
            fits = alternative_base_years(change, table, key, table.stated.get((key, change.year or 0)))  # type: ignore[arg-type]
            if fits:
                rate = f" và {vn(abs(change.rate_percent))}%" if change.rate_percent is not None else ""
                finding.message += f"; {vn(abs(change.value))}{rate} khớp với năm gốc {fits[0]}, không phải {change.base_year}"
                finding.suggestion = f"có thể là năm gốc {fits[0]} (\"so với năm {fits[0]}\")"
        findings.append(finding)
    return findings


def _describe(relation: Relation, values: Values, by_id: dict[str, Figure]) -> Finding:
    spans = sorted({(f.start, f.end) for f in relation.figures} | {f.base_year_span for f in relation.figures[:1] if f.base_year_span})
    if relation.rule == rules.SUM:
        whole, parts = relation.figures[0], relation.figures[1:]
        total = sum(values[p.id] for p in parts)
        terms = " + ".join(vn(values[p.id]) for p in parts).replace("+ −", "− ")
        return Finding(
            rule=rules.SUM,
            severity="warning" if relation.extra.get("severity") == "warning" else "error",
            message=f"{vn(whole.value)} ≠ {terms} = {vn(total)} ({whole.text} và các thành phần)",
            stated=whole.value,
            computed=total,
            spans=spans,
        )
    if relation.rule == rules.GAP:
        gap, assigned, actual = relation.figures
        return Finding(
            rule=rules.GAP,
            severity="error",
            message=f"{vn(gap.value)} chưa sử dụng ({gap.text}) ≠ {vn(assigned.value)} được giao − {vn(actual.value)} có mặt "
                    f"= {vn(assigned.value - actual.value)}",
            stated=gap.value,
            computed=assigned.value - actual.value,
            spans=spans,
        )
    if relation.rule == rules.RATE:
        change, level = relation.figures
        exact = relation.rate_exact(values) or 0.0
        if change.rate_span:
            spans.append(change.rate_span)
        return Finding(
            rule=rules.RATE,
            severity="error",
            message=f"{vn(abs(change.value))} / ({vn(level.value)} {'+' if change.value < 0 else '−'} {vn(abs(change.value))}) = {vn(round(exact, 2))}%, văn bản ghi {vn(abs(change.rate_percent or 0))}%",
            stated=abs(change.rate_percent or 0),
            computed=round(exact, relation.rate_decimals),
            spans=sorted(set(spans)),
        )
    change = relation.figures[0]
    coefficients = dict(relation.terms)
    computed = sum(coef * values[v] for v, coef in coefficients.items() if v != change.id)
    # computed is the change the levels imply; report magnitudes in the text's direction
    sign = -1.0 if change.value < 0 else 1.0
    if len(relation.figures) == 3:
        after, before = relation.figures[1], relation.figures[2]
        base_text = f"{vn(before.value)}" + (f" ({before.year})" if before.year else "")
        arithmetic = f"{vn(after.value)} − {base_text} = {vn(after.value - before.value)}"
    else:
        _, level, d_level, d_change = relation.figures
        base_value = d_level.value - d_change.value
        arithmetic = (
            f"mức năm {change.base_year} là {vn(d_level.value)} − ({vn(d_change.value)}) = {vn(base_value)} "
            f"(từ \"{d_change.text}\"), nên {vn(level.value)} − {vn(base_value)} = {vn(level.value - base_value)}"
        )
    return Finding(
        rule=rules.CHANGE,
        severity="warning" if relation.extra.get("severity") == "warning" else "error",
        message=f"văn bản ghi {'giảm' if change.value < 0 else 'tăng'} {vn(abs(change.value))} ({change.text}) nhưng {arithmetic}",
        stated=abs(change.value),
        computed=sign * computed,
        spans=spans,
    )


def _suggest(fix: Candidate, relations: list[Relation], values: Values, by_id: dict[str, Figure]) -> str:
    trial = dict(values)
    trial[fix.variable] = fix.new
    checks = []
    for r in relations:
        if fix.variable in r.variables and r.rule == rules.SUM:
            whole, parts = r.figures[0], r.figures[1:]
            checks.append(f"{' + '.join(vn(trial[p.id]) for p in parts)} = {vn(trial[whole.id])}")
        elif fix.variable in r.variables and r.rule == rules.CHANGE and len(r.figures) == 3:
            c, after, before = r.figures
            checks.append(f"{vn(trial[after.id])} − {vn(trial[before.id])} = {vn(trial[c.id])}")
    name = fix.variable
    figure = by_id.get(name)
    if name.endswith(".rate"):
        old, new = f"{vn(abs(fix.old))}%", f"{vn(abs(fix.new))}%"
    elif figure is not None and figure.kind == "change":  # worded as the text words a change
        old, new = (f"{'giảm' if v < 0 else 'tăng'} {vn(abs(v))}" for v in (fix.old, fix.new))
    else:
        old, new = vn(fix.old), vn(fix.new)
    then = f" (khi đó {' và '.join(checks)})" if checks else ""
    return f"có thể {old} → {new}{then}"


def check_document(result: DocumentResult, text: str) -> list[Finding]:
    """Every finding for one document: figures, periods, citations, targets."""
    findings = check_figures(result.figures, text)
    findings += period_findings(result, text)
    findings += citation_conflicts(result)
    findings += target_findings(result)
    findings += actual_above_assigned(result.figures)
    findings += low_confidence_findings(result)
    return findings


def check_corpus(results: list[DocumentResult]) -> dict[str, list[Finding]]:
    """Findings that need every document of a run: the same key with different
    dates or issuers across documents. Keyed by the source they are reported in."""
    return corpus_citation_conflicts(results)
