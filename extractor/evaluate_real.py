"""The scorer for real-document gold (evaluation/gold/real/README.md).

``score_real`` returns a ``RealReport`` (data): figure records, figures found,
attributes of matched pairs, stated sums, figures on norm texts and error
findings, per genre and overall. extractor/eval_command.py renders it and is
what ``bienche eval`` calls; evaluation/README.md ("Real-document gold") says
what each number compares.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Literal

import regex
from pydantic import BaseModel, ConfigDict, Field

from extractor.evaluate import _match_documents
from extractor.export.jsonl import read_jsonl
from extractor.ingest.txt import FOOTNOTE_MARK
from extractor.models import DocumentResult, Figure, Finding
from extractor.text import fold, normalise

Split = Literal["dev", "held", "all"]
VALUE_TOLERANCE = 0.5
STATED_TOLERANCE = 0.005
NEAR_CHARS = 20
"""An output figure is near a gold quote when its span comes this close to the quote's."""
NORM_GENRES = ("norms", "other_sense")


class _Gold(BaseModel):
    model_config = ConfigDict(extra="ignore")


class RealFigure(_Gold):
    """A gold figure (evaluation/gold/real/README.md, "Fields of a figure")."""

    id: str
    quote: str = ""
    kind: str
    value: float
    unit: str | None = None
    category: str | None = None
    basis: str | None = None
    org: str | None = None
    year: int | None = None
    base_year: int | None = None
    parent: str | None = None


class RealSum(_Gold):
    """A stated sum: the whole and the parts the text lists for it."""

    whole: str
    parts: list[str] = Field(default_factory=list)


class RealFinding(_Gold):
    """A contradiction provable from the text's own figures."""

    rule: str
    quote: str | None = None
    stated: float | str | None = None


class RealDocument(_Gold):
    """The gold of one document."""

    source: str | None = None
    genre: str = "unknown"
    split: str | None = None
    figures: list[RealFigure] = Field(default_factory=list)
    sums: list[RealSum] = Field(default_factory=list)
    findings: list[RealFinding] = Field(default_factory=list)


class Counts(BaseModel):
    """Counts of one document or summed over several."""

    docs: int = 0
    gold_figures: int = 0
    output_figures: int = 0
    tp: int = 0
    found: int = 0
    found_near: int = 0
    pairs: int = 0
    category_ok: int = 0
    org_ok: int = 0
    basis_ok: int = 0
    unit_ok: int = 0
    parent_ok: int = 0
    sums: int = 0
    sums_assembled: int = 0
    errors: int = 0
    errors_matched: int = 0
    gold_findings: int = 0
    gold_findings_found: int = 0
    norm_docs: int = 0
    norm_output_figures: int = 0

    def plus(self, other: Counts) -> Counts:
        """The field-by-field sum."""
        return Counts(**{k: getattr(self, k) + getattr(other, k) for k in Counts.model_fields})


class GroupScore(BaseModel):
    """One genre (or ``overall``): the counts and the rates taken from them."""

    genre: str
    counts: Counts
    precision: float | None
    recall: float | None
    f1: float | None
    rates: dict[str, float | None]
    """found, found_near (over gold figures); category, org, basis, unit, parent (over pairs)."""


class RealReport(BaseModel):
    """The whole evaluation of one output against real-document gold."""

    gold: list[str]
    output: str
    split: Split
    groups: list[GroupScore]
    overall: GroupScore
    missing: list[str]
    """Gold documents (in the split) with no output record: scored as empty outputs."""
    duplicates: list[str]
    """Document keys given by more than one gold file (the first one is used)."""


# -- gold files ----------------------------------------------------------------


def expand_gold_paths(paths: Iterable[Path]) -> list[Path]:
    """The gold files: each file as given, each folder's ``*.json`` in name order."""
    out: list[Path] = []
    for path in paths:
        out += sorted(path.glob("*.json")) if path.is_dir() else [path]
    return out


