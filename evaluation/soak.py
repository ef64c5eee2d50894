"""Soak test: one large folder of good and hostile files through ``bienche extract``.

``python evaluation/soak.py --files 10000`` builds a folder (in a temporary
place, or ``--work DIR``) where about 2 % of the members are bad (empty files
and random bytes under every suffix, truncated and encrypted PDFs, a zip bomb
named .docx, NUL bytes, a 60 MB text, symbolic-link loops, a named pipe,
unreadable files, a link to a file outside the folder) or merely hard (a 5 MB
single line, HTML nested 50 000 deep, a 2 000-page PDF, odd file names, a folder
named ``x.pdf``), the rest distinct variants of the ``corpus/`` documents. It
runs ``bienche extract FOLDER -o OUT`` as a subprocess, then the good members
alone, and checks: every input appears once in the output and nothing else
does (the outside link is left out); every bad member has an error with a code
and a message naming it; every hard member finished; every good member's record
equals its record from the good-only run. It prints wall time and peak memory
(the largest process, ``ru_maxrss`` of the children) and exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from evaluation import soak_members as members  # noqa: E402

@dataclass
class Plan:
    """What was built: relative path -> kind ("good", "bad" or "hard"), and the
    entries that must not appear in the output."""

    kinds: dict[str, str] = field(default_factory=dict)
    absent: list[str] = field(default_factory=list)


def build(folder: Path, n_files: int, seed: int) -> Plan:
    """Write ``n_files`` members (about 2 % bad) below ``folder``."""
    plan = Plan()
    for rel, kind in members.write_bad(folder, n_files, seed):
        plan.kinds[rel] = kind
    linked, plan.absent = members.write_links(folder)
    plan.kinds.update(dict(linked))
    n_good = max(1, n_files - len(plan.kinds))
    for rel in members.write_good(folder, n_good, seed):
        plan.kinds[rel] = "good"
    return plan


def run_extract(folder: Path, out: Path, extra: list[str], limit: float) -> tuple[int, float, str]:
    """``bienche extract folder -o out -q``: exit code, wall seconds, stderr."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    command = [sys.executable, "-m", "extractor", "extract", str(folder), "-o", str(out), "-q", *extra]
    began = time.monotonic()
    try:
        proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=limit, check=False)
    except subprocess.TimeoutExpired as expired:
        stderr = expired.stderr.decode("utf-8", "replace") if isinstance(expired.stderr, bytes) else ""
        return 124, time.monotonic() - began, stderr + f"\n(killed after {limit:.0f} s)"
    return proc.returncode, time.monotonic() - began, proc.stderr


def records(out: Path, root: Path) -> tuple[dict[str, dict[str, object]], list[str]]:
    """The output records by path relative to ``root`` (source made relative,
    so that two runs compare), and the relative paths seen more than once."""
    found: dict[str, dict[str, object]] = {}
    twice: list[str] = []
    path = out / "results.jsonl"
    if not path.exists():
        return found, twice
    prefix = str(root) + os.sep
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line.replace(json.dumps(prefix)[1:-1], ""))
        rel = str(record["source"])
        if rel in found:
            twice.append(rel)
        found[rel] = record
    return found, twice


def _check_bad(rel: str, record: dict[str, object]) -> str | None:
    errors = record.get("errors") or []
    if not isinstance(errors, list) or not errors:
        return f"bad member read without error: {rel}"
    name = Path(rel).name
    for error in errors:
        if not error.get("code") or not str(error.get("message", "")).startswith(name):
            return f"unclear error for {rel}: {error}"
    return None


