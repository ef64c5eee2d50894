"""Rebuild the shipped model from the repository and ../shared.

    python -m extractor.ner.train [OUT_DIR] [--seed N]

``train`` tokenises the training set (``data.training_set``: gold train
lines, rule-labelled corpus-extra sentences, augmented frames), trains the
``ner`` component for a fixed number of epochs with a fixed seed and writes
the pipeline to ``out_dir``. Nothing of the dev split is read. Labels the
rules left unknown (capitalised words outside rule spans in silver text) are
marked missing, so they neither reward nor punish the model.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example
from thinc.api import compounding, fix_random_seed

from extractor.ner.data import Annotated, training_set
from extractor.ner.pipeline import MODEL_DIR, build_nlp

EPOCHS = 8
DROPOUT = 0.15
SIZES = {"width": 64, "depth": 4, "rows": 3000, "hidden": 64}
"""The tok2vec and parser sizes of the shipped model (pipeline.build_nlp arguments)."""
MAX_SILVER = 4000
N_AUGMENTED = 2000


def batches(examples: list[Example], start: float = 4.0, stop: float = 32.0) -> Iterator[list[Example]]:
    """``examples`` in batches whose size grows from ``start`` to ``stop`` (compounding by 0.1%)."""
    sizes = iter(compounding(start, stop, 1.001))
    i = 0
    while i < len(examples):
        size = max(1, int(next(sizes)))
        yield examples[i:i + size]
        i += size


def to_example(nlp: Language, item: Annotated) -> tuple[Example, int]:
    """The training example of ``item`` and how many of its spans missed token boundaries.

    A span whose ends fall inside a token is not learnt; its tokens are marked
    missing, like the item's ``unknown`` ranges.
    """
    predicted = nlp.make_doc(item.text)
    reference = Doc(nlp.vocab, words=[t.text for t in predicted], spaces=[bool(t.whitespace_) for t in predicted])
    ents: list[Span] = []
    missing: list[Span] = []
    misaligned = 0
    for start, end, label in item.spans:
        span = reference.char_span(start, end, label=label)
        if span is None or span.text.strip() != span.text or not span.text:
            misaligned += 1
            loose = reference.char_span(start, end, alignment_mode="expand")
            if loose is not None:
                missing.append(loose)
        elif not any(span.start < e.end and e.start < span.end for e in ents):
            ents.append(span)
    for start, end in item.unknown:
        loose = reference.char_span(start, end, alignment_mode="expand")
        if loose is not None:
            missing.append(loose)
    taken = {i for e in ents for i in range(e.start, e.end)}
    gaps: set[int] = set()
    for span in missing:
        gaps.update(i for i in range(span.start, span.end) if i not in taken)
    missing_spans = [reference[i:i + 1] for i in sorted(gaps)]
    reference.set_ents(ents, missing=missing_spans, default="outside")
    return Example(predicted, reference), misaligned


def train(
    out_dir: Path = MODEL_DIR,
    seed: int = 0,
    *,
    epochs: int = EPOCHS,
    max_silver: int = MAX_SILVER,
    n_augmented: int = N_AUGMENTED,
    sizes: dict[str, int] | None = None,
    log: bool = True,
) -> dict[str, Any]:
    """Train the model from the repository and ../shared with ``seed``; write it to ``out_dir``.

    Returns a summary: training texts by source, misaligned spans, losses per
    epoch, seconds for data, tokenisation and training, and the model's size.
    """
    started = time.perf_counter()
    fix_random_seed(seed)
    rng = random.Random(seed)
    items = training_set(seed, max_silver=max_silver, n_augmented=n_augmented)
    t_data = time.perf_counter() - started
    dims = sizes or SIZES
    nlp = build_nlp(**dims)
    examples: list[Example] = []
    misaligned = 0
    for item in items:
        example, missed = to_example(nlp, item)
        examples.append(example)
        misaligned += missed
    t_tokens = time.perf_counter() - started - t_data
    _say(log, f"{len(items)} texts ({dict(Counter(i.kind for i in items))}), {misaligned} spans off token "
              f"boundaries; data {t_data:.0f}s, tokens {t_tokens:.0f}s")
    optimizer = nlp.initialize(lambda: examples[:300])
    losses_by_epoch: list[float] = []
    with nlp.select_pipes(enable=["ner"]):
        for epoch in range(epochs):
            rng.shuffle(examples)
            losses: dict[str, float] = {}
            for batch in batches(examples):
                nlp.update(batch, sgd=optimizer, drop=DROPOUT, losses=losses)
            losses_by_epoch.append(round(float(losses.get("ner", 0.0)), 2))
            _say(log, f"epoch {epoch + 1}/{epochs}: loss {losses_by_epoch[-1]} ({time.perf_counter() - started:.0f}s)")
    summary: dict[str, Any] = {
        "seed": seed,
        "epochs": epochs,
        "sizes": dims,
        "texts": dict(Counter(i.kind for i in items)),
        "spans": dict(Counter(label for i in items for _, _, label in i.spans)),
        "misaligned_spans": misaligned,
        "losses": losses_by_epoch,
        "seconds": {"data": round(t_data, 1), "tokenize": round(t_tokens, 1),
                    "total": round(time.perf_counter() - started, 1)},
    }
    nlp.meta["name"] = "bienche_ner"
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = "ORG, LOC and CATEGORY spans in Vietnamese directives (see evaluation/ner/DATA.md)"
    nlp.meta["bienche_training"] = summary
    out_dir.mkdir(parents=True, exist_ok=True)
    # The string store would hold every word of the training text; the hashed
    # features do not need it, so it is not saved.
    nlp.to_disk(out_dir, exclude=["vocab"])
    summary["model_bytes"] = sum(p.stat().st_size for p in out_dir.rglob("*") if p.is_file())
    (out_dir / "training.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return summary


def _say(log: bool, message: str) -> None:
    if log:
        print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    """Command line: train into OUT_DIR (default: the shipped model folder)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir", nargs="?", type=Path, default=MODEL_DIR)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    args = parser.parse_args(argv)
    summary = train(args.out_dir, args.seed, epochs=args.epochs)
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
