"""Throughput of bienche against baselines run in the same run.

    python evaluation/bench.py [--corpus DIR] [--repeat N] [--text-mb MB] [--pdf-pages N]
    python evaluation/bench.py --scaling [--sizes 100,1000,10000]

The workloads (evaluation/bench_data.py, written to a scratch folder): about
``--text-mb`` (3.2) MB of text cut from DIR/*.txt and ../shared/corpus-extra, and
text-layer PDFs of the same texts of about ``--pdf-pages`` (480) pages. Two ways,
both in one run:

- in-process: bienche load + extract over the text against underthesea sentence
  split + word segmentation of every line of the same files (KB/s, ratio); bienche
  over the PDFs against pdfplumber ``extract_text`` of every page (pages/s, ratio);
- whole process, as a user runs it: ``bienche extract FILES --jsonl OUT`` with the
  default settings (the default extractor, parallel workers) against a fresh
  ``python`` process that runs the baseline over the same files, start-up and
  imports included (wall seconds, ratio, peak RSS of the process tree).

Files bienche cannot read are skipped and named. Peak RSS is the process's
high-water mark after each part.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extractor.document import load_document  # noqa: E402
from extractor.pipeline import extract_document  # noqa: E402


def peak_rss_mib() -> float:
    """The process's peak resident set size so far, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1 << 20) if sys.platform == "darwin" else peak / 1024


def timed(run: Callable[[], object], repeat: int) -> float:
    """Seconds taken by ``repeat`` calls of ``run``."""
    start = time.perf_counter()
    for _ in range(repeat):
        run()
    return time.perf_counter() - start


def readable(files: list[Path]) -> list[Path]:
    """The files bienche loads and extracts without an exception (a warm-up pass too)."""
    kept: list[Path] = []
    for path in files:
        try:
            extract_document(load_document(path))
        except Exception as exc:  # noqa: BLE001 - a benchmark names and skips bad files
            print(f"  skipped {path}: {exc}")
        else:
            kept.append(path)
    return kept


def bienche_pass(files: list[Path]) -> Callable[[], None]:
    """One bienche pass (load + extract) over ``files``."""

    def run() -> None:
        for path in files:
            extract_document(load_document(path))

    return run


def print_rates(unit: str, amount: float, repeat: int, rows: list[tuple[str, float]]) -> None:
    """Seconds and throughput of each row, then the first row's speed as a ratio of the second's."""
    for label, seconds in rows:
        print(f"  {label:<34} {seconds:8.2f} s  {amount * repeat / seconds:10.1f} {unit}/s")
    (_, ours), (_, baseline) = rows[0], rows[1]
    print(f"  {'ratio bienche / baseline':<34} {baseline / ours:8.2f}x")
    print(f"  peak RSS so far {peak_rss_mib():.1f} MiB")


def bench_text(texts: list[Path], repeat: int) -> None:
    """bienche vs underthesea sent_tokenize + word_tokenize over ``texts``."""
    from underthesea import sent_tokenize, word_tokenize

    print(f"text: {len(texts)} files cut from the corpus texts")
    files = readable(texts)
    if not files:
        print("  no readable .txt files")
        return
    kilobytes = sum(path.stat().st_size for path in files) / 1024
    print(f"  {len(files)} files, {kilobytes:.1f} KB, {repeat} repeats")
    word_tokenize("Xin chào Việt Nam.")  # load the model outside the timing

    def baseline() -> None:
        for path in files:
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                if line.strip():
                    for sentence in sent_tokenize(line):
                        word_tokenize(sentence)

    rows = [
        ("bienche load + extract", timed(bienche_pass(files), repeat)),
        ("underthesea sent+word_tokenize", timed(baseline, repeat)),
    ]
    print_rates("KB", kilobytes, repeat, rows)


def text_layer_pdfs(corpus: Path) -> list[Path]:
    """``corpus/*.pdf`` that have a text layer (scans are measured by ``bench_ocr``)."""
    import pypdfium2

    found: list[Path] = []
    for path in readable(sorted(corpus.glob("*.pdf"))):
        pdf = pypdfium2.PdfDocument(path)
        if any(pdf[i].get_textpage().get_text_range().strip() for i in range(len(pdf))):
            found.append(path)
        pdf.close()
    return found


def bench_pdf(pdfs: list[Path], repeat: int) -> None:
    """bienche vs pdfplumber ``extract_text`` of every page over ``pdfs``."""
    import pdfplumber
    import pypdfium2

    print(f"pdf: {len(pdfs)} text-layer PDFs")
    files = readable(pdfs)
    if not files:
        print("  no readable .pdf files")
        return
    pages = 0
    for path in files:
        pdf = pypdfium2.PdfDocument(path)
        pages += len(pdf)
        pdf.close()
    print(f"  {len(files)} files, {pages} pages, {repeat} repeats")

    def baseline() -> None:
        for path in files:
            with pdfplumber.open(path) as pdf:
                for page in pdf.pages:
                    page.extract_text()

    rows = [
        ("bienche load + extract", timed(bienche_pass(files), repeat)),
        ("pdfplumber extract_text", timed(baseline, repeat)),
    ]
    print_rates("pages", pages, repeat, rows)


