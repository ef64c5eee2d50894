"""Which encoding Vietnamese text is in, decided by evidence: the reading whose
words are valid Vietnamese syllables (``extractor.ingest.syllable``) wins.

A *reading* is a way to turn the text into Unicode: ``""`` (the text as it is),
the legacy tables TCVN3 (ABC), VNI and VISCII (viparse's tables, applied to
legacy bytes shown as Latin-1 characters: ``0xB5`` -> ``µ``) and, for raw 8-bit
bytes, Windows-1258 (``cp1258``). Only whitespace-separated chunks that hold a
character some reading changes (U+0080-U+00FF, VISCII's C0 letters, a PDF's
U+2212/U+2219) are scored, so ASCII words (``TW``, ``KL``, ``UBND``, English) never
count for or against a reading; inside those chunks a word that is not a valid
syllable counts against a reading unless it is technical (digits, slashes),
all capitals (``QĐ``, ``HĐND``) or ASCII. Each distinct chunk is scored once per
reading, so the cost is linear in the text and small.

Decisions (``decide``): text that already reads as good Vietnamese stays as it
is, and so does text that would still be mostly non-Vietnamese words after the
conversion (French, English: ``_mostly_vietnamese``); otherwise a reading must beat the others *clearly* (by two words and a
tenth of the evidence); when two readings are close the verdict names both
(``ambiguous``) and the conservative reading is kept. Text that is already
Unicode (``fix_unicode``) is judged line by line, so a legacy sentence pasted
into a UTF-8 file is converted alone, and a chunk holding a letter only Unicode
has (``đ``, ``ư``, ``ế``) is never converted.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from viparse.normalize.encodings import CHARMAPS

from extractor.ingest.syllable import is_common, is_syllable

UNICODE = ""
LEGACY = ("tcvn3", "vni", "viscii")
UNICODE_READINGS = (UNICODE, *LEGACY)
BYTE_READINGS = ("cp1258", *LEGACY)
LABELS = {UNICODE: "Unicode", "cp1258": "Windows-1258", "tcvn3": "TCVN3", "vni": "VNI", "viscii": "VISCII", "vps": "VPS"}

_AFFECTED = re.compile("[\x80-\xff\x02\x05\x06\x14\x19\x1e\u2212\u2219]")
_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_SPLIT = re.compile(r"([ \t\n\r\f\v]+)")
# a whole chunk holding an affected character (the look-behind keeps it linear)
_CHUNK = re.compile(r"(?<![^ \t\n\r\f\v])[^ \t\n\r\f\v]*?" + _AFFECTED.pattern + r"[^ \t\n\r\f\v]*")
_NON_LETTERS = re.escape("".join(  # ² ³ ¼ ...: word characters that are not letters
    ch for ch in map(chr, range(0x80, 0x3000))
    if ch.isalnum() and not ch.isalpha() and not ch.isdecimal()
))
# a Latin-1 symbol inside a word (``c¸c``, ``n©ng``), or a C1 control / spacing
# accent next to a letter (``tr¸``, ``\x9cy``): no Vietnamese word has one
_STUCK = "\x02\x05\x06\x14\x19\x1e" + "".join(map(chr, range(0x80, 0xA0))) + "\xa8\xaf\xb4\xb8"
_INSIDE = "".join(ch for ch in map(chr, range(0xA1, 0xC0)) if not ch.isalpha() and ch not in _STUCK)
_LETTER = r"[^\W\d_]"
_WEDGED = re.compile(
    rf"(?<={_LETTER})[{re.escape(_STUCK)}]|[{re.escape(_STUCK)}](?={_LETTER})|(?<={_LETTER})[{re.escape(_INSIDE)}](?={_LETTER})"
)
_RUN = re.compile(rf"(?:[^\W\d_{_NON_LETTERS}]|[\u0300-\u036f])+")
_TECHNICAL = re.compile(r"[0-9/\\@_=#%&+]")
_GLYPH = re.compile(r"(?<=[^\W\d_])[\u2212\u2219]|[\u2212\u2219](?=[^\W\d_])")
_GLYPHS = {"\u2212": "\xad", "\u2219": "\xb7"}
_UNICODE_ONLY = re.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]")
_ASCII_WORD = re.compile(r"(?<!\S)[\"'(\[]*([A-Za-z][a-z]+)[\"')\].,;:!?]*(?!\S)")
_FOREIGN_SHARE = 0.5
_COMMON_BONUS = 0.25
_GOOD_INVALID_SHARE = 0.03
_CACHE_LIMIT = 400_000
_values: dict[tuple[str, str], tuple[int, int, int]] = {}


@lru_cache(maxsize=8)
def _table(encoding: str) -> tuple[re.Pattern[str], dict[str, str]]:
    """viparse's charmap for ``encoding`` as one regex (longest sequence first) and a dict."""
    pairs = CHARMAPS[encoding].pairs
    pattern = "|".join(re.escape(source) for source, _ in sorted(pairs, key=lambda p: -len(p[0])))
    return re.compile(pattern), dict(pairs)