def is_real_gold(data: Any) -> bool:
    """Whether parsed gold JSON is the real-document format (``genre`` or quoted figures)."""
    docs = data.get("documents", {}) if isinstance(data, dict) else {}
    for doc in docs.values() if isinstance(docs, dict) else ():
        if not isinstance(doc, dict):
            continue
        figures = doc.get("figures") or []
        if "genre" in doc or any(isinstance(f, dict) and "quote" in f for f in figures):
            return True
    return False


def load_real_gold(paths: Iterable[Path]) -> tuple[dict[str, RealDocument], list[str]]:
    """All documents of the gold files by key, and the keys that came twice."""
    docs: dict[str, RealDocument] = {}
    duplicates: list[str] = []
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        for name, doc in data.get("documents", {}).items():
            if name in docs:
                duplicates.append(name)
            else:
                docs[name] = RealDocument.model_validate(doc)
    return docs, duplicates


def in_split(doc: RealDocument, split: Split) -> bool:
    """Whether ``doc`` belongs to ``split`` (no ``split`` counts as dev)."""
    return split == "all" or (doc.split or "dev") == split


# -- locating quotes -----------------------------------------------------------


def load_text(candidates: Iterable[str | None]) -> str | None:
    """The normalised text of the first candidate path that can be read, else None."""
    from extractor.document import load_document

    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            try:
                return load_document(Path(candidate)).text
            except Exception:  # noqa: BLE001 - an unreadable file only loses quote positions
                continue
    return None


def locate(quote: str | None, text: str | None) -> tuple[int, int] | None:
    """The span of ``quote`` in the normalised ``text``: its words in order, with any
    spacing, punctuation or markup between them (markdown ``#``/``**`` is gone from the text)."""
    if not quote or not text:
        return None
    words = regex.findall(r"\w+", normalise(FOOTNOTE_MARK.sub("", quote))[0])  # marks are gone from the text too
    if not words:
        return None
    found = regex.search(r"\W+".join(regex.escape(w) for w in words), text)
    return None if found is None else (found.start(), found.end())


def _overlaps(a: tuple[int, int], b: tuple[int, int], margin: int = 0) -> bool:
    return a[0] < b[1] + margin and b[0] < a[1] + margin


def _near(quote: str, span: tuple[int, int] | None, out: Figure) -> bool:
    """An output figure near a gold quote: by offsets when located, else by its sentence."""
    if span is not None:
        return _overlaps(span, (out.start, out.end), NEAR_CHARS)
    q, s = fold(quote), fold(out.sentence)
    return bool(q and s and (q in s or s in q))


# -- matching ------------------------------------------------------------------


def max_matching(edges: list[list[int]], taken: set[int], done: set[int]) -> dict[int, int]:
    """A maximum one-to-one matching (augmenting paths) of left ``i`` to right ``edges[i]``,
    skipping left nodes in ``done`` and right nodes in ``taken``; earlier edges preferred."""
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in taken or j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(edges)):
        if i not in done:
            augment(i, set())
    return {i: j for j, i in owner.items()}


def _same_value(g: RealFigure, o: Figure) -> bool:
    return abs(g.value - o.value) <= VALUE_TOLERANCE


def _same_magnitude(g: RealFigure, o: Figure) -> bool:
    return abs(abs(g.value) - abs(o.value)) <= VALUE_TOLERANCE


def _full(g: RealFigure, o: Figure) -> bool:
    return _same_value(g, o) and g.kind == o.kind and (g.year, g.base_year) == (o.year, o.base_year)


TIERS: tuple[Callable[[RealFigure, Figure], bool], ...] = (
    _full,
    lambda g, o: _same_value(g, o) and g.kind == o.kind,
    _same_magnitude,
)
"""Pairing rules, tried in order on what is left: all fields, value and kind, |value|."""


