"""CLI conventions: --version, listed and checked choices, help without type
noise, misuse as exit 2 with one line and no traceback (before any work),
unwrapped piped lines, file names never read as console markup, ``--``."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

import extractor.batch as batch_module
from extractor.cli import app
from extractor.cli_support import console, file_progress, output_problem
from extractor.graph import store

ROOT = Path(__file__).resolve().parent.parent
GOOD = "Thực hiện Kết luận số 40-KL/TW, ngày 18/7/2022 của Bộ Chính trị, tổng biên chế của tỉnh năm 2024 là 1.250 biên chế.\n"


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="80")
    return subprocess.run([sys.executable, "-m", "extractor", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with good.txt, a file AFILE, a folder ADIR, an empty store c.db; the cwd."""
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "AFILE").write_text("x", encoding="utf-8")
    (tmp_path / "ADIR").mkdir()
    store.connect(tmp_path / "c.db").close()
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def no_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if an extraction starts."""

    def refuse(*_args: object, **_kwargs: object) -> Any:
        raise AssertionError("extraction ran before the misuse was reported")

    monkeypatch.setattr(batch_module, "extract_many", refuse)


MISUSES = [
    (["extract", "good.txt", "-o", "AFILE"], "-o: AFILE is a file, not a folder"),
    (["extract", "good.txt", "--jsonl", "ADIR"], "--jsonl: ADIR is a folder, not a file"),
    (["extract", "good.txt", "--csv", "AFILE"], "--csv: AFILE is a file, not a folder"),
    (["extract", "good.txt", "--xlsx", "AFILE/x.xlsx"], "AFILE is a file, not a folder"),
    (["report", "good.txt", "-o", "ADIR"], "-o: ADIR is a folder, not a file"),
    (["extract", "good.txt", "--extractor", "foo"], "'rules', 'model', 'both'"),
    (["extract", "good.txt", "-j", "0"], "'--jobs' / '-j'"),
    (["extract", "good.txt", "--bogus"], "No such option: --bogus"),
    (["extract", "missing.txt"], "no such file or folder: missing.txt"),
    (["graph", "build", "good.txt", "-j", "0", "--db", "n.db"], "'--jobs' / '-j'"),
    (["graph", "build", "good.txt", "--extractor", "foo", "--db", "n.db"], "'rules', 'model', 'both'"),
    (["graph", "top", "--db", "c.db", "-r", "foo"], "'cites', 'implements', 'continues', 'amends', 'replaces', 'according_to'"),
    (["graph", "export", "--db", "c.db", "-f", "foo"], "'graphml', 'gexf', 'csv', 'json'"),
    (["graph", "export", "--db", "c.db", "-o", "ADIR"], "-o: ADIR is a folder, not a file"),
    (["graph", "export", "--db", "c.db", "-f", "csv", "-o", "AFILE"], "-o: AFILE is a file, not a folder"),
    (["graph", "export", "--db", "missing.db"], "missing.db: no store here"),
    (["graph", "draw", "--db", "c.db", "-o", "g.txt"], "-o must end in .svg or .png"),
]


@pytest.mark.parametrize(("args", "expected"), MISUSES)
def test_cli_conventions_misuse_is_one_line_exit_2(place: Path, no_work: None, args: list[str], expected: str) -> None:
    result = CliRunner().invoke(app, args)
    lines = result.stderr.splitlines()
    assert result.exit_code == 2, result.output
    assert len(lines) == 1 and expected in lines[0], result.stderr
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert not (place / "bienche-out").exists()


def test_cli_conventions_misuse_in_a_real_process(tmp_path: Path) -> None:
    (tmp_path / "ADIR").mkdir()
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    proc = _run("extract", "good.txt", "--jsonl", "ADIR", cwd=tmp_path)
    assert (proc.returncode, proc.stderr.splitlines()) == (2, ["error: --jsonl: ADIR is a folder, not a file"])
    assert proc.stdout == ""


def test_cli_conventions_version_from_metadata(tmp_path: Path) -> None:
    proc = _run("--version", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, f"bienche {version('bienche')}\n")
    assert CliRunner().invoke(app, ["version"]).stdout == proc.stdout


HELPS = [[], ["extract"], ["report"], ["eval"], ["train"], ["graph"], ["graph", "build"], ["graph", "top"], ["graph", "export"], ["graph", "draw"]]


@pytest.mark.parametrize("command", HELPS)
def test_cli_conventions_help_has_no_type_noise(command: list[str]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "<bool>" not in result.stdout and "<list[" not in result.stdout


@pytest.mark.parametrize(
    ("command", "listed"),
    [
        (["extract"], "rules|model|both"),
        (["graph", "build"], "rules|model|both"),
        (["graph", "top"], "cites, implements, continues, amends, replaces, according_to"),
        (["graph", "export"], "graphml|gexf|csv|json"),
        (["graph", "export"], "graph-csv"),
        (["extract"], "Put -- before file names"),
    ],
)
def test_cli_conventions_help_lists_choices(command: list[str], listed: str) -> None:
    result = CliRunner().invoke(app, [*command, "--help"])
    assert "".join(listed.split()) in "".join(result.stdout.replace("│", " ").split())  # help folds long lines


def test_cli_conventions_dash_dash_ends_options(tmp_path: Path) -> None:
    (tmp_path / "-2+3.txt").write_text(GOOD, encoding="utf-8")
    proc = _run("extract", "-q", "--jsonl", "-", "--", "-2+3.txt", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["source"] == "-2+3.txt"


def test_cli_conventions_file_taken_for_an_option_is_explained(tmp_path: Path) -> None:
    (tmp_path / "-2+3.txt").write_text(GOOD, encoding="utf-8")
    proc = _run("extract", "-2+3.txt", cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    (line,) = proc.stderr.splitlines()
    assert "put -- before file names" in line and "-2+3.txt" in line


def test_cli_conventions_piped_error_is_not_wrapped(tmp_path: Path) -> None:
    name = "thư mục/" * 30 + "không có.txt"
    proc = _run("extract", name, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [f"error: no such file or folder: {name}"]


def test_cli_conventions_markup_in_file_names_and_text(place: Path) -> None:
    (place / "[bold]a.txt").write_text(GOOD + "[/] [bold red]x[/bold red]\n", encoding="utf-8")
    (place / "[red]b.docx").write_bytes(b"not a zip [/]")
    with zipfile.ZipFile(place / "[/bold]c.docx".replace("/", ""), "w") as archive:
        archive.writestr("[/]", "[/] [bold]")
    result = CliRunner().invoke(app, ["extract", "[bold]a.txt", "[red]b.docx", "[bold]c.docx", "-o", "out"])
    assert result.exit_code == 1 and not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    assert "[red]b.docx" in result.stderr and "[bold]c.docx" in result.stderr
    records = [json.loads(line) for line in (place / "out" / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["errors"] == [] for r in records] == [True, False, False]


def test_cli_conventions_console_prints_markup_as_text() -> None:
    stream = io.StringIO()
    out = console(stderr=False)
    out.file = stream
    out.print("error: [/] [bold]x.docx")
    assert stream.getvalue() == "error: [/] [bold]x.docx\n"


def test_cli_conventions_progress_shows_count_rate_time_and_escaped_file() -> None:
    stream = io.StringIO()
    screen = Console(file=stream, force_terminal=True, width=200, color_system=None)
    progress = file_progress(screen, show=True)
    with progress:
        task = progress.add_task("extracting", total=4, file="")
        progress.update(task, advance=1, file="[/]a.docx")
        progress.update(task, advance=1, file="[bold]b.txt")
        progress.refresh()
    shown = stream.getvalue()
    assert "2/4" in shown and "files/s" in shown and "0:00:0" in shown and "eta" in shown
    assert "[bold]b.txt" in shown


@pytest.mark.parametrize(
    ("make", "kind", "problem"),
    [
        ("file", "folder", "is a file, not a folder"),
        ("dir", "file", "is a folder, not a file"),
        ("file/below", "file", "is a file, not a folder"),
        ("", "file", None),
        ("dir", "folder", None),
    ],
)
def test_cli_conventions_output_problem(tmp_path: Path, make: str, kind: str, problem: str | None) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    (tmp_path / "dir").mkdir()
    target = tmp_path / (make or "new") if make != "file/below" else tmp_path / "file" / "below"
    found = output_problem(target, "file" if kind == "file" else "folder")
    assert (found is None) == (problem is None) and (problem is None or problem in str(found))


def test_cli_conventions_timeout_is_passed_when_the_batch_takes_it(place: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, object] = {}
    real = batch_module.extract_many

    def with_timeout(paths: list[Path], *, timeout: float | None = None, **kwargs: Any) -> Any:
        seen["timeout"] = timeout
        return real(paths, **kwargs)

    monkeypatch.setattr(batch_module, "extract_many", with_timeout)
    result = CliRunner().invoke(app, ["extract", "good.txt", "--jsonl", "-", "-q", "--timeout", "7"])
    assert result.exit_code == 0, result.output
    assert seen == {"timeout": 7.0}
