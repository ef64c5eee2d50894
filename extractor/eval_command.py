"""What ``bienche eval`` and evaluation/score.py do: pick the scorer, render the result.

Real-document gold (evaluation/gold/real/README.md) is scored by
``extractor.evaluate_real.score_real`` and rendered by ``format_real``; a single
seeds-format file is scored by ``extractor.evaluate`` exactly as before.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from extractor.evaluate import format_report, score
from extractor.evaluate_real import GroupScore, RealReport, Split, expand_gold_paths, is_real_gold, score_real


# -- the table -----------------------------------------------------------------


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _rows(report: RealReport, line: Callable[[GroupScore], str]) -> list[str]:
    return [line(g) for g in report.groups] + [line(report.overall)]


def _record_line(g: GroupScore) -> str:
    c = g.counts
    return (
        f"{g.genre:<15} {c.docs:>4} {c.gold_figures:>5} {c.output_figures:>5} {c.tp:>5} "
        f"{_cell(g.precision):>6} {_cell(g.recall):>6} {_cell(g.f1):>6} "
        f"{_cell(g.rates['found']):>6} {_cell(g.rates['found_near']):>6}"
    )


def _pair_line(g: GroupScore) -> str:
    c, r = g.counts, g.rates
    cells = " ".join(f"{_cell(r[k]):>8}" for k in ("category", "org", "basis", "unit", "parent"))
    return f"{g.genre:<15} {c.pairs:>5} {c.tp:>5} {cells} {f'{c.sums_assembled}/{c.sums}':>6}"


def _finding_line(g: GroupScore) -> str:
    c = g.counts
    found = f"{c.gold_findings_found}/{c.gold_findings}"
    return f"{g.genre:<15} {c.errors:>6} {c.errors_matched:>7} {c.errors - c.errors_matched:>6} {found:>10}"


def format_real(report: RealReport) -> str:
    """The report as plain-text tables, per genre and overall."""
    o = report.overall.counts
    lines = [
        f"gold:   {', '.join(report.gold)}",
        f"output: {report.output}",
        f"split: {report.split}; documents: {o.docs}, {len(report.missing)} missing from output",
        "",
        "figure records on (value, kind, year, base_year); found: gold |value| in the output (near: by its quote)",
        f"{'genre':<15} {'docs':>4} {'gold':>5} {'out':>5} {'TP':>5} {'P':>6} {'R':>6} {'F1':>6} {'found':>6} {'near':>6}",
        *_rows(report, _record_line),
        "",
        "matched pairs (all fields, then value and kind, then |value|): accuracy; sums assembled",
        f"{'genre':<15} {'pairs':>5} {'full':>5} "
        + " ".join(f"{k:>8}" for k in ("category", "org", "basis", "unit", "parent"))
        + f" {'sums':>6}",
        *_rows(report, _pair_line),
        "",
        "error findings: output errors, matching a gold finding, false errors; gold findings found",
        f"{'genre':<15} {'errors':>6} {'matched':>7} {'false':>6} {'gold found':>10}",
        *_rows(report, _finding_line),
        "",
        f"figures on norm/other-sense docs: {o.norm_output_figures} ({o.norm_docs} documents)",
    ]
    if report.duplicates:
        lines.append("duplicate gold keys (first kept): " + ", ".join(report.duplicates))
    return "\n".join(lines)


# -- entry point for the CLI and evaluation/score.py ---------------------------


def run_eval(
    paths: list[Path],
    output: Path,
    *,
    split: Split = "dev",
    match_stem: bool = False,
    as_json: bool = False,
    per_document: bool = False,
) -> str:
    """Score ``output`` against the gold ``paths`` (files or folders) and render the result.

    Real-document gold is scored by ``score_real``; a single seeds-format file by
    ``extractor.evaluate.score`` exactly as before. Raises ``ValueError`` on a mix.
    """
    files = expand_gold_paths(paths)
    if not files:
        raise ValueError("no gold files given")
    real = [is_real_gold(json.loads(p.read_text(encoding="utf-8"))) for p in files]
    if all(real):
        report = score_real(files, output, split=split, match_stem=match_stem)
        return report.model_dump_json(indent=2) if as_json else format_real(report)
    if len(files) > 1:
        raise ValueError("seeds-format gold is scored one file at a time, without real-document gold")
    seeds = score(files[0], output, match_stem=match_stem)
    return seeds.model_dump_json(indent=2) if as_json else format_report(seeds, per_document=per_document)