def to_unicode(text: str, encoding: str) -> str:
    """``text`` read as ``encoding`` (a reading name), in NFC. Legacy tables work
    as viparse's ``convert`` does (one left-to-right scan, longest sequence first,
    a PDF's U+2212/U+2219 next to a letter taken as ư/ã) without its whitespace
    clean-up; ``cp1258`` takes each character as the byte of the same number."""
    if encoding == UNICODE:
        return text
    if encoding == "cp1258":
        raw = text.encode("latin-1", errors="replace").decode("cp1258", errors="replace")
        return unicodedata.normalize("NFC", raw)
    pattern, mapping = _table(encoding)
    if "\u2212" in text or "\u2219" in text:
        text = _GLYPH.sub(lambda m: _GLYPHS[m.group(0)], text)
    return unicodedata.normalize("NFC", pattern.sub(lambda m: mapping[m.group(0)], text))


def affected_chunks(text: str) -> Counter[str]:
    """The whitespace-separated chunks of ``text`` that some reading changes, counted."""
    if _AFFECTED.search(text) is None:
        return Counter()
    return Counter(_CHUNK.findall(text))


@dataclass(frozen=True)
class Score:
    """The evidence for one reading: valid syllables (``common`` of them frequent
    ones) and words that are not Vietnamese."""

    valid: int = 0
    invalid: int = 0
    common: int = 0

    @property
    def value(self) -> float:
        """Valid words minus invalid ones, frequent syllables weighing a little more."""
        return self.valid - self.invalid + _COMMON_BONUS * self.common

    @property
    def share(self) -> float:
        """Share of the counted words that are valid syllables (1.0 with no evidence)."""
        total = self.valid + self.invalid
        return self.valid / total if total else 1.0

    @property
    def good(self) -> bool:
        """Whether the reading is already good Vietnamese: one invalid word (a
        typo, a foreign name) at most, or 3 % of the valid ones."""
        return self.invalid <= max(1.0, _GOOD_INVALID_SHARE * self.valid)

    @property
    def clean(self) -> bool:
        """Whether the reading has next to no invalid words (3 % of the valid ones)."""
        return self.invalid <= _GOOD_INVALID_SHARE * self.valid


def _judge_words(converted: str, technical: bool, eth: bool) -> tuple[int, int, int]:
    """(valid, invalid, common) words of one converted chunk; ``eth``: the text
    as it is, where ``Ð``/``ð`` (U+00D0/U+00F0) typed for ``Đ``/``đ`` is forgiven."""
    valid = common = 0
    invalid = len(_WEDGED.findall(converted))
    for run in _RUN.findall(converted):
        if run.isascii():  # the same in every reading (TW, KL, English), or a fragment
            continue
        if is_syllable(run, eth):
            valid += 1
            common += is_common(run)
        elif not (technical or len(run) > 1 and run.isupper() and _UNICODE_ONLY.search(run)):
            invalid += 1  # capitals only excused with a letter legacy text never shows (QĐ, HĐND)
    return valid, invalid, common


def _fill_cache(chunks: Iterable[str], readings: Sequence[str]) -> None:
    """Score every chunk not yet scored under each reading (one conversion per reading)."""
    if len(_values) > _CACHE_LIMIT:
        _values.clear()
    for reading in readings:
        todo = [chunk for chunk in chunks if (reading, chunk) not in _values]
        if not todo:
            continue
        converted = to_unicode("\n".join(todo), reading).split("\n")
        if len(converted) != len(todo):  # pragma: no cover - a table that makes newlines
            converted = [to_unicode(chunk, reading) for chunk in todo]
        for chunk, text in zip(todo, converted):
            _values[reading, chunk] = _judge_words(text, _TECHNICAL.search(chunk) is not None, reading == UNICODE)


