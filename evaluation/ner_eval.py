"""Dev-split scores of the statistical extractor against the rules and underthesea.

    python evaluation/ner_eval.py [--model DIR] [--write evaluation/ner/RESULTS.md] [--no-underthesea]

Span table: org (ORG and LOC, label must agree), org label-blind (ORG and LOC
as one label, the fairest row for underthesea, which calls most units LOC),
ORG, LOC and CATEGORY spans,
precision / recall / F1, strict (same start, end and label) and overlap (a
predicted span of the same label overlapping the gold one, matched one to
one), for the rules alone, the model alone, both combined (rules win, the
model adds what overlaps no rule span) and underthesea's ``ner`` (deep=False;
its ORG and LOC tags, no categories). Rows by dev part: the two dev seeds,
the dev sentences (names of held-out provinces and units) and the
corpus-extra regions. "unseen names": recall on gold ORG spans whose text
occurs in no training text.

Figure table: quota records (kind, value, year, base year) matched one to
one against hand-written gold, and the same with org and category required
equal, before (the rule pipeline) and after ``refine_figures`` with the
rules' spans and with the combined spans.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from spacy.language import Language

from extractor.evaluate import GoldFigure, match_figures
from extractor.models import Document, Figure, OrgMention
from extractor.ner.data import Annotated, _key, dev_set, load_gold, training_set
from extractor.ner.extract import (
    CategoryMention,
    combine,
    combine_categories,
    find_categories_model,
    find_categories_rules,
    find_orgs_model,
    refine_figures,
)
from extractor.ner.pipeline import MODEL_DIR
from extractor.ner.tokenizer import _align
from extractor.pipeline import extract_document
from extractor.rules.orgs import find_orgs

Span = tuple[int, int, str]
GROUPS: dict[str, frozenset[str]] = {
    "org": frozenset({"ORG", "LOC"}), "org, label-blind": frozenset({"ANY"}), "ORG": frozenset({"ORG"}),
    "LOC": frozenset({"LOC"}), "CATEGORY": frozenset({"CATEGORY"}),
}
REPO = Path(__file__).resolve().parent.parent


@dataclass
class Counts:
    """Matched predictions, predictions, matched gold spans, gold spans."""

    tp_pred: int = 0
    pred: int = 0
    tp_gold: int = 0
    gold: int = 0

    def add(self, other: Counts) -> None:
        """Sum ``other`` into this."""
        self.tp_pred += other.tp_pred
        self.pred += other.pred
        self.tp_gold += other.tp_gold
        self.gold += other.gold

    def prf(self) -> tuple[float, float, float]:
        """Precision, recall, F1 (0 where undefined)."""
        p = self.tp_pred / self.pred if self.pred else 0.0
        r = self.tp_gold / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def compare(gold: Sequence[Span], pred: Sequence[Span], labels: frozenset[str], overlap: bool) -> Counts:
    """Counts for the spans of ``labels``; overlap matches one to one, greedily in order."""
    g = [s for s in gold if s[2] in labels]
    p = [s for s in pred if s[2] in labels]
    if not overlap:
        same = len(set(g) & set(p))
        return Counts(same, len(p), same, len(g))
    used: set[int] = set()
    for gs in g:
        hit = next((i for i, ps in enumerate(p) if i not in used and ps[2] == gs[2] and ps[0] < gs[1] and gs[0] < ps[1]), None)
        if hit is not None:
            used.add(hit)
    return Counts(len(used), len(p), len(used), len(g))


def underthesea_spans(text: str) -> list[Span]:
    """underthesea ``ner`` (deep=False) ORG and LOC spans, aligned to ``text`` line by line.

    A B- tag opens a span, I- tags of the same label extend it; PER and MISC are dropped.
    """
    from underthesea import ner

    out: list[Span] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            tagged = ner(line)
            aligned = _align(line, [str(t[0]) for t in tagged])
            spans: list[Span] = []
            inside = False
            for t, syllables in zip(tagged, aligned):
                tag = str(t[3])
                label = tag[2:]
                start, end = pos + syllables[0][0], pos + syllables[-1][1]
                if label in ("ORG", "LOC") and tag.startswith("I-") and inside and spans[-1][2] == label:
                    spans[-1] = (spans[-1][0], end, label)
                elif label in ("ORG", "LOC"):
                    spans.append((start, end, label))
                    inside = True
                else:
                    inside = False
            out.extend(spans)
        pos += len(line) + 1
    return out


def _org_spans(mentions: list[OrgMention]) -> list[Span]:
    return [(m.start, m.end, m.label) for m in mentions]


def _cat_spans(mentions: list[CategoryMention]) -> list[Span]:
    return [(m.start, m.end, "CATEGORY") for m in mentions]


def predictions(item: Annotated, nlp: Language, with_underthesea: bool) -> dict[str, list[Span]]:
    """Each system's spans for one dev text."""
    rule_orgs = find_orgs(item.text)
    rule_cats = find_categories_rules(item.text)
    model_orgs = find_orgs_model(item.text, nlp=nlp)
    model_cats = find_categories_model(item.text, nlp=nlp)
    out = {
        "rules": _org_spans(rule_orgs) + _cat_spans(rule_cats),
        "model": _org_spans(model_orgs) + _cat_spans(model_cats),
        "both": _org_spans(combine(rule_orgs, model_orgs)) + _cat_spans(combine_categories(rule_cats, model_cats)),
        "both, no extending": _org_spans(combine(rule_orgs, model_orgs, extend=False))
        + _cat_spans(combine_categories(rule_cats, model_cats)),
    }
    _CONFIDENCE.extend((m.start, m.end, m.label, m.confidence) for m in model_orgs)
    _CONFIDENCE.extend((m.start, m.end, "CATEGORY", m.confidence) for m in model_cats)
    if with_underthesea:
        out["underthesea"] = underthesea_spans(item.text)
    return out


