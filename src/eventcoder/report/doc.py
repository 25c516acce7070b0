"""A document written once and saved both as GitHub-readable markdown and as self-contained HTML.

Headings get the anchors GitHub gives them, so the table of contents links work in both; table
columns of numbers are right-aligned and text columns left-aligned (a markdown alignment row and
HTML classes); images are embedded in the HTML as data URIs, so it opens offline.
"""
from __future__ import annotations

import base64
import html
import re
from pathlib import Path
from typing import Any

from eventcoder.io import atomic_write_text

# a cell that reads as a number: 0.642, -3, +0.237, 1,000, 12%, "0.533 to 0.721", or empty/dash
_NUMERIC = re.compile(r"^$|^[–-]$|^[-+−]?\d[\d,]*(\.\d+)?%?( to [-+−]?\d[\d,]*(\.\d+)?)?$")
_CODE = re.compile(r"`([^`]+)`")
_LINK = re.compile(r"\[([^\]]+)\]\((#[^)\s]+)\)")
_STYLE = ("body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;line-height:1.45}"
          "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;"
          "text-align:left;vertical-align:top}th{background:#f3f3f3}.num{text-align:right;"
          "font-variant-numeric:tabular-nums;white-space:nowrap}img{max-width:100%}"
          ".figures{display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start}figure{margin:0.5em 0}"
          ".figures figure{flex:1 1 0;min-width:320px}figcaption{font-size:0.9em;color:#555}"
          "nav ul{columns:2}code{background:#f3f3f3;padding:0 3px}"
          ".summary{border:2px solid #444;padding:0 1em;margin:1em 0}")


def fmt(v: Any) -> str:
    """A cell as text: 3 decimals for floats, a dash for a missing value."""
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def slug(text: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def is_numeric(cells: list[Any]) -> bool:
    """Whether a table column holds numbers (right-aligned): every cell a number, empty, or
    text that reads as one; not booleans, and not a column of empty cells only."""
    texts = [fmt(c) for c in cells]
    return (any(t not in ("", "–", "-") for t in texts) and not any(isinstance(c, bool) for c in cells)
            and all(_NUMERIC.match(t) for t in texts))


def _inline(text: str) -> str:
    """Markdown inline code and in-page links as HTML, the rest escaped."""
    out = html.escape(text, quote=False)
    out = _CODE.sub(lambda m: f"<code>{m.group(1)}</code>", out)
    return _LINK.sub(lambda m: f'<a href="{html.escape(m.group(2))}">{m.group(1)}</a>', out)


class Doc:
    """Collects blocks once and writes them as markdown and as HTML."""

    def __init__(self) -> None:
        self.md: list[str] = []
        self.html: list[str] = []
        self.headings: list[tuple[int, str, str]] = []  # level, text, anchor
        self._anchors: dict[str, int] = {}
        self._toc_at: tuple[int, int] | None = None

    def _anchor(self, text: str) -> str:
        """GitHub's anchor for a heading; a repeated one gets -1, -2, ... as GitHub does."""
        base = slug(text)
        n = self._anchors.get(base, 0)
        self._anchors[base] = n + 1
        return base if n == 0 else f"{base}-{n}"

    def heading(self, text: str, level: int = 2) -> str:
        """Add a heading; return its anchor (for links to it)."""
        anchor = self._anchor(text)
        self.headings.append((level, text, anchor))
        self.md += ["#" * level + " " + text, ""]
        self.html.append(f'<h{level} id="{anchor}">{_inline(text)}</h{level}>')
        return anchor

    def para(self, text: str) -> None:
        self.md += [text, ""]
        self.html.append(f"<p>{_inline(text)}</p>")

    def table(self, header: list[str], rows: list[list[Any]]) -> None:
        """A table whose number columns are right-aligned and text columns left-aligned."""
        numeric = [is_numeric([r[i] for r in rows]) for i in range(len(header))]
        self.md.append("| " + " | ".join(header) + " |")
        self.md.append("|" + "|".join("---:" if n else ":---" for n in numeric) + "|")
        for r in rows:
            self.md.append("| " + " | ".join(fmt(x).replace("|", "\\|") for x in r) + " |")
        self.md.append("")

        def cell(tag: str, text: str, num: bool) -> str:
            attr = ' class="num"' if num else ""
            return f"<{tag}{attr}>{text}</{tag}>"

        head = "".join(cell("th", _inline(h), n) for h, n in zip(header, numeric, strict=True))
        body = "".join("<tr>" + "".join(cell("td", html.escape(fmt(x)), n) for x, n in zip(r, numeric, strict=True))
                       + "</tr>" for r in rows)
        self.html.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")

    def images(self, items: list[tuple[Path, str]]) -> None:
        """Images side by side in the HTML (one under the other in markdown), each with its caption."""
        figs = []
        for path, alt in items:
            self.md += [f"![{alt}]({path.name})", ""]
            data = base64.b64encode(path.read_bytes()).decode()
            figs.append(f'<figure><img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'
                        f"<figcaption>{html.escape(alt)}</figcaption></figure>")
        if figs:
            self.html.append(f'<div class="figures">{"".join(figs)}</div>')

    def image(self, path: Path, alt: str) -> None:
        self.images([(path, alt)])

    def box(self, start: bool) -> None:
        """Open or close a framed block in the HTML (the summary); markdown has no frame."""
        self.html.append('<section class="summary">' if start else "</section>")

    def contents_here(self) -> None:
        """Put the table of contents (every level-2 heading, linked) at this point when written."""
        self._toc_at = len(self.md), len(self.html)

    def _contents(self) -> tuple[list[str], str]:
        entries = [(text, anchor) for level, text, anchor in self.headings if level == 2]
        md = ["**Contents**", "", *(f"- [{text}](#{anchor})" for text, anchor in entries), ""]
        items = "".join(f'<li><a href="#{anchor}">{_inline(text)}</a></li>' for text, anchor in entries)
        return md, f"<nav><strong>Contents</strong><ul>{items}</ul></nav>"

    def write(self, out: Path, title: str) -> None:
        """Write report.md and report.html (atomically) into `out`."""
        md, body = list(self.md), list(self.html)
        if self._toc_at is not None:
            at_md, at_html = self._toc_at
            toc_md, toc_html = self._contents()
            md[at_md:at_md] = toc_md
            body[at_html:at_html] = [toc_html]
        atomic_write_text(out / "report.md", "\n".join(md) + "\n")
        atomic_write_text(out / "report.html",
                          f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
                          f"<style>{_STYLE}</style></head><body>{''.join(body)}</body></html>\n")
