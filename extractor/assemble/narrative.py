"""The year a narrative sets: a date or year opening a sentence ("Tháng 8 năm 2018,
…", "Năm 2019, …") holds for the sentences after it that state none, up to the next
such opening, the next heading, or ``NARRATIVE_REACH`` characters."""

from __future__ import annotations

from bisect import bisect_right

from extractor.annotated import AnnotatedDocument
from extractor.patterns import compiled

NARRATIVE_REACH = 1500
"""How far (characters) an opening date carries: about two paragraphs."""


def narrative_openings(doc: AnnotatedDocument) -> list[tuple[int, int | None]]:
    """(start, year) of every date or year that opens a sentence, in text order; a
    sentence opening with a time that is no such year ("Năm Quang Thuận thứ 7", "Thời
    nhà Lê") ends the narrative year (year None)."""
    marks = sorted([(y.start, y.year) for y in doc.years or [] if y.role in ("year", "until")]  # "Đến năm 2026, …"
                   + [(d.start, d.year) for d in doc.dates or [] if d.year is not None])
    sentences = doc.sentences or []
    starts = [s.start for s in sentences]
    opening = compiled("figures", "figure.time_opening")
    out: list[tuple[int, int | None]] = []
    for start, year in marks:
        i = bisect_right(starts, start) - 1
        if i >= 0 and opening.fullmatch(doc.text, sentences[i].start, start):
            out.append((start, year))
    time = compiled("figures", "figure.other_time_opening")
    out += [(s.start, None) for s in sentences if time.match(doc.text, s.start, s.end)]
    out.sort(key=lambda o: o[0])
    return out


def narrative_year(openings: list[tuple[int, int | None]], headings: list[int], sentence_start: int) -> int | None:
    """The year of the last opening before the sentence at ``sentence_start`` (or an
    era opening the sentence itself, which gives None), unless a heading (their
    starts, sorted) or too much text lies between."""
    i = bisect_right(openings, sentence_start, key=lambda o: o[0]) - 1
    if i < 0:
        return None
    start, year = openings[i]
    if year is None:
        return None
    if sentence_start - start > NARRATIVE_REACH:
        return None
    h = bisect_right(headings, start)
    if h < len(headings) and headings[h] <= sentence_start:
        return None
    return year
