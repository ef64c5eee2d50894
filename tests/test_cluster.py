"""Batches on a dask cluster: the same JSONL as a local run (LocalCluster and a
``dask scheduler`` + ``dask worker`` over tcp), failures as error entries, early
close, clear errors, and no dask import in a base install."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from extractor import errors
from extractor.batch import extract_many
from extractor.cluster import SCHEDULER_ENV, ClusterError, SchedulerSpec, extract_on_cluster, parse_scheduler, require_dask
from extractor.models import DocumentResult
from extractor.pipeline import extract_path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
BIN = Path(sys.executable).parent
TASK = partial(extract_path, max_bytes=20_000_000, extractor="rules")

try:
    import distributed  # noqa: F401
except ImportError:  # pragma: no cover - the base install
    HAVE_DASK = False
else:
    HAVE_DASK = True
needs_dask = pytest.mark.skipif(not HAVE_DASK, reason="dask.distributed not installed (pip install 'bienche[dask]')")


@pytest.mark.parametrize(
    ("address", "spec"),
    [
        ("local", SchedulerSpec()),
        (" local:2 ", SchedulerSpec(workers=2)),
        ("local:16", SchedulerSpec(workers=16)),
        ("tcp://127.0.0.1:8786", SchedulerSpec(address="tcp://127.0.0.1:8786")),
        ("tcp://head.cluster.example:9000", SchedulerSpec(address="tcp://head.cluster.example:9000")),
        ("tls://10.0.0.5:8786", SchedulerSpec(address="tls://10.0.0.5:8786")),
        ("tcp://[::1]:8786", SchedulerSpec(address="tcp://[::1]:8786")),
    ],
)
def test_cluster_parse_scheduler_accepts(address: str, spec: SchedulerSpec) -> None:
    assert parse_scheduler(address) == spec


@pytest.mark.parametrize(
    ("address", "says"),
    [
        ("", "expected local, local:N"),
        ("remote", "expected local, local:N"),
        ("local:0", "N ≥ 1"),
        ("local:-1", "N ≥ 1"),
        ("local:two", "N ≥ 1"),
        ("local:", "N ≥ 1"),
        ("tcp://127.0.0.1", "needs a host and a port"),
        ("tcp://:8786", "needs a host and a port"),
        ("tcp://host:port", "needs a host and a port"),
        ("tcp://host:99999", "needs a host and a port"),
        ("tcp://host:8786/path", "needs a host and a port"),
        ("http://host:8786", "expected local, local:N"),
        ("127.0.0.1:8786", "expected local, local:N"),
        ("ucx://host:8786", "expected local, local:N"),
    ],
)
def test_cluster_parse_scheduler_rejects(address: str, says: str) -> None:
    with pytest.raises(ValueError, match=says) as caught:
        parse_scheduler(address)
    assert repr(address) in str(caught.value) or f"'{address}'" in str(caught.value)


def test_cluster_without_dask_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed → ImportError
    with pytest.raises(ClusterError, match=r"pip install 'bienche\[dask\]'"):
        require_dask()
    with pytest.raises(ClusterError, match=r"pip install 'bienche\[dask\]'"):
        next(extract_on_cluster([CORPUS / "000_2f29880d7c86bee3.txt"], TASK, "local:1"))


def test_cluster_base_modules_do_not_import_dask() -> None:
    code = (
        "import sys, extractor.cli, extractor.cluster, extractor.batch, extractor.graph.build, extractor.graph.cli\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def _inputs(folder: Path) -> list[Path]:
    """The corpus's texts, its docx and text PDF (not the slow scan), and two bad files."""
    picked = sorted(CORPUS.glob("*.txt")) + [CORPUS / "hoi-nghi-bien-che.docx", CORPUS / "kh-123-longan.pdf"]
    empty = folder / "empty.pdf"
    empty.write_bytes(b"")
    noise = folder / "noise.txt"
    noise.write_bytes(bytes((i * 7919 + 13) % 256 for i in range(4096)))
    return [p for p in picked if p.is_file()] + [empty, noise]


def _jsonl(results: list[DocumentResult]) -> str:
    return "".join(r.to_json() + "\n" for r in results)


@needs_dask
def test_cluster_local_matches_a_local_run(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    paths = _inputs(tmp_path)
    on_cluster = list(extract_on_cluster(paths, TASK, "local:2"))
    assert _jsonl(on_cluster) == _jsonl([TASK(p) for p in paths])
    assert [r.source for r in on_cluster] == [str(p) for p in paths]
    assert on_cluster[-2].errors and on_cluster[-1].errors  # the bad files are entries, in place
    captured = capfd.readouterr()
    assert "distributed" not in captured.err and "Traceback" not in captured.err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for_port(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"nothing listens on port {port}")


@pytest.fixture(scope="module")
def tcp_scheduler() -> Iterator[str]:
    """A ``dask scheduler`` and one ``dask worker`` (1 process, 1 thread) as subprocesses."""
    if not HAVE_DASK:
        pytest.skip("dask.distributed not installed")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "tests")]),
               **SCHEDULER_ENV)
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env, "cwd": ROOT}
    procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"], **quiet)]  # type: ignore[call-overload]
    try:
        _wait_for_port(port, time.monotonic() + 30)
        procs.append(subprocess.Popen([str(BIN / "dask"), "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard"], **quiet))  # type: ignore[call-overload]
        with require_dask().Client(address, timeout=30, set_as_default=False) as client:
            client.wait_for_workers(1, timeout=30)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in reversed(procs):
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)


