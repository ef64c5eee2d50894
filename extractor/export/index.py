"""A compact index of a run, fed one result at a time, for the streaming writers.

The writers of :mod:`extractor.export.stream` see each ``DocumentResult`` once and
keep nothing of it; what they need across documents comes from here: per document
its source, format, page count and counts (the report's summary table, the
workbook's row limits), the (year, period, basis) of every quota level (the
workbook's year columns), and compact copies of the keyed citations (the corpus
conflict rule). That is a few small values per document, never its figures,
sentences or text.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass, replace

from extractor.check.citations import CiteLike, CiteRef, corpus_cites, key_conflicts
from extractor.export.xlsx_summary import LevelKey, YearColumn, column_for, split_of
from extractor.models import DocumentResult, Finding


def file_name(source: str) -> str:
    """``PurePosixPath(source).name`` without pathlib, which interns every part it
    parses (a table that then grows with the number of documents)."""
    parts = [part for part in source.split("/") if part and part != "."]
    return parts[-1] if parts else ""


def _intern(text: str | None) -> str | None:
    return None if text is None else sys.intern(text)


@dataclass(frozen=True, slots=True)
class DocEntry:
    """What the writers need to know of one document before they see it again."""

    source: str
    format: str | None
    pages: int | None
    citations: int
    figures: int
    errors: int
    """Findings of severity error."""
    warnings: int
    """The other findings."""
    findings: int
    """Every finding, related ones included (rows of the findings sheet)."""
    read_errors: int
    problems: int
    """Read errors and warnings (rows of the read-errors sheet)."""

    @property
    def name(self) -> str:
        """The file name, the source when it has none."""
        return file_name(self.source) or self.source

    @classmethod
    def of(cls, result: DocumentResult) -> DocEntry:
        """The entry of ``result`` as it stands."""
        errors = sum(1 for f in result.findings if f.severity == "error")
        return cls(
            source=result.source, format=_intern(result.format), pages=result.pages,
            citations=len(result.citations), figures=len(result.figures),
            errors=errors, warnings=len(result.findings) - errors, findings=len(result.all_findings()),
            read_errors=len(result.errors), problems=len(result.errors) + len(result.warnings),
        )  # fmt: skip

    def with_findings(self, extra: list[Finding]) -> DocEntry:
        """The entry once ``extra`` findings are appended to the document's own."""
        if not extra:
            return self
        errors = sum(1 for f in extra if f.severity == "error")
        related = sum(len(f.related) for f in extra)
        return replace(
            self, errors=self.errors + errors, warnings=self.warnings + len(extra) - errors,
            findings=self.findings + len(extra) + related,
        )  # fmt: skip


class RunIndex:
    """The run-wide facts the streaming writers and the corpus checks need.

    ``add`` every result in input order (before corpus findings are attached);
    ``corpus`` False skips the citation copies and makes :meth:`corpus_findings`
    empty (for results whose corpus findings are already attached)."""

    def __init__(self, *, corpus: bool = True) -> None:
        self._corpus = corpus
        self._docs: list[DocEntry] = []
        self._levels: set[LevelKey] = set()
        self._cites: dict[str, list[tuple[str, CiteLike]]] = defaultdict(list)
        self._findings: dict[str, list[Finding]] | None = None

    def add(self, result: DocumentResult) -> None:
        """Take in one result (its corpus findings not yet attached)."""
        entry = DocEntry.of(result)
        source = entry.source  # one string for the entry and the citations
        self._docs.append(entry)
        for fig in result.figures:
            if fig.kind == "level":
                self._levels.add((fig.year, _intern(fig.period), _intern(fig.basis)))
        if self._corpus:
            for key, c in corpus_cites(result):
                key = sys.intern(key)
                ref = CiteRef(key, _intern(c.date), _intern(c.issuer), _intern(c.issuer_code), c.start, c.end)
                self._cites[key].append((source, ref))
        self._findings = None

    def __len__(self) -> int:
        return len(self._docs)

    def corpus_findings(self) -> dict[str, list[Finding]]:
        """Findings that need every document, keyed by source: what
        ``extractor.check.check_corpus`` gives for the same results."""
        if self._findings is None:
            self._findings = dict(key_conflicts(self._cites)) if self._corpus else {}
        return self._findings

    def documents(self) -> list[DocEntry]:
        """One entry per document, in input order, corpus findings counted."""
        extra = self.corpus_findings()
        return [doc.with_findings(extra.get(doc.source, [])) for doc in self._docs]

    def split(self) -> frozenset[int | str | None]:
        """The years stated on two bases somewhere (``split_years`` of the run)."""
        return split_of(self._levels)

    def year_columns(self) -> list[YearColumn]:
        """The value columns of the summary sheet, sorted (as ``summary_blocks`` gives them)."""
        split = self.split()
        return sorted({column_for(level, split) for level in self._levels})

    def row_counts(self) -> dict[str, int]:
        """Rows under the header of each per-document list sheet, by sheet key."""
        docs = self.documents()
        return {
            "figures": sum(d.figures for d in docs), "citations": sum(d.citations for d in docs),
            "findings": sum(d.findings for d in docs), "documents": len(docs),
            "errors": sum(d.problems for d in docs),
        }  # fmt: skip
