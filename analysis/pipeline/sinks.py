"""The table writers of ``extract``: CSV, Parquet and the places' GeoJSON, and the sink
that holds them for a run (:class:`TableSink`).

Each table is written to a temporary file in the output folder
(:func:`analysis.pipeline.outdir.temp_path`) and moved into place only when the
run completes (:func:`analysis.pipeline.outdir.publish_file`): an interrupted run
leaves the previous tables untouched. Columns and Parquet types come from
:mod:`analysis.schema`.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from analysis import schema
from analysis.pipeline import pools
from analysis.pipeline.outdir import publish_file, safe_csv_writer, signals_deferred, temp_path
from analysis.pipeline.tables import TABLES, Row

FORMATS = ("csv", "parquet", "both")

_ARROW_TYPES = {"string": "string", "int64": "int64", "float64": "float64", "bool": "bool_"}
"""pyarrow's type factory for each dtype of :mod:`analysis.schema`."""


class CsvTable:
    """A CSV written to a temporary file and renamed into place on commit."""

    def __init__(self, out_dir: Path, name: str, columns: list[str]) -> None:
        self.path = out_dir / f"{name}.csv"
        self.tmp = str(temp_path(self.path, ".tmp"))
        self.fh: IO[str] = open(self.tmp, "w", encoding="utf-8", newline="")  # noqa: SIM115
        # Rows are rendered into one reused buffer, then written; text a spreadsheet
        # would evaluate (=HYPERLINK(...) in a title) is written inert.
        self.buffer = io.StringIO(newline="")
        self.writer = safe_csv_writer(self.buffer)
        self.write_rendered(self.render([tuple(columns)]))

    costly = True  # rendering takes longer than computing the rows of some tables

    def render(self, rows: Sequence[Row]) -> list[str]:
        """The rows as CSV text (the costly part of writing, done before the write)."""
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.writerows(rows)
        return [self.buffer.getvalue()]

    def write_rendered(self, rendered: list[str]) -> None:
        self.fh.writelines(rendered)

    def finish(self) -> None:
        self.fh.close()

    def discard(self) -> None:
        _discard(self.fh.close, self.tmp)


class ParquetTable:
    """A Parquet file written a row group at a time (``rows_per_group`` rows buffered)."""

    def __init__(
        self, out_dir: Path, name: str, columns: list[str], rows_per_group: int = 50_000
    ) -> None:
        import pyarrow as pa  # here: a run that writes no Parquet does not import pyarrow
        import pyarrow.parquet as pq

        self.pa = pa
        self.path = out_dir / f"{name}.parquet"
        self.tmp = str(temp_path(self.path, ".tmp"))
        dtypes = schema.dtypes(name)
        self.schema = pa.schema([(c, getattr(pa, _ARROW_TYPES[dtypes[c]])()) for c in columns])
        try:
            self.writer = pq.ParquetWriter(self.tmp, self.schema, compression="zstd")
        except BaseException:
            Path(self.tmp).unlink(missing_ok=True)
            raise
        self.buffer: list[Row] = []
        self.rows_per_group = rows_per_group
        self.closed = False

    costly = False

    def render(self, rows: Sequence[Row]) -> list[Row]:
        return list(rows)

    def write_rendered(self, rows: list[Row]) -> None:
        self.buffer.extend(rows)
        if len(self.buffer) >= self.rows_per_group:
            self._flush()

    def _flush(self) -> None:
        cols = list(zip(*self.buffer, strict=True)) if self.buffer else [()] * len(self.schema)
        arrays = [
            self.pa.array(col, type=f.type, from_pandas=True)
            for col, f in zip(cols, self.schema, strict=True)
        ]
        self.writer.write_table(self.pa.Table.from_arrays(arrays, schema=self.schema))
        self.buffer = []

    def finish(self) -> None:
        if self.buffer:
            self._flush()
        self.writer.close()
        self.closed = True

    def discard(self) -> None:
        _discard(self.writer.close if not self.closed else (lambda: None), self.tmp)


