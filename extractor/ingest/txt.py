"""Plain text (.txt) and Markdown (.md): bytes decoded to text, markup stripped.

Decoding tries, in order: a byte-order mark (UTF-8/16/32); UTF-16 without a
BOM; a refusal of binary data (NUL bytes, control characters, known magic
numbers); strict UTF-8 (converting TCVN3/VNI letters a crawl saved as Latin-1
characters); UTF-8 with a few damaged bytes; the legacy Vietnamese 8-bit
encodings TCVN3 (ABC), VNI and VISCII (``viparse``'s tables) or Windows-1258,
whichever reads as Vietnamese with the fewest signs of a wrong decoding; and
last UTF-8 with replacement characters.

viparse's converters take legacy text in the form a loader produces from the
bytes: each byte as the Latin-1 character of the same number (``0xB5`` -> ``µ``).
"""

from __future__ import annotations

import codecs
import html
import re
import unicodedata
from pathlib import Path

import viparse

from extractor.errors import E_BINARY, W_DECODE_REPLACED, W_LEGACY_ENCODING, IngestError
from extractor.ingest.boilerplate import cut_boilerplate_tail
from extractor.models import FileError, RawText

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (DOCX, XLSX ...)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file (.doc, .xls)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"{\\rtf", "an RTF document"),
)
LEGACY_NAMES = {"tcvn3": "TCVN3", "vni": "VNI", "viscii": "VISCII", "vps": "VPS"}
_SAMPLE = 200_000
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in (0x09, 0x0A, 0x0C, 0x0D, 0x1A, 0x1B))
_LATIN1_LETTERS = re.compile(r"[\u00a1-\u00ff]")
_VIET_LATIN1 = frozenset("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
_WORD = re.compile(r"[^\W\d_]+")
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_RANK_SAMPLE = 50_000
_FOREIGN_LETTERS = frozenset("fjwzFJWZ")
_VIETNAMESE_LETTERS = re.compile(r"[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]")


def _binary_reason(data: bytes) -> str | None:
    """Why ``data`` looks binary (a description), or None when it may be text."""
    head = data[:16]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    sample = data[:_SAMPLE]
    if b"\x00" in sample:
        return "contains NUL bytes"
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > max(8, len(sample) // 10):
        return "mostly control characters"
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """Text of BOM-less UTF-16 (every other byte NUL in ASCII-heavy text), else None."""
    sample = data[:4096]
    if len(sample) < 4 or len(data) % 2:
        return None
    even = sample[0::2].count(0) / (len(sample) / 2)
    odd = sample[1::2].count(0) / (len(sample) / 2)
    codec = "utf-16-le" if odd > 0.6 and even < 0.05 else "utf-16-be" if even > 0.6 and odd < 0.05 else None
    if codec is None:
        return None
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _vietnamese_score(text: str) -> float:
    """How Vietnamese ``text`` reads (viparse's character model; higher is better)."""
    try:
        from viparse.normalize.frequency import vietnamese_score
    except ImportError:  # pragma: no cover - viparse internals moved
        return 0.0
    return float(vietnamese_score(text[:_SAMPLE]))


def detect_legacy(text: str) -> str | None:
    """The legacy encoding (``tcvn3``, ``vni``, ``viscii``) whose bytes ``text``
    shows as Latin-1 characters, or None."""
    sample = text[:_SAMPLE]
    cut = sample.rfind("\n")
    if len(text) > _SAMPLE and cut > _SAMPLE // 2:
        sample = sample[:cut]
    try:
        found = viparse.detect_text_encoding(sample)
    except Exception:  # noqa: BLE001 - a detector failure means "no legacy encoding"
        return None
    return found if isinstance(found, str) and found in LEGACY_NAMES else None


def convert_legacy(text: str, encoding: str) -> str:
    """``text`` (legacy bytes shown as Latin-1) converted to Unicode NFC by viparse."""
    return unicodedata.normalize("NFC", viparse.fix(text, encoding=encoding))


def _legacy_warning(name: str, encoding: str, how: str = "") -> FileError:
    label = LEGACY_NAMES.get(encoding, encoding)
    return FileError(
        code=W_LEGACY_ENCODING,
        message=f"{name}: legacy {label} encoding{how} detected and converted to Unicode",
    )


def _mostly_utf8(data: bytes) -> str | None:
    """Text of UTF-8 data damaged in a few places (replacement characters), else None."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    good = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    if good >= 3 and bad <= max(2, good // 20):
        return text
    return None


def _badness(text: str) -> float:
    """Signs of a wrong 8-bit decoding, per character: Latin-1 symbols Vietnamese
    does not use, words with an upper-case letter inside, syllables with two tones."""
    alien = sum(1 for ch in text if "\x80" <= ch <= "\xff" and ch not in _VIET_LATIN1)
    odd_words = 0
    for word in _WORD.findall(text):
        if any(ch.islower() for ch in word) and any(ch.isupper() for ch in word[1:]):
            odd_words += 1
        elif sum(1 for ch in unicodedata.normalize("NFD", word) if ch in _TONE_MARKS) > 1:
            odd_words += 1
    return (alien + 2 * odd_words) / max(1, len(text))


def _reads_as_vietnamese(text: str) -> bool:
    """Whether converted text looks Vietnamese: letters only Vietnamese uses (ă ơ ư
    đ, toned vowels), few words longer than 7 letters, few with f/j/w/z."""
    letters = sum(1 for ch in text if ch.isalpha())
    if len(_VIETNAMESE_LETTERS.findall(text)) < 0.05 * letters:
        return False
    words = [word for word in _WORD.findall(text) if len(word) > 1]
    if not words:
        return False
    foreign = sum(1 for word in words if set(word) & _FOREIGN_LETTERS)
    long_words = sum(1 for word in words if len(word) > 7)
    return foreign <= 0.05 * len(words) and long_words <= 0.04 * len(words)


def _best_legacy(latin1: str, others: dict[str, str]) -> str | None:
    """Which reading of ``latin1`` (legacy bytes shown as Latin-1) is right: a
    legacy table (``tcvn3``, ``vni``, ``viscii``) or one of ``others`` (name ->
    text already decoded), by the fewest signs of a wrong decoding among those
    that read as Vietnamese; viparse's own detection wins near-ties."""
    sample = latin1[:_RANK_SAMPLE]
    candidates = {encoding: convert_legacy(sample, encoding) for encoding in LEGACY_NAMES if encoding != "vps"}
    candidates = {enc: text for enc, text in candidates.items() if _reads_as_vietnamese(text)}
    if not candidates:
        return None
    candidates.update(others)
    detected = detect_legacy(latin1)

    def rank(encoding: str) -> tuple[float, float]:
        bonus = 0.002 if encoding == detected else 0.0
        return _badness(candidates[encoding]) - bonus, -_vietnamese_score(candidates[encoding])

    return min(candidates, key=rank)


def legacy_in_unicode(text: str) -> str | None:
    """The legacy encoding (``tcvn3``, ``vni``, ``viscii``) whose letters ``text``
    still shows as Latin-1 characters (a PDF text layer of a ``.VnTime`` font, a
    crawl that decoded TCVN3 bytes as Latin-1), or None for ordinary text."""
    sample = text[:_SAMPLE]
    latin = len(_LATIN1_LETTERS.findall(sample))
    if latin < 20 or latin <= 2 * len(_VIETNAMESE_LETTERS.findall(sample)):
        return None
    return _best_legacy(text, {"": text[:_RANK_SAMPLE]}) or None


def fix_legacy_text(text: str, name: str) -> tuple[str, list[FileError]]:
    """``text`` with legacy letters converted (``legacy_in_unicode``) and the warning
    that says so; ``text`` unchanged and no warning for ordinary text."""
    encoding = legacy_in_unicode(text)
    if encoding is None:
        return text, []
    return convert_legacy(text, encoding), [_legacy_warning(name, encoding)]


def _replaced(name: str, codec: str) -> FileError:
    return FileError(
        code=W_DECODE_REPLACED,
        message=f"{name}: some bytes are not valid {codec} and were replaced with U+FFFD",
    )


def _decode_8bit(data: bytes, name: str) -> tuple[str, str, list[FileError]]:
    """Legacy Vietnamese 8-bit text: TCVN3, VNI or VISCII (viparse's tables) or
    Windows-1258, whichever reads best (``_best_legacy``)."""
    latin1 = data.decode("latin-1")
    try:
        cp1258: str | None = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        cp1258 = None
    best = _best_legacy(latin1, {"cp1258": cp1258[:_RANK_SAMPLE]} if cp1258 is not None else {})
    if best is not None and best != "cp1258":
        return convert_legacy(latin1, best), best, [_legacy_warning(name, best)]
    if cp1258 is not None:
        vietnamese = _VIETNAMESE_LETTERS.search(cp1258[:_SAMPLE]) is not None
        what = "legacy Windows-1258 encoding detected and converted to Unicode" if vietnamese else (
            "not UTF-8; read as Windows-1258"
        )
        return cp1258, "cp1258", [FileError(code=W_LEGACY_ENCODING, message=f"{name}: {what}")]
    return data.decode("utf-8", errors="replace"), "utf-8", [_replaced(name, "UTF-8")]


def decode_bytes(data: bytes, name: str) -> tuple[str, str, list[FileError]]:
    """(text, encoding used, warnings) for the bytes of a text file; raises
    ``IngestError(E_BINARY)`` for binary data."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec).lstrip("\ufeff"), codec, []
            except UnicodeDecodeError:
                text = data.decode(codec, errors="replace").lstrip("\ufeff")
                return text, codec, [_replaced(name, codec)]
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16, "utf-16", []
    reason = _binary_reason(data)
    if reason is not None:
        raise IngestError(E_BINARY, f"{name}: looks like a binary file, not text ({reason})")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        legacy = legacy_in_unicode(text)
        if legacy is None:
            return text, "utf-8", []
        warning = _legacy_warning(name, legacy, " (inside UTF-8 text)")
        return convert_legacy(text, legacy), f"utf-8+{legacy}", [warning]
    damaged = _mostly_utf8(data)
    if damaged is not None:
        return damaged, "utf-8", [_replaced(name, "UTF-8")]
    return _decode_8bit(data, name)


def clean_lines(text: str) -> str:
    """``\\r\\n`` and ``\\r`` as ``\\n``; trailing spaces of each line removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n"))


# Markdown -------------------------------------------------------------------

_FENCE = re.compile(r"^\s{0,3}(?:```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}(?=\s|$)\s*")
_HEADING_CLOSE = re.compile(r"\s+#+\s*$")
_RULE = re.compile(r"^\s{0,3}(?:[=\-*_]\s*){3,}$")
_QUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_REF_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+\s*$")
_WIKI_EDIT = re.compile(r"\[sửa(?:\s*\|\s*sửa mã nguồn)?\]")
_URL = r"(?:[A-Za-z][\w+.-]*:|/|#|\.\.?/|www\.)[^\s()<>]*|[^\s()<>]+\.(?:html?|php|aspx?|pdf|jpe?g|png|gif|docx?)(?:[?#][^\s()<>]*)?"
_LINK = re.compile(r"!?\[([^\[\]]*)\]\(\s*<?(?:" + _URL + r")>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_REF_LINK = re.compile(r"!?\[([^\[\]]+)\]\[[^\[\]]*\]")
_AUTOLINK = re.compile(r"<(?:https?|ftp|mailto):[^<>\s]+>")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")
_DOUBLE = re.compile(r"\*\*|__|~~|`+")
_UNDERSCORE_PAIR = re.compile(r"(?<![\w\\])_(?=\S)(.+?)(?<=\S)_(?!\w)")
_LONE_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])|(?<=[^\s*])\*(?![\w*])")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_PRIVATE = 0xF0000
_HIDDEN = re.compile("[\U000F0000-\U000F007F]")


def _hide_escapes(line: str) -> str:
    if "\\" not in line:
        return line
    return _ESCAPE.sub(lambda m: chr(_PRIVATE + ord(m.group(1))), line)


def _show_escapes(line: str) -> str:
    return _HIDDEN.sub(lambda m: chr(ord(m.group(0)) - _PRIVATE), line)


def _inline(line: str) -> str:
    """A line's inline markup removed: links keep their text, tags and emphasis go."""
    if "[" in line:
        line = _REF_LINK.sub(r"\1", _LINK.sub(r"\1", line))
    if "<" in line:
        line = _TAG.sub("", _AUTOLINK.sub("", line))
    if "*" in line or "_" in line or "~" in line or "`" in line:
        line = _LONE_STAR.sub("", _UNDERSCORE_PAIR.sub(r"\1", _DOUBLE.sub("", line)))
    if "&" in line:
        line = _ENTITY.sub(lambda m: html.unescape(m.group(0)), line)
    return line


def _table_row(line: str) -> str:
    """``| a | b |`` as ``a | b`` (empty rows become empty lines)."""
    core = line.strip()
    core = core[1:] if core.startswith("|") else core
    core = core[:-1] if core.endswith("|") else core
    cells = [_inline(_BR.sub(" ", cell)).strip() for cell in core.split("|")]
    return " | ".join(cells) if any(cells) else ""


def strip_markdown(text: str) -> str:
    """Markdown as plain text, one output line per source line: heading marks,
    emphasis, link and image syntax (their text kept, URLs dropped), inline HTML,
    code fences and table pipes removed."""
    out: list[str] = []
    fenced = False
    for raw in text.split("\n"):
        if _FENCE.match(raw):
            fenced = not fenced
            continue
        if fenced:
            out.append(raw)
            continue
        line = _WIKI_EDIT.sub("", _hide_escapes(raw))
        line = _QUOTE.sub("", line)
        if _RULE.match(line) or _TABLE_RULE.match(line) or _REF_DEFINITION.match(line):
            continue
        if _HEADING.match(line):
            line = _HEADING_CLOSE.sub("", _HEADING.sub("", line))
        if line.lstrip().startswith("|") or line.rstrip().endswith(" |"):
            out.append(_show_escapes(_table_row(line)))
            continue
        for part in _BR.split(line):
            out.append(_show_escapes(_inline(part)).rstrip())
    return "\n".join(out)


def read_txt(path: Path, data: bytes) -> RawText:
    """A .txt file's text: decoded, line ends unified, related-news tail cut."""
    text, encoding, warnings = decode_bytes(data, path.name)
    text = cut_boilerplate_tail(clean_lines(text))
    return RawText(text=text, format="txt", encoding=encoding, warnings=warnings)


def read_md(path: Path, data: bytes) -> RawText:
    """A .md file's text with the Markdown markup removed, one line per line."""
    text, encoding, warnings = decode_bytes(data, path.name)
    text = cut_boilerplate_tail(strip_markdown(clean_lines(text)))
    return RawText(text=text, format="md", encoding=encoding, warnings=warnings)
