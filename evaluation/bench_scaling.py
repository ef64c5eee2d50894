"""The scaling table of ``evaluation/bench.py --scaling``: files/s and peak memory of
``bienche extract FOLDER -o OUT`` (whole process, default outputs) for 100, 1 000 and
10 000 short files, with 1 and 2 local workers and on a 2-worker Dask LocalCluster.

Peak memory is sampled from /proc every 50 ms: the parent process alone (what grows
with the batch when results are held) and the whole process tree (parent, workers,
cluster processes).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench_data import many_files

PAGE = 4096


def _tree_rss(root: int) -> tuple[int, int]:
    """RSS bytes of ``root`` alone and of its whole process tree (Linux /proc)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            pages = int((entry / "statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        parents[int(entry.name)] = int(stat[1])
        rss[int(entry.name)] = pages * PAGE
    tree, todo = set(), [root]
    while todo:
        pid = todo.pop()
        tree.add(pid)
        todo += [child for child, parent in parents.items() if parent == pid and child not in tree]
    return rss.get(root, 0), sum(rss.get(pid, 0) for pid in tree)


def measured(argv: list[str]) -> tuple[float, float, float, int]:
    """Wall seconds, peak parent RSS (MiB), peak tree RSS (MiB) and exit status of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peaks = [0, 0]

    def sample() -> None:
        while proc.poll() is None:
            parent, tree = _tree_rss(proc.pid)
            peaks[0], peaks[1] = max(peaks[0], parent), max(peaks[1], tree)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = proc.wait()
    seconds = time.perf_counter() - start
    sampler.join()
    return seconds, peaks[0] / 2**20, peaks[1] / 2**20, code


def _has_dask() -> bool:
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


def bench_scaling(corpus: Path, sizes: tuple[int, ...] = (100, 1000, 10_000)) -> None:
    """Print files/s and peak memory per batch size and way of running."""
    exe = str(Path(sys.executable).with_name("bienche"))
    ways: list[tuple[str, list[str]]] = [("1 worker", ["-j", "1"]), ("2 workers", ["-j", "2"])]
    if _has_dask():
        ways.append(("Dask LocalCluster, 2 workers", ["--scheduler", "local:2"]))
    else:
        print("scaling: Dask not installed (pip install 'bienche[dask]'): the cluster rows are left out")
    print(f"scaling: bienche extract FOLDER -o OUT (short files of ~3 KB cut from {corpus}/*.txt and ../shared/corpus-extra)")
    print(f"  {'files':>6}  {'how':<30} {'wall s':>8} {'files/s':>8} {'parent MiB':>11} {'tree MiB':>9} {'exit':>5}")
    with tempfile.TemporaryDirectory(prefix="bienche-scaling-") as tmp:
        for n in sizes:
            folder = Path(tmp) / f"in-{n}"
            many_files(corpus, folder, n)
            for label, extra in ways:
                out = Path(tmp) / f"out-{n}-{len(extra)}-{extra[-1].replace(':', '')}"
                wall, parent, tree, code = measured([exe, "extract", str(folder), "-o", str(out), "-q", *extra])
                print(f"  {n:>6}  {label:<30} {wall:8.1f} {n / wall:8.1f} {parent:11.0f} {tree:9.0f} {code:>5}")
