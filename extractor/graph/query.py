"""Questions a researcher asks of the store: what a document cites and what cites
it (``show``), which documents are cited most (``top``), and where one key is
given different dates or issuers (``conflicts``).

Node attributes are aggregated from every mention: a document's own identity
wins; otherwise the value most mentions agree on (the first seen on a tie).
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from pathlib import Path
from typing import Literal, get_args

import regex
from pydantic import BaseModel, Field

from extractor.check import rules
from extractor.check.citations import issuer_key
from extractor.models import Finding, Relation
from extractor.rules.citations import issuer_scope, split_key

NodeKind = Literal["document", "cited", "file"]


class GraphNode(BaseModel):
    """A document: known from a file's own identity, as a file without one, or
    only because something cites it."""

    key: str
    id: str | None = None
    type: str | None = None
    date: str | None = None
    issuer: str | None = None
    title: str | None = None
    files: list[str] = Field(default_factory=list)
    is_local: bool = False
    kind: NodeKind = "cited"


class GraphEdge(BaseModel):
    """One mention of ``target`` in the file of ``source``: a citation, or a
    resolved back-reference (``via``), with where it was said."""

    source: str
    target: str
    relation: Relation
    via: Literal["citation", "backref"]
    source_file: str
    sentence: str
    start: int
    end: int
    text: str
    page: int | None = None


class NodeReport(BaseModel):
    """``show KEY``: the node, what it cites, what cites it; ``candidates`` lists
    the keys a query matched when it matched none or several; ``also`` the other
    keys with the node's identifier (other years or issuing bodies)."""

    query: str
    node: GraphNode | None = None
    cites: list[GraphEdge] = Field(default_factory=list)
    cited_by: list[GraphEdge] = Field(default_factory=list)
    candidates: list[str] = Field(default_factory=list)
    also: list[str] = Field(default_factory=list)


class TopEntry(BaseModel):
    """A cited document with how many documents cite it, by how many mentions,
    and how many documents per relation."""

    key: str
    type: str | None
    documents: int
    mentions: int
    by_relation: dict[str, int]


def _most_common(values: list[str | None]) -> str | None:
    counted = Counter(v for v in values if v)
    return counted.most_common(1)[0][0] if counted else None


def load_edges(conn: sqlite3.Connection, *, source: str | None = None, target: str | None = None) -> list[GraphEdge]:
    """Every edge (or those from ``source`` / to ``target``), in file and text order."""
    where, args = [], []
    if source is not None:
        where.append("source = ?")
        args.append(source)
    if target is not None:
        where.append("target = ?")
        args.append(target)
    sql = "SELECT * FROM edges" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY source_file, char_start"
    return [
        GraphEdge(
            source=r["source"], target=r["target"], relation=r["relation"], via=r["via"],
            source_file=r["source_file"], sentence=r["sentence"], start=r["char_start"],
            end=r["char_end"], text=r["text"], page=r["page"],
        )
        for r in conn.execute(sql, args)
    ]


def load_nodes(conn: sqlite3.Connection, keys: list[str] | None = None) -> list[GraphNode]:
    """Every node (or those with ``keys``) with aggregated attributes, sorted by key."""
    wanted = set(keys) if keys is not None else {r[0] for r in conn.execute("SELECT key FROM nodes")}
    docs: dict[str, list[sqlite3.Row]] = defaultdict(list)
    mentions: dict[str, list[sqlite3.Row]] = defaultdict(list)
    for r in conn.execute("SELECT * FROM documents ORDER BY file"):
        if r["key"] in wanted:
            docs[r["key"]].append(r)
    sql = "SELECT * FROM citations WHERE key IS NOT NULL AND partial = 0 ORDER BY file, seq"
    for r in conn.execute(sql):
        if r["key"] in wanted:
            mentions[r["key"]].append(r)
    return [_node(key, docs[key], mentions[key]) for key in sorted(wanted) if docs[key] or mentions[key]]


def _node(key: str, docs: list[sqlite3.Row], mentions: list[sqlite3.Row]) -> GraphNode:
    own = [d for d in docs if d["has_self"]]

    def pick(field: str) -> str | None:
        return _most_common([d[field] for d in own]) or _most_common([m[field] for m in mentions])

    files = sorted({d["file"] for d in docs} | {m["file"] for m in mentions})
    is_file = bool(docs) and not own and key.startswith("file:")
    local = split_key(key).body is not None or any(issuer_scope(m["issuer_code"])[0] == "local" for m in mentions)
    kind: NodeKind = "document" if own else "file" if is_file else "cited"
    return GraphNode(
        key=key, id=pick("id"), type=pick("type"), date=pick("date"), issuer=pick("issuer"),
        title=pick("title"), files=files, is_local=local and not is_file, kind=kind,
    )


def _squash(text: str) -> str:
    return str(regex.sub(r"\s+", "", regex.sub(r"[–—]", "-", text))).casefold()


def _names(key: str) -> set[str]:
    """The short ways a key may be asked for: its identifier, identifier@year."""
    parts = split_key(key)
    names = {_squash(parts.id)}
    if parts.year:
        names.add(_squash(f"{parts.id}@{parts.year}"))
    return names


