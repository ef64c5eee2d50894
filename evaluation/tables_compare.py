"""Ruled-table readers compared on the written table gold: pdfplumber (as bienche
reads tables) against camelot-py lattice and stream.

    python evaluation/tables_compare.py [--work DIR] [--repeat N] [--per-document] [--json]

Renders every document of ``evaluation/gold/written/`` to PDF with
``scripts/make_table_docs.py`` (into ``--work``, default a folder under /tmp),
reads each PDF's tables with each reader and compares them with the document's
markdown tables, cell by cell after whitespace normalisation. The sample PDF of
``corpus/`` (prose, no table) is read too: every table found there is spurious.

Per reader, summed over the documents:

* tables: reference tables with at least one found table matched to them /
  reference tables; a table continued on the next page may be found as several
  pieces (each assigned to the reference table it shares most cell text with);
  ``spurious``: found tables sharing no cell text with any reference table;
* cells: non-empty reference cells (merged-over positions left out) whose text
  equals the found cell at the same row and column, after aligning the found
  rows to the reference rows (monotone alignment maximising equal cells);
* in row: the same, but the text may stand in any column of the aligned row;
* numbers: the same as cells, for body cells right of the first column whose
  text is a number (``1.234``, ``-12``, ``2,5%``);
* merged: multi-cell header spans whose text is at the span's top-left and whose
  covered positions are empty (or repeat the text);
* exact: reference tables reproduced cell for cell (covered positions empty);
* ms/page: the fastest of ``--repeat`` runs over each PDF, divided by its pages
  (a warm-up run first, so imports are not counted).

camelot-py is needed for the measurement only, not by bienche:
``pip install camelot-py`` (it pulls opencv-python-headless, pandas and
playa-pdf; lattice renders pages with pypdfium2, no ghostscript).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import make_table_docs as docs  # noqa: E402

Grid = list[list[str | None]]
Reader = Callable[[Path], list[Grid]]
SAMPLE_PDF = REPO / "corpus" / "kh-123-longan.pdf"
_NUMBER = re.compile(r"^[+\-−]?\d[\d.,]*%?$")


# Readers ----------------------------------------------------------------------


def read_pdfplumber(path: Path) -> list[Grid]:
    """Tables as bienche reads them (``page.find_tables()`` then ``extract()``)."""
    import pdfplumber

    grids: list[Grid] = []
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            for table in page.find_tables():
                grids.append([[docs.normalise(cell) for cell in row] for row in table.extract()])
    return grids


def _read_camelot(path: Path, flavor: str) -> list[Grid]:
    """Tables found by ``camelot.read_pdf(flavor=...)`` on every page, in page order."""
    from camelot.io import read_pdf

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "no tables found in table area" and the like
        tables = read_pdf(str(path), pages="all", flavor=flavor, suppress_stdout=True)
    return [[[docs.normalise(str(cell)) for cell in row] for row in t.df.values.tolist()] for t in tables]


def read_lattice(path: Path) -> list[Grid]:
    """camelot lattice: cells from the ruling lines of the rendered page."""
    return _read_camelot(path, "lattice")


def read_stream(path: Path) -> list[Grid]:
    """camelot stream: cells from the whitespace between words."""
    return _read_camelot(path, "stream")


READERS: dict[str, Reader] = {
    "pdfplumber": read_pdfplumber,
    "camelot-lattice": read_lattice,
    "camelot-stream": read_stream,
}


# Scoring ----------------------------------------------------------------------


@dataclass
class Score:
    """Counts for one reader over one or more documents."""

    tables_expected: int = 0
    tables_found: int = 0
    pieces: int = 0
    spurious: int = 0
    cells: int = 0
    cells_right: int = 0
    cells_in_row: int = 0
    numbers: int = 0
    numbers_right: int = 0
    spans: int = 0
    spans_right: int = 0
    exact: int = 0
    pages: int = 0
    seconds: float = 0.0

    def add(self, other: Score) -> None:
        """Add ``other``'s counts to these."""
        for name, value in asdict(other).items():
            setattr(self, name, getattr(self, name) + value)


@dataclass
class Reference:
    """A markdown table as the expected grid, with its spans and cell kinds."""

    grid: Grid
    header_rows: int
    spans: list[docs.Span] = field(default_factory=list)

    @classmethod
    def of(cls, table: docs.Table) -> Reference:
        """The reference of one markdown table."""
        spans = [s for s in docs.header_spans(table.header, table.width) if s.rows * s.cols > 1]
        return cls(docs.expected_pdf_grid(table), len(table.header), spans)


