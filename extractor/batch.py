"""Batches: many files in, results out in input order, in parallel where it pays.

One broken file never stops a batch: its error is in its result and the rest
are processed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

from extractor.document import DEFAULT_MAX_BYTES
from extractor.models import DocumentResult
from extractor.pipeline import ExtractorMode, extract_path


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
) -> Iterator[DocumentResult]:
    """Results for ``paths`` in input order; ``on_result`` is called as each arrives."""
    workers = jobs if jobs is not None else default_jobs(len(paths))
    work = partial(extract_path, max_bytes=max_bytes, extractor=extractor)
    if workers <= 1 or len(paths) <= 1:
        for path in paths:
            result = work(path)
            if on_result:
                on_result(result)
            yield result
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for result in pool.map(work, paths, chunksize=4):
            if on_result:
                on_result(result)
            yield result


def add_corpus_findings(results: list[DocumentResult]) -> None:
    """Append findings that need the whole run (a key cited with different dates or
    issuers in different documents) to the documents they concern."""
    from extractor.check import check_corpus

    extra = check_corpus(results)
    for result in results:
        result.findings.extend(extra.get(result.source, []))
