"""Read a folder of documents into an articles table, recording every problem on the way.

A corpus is a folder of ``.txt``, ``.md`` and ``.html``/``.htm`` files. Each file
becomes one row of the articles table; a file that cannot be read becomes one
row of the problems table instead, and the rest of the corpus goes on.

Metadata (title, outlet, language, published date) comes from an optional
sidecar ``metadata.csv`` in the folder (one row per document, keyed by ``id``,
the file stem), from a leading ``date YYYY-MM-DD`` line in the text, or, for
HTML, from the page's own metadata. Without any of these the fields stay empty:
nothing is invented. The language, where no metadata gives it, is detected.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from analysis.boilerplate import Span, body_spans, join_spans
from analysis.settings import DEFAULT, DOCUMENT_SUFFIXES, SIDECAR_NAMES, Settings

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

_DATE_LINE = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*\n?[ \t]*", re.IGNORECASE)
_BINARY_SAMPLE = 8192


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
    """One document as read, before it becomes a table row."""

    article: str
    path: Path
    text: str
    sha256: str
    encoding: str
    body_start: int = 0
    meta: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def document_paths(folder: str | Path) -> list[Path]:
    """The documents of a corpus folder (and its subfolders), sorted, hidden files skipped.

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
    paths = sorted(
        p
        for p in root.rglob("*")
        if p.suffix.lower() in DOCUMENT_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
        and (p.is_file() or p.is_dir() or p.is_symlink())
    )
    if not paths:
        raise CorpusError(f"no documents ({', '.join(DOCUMENT_SUFFIXES)}) in {root}")
    return paths


def _decode(raw: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with: UTF-8 if it is, else the best detected."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None or best.encoding is None:
        raise DocumentError("not text: no known encoding decodes it")
    return str(best), best.encoding


def _looks_binary(raw: bytes) -> bool:
    sample = raw[:_BINARY_SAMPLE]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return control > len(sample) * 0.05


def read_document(path: Path, settings: Settings = DEFAULT) -> Document:
    """Read one document, decoding and (for HTML) extracting its text.

    Raises:
        DocumentError: with the message the problems table records: "empty file",
            "file is N MB, over the M MB limit ...", "binary file, not text",
            "unreadable: ...", "not text: no known encoding decodes it",
            "HTML page with no article text found".
    """
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise DocumentError("unreadable: it is a folder, not a file")
        limit = settings.max_file_mb * 1024 * 1024
        if size > limit:
            raise DocumentError(
                f"file is {size / 1024 / 1024:.1f} MB, over the {settings.max_file_mb:g} MB limit "
                "for one article; raise max_file_mb (--max-mb) to read it"
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"unreadable: {exc.strerror or exc}") from exc
    if not raw.strip():
        raise DocumentError("empty file" if not raw else "empty file (whitespace only)")
    if _looks_binary(raw):
        raise DocumentError("binary file, not text (expected UTF-8 text, Markdown or HTML)")
    text, encoding = _decode(raw)
    doc = Document(
        article=path.stem,
        path=path,
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        encoding=encoding,
    )
    if encoding != "utf-8":
        doc.warnings.append(f"not UTF-8: decoded as {encoding}")
    if path.suffix.lower() in (".html", ".htm"):
        _extract_html(doc)
    else:
        m = _DATE_LINE.match(text)
        if m:
            doc.meta["published"] = m.group(1)
            doc.body_start = m.end()
        if path.suffix.lower() == ".md":
            h = re.match(r"\s*#\s+(.+)", text[doc.body_start :])
            if h:
                doc.meta["title"] = h.group(1).strip()
    if not text[doc.body_start :].strip():
        raise DocumentError("empty file (only a metadata line)")
    return doc


def _extract_html(doc: Document) -> None:
    """Replace the HTML with its main text, through trafilatura, keeping page metadata.

    Offsets of an HTML document refer to this extracted text.
    """
    import trafilatura

    result = trafilatura.bare_extraction(
        doc.text, include_comments=False, include_tables=False, with_metadata=True
    )
    text = getattr(result, "text", None) if result is not None else None
    if not text or not text.strip():
        raise DocumentError("HTML page with no article text found")
    title = getattr(result, "title", None)
    if title:
        doc.meta["title"] = title
        # Keep the title inside the text so its places are found with offsets.
        text = f"{title}\n\n{text}"
    for key, attr in (("published", "date"), ("outlet", "sitename")):
        value = getattr(result, attr, None)
        if value:
            doc.meta[key] = str(value)[:10] if key == "published" else str(value)
    doc.text = text


def read_sidecar(folder: Path) -> tuple[dict[str, dict[str, str]], list[tuple[str, str, str]]]:
    """Metadata rows of ``metadata.csv`` by document id, and the problems met reading it."""
    problems: list[tuple[str, str, str]] = []
    rows: dict[str, dict[str, str]] = {}
    for name in SIDECAR_NAMES:
        path = folder / name
        if not path.is_file():
            continue
        try:
            with path.open(newline="", encoding="utf-8-sig") as fh:
                for row in csv.DictReader(fh):
                    key = (row.get("id") or row.get("article") or "").strip()
                    if not key:
                        continue
                    rows[key] = {k: (row.get(k) or "").strip() for k in METADATA_FIELDS}
                    published = rows[key]["published"]
                    if published:
                        try:
                            date.fromisoformat(published)
                        except ValueError:
                            problems.append(
                                (
                                    str(path),
                                    f"{key}: published '{published}' is not YYYY-MM-DD; left empty",
                                    "ignored value",
                                )
                            )
                            rows[key]["published"] = ""
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            problems.append((str(path), f"metadata file unreadable: {exc}", "ignored file"))
    return rows, problems


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
) -> Iterator[dict[str, object] | tuple[str, str, str]]:
    """Yield one article row (a dict) or one problem (file, problem, action) per document.

    Lazy, so that a large corpus streams: nothing but the current document is held.
    """
    root = Path(folder)
    paths = document_paths(root)
    sidecar, problems = read_sidecar(root)
    yield from problems
    seen: dict[str, Path] = {}
    for path in paths:
        try:
            doc = read_document(path, settings)
        except DocumentError as exc:
            yield (str(path), str(exc), "skipped")
            continue
        except Exception as exc:  # noqa: BLE001 - one bad document never stops a corpus
            yield (str(path), f"unexpected error: {type(exc).__name__}: {exc}", "skipped")
            continue
        if doc.article in seen:
            doc.article = path.relative_to(root).with_suffix("").as_posix()
        seen[doc.article] = path
        for warning in doc.warnings:
            yield (str(path), warning, "read")
        yield article_row(doc, sidecar.get(path.stem, {}))


def article_row(doc: Document, sidecar: dict[str, str]) -> dict[str, object]:
    """The articles-table row of a document: metadata merged, body cut, language known."""
    meta = {k: v for k, v in doc.meta.items() if v}
    meta.update({k: v for k, v in sidecar.items() if v})
    spans: list[Span] = body_spans(doc.text, doc.body_start)
    body = join_spans(doc.text, spans)
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
        "text": doc.text,
        "body": body,
        "body_spans": spans,
        "lang_source": lang_source,
        "encoding": doc.encoding,
    }


def load_corpus(folder: str | Path | None = None, settings: Settings = DEFAULT) -> Corpus:
    """Read a corpus folder into the articles table and the problems table.

    Args:
        folder: the corpus folder; the seeds when omitted.
        settings: options such as the file size limit.

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
    problems: list[tuple[str, str, str]] = []
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
