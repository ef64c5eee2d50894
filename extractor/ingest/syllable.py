"""Is a word a well-formed Vietnamese syllable?

Vietnamese writes one syllable per word: an onset (``ngh``, ``tr``, ``qu`` ...),
a rhyme (an optional glide ``o``/``u``, a vowel nucleus, a coda) and at most one
tone mark, placed on the nucleus. Syllables ending in ``p``, ``t``, ``c`` or
``ch`` carry only the acute or the dot-below tone, and ``k``/``gh``/``ngh`` are
written only before ``i e ê y``. A wrong reading of legacy-encoded text breaks
these rules in almost every word (``kõt``, ``luën``, ``biờn``), while good text
keeps them, which is what the encoding detector counts.

Both the old and the new tone placement (``hoà``/``hòa``, ``thuý``/``thúy``) are
accepted. Case is ignored: TCVN3 headings mix upper-case ASCII with lower-case
accented letters (but a small letter is never followed by a non-ASCII capital).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_ACUTE, _DOT = "\u0301", "\u0323"
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_MODIFIERS = frozenset("\u0302\u0306\u031b")
_MODIFIED = frozenset("ăâêôơư")
_ALPHABET = frozenset("abcdđeghiklmnopqrstuvxyăâêôơư")
_STOPS = frozenset({"c", "ch", "k", "p", "t"})
_ONSETS = (
    "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng",
    "ngh", "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
)
# nucleus -> the codas it takes ("" = an open syllable)
_NUCLEI: dict[str, tuple[str, ...]] = {
    "a": ("", "c", "ch", "m", "n", "ng", "nh", "p", "t", "i", "y", "o", "u"),
    "ă": ("c", "k", "m", "n", "ng", "p", "t"),  # k: Đắk Lắk
    "â": ("c", "m", "n", "ng", "p", "t", "u", "y"),
    "e": ("", "c", "m", "n", "ng", "p", "t", "o"),
    "ê": ("", "ch", "m", "n", "nh", "p", "t", "u"),
    "i": ("", "ch", "m", "n", "nh", "p", "t", "u"),
    "y": ("", "ch", "n", "nh", "p", "t", "u"),  # codas after qu: quỳnh, quýt
    "o": ("", "c", "m", "n", "ng", "p", "t", "i"),
    "oo": ("c", "ng"),
    "ô": ("", "c", "m", "n", "ng", "p", "t", "i"),
    "ơ": ("", "m", "n", "p", "t", "i"),
    "u": ("", "c", "m", "n", "ng", "p", "t", "i"),
    "ư": ("", "c", "m", "n", "ng", "t", "i", "u"),
    "ia": ("",),
    "iê": ("c", "m", "n", "ng", "p", "t", "u"),
    "yê": ("m", "n", "ng", "t", "u"),
    "ua": ("",),
    "uô": ("c", "m", "n", "ng", "t", "i"),
    "ưa": ("",),
    "ươ": ("c", "m", "n", "ng", "p", "t", "i", "u"),
    "oa": ("", "c", "ch", "i", "m", "n", "ng", "nh", "p", "t", "y", "o"),
    "oă": ("c", "m", "n", "ng", "t"),
    "oe": ("", "n", "t", "o"),
    "uâ": ("n", "ng", "t", "y"),
    "uê": ("", "ch", "n", "nh"),
    "uy": ("", "ch", "n", "nh", "p", "t", "u"),
    "uyê": ("n", "t"),
    "uya": ("",),
    "uơ": ("",),
}
_GLIDED = frozenset({"oa", "oe", "uy"})
_OPEN_DIPHTHONGS = frozenset({"ia", "ua"})


def _tone_places(nucleus: str, coda: str) -> frozenset[int]:
    """Where in the rhyme the tone mark may sit: on the (last) modified vowel,
    on the first vowel of an open ``ia``/``ua``, on either vowel of an open
    ``oa``/``oe``/``uy`` (old and new style), else on the nucleus's last vowel."""
    modified = [i for i, ch in enumerate(nucleus) if ch in _MODIFIED]
    if modified:
        return frozenset({modified[-1]})
    if nucleus in _OPEN_DIPHTHONGS:
        return frozenset({0})
    if nucleus in _GLIDED and not coda or nucleus == "oo":
        return frozenset({0, 1})
    return frozenset({len(nucleus) - 1})


def _rhymes() -> dict[str, tuple[frozenset[int], bool, str]]:
    """rhyme -> (tone places, ends in a stop consonant, nucleus)."""
    table: dict[str, tuple[frozenset[int], bool, str]] = {}
    for nucleus, codas in _NUCLEI.items():
        for coda in codas:
            table.setdefault(nucleus + coda, (_tone_places(nucleus, coda), coda in _STOPS, nucleus))
    return table


