"""Damaged cache files are rebuilt, never fatal (issue #11, item 10).

Both disk caches, the compiled gazetteer and the corpus tables, go through
:mod:`analysis.pipeline.cache`: a header with the payload's length and SHA-256 is checked
before anything is unpickled, and any failure to load means "absent". The
gazetteer takes ~20 s to build, so it is built once per session; the property
tests damage copies of its file and of the tables' file and call the loader on
them directly, and only a few examples take the full rebuild path.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import random
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pandas as pd
import pytest
from conftest import SEEDS, is_root
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from analysis.pipeline import cache
from analysis.places.gazetteer import Gazetteer, load_gazetteer
from analysis.reports import tables as notebook
from analysis.reports.tables import CorpusTables, tables_key
from analysis.settings import DEFAULT, Settings

LOOKUPS = ("Sudzha", "Kursk", "Pokrovsk", "Zaporizhzhia", "Kyiv", "North Korea", "DPRK")

# Payloads under a valid header that still cannot give the tables: a verified
# file written by a broken or older process. The first is the error.
FRAMED = (
    b"cpanda\x04\nDataFrame\n.",  # ModuleNotFoundError: No module named 'panda\x04'
    b"cbuiltins\nint\n(S'x'\ntR.",  # unpickling raises ValueError
    pickle.dumps({"not": "the tables"}),  # the wrong type
    b"",  # EOFError
    b"\x80\x05\x95",  # truncated
)

_FLIPS = st.lists(st.tuples(st.integers(min_value=0), st.integers(1, 255)), min_size=1, max_size=8)
_WHOLE_FILE = [("legacy",), ("stale",), ("directory",)]
_WHOLE_FILE += [("fifo",)] if hasattr(os, "mkfifo") else []
_WHOLE_FILE += [] if is_root() else [("unreadable",)]  # root reads any file

CORRUPTIONS = st.one_of(
    st.tuples(st.just("truncate"), st.integers(min_value=0)),
    st.tuples(st.just("flip"), _FLIPS),
    st.tuples(st.just("flip_header"), _FLIPS),
    st.tuples(st.just("overwrite"), st.integers(min_value=0), st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("replace"), st.binary(max_size=256)),  # random bytes, or an empty file
    st.tuples(st.just("append"), st.binary(min_size=1, max_size=16)),
    st.tuples(st.just("framed"), st.sampled_from(FRAMED) | st.binary(max_size=24)),
    st.sampled_from(_WHOLE_FILE),
)
"""A damage done to a cache file; positions are taken modulo the file's length."""


def corrupt(path: Path, tag: str, good: bytes, damage: tuple) -> bytes | None:
    """Put a damaged copy of the cache file ``good`` at ``path``; the bytes written, if a file."""
    kind, *args = damage
    event(kind)
    n = len(good)
    data: bytes
    if kind == "truncate":
        data = good[: args[0] % n]
    elif kind in ("flip", "flip_header"):
        out = bytearray(good)
        span = good.index(b"\n") + 1 if kind == "flip_header" else n
        for pos, mask in args[0]:
            out[pos % span] ^= mask
        data = bytes(out)
    elif kind == "overwrite":
        out = bytearray(good)
        pos = args[0] % n
        out[pos : pos + len(args[1])] = args[1]
        data = bytes(out)
    elif kind == "replace":
        data = args[0]
    elif kind == "append":
        data = good + args[0]
    elif kind == "framed":
        data = cache.header(tag, args[0]) + args[0]
    elif kind == "legacy":  # the format before the fix: the bare pickle
        data = good[good.index(b"\n") + 1 :]
    elif kind == "stale":  # an intact file of another key
        payload = good[good.index(b"\n") + 1 :]
        data = cache.header(f"{tag}0", payload) + payload
    elif kind == "directory":
        path.mkdir()
        (path / "inside").write_bytes(good[:100])
        return None
    elif kind == "fifo":
        os.mkfifo(path)
        return None
    elif kind == "unreadable":
        path.write_bytes(good)
        path.chmod(0)
        return None
    else:
        raise AssertionError(kind)
    path.write_bytes(data)
    return data


