"""Process pools whose workers start warm.

Workers fork from a server process that has imported the heavy modules once
(``forkserver``), instead of each importing pandas, matplotlib and papermill
anew (``spawn``); where the platform has no forkserver, they are spawned.
Neither forks the calling process, which may hold threads.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext


def start_context(preload: Sequence[str] = ()) -> BaseContext:
    """The forkserver context with ``preload`` imported by its server, else spawn.

    The server is one per process: the modules named by the first caller that
    starts it are the ones preloaded.
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(list(preload))
        return ctx
    return multiprocessing.get_context("spawn")


def process_pool(workers: int, preload: Sequence[str] = ()) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes started by :func:`start_context`."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=start_context(preload))
