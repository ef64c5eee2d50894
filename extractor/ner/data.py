"""Training and dev data for the statistical extractor, with provenance.

Three sources, all returned as ``Annotated`` texts (character spans):

- **gold**: hand-checked annotations in ``evaluation/ner/gold/`` — the five
  seed texts (annotated by hand; three train, two dev), sentences written for
  this project (train and dev), and regions of thirteen pages of
  ``../shared/corpus-extra`` (dev only; the gold file holds offsets, never
  the text);
- **silver**: sentences of the other corpus-extra pages labelled at training
  time by the rules (``extractor.rules.orgs`` and ``patterns/categories.yaml``);
  capitalised words the rules leave unlabelled are marked *unknown*, not
  "outside", so the model is not taught the rules' misses;
- **augmented**: sentence frames filled with names built from the gazetteer
  libraries (``augment.py``).

Dev material never reaches training: the dev pages of corpus-extra are skipped
whole, and every training text that mentions a held-out name (six provinces
with their districts, the unit names of the dev sentences) is dropped.
evaluation/ner/DATA.md records all of this.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

import regex

Label = Literal["ORG", "LOC", "CATEGORY"]
Split = Literal["train", "dev"]
Kind = Literal["gold", "silver", "augmented"]
LABELS: tuple[Label, ...] = ("ORG", "LOC", "CATEGORY")

REPO = Path(__file__).resolve().parents[2]
GOLD_DIR = REPO / "evaluation" / "ner" / "gold"

HELD_OUT_PROVINCES = ("Cà Mau", "Điện Biên", "Kon Tum", "Hà Giang", "Bến Tre", "Lai Châu")
"""Provinces no training text mentions (nor their districts): the dev sentences use them."""
HELD_OUT_UNITS = (
    "Trường Chính trị", "Phát thanh và Truyền hình", "Khu kinh tế", "Bệnh viện Đa khoa",
    "Kiểm soát bệnh tật", "Liên minh Hợp tác xã", "Chữ thập đỏ", "Đoàn đại biểu Quốc hội",
    "Quỹ Đầu tư phát triển", "Văn học Nghệ thuật", "Nhà Văn hóa", "Vườn quốc gia",
    "Trung tâm Văn hóa, Thể thao", "Thanh tra tỉnh", "Bộ Chỉ huy Quân sự", "Cao đẳng Cộng đồng",
    "Chi cục Thủy lợi", "Bán đảo", "khối Đảng, đoàn thể", "Pa Tần", "Lê Hồng Phong", "Hànộimới", "Kinhtedothi",
)
"""Unit names (or their distinctive parts) of the dev sentences and dev seeds."""


@dataclass(frozen=True)
class Annotated:
    """A text with labelled character spans and where it came from."""

    id: str
    text: str
    spans: tuple[tuple[int, int, Label], ...]
    split: Split
    kind: Kind
    source: str
    unknown: tuple[tuple[int, int], ...] = field(default=())
    """Character ranges whose labels are unknown (silver only)."""


def shared_dir() -> Path:
    """The shared folder beside the repository (``BIENCHE_SHARED`` overrides)."""
    return Path(os.environ.get("BIENCHE_SHARED", REPO.parent / "shared"))


def corpus_extra_dir() -> Path:
    """Where the crawled corpus-extra pages are read from."""
    return shared_dir() / "corpus-extra"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _spans(raw: list[list[object]], shift: int = 0) -> tuple[tuple[int, int, Label], ...]:
    out: list[tuple[int, int, Label]] = []
    for item in raw:
        start, end, label = int(str(item[0])), int(str(item[1])), str(item[2])
        if label not in LABELS:
            raise ValueError(f"unknown label {label!r}")
        out.append((start - shift, end - shift, label))
    return tuple(sorted(out))


def _records(name: str) -> Iterator[dict[str, object]]:
    with (GOLD_DIR / name).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def load_gold(split: Split | None = None, *, need_shared: bool = False) -> list[Annotated]:
    """Hand-checked texts of ``split`` (both when None).

    corpus-extra regions are read from ../shared; when it is absent they are
    left out (or ``FileNotFoundError`` with ``need_shared``). A text whose
    sha256 no longer matches its gold raises ``ValueError``.
    """
    out: list[Annotated] = []
    for rec in _records("seeds.jsonl"):
        text = (REPO / str(rec["source"])).read_text(encoding="utf-8")
        _check(rec, text)
        out.append(Annotated(str(rec["id"]), text, _spans(rec["spans"]), rec["split"], "gold", f"seed:{rec['source']}"))  # type: ignore[arg-type]
    for rec in _records("written.jsonl"):
        out.append(Annotated(str(rec["id"]), str(rec["text"]), _spans(rec["spans"]), rec["split"], "gold", "written"))  # type: ignore[arg-type]
    for rec in _records("extra.jsonl"):
        path = shared_dir() / str(rec["source"])
        if not path.exists():
            if need_shared:
                raise FileNotFoundError(path)
            continue
        full = path.read_text(encoding="utf-8")
        _check(rec, full)
        start, end = int(str(rec["start"])), int(str(rec["end"]))
        source = f"{rec['source']}#{start}-{end}"
        out.append(Annotated(str(rec["id"]), full[start:end], _spans(rec["spans"], start), rec["split"], "gold", source))  # type: ignore[arg-type]
    return [a for a in out if split is None or a.split == split]


def _check(rec: dict[str, object], text: str) -> None:
    if _sha(text) != rec["sha256"]:
        raise ValueError(f"{rec['source']}: text changed since it was annotated (sha256 differs)")


@cache
def dev_extra_files() -> frozenset[str]:
    """corpus-extra file names whose regions are dev gold (never trained on)."""
    return frozenset(Path(str(r["source"])).name for r in _records("extra.jsonl"))


_TONE_MOVE = {"à": "ò", "á": "ó", "ả": "ỏ", "ã": "õ", "ạ": "ọ"}


def _key(text: str) -> str:
    """Lowercase NFC with single spaces and one tone placement (``hoà`` = ``hòa``)."""
    text = unicodedata.normalize("NFC", text).lower().replace("uỷ", "ủy").replace("uý", "úy")
    text = regex.sub(r"o([àáảãạ])(?!\p{L})", lambda m: _TONE_MOVE[m.group(1)] + "a", text)
    return str(regex.sub(r"\s+", " ", text))


@cache
def held_out_names() -> tuple[str, ...]:
    """Names (lowercased) no training text may contain: held-out provinces, their districts, dev units."""
    from extractor.ner.augment import districts_of

    names = list(HELD_OUT_PROVINCES) + list(HELD_OUT_UNITS)
    for province in HELD_OUT_PROVINCES:
        names.extend(districts_of(province))
    return tuple(sorted({_key(n) for n in names}, key=len, reverse=True))


@cache
def _held_out_pattern() -> regex.Pattern[str]:
    return regex.compile(r"(?<!\p{L})(?:" + "|".join(regex.escape(n) for n in held_out_names()) + r")(?!\p{L})")


def mentions_held_out(text: str) -> bool:
    """Whether ``text`` names a held-out province, district or unit."""
    return _held_out_pattern().search(_key(text)) is not None


def rule_spans(text: str) -> list[tuple[int, int, Label]]:
    """What the rules label in ``text``: org/place mentions and category phrases, never overlapping."""
    from extractor.ner.extract import find_categories_rules
    from extractor.rules.orgs import find_orgs

    spans: list[tuple[int, int, Label]] = [(o.start, o.end, o.label) for o in find_orgs(text)]
    for cat in find_categories_rules(text):
        if not any(cat.start < e and s < cat.end for s, e, _ in spans):
            spans.append((cat.start, cat.end, "CATEGORY"))
    return sorted(spans)


_SYLLABLE = regex.compile(r"[\p{L}\p{M}]+|\p{N}+|[^\s\p{L}\p{M}\p{N}]")
_IN_IDENTIFIER = regex.compile(r"[-/]\s*$")
_SURNAMES = frozenset((
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Trương", "Đinh", "Lâm", "Đoàn", "Lương", "Hà", "Cao", "Tô",
    "Thái", "Tạ", "Lại", "Kiều", "Châu", "Phùng", "Chu", "Quách", "Trịnh", "Đào", "Lưu", "Mạc",
    "Tôn", "Thân", "Nông", "Triệu", "Vương", "Mai",
))
_BEFORE_PLACE = frozenset((
    "của", "tại", "ở", "và", "cho", "thuộc", "trên", "với", "đến", "từ", "về", "trong", "giữa",
    "bàn", "các", "toàn", "cả", "là", "gồm", "như", "tỉnh",
))
"""Words after which a place ("tỉnh Bình Định") stands alone rather than ending a unit's name."""


