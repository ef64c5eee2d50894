"""Mentions from the trained model, their combination with the rules, and the
hooks figure attachment uses.

Confidence of a model mention: the probability that the greedy decoder takes
exactly this span's actions (begin, inside ..., last; or unit) given the
decisions before it — the product, over the span's tokens, of the softmax of
the model's action scores among the actions valid there. 0.9 means the
decoder was that sure of starting here, continuing and stopping here. It is
not calibrated against gold; evaluation/ner/RESULTS.md shows how precision
varies with it. Rule mentions keep confidence 1.0.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import regex

from extractor import overlap
from extractor.annotated import CategoryMention
from extractor.models import Figure, Mention, OrgMention
from extractor.patterns import compiled, entries
from extractor.rules.spans import ByStart

if TYPE_CHECKING:  # spaCy and numpy load only when the model runs: rules mode starts fast
    from spacy.language import Language
    from spacy.tokens import Doc, Span

Mode = Literal["rules", "model", "both"]
_M = TypeVar("_M", bound=Mention)


@cache
def _category_entries() -> list[tuple[str, str]]:
    return [(e.id, str(getattr(e, "category"))) for e in entries("categories")]  # noqa: B009 - an extra field


def category_key(phrase: str) -> str | None:
    """The categories.yaml key of a category phrase (its longest full match), else by keywords."""
    best: tuple[int, str] | None = None
    for entry_id, category in _category_entries():
        m = compiled("categories", entry_id).match(phrase)
        if m and (best is None or m.end() > best[0]):
            best = (m.end(), category)
    if best is not None and best[0] >= len(phrase.rstrip(" ,")) - 1:
        return best[1]
    low = phrase.lower()
    for words, category in (("không chuyên trách", "part_time_commune"), ("nguồn thu sự nghiệp", "self_financed"),
                            ("hợp đồng", "contract_workers"), ("lãnh đạo", "leaders"), ("viên chức", "public_employees"),
                            ("người làm việc", "public_employees"), ("công chức", "officials")):
        if words in low:
            return "commune_officials" if category == "officials" and "cấp xã" in low else category
    return best[1] if best else None


def find_categories_rules(text: str, offset: int = 0) -> list[CategoryMention]:
    """Category phrases the patterns find, longest first, never overlapping."""
    found: list[tuple[int, int, str]] = []
    for entry_id, category in _category_entries():
        for m in compiled("categories", entry_id).finditer(text):
            if m.end() > m.start():
                found.append((m.start(), m.end(), category))
    taken = [(m.start, m.end, m.category) for m in overlap.resolve(
        [CategoryMention(start=s, end=e, text="", category=c) for s, e, c in found], "longest")]
    return [
        CategoryMention(start=s + offset, end=e + offset, text=text[s:e], category=c)
        for s, e, c in sorted(taken)
    ]


_SURROGATE = regex.compile(r"[\ud800-\udfff]")


def _lines(text: str) -> Iterator[tuple[int, str]]:
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            yield pos, line
        pos += len(line) + 1


def _nlp() -> Language:
    from extractor.ner.pipeline import load_model

    return load_model()


def _decode(nlp: Language, docs: list[Doc]) -> list[dict[int, float]]:
    """Greedy NER decoding of ``docs`` (sets their ents) and, per doc, the
    probability of the action taken at each token: the softmax of the model's
    scores over the actions valid in that state."""
    import numpy

    ner: Any = nlp.get_pipe("ner")
    names = [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)]
    probs: list[dict[int, float]] = [{} for _ in docs]
    states = ner.moves.init_batch(docs)
    active = [(i, s) for i, s in enumerate(states) if not s.is_final()]
    step_model = ner.model.predict(docs) if active else None
    while active and step_model is not None:
        scores = step_model.predict([s for _, s in active])
        for (i, state), row in zip(active, scores):
            probs[i][int(state.B(0))] = _chosen_probability(ner.moves, state, names, numpy.asarray(row, dtype="f8"))
        ner.transition_states([s for _, s in active], scores)
        active = [(i, s) for i, s in active if not s.is_final()]
    ner.set_annotations(docs, states)
    return probs


NEGLIGIBLE = 9.2
"""Actions scoring this far below the best valid one (e^-9.2 ≈ 1e-4 of its weight)
are left out of the softmax: checking their validity costs more than they weigh."""


def _chosen_probability(moves: Any, state: Any, names: list[str], row: Any) -> float:
    """Softmax probability of the best valid action among the valid actions near it."""
    import numpy

    order = numpy.argsort(-row)
    best: float | None = None
    total = 0.0
    for k in order:
        score = float(row[k])
        if best is not None and score < best - NEGLIGIBLE:
            break
        if not moves.is_valid(state, names[k]):
            continue
        if best is None:
            best = score
        total += float(numpy.exp(score - best))
    return 1.0 / total if total else 1.0


def _trim(ent: Span) -> tuple[int, int] | None:
    """Character offsets of ``ent`` without leading and trailing punctuation or space; None if nothing is left."""
    tokens = [t for t in ent]
    while tokens and (tokens[0].is_punct or tokens[0].is_space):
        tokens.pop(0)
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
        tokens.pop()
    if not tokens:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def model_spans(text: str, *, nlp: Language | None = None,
                spans: list[tuple[int, int]] | None = None) -> list[tuple[int, int, str, float]]:
    """(start, end, label, confidence) of the model's entities in ``text``, line by line,
    or only in the given ``spans`` (the sentences that need the model).

    ``nlp`` is the shipped model unless given.
    """
    import numpy

    nlp = nlp or _nlp()
    whole = [(s, text[s:e]) for s, e in spans] if spans is not None else list(_lines(text))
    pieces = [window for pos, piece in whole for window in _windows(pos, piece)]
    out: list[tuple[int, int, str, float]] = []
    for batch in _batches(pieces):
        # a lone surrogate (undecodable byte kept by "surrogateescape") cannot enter spaCy;
        # U+FFFD has the same length, so offsets hold
        docs = [nlp.make_doc(_SURROGATE.sub("\ufffd", piece)) for _, piece in batch]
        for (pos, _), doc, probs in zip(batch, docs, _decode(nlp, docs) if docs else []):
            for ent in doc.ents:
                trimmed = _trim(ent)
                if trimmed is not None:
                    conf = float(numpy.prod([probs.get(t.i, 1.0) for t in ent]))
                    out.append((pos + trimmed[0], pos + trimmed[1], ent.label_, round(conf, 4)))
    return out


MAX_PIECE = 20_000
"""Characters of one text the model reads at once; a longer line or sentence is cut at
a space into windows (spaCy refuses texts over 1 M characters, error E088, and its
memory grows with the text). Real sentences stay far below."""
BATCH_CHARS = 200_000
"""Characters decoded in one model batch: memory stays bounded on a long document,
and a normal document is decoded in one batch, as it always was."""


def _windows(pos: int, piece: str) -> list[tuple[int, str]]:
    """``piece`` (at offset ``pos``) as windows of at most MAX_PIECE characters, cut after a space."""
    out: list[tuple[int, str]] = []
    start = 0
    while len(piece) - start > MAX_PIECE:
        cut = piece.rfind(" ", start + MAX_PIECE // 2, start + MAX_PIECE) + 1 or start + MAX_PIECE
        out.append((pos + start, piece[start:cut]))
        start = cut
    out.append((pos + start, piece[start:]))
    return out


def _batches(pieces: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Consecutive groups of pieces of at most BATCH_CHARS characters (at least one piece each)."""
    out: list[list[tuple[int, str]]] = []
    size = 0
    for piece in pieces:
        if not out or size + len(piece[1]) > BATCH_CHARS:
            out.append([])
            size = 0
        out[-1].append(piece)
        size += len(piece[1])
    return out


