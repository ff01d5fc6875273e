"""Read a folder of documents into an articles table, recording every problem on the way.

A corpus is a folder of ``.txt``, ``.md`` and ``.html``/``.htm`` files. Each file
becomes one row of the articles table; a file that cannot be read becomes one
row of the problems table instead, and the rest of the corpus goes on.

Metadata (title, outlet, language, published date) comes from an optional
sidecar ``metadata.csv`` in the folder (one row per document, keyed by ``id``,
the file stem), from a leading ``date YYYY-MM-DD`` line in the text, or, for
HTML, from the page's own metadata. Without any of these the fields stay empty:
nothing is invented; a published date that is not a real ``YYYY-MM-DD`` is left
empty and recorded. The language, where no metadata gives it, is detected.

Reading is bounded and stays in the folder: only regular files are read
(devices, FIFOs and sockets are recorded, never opened in a way that could
block), at most the size limit is read whatever the file claims its size is,
and a symlink that leads outside the corpus folder is recorded rather than
followed unless :attr:`Settings.follow_links <analysis.settings.Settings>` is
set. Text is decoded by its byte-order mark (UTF-16, UTF-32), as UTF-8, or by
detection; a few stray NUL or control characters are replaced by U+FFFD and
counted, many mean a binary file. Markup and code in the text (HTML tags and
entities, Markdown code, link targets, URLs) are blanked, keeping every offset,
so that their numbers are not read as figures nor their words as places.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import re
import stat
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from analysis.settings import DEFAULT, DOCUMENT_SUFFIXES, SIDECAR_NAMES, Settings
from analysis.text.boilerplate import Span, body_spans, join_spans
from analysis.text.markup import mask_markup

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
PROBLEM_COLUMNS = ["file", "problem", "action"]
METADATA_FIELDS = ("title", "outlet", "lang", "published")
SIDECAR_MAX_MB = 100.0
"""A ``metadata.csv`` larger than this is not read (half a million rows fit well under it)."""

Problem = tuple[str, str, str]
"""A row of the problems table: file, problem, action."""

_DATE_LINE = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*\n?[ \t]*", re.IGNORECASE)
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f]")  # C0 controls but tab, newline, FF, CR
_BINARY = "binary file, not text (expected UTF-8 text, Markdown or HTML)"
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose mark begins it
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class CorpusError(Exception):
    """The corpus as a whole cannot be read (missing folder, no documents)."""


class DocumentError(Exception):
    """One document cannot be read; the message says why, for the problems table."""


@dataclass
class Corpus:
    """The articles of a corpus and the problems met reading it."""

    articles: pd.DataFrame
    problems: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PROBLEM_COLUMNS))


@dataclass
class Document:
    """One document as read, before it becomes a table row.

    ``problems`` holds the caveats of a document that was read, as
    ``(problem, action)`` pairs: "read" when the text was read with a caveat,
    "ignored value" when a metadata value was dropped.
    """

    article: str
    path: Path
    text: str
    sha256: str
    encoding: str
    body_start: int = 0
    meta: dict[str, str] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        """The problem texts alone, whatever their action."""
        return [problem for problem, _action in self.problems]


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
            elif _leads_outside(path, real_root):
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


def _leads_outside(path: Path, real_root: Path) -> bool:
    """Whether ``path``, all symlinks resolved, lies outside the (resolved) corpus folder."""
    return not Path(os.path.realpath(path)).is_relative_to(real_root)


# ---------------------------------------------------------------- reading a file


def _read_bounded(path: Path, root: Path, settings: Settings, limit_mb: float, what: str) -> bytes:
    """The bytes of a regular file inside the corpus, never more than ``limit_mb``.

    The limit holds on the bytes actually read, not on the size the file
    claims (devices and files of ``/proc`` claim 0). The file's kind is checked
    before it is opened, and again on the open file, which is opened without
    blocking, so a FIFO is never waited on.

    Raises:
        DocumentError: "symlink to outside the corpus: TARGET; ...", "unreadable:
            it is a folder, not a file", "not a regular file (KIND)", "file is N MB,
            over the M MB limit ..." (or "file is over ..." when the size is
            unknown), "unreadable: REASON".
    """
    if not settings.follow_links and _leads_outside(path, Path(os.path.realpath(root))):
        raise DocumentError(
            f"symlink to outside the corpus: {os.path.realpath(path)}; "
            "use --follow-links to read it"
        )
    limit = int(limit_mb * 1024 * 1024)
    try:
        st = os.stat(path)
        _check_regular(st.st_mode)
        if st.st_size > limit:
            raise DocumentError(_over_limit(limit_mb, what, st.st_size))
        with os.fdopen(os.open(path, _OPEN_FLAGS), "rb") as fh:
            _check_regular(os.fstat(fh.fileno()).st_mode)
            raw = fh.read(limit + 1)
    except OSError as exc:
        raise DocumentError(f"unreadable: {exc.strerror or exc}") from exc
    if len(raw) > limit:
        raise DocumentError(_over_limit(limit_mb, what))
    return raw


def corpus_file_bytes(path: Path, root: Path, settings: Settings = DEFAULT) -> bytes:
    """The bytes of one corpus file under the rules documents are read by (a regular file
    inside ``root``, at most ``settings.max_file_mb``, or :data:`SIDECAR_MAX_MB` for the
    metadata sidecar), for hashing inputs.

    Raises:
        DocumentError: as :func:`read_document` for a file it would not read.
    """
    limit = SIDECAR_MAX_MB if path.name in SIDECAR_NAMES else settings.max_file_mb
    return _read_bounded(path, root, settings, limit, "for one file")


def _check_regular(mode: int) -> None:
    """Raise unless ``mode`` is a regular file's, naming what it is instead."""
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise DocumentError("unreadable: it is a folder, not a file")
    kinds = (
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISFIFO, "FIFO"),
        (stat.S_ISSOCK, "socket"),
    )
    kind = next((name for test, name in kinds if test(mode)), "special file")
    raise DocumentError(f"not a regular file ({kind})")