@cache
def _province_keys() -> frozenset[str]:
    from extractor.gazetteer import province_names

    return frozenset(_key(n) for n in province_names())


def silver_labels(text: str, spans: list[tuple[int, int, Label]]) -> tuple[list[tuple[int, int, Label]], list[tuple[int, int]]]:
    """The rule spans kept as labels and the character ranges left unknown in a silver sentence.

    Unknown: runs of capitalised syllables the rules did not label, joined
    across at most two lowercase syllables (a unit the rules do not know may
    hide there: "Trung tâm Kiểm soát bệnh tật"), except a lone capitalised
    first word of a sentence or list item ("Giao", "Đẩy mạnh") and a person's
    name (surname first, two to four syllables), which stay outside. A rule
    span right after an unknown run, and a rule place not preceded by a
    preposition ("... bệnh tật tỉnh Lai Châu"), become unknown too: they may
    be the tail of a longer name.
    """
    syl = [(m.start(), m.end(), m.group(0)) for m in _SYLLABLE.finditer(text)]
    in_rule = [any(s <= a and b <= e for s, e, _ in spans) for a, b, _ in syl]
    cap = [w[0].isupper() and not in_rule[i] and w[0].isalpha() for i, (_, _, w) in enumerate(syl)]
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(syl):
        if not cap[i]:
            i += 1
            continue
        j = i
        while True:
            k = j + 1
            gap = 0
            while k < len(syl) and not cap[k] and not in_rule[k] and syl[k][2][0].isalpha() and gap < 3:
                k += 1
                gap += 1
            if k < len(syl) and cap[k] and gap <= 2:
                j = k
            else:
                break
        words = [w for _, _, w in syl[i:j + 1]]
        lead = all(not w[0].isalnum() or w.isdigit() for _, _, w in syl[:i])
        alone = lead and j == i and not any(cap[k] for k in range(i + 1, min(len(syl), i + 4)))
        person = words[0] in _SURNAMES and 2 <= len(words) <= 4 and all(w[0].isupper() for w in words)
        if not alone and not (person and _key(" ".join(words)) not in _province_keys()):
            runs.append((syl[i][0], syl[j][1]))
        i = j + 1
    kept: list[tuple[int, int, Label]] = []
    for start, end, label in spans:
        before = text[:start].split()
        after_run = any(0 <= start - run_end <= 1 for _, run_end in runs)
        loose_place = label == "LOC" and bool(before) and before[-1].lower().strip(",;:()") not in _BEFORE_PLACE \
            and before[-1][-1].isalpha()
        if after_run or loose_place:
            runs.append((start, end))
        else:
            kept.append((start, end, label))
    return kept, sorted(runs)


