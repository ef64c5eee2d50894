"""The military sense of "biên chế": in an article about an army, the numbers of a
sentence about a unit's organisation ("biên chế gồm 4 phòng, 3 ban", "mỗi tiểu
đội được biên chế 1 tiểu đội trưởng") describe its composition, not quotas."""

from __future__ import annotations

from extractor.models import Figure
from extractor.patterns import compiled
from extractor.rules.norms import speaks_of_staff

MIN_MILITARY_TERMS = 15
"""Military words a document needs before its "biên chế" counts as the military sense."""
CIVIL_RATIO = 3
"""… and they must outnumber its civil staffing words this many times."""


def is_military(text: str) -> bool:
    """Whether ``text`` is about an army's organisation rather than civil staffing."""
    military = sum(1 for _ in compiled("sense", "sense.military_term").finditer(text))
    if military < MIN_MILITARY_TERMS:
        return False
    civil = sum(1 for _ in compiled("sense", "sense.civil_staffing").finditer(text))
    return military > CIVIL_RATIO * civil


def staffing_sense(text: str, figures: list[Figure]) -> list[Figure]:
    """``figures`` without those of a military document's organisation sentences and of its
    table rows that speak of no staff (a part whose whole is dropped goes too)."""
    if not figures or not is_military(text):
        return figures
    line = compiled("sense", "sense.organisation_line")
    dropped = {f.id for f in figures if line.search(f.sentence or "")
               or "|" in (f.sentence or "") and f.category in (None, "total")
               and not speaks_of_staff(f.sentence, 0, len(f.sentence))}  # a weapons table row, no staff of its header
    kept = [f for f in figures if f.id not in dropped and f.parent not in dropped]
    return kept
