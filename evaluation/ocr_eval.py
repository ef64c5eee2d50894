#!/usr/bin/env python3
"""Score bienche on scans against bienche on the texts they were made from.

    python evaluation/ocr_eval.py TEXT_RESULTS.jsonl SCAN_RESULTS.jsonl [--gold GOLD.json] [--json]
    python evaluation/ocr_eval.py raw SCAN... --ref SRC... [--dpi 300] [--psm 3] [-c VAR=VALUE]

The first form reads two ``results.jsonl`` files (``bienche extract ... -o OUT``) and
matches documents by file stem (``seed-1.txt`` and ``seed-1.pdf``; the page files
``STEM.p001.png``, ``STEM.p002.png`` ... of ``make_scans.py --format png`` are joined
into one document). The text run is the reference, since the gold annotated the text:

* citations: the multiset of non-null citation ``id`` per document; precision, recall
  and F1 of the scan run's ids against the text run's;
* dates: the share of the text run's ``dates`` whose ``date`` value the scan run also
  has (as a multiset);
* figures: the share of the text run's figures whose (``value``, ``kind``) the scan run
  also has (as a multiset).

A text document without a scan record scores as an empty scan. ``--gold`` (a seeds-
format gold file, e.g. ``evaluation/gold/seeds.json``) adds the distinct citation ids
of each run against the gold's (P/R/F1, overall, over the gold documents the text
run has). Counts are summed over documents (micro average).

The ``raw`` form measures the OCR engine alone, without bienche: it runs ``tesseract
IMAGE - -l vie`` with ``OMP_THREAD_LIMIT=1`` on every page of the scans (PDF pages
rendered at ``--dpi``, untimed), times each call, and gives the character error rate
of each document against its source text (found by stem among ``--ref``, read as
bienche reads it), whitespace collapsed and table pipes dropped on both sides.
The CER needs ``rapidfuzz``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
_PAGE_SUFFIX = re.compile(r"\.p\d{3}$")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")


@dataclass
class Record:
    """What one document's output gives: citation ids, date values, (value, kind) figures."""

    ids: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    figures: list[tuple[float, str]] = field(default_factory=list)


@dataclass
class Score:
    """Counts of one document (or all): reference (text run), scan run and matched."""

    name: str
    ids_text: int = 0
    ids_scan: int = 0
    ids_matched: int = 0
    dates_text: int = 0
    dates_found: int = 0
    figures_text: int = 0
    figures_found: int = 0

    def add(self, other: Score) -> None:
        """Add another score's counts to this one."""
        for key in ("ids_text", "ids_scan", "ids_matched", "dates_text", "dates_found",
                    "figures_text", "figures_found"):
            setattr(self, key, getattr(self, key) + getattr(other, key))

    def rates(self) -> dict[str, float | None]:
        """Citation precision, recall, F1 and the two found shares (None: no denominator)."""
        p, r, f = prf(self.ids_matched, self.ids_scan, self.ids_text)
        return {"citation_precision": p, "citation_recall": r, "citation_f1": f,
                "dates_found_share": ratio(self.dates_found, self.dates_text),
                "figures_found_share": ratio(self.figures_found, self.figures_text)}


def ratio(part: int, whole: int) -> float | None:
    """``part / whole``, or None when ``whole`` is 0."""
    return part / whole if whole else None


def prf(tp: int, predicted: int, actual: int) -> tuple[float | None, float | None, float | None]:
    """Precision, recall and F1 from counts (None where undefined)."""
    p, r = ratio(tp, predicted), ratio(tp, actual)
    f = 2 * p * r / (p + r) if p is not None and r is not None and p + r > 0 else (0.0 if p == 0 or r == 0 else None)
    return p, r, f


def document_key(source: str) -> str:
    """The stem a document is matched by (a ``.pNNN`` page suffix removed)."""
    return _PAGE_SUFFIX.sub("", Path(source).stem)


def _figure(fig: dict[str, Any]) -> tuple[float, str] | None:
    value = fig.get("value")
    if not isinstance(value, (int, float)):
        return None
    return round(float(value), 3), str(fig.get("kind"))


def load_results(path: Path) -> dict[str, Record]:
    """The records of a results.jsonl by document key; raises ValueError naming the line."""
    records: dict[str, Record] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: cannot be read ({exc})") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            source = str(data["source"])
        except (json.JSONDecodeError, KeyError, TypeError):
            raise ValueError(f"{path}:{number}: not a bienche JSON record (no 'source')") from None
        record = records.setdefault(document_key(source), Record())
        record.ids += [str(c["id"]) for c in data.get("citations") or [] if c.get("id")]
        record.dates += [str(d["date"]) for d in data.get("dates") or [] if d.get("date")]
        record.figures += [f for f in map(_figure, data.get("figures") or []) if f is not None]
    return records


