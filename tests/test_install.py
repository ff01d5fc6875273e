"""The package works when installed: a wheel built from the checkout, installed into a
fresh environment, runs ``extract`` and ``report`` from another folder.

The fresh environment gets the project's dependencies from this environment's
site-packages through a ``.pth`` line (no network), but not the editable install
of the checkout: ``analysis`` comes from the wheel alone, with its data files.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from analysis.settings import ROOT

pytestmark = pytest.mark.slow


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{cmd} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _not_source(folder: str, names: list[str]) -> set[str]:
    """What a source copy leaves out: environments, caches, outputs of the checkout."""
    top = {"reports", "build", "dist"} if Path(folder) == ROOT else set()
    return {n for n in names if n in top or n.startswith(".") or n.endswith(".egg-info")} | {
        n for n in names if n == "__pycache__"
    }


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """(python of a fresh environment holding only the wheel, its environment variables)."""
    tmp = tmp_path_factory.mktemp("install")
    dist = tmp / "dist"
    build = tmp / "src"
    # Build from a copy, so that no build/ or egg-info lands in the checkout.
    shutil.copytree(
        ROOT,
        build,
        symlinks=True,
        ignore=_not_source,
    )
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
        + ["-w", str(dist), str(build)],
        cwd=tmp,
    )
    wheel = next(dist.glob("nk_war_analysis-*.whl"))
    env_dir = tmp / "env"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = Path(
        _run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], tmp
        ).strip()
    )
    (site / "project_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q"]
        + [str(wheel)],
        cwd=tmp,
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["MPLBACKEND"] = "Agg"
    # The dependencies' data files (nbconvert's templates, ipykernel's kernel spec, whose
    # "python" runs the environment's own interpreter), as pip would have installed them.
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    # The compiled gazetteer is cached under a key of its data's contents: the wheel's
    # data are the checkout's, so the cache built by `make` serves it too.
    return python, env


def test_the_wheel_holds_the_package_alone(installed, tmp_path):
    python, env = installed
    where = _run([str(python), "-c", "import analysis; print(analysis.__file__)"], tmp_path, env)
    assert str(ROOT) not in where and "site-packages" in where


def test_the_installed_package_extracts_as_the_checkout_does(installed, tmp_path):
    from analysis.pipeline.extract import extract_corpus

    python, env = installed
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "seeds", corpus)
    _run([str(python), "-m", "analysis", "extract", str(corpus), "--out", "out"], tmp_path, env)
    here = extract_corpus(corpus, tmp_path / "here")
    for path in here.written:
        assert (tmp_path / "out" / path.name).read_bytes() == path.read_bytes(), path.name


def test_the_installed_package_renders_a_report(installed, tmp_path):
    python, env = installed
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "seeds", corpus)
    _run(
        [str(python), "-m", "analysis", "report", "--corpus", str(corpus), "--out", "reports"]
        + ["--only", "corpus_overview"],
        tmp_path,
        env,
    )
    html = (tmp_path / "reports" / "corpus_overview.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html and "Traceback" not in html