_CONFIDENCE: list[tuple[int, int, str, float]] = []
"""Model spans of the text being scored, with confidence (filled by ``predictions``)."""
BUCKETS = ((0.0, 0.5), (0.5, 0.9), (0.9, 1.01))


def _blind(spans: Sequence[Span]) -> list[Span]:
    """ORG and LOC spans under one label: whether a unit or place was found at all."""
    return [(s, e, "ANY") for s, e, label in spans if label in ("ORG", "LOC")]


def _part(item: Annotated) -> str:
    if item.id.startswith("seed"):
        return "seeds"
    return "sentences" if item.id.startswith("written") else "corpus-extra"


def span_rows(nlp: Language, with_underthesea: bool, seen: set[str] | None) -> list[tuple[str, str, str, str, Counts]]:
    """(part, group, mode, system, counts) over the dev split, parts and all."""
    totals: dict[tuple[str, str, str, str], Counts] = {}
    for item in dev_set():
        _CONFIDENCE.clear()
        preds = predictions(item, nlp, with_underthesea)
        for low, high in BUCKETS:
            chosen = [(s, e, lab) for s, e, lab, c in _CONFIDENCE if low <= c < high]
            part = f"confidence {low:.1f}–{min(high, 1.0):.1f}"
            totals.setdefault((part, "all labels", "strict", "model"), Counts()).add(
                compare(list(item.spans), chosen, frozenset({"ORG", "LOC", "CATEGORY"}), False))
        gold = list(item.spans)
        for system, pred in preds.items():
            for group, labels in GROUPS.items():
                g, p = (gold, pred) if "ANY" not in labels else (_blind(gold), _blind(pred))
                for mode in ("strict", "overlap"):
                    counts = compare(g, p, labels, mode == "overlap")
                    for part in (_part(item), "all"):
                        totals.setdefault((part, group, mode, system), Counts()).add(counts)
            if seen is not None:
                novel = [s for s in gold if s[2] == "ORG" and _key(item.text[s[0]:s[1]]) not in seen]
                for mode in ("strict", "overlap"):
                    c = compare(novel, pred, frozenset({"ORG"}), mode == "overlap")
                    totals.setdefault(("unseen names", "ORG", mode, system), Counts()).add(c)
    return [(k[0], k[1], k[2], k[3], v) for k, v in totals.items()]


def seen_names(gold_dev: list[Annotated]) -> set[str]:
    """Keys of dev ORG span texts that occur somewhere in the training texts."""
    corpus = "\n".join(_key(a.text) for a in training_set())
    names = {_key(a.text[s:e]) for a in gold_dev for s, e, label in a.spans if label == "ORG"}
    return {n for n in names if n in corpus}


# --- figures -------------------------------------------------------------------------------

