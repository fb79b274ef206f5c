"""Export: every table of a document as data — CSV, JSON, XLSX, a datapackage.json and the site's zip."""
