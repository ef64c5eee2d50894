"""Workloads for evaluation/bench.py, written into a scratch folder (never into the repository).

- text: the ``.txt`` files of the corpus folder, then (when ``../shared/corpus-extra`` is
  beside the checkout) its pages, until about the size asked for (3.2 MB by default:
  the size the speed issue was measured on); without ../shared the corpus files are
  repeated under new names;
- pdf: text-layer PDFs (A4, wrapped paragraphs, the way ``scripts/make_corpus.py``
  writes the sample) of the same texts until about the pages asked for;
- many: ``n`` short files cut from the same texts (about 3 KB each, a numbered heading
  line each), for the scaling table.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXTRA = REPO.parent / "shared" / "corpus-extra"


def source_texts(corpus: Path) -> list[Path]:
    """The text files a workload is cut from: corpus/*.txt, then ../shared/corpus-extra/*.md."""
    found = sorted(corpus.glob("*.txt"))
    if EXTRA.is_dir():
        found += sorted(EXTRA.glob("*.md"))
    return found


def _cycled(corpus: Path) -> Iterator[tuple[int, Path]]:
    texts = source_texts(corpus)
    if not texts:
        raise FileNotFoundError(f"{corpus}: no .txt files to build a workload from")
    return enumerate(itertools.cycle(texts))


def text_workload(corpus: Path, folder: Path, target_bytes: int) -> list[Path]:
    """Copies of the source texts in ``folder`` until ``target_bytes`` (each file whole)."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    total = 0
    for i, path in _cycled(corpus):
        if total >= target_bytes:
            break
        target = folder / f"{i:05d}-{path.stem}{path.suffix}"
        shutil.copyfile(path, target)
        written.append(target)
        total += target.stat().st_size
    return written


def pdf_workload(corpus: Path, folder: Path, target_pages: int) -> list[Path]:
    """Text-layer PDFs of the source texts in ``folder`` until about ``target_pages`` pages."""
    import pypdfium2

    from extractor.ingest.boilerplate import cut_boilerplate_tail
    from extractor.ingest.samples import write_pdf

    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    pages = 0
    for i, path in _cycled(corpus):
        if pages >= target_pages:
            break
        text = cut_boilerplate_tail(path.read_text(encoding="utf-8", errors="replace"))
        if len(text) < 2000:
            continue
        target = write_pdf(text[:60_000], folder / f"{i:05d}-{path.stem}.pdf")
        pdf = pypdfium2.PdfDocument(target)
        pages += len(pdf)
        pdf.close()
        written.append(target)
    return written


def many_files(corpus: Path, folder: Path, n: int, size: int = 3000) -> list[Path]:
    """``n`` short text files cut from the source texts, each with its own heading line."""
    folder.mkdir(parents=True, exist_ok=True)
    pieces: list[str] = []
    for path in source_texts(corpus)[:40]:
        text = path.read_text(encoding="utf-8", errors="replace")
        pieces += [text[i : i + size] for i in range(0, max(1, len(text) - size // 2), size)]
    written = []
    for i in range(n):
        target = folder / f"{i // 1000:02d}" / f"vb-{i:05d}.txt"
        target.parent.mkdir(exist_ok=True)
        target.write_text(f"Văn bản số {i + 1}/KH-UBND\n{pieces[i % len(pieces)]}", encoding="utf-8")
        written.append(target)
    return written
