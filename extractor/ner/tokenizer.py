"""A spaCy tokenizer for Vietnamese directives built on underthesea's word
segmentation.

A token is an underthesea word ("Bộ Chính trị" → ``Bộ``, ``Chính trị``), so a
multi-syllable word is one token whose text holds single spaces. Three repairs
keep the tokens useful for entity spans and the text exact:

- punctuation and symbols are split off ("Bí |" → ``Bí``, ``|``; "QĐ-UBND" →
  ``QĐ``, ``-``, ``UBND``), numbers keep their separators (``1.234,5``,
  ``11/8/2023``);
- a word is split where a lowercase syllable is followed by a capitalised one
  ("thường vụ Quốc hội" → ``thường vụ``, ``Quốc hội``): a capital starts a name;
- syllables join only across one plain space; other whitespace becomes
  spaCy whitespace tokens.

Whatever underthesea returns (it may normalise or drop characters), every
character of the input lands in exactly one token or in a token's trailing
space, so ``doc.text == text`` and token offsets index the input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import regex
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

TOKENIZER_NAME = "bienche.vi_words.v1"

_PIECE = regex.compile(r"\d+(?:[.,:/]\d+)+|[\p{L}\p{M}\p{N}]+|[^\s\p{L}\p{M}\p{N}]", regex.VERSION1)
_ALNUM = regex.compile(r"[\p{L}\p{M}\p{N}]+", regex.VERSION1)
_RESYNC_WINDOW = 40
_UY_OWNERS = frozenset({"tỉnh", "thành", "huyện", "quận", "thị", "xã", "phường", "đảng"})
_UY = frozenset({"ủy", "uỷ"})


def segment_words(text: str) -> list[str]:
    """underthesea's words of ``text`` (syllables joined by spaces); [] if it fails."""
    if not text.strip():
        return []
    try:
        from underthesea import word_tokenize

        words = word_tokenize(text)
    # any failure of the segmenter falls back to syllable tokens
    except Exception:  # noqa: BLE001
        return []
    return [w for w in words if isinstance(w, str) and w.strip()]


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _match_word(text: str, syllables: list[str], pos: int) -> list[tuple[int, int]] | None:
    """Offsets of each syllable when the word's syllables follow ``pos`` (whitespace between)."""
    spans: list[tuple[int, int]] = []
    for i, syllable in enumerate(syllables):
        if i:
            nxt = _skip_space(text, pos)
            if nxt == pos:
                return None
            pos = nxt
        if not text.startswith(syllable, pos):
            return None
        spans.append((pos, pos + len(syllable)))
        pos += len(syllable)
    return spans


def _align(text: str, words: list[str]) -> list[list[tuple[int, int]]]:
    """Each aligned word as its syllable offsets, in order; unaligned words are dropped."""
    aligned: list[list[tuple[int, int]]] = []
    cursor = 0
    for word in words:
        syllables = word.split()
        if not syllables:
            continue
        start = _skip_space(text, cursor)
        spans = _match_word(text, syllables, start)
        if spans is None:
            limit = min(len(text), start + len(word) + _RESYNC_WINDOW)
            at = text.find(syllables[0], start, limit)
            spans = _match_word(text, syllables, at) if at >= 0 else None
        if spans is None:
            continue
        aligned.append(spans)
        cursor = spans[-1][1]
    return aligned


