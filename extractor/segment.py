"""Stage 2: sentences (and list items, headings) with offsets; word tokens on demand.

Sentence splitting is rule-based and fast (it runs on every text); underthesea's
word segmentation is slower (~1.7 ms a sentence) and runs only where a caller
asks for tokens.
"""

from __future__ import annotations

from functools import lru_cache

import regex

from extractor.models import Sentence, Token

_BOUNDARY = regex.compile(r"(?<=[.!?…])[\"”']?\s+(?=[\"“(\-+•]?\s?[\p{Lu}\d])")
_ABBREVIATION = regex.compile(r"(?:^|[\s(])(?:\p{Lu}|\p{Lu}\.\p{Lu}\p{Ll}?|TP|Tp|TT|ThS|TS|PGS|GS|BS|St|Ths|Nxb|Tr|tr|Th|Ng|v\.v)\.$")
"""An abbreviation's full stop ("TP. Hồ Chí Minh", "Ng. Văn A", "P. Bến Nghé") ends no sentence;
a capitalised word of two or three letters does ("… huyện Gia Lâm. Châu Gia Lâm gồm …"): Vietnamese
syllables are that short."""


_LIST_NUMBER = regex.compile(r"^\s*(?:[IVX]{1,4}|\d{1,2}(?:\.\d{1,2})*|[a-zđ])[.)]$")


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text``: each line is split at sentence-final punctuation (built
    unvalidated: the spans are this function's own, and a page has thousands)."""
    return [Sentence.trusted(start=start, end=end, text=text[start:end]) for start, end in _sentence_spans(text)]


@lru_cache(maxsize=2)
def _sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Where each sentence of ``text`` starts and ends; kept for the last texts
    split, since the checker splits the text the pipeline already split (the
    sentences themselves are made anew for each caller, who may change them)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        start = 0
        for boundary in _BOUNDARY.finditer(line):
            head = line[start:boundary.start()]
            if _ABBREVIATION.search(head) or _LIST_NUMBER.match(head):
                continue
            _append(spans, text, line_start + start, line_start + boundary.start())
            start = boundary.end()
        _append(spans, text, line_start + start, line_start + len(line))
    return tuple(spans)


def _append(out: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """underthesea word tokens of ``text`` with offsets (shifted by ``offset``)."""
    from underthesea import word_tokenize

    tokens: list[Token] = []
    cursor = 0
    for word in word_tokenize(text):
        found = _find_token(text, word, cursor)
        if found is None:
            continue
        start, end = found
        tokens.append(Token(start=offset + start, end=offset + end, text=text[start:end]))
        cursor = end
    return tokens


def _find_token(text: str, word: str, cursor: int) -> tuple[int, int] | None:
    at = text.find(word, cursor)
    if at >= 0:
        return at, at + len(word)
    parts = word.split()
    if not parts:
        return None
    pattern = r"\s+".join(regex.escape(p) for p in parts)
    match = regex.compile(pattern).search(text, cursor)
    return (match.start(), match.end()) if match else None


def sentence_at(sentences: list[Sentence], offset: int) -> Sentence | None:
    """The sentence holding ``offset``, if any (sentences are sorted)."""
    lo, hi = 0, len(sentences) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        s = sentences[mid]
        if offset < s.start:
            hi = mid - 1
        elif offset >= s.end:
            lo = mid + 1
        else:
            return s
    return None
