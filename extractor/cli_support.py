"""What every ``bienche`` command shares: consoles that never read file names or
document text as markup and never wrap piped lines, one-line usage errors,
help without type noise, output paths checked before any work, and the
progress bar.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import typer
from rich.console import Console
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from extractor import __version__

if TYPE_CHECKING:
    from rich.progress import Progress

PathKind = Literal["file", "folder"]

DASH_DASH = "Put -- before file names that begin with '-': bienche extract -- -2+3.txt"
"""Help epilog of the commands that take file names."""


def console(*, stderr: bool) -> Console:
    """A console for the CLI: markup off (a file name like ``[bold].txt`` or a
    DOCX member ``[/]`` prints as is; pass ``markup=True`` for our own styling),
    no highlighting, and no wrapping, so a piped line stays one line."""
    return Console(stderr=stderr, markup=False, highlight=False, soft_wrap=True)


def bienche_version() -> str:
    """``bienche X.Y.Z``, from the installed package's metadata."""
    try:
        number = package_version("bienche")
    except PackageNotFoundError:  # run from a source tree that is not installed
        number = __version__
    return f"bienche {number}"


def fail(err: Console, message: str) -> typer.Exit:
    """Print ``error: message`` as one line and return the exit (code 2) to raise."""
    err.print(f"error: {message}")
    return typer.Exit(2)


class _UntypedArgument(TyperArgument):
    """An argument whose help names it without a type (no ``<list[Path]>``)."""

    def display_type_rich(self, ctx: Any) -> str | None:
        """No type column: the name and help say what to give."""
        return None


def _plain_params(params: list[Any]) -> list[Any]:
    for param in params:
        if isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
            param.metavar = ""  # a flag takes no value: no ``<bool>``
        elif isinstance(param, TyperArgument) and not isinstance(param, _UntypedArgument):
            param.__class__ = _UntypedArgument
    return params


class BiencheCommand(TyperCommand):
    """A command whose help shows no ``<bool>`` for flags and no type for arguments."""

    def get_params(self, ctx: Any) -> list[Any]:
        """The parameters, with flag and argument types hidden in help."""
        return _plain_params(super().get_params(ctx))


def _looks_like_a_file(args: Sequence[str]) -> str | None:
    return next((a for a in args if a.startswith("-") and a != "-" and Path(a).exists()), None)


class BiencheGroup(TyperGroup):
    """The command group: as :class:`BiencheCommand`, and every usage error
    (unknown option, bad choice, ``-j 0``) is one line on stderr, exit 2."""

    def get_params(self, ctx: Any) -> list[Any]:
        """The parameters, with flag types hidden in help."""
        return _plain_params(super().get_params(ctx))

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the CLI; usage errors become ``PROG CMD: error: MESSAGE (see PROG CMD --help)``."""
        argv = list(sys.argv[1:] if args is None else args)
        if not standalone_mode:
            return super().main(argv, prog_name, complete_var, False, windows_expand_args, **extra)
        try:
            code = super().main(argv, prog_name, complete_var, False, windows_expand_args, **extra)
        except typer.Abort:
            sys.stderr.write("Aborted.\n")
            sys.exit(1)
        except typer.TyperException as error:
            sys.exit(_report_usage_error(error, argv))
        except OSError as error:  # a disk full or a file that vanished while writing
            where = f"{error.filename}: " if error.filename else ""
            sys.stderr.write(f"error: {where}{error.strerror or error}\n")
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def _report_usage_error(error: typer.TyperException, argv: Sequence[str]) -> int:
    ctx = getattr(error, "ctx", None)
    if type(error).__name__ == "NoArgsIsHelpError":
        return 2  # typer has printed the help
    format_message = getattr(error, "format_message", None)
    message = format_message() if callable(format_message) else str(error)
    where = ctx.command_path if ctx is not None else "bienche"
    hint = f" (see {where} --help)"
    named = _looks_like_a_file(argv)
    if named is not None and "No such option" in message:
        hint = f" ('{named}' is a file: put -- before file names that begin with '-')"
    message = " ".join(message.replace("Value error, ", "").split())
    sys.stderr.write(f"{where}: error: {message}{hint}\n")
    return int(getattr(error, "exit_code", 2))


def readable_path(path: Path) -> bool:
    """Whether ``path`` exists (False, not an exception, for a name too long)."""
    try:
        return path.exists()
    except OSError:
        return False


def output_problem(path: Path, kind: PathKind) -> str | None:
    """Why ``path`` cannot be written as a ``kind`` (file or folder), or None."""
    try:
        return _output_problem(path, kind)
    except OSError as error:
        return f"{path}: {error.strerror or error}"


def _output_problem(path: Path, kind: PathKind) -> str | None:
    if kind == "file" and path.is_dir():
        return f"{path} is a folder, not a file"
    if kind == "folder" and path.exists() and not path.is_dir():
        return f"{path} is a file, not a folder"
    if path.exists():
        return None if os.access(path, os.W_OK) else f"{path}: not writable"
    ancestor = path.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        return f"{path}: {ancestor} is a file, not a folder"
    if not os.access(ancestor, os.W_OK | os.X_OK):
        return f"{path}: cannot create it in {ancestor} (not writable)"
    return None


def check_outputs(err: Console, outputs: Iterable[tuple[str, Path | None, PathKind]]) -> None:
    """Exit 2 with one line naming the option if any ``(option, path, kind)``
    cannot be written; a None path is skipped."""
    for option, path, kind in outputs:
        problem = None if path is None else output_problem(path, kind)
        if problem is not None:
            raise fail(err, f"{option}: {problem}")


class QuietProgress:
    """What :func:`file_progress` gives when no bar is shown: the calls a bar takes, doing
    nothing, and its ``console`` for the lines printed meanwhile (rich's progress module
    is not even imported)."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def __enter__(self) -> QuietProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def add_task(self, description: str, total: float | None = None, **fields: Any) -> int:
        """A task number, for ``update``."""
        return 0

    def update(self, task: int, **changes: Any) -> None:
        """Nothing to redraw."""


def file_progress(err: Console, *, show: bool) -> Progress | QuietProgress:
    """A bar with count, rate, elapsed and remaining time, and the file just done
    (the ``file`` field, never read as markup); a stand-in that shows nothing when
    ``show`` is false."""
    if not show:
        return QuietProgress(err)
    from extractor.cli_progress import file_bar

    return file_bar(err)
