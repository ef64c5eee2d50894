"""The PDF and DOCX versions of the seeds give the same citations and figures as the text."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.ingest.samples import find_unicode_font, write_docx, write_pdf
from extractor.models import DocumentResult
from extractor.pipeline import extract_path

SEEDS = sorted((Path(__file__).resolve().parent.parent / "corpus").glob("00*.txt"))


def _signature(result: DocumentResult) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    cites = sorted(tuple(str(v) for v in (c.id, c.key, c.type, c.date, c.issuer, c.relation, c.partial)) for c in result.citations)
    figs = sorted(tuple(str(v) for v in (f.kind, f.value, f.unit, f.category, f.year, f.base_year, f.rate_percent, f.org)) for f in result.figures)
    return cites, figs


@pytest.mark.parametrize("seed", SEEDS, ids=[s.name[:3] for s in SEEDS])
def test_formats_docx_matches_text(seed: Path, tmp_path: Path) -> None:
    from extractor.ingest.boilerplate import cut_boilerplate_tail

    docx = write_docx(cut_boilerplate_tail(seed.read_text(encoding="utf-8")), tmp_path / f"{seed.stem}.docx")
    assert _signature(extract_path(docx)) == _signature(extract_path(seed))


@pytest.mark.parametrize("seed", SEEDS, ids=[s.name[:3] for s in SEEDS])
def test_formats_pdf_matches_text(seed: Path, tmp_path: Path) -> None:
    if find_unicode_font() is None:
        pytest.skip("no Unicode TTF font installed (apt-get install fonts-dejavu-core)")
    from extractor.ingest.boilerplate import cut_boilerplate_tail

    pdf = write_pdf(cut_boilerplate_tail(seed.read_text(encoding="utf-8")), tmp_path / f"{seed.stem}.pdf")
    result = extract_path(pdf)
    assert result.errors == []
    assert _signature(result) == _signature(extract_path(seed))
    assert all(c.page is not None for c in result.citations)
