"""Ctrl-C and SIGTERM as one exception the batch can stop on cleanly.

Inside :func:`catch_interrupts`, SIGINT (Ctrl-C, to the process group or to this
process alone) and SIGTERM raise :class:`Interrupted` in the main thread; the
batch stops its workers, writes the outputs of the files done so far and exits
with ``128 + signal`` (130, 143), as shells expect.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

HANDLED = (signal.SIGINT, signal.SIGTERM)


class Interrupted(Exception):
    """A stop signal arrived; ``signum`` says which."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"interrupted by {signal.Signals(signum).name}")
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """The shell convention for death by this signal: 128 + its number."""
        return 128 + self.signum


def _raise(signum: int, _frame: FrameType | None) -> None:
    raise Interrupted(signum)


@contextmanager
def catch_interrupts() -> Iterator[None]:
    """Turn SIGINT and SIGTERM into :class:`Interrupted` while the block runs (main thread only;
    elsewhere, as in a web handler's thread, signals are left as they are)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.getsignal(signum) for signum in HANDLED}
    for signum in HANDLED:
        signal.signal(signum, _raise)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def ignore_in_worker() -> None:
    """In a worker process: leave SIGINT and SIGTERM to the parent, which stops workers itself."""
    for signum in HANDLED:
        signal.signal(signum, signal.SIG_IGN)
