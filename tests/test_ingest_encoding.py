"""Legacy Vietnamese encodings decided by which reading yields valid syllables.

The sentences below are invented for these tests. Legacy bytes are made by
reversing viparse's conversion tables (checked against code points of the
published standards in ``test_ingest_encoding_known_code_points``); Windows-1258
by Python's codec, tone marks combining as the code page stores them.
"""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

import pytest

from extractor.errors import E_ENCODING_AMBIGUOUS, W_LEGACY_ENCODING
from extractor.ingest import read_raw
from extractor.ingest.encoding import LEGACY, to_unicode
from extractor.ingest.syllable import is_syllable
from extractor.ingest.txt import LEGACY_NAMES, convert_legacy, decode_bytes, fix_legacy_text, legacy_in_unicode

SHARED = Path(__file__).resolve().parents[2] / "shared"
TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")

CITATION = "Thực hiện Kết luận số 40-KL/TW ngày 18/7/2022 của Bộ Chính trị về nâng cao hiệu quả quản lý biên chế."
STAFFING = "Năm 2024, tổng biên chế công chức cấp xã của huyện là 1.250 biên chế, giảm 35 biên chế so với năm 2022."
COMMUNES = "Xã Tân Hòa, Xã Mỹ Lộc, Xã Phú Điền và Xã An Bình thực hiện kiểm soát chặt chẽ số lượng người làm việc."
LONG = "\n\n".join([
    "Ban Thường vụ Tỉnh ủy ban hành Kế hoạch số 15-KH/TU về quản lý biên chế giai đoạn 2022 - 2026. "
    + CITATION,
    STAFFING + " Các đơn vị sự nghiệp công lập tự bảo đảm chi thường xuyên không giao biên chế.",
    "Danh sách các xã sắp xếp:\nXã Tân Hòa\nXã Mỹ Lộc\nXã Phú Điền\nXã An Bình\n" + COMMUNES,
    "Giao Ban Tổ chức Tỉnh ủy chủ trì, phối hợp với Sở Nội vụ hướng dẫn, theo dõi, đôn đốc và "
    "kiểm tra việc thực hiện; định kỳ báo cáo Ban Thường vụ Tỉnh ủy kết quả thực hiện.",
])
SHORT = "Kết luận số 40-KL/TW của Bộ Chính trị về biên chế."
TEXTS = {"short": SHORT, "citation": CITATION, "staffing": STAFFING, "communes": COMMUNES, "long": LONG}
XA_LIST = "\n".join(
    f"Xã {name}" for name in ("Tân Lập", "Tân Hiệp", "Mỹ Phước", "Bình Tân", "Tân Bình", "Phú Hòa", "Hòa Bình")
) + "\nkiểm soát biên chế công chức cấp xã"


