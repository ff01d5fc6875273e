"""Reported figures: numbers found in English and German text, and what each one counts,
whose it is, who reports it and as of when. Vocabulary in ``data/figure_terms.json``."""
