"""Every output of ``bienche extract`` in one pass over the results, with flat memory.

The results come one at a time (from a spool, a generator …) in input order; what
the writers need across documents (the report's summary table, the workbook's
year columns and row limits, the corpus findings) was gathered before, one result
at a time, in a :class:`~extractor.export.index.RunIndex`. Each output goes to a
temporary file beside it and is renamed into place only when all are complete.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from extractor.document import DEFAULT_MAX_BYTES
from extractor.export.index import DocEntry, RunIndex
from extractor.export.jsonl import JsonlSink
from extractor.export.staging import Sink, abort_all, drive
from extractor.models import DocumentResult


@dataclass
class Targets:
    """Where ``bienche extract`` writes; None (False) leaves an output out."""

    jsonl: Path | None = None
    stdout_jsonl: bool = False
    csv_dir: Path | None = None
    """Folder of figures.csv and citations.csv."""
    xlsx: Path | None = None
    report: Path | None = None
    """The report.html file."""
    max_bytes: int = DEFAULT_MAX_BYTES
    """Byte limit when files are read again for the report's texts."""


def _sinks(targets: Targets, index: RunIndex, docs: list[DocEntry]) -> list[Sink]:
    sinks: list[Sink] = []
    try:
        if targets.stdout_jsonl:
            sinks.append(JsonlSink(None))
        if targets.jsonl is not None:
            sinks.append(JsonlSink(targets.jsonl))
        if targets.csv_dir is not None:
            from extractor.export.csv import CsvSink  # each writer imported only when its output is wanted

            sinks.append(CsvSink(targets.csv_dir))
        if targets.xlsx is not None:
            from extractor.export.xlsx import XlsxSink

            sinks.append(XlsxSink(targets.xlsx, index))
        if targets.report is not None:
            from extractor.export.html import ReportSink
            from extractor.report import TextReader  # reads files: only when a report is wanted

            sinks.append(ReportSink(targets.report, docs, TextReader(max_bytes=targets.max_bytes)))
    except BaseException:
        abort_all(sinks)
        raise
    return sinks


def _in_order(results: Iterable[DocumentResult], docs: list[DocEntry]) -> Iterator[DocumentResult]:
    """``results``, checked against the index: same sources, same order, same number."""
    count = 0
    for count, result in enumerate(results, 1):
        if count > len(docs) or docs[count - 1].source != result.source:
            raise ValueError(f"{result.source}: result {count} is not the index's document {count}")
        yield result
    if count != len(docs):
        raise ValueError(f"{count} results for an index of {len(docs)} documents")


def write_outputs(results: Iterable[DocumentResult], targets: Targets, index: RunIndex) -> list[Path]:
    """Write every output of ``targets`` in ONE pass over ``results``; returns the
    files written (JSONL, figures.csv, citations.csv, the workbook, the report).

    ``results`` are the ones ``index`` was fed, in the same order, without their
    corpus findings: each gets ``index.corpus_findings()[source]`` appended as it
    passes (as ``extractor.batch.add_corpus_findings`` does). On any exception,
    from the writers or from ``results`` itself, no output is written and earlier
    outputs at the same paths are left as they were (standard output excepted).
    Raises ValueError when the workbook cannot hold a sheet or ``results`` do not
    match ``index``."""
    extra = index.corpus_findings()

    def attach(result: DocumentResult) -> None:
        result.findings.extend(extra.get(result.source, []))

    docs = index.documents()
    sinks = _sinks(targets, index, docs)
    return drive(_in_order(results, docs), sinks, attach)
