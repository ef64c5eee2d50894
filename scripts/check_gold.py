"""Check real-document gold files: schema, quotes present in their documents, ids.

    python scripts/check_gold.py evaluation/gold/real/part-*.json

Exits 1 and lists every problem found; prints one summary line per file otherwise.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KINDS = {"level", "change", "rate", "count"}
BASES = {"assigned", "actual", "planned", None}
APPROX = {"exact", "about", "at_least", "over", "at_most", "under"}
GENRES = {"plan_report", "national", "reorganisation", "qa", "norms", "table", "other_sense"}
FIGURE_KEYS = {"id", "quote", "kind", "value", "unit", "category", "basis", "org", "year",
               "base_year", "rate_percent", "approx", "parent", "role", "note"}
DOC_KEYS = {"source", "sha256", "genre", "checked_by", "notes", "figures", "sums",
            "before_after", "not_figures", "findings", "split"}


def _in_read_text(quote: str, source: Path) -> bool:
    """Whether ``quote`` is in the text bienche reads from ``source`` (for HTML, DOCX
    and PDF a table row reads as ``cell | cell | cell``, not as the file's markup)."""
    if source.suffix.lower() in (".md", ".txt"):
        return False
    sys.path.insert(0, str(ROOT))
    from extractor.evaluate_real import load_text, locate

    return locate(quote, load_text([str(source)])) is not None


def _doc_problems(name: str, doc: dict[str, object], base: Path) -> list[str]:
    problems = [f"{name}: unknown key {k!r}" for k in doc if k not in DOC_KEYS]
    source = base / str(doc.get("source", ""))
    if not source.is_file():
        return problems + [f"{name}: source {doc.get('source')!r} not found"]
    data = source.read_bytes()
    if doc.get("sha256") != hashlib.sha256(data).hexdigest():
        problems.append(f"{name}: sha256 does not match the file")
    text = data.decode("utf-8", errors="replace")
    if doc.get("genre") not in GENRES:
        problems.append(f"{name}: genre {doc.get('genre')!r} not one of {sorted(GENRES)}")
    figures = doc.get("figures")
    if not isinstance(figures, list):
        return problems + [f"{name}: figures must be a list"]
    ids = [f.get("id") for f in figures]
    if len(set(ids)) != len(ids):
        problems.append(f"{name}: duplicate figure ids")
    for f in figures:
        fid = f.get("id")
        problems += [f"{name} {fid}: unknown key {k!r}" for k in f if k not in FIGURE_KEYS]
        if f.get("kind") not in KINDS:
            problems.append(f"{name} {fid}: kind {f.get('kind')!r}")
        if f.get("basis") not in BASES:
            problems.append(f"{name} {fid}: basis {f.get('basis')!r}")
        if f.get("approx", "exact") not in APPROX:
            problems.append(f"{name} {fid}: approx {f.get('approx')!r}")
        if not isinstance(f.get("value"), (int, float)):
            problems.append(f"{name} {fid}: value must be a number")
        quote = f.get("quote")
        if not isinstance(quote, str) or (quote not in text and not _in_read_text(quote, source)):
            problems.append(f"{name} {fid}: quote not found in the document: {quote!r}")
        if f.get("parent") is not None and f.get("parent") not in ids:
            problems.append(f"{name} {fid}: parent {f.get('parent')!r} is not an id")
    for s in doc.get("sums", []) or []:
        if s.get("whole") not in ids or any(p not in ids for p in s.get("parts", [])):
            problems.append(f"{name}: sum refers to unknown ids: {s}")
    for b in doc.get("before_after", []) or []:
        if any(v is not None and v not in ids for v in b.values()):
            problems.append(f"{name}: before_after refers to unknown ids: {b}")
    return problems


def main(paths: list[str]) -> int:
    """Check each gold file; 0 when all are clean."""
    bad = 0
    for path in paths:
        gold = json.loads(Path(path).read_text(encoding="utf-8"))
        problems: list[str] = []
        docs = gold.get("documents", {})
        for name, doc in docs.items():
            problems += _doc_problems(name, doc, ROOT)
        for p in problems:
            print(f"{path}: {p}")
        bad += len(problems)
        n = sum(len(d.get("figures", [])) for d in docs.values())
        print(f"{path}: {len(docs)} documents, {n} figures, {len(problems)} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
