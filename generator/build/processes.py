"""Build stage, processes: workers that end with the build, and SIGTERM taken as Ctrl-C.

A build (or a check) is stopped from outside in three ways, and none may leave workers behind:

* Ctrl-C reaches the whole process group. The workers ignore it; the build's process gets
  KeyboardInterrupt, stops its workers (batches.run_batches), removes its unfinished site and says
  so in one line (site.py).
* SIGTERM (a CI job cancelled, systemd, `kill`) reaches the build's process alone: it is turned into
  KeyboardInterrupt and so ends the build the same way.
* SIGKILL (a job's timeout, the OOM killer) runs nothing of the build's. On Linux each worker asks
  the kernel to kill it when the process that started it ends (PR_SET_PDEATHSIG), instead of waiting
  on its queue for ever with its ~80 MB; the abandoned work folder is removed by the next build.

Publishing the site (the swap, or the update by difference) holds both signals off (signals_held):
it is never interrupted halfway, and one that comes during it is dropped, as the build is done but
for removing its work folder.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_PR_SET_PDEATHSIG = 1
try:
    _prctl = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None
except (OSError, AttributeError):
    _prctl = None
_HELD = (signal.SIGINT, signal.SIGTERM)


def end_with_parent() -> None:
    """In a worker, first thing: die when the process that started it does, however it ends; leave
    Ctrl-C and SIGTERM to it (the worker's handlers are the parent's, copied by fork)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    parent = multiprocessing.parent_process()
    if parent is not None and os.getppid() != parent.pid:  # it ended before the kernel was asked
        os._exit(1)


def stop_workers() -> None:
    """Kill this process's workers now rather than wait for their batches, which no one will read.
    A build's or a check's process has no other multiprocessing children."""
    for child in multiprocessing.active_children():
        child.kill()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()  # signal handlers are set only there


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt while the block runs, as Ctrl-C does."""
    if not _in_main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


@contextmanager
def signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM held off while the block runs, and one that came meanwhile dropped: the
    block (publishing, and the work folder's removal) finishes the build either way."""
    if not _in_main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        # Ignoring a signal discards it while pending (POSIX), so it is never delivered.
        handlers = {number: signal.signal(number, signal.SIG_IGN) for number in _HELD}
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)
        for number, handler in handlers.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)
