"""gongkai: YAML per bureau and year → a searchable static disclosure site.

The pipeline, one subpackage per stage, each importing only from the ones before it:

    source → load → check → export → render → build
    (core: the model and what every stage shares)

- core/: the model (bureaus, documents, forms, tables), amounts, rules, check results, problems, URLs
- source/: YAML read into nodes that know their file:line:col, typed fields, the declared schema
- load/: data/ → the model, with every problem at its place
- check/: every rule of every form and every figure of the prose, exactly (Decimal)
- export/: each table as CSV, JSON and XLSX, and the zip of them all
- render/: the model and its check results → HTML pages (templates/ beside it), linking the downloads
- build/: the `check` and `build` commands: batches in worker processes, the theme's page shells,
  search index, links, audit, the new site swapped in

Beside the pipeline: editing/ (JSON Schema, fmt, new, the form editor), importing/ (tables from
Excel), bench/ (the benchmark). cli.py is the command line; see docs/architecture.md.
"""
