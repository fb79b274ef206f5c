"""Reading data/: YAML into nodes that remember file:line:col, typed fields, and the schema declared with them."""