def model_mentions(text: str, spans: list[tuple[int, int]], province: str | None
                   ) -> tuple[list[OrgMention], list[CategoryMention]]:
    """ORG/LOC and CATEGORY mentions from ONE model run over ``spans`` of ``text``."""
    from extractor.rules.orgs import canonical_name, resolve_local

    orgs: list[OrgMention] = []
    categories: list[CategoryMention] = []
    for start, end, label, conf in model_spans(text, spans=spans):
        written = text[start:end]
        if label == "CATEGORY":
            categories.append(CategoryMention(start=start, end=end, text=written, extractor="model",
                                              confidence=conf, category=category_key(written)))
        elif label in ("ORG", "LOC"):
            orgs.append(OrgMention(start=start, end=end, text=written, extractor="model", confidence=conf,
                                   name=resolve_local(canonical_name(written), province),
                                   label="LOC" if label == "LOC" else "ORG"))
    return orgs, categories


def find_orgs_model(
    text: str, offset: int = 0, province: str | None = None, *, nlp: Language | None = None
) -> list[OrgMention]:
    """ORG and LOC mentions the model finds (``extractor="model"``, beam confidence)."""
    from extractor.rules.orgs import canonical_name, resolve_local

    out: list[OrgMention] = []
    for start, end, label, conf in model_spans(text, nlp=nlp):
        if label not in ("ORG", "LOC"):
            continue
        written = text[start:end]
        out.append(OrgMention(
            start=start + offset, end=end + offset, text=written, extractor="model", confidence=conf,
            name=resolve_local(canonical_name(written), province), label="LOC" if label == "LOC" else "ORG",
        ))
    return out


