"""Batches: many files in, results out in input order, in parallel where it pays.

One broken file never stops a batch: its error is in its result and the rest
are processed. Files are read in worker processes, one file at a time each: a
file that runs past the per-file timeout has its worker killed (``E_TIMEOUT``),
a worker that dies (killed by the OOM killer, a crash in a C library) costs only
the file it was reading (``E_WORKER_DIED``); either way a fresh worker takes
its place and the batch goes on.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from functools import partial
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path

from extractor import errors
from extractor.document import DEFAULT_MAX_BYTES
from extractor.interrupts import ignore_in_worker
from extractor.models import DocumentResult, FileError
from extractor.pipeline import ExtractorMode, extract_path

DEFAULT_TIMEOUT = 900.0
"""Seconds one file may take before its worker is stopped (a long scan is OCR'd at
about 3 s per page on one core, so this leaves room for a few hundred pages)."""



Work = Callable[[Path], DocumentResult]

_PARENT_CHECK_S = 1.0
"""How often an idle worker checks that the batch that started it is still there."""

LOOKAHEAD = 32
"""Files a free worker chooses among: the largest of the next this many (in input
order) goes first, so the batch does not end on one worker reading a long file
while the others wait; results still come out in input order, at most about this
many held back."""


def default_jobs(n_files: int) -> int:
    """Worker processes for a batch of ``n_files``: one for small batches, else the cores (≤ 4)."""
    if n_files < 8:
        return 1
    return max(1, min(4, os.cpu_count() or 1))


def extract_many(
    paths: list[Path],
    *,
    jobs: int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    extractor: ExtractorMode | None = None,
    on_result: Callable[[DocumentResult], None] | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    work: Work | None = None,
) -> Generator[DocumentResult, None, None]:
    """Results for ``paths`` in input order; ``on_result`` is called as each arrives.

    ``timeout`` bounds the seconds per file (None: no bound, and one worker reads in
    this process); ``work`` replaces the per-file function (tests inject failures)."""
    workers = jobs if jobs is not None else default_jobs(len(paths))
    task = work or partial(extract_path, max_bytes=max_bytes, extractor=extractor)
    if timeout is None and workers <= 1:
        results: Iterator[DocumentResult] = map(task, paths)
    else:
        results = _isolated(paths, task, max(1, min(workers, len(paths))), timeout)
    for result in results:
        if on_result:
            on_result(result)
        yield result


class _Queue:
    """The files not yet handed to a worker, largest first within ``LOOKAHEAD`` of the
    first one waiting (file size stands for the work: pages, characters)."""

    def __init__(self, paths: list[Path]) -> None:
        self._waiting = deque(enumerate(paths))
        self._sizes = [_size(path) for path in paths]

    def __bool__(self) -> bool:
        return bool(self._waiting)

    def pop(self) -> tuple[int, Path]:
        """The next (index, path) to read."""
        first = self._waiting[0][0]
        best = 0
        for place, (index, _path) in enumerate(self._waiting):
            if index >= first + LOOKAHEAD:
                break
            if self._sizes[index] > self._sizes[self._waiting[best][0]]:
                best = place
        chosen = self._waiting[best]
        del self._waiting[best]
        return chosen


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except (OSError, TypeError, ValueError):  # gone, unreadable or a name the system refuses: its worker reports it
        return 0


def _failed(path: Path, code: str, message: str) -> DocumentResult:
    return DocumentResult(source=str(path), sha256=None, errors=[FileError(code=code, message=f"{path.name}: {message}")])


def _serve(conn: Connection, task: Work, inherited: list[Connection]) -> None:
    """A worker's loop: read (index, path), send back (index, result), until told to stop.

    ``inherited`` are the parent's ends of this and the other workers' pipes, which a
    forked worker holds copies of: they are closed first, so that a result too big for
    the pipe's buffer fails to send (rather than blocks for ever) once the parent is killed."""
    for end in inherited:
        end.close()
    ignore_in_worker()  # Ctrl-C and SIGTERM are the parent's to handle: it stops the workers
    parent = os.getppid()
    while True:
        try:
            while not conn.poll(_PARENT_CHECK_S):
                if os.getppid() != parent:
                    return  # the parent was killed (kill -9): no one will read, and no EOF comes while
                    # other workers hold copies of this pipe's far end
            item = conn.recv()
        except (EOFError, OSError):
            return
        if item is None:
            return
        index, path = item
        try:
            result = task(path)
        except Exception as error:  # noqa: BLE001 - the file's error, not the worker's
            result = _failed(path, errors.E_INTERNAL, f"extraction failed ({type(error).__name__}: {error})")
        if os.getppid() != parent:
            return
        try:
            conn.send((index, result))
        except OSError:  # the parent is gone (its end closed while the result was on its way)
            return


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    index: int | None = None
    path: Path | None = None
    deadline: float = float("inf")


