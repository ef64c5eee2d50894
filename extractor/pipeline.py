"""The whole pipeline for one document or file: ingest → segment → extract → assemble.

``extract_path`` never raises for bad input: the error lands in the result's
``errors`` so a batch goes on with the other files.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Literal

from extractor import errors, regex_store
from extractor.annotated import AnnotatedDocument
from extractor.check import check_document
from extractor.components import figures as figure_components
from extractor.components import mentions, structure
from extractor.components.base import Component, Pipeline
from extractor.document import DEFAULT_MAX_BYTES, load_document
from extractor.errors import IngestError
from extractor.models import Citation, DateMention, Document, DocumentResult, Figure, FileError, SelfIdentity
from extractor.rules.header import HEADER_CHARS
from extractor.rules.numbers import find_malformed_numbers

ExtractorMode = Literal["rules", "model", "both"]


def default_extractor() -> ExtractorMode:
    """``rules``, unless the environment variable BIENCHE_EXTRACTOR says model or both.

    On the held-back real-document gold the trained model does not improve figure
    records: figure org accuracy 0.620 with it and 0.620 without, every other field
    equal (docs/design.md). It stays one flag away (``--extractor both``), and
    the default starts without spaCy."""
    chosen = os.environ.get("BIENCHE_EXTRACTOR", "rules")
    return chosen if chosen in ("model", "both") else "rules"  # type: ignore[return-value]


@cache
def build_pipeline(extractor: ExtractorMode) -> Pipeline:
    """The components, in order, for one extractor mode (the model only where it is shipped)."""
    components: list[Component] = [
        structure.sentences, mentions.dates, mentions.years, mentions.periods, mentions.numbers,
        structure.context, structure.sections, structure.tables,
        mentions.citations, mentions.orgs, mentions.categories,
        figure_components.figures, figure_components.sense,
    ]
    if extractor != "rules":
        from extractor.components.model import model_component  # imports spaCy
        from extractor.ner.pipeline import model_available

        if model_available():
            components += [model_component(extractor)]
    components += [figure_components.refine, figure_components.assemble, mentions.backrefs]
    return Pipeline(components)


def annotate(document: Document, extractor: ExtractorMode | None = None) -> AnnotatedDocument:
    """The annotated document: every layer the pipeline for ``extractor`` writes."""
    return build_pipeline(extractor or default_extractor())(AnnotatedDocument(document=document))


def extract_document(document: Document, extractor: ExtractorMode | None = None) -> DocumentResult:
    """Every citation, date, period, org and quota figure of a normalised document, checked.

    ``extractor`` picks who finds unit names and categories: the rules, the
    trained spaCy model, or both (the model only where it is shipped)."""
    doc = annotate(document, extractor)
    return result_of(doc)


def result_of(doc: AnnotatedDocument) -> DocumentResult:
    """The JSON Lines record of an annotated document, with the checker's findings."""
    document = doc.document
    citations = doc.citations or []
    placed: list[Citation | Figure] = [*citations, *(doc.figures or [])]
    for mention in placed:
        mention.page = document.page_at(mention.start)
        place = document.locate(mention.start, mention.end)
        if place is not None:
            mention.page, mention.bbox, mention.ocr_confidence = place.page, place.bbox, place.conf
    warnings = list(document.warnings)
    for start, end, token in find_malformed_numbers(doc.text):
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
        self=_self_identity(doc, citations),
        citations=citations,
        backrefs=doc.backrefs or [],
        figures=doc.figures or [],
        findings=[],
        periods=doc.periods or [],
        dates=doc.dates or [],
        orgs=doc.orgs or [],
        pages=len(document.page_starts) or None,
        chars=len(doc.text),
    )
    result.findings = check_document(result, doc.text)
    for finding in result.all_findings():
        if finding.spans:
            start, end = finding.spans[0]
            finding.page = document.page_at(start)
            place = document.locate(start, end)
            if place is not None:
                finding.page, finding.bbox = place.page, place.bbox
    return result


def _first_day(dates: list[DateMention], start: int, end: int) -> DateMention | None:
    return next((d for d in dates if start <= d.start < end and d.precision == "day"), None)


def _self_identity(doc: AnnotatedDocument, citations: list[Citation]) -> SelfIdentity | None:
    """The document's own identity: a "kí ban hành …" mention or its header "Số: …"."""
    own = next((c for c in citations if c.is_self and c.id and c.key), None)
    if own is None or own.id is None or own.key is None:
        return None
    in_header = own.start < HEADER_CHARS
    if own.date is None:
        sentence = next((s for s in doc.sentences or [] if s.start <= own.start < s.end), None)
        first = _first_day(doc.dates or [], sentence.start, sentence.end) if sentence else None
        if first is not None and first.start - sentence.start < 12:  # type: ignore[union-attr]
            own.date = first.date
        elif in_header and doc.context.date is not None:
            own.date = doc.context.date.date
    if own.issuer is None and in_header:
        own.issuer = doc.context.issuer
    return SelfIdentity(id=own.id, key=own.key, type=own.type, date=own.date, issuer=own.issuer)


def extract_path(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, extractor: ExtractorMode | None = None) -> DocumentResult:
    """Read and extract one file; bad input becomes an error entry, never an exception.

    Patterns compiled for the first time are saved for later processes (``regex_store``):
    batch workers end without running exit handlers."""
    try:
        return _extract_path(path, max_bytes, extractor)
    finally:
        regex_store.save()


def _extract_path(path: Path, max_bytes: int, extractor: ExtractorMode | None) -> DocumentResult:
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
