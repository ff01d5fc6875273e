"""Geographic data derived from GeoNames and Natural Earth by ``geo/build.py`` (package
data: admin regions, countries, curated places, theatre outlines); see ``geo/README.md``."""
