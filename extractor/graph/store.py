"""The embedded store: one SQLite file (stdlib ``sqlite3``, WAL) holding what the
extractor found in every file of a corpus.

Each file's rows are replaced in ONE transaction (``replace_file``), so a build
killed at any moment leaves every file either fully stored or not at all; the
``files`` row, which records the sha256 and the settings key
(``extractor.settings.settings_key``, in the ``extractor_version`` column) a
re-run compares against, commits with the rest. Nodes and edges are SQL views over the per-file tables: nothing is
derived that could go stale.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from extractor.models import DocumentResult, Finding

SCHEMA_VERSION = "1"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, processed_at TEXT NOT NULL,
    extractor_version TEXT NOT NULL, node_key TEXT NOT NULL, format TEXT,
    chars INTEGER NOT NULL DEFAULT 0, errors TEXT NOT NULL DEFAULT '[]');
CREATE TABLE IF NOT EXISTS documents (
    file TEXT PRIMARY KEY, key TEXT NOT NULL, id TEXT, type TEXT, date TEXT,
    issuer TEXT, title TEXT, has_self INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS citations (
    file TEXT NOT NULL, seq INTEGER NOT NULL, source_key TEXT NOT NULL, key TEXT, id TEXT,
    number TEXT, type TEXT, type_code TEXT, issuer_code TEXT, date TEXT, issuer TEXT,
    title TEXT, relation TEXT NOT NULL, partial INTEGER NOT NULL, is_self INTEGER NOT NULL,
    char_start INTEGER NOT NULL, char_end INTEGER NOT NULL, text TEXT NOT NULL,
    page INTEGER, sentence TEXT NOT NULL, PRIMARY KEY (file, seq));
CREATE TABLE IF NOT EXISTS backrefs (
    file TEXT NOT NULL, seq INTEGER NOT NULL, source_key TEXT NOT NULL, type TEXT,
    number TEXT, resolved_key TEXT, resolved_id TEXT, resolved_start INTEGER,
    refers_to_self INTEGER NOT NULL, relation TEXT NOT NULL, unresolved_reason TEXT,
    char_start INTEGER NOT NULL, char_end INTEGER NOT NULL, text TEXT NOT NULL,
    sentence TEXT NOT NULL, PRIMARY KEY (file, seq));
CREATE TABLE IF NOT EXISTS figures (
    file TEXT NOT NULL, seq INTEGER NOT NULL, figure_id TEXT NOT NULL, kind TEXT NOT NULL,
    value REAL NOT NULL, unit TEXT NOT NULL, category TEXT, org TEXT, year INTEGER,
    period TEXT, base_year INTEGER, rate_percent REAL, approx TEXT NOT NULL, date TEXT,
    char_start INTEGER NOT NULL, char_end INTEGER NOT NULL, text TEXT NOT NULL,
    page INTEGER, sentence TEXT NOT NULL, PRIMARY KEY (file, seq));
CREATE TABLE IF NOT EXISTS findings (
    file TEXT, seq INTEGER NOT NULL, scope TEXT NOT NULL, key TEXT, rule TEXT NOT NULL,
    severity TEXT NOT NULL, message TEXT NOT NULL, stated TEXT, computed TEXT,
    suggestion TEXT, spans TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS citations_key ON citations (key);
CREATE INDEX IF NOT EXISTS backrefs_key ON backrefs (resolved_key);
CREATE INDEX IF NOT EXISTS findings_file ON findings (file);
CREATE VIEW IF NOT EXISTS edges AS
    SELECT source_key AS source, key AS target, relation, 'citation' AS via,
           file AS source_file, sentence, char_start, char_end, text, page
      FROM citations
     WHERE key IS NOT NULL AND partial = 0 AND is_self = 0 AND key <> source_key
    UNION ALL
    SELECT source_key, resolved_key, relation, 'backref', file, sentence,
           char_start, char_end, text, NULL
      FROM backrefs
     WHERE resolved_key IS NOT NULL AND refers_to_self = 0 AND resolved_key <> source_key;
CREATE VIEW IF NOT EXISTS nodes AS
    SELECT d.key FROM documents d JOIN files f ON f.path = d.file WHERE f.errors = '[]'
    UNION SELECT target FROM edges;
"""

_TABLES = ("meta", "files", "documents", "citations", "backrefs", "figures", "findings")
_PER_FILE = ("documents", "citations", "backrefs", "figures", "findings")


class StoreError(Exception):
    """A store that cannot be used (newer schema, not a bienche store)."""


def connect(db: Path) -> sqlite3.Connection:
    """An open connection to the store at ``db``, created with its schema if new
    (WAL journal, explicit transactions)."""
    db.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(db), isolation_level=None, timeout=60.0)
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=60000")
        conn.executescript(SCHEMA)  # idempotent: a run killed here recreates the rest
        with transaction(conn):
            row = conn.execute("SELECT value FROM meta WHERE name = 'schema_version'").fetchone()
            if row is None:
                conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
            elif row["value"] != SCHEMA_VERSION:
                raise StoreError(f"{db}: store schema {row['value']}, this bienche writes schema {SCHEMA_VERSION}; build a new store")
    except sqlite3.DatabaseError as error:
        conn.close()
        raise StoreError(f"{db}: not a bienche store ({error})") from None
    except StoreError:
        conn.close()
        raise
    return conn


def open_existing(db: Path) -> sqlite3.Connection:
    """A connection to a store that must already exist (queries never create one)."""
    if not db.is_file():
        raise StoreError(f"{db}: no store here; run `bienche graph build PATH... --db {db}` first")
    return connect(db)


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any exception."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def file_states(conn: sqlite3.Connection) -> dict[str, tuple[str, str]]:
    """Every stored file: path → (sha256, settings key) it was extracted with."""
    rows = conn.execute("SELECT path, sha256, extractor_version FROM files")
    return {r["path"]: (r["sha256"], r["extractor_version"]) for r in rows}