def _scan_pages(corpus: Path, folder: Path, dpi: int) -> tuple[list[Path], list[Path], int]:
    """Image-only PDFs (and their page PNGs) of ``corpus/*.pdf`` rendered at ``dpi``."""
    import pypdfium2

    scans: list[Path] = []
    images: list[Path] = []
    for path in text_layer_pdfs(corpus):
        pdf = pypdfium2.PdfDocument(path)
        pages = [pdf[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in range(len(pdf))]
        pdf.close()
        for i, page in enumerate(pages):
            image = folder / f"{path.stem}-{i + 1}.png"
            page.save(image, dpi=(dpi, dpi))
            images.append(image)
        scan = folder / f"{path.stem}-scan.pdf"
        pages[0].save(scan, save_all=True, append_images=pages[1:], resolution=float(dpi))
        scans.append(scan)
    return scans, images, len(images)


def bench_ocr(corpus: Path, repeat: int) -> None:
    """OCR pages per second: bienche on image-only PDFs of ``corpus/*.pdf`` at 300 dpi
    against one ``tesseract IMAGE stdout -l vie`` process per page."""
    import subprocess
    import tempfile

    from extractor.ingest import ocr

    if ocr.ocr_missing() is not None:
        print(f"ocr: skipped ({ocr.ocr_missing()})")
        return
    with tempfile.TemporaryDirectory() as tmp:
        scans, images, pages = _scan_pages(corpus, Path(tmp), ocr.OCR_DPI)
        if not pages:
            print("ocr: no .pdf files to scan")
            return
        print(f"ocr: {len(scans)} image-only PDFs, {pages} pages at {ocr.OCR_DPI} dpi, one core, {repeat} repeats")

        def baseline() -> None:
            for image in images:
                subprocess.run(["tesseract", str(image), "stdout", "-l", "vie"], check=True,
                               capture_output=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"})

        stated = os.environ.get("BIENCHE_OCR_PROCS")
        os.environ["BIENCHE_OCR_PROCS"] = "1"  # one core each: bienche would otherwise OCR pages on every core
        try:
            ours = timed(bienche_pass(scans), repeat)
        finally:
            os.environ.pop("BIENCHE_OCR_PROCS") if stated is None else os.environ.update(BIENCHE_OCR_PROCS=stated)
        print_rates("pages", pages, repeat, [("bienche load + extract (OCR)", ours), ("tesseract per page", timed(baseline, repeat))])


_TEXT_BASELINE = """
import sys
from underthesea import sent_tokenize, word_tokenize
for path in sys.argv[1:]:
    for line in open(path, encoding="utf-8", errors="replace").read().splitlines():
        if line.strip():
            for sentence in sent_tokenize(line):
                word_tokenize(sentence)
"""

_PDF_BASELINE = """
import sys
import pdfplumber
for path in sys.argv[1:]:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
"""


def _process(argv: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB, children) of one whole process."""
    import subprocess

    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return seconds, peak / 1024


def bench_process(texts: list[Path], pdfs: list[Path], repeat: int) -> None:
    """Whole-process wall time: `bienche extract` with default settings against the baselines."""
    import tempfile

    exe = Path(sys.executable).with_name("bienche")
    for what, paths, baseline in (("text", texts, _TEXT_BASELINE), ("text-layer PDF", pdfs, _PDF_BASELINE)):
        files = [str(p) for p in paths]
        if not files:
            continue
        print(f"whole process: {what}, {len(files)} files, best of {repeat}")
        with tempfile.TemporaryDirectory() as out:
            ours = min(_process([str(exe), "extract", *files, "--jsonl", str(Path(out) / "r.jsonl")]) for _ in range(repeat))
        base = min(_process([sys.executable, "-c", baseline, *files]) for _ in range(repeat))
        print(f"  {'bienche extract (default)':<34} {ours[0]:8.2f} s")
        print(f"  {'baseline process':<34} {base[0]:8.2f} s")
        print(f"  {'ratio bienche / baseline':<34} {base[0] / ours[0]:8.2f}x")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; returns the exit status."""
    import tempfile

    from bench_data import pdf_workload, text_workload

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=Path("corpus"), help="folder of .txt and .pdf files (default corpus)")
    parser.add_argument("--repeat", type=int, default=1, help="timed passes in-process (default 1; whole process: best of up to 3)")
    parser.add_argument("--text-mb", type=float, default=3.2, help="megabytes of text in the text workload (default 3.2)")
    parser.add_argument("--pdf-pages", type=int, default=480, help="pages in the PDF workload (default 480)")
    parser.add_argument("--scaling", action="store_true", help="print only the scaling table (files/s, peak memory)")
    parser.add_argument("--sizes", default="100,1000,10000", help="batch sizes of the scaling table")
    args = parser.parse_args(argv)
    if args.repeat < 1 or not args.corpus.is_dir():
        parser.error("--repeat must be at least 1 and --corpus a folder")
    if args.scaling:
        from bench_scaling import bench_scaling

        bench_scaling(args.corpus, tuple(int(n) for n in args.sizes.split(",")))
        return 0
    with tempfile.TemporaryDirectory(prefix="bienche-bench-") as tmp:
        texts = text_workload(args.corpus, Path(tmp) / "text", int(args.text_mb * 1_000_000))
        pdfs = pdf_workload(args.corpus, Path(tmp) / "pdf", args.pdf_pages)
        bench_text(texts, args.repeat)
        bench_pdf(pdfs, args.repeat)
        bench_ocr(args.corpus, 1)
        bench_process(texts, pdfs, min(args.repeat, 3))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
