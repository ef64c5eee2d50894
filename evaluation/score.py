"""Score a bienche JSON Lines output against gold and print the table.

    python evaluation/score.py evaluation/gold/seeds.json out/seeds.jsonl [--per-document]
    python evaluation/score.py evaluation/gold/real/ out/corpus-extra.jsonl [--split dev|held|all]

Several gold files (or folders of them) may come before the output when they are
real-document gold (evaluation/gold/real/README.md).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extractor.eval_command import run_eval  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, score, print; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gold", type=Path, nargs="+", help="gold JSON file(s) or folders (evaluation/gold/seeds.json)")
    parser.add_argument("output", type=Path, help="bienche extract --jsonl output")
    parser.add_argument(
        "--match-stem", action="store_true", help="also match a .pdf/.docx output to a gold key by stem"
    )
    parser.add_argument("--per-document", action="store_true", help="list each document's misses (seeds gold)")
    parser.add_argument("--split", choices=("dev", "held", "all"), default="dev", help="real-document gold: which split")
    parser.add_argument("--json", action="store_true", help="print the report as JSON instead")
    args = parser.parse_args(argv)
    try:
        text = run_eval(
            args.gold, args.output, split=args.split, match_stem=args.match_stem,
            as_json=args.json, per_document=args.per_document,
        )
    except ValueError as exc:
        parser.error(str(exc))
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
