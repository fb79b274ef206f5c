"""Build stage: the `check` and `build` commands, and everything between the checked model and the
published site.

- check.py: `check`, every file loaded and every figure checked, nothing built
- site.py: `build`, in steps (its docstring), the new site published only once complete
- publish.py, layers.py: the new site swapped in, or the old one updated by difference
- batches.py: the batch runner both share, bureaus a batch at a time in worker processes
- check_cache.py: a check's results kept until one of a batch's files changes
- report.py: what the commands print (problem lines, JSON, the closing line), Stop, Timings
- theme.py: everything that depends on mkdocs-material's HTML (page shells, the article search reads)
- mkdocs_run.py: pages written for mkdocs, one mkdocs run over them with its own hook
- mkdocs_preview.py: the hook of `make serve` (mkdocs serve), regenerating every page from data/
- search.py: the static search index; links.py: links checked; audit.py: downloads read back
"""
