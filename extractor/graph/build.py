"""Building the store from a corpus: walk the inputs, extract only what changed.

A file is extracted again only when its sha256 or the run's settings (bienche
version, extractor mode, byte limit, pattern data: ``settings.settings_key``)
differ from what the store recorded; files gone from disk, or gone from a
folder that was walked, lose their rows. Every file's rows are written in one
transaction as soon as it is extracted, so an interrupted build resumes where it
stopped. With a ``scheduler`` the files to (re)read are extracted on a dask
cluster (``extractor.cluster``); the store is written here, as they arrive.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import cache, partial
from pathlib import Path

import regex
from pydantic import BaseModel, Field

from extractor import settings
from extractor.batch import default_jobs
from extractor.document import DEFAULT_MAX_BYTES, sha256_of
from extractor.graph import store
from extractor.graph.query import corpus_conflicts
from extractor.ingest import iter_input_files
from extractor.models import Citation, DocumentResult
from extractor.patterns import compiled, entries, expand
from extractor.pipeline import ExtractorMode, default_extractor, extract_path
from extractor.rules.dates import find_dates
from extractor.rules.orgs import find_orgs


class BuildReport(BaseModel):
    """What one ``build`` did: files processed (extracted), skipped (unchanged),
    removed (gone), failed (extracted with errors), and the graph's size after."""

    files: int = 0
    processed: int = 0
    skipped: int = 0
    removed: int = 0
    failed: int = 0
    nodes: int = 0
    edges: int = 0
    seconds: float = 0.0
    processed_files: list[str] = Field(default_factory=list)
    removed_files: list[str] = Field(default_factory=list)


class InputFile(BaseModel):
    """A file to build from: its absolute path and the node key it gets when it
    states no identity of its own (``file:`` + its path below the walked folder)."""

    path: str
    file_key: str


def input_files(paths: list[Path], *, follow_links: bool = False) -> list[InputFile]:
    """The files under ``paths`` (folders walked as ``bienche extract`` does), each once."""
    found: dict[str, InputFile] = {}
    for given in paths:
        for child in iter_input_files([given], follow_links=follow_links):
            absolute = str(child.resolve())
            rel = child.relative_to(given).as_posix() if given.is_dir() else child.name
            found.setdefault(absolute, InputFile(path=absolute, file_key=f"file:{rel}"))
    return list(found.values())


def _digest(path: str) -> str:
    try:
        return sha256_of(Path(path))
    except OSError:
        return ""  # unreadable: never counts as unchanged, so it is retried


def _gone(stored: str, current: set[str], roots: list[Path], given: set[str]) -> bool:
    if stored in current:
        return False
    if stored in given or not Path(stored).exists():
        return True
    return any(Path(stored).is_relative_to(root) for root in roots)


def _extract(path: str, mode: ExtractorMode) -> DocumentResult:
    # looked up at call time, so tests can count calls by replacing ``extract_path``
    return extract_path(Path(path), extractor=mode)


def _results(todo: list[InputFile], jobs: int, mode: ExtractorMode, scheduler: str | None) -> Iterator[DocumentResult]:
    """The results for ``todo`` in its order: here, in a process pool, or on a dask cluster."""
    task = partial(extract_path, max_bytes=DEFAULT_MAX_BYTES, extractor=mode)  # the mode travels with the task
    if scheduler is not None:
        from extractor.cluster import extract_on_cluster

        yield from extract_on_cluster([Path(item.path) for item in todo], task, scheduler)
        return
    if jobs <= 1 or len(todo) <= 1:
        for item in todo:
            yield _extract(item.path, mode)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(task, [Path(item.path) for item in todo], chunksize=1)


def build(
    paths: list[Path],
    db: Path,
    *,
    jobs: int | None = None,
    on_file: Callable[[str, str], None] | None = None,
    follow_links: bool = False,
    extractor: ExtractorMode | None = None,
    scheduler: str | None = None,
) -> BuildReport:
    """Bring the store at ``db`` up to date with the files under ``paths``:
    extract new and changed files, skip unchanged ones, drop removed ones.
    ``on_file(path, what)`` is called per file with what happened to it;
    ``scheduler`` (``local:N``, ``tcp://HOST:PORT``) runs the extraction on dask."""
    began = time.perf_counter()
    mode = extractor or default_extractor()
    key_now = settings.settings_key(mode, DEFAULT_MAX_BYTES)
    report = BuildReport()
    files = input_files(paths, follow_links=follow_links)
    report.files = len(files)
    conn = store.connect(db)
    try:
        known = store.file_states(conn)
        todo: list[InputFile] = []
        digests: dict[str, str] = {}
        for item in files:
            digests[item.path] = _digest(item.path)
            if digests[item.path] and known.get(item.path) == (digests[item.path], key_now):
                report.skipped += 1
                if on_file:
                    on_file(item.path, "skipped")
            else:
                todo.append(item)
        current = {item.path for item in files}
        roots = [p.resolve() for p in paths if p.is_dir()]
        given = {str(p.resolve()) for p in paths if not p.is_dir()}
        for path in sorted(known):
            if _gone(path, current, roots, given):
                store.remove_file(conn, path)
                report.removed += 1
                report.removed_files.append(path)
                if on_file:
                    on_file(path, "removed")
        workers = jobs if jobs is not None else default_jobs(len(todo))
        for item, result in zip(todo, _results(todo, workers, mode, scheduler)):
            key = result.self_.key if result.self_ else item.file_key
            titles = {c.start: t for c in result.citations if (t := citation_title(c))}
            store.replace_file(conn, item.path, digests[item.path], key_now, key, result, titles)
            report.processed += 1
            report.processed_files.append(item.path)
            report.failed += bool(result.errors)
            if on_file:
                on_file(item.path, "failed" if result.errors else "processed")
        _refresh_corpus_findings(conn)
        sizes = store.counts(conn)
        report.nodes, report.edges = sizes["nodes"], sizes["edges"]
    finally:
        conn.close()
    report.seconds = round(time.perf_counter() - began, 3)
    return report


