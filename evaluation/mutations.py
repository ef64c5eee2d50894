"""Mutation evaluation of the consistency checker.

Takes a fully consistent plan — the Long An plan (corpus/001) with the gold's nine
corrections applied, written to evaluation/mutation/longan_clean.txt by this
script — injects one realistic typo at a time into each figure (one digit changed,
two neighbouring digits swapped, a base year changed) and reports the share of
typos detected (an error appears), located (an error's spans cover the changed
figure) and corrected (that finding's suggestion restores the original value),
plus the errors on the clean text.

    python evaluation/mutations.py            # the four figures
    python evaluation/mutations.py --verbose  # every mutant that was missed
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.check.numbers import vn  # noqa: E402
from extractor.document import document_from_text  # noqa: E402
from extractor.models import DocumentResult  # noqa: E402
from extractor.pipeline import extract_document  # noqa: E402

SEED = ROOT / "corpus" / "001_02c0c7e95a57206c.txt"
CLEAN = ROOT / "evaluation" / "mutation" / "longan_clean.txt"

# The gold's nine corrections (../shared/gold/seeds.json, document 001), as
# (text as written, corrected text, occurrence to change: 0-based or None for all).
CORRECTIONS: list[tuple[str, str]] = [
    ("24.424 viên chức", "25.424 viên chức"),
    ("tỷ lệ giảm 1,67%", "tỷ lệ giảm 1,62%"),
    ("giảm 16 biên chế so với năm 2022, tỷ lệ giảm 1,27%", "giảm 16 biên chế so với năm 2023, tỷ lệ giảm 1,27%"),
    ("giảm 44 biên chế so với năm 2022, tỷ lệ giảm 3,48%", "giảm 44 biên chế so với năm 2023, tỷ lệ giảm 3,48%"),
    ("giảm 70 biên chế so với năm 2022, tỷ lệ giảm 5,5%", "giảm 70 biên chế so với năm 2023, tỷ lệ giảm 5,5%"),
    ("2.250 biên chế, giảm 15 biên chế so với năm 2023", "2.250 biên chế, giảm 23 biên chế so với năm 2023"),
    ("2.227 biên chế, giảm 15 biên chế so với năm 2024", "2.227 biên chế, giảm 23 biên chế so với năm 2024"),
    ("2.181 biên chế, giảm 20 biên chế so với năm 2025", "2.181 biên chế, giảm 46 biên chế so với năm 2025"),
    ("24.992 biên chế, giảm 432 biên chế so với năm 2024", "24.992 biên chế, giảm 432 biên chế so với năm 2023"),
]


def clean_plan() -> str:
    """The Long An plan with the gold's corrections applied (written to CLEAN)."""
    text = SEED.read_text(encoding="utf-8")
    for before, after in CORRECTIONS:
        if before not in text:
            raise SystemExit(f"correction not applicable: {before!r}")
        text = text.replace(before, after, 1)
    CLEAN.parent.mkdir(parents=True, exist_ok=True)
    CLEAN.write_text(text, encoding="utf-8")
    return text


@dataclass
class Mutant:
    """One typo: the mutated text, where it is, what it was."""

    kind: str
    text: str
    start: int
    end: int
    original: str
    mutated: str
    figure_start: int | None = None
    """For a base-year typo: where the change it belongs to starts."""


def _digit_changed(token: str, rng: random.Random) -> str | None:
    positions = [i for i, ch in enumerate(token) if ch.isdigit()]
    rng.shuffle(positions)
    for i in positions:
        choices = [d for d in "0123456789" if d != token[i] and not (i == 0 and d == "0")]
        if choices:
            return token[:i] + rng.choice(choices) + token[i + 1:]
    return None


def _digits_swapped(token: str) -> str | None:
    digits = [i for i, ch in enumerate(token) if ch.isdigit()]
    for a, b in zip(digits, digits[1:]):
        if token[a] != token[b] and not (a == 0 and token[b] == "0"):
            chars = list(token)
            chars[a], chars[b] = chars[b], chars[a]
            return "".join(chars)
    return None


