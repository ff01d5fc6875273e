"""Maps, charts and the files shared from them.

* :mod:`~analysis.visuals.maps`: the theatre, context, article and place maps;
  :mod:`~analysis.visuals.interactive`: the folium map for JupyterLab;
* :mod:`~analysis.visuals.geodata`, :mod:`~analysis.visuals.map_tables`,
  :mod:`~analysis.visuals.projections`, :mod:`~analysis.visuals.furniture`:
  what the maps draw, where, and with which legend, labels and scale bar;
* :mod:`~analysis.visuals.charts` (timeline, dot plots, overview) and
  :mod:`~analysis.visuals.claims` (who claims what, when), with
  :mod:`~analysis.visuals.chart_parts` (what both share) and
  :mod:`~analysis.visuals.glyphs` (markers per source and qualifier, their keys):
  the charts of figures;
* :mod:`~analysis.visuals.registry`: every named figure and how it is drawn;
* :mod:`~analysis.visuals.exports`: the files (PNG, SVG, GeoJSON, GeoPackage, CSV);
* :mod:`~analysis.visuals.style`: one look, deterministic saving, inline display in Jupyter.

Importing this package imports none of them (no matplotlib, no geopandas).
"""
