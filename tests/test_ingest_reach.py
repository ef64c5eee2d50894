"""How far walking an input folder reaches: symbolic links, loops, unreadable
folders and files, odd entries (a folder named ``x.pdf``, a pipe), deep nesting."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.errors import E_NOT_FOUND, E_UNREADABLE, E_UNSUPPORTED, IngestError
from extractor.graph.build import input_files
from extractor.ingest import iter_input_files, read_raw, scan_inputs

GOOD = "Thực hiện Kết luận số 40-KL/TW, ngày 18/7/2022 của Bộ Chính trị, tổng biên chế năm 2024 là 1.250 biên chế.\n"
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def tree(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """An input folder ``in`` with one document, and a folder ``secret`` beside it."""
    root, secret = tmp_path / "in", tmp_path / "secret"
    root.mkdir()
    secret.mkdir()
    (root / "a.txt").write_text(GOOD, encoding="utf-8")
    (secret / "passwd.txt").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    yield root, secret


def _names(paths: list[Path], root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in paths]


def _code(path: Path) -> str:
    with pytest.raises(IngestError) as caught:
        read_raw(path)
    assert caught.value.message.startswith(path.name), caught.value.message
    return caught.value.code


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_ingest_reach_outside_link_left_out(tree: tuple[Path, Path], kind: str) -> None:
    root, secret = tree
    link = root / ("leak.txt" if kind == "file" else "leak")
    link.symlink_to(secret / "passwd.txt" if kind == "file" else secret)
    scan = scan_inputs([root])
    assert _names(scan.files, root) == ["a.txt"]
    assert scan.not_followed == [link]
    assert "--follow-links" in scan.notes()[0] and str(link) in scan.notes()[0]
    followed = scan_inputs([root], follow_links=True)
    assert _names(followed.files, root) == ["a.txt", "leak.txt" if kind == "file" else "leak/passwd.txt"]
    assert followed.not_followed == []


def test_ingest_reach_link_inside_read_once(tree: tuple[Path, Path]) -> None:
    root, _ = tree
    (root / "0-alias.txt").symlink_to(root / "a.txt")
    (root / "sub").mkdir()
    (root / "sub" / "b.md").write_text(GOOD, encoding="utf-8")
    (root / "again").symlink_to(root / "sub")
    for follow in (False, True):
        assert _names(iter_input_files([root], follow_links=follow), root) == ["a.txt", "sub/b.md"]


def test_ingest_reach_link_to_unlisted_inside_kept(tree: tuple[Path, Path]) -> None:
    root, _ = tree
    (root / "notes.data").write_text(GOOD, encoding="utf-8")
    (root / "notes.txt").symlink_to(root / "notes.data")
    assert _names(iter_input_files([root]), root) == ["a.txt", "notes.txt"]


@pytest.mark.parametrize("follow", [False, True])
def test_ingest_reach_folder_loops_end(tree: tuple[Path, Path], follow: bool) -> None:
    root, secret = tree
    (root / "sub").mkdir()
    (root / "sub" / "up").symlink_to(root)
    (root / "sub" / "self").symlink_to(root / "sub")
    (secret / "back").symlink_to(root)
    (root / "out").symlink_to(secret)
    found = iter_input_files([root], follow_links=follow)
    expected = ["a.txt", "out/passwd.txt"] if follow else ["a.txt"]
    assert _names(found, root) == expected


def test_ingest_reach_file_link_loop_is_an_error(tree: tuple[Path, Path]) -> None:
    root, _ = tree
    (root / "x.txt").symlink_to(root / "y.txt")
    (root / "y.txt").symlink_to(root / "x.txt")
    (root / "gone.txt").symlink_to(root / "nowhere.txt")
    found = iter_input_files([root])
    assert _names(found, root) == ["a.txt", "gone.txt", "x.txt", "y.txt"]
    assert _code(root / "x.txt") == E_UNREADABLE
    with pytest.raises(IngestError, match="loop"):
        read_raw(root / "y.txt")
    assert _code(root / "gone.txt") == E_NOT_FOUND


def test_ingest_reach_folder_named_like_a_file_is_walked(tree: tuple[Path, Path]) -> None:
    root, _ = tree
    (root / "x.pdf").mkdir()
    (root / "x.pdf" / "inner.txt").write_text(GOOD, encoding="utf-8")
    assert _names(iter_input_files([root]), root) == ["a.txt", "x.pdf/inner.txt"]
    assert _code(root / "x.pdf") == E_UNSUPPORTED


def _deny(monkeypatch: pytest.MonkeyPatch, denied: Path) -> None:
    """Make ``os.scandir`` fail on ``denied`` as an unreadable folder does (even as root)."""
    real = os.scandir

    def scandir(path: str | os.PathLike[str]) -> object:
        if Path(path) == denied:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_ingest_reach_unreadable_folder_listed(tree: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    root, _ = tree
    locked = root / "locked.pdf"
    locked.mkdir()
    (locked / "hidden-from-us.txt").write_text(GOOD, encoding="utf-8")
    _deny(monkeypatch, locked)
    assert _names(iter_input_files([root]), root) == ["a.txt", "locked.pdf"]
    with pytest.raises(IngestError, match="folder cannot be read") as caught:
        read_raw(locked)
    assert caught.value.code == E_UNREADABLE
    _deny(monkeypatch, root)
    assert iter_input_files([root]) == [root]


@pytest.mark.skipif(AS_ROOT, reason="root reads every folder and file whatever its mode; the monkeypatched tests cover it")
def test_ingest_reach_unreadable_by_mode(tree: tuple[Path, Path]) -> None:
    root, _ = tree
    (root / "locked").mkdir()
    (root / "locked" / "b.txt").write_text(GOOD, encoding="utf-8")
    (root / "c.txt").write_text(GOOD, encoding="utf-8")
    (root / "locked").chmod(0)
    (root / "c.txt").chmod(0)
    try:
        assert _names(iter_input_files([root]), root) == ["a.txt", "c.txt", "locked"]
        assert _code(root / "locked") == E_UNREADABLE
        assert _code(root / "c.txt") == E_UNREADABLE
    finally:
        (root / "locked").chmod(0o755)
        (root / "c.txt").chmod(0o644)


def test_ingest_reach_unreadable_file_code(tree: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    root, _ = tree
    real_open = Path.open

    def deny_open(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "a.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", deny_open)
    with pytest.raises(IngestError, match="Permission denied") as caught:
        read_raw(root / "a.txt")
    assert caught.value.code == E_UNREADABLE


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_ingest_reach_pipe_never_blocks(tree: tuple[Path, Path]) -> None:
    root, _ = tree
    os.mkfifo(root / "pipe.txt")
    assert "pipe.txt" in _names(iter_input_files([root]), root)
    assert _code(root / "pipe.txt") == E_UNSUPPORTED


def _remove_chain(top: str, depth: int) -> None:
    """Remove ``top``/d/d/… bottom up (shutil.rmtree, like pytest's clean-up, recurses)."""
    bottom = top + "/d" * depth
    for name in os.listdir(bottom) if os.path.isdir(bottom) else []:
        os.unlink(os.path.join(bottom, name))
    for level in range(depth, -1, -1):
        path = top + "/d" * level
        if os.path.isdir(path):
            os.rmdir(path)


def test_ingest_reach_deep_nesting_no_recursion_limit(tmp_path: Path) -> None:
    top, depth = str(tmp_path / "in"), 1200  # past Python's default recursion limit of 1000
    try:
        os.mkdir(top)
        for level in range(1, depth + 1):
            os.mkdir(top + "/d" * level)  # one by one: Path.mkdir(parents=True) itself recurses
        bottom = Path(top + "/d" * depth)
        (bottom / "z.txt").write_text(GOOD, encoding="utf-8")
        assert iter_input_files([Path(top)]) == [bottom / "z.txt"]
    except OSError as error:
        pytest.skip(f"the file system refuses a path this long ({error})")
    finally:
        _remove_chain(top, depth)


def test_ingest_reach_explicit_link_is_read(tree: tuple[Path, Path]) -> None:
    root, secret = tree
    link = root / "named.txt"
    link.symlink_to(secret / "passwd.txt")
    assert iter_input_files([link]) == [link]  # a file named on the command line is read as asked


def test_ingest_reach_graph_input_files_follow(tree: tuple[Path, Path]) -> None:
    root, secret = tree
    (root / "leak").symlink_to(secret)
    keys = [item.file_key for item in input_files([root])]
    assert keys == ["file:a.txt"]
    keys = [item.file_key for item in input_files([root], follow_links=True)]
    assert keys == ["file:a.txt", "file:leak/passwd.txt"]


def test_ingest_reach_cli_extract(tree: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    root, secret = tree
    (root / "leak.txt").symlink_to(secret / "passwd.txt")
    (root / "locked").mkdir()
    _deny(monkeypatch, root / "locked")
    out = root.parent / "out"
    result = CliRunner().invoke(app, ["extract", str(root), "-o", str(out), "-q", "-j", "1"])
    assert result.exit_code == 1, result.output
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    by_name = {Path(row["source"]).name: row for row in rows}
    assert set(by_name) == {"a.txt", "locked"}
    assert [e["code"] for e in by_name["locked"]["errors"]] == [E_UNREADABLE]
    assert "root:x:0" not in (out / "report.html").read_text(encoding="utf-8")
    assert "leak.txt" in result.output and "--follow-links" in result.output
    followed = CliRunner().invoke(app, ["extract", str(root), "-o", str(out), "-q", "-j", "1", "--follow-links"])
    sources = [json.loads(line)["source"] for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert followed.exit_code == 1 and str(root / "leak.txt") in sources


def test_ingest_reach_cli_report(tree: tuple[Path, Path]) -> None:
    root, secret = tree
    (root / "leak.txt").symlink_to(secret / "passwd.txt")
    out = root.parent / "r.html"
    result = CliRunner().invoke(app, ["report", str(root), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "root:x:0" not in out.read_text(encoding="utf-8")
    CliRunner().invoke(app, ["report", str(root), "-o", str(out), "--follow-links"])
    assert "root:x:0" in out.read_text(encoding="utf-8")
