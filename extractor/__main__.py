"""``python -m extractor`` runs the bienche CLI."""

from extractor.cli import main

if __name__ == "__main__":
    main()
