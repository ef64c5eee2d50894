"""Compiled pattern-data regexes kept on disk between runs.

The ``regex`` module parses and compiles a pattern in Python: the pattern set of
``patterns/`` (alternations of hundreds of unit names) costs about 0.3 s of CPU
in every process that uses it, each batch worker included. What the parser
produces for a pattern (the opcode list handed to ``_regex.compile``) depends
only on the pattern text, its flags and the ``regex`` version, so it is kept
in one file under the user's cache folder (``$XDG_CACHE_HOME/bienche`` or
``~/.cache/bienche``; ``BIENCHE_REGEX_CACHE=DIR`` elsewhere, ``=0`` off) and a
later process builds the same pattern object from it in microseconds.

The file is ``marshal`` data (no code runs when it is read), written to a
temporary name and renamed; any problem reading or writing it (no home, a
read-only disk, another ``regex`` version) falls back to the plain compile.
"""

from __future__ import annotations

import atexit
import marshal
import os
import sys
import threading
from pathlib import Path
from typing import Any

import regex
from regex import _main as regex_main

_FORMAT = 1
_MAX_ENTRIES = 4000
"""More entries than this (patterns edited many times over) and the file starts afresh."""

Key = tuple[str, int, int]
Args = tuple[Any, ...]

_lock = threading.RLock()
_known: dict[Key, Args] | None = None
_added = False


def store_path() -> Path | None:
    """The cache file, or None when the cache is off (``BIENCHE_REGEX_CACHE=0``) or there is no home."""
    setting = os.environ.get("BIENCHE_REGEX_CACHE")
    if setting is not None and setting.strip().lower() in ("", "0", "off", "no", "false"):
        return None
    try:
        base = Path(setting) if setting else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "bienche"
    except (RuntimeError, KeyError):  # no home folder to speak of
        return None
    tag = sys.implementation.cache_tag or "python"
    return base / f"regex-{regex.__version__}-{tag}-v{_FORMAT}.marshal"


def _read(path: Path | None) -> dict[Key, Args]:
    if path is None:
        return {}
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return data if isinstance(data, dict) else {}


def _table() -> dict[Key, Args]:
    global _known
    if _known is None:
        _known = _read(store_path())
    return _known


class _Recorder:
    """Stands in for the ``_regex`` C module while one pattern is compiled: passes every
    call through and keeps the arguments of ``compile``."""

    def __init__(self, real: Any) -> None:
        self._real = real
        self.calls: dict[str, Args] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def compile(self, pattern: str, *args: Any) -> Any:
        """The real ``_regex.compile``, its arguments kept."""
        self.calls[pattern] = args
        return self._real.compile(pattern, *args)


def _storable(args: Args) -> Args | None:
    """The arguments as plain data (flags as ints), None for what must not be kept
    (named lists, locale-dependent patterns)."""
    flags = int(args[0])
    if flags & regex.LOCALE or args[4] or args[5]:
        return None
    plain = tuple(int(a) if isinstance(a, int) else a for a in args)
    try:
        marshal.dumps(plain)
    except ValueError:
        return None
    return plain


def compile_pattern(pattern: str, flags: int = 0) -> regex.Pattern[str]:
    """``regex.compile(pattern, flags)``, from the cache file when it holds the pattern."""
    key: Key = (pattern, int(flags), int(regex_main.DEFAULT_VERSION))
    with _lock:
        table = _table()
        args = table.get(key)
        if args is not None:
            try:
                built: regex.Pattern[str] = regex_main._regex.compile(pattern, *args)
                return built
            except Exception:  # noqa: BLE001 - a damaged entry: compile it afresh
                del table[key]
        return _compile_and_keep(key, table)


def _compile_and_keep(key: Key, table: dict[Key, Args]) -> regex.Pattern[str]:
    global _added
    pattern, flags, _ = key
    real = regex_main._regex
    recorder = _Recorder(real)
    regex_main._regex = recorder
    try:  # past the regex module's own cache: a pattern found there would call nothing
        compiled: regex.Pattern[str] = regex_main._compile(pattern, flags, False, {}, False)
    except TypeError:  # another signature in another regex version
        compiled = regex.compile(pattern, flags)
    finally:
        regex_main._regex = real
    args = recorder.calls.get(pattern)
    kept = None if args is None else _storable(args)
    if kept is not None:
        table[key] = kept
        _added = True
    return compiled


def save() -> None:
    """Write the patterns compiled since the last save into the cache file (merged with
    what other processes wrote meanwhile); nothing when none is new or the cache is off."""
    global _added
    with _lock:
        path = store_path()
        if not _added or path is None or _known is None:
            return
        _added = False
        merged = _read(path)
        if len(merged) + len(_known) > _MAX_ENTRIES:
            merged = {}
        merged.update(_known)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(marshal.dumps(merged))
            os.replace(temporary, path)
        except OSError:
            temporary.unlink(missing_ok=True)


atexit.register(save)
