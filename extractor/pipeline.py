"""The whole pipeline for one document or file: ingest → segment → extract → assemble.

``extract_path`` never raises for bad input: the error lands in the result's
``errors`` so a batch goes on with the other files.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from extractor import errors
from extractor.check import check_document
from extractor.document import DEFAULT_MAX_BYTES, load_document
from extractor.errors import IngestError
from extractor.ner.extract import categories_for, orgs_for, refine_figures
from extractor.ner.pipeline import model_available
from extractor.models import Citation, Document, DocumentResult, FileError, SelfIdentity, Sentence
from extractor.rules.backrefs import find_backrefs
from extractor.rules.citations import find_citations
from extractor.rules.dates import find_dates, find_periods, find_years
from extractor.rules.figures import find_figures
from extractor.rules.tables import find_table_figures
from extractor.rules.header import HEADER_CHARS, header_date, header_issuer
from extractor.rules.numbers import find_malformed_numbers, find_numbers
from extractor.gazetteer import find_province
from extractor.rules.orgs import document_province, find_orgs
from extractor.segment import split_sentences, sentence_at


ExtractorMode = Literal["rules", "model", "both"]


def default_extractor() -> ExtractorMode:
    """``both`` (rules decide where they match, the trained model adds what they miss:
    on documents it never saw, both beat rules alone, evaluation/ner/RESULTS.md),
    unless the environment variable BIENCHE_EXTRACTOR says rules or model."""
    chosen = os.environ.get("BIENCHE_EXTRACTOR", "both")
    return chosen if chosen in ("rules", "model") else "both"  # type: ignore[return-value]


def extract_document(document: Document, extractor: ExtractorMode | None = None) -> DocumentResult:
    """Every citation, date, period, org and quota figure of a normalised document.

    ``extractor`` picks who finds unit names and categories: the rules, the
    trained spaCy model, or both (the model only where it is shipped)."""
    extractor = extractor or default_extractor()
    text = document.text
    sentences = split_sentences(text)
    province = document_province(text) or find_province(header_issuer(text) or "")
    citations = find_citations(text, sentences, province)
    dates = find_dates(text)
    years = find_years(text)
    periods = find_periods(text)
    numbers = find_numbers(text)
    orgs = find_orgs(text, province)
    use_model = extractor != "rules" and model_available()
    if use_model:
        orgs = orgs_for(text, orgs, extractor)
    excluded = [(c.start, c.end) for c in citations if not c.partial]
    excluded += [(d.start, d.end) for d in dates]
    excluded += [(p.start, p.end) for p in periods]
    excluded += [(y.start, y.end) if y.role != "heading" else (y.end - 4, y.end) for y in years]
    figures = find_figures(text, sentences, numbers, years, periods, dates, excluded)
    in_tables = find_table_figures(text, len(figures) + 1)
    taken = {(f.start, f.end) for f in figures}
    figures += [f for f in in_tables if (f.start, f.end) not in taken]
    if use_model:
        figures = refine_figures(text, figures, orgs, categories_for(text, extractor))
    for citation in citations:
        citation.page = document.page_at(citation.start)
    for figure in figures:
        figure.page = document.page_at(figure.start)
    warnings = list(document.warnings)
    for start, end, token in find_malformed_numbers(text):
        warnings.append(
            FileError(
                code=errors.W_NUMBER_MALFORMED,
                message=f"{Path(document.source).name}: '{token}' at offset {start}-{end} is not a valid number (expected 1.234 or 1,5); skipped",
            )
        )
    result = DocumentResult(
        source=document.source,
        sha256=document.sha256,
        format=document.format,
        warnings=warnings,
        self=_self_identity(text, citations, sentences),
        citations=citations,
        backrefs=find_backrefs(text, sentences, citations),
        figures=figures,
        findings=[],
        periods=periods,
        dates=dates,
        orgs=orgs,
        pages=len(document.page_starts) or None,
        chars=len(text),
    )
    result.findings = check_document(result, text)
    return result


def _self_identity(text: str, citations: list[Citation], sentences: list[Sentence]) -> SelfIdentity | None:
    """The document's own identity: a "kí ban hành …" mention or its header "Số: …"."""
    own = next((c for c in citations if c.is_self and c.id and c.key), None)
    if own is None or own.id is None or own.key is None:
        return None
    in_header = own.start < HEADER_CHARS
    if own.date is None:
        sentence = sentence_at(sentences, own.start)
        first = next((d for d in find_dates(sentence.text) if d.precision == "day"), None) if sentence else None
        if first is not None and first.start < 12:
            own.date = first.date
        elif in_header:
            dated = header_date(text)
            own.date = dated.date if dated else None
    if own.issuer is None and in_header:
        own.issuer = header_issuer(text)
    return SelfIdentity(id=own.id, key=own.key, type=own.type, date=own.date, issuer=own.issuer)


def extract_path(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, extractor: ExtractorMode | None = None) -> DocumentResult:
    """Read and extract one file; bad input becomes an error entry, never an exception."""
    try:
        document = load_document(path, max_bytes=max_bytes)
    except IngestError as error:
        return DocumentResult(source=str(path), sha256=None, errors=[error.to_model()])
    except Exception as error:  # noqa: BLE001 - a batch must never stop on one file
        return DocumentResult(
            source=str(path),
            sha256=None,
            errors=[FileError(code=errors.E_INTERNAL, message=f"{path.name}: could not be read ({type(error).__name__}: {error})")],
        )
    try:
        return extract_document(document, extractor)
    except Exception as error:  # noqa: BLE001
        return DocumentResult(
            source=str(path),
            sha256=document.sha256,
            format=document.format,
            errors=[FileError(code=errors.E_INTERNAL, message=f"{path.name}: extraction failed ({type(error).__name__}: {error})")],
        )
