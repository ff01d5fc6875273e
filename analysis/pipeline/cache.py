"""Disk caches that a damaged file cannot break: framed, verified, written atomically.

The compiled gazetteer and the corpus tables are pickled into the cache folder
(``Settings.cache_dir``). A pickle is a program: a flipped byte can make it
import a module that does not exist (``No module named 'panda\\x04'``), ask for
gigabytes, or, worst, load quietly with a wrong name or number. So every cache
file starts with a one-line header::

    nkwar-cache/1 gazetteer-271e8d37288a3555 43693453 sha256:9f86d081884c7d65...

(the container format, the tag the file was written under, the payload's
length and its SHA-256), and the payload reaches :mod:`pickle` only when the
header is exactly the one its bytes give. Anything else counts as absent: no
file, a directory or pipe in its place, a short or long file, one changed byte,
a file of another tag, a payload that fails to unpickle or is not of the
expected type. The value is then built again and the file replaced.

A file is written to a temporary file in the same folder and moved into place
with :func:`os.replace` (:func:`analysis.pipeline.outdir.atomic_write`), so readers see
the old file or the new one, never a part; the temporary is removed on every
way out, KeyboardInterrupt included.
No fsync is needed: a file torn by a crash fails its check and is rebuilt. An
unwritable cache folder costs time, not the run.

The digest guards against damage, not against an attacker: whoever may write
the cache folder may write a valid header too, as with any pickle cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from analysis.pipeline.outdir import atomic_write, sweep_stale

T = TypeVar("T")

FORMAT = "nkwar-cache/1"  # bump when the header layout changes
_HEADER_MAX = 256  # bytes; a header is about 120
_TAG = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def path_for(cache_dir: Path, tag: str) -> Path:
    """The file a value cached under ``tag`` lives in.

    Raises:
        ValueError: "bad cache tag ...": a tag is a file name of letters, digits, ``_.-``.

    Examples:
        >>> path_for(Path("/tmp/c"), "tables-0a1b")
        PosixPath('/tmp/c/tables-0a1b.pickle')
    """
    if not _TAG.fullmatch(tag):
        raise ValueError(f"bad cache tag {tag!r}: use letters, digits, '_', '.' and '-'")
    return cache_dir / f"{tag}.pickle"


def header(tag: str, payload: bytes) -> bytes:
    """The header line a cache file of ``tag`` holding ``payload`` starts with.

    Examples:
        >>> header("t", b"abc")[:31]
        b'nkwar-cache/1 t 3 sha256:ba7816'
    """
    digest = hashlib.sha256(payload).hexdigest()
    return f"{FORMAT} {tag} {len(payload)} sha256:{digest}\n".encode("ascii")


def _nonblocking(path: str, flags: int) -> int:
    # A FIFO put in the file's place must not block the run.
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def read_payload(path: Path, tag: str) -> bytes | None:
    """The payload of the cache file at ``path`` when its header matches it, else None.

    Nothing past the header is read unless the file's size is the one the header
    states, so a large foreign file costs nothing.

    Raises:
        OSError: when the file cannot be opened or read (:func:`load` treats it as absent).
    """
    with open(path, "rb", opener=_nonblocking) as fh:
        size = os.fstat(fh.fileno())
        if not stat.S_ISREG(size.st_mode):
            return None
        head = fh.readline(_HEADER_MAX)
        fields = head.split(b" ")
        if len(fields) != 4 or not fields[2].isdigit():
            return None
        if size.st_size != len(head) + int(fields[2]):
            return None
        payload = fh.read()
    return payload if head == header(tag, payload) else None


def load(cache_dir: Path, tag: str, kind: type[T]) -> T | None:
    """The ``kind`` cached under ``tag`` when its file is intact, else None (absent).

    Any failure counts as absent, whatever raised it: the file is missing,
    unreadable, damaged, of another tag, or its verified payload does not
    unpickle (a library changed) or is not a ``kind``.
    """
    try:
        payload = read_payload(path_for(cache_dir, tag), tag)
        value = None if payload is None else pickle.loads(payload)
    except Exception:  # any failure to load means: build it again
        return None
    return value if isinstance(value, kind) else None


def write(cache_dir: Path, tag: str, value: object) -> bool:
    """Cache ``value`` under ``tag``, atomically; False when the folder cannot be written.

    Written through :func:`analysis.pipeline.outdir.atomic_write`: a temporary file in the
    same folder, moved into place with :func:`os.replace` and removed however the
    write ends. A value that cannot be pickled is a bug and raises.
    """
    path = path_for(cache_dir, tag)
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)

    def put(tmp: Path) -> None:
        with tmp.open("wb") as fh:
            fh.write(header(tag, payload))
            fh.write(payload)

    try:
        if cache_dir.is_dir():
            sweep_stale(cache_dir)  # temporaries of killed runs
        atomic_write(path, put)
    except OSError:
        return False  # an unwritable cache only costs time
    return True


def load_or_build(cache_dir: Path, tag: str, kind: type[T], build: Callable[[], T]) -> T:
    """The ``kind`` cached under ``tag``, else ``build()``, written to the cache for next time.

    A missing, damaged or stale file is rebuilt and replaced; see :func:`load`
    and :func:`write`.
    """
    value = load(cache_dir, tag, kind)
    if value is None:
        value = build()
        write(cache_dir, tag, value)
    return value
