"""Vietnamese names for what the records hold in English: field values, rule names,
sheet names and column headers, with a one-line meaning of every column.

The one dictionary of the clerk-facing exports (the XLSX workbook; the HTML report
can take the rule names from :func:`rule_label`). Codes stay in the JSONL and the
CSV, which are for programs; a value with no translation here is shown as is.
"""

from __future__ import annotations

from typing import NamedTuple

KIND: dict[str, str] = {
    "level": "mức biên chế",
    "change": "tăng/giảm",
    "rate": "tỷ lệ",
    "count": "số lượng khác",
}
CATEGORY: dict[str, str] = {
    "total": "tổng số",
    "officials": "cán bộ, công chức",
    "public_employees": "viên chức",
    "commune_officials": "cán bộ, công chức cấp xã",
    "self_financed": "viên chức hưởng lương từ nguồn thu sự nghiệp",
    "contract_workers": "lao động hợp đồng",
    "part_time_commune": "người hoạt động không chuyên trách cấp xã",
    "leaders": "cán bộ lãnh đạo, quản lý",
}
APPROX: dict[str, str] = {
    "exact": "chính xác",
    "about": "khoảng",
    "at_least": "ít nhất",
    "over": "trên",
    "at_most": "tối đa",
    "under": "dưới",
}
RELATION: dict[str, str] = {
    "cites": "dẫn chiếu",
    "implements": "thực hiện",
    "continues": "tiếp tục thực hiện",
    "amends": "sửa đổi, bổ sung",
    "replaces": "thay thế",
    "according_to": "căn cứ",
}
SEVERITY: dict[str, str] = {"error": "lỗi", "warning": "cảnh báo"}
BASIS: dict[str, str] = {"assigned": "được giao", "actual": "có mặt", "planned": "dự kiến"}
ROLE: dict[str, str] = {"before": "trước sắp xếp", "after": "sau sắp xếp"}
RULE: dict[str, str] = {
    "sum": "tổng không khớp",
    "change": "tăng/giảm không khớp",
    "rate": "tỷ lệ không khớp",
    "base_year": "năm so sánh không đúng",
    "period": "giai đoạn mâu thuẫn",
    "period_gap": "giai đoạn bị hở hoặc chồng lấn",
    "missing_year": "thiếu năm",
    "citation_conflict": "trích dẫn mâu thuẫn",
    "target": "chưa đạt chỉ tiêu tinh giản",
    "actual_above_assigned": "số có mặt vượt số được giao",
    "ocr_low_confidence": "OCR đọc chưa chắc chắn",
    "gap": "số chưa sử dụng không khớp",
}
YES = "có"

VALUES: dict[str, dict[str, str]] = {
    "kind": KIND, "category": CATEGORY, "approx": APPROX, "relation": RELATION,
    "severity": SEVERITY, "level": SEVERITY, "basis": BASIS, "role": ROLE, "rule": RULE,
}  # fmt: skip
"""Field name → its value dictionary (``level`` is the Errors sheet's error/warning)."""


def rule_label(rule: str) -> str:
    """The Vietnamese name of a finding rule ("sum" → "tổng không khớp"); unknown rules as is."""
    return RULE.get(rule, rule)


def value_label(field: str, value: str) -> str:
    """The Vietnamese form of ``value`` of ``field`` (kind, category, approx, relation,
    severity, basis, role, rule); the value itself where there is none."""
    return VALUES.get(field, {}).get(value, value)


class ColumnLabel(NamedTuple):
    """A column as a clerk sees it: header, the JSONL field it comes from, meaning."""

    header: str
    field: str
    meaning: str


SHEETS: dict[str, str] = {
    "summary": "Tổng hợp biên chế",
    "figures": "Số liệu",
    "citations": "Trích dẫn",
    "findings": "Phát hiện",
    "documents": "Văn bản",
    "errors": "Lỗi đọc tệp",
    "columns": "Giải thích cột",
}
"""Sheet key → sheet name, in workbook order."""

_SOURCE = ColumnLabel("Tệp", "source", "Đường dẫn tệp văn bản đã đọc")
_PAGE = ColumnLabel("Trang", "page", "Trang chứa số liệu (chỉ với PDF, ảnh)")
_SENTENCE = ColumnLabel("Câu trong văn bản", "sentence", "Câu chứa số liệu, nguyên văn")
_OCR = ColumnLabel("Độ tin cậy OCR", "ocr_confidence", "Độ tin cậy thấp nhất (0-100) khi chữ được đọc bằng OCR")

