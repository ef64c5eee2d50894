"""The components of the extraction pipeline (see ``extractor.pipeline`` for their order)."""
