"""Document structure: numbered sections with their headings, and tables as rows × cells."""