COLUMNS: dict[str, dict[str, ColumnLabel]] = {
    "summary": {
        "org": ColumnLabel("Đơn vị", "figures[].org", "Cơ quan, đơn vị; phần con thụt vào dưới tổng của nó (figures[].parent)"),
        "category": ColumnLabel("Loại biên chế", "figures[].category", "Công chức, viên chức, tổng số …"),
        "unit": ColumnLabel("Đơn vị tính", "figures[].unit", "Biên chế, người làm việc, chỉ tiêu …"),
        "year": ColumnLabel("<năm> (<căn cứ>)", "figures[].value theo year, basis",
                            "Mức biên chế của năm đó; căn cứ ghi khi văn bản nêu (được giao, có mặt, dự kiến)"),
        "check": ColumnLabel("Kiểm tra tổng", "(tính từ figures[].parent, row_total)",
                             "Tổng các phần so với số tổng: khớp, hoặc lệch bao nhiêu"),
        "notes": ColumnLabel("Ghi chú", "figures[].approx", "Số ước lượng (khoảng, ít nhất …) hoặc số ghi khác cho cùng ô"),
        "ids": ColumnLabel("Mã số liệu", "figures[].id", "Mã các số liệu của hàng, tra ở trang Số liệu"),
    },
    "figures": {
        "source": _SOURCE, "page": _PAGE,
        "id": ColumnLabel("Mã số liệu", "figures[].id", "Mã số liệu trong văn bản (f1, f2 …)"),
        "kind": ColumnLabel("Loại số liệu", "figures[].kind", "Mức biên chế, tăng/giảm, tỷ lệ hoặc số lượng khác"),
        "value": ColumnLabel("Giá trị", "figures[].value", "Con số; giảm ghi số âm; tỷ lệ tính bằng %"),
        "unit": ColumnLabel("Đơn vị tính", "figures[].unit", "Biên chế, người làm việc, đơn vị …"),
        "category": ColumnLabel("Loại biên chế", "figures[].category", "Công chức, viên chức, tổng số …"),
        "org": ColumnLabel("Đơn vị", "figures[].org", "Cơ quan, đơn vị mà số liệu nói đến"),
        "year": ColumnLabel("Năm", "figures[].year", "Năm của số liệu"),
        "period": ColumnLabel("Giai đoạn", "figures[].period", "Giai đoạn kế hoạch (2022-2026)"),
        "base_year": ColumnLabel("Năm so sánh", "figures[].base_year", "Năm gốc của mức tăng/giảm (so với năm …)"),
        "rate_percent": ColumnLabel("Tỷ lệ (%)", "figures[].rate_percent", "Tỷ lệ tăng/giảm văn bản nêu kèm"),
        "basis": ColumnLabel("Căn cứ", "figures[].basis", "Được giao, có mặt hoặc dự kiến; trống khi văn bản không nói"),
        "approx": ColumnLabel("Mức chính xác", "figures[].approx", "Chính xác, khoảng, ít nhất, trên, tối đa"),
        "partial": ColumnLabel("Chỉ là một phần", "figures[].partial", "Có: phần của mục «trong đó», không cộng đủ thành tổng"),
        "parent": ColumnLabel("Thuộc tổng", "figures[].parent", "Mã số liệu tổng mà số này là một phần"),
        "row_total": ColumnLabel("Tổng của hàng", "figures[].row_total", "Trong bảng: mã ô tổng số của cùng hàng"),
        "text": ColumnLabel("Chữ trong văn bản", "figures[].text", "Đoạn chữ của số liệu, nguyên văn"),
        "ocr_confidence": _OCR, "sentence": _SENTENCE,
    },
    "citations": {
        "source": _SOURCE, "page": _PAGE,
        "id": ColumnLabel("Số hiệu", "citations[].id", "Số hiệu văn bản được dẫn (71-QĐ/TW)"),
        "key": ColumnLabel("Khóa", "citations[].key", "Số hiệu kèm cơ quan ban hành địa phương, để nối văn bản"),
        "number": ColumnLabel("Số", "citations[].number", "Phần số của số hiệu"),
        "type": ColumnLabel("Loại văn bản", "citations[].type", "Nghị quyết, Kết luận, Kế hoạch …"),
        "date": ColumnLabel("Ngày ban hành", "citations[].date", "Ngày ban hành văn bản được dẫn, khi câu nêu"),
        "issuer": ColumnLabel("Cơ quan ban hành", "citations[].issuer", "Cơ quan ban hành văn bản được dẫn"),
        "relation": ColumnLabel("Quan hệ", "citations[].relation", "Văn bản này dẫn chiếu, thực hiện, căn cứ … văn bản kia"),
        "partial": ColumnLabel("Thiếu số hiệu", "citations[].partial", "Có: câu không ghi đủ số hiệu"),
        "is_self": ColumnLabel("Chính văn bản này", "citations[].is_self", "Có: số hiệu của chính văn bản đang đọc"),
        "text": ColumnLabel("Chữ trong văn bản", "citations[].text", "Đoạn chữ của trích dẫn, nguyên văn"),
        "ocr_confidence": _OCR,
        "sentence": ColumnLabel("Câu trong văn bản", "citations[].sentence", "Câu chứa trích dẫn, nguyên văn"),
    },
    "findings": {
        "source": _SOURCE,
        "rule": ColumnLabel("Loại phát hiện", "findings[].rule", "Quy tắc kiểm tra phát hiện điều bất thường"),
        "severity": ColumnLabel("Mức độ", "findings[].severity", "Lỗi: số liệu mâu thuẫn; cảnh báo: đáng ngờ"),
        "message": ColumnLabel("Nội dung", "findings[].message", "Phép tính cho thấy chỗ không khớp"),
        "stated": ColumnLabel("Số văn bản ghi", "findings[].stated", "Giá trị văn bản ghi"),
        "computed": ColumnLabel("Số tính lại", "findings[].computed", "Giá trị tính từ các số liệu khác"),
        "suggestion": ColumnLabel("Đề xuất sửa", "findings[].suggestion", "Sửa một số để mọi phép tính khớp"),
        "mentions": ColumnLabel("Số liệu liên quan", "findings[].spans", "Mã và chữ của các số liệu, trích dẫn dùng để tính"),
        "page": ColumnLabel("Trang", "findings[].page", "Trang của số liệu đầu tiên"),
        "sentence": ColumnLabel("Câu trong văn bản", "sentence", "Các câu chứa các số liệu liên quan"),
    },
    "documents": {
        "source": _SOURCE,
        "self_id": ColumnLabel("Số hiệu", "self.id", "Số hiệu của chính văn bản, khi văn bản nêu"),
        "self_type": ColumnLabel("Loại văn bản", "self.type", "Kế hoạch, Nghị quyết …"),
        "self_date": ColumnLabel("Ngày ban hành", "self.date", "Ngày ban hành của chính văn bản"),
        "self_issuer": ColumnLabel("Cơ quan ban hành", "self.issuer", "Cơ quan ban hành chính văn bản"),
        "format": ColumnLabel("Định dạng", "format", "txt, html, docx, pdf …"),
        "pages": ColumnLabel("Số trang", "pages", "Số trang (PDF, ảnh)"),
        "chars": ColumnLabel("Số ký tự", "chars", "Độ dài văn bản đã đọc"),
        "citations": ColumnLabel("Trích dẫn", "citations", "Số trích dẫn tìm được"),
        "figures": ColumnLabel("Số liệu", "figures", "Số số liệu tìm được"),
        "levels": ColumnLabel("Mức biên chế", "figures[].kind = level", "Số mức biên chế (hiện ở trang Tổng hợp biên chế)"),
        "findings": ColumnLabel("Phát hiện", "findings", "Số phát hiện (lỗi và cảnh báo)"),
        "errors": ColumnLabel("Lỗi đọc", "errors", "Số lỗi khi đọc tệp"),
        "warnings": ColumnLabel("Cảnh báo đọc", "warnings", "Số cảnh báo khi đọc tệp"),
        "sha256": ColumnLabel("Mã băm SHA-256", "sha256", "Dấu vân tay của tệp, để nhận ra tệp đã đổi"),
    },
    "errors": {
        "source": _SOURCE,
        "level": ColumnLabel("Mức độ", "errors / warnings", "Lỗi: không đọc được; cảnh báo: đọc được một phần"),
        "code": ColumnLabel("Mã", "errors[].code", "Mã lỗi (E_…) hoặc cảnh báo (W_…)"),
        "message": ColumnLabel("Nội dung", "errors[].message", "Tệp nào, vấn đề gì"),
    },
    "columns": {
        "sheet": ColumnLabel("Trang tính", "", "Tên trang tính"),
        "header": ColumnLabel("Tiêu đề cột", "", "Tiêu đề cột như trong trang tính"),
        "field": ColumnLabel("Trường JSONL", "", "Trường tương ứng trong results.jsonl"),
        "meaning": ColumnLabel("Ý nghĩa", "", "Cột cho biết gì"),
    },
}  # fmt: skip
"""Sheet key → field → its column label. Each sheet's fields appear in its column order."""
