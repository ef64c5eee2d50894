"""``bienche graph``: thin typer wrappers over build, query, export and draw."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import Annotated, Optional, get_args

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from extractor.cli_support import DASH_DASH, BiencheCommand, BiencheGroup, check_outputs, console, fail, readable_path
from extractor.graph import store
from extractor.graph.formats import DEFAULT_NAMES, ExportFormat
from extractor.graph.query import GraphEdge, NodeReport
from extractor.models import Relation
from extractor.pipeline import ExtractorMode

graph_app = typer.Typer(
    cls=BiencheGroup,
    add_completion=False,
    no_args_is_help=True,
    help="Citation graph of a corpus, kept in an embedded SQLite store.",
)
out = console(stderr=False)
err = console(stderr=True)

DbOption = Annotated[Path, typer.Option("--db", metavar="FILE", help="The SQLite store (created by `graph build`).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
DEFAULT_DB = Path("corpus.db")


def _open(db: Path) -> sqlite3.Connection:
    try:
        return store.open_existing(db)
    except store.StoreError as error:
        raise fail(err, str(error)) from None


@graph_app.command(cls=BiencheCommand, epilog=DASH_DASH)
def build(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of directives (folders are walked).")],
    db: DbOption = DEFAULT_DB,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", metavar="N", min=1, help="Worker processes, at least 1 (default: cores, for 8+ files).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No per-file lines or summary.")] = False,
    as_json: JsonOption = False,
    extractor: Annotated[Optional[ExtractorMode], typer.Option("--extractor", help="Who finds unit names (default rules).")] = None,
    follow_links: Annotated[bool, typer.Option("--follow-links", help="Follow symbolic links that lead outside the folders given (default: left out, with a note).")] = False,
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", metavar="ADDRESS", help="Extract on a dask cluster: local, local:N (N worker processes here) or tcp://HOST:PORT of a `dask scheduler` (needs the dask extra: pip install 'bienche\\[dask]').")] = None,
) -> None:
    """Build or update the store: extract new and changed files, skip unchanged ones, drop deleted ones."""
    from extractor.graph.build import build as run_build

    if scheduler is not None:
        _check_scheduler(scheduler, jobs)
    check_outputs(err, [("--db", db, "file")])
    missing = [p for p in paths if not readable_path(p)]
    if missing:
        raise fail(err, f"no such file or folder: {', '.join(str(p) for p in missing)}")
    if not quiet:
        from extractor.ingest import scan_inputs

        for note in scan_inputs(paths, follow_links=follow_links).notes():
            err.print(note, markup=False)
    if extractor is not None:
        os.environ["BIENCHE_EXTRACTOR"] = extractor  # read by every worker's extract_path

    def on_file(path: str, what: str) -> None:
        if not quiet and what != "skipped":
            err.print(f"{what:>9}  {path}")

    try:
        report = run_build(paths, db, jobs=jobs, on_file=on_file, follow_links=follow_links, extractor=extractor, scheduler=scheduler)
    except store.StoreError as error:
        raise fail(err, str(error)) from None
    except Exception as error:
        from extractor.cluster import ClusterError

        if isinstance(error, ClusterError):
            raise fail(err, f"--scheduler: {error}") from None
        raise
    if as_json:
        typer.echo(report.model_dump_json(indent=1))
    elif not quiet:
        err.print(
            f"{report.files} files: {report.processed} processed ({report.failed} with errors), "
            f"{report.skipped} unchanged, {report.removed} removed; "
            f"{report.nodes} nodes, {report.edges} edges in {db} ({report.seconds:.2f} s)"
        )


def _check_scheduler(scheduler: str, jobs: int | None) -> None:
    """Misuse of --scheduler as one line (exit 2) before any work: a bad address,
    --jobs beside it, or dask not installed."""
    from extractor.cluster import ClusterError, parse_scheduler, require_dask

    if jobs is not None:
        raise fail(err, "--jobs and --scheduler exclude each other: the cluster's workers do the work (--scheduler local:N for N here)")
    try:
        parse_scheduler(scheduler)
        require_dask()
    except (ValueError, ClusterError) as error:
        raise fail(err, f"--scheduler: {error}") from None


def _edge_line(e: GraphEdge, other: str) -> str:
    page = f", p. {e.page}" if e.page else ""
    via = " (back-reference)" if e.via == "backref" else ""
    return f"  [{e.relation}] {other}{via}\n      {Path(e.source_file).name}:{e.start}-{e.end}{page}: {e.sentence}"


def _print_report(report: NodeReport) -> None:
    node = report.node
    if node is None:
        return
    out.print(f"[bold]{escape(node.key)}[/bold]  ({node.kind}{', local' if node.is_local else ''})", markup=True)
    for label, value in (("type", node.type), ("date", node.date), ("issuer", node.issuer), ("title", node.title)):
        if value:
            out.print(f"  {label}: {value}")
    out.print(f"  files: {len(node.files)}")
    for f in node.files:
        out.print(f"    {f}")
    if report.also:
        out.print("  same identifier, other keys: " + ", ".join(report.also))
    out.print(f"\n[bold]cites[/bold] ({len(report.cites)} mentions)", markup=True)
    for e in report.cites:
        out.print(_edge_line(e, e.target))
    out.print(f"\n[bold]cited by[/bold] ({len(report.cited_by)} mentions, {len({e.source for e in report.cited_by})} documents)", markup=True)
    for e in report.cited_by:
        out.print(_edge_line(e, e.source))


@graph_app.command(cls=BiencheCommand)
def show(
    key: Annotated[str, typer.Argument(help="A key (60/2021/NĐ-CP, 01/NQ-CP@2025, 45-KH/TU@tỉnh Bình Định@2024), an identifier, or a file name.")],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """What a document cites and what cites it, with relation and provenance."""
    from extractor.graph.query import show as run_show

    conn = _open(db)
    try:
        report = run_show(conn, key)
    finally:
        conn.close()
    if as_json:
        typer.echo(report.model_dump_json(indent=1))
    elif report.node is None:
        if report.candidates:
            err.print(f"'{key}' matches several keys; pick one:\n  " + "\n  ".join(report.candidates))
        else:
            err.print(f"error: no document '{key}' in {db}")
    else:
        _print_report(report)
    if report.node is None:
        raise typer.Exit(1)


@graph_app.command(cls=BiencheCommand)
def top(
    db: DbOption = DEFAULT_DB,
    relation: Annotated[Optional[Relation], typer.Option("--relation", "-r", metavar="RELATION", help="Count only this relation: " + ", ".join(get_args(Relation)) + ".")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", metavar="N", min=1, help="How many documents.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """The most cited documents: by citing documents, then mentions, with counts per relation."""
    from extractor.graph.query import top as run_top

    conn = _open(db)
    try:
        entries = run_top(conn, relation, limit)
    finally:
        conn.close()
    if as_json:
        typer.echo(json.dumps([e.model_dump() for e in entries], ensure_ascii=False, indent=1))
        return
    table = Table()
    table.add_column("key", no_wrap=True)
    for name in ("type", "documents", "mentions", "by relation (documents)"):
        table.add_column(name)
    for e in entries:
        relations = ", ".join(f"{r} {n}" for r, n in e.by_relation.items())
        table.add_row(Text(e.key), Text(e.type or ""), str(e.documents), str(e.mentions), relations)
    out.print(table)


@graph_app.command(cls=BiencheCommand)
def conflicts(db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """Keys given different dates or issuers in different files (rule citation_conflict)."""
    from extractor.graph.query import conflicts as run_conflicts

    conn = _open(db)
    try:
        findings = run_conflicts(conn)
    finally:
        conn.close()
    if as_json:
        typer.echo(json.dumps([f.model_dump() for f in findings], ensure_ascii=False, indent=1))
        return
    for f in findings:
        out.print(f"{f.severity}: {f.message}")
    err.print(f"{len(findings)} conflicts")


@graph_app.command(cls=BiencheCommand)
def export(
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="graphml and gexf (GEXF 1.3) for Gephi, csv (a folder holding nodes.csv and edges.csv), json (networkx node-link).")] = "graphml",
    output: Annotated[Optional[Path], typer.Option("-o", "--out", metavar="PATH", help="Where to write: a file, or a folder for csv (default " + ", ".join(DEFAULT_NAMES.values()) + ").")] = None,
) -> None:
    """Write the graph for Gephi, networkx, a spreadsheet or a script; every edge has its own id."""
    from extractor.graph.export import export_graph

    output = output if output is not None else Path(DEFAULT_NAMES[fmt])
    check_outputs(err, [("-o", output, "folder" if fmt == "csv" else "file")])
    conn = _open(db)
    try:
        written = export_graph(conn, fmt, output)
    finally:
        conn.close()
    err.print("wrote " + ", ".join(str(p) for p in written))


@graph_app.command(cls=BiencheCommand)
def draw(
    key: Annotated[Optional[str], typer.Argument(help="Draw this document's neighbourhood (default: the whole graph).")] = None,
    db: DbOption = DEFAULT_DB,
    output: Annotated[Path, typer.Option("-o", "--out", metavar="FILE", help="Picture to write: .svg or .png.")] = Path("graph.svg"),
    depth: Annotated[int, typer.Option("--depth", "-d", metavar="N", min=0, help="Steps from KEY to include.")] = 1,
) -> None:
    """An SVG/PNG picture of the graph or of one document's neighbourhood."""
    from extractor.graph.draw import DrawError
    from extractor.graph.draw import draw as run_draw
    from extractor.graph.query import find_keys

    if output.suffix.lower() not in (".svg", ".png"):
        raise fail(err, "-o must end in .svg or .png")
    check_outputs(err, [("-o", output, "file")])
    conn = _open(db)
    try:
        if key is not None:
            keys = find_keys(conn, key)
            if len(keys) != 1:
                err.print(f"error: '{key}' matches {len(keys)} keys" + (":\n  " + "\n  ".join(keys) if keys else ""))
                raise typer.Exit(1)
            key = keys[0]
        try:
            run_draw(conn, output, key, depth)
        except DrawError as error:
            err.print(f"error: {error}")
            raise typer.Exit(1) from None
        except ImportError:
            raise fail(err, "drawing needs matplotlib (pip install matplotlib)") from None
    finally:
        conn.close()
    err.print(f"wrote {output}")


if __name__ == "__main__":  # pragma: no cover
    graph_app(sys.argv[1:])
