"""The corpus-wide citation rule: conflicts across documents, not repeated where a document reported them itself."""

from __future__ import annotations

from extractor.check.citations import corpus_citation_conflicts
from extractor.models import Citation, DocumentResult


def _cite(date: str, start: int = 0) -> Citation:
    return Citation(start=start, end=start + 8, text="71-QĐ/TW", id="71-QĐ/TW", key="71-QĐ/TW", number="71", type="Quyết định", date=date)


def test_check_corpus_date_conflict_not_repeated_where_already_reported() -> None:
    inside = DocumentResult(source="a/mot.txt", sha256="1", citations=[_cite("2022-07-18"), _cite("2022-07-19", 40)])
    other = DocumentResult(source="a/hai.txt", sha256="2", citations=[_cite("2022-07-18")])
    found = corpus_citation_conflicts([inside, other])
    assert "a/mot.txt" not in found  # its own conflict is reported by the document's check
    assert [f.stated for f in found["a/hai.txt"]] == ["2022-07-18"]


def test_check_corpus_message_names_at_most_five_files_per_date() -> None:
    results = [DocumentResult(source=f"d/{i:02d}.txt", sha256=str(i), citations=[_cite("2022-07-18")]) for i in range(12)]
    results.append(DocumentResult(source="d/sai.txt", sha256="x", citations=[_cite("2022-08-18")]))
    message = corpus_citation_conflicts(results)["d/sai.txt"][0].message
    assert "00.txt, 01.txt, 02.txt, 03.txt, 04.txt và 7 văn bản khác" in message and "05.txt" not in message