_RHYMES = _rhymes()


def _untoned(word: str) -> tuple[str, str | None, int] | None:
    """(letters without the tone mark, the tone mark or None, index of the toned
    letter) of a lower-case word; None when it has two tones, a mark Vietnamese
    does not use or a letter outside the Vietnamese alphabet."""
    letters: list[str] = []
    tone: str | None = None
    place = -1
    for ch in unicodedata.normalize("NFD", word):
        if ch in _TONES:
            if tone is not None or not letters:
                return None
            tone, place = ch, len(letters) - 1
        elif ch in _MODIFIERS:
            if not letters:
                return None
            letters[-1] += ch
        elif unicodedata.combining(ch):
            return None
        else:
            letters.append(ch)
    bases = [unicodedata.normalize("NFC", letter) for letter in letters]
    if any(base not in _ALPHABET for base in bases):
        return None
    return "".join(bases), tone, place


def _onset_fits(onset: str, rhyme: str) -> bool:
    """Spelling rules between onset and rhyme (k/c, gh/g, ngh/ng, qu, gi, iê/yê)."""
    first = rhyme[0]
    if onset in ("k", "gh", "ngh"):
        return first in "ieêy" and not (onset != "k" and first == "y")
    if onset == "c" and first in "ieêy" or onset == "g" and first in "eê" or onset == "ng" and first in "ieê":
        return False
    if onset == "qu" and first in "uưo" or onset == "gi" and first in "iy":
        return False
    if first == "y" and len(rhyme) > 1 and not rhyme.startswith("yê"):
        return onset == "qu"  # quýt, quỳnh; elsewhere uy-: huýt, huỳnh
    if rhyme.startswith("yê"):
        return onset in ("", "qu")
    return not (rhyme.startswith("iê") and onset == "")


def _case_breaks(word: str) -> bool:
    """Whether a lower-case letter comes before an upper-case non-ASCII one
    (``thƯm``, ``bÂng``): never in Vietnamese, where only ASCII capitals follow
    small letters (TCVN3 headings: ``ĐIềU``)."""
    seen_lower = False
    for ch in word:
        if ch.islower():
            seen_lower = True
        elif seen_lower and ch.isupper() and not ch.isascii():
            return True
    return False


@lru_cache(maxsize=65536)
def is_syllable(word: str, eth: bool = False) -> bool:
    """Whether ``word`` (any case, NFC or NFD) is a well-formed Vietnamese
    syllable; with ``eth`` the look-alike ``ð`` (U+00F0) counts as ``đ``."""
    if _case_breaks(word):
        return False
    lower = word.lower()
    parts = _untoned(lower.replace("ð", "đ") if eth else lower)
    if parts is None:
        return False
    base, tone, place = parts
    for onset in _ONSETS:
        if not base.startswith(onset) or len(base) == len(onset):
            continue
        rhyme = base[len(onset):]
        info = _RHYMES.get(rhyme)
        if info is None or not _onset_fits(onset, rhyme):
            continue
        places, stop, _nucleus = info
        if stop and tone not in (_ACUTE, _DOT):
            continue
        if tone is not None and place - len(onset) not in places:
            continue
        return True
    return False


# Frequent syllables of administrative Vietnamese (written for this module): a
# reading that yields them is preferred when two readings are otherwise equal.
COMMON = frozenset(
    """
    của và các là được có trong cho với không người này những một đã để theo về
    từ khi đến năm ngày tháng số tại trên nhà nước hệ thống chính trị biên chế
    công chức viên cấp xã huyện tỉnh thành phố phường thị trấn ủy ban nhân dân hội
    đồng đảng bộ ban thường vụ tổ quản lý kế hoạch quyết định nghị kết luận chỉ
    thị thông tư hướng dẫn văn bản thực hiện giai đoạn tổng giảm tăng so với
    kiểm soát chặt chẽ đơn vị sự nghiệp cơ quan hành tinh giản sắp xếp bộ máy
    việc làm vị trí lao động hợp đồng đội ngũ cán tiêu chuẩn giao nhiệm chức
    năng trung ương địa phương mặt trận đoàn thể lực lượng vũ trang an ninh quốc
    phòng kinh tế xã hội giáo dục y tế văn hóa hoá khoa học các cơ sở điều khoản
    mục chương phần ký ban hành hiệu lực kể từ đồng chí bí thư phó chủ tịch
    giám đốc sở ngành đề án báo cáo tình hình kết quả đánh giá chất lượng năng
    lực cao nâng hiệu quả công tác trưởng phòng ngân sách tài chính nội vụ
    """.split()
)


def is_common(word: str) -> bool:
    """Whether ``word`` (any case) is one of the frequent syllables in ``COMMON``."""
    return unicodedata.normalize("NFC", word.lower()) in COMMON
