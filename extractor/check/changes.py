"""change and base_year: a stated change against the difference of two levels.

Levels are stated or derived: "1.263 … giảm 25 biên chế so với năm 2022" defines
the 2022 level as 1.288, which every later "so với năm 2022" must agree with.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractor.check import rules
from extractor.check.numbers import vn
from extractor.check.relations import Relation, org_keys
from extractor.check.sums import unit_group
from extractor.models import Figure, Finding

Key = tuple[str, str | None, str, str]


@dataclass
class LevelTable:
    """org × category × unit × year → the first stated level, and derived base levels."""

    stated: dict[tuple[Key, int], Figure]
    derived: dict[tuple[Key, int], tuple[Figure, Figure]]
    """(key, base year) → (defining change, the level it was stated against)."""

    def level_value(self, key: Key, year: int) -> float | None:
        """The level for ``key`` in ``year``, stated or derived."""
        if (key, year) in self.stated:
            return self.stated[(key, year)].value
        if (key, year) in self.derived:
            change, level = self.derived[(key, year)]
            return level.value - change.value
        return None


def _key(f: Figure, orgs: dict[str, str]) -> Key:
    """org × category × unit × measure: an actual headcount is never the level of a quota."""
    return (orgs[f.id], f.category, f.unit, "actual" if f.basis == "actual" else "quota")


def level_table(figures: list[Figure]) -> tuple[LevelTable, dict[str, str]]:
    """The stated levels of ``figures`` by org, category, unit and year."""
    orgs = org_keys(figures)
    stated: dict[tuple[Key, int], Figure] = {}
    ambiguous: set[tuple[Key, int]] = set()
    for f in figures:
        if f.kind == "count" and unit_group(f.unit) == "staff":
            continue  # "chưa sử dụng 806 người", "dôi dư 396 người": people counted, no staffing level
        if f.kind in ("level", "count") and f.year is not None and f.approx == "exact" and f.org:
            key = (_key(f, orgs), f.year)
            if key in stated and stated[key].value != f.value and f.parent != stated[key].id and stated[key].parent != f.id:
                ambiguous.add(key)  # two levels of one measure and year ("từ 109 phòng xuống còn 74 phòng"): which is meant?
            stated.setdefault(key, f)
    for key in ambiguous:
        del stated[key]
    return LevelTable(stated=stated, derived={}), orgs


def change_relations(figures: list[Figure]) -> tuple[list[Relation], list[Finding], LevelTable]:
    """Change relations (stated or derived base levels) and base_year findings."""
    table, orgs = level_table(figures)
    relations: list[Relation] = []
    findings: list[Finding] = []
    by_id = {f.id: f for f in figures}
    for c in figures:
        if c.kind == "change" and c.before_after and c.approx == "exact":
            before, after = (by_id.get(i) for i in c.before_after)
            if before is not None and after is not None and before.approx == after.approx == "exact":
                severity = "error" if _adjacent(c, before, after, figures) else "warning"
                relations.append(Relation(rule=rules.CHANGE, terms=[(after.id, 1.0), (before.id, -1.0), (c.id, -1.0)],
                                          figures=[c, after, before], extra={"severity": severity}))
            continue
        if c.kind != "change" or c.year is None or c.base_year is None or c.approx != "exact" or not c.org:
            continue
        key = _key(c, orgs)
        if c.base_year >= c.year:
            findings.append(_base_year_finding(c, table, key))
            continue
        level = table.stated.get((key, c.year))
        if level is None:
            continue
        base = table.stated.get((key, c.base_year))
        if base is not None:
            whole = by_id.get(level.parent or "")
            shared = whole is not None and whole.sentence == c.sentence and whole.start < level.start < c.start \
                or any(f.parent == level.id and f.partial and level.end <= f.start < c.start for f in figures)
            relations.append(Relation(rule=rules.CHANGE, terms=[(level.id, 1.0), (base.id, -1.0), (c.id, -1.0)], figures=[c, level, base],
                                      extra={"key": key, **({"severity": "warning"} if shared else {})}))
            continue  # "… là 2.400 biên chế, trong đó cấp tỉnh 1.420 biên chế, giảm 50 …": the share's or the whole's? not provable
        derived = table.derived.get((key, c.base_year))
        if derived is None:
            table.derived[(key, c.base_year)] = (c, level)
            continue
        d_change, d_level = derived
        relations.append(
            Relation(
                rule=rules.CHANGE,
                terms=[(level.id, 1.0), (c.id, -1.0), (d_level.id, -1.0), (d_change.id, 1.0)],
                figures=[c, level, d_level, d_change],
                extra={"key": key},
            )
        )
    return relations, findings, table


MERGED_GAP = 40
"""Characters between a merged count and its bracketed reduction (see assemble/mergers.py)."""


def _adjacent(change: Figure, before: Figure, after: Figure, figures: list[Figure]) -> bool:
    """Whether before, after and change are stated together: before the after level,
    the change after both or right before both ("giảm 120 biên chế, từ 14.320 xuống còn
    14.200"), and no other level or count of their unit between them that is not one of
    their own parts."""
    if after.start < before.start < change.start and change.start - before.end <= MERGED_GAP:
        # "… 52 ĐVHC để hình thành 23 ĐVHC mới." … "sắp xếp 52/63 ĐVHC (giảm được 29 đơn vị)": the merger stated before
        return not any(f.kind in ("level", "count") and before.end <= f.start < change.start for f in figures)
    if not (before.start < after.start < change.start or change.start < before.start < after.start
            or after.start < change.start < before.start):  # "… có 47 xã, giảm 94 đơn vị so với trước sắp xếp (141 đơn vị)"
        return False
    own = {before.id, after.id, change.id}
    lo, hi = min(before.start, after.start, change.start), max(before.start, after.start, change.start)
    for f in figures:
        if f.id in own or not (lo < f.start < hi) or f.kind not in ("level", "count"):
            continue
        if f.parent in own:
            continue
        if f.unit == before.unit or f.unit == after.unit:
            return False
    return True


def _base_year_finding(c: Figure, table: LevelTable, key: Key) -> Finding:
    word = "chính năm đó" if c.base_year == c.year else f"một năm sau ({c.base_year})"
    message = f"số liệu năm {c.year} ({c.text}) được so với {word}: \"so với năm {c.base_year}\""
    level = table.stated.get((key, c.year or 0))
    fits = alternative_base_years(c, table, key, level)
    suggestion = None
    if fits:
        suggestion = f"có thể là năm gốc {fits[0]} ({vn(level.value) if level else '?'} − {vn(table.level_value(key, fits[0]) or 0)} = {vn(c.value)})"
        message += f"; {vn(abs(c.value))} khớp với năm gốc {fits[0]}"
    elif level is not None and c.year is not None:
        previous = table.level_value(key, c.year - 1)
        if previous is not None:
            message += f"; so với năm {c.year - 1} sẽ là {vn(level.value)} − {vn(previous)} = {vn(level.value - previous)}"
    if suggestion is None and c.year is not None:
        suggestion = f"có thể là năm gốc {c.year - 1} (năm liền trước; không có mức nào nêu để xác định)"
    spans = [(c.start, c.end)] + ([c.base_year_span] if c.base_year_span else []) + ([(level.start, level.end)] if level else [])
    return Finding(rule=rules.BASE_YEAR, severity="error", message=message, stated=abs(c.value), computed=None, suggestion=suggestion, spans=spans)


def alternative_base_years(c: Figure, table: LevelTable, key: Key, level: Figure | None) -> list[int]:
    """Years whose level (stated or derived) makes ``c`` exact: level − that = change."""
    if level is None or c.year is None:
        return []
    years = sorted({y for (k, y) in table.stated if k == key} | {y for (k, y) in table.derived if k == key and table.derived[(k, y)][0].id != c.id})
    fits = []
    for year in years:
        if year in (c.base_year, c.year) or year > c.year:
            continue
        value = table.level_value(key, year)
        if value is not None and abs(level.value - value - c.value) < 1e-6:
            fits.append(year)
    return fits