def _value(reading: str, chunk: str) -> tuple[int, int, int]:
    """(valid, invalid, common) words of ``chunk`` under ``reading`` (scored if need be)."""
    found = _values.get((reading, chunk))
    if found is None:
        _fill_cache([chunk], (reading,))
        found = _values[reading, chunk]
    return found


def score(chunks: Counter[str], readings: Sequence[str]) -> dict[str, Score]:
    """The evidence for each reading over ``chunks`` (from ``affected_chunks``)."""
    _fill_cache(chunks, readings)
    out: dict[str, Score] = {}
    for reading in readings:
        valid = invalid = common = 0
        for chunk, count in chunks.items():
            v, i, c = _values[reading, chunk]
            valid, invalid, common = valid + count * v, invalid + count * i, common + count * c
        out[reading] = Score(valid, invalid, common)
    return out


def clearly_better(a: Score, b: Score) -> bool:
    """Whether reading ``a`` beats ``b`` by at least two words and a tenth of the evidence."""
    evidence = max(a.valid + a.invalid, b.valid + b.invalid)
    return a.value - b.value >= max(2.0, 0.1 * evidence)


@dataclass(frozen=True)
class Verdict:
    """The reading chosen for a text and, when two readings were too close to
    call, the pair (``ambiguous``); ``scores`` holds the evidence."""

    encoding: str
    scores: dict[str, Score]
    ambiguous: tuple[str, str] | None = None


def _same_output(chunks: Iterable[str], a: str, b: str) -> bool:
    """Whether readings ``a`` and ``b`` turn every chunk into the same text."""
    return all(to_unicode(chunk, a) == to_unicode(chunk, b) for chunk in chunks)


def decide(chunks: Counter[str], readings: Sequence[str], base: str | None) -> Verdict:
    """The best reading of ``chunks`` among ``readings`` (earlier ones win ties).
    ``base`` (the text as it is) is kept when it reads well, when nothing beats
    it clearly, and when the two best other readings are close; without a base
    the close call goes to ``cp1258`` if it is one of the two, else the best."""
    scores = score(chunks, readings)
    ranked = sorted(readings, key=lambda r: (-scores[r].value, readings.index(r)))
    best = ranked[0]
    if base is not None:
        if best == base or scores[best].valid == 0:
            return Verdict(base, scores)
        if not clearly_better(scores[best], scores[base]):
            return Verdict(base, scores, (base, best) if scores[best].clean else None)
    for rival in ranked[1:]:
        if rival == base or scores[rival].valid == 0 or clearly_better(scores[best], scores[rival]):
            continue
        if _same_output(chunks, best, rival):
            continue
        keep = base if base is not None else "cp1258" if "cp1258" in (best, rival) else best
        return Verdict(keep, scores, (best, rival))
    return Verdict(best, scores)


@dataclass(frozen=True)
class Fixed:
    """Unicode text with legacy letters converted: ``encoding`` is the legacy
    reading used ("" for none), ``lines`` how many lines were converted when only
    some were (0 when all that hold legacy letters were), ``ambiguous`` a close
    call left as it is."""

    text: str
    encoding: str
    lines: int = 0
    ambiguous: tuple[str, str] | None = None


def _ascii_words(text: str) -> tuple[int, int]:
    """(valid, invalid) plain-ASCII words of ``text``: the same in every reading,
    they tell Vietnamese text from French or English."""
    words = Counter(_ASCII_WORD.findall(text))
    wrong = sum(count for word, count in words.items() if not is_syllable(word))
    return sum(words.values()) - wrong, wrong


def _mostly_vietnamese(scored: Score, ascii_words: tuple[int, int]) -> bool:
    """Whether at least half of all the words of a reading (its scored words and
    the plain-ASCII ones) are Vietnamese syllables."""
    valid = scored.valid + ascii_words[0]
    return valid >= _FOREIGN_SHARE * (valid + scored.invalid + ascii_words[1])