def _texts(grid: Sequence[Sequence[str | None]]) -> Counter[str]:
    """The non-empty cell texts of a grid, counted."""
    return Counter(cell for row in grid for cell in row if cell)


def assign(found: Sequence[Grid], refs: Sequence[Reference]) -> tuple[list[list[Grid]], int]:
    """Found tables grouped by the reference they share most cell text with (in
    found order), and the number of found tables sharing none."""
    groups: list[list[Grid]] = [[] for _ in refs]
    spurious = 0
    ref_texts = [_texts(r.grid) for r in refs]
    for grid in found:
        texts = _texts(grid)
        overlaps = [sum((texts & ref).values()) for ref in ref_texts]
        if not overlaps or max(overlaps) == 0:
            spurious += 1
            continue
        groups[overlaps.index(max(overlaps))].append(grid)
    return groups, spurious


def _row_score(ref: Sequence[str | None], got: Sequence[str | None]) -> float:
    """Equal non-empty cells at the same column, plus a little for text anywhere in the row."""
    same = sum(1 for c, text in enumerate(ref) if text and c < len(got) and got[c] == text)
    anywhere = sum(1 for text in ref if text and text in got)
    return same + 0.001 * anywhere


def align_rows(ref: Grid, got: Grid) -> dict[int, int]:
    """Reference row -> found row, the monotone pairing with the most equal cells."""
    n, m = len(ref), len(got)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            pair = _row_score(ref[i - 1], got[j - 1])
            best[i][j] = max(best[i - 1][j], best[i][j - 1], best[i - 1][j - 1] + pair if pair else 0.0)
    pairs: dict[int, int] = {}
    i, j = n, m
    while i and j:
        pair = _row_score(ref[i - 1], got[j - 1])
        if pair and best[i][j] == best[i - 1][j - 1] + pair:
            pairs[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif best[i][j] == best[i - 1][j]:
            i -= 1
        else:
            j -= 1
    return pairs


def _cell(got: Grid, pairs: dict[int, int], r: int, c: int) -> str | None:
    """The found cell aligned to reference position (r, c); None if there is none."""
    row = pairs.get(r)
    if row is None or c >= len(got[row]):
        return None
    return got[row][c]


def _span_right(span: docs.Span, got: Grid, pairs: dict[int, int]) -> bool:
    """The span's text at its top-left; its covered positions empty or the same text."""
    if _cell(got, pairs, span.row, span.col) != docs.normalise(docs.cell_text(span.text)):
        return False
    for r in range(span.row, span.row + span.rows):
        for c in range(span.col, span.col + span.cols):
            if (r, c) != (span.row, span.col) and r in pairs:
                if _cell(got, pairs, r, c) not in (None, "", docs.normalise(docs.cell_text(span.text))):
                    return False
    return True


def score_table(ref: Reference, pieces: Sequence[Grid]) -> Score:
    """The counts for one reference table against the found pieces assigned to it."""
    got: Grid = [row for piece in pieces for row in piece]
    pairs = align_rows(ref.grid, got)
    score = Score(tables_expected=1, tables_found=int(bool(pieces)), pieces=len(pieces))
    for r, row in enumerate(ref.grid):
        found_row = got[pairs[r]] if r in pairs else []
        for c, text in enumerate(row):
            if not text:
                continue
            right = _cell(got, pairs, r, c) == text
            number = r >= ref.header_rows and c > 0 and bool(_NUMBER.match(text))
            score.cells += 1
            score.cells_right += right
            score.cells_in_row += text in found_row
            score.numbers += number
            score.numbers_right += number and right
    score.spans = len(ref.spans)
    score.spans_right = sum(_span_right(s, got, pairs) for s in ref.spans)
    blank = [[cell or "" for cell in row] for row in ref.grid]
    kept = _drop_repeated_headers(pieces, ref.header_rows)
    score.exact = int([[cell or "" for cell in row] for row in kept] == blank)
    return score


def _drop_repeated_headers(pieces: Sequence[Grid], head: int) -> Grid:
    """The pieces joined, the header rows a continuation repeats left out."""
    joined: Grid = list(pieces[0]) if pieces else []
    for piece in pieces[1:]:
        joined += piece[head:] if head and piece[:head] == joined[:head] else piece
    return joined


def score_document(found: Sequence[Grid], refs: Sequence[Reference]) -> Score:
    """The counts for one document's found tables against its reference tables."""
    groups, spurious = assign(found, refs)
    total = Score(spurious=spurious)
    for ref, pieces in zip(refs, groups, strict=True):
        total.add(score_table(ref, pieces))
    return total


# Running ----------------------------------------------------------------------


def page_count(path: Path) -> int:
    """The number of pages of a PDF."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()


def timed_read(reader: Reader, path: Path, repeat: int) -> tuple[list[Grid], float]:
    """The reader's tables and its fastest time (seconds) over ``repeat`` runs."""
    found: list[Grid] = []
    fastest = float("inf")
    for _ in range(max(repeat, 1)):
        start = time.perf_counter()
        found = reader(path)
        fastest = min(fastest, time.perf_counter() - start)
    return found, fastest


def documents(work: Path) -> list[tuple[str, Path, list[Reference]]]:
    """(name, PDF, reference tables) of every written document, rendered into
    ``work``, and of the corpus sample PDF (no tables) when present."""
    out: list[tuple[str, Path, list[Reference]]] = []
    for source in docs.written_documents():
        blocks = docs.parse_markdown(source.read_text(encoding="utf-8"))
        pdf = work / f"{source.stem}.pdf"
        if not pdf.exists():
            docs.write_pdf(blocks, pdf)
        out.append((source.stem, pdf, [Reference.of(b) for b in blocks if isinstance(b, docs.Table)]))
    if SAMPLE_PDF.exists():
        out.append((SAMPLE_PDF.stem, SAMPLE_PDF, []))
    return out


def run(work: Path, repeat: int) -> dict[str, dict[str, Score]]:
    """Reader -> document name -> counts."""
    corpus = documents(work)
    results: dict[str, dict[str, Score]] = {}
    for name, reader in READERS.items():
        reader(corpus[0][1])  # warm-up: imports and first-call set-up are not timed
        per_doc: dict[str, Score] = {}
        for stem, pdf, refs in corpus:
            found, seconds = timed_read(reader, pdf, repeat)
            score = score_document(found, refs)
            score.pages, score.seconds = page_count(pdf), seconds
            per_doc[stem] = score
        results[name] = per_doc
    return results


def _share(right: int, total: int) -> str:
    """``right/total (pct)``."""
    return f"{right}/{total} ({100 * right / total:.1f}%)" if total else "-"


def row_of(name: str, s: Score) -> list[str]:
    """One line of the printed table."""
    ms = 1000 * s.seconds / s.pages if s.pages else 0.0
    return [name, f"{s.tables_found}/{s.tables_expected}", str(s.pieces), str(s.spurious),
            _share(s.cells_right, s.cells), _share(s.cells_in_row, s.cells),
            _share(s.numbers_right, s.numbers), _share(s.spans_right, s.spans),
            f"{s.exact}/{s.tables_expected}", f"{ms:.1f}"]


HEAD = ["reader", "tables", "pieces", "spurious", "cells", "in row", "numbers", "merged", "exact", "ms/page"]


def render(rows: list[list[str]]) -> str:
    """Rows as a markdown table."""
    lines = ["| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def totals(results: dict[str, dict[str, Score]]) -> dict[str, Score]:
    """Reader -> counts summed over the documents."""
    summed: dict[str, Score] = {}
    for name, per_doc in results.items():
        summed[name] = Score()
        for score in per_doc.values():
            summed[name].add(score)
    return summed


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "bienche-tables-compare",
                        help="folder for the rendered PDFs (made if missing; existing PDFs are reused)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per PDF, the fastest kept")
    parser.add_argument("--per-document", action="store_true", help="also one line per reader and document")
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    args = parser.parse_args(argv)
    try:
        import camelot  # noqa: F401
    except ImportError:
        print("tables_compare: camelot-py is not installed; it is needed for this measurement only: "
              "pip install camelot-py", file=sys.stderr)
        return 2
    try:
        results = run(args.work, args.repeat)
    except FileNotFoundError as exc:  # no Unicode font to render the PDFs
        print(f"tables_compare: {exc}", file=sys.stderr)
        return 1
    summed = totals(results)
    if args.json:
        print(json.dumps({"total": {k: asdict(v) for k, v in summed.items()},
                          "documents": {k: {d: asdict(s) for d, s in v.items()} for k, v in results.items()}},
                         indent=2))
        return 0
    print(render([row_of(name, score) for name, score in summed.items()]))
    if args.per_document:
        print()
        print(render([row_of(f"{name} {doc}", s) for name, per_doc in results.items() for doc, s in per_doc.items()]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
