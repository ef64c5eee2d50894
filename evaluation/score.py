"""Score a bienche JSON Lines output against gold and print the table.

    python evaluation/score.py evaluation/gold/seeds.json out/seeds.jsonl [--per-document]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extractor.evaluate import format_report, score  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, score, print; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gold", type=Path, help="gold JSON (evaluation/gold/seeds.json)")
    parser.add_argument("output", type=Path, help="bienche extract --jsonl output")
    parser.add_argument(
        "--match-stem", action="store_true", help="also match a .pdf/.docx output to a gold key by stem"
    )
    parser.add_argument("--per-document", action="store_true", help="list each document's misses")
    parser.add_argument("--json", action="store_true", help="print the report as JSON instead")
    args = parser.parse_args(argv)
    report = score(args.gold, args.output, match_stem=args.match_stem)
    if args.json:
        print(report.model_dump_json(indent=2))
    else:
        print(format_report(report, per_document=args.per_document))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
