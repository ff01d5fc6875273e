"""Places: the gazetteer, detection of place names in text and their resolution to
coordinates. Reviewed aliases, exclusions and context words in ``data/``."""
