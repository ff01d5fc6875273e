"""Scoring the tables against hand-made gold: places and figures, per article and overall."""