@contextmanager
def unpickled() -> Iterator[list[bytes]]:
    """The SHA-256 of every payload handed to :func:`pickle.loads` while inside."""
    seen: list[bytes] = []
    real = pickle.loads

    def spy(data, *args, **kwargs):
        seen.append(hashlib.sha256(data).digest())
        return real(data, *args, **kwargs)

    with mock.patch.object(cache.pickle, "loads", spy):
        yield seen


def leftovers(folder: Path) -> list[str]:
    """Temporary files left in a cache folder."""
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def payload_digest(good: bytes) -> bytes:
    return hashlib.sha256(good[good.index(b"\n") + 1 :]).digest()


def assert_same_gazetteer(got: Gazetteer, want: Gazetteer) -> None:
    assert got.version == want.version
    assert len(got.names) == len(want.names) and got.names == want.names
    assert got.exact_case == want.exact_case and got.prefixes == want.prefixes
    pd.testing.assert_frame_equal(got.places, want.places)
    for name in LOOKUPS:
        pd.testing.assert_frame_equal(got.lookup(name), want.lookup(name))


def assert_same_tables(got: CorpusTables, want: CorpusTables) -> None:
    assert isinstance(got, CorpusTables)
    pd.testing.assert_frame_equal(got.corpus.articles, want.corpus.articles)
    pd.testing.assert_frame_equal(got.corpus.problems, want.corpus.problems)
    for name in ("mentions", "places", "figures"):
        pd.testing.assert_frame_equal(getattr(got, name), getattr(want, name))


# --- fixtures: each cache built from scratch once ----------------------------------------------


class Built:
    """A value built from scratch, the tag it is cached under and its cache file's bytes.

    Short to print: Hypothesis shows the fixtures of a failing example.
    """

    def __init__(self, value: Any, tag: str, good: bytes) -> None:
        self.value, self.tag, self.good = value, tag, good

    def __repr__(self) -> str:
        return f"<{self.tag}.pickle, {len(self.good)} bytes>"


@pytest.fixture(scope="session")
def gazetteer_file() -> Built:
    """The gazetteer and its intact cache file (the one ``make`` built: the rebuild from
    scratch is what test_flipped_bytes_in_the_gazetteer_cache_are_rebuilt exercises)."""
    gaz = load_gazetteer(DEFAULT)
    tag = f"gazetteer-{gaz.version}"
    return Built(gaz, tag, cache.path_for(DEFAULT.cache_dir, tag).read_bytes())


@pytest.fixture(scope="session")
def tables_file(tmp_path_factory: pytest.TempPathFactory, gazetteer_file: Built) -> Built:
    """The seeds' tables built from scratch (with the session's gazetteer), and their file."""
    folder = tmp_path_factory.mktemp("tables-cache")
    settings = Settings(cache_dir=folder)
    key = tables_key(SEEDS, settings)
    with mock.patch("analysis.places.geoparse.load_gazetteer", return_value=gazetteer_file.value):
        tables = notebook._load_or_build(SEEDS, key, settings)
    tag = f"tables-{key}"
    return Built(tables, tag, cache.path_for(folder, tag).read_bytes())


# --- (a) the reproduction ----------------------------------------------------------------------


