"""Mutation evaluation of the consistency checker.

Runs over a list of fully consistent documents:

- ``longan``: the Long An plan (corpus/001) with the gold's nine corrections applied,
  written to evaluation/mutation/longan_clean.txt by this script;
- one document per ``evaluation/mutation/*.recipe.json``: a real text from
  ../shared/corpus-extra, cleaned at run time by its recipe (kept line ranges, exact
  replacements, sha256 of the source). Its text is never stored in the repository;
  without ../shared the document is skipped with a message.

Into each it injects one realistic typo at a time into each figure (one digit
changed, two neighbouring digits swapped, a base year changed where a change states
one) and reports, per document and overall, the share of typos detected (an error
appears), located (an error's spans cover the changed figure) and corrected (that
finding's suggestion restores the original value), plus the errors on the clean text.

    python evaluation/mutations.py                 # every document
    python evaluation/mutations.py --doc longan    # one document
    python evaluation/mutations.py --verbose       # also every mutant that was missed
    python evaluation/mutations.py --gaps          # recipe documents: the reader's
                                                   # figures and links the tool misses
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.check.numbers import vn  # noqa: E402
from extractor.document import document_from_text  # noqa: E402
from extractor.models import DocumentResult, Figure  # noqa: E402
from extractor.pipeline import extract_document  # noqa: E402

SEED = ROOT / "corpus" / "001_02c0c7e95a57206c.txt"
MUTATION = ROOT / "evaluation" / "mutation"
CLEAN = MUTATION / "longan_clean.txt"
SHARED = ROOT.parent / "shared"
"""Where recipe sources live (``recipe["source"]`` is relative to it)."""

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


class DocumentUnavailable(Exception):
    """A recipe's source is not on this machine (no ../shared): skip, don't fail."""


def recipes() -> list[Path]:
    """The cleaning recipes in evaluation/mutation/, by name."""
    return sorted(MUTATION.glob("*.recipe.json"))


def load_recipe(path: Path) -> dict[str, Any]:
    """One recipe as a dict (see evaluation/mutation/README.md for the fields)."""
    recipe: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return recipe


def _strip_markdown(line: str) -> str:
    """Drop a heading's leading ``#`` marks and ``**`` emphasis."""
    stripped: str = regex.sub(r"^#+\s+", "", line)
    return stripped.replace("**", "")


def clean_document(recipe: dict[str, Any], shared: Path = SHARED) -> str:
    """Read the recipe's source under ``shared``, check its sha256 and apply the recipe.

    Keeps the ``keep`` line ranges (1-based, inclusive; ranges are separated by a
    blank line), strips Markdown emphasis when ``strip_markdown`` is set, then applies
    each exact ``replacements`` entry (``from`` must occur exactly ``count`` times,
    default 1). Raises DocumentUnavailable when the source is absent and ValueError
    when it is not the file the recipe was written for or a replacement does not apply.
    """
    source = shared / recipe["source"]
    if not source.is_file():
        raise DocumentUnavailable(f"{source} not found")
    data = source.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != recipe["sha256"]:
        raise ValueError(f"{source}: sha256 {digest} is not the recipe's {recipe['sha256']}")
    lines = data.decode("utf-8").splitlines()
    blocks = []
    for first, last in recipe["keep"]:
        if not 1 <= first <= last <= len(lines):
            raise ValueError(f"{source}: line range {first}-{last} outside 1-{len(lines)}")
        kept = lines[first - 1:last]
        if recipe.get("strip_markdown"):
            kept = [_strip_markdown(line) for line in kept]
        blocks.append("\n".join(kept))
    text = "\n\n".join(blocks) + "\n"
    for fix in recipe.get("replacements", []):
        count = fix.get("count", 1)
        if text.count(fix["from"]) != count:
            raise ValueError(f"replacement not applicable ({text.count(fix['from'])} occurrences, not {count}): {fix['from']!r}")
        text = text.replace(fix["from"], fix["to"])
    return text


def locate(text: str, ref: str) -> tuple[int, int, float]:
    """Span and value of the first number in a recipe reference ``"substring[@k]"``."""
    snippet, _, k = ref.rpartition("@") if regex.search(r"@\d+$", ref) else (ref, "", "0")
    at = -1
    for _ in range(int(k) + 1):
        at = text.find(snippet, at + 1)
        if at < 0:
            raise ValueError(f"reference not in the clean text: {ref!r}")
    m = regex.compile(r"\d[\d.,]*\d|\d").search(text, at, at + len(snippet))
    if not m:
        raise ValueError(f"no number in reference {ref!r}")
    return m.start(), m.end(), float(m.group().replace(".", "").replace(",", "."))


