"""Render stage: the model and its check results → the HTML of every page (templates/ beside it).

Nothing here imports from check/: results arrive as data (core/results.py)."""
