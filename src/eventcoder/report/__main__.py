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
    args = ap.parse_args(argv)
    for d in args.dirs:
        try:
            for line in rerender(d):
                print(line)
        except (FileNotFoundError, ValueError) as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