def check_relations(recipe: dict[str, Any], text: str) -> list[str]:
    """The recipe's relations that do not hold in ``text`` (total = Σ add − Σ subtract)."""
    broken = []
    for rel in recipe.get("relations", []):
        total = locate(text, rel["total"])[2]
        computed = sum(locate(text, r)[2] for r in rel.get("add", [])) - sum(locate(text, r)[2] for r in rel.get("subtract", []))
        if abs(total - computed) > 1e-9:
            broken.append(f"{rel['name']}: stated {vn(total)}, computed {vn(computed)}")
    return broken


def _covering(figures: list[Figure], start: int, kinds: tuple[str, ...] | None = None) -> list[Figure]:
    return [f for f in figures if f.start <= start < f.end and (kinds is None or f.kind in kinds)]


def reader_gaps(recipe: dict[str, Any], text: str, result: DocumentResult) -> list[str]:
    """What a reader sees in the recipe's relations that the extraction lacks.

    For every figure: whether some figure covers it (and of which kind). For every
    relation: whether the checker could see it, that is whether its total and terms
    are levels, changes or counts joined by ``parent`` (whole/part) or by ``before_after`` / the
    change itself (before/after/giảm).
    """
    lines = []
    for rel in recipe.get("relations", []):
        refs = [("total", rel["total"])] + [("add", r) for r in rel.get("add", [])] + [("subtract", r) for r in rel.get("subtract", [])]
        found = []
        figs: dict[str, list[Figure]] = {}
        for role, ref in refs:
            start, end, value = locate(text, ref)
            covering = _covering(result.figures, start)
            figs[ref] = [f for f in covering if f.kind in ("level", "change", "count")]
            kinds = "/".join(sorted({f.kind for f in covering})) or "—"
            found.append(f"{text[start:end]}[{kinds}]")
        total_figs = figs[rel["total"]]
        parts = [r for _, r in refs[1:]]
        if rel["link"] == "whole/part":
            linked = bool(total_figs) and all(any(f.parent in {t.id for t in total_figs} for f in figs[r]) for r in parts)
        else:
            ids = {f.id for r in parts for f in figs[r]} | {t.id for t in total_figs}
            changes = [f for r in [rel["total"], *parts] for f in figs[r] if f.kind == "change"]
            linked = any(c.before_after and set(c.before_after) <= ids for c in changes)
        lines.append(f"{'linked ' if linked else 'MISSING'} {rel['link']:17} {rel['name']}: {' '.join(found)}")
    return lines


@dataclass
class CleanDocument:
    """One consistent document the mutants start from."""

    name: str
    source: str
    """The ``source`` given to the extractor for the clean text."""
    load: Callable[[], str]
    """Returns the clean text; may raise DocumentUnavailable."""
    recipe: dict[str, Any] | None = field(default=None)


def documents() -> list[CleanDocument]:
    """The Long An plan, then one document per recipe."""
    docs = [CleanDocument("longan", str(CLEAN), clean_plan)]
    for path in recipes():
        recipe = load_recipe(path)
        docs.append(CleanDocument(recipe["name"], str(SHARED / recipe["source"]), functools.partial(clean_document, recipe), recipe))
    return docs


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
    """One digit-change and one swap per figure value and stated rate; one base-year change per change.

    Levels and changes are all mutated; counts (of units, of people) only where the
    text relates them to another figure (a whole, a part, a before or after level):
    a count stated once and never related cannot be checked by anything in the text."""
    rng = random.Random(seed)
    out: list[Mutant] = []
    spans: list[tuple[int, int]] = []
    related = {f.parent for f in result.figures if f.parent} | {f.id for f in result.figures if f.parent}
    related |= {i for f in result.figures if f.before_after for i in f.before_after}
    for f in result.figures:
        if f.kind not in ("level", "change") and not (f.kind == "count" and f.id in related):
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


Counts = list[int]
"""Per kind: mutants, detected, located, corrected."""


