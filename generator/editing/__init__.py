"""The editors' tools: JSON Schema for their editors, fmt, new/new-bureau scaffolding, the form editor's config."""
