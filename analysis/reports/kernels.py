"""The Jupyter kernels that run the report notebooks.

Two things papermill does not do on its own:

* **No port races.** jupyter_client picks a kernel's TCP ports by binding port 0
  and releasing it, so two processes starting kernels at once can pick the same
  port. Here kernels listen on UNIX sockets in a private folder instead, whose
  paths cannot collide.
* **Spare kernels.** A kernel takes about a second of CPU to start, and a
  report leaves the CPU idle for a fraction of its time (waiting on messages
  between cells). A worker of a parallel batch therefore starts the kernel for
  its next report while the current one runs. Each kernel still runs one
  notebook only, from a fresh start, exactly as papermill's own would.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
import uuid
from multiprocessing.util import Finalize
from pathlib import Path
from typing import Any

from analysis.pipeline import pools

ENGINE = "nkwar"
"""The papermill engine name under which :func:`register_engine` runs notebooks."""

IPC_PREFIX = "nkwar-ipc-"
"""Kernel socket folders in the temporary folder are named ``nkwar-ipc-<pid>-...``."""

_IPC_DIRS: list[Path] = []
_SPARES: dict[tuple[str, str], Any] = {}  # (kernel name, folder) -> a started KernelManager


def _ipc_dir() -> Path:
    """This process's private folder for kernel sockets, removed when the process ends.

    (``Finalize`` rather than ``atexit``: pool workers end without running atexit.)
    """
    if not _IPC_DIRS:
        # The pid in the name lets a later run sweep folders whose process is gone.
        path = Path(tempfile.mkdtemp(prefix=f"{IPC_PREFIX}{os.getpid()}-"))
        Finalize(None, shutil.rmtree, args=(path,), kwargs={"ignore_errors": True}, exitpriority=0)
        _IPC_DIRS.append(path)
    return _IPC_DIRS[0]


def kernel_manager_class() -> type:
    """A KernelManager whose kernel listens on IPC sockets in a private folder."""
    from jupyter_client.manager import KernelManager
    from traitlets import default

    class IPCKernelManager(KernelManager):  # type: ignore[misc]
        @default("transport")
        def _default_transport(self) -> str:
            return "ipc"

        @default("ip")
        def _default_ip(self) -> str:
            return str(_ipc_dir() / f"k{uuid.uuid4().hex[:12]}")

        @default("connection_file")
        def _default_connection_file(self) -> str:
            # Beside the sockets (not a stray /tmp/tmpXXXX.json), removed with them.
            return str(_ipc_dir() / f"kernel-{uuid.uuid4().hex[:12]}.json")

        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            # The kernel's own log (such as the interrupt it logs while shutting
            # down) is not the reader's business; errors in cells are in the
            # executed notebook and the index.
            kw.setdefault("stderr", subprocess.DEVNULL)
            # The kernel dies with the process that started it (a killed batch leaves none).
            kw.setdefault("preexec_fn", pools.child_preexec())
            await super()._async_launch_kernel(kernel_cmd, **kw)

        def client(self, **kwargs: Any) -> Any:
            kc = super().client(**kwargs)
            self.__dict__.setdefault("_clients", []).append(kc)  # stopped with a spare
            return kc

    return IPCKernelManager


def start_spare(kernel_name: str, cwd: str) -> None:
    """Start a kernel for this process's next notebook run in ``cwd`` (no-op if one waits)."""
    key = (kernel_name, str(cwd))
    if key in _SPARES:
        return
    km = kernel_manager_class()(kernel_name=kernel_name)
    km.start_kernel(cwd=str(cwd))  # returns once the process is launched, not when it is ready
    if not _SPARES:
        Finalize(None, stop_spares, exitpriority=10)
    _SPARES[key] = km


def stop_spares() -> None:
    """Stop the kernels nobody took (the worker's last report needed none)."""
    while _SPARES:
        _key, km = _SPARES.popitem()
        _stop(km)


def _stop(km: Any) -> None:
    for kc in km.__dict__.get("_clients", []):
        kc.stop_channels()
    km.shutdown_kernel(now=True)


@functools.cache
def register_engine() -> str:
    """Register (once) the papermill engine that takes a spare kernel when one is waiting.

    It is papermill's nbclient engine; given a spare started in the folder the
    notebook runs in (papermill changes into it first), nbclient uses that
    kernel instead of starting one, and the engine stops it afterwards. The
    engine argument ``start_next_kernel=True`` starts the next spare.
    """
    from papermill.engines import NBClientEngine, papermill_engines

    class SpareKernelEngine(NBClientEngine):  # type: ignore[misc]
        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, **kwargs: Any) -> Any:
            km = _SPARES.pop((kernel_name, os.getcwd()), None)
            if kwargs.pop("start_next_kernel", False):
                start_spare(kernel_name, os.getcwd())
            if km is None:
                return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
            try:
                return super().execute_managed_notebook(nb_man, kernel_name, km=km, **kwargs)
            finally:
                _stop(km)

    papermill_engines.register(ENGINE, SpareKernelEngine)
    return ENGINE
