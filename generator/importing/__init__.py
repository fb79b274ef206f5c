"""Tables from Excel (pasted as tab-separated text, or an .xlsx sheet) mapped onto a form and written into a document."""