def check(plan: Plan, full: dict[str, dict[str, object]], twice: list[str], good: dict[str, dict[str, object]]) -> list[str]:
    """Every problem found, described (empty: the soak passed)."""
    problems = [f"listed more than once: {rel}" for rel in twice]
    problems += [f"missing from the output: {rel}" for rel in sorted(set(plan.kinds) - set(full))]
    problems += [f"not expected in the output: {rel}" for rel in sorted(set(full) - set(plan.kinds))]
    problems += [f"must be left out: {rel}" for rel in plan.absent if rel in full]
    for rel, kind in sorted(plan.kinds.items()):
        record = full.get(rel)
        if record is None:
            continue
        if kind == "bad":
            problem = _check_bad(rel, record)
            problems += [problem] if problem else []
        elif kind == "hard" and record.get("errors"):
            problem = _check_bad(rel, record)
            problems += [problem] if problem else []
        elif kind == "good":
            if record.get("errors"):
                problems.append(f"good member failed: {rel}: {record['errors']}")
            elif good.get(rel) != record:
                problems.append(f"good member differs from the good-only run: {rel}")
    return problems


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _summary(plan: Plan, full: dict[str, dict[str, object]]) -> dict[str, object]:
    codes: dict[str, int] = {}
    for record in full.values():
        for error in record.get("errors") or []:  # type: ignore[attr-defined]
            codes[error["code"]] = codes.get(error["code"], 0) + 1
    hard = {rel: [e["code"] for e in full[rel].get("errors") or []] for rel, k in plan.kinds.items() if k == "hard" and rel in full}  # type: ignore[attr-defined]
    return {"error_codes": codes, "hard": hard}


def soak(args: argparse.Namespace, work: Path) -> int:
    """Build, run twice, check, print; 0 when every check passed."""
    folder, good_folder = work / "in", work / "good"
    began = time.monotonic()
    plan = build(folder, args.files, args.seed)
    members.copy_good(folder, good_folder, [rel for rel, kind in plan.kinds.items() if kind == "good"])
    counts = {k: sum(1 for v in plan.kinds.values() if v == k) for k in ("good", "bad", "hard")}
    print(f"built {len(plan.kinds)} members {counts} in {time.monotonic() - began:.0f} s", flush=True)
    extra = ["--jobs", str(args.jobs)] if args.jobs else []
    extra += ["--timeout", str(args.timeout)] if args.timeout else []
    code, wall, stderr = run_extract(folder, work / "out", extra, args.limit)
    peak = _peak_mb()
    print(f"full run: exit {code}, {wall:.0f} s wall, {len(plan.kinds) / max(wall, 1e-9):.1f} files/s, peak RSS {peak:.0f} MB", flush=True)
    good_code, good_wall, good_stderr = run_extract(good_folder, work / "out-good", extra, args.limit)
    print(f"good-only run: exit {good_code}, {good_wall:.0f} s wall", flush=True)
    full, twice = records(work / "out", folder)
    good, _ = records(work / "out-good", good_folder)
    problems = check(plan, full, twice, good)
    if code != 1:
        problems.append(f"the full run exited {code}, not 1 (some members are bad)")
    if good_code != 0:
        problems.append(f"the good-only run exited {good_code}: {good_stderr[-2000:]}")
    problems += [f"traceback on stderr: {stderr[-3000:]}"] if "Traceback" in stderr + good_stderr else []
    print(json.dumps(_summary(plan, full), ensure_ascii=False, indent=1))
    for problem in problems[:100]:
        print("FAIL", problem)
    print(f"{len(problems)} problems" if problems else "soak passed")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    """The command line: ``--files``, ``--work``, ``--keep``, ``--jobs``, ``--timeout``, ``--limit``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10_000, help="members of the folder (default 10000)")
    parser.add_argument("--work", type=Path, help="build and write here (kept) instead of a temporary folder")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, help="passed to bienche extract --jobs")
    parser.add_argument("--timeout", type=float, help="passed to bienche extract --timeout (seconds per file)")
    parser.add_argument("--limit", type=float, default=6 * 3600, help="seconds one run may take in all")
    args = parser.parse_args(argv)
    if args.work is not None:
        if args.work.exists():
            shutil.rmtree(args.work, ignore_errors=True)
        args.work.mkdir(parents=True)
        return soak(args, args.work)
    with tempfile.TemporaryDirectory(prefix="bienche-soak-") as work:
        status = soak(args, Path(work))
        members.make_removable(Path(work))
        return status


if __name__ == "__main__":
    raise SystemExit(main())
