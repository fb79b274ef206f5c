"""gongkai: YAML per bureau and year → a searchable static disclosure site.

The pipeline has four stages, one module (or package) each:
load (yamlsource, fields, load) → check (checks) → render (render) → build (build).
"""
