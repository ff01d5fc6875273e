"""Output folders the tool owns: claimed, locked, swept, written aside and published.

Why: ``extract --out`` and ``report --out`` write into folders a user names,
and a user's folder may hold their own files (a thesis, the corpus itself).
The rules that keep those safe, in one place:

* **Ownership.** A run writes only into a folder that is missing, empty, or
  marked by an earlier run of the same command (the marker file
  :data:`MARKER`). Anything else is refused before anything is written, and so
  is the corpus folder, a folder inside it, or a folder that holds it.
* **One run at a time.** The marker is locked (``flock``) for the run, so two
  runs cannot interleave their files.
* **Nothing half-written.** Every file is written under a temporary name that
  starts with :data:`TMP_PREFIX` and renamed into place; whatever an
  interrupted run left under that prefix is swept at the next start.
* **Only our files are replaced.** The marker lists the files a run
  published; a later run removes only those it no longer makes.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import fcntl
import json
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from analysis.pipeline import pools

MARKER = ".nkwar-output.json"
"""The file that marks a folder as written by this tool (and locks it during a run)."""

TMP_PREFIX = ".nkwar-tmp-"
"""Every temporary file or folder of a run starts with this; leftovers are swept."""

TOOL = "nk-war-analysis"

# Hidden temporaries of versions before the marker existed, swept from owned folders.
_LEGACY_TMP = (".data-",)  # also .data-old-
_LEGACY_TMP_SUFFIX = (".tmp", ".tmp.png", ".tmp.svg")


class OutputDirError(ValueError):
    """The output folder cannot be used; the message says why and what to do."""


@dataclass
class OutputDir:
    """A claimed output folder: its path, what the last run published, and the lock."""

    path: Path
    kind: str
    previous: list[str] = field(default_factory=list)
    lock: int | None = None
    staged: list[Path] = field(default_factory=list)

    def staging(self, name: str = "staging") -> Path:
        """A fresh folder inside the output folder for this run's files, removed when the
        claim ends unpublished (and swept by the next run if this one is killed)."""
        path = self.path / f"{TMP_PREFIX}{name}"
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(mode=0o755)
        _share(path)
        self.staged.append(path)
        return path

    def publish(self, staged: Path, files: Iterable[str], keep: Iterable[str] = ()) -> None:
        """Move ``files`` (paths relative to ``staged``) into the folder, then :meth:`record`.

        SIGINT and SIGTERM wait until the moves are done.
        """
        files = sorted(set(files))
        with signals_deferred():
            for rel in files:
                target = self.path / rel
                if target.parent != self.path:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    _share(target.parent)
                os.replace(staged / rel, target)
            self.record(files, keep)
        shutil.rmtree(staged, ignore_errors=True)

    def record(self, files: Iterable[str], keep: Iterable[str] = ()) -> None:
        """Note ``files`` (relative paths) as this run's, and remove what is no longer made.

        Files the previous run published that this run neither made nor keeps
        (``keep``) are removed; nothing else in the folder is touched.
        """
        kept = set(files) | set(keep)
        for rel in self.previous:
            if rel not in kept and _inside(self.path / rel, self.path):
                with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                    (self.path / rel).unlink()
        self.previous = sorted(kept)
        self._write_marker()

    def _write_marker(self) -> None:
        marker = {"tool": TOOL, "kind": self.kind, "files": self.previous}
        atomic_write_text(self.path / MARKER, json.dumps(marker, indent=1) + "\n")

    def release(self) -> None:
        """Unlock the folder (the marker stays)."""
        if self.lock is not None:
            os.close(self.lock)
            self.lock = None


def check(
    path: str | Path,
    kind: str,
    *,
    corpus_dir: str | Path | None = None,
    adopt: Callable[[Path], list[str] | None] = lambda _p: None,
) -> list[str]:
    """Refuse ``path`` as the output folder of a ``kind`` run, writing nothing, or return the
    files an earlier run published there (see :func:`claim`, which checks again).

    Raises:
        OutputDirError: as :func:`claim`, but for the lock.
    """
    out = Path(path).expanduser().resolve()
    _refuse_corpus(out, corpus_dir)
    if out.exists() and not out.is_dir():
        raise OutputDirError(f"output {out} is a file, not a folder; give a folder")
    if not out.exists():
        return []
    try:
        return _ownership(out, kind, adopt)
    except OSError as exc:
        raise OutputDirError(f"cannot read {out}: {exc.strerror or exc}") from None


@contextlib.contextmanager
def claim(
    path: str | Path,
    kind: str,
    *,
    corpus_dir: str | Path | None = None,
    adopt: Callable[[Path], list[str] | None] = lambda _p: None,
) -> Iterator[OutputDir]:
    """Claim ``path`` as the output folder of a ``kind`` run ('extract', 'report') and lock it.

    ``adopt`` tells, for a folder without a marker, the files an earlier
    version of the tool wrote there (relative paths), or None when it did not
    write that folder. Leftovers of interrupted runs are swept. The folder is
    unlocked on leaving the block; the marker stays.

    Raises:
        OutputDirError: when the folder is (or is inside, or holds) the corpus
            folder, names a file, cannot be created or written, holds files
            this tool did not write, or another run is writing into it.
    """
    check(path, kind, corpus_dir=corpus_dir, adopt=adopt)
    out = Path(path).expanduser().resolve()
    try:
        out.mkdir(parents=True, exist_ok=True)
        lock = _lock(out)
    except OSError as exc:
        raise OutputDirError(f"cannot write into {out}: {exc.strerror or exc}") from None
    try:
        previous = check(out, kind, corpus_dir=corpus_dir, adopt=adopt)  # now under the lock
        sweep(out)
        claimed = OutputDir(out, kind, previous, lock)
        try:
            claimed._write_marker()
        except OSError as exc:
            raise OutputDirError(f"cannot write into {out}: {exc.strerror or exc}") from None
    except BaseException:
        os.close(lock)
        raise
    try:
        yield claimed
    finally:
        # Whatever this run staged and did not publish (an error, an interruption) goes.
        for staged in claimed.staged:
            shutil.rmtree(staged, ignore_errors=True)
        claimed.release()


def _refuse_corpus(out: Path, corpus_dir: str | Path | None) -> None:
    if corpus_dir is None:
        return
    corpus = Path(corpus_dir).expanduser().resolve()
    if out == corpus or corpus in out.parents:
        raise OutputDirError(
            f"output {out} is inside the corpus folder {corpus}: its files would be read "
            "back as articles; give a folder outside the corpus"
        )
    if out in corpus.parents:
        raise OutputDirError(
            f"output {out} holds the corpus folder {corpus}; give a folder beside the corpus"
        )


def _lock(out: Path) -> int:
    """The folder, opened and locked for this run (``flock`` on the folder itself, so no
    lock file is left behind); the lock goes with the descriptor, also when killed."""
    fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        if exc.errno in (errno.EAGAIN, errno.EACCES):
            raise OutputDirError(
                f"another run is writing into {out}; wait for it or give another folder"
            ) from None
        raise
    return fd


def _ownership(out: Path, kind: str, adopt: Callable[[Path], list[str] | None]) -> list[str]:
    """The files the last run published into ``out``; refuse a folder that is not ours."""
    marker = out / MARKER
    if marker.is_file():
        try:
            data = json.loads(marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        if isinstance(data, dict) and data.get("tool") == TOOL:
            if data.get("kind") not in (kind, None):
                raise OutputDirError(
                    f"{out} holds the output of '{data.get('kind')}'; give another folder "
                    f"for '{kind}'"
                )
            files = data.get("files")
            return [str(f) for f in files] if isinstance(files, list) else []
    theirs = sorted(p.name for p in out.iterdir() if not _ours(p.name))
    if not theirs:
        return []
    adopted = adopt(out)
    if adopted is not None:
        return adopted
    shown = ", ".join(theirs[:5]) + (", ..." if len(theirs) > 5 else "")
    raise OutputDirError(
        f"{out} holds files this tool did not write ({shown}); give a new or empty folder, "
        f"or one an earlier '{kind}' wrote"
    )


def _ours(name: str) -> bool:
    return name.startswith((MARKER, TMP_PREFIX))


def sweep(out: Path) -> list[Path]:
    """Remove what interrupted runs left in ``out`` and its ``data/``: temporaries only."""
    removed = []
    for folder in (out, out / "data"):
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            if _is_leftover(entry.name):
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)
                removed.append(entry)
    return removed


def sweep_stale(folder: Path, older_than: float = 3600.0) -> None:
    """Remove temporaries in a shared folder (the cache) left by runs that were killed:
    those not touched for ``older_than`` seconds (a live run's are newer)."""
    now = time.time()
    for entry in folder.glob(f"{TMP_PREFIX}*"):
        try:
            if now - entry.lstat().st_mtime > older_than and not entry.is_dir():
                entry.unlink()
        except OSError:
            continue


def _is_leftover(name: str) -> bool:
    if name.startswith(TMP_PREFIX) or name.startswith(_LEGACY_TMP):
        return True
    return name.startswith(".") and name.endswith(_LEGACY_TMP_SUFFIX) and not _ours(name)


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root)
    except OSError:
        return False


