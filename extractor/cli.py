"""The ``bienche`` command: thin typer wrappers over functions that return data."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional, cast

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from extractor import __version__
from extractor.models import DocumentResult
from extractor.pipeline import ExtractorMode

if TYPE_CHECKING:
    from extractor.evaluate_real import Split

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="bienche: Vietnamese directives in, checked structured records (citations, staffing quotas) out.",
)
err = Console(stderr=True, highlight=False)

PathsArg = Annotated[list[Path], typer.Argument(help="Files or folders (.txt .md .html .htm .docx .pdf; folders are walked).")]


@app.command()
def extract(
    paths: PathsArg,
    out: Annotated[Optional[Path], typer.Option("-o", "--out", help="Folder for results.jsonl, figures.csv, citations.csv, bienche.xlsx and report.html.")] = None,
    jsonl: Annotated[Optional[str], typer.Option("--jsonl", help="Write JSON Lines here ('-' for standard output).")] = None,
    csv_dir: Annotated[Optional[Path], typer.Option("--csv", help="Write figures.csv and citations.csv into this folder.")] = None,
    xlsx: Annotated[Optional[Path], typer.Option("--xlsx", help="Write the spreadsheet here.")] = None,
    max_mb: Annotated[float, typer.Option("--max-mb", help="Skip (with an error entry) files larger than this.")] = 20.0,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", help="Worker processes (default: cores, for batches of 8+ files).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
    extractor: Annotated[str, typer.Option("--extractor", help="Who finds unit names and categories: rules (default; BIENCHE_EXTRACTOR changes it), model or both.")] = "",
) -> None:
    """Extract citations and quota figures from directives; exit 1 if any file failed."""
    if not extractor:
        from extractor.pipeline import default_extractor

        extractor = default_extractor()
    if extractor not in ("rules", "model", "both"):
        err.print(f"error: --extractor must be rules, model or both, not {extractor!r}")
        raise typer.Exit(2)
    from extractor.batch import add_corpus_findings, extract_many
    from extractor.export.csv import write_csv
    from extractor.export.jsonl import write_jsonl
    from extractor.export.xlsx import write_xlsx
    from extractor.ingest import iter_input_files

    missing = [p for p in paths if not p.exists()]
    if missing:
        err.print(f"error: no such file or folder: {', '.join(str(p) for p in missing)}")
        raise typer.Exit(2)
    files = iter_input_files(paths)
    if not files:
        err.print("error: no .txt .md .html .htm .docx or .pdf files found in the given paths")
        raise typer.Exit(2)
    if out is None and jsonl is None and csv_dir is None and xlsx is None:
        out = Path("bienche-out")
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        jsonl = jsonl or str(out / "results.jsonl")
        csv_dir = csv_dir or out
        xlsx = xlsx or out / "bienche.xlsx"
    show = not quiet and sys.stderr.isatty()
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=err, disable=not show)
    with progress:
        task = progress.add_task("extracting", total=len(files))

        def on_result(result: DocumentResult) -> None:
            for error in result.errors:
                progress.console.print(f"error: {error.message} [{error.code}]")
            progress.advance(task)

        results = list(extract_many(files, jobs=jobs, max_bytes=int(max_mb * 1_000_000), extractor=cast(ExtractorMode, extractor), on_result=on_result))
    add_corpus_findings(results)
    if jsonl is not None:
        if jsonl == "-":
            write_jsonl(results, sys.stdout)
        else:
            with open(jsonl, "w", encoding="utf-8") as handle:
                write_jsonl(results, handle)
    if csv_dir is not None:
        csv_dir.mkdir(parents=True, exist_ok=True)
        write_csv(results, csv_dir)
    if xlsx is not None:
        xlsx.parent.mkdir(parents=True, exist_ok=True)
        write_xlsx(results, xlsx)
    if out is not None:
        from extractor.export.html import write_report
        from extractor.report import attach_texts

        write_report(attach_texts(results, max_bytes=int(max_mb * 1_000_000)), out / "report.html")
    failed = sum(1 for r in results if r.errors)
    if not quiet:
        n_cit = sum(len(r.citations) for r in results)
        n_fig = sum(len(r.figures) for r in results)
        where = f" → {out}" if out is not None else ""
        err.print(f"{len(results)} files: {len(results) - failed} read, {failed} failed; {n_cit} citations, {n_fig} figures{where}")
    raise typer.Exit(1 if failed else 0)


@app.command()
def report(
    paths: PathsArg,
    out: Annotated[Path, typer.Option("-o", "--out", help="The HTML report to write.")] = Path("report.html"),
    max_mb: Annotated[float, typer.Option("--max-mb", help="Skip (with an error entry) files larger than this.")] = 20.0,
) -> None:
    """Write one self-contained HTML report: summary, findings, highlighted text; exit 1 if any file failed."""
    from extractor.export.html import write_report
    from extractor.ingest import iter_input_files
    from extractor.report import build_report

    missing = [p for p in paths if not p.exists()]
    if missing:
        err.print(f"error: no such file or folder: {', '.join(str(p) for p in missing)}")
        raise typer.Exit(2)
    if not iter_input_files(paths):
        err.print("error: no .txt .md .html .htm .docx or .pdf files found in the given paths")
        raise typer.Exit(2)
    items = build_report(paths, max_bytes=int(max_mb * 1_000_000))
    for result, _text in items:
        for error in result.errors:
            err.print(f"error: {error.message} [{error.code}]")
    write_report(items, out)
    failed = sum(1 for result, _text in items if result.errors)
    err.print(f"{len(items)} files: {len(items) - failed} read, {failed} failed → {out}")
    raise typer.Exit(1 if failed else 0)


@app.command()
def schema() -> None:
    """Print the JSON Schema of one JSON Lines record (generated from the pydantic models)."""
    typer.echo(json.dumps(DocumentResult.model_json_schema(by_alias=True), ensure_ascii=False, indent=2))


@app.command("eval")
def eval_command(
    paths: Annotated[list[Path], typer.Argument(help="Gold file(s) or folders of them (seeds.json, or real-document part-*.json), then the JSON Lines written by `bienche extract --jsonl`.")],
    split: Annotated[str, typer.Option("--split", help="Real-document gold: dev, held or all (a document without split is dev).")] = "dev",
    match_stem: Annotated[bool, typer.Option("--match-stem", help="Also match a .pdf/.docx output to a gold key by stem.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the numbers as JSON instead of the table.")] = False,
) -> None:
    """Score an extraction against gold: precision, recall and F1 per field (seeds) or per genre (real documents)."""
    from extractor.eval_command import run_eval

    if len(paths) < 2:
        err.print("error: give the gold file(s) and then the JSON Lines output")
        raise typer.Exit(2)
    if split not in ("dev", "held", "all"):
        err.print(f"error: --split must be dev, held or all, not {split!r}")
        raise typer.Exit(2)
    for p in paths:
        if not p.exists():
            err.print(f"error: no such file: {p}")
            raise typer.Exit(2)
    try:
        text = run_eval(paths[:-1], paths[-1], split=cast("Split", split), match_stem=match_stem, as_json=as_json)
    except ValueError as exc:
        err.print(f"error: {exc}")
        raise typer.Exit(2) from exc
    typer.echo(text)


@app.command()
def train(
    out: Annotated[Optional[Path], typer.Option("-o", "--out", help="Where to write the model (default: the shipped one, extractor/ner/model).")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; the same seed rebuilds the same weights.")] = 0,
) -> None:
    """Rebuild the statistical unit-name model from the repository and ../shared/corpus-extra."""
    from extractor.ner.pipeline import MODEL_DIR
    from extractor.ner.train import train as train_model

    summary = train_model(out or MODEL_DIR, seed)
    typer.echo(json.dumps(summary, ensure_ascii=False, indent=2, default=str))


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def _register_subcommands() -> None:
    try:
        from extractor.graph.cli import graph_app
    except ImportError:  # the graph package is optional until it lands
        return
    app.add_typer(graph_app, name="graph", help="Citation graph of a corpus, kept in an embedded SQLite store.")


_register_subcommands()


def main() -> None:
    """Console-script entry point."""
    app()
