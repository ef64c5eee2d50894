"""One file cannot end a batch: a runaway file times out, a dying worker is replaced,
and every other file's result comes back, in input order (issue 12)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from extractor import errors
from extractor.batch import extract_many
from extractor.models import DocumentResult


def _fake(path: Path) -> DocumentResult:
    """Stand-in for extract_path that misbehaves on chosen file names."""
    if path.name.startswith("exit"):
        os._exit(3)
    if path.name.startswith("kill"):
        os.kill(os.getpid(), signal.SIGKILL)
    if path.name.startswith("slow"):
        time.sleep(60)
    if path.name.startswith("raise"):
        raise RuntimeError("boom")
    return DocumentResult(source=str(path), sha256="ok")


def _names(*names: str) -> list[Path]:
    return [Path("/nowhere") / name for name in names]


@pytest.mark.parametrize(
    ("bad", "code"),
    [("exit.txt", errors.E_WORKER_DIED), ("kill.txt", errors.E_WORKER_DIED),
     ("slow.txt", errors.E_TIMEOUT), ("raise.txt", errors.E_INTERNAL)],
)
@pytest.mark.parametrize("jobs", [1, 2])
def test_batch_isolation_bad_file_costs_only_itself(bad: str, code: str, jobs: int) -> None:
    paths = _names("a.txt", "b.txt", bad, "c.txt", "d.txt", "e.txt")
    results = list(extract_many(paths, jobs=jobs, timeout=1.0, work=_fake))
    assert [r.source for r in results] == [str(p) for p in paths]
    for path, result in zip(paths, results):
        if path.name == bad:
            assert [e.code for e in result.errors] == [code]
            assert result.errors[0].message.startswith(bad)
        else:
            assert result.errors == [] and result.sha256 == "ok"


def test_batch_isolation_several_deaths_and_on_result_order() -> None:
    paths = _names("kill1.txt", "a.txt", "exit2.txt", "b.txt", "kill3.txt", "c.txt")
    seen: list[str] = []
    results = list(extract_many(paths, jobs=2, timeout=5.0, work=_fake, on_result=lambda r: seen.append(r.source)))
    assert seen == [str(p) for p in paths]
    assert [r.errors[0].code if r.errors else "ok" for r in results] == [
        errors.E_WORKER_DIED, "ok", errors.E_WORKER_DIED, "ok", errors.E_WORKER_DIED, "ok"]


def test_batch_isolation_timeout_is_per_file_and_quick() -> None:
    started = time.monotonic()
    results = list(extract_many(_names("slow1.txt", "slow2.txt", "a.txt"), jobs=2, timeout=0.5, work=_fake))
    assert time.monotonic() - started < 10
    assert [r.errors[0].code if r.errors else "ok" for r in results] == [errors.E_TIMEOUT, errors.E_TIMEOUT, "ok"]
    assert "0.5 s" in results[0].errors[0].message


def test_batch_isolation_real_files_same_as_in_process(tmp_path: Path) -> None:
    paths = []
    for i in range(3):
        path = tmp_path / f"{i}.txt"
        path.write_text(f"Năm 2024, tỉnh A được giao {1000 + i} biên chế công chức.\n", encoding="utf-8")
        paths.append(path)
    paths.append(tmp_path / "missing.txt")
    isolated = [r.model_dump() for r in extract_many(paths, jobs=2, timeout=60)]
    in_process = [r.model_dump() for r in extract_many(paths, jobs=1, timeout=None)]
    assert isolated == in_process
    assert [f.value for f in extract_many(paths[:1], timeout=60).__next__().figures] == [1000]


def _big(path: Path) -> DocumentResult:
    """A result far bigger than a pipe's buffer: its send blocks until someone reads."""
    return DocumentResult(source=str(path) + "x" * 4_000_000, sha256="ok")


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(), reason="forked workers only")
def test_batch_isolation_worker_sending_a_big_result_exits_once_the_parent_end_is_gone() -> None:
    from extractor.batch import _start, _stop

    first = _start(_big, [])
    second = _start(_big, [first])  # forked after the first: it held a copy of the first's parent end
    try:
        for worker in (first, second):
            worker.conn.send((0, Path("/nowhere/big.txt")))
        time.sleep(1.0)  # both are now blocked sending; no one reads, as when the parent is killed
        for worker in (first, second):
            worker.conn.close()
            worker.process.join(10)
        assert [w.process.is_alive() for w in (first, second)] == [False, False]
    finally:
        _stop(first)
        _stop(second)
