"""Record assembly: a figure mention becomes a record — org, category, year, basis,
parent — from an explicit context: the document (issuer, province, report year),
the section heading, the table (row label, column header, unit row), the
sentence's subject and the parenthetical that lists the parts of the nearest
whole. Where the context is ambiguous a field stays empty rather than guessed."""