def find_categories_model(text: str, offset: int = 0, *, nlp: Language | None = None) -> list[CategoryMention]:
    """Category phrases the model finds (``extractor="model"``)."""
    return [
        CategoryMention(start=s + offset, end=e + offset, text=text[s:e], extractor="model", confidence=c,
                        category=category_key(text[s:e]))
        for s, e, label, c in model_spans(text, nlp=nlp)
        if label == "CATEGORY"
    ]


MIN_CONFIDENCE = 0.5
"""A model mention enters a combination only with at least this confidence: the
beam gives it at least half its probability mass (fixed before measuring)."""


def _merge(rules: list[_M], model: list[_M], extend: bool) -> list[_M]:
    confident = [m for m in model if m.confidence >= MIN_CONFIDENCE]
    return overlap.extend(rules, confident, replace_contained=extend)


def combine(rule_mentions: list[OrgMention], model_mentions: list[OrgMention], *, extend: bool = True) -> list[OrgMention]:
    """Rules decide where they match; the model adds what they miss.

    Only model mentions with confidence at least ``MIN_CONFIDENCE`` take
    part. One overlapping no rule mention is added. One that contains rule
    mentions entirely and is longer (a name built around them: the rules'
    place "tỉnh Cà Mau" inside "Trường Chính trị tỉnh Cà Mau") replaces them
    when ``extend``. A model mention that cuts a rule mention is dropped.
    """
    return _merge(rule_mentions, model_mentions, extend)


def combine_categories(rules: list[CategoryMention], model: list[CategoryMention], *, extend: bool = False) -> list[CategoryMention]:
    """As ``combine``, for category phrases, but by default a model phrase never
    replaces a rule phrase: the category vocabulary is the rules' own."""
    return _merge(rules, model, extend)


def orgs_for(text: str, rule_orgs: list[OrgMention], mode: Mode) -> list[OrgMention]:
    """The org mentions the pipeline reports for ``mode``: rules', model's, or both combined."""
    if mode == "rules":
        return rule_orgs
    from extractor.rules.orgs import document_province

    model = find_orgs_model(text, province=document_province(text))
    return model if mode == "model" else combine(rule_orgs, model)


def categories_for(text: str, mode: Mode) -> list[CategoryMention]:
    """Category mentions for ``mode``."""
    rules = find_categories_rules(text) if mode != "model" else []
    if mode == "rules":
        return rules
    model = find_categories_model(text)
    return model if mode == "model" else combine_categories(rules, model)


def _written(text: str) -> str:
    return str(regex.sub(r"\s+", " ", text)).strip(" ,;:.-")


def org_in_subject(subject: str, orgs: list[OrgMention] | None = None) -> str | None:
    """The unit a figure's subject phrase names, when the phrase has words around it.

    ``subject`` is the text before "là / được giao / có" that the figure rules
    take as the org ("Năm 2024, Trường Chính trị tỉnh Cà Mau"). Returns the
    last ORG mention the subject ends with when text precedes it, else None
    (keep the subject as it is). Only fronted words count as "text before"
    (a time or discourse phrase, or anything up to a comma), so "Các cơ quan
    chuyên môn thuộc Ủy ban nhân dân tỉnh X" stays whole. ``orgs`` are
    mentions found in ``subject``
    (offsets into it); by default the rules and the model are run on it.
    """
    if orgs is None:
        from extractor.rules.orgs import find_orgs

        orgs = combine(find_orgs(subject), find_orgs_model(subject))
    tail = subject.rstrip(" ,;:")
    for org in sorted((o for o in orgs if o.label == "ORG"), key=lambda o: o.end, reverse=True):
        if org.end >= len(tail) and org.start > 0 and _FRONTED.fullmatch(subject[:org.start]):
            return _written(org.text)
    return None


_FRONTED = regex.compile(
    r"(?:[^,]*,\s*|.*\b(?:năm|giai\s+đoạn)\s+\d{4}\b[\s,]*|(?:theo\s+đó|hiện\s+nay|trong\s+đó|cụ\s+thể)[\s,]*)",
    regex.IGNORECASE,
)
"""Words fronted before the unit a subject names: "Năm 2024, ", "Theo kế hoạch, năm 2026 "."""