def _start(task: Work, pool: list[_Worker]) -> _Worker:
    methods = multiprocessing.get_all_start_methods()
    forked = "fork" in methods
    context = multiprocessing.get_context("fork" if forked else None)
    parent, child = context.Pipe()
    inherited = [parent, *(w.conn for w in pool)] if forked else []  # a spawned worker inherits no ends
    process = context.Process(target=_serve, args=(child, task, inherited), daemon=True)
    process.start()
    child.close()
    return _Worker(process=process, conn=parent)


def _stop(worker: _Worker) -> None:
    if worker.process.is_alive():
        worker.process.kill()
    worker.process.join(5)
    worker.conn.close()


def _died(worker: _Worker) -> str:
    worker.process.join(1)
    code = worker.process.exitcode
    if code is not None and code < 0:
        how = f"was killed by signal {-code}" + (" (out of memory?)" if -code == signal.SIGKILL else "")
    else:
        how = f"exited with status {code}"
    return f"the worker process reading this file {how}; skipped"


def _hand_out(pool: list[_Worker], todo: _Queue, timeout: float | None) -> None:
    """Give each free worker the next file, if any is left."""
    for worker in pool:
        if worker.index is None and todo:
            worker.index, worker.path = todo.pop()
            worker.deadline = time.monotonic() + timeout if timeout is not None else float("inf")
            worker.conn.send((worker.index, worker.path))


def _isolated(paths: list[Path], task: Work, n_workers: int, timeout: float | None) -> Iterator[DocumentResult]:
    """``task`` over ``paths`` in ``n_workers`` processes, in input order, surviving their deaths."""
    todo = _Queue(paths)
    done: dict[int, DocumentResult] = {}
    pool: list[_Worker] = []
    for _ in range(n_workers):
        pool.append(_start(task, pool))
    next_out = 0
    try:
        while next_out < len(paths):
            _hand_out(pool, todo, timeout)
            busy = [w for w in pool if w.index is not None]
            soonest = min(w.deadline for w in busy) - time.monotonic()
            wait([w.conn for w in busy] + [w.process.sentinel for w in busy], None if soonest == float("inf") else max(0.0, soonest))
            for i, worker in enumerate(pool):
                finished = _collect(worker, timeout)
                if finished is not None:
                    done[finished[0]] = finished[1]
                    if worker.index is not None:  # the worker is gone: a fresh one takes its place
                        _stop(worker)
                        pool[i] = _start(task, pool)
            _hand_out(pool, todo, timeout)  # the free workers read on while the results are taken in
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
    except BaseException:  # an interrupt (or the consumer stopped early): no waiting on anyone
        for worker in pool:
            _stop(worker)
        raise
    else:
        for worker in pool:
            if worker.process.is_alive():
                try:
                    worker.conn.send(None)
                except OSError:
                    pass
        for worker in pool:
            worker.process.join(1)
            _stop(worker)


def _collect(worker: _Worker, timeout: float | None) -> tuple[int, DocumentResult] | None:
    """The (index, result) a busy worker has for the parent, if any: its result, or the
    error entry for a worker that died or ran past the timeout (index left set)."""
    if worker.index is None or worker.path is None:
        return None
    index, path = worker.index, worker.path
    try:
        if worker.conn.poll():
            got: tuple[int, DocumentResult] = worker.conn.recv()
            worker.index = worker.path = None
            return got
    except (EOFError, OSError):
        return index, _failed(path, errors.E_WORKER_DIED, _died(worker))
    if not worker.process.is_alive():
        return index, _failed(path, errors.E_WORKER_DIED, _died(worker))
    if time.monotonic() >= worker.deadline:
        return index, _failed(path, errors.E_TIMEOUT, f"extraction took longer than {timeout:g} s; stopped and skipped")
    return None


def add_corpus_findings(results: list[DocumentResult]) -> None:
    """Append findings that need the whole run (a key cited with different dates or
    issuers in different documents) to the documents they concern."""
    from extractor.check import check_corpus

    extra = check_corpus(results)
    for result in results:
        result.findings.extend(extra.get(result.source, []))
