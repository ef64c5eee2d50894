"""Figure components: quota figures in prose and in tables, then record assembly."""

from __future__ import annotations

from bisect import bisect_right

from extractor.annotated import AnnotatedDocument
from extractor.assemble.records import assemble_records
from extractor.assemble.sense import staffing_sense
from extractor.assemble.tables import table_figures
from extractor.components.base import component
from extractor.patterns import compiled
from extractor.ner.extract import refine_figures
from extractor.rules.figures import find_figures
from extractor.structure.tables import holds_number


def _in_spans(pos: int, spans: list[tuple[int, int]]) -> bool:
    i = bisect_right(spans, (pos, 1 << 62)) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _excluded(doc: AnnotatedDocument) -> list[tuple[int, int]]:
    spans = [(c.start, c.end) for c in doc.citations or [] if not c.partial]
    spans += [(d.start, d.end) for d in doc.dates or []]
    spans += [(p.start, p.end) for p in doc.periods or []]
    spans += [(y.start, y.end) if y.role != "heading" else (y.end - 4, y.end) for y in doc.years or []]
    spans += [m.span() for m in compiled("figures", "figure.teaser_line").finditer(doc.text)]
    spans += [m.span() for m in compiled("figures", "figure.reference_line").finditer(doc.text)]
    return sorted(spans)


@component("figures", reads=("sentences", "numbers", "years", "periods", "dates", "citations", "tables"),
           writes=("figures",))
def figures(doc: AnnotatedDocument) -> None:
    """Levels, signed changes, rates and counts in prose (with their stated parts), then table cells."""
    cells = sorted((c.start, c.end) for t in doc.tables or [] for r in t.rows for c in r.cells if holds_number(c.text))
    prose_numbers = [n for n in doc.numbers or [] if not _in_spans(n.number_start, cells)]
    found = find_figures(doc.text, doc.sentences or [], prose_numbers, doc.years or [], doc.periods or [],
                         doc.dates or [], _excluded(doc))
    found += table_figures(doc.tables or [], len(found) + 1, doc.text)
    doc.figures = sorted(found, key=lambda f: f.start)


@component("sense", reads=("figures",), writes=("figures",))
def sense(doc: AnnotatedDocument) -> None:
    """No figures from the organisation sentences of an article about an army."""
    doc.figures = staffing_sense(doc.text, doc.figures or [])


@component("refine", reads=("figures", "orgs", "categories"), writes=("figures",))
def refine(doc: AnnotatedDocument) -> None:
    """Org and category from the org and category mentions where the rules' subject is off."""
    doc.figures = refine_figures(doc.text, doc.figures or [], doc.orgs or [], doc.categories or [])


@component("assemble", reads=("figures", "sentences", "sections", "tables", "context", "years", "dates", "orgs", "citations"),
           writes=("figures",))
def assemble(doc: AnnotatedDocument) -> None:
    """Records: basis, and year, org and parent from the section, the table and the document."""
    doc.figures = assemble_records(doc)