def _share(path: Path) -> None:
    """Folders meant for sharing are readable by others, as the umask allows (not 0700)."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o777 & ~umask)


# ---------------------------------------------------------------- atomic files


def temp_path(target: Path, suffix: str = "") -> Path:
    """A fresh temporary name beside ``target`` (same folder, so a rename is atomic)."""
    fd, tmp = tempfile.mkstemp(
        dir=target.parent, prefix=f"{TMP_PREFIX}{target.name}.", suffix=suffix
    )
    os.close(fd)
    return Path(tmp)


def atomic_write(path: Path, write: Callable[[Path], object], *, keep_suffix: bool = False) -> Path:
    """Run ``write(tmp)`` on a temporary file beside ``path``, then rename it into place.

    ``keep_suffix`` gives the temporary ``path``'s suffix (some writers pick the
    format from it). The temporary is removed on every path, an error or an
    interruption included; the file is readable by others as the umask allows.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(path, path.suffix if keep_suffix else ".tmp")
    try:
        tmp.unlink()  # some writers (GDAL) refuse an existing file
        write(tmp)
        publish_file(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))


def atomic_write_text(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file and a rename."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def publish_file(tmp: Path | str, path: Path) -> None:
    """Move a finished temporary file into place (made readable as the umask allows)."""
    share_file(tmp)
    os.replace(tmp, path)


def share_file(path: Path | str) -> None:
    """A file readable (and writable) as the umask allows, not the 0600 of a temporary."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


# ---------------------------------------------------------------- CSV cells


_FORMULA_START = frozenset("=+-@\t\r")


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not evaluate: text starting like a formula gets a ``'``.

    Numbers are left alone; so is text such as ``-5`` that reads as a number.

    Examples:
        >>> safe_cell("=HYPERLINK(\\"x\\")"), safe_cell("-5"), safe_cell(-5), safe_cell("Kursk")
        ('\\'=HYPERLINK("x")', '-5', -5, 'Kursk')
    """
    if isinstance(value, str) and value[:1] in _FORMULA_START and not _numeric(value):
        return "'" + value
    return value


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def safe_csv_writer(fh: IO[str]) -> Any:
    """A ``csv.writer`` whose rows pass through :func:`safe_cell` (inlined: a table of a
    60 MB article has millions of cells, and most are not text that starts like a formula)."""
    writer = csv.writer(fh)
    first = _FORMULA_START

    def safe(row: Iterable[Any]) -> list[Any]:
        return [
            "'" + v if isinstance(v, str) and v[:1] in first and not _numeric(v) else v for v in row
        ]

    class _Safe:
        def writerow(self, row: Iterable[Any]) -> Any:
            return writer.writerow(safe(row))

        def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
            writer.writerows(map(safe, rows))

    return _Safe()


# ---------------------------------------------------------------- signals


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block is done (a publish is a few renames)."""
    held = {signal.SIGINT, signal.SIGTERM}
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def sweep_ipc(prefix: str = "nkwar-ipc-", older_than: float = 3600.0) -> None:
    """Remove kernel socket folders of processes that are gone (``nkwar-ipc-<pid>-...``).

    Folders of an older naming, without the pid, are removed once over ``older_than`` seconds old.
    """
    base = Path(tempfile.gettempdir())
    for entry in base.glob(f"{prefix}*"):
        rest = entry.name[len(prefix) :]
        pid_text = rest.split("-", 1)[0]
        if pid_text.isdigit() and "-" in rest:
            if pools.alive(int(pid_text)):
                continue
        else:
            try:
                if time.time() - entry.stat().st_mtime < older_than:
                    continue
            except OSError:
                continue
        shutil.rmtree(entry, ignore_errors=True)