def _refresh_corpus_findings(conn: sqlite3.Connection) -> None:
    """Recompute cross-document findings when the set of stored files changed
    (also after a run killed before it got here)."""
    states = sorted(store.file_states(conn).items())
    fingerprint = hashlib.sha256(repr(states).encode("utf-8")).hexdigest()
    if store.meta_value(conn, "corpus_findings_for") == fingerprint:
        return
    store.replace_corpus_findings(conn, corpus_conflicts(conn), fingerprint)


_GAP_DATE = regex.compile(r"[\s,]*(?:(?:được\s+)?ban\s+hành\s+)?(?=ngày\s)", regex.IGNORECASE)
_GAP_ISSUER = regex.compile(r"[\s,]*(?:của|do)\s+", regex.IGNORECASE)
_TERM = regex.compile(r"[\s,]*\(?\s*khóa\s+[IVXL]+\s*\)?")
_ABOUT = regex.compile(r"[\s,]*(?:về\s+(?:việc\s+)?(?P<q1>[“\"])?|(?P<q2>[“\"]))", regex.IGNORECASE)
_STOP = regex.compile(
    r"[.;:!?()\n“”\"]|,\s*ngày\s|\s(?:để|nhằm|thì|đã|với\s+\d|trong\s+đó|theo\s+đó)\s", regex.IGNORECASE
)
_TITLE_MAX = 200


def citation_title(c: Citation) -> str | None:
    """The title the citing sentence gives ("về …" or a quoted name after the
    identifier, its date and issuer), or None when the sentence gives none."""
    at = c.sentence.find(c.text)
    if at < 0 or c.partial:
        return None
    tail = c.sentence[at + len(c.text):]
    pos = 0
    date = _GAP_DATE.match(tail, pos)
    if date:
        found = find_dates(tail[date.end():date.end() + 40])
        if found and found[0].start <= 5:
            pos = date.end() + found[0].end
    issuer = _GAP_ISSUER.match(tail, pos)
    if issuer:
        orgs = find_orgs(tail[issuer.end():issuer.end() + 160])
        if not orgs or orgs[0].start != 0:
            return None
        pos = issuer.end() + orgs[0].end
        term = _TERM.match(tail, pos)
        pos = term.end() if term else pos
    about = _ABOUT.match(tail, pos)
    if about is None:
        return None
    return _title_text(tail[about.end():], quoted=bool(about.group("q1") or about.group("q2")))


@cache
def _trailing() -> regex.Pattern[str]:
    """Connectors and type words left dangling where a title was cut."""
    return regex.compile(expand(r"(?:[\s,]+(?:và|theo|của|tại|với|các|số|{doc_types}))+\s*$"), regex.IGNORECASE)


def _title_text(rest: str, *, quoted: bool) -> str | None:
    if quoted:
        close = regex.search(r"[”\"]", rest)
        title = rest[:close.start()] if close else ""
    else:
        title = _trailing().sub("", rest[:_title_end(rest)])
    title = regex.sub(r"\s+", " ", title).strip(" ,")
    if len(title) > _TITLE_MAX:
        title = title[:_TITLE_MAX].rsplit(" ", 1)[0] + " …"
    return title if len(title) >= 3 else None


def _title_end(rest: str, start: int = 0, extended: bool = False) -> int:
    """Where an unquoted title ends: punctuation, a new clause, or the next
    identifier, unless that identifier is what the title is about ("về tiếp tục
    thực hiện Kết luận số 102-KL/TW của Bộ Chính trị …")."""
    cut = len(rest)
    for pattern in (_STOP, _clause()):
        m = pattern.search(rest, start)
        if m:
            cut = min(cut, m.start())
    ident = _next_identifier(rest, start)
    if ident is None or ident[0] >= cut:
        return cut
    head = rest[:ident[0]]
    type_word = compiled("citations", "citation.type_before").search(head)
    head = head[:type_word.start()] if type_word else head
    if not extended and any(compiled("relations", e.id).search(head) for e in entries("relations")):
        return _title_end(rest, ident[1], extended=True)
    return ident[0]


def _next_identifier(rest: str, start: int) -> tuple[int, int] | None:
    spans = [
        m.span()
        for name in ("citation.party", "citation.state")
        if (m := compiled("citations", name).search(rest, start))
    ]
    return min(spans) if spans else None


@cache
def _clause() -> regex.Pattern[str]:
    """", Ban Thường vụ Tỉnh ủy Bình Định đã có …": a new clause with its own subject."""
    return regex.compile(
        expand(r",\s+(?:{orgs})(?:\s+\p{Lu}\p{L}*)*\s+(?:đã|vừa|sẽ|cũng|đề\s+nghị|yêu\s+cầu|ban\s+hành|tham\s+mưu|chỉ\s+đạo)(?!\p{L})"),
        regex.IGNORECASE,
    )
