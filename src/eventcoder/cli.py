"""`eventcoder` command: small subcommands that call one library function each.

Hydra entry points (build, train, evaluate) are run as `python -m eventcoder.<name>`; this command
holds the rest.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _schema(args: argparse.Namespace) -> int:
    from eventcoder.schema import write_json_schemas

    for path in write_json_schemas(args.out):
        print(path)
    return 0


def _numbers(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from eventcoder.numbers import find_mentions

    text = Path(args.file).read_text(encoding="utf-8") if args.file else sys.stdin.read()
    for m in find_mentions(text):
        print(json.dumps(m.to_dict(), ensure_ascii=False))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="eventcoder", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("schema", help="write the JSON Schemas of Article, Casualty, Prediction")
    p.add_argument("--out", default="schemas", help="output folder (default: schemas/)")
    p.set_defaults(func=_schema)
    p = sub.add_parser("numbers", help="print the number mentions of a text file (or stdin) as JSONL")
    p.add_argument("file", nargs="?")
    p.set_defaults(func=_numbers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
