"""The evaluation report's plots, each eval set in its own colour in every plot.

Per set with event labels: its event-type confusion matrix and its reliability diagram (bin counts
printed on it and drawn under it). Over all sets: predicted against gold casualty totals, from
the per-article totals `evaluate` saves in plot_data.json.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# matplotlib's tab10 (its grey last: the plots' reference lines are grey), then its lighter tab20
# partners: 20 colours that stay apart
_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22",
            "#17becf", "#7f7f7f", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94",
            "#f7b6d2", "#dbdb8d", "#9edae5", "#c7c7c7")


def set_colours(names: Sequence[str]) -> dict[str, str]:
    """One colour per eval set, by the set's place in the report's list (the first set is blue in
    every plot); past 20 sets, colours spaced evenly around the hue circle."""
    unique = list(dict.fromkeys(names))
    if len(unique) <= len(_PALETTE):
        return {name: _PALETTE[i] for i, name in enumerate(unique)}
    import colorsys

    from matplotlib.colors import to_hex

    return {name: to_hex(colorsys.hsv_to_rgb(i / len(unique), 0.65, 0.8)) for i, name in enumerate(unique)}


def file_stems(names: Sequence[str]) -> dict[str, str]:
    """A file-name-safe, distinct stem per set name ("real_quick:gtd" → "real_quick-gtd"; a file
    path → its file name)."""
    out: dict[str, str] = {}
    for name in dict.fromkeys(names):
        base = Path(name).stem if "/" in name else name
        stem = re.sub(r"[^A-Za-z0-9_.]+", "-", base).strip("-") or "set"
        n, candidate = 1, stem
        while candidate in out.values():
            n += 1
            candidate = f"{stem}-{n}"
        out[name] = candidate
    return out


def _save(fig: Any, path: Path) -> Path:
    import matplotlib.pyplot as plt

    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def confusion_plot(name: str, event: dict[str, Any], colour: str, path: Path) -> Path:
    """The set's event-type confusion matrix, shaded from white to the set's colour."""
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.colors import LinearSegmentedColormap

    cm = np.array(event["confusion_matrix"])
    labels = event["labels"]
    fig, ax = plt.subplots(figsize=(5.6, 4.8))
    ax.imshow(cm, cmap=LinearSegmentedColormap.from_list(name, ["#ffffff", colour]))
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    top = cm.max() if cm.size else 0
    for i in range(cm.shape[0]):
        for j in range(cm.shape[1]):
            ax.text(j, i, int(cm[i, j]), ha="center", va="center", fontsize=8,
                    color="white" if top and cm[i, j] > 0.6 * top else "black")
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(f"Event type confusion: {name}", fontsize=10)
    return _save(fig, path)


def reliability_plot(name: str, calibration: dict[str, Any], colour: str, path: Path) -> Path:
    """Accuracy against confidence per bin, each point labelled with its article count, and the
    counts as bars under it (a bin of 3 articles says little)."""
    import matplotlib.pyplot as plt

    bins = calibration["bins"]
    fig, (ax, bars) = plt.subplots(2, 1, figsize=(4.8, 4.8), sharex=True, height_ratios=(3, 1))
    ax.plot([0, 1], [0, 1], "--", color="grey")
    ax.plot([b["confidence"] for b in bins], [b["accuracy"] for b in bins], "o-", color=colour)
    for b in bins:
        ax.annotate(str(b["n"]), (b["confidence"], b["accuracy"]), textcoords="offset points", xytext=(0, 6),
                    ha="center", fontsize=7, bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none"})
    ax.set_ylim(-0.05, 1.12)
    ax.set_ylabel("accuracy")
    ax.set_title(f"Reliability: {name} (ECE {calibration['ece']:.3f})", fontsize=10)
    bars.bar([(b["low"] + b["high"]) / 2 for b in bins], [b["n"] for b in bins], width=0.09, color=colour)
    bars.set_xlim(0, 1)
    bars.set_xlabel("confidence (numbers: articles per bin)")
    bars.set_ylabel("articles")
    return _save(fig, path)


def casualty_plot(totals: dict[str, dict[str, list[int]]], colours: dict[str, str], path: Path) -> Path | None:
    """Predicted against gold killed and injured totals (log scale), a colour per set; None when
    no set has gold totals."""
    import matplotlib.pyplot as plt
    import numpy as np

    fig, axes = plt.subplots(1, 2, figsize=(10, 5))
    drawn = False
    for ax, outcome in zip(axes, ("killed", "injured"), strict=True):
        for name, d in totals.items():
            pairs = [(g, p) for g, p in zip(d[f"gold_{outcome}"], d[f"pred_{outcome}"], strict=True) if g >= 0]
            if pairs:
                g, p = zip(*pairs, strict=True)
                ax.scatter(np.array(g) + 1, np.array(p) + 1, alpha=0.5, s=14, label=name, color=colours[name])
                drawn = True
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.plot([1, 1e4], [1, 1e4], "--", color="grey")
        ax.set_xlabel(f"gold {outcome} + 1")
        ax.set_ylabel(f"predicted {outcome} + 1")
        ax.set_title(f"{outcome}: predicted vs gold (log)")
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7)
    if not drawn:
        plt.close(fig)
        return None
    return _save(fig, path)


def report_plots(result: dict[str, Any], totals: dict[str, Any] | None, out: Path) -> dict[str, dict[str, Path]]:
    """Draw every plot of an evaluation result into `out`: {set name: {"confusion", "calibration"}}
    and {"": {"casualties"}} when per-article totals are given."""
    import matplotlib

    matplotlib.use("Agg")
    names = list(result["sections"])
    colours, stems = set_colours(names), file_stems(names)
    files: dict[str, dict[str, Path]] = {}
    for name, sec in result["sections"].items():
        if "event" in sec:
            files[name] = {"confusion": confusion_plot(name, sec["event"]["model"], colours[name],
                                                       out / f"confusion-{stems[name]}.png")}
            if sec.get("calibration", {}).get("bins"):
                files[name]["calibration"] = reliability_plot(name, sec["calibration"], colours[name],
                                                              out / f"calibration-{stems[name]}.png")
    if totals:
        drawn = casualty_plot({k: v for k, v in totals.items() if k in colours}, colours, out / "casualties.png")
        if drawn:
            files[""] = {"casualties": drawn}
    return files
