"""The scorer: a JSON Lines output against hand-checked gold, field by field.

``score`` returns an ``EvalReport`` (data); ``format_report`` renders it as a
plain-text table. Every field is scored strict and lenient, micro-averaged over
the gold documents that annotate it; evaluation/README.md says what each mode
compares.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from extractor.export.jsonl import read_jsonl
from extractor.models import DocumentResult, Figure, Finding

Mode = Literal["strict", "lenient"]
MODES: tuple[Mode, ...] = ("strict", "lenient")
RATE_TOLERANCE = 0.005
VALUE_TOLERANCE = 0.5
_EPS = 1e-9


class _Gold(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class GoldCitation(_Gold):
    """A cited identifier (or, with ``id`` null, a partial reference)."""

    id: str | None = None
    type: str | None = None
    number: str | None = None
    date: str | None = None
    issuer: str | None = None
    partial: bool = False


class GoldSelf(_Gold):
    """The document's own identity."""

    id: str
    date: str | None = None
    issuer: str | None = None


class GoldFigure(_Gold):
    """A quota record: level or change of one org, category and year."""

    kind: str
    value: float
    year: int | None = None
    base_year: int | None = None
    rate_percent: float | None = None
    org: str | None = None
    category: str | None = None


class GoldValue(_Gold):
    """A number the text states, which the output must contain somewhere."""

    value: float


class GoldFinding(_Gold):
    """An inconsistency a careful checker flags."""

    rule: str
    stated: float | str | None = None
    match_any: list[str] = Field(default_factory=list)


class GoldDocument(_Gold):
    """The gold for one file; a field left out is not scored for that file."""

    self_: GoldSelf | None = Field(default=None, alias="self")
    citations: list[GoldCitation] | None = None
    periods: list[str] | None = None
    figures: list[GoldFigure] | None = None
    figures_present: list[GoldValue] | None = None
    orgs_present: list[str] | None = None
    findings: list[GoldFinding] | None = None


class GoldFile(_Gold):
    """A gold file: documents keyed by file name."""

    documents: dict[str, GoldDocument]


class FieldScore(BaseModel):
    """Counts and precision/recall/F1 of one field in one mode (None: undefined)."""

    field: str
    mode: Mode
    documents: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None


class Accuracy(BaseModel):
    """Share of matched figure pairs whose org (or category) also agrees."""

    name: str
    mode: Mode
    correct: int
    total: int
    accuracy: float | None


class DocumentScore(BaseModel):
    """One gold document: its matched output and what was missed or spurious."""

    name: str
    source: str | None
    fields: list[FieldScore]
    missed: list[str]
    spurious: list[str]


class EvalReport(BaseModel):
    """The whole evaluation: micro-averaged field scores, accuracies, per-document detail."""

    gold: str
    output: str
    fields: list[FieldScore]
    accuracies: list[Accuracy]
    documents: list[DocumentScore]
    missing: list[str]
    """Gold documents with no output record (all their gold items count as FN)."""
    unmatched: list[str]
    """Output sources that match no gold document (not scored)."""

    def get(self, name: str, mode: Mode = "strict") -> FieldScore:
        """The micro-averaged score of field ``name`` in ``mode``."""
        return next(s for s in self.fields if s.field == name and s.mode == mode)


@dataclass
class _Outcome:
    tp: int = 0
    fp: list[str] = field(default_factory=list)
    fn: list[str] = field(default_factory=list)


# -- normalisers ---------------------------------------------------------------