def mutants(text: str, result: DocumentResult, seed: int = 0) -> list[Mutant]:
    """One digit-change and one swap per figure value and stated rate; one base-year change per change."""
    rng = random.Random(seed)
    out: list[Mutant] = []
    spans: list[tuple[int, int]] = []
    for f in result.figures:
        if f.kind not in ("level", "change"):
            continue
        m = regex.compile(r"\d[\d.,]*").search(text, f.start, f.end)
        if m:
            spans.append(m.span())
        if f.rate_span:
            r = regex.compile(r"\d[\d,]*").search(text, *f.rate_span)
            if r:
                spans.append(r.span())
        if f.kind == "change" and f.base_year:
            y = regex.compile(r"so\s+với\s+năm\s+(\d{4})").search(text, f.end, f.end + 40)
            if y:
                year = int(y.group(1))
                for other in (year - 1, year + 1):
                    out.append(Mutant("base_year", text[:y.start(1)] + str(other) + text[y.end(1):], y.start(1), y.end(1), str(year), str(other), f.start))
    for start, end in sorted(set(spans)):
        token = text[start:end]
        for kind, new in (("digit", _digit_changed(token, rng)), ("swap", _digits_swapped(token))):
            if new and new != token:
                out.append(Mutant(kind, text[:start] + new + text[end:], start, end, token, new))
    return out


def _restores(suggestion: str | None, mutant: Mutant) -> bool:
    if not suggestion:
        return False
    if mutant.kind == "base_year":
        return f"base year {mutant.original}" in suggestion
    original = mutant.original
    value = float(original.replace(".", "").replace(",", "."))
    return f"→ {vn(value)}" in suggestion or f"→ −{vn(value)}" in suggestion or f"→ {original}" in suggestion


def evaluate(verbose: bool = False) -> dict[str, float]:
    """Run every mutant; return detected, located, corrected shares and clean errors."""
    clean = clean_plan()
    base = extract_document(document_from_text(clean, source=str(CLEAN)))
    clean_errors = [f for f in base.findings if f.severity == "error"]
    all_mutants = mutants(clean, base)
    detected = located = corrected = 0
    per_kind: dict[str, list[int]] = {}
    for mutant in all_mutants:
        result = extract_document(document_from_text(mutant.text, source="mutant"))
        errors = [f for f in result.findings if f.severity == "error"]
        # offsets of the mutated text equal the clean ones: typos keep the length
        targets = [mutant.start] + ([mutant.figure_start] if mutant.figure_start is not None else [])
        covering = [f for f in errors if any(s <= t < e for s, e in f.spans for t in targets)]
        detected += bool(errors)
        located += bool(covering)
        ok = bool(covering) and _restores(covering[0].suggestion, mutant)
        corrected += ok
        row = per_kind.setdefault(mutant.kind, [0, 0, 0, 0])
        row[0] += 1
        row[1] += bool(errors)
        row[2] += bool(covering)
        row[3] += ok
        if verbose and not ok:
            what = "missed" if not errors else ("not located" if not covering else f"suggested {covering[0].suggestion!r}")
            print(f"  {mutant.kind:9} {mutant.original} → {mutant.mutated} at {mutant.start}: {what}")
    n = len(all_mutants)
    print(f"{'typo kind':12} {'mutants':>8} {'detected':>9} {'located':>8} {'corrected':>10}")
    for kind, (count, det, loc, cor) in sorted(per_kind.items()):
        print(f"{kind:12} {count:8d} {det / count:9.1%} {loc / count:8.1%} {cor / count:10.1%}")
    return {
        "mutants": n,
        "detected": detected / n,
        "located": located / n,
        "corrected": corrected / n,
        "clean_errors": len(clean_errors),
    }


def main() -> None:
    """Print the four figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    report = evaluate(verbose=args.verbose)
    print(f"mutants            {report['mutants']}")
    print(f"detected           {report['detected']:.1%}")
    print(f"located            {report['located']:.1%}")
    print(f"corrected          {report['corrected']:.1%}")
    print(f"errors on clean    {report['clean_errors']}")


if __name__ == "__main__":
    main()
