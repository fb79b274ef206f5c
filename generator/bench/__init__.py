"""The benchmark: a synthetic province built and measured (`python -m generator bench`)."""
