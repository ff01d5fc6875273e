"""Read a folder of documents into an articles table, recording every problem on the way.

A corpus is a folder of ``.txt``, ``.md`` and ``.html``/``.htm`` files. Each file
becomes one row of the articles table; a file that cannot be read becomes one
row of the problems table instead, and the rest of the corpus goes on. One
document is read by :mod:`analysis.text.document`; this module holds the folder:
which files, the sidecar metadata, and the corpus as a whole.

Metadata (title, outlet, language, published date) comes from an optional
sidecar ``metadata.csv`` in the folder (one row per document, keyed by ``id``,
the file stem), from a leading ``date YYYY-MM-DD`` line in the text, or, for
HTML, from the page's own metadata. Without any of these the fields stay empty:
nothing is invented; a published date that is not a real ``YYYY-MM-DD`` is left
empty and recorded. The language, where no metadata gives it, is detected.
"""

from __future__ import annotations

import csv
import io
import os
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import schema
from analysis.settings import DEFAULT, DOCUMENT_SUFFIXES, SIDECAR_NAMES, Settings
from analysis.text.document import (
    SIDECAR_MAX_MB,
    DocumentError,
    article_row,
    leads_outside,
    read_bounded,
    read_document,
    valid_published,
)

ARTICLE_COLUMNS = [
    "article",
    "title",
    "lang",
    "published",
    "outlet",
    "path",
    "sha256",
    "text",
    "body",
    "body_spans",
    "lang_source",
    "encoding",
]
PROBLEM_COLUMNS = schema.columns("problems")
METADATA_FIELDS = ("title", "outlet", "lang", "published")

Problem = tuple[str, str, str]
"""A row of the problems table: file, problem, action."""


class CorpusError(Exception):
    """The corpus as a whole cannot be read (missing folder, no documents)."""


@dataclass
class Corpus:
    """The articles of a corpus and the problems met reading it."""

    articles: pd.DataFrame
    problems: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PROBLEM_COLUMNS))


# ---------------------------------------------------------------- which files


def document_paths(folder: str | Path, settings: Settings = DEFAULT) -> list[Path]:
    """The documents of a corpus folder (and its subfolders), sorted, hidden files skipped.

    Anything named like a document is listed, whether or not it can be read (a
    folder named ``x.txt``, a dangling symlink, a FIFO), so that reading it
    records why not. Folder symlinks that lead outside the corpus are listed
    too, to be recorded, unless ``settings.follow_links`` is set, in which case
    their documents are listed instead. Folder symlinks inside the corpus are
    not entered (their documents are listed where they are), and no folder is
    entered twice, so symlink loops end.

    Raises:
        CorpusError: "corpus folder not found: DIR" when the folder does not exist;
            "not a folder: PATH" when it is a file; "no documents (.txt, .md,
            .html, .htm) in DIR" when it holds none.
    """
    root = Path(folder)
    if not root.exists():
        raise CorpusError(f"corpus folder not found: {root}")
    if not root.is_dir():
        raise CorpusError(f"not a folder: {root} (give the folder that holds the documents)")
    paths = sorted(_walk(root, settings.follow_links))
    if not paths:
        raise CorpusError(f"no documents ({', '.join(DOCUMENT_SUFFIXES)}) in {root}")
    return paths