def _over_limit(limit_mb: float, what: str, size: int | None = None) -> str:
    """The problem text of a file over its size limit, with its size when known."""
    prefix = "file is " if size is None else f"file is {size / 1024 / 1024:.1f} MB, "
    return f"{prefix}over the {limit_mb:g} MB limit {what}"


# ---------------------------------------------------------------- decoding


def _decode(raw: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with: by its byte-order mark, UTF-8 if it is,
    else the best detected.

    The mark is looked at first because UTF-16 and UTF-32 are full of NUL bytes,
    which would otherwise read as binary.

    Raises:
        DocumentError: "binary file, not text ..." or "not text: no known encoding decodes it".
    """
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(codec), codec
            except UnicodeDecodeError:
                continue
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _looks_binary(raw.decode("latin-1")):  # one character per byte
        raise DocumentError(_BINARY)
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None or best.encoding is None:
        raise DocumentError("not text: no known encoding decodes it")
    return str(best), best.encoding


def _looks_binary(text: str) -> bool:
    """Whether control characters are too many for text, over the whole file.

    More than 1 NUL in 100 characters, or more than 5 control characters (NUL
    included; tab, newline, form feed and carriage return excluded) in 100: a
    text with a few stray ones is text, and is cleaned by :func:`_replace_controls`.

    Examples:
        >>> _looks_binary("Troops in Kursk. " * 20 + "\\x00"), _looks_binary("a\\x00b\\x00" * 10)
        (False, True)
    """
    nuls = text.count("\x00")
    controls = len(_CONTROL.findall(text))
    return nuls * 100 > len(text) or controls * 20 > len(text)


def _replace_controls(text: str) -> tuple[str, str | None]:
    """The text with NUL and other control characters replaced by U+FFFD, and what was done.

    One character for one keeps every offset; the replacement character shows
    in quotes that something was there and, unlike a space, joins no numbers.

    Examples:
        >>> _replace_controls("14\\x00000 troops\\x1b")
        ('14\\ufffd000 troops\\ufffd', '2 control characters (1 NUL, 1 other) replaced by U+FFFD')
    """
    found = len(_CONTROL.findall(text))
    if not found:
        return text, None
    nuls = text.count("\x00")
    kinds = ", ".join(f"{n} {name}" for n, name in ((nuls, "NUL"), (found - nuls, "other")) if n)
    plural = "s" if found > 1 else ""
    return _CONTROL.sub("\ufffd", text), (
        f"{found} control character{plural} ({kinds}) replaced by U+FFFD"
    )


# ---------------------------------------------------------------- one document


def read_document(
    path: Path, settings: Settings = DEFAULT, *, root: Path | None = None
) -> Document:
    """Read one document, decoding and (for HTML) extracting its text.

    Args:
        path: the document.
        settings: the size limit and whether symlinks may lead outside ``root``.
        root: the corpus folder; a symlink leading outside it is refused. When
            omitted, the document's own folder (the strictest reading).

    Raises:
        DocumentError: with the message the problems table records: "empty file",
            "file is N MB, over the M MB limit ...", "binary file, not text",
            "unreadable: ...", "not a regular file (KIND)", "symlink to outside the
            corpus: TARGET; use --follow-links to read it", "not text: no known
            encoding decodes it", "HTML page with no article text found".
    """
    raw = _read_bounded(
        path,
        root if root is not None else path.parent,
        settings,
        settings.max_file_mb,
        "for one article; raise max_file_mb (--max-mb) to read it",
    )
    if not raw:
        raise DocumentError("empty file")
    text, encoding = _decode(raw)
    if not text.strip():
        raise DocumentError("empty file (whitespace only)")
    if _looks_binary(text):
        raise DocumentError(_BINARY)
    doc = Document(path.stem, path, text, hashlib.sha256(raw).hexdigest(), encoding)
    if encoding != "utf-8":
        doc.problems.append((f"not UTF-8: decoded as {encoding}", "read"))
    doc.text, replaced = _replace_controls(text)
    if replaced:
        doc.problems.append((replaced, "read"))
    if path.suffix.lower() in (".html", ".htm"):
        _extract_html(doc)
    else:
        _read_text_metadata(doc)
    if not doc.text[doc.body_start :].strip():
        raise DocumentError("empty file (only a metadata line)")
    return doc


def _read_text_metadata(doc: Document) -> None:
    """The leading ``date YYYY-MM-DD`` line (metadata, not text) and a Markdown title."""
    m = _DATE_LINE.match(doc.text)
    if m:
        _set_published(doc, m.group(1))
        doc.body_start = m.end()
    if doc.path.suffix.lower() == ".md":
        h = re.match(r"\s*#\s+(.+)", doc.text[doc.body_start :])
        if h:
            doc.meta["title"] = h.group(1).strip()


def _extract_html(doc: Document) -> None:
    """Replace the HTML with its main text, through trafilatura, keeping page metadata.

    Offsets of an HTML document refer to this extracted text. Code elements
    (``code``, ``kbd``, ``samp``) are dropped first: their numbers are not
    figures, as Markdown code is blanked (see :func:`mask_markup`).
    """
    import trafilatura
    from lxml import etree

    tree = trafilatura.load_html(doc.text)
    if tree is None:
        raise DocumentError("HTML page with no article text found")
    etree.strip_elements(tree, "code", "kbd", "samp", with_tail=False)
    result = trafilatura.bare_extraction(
        tree, include_comments=False, include_tables=False, with_metadata=True
    )
    text = getattr(result, "text", None) if result is not None else None
    if not text or not text.strip():
        raise DocumentError("HTML page with no article text found")
    title = getattr(result, "title", None)
    if title:
        doc.meta["title"] = title
        # Keep the title inside the text so its places are found with offsets.
        text = f"{title}\n\n{text}"
    published = getattr(result, "date", None)
    if published:
        _set_published(doc, str(published))
    outlet = getattr(result, "sitename", None)
    if outlet:
        doc.meta["outlet"] = str(outlet)
    doc.text = text


def valid_published(value: str) -> bool:
    """Whether a published date is a real day written ``YYYY-MM-DD``, and nothing else.

    Python 3.11's ``date.fromisoformat`` also takes ``20241105`` and
    ``2024-W45-2``; one column must not mix forms, nor hold impossible days.

    Examples:
        >>> [valid_published(v) for v in ("2024-11-05", "20241105", "2024-W45-2", "2024-02-30")]
        [True, False, False, False]
    """
    if not _ISO_DAY.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _set_published(doc: Document, value: str) -> None:
    """Keep a document's published date when valid, else record it as ignored."""
    if valid_published(value):
        doc.meta["published"] = value
    else:
        doc.problems.append((f"published '{value}' is not YYYY-MM-DD; left empty", "ignored value"))


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
            raw = _read_bounded(path, folder, settings, SIDECAR_MAX_MB, "for a metadata file")
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


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, by py3langid (deterministic).

    Examples:
        >>> detect_language("Nordkorea hat mehr als 100 Raketen nach Russland geschickt.")
        'de'
        >>> detect_language("North Korea sent more than 100 missiles to Russia.")
        'en'
    """
    import py3langid

    # A few thousand characters decide the language of a news article; more only costs time.
    lang, _score = py3langid.classify(text[:3000])
    return str(lang)


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


def article_row(
    doc: Document, sidecar: dict[str, str], spare_core: bool = False
) -> dict[str, object]:
    """The articles-table row of a document: metadata merged, markup blanked, body cut,
    language known (``spare_core``: see :func:`analysis.text.boilerplate.body_spans`).

    ``text`` is the document with :func:`mask_markup` applied (same length, so
    offsets into it are offsets into the file as read); ``body_spans`` and
    ``body`` are cut from it. Every extractor reads ``text`` within
    ``body_spans``, so none of them sees markup or code.
    """
    meta = {k: v for k, v in doc.meta.items() if v}
    meta.update({k: v for k, v in sidecar.items() if v})
    text = mask_markup(doc.text)
    spans: list[Span] = body_spans(text, doc.body_start, spare_core)
    body = join_spans(text, spans)
    lang, lang_source = meta.get("lang", ""), "metadata"
    if not lang:
        lang, lang_source = (detect_language(body), "detected") if body.strip() else ("", "")
    return {
        "article": doc.article,
        "title": meta.get("title", ""),
        "lang": lang,
        "published": meta.get("published", ""),
        "outlet": meta.get("outlet", ""),
        "path": str(doc.path),
        "sha256": doc.sha256,
        "text": text,
        "body": body,
        "body_spans": spans,
        "lang_source": lang_source,
        "encoding": doc.encoding,
    }


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
