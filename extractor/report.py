"""The data behind the HTML report: each result together with the text its offsets index.

``build_report`` reads and extracts files itself; ``attach_texts`` pairs results
already extracted (by ``bienche extract``) with their texts by reading the
files again, which is cheap next to extraction.
"""

from __future__ import annotations

from pathlib import Path

from extractor import errors
from extractor.batch import add_corpus_findings
from extractor.document import DEFAULT_MAX_BYTES, load_document
from extractor.errors import IngestError
from extractor.export.html import ReportItem
from extractor.ingest import iter_input_files
from extractor.models import DocumentResult, FileError
from extractor.pipeline import extract_document

DEFAULT_MAX_TEXT_CHARS = 50_000_000
"""Text kept for one report; documents past it are listed without their text."""


def _failed(path: Path, sha256: str | None, code: str, message: str, format_: str | None = None) -> ReportItem:
    return DocumentResult(source=str(path), sha256=sha256, format=format_, errors=[FileError(code=code, message=message)]), None


def _read_and_extract(path: Path, max_bytes: int) -> ReportItem:
    """One file's result and text; bad input becomes an error entry, never an exception."""
    try:
        document = load_document(path, max_bytes=max_bytes)
    except IngestError as error:
        return DocumentResult(source=str(path), sha256=None, errors=[error.to_model()]), None
    except Exception as error:  # noqa: BLE001 - one bad file must not stop the report
        return _failed(path, None, errors.E_INTERNAL, f"{path.name}: could not be read ({type(error).__name__}: {error})")
    try:
        return extract_document(document), document.text
    except Exception as error:  # noqa: BLE001
        message = f"{path.name}: extraction failed ({type(error).__name__}: {error})"
        return _failed(path, document.sha256, errors.E_INTERNAL, message, document.format)


def build_report(paths: list[Path], *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[ReportItem]:
    """Read and extract every file under ``paths`` (folders are walked), in order, with
    run-wide findings added; each result comes with its text (None when unreadable)."""
    items = [_read_and_extract(path, max_bytes) for path in iter_input_files(paths)]
    add_corpus_findings([result for result, _ in items])
    return items


class TextReader:
    """The texts of results already extracted, read again from their files, in run
    order, within one budget of characters (see :func:`attach_texts`)."""

    def __init__(self, *, max_bytes: int = DEFAULT_MAX_BYTES, max_text_chars: int = DEFAULT_MAX_TEXT_CHARS) -> None:
        self._max_bytes = max_bytes
        self._budget = max_text_chars

    def __call__(self, result: DocumentResult) -> str | None:
        """The text of ``result``, or None (errors, unreadable, changed, over budget)."""
        if result.errors or result.sha256 is None or result.chars > self._budget:
            return None
        try:
            document = load_document(Path(result.source), max_bytes=self._max_bytes)
        except Exception:  # noqa: BLE001 - the report then shows the result without text
            return None
        if document.sha256 != result.sha256:
            return None
        self._budget -= len(document.text)
        return document.text


def attach_texts(
    results: list[DocumentResult],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_text_chars: int = DEFAULT_MAX_TEXT_CHARS,
) -> list[ReportItem]:
    """Pair results already extracted with their texts by reading each file again.

    A result with errors, a file that no longer reads or whose digest changed
    since, and every document past ``max_text_chars`` of text in all, get None.
    """
    reader = TextReader(max_bytes=max_bytes, max_text_chars=max_text_chars)
    return [(result, reader(result)) for result in results]