def evaluate_document(doc: CleanDocument, verbose: bool = False, gaps: bool = False) -> tuple[dict[str, Counts], int] | None:
    """Run every mutant of one document; print its table; return per-kind counts and clean errors.

    None (with a message) when the document's source is not available here.
    """
    try:
        clean = doc.load()
    except DocumentUnavailable as why:
        print(f"skipped: {why}")
        return None
    base = extract_document(document_from_text(clean, source=doc.source))
    clean_errors = [f for f in base.findings if f.severity == "error"]
    if doc.recipe is not None:
        for broken in check_relations(doc.recipe, clean):
            print(f"  recipe relation broken: {broken}")
        if gaps:
            for line in reader_gaps(doc.recipe, clean, base):
                print(f"  {line}")
    if verbose:
        for f in clean_errors:
            print(f"  error on clean: {f.rule}: {f.message}")
    all_mutants = mutants(clean, base)
    per_kind: dict[str, Counts] = {}
    for mutant in all_mutants:
        result = extract_document(document_from_text(mutant.text, source="mutant"))
        errors = [f for f in result.findings if f.severity == "error"]
        # offsets of the mutated text equal the clean ones: typos keep the length
        targets = [mutant.start] + ([mutant.figure_start] if mutant.figure_start is not None else [])
        covering = [f for f in errors if any(s <= t < e for s, e in f.spans for t in targets)]
        ok = bool(covering) and _restores(covering[0].suggestion, mutant)
        row = per_kind.setdefault(mutant.kind, [0, 0, 0, 0])
        row[0] += 1
        row[1] += bool(errors)
        row[2] += bool(covering)
        row[3] += ok
        if verbose and not ok:
            what = "missed" if not errors else ("not located" if not covering else f"suggested {covering[0].suggestion!r}")
            print(f"  {mutant.kind:9} {mutant.original} → {mutant.mutated} at {mutant.start}: {what}")
    print_table(per_kind)
    return per_kind, len(clean_errors)


def print_table(per_kind: dict[str, Counts]) -> None:
    """The per-kind table."""
    print(f"{'typo kind':12} {'mutants':>8} {'detected':>9} {'located':>8} {'corrected':>10}")
    for kind, (count, det, loc, cor) in sorted(per_kind.items()):
        print(f"{kind:12} {count:8d} {det / count:9.1%} {loc / count:8.1%} {cor / count:10.1%}")


def summary(per_kind: dict[str, Counts], clean_errors: int) -> dict[str, float]:
    """The four figures (and the mutant count) from per-kind counts."""
    n = sum(row[0] for row in per_kind.values())
    share = (lambda i: sum(row[i] for row in per_kind.values()) / n) if n else (lambda i: 0.0)
    return {"mutants": n, "detected": share(1), "located": share(2), "corrected": share(3), "clean_errors": clean_errors}


def print_summary(report: dict[str, float]) -> None:
    """The four figures."""
    print(f"mutants            {report['mutants']}")
    print(f"detected           {report['detected']:.1%}")
    print(f"located            {report['located']:.1%}")
    print(f"corrected          {report['corrected']:.1%}")
    print(f"errors on clean    {report['clean_errors']}")


def evaluate(verbose: bool = False, only: str | None = None, gaps: bool = False) -> dict[str, dict[str, float]]:
    """Run every document (or ``only``); print each one's table and figures, then overall.

    Returns the four figures per evaluated document name and under ``"overall"``
    (micro average: every mutant of every document counts once).
    """
    docs = documents()
    if only is not None:
        docs = [d for d in docs if d.name == only]
        if not docs:
            raise SystemExit(f"no document {only!r}; known: {', '.join(d.name for d in documents())}")
    reports: dict[str, dict[str, float]] = {}
    total: dict[str, Counts] = {}
    total_errors = 0
    for doc in docs:
        print(f"== {doc.name}")
        outcome = evaluate_document(doc, verbose=verbose, gaps=gaps)
        if outcome is None:
            continue
        per_kind, clean_errors = outcome
        reports[doc.name] = summary(per_kind, clean_errors)
        print_summary(reports[doc.name])
        for kind, row in per_kind.items():
            total[kind] = [a + b for a, b in zip(total.setdefault(kind, [0, 0, 0, 0]), row)]
        total_errors += clean_errors
        print()
    if len(reports) > 1:
        print("== overall")
        print_table(total)
        reports["overall"] = summary(total, total_errors)
        print_summary(reports["overall"])
    return reports


def main() -> None:
    """Print the per-kind table and four figures per document and overall."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--doc", metavar="NAME", help="only this document (longan, or a recipe's name)")
    parser.add_argument("--verbose", action="store_true", help="print every mutant that was not corrected")
    parser.add_argument("--gaps", action="store_true", help="recipe documents: which of the reader's figures and links the extraction misses")
    args = parser.parse_args()
    evaluate(verbose=args.verbose, only=args.doc, gaps=args.gaps)


if __name__ == "__main__":
    main()
