"""Batches on a dask.distributed cluster: the same per-file function, run by the
cluster's workers, results out in input order.

``--scheduler local`` (or ``local:N``) starts a LocalCluster of worker processes
on this machine (one thread each); ``--scheduler tcp://HOST:PORT`` (or
``tls://``) connects to a running ``dask scheduler``, whose workers must see the
files at the same paths. dask is an optional extra (``pip install
'bienche[dask]'``): nothing here imports it until a cluster run starts.

As in the local runner, one broken file never stops a batch: a task that raises
becomes an ``E_INTERNAL`` entry, a file whose worker died twice (dask retries a
file once on a fresh worker when the scheduler is a LocalCluster; a remote
scheduler keeps its own ``allowed-failures``, see ``SCHEDULER_ENV``) becomes
``E_WORKER_DIED``. The per-file timeout is not enforced on a cluster. dask's log
lines stay off the console, and a LocalCluster's workers leave Ctrl-C to this
process, which cancels the work and stops them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import warnings
from collections import deque
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from extractor import errors
from extractor.batch import _failed
from extractor.models import DocumentResult

Task = Callable[[Path], DocumentResult]

INSTALL_HINT = "pip install 'bienche[dask]'"
CONNECT_TIMEOUT = 10.0
"""Seconds to wait for a remote scheduler to answer before giving up."""

SCHEDULER_CONFIG = {"distributed.scheduler.allowed-failures": 1, "distributed.scheduler.worker-saturation": 1.0}
"""What bienche's LocalCluster runs with: a file whose worker died is retried once,
then reported; a worker holds only the files it is reading, so a file that kills
its worker takes no queued neighbour down with it."""
SCHEDULER_ENV = {
    "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1",
    "DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION": "1.0",
}
"""The same settings for a ``dask scheduler`` started by hand, as environment variables."""

_LOGGERS = ("distributed", "tornado", "bokeh", "asyncio")
_USAGE = "expected local, local:N (N ≥ 1 worker processes) or tcp://HOST:PORT (tls://HOST:PORT)"


class ClusterError(Exception):
    """A cluster run that cannot go on: dask missing, a scheduler that does not
    answer or was lost mid-run. The message names the address."""


@dataclass(frozen=True)
class SchedulerSpec:
    """Where the work runs: a LocalCluster started here (``address`` None, with
    ``workers`` processes, None for one per core) or a scheduler at ``address``."""

    address: str | None = None
    workers: int | None = None

    @property
    def local(self) -> bool:
        """True for a LocalCluster started (and stopped) by the run itself."""
        return self.address is None

    def describe(self) -> str:
        """``local:2``, ``local`` or the address, as the user would write it."""
        if self.address is not None:
            return self.address
        return "local" if self.workers is None else f"local:{self.workers}"


def parse_scheduler(address: str) -> SchedulerSpec:
    """The scheduler ``address`` names: ``local``, ``local:N``, ``tcp://HOST:PORT``
    or ``tls://HOST:PORT``; anything else raises ValueError with what was expected."""
    given = address.strip()
    if given == "local":
        return SchedulerSpec()
    if given.startswith("local:"):
        count = given.removeprefix("local:")
        if not count.isdigit() or int(count) < 1:
            raise ValueError(f"'{address}': local:N needs a whole number N ≥ 1 of worker processes")
        return SchedulerSpec(workers=int(count))
    parts = urlsplit(given)
    if parts.scheme in ("tcp", "tls") and "://" in given:
        try:
            port = parts.port
        except ValueError:
            port = None
        if not parts.hostname or port is None or port < 1 or parts.path or parts.query or parts.fragment:
            raise ValueError(f"'{address}' is not a scheduler address: {parts.scheme}://HOST:PORT needs a host and a port (dask's default is 8786)")
        return SchedulerSpec(address=given)
    raise ValueError(f"'{address}' is not a scheduler address: {_USAGE}")


def require_dask() -> ModuleType:
    """The ``distributed`` module, or ClusterError saying how to install it."""
    try:
        import distributed
    except ImportError:
        raise ClusterError(f"running on a dask cluster needs dask.distributed: {INSTALL_HINT}") from None
    return distributed


@contextlib.contextmanager
def quiet_dask() -> Iterator[None]:
    """Keep dask's log lines and warnings off the console while the block runs
    (the user sees bienche's messages and each file's error entry instead)."""
    saved: list[tuple[logging.Handler | logging.Logger, int]] = []
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        saved.append((logger, logger.level))
        logger.setLevel(logging.CRITICAL + 1)
        for handler in logger.handlers:
            saved.append((handler, handler.level))
            handler.setLevel(logging.CRITICAL + 1)
    for name in list(logging.root.manager.loggerDict):
        if name.startswith(("distributed.", "tornado.")):
            child = logging.getLogger(name)
            saved.append((child, child.level))
            child.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", module=r"(distributed|dask|tornado)(\.|$)")
            yield
    finally:
        for thing, level in reversed(saved):
            thing.setLevel(level)


