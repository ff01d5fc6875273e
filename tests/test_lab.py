"""JupyterLab (``make lab``): a server on 127.0.0.1 serves the notebooks with the project's kernel.

Starts ``jupyter lab`` as the Makefile does (notebooks folder, project venv),
fetches a notebook through the REST API, checks that its kernel is one the
server offers, and stops the server. Nothing is fetched from the network.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from conftest import is_root

from analysis.settings import DEFAULT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, token: str) -> dict:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


@pytest.fixture
def lab_server(tmp_path):
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            f"--notebook-dir={DEFAULT.notebooks_dir}",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.news_url=",
            "--LabApp.extension_manager=readonly",
            *(["--allow-root"] if is_root() else []),
        ],  # fmt: skip
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            _get(f"{base}/api/status", token)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"jupyter lab did not start: {proc.stderr.read().decode()[-2000:]}")
            time.sleep(0.2)
    yield base, token
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_lab_serves_the_notebooks_with_the_project_kernel(lab_server):
    base, token = lab_server
    model = _get(f"{base}/api/contents/corpus_overview.ipynb?content=1", token)
    assert model["type"] == "notebook"
    kernel = model["content"]["metadata"]["kernelspec"]["name"]
    specs = _get(f"{base}/api/kernelspecs", token)["kernelspecs"]
    assert kernel in specs, f"kernel {kernel} not installed: run make setup"
    argv = specs[kernel]["spec"]["argv"]
    assert os.path.abspath(argv[0]).startswith(sys.prefix), (
        f"kernel {kernel} is not this venv: {argv}"
    )
    listing = _get(f"{base}/api/contents/", token)["content"]
    assert {"corpus_overview.ipynb", "place_report.ipynb"} <= {c["name"] for c in listing}
