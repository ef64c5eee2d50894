"""Augmented training sentences: directive-style frames (written for this
project) filled with unit, place and category names built from the gazetteer
libraries (provinces, districts and communes of vietnamadminunits; current
provinces of vietnam-provinces) and lists of central bodies written here.

Held-out provinces (``data.HELD_OUT_PROVINCES``) and their districts are never
drawn; ``data.training_set`` also drops any sentence naming a held-out unit.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

import regex

from extractor.ner.data import HELD_OUT_PROVINCES, Annotated, Label

DEPARTMENTS = (
    "Nội vụ", "Tư pháp", "Tài chính", "Công Thương", "Xây dựng", "Y tế", "Giáo dục và Đào tạo",
    "Khoa học và Công nghệ", "Văn hóa, Thể thao và Du lịch", "Nông nghiệp và Môi trường",
    "Dân tộc và Tôn giáo", "Ngoại vụ", "Kế hoạch và Đầu tư", "Lao động - Thương binh và Xã hội",
    "Giao thông vận tải", "Tài nguyên và Môi trường", "Thông tin và Truyền thông",
    "Nông nghiệp và Phát triển nông thôn",
)
PARTY_BOARDS = ("Tổ chức", "Tuyên giáo", "Dân vận", "Nội chính", "Tuyên giáo và Dân vận")
MASS = ("Hội Nông dân", "Hội Liên hiệp Phụ nữ", "Hội Cựu chiến binh", "Liên đoàn Lao động",
        "Đoàn Thanh niên Cộng sản Hồ Chí Minh", "Hội Luật gia", "Hội Nhà báo",
        "Liên hiệp các Hội Khoa học và Kỹ thuật")
PROVINCIAL = (
    "Sở {dept} tỉnh {P}", "Sở {dept}", "Ủy ban nhân dân tỉnh {P}", "UBND tỉnh {P}", "Hội đồng nhân dân tỉnh {P}",
    "HĐND tỉnh {P}", "Tỉnh ủy {P}", "Ban Thường vụ Tỉnh ủy {P}", "Ban Chấp hành Đảng bộ tỉnh {P}",
    "Ban {board} Tỉnh ủy {P}", "Ban {board} Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy {P}", "Văn phòng Tỉnh ủy {P}",
    "Văn phòng Ủy ban nhân dân tỉnh {P}", "Đảng ủy Khối các cơ quan tỉnh {P}", "Đảng ủy các cơ quan Đảng tỉnh {P}",
    "Đảng ủy Ủy ban nhân dân tỉnh {P}", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh {P}", "{mass} tỉnh {P}",
    "Tỉnh đoàn {P}", "Công an tỉnh {P}", "Báo {P}", "Tòa án nhân dân tỉnh {P}", "Viện Kiểm sát nhân dân tỉnh {P}",
    "Trường Cao đẳng Y tế {P}", "Trường Cao đẳng Sư phạm {P}", "Trường Đại học {P}",
    "Trung tâm Phục vụ hành chính công tỉnh {P}", "Trung tâm Xúc tiến đầu tư tỉnh {P}",
    "Trung tâm Dịch vụ việc làm tỉnh {P}", "Chi cục Kiểm lâm tỉnh {P}", "Chi cục Văn thư - Lưu trữ tỉnh {P}",
    "Chi cục Thú y tỉnh {P}", "Ban Quản lý dự án đầu tư xây dựng tỉnh {P}", "Ban Quản lý các khu công nghiệp tỉnh {P}",
    "Cục Thuế tỉnh {P}", "Kho bạc Nhà nước tỉnh {P}", "Bảo hiểm xã hội tỉnh {P}", "Cục Thống kê tỉnh {P}",
    "Ban Dân tộc tỉnh {P}", "Bệnh viện Y học cổ truyền tỉnh {P}", "Bệnh viện Sản - Nhi tỉnh {P}",
    "hệ thống chính trị tỉnh {P}",
)
QUOTA_HOLDERS = (
    "hệ thống chính trị tỉnh {P}", "Các cơ quan hành chính nhà nước tỉnh {P}", "Chính quyền địa phương",
    "Các đơn vị sự nghiệp công lập thuộc Ủy ban nhân dân tỉnh {P}", "Các cơ quan chuyên môn thuộc UBND tỉnh {P}",
    "Các cơ quan, đơn vị sự nghiệp của Đảng, Mặt trận Tổ quốc Việt Nam và các tổ chức chính trị - xã hội tỉnh {P}",
    "Các cơ quan, đơn vị sự nghiệp của Đảng, Mặt trận Tổ quốc Việt Nam và các tổ chức chính trị - xã hội cấp tỉnh, cấp huyện",
)
"""Groups of units that hold a quota: named as units only where a figure is theirs ({Q} slots)."""
BARE = ("Tỉnh ủy", "Thành ủy", "Huyện ủy", "Ban Thường vụ Tỉnh ủy", "Ban Thường vụ Thành ủy", "Ủy ban nhân dân tỉnh",
        "UBND huyện", "Sở Nội vụ", "Ban Tổ chức Tỉnh ủy", "Hội đồng nhân dân tỉnh")
"""Local bodies named without their place, as a provincial document names its own."""
GENERATED = ("{kind} {domain} tỉnh {P}", "{kind} {domain} {dtype} {D}", "{kind} {domain}",
             "{kind} {domain} thành phố {C}", "{kind} {domain} thuộc Sở {dept} tỉnh {P}")
CITY = ("Thành ủy {C}", "Ban Thường vụ Thành ủy {C}", "Ủy ban nhân dân thành phố {C}", "Sở {dept} thành phố {C}",
        "Hội đồng nhân dân thành phố {C}", "Ban {board} Thành ủy {C}", "Công an thành phố {C}")
DISTRICT = ("Ủy ban nhân dân {dtype} {D}", "UBND {dtype} {D}", "{dparty} {D}", "Ban Thường vụ {dparty} {D}",
            "Phòng {dept} {dtype} {D}", "Trung tâm Y tế {dtype} {D}", "Hội đồng nhân dân {dtype} {D}")
COMMUNE = ("Ủy ban nhân dân {wtype} {W}", "UBND {wtype} {W}", "Đảng ủy {wtype} {W}", "Hội đồng nhân dân {wtype} {W}")
CENTRAL = (
    "Bộ Chính trị", "Ban Bí thư", "Ban Chấp hành Trung ương Đảng", "Chính phủ", "Quốc hội", "Thủ tướng Chính phủ",
    "Ủy ban Thường vụ Quốc hội", "Văn phòng Chính phủ", "Thanh tra Chính phủ", "Ủy ban Kiểm tra Trung ương",
    "Ban Tổ chức Trung ương", "Ban Nội chính Trung ương", "Ban Tuyên giáo và Dân vận Trung ương",
    "Ban Chính sách, chiến lược Trung ương", "Văn phòng Trung ương Đảng", "Đảng ủy Chính phủ", "Đảng ủy Quốc hội",
    "Đảng ủy các cơ quan Đảng Trung ương", "Học viện Chính trị quốc gia Hồ Chí Minh", "Bảo hiểm xã hội Việt Nam",
    "Kho bạc Nhà nước", "Tổng cục Thuế", "Tổng cục Hải quan", "Ngân hàng Nhà nước Việt Nam", "Kiểm toán Nhà nước",
    "Tòa án nhân dân tối cao", "Viện Kiểm sát nhân dân tối cao", "Thông tấn xã Việt Nam", "Đài Truyền hình Việt Nam",
    "Báo Nhân Dân", "Tạp chí Cộng sản", "Viện Hàn lâm Khoa học xã hội Việt Nam", "Đại học Quốc gia Thành phố Hồ Chí Minh",
    "Tổng Liên đoàn Lao động Việt Nam", "Trung ương Đoàn Thanh niên Cộng sản Hồ Chí Minh", "Trung ương Hội Nông dân Việt Nam",
    "Cục Quản lý thị trường", "Vụ Tổ chức cán bộ", "Vụ Công chức - Viên chức", "Cục Văn thư và Lưu trữ nhà nước",
    "Mặt trận Tổ quốc Việt Nam", "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",
    "Bộ {dept}", "Ban Cán sự đảng Bộ {dept}", "Đảng ủy Bộ {dept}", "Bộ Quốc phòng", "Bộ Công an", "Bộ Ngoại giao",
)
CATEGORIES = (
    "cán bộ, công chức", "biên chế cán bộ, công chức", "công chức", "biên chế công chức", "viên chức",
    "biên chế viên chức", "viên chức hưởng lương từ ngân sách nhà nước",
    "biên chế sự nghiệp hưởng lương từ ngân sách nhà nước", "hợp đồng lao động", "lao động hợp đồng",
    "người hoạt động không chuyên trách cấp xã", "người hoạt động không chuyên trách ở cấp xã",
    "cán bộ, công chức cấp xã", "biên chế hưởng lương từ nguồn thu sự nghiệp", "cán bộ lãnh đạo, quản lý",
)
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Trương", "Đinh", "Mai")
MIDDLE = ("Văn", "Thị", "Minh", "Quốc", "Thanh", "Ngọc", "Đức", "Hữu", "Xuân", "Kim", "Anh", "Hồng")
GIVEN = ("An", "Bích", "Tuấn", "Hùng", "Lan", "Dũng", "Sơn", "Hà", "Thắng", "Ngân", "Hải", "Phượng", "Cường", "Tú",
         "Hằng", "Quang", "Trà", "Chính", "Long", "Nga", "Thủy", "Khoa")
KINDS = ("Trung tâm", "Ban Quản lý", "Chi cục", "Trường Trung cấp", "Trường Cao đẳng", "Viện", "Hội", "Quỹ", "Cục",
         "Văn phòng", "Bảo tàng", "Thư viện", "Trạm", "Nhà hát", "Tạp chí", "Bệnh viện", "Đội", "Vụ", "Phòng")
DOMAINS = (
    "Công nghệ thông tin", "Phát triển quỹ đất", "Quy hoạch xây dựng", "Bảo trợ xã hội", "Lưu trữ lịch sử",
    "Nước sạch và Vệ sinh môi trường nông thôn", "Đăng kiểm", "Giám định y khoa", "Pháp y", "Xúc tiến thương mại",
    "Huấn luyện và Thi đấu thể dục thể thao", "Khuyến công và Tư vấn phát triển công nghiệp", "Quản lý đê điều",
    "Trợ giúp pháp lý nhà nước", "Khí tượng thủy văn", "Điều dưỡng người có công", "Dịch vụ đấu giá tài sản",
    "Công tác xã hội", "Giáo dục nghề nghiệp", "Kỹ thuật tiêu chuẩn đo lường chất lượng", "Bảo tồn di tích",
    "Nghệ thuật truyền thống", "Quản lý bảo trì đường bộ", "Tin học và Thống kê", "Nghiên cứu phát triển",
    "Quy hoạch đô thị", "Chăn nuôi và Thú y", "Khuyến học", "Nông nghiệp công nghệ cao", "Phục hồi chức năng",
    "Tâm thần", "Mắt", "Y dược cổ truyền", "Kinh tế - Kỹ thuật", "Du lịch", "Nội chính", "Bảo vệ rừng",
)
"""Kinds and fields of public units, combined into names the lists above do not hold."""
FRAMES = (
    "Năm {Y}, {O} được giao {N} biên chế {C}.",
    "{O} được giao {N} biên chế, giảm {N} biên chế so với năm {Y}.",
    "- {Q} là {N} biên chế (bao gồm {N} {C}, {N} {C}).",
    "- {O}: {N} biên chế.",
    "- {Q} là {N} biên chế; giảm {N} biên chế so với năm {Y}.",
    "+ {Cc} là {N} biên chế, giảm {N} biên chế so với năm {Y}.",
    "Tổng biên chế của {Q} năm {Y} là {N} biên chế.",
    "{O} chủ trì, phối hợp với {O} tham mưu {O} thực hiện Kế hoạch này.",
    "Giao {O} chủ trì, phối hợp với các cơ quan liên quan hướng dẫn, theo dõi việc thực hiện.",
    "Thực hiện Kết luận số {K}-KL/TW của {O}, {O} đã ban hành Kế hoạch số {K}-KH/TU.",
    "Đồng chí {PER}, Giám đốc {O}, phát biểu tại hội nghị.",
    "Phó Chủ tịch {O} {PER} chủ trì buổi làm việc với {O}.",
    "Tại {L}, {O} đã tinh giản {N} {C} trong năm {Y}.",
    "{O} giảm {N} biên chế so với năm {Y}, tỷ lệ giảm {R}%.",
    "Đến hết năm {Y}, số {C} của {L} giảm {N} người.",
    "{O} báo cáo {O} kết quả tuyển dụng {N} {C}.",
    "Theo Quyết định số {K}-QĐ/TW của {O}, {L} được giao {N} biên chế giai đoạn 2022 - 2026.",
    "{O} và {O} thực hiện sắp xếp, kiện toàn tổ chức bộ máy theo Nghị quyết số {K}-NQ/TW.",
    "Các cơ quan, đơn vị, địa phương báo cáo kết quả về {O} trước ngày {D2}/{M}/{Y}.",
    "{O} thống nhất chủ trương hợp nhất {O} và {O}.",
    "Sau sắp xếp, {L} còn {N} đơn vị hành chính cấp xã.",
    "Chấm dứt {N} {C} không đúng quy định tại {O}.",
    "{O} có {N} {C} và {N} {C}.",
    "Đề nghị {O} xem xét, bổ sung {N} biên chế {C} cho {O}.",
    "Nhằm nâng cao chất lượng đội ngũ {C}, {C}, {O} ban hành quy chế đánh giá hằng quý.",
    "Ủy viên {O}, Bí thư {O} {PER} dự và chỉ đạo hội nghị.",
    "Trong đó, {O} có {N} biên chế, {O} có {N} biên chế.",
    "Kế hoạch số {K}-KH/UBND của {O} về tinh giản biên chế năm {Y}.",
    "Quán triệt Quy định số {K}-QĐ/TW ngày {D2}/{M}/{Y} của {O} về quản lý biên chế.",
    "{O} tự bảo đảm chi thường xuyên nên không giao {C}.",
    "Chủ tịch {O} ký Quyết định giao {N} {C} cho {O}.",
    "Đoàn công tác của {O} làm việc với {O} về công tác tổ chức, cán bộ.",
    "Tính đến ngày {D2}/{M}/{Y}, {L} có {N} {C}, {N} {C}.",
    "Phó Bí thư Thường trực {O} {PER} phát biểu kết luận hội nghị.",
    "Bí thư {O} {PER} chủ trì hội nghị.",
    "{PER}, Ủy viên {O}, Chủ tịch {O}; {PER} - Phó Bí thư {O}.",
    "Thay mặt {O}, đồng chí {PER} ký ban hành Kế hoạch số {K}-KH/TU.",
    "Giám đốc {O} {PER} cho biết đơn vị đã giảm {N} biên chế.",
    "- Đẩy mạnh xã hội hóa các đơn vị sự nghiệp công lập có đủ điều kiện.",
    "- Tăng cường công tác kiểm tra, giám sát việc quản lý {C} tại {O}.",
    "Giao {O} chủ trì thẩm định; {O} phối hợp thực hiện.",
    "Đồng chí {PER} đề nghị {O} sớm hoàn thành đề án vị trí việc làm.",
    "Cán bộ {O} làm việc tại {L} trong thời gian {N} ngày.",
)


@cache
def _legacy() -> dict[str, Any]:
    raw = resources.files("vietnamadminunits").joinpath("data/parser_legacy.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(raw)
    return data


@cache
def _provinces() -> dict[str, str]:
    """Province key → short name (legacy 63)."""
    return {k: str(v["provinceShort"]) for k, v in _legacy()["DICT_PROVINCE"].items()}


def districts_of(province: str) -> list[str]:
    """Short names of the (pre-2025) districts of ``province``."""
    key = next((k for k, v in _provinces().items() if v == province), None)
    if key is None:
        return []
    table = _legacy()["DICT_PROVINCE_DISTRICT"].get(key, {})
    return [str(d["districtShort"]) for d in table.values()]


@cache
def _places() -> tuple[list[str], list[tuple[str, str]], list[tuple[str, str]]]:
    """(provinces, (district type, name), (commune type, name)), held-out provinces removed."""
    from vietnam_provinces import Province

    held = set(HELD_OUT_PROVINCES)
    provinces = {v for v in _provinces().values() if v not in held}
    for p in Province.iter_all():
        name = p.name.removeprefix("Thành phố ").removeprefix("Tỉnh ")
        if name not in held:
            provinces.add(name)
    districts: list[tuple[str, str]] = []
    communes: list[tuple[str, str]] = []
    wards = _legacy()["DICT_PROVINCE_DISTRICT_WARD_NO_ACCENTED"]
    for key, short in _provinces().items():
        if short in held:
            continue
        for dkey, d in _legacy()["DICT_PROVINCE_DISTRICT"][key].items():
            districts.append((str(d["districtType"]).lower(), str(d["districtShort"])))
            for w in list(wards.get(key, {}).get(dkey, {}).values())[:4]:
                if str(w.get("wardShort", "nan")) != "nan" and str(w.get("wardType", "nan")) != "nan":
                    communes.append((str(w["wardType"]).lower(), str(w["wardShort"])))
    return sorted(provinces), sorted(set(districts)), sorted(set(communes))


_CITIES = ("Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế")
_DPARTY = {"huyện": "Huyện ủy", "quận": "Quận ủy", "thị xã": "Thị ủy", "thành phố": "Thành ủy"}


def _fill(template: str, rng: random.Random) -> str:
    provinces, districts, communes = _places()
    dtype, dname = rng.choice(districts)
    wtype, wname = rng.choice(communes)
    values = {
        "P": rng.choice(provinces), "C": rng.choice(_CITIES), "dept": rng.choice(DEPARTMENTS),
        "board": rng.choice(PARTY_BOARDS), "mass": rng.choice(MASS), "dtype": dtype, "D": dname,
        "dparty": _DPARTY.get(dtype, "Huyện ủy"), "wtype": wtype, "W": wname,
        "kind": rng.choice(KINDS), "domain": rng.choice(DOMAINS),
    }
    return str(regex.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], template))


def _org(rng: random.Random) -> str:
    pool = rng.choices((PROVINCIAL, CITY, DISTRICT, COMMUNE, CENTRAL, GENERATED, BARE), weights=(5, 1, 2, 1, 2, 3, 2))[0]
    return _fill(rng.choice(pool), rng)


def _loc(rng: random.Random) -> str:
    provinces, districts, communes = _places()
    form = rng.randrange(5)
    if form == 0:
        return f"tỉnh {rng.choice(provinces)}"
    if form == 1:
        return rng.choice(provinces)
    if form == 2:
        return f"thành phố {rng.choice(_CITIES)}"
    if form == 3:
        return "{} {}".format(*rng.choice(districts))
    return "{} {}".format(*rng.choice(communes))


def _number(rng: random.Random) -> str:
    value = rng.choice((rng.randint(1, 99), rng.randint(100, 999), rng.randint(1000, 40000)))
    return f"{value:,}".replace(",", ".")


def _slot(name: str, rng: random.Random) -> tuple[str, Label | None]:
    makers: dict[str, Callable[[], tuple[str, Label | None]]] = {
        "O": lambda: (_org(rng), "ORG"),
        "Q": lambda: (_fill(rng.choice(QUOTA_HOLDERS + PROVINCIAL[:12]), rng), "ORG"),
        "L": lambda: (_loc(rng), "LOC"),
        "C": lambda: (rng.choice(CATEGORIES), "CATEGORY"),
        "Cc": lambda: (rng.choice(CATEGORIES).capitalize(), "CATEGORY"),
        "N": lambda: (_number(rng), None),
        "Y": lambda: (str(rng.randint(2015, 2030)), None),
        "K": lambda: (str(rng.randint(1, 400)), None),
        "R": lambda: (f"{rng.randint(1, 15)},{rng.randint(1, 99):02d}", None),
        "D2": lambda: (str(rng.randint(1, 28)), None),
        "M": lambda: (str(rng.randint(1, 12)), None),
        "PER": lambda: (f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}", None),
    }
    return makers[name]()


def fill_frame(frame: str, rng: random.Random) -> tuple[str, list[tuple[int, int, Label]]]:
    """One sentence from ``frame`` and the spans of the names put in its slots."""
    text = ""
    spans: list[tuple[int, int, Label]] = []
    pos = 0
    for m in regex.finditer(r"\{(\w+)\}", frame):
        text += frame[pos:m.start()]
        value, label = _slot(m.group(1), rng)
        if label == "CATEGORY" and text.endswith("biên chế ") and value.startswith("biên chế "):
            value = value[len("biên chế "):]
        if label == "ORG" and value.startswith(("Các ", "Chính quyền")) and text.strip() not in ("", "-", "+"):
            value = "c" + value[1:]
        if label is not None:
            spans.append((len(text), len(text) + len(value), label))
        text += value
        pos = m.end()
    text += frame[pos:]
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    return text, spans


def augmented(n: int, seed: int = 0) -> list[Annotated]:
    """``n`` frame sentences with gazetteer names, drawn with ``seed``."""
    rng = random.Random(seed + 7919)
    out: list[Annotated] = []
    for i in range(n):
        frame_no = i % len(FRAMES)
        text, spans = fill_frame(FRAMES[frame_no], rng)
        out.append(Annotated(f"aug-{i}", text, tuple(spans), "train", "augmented", f"frame:{frame_no}"))
    return out
