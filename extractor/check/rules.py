"""Finding rule names, defined once."""

from __future__ import annotations

SUM = "sum"
CHANGE = "change"
RATE = "rate"
BASE_YEAR = "base_year"
PERIOD = "period"
PERIOD_GAP = "period_gap"
MISSING_YEAR = "missing_year"
CITATION_CONFLICT = "citation_conflict"
TARGET = "target"
ACTUAL_ABOVE_ASSIGNED = "actual_above_assigned"
OCR_LOW_CONFIDENCE = "ocr_low_confidence"
GAP = "gap"

ALL = (SUM, CHANGE, RATE, BASE_YEAR, PERIOD, PERIOD_GAP, MISSING_YEAR, CITATION_CONFLICT, TARGET, ACTUAL_ABOVE_ASSIGNED,
       OCR_LOW_CONFIDENCE, GAP)
