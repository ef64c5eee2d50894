"""What an extraction depends on besides the file itself, as one comparable string.

A record whose ``settings`` equal the current run's (and whose ``sha256`` equals the
file's) is what this run would write for the file again: ``extract --resume`` keeps
it, the graph store does not re-read the file. The string names the bienche
version, the extractor mode, the byte limit and a hash of the pattern data (and of
the shipped model when the mode uses it), so a change of any of them re-reads.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from extractor import __version__

_MODEL_MODES = ("model", "both")


def _tree_hash(root: Path, suffixes: tuple[str, ...] | None = None) -> str:
    """sha256 (first 12 hex digits) over the relative names and bytes of the files under ``root``."""
    digest = hashlib.sha256()
    if root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            if suffixes is None or path.suffix in suffixes:
                digest.update(str(path.relative_to(root)).encode("utf-8") + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


@cache
def patterns_hash() -> str:
    """A short hash of every file of the pattern data in use (``patterns/*.yaml``)."""
    from extractor.patterns import PATTERNS_DIR

    return _tree_hash(PATTERNS_DIR, (".yaml", ".yml"))


@cache
def model_hash() -> str:
    """A short hash of the shipped unit-name model's files ("none" when absent)."""
    model_dir = Path(__file__).resolve().parent / "ner" / "model"  # ner.pipeline.MODEL_DIR, without importing spaCy
    return _tree_hash(model_dir) if model_dir.is_dir() else "none"


def limits_key() -> str:
    """``default``, or a short hash of the input limits in force when any differs from its default."""
    from extractor.ingest.limits import DEFAULT_LIMITS, current_limits

    limits = current_limits()
    return "default" if limits == DEFAULT_LIMITS else hashlib.sha256(limits.key().encode()).hexdigest()[:12]


def settings_key(extractor: str, max_bytes: int) -> str:
    """The settings string of a run: ``bienche 0.2.0; extractor=rules; max_bytes=…; patterns=…; limits=…``."""
    parts = [f"bienche {__version__}", f"extractor={extractor}", f"max_bytes={max_bytes}", f"patterns={patterns_hash()}"]
    if extractor in _MODEL_MODES:
        parts.append(f"model={model_hash()}")
    parts.append(f"limits={limits_key()}")
    return "; ".join(parts)
