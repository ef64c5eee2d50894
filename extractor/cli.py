"""The ``bienche`` command: thin typer wrappers over functions that return data."""

from __future__ import annotations

import atexit
import inspect
import json
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, cast

import typer

from extractor.cli_support import (
    DASH_DASH,
    BiencheCommand,
    BiencheGroup,
    bienche_version,
    check_outputs,
    console,
    fail,
    file_progress,
    readable_path,
)
from extractor.models import DocumentResult
from extractor.pipeline import ExtractorMode

if TYPE_CHECKING:
    from extractor.evaluate_real import Split
    from extractor.export.stream import Targets
    from extractor.extract_run import RunSummary
    from extractor.ingest.limits import InputLimits

app = typer.Typer(
    cls=BiencheGroup,
    add_completion=False,
    no_args_is_help=True,
    help="bienche: Vietnamese directives in, checked structured records (citations, staffing quotas) out.",
)
err = console(stderr=True)

PathsArg = Annotated[list[Path], typer.Argument(help="Files or folders (.txt .md .html .htm .docx .pdf; folders are walked).")]
FollowLinksOption = Annotated[bool, typer.Option("--follow-links", help="Follow symbolic links that lead outside the folders given (default: left out, with a note).")]
MaxMbOption = Annotated[float, typer.Option("--max-mb", metavar="MB", min=0.0, help="Skip (with an error entry) files larger than this.")]


def _print_version(value: bool) -> None:
    if value:
        typer.echo(bienche_version())
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print `bienche X.Y.Z` and exit.")] = False,
) -> None:
    """bienche: Vietnamese directives in, checked structured records (citations, staffing quotas) out."""


def _input_files(paths: list[Path], follow_links: bool = False) -> list[Path]:
    from extractor.ingest import scan_inputs

    missing = [p for p in paths if not readable_path(p)]
    if missing:
        raise fail(err, f"no such file or folder: {', '.join(str(p) for p in missing)}")
    scan = scan_inputs(paths, follow_links=follow_links)
    for note in scan.notes():
        err.print(note, markup=False)
    files = scan.files
    if not files:
        raise fail(err, "no .txt .md .html .htm .docx or .pdf files found in the given paths")
    return files


def _timeout_keyword(timeout: float | None) -> dict[str, Any]:
    """``{"timeout": …}`` when given and the batch runner takes it (it may not yet)."""
    from extractor.batch import extract_many

    if timeout is None:
        return {}
    if "timeout" not in inspect.signature(extract_many).parameters:
        raise fail(err, "--timeout is not supported by this build's batch runner")
    return {"timeout": timeout}


def _progress_callback(progress: Any, task: Any) -> Callable[[DocumentResult, bool], None]:
    def on_result(result: DocumentResult, kept: bool) -> None:
        if not kept:
            for error in result.errors:
                progress.console.print(f"error: {error.message} [{error.code}]", markup=False)
        progress.update(task, advance=1, file=Path(result.source).name)

    return on_result


def _targets(out: Path | None, jsonl: str | None, csv_dir: Path | None, xlsx: Path | None, max_bytes: int) -> Targets:
    from extractor.export.stream import Targets

    return Targets(
        jsonl=None if jsonl in (None, "-") else Path(str(jsonl)), stdout_jsonl=jsonl == "-",
        csv_dir=csv_dir, xlsx=xlsx, report=None if out is None else out / "report.html", max_bytes=max_bytes,
    )  # fmt: skip


def _closing_line(summary: RunSummary, out: Path | None) -> str:
    where = f" → {out}" if out is not None else ""
    kept = f" ({summary.kept} kept from the earlier run)" if summary.kept else ""
    line = f"{summary.done} files: {summary.done - summary.failed} read, {summary.failed} failed{kept}; {summary.citations} citations, {summary.figures} figures{where}"
    if summary.interrupted is not None:
        line = f"stopped by {signal.Signals(summary.interrupted).name}: {summary.done} of {summary.files} files done, outputs written for them; run again with --resume to finish\n" + line
    return line