def _delete_file_rows(conn: sqlite3.Connection, path: str) -> None:
    for table in _PER_FILE:
        conn.execute(f"DELETE FROM {table} WHERE file = ?", (path,))
    conn.execute("DELETE FROM files WHERE path = ?", (path,))


def remove_file(conn: sqlite3.Connection, path: str) -> None:
    """Remove everything that came from ``path``, in one transaction."""
    with transaction(conn):
        _delete_file_rows(conn, path)


def replace_file(
    conn: sqlite3.Connection,
    path: str,
    sha256: str,
    settings_key: str,
    node_key: str,
    result: DocumentResult,
    titles: Mapping[int, str],
) -> None:
    """Replace every row of ``path`` by ``result``'s, in ONE transaction.

    ``settings_key`` is what the file was extracted with (a later build with
    another key re-reads it); ``node_key`` is the file's node (its own identity,
    or ``file:…``); ``titles`` maps a citation's start offset to its "về …" title.
    """
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    own = result.self_
    with transaction(conn):
        _delete_file_rows(conn, path)
        conn.execute(
            "INSERT INTO files VALUES (?,?,?,?,?,?,?,?)",
            (path, sha256, now, settings_key, node_key, result.format, result.chars,
             json.dumps([e.model_dump() for e in result.errors], ensure_ascii=False)),
        )
        self_title = next((titles.get(c.start) for c in result.citations if c.is_self), None)
        conn.execute(
            "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?)",
            (path, node_key, own.id if own else None, own.type if own else None, own.date if own else None,
             own.issuer if own else None, self_title, 1 if own else 0),
        )
        conn.executemany(
            "INSERT INTO citations VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (path, i, node_key, c.key, c.id, c.number, c.type, c.type_code, c.issuer_code, c.date,
                 c.issuer, titles.get(c.start), c.relation, int(c.partial), int(c.is_self),
                 c.start, c.end, c.text, c.page, c.sentence)
                for i, c in enumerate(result.citations)
            ],
        )
        conn.executemany(
            "INSERT INTO backrefs VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (path, i, node_key, b.type, b.number, b.resolved_key, b.resolved_id, b.resolved_start,
                 int(b.refers_to_self), b.relation, b.unresolved_reason, b.start, b.end, b.text, b.sentence)
                for i, b in enumerate(result.backrefs)
            ],
        )
        conn.executemany(
            "INSERT INTO figures VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (path, i, f.id, f.kind, f.value, f.unit, f.category, f.org, f.year, f.period, f.base_year,
                 f.rate_percent, f.approx, f.date, f.start, f.end, f.text, f.page, f.sentence)
                for i, f in enumerate(result.figures)
            ],
        )
        conn.executemany(
            "INSERT INTO findings VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [_finding_row(path, i, "document", None, f) for i, f in enumerate(result.findings)],
        )


def _finding_row(
    path: str | None, seq: int, scope: str, key: str | None, f: Finding
) -> tuple[str | None, int, str, str | None, str, str, str, str, str, str | None, str]:
    return (path, seq, scope, key, f.rule, f.severity, f.message, json.dumps(f.stated, ensure_ascii=False),
            json.dumps(f.computed, ensure_ascii=False), f.suggestion, json.dumps(f.spans))


def replace_corpus_findings(conn: sqlite3.Connection, findings: list[tuple[str, Finding]], fingerprint: str) -> None:
    """Replace the corpus-wide findings (``(key, finding)`` pairs) and record the
    corpus ``fingerprint`` they were computed for, in one transaction."""
    with transaction(conn):
        conn.execute("DELETE FROM findings WHERE scope = 'corpus'")
        conn.executemany(
            "INSERT INTO findings VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [_finding_row(None, i, "corpus", key, f) for i, (key, f) in enumerate(findings)],
        )
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('corpus_findings_for', ?)", (fingerprint,))


def meta_value(conn: sqlite3.Connection, name: str) -> str | None:
    """The ``meta`` value ``name``, or None."""
    row = conn.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
    return None if row is None else str(row["value"])


def load_findings(conn: sqlite3.Connection, scope: str | None = None) -> list[Finding]:
    """Stored findings (of one ``scope``, 'document' or 'corpus', if given)."""
    sql = "SELECT * FROM findings" + (" WHERE scope = ?" if scope else "") + " ORDER BY scope, file, seq"
    rows = conn.execute(sql, (scope,) if scope else ())
    return [
        Finding(
            rule=r["rule"], severity=r["severity"], message=r["message"], stated=json.loads(r["stated"]),
            computed=json.loads(r["computed"]), suggestion=r["suggestion"],
            spans=[(int(a), int(b)) for a, b in json.loads(r["spans"])],
        )
        for r in rows
    ]


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Row counts: files, nodes, edges and every per-file table."""
    out: dict[str, int] = {}
    for name in ("files", "nodes", "edges", *_PER_FILE):
        out[name] = int(conn.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0])
    return out


def canonical_dump(conn: sqlite3.Connection) -> list[str]:
    """Every stored row as text, sorted, without the ``processed_at`` timestamps:
    two stores with equal dumps hold the same data."""
    lines: list[str] = []
    for table in _TABLES:
        cursor = conn.execute(f"SELECT * FROM {table}")
        names = [d[0] for d in cursor.description]
        for row in cursor:
            values = {n: row[n] for n in names if n != "processed_at"}
            lines.append(f"{table}\t{json.dumps(values, ensure_ascii=False, sort_keys=True)}")
    return sorted(lines)
