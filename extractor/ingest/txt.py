"""Plain text (.txt) and Markdown (.md): bytes decoded to text, markup stripped.

Decoding tries, in order: a byte-order mark (UTF-8/16/32); UTF-16 without a
BOM; a refusal of binary data (NUL bytes, control characters, known magic
numbers); strict UTF-8 (converting TCVN3/VNI letters a crawl saved as Latin-1
characters, or the lines pasted in such letters); UTF-8 with a few damaged
bytes; the legacy Vietnamese 8-bit encodings TCVN3 (ABC), VNI and VISCII
(``viparse``'s tables) or Windows-1258, whichever reading yields the most valid
Vietnamese syllables (``extractor.ingest.encoding``); and last UTF-8 with
replacement characters. A close call between two readings keeps the
conservative one and says so with an E_ENCODING_AMBIGUOUS error.

viparse's converters take legacy text in the form a loader produces from the
bytes: each byte as the Latin-1 character of the same number (``0xB5`` -> ``µ``).
"""

from __future__ import annotations

import codecs
import html
import re
import unicodedata
from pathlib import Path

from extractor.errors import E_BINARY, E_ENCODING_AMBIGUOUS, W_DECODE_REPLACED, W_LEGACY_ENCODING, IngestError
from extractor.ingest.boilerplate import cut_boilerplate_tail
from extractor.ingest.encoding import (
    BYTE_READINGS,
    LABELS,
    LEGACY,
    UNICODE,
    affected_chunks,
    decide,
    fix_unicode,
    judge_unicode,
    to_unicode,
)
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


def detect_legacy(text: str) -> str | None:
    """The legacy encoding (``tcvn3``, ``vni``, ``viscii``) whose bytes ``text``
    shows as Latin-1 characters (the whole text read one way), or None."""
    verdict = judge_unicode(text)
    if verdict.ambiguous is not None or verdict.encoding == UNICODE:
        return None
    return verdict.encoding


def convert_legacy(text: str, encoding: str) -> str:
    """``text`` (legacy bytes shown as Latin-1) converted to Unicode NFC with
    viparse's table for ``encoding`` (``tcvn3``, ``vni``, ``viscii``, ``vps``)."""
    return to_unicode(text, encoding)


def _legacy_warning(name: str, encoding: str, how: str = "") -> FileError:
    label = LEGACY_NAMES.get(encoding, encoding)
    return FileError(
        code=W_LEGACY_ENCODING,
        message=f"{name}: legacy {label} encoding{how} detected and converted to Unicode",
    )


def _ambiguous(name: str, pair: tuple[str, str], kept: str) -> FileError:
    """The E_ENCODING_AMBIGUOUS error: ``name`` reads about as well in both encodings of ``pair``."""
    first, second = (LABELS.get(enc, enc) for enc in pair)
    what = "left as it is (not converted)" if kept == UNICODE else f"read as {LABELS.get(kept, kept)}"
    return FileError(
        code=E_ENCODING_AMBIGUOUS,
        message=(
            f"{name}: the text reads about as well as {first} as it does as {second}; {what} - "
            "check its letters, figures and citations against the original"
        ),
    )


def _mostly_utf8(data: bytes) -> str | None:
    """Text of UTF-8 data damaged in a few places (replacement characters), else None."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    good = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    if good >= 3 and bad <= max(2, good // 20):
        return text
    return None


def legacy_in_unicode(text: str) -> str | None:
    """The legacy encoding (``tcvn3``, ``vni``, ``viscii``) whose letters ``text``
    still shows as Latin-1 characters (a PDF text layer of a ``.VnTime`` font, a
    crawl that decoded TCVN3 bytes as Latin-1), or None for ordinary text and for
    text that reads about as well either way."""
    return detect_legacy(text)


def _unicode_fixed(text: str, name: str, how: str = "") -> tuple[str, str, list[FileError]]:
    """(text, legacy encoding or "", warnings) of Unicode text (``fix_unicode``)."""
    fixed = fix_unicode(text)
    if fixed.ambiguous is not None:
        return fixed.text, "", [_ambiguous(name, fixed.ambiguous, "")]
    if not fixed.encoding:
        return fixed.text, "", []
    if fixed.lines:
        how = f" in {fixed.lines} line{'s' if fixed.lines > 1 else ''}{how}"
    return fixed.text, fixed.encoding, [_legacy_warning(name, fixed.encoding, how)]


def fix_legacy_text(text: str, name: str) -> tuple[str, list[FileError]]:
    """``text`` with legacy letters converted (the whole text, or the lines pasted
    from a legacy file) and the warning that says so; ``text`` unchanged and no
    warning for ordinary text; unchanged with an E_ENCODING_AMBIGUOUS error when
    it reads about as well as legacy text as it does as Unicode."""
    fixed, _encoding, warnings = _unicode_fixed(text, name)
    return fixed, warnings


def _replaced(name: str, codec: str) -> FileError:
    return FileError(
        code=W_DECODE_REPLACED,
        message=f"{name}: some bytes are not valid {codec} and were replaced with U+FFFD",
    )


def _decode_8bit(data: bytes, name: str) -> tuple[str, str, list[FileError]]:
    """Legacy Vietnamese 8-bit text: Windows-1258 or TCVN3, VNI, VISCII (viparse's
    tables), whichever reading yields the most valid syllables (``decide``); a
    close call is read as Windows-1258 when that is one of the two, and named."""
    latin1 = data.decode("latin-1")
    try:
        cp1258: str | None = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        cp1258 = None
    verdict = decide(affected_chunks(latin1), BYTE_READINGS if cp1258 is not None else LEGACY, None)
    encoding = verdict.encoding
    if verdict.scores[encoding].valid == 0:  # no reading looks Vietnamese
        if cp1258 is not None:
            return cp1258, "cp1258", [FileError(code=W_LEGACY_ENCODING, message=f"{name}: not UTF-8; read as Windows-1258")]
        return data.decode("utf-8", errors="replace"), "utf-8", [_replaced(name, "UTF-8")]
    text = cp1258 if encoding == "cp1258" and cp1258 is not None else convert_legacy(latin1, encoding)
    if verdict.ambiguous is not None:
        return text, encoding, [_ambiguous(name, verdict.ambiguous, encoding)]
    return text, encoding, [_legacy_warning(name, encoding)]


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
        fixed, legacy, warnings = _unicode_fixed(text, name, " (inside UTF-8 text)")
        return fixed, f"utf-8+{legacy}" if legacy else "utf-8", warnings
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
FOOTNOTE_MARK = re.compile(r"(?<=[^\s\]])(?:\[(?:\d{1,3}|[a-zA-Z]|cần dẫn nguồn)\])+")
"""Wiki footnote marks glued to a word ("34,[7][8]", "người[a]"): dropped, so a mark is
neither read as a reference link ("[7][8]" → "7") nor glued to a number; "[text][1]" stays a link."""
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
        line = FOOTNOTE_MARK.sub("", line)
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