@cache
def _province_regex() -> regex.Pattern[str]:
    from extractor.gazetteer import province_pattern

    return regex.compile(r"(?<![\p{L}\p{M}])" + province_pattern() + r"(?![\p{L}\p{M}])")


def _bare_places(text: str, spans: list[tuple[int, int, Label]]) -> list[tuple[int, int, Label]]:
    """Province names written alone after a preposition ("tại Hà Nội"): LOC."""
    out: list[tuple[int, int, Label]] = []
    for m in _province_regex().finditer(text):
        before = text[:m.start()].split()
        if any(m.start() < e and s < m.end() for s, e, _ in spans) or not before:
            continue
        if before[-1].lower() in _BEFORE_PLACE - {"tỉnh"}:
            out.append((m.start(), m.end(), "LOC"))
    return out


def silver(*, max_sentences: int = 6000, negatives: float = 0.15, seed: int = 0) -> list[Annotated]:
    """Rule-labelled sentences of the non-dev corpus-extra pages (``[]`` without ../shared).

    Sentences with at least one rule span are kept, plus a ``negatives``
    share of the others; at most ``max_sentences``, drawn with ``seed``.
    """
    from extractor.segment import split_sentences

    folder = corpus_extra_dir()
    if not folder.is_dir():
        return []
    rng = random.Random(seed)
    positive: list[Annotated] = []
    negative: list[Annotated] = []
    for path in sorted(folder.glob("*.md")):
        if path.name in dev_extra_files() or path.name == "SOURCES.md":
            continue
        text = path.read_text(encoding="utf-8")
        for i, sentence in enumerate(split_sentences(text)):
            s = sentence.text
            if not 20 <= len(s) <= 500 or "|" in s or mentions_held_out(s):
                continue
            found = [sp for sp in rule_spans(s) if not _IN_IDENTIFIER.search(s[max(0, sp[0] - 2):sp[0]])]
            found = sorted(found + _bare_places(s, found))
            spans, unknown = silver_labels(s, found)
            item = Annotated(f"silver-{path.stem}-{i}", s, tuple(spans), "train", "silver",
                             f"corpus-extra/{path.name}@{sentence.start}", tuple(unknown))
            (positive if spans else negative).append(item)
    rng.shuffle(positive)
    rng.shuffle(negative)
    n_neg = int(max_sentences * negatives)
    chosen = positive[: max_sentences - min(n_neg, len(negative))] + negative[:n_neg]
    return sorted(chosen, key=lambda a: a.id)


def gold_train_units(gold: list[Annotated]) -> list[Annotated]:
    """Training gold cut into lines (long seed texts become one example a line)."""
    out: list[Annotated] = []
    for item in gold:
        if item.split != "train":
            continue
        if "\n" not in item.text:
            out.append(item)
            continue
        pos = 0
        for n, line in enumerate(item.text.split("\n")):
            start, end = pos, pos + len(line)
            pos = end + 1
            if not line.strip() or any(s < end and start < e and not (start <= s and e <= end) for s, e, _ in item.spans):
                continue
            spans = tuple((s - start, e - start, lab) for s, e, lab in item.spans if start <= s and e <= end)
            out.append(Annotated(f"{item.id}:{n}", line, spans, "train", "gold", item.source))
    return out


def training_set(seed: int = 0, *, max_silver: int = 6000, n_augmented: int = 2500) -> list[Annotated]:
    """Everything the model trains on: gold train lines (three times), silver, augmented.

    Any text naming a held-out province or unit is dropped, whatever its source.
    """
    from extractor.ner.augment import augmented

    gold = gold_train_units(load_gold("train"))
    items = gold * 3 + silver(max_sentences=max_silver, seed=seed) + augmented(n_augmented, seed=seed)
    return [a for a in items if not mentions_held_out(a.text)]


def dev_set() -> list[Annotated]:
    """The dev split: two seeds, the dev sentences and the corpus-extra regions."""
    return load_gold("dev")
