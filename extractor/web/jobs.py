"""Jobs: one upload's files extracted in the background, with per-file progress and outputs.

A :class:`JobStore` keeps each job in a folder of its own under one temporary
root (``<id>/in`` the uploaded files, ``<id>/out`` the outputs), runs the jobs
one after another in a background thread through :func:`extractor.batch.extract_many`
(which uses its worker pool), and deletes a job's folder a set time after it
finished. Every public method returns plain data for the API to send.
"""

from __future__ import annotations

import inspect
import re
import secrets
import shutil
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Literal

from extractor.models import DocumentResult
from extractor.pipeline import ExtractorMode

JobState = Literal["queued", "running", "done", "failed"]
OUTPUTS = ("bienche.xlsx", "figures.csv", "citations.csv", "results.jsonl", "report.html")
"""The files a finished job offers for download."""
_ID = re.compile(r"[0-9a-f]{32}")


class Busy(Exception):
    """Too many jobs waiting; the message says so (answered 429)."""


@dataclass(frozen=True)
class Settings:
    """How jobs run: kept ``ttl_s`` seconds after they finish; worker processes,
    per-file byte limit and timeout, extractor; at most ``max_waiting`` jobs waiting."""

    ttl_s: float = 3600.0
    jobs: int | None = None
    max_bytes: int = 20_000_000
    timeout: float | None = None
    extractor: ExtractorMode | None = None
    max_waiting: int = 8


@dataclass
class FileProgress:
    """One file of a job: its display name, stored path and, once done, its result."""

    name: str
    path: Path
    result: DocumentResult | None = None

    def summary(self, index: int, job_id: str) -> dict[str, Any]:
        """What the results table shows for this file (counts only until it is done)."""
        out: dict[str, Any] = {"index": index, "name": self.name, "status": "queued" if self.result is None else "done"}
        result = self.result
        if result is None:
            return out
        errors = sum(1 for f in result.findings if f.severity == "error")
        out.update(
            format=result.format, pages=result.pages, citations=len(result.citations), figures=len(result.figures),
            errors=[{"code": e.code, "message": e.message} for e in result.errors],
            warnings=[{"code": w.code, "message": w.message} for w in result.warnings],
            findings={"errors": errors, "warnings": len(result.findings) - errors},
            report=f"/api/jobs/{job_id}/documents/{index}",
        )  # fmt: skip
        return out


@dataclass
class Job:
    """One upload and its processing."""

    id: str
    folder: Path
    files: list[FileProgress]
    skipped: list[str]
    created: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    status: JobState = "queued"
    error: str | None = None
    finished: float | None = None
    finished_at: datetime | None = None


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _batch_keywords(timeout: float | None) -> dict[str, Any]:
    """``{"timeout": …}`` when set and the batch runner takes it (it may not yet)."""
    from extractor.batch import extract_many

    if timeout is None or "timeout" not in inspect.signature(extract_many).parameters:
        return {}
    return {"timeout": timeout}


def write_outputs(results: list[DocumentResult], names: dict[str, str], out: Path, max_bytes: int) -> None:
    """Write the job's JSONL, CSVs and XLSX (sources as the uploaded names) and its
    report (sources as stored, so PDF pages can be cropped) into ``out``."""
    from extractor.export.csv import write_csv
    from extractor.export.html import write_report
    from extractor.export.jsonl import write_jsonl
    from extractor.export.xlsx import write_xlsx
    from extractor.report import attach_texts

    out.mkdir(exist_ok=True)  # not parents: a job deleted meanwhile stays deleted
    labelled = [r.model_copy(update={"source": names.get(r.source, r.source)}) for r in results]
    with (out / "results.jsonl").open("w", encoding="utf-8") as handle:
        write_jsonl(labelled, handle)
    write_csv(labelled, out)
    write_xlsx(labelled, out / "bienche.xlsx")
    write_report(attach_texts(results, max_bytes=max_bytes), out / "report.html")


