"""Ctrl-C and SIGTERM as one exception the batch can stop on cleanly.

Inside :func:`catch_interrupts`, SIGINT (Ctrl-C, to the process group or to this
process alone) and SIGTERM raise :class:`Interrupted` in the main thread; the
batch stops its workers, writes the outputs of the files done so far and exits
with ``128 + signal`` (130, 143), as shells expect.
"""

from __future__ import annotations

import signal
import sys
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


_holding: list[bool] = [False]
"""Whether the main thread is inside :func:`signals_held`."""
_deferred: list[int] = []
"""Stop signals that arrived while held, in order."""


def _raise(signum: int, _frame: FrameType | None) -> None:
    if _holding[0]:
        _deferred.append(signum)  # raised when the held block ends
        return
    raise Interrupted(signum)


@contextmanager
def signals_held() -> Iterator[None]:
    """Inside :func:`catch_interrupts`: a stop signal that arrives while the block runs is
    raised as :class:`Interrupted` when it ends, never half-way. Python runs signal
    handlers in the main thread whichever thread the system delivered the signal to,
    so a flag holds them where a thread mask would not (a pool's helper threads take
    process-directed signals). Outside the main thread the block just runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    outer = _holding[0]
    _holding[0] = True
    try:
        yield
    finally:
        _holding[0] = outer
        if not outer and _deferred:
            signum = _deferred[0]
            _deferred.clear()
            if sys.exc_info()[0] is None:
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
