"""Where news articles say North Korea's part in Russia's war happens, and what figures they report.

The package turns a folder of articles into tables (articles, place mentions,
reported figures), and those tables into maps, charts and HTML reports.
"""

__version__ = "0.1.0"