def find_keys(conn: sqlite3.Connection, query: str) -> list[str]:
    """Keys a user's query names: the exact key, ignoring case and spaces; else
    keys whose identifier (before ``@``) equals it, alone or with the year
    (``01/NQ-CP@2025``); else the node of a stored file with that path or name;
    else keys containing it."""
    keys = [r[0] for r in conn.execute("SELECT key FROM nodes ORDER BY key")]
    if query in keys:
        return [query]
    q = _squash(query)
    exact = [k for k in keys if _squash(k) == q] or [k for k in keys if q in _names(k)]
    if exact:
        return exact
    files = [r["node_key"] for r in conn.execute("SELECT path, node_key FROM files") if query in (r["path"], Path(r["path"]).name)]
    if files:
        return sorted(set(files))
    return [k for k in keys if q in _squash(k)]


def show(conn: sqlite3.Connection, query: str) -> NodeReport:
    """What the document ``query`` names cites and what cites it, with relation
    and provenance; only ``candidates`` when the query names none or several."""
    keys = find_keys(conn, query)
    if len(keys) != 1:
        return NodeReport(query=query, candidates=keys)
    key = keys[0]
    nodes = load_nodes(conn, [key])
    ident = split_key(key).id
    also = [r[0] for r in conn.execute("SELECT key FROM nodes ORDER BY key") if r[0] != key and split_key(r[0]).id == ident]
    return NodeReport(
        query=query, node=nodes[0] if nodes else None,
        cites=load_edges(conn, source=key), cited_by=load_edges(conn, target=key), also=also,
    )


def top(conn: sqlite3.Connection, relation: str | None = None, limit: int = 20) -> list[TopEntry]:
    """The most cited documents: by citing documents, then mentions (edges of
    ``relation`` only, if given; ValueError for a relation that does not exist)."""
    if relation is not None and relation not in get_args(Relation):
        raise ValueError(f"unknown relation {relation!r}; choose one of {', '.join(get_args(Relation))}")
    citing: dict[str, set[str]] = defaultdict(set)
    mentions: Counter[str] = Counter()
    by_relation: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for e in load_edges(conn):
        if relation is not None and e.relation != relation:
            continue
        citing[e.target].add(e.source)
        mentions[e.target] += 1
        by_relation[e.target][e.relation].add(e.source)
    ranked = sorted(citing, key=lambda k: (-len(citing[k]), -mentions[k], k))[:limit]
    types = {n.key: n.type for n in load_nodes(conn, ranked)}
    return [
        TopEntry(
            key=k, type=types.get(k), documents=len(citing[k]), mentions=mentions[k],
            by_relation={r: len(s) for r, s in sorted(by_relation[k].items())},
        )
        for k in ranked
    ]


def _distinct_issuers(issuers: list[str]) -> list[str]:
    kept: list[str] = []
    for issuer in issuers:
        folded = issuer_key(issuer)
        if not any(folded in issuer_key(k) or issuer_key(k) in folded for k in kept):
            kept.append(issuer)
    return kept


def corpus_conflicts(conn: sqlite3.Connection) -> list[tuple[str, Finding]]:
    """``citation_conflict`` findings, with their keys: a key given different
    dates, or different issuers, in two or more files of the corpus."""
    by_key: dict[str, list[sqlite3.Row]] = defaultdict(list)
    for r in conn.execute("SELECT * FROM citations WHERE key IS NOT NULL AND partial = 0 ORDER BY key, file, seq"):
        by_key[r["key"]].append(r)
    out: list[tuple[str, Finding]] = []
    for key, rows in by_key.items():
        if len({r["file"] for r in rows}) < 2:
            continue  # inside one document: the extractor's own finding
        local_unscoped = split_key(key).body is None and issuer_scope(rows[0]["issuer_code"])[0] == "local"
        severity: Literal["error", "warning"] = "warning" if local_unscoped else "error"
        dates = sorted({r["date"] for r in rows if r["date"]})
        if len(dates) > 1:
            out.append((key, _finding(key, "ghi ngày", dates, rows, "date", severity)))
        issuers = _distinct_issuers([r["issuer"] for r in rows if r["issuer"]])
        if len(issuers) > 1:
            out.append((key, _finding(key, "ghi cơ quan ban hành", issuers, rows, "issuer", severity)))
    return out


def _agrees(field: str, value: str, candidate: str | None) -> bool:
    if not candidate:
        return False
    if field == "date":
        return candidate == value
    a, b = issuer_key(candidate), issuer_key(value)
    return a in b or b in a


def _finding(
    key: str, verb: str, values: list[str], rows: list[sqlite3.Row], field: str, severity: Literal["error", "warning"]
) -> Finding:
    def where(value: str) -> str:
        return ", ".join(sorted({Path(r["file"]).name for r in rows if _agrees(field, value, r[field])}))

    places = "; ".join(f"{v} ({where(v)})" for v in values)
    return Finding(
        rule=rules.CITATION_CONFLICT, severity=severity,
        message=f"{key} được {verb} khác nhau trong kho văn bản: {places}",
        stated=values[0], computed=values[1],
    )


def conflicts(conn: sqlite3.Connection) -> list[Finding]:
    """Every cross-document ``citation_conflict`` in the store, as findings."""
    return [finding for _key, finding in corpus_conflicts(conn)]
