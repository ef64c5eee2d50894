"""One ``bienche extract`` run: files in, records journaled as they arrive, outputs written once.

The flow, with flat memory whatever the number of files:

1. with ``resume``, records of an earlier run (in the journal beside the outputs)
   whose ``source``, ``sha256`` and ``settings`` still match are kept, the rest of
   the files are read (locally in worker processes, or on a Dask cluster);
2. each record is appended to the journal and to a compact :class:`RunIndex` the
   moment it arrives (and the progress callback sees it);
3. the outputs are written in one streaming pass over the journal in input order,
   corpus-wide findings added from the index, each to a temporary name renamed
   when complete.

Ctrl-C or SIGTERM stops the workers, writes the outputs of the files done so far
and reports the signal, so the command exits 130 or 143; ``--resume`` then reads
only what is missing.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Generator, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from extractor import batch, errors, regex_store
from extractor.batch import DEFAULT_TIMEOUT
from extractor.document import sha256_of
from extractor.export.index import RunIndex
from extractor.export.stream import Targets, write_outputs
from extractor.ingest.limits import InputLimits, current_limits, set_limits
from extractor.interrupts import Interrupted, catch_interrupts, signals_held
from extractor.journal import JOURNAL_NAME, Journal, compact, entries, read_at
from extractor.models import DocumentResult
from extractor.pipeline import ExtractorMode, extract_path
from extractor.settings import settings_key

RETRIED = frozenset({errors.E_TIMEOUT, errors.E_WORKER_DIED, errors.E_INTERNAL, errors.E_OCR_UNAVAILABLE})
"""Error codes that say more about the run than the file: ``--resume`` reads such files again."""

OnResult = Callable[[DocumentResult, bool], None]
"""Called with each record as it arrives and whether it was kept from an earlier run."""


@dataclass(frozen=True)
class RunOptions:
    """How to read the files: the settings every record depends on, and where to run."""

    extractor: ExtractorMode = "rules"
    max_bytes: int = 20_000_000
    jobs: int | None = None
    timeout: float | None = DEFAULT_TIMEOUT
    scheduler: str | None = None
    resume: bool = False
    limits: InputLimits = field(default_factory=current_limits)


@dataclass
class RunSummary:
    """What a run did, for the closing line and the exit status."""

    files: int = 0
    done: int = 0
    failed: int = 0
    kept: int = 0
    citations: int = 0
    figures: int = 0
    interrupted: int | None = None
    written: list[Path] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """130/143 when stopped by SIGINT/SIGTERM, else 1 if any file failed, else 0."""
        if self.interrupted is not None:
            return 128 + self.interrupted
        return 1 if self.failed else 0


def journal_path(targets: Targets, out: Path | None) -> Path | None:
    """Where the journal of a run with these outputs lives (None: only standard output)."""
    if out is not None:
        return out / JOURNAL_NAME
    for target in (targets.jsonl, targets.xlsx):
        if target is not None:
            return target.with_name(f".{target.name}.journal.jsonl")
    if targets.csv_dir is not None:
        return targets.csv_dir / JOURNAL_NAME
    return None


def _kept_offsets(files: list[Path], journal: Path, settings: str) -> dict[int, int]:
    """Input index → journal offset of the records an earlier run left that still hold."""
    latest: dict[str, tuple[int, str | None, str | None, tuple[str, ...]]] = {}
    for entry in entries(journal):
        latest[entry.source] = (entry.offset, entry.sha256, entry.settings, entry.codes)
    kept: dict[int, int] = {}
    for index, path in enumerate(files):
        found = latest.get(str(path))
        if found is None or found[2] != settings or found[1] is None or RETRIED.intersection(found[3]):
            continue
        try:
            if sha256_of(path) == found[1]:
                kept[index] = found[0]
        except OSError:
            continue
    return kept


def extract_within(path: Path, *, max_bytes: int, extractor: ExtractorMode, limits: InputLimits) -> DocumentResult:
    """``extract_path`` under ``limits`` (the per-file task; it carries the limits to Dask workers too)."""
    set_limits(limits)
    return extract_path(path, max_bytes=max_bytes, extractor=extractor)


_READERS = {".txt": "txt", ".md": "txt", ".html": "html", ".htm": "html", ".docx": "docx", ".pdf": "pdf"}
"""The ``extractor.ingest`` module that reads each suffix (any other: ``image``)."""

_SAMPLE = (
    "ỦY BAN NHÂN DÂN\nTỈNH BÌNH ĐỊNH\nSố: 15/KH-UBND\n\nKẾ HOẠCH\nThực hiện Nghị quyết số 18-NQ/TW "
    "ngày 25 tháng 10 năm 2017 và Nghị định số 62/2020/NĐ-CP ngày 01/6/2020 của Chính phủ\n"
    "1. Năm 2024, giao 1.250 biên chế công chức cho Sở Nội vụ, giảm 12 biên chế (khoảng 5%) so với năm 2022; "
    "giai đoạn 2022 - 2026 tinh giản 10% biên chế. Kế hoạch này thay thế Kế hoạch số 7.\n"
    "| TT | Đơn vị | Biên chế công chức | Số người làm việc |\n| 1 | Sở Y tế | 45 | 1.120 |\n"
)
"""A short directive that runs every rule once (see :func:`warm_up`)."""


def warm_up(files: list[Path], extractor: ExtractorMode) -> None:
    """Import the readers ``files`` need and run the rules over a short sample, in this
    process, before the batch forks its workers: each worker then starts with the
    modules imported, the pattern data parsed and every regex compiled, instead of
    doing all of it again (a third of a second of CPU per worker). Nothing a worker
    returns depends on it; a failure here is left for the workers to meet."""
    import importlib

    for module in sorted({_READERS.get(path.suffix.lower(), "image") for path in files}):
        try:
            importlib.import_module(f"extractor.ingest.{module}")
        except Interrupted:
            raise
        except Exception:  # noqa: BLE001 - the worker reading such a file reports the problem
            pass
    if extractor != "rules":
        return  # the model's libraries start threads: they are loaded in each worker, after the fork
    try:
        from extractor.document import document_from_text
        from extractor.pipeline import extract_document

        extract_document(document_from_text(_SAMPLE), extractor)
    except Interrupted:
        raise
    except Exception:  # noqa: BLE001
        pass
    regex_store.save()  # so that no worker writes the cache file again for what is compiled here


def _fresh_results(todo: list[Path], options: RunOptions) -> Generator[DocumentResult, None, None]:
    task = partial(extract_within, max_bytes=options.max_bytes, extractor=options.extractor, limits=options.limits)
    if options.scheduler is not None:
        from extractor.cluster import extract_on_cluster

        return extract_on_cluster(todo, task, options.scheduler)
    if todo:
        warm_up(todo, options.extractor)
    return batch.extract_many(todo, jobs=options.jobs, timeout=options.timeout, work=task)


def _collect(files: list[Path], options: RunOptions, journal: Journal, index: RunIndex, summary: RunSummary, on_result: OnResult | None, offsets: list[int]) -> None:
    """Read (or keep) every file in input order, journaling each record; ``offsets`` grows with each one done."""
    set_limits(options.limits)
    settings = settings_key(options.extractor, options.max_bytes)
    kept = _kept_offsets(files, journal.path, settings) if options.resume else {}
    fresh = _fresh_results([p for i, p in enumerate(files) if i not in kept], options)
    with journal.path.open("rb") as old, closing(fresh):
        for i in range(len(files)):
            result = read_at(old, kept[i]) if i in kept else next(fresh)
            with signals_held():  # journal, offsets and index take the record together, or none of them
                if i in kept:
                    offsets.append(kept[i])
                    summary.kept += 1
                else:
                    result.settings = settings
                    offsets.append(journal.append(result))
                index.add(result)
                summary.done += 1
                summary.failed += bool(result.errors)
                summary.citations += len(result.citations)
                summary.figures += len(result.figures)
            if on_result is not None:
                on_result(result, i in kept)


def _in_order(journal: Path, offsets: list[int]) -> Iterator[DocumentResult]:
    with journal.open("rb") as handle:
        for offset in offsets:
            yield read_at(handle, offset)


def run_extract(files: list[Path], options: RunOptions, targets: Targets, *, out: Path | None = None, on_result: OnResult | None = None) -> RunSummary:
    """Extract ``files`` and write ``targets``; never raises for a file's problem or an interrupt."""
    summary = RunSummary(files=len(files))
    where = journal_path(targets, out)
    scratch = None if where is not None else tempfile.TemporaryDirectory(prefix="bienche-")
    path = where if where is not None else Path(scratch.name) / JOURNAL_NAME  # type: ignore[union-attr]
    journal = Journal(path, fresh=not options.resume)
    index = RunIndex()
    offsets: list[int] = []
    try:
        with catch_interrupts():
            try:
                _collect(files, options, journal, index, summary, on_result, offsets)
            except Interrupted as stop:
                summary.interrupted = stop.signum
            finally:
                journal.close()
            summary.written = write_outputs(_in_order(path, offsets), targets, index)
            if summary.interrupted is None:
                compact(path, offsets)
    except Interrupted as stop:  # a second signal while writing: the outputs stay as they were
        summary.interrupted = stop.signum
    finally:
        if scratch is not None:
            scratch.cleanup()
    return summary