def judge_unicode(text: str, chunks: Counter[str] | None = None) -> Verdict:
    """The reading of ``text`` (already Unicode) as a whole: ``""`` (as it is)
    when it reads well or nothing beats it clearly, else the legacy table it
    clearly is in, provided that most words are then Vietnamese (a French line
    with two accented words is not converted). Only chunks that say something as
    they are (a valid or an invalid word) count, so ``m²`` or ``n°`` turning into
    a syllable proves nothing. ``chunks`` are ``affected_chunks(text)`` when the
    caller has them."""
    chunks = affected_chunks(text) if chunks is None else chunks
    if not chunks:
        return Verdict(UNICODE, {})
    base = score(chunks, (UNICODE,))
    if base[UNICODE].good:
        return Verdict(UNICODE, base)
    evidence = Counter({chunk: n for chunk, n in chunks.items() if any(_value(UNICODE, chunk)[:2])})
    verdict = decide(evidence, UNICODE_READINGS, UNICODE)
    rival = verdict.encoding or (verdict.ambiguous[1] if verdict.ambiguous else UNICODE)
    if rival and not _mostly_vietnamese(verdict.scores[rival], _ascii_words(text)):
        return Verdict(UNICODE, verdict.scores)
    return verdict


def _convert_line(line: str, encoding: str) -> str:
    """``line`` converted from ``encoding``, except the chunks that hold a letter
    only Unicode has (``đ``, ``ư``, ``ế``: never in legacy text shown as Latin-1)
    and those valid as they are that would not be after the conversion."""
    pieces = _SPLIT.split(line)
    for index in range(0, len(pieces), 2):
        piece = pieces[index]
        if not piece or _AFFECTED.search(piece) is None or _UNICODE_ONLY.search(piece):
            continue
        here, there = _value(UNICODE, piece), _value(encoding, piece)
        if not (here[0] and not here[1] and there[1]):
            pieces[index] = to_unicode(piece, encoding)
    return "".join(pieces)


def _line_verdicts(lines: list[str], doubtful: set[str]) -> list[str]:
    """Each line's own clear legacy reading, or "" (no doubtful chunk, Unicode, a close call)."""
    out = []
    for line in lines:
        verdict = ""
        if any(chunk in doubtful for chunk in _SPACE.split(line)):
            judged = judge_unicode(line)
            verdict = "" if judged.ambiguous else judged.encoding
        out.append(verdict)
    return out


def _follows(line: str, encoding: str, strict: bool) -> bool:
    """Whether a line that is unclear on its own takes its neighbours' legacy
    ``encoding``: it has no letter only Unicode has, reads at least as well so,
    and (``strict``: the text shows Unicode elsewhere) has an invalid word as it is."""
    chunks = affected_chunks(line)
    if not chunks or _UNICODE_ONLY.search(line):
        return False
    scores = score(chunks, (UNICODE, encoding))
    if strict and not scores[UNICODE].invalid:
        return False
    return scores[encoding].value >= scores[UNICODE].value


def _weight(lines: Iterable[str]) -> int:
    """How many affected chunks ``lines`` hold."""
    return sum(sum(affected_chunks(line).values()) for line in lines)


def fix_unicode(text: str) -> Fixed:
    """``text`` (already Unicode) with the legacy letters it still shows as
    Latin-1 characters converted. Text that reads well stays; otherwise each
    line is judged on its own and converted when it clearly is legacy. When
    those lines outweigh the lines with letters only Unicode has (or the text
    as a whole clearly is legacy), the unclear lines follow them (``_follows``).
    A close call with nothing converted is left as it is and named."""
    chunks = affected_chunks(text)
    if not chunks or score(chunks, (UNICODE,))[UNICODE].good:
        return Fixed(text, UNICODE)
    lines = text.split("\n")
    verdicts = _line_verdicts(lines, {chunk for chunk in chunks if _value(UNICODE, chunk)[1]})
    used = Counter(verdict for verdict in verdicts if verdict)
    unicode_lines = [line for line, v in zip(lines, verdicts) if not v and _UNICODE_ONLY.search(line)]
    if used:
        main = used.most_common(1)[0][0]
        mostly = _weight(line for line, v in zip(lines, verdicts) if v) > _weight(unicode_lines)
    else:
        whole = judge_unicode(text, chunks)
        if whole.encoding == UNICODE or unicode_lines:  # no line clearly legacy, some clearly Unicode
            return Fixed(text, UNICODE, ambiguous=whole.ambiguous)
        main, mostly = whole.encoding, True
    converted = held = 0
    for index, (line, verdict) in enumerate(zip(lines, verdicts)):
        if not verdict and mostly and _follows(line, main, bool(unicode_lines)):
            verdict = main
        if verdict:
            lines[index] = _convert_line(line, verdict)
            converted += 1
        elif _AFFECTED.search(line):
            held += 1
    return Fixed("\n".join(lines), main, converted if held else 0)