_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"
_KHOA = re.compile(r"\(?\s*\bkh(?:óa|oá)\b\s*[\w.]*\s*\)?")


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _bare(text: str) -> str:
    """Case, spacing and diacritics folded away (đ kept)."""
    decomposed = unicodedata.normalize("NFD", _fold(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def id_key(identifier: str, mode: Mode) -> str:
    """The identifier as compared: as is (strict); case-folded, without spaces,
    dashes or leading zeros (lenient: ``04 - KH/TU`` == ``4-kh/tu``)."""
    if mode == "strict":
        return identifier
    folded = "".join(c for c in _fold(identifier) if c not in _DASHES and not c.isspace())
    return re.sub(r"(?<!\d)0+(?=\d)", "", folded)


def issuer_key(issuer: str) -> str:
    """An issuer for lenient comparison: case-folded, no "khóa ...", no "Đảng", BCH expanded."""
    text = re.sub(r"\bbch\b", "ban chấp hành", _fold(issuer))
    text = re.sub(r"\bđảng\b", " ", _KHOA.sub(" ", text))
    return " ".join(text.split())


def _same_issuer(gold: str, out: str, mode: Mode) -> bool:
    if mode == "strict":
        return gold == out
    a, b = issuer_key(gold), issuer_key(out)
    return a == b or bool(a and b and (a in b or b in a))


def _num(value: float | None) -> str:
    if value is None:
        return "-"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# -- field scorers: (gold annotation, output, mode) -> outcome -----------------


def _compare_sets(gold: Iterable[str], out: Iterable[str], key: Callable[[str], str]) -> _Outcome:
    g = {key(x): x for x in gold}
    o = {key(x): x for x in out}
    fp = [o[k] for k in o if k not in g]
    return _Outcome(len(g.keys() & o.keys()), fp, [g[k] for k in g if k not in o])


def _compare_value(
    outcome: _Outcome, label: str, gold: str | None, out: str | None, same: Callable[[str, str], bool]
) -> None:
    """TP when both agree; else a gold value is a FN and an output value a FP."""
    if gold is not None and out is not None and same(gold, out):
        outcome.tp += 1
        return
    if gold is not None:
        outcome.fn.append(f"{label}: {gold}")
    if out is not None:
        outcome.fp.append(f"{label}: {out}")


def _score_ids(gold: list[GoldCitation], out: DocumentResult, mode: Mode) -> _Outcome:
    gold_ids = [c.id for c in gold if c.id is not None and not c.partial]
    out_ids = [c.id for c in out.citations if c.id is not None and not c.partial]
    return _compare_sets(gold_ids, out_ids, lambda i: id_key(i, mode))


def _score_partial(gold: list[GoldCitation], out: DocumentResult, mode: Mode) -> _Outcome:
    def key(ref: str) -> str:
        number, _, kind = ref.partition(" ")
        return ref if mode == "strict" else f"{number.lstrip('0') or '0'} {_fold(kind)}"

    gold_refs = [f"{c.number or ''} {c.type or ''}" for c in gold if c.partial or c.id is None]
    out_refs = [f"{c.number or ''} {c.type or ''}" for c in out.citations if c.partial]
    return _compare_sets(gold_refs, out_refs, key)


def _score_attribute(
    gold: list[GoldCitation], out: DocumentResult, mode: Mode, attr: Literal["date", "issuer"]
) -> _Outcome:
    """Date or issuer of each gold id against the first non-null one the output gives it."""
    first: dict[str, str | None] = {}
    for cited in out.citations:
        if cited.id is not None and not cited.partial and first.get(id_key(cited.id, mode)) is None:
            first[id_key(cited.id, mode)] = getattr(cited, attr)
    same: Callable[[str, str], bool] = str.__eq__
    if attr == "issuer":
        same = lambda a, b: _same_issuer(a, b, mode)  # noqa: E731
    outcome, seen = _Outcome(), set()
    for g in gold:
        if g.id is not None and not g.partial and id_key(g.id, mode) not in seen:
            seen.add(id_key(g.id, mode))
            _compare_value(outcome, g.id, getattr(g, attr), first.get(id_key(g.id, mode)), same)
    return outcome


def _score_self(gold: GoldSelf, out: DocumentResult, mode: Mode) -> _Outcome:
    mine, outcome = out.self_, _Outcome()
    same_id: Callable[[str, str], bool] = lambda a, b: id_key(a, mode) == id_key(b, mode)  # noqa: E731
    _compare_value(outcome, "id", gold.id, mine.id if mine else None, same_id)
    _compare_value(outcome, "date", gold.date, mine.date if mine else None, str.__eq__)
    issuer = mine.issuer if mine else None
    _compare_value(outcome, "issuer", gold.issuer, issuer, lambda a, b: _same_issuer(a, b, mode))
    return outcome


def _same_record(gold: GoldFigure, out: Figure, mode: Mode) -> bool:
    if (gold.kind, gold.year, gold.base_year) != (out.kind, out.year, out.base_year):
        return False
    if abs(gold.value - out.value) > _EPS:
        return False
    if mode == "lenient" or (gold.rate_percent is None and out.rate_percent is None):
        return True
    if gold.rate_percent is None or out.rate_percent is None:
        return False
    return abs(gold.rate_percent - out.rate_percent) <= RATE_TOLERANCE + _EPS


def _describe(f: GoldFigure | Figure) -> str:
    return (
        f"{f.kind} {_num(f.value)} year={f.year} base={f.base_year} "
        f"rate={_num(f.rate_percent)} {f.category} / {f.org}"
    )


def match_figures(
    gold: list[GoldFigure], output: list[Figure], mode: Mode
) -> tuple[list[tuple[GoldFigure, Figure]], list[GoldFigure], list[Figure]]:
    """Gold quota records matched one-to-one to output level/change figures:
    (matched pairs, unmatched gold, unmatched output)."""
    pool = [f for f in output if f.kind in ("level", "change")]
    used = [False] * len(pool)
    pairs: list[tuple[GoldFigure, Figure]] = []
    missed: list[GoldFigure] = []
    for g in gold:
        i = next((i for i, f in enumerate(pool) if not used[i] and _same_record(g, f, mode)), None)
        if i is None:
            missed.append(g)
        else:
            used[i] = True
            pairs.append((g, pool[i]))
    return pairs, missed, [f for i, f in enumerate(pool) if not used[i]]


def _score_records(gold: list[GoldFigure], out: DocumentResult, mode: Mode) -> _Outcome:
    pairs, missed, spurious = match_figures(gold, out.figures, mode)
    return _Outcome(len(pairs), [_describe(f) for f in spurious], [_describe(g) for g in missed])


def _score_present(gold: list[GoldValue], out: DocumentResult, mode: Mode) -> _Outcome:
    # gold lists magnitudes as written ("giảm 4.313" is 4313); output changes are signed
    values = [abs(f.value) for f in out.figures]
    if mode == "lenient":
        values += [abs(f.rate_percent) for f in out.figures if f.rate_percent is not None]
    outcome = _Outcome()
    for g in gold:
        if any(abs(g.value - v) <= VALUE_TOLERANCE for v in values):
            outcome.tp += 1
        else:
            outcome.fn.append(_num(g.value))
    return outcome


def _score_periods(gold: list[str], out: DocumentResult, mode: Mode) -> _Outcome:
    closed = [p for p in out.periods if p.start_year is not None and p.end_year is not None]
    if mode == "strict":
        return _compare_sets(gold, [p.label for p in closed], str)
    labels = [f"{p.start_year}-{p.end_year}" for p in closed]
    return _compare_sets(gold, labels, lambda s: re.sub(rf"\s*[{_DASHES}]\s*", "-", s))


def _score_orgs(gold: list[str], out: DocumentResult, mode: Mode) -> _Outcome:
    fold = _fold if mode == "strict" else _bare
    texts = [fold(t) for org in out.orgs for t in (org.name, org.text)]
    outcome = _Outcome()
    for name in gold:
        if any(fold(name) in t for t in texts):
            outcome.tp += 1
        else:
            outcome.fn.append(name)
    return outcome


def _same_stated(gold: float | str | None, out: float | str | None, mode: Mode) -> bool:
    if gold is None or out is None:
        return False
    if isinstance(gold, str) or isinstance(out, str):
        return gold == out if mode == "strict" else _fold(str(gold)) == _fold(str(out))
    if mode == "lenient":
        gold, out = abs(gold), abs(out)
    return math.isclose(gold, out, abs_tol=RATE_TOLERANCE)


def _finding_matches(gold: GoldFinding, out: Finding, mode: Mode) -> bool:
    if mode == "strict" and gold.rule != out.rule:
        return False
    if _same_stated(gold.stated, out.stated, mode):
        return True
    haystack = f"{out.message}\n{'' if out.stated is None else out.stated}"
    if mode == "strict":
        return any(m in haystack for m in gold.match_any)
    haystack = _fold(f"{haystack}\n{out.suggestion or ''}")
    return any(_fold(m) in haystack for m in gold.match_any)


def _score_findings(gold: list[GoldFinding], out: DocumentResult, mode: Mode) -> _Outcome:
    findings = out.all_findings()
    used = [False] * len(findings)
    outcome = _Outcome()
    for g in gold:
        hits = (i for i, f in enumerate(findings) if not used[i] and _finding_matches(g, f, mode))
        i = next(hits, None)
        if i is None:
            outcome.fn.append(f"{g.rule} stated={g.stated}")
        else:
            used[i] = True
            outcome.tp += 1
    outcome.fp = [
        f"{f.rule}: {f.message}"
        for i, f in enumerate(findings)
        if not used[i] and f.severity == "error"
    ]
    return outcome


_Scorer = Callable[[Any, DocumentResult, Mode], _Outcome]
FIELDS: tuple[tuple[str, str, _Scorer, bool], ...] = (
    ("citation_id", "citations", _score_ids, False),
    ("partial_ref", "citations", _score_partial, False),
    ("citation_date", "citations", partial(_score_attribute, attr="date"), False),
    ("citation_issuer", "citations", partial(_score_attribute, attr="issuer"), False),
    ("self", "self_", _score_self, False),
    ("figure_record", "figures", _score_records, False),
    ("figure_present", "figures_present", _score_present, True),
    ("period", "periods", _score_periods, False),
    ("org_present", "orgs_present", _score_orgs, True),
    ("finding", "findings", _score_findings, False),
)
"""(field, the GoldDocument attribute it scores, scorer, recall only), in report order.
A field is scored for a document only where its gold has that attribute."""


# -- aggregation ---------------------------------------------------------------


def _finish(score: FieldScore, recall_only: bool) -> FieldScore:
    """``score`` with precision, recall and F1 filled in from its counts."""
    p = None if recall_only or not score.tp + score.fp else score.tp / (score.tp + score.fp)
    r = score.tp / (score.tp + score.fn) if score.tp + score.fn else None
    f1 = None if p is None or r is None else (2 * p * r / (p + r) if p + r else 0.0)
    return score.model_copy(update={"precision": p, "recall": r, "f1": f1})


def _basename(source: str) -> str:
    return PurePosixPath(source.replace("\\", "/")).name


def _match_documents(
    names: Iterable[str], results: list[DocumentResult], match_stem: bool
) -> dict[str, DocumentResult]:
    by_name: dict[str, DocumentResult] = {}
    by_stem: dict[str, DocumentResult] = {}
    for result in results:
        base = PurePosixPath(_basename(result.source))
        by_name.setdefault(base.name, result)
        if base.suffix.lower() in (".pdf", ".docx"):
            by_stem.setdefault(base.stem, result)
    matched: dict[str, DocumentResult] = {}
    for name in names:
        found = by_name.get(name)
        if found is None and match_stem:
            found = by_stem.get(PurePosixPath(name).stem)
        if found is not None:
            matched[name] = found
    return matched


def _accuracies(gold: GoldFile, matched: dict[str, DocumentResult]) -> list[Accuracy]:
    scores: list[Accuracy] = []
    for mode in MODES:
        pairs = [
            pair
            for name, doc in gold.documents.items()
            if doc.figures is not None and name in matched
            for pair in match_figures(doc.figures, matched[name].figures, mode)[0]
        ]
        org_ok = sum(
            g.org == f.org
            if mode == "strict"
            else bool(g.org and f.org and (_fold(g.org) in _fold(f.org) or _fold(f.org) in _fold(g.org)))
            for g, f in pairs
        )
        cat_ok = sum(g.category == f.category for g, f in pairs)
        for name, ok in (("figure_org", org_ok), ("figure_category", cat_ok)):
            acc = ok / len(pairs) if pairs else None
            scores.append(Accuracy(name=name, mode=mode, correct=ok, total=len(pairs), accuracy=acc))
    return scores


def _score_document(name: str, gold: GoldDocument, out: DocumentResult | None) -> DocumentScore:
    """Every field the gold annotates, both modes; a missing output scores as empty."""
    result = DocumentResult(source=name, sha256=None) if out is None else out
    source = None if out is None else out.source
    doc = DocumentScore(name=name, source=source, fields=[], missed=[], spurious=[])
    for field_name, attr, scorer, recall_only in FIELDS:
        annotation = getattr(gold, attr)
        for mode in MODES if annotation is not None else ():
            outcome = scorer(annotation, result, mode)
            counts = FieldScore(
                field=field_name, mode=mode, documents=1, tp=outcome.tp, fp=len(outcome.fp), fn=len(outcome.fn)
            )
            doc.fields.append(_finish(counts, recall_only))
            doc.missed += [f"{field_name}/{mode}: {item}" for item in outcome.fn]
            doc.spurious += [f"{field_name}/{mode}: {item}" for item in outcome.fp]
    return doc


def _micro(documents: list[DocumentScore], name: str, mode: Mode, recall_only: bool) -> FieldScore:
    scores = [s for doc in documents for s in doc.fields if s.field == name and s.mode == mode]
    total = FieldScore(
        field=name,
        mode=mode,
        documents=len(scores),
        tp=sum(s.tp for s in scores),
        fp=sum(s.fp for s in scores),
        fn=sum(s.fn for s in scores),
    )
    return _finish(total, recall_only)


def score(gold_path: Path, output_path: Path, *, match_stem: bool = False) -> EvalReport:
    """Score the JSON Lines ``output_path`` against the gold file ``gold_path``.

    Documents are matched by file name (the basename of ``source``); with
    ``match_stem`` a .pdf/.docx output also matches a gold key with the same stem.
    Counts are summed over documents (micro average) before P/R/F1 are taken.
    """
    gold = GoldFile.model_validate_json(Path(gold_path).read_text(encoding="utf-8"))
    results = read_jsonl(output_path)
    matched = _match_documents(gold.documents, results, match_stem)
    documents = [_score_document(name, doc, matched.get(name)) for name, doc in gold.documents.items()]
    used = {id(r) for r in matched.values()}
    return EvalReport(
        gold=str(gold_path),
        output=str(output_path),
        fields=[_micro(documents, n, m, recall_only) for n, _, _, recall_only in FIELDS for m in MODES],
        accuracies=_accuracies(gold, matched),
        documents=documents,
        missing=[name for name in gold.documents if name not in matched],
        unmatched=[r.source for r in results if id(r) not in used],
    )


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def format_report(report: EvalReport, *, per_document: bool = False) -> str:
    """The report as a plain-text table (with each document's misses if asked)."""
    lines = [
        f"gold:   {report.gold}",
        f"output: {report.output}",
        f"documents: {len(report.documents)} in gold, {len(report.missing)} missing from output, "
        f"{len(report.unmatched)} outputs not in gold",
        "",
        f"{'field':<16} {'mode':<8} {'docs':>4} {'TP':>5} {'FP':>5} {'FN':>5} {'P':>6} {'R':>6} {'F1':>6}",
    ]
    for s in report.fields:
        lines.append(
            f"{s.field:<16} {s.mode:<8} {s.documents:>4} {s.tp:>5} {s.fp:>5} {s.fn:>5} "
            f"{_cell(s.precision):>6} {_cell(s.recall):>6} {_cell(s.f1):>6}"
        )
    lines += ["", f"{'matched figures':<16} {'mode':<8} {'correct':>12} {'accuracy':>9}"]
    for a in report.accuracies:
        lines.append(f"{a.name:<16} {a.mode:<8} {f'{a.correct}/{a.total}':>12} {_cell(a.accuracy):>9}")
    if report.missing:
        lines += ["", "missing from output: " + ", ".join(report.missing)]
    if per_document:
        for doc in report.documents:
            lines += ["", f"== {doc.name} ({doc.source or 'no output'})"]
            lines += [f"  missed   {item}" for item in doc.missed]
            lines += [f"  spurious {item}" for item in doc.spurious]
    return "\n".join(lines)