def _legacy(text: str, encoding: str) -> str:
    """``text`` in a legacy table's letters, each byte as its Latin-1 character."""
    from viparse.normalize.encodings import CHARMAPS

    reverse = {letter: legacy for legacy, letter in CHARMAPS[encoding].pairs}
    return "".join(reverse.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def _cp1258(text: str) -> bytes:
    """``text`` in Windows-1258: base letters precomposed, tone marks combining."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES)))
        out.append("".join(c for c in parts if c in TONES))
    return "".join(out).encode("cp1258")


def _bytes(text: str, encoding: str) -> bytes:
    if encoding == "cp1258":
        return _cp1258(text)
    if encoding == "utf-8":
        return text.encode("utf-8")
    if encoding == "utf-16":
        return text.encode("utf-16-le")
    return _legacy(text, encoding).encode("latin-1")


@pytest.mark.parametrize("name", TEXTS)
@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "viscii", "cp1258", "utf-8", "utf-16"])
def test_ingest_encoding_bytes_read_back(encoding: str, name: str) -> None:
    data = _bytes(TEXTS[name], encoding)
    text, label, warnings = decode_bytes(data, "van-ban.txt")
    assert text == TEXTS[name]
    assert label == encoding
    legacy = encoding not in ("utf-8", "utf-16")
    assert [w.code for w in warnings] == ([W_LEGACY_ENCODING] if legacy else [])


@pytest.mark.parametrize("name", TEXTS)
@pytest.mark.parametrize("encoding", LEGACY)
def test_ingest_encoding_legacy_inside_utf8(encoding: str, name: str) -> None:
    # a crawl that decoded legacy bytes as Latin-1 and saved the result as UTF-8
    data = _legacy(TEXTS[name], encoding).encode("utf-8")
    text, label, warnings = decode_bytes(data, "crawl.txt")
    assert (text, label) == (TEXTS[name], f"utf-8+{encoding}")
    assert warnings[0].message == (
        f"crawl.txt: legacy {LEGACY_NAMES[encoding]} encoding (inside UTF-8 text) detected and converted to Unicode"
    )


@pytest.mark.parametrize("encoding", LEGACY)
def test_ingest_encoding_pasted_line_converted(encoding: str) -> None:
    pasted = "\n".join([STAFFING, COMMUNES, _legacy(CITATION, encoding), STAFFING])
    text, label, warnings = decode_bytes(pasted.encode("utf-8"), "ghep.txt")
    assert text == "\n".join([STAFFING, COMMUNES, CITATION, STAFFING])
    assert label == f"utf-8+{encoding}"
    assert "in 1 line" in warnings[0].message


@pytest.mark.parametrize("text", [
    XA_LIST,
    XA_LIST.replace("\n", ", "),
    COMMUNES,
    "Biên chế công chức cấp xã: Xã Tân Hòa 21, Xã Mỹ Lộc 22, Xã Phú Điền 20",
    "Xã Tân Lập\nXã Tân Hiệp\nXã Mỹ Phước\nXã Bình Tân\nXã Phú Hòa\nkiểm soát biên chế",
    "| Xã Tân Hòa | Xã Tân Phú | Xã An Bình | Xã Hòa Khánh | Xã Phú Mỹ |",
    "Ðiện Biên Phủ (Ð U+00D0 typed for Đ), m², n° 5, café, Genève",
])
def test_ingest_encoding_good_unicode_kept(text: str) -> None:
    assert fix_legacy_text(text, "xa.md") == (text, [])
    assert legacy_in_unicode(text) is None
    assert decode_bytes(text.encode("utf-8"), "xa.md") == (text, "utf-8", [])


def test_ingest_encoding_close_call_reported(tmp_path: Path) -> None:
    # "Sè 12" is "Số 12" in TCVN3 and "Sè 12" in Windows-1258: both readings are Vietnamese
    path = tmp_path / "so.txt"
    path.write_bytes(b"S\xe8 12")
    raw = read_raw(path)
    assert raw.text == "Sè 12"
    assert raw.encoding == "cp1258"
    assert [w.code for w in raw.warnings] == [E_ENCODING_AMBIGUOUS]
    message = raw.warnings[0].message
    assert message.startswith("so.txt: ") and "TCVN3" in message and "Windows-1258" in message


def test_ingest_encoding_close_call_in_unicode_kept() -> None:
    # "Bà Rịa" in TCVN3 reads as Vietnamese in VISCII too, neither clearly better: left as it is
    legacy = _legacy("Bà Rịa", "tcvn3")
    text, warnings = fix_legacy_text(legacy, "dia-danh.html")
    assert text == legacy
    assert [w.code for w in warnings] == [E_ENCODING_AMBIGUOUS]
    message = warnings[0].message
    assert message.startswith("dia-danh.html: ") and "TCVN3" in message and "VISCII" in message


@pytest.mark.parametrize("word, valid", [
    ("kết", True), ("luận", True), ("nghiêng", True), ("quyết", True), ("khuỷu", True), ("giữa", True),
    ("gìn", True), ("hoà", True), ("hòa", True), ("thuở", True), ("người", True), ("QUYếT", True),
    ("Đắk", True), ("quýt", True), ("huỳnh", True), ("ĐIềU", True), ("kõt", False), ("luën", False), ("biờn", False), ("tât", False),
    ("ce", False), ("nge", False), ("tyên", False), ("qúy", False), ("taí", False), ("lµ", False),
    ("lỷnh", False), ("thƯm", False), ("ðiện", False),
])
def test_ingest_encoding_syllable_rules(word: str, valid: bool) -> None:
    assert is_syllable(word) is valid


@pytest.mark.parametrize("encoding, raw, letter", [
    ("tcvn3", "\xb5", "à"), ("tcvn3", "\xae", "đ"), ("tcvn3", "\xad", "ư"), ("tcvn3", "\xa7", "Đ"),
    ("vni", "a\xf8", "à"), ("vni", "\xf1", "đ"), ("vni", "\xf6", "ư"),
    ("viscii", "\xd5", "ạ"), ("viscii", "\xf0", "đ"), ("viscii", "\xdf", "ư"), ("viscii", "\x80", "Ạ"),
])
def test_ingest_encoding_known_code_points(encoding: str, raw: str, letter: str) -> None:
    assert convert_legacy(raw, encoding) == letter


@pytest.mark.parametrize("encoding", LEGACY)
def test_ingest_encoding_converter_matches_viparse(encoding: str) -> None:
    from viparse.normalize.encodings import CHARMAPS
    from viparse.normalize.tables import convert

    legacy = _legacy(LONG, encoding) + " n\u2212íc 1\u22122"
    assert to_unicode(legacy, encoding) == convert(legacy, CHARMAPS[encoding])


def _corpus() -> list[Path]:
    files = [p for folder in ("seeds", "corpus-extra") for p in sorted((SHARED / folder).glob("*")) if p.is_file()]
    if not files:
        pytest.skip("../shared/seeds and ../shared/corpus-extra are absent")
    return files


def test_ingest_encoding_corpus_never_converted() -> None:
    start = time.perf_counter()
    wrong: list[str] = []
    for path in _corpus():
        data = path.read_bytes()
        text, label, warnings = decode_bytes(data, path.name)
        if label != "utf-8" or warnings:
            wrong.append(f"{path.name}: {label} {warnings}")
        for number, line in enumerate(data.decode("utf-8").split("\n"), 1):
            fixed, warnings = fix_legacy_text(line, path.name)
            if fixed != line or warnings:
                wrong.append(f"{path.name}:{number}: {[w.code for w in warnings]}: {line[:80]}")
    assert wrong == []
    assert time.perf_counter() - start < 30
