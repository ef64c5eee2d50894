"""Random-mutation fuzzing of ingest and the whole pipeline (``extract_path``).

Seeds of every format are built in memory (.txt in UTF-8, UTF-16 and
Windows-1258, .md, .html, .docx, .pdf, .png, .jpg, .tif); each example is a
seed mutated a few times (``fuzz_inputs``). Every example runs in a forked
worker with a time limit, and is a finding when:

- an exception escapes ``extract_path`` or the worker dies (a crash in C code);
- it runs past the time limit (a hang);
- an error is E_INTERNAL (a library exception the reader did not turn into a
  clear error), has an unknown code, or its message does not name the file;
- a mention's ``text`` is not ``document.text[start:end]``.

Each finding's input is saved under ``--out`` with a ``.txt`` note::

    python evaluation/fuzz.py --minutes 10 --seed 1 --out /tmp/fuzz-findings

``tests/test_fuzz.py`` uses the seeds and mutators (``fuzz_inputs``) and ``check`` below.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import random
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _folder in (ROOT, ROOT / "evaluation"):
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))

from extractor import errors  # noqa: E402
from extractor.document import load_document  # noqa: E402
from extractor.pipeline import extract_path  # noqa: E402
from fuzz_inputs import FRAGMENTS, TOKENS, docx_with_body, mutate, seeds  # noqa: E402

__all__ = ["FRAGMENTS", "TOKENS", "check", "docx_with_body", "examine", "mutate", "seeds"]

TIME_LIMIT_S = 20.0
KNOWN_CODES = frozenset(
    value for name, value in vars(errors).items() if name.startswith(("E_", "W_")) and isinstance(value, str)
)


# --- the check ----------------------------------------------------------------------------


def check(path: Path, time_limit_s: float = TIME_LIMIT_S) -> list[str]:
    """What is wrong with running the pipeline on ``path`` (empty when nothing)."""
    return examine(path, time_limit_s)[0]


def examine(path: Path, time_limit_s: float = TIME_LIMIT_S) -> tuple[list[str], str]:
    """(what is wrong with running the pipeline on ``path``, its outcome: the
    first error code, or "ok" and the number of mentions)."""
    started = time.perf_counter()
    try:
        result = extract_path(path)
    except BaseException:  # noqa: BLE001 - that is the finding
        return [f"exception escaped extract_path:\n{traceback.format_exc()}"], "exception"
    problems: list[str] = []
    elapsed = time.perf_counter() - started
    if elapsed > time_limit_s:
        problems.append(f"took {elapsed:.1f} s (limit {time_limit_s:.0f} s)")
    for entry in [*result.errors, *result.warnings]:
        if entry.code not in KNOWN_CODES:
            problems.append(f"unknown code {entry.code}: {entry.message}")
        if entry.code == errors.E_INTERNAL:
            problems.append(f"E_INTERNAL: {entry.message}")
        if not entry.message.startswith(f"{path.name}: ") and not entry.message.startswith(path.name):
            problems.append(f"message does not name the file: {entry.message}")
    if not result.errors:
        problems += _offset_problems(path, result)
        mentions = len(result.citations) + len(result.figures) + len(result.dates)
        return problems, "ok" if mentions else "ok, no mention"
    return problems, result.errors[0].code


def _offset_problems(path: Path, result: object) -> list[str]:
    from extractor.models import DocumentResult

    assert isinstance(result, DocumentResult)
    text = load_document(path).text
    problems: list[str] = []
    if result.chars != len(text):
        problems.append(f"chars {result.chars} but the document has {len(text)}")
    mentions = [*result.citations, *result.figures, *result.periods, *result.dates, *result.orgs, *result.backrefs]
    for mention in mentions:
        if not (0 <= mention.start <= mention.end <= len(text)) or text[mention.start : mention.end] != mention.text:
            problems.append(f"{type(mention).__name__} {mention.text!r} at {mention.start}-{mention.end} "
                            f"is {text[mention.start : mention.end]!r} in the text")
    for finding in result.all_findings():
        for start, end in finding.spans:
            if not 0 <= start <= end <= len(text):
                problems.append(f"finding {finding.rule} span {start}-{end} outside the text")
    return problems


# --- the long run -----------------------------------------------------------------------------


def _worker(connection: Connection, folder: str) -> None:
    while True:
        job = connection.recv()
        if job is None:
            return
        name, data = job
        path = Path(folder) / name
        path.write_bytes(data)
        connection.send(examine(path, TIME_LIMIT_S))
        path.unlink()


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: Connection

    @classmethod
    def start(cls, folder: str) -> _Worker:
        """A fresh worker process checking the examples it is sent, in ``folder``."""
        context = multiprocessing.get_context("fork")
        parent, child = context.Pipe()
        process = context.Process(target=_worker, args=(child, folder), daemon=True)
        process.start()
        return cls(process, parent)

    def stop(self) -> None:
        """Kill the worker (hung or dead)."""
        self.process.kill()
        self.process.join(5)


def _save(out: Path, suffix: str, data: bytes, problems: list[str]) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(data).hexdigest()[:12]
    path = out / f"finding-{digest}{suffix}"
    path.write_bytes(data)
    path.with_suffix(suffix + ".txt").write_text("\n\n".join(problems) + "\n", encoding="utf-8")
    return path


HANG = "no answer in time (a hang)"


def _answer(worker: _Worker, hang_s: float) -> tuple[list[str], str]:
    """The worker's problems and outcome for the example just sent, or a hang or a death."""
    if not worker.connection.poll(hang_s):
        return [HANG], "hang"
    try:
        answer: tuple[list[str], str] = worker.connection.recv()
    except EOFError:
        worker.process.join(5)
        return [f"the worker died (exit code {worker.process.exitcode})"], "died"
    return answer


