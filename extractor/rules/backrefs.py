"""Back-references: "Nghị quyết trên", "Kế hoạch này", "Nghị quyết 18" resolved to
the full citation they point to earlier in the same document."""

from __future__ import annotations

from extractor.models import BackReference, Citation, Sentence


def find_backrefs(text: str, sentences: list[Sentence], citations: list[Citation]) -> list[BackReference]:
    """Back-references in ``text``, each resolved to an earlier citation or marked unresolved."""
    return []