def _candidates(
    i: int, g: RealFigure, out: list[Figure], same: Callable[[RealFigure, Figure], bool], near: Callable[[int, int], bool]
) -> list[int]:
    """The output figures gold figure ``i`` may pair with, those near its quote first."""
    hits = [j for j, o in enumerate(out) if same(g, o)]
    return [j for j in hits if near(i, j)] + [j for j in hits if not near(i, j)]


def match_figures(
    gold: list[RealFigure], out: list[Figure], near: Callable[[int, int], bool],
    inside: Callable[[int, int], bool] | None = None,
) -> tuple[dict[int, int], int]:
    """Gold index → output index over all tiers, and how many pairs agree on all fields."""
    pairs: dict[int, int] = {}
    full = 0
    for tier, same in enumerate(TIERS):
        edges = [_candidates(i, g, out, same, near) for i, g in enumerate(gold)]
        close = [[j for j in row if near(i, j)] for i, row in enumerate(edges)]
        within = [[j for j in row if inside(i, j)] for i, row in enumerate(close)] if inside else close
        for pass_edges in (within, close, edges):  # by the quote first: one value twice in a text pairs by place
            found = max_matching(pass_edges, set(pairs.values()), set(pairs))
            full += len(found) if tier == 0 else 0
            pairs.update(found)
    return pairs, full


# -- one document --------------------------------------------------------------


def _org_ok(gold: str | None, out: str | None) -> bool:
    g, o = fold(gold or ""), fold(out or "")
    if not g or not o:
        return not g and not o
    return g in o or o in g


def _unit_ok(gold: str | None, out: str | None) -> bool:
    g, o = (gold or "").casefold().strip(), (out or "").casefold().strip()
    if not g or not o:
        return not g and not o
    return g in o or o in g


def _parent_ok(g: RealFigure, o: Figure, ids: dict[str, int], pairs: dict[int, int], out: list[Figure]) -> bool:
    if g.parent is None or o.parent is None:
        return g.parent is None and o.parent is None
    j = pairs.get(ids.get(g.parent, -1))
    return j is not None and out[j].id == o.parent


def _attributes(gold: RealDocument, out: list[Figure], pairs: dict[int, int]) -> Counts:
    ids = {f.id: i for i, f in enumerate(gold.figures)}
    counts = Counts(pairs=len(pairs))
    for i, j in pairs.items():
        g, o = gold.figures[i], out[j]
        counts.category_ok += g.category == o.category
        counts.org_ok += _org_ok(g.org, o.org)
        counts.basis_ok += g.basis == o.basis
        counts.unit_ok += _unit_ok(g.unit, o.unit)
        counts.parent_ok += _parent_ok(g, o, ids, pairs, out)
    return counts


def _assembled(stated: RealSum, ids: dict[str, int], pairs: dict[int, int], out: list[Figure]) -> bool:
    """The whole's output figure is the parent (or row total) of every part's, with at most one extra part."""
    whole = pairs.get(ids.get(stated.whole, -1))
    parts = [pairs.get(ids.get(p, -1)) for p in stated.parts]
    if whole is None or any(j is None for j in parts):
        return False
    wid = out[whole].id
    for link in ("parent", "row_total"):  # a total cell sums its row and its column: one relation at a time
        if all(getattr(out[j], link) == wid for j in parts if j is not None):
            extra = [j for j, o in enumerate(out) if getattr(o, link) == wid and j not in parts]
            return len(extra) <= 1
    return False


def _stated_same(gold: float | str | None, out: float | str | None) -> bool:
    if isinstance(gold, (int, float)) and isinstance(out, (int, float)):
        return abs(gold - out) <= STATED_TOLERANCE
    return gold is not None and gold == out