@contextlib.contextmanager
def connect(spec: SchedulerSpec, *, connect_timeout: float = CONNECT_TIMEOUT) -> Iterator[Any]:
    """A ``distributed.Client`` for ``spec`` (and the LocalCluster it starts), both
    closed when the block ends, however it ends."""
    distributed = require_dask()
    import dask

    with contextlib.ExitStack() as stack:
        if spec.local:
            workers = spec.workers or max(1, os.cpu_count() or 1)
            try:
                with dask.config.set(SCHEDULER_CONFIG), _sigint_ignored():  # the workers inherit SIG_IGN
                    cluster = distributed.LocalCluster(
                        n_workers=workers, threads_per_worker=1, processes=True,
                        dashboard_address=None, silence_logs=logging.CRITICAL + 1,
                        preload=[__name__],  # dask_setup below, in every (restarted) worker
                    )
            except Exception as error:  # noqa: BLE001 - a worker process that could not start
                raise ClusterError(f"could not start a local dask cluster of {workers} workers ({type(error).__name__}: {error})") from None
            stack.callback(_close, cluster)
            client = distributed.Client(cluster, set_as_default=False)
        else:
            try:
                client = distributed.Client(spec.address, timeout=connect_timeout, set_as_default=False)
            except Exception as error:  # noqa: BLE001 - OSError, TimeoutError, a refused handshake
                raise ClusterError(f"could not connect to the dask scheduler at {spec.address} ({type(error).__name__}: {error})") from None
        stack.callback(_close, client)
        yield client


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Ignore Ctrl-C while the block starts child processes (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def dask_setup(worker: Any) -> None:
    """dask's preload hook, run in each LocalCluster worker process as it starts:
    Ctrl-C is the parent's to handle (it closes the cluster), so the worker ignores
    it instead of printing a traceback."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _close(thing: Any) -> None:
    """Close a client or cluster within a few seconds; never raise while cleaning up."""
    try:
        thing.close(timeout=5)
    except Exception:  # noqa: BLE001 - already gone, or the loop stopped
        pass


def default_window(client: Any) -> int:
    """Files in flight at once: four per worker thread (at least 8), so workers
    never wait for work while memory stays flat for any number of files."""
    try:
        threads = int(sum(client.nthreads().values()))
    except Exception:  # noqa: BLE001 - a scheduler that does not answer the query
        threads = 0
    return max(8, 4 * threads)


def extract_on_cluster(
    paths: list[Path],
    task: Task,
    scheduler: str,
    *,
    window: int | None = None,
    connect_timeout: float = CONNECT_TIMEOUT,
    quiet: bool = True,
) -> Generator[DocumentResult, None, None]:
    """``task`` over ``paths`` on the dask cluster ``scheduler`` names, results in input order.

    At most ``window`` files are in flight (default: four per worker thread).
    ``task`` must be picklable (a ``functools.partial`` of ``extract_path``).
    Closing the generator early cancels what is in flight and closes the client
    and any LocalCluster it started. Raises ValueError for a bad address and
    ClusterError when dask is missing or the scheduler cannot be reached."""
    spec = parse_scheduler(scheduler)
    require_dask()
    if not paths:
        return
    with contextlib.ExitStack() as stack:
        if quiet:
            stack.enter_context(quiet_dask())
        client = stack.enter_context(connect(spec, connect_timeout=connect_timeout))
        yield from _ordered(client, paths, task, window or default_window(client), spec)


def _ordered(client: Any, paths: list[Path], task: Task, window: int, spec: SchedulerSpec) -> Generator[DocumentResult, None, None]:
    """Submit ``task`` per path with at most ``window`` in flight; yield in input order."""
    pending: deque[tuple[Path, Any]] = deque()
    try:
        for path in paths:
            pending.append((path, client.submit(task, path, pure=False)))
            if len(pending) >= max(1, window):
                result = _outcome(*pending[0], spec)
                pending.popleft()
                yield result
        while pending:
            result = _outcome(*pending[0], spec)
            pending.popleft()
            yield result
    finally:
        if pending:
            with contextlib.suppress(Exception):
                client.cancel([future for _, future in pending], force=True)


def _outcome(path: Path, future: Any, spec: SchedulerSpec) -> DocumentResult:
    """The file's result, or the error entry the local runner would write for it."""
    from concurrent.futures import CancelledError  # dask's FutureCancelledError is one

    from distributed.scheduler import KilledWorker

    try:
        result: DocumentResult = future.result()
        return result
    except KilledWorker:
        return _failed(path, errors.E_WORKER_DIED, "the dask worker reading this file died, also when dask retried it (out of memory?); skipped")
    except CancelledError:
        raise ClusterError(f"lost the dask scheduler at {spec.describe()} (the work for {path.name} was cancelled); is it still running?") from None
    except Exception as error:  # noqa: BLE001 - the file's error, as the local runner reports it
        return _failed(path, errors.E_INTERNAL, f"extraction failed ({type(error).__name__}: {error})")