def _pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Non-whitespace stretch ``text[start:end]`` cut into alnum runs, numbers and single symbols."""
    for m in _PIECE.finditer(text, start, end):
        yield m.start(), m.end()


def _joinable(text: str, prev: tuple[int, int], cur: tuple[int, int]) -> bool:
    """Whether syllable ``cur`` continues the word that ends with syllable ``prev``."""
    if text[prev[1]:cur[0]] != " ":
        return False
    if not (_ALNUM.fullmatch(text, prev[0], prev[1]) and _ALNUM.fullmatch(text, cur[0], cur[1])):
        return False
    return not (text[prev[0]].islower() and text[cur[0]].isupper())


def token_spans(text: str, words: list[str] | None = None) -> list[tuple[int, int]]:
    """Sorted, non-overlapping (start, end) of every non-whitespace token of ``text``.

    ``words`` is the word segmentation to follow (underthesea's when None).
    """
    if words is None:
        words = segment_words(text)
    spans: list[tuple[int, int]] = []
    covered = 0

    def fill(upto: int) -> None:
        # text no word covered: one token per piece
        spans.extend(_pieces(text, covered, upto))

    for syllables in _align(text, words):
        fill(syllables[0][0])
        group: tuple[int, int] | None = None
        prev: tuple[int, int] | None = None
        for syllable in syllables:
            if group is not None and prev is not None and _joinable(text, prev, syllable):
                group = (group[0], syllable[1])
            elif _ALNUM.fullmatch(text, syllable[0], syllable[1]):
                if group is not None:
                    spans.append(group)
                group = syllable
            else:
                if group is not None:
                    spans.append(group)
                group = None
                spans.extend(_pieces(text, syllable[0], syllable[1]))
                prev = None
                continue
            prev = syllable
        if group is not None:
            spans.append(group)
        covered = syllables[-1][1]
    fill(len(text))
    return _join_uy(text, spans)


def _join_uy(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """"Tỉnh" + "ủy kí" → "Tỉnh ủy" + "kí": a party committee's name is one token."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(spans):
        start, end = spans[i]
        if i + 1 < len(spans) and text[start:end].lower() in _UY_OWNERS and text[end:spans[i + 1][0]] == " ":
            nxt_start, nxt_end = spans[i + 1]
            first = text[nxt_start:nxt_end].split(" ", 1)
            if first[0].lower() in _UY:
                uy_end = nxt_start + len(first[0])
                out.append((start, uy_end))
                if uy_end < nxt_end:
                    out.append((uy_end + 1, nxt_end))
                i += 2
                continue
        out.append((start, end))
        i += 1
    return out


def words_and_spaces(text: str, spans: list[tuple[int, int]]) -> tuple[list[str], list[bool]]:
    """spaCy ``words``/``spaces`` for ``text`` cut at ``spans``; other whitespace becomes tokens."""
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for start, end in spans:
        _add_gap(text[pos:start], words, spaces)
        words.append(text[start:end])
        spaces.append(False)
        pos = end
    _add_gap(text[pos:], words, spaces)
    return words, spaces


def _add_gap(gap: str, words: list[str], spaces: list[bool]) -> None:
    """Text between two words: its first space joins the previous word, the rest is a token."""
    if gap and words and gap[0] == " " and not spaces[-1]:
        spaces[-1] = True
        gap = gap[1:]
    if gap:
        words.append(gap)
        spaces.append(False)


class VietnameseWordTokenizer:
    """Text → Doc with underthesea words as tokens; ``doc.text`` equals the input."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        """The Doc of ``text``."""
        words, spaces = words_and_spaces(text, token_spans(text))
        return Doc(self.vocab, words=words, spaces=spaces)

    def from_words(self, text: str, words: list[str]) -> Doc:
        """The Doc of ``text`` following an already computed segmentation ``words``."""
        tokens, spaces = words_and_spaces(text, token_spans(text, words))
        return Doc(self.vocab, words=tokens, spaces=spaces)

    def pipe(self, texts: Any, batch_size: int = 1000) -> Iterator[Doc]:
        """Docs of ``texts``, one by one."""
        for text in texts:
            yield self(text)

    # The tokenizer has no state: serialisation writes and reads nothing.
    def to_bytes(self, **_kwargs: Any) -> bytes:
        """Empty: nothing to save."""
        return b""

    def from_bytes(self, _data: bytes, **_kwargs: Any) -> VietnameseWordTokenizer:
        """Itself: nothing to load."""
        return self

    def to_disk(self, _path: str | Path, **_kwargs: Any) -> None:
        """Nothing to save."""

    def from_disk(self, _path: str | Path, **_kwargs: Any) -> VietnameseWordTokenizer:
        """Itself: nothing to load."""
        return self


def create_tokenizer() -> Callable[[Language], VietnameseWordTokenizer]:
    """The factory spaCy's config names as ``@tokenizers = "bienche.vi_words.v1"``."""

    def make(nlp: Language) -> VietnameseWordTokenizer:
        return VietnameseWordTokenizer(nlp.vocab)

    return make


registry.tokenizers.register(TOKENIZER_NAME, func=create_tokenizer)
