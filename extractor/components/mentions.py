"""Mention components: dates, years, periods, numbers, citations, orgs, categories, back-references."""

from __future__ import annotations

from extractor.annotated import AnnotatedDocument
from extractor.components.base import component
from extractor.ner.extract import find_categories_rules
from extractor.rules.backrefs import find_backrefs
from extractor.rules.citations import find_citations
from extractor.rules.dates import find_dates, find_periods, find_years
from extractor.rules.numbers import find_numbers
from extractor.rules.orgs import find_orgs


@component("dates", writes=("dates",))
def dates(doc: AnnotatedDocument) -> None:
    """Calendar dates at day, month or quarter precision."""
    doc.dates = find_dates(doc.text)


@component("years", writes=("years",))
def years(doc: AnnotatedDocument) -> None:
    """Years: plain, base ("so với năm 2022"), heading ("2.1. Năm 2024"), until."""
    doc.years = find_years(doc.text)


@component("periods", writes=("periods",))
def periods(doc: AnnotatedDocument) -> None:
    """Spans of years ("giai đoạn 2022 - 2026")."""
    doc.periods = find_periods(doc.text)


@component("numbers", writes=("numbers",))
def numbers(doc: AnnotatedDocument) -> None:
    """Every number as written, with its qualifier ("khoảng", "ít nhất")."""
    doc.numbers = find_numbers(doc.text)


@component("citations", reads=("sentences", "context"), writes=("citations",))
def citations(doc: AnnotatedDocument) -> None:
    """References to other directives and the document's own identity."""
    doc.citations = find_citations(doc.text, doc.sentences or [], doc.context.province)


@component("orgs", reads=("context",), writes=("orgs",))
def orgs(doc: AnnotatedDocument) -> None:
    """Unit and place names the patterns know."""
    doc.orgs = find_orgs(doc.text, doc.context.province)


@component("categories", writes=("categories",))
def categories(doc: AnnotatedDocument) -> None:
    """Quota category phrases the patterns know."""
    doc.categories = find_categories_rules(doc.text)


@component("backrefs", reads=("sentences", "citations"), writes=("backrefs",))
def backrefs(doc: AnnotatedDocument) -> None:
    """"Kế hoạch này", "Nghị quyết 18": resolved to the citation they point back to."""
    doc.backrefs = find_backrefs(doc.text, doc.sentences or [], doc.citations or [])
