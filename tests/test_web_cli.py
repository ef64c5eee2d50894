"""The ``bienche serve`` command: it listens and answers, refuses a port in use,
misuse is one line with exit 2, help has no type noise, missing packages are named."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _serve(*args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "extractor", "serve", *args], env=env, stderr=subprocess.PIPE, text=True)


def test_web_serve_command_listens_and_cleans_up(tmp_path: Path) -> None:
    proc = _serve("--port", "0")
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        found = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        assert found, line
        with urllib.request.urlopen(found.group(1) + "api/limits", timeout=10) as answer:
            assert json.load(answer)["max_files"] == 200
        taken = _serve("--port", found.group(1).rsplit(":", 1)[1].strip("/"))
        _out, err = taken.communicate(timeout=60)
        assert taken.returncode == 2 and err.strip().startswith("error: --host/--port: cannot listen on")
        assert len(err.strip().splitlines()) == 1
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_web_serve_help_has_no_type_noise() -> None:
    from typer.testing import CliRunner

    from extractor.cli import app

    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0 and "--keep-minutes" in result.stdout
    assert "<bool>" not in result.stdout and "<list[" not in result.stdout and "<float>" not in result.stdout


def test_web_serve_without_its_packages_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    import extractor.web.server as server_module
    from extractor.cli import app

    monkeypatch.setattr(server_module, "find_spec", lambda name: None if name == "uvicorn" else object())
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 2 and result.stderr.strip() == "error: bienche serve needs uvicorn (pip install uvicorn)"


@pytest.mark.parametrize(
    ("args", "expected"),
    [(["serve", "--port", "70000"], "'--port'"), (["serve", "--host", "999.1.1.1"], "cannot listen on 999.1.1.1:8000"),
     (["serve", "--max-files", "0"], "'--max-files'")],
)  # fmt: skip
def test_web_serve_misuse_is_one_line_exit_2(args: list[str], expected: str) -> None:
    from typer.testing import CliRunner

    from extractor.cli import app

    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1 and expected in result.stderr, result.output