def _findings(gold: RealDocument, out: list[Finding], text: str | None) -> Counts:
    errors = [f for f in out if f.severity == "error"]
    spans = [locate(g.quote, text) for g in gold.findings]

    def same(i: int, f: Finding) -> bool:
        g, span = gold.findings[i], spans[i]
        for one in (f, *f.related):  # a contradiction reported under the root cause it shares is found too
            by_quote = span is not None and any(_overlaps(span, (s, e)) for s, e in one.spans)
            if g.rule == one.rule and (_stated_same(g.stated, one.stated) or by_quote):
                return True
        return False

    edges = [[j for j, f in enumerate(errors) if same(i, f)] for i in range(len(gold.findings))]
    found = len(max_matching(edges, set(), set()))
    return Counts(errors=len(errors), errors_matched=found, gold_findings=len(gold.findings), gold_findings_found=found)


def score_document(gold: RealDocument, result: DocumentResult, text: str | None) -> Counts:
    """The counts of one gold document against its output (``text``: its normalised text, if read)."""
    out = result.figures
    spans = [locate(g.quote, text) for g in gold.figures]

    def near(i: int, j: int) -> bool:
        return _near(gold.figures[i].quote, spans[i], out[j])

    def inside(i: int, j: int) -> bool:
        span = spans[i]
        return span is not None and span[0] <= out[j].start and out[j].end <= span[1]

    pairs, full = match_figures(gold.figures, out, near, inside)
    ids = {f.id: i for i, f in enumerate(gold.figures)}
    counts = _attributes(gold, out, pairs).plus(_findings(gold, result.all_findings(), text))
    counts.docs, counts.gold_figures, counts.output_figures, counts.tp = 1, len(gold.figures), len(out), full
    hits = [[j for j, o in enumerate(out) if _same_magnitude(g, o)] for g in gold.figures]
    counts.found = sum(bool(h) for h in hits)
    counts.found_near = sum(any(near(i, j) for j in h) for i, h in enumerate(hits))
    counts.sums = len(gold.sums)
    counts.sums_assembled = sum(_assembled(s, ids, pairs, out) for s in gold.sums)
    if gold.genre in NORM_GENRES:
        counts.norm_docs, counts.norm_output_figures = 1, len(out)
    return counts


# -- the whole evaluation ------------------------------------------------------


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def group_score(genre: str, c: Counts) -> GroupScore:
    """Rates of summed counts: record P/R/F1 (micro), found rates, pair accuracies."""
    p, r = _ratio(c.tp, c.output_figures), _ratio(c.tp, c.gold_figures)
    f1 = None if p is None or r is None else (2 * p * r / (p + r) if p + r else 0.0)
    rates = {"found": _ratio(c.found, c.gold_figures), "found_near": _ratio(c.found_near, c.gold_figures)}
    for name in ("category", "org", "basis", "unit", "parent"):
        rates[name] = _ratio(getattr(c, f"{name}_ok"), c.pairs)
    return GroupScore(genre=genre, counts=c, precision=p, recall=r, f1=f1, rates=rates)


def score_real(
    gold_paths: list[Path], output: Path, *, split: Split = "dev", match_stem: bool = False, read_texts: bool = True
) -> RealReport:
    """Score the JSON Lines ``output`` against the real-document gold files (one split)."""
    docs, duplicates = load_real_gold(gold_paths)
    docs = {name: doc for name, doc in docs.items() if in_split(doc, split)}
    results = read_jsonl(output)
    matched = _match_documents(docs, results, match_stem)
    by_genre: dict[str, Counts] = {}
    for name, doc in docs.items():
        result = matched.get(name) or DocumentResult(source=name, sha256=None)
        wanted = read_texts and bool(doc.figures or doc.findings) and bool(result.figures or result.findings)
        text = load_text([result.source, doc.source]) if wanted and name in matched else None
        by_genre[doc.genre] = by_genre.get(doc.genre, Counts()).plus(score_document(doc, result, text))
    overall = Counts()
    for counts in by_genre.values():
        overall = overall.plus(counts)
    return RealReport(
        gold=[str(p) for p in gold_paths],
        output=str(output),
        split=split,
        groups=[group_score(g, c) for g, c in sorted(by_genre.items())],
        overall=group_score("overall", overall),
        missing=[name for name in docs if name not in matched],
        duplicates=duplicates,
    )