class JobStore:
    """The jobs of one server: created from uploads, run in the background, swept when expired."""

    def __init__(self, settings: Settings, root: Path | None = None) -> None:
        self.settings = settings
        self.root = root if root is not None else Path(tempfile.mkdtemp(prefix="bienche-web-"))
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._runner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bienche-job")
        self._stop = threading.Event()
        self._sweeper = threading.Thread(target=self._sweep_loop, name="bienche-sweep", daemon=True)
        self._sweeper.start()

    # ---- creating and running -------------------------------------------------

    def new_folder(self) -> tuple[str, Path]:
        """A fresh job id and its (empty) input folder; :class:`Busy` when too many wait."""
        with self._lock:
            waiting = sum(1 for job in self._jobs.values() if job.status in ("queued", "running"))
        if waiting >= self.settings.max_waiting:
            raise Busy(f"đang có {waiting} lượt xử lý chờ; hãy thử lại sau")
        job_id = secrets.token_hex(16)
        folder = self.root / job_id
        (folder / "in").mkdir(parents=True)
        return job_id, folder

    def discard(self, folder: Path) -> None:
        """Remove the folder of an upload that was refused."""
        shutil.rmtree(folder, ignore_errors=True)

    def submit(self, job_id: str, folder: Path, files: list[tuple[str, Path]], skipped: list[str]) -> Job:
        """Register a job for ``files`` (display name, stored path) and queue it."""
        job = Job(id=job_id, folder=folder, files=[FileProgress(name, path) for name, path in files], skipped=list(skipped))
        with self._lock:
            self._jobs[job_id] = job
        self._runner.submit(self._run, job)
        return job

    def _run(self, job: Job) -> None:
        from extractor.batch import add_corpus_findings, extract_many

        by_source = {str(f.path): f for f in job.files}

        def on_result(result: DocumentResult) -> None:
            with self._lock:
                if result.source in by_source:
                    by_source[result.source].result = result

        if self._stop.is_set():
            return
        job.status = "running"
        try:
            settings = self.settings
            results = list(extract_many(
                [f.path for f in job.files], jobs=settings.jobs, max_bytes=settings.max_bytes,
                extractor=settings.extractor, on_result=on_result, **_batch_keywords(settings.timeout),
            ))  # fmt: skip
            with self._lock:
                add_corpus_findings(results)
                for result in results:
                    if result.source in by_source:
                        by_source[result.source].result = result
            names = {str(f.path): f.name for f in job.files}
            write_outputs(results, names, job.folder / "out", settings.max_bytes)
            job.status = "done"
        except Exception as error:  # noqa: BLE001 - the page shows it; the server goes on
            job.error = f"xử lý thất bại ({type(error).__name__}: {error})"
            job.status = "failed"
        finally:
            job.finished, job.finished_at = time.monotonic(), datetime.now(timezone.utc)

    # ---- reading ----------------------------------------------------------------

    def get(self, job_id: str) -> Job | None:
        """The job, or None for an unknown, malformed or expired id."""
        self.sweep()
        if not _ID.fullmatch(job_id):
            return None
        with self._lock:
            return self._jobs.get(job_id)

    def snapshot(self, job_id: str) -> dict[str, Any] | None:
        """The job's status and per-file progress as JSON-ready data (None: no such job)."""
        job = self.get(job_id)
        if job is None:
            return None
        with self._lock:
            files = [f.summary(i, job.id) for i, f in enumerate(job.files, 1)]
        done = job.status == "done"
        expires = None if job.finished_at is None else _iso(job.finished_at + timedelta(seconds=self.settings.ttl_s))
        return {
            "id": job.id, "status": job.status, "created": _iso(job.created), "expires": expires,
            "total": len(files), "done": sum(1 for f in files if f["status"] == "done"),
            "files": files, "skipped": job.skipped, "error": job.error,
            "downloads": {name: f"/api/jobs/{job.id}/files/{name}" for name in OUTPUTS} if done else {},
        }  # fmt: skip

    def output(self, job_id: str, name: str) -> Path | None:
        """The path of a finished job's output ``name`` (one of :data:`OUTPUTS`), or None."""
        job = self.get(job_id)
        if job is None or job.status != "done" or name not in OUTPUTS:
            return None
        path = job.folder / "out" / name
        return path if path.is_file() else None

    def document_report(self, job_id: str, index: int) -> str | None:
        """The report page of the job's document ``index`` (from 1), once it is done, or None."""
        from extractor.export.html import render_report
        from extractor.report import attach_texts

        job = self.get(job_id)
        if job is None or not 1 <= index <= len(job.files):
            return None
        with self._lock:
            result = job.files[index - 1].result
        if result is None:
            return None
        cache = job.folder / "out" / "docs" / f"{index}.html"
        if cache.is_file():
            return cache.read_text(encoding="utf-8")
        page = render_report(attach_texts([result], max_bytes=self.settings.max_bytes))
        if job.status == "done":  # run-wide findings are in: the page will not change
            try:
                cache.parent.mkdir(exist_ok=True)
                cache.write_text(page, encoding="utf-8")
            except OSError:  # the job expired meanwhile
                pass
        return page

    # ---- expiry -----------------------------------------------------------------

    def sweep(self) -> list[str]:
        """Delete the jobs finished more than ``ttl_s`` ago; their ids."""
        now = time.monotonic()
        with self._lock:
            expired = [j for j in self._jobs.values() if j.finished is not None and now - j.finished >= self.settings.ttl_s]
            for job in expired:
                del self._jobs[job.id]
        for job in expired:
            shutil.rmtree(job.folder, ignore_errors=True)
        return [job.id for job in expired]

    def _sweep_loop(self) -> None:
        interval = max(1.0, min(60.0, self.settings.ttl_s / 4))
        while not self._stop.wait(interval):
            self.sweep()

    def close(self) -> None:
        """Stop the background threads (a running job is left to finish) and delete every job folder."""
        self._stop.set()
        self._runner.shutdown(wait=False, cancel_futures=True)
        shutil.rmtree(self.root, ignore_errors=True)
