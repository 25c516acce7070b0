"""Screenshot an HTML report in headless Chromium and check what a reader would see:
`python scripts/screenshot_report.py REPORT.html OUT.png [--chromium /usr/bin/chromium]`.

Fails (exit 1, saying why) when the HTML loads an external asset (an http(s) URL in a src or href:
the report must open offline), when Chromium writes no PNG, or when the PNG is blank (one colour).
Chromium runs with a fresh profile in a temp dir, no network services, no sandbox (containers).
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
WINDOW = "1280,2000"
_ASSET = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(https?:)?(//[^"'\s>]*)""", re.IGNORECASE)


def external_assets(html_text: str) -> list[str]:
    """Every src/href that leaves the file: http(s) or protocol-relative (//host) URLs."""
    return [m.group(0) for m in _ASSET.finditer(html_text)]


def is_blank(png: Path) -> bool:
    """Whether an image is one colour all over (nothing rendered)."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(png).convert("RGB")).reshape(-1, 3)
    return bool((pixels == pixels[0]).all())


def screenshot(html: Path, png: Path, chromium: str = CHROMIUM, window: str = WINDOW) -> Path:
    """Render `html` in headless Chromium to `png`; raise if it writes no PNG or a blank one."""
    html, png = Path(html).resolve(), Path(png).resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    png.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={profile}", f"--screenshot={png}", f"--window-size={window}", html.as_uri()]
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)
    if not png.is_file():
        raise RuntimeError(f"{html}: chromium wrote no screenshot (exit {run.returncode}): {run.stderr[-800:]}")
    if is_blank(png):
        raise RuntimeError(f"{png}: the screenshot is blank (one colour): the page rendered nothing")
    return png


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("html", type=Path)
    ap.add_argument("png", type=Path)
    ap.add_argument("--chromium", default=CHROMIUM)
    ap.add_argument("--window-size", default=WINDOW, help="width,height in CSS pixels (default %(default)s)")
    args = ap.parse_args(argv)
    if not args.html.is_file():
        print(f"error: {args.html}: no such file", file=sys.stderr)
        return 1
    external = external_assets(args.html.read_text(encoding="utf-8"))
    if external:
        print(f"error: {args.html} loads external assets: {', '.join(external[:5])}", file=sys.stderr)
        return 1
    try:
        png = screenshot(args.html, args.png, args.chromium, args.window_size)
    except (RuntimeError, subprocess.TimeoutExpired, FileNotFoundError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(f"{png}: screenshot of {args.html}, not blank, no external assets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