@needs_dask
def test_cluster_tcp_matches_a_local_run(tcp_scheduler: str, tmp_path: Path) -> None:
    paths = _inputs(tmp_path)
    on_cluster = list(extract_on_cluster(paths, TASK, tcp_scheduler, window=3))
    assert _jsonl(on_cluster) == _jsonl([TASK(p) for p in paths])


def flaky(path: Path) -> DocumentResult:
    """Raise on boom.txt, kill the worker process on die.txt, else extract."""
    if path.name == "boom.txt":
        raise RuntimeError("boom")
    if path.name == "die.txt":
        os._exit(9)
    return TASK(path)


@needs_dask
def test_cluster_failures_are_the_local_runners_entries(tcp_scheduler: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    good = CORPUS / "000_2f29880d7c86bee3.txt"
    for name in ("boom.txt", "die.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    paths = [tmp_path / "boom.txt", good, tmp_path / "die.txt", good]
    on_cluster = list(extract_on_cluster(paths, flaky, tcp_scheduler))
    locally = list(extract_many(paths, work=flaky, jobs=2, timeout=60))
    assert [r.to_json() for r in on_cluster[:2]] == [r.to_json() for r in locally[:2]]
    assert "extraction failed (RuntimeError: boom)" in on_cluster[0].errors[0].message
    assert [e.code for e in on_cluster[2].errors] == [e.code for e in locally[2].errors] == [errors.E_WORKER_DIED]
    assert on_cluster[2].errors[0].message.startswith("die.txt: ")
    assert on_cluster[3].to_json() == TASK(good).to_json()  # the batch went on after the death
    assert "distributed" not in capfd.readouterr().err


@needs_dask
def test_cluster_unreachable_scheduler_names_the_address() -> None:
    address = f"tcp://127.0.0.1:{_free_port()}"
    began = time.monotonic()
    with pytest.raises(ClusterError, match=f"could not connect to the dask scheduler at {address}"):
        next(extract_on_cluster([CORPUS / "000_2f29880d7c86bee3.txt"], TASK, address, connect_timeout=2))
    assert time.monotonic() - began < 20


@needs_dask
def test_cluster_closing_early_stops_the_local_cluster(tmp_path: Path) -> None:
    import psutil

    before = {p.pid for p in psutil.Process().children(recursive=True)}
    paths = sorted(CORPUS.glob("*.txt")) * 4
    results = extract_on_cluster(paths, TASK, "local:1", window=4)
    first = next(results)
    assert first.source == str(paths[0])
    began = time.monotonic()
    results.close()
    assert time.monotonic() - began < 15
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        left = [p for p in psutil.Process().children(recursive=True) if p.pid not in before and p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        if not left:
            break
        time.sleep(0.2)
    assert left == []


@needs_dask
def test_cluster_graph_build_matches_a_local_build(tcp_scheduler: str, tmp_path: Path) -> None:
    from extractor.graph import store
    from extractor.graph.build import build

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in sorted(CORPUS.glob("*.txt")):
        (corpus / path.name).write_bytes(path.read_bytes())
    here = build([corpus], tmp_path / "here.db", jobs=1, extractor="rules")
    there = build([corpus], tmp_path / "there.db", extractor="rules", scheduler=tcp_scheduler)
    assert (there.processed, there.failed, there.nodes, there.edges) == (here.processed, here.failed, here.nodes, here.edges)
    dumps = []
    for name in ("here.db", "there.db"):
        conn = store.open_existing(tmp_path / name)
        dumps.append([line.replace(str(tmp_path / name), "DB") for line in store.canonical_dump(conn)])
        conn.close()
    assert dumps[0] == dumps[1]
    assert build([corpus], tmp_path / "there.db", extractor="rules", scheduler=tcp_scheduler).skipped == here.processed


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--scheduler", "bogus"], "error: --scheduler: 'bogus' is not a scheduler address"),
        (["--scheduler", "local:0"], "error: --scheduler: 'local:0': local:N needs"),
        (["--scheduler", "local", "--jobs", "2"], "error: --jobs and --scheduler exclude each other"),
    ],
)
def test_cluster_graph_build_scheduler_misuse_is_one_line(tmp_path: Path, args: list[str], says: str) -> None:
    from typer.testing import CliRunner

    from extractor.cli import app

    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    done = CliRunner().invoke(app, ["graph", "build", str(tmp_path / "a.txt"), "--db", str(tmp_path / "c.db"), *args])
    assert done.exit_code == 2
    assert done.output.strip().splitlines() == [says] or done.output.strip().startswith(says)
    assert not (tmp_path / "c.db").exists()