def test_flipped_bytes_in_the_gazetteer_cache_are_rebuilt(
    tmp_path: Path, gazetteer_file: Built, capsys: pytest.CaptureFixture[str]
) -> None:
    want, tag, good = gazetteer_file.value, gazetteer_file.tag, gazetteer_file.good
    start = good.index(b"\n") + 1
    bad = bytearray(good)
    at = good.index(b"pandas", start)
    bad[at : at + 6] = b"panda\x04"  # the crash: No module named 'panda\x04'
    rng = random.Random(11)
    for _ in range(3):
        bad[rng.randrange(start, len(bad))] ^= 1 << rng.randrange(8)
    with pytest.raises(ModuleNotFoundError, match="panda"):
        pickle.loads(bytes(bad[start:]))  # what the loader before the fix did with these bytes
    path = cache.path_for(tmp_path, tag)
    path.write_bytes(bad)

    with unpickled() as seen:
        got = load_gazetteer(Settings(cache_dir=tmp_path))

    # The rebuild (20 s) says what it does, so that the wait does not look like a hang.
    note = capsys.readouterr().err
    assert "Compiling the place gazetteer" in note and "Gazetteer ready" in note, note
    assert_same_gazetteer(got, want)
    assert hashlib.sha256(bad[start:]).digest() not in seen  # damaged bytes never reach pickle
    rebuilt = path.read_bytes()
    assert rebuilt != bytes(bad)
    assert cache.read_payload(path, tag) is not None
    assert leftovers(tmp_path) == []


# --- (b) random damage: never an uncaught error, never other tables ------------------------------

_PROPERTY = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@_PROPERTY
@given(damage=CORRUPTIONS)
@example(damage=("replace", b""))
@example(damage=("framed", FRAMED[0]))
@example(damage=("legacy",))
@example(damage=("directory",))
def test_damaged_tables_cache_reads_as_absent(tables_file: Built, damage: tuple) -> None:
    want, tag, good = tables_file.value, tables_file.tag, tables_file.good
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        written = corrupt(cache.path_for(folder, tag), tag, good, damage)
        with unpickled() as seen:
            got = cache.load(folder, tag, CorpusTables)
    if damage[0] != "framed":
        assert set(seen) <= {payload_digest(good)}  # only intact payloads are unpickled
    if written == good:  # a damage that undid itself (two flips of one bit, same bytes)
        assert got is not None
        assert_same_tables(got, want)
    else:
        assert got is None


@settings(_PROPERTY, max_examples=10)  # each example writes and hashes a 43 MB file
@given(damage=CORRUPTIONS)
@example(damage=("flip", [(10_000_000, 4)]))
@example(damage=("truncate", 43))
def test_damaged_gazetteer_cache_reads_as_absent(gazetteer_file: Built, damage: tuple) -> None:
    want, tag, good = gazetteer_file.value, gazetteer_file.tag, gazetteer_file.good
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        written = corrupt(cache.path_for(folder, tag), tag, good, damage)
        with unpickled() as seen:
            got = cache.load(folder, tag, Gazetteer)
    if damage[0] != "framed":
        assert set(seen) <= {payload_digest(good)}
    if written == good:
        assert got is not None
        assert_same_gazetteer(got, want)
    else:
        assert got is None


@settings(_PROPERTY, max_examples=6)
@given(damage=CORRUPTIONS)
@example(damage=("directory",))
@example(damage=("framed", FRAMED[0]))
def test_damaged_tables_cache_is_rebuilt_and_replaced(
    tables_file: Built,
    gazetteer_file: Built,
    damage: tuple,
) -> None:
    """The full path: the tables come out as from scratch and the file is repaired."""
    want, tag, good = tables_file.value, tables_file.tag, tables_file.good
    with (
        tempfile.TemporaryDirectory() as tmp,
        mock.patch("analysis.places.geoparse.load_gazetteer", return_value=gazetteer_file.value),
    ):
        folder = Path(tmp)
        path = cache.path_for(folder, tag)
        corrupt(path, tag, good, damage)
        key = tag.removeprefix("tables-")
        got = notebook._load_or_build(SEEDS, key, Settings(cache_dir=folder))
        assert_same_tables(got, want)
        if damage[0] == "directory":
            assert path.is_dir()  # not ours to delete: the run goes on without a cache
        else:
            repaired = cache.load(folder, tag, CorpusTables)
            assert repaired is not None
            assert_same_tables(repaired, want)
        assert leftovers(folder) == []