def _walk(root: Path, follow_links: bool) -> Iterator[Path]:
    """The entries :func:`document_paths` lists, folder by folder, each folder once."""
    real_root = Path(os.path.realpath(root))
    entered: set[tuple[int, int]] = set()
    folders = deque([root])
    while folders:
        folder = folders.popleft()
        try:
            st = os.stat(folder)
            if (st.st_dev, st.st_ino) in entered:
                continue
            entered.add((st.st_dev, st.st_ino))
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue  # an unreadable subfolder is left out, as a glob leaves it
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            named = path.suffix.lower() in DOCUMENT_SUFFIXES
            if not _is_dir(entry):
                if named:
                    yield path
            elif not entry.is_symlink():
                folders.append(path)
                if named:
                    yield path
            elif leads_outside(path, real_root):
                if follow_links:
                    folders.append(path)
                else:
                    yield path
            elif named:
                yield path


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """Whether an entry is a folder or a symlink to one (a broken or looping link is not)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


# ---------------------------------------------------------------- the sidecar


def read_sidecar(
    folder: Path, settings: Settings = DEFAULT
) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """Metadata rows of ``metadata.csv`` by document id, and the problems met reading it.

    The file is read as documents are (a regular file inside the corpus, at most
    :data:`SIDECAR_MAX_MB`). A row with the wrong number of fields is ignored;
    a quote left open ends the reading there (every row after it would
    otherwise become one title); a published date that is not ``YYYY-MM-DD`` is
    left empty. Each is a problem row naming the line.
    """
    problems: list[Problem] = []
    rows: dict[str, dict[str, str]] = {}
    for name in SIDECAR_NAMES:
        path = folder / name
        if not os.path.lexists(path):
            continue
        try:
            raw = read_bounded(path, folder, settings, SIDECAR_MAX_MB, "for a metadata file")
            text = raw.decode("utf-8-sig")
        except (DocumentError, UnicodeDecodeError) as exc:
            reason = str(exc).removeprefix("unreadable: ")
            problems.append((str(path), f"metadata file unreadable: {reason}", "ignored file"))
            continue
        records, bad = _sidecar_records(text)
        problems += [(str(path), problem, action) for problem, action in bad]
        for record in records:
            key = (record.get("id") or record.get("article") or "").strip()
            if key:
                rows[key] = _sidecar_row(record, key, path, problems)
    return rows, problems


def _sidecar_row(
    record: dict[str, str], key: str, path: Path, problems: list[Problem]
) -> dict[str, str]:
    """The metadata fields of one sidecar record, an invalid published date left empty."""
    row = {k: (record.get(k) or "").strip() for k in METADATA_FIELDS}
    if row["published"] and not valid_published(row["published"]):
        problems.append(
            (
                str(path),
                f"{key}: published '{row['published']}' is not YYYY-MM-DD; left empty",
                "ignored value",
            )
        )
        row["published"] = ""
    return row


def _sidecar_records(text: str) -> tuple[list[dict[str, str]], list[tuple[str, str]]]:
    """The well-formed records of a CSV text by its header, and (problem, action) pairs.

    Parsed in csv's strict mode, so that text after a closing quote and a quote
    open at the end are errors rather than silently joined fields. A quoted
    field running over line breaks is taken only when its record has the
    header's number of fields and none of the lines it swallowed reads as a row
    of its own; otherwise the quote is taken as unclosed and reading stops.
    """
    lines = io.StringIO(text, newline="").readlines()
    reader = csv.reader(lines, strict=True)
    header: list[str] | None = None
    records: list[dict[str, str]] = []
    problems: list[tuple[str, str]] = []
    while True:
        first = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "end of data" in str(exc):  # the quote is still open at the end
                problems.append(_unclosed(first, None))
                break
            if reader.line_num > first:
                problems.append(_unclosed(first, reader.line_num))
                break
            problems.append((f"line {first}: {_csv_reason(exc)}; row ignored", "ignored row"))
            continue
        if not record:
            continue
        if header is None:
            header = record
            continue
        spanned = lines[first : reader.line_num]
        if spanned and (len(record) != len(header) or _reads_as_rows(spanned, len(header))):
            problems.append(_unclosed(first, reader.line_num))
            break
        if len(record) != len(header):
            problems.append(
                (
                    f"line {first}: {len(record)} fields where the header has {len(header)}",
                    "ignored row",
                )
            )
            continue
        records.append(dict(zip(header, record, strict=True)))
    return records, problems


def _unclosed(first: int, last: int | None) -> tuple[str, str]:
    """The problem of a quote opened on line ``first`` and closed on ``last`` (None: never)."""
    runs = "the end of the file" if last is None else f"line {last}"
    return (
        f"line {first}: unclosed quote (the quoted field runs to {runs}); "
        f"rows from line {first} on were ignored",
        "ignored rows",
    )


def _csv_reason(exc: csv.Error) -> str:
    """A csv error in words a reader of the problems table follows."""
    message = str(exc)
    return "text after a closing quote" if "expected after" in message else message


def _reads_as_rows(lines: list[str], width: int) -> bool:
    """Whether any of ``lines``, read alone, has a whole row's fields (a swallowed row)."""
    for line in lines:
        try:
            fields = next(csv.reader([line]), [])
        except csv.Error:
            continue
        if width > 1 and len(fields) >= width:
            return True
    return False


# ---------------------------------------------------------------- the corpus
def iter_corpus(
    folder: str | Path, settings: Settings = DEFAULT
) -> Iterator[dict[str, object] | Problem]:
    """Yield one article row (a dict) or one problem (file, problem, action) per document.

    Lazy, so that a large corpus streams: nothing but the current document is held.
    """
    root = Path(folder)
    paths = document_paths(root, settings)
    sidecar, problems = read_sidecar(root, settings)
    yield from problems
    seen: dict[str, Path] = {}
    for path in paths:
        try:
            doc = read_document(path, settings, root=root)
        except DocumentError as exc:
            yield (str(path), str(exc), "skipped")
            continue
        except Exception as exc:  # noqa: BLE001 - one bad document never stops a corpus
            yield (str(path), f"unexpected error: {type(exc).__name__}: {exc}", "skipped")
            continue
        if doc.article in seen:
            doc.article = path.relative_to(root).with_suffix("").as_posix()
        seen[doc.article] = path
        for problem, action in doc.problems:
            yield (str(path), problem, action)
        yield article_row(doc, sidecar.get(path.stem, {}))


def load_corpus(folder: str | Path | None = None, settings: Settings = DEFAULT) -> Corpus:
    """Read a corpus folder into the articles table and the problems table.

    Args:
        folder: the corpus folder; the seeds when omitted.
        settings: options such as the file size limit and ``follow_links``.

    Returns:
        A :class:`Corpus` whose ``articles`` has one row per readable document
        (columns :data:`ARTICLE_COLUMNS`) and whose ``problems`` has one row per
        problem (columns ``file, problem, action``).

    Raises:
        CorpusError: when the folder is missing or holds no documents.

    Examples:
        >>> corpus = load_corpus()
        >>> len(corpus.articles), sorted(corpus.articles["lang"].unique())
        (5, ['de', 'en'])
    """
    rows: list[dict[str, object]] = []
    problems: list[Problem] = []
    for item in iter_corpus(folder if folder is not None else settings.corpus_dir, settings):
        if isinstance(item, tuple):
            problems.append(item)
        else:
            rows.append(item)
    articles = pd.DataFrame(rows, columns=ARTICLE_COLUMNS)
    return Corpus(articles, pd.DataFrame(problems, columns=PROBLEM_COLUMNS))


def articles_summary(articles: pd.DataFrame) -> pd.DataFrame:
    """The ``articles.csv`` view: metadata and sizes, without the texts."""
    out = articles[["article", "title", "lang", "published", "outlet"]].copy()
    out["chars"] = articles["text"].str.len().astype("int64")
    out["body_chars"] = articles["body"].str.len().astype("int64")
    out["sha256"] = articles["sha256"]
    return out
