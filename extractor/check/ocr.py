"""Figures and document numbers read by OCR with low confidence, and document
numbers repaired from OCR confusions: a warning each, so a checker looks at the
page before trusting the number."""

from __future__ import annotations

from extractor.check.rules import OCR_LOW_CONFIDENCE
from extractor.models import Citation, DocumentResult, Figure, Finding

LOW_CONFIDENCE = 60.0
"""Tesseract word confidence (0-100) below which a figure or id is flagged."""


def _finding(mention: Figure | Citation, what: str) -> Finding:
    conf = mention.ocr_confidence or 0.0
    return Finding(
        rule=OCR_LOW_CONFIDENCE,
        severity="warning",
        message=(
            f"{what} '{mention.text}' được nhận dạng (OCR) với độ tin cậy thấp ({conf:.0f}/100); "
            "hãy đối chiếu với trang gốc"
        ),
        stated=mention.text,
        spans=[(mention.start, mention.end)],
    )


def low_confidence_findings(result: DocumentResult, threshold: float = LOW_CONFIDENCE) -> list[Finding]:
    """One warning per OCR'd figure or citation id whose weakest word is below ``threshold``."""
    found: list[Finding] = []
    for citation in result.citations:
        if citation.ocr_confidence is not None and citation.ocr_confidence < threshold:
            found.append(_finding(citation, "Số hiệu văn bản"))
        elif citation.repairs and citation.ocr_confidence is not None:
            repaired = _finding(citation, "Số hiệu văn bản")
            repaired.message = (f"Số hiệu văn bản '{citation.text}' được đọc là {citation.id} sau khi sửa lỗi nhận dạng "
                                f"({'; '.join(citation.repairs)}); hãy đối chiếu với trang gốc")
            found.append(repaired)
    for figure in result.figures:
        if figure.ocr_confidence is not None and figure.ocr_confidence < threshold:
            found.append(_finding(figure, "Số liệu"))
    return found