def _common(reference: Iterable[Hashable], other: Iterable[Hashable]) -> int:
    return sum((Counter(reference) & Counter(other)).values())


def score_document(name: str, text: Record, scan: Record) -> Score:
    """The counts of one document, the text run as reference."""
    return Score(name=name, ids_text=len(text.ids), ids_scan=len(scan.ids),
                 ids_matched=_common(text.ids, scan.ids),
                 dates_text=len(text.dates), dates_found=_common(text.dates, scan.dates),
                 figures_text=len(text.figures), figures_found=_common(text.figures, scan.figures))


def gold_ids(path: Path) -> dict[str, set[str]]:
    """Distinct citation ids per document key of a seeds-format gold file."""
    try:
        documents = json.loads(path.read_text(encoding="utf-8"))["documents"]
        return {document_key(name): {str(c["id"]) for c in doc.get("citations", []) if c.get("id")}
                for name, doc in documents.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"{path}: not a seeds-format gold file ({type(exc).__name__}: {exc})") from None


def gold_scores(gold: dict[str, set[str]], runs: dict[str, dict[str, Record]]) -> dict[str, dict[str, Any]]:
    """Each run's distinct citation ids against the gold's, over the gold documents."""
    out: dict[str, dict[str, Any]] = {}
    for run, records in runs.items():
        tp = predicted = actual = 0
        for key, ids in gold.items():
            found = set(records.get(key, Record()).ids)
            tp, predicted, actual = tp + len(found & ids), predicted + len(found), actual + len(ids)
        p, r, f = prf(tp, predicted, actual)
        out[run] = {"tp": tp, "output": predicted, "gold": actual, "precision": p, "recall": r, "f1": f}
    return out


def evaluate(text: dict[str, Record], scan: dict[str, Record],
             gold: dict[str, set[str]] | None = None) -> dict[str, Any]:
    """Per-document and overall scores, documents missing from either run, gold scores."""
    documents = [score_document(key, text[key], scan.get(key, Record())) for key in sorted(text)]
    overall = Score(name="overall")
    for doc in documents:
        overall.add(doc)
    report: dict[str, Any] = {
        "documents": [asdict(d) | d.rates() for d in documents],
        "overall": asdict(overall) | overall.rates(),
        "missing_scans": sorted(set(text) - set(scan)),
        "extra_scans": sorted(set(scan) - set(text)),
    }
    if gold is not None:
        scored = {key: ids for key, ids in gold.items() if key in text}
        report["gold_citations"] = gold_scores(scored, {"text": text, "scan": scan})
    return report


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def format_table(report: dict[str, Any]) -> str:
    """The report as a plain-text table."""
    head = f"{'document':<28} {'ids t/s/m':>12} {'P':>6} {'R':>6} {'F1':>6} {'dates':>9} {'found':>6} {'figs':>9} {'found':>6}"
    lines = [head, "-" * len(head)]
    for row in [*report["documents"], report["overall"]]:
        lines.append(
            f"{row['name'][:28]:<28} {row['ids_text']:>4}/{row['ids_scan']}/{row['ids_matched']:<4}"
            f" {_cell(row['citation_precision']):>6} {_cell(row['citation_recall']):>6} {_cell(row['citation_f1']):>6}"
            f" {row['dates_found']:>4}/{row['dates_text']:<4} {_cell(row['dates_found_share']):>6}"
            f" {row['figures_found']:>4}/{row['figures_text']:<4} {_cell(row['figures_found_share']):>6}")
    for what in ("missing_scans", "extra_scans"):
        if report[what]:
            lines.append(f"{what.replace('_', ' ')}: {', '.join(report[what])}")
    for run, g in report.get("gold_citations", {}).items():
        lines.append(f"gold citation ids, {run} run: tp {g['tp']} of output {g['output']}, gold {g['gold']}:"
                     f" P {_cell(g['precision'])} R {_cell(g['recall'])} F1 {_cell(g['f1'])}")
    return "\n".join(lines)