def test_300_random_flips_of_the_tables_cache_are_all_caught(
    tables_file: Built, tmp_path: Path
) -> None:
    """The issue's measure (300 random corruptions, 12 % uncaught before): now none."""
    tag, good = tables_file.tag, tables_file.good
    rng = random.Random(300)
    outcomes = []
    for _ in range(300):
        bad = bytearray(good)
        for _ in range(rng.randint(1, 4)):
            bad[rng.randrange(len(bad))] ^= 1 << rng.randrange(8)
        cache.path_for(tmp_path, tag).write_bytes(bad)
        outcomes.append(cache.load(tmp_path, tag, CorpusTables) is None or bytes(bad) == good)
    assert all(outcomes)


def test_corpus_tables_survive_a_damaged_cache(
    tables_file: Built,
    gazetteer_file: Built,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    want, good = tables_file.value, tables_file.good
    settings = Settings(cache_dir=tmp_path)
    tag = f"tables-{tables_key(SEEDS, settings)}"
    cache.path_for(tmp_path, tag).write_bytes(good[: len(good) // 2])
    monkeypatch.setattr(notebook, "_MEMO", {})
    monkeypatch.setattr("analysis.places.geoparse.load_gazetteer", lambda: gazetteer_file.value)
    assert_same_tables(notebook.corpus_tables(SEEDS, settings), want)
    assert cache.load(tmp_path, tag, CorpusTables) is not None


# --- writing: unwritable folders and interrupted writes -------------------------------------


def test_an_unwritable_cache_folder_only_costs_time(
    tables_file: Built,
    gazetteer_file: Built,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    blocked = blocker / "cache"  # cannot be made, whoever runs the tests
    assert cache.write(blocked, "t", {"a": 1}) is False
    assert cache.load_or_build(blocked, "t", dict, lambda: {"a": 1}) == {"a": 1}
    want, key = tables_file.value, tables_file.tag.removeprefix("tables-")
    monkeypatch.setattr("analysis.places.geoparse.load_gazetteer", lambda: gazetteer_file.value)
    assert_same_tables(notebook._load_or_build(SEEDS, key, Settings(cache_dir=blocked)), want)


@pytest.mark.skipif(is_root(), reason="root writes into read-only folders")
def test_a_read_only_cache_folder_only_costs_time(tmp_path: Path) -> None:
    tmp_path.chmod(0o500)
    try:
        assert cache.load_or_build(tmp_path, "t", dict, lambda: {"a": 1}) == {"a": 1}
        assert list(tmp_path.iterdir()) == []
    finally:
        tmp_path.chmod(0o700)


@pytest.mark.parametrize("error", [KeyboardInterrupt, OSError])
def test_an_interrupted_write_leaves_no_temporary_and_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: type[BaseException]
) -> None:
    assert cache.write(tmp_path, "t", {"old": 1})
    before = cache.path_for(tmp_path, "t").read_bytes()

    def fail(tag: str, payload: bytes) -> bytes:
        assert leftovers(tmp_path)  # the temporary exists when the write fails
        raise error("disk full")

    monkeypatch.setattr(cache, "header", fail)
    if error is KeyboardInterrupt:
        with pytest.raises(KeyboardInterrupt):
            cache.write(tmp_path, "t", {"new": 2})
    else:
        assert cache.write(tmp_path, "t", {"new": 2}) is False
    assert leftovers(tmp_path) == []
    assert cache.path_for(tmp_path, "t").read_bytes() == before
    monkeypatch.undo()
    assert cache.load(tmp_path, "t", dict) == {"old": 1}


def test_a_tag_is_a_plain_file_name(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="bad cache tag"):
        cache.path_for(tmp_path, "../elsewhere")
    with pytest.raises(ValueError, match="bad cache tag"):
        cache.write(tmp_path, "two words", 1)
