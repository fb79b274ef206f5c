"""Build stage: run load → check → render → export over data/ in batches and put the site together.

site.py is the sequence; batches.py the workers; shells.py, search.py, links.py and audit.py the site-wide steps;
the mkdocs_*.py files are hooks mkdocs loads by path."""