class GeoJsonTable:
    """``places.geojson``: the places as points (EPSG:4326), a feature per line as they come.

    Written directly, without geopandas, so that no places are held in memory
    and a run that writes no map does not pay for importing GDAL.
    """

    def __init__(self, out_dir: Path, columns: list[str]) -> None:
        self.path = out_dir / "places.geojson"
        self.tmp = str(temp_path(self.path, ".tmp"))
        self.fh: IO[str] = open(self.tmp, "w", encoding="utf-8")  # noqa: SIM115
        self.columns = columns
        self.first = True
        self.fh.write(
            '{\n"type": "FeatureCollection",\n"name": "places",\n"crs": { "type": "name", '
            '"properties": { "name": "urn:ogc:def:crs:OGC:1.3:CRS84" } },\n"features": [\n'
        )

    costly = True

    def render(self, rows: Sequence[Row]) -> list[str]:
        """The rows as GeoJSON features, one a line."""
        features = []
        for row in rows:
            props = {c: (None if _is_nan(v) else v) for c, v in zip(self.columns, row, strict=True)}
            lat, lon = props["lat"], props["lon"]
            geom = (
                None if lat is None or lon is None else {"type": "Point", "coordinates": [lon, lat]}
            )
            feature = {"type": "Feature", "properties": props, "geometry": geom}
            features.append(json.dumps(feature, ensure_ascii=False))
        return features

    def write_rendered(self, rendered: list[str]) -> None:
        if rendered:
            self.fh.write(("" if self.first else ",\n") + ",\n".join(rendered))
            self.first = False

    def finish(self) -> None:
        self.fh.write("\n]\n}\n")
        self.fh.close()

    def discard(self) -> None:
        _discard(self.fh.close, self.tmp)


def _discard(close: Callable[[], object], tmp: str) -> None:
    """Close a writer and remove its temporary file, also when closing fails (a full disk
    fails the flush): the temporary is removed on every path."""
    try:
        close()
    except OSError:
        pass  # the data is being thrown away; only the file's removal matters
    finally:
        Path(tmp).unlink(missing_ok=True)


def _is_nan(v: Any) -> bool:
    return isinstance(v, float) and v != v


class TableSink:
    """The output tables of a run (CSV, Parquet or both, and the GeoJSON of the places).

    Used as a context manager: leaving it without :meth:`commit` discards every
    temporary file, so the previous tables stay as they were.
    """

    def __init__(self, out_dir: Path, fmt: str = "csv", geojson: bool = True) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
        self.writers: dict[str, list[Any]] = {name: [] for name in TABLES}
        self.all: list[Any] = []
        try:
            for name, columns in TABLES.items():
                if fmt in ("csv", "both"):
                    self._add(name, CsvTable(out_dir, name, columns))
                if fmt in ("parquet", "both"):
                    self._add(name, ParquetTable(out_dir, name, columns))
            if geojson:
                self._add("places", GeoJsonTable(out_dir, TABLES["places"]))
        except BaseException:
            self.discard()
            raise
        self.done = False

    def _add(self, name: str, writer: Any) -> None:
        self.writers[name].append(writer)
        self.all.append(writer)

    def write(self, name: str, rows: list[Row]) -> None:
        self.write_rendered(name, self.render(name, rows))

    def render(self, name: str, rows: list[Row], split: bool = False) -> list[Any]:
        """Table ``name``'s rows made ready for each of its writers (CSV text, features),
        so that the costly part of writing can happen while other work goes on; with
        ``split``, a costly rendering is done in two processes (the same text)."""
        if not rows:
            return []
        return [pools.in_halves(w.render, rows, split and w.costly) for w in self.writers[name]]

    def write_rendered(self, name: str, rendered: list[Any]) -> None:
        for w, r in zip(self.writers[name], rendered, strict=False):
            w.write_rendered(r)

    def commit(self) -> list[Path]:
        """Finish every table, then move them all into place; the paths published.

        Finishing (the last writes) is what can fail on a full disk, so no table
        is moved before all are complete.
        """
        for w in self.all:
            w.finish()
        with signals_deferred():
            for w in self.all:
                publish_file(w.tmp, w.path)
        self.done = True
        return [w.path for w in self.all]

    def discard(self) -> None:
        for w in self.all:
            w.discard()

    def __enter__(self) -> TableSink:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.done:
            self.discard()
