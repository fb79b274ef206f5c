"""The rebuilds the benchmark runs after its cold build, each named once.

Names only, importing nothing: the command line reads them to check `bench --rebuilds` without
loading measure.py and the build modules it brings.
"""

REBUILDS = {  # the name --rebuilds takes: (the key bench reports its figures under, the file changed first)
    "unchanged": ("unchanged", None),
    "edited": ("one document edited", "document"),
    # the glossary is in every batch's key (build_cache.py): every batch is built again
    "glossary": ("glossary changed", "glossary"),
}
