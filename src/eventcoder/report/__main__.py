"""`python -m eventcoder.report DIR...`: draw evaluation reports again from their metrics.json."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from eventcoder.report.rerender import rerender

    ap = argparse.ArgumentParser(prog="python -m eventcoder.report",
                                 description="Rewrite report.md, report.html and the plots of evaluation report "
                                             "dirs from their metrics.json (the model is not run).")
    ap.add_argument("dirs", nargs="+", metavar="OUTPUT_DIR", help="a dir written by python -m eventcoder.evaluate")
    ap.add_argument("--totals-from-sets", action="store_true",
                    help="rebuild casualty_totals.json (the casualty plot's data) of a run that did not keep it from "
                         "its built eval sets and errors.jsonl, checked against metrics.json")
    ap.add_argument("--processed-dir", default=None, help="where the eval sets are built (default: the config's)")
    args = ap.parse_args(argv)
    for d in args.dirs:
        try:
            for line in rerender(d, args.totals_from_sets, args.processed_dir):
                print(line)
        except (FileNotFoundError, ValueError) as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