CLAUSE_REACH = 5000
"""Characters before a figure searched for the start of its clause (and its org mentions)."""


def _clause_start(text: str, pos: int) -> int:
    depth, i = 0, pos - 1
    lo = max(0, pos - CLAUSE_REACH)
    line_start = text.rfind("\n", lo, pos) + 1 or lo
    while i >= line_start:
        ch = text[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            depth = max(0, depth - 1)
        elif depth == 0 and (ch == ";" or (ch in ".?!" and text[i + 1:i + 2] == " ")):
            return i + 1
        i -= 1
    return line_start


def _outside_brackets(text: str, start: int, clause: int) -> bool:
    """Whether offset ``start`` is outside every bracket opened since ``clause``."""
    return text.count("(", clause, start) <= text.count(")", clause, start)


def refine_figures(text: str, figures: list[Figure], orgs: list[OrgMention],
                   categories: list[CategoryMention]) -> list[Figure]:
    """Figures with org and category taken from mention spans where the rules' subject is off.

    For a figure that is not a part of another: the last ORG mention of its
    clause before the number (outside brackets) replaces ``org`` when the
    rules found no subject, when the subject ends with that mention but has
    words before it ("Năm 2024, Sở Y tế ..."), or when the subject holds no
    ORG mention at all. A category mention right after the unit fills a
    missing or "total" category. Parts ("bao gồm ...") follow their head, or keep the
    org their own item names.
    """
    before: dict[str, str | None] = {}
    after_org: dict[str, str | None] = {}
    by_start, following = ByStart(orgs), ByStart(categories)
    names = {_written(o.text) for o in orgs if o.label == "ORG"} - {""}
    previous: Figure | None = None
    for fig in figures:
        before[fig.id] = fig.org
        if fig.parent is not None and fig.parent in before and fig.org == before[fig.parent]:
            fig.org = after_org[fig.parent]
        elif fig.parent is None or fig.org is None:  # a part's own item label ("trong đó văn phòng Sở 60") stays
            _refine_org(text, fig, by_start, names, previous)
        after_org[fig.id] = fig.org
        previous = fig
        if fig.category in (None, "total"):
            nxt = following.first(fig.end, fig.end + 3, lambda c: bool(c.category) and not text[fig.end:c.start].strip())
            # "210 người; viên chức 2.240 người": a category past punctuation names the next figure
            if nxt is not None:
                fig.category = nxt.category
    return figures


_PASSIVE_AGENT = regex.compile(r"(?<!\p{L})(?:được|do|bởi)\s+$", regex.IGNORECASE)
"""The word before the body that gives or decides ("tỉnh được Bộ Nội vụ giao 2.450 biên chế"):
that body is the giver, not whose staff the figure counts."""


def _refine_org(text: str, fig: Figure, orgs: ByStart[OrgMention], names: set[str], previous: Figure | None = None) -> None:
    clause = _clause_start(text, fig.start)
    # the patterns are "^"-anchored: matched on the clause itself, since "^" holds at no other position
    label = compiled("figures", "figure.answer_label").match(text[clause:fig.start])  # "Trả lời: Theo …"
    clause += label.end() if label else 0
    source = compiled("figures", "figure.subject_source").match(text[clause:fig.start])
    since = clause + source.end() if source else clause  # "Theo báo cáo của Bộ Nội vụ, …": the source is not whose
    candidates = [o for o in orgs.between(since, fig.start) if o.label == "ORG" and o.end <= fig.start
                  and _outside_brackets(text, o.start, clause)
                  and not _PASSIVE_AGENT.search(text, max(clause, o.start - 8), o.start)]  # "tỉnh được Bộ Nội vụ giao"
    if not candidates:
        return
    name = _written(candidates[-1].text)
    if fig.org is None and previous is not None and previous.start >= clause and previous.org \
            and name in previous.org and name != previous.org:
        fig.org = previous.org  # "Các cơ quan đảng, Mặt trận Tổ quốc …: năm 2022 là 1.210, đến năm 2026 còn 1.150": the whole label
        return
    subject = fig.org or ""
    named = any(written in subject for written in names)
    fronted = subject.endswith(name) and _FRONTED.fullmatch(subject[: len(subject) - len(name)]) is not None
    if not subject or fronted or not named:
        fig.org = name
