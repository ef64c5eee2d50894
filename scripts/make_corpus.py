#!/usr/bin/env python3
"""Build ``corpus/`` from the seed texts.

Copies the five seed .txt files as they are, and writes two documents made from
them: ``kh-123-longan.pdf`` (seed 001, the Long An staffing plan, as an A4 PDF
with wrapped paragraphs over several pages), ``hoi-nghi-bien-che.docx`` (seed
002, one Word paragraph per line) and ``ban-scan-004.pdf`` (seed 004 printed,
then scanned: an image-only PDF at 200 dpi, turned a degree, blurred, noisy and
JPEG-compressed by ``evaluation/make_scans.py``, so OCR has real work). Both carry the seed's text without the
website's trailing widgets (the "Các tin khác" list ...), the same text that
reading the .txt gives; nothing is added. The PDF is read back with pypdfium2
and checked for Vietnamese text.

    python scripts/make_corpus.py [--seeds ../shared/seeds] [--out corpus]

The PDF needs a Unicode TrueType font: Debian's ``fonts-dejavu-core`` (or set
``BIENCHE_PDF_FONT``); see extractor/ingest/samples.py.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from extractor.ingest import read_raw  # noqa: E402
from extractor.ingest.boilerplate import cut_boilerplate_tail  # noqa: E402
from extractor.ingest.samples import write_docx, write_pdf  # noqa: E402

SEED_TEXTS = (
    "000_2f29880d7c86bee3.txt",
    "001_02c0c7e95a57206c.txt",
    "002_b492399a474e869d.txt",
    "003_536fb758ed16856e.txt",
    "004_931564639493688c.txt",
)
PDF_SEED, PDF_NAME = "001_02c0c7e95a57206c.txt", "kh-123-longan.pdf"
DOCX_SEED, DOCX_NAME = "002_b492399a474e869d.txt", "hoi-nghi-bien-che.docx"
SCAN_SEED, SCAN_NAME, SCAN_DPI = "004_931564639493688c.txt", "ban-scan-004.pdf", 200
PDF_MUST_CONTAIN = ("Ủy ban", "biên chế", "123-KH/TU", "Tỉnh ủy Long An", "28.489")


def build_corpus(seeds: Path, out: Path) -> list[Path]:
    """Write the corpus files into ``out``; returns their paths."""
    missing = [name for name in SEED_TEXTS if not (seeds / name).is_file()]
    if missing:
        raise FileNotFoundError(f"{seeds}: missing seed files {', '.join(missing)}")
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name in SEED_TEXTS:
        target = out / name
        shutil.copyfile(seeds / name, target)
        written.append(target)
    pdf_text = cut_boilerplate_tail((seeds / PDF_SEED).read_text(encoding="utf-8"))
    written.append(write_pdf(pdf_text, out / PDF_NAME))
    docx_text = cut_boilerplate_tail((seeds / DOCX_SEED).read_text(encoding="utf-8"))
    written.append(write_docx(docx_text, out / DOCX_NAME))
    written.append(_scan(seeds / SCAN_SEED, out / SCAN_NAME))
    return written


def _scan(seed: Path, target: Path) -> Path:
    """The seed printed and scanned (deterministic: seed 0), as ``target``."""
    import tempfile

    sys.path.insert(0, str(REPO / "evaluation"))
    from make_scans import make_scan

    with tempfile.TemporaryDirectory() as folder:
        text = Path(folder) / target.with_suffix(".txt").name
        text.write_text(cut_boilerplate_tail(seed.read_text(encoding="utf-8")), encoding="utf-8")
        (made,) = make_scan(text, Path(folder), dpi=SCAN_DPI, seed=0, fmt="pdf")
        shutil.copyfile(made, target)
    return target


def check_pdf(path: Path) -> list[str]:
    """The phrases of ``PDF_MUST_CONTAIN`` missing from the PDF's text layer."""
    raw = read_raw(path)
    flat = " ".join(raw.text.split())
    return [phrase for phrase in PDF_MUST_CONTAIN if phrase not in flat]


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "seeds")
    parser.add_argument("--out", type=Path, default=REPO / "corpus")
    args = parser.parse_args(argv)
    try:
        written = build_corpus(args.seeds, args.out)
    except FileNotFoundError as exc:
        print(f"make_corpus: {exc}", file=sys.stderr)
        return 1
    missing = check_pdf(args.out / PDF_NAME)
    if missing:
        print(f"make_corpus: {PDF_NAME} lacks {missing}: is the font Unicode?", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