def page_images(path: Path, dpi: int) -> list[Any]:
    """The pages of a scan as PIL images (a PDF rendered at ``dpi``)."""
    from PIL import Image, ImageSequence

    if path.suffix.lower() == ".pdf":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(path))
        try:
            return [pdf[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in range(len(pdf))]
        finally:
            pdf.close()
    with Image.open(path) as image:
        return [frame.copy() for frame in ImageSequence.Iterator(image)]


def cer_text(text: str) -> str:
    """Text as compared for the CER: NFC, table pipes dropped, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).replace("|", " ").split())


def char_error_rate(reference: str, hypothesis: str) -> float | None:
    """Levenshtein distance / reference length of the normalised texts (None: no rapidfuzz)."""
    try:
        from rapidfuzz.distance import Levenshtein
    except ImportError:
        return None
    ref, hyp = cer_text(reference), cer_text(hypothesis)
    return Levenshtein.distance(ref, hyp) / max(1, len(ref))


def ocr_page(image: Any, folder: Path, command: Sequence[str]) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, text) of one tesseract run on ``image`` (one thread)."""
    png = folder / "page.png"
    image.save(png)
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run(["tesseract", str(png), "-", *command], capture_output=True, env=env, check=False)
    wall = time.perf_counter() - start
    after = os.times()
    if done.returncode != 0:
        raise ValueError(f"tesseract failed: {done.stderr.decode('utf-8', 'replace').strip()[-300:]}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu, done.stdout.decode("utf-8", "replace")


def _references(paths: Sequence[Path]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in paths:
        for file in sorted(path.iterdir()) if path.is_dir() else [path]:
            found.setdefault(document_key(file.name), file)
    return found


def raw_report(scans: Sequence[Path], refs: Sequence[Path], dpi: int, command: Sequence[str]) -> dict[str, Any]:
    """Time per page and CER per document of tesseract alone on the scans."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from extractor.ingest.txt import read_md, read_txt

    def read(path: Path) -> str:
        data = path.read_bytes()
        return (read_md(path, data) if path.suffix.lower() == ".md" else read_txt(path, data)).text

    references = _references(refs)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for scan in scans:
            results = [ocr_page(page, Path(tmp), command) for page in page_images(scan, dpi)]
            ref = references.get(document_key(scan.name))
            source = read(ref) if ref else ""
            rows.append({"scan": scan.name, "pages": len(results), "wall_s": sum(r[0] for r in results),
                         "cpu_s": sum(r[1] for r in results), "ref_chars": len(cer_text(source)),
                         "cer": char_error_rate(source, "\n".join(r[2] for r in results)) if ref else None})
    pages = sum(r["pages"] for r in rows)
    scored = [r for r in rows if r["cer"] is not None]
    errors = sum(r["cer"] * r["ref_chars"] for r in scored)
    return {"command": ["tesseract", "IMAGE", "-", *command], "dpi": dpi, "documents": rows, "pages": pages,
            "wall_s_per_page": sum(r["wall_s"] for r in rows) / max(1, pages),
            "cpu_s_per_page": sum(r["cpu_s"] for r in rows) / max(1, pages),
            "cer": errors / sum(r["ref_chars"] for r in scored) if scored else None}


def format_raw(report: dict[str, Any]) -> str:
    """The raw OCR report as a plain-text table."""
    lines = [" ".join(report["command"]) + f"  (PDF pages rendered at {report['dpi']} dpi)",
             f"{'scan':<28} {'pages':>5} {'wall s/p':>8} {'cpu s/p':>8} {'CER':>6}"]
    for row in report["documents"]:
        n = max(1, row["pages"])
        lines.append(f"{row['scan'][:28]:<28} {row['pages']:>5} {row['wall_s'] / n:>8.2f} {row['cpu_s'] / n:>8.2f}"
                     f" {_cell(row['cer']):>6}")
    lines.append(f"{'overall':<28} {report['pages']:>5} {report['wall_s_per_page']:>8.2f}"
                 f" {report['cpu_s_per_page']:>8.2f} {_cell(report['cer']):>6}")
    return "\n".join(lines)


def _raw_main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="ocr_eval.py raw", description="tesseract alone: time per page and CER")
    parser.add_argument("scans", nargs="+", type=Path, help="scan files (.pdf or images)")
    parser.add_argument("--ref", nargs="+", type=Path, default=[], help="source texts or folders (matched by stem)")
    parser.add_argument("--dpi", type=int, default=300, help="resolution PDF pages are rendered at")
    parser.add_argument("--lang", default="vie")
    parser.add_argument("--psm", default="3")
    parser.add_argument("--oem", default="1")
    parser.add_argument("-c", dest="config", action="append", default=[], help="tesseract VAR=VALUE")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    command = ["-l", args.lang, "--psm", args.psm, "--oem", args.oem, *(x for c in args.config for x in ("-c", c))]
    report = raw_report(args.scans, args.ref, args.dpi, command)
    print(json.dumps(report, ensure_ascii=False, indent=1) if args.json else format_raw(report))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: 0 after printing the report, 2 on unreadable input."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        if args_list[:1] == ["raw"]:
            return _raw_main(args_list[1:])
        parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
        parser.add_argument("text_results", type=Path, help="results.jsonl of the text run (the reference)")
        parser.add_argument("scan_results", type=Path, help="results.jsonl of the scan run")
        parser.add_argument("--gold", type=Path, default=None, help="a seeds-format gold file (citation ids)")
        parser.add_argument("--json", action="store_true", help="machine-readable output")
        args = parser.parse_args(args_list)
        gold = gold_ids(args.gold) if args.gold else None
        report = evaluate(load_results(args.text_results), load_results(args.scan_results), gold)
    except (ValueError, OSError) as exc:
        print(f"ocr_eval: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(report, ensure_ascii=False, indent=1) if args.json else format_table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
