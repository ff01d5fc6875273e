"""Imported by the forkserver of a pool only
(a preload of :func:`analysis.pipeline.pools.start_context`).

A worker forked while the run is ending (Ctrl-C, SIGTERM) can fail to start
because the run has already removed what the worker needs to attach to (its
semaphores and pipes): the forkserver then prints that failure's traceback
into the user's terminal. Such a start-up failure only means the run is over,
so it exits quietly; any other error is printed as before.
"""

from __future__ import annotations

import sys
from types import TracebackType

_PRINT = sys.excepthook
_RUN_GONE = (FileNotFoundError, EOFError, ConnectionError)


def _quiet_when_the_run_is_gone(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None
) -> None:
    if not issubclass(kind, _RUN_GONE):
        _PRINT(kind, value, tb)


sys.excepthook = _quiet_when_the_run_is_gone
