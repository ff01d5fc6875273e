"""Process pools whose workers start warm and never outlive the run.

Workers fork from a server process that has imported the heavy modules once
(``forkserver``), instead of each importing pandas, matplotlib and papermill
anew (``spawn``); where the platform has no forkserver, they are spawned.
Neither forks the calling process, which may hold threads.

A run killed outright (SIGKILL) cannot clean up after itself, so its children
see to it: every worker watches the run's process and exits when it ends
(:func:`end_with`; the forkserver only exits once the workers have, since they
hold its pipe), and every kernel asks the kernel to kill it when the worker
that started it dies (:func:`die_with_parent`, Linux's ``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import pickle
import select
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext
from typing import Any

_PR_SET_PDEATHSIG = 1

SPLIT_CHARS = 1_000_000
"""A text this long, read with a core to spare, is read in two processes at once
(:class:`Forked`, :func:`in_halves`): below it, a fork costs more than it saves."""


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity, else the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def capped_workers(requested: int | None, tasks: int) -> int:
    """Worker processes for ``tasks`` units of work: ``requested`` (None or 0: all cores),
    never more than the cores nor the tasks, at least one.

    More workers than cores only add memory (each loads the gazetteer) and switching.

    Examples:
        >>> capped_workers(1000, 5) <= 5, capped_workers(1, 100)
        (True, 1)
    """
    cores = available_cores()
    wanted = requested or cores
    return max(1, min(wanted, cores, tasks))


def die_with_parent() -> None:
    """Have the kernel kill this process when its parent dies (Linux; elsewhere nothing).

    Called first thing in a worker (a pool initializer) and in a kernel before
    it starts (``preexec_fn``). If the parent is already gone, exit now.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:
        os._exit(1)


def end_with(pid: int) -> None:
    """Exit this process as soon as process ``pid`` (the run that started the pool) ends.

    A pool initializer. A thread waits on the run's pidfd (Linux 5.3 and later;
    elsewhere it polls twice a second) and ends this process when the run is
    gone, whatever killed it; the kernels this process started die with it.
    """
    die_with_parent()
    threading.Thread(target=_exit_after, args=(pid,), name="end-with-run", daemon=True).start()


def _exit_after(pid: int) -> None:
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        fd = None  # no pidfd here, or the run is already gone
    if fd is not None:
        select.select([fd], [], [])
    else:
        while alive(pid):
            time.sleep(0.5)
    os._exit(1)


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def child_preexec() -> object:
    """A ``preexec_fn`` for a child started now: :func:`die_with_parent`, or None off the
    main thread (the kernel's signal follows the *thread* that started the child, and a
    worker thread may end long before the process)."""
    return die_with_parent if threading.current_thread() is threading.main_thread() else None


class Forked:
    """``fn(*args)`` computed in a forked child while the caller goes on (:meth:`result`).

    For one large article on a machine with a spare core: places and figures are
    independent, so the figures are read in a child while this process reads the
    places. The child shares the parent's memory (copy on write: the gazetteer is
    not loaded twice), dies with it, and sends its result back pickled. Where
    there is no ``fork``, or the child fails, :meth:`result` computes it here,
    so the result is the same either way.
    """

    def __init__(self, fn: Callable[..., Any], *args: Any) -> None:
        self.fn, self.args = fn, args
        self.pid, self.fd = 0, -1
        if not hasattr(os, "fork"):
            return
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: compute, send, leave without running the parent's cleanup
            os.close(r)
            code = 1
            try:
                die_with_parent()
                data = pickle.dumps(fn(*args), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(w, "wb") as fh:
                    fh.write(data)
                code = 0
            finally:
                os._exit(code)
        os.close(w)
        self.pid, self.fd = pid, r

    def result(self) -> Any:
        """The child's result, or ``fn(*args)`` computed here when the child failed."""
        if not self.pid:
            return self.fn(*self.args)
        try:
            with os.fdopen(self.fd, "rb") as fh:
                data = fh.read()
            _, status = os.waitpid(self.pid, 0)
        except BaseException:
            self.cancel()
            raise
        self.pid = 0
        if os.waitstatus_to_exitcode(status) == 0 and data:
            return pickle.loads(data)
        return self.fn(*self.args)

    def cancel(self) -> None:
        """Stop the child (the caller is interrupted or failed)."""
        if self.pid:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            self.pid = 0


def in_halves(
    fn: Callable[[Sequence[Any]], list[Any]], items: Sequence[Any], split: bool
) -> list[Any]:
    """``fn(items)`` for a ``fn`` that maps each item on its own: with ``split``, the
    second half is mapped in a :class:`Forked` child while this process maps the first.

    The result is the same either way; only the wall time differs.
    """
    if not split or len(items) < 2:
        return fn(items)
    half = len(items) // 2
    later = Forked(fn, items[half:])
    try:
        first = fn(items[:half])
        return first + later.result()
    finally:
        later.cancel()


def start_context(preload: Sequence[str] = ()) -> BaseContext:
    """The forkserver context with ``preload`` imported by its server, else spawn.

    The server is one per process: the modules named by the first caller that
    starts it are the ones preloaded. :mod:`analysis.pipeline.forkserver_hooks` comes
    first, so that a worker that cannot start because the run is ending says nothing.
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["analysis.pipeline.forkserver_hooks", *preload])
        return ctx
    return multiprocessing.get_context("spawn")


def process_pool(workers: int, preload: Sequence[str] = ()) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes started by :func:`start_context` that die with this one."""
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=start_context(preload),
        initializer=end_with,
        initargs=(os.getpid(),),
    )


def terminate(pool: ProcessPoolExecutor) -> None:
    """Stop a pool at once: pending work cancelled, every worker sent SIGTERM.

    For an interrupted run: waiting for the reports in progress would keep a
    stopped command running for seconds. The pool's table of workers is taken
    before the shutdown (which drops it) and read after it (no worker can be
    added then), so a worker started meanwhile is stopped too: one left alive
    would wait forever on a queue lock a killed worker held.
    """
    table = getattr(pool, "_processes", None)
    pool.shutdown(wait=False, cancel_futures=True)
    processes = list((table or {}).values())
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
