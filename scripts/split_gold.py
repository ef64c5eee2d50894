"""Assign ``split`` (dev / held) to every document of real-document gold files, in place.

    python scripts/split_gold.py evaluation/gold/real/part-*.json [evaluation/gold/written/gold.json]

Stratified by genre over all the files given, deterministic: within each genre the
documents are sorted by sha1 of their file name (the gold key) and the first
round(0.4 * n) are ``held``, the rest ``dev``. Running it again changes nothing.
Each file keeps its JSON layout (its own indent, ensure_ascii=False, final newline);
``split`` goes right after ``genre`` when a document has no split yet.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

HELD_SHARE = 0.4


def assign(genres: dict[str, str]) -> dict[str, str]:
    """The split of each document key, given each key's genre."""
    by_genre: dict[str, list[str]] = defaultdict(list)
    for key, genre in genres.items():
        by_genre[genre].append(key)
    split: dict[str, str] = {}
    for keys in by_genre.values():
        keys.sort(key=lambda k: hashlib.sha1(k.encode("utf-8")).hexdigest())
        held = round(HELD_SHARE * len(keys))
        for i, key in enumerate(keys):
            split[key] = "held" if i < held else "dev"
    return split


def _with_split(doc: dict[str, Any], value: str) -> dict[str, Any]:
    if "split" in doc:
        return {**doc, "split": value}
    out: dict[str, Any] = {}
    for k, v in doc.items():
        out[k] = v
        if k == "genre":
            out["split"] = value
    if "split" not in out:
        out["split"] = value
    return out


def _indent(text: str) -> int:
    found = re.search(r"\n( +)\S", text)
    return len(found.group(1)) if found else 2


def main(paths: list[str]) -> int:
    """Split every document of the files ``paths``; prints what each file holds."""
    if not paths:
        print(__doc__)
        return 2
    texts = {p: Path(p).read_text(encoding="utf-8") for p in paths}
    data = {p: json.loads(t) for p, t in texts.items()}
    genres = {k: str(d.get("genre")) for g in data.values() for k, d in g.get("documents", {}).items()}
    split = assign(genres)
    for path, gold in data.items():
        docs = gold.get("documents", {})
        gold["documents"] = {k: _with_split(d, split[k]) for k, d in docs.items()}
        text = json.dumps(gold, indent=_indent(texts[path]), ensure_ascii=False)
        text += "\n" if texts[path].endswith("\n") else ""
        if text != texts[path]:
            Path(path).write_text(text, encoding="utf-8")
        held = sum(split[k] == "held" for k in docs)
        print(f"{path}: {len(docs)} documents, {held} held, {len(docs) - held} dev")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
