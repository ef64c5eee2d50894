"""Peak memory of ``extractor.export.stream.write_outputs`` for N synthetic results.

Each N runs in a fresh process: the results are made in code one at a time (never
a list), fed to a ``RunIndex``, made again and streamed through every writer
(JSONL, CSV, XLSX, report). Prints two JSON lines per N: peak RSS (MiB), seconds
and output sizes of a plain run; then, from a run under tracemalloc, the memory
the index holds (corpus findings included) and the write pass's peak above it (MiB).

    .venv/bin/python evaluation/stream_memory.py 1000 10000
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

from extractor.models import Citation, DocumentResult, Figure, Finding


def synthetic(i: int) -> DocumentResult:
    """A small but complete result: levels (two bases), a change, citations (some
    that conflict across a few documents), a finding."""
    year = 2020 + i % 6
    figures = [
        Figure(id=f"f{k}", kind="level", value=1000.0 + 10 * k + i, unit="biên chế", category="total",
               org=f"Sở {k} tỉnh {i % 63}", year=year, basis="assigned" if k % 2 else "actual",
               start=100 * k, end=100 * k + 12, text=f"{1000 + k} biên chế", page=1,
               sentence=f"Giao {1000 + k} biên chế cho Sở {k} năm {year}, câu dài để xuống dòng trong ô.")
        for k in range(4)
    ]  # fmt: skip
    figures.append(Figure(id="f9", kind="change", value=-25.0, unit="biên chế", category="total", org=None,
                          year=year, base_year=year - 1, start=900, end=910, text="giảm 25", sentence="Giảm 25."))  # fmt: skip
    popular = [  # cited by every document, always alike: never a conflict
        Citation(start=10 * k, end=10 * k + 8, text=f"{k}-NQ/TW", id=f"{k}-NQ/TW", key=f"{k}-NQ/TW", number=str(k),
                 type="Nghị quyết", date="2017-10-25", issuer="Ban Chấp hành Trung ương", page=1,
                 sentence=f"Thực hiện Nghị quyết số {k}-NQ/TW.")
        for k in (18, 19)
    ]  # fmt: skip
    group = i // 10  # ten documents share a key; in one group of ten, one dates it otherwise: a corpus conflict
    local = Citation(start=40, end=52, text=f"{group}-QĐ/TU", id=f"{group}-QĐ/TU", key=f"{group}-QĐ/TU",
                     number=str(group), type="Quyết định", date="2022-07-12" if i % 100 == 0 else "2022-07-11",
                     issuer="Tỉnh ủy", page=1, sentence=f"Theo Quyết định số {group}-QĐ/TU.")  # fmt: skip
    citations = [*popular, local]
    finding = Finding(rule="sum", severity="error", message="1 ≠ 2", stated=1, computed=2, spans=[(0, 12)])
    return DocumentResult(source=f"in/doc-{i:06d}.txt", sha256=None, format="txt", pages=1, chars=2000,
                          citations=citations, figures=figures, findings=[finding])  # fmt: skip


def results(n: int) -> Iterator[DocumentResult]:
    """``n`` synthetic results, made one at a time."""
    return (synthetic(i) for i in range(n))


def _write(n: int, out: Path, trace: bool) -> dict[str, float]:
    from extractor.export.index import RunIndex
    from extractor.export.stream import Targets, write_outputs

    if trace:
        tracemalloc.start()
    index = RunIndex()
    for result in results(n):
        index.add(result)
    index.corpus_findings()
    held = tracemalloc.get_traced_memory()[0] if trace else 0
    tracemalloc.reset_peak()
    targets = Targets(out / "results.jsonl", False, out, out / "bienche.xlsx", out / "report.html", 20_000_000)
    write_outputs(results(n), targets, index)
    if not trace:
        return {}
    above = tracemalloc.get_traced_memory()[1] - held
    tracemalloc.stop()
    return {"index_mib": round(held / 2**20, 2), "write_above_index_mib": round(above / 2**20, 2)}


def measure(n: int, out: Path, trace: bool = False) -> dict[str, object]:
    """Index and write ``n`` results into ``out``: peak RSS and seconds, or (``trace``)
    what tracemalloc sees: the index, and the write pass's peak above it."""
    start = time.perf_counter()
    traced = _write(n, out, trace)
    if trace:
        return {"n": n, **traced}
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sizes = {p.name: round(p.stat().st_size / 2**20, 1) for p in sorted(out.iterdir())}
    return {"n": n, "peak_rss_mib": round(rss, 1), "seconds": round(time.perf_counter() - start, 1), "output_mib": sizes}


def main(argv: list[str]) -> None:
    """Run each N of ``argv`` in a process of its own (twice: plain, then traced)
    and print its lines."""
    if argv[:1] == ["--one"]:
        with tempfile.TemporaryDirectory() as folder:
            print(json.dumps(measure(int(argv[1]), Path(folder), trace=argv[2:] == ["--trace"])), flush=True)
        return
    for n in argv or ["1000", "10000"]:
        subprocess.run([sys.executable, __file__, "--one", n], check=True)
        subprocess.run([sys.executable, __file__, "--one", n, "--trace"], check=True)


if __name__ == "__main__":
    main(sys.argv[1:])