@app.command(cls=BiencheCommand, epilog=DASH_DASH)
def extract(
    paths: PathsArg,
    out: Annotated[Optional[Path], typer.Option("-o", "--out", metavar="FOLDER", help="Folder for results.jsonl, figures.csv, citations.csv, bienche.xlsx and report.html (default bienche-out when no other output is given).")] = None,
    jsonl: Annotated[Optional[str], typer.Option("--jsonl", metavar="FILE", help="Write JSON Lines here ('-' for standard output).")] = None,
    csv_dir: Annotated[Optional[Path], typer.Option("--csv", metavar="FOLDER", help="Write figures.csv and citations.csv into this folder.")] = None,
    xlsx: Annotated[Optional[Path], typer.Option("--xlsx", metavar="FILE", help="Write the spreadsheet here.")] = None,
    max_mb: MaxMbOption = 20.0,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", metavar="N", min=1, help="Worker processes, at least 1 (default: cores, for batches of 8+ files).")] = None,
    timeout: Annotated[Optional[float], typer.Option("--timeout", metavar="SECONDS", min=0.1, help="Give up on a file after this many seconds (it gets an error entry; default 900).")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Keep the records of an earlier (interrupted) run with the same outputs whose file and settings are unchanged; read only the rest.")] = False,
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", metavar="ADDRESS", help="Run on Dask: local, local:N (a local cluster of N workers) or tcp://HOST:PORT (needs pip install 'bienche[dask]').")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
    extractor: Annotated[Optional[ExtractorMode], typer.Option("--extractor", help="Who finds unit names and categories (default rules; BIENCHE_EXTRACTOR changes it).")] = None,
    follow_links: FollowLinksOption = False,
    max_pages: Annotated[Optional[int], typer.Option("--max-pages", metavar="N", min=1, help="Refuse PDFs with more pages (and images with more frames) than this (default 2000).", rich_help_panel="Limits")] = None,
    max_inflated_mb: Annotated[Optional[float], typer.Option("--max-inflated-mb", metavar="MB", min=0.001, help="Refuse a DOCX whose members inflate to more than this in all (default 200).", rich_help_panel="Limits")] = None,
    max_zip_ratio: Annotated[Optional[float], typer.Option("--max-zip-ratio", metavar="R", min=1.0, help="Refuse a DOCX member compressed more than R:1 (a zip bomb; default 100).", rich_help_panel="Limits")] = None,
    max_zip_members: Annotated[Optional[int], typer.Option("--max-zip-members", metavar="N", min=1, help="Refuse a DOCX with more members (default 5000).", rich_help_panel="Limits")] = None,
    max_xml_depth: Annotated[Optional[int], typer.Option("--max-xml-depth", metavar="N", min=1, help="Refuse DOCX XML nested deeper (default 200).", rich_help_panel="Limits")] = None,
    max_html_depth: Annotated[Optional[int], typer.Option("--max-html-depth", metavar="N", min=1, help="Refuse HTML nested deeper (default 1000).", rich_help_panel="Limits")] = None,
    max_page_side: Annotated[Optional[float], typer.Option("--max-page-side", metavar="PT", min=1.0, help="Refuse PDF pages with a side longer than this in points (default 14400).", rich_help_panel="Limits")] = None,
    max_pixels: Annotated[Optional[float], typer.Option("--max-pixels", metavar="MP", min=0.01, help="Largest image or rendered page, in megapixels (default 100).", rich_help_panel="Limits")] = None,
) -> None:
    """Extract citations and quota figures from directives; exit 1 if any file failed, 130/143 if stopped."""
    limits = _limits(
        max_pages=max_pages, max_frames=max_pages, max_ratio=max_zip_ratio, max_zip_members=max_zip_members,
        max_xml_depth=max_xml_depth, max_html_depth=max_html_depth, max_page_side_pt=max_page_side,
        max_inflated_bytes=None if max_inflated_mb is None else int(max_inflated_mb * 1_000_000),
        max_member_bytes=None if max_inflated_mb is None else int(max_inflated_mb * 1_000_000),
        max_pixels=None if max_pixels is None else int(max_pixels * 1_000_000),
    )  # fmt: skip
    from extractor.extract_run import RunOptions, run_extract

    if extractor is None:
        from extractor.pipeline import default_extractor

        extractor = default_extractor()
    if out is None and jsonl is None and csv_dir is None and xlsx is None:
        out = Path("bienche-out")
    if out is not None:
        jsonl = jsonl or str(out / "results.jsonl")
        csv_dir = csv_dir or out
        xlsx = xlsx or out / "bienche.xlsx"
    check_outputs(err, [
        ("-o", out, "folder"), ("-o", None if out is None else out / "report.html", "file"),
        ("--jsonl", None if jsonl in (None, "-") else Path(str(jsonl)), "file"),
        ("--csv", csv_dir, "folder"), ("--xlsx", xlsx, "file"),
    ])  # fmt: skip
    if scheduler is not None:
        _check_scheduler(scheduler, timeout, jobs)
    files = _input_files(paths, follow_links)
    max_bytes = int(max_mb * 1_000_000)
    options = RunOptions(extractor=extractor, max_bytes=max_bytes, jobs=jobs, scheduler=scheduler, resume=resume, limits=limits, **_timeout_keyword(timeout))
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    progress = file_progress(err, show=not quiet and sys.stderr.isatty())
    with progress:
        task = progress.add_task("extracting", total=len(files), file="")
        try:
            summary = run_extract(files, options, _targets(out, jsonl, csv_dir, xlsx, max_bytes), out=out, on_result=_progress_callback(progress, task))
        except Exception as error:  # noqa: BLE001 - a cluster lost, an output not writable: one line, no traceback
            raise fail(err, f"{error}") from error
    if not quiet or summary.interrupted is not None:
        err.print(_closing_line(summary, out), markup=False)
    global _leave_quickly
    _leave_quickly = scheduler is None  # every output is closed and renamed; no thread of ours left
    raise typer.Exit(summary.exit_code)


def _limits(**given: float | None) -> InputLimits:
    """The input limits in force (defaults, BIENCHE_* variables) with the options given replaced."""
    from dataclasses import replace

    from extractor.ingest.limits import current_limits

    chosen = {name: value for name, value in given.items() if value is not None}
    return replace(current_limits(), **chosen)  # type: ignore[arg-type]


def _check_scheduler(scheduler: str, timeout: float | None, jobs: int | None) -> None:
    """Exit 2 with a clear message for an address --scheduler cannot take, or options it cannot honour."""
    if timeout is not None:
        raise fail(err, "--timeout is not enforced on a Dask cluster; leave it out with --scheduler")
    if jobs is not None:
        raise fail(err, "--jobs sets local worker processes; with --scheduler the cluster's workers do the work (local:N for N)")
    try:
        from extractor.cluster import parse_scheduler

        parse_scheduler(scheduler)
    except ImportError as error:
        raise fail(err, f"--scheduler needs Dask: pip install 'bienche[dask]' ({error})") from error
    except ValueError as error:
        raise fail(err, f"--scheduler: {error}") from error


@app.command(cls=BiencheCommand, epilog=DASH_DASH)
def report(
    paths: PathsArg,
    out: Annotated[Path, typer.Option("-o", "--out", metavar="FILE", help="The HTML report to write.")] = Path("report.html"),
    max_mb: MaxMbOption = 20.0,
    follow_links: FollowLinksOption = False,
) -> None:
    """Write one self-contained HTML report: summary, findings, highlighted text; exit 1 if any file failed."""
    from extractor.export.html import write_report
    from extractor.report import build_report

    check_outputs(err, [("-o", out, "file")])
    files = _input_files(paths, follow_links)  # files as given are read as they are
    items = build_report(files, max_bytes=int(max_mb * 1_000_000))
    for result, _text in items:
        for error in result.errors:
            err.print(f"error: {error.message} [{error.code}]")
    out.parent.mkdir(parents=True, exist_ok=True)
    write_report(items, out)
    failed = sum(1 for result, _text in items if result.errors)
    err.print(f"{len(items)} files: {len(items) - failed} read, {failed} failed → {out}")
    raise typer.Exit(1 if failed else 0)


@app.command(cls=BiencheCommand)
def serve(
    host: Annotated[str, typer.Option("--host", metavar="ADDRESS", help="Address to listen on (127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", metavar="N", min=0, max=65535, help="Port (0: any free one).")] = 8000,
    allow_host: Annotated[Optional[list[str]], typer.Option("--allow-host", metavar="NAME", help="Another name or address the page may be reached by (checked against the Host header; needed with --host 0.0.0.0); repeatable.")] = None,
    max_files: Annotated[int, typer.Option("--max-files", metavar="N", min=1, help="Files in one upload, zip members included.")] = 200,
    max_mb: Annotated[float, typer.Option("--max-mb", metavar="MB", min=0.0, help="Largest file accepted (each zip member too); larger ones are refused.")] = 20.0,
    max_total_mb: Annotated[float, typer.Option("--max-total-mb", metavar="MB", min=0.0, help="Bytes in one upload, zips unpacked.")] = 200.0,
    keep_minutes: Annotated[float, typer.Option("--keep-minutes", metavar="MIN", min=0.0, help="Delete a job's files this long after it finished.")] = 60.0,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", metavar="N", min=1, help="Worker processes, at least 1 (default: cores, for batches of 8+ files).")] = None,
    timeout: Annotated[Optional[float], typer.Option("--timeout", metavar="SECONDS", min=0.1, help="Give up on a file after this many seconds (it gets an error entry).")] = None,
    extractor: Annotated[Optional[ExtractorMode], typer.Option("--extractor", help="Who finds unit names and categories (default rules; BIENCHE_EXTRACTOR changes it).")] = None,
) -> None:
    """Serve a local web page (Vietnamese) to upload documents and see, download and check the results."""
    from extractor.web.jobs import Settings
    from extractor.web.server import bind, missing_packages, url_of
    from extractor.web.server import serve as run_server
    from extractor.web.uploads import Limits

    missing = missing_packages()
    if missing:
        raise fail(err, f"bienche serve needs {', '.join(missing)} (pip install {' '.join(missing)})")
    _timeout_keyword(timeout)
    limits = Limits(max_files=max_files, max_file_bytes=int(max_mb * 1_000_000), max_total_bytes=int(max_total_mb * 1_000_000))
    settings = Settings(ttl_s=keep_minutes * 60, jobs=jobs, max_bytes=limits.max_file_bytes, timeout=timeout, extractor=extractor)
    try:
        sock = bind(host, port)
    except OSError as error:
        raise fail(err, f"--host/--port: cannot listen on {host}:{port} ({error.strerror or error})") from error
    err.print(f"bienche serve: {url_of(sock)} (Ctrl+C to stop)")
    run_server(sock, settings, limits, host=host, extra_hosts=allow_host or ())


@app.command(cls=BiencheCommand)
def schema() -> None:
    """Print the JSON Schema of one JSON Lines record (generated from the pydantic models)."""
    typer.echo(json.dumps(DocumentResult.model_json_schema(by_alias=True), ensure_ascii=False, indent=2))


@app.command("eval", cls=BiencheCommand)
def eval_command(
    paths: Annotated[list[Path], typer.Argument(help="Gold file(s) or folders of them (seeds.json, or real-document part-*.json), then the JSON Lines written by `bienche extract --jsonl`.")],
    split: Annotated[str, typer.Option("--split", help="Real-document gold: dev, held or all (a document without split is dev).")] = "dev",
    match_stem: Annotated[bool, typer.Option("--match-stem", help="Also match a .pdf/.docx output to a gold key by stem.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the numbers as JSON instead of the table.")] = False,
) -> None:
    """Score an extraction against gold: precision, recall and F1 per field (seeds) or per genre (real documents)."""
    from extractor.eval_command import run_eval

    if len(paths) < 2:
        raise fail(err, "give the gold file(s) and then the JSON Lines output")
    if split not in ("dev", "held", "all"):
        raise fail(err, f"--split must be dev, held or all, not {split!r}")
    for p in paths:
        if not p.exists():
            raise fail(err, f"no such file: {p}")
    try:
        text = run_eval(paths[:-1], paths[-1], split=cast("Split", split), match_stem=match_stem, as_json=as_json)
    except ValueError as exc:
        raise fail(err, str(exc)) from exc
    typer.echo(text)


@app.command(cls=BiencheCommand)
def train(
    out: Annotated[Optional[Path], typer.Option("-o", "--out", metavar="FOLDER", help="Where to write the model (default: the shipped one, extractor/ner/model).")] = None,
    seed: Annotated[int, typer.Option("--seed", metavar="N", help="Random seed; the same seed rebuilds the same weights.")] = 0,
) -> None:
    """Rebuild the statistical unit-name model from the repository and ../shared/corpus-extra."""
    from extractor.ner.pipeline import MODEL_DIR
    from extractor.ner.train import train as train_model

    check_outputs(err, [("-o", out, "folder")])
    summary = train_model(out or MODEL_DIR, seed)
    typer.echo(json.dumps(summary, ensure_ascii=False, indent=2, default=str))


@app.command(cls=BiencheCommand)
def version() -> None:
    """Print `bienche X.Y.Z` (as `bienche --version`)."""
    typer.echo(bienche_version())


def _register_subcommands() -> None:
    try:
        from extractor.graph.cli import graph_app
    except ImportError:  # the graph package is optional until it lands
        return
    app.add_typer(graph_app, name="graph", help="Citation graph of a corpus, kept in an embedded SQLite store.")


_register_subcommands()


_leave_quickly = False
"""Set by a command that has finished all its work on disk: the process may end without
tearing the interpreter down (see :func:`main`)."""


def main() -> None:
    """Console-script entry point.

    After ``bienche extract`` (run locally) the process leaves with ``os._exit`` once
    the exit handlers have run and the standard streams are flushed: tearing down the
    modules and objects of a finished run takes a fifth of a second and does nothing
    for the outputs, which are closed and in place by then."""
    try:
        app()
    except SystemExit as done:
        if not _leave_quickly:
            raise
        _exit_now(done.code)


def _exit_now(code: object) -> None:
    """Exit with ``code`` as ``SystemExit(code)`` would, minus interpreter finalisation."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        sys.stderr.write(f"{code}\n")
        status = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed or broken pipe: nothing more to say
            pass
    os._exit(status)
