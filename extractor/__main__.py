"""``python -m extractor`` runs the bienche CLI."""

from extractor.cli import main

main()