def run(seconds: float, seed: int, out: Path, hang_s: float) -> int:
    """Fuzz for ``seconds``; print progress and findings; the number of findings."""
    rng = random.Random(seed)
    pools = seeds(seed)
    suffixes = [s for s in pools for _ in range(1 if s in (".png", ".jpg", ".tif") else 3)]
    folder = tempfile.mkdtemp(prefix="bienche-fuzz-")
    worker = _Worker.start(folder)
    examples = findings = 0
    started = last = time.monotonic()
    seen: set[str] = set()
    outcomes: dict[str, dict[str, int]] = {suffix: {} for suffix in pools}
    while time.monotonic() - started < seconds:
        suffix = rng.choice(suffixes)
        data = mutate(rng, suffix, pools[suffix])
        worker.connection.send((f"example{suffix}", data))
        problems, outcome = _answer(worker, hang_s)
        outcomes[suffix][outcome] = outcomes[suffix].get(outcome, 0) + 1
        if not worker.process.is_alive() or problems[:1] == [HANG]:
            worker.stop()
            worker = _Worker.start(folder)
        examples += 1
        if problems:
            key = problems[0].splitlines()[-1][:120] if "Traceback" in problems[0] else problems[0][:80]
            findings += 1
            saved = _save(out, suffix, data, problems)
            if key not in seen:
                seen.add(key)
                print(f"FINDING {saved.name}: {problems[0][:300]}", flush=True)
        if time.monotonic() - last > 30:
            last = time.monotonic()
            rate = examples / (last - started)
            print(f"{examples} examples, {rate:.1f}/s, {findings} findings ({len(seen)} distinct)", flush=True)
    worker.connection.send(None)
    worker.process.join(5)
    elapsed = time.monotonic() - started
    print(f"done: {examples} examples in {elapsed:.0f} s ({examples / elapsed:.1f}/s), {findings} findings "
          f"({len(seen)} distinct)")
    for suffix, counts in outcomes.items():
        ranked = sorted(counts.items(), key=lambda item: -item[1])
        print(f"  {suffix}: " + ", ".join(f"{outcome} {count}" for outcome, count in ranked))
    return findings


def main(argv: list[str] | None = None) -> int:
    """The command line (see the module docstring); exits 1 when there are findings."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hours", type=float, default=0.0)
    parser.add_argument("--minutes", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("fuzz-findings"), help="folder for the failing inputs")
    parser.add_argument("--hang", type=float, default=60.0, help="seconds after which an example counts as a hang")
    args = parser.parse_args(argv)
    seconds = args.hours * 3600 + args.minutes * 60 or 60.0
    return 1 if run(seconds, args.seed, args.out, args.hang) else 0


if __name__ == "__main__":
    sys.exit(main())