def _figure_docs() -> list[tuple[str, Document, list[GoldFigure]]]:
    docs: list[tuple[str, Document, list[GoldFigure]]] = []
    from extractor.document import load_document

    seeds = json.loads((REPO / "evaluation" / "gold" / "seeds.json").read_text(encoding="utf-8"))
    for name, doc in seeds["documents"].items():
        if doc.get("figures") and any(g.id == f"seed-{name[:3]}" for g in load_gold("dev")):
            docs.append(("seed 001", load_document(REPO / "corpus" / name), [GoldFigure(**f) for f in doc["figures"]]))
    for line in (REPO / "evaluation" / "ner" / "gold" / "figures.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        document = Document(source=rec["id"] + ".txt", sha256="-", format="txt", text=rec["text"])
        docs.append(("written", document, [GoldFigure(**f) for f in rec["figures"]]))
    return docs


def _record_counts(gold: list[GoldFigure], figures: list[Figure], full: bool) -> Counts:
    pairs, _, _ = match_figures(gold, figures, "strict")
    if full:
        pairs = [(g, f) for g, f in pairs if g.org == f.org and g.category == f.category]
    n_pred = sum(1 for f in figures if f.kind in ("level", "change"))
    return Counts(len(pairs), n_pred, len(pairs), len(gold))


def figure_rows(nlp: Language) -> list[tuple[str, str, str, Counts]]:
    """(part, variant, measure, counts): records, and records with org and category."""
    totals: dict[tuple[str, str, str], Counts] = {}
    variants: dict[str, Callable[[str, list[Figure], list[OrgMention]], list[Figure]]] = {
        "rules (before)": lambda text, figs, orgs: figs,
        "+ refine, rule spans": lambda text, figs, orgs: refine_figures(text, figs, orgs, find_categories_rules(text)),
        "+ refine, both spans": lambda text, figs, orgs: refine_figures(
            text, figs, combine(orgs, find_orgs_model(text, nlp=nlp)),
            combine_categories(find_categories_rules(text), find_categories_model(text, nlp=nlp))),
    }
    for part, document, gold in _figure_docs():
        result = extract_document(document)
        for variant, fn in variants.items():
            figs = fn(document.text, copy.deepcopy(result.figures), list(result.orgs))
            for measure, full in (("record", False), ("record+org+category", True)):
                c = _record_counts(gold, figs, full)
                for p in (part, "all"):
                    totals.setdefault((p, variant, measure), Counts()).add(c)
    return [(k[0], k[1], k[2], v) for k, v in totals.items()]


def _fmt(c: Counts) -> str:
    p, r, f = c.prf()
    return f"{p:.3f} | {r:.3f} | {f:.3f} | {c.tp_gold}/{c.gold}"


HEADER = """# Statistical extractor: dev-split results

Written by `python evaluation/ner_eval.py --write evaluation/ner/RESULTS.md` (what each row
means: that script's docstring; the data: DATA.md). Parts: `seeds` = seeds 001 and 004;
`sentences` = the 30 dev sentences naming held-out provinces and units; `corpus-extra` = the 13
hand-labelled regions of crawled pages; `unseen names` = dev ORG spans whose text occurs in no
training text (recall only). "gold found" counts gold spans matched.

"""


def render(spans: list[tuple[str, str, str, str, Counts]], figures: list[tuple[str, str, str, Counts]]) -> str:
    """The tables as Markdown."""
    lines = [HEADER + "## Spans on the dev split", "", "| part | group | mode | system | P | R | F1 | gold found |",
             "|---|---|---|---|---|---|---|---|"]
    order = {"all": 0, "seeds": 1, "sentences": 2, "corpus-extra": 3, "unseen names": 4}
    systems = {"rules": 0, "model": 1, "both": 2, "both, no extending": 3, "underthesea": 4}
    main = [r for r in spans if r[0] in order]
    for part, group, mode, system, c in sorted(main, key=lambda r: (order[r[0]], list(GROUPS).index(r[1]), r[2] != "strict", systems[r[3]])):
        cells = _fmt(c) if part != "unseen names" else f"- | {c.prf()[1]:.3f} | - | {c.tp_gold}/{c.gold}"
        lines.append(f"| {part} | {group} | {mode} | {system} | {cells} |")
    lines += ["", "## Model spans by confidence (all labels, strict)", "",
              "| confidence | spans | precision |", "|---|---|---|"]
    for part, _, _, _, c in sorted(r for r in spans if r[0] not in order):
        precision = f"{c.prf()[0]:.3f}" if c.pred else "-"
        lines.append(f"| {part.removeprefix('confidence ')} | {c.pred} | {precision} |")
    lines += ["", "## Quota records (figures) before and after", "",
              "| part | variant | measure | P | R | F1 | gold found |", "|---|---|---|---|---|---|---|"]
    for part, variant, measure, c in sorted(figures, key=lambda r: (r[0] != "all", r[0], r[2], r[1])):
        lines.append(f"| {part} | {variant} | {measure} | {_fmt(c)} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Score every system on the dev split; print (and optionally write) the tables."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=MODEL_DIR, help="trained pipeline folder")
    parser.add_argument("--write", type=Path, help="also write the Markdown tables here")
    parser.add_argument("--no-underthesea", action="store_true", help="skip the underthesea baseline")
    parser.add_argument("--no-unseen", action="store_true", help="skip the unseen-names row (rebuilds the training texts)")
    args = parser.parse_args(argv)
    import spacy

    # registers the tokenizer and the rules component spacy.load needs
    import extractor.ner.pipeline  # noqa: F401

    nlp = spacy.load(args.model)
    seen = None if args.no_unseen else seen_names(dev_set())
    table = render(span_rows(nlp, not args.no_underthesea, seen), figure_rows(nlp))
    print(table)
    if args.write:
        args.write.write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
